"""`specver fork` and `specver merge`: options, sources from `.specver.yaml`, exit statuses.

Registered on the typer app by `cli.app`. Without --upstream, --fork and --base the
sources come from the configuration (`fork.remember`); `merge --output` records the base
it merged from. The merge summary goes to stderr, or as JSON to stdout with --format json
(which needs --output, since stdout would otherwise carry the merged text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from specver.cli.io import emit, input_paths, note, render_options
from specver.cli.options import (
    ColorOption,
    ConfigOption,
    OutputOption,
    RepoOption,
    format_option,
    repo_config,
)
from specver.errors import UsageError
from specver.render import FORK_RENDERERS, MERGE_RENDERERS, render

if TYPE_CHECKING:
    pass

UpstreamOption = Annotated[
    str | None,
    typer.Option(
        "--upstream", help="Upstream's spec: a file or REV:PATH (default: `upstream:` in config)."
    ),
]
ForkOption = Annotated[
    str | None,
    typer.Option(
        "--fork",
        help="The fork's spec: a file or REV:PATH (default: `spec:` or model_spec.md here).",
    ),
]
BaseOption = Annotated[
    str | None,
    typer.Option(
        "--base",
        help="The common base (default: `base:` in config, else the merge base of the two).",
    ),
]


def fork_command(
    upstream: UpstreamOption = None,
    fork: ForkOption = None,
    base: BaseOption = None,
    fmt: Annotated[str, format_option(FORK_RENDERERS)] = "text",
    output: OutputOption = None,
    repo: RepoOption = None,
    config: ConfigOption = None,
    color: ColorOption = "auto",
) -> None:
    """Three-way report: the fork's changes, upstream's (clean or not), conflicts and drift."""
    from specver.api import fork_arguments, fork_report

    cfg = repo_config(config, repo)
    sources = fork_arguments(upstream, fork, base, cfg, repo)
    report = fork_report(sources.upstream, sources.fork, sources.base, repo=repo, config=cfg)
    emit(
        render(FORK_RENDERERS, fmt, report, render_options(output, color=color)),
        output,
        input_paths(sources.upstream, sources.fork, sources.base, cfg.path),
    )
    raise typer.Exit(1 if report.conflicts else 0)


def merge_command(
    upstream: UpstreamOption = None,
    fork: ForkOption = None,
    base: BaseOption = None,
    output: OutputOption = None,
    fmt: Annotated[str, format_option(MERGE_RENDERERS)] = "text",
    diff3: Annotated[
        bool, typer.Option("--diff3", help="Show the base's text in each conflict too.")
    ] = False,
    no_record: Annotated[
        bool,
        typer.Option("--no-record", help="Do not record `base:` in .specver.yaml."),
    ] = False,
    repo: RepoOption = None,
    config: ConfigOption = None,
) -> None:
    """Merge upstream into the fork: edits merge block by block, conflicts get git's markers.

    The merged spec goes to stdout or --output (the fork's own file may be the output);
    a summary of what was taken goes to stderr (as JSON on stdout with --format json and
    --output). Writing --output records `base:` in .specver.yaml (unless --no-record).
    Exit 1 while conflicts remain.
    """
    from specver.api import MergeSummary, fork_arguments, remember_merge, resolved_base
    from specver.api import merge as merge_specs

    if fmt == "json" and output is None:
        raise UsageError("--format json prints the merge summary on stdout; add --output FILE")
    cfg = repo_config(config, repo)
    sources = fork_arguments(upstream, fork, base, cfg, repo)
    result = merge_specs(
        sources.upstream, sources.fork, sources.base, repo=repo, config=cfg, diff3=diff3
    )
    emit(result.text, output, input_paths(sources.upstream, sources.base, cfg.path))
    summary = MergeSummary(result, str(output) if output else None, sources.base_from)
    if output is not None and not no_record:
        recorded_base = resolved_base(sources.upstream, repo)
        written = remember_merge(cfg, sources.upstream, recorded_base, repo)
        summary = MergeSummary(result, str(output), sources.base_from, str(written), recorded_base)
    note(render(MERGE_RENDERERS, "text", summary, render_options(color="never")))
    if fmt == "json":
        emit(render(MERGE_RENDERERS, "json", summary, render_options()))
    raise typer.Exit(1 if result.conflicts else 0)
