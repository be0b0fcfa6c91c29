"""`specver fork` and `specver merge`: options, sources from `.specver.yaml`, exit statuses.

Registered on the typer app by `cli.app`. Without --upstream, --fork and --base the
sources come from the configuration (`fork.remember`); `merge --output` records the base
it merged from. The merge summary goes to stderr, or as JSON to stdout with --format json
(which needs --output, since stdout would otherwise carry the merged text).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from specver.cli.io import emit, input_paths, note, render_options
from specver.cli.review import COLOR_CHOICES
from specver.errors import UsageError
from specver.render import FORK_RENDERERS, MERGE_RENDERERS, choice_message, render

if TYPE_CHECKING:
    from specver.config import Config

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
RepoOption = Annotated[
    Path | None,
    typer.Option("--repo", help="Git repository for REV:PATH sources (default: the current one)."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Path of a .specver.yaml (default: found upward from here)."),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (atomically).")
]


def _choice(option: str, choices: dict[str, str]) -> typer.models.OptionInfo:
    allowed = tuple(choices)

    def check(value: str | None) -> str | None:
        if value is None or value in allowed:
            return value
        raise UsageError(choice_message(option, value, allowed))

    def complete(incomplete: str) -> list[str]:
        return [c for c in allowed if c.startswith(incomplete)]

    return typer.Option(  # type: ignore[no-any-return]
        option,
        "-f",
        help=f"Output format: {', '.join(allowed)}.",
        callback=check,
        autocompletion=complete,
    )


def _color_option() -> typer.models.OptionInfo:
    def check(value: str | None) -> str | None:
        if value is None or value in COLOR_CHOICES:
            return value
        raise UsageError(choice_message("--color", value, COLOR_CHOICES))

    return typer.Option(  # type: ignore[no-any-return]
        "--color", help="Colour: auto (a terminal without NO_COLOR), always or never.",
        callback=check,
    )  # fmt: skip


def _config(config: Path | None, repo: Path | None) -> Config:
    """--config, else the .specver.yaml found from the repository (or the current folder)."""
    from specver.api import load_config

    if config is not None or repo is None:
        return load_config(config)
    return load_config(start=repo)


def fork_command(
    upstream: UpstreamOption = None,
    fork: ForkOption = None,
    base: BaseOption = None,
    fmt: Annotated[str, _choice("--format", FORK_RENDERERS)] = "text",
    output: OutputOption = None,
    repo: RepoOption = None,
    config: ConfigOption = None,
    color: Annotated[str, _color_option()] = "auto",
) -> None:
    """Three-way report: the fork's changes, upstream's (clean or not), conflicts and drift."""
    from specver.api import fork_arguments, fork_report

    cfg = _config(config, repo)
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
    fmt: Annotated[str, _choice("--format", MERGE_RENDERERS)] = "text",
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
    cfg = _config(config, repo)
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
