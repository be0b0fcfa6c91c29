"""`specver audit OLD NEW`: the release notes checked against what the release's text does.

Its own module, registered by `cli.app` (`app.command("audit")(audit_command)`); the
options it shares with the other commands come from `cli.options`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from specver.cli.io import emit, input_paths, render_options
from specver.cli.options import ColorOption, ConfigOption, OutputOption, RepoOption, format_option
from specver.errors import UsageError
from specver.render import AUDIT_RENDERERS, render

if TYPE_CHECKING:
    from specver.api import Config, Impact, Notes
    from specver.render.fmt_audit import AuditedImpact


def audit_command(
    old: Annotated[str, typer.Argument(help="The spec before: a file, or REV:PATH in git.")],
    new: Annotated[str, typer.Argument(help="The spec after: a file, or REV:PATH in git.")],
    notes: Annotated[
        str | None,
        typer.Option(
            "--notes", help="The release notes: a Markdown or plain-text file, or REV:PATH."
        ),
    ] = None,
    changelog: Annotated[
        str | None,
        typer.Option(
            "--changelog", help="A CHANGELOG.md (or REV:PATH) whose entry for --version is read."
        ),
    ] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="The changelog entry's version.")
    ] = None,
    fmt: Annotated[str, format_option(AUDIT_RENDERERS)] = "text",
    output: OutputOption = None,
    repo: RepoOption = None,
    config: ConfigOption = None,
    color: ColorOption = "auto",
) -> None:
    """Check release notes against the release: undisclosed changes, claims without a
    change, directions that disagree (exit 1 when any is found)."""
    from specver.api import audit, diff, load, load_config

    release_notes = read_release_notes(notes, changelog, version, repo)
    cfg = load_config(config)
    compared = diff(load(old, repo=repo), load(new, repo=repo), cfg)
    result = audit(compared, release_notes, cfg)
    options = replace(render_options(output, color=color), scheme=cfg.scheme)
    inputs = input_paths(old, new, cfg.path, notes, changelog)
    emit(render(AUDIT_RENDERERS, fmt, result, options), output, inputs)
    raise typer.Exit(0 if result.clean else 1)


def read_release_notes(
    notes: str | None, changelog: str | None, version: str | None, repo: Path | None = None
) -> Notes:
    """The notes named by --notes, or by --changelog with --version (exactly one of them)."""
    from specver.api import changelog_notes, notes_file

    if notes is not None and changelog is not None:
        raise UsageError("give --notes FILE or --changelog FILE --version V, not both")
    if notes is not None:
        if version is not None:
            raise UsageError("--version goes with --changelog, not --notes")
        return notes_file(notes, repo)
    if changelog is None:
        raise UsageError("name the release notes: --notes FILE, or --changelog FILE --version V")
    if version is None:
        raise UsageError("--changelog needs --version V: the entry to audit")
    return changelog_notes(changelog, version, repo)


def audited_impact(
    impact: Impact,
    notes: str,
    config: Config,
    view: object = None,
    repo: Path | None = None,
) -> AuditedImpact:
    """An impact report with the audit of the release notes in `notes` (`impact --notes`,
    a file or REV:PATH); `view` is the HTML report page (with its `audit` section) when the
    format is html."""
    from specver.api import ReportPage, audit, notes_file
    from specver.render.fmt_audit import AuditedImpact

    page = view if isinstance(view, ReportPage) else None
    return AuditedImpact(impact, audit(impact.diff, notes_file(notes, repo), config), page)
