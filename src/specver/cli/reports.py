"""The report commands' wiring: version labels for the HTML report, and the range form of
`specver impact FROM..TO`. Options are parsed in `cli.app`; here they become API calls and
a renderer's input, with no logic of the reports' own.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from specver.cli.io import emit, render_options
from specver.errors import UsageError
from specver.render import RANGE_RENDERERS, render

if TYPE_CHECKING:
    from specver.api import Spec, VersionLabel
    from specver.config import Config

RANGE_SEPARATOR = ".."


def report_labels(
    old: Spec,
    new: Spec,
    repo: Path | None,
    names: tuple[str | None, str | None],
) -> tuple[VersionLabel, VersionLabel]:
    """Both versions named by release (tag and date, front matter, file name), or by the
    `--old-label` / `--new-label` the user gave."""
    from specver.api import version_label

    return (
        version_label(old, repo=repo, name=names[0]),
        version_label(new, repo=repo, name=names[1]),
    )


def split_range(arg: str) -> tuple[str, str]:
    """`FROM..TO` as its two revisions; anything else is a usage error."""
    start, sep, end = arg.partition(RANGE_SEPARATOR)
    if not sep or not start or not end or RANGE_SEPARATOR in end or ":" in arg:
        raise UsageError(
            f"{arg!r}: give OLD and NEW, or one range FROM..TO of revisions "
            "(with --repo and --path for the spec's file)"
        )
    return start, end


def run_range(
    spec_range: str,
    *,
    repo: Path | None,
    path: str | None,
    audience: str,
    fmt: str,
    output: Path | None,
    config: Config,
    color: str,
) -> int:
    """`specver impact FROM..TO`: every release between two versions, on one report.

    Exit status 1 when any release in the range changed the spec, else 0.
    """
    from specver.api import impact_range, range_view

    start, end = split_range(spec_range)
    result = impact_range(repo, path, start, end, config=config, audience=audience)
    options = render_options(output, color=color)
    emit(render(RANGE_RENDERERS, fmt, range_view(result, fmt), options), output)
    return 1 if any(r.impact.diff.changes for r in result.releases) else 0
