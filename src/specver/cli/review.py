"""What `specver diff` does for review and CI around the comparison itself.

Accept entries mark reviewed changes (warnings for stale and expired ones go to stderr),
`--write-accept` writes the changes as entries to fill in, `--format github` also appends
the Markdown report to `GITHUB_STEP_SUMMARY`, and the exit status counts only the changes
no entry accepts.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from specver.cli.io import note
from specver.config import BUMP_LEVELS, Config, accept_entries, load_accept_file
from specver.errors import OutputError
from specver.render import DIFF_RENDERERS, RenderOptions, render

if TYPE_CHECKING:
    from specver.api import SpecDiff

COLOR_CHOICES = ("auto", "always", "never")
"""`--color` choices: auto colours only a terminal without NO_COLOR (or TERM=dumb)."""


def accepted_diff(
    result: SpecDiff, cfg: Config, accept_file: Path | None, *, lenient: bool = False
) -> SpecDiff:
    """The diff with the changes the entries in force accept marked; warnings on stderr.

    `lenient` (for `--write-accept`) lets entries whose reason is still blank through
    unused instead of refusing them: they are what is being filled in.
    """
    from specver.api import accept

    entries = accept_entries(cfg, accept_file, allow_blank_reasons=lenient)
    if not entries:
        return result
    outcome = accept(result, tuple(e for e in entries if e.reason), date.today())
    for warning in outcome.warnings:
        note(f"specver: warning: {warning}")
    return outcome.diff


def write_accept_file(path: Path, result: SpecDiff, cfg: Config, accept_file: Path | None) -> None:
    """`--write-accept FILE`: every change as an entry, keeping the reasons already given."""
    from specver.api import accept_file_text
    from specver.atomic import write_text_atomic

    known = accept_entries(cfg, accept_file, allow_blank_reasons=True)
    if path.is_file():
        known = load_accept_file(path, allow_blank_reasons=True) + known
    write_text_atomic(path, accept_file_text(result, known))
    count = len({c.fingerprint for c in result.changes})
    note(f"specver: wrote {count} entries to {path}; fill in each reason")


def append_step_summary(result: SpecDiff, options: RenderOptions) -> None:
    """With `--format github` in GitHub Actions, add the Markdown report to the job summary.

    The file is GitHub's to read after the step; it is appended to as GitHub asks, but
    written whole and atomically like every file specver writes.
    """
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from specver.atomic import write_text_atomic

    summary = render(DIFF_RENDERERS, "markdown", result, replace(options, color=False))
    path = Path(target)
    try:
        before = path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"cannot read GITHUB_STEP_SUMMARY {target}: {exc}") from None
    gap = "\n" if before and not before.endswith("\n") else ""
    write_text_atomic(path, before + gap + summary)


def diff_exit_status(result: SpecDiff, fail_on: str | None) -> int:
    """1 when a change no entry accepts is found (at `fail_on` or above, when given), else 0."""
    levels = [c.level for c in result.changes if c.accepted is None]
    if fail_on is None:
        return 1 if levels else 0
    reached = max((BUMP_LEVELS.index(level) for level in levels), default=0)
    return 1 if reached >= BUMP_LEVELS.index(fail_on) else 0
