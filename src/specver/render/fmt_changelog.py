"""Renderers for release commands: changelog entries (Markdown, JSON) and bump explanations."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from specver.diff.kinds import describe
from specver.render.options import RenderOptions

if TYPE_CHECKING:
    from specver.release.changelog import ChangelogEntry
    from specver.spec.model import Change

DECIDING_SHOWN = 20
"""How many deciding changes a bump explanation lists before summarising."""


def render_markdown(entry: ChangelogEntry, options: RenderOptions) -> str:
    """`specver changelog --format markdown` (Keep a Changelog heading style)."""
    from specver.release.changelog import entry_markdown

    return entry_markdown(entry)


def render_text(entry: ChangelogEntry, options: RenderOptions) -> str:
    """`specver changelog --format text`: plain text, no Markdown escapes or marks."""
    from specver.release.changelog import entry_text

    return entry_text(entry)


def render_json(entry: ChangelogEntry, options: RenderOptions) -> str:
    """`specver changelog --format json`: schema `specver.changelog/1`."""
    from specver.release.changelog import entry_data

    return json.dumps(entry_data(entry), indent=2, ensure_ascii=False) + "\n"


def bump_explanation(level: str, deciding: tuple[Change, ...], counts: Mapping[str, int]) -> str:
    """Which changes decided a bump, and how many others there were (for stderr)."""
    lines = [f"{level} release, decided by {len(deciding)} {level} change(s):"]
    for change in deciding[:DECIDING_SHOWN]:
        where = f"{change.policy}: " if change.policy else ""
        lines.append(f"  - {where}{describe(change)}")
    if len(deciding) > DECIDING_SHOWN:
        lines.append(f"  ... and {len(deciding) - DECIDING_SHOWN} more")
    others = [f"{n} {lv}" for lv, n in counts.items() if n and lv != level]
    if others:
        lines.append(f"other changes: {', '.join(others)}")
    return "\n".join(lines) + "\n"
