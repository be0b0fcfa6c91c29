"""`specver forks`: the command's options and wiring (registered on the app in `cli.app`).

No logic: the options become one `api.fork_network` call and one renderer. Exit statuses
follow `specver diff`: 0 when every fork is an unchanged copy of its base, 1 when some fork
changed something, 2 for usage and input errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from specver.cli.io import emit, input_paths, note, render_options
from specver.cli.options import ConfigOption, OutputOption, format_option, repo_config
from specver.render import FORKS_RENDERERS, render


def forks_command(
    upstream: Annotated[
        str, typer.Option("--upstream", help="Upstream's spec: a file or REV:PATH.")
    ],
    remotes: Annotated[
        str | None,
        typer.Option(
            "--remotes",
            help="Forks: the remotes whose names match this pattern (e.g. 'fork-*'), "
            "each at refs/remotes/NAME/main (or the branch its HEAD names).",
        ),
    ] = None,
    repos: Annotated[
        list[Path] | None,
        typer.Option(
            "--repos",
            metavar="<path>",
            help="Forks: a clone (its HEAD), or a folder of clones; repeatable.",
        ),
    ] = None,
    listing: Annotated[
        Path | None,
        typer.Option("--list", help="Forks: a file naming one per line, REV:PATH or a path."),
    ] = None,
    path: Annotated[
        str | None,
        typer.Option("--path", help="The spec's path in each fork (default: upstream's)."),
    ] = None,
    fmt: Annotated[str, format_option(FORKS_RENDERERS)] = "text",
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", help="Worker processes (default: the core count)."),
    ] = None,
    output: OutputOption = None,
    repo: Annotated[
        Path | None,
        typer.Option("--repo", help="Git repository of upstream and the remotes (default: here)."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """What a fork network says: per policy, identical edits, new policies, each fork's base."""
    from specver.api import fork_network

    settings = repo_config(config, repo)
    network = fork_network(
        upstream,
        remotes=remotes,
        repos=tuple(repos or ()),
        listing=listing,
        path=path,
        repo=repo,
        jobs=jobs,
        config=settings,
    )
    emit(
        render(FORKS_RENDERERS, fmt, network, render_options(output)),
        output,
        input_paths(upstream, listing, config),
    )
    if network.skipped:
        note(f"specver: {len(network.skipped)} fork(s) skipped: see the report")
    raise typer.Exit(1 if any(not f.unchanged for f in network.forks) else 0)
