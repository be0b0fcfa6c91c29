"""Renderers for `specver history` and `specver log`: plain text tables and JSON documents."""

from __future__ import annotations

from typing import Any

from specver.diff.kinds import describe
from specver.history.walk import LogRow, PolicyEvent, PolicyHistory, Revision
from specver.render.fmt_json import change_json, dumps
from specver.render.options import RenderOptions

HISTORY_SCHEMA = "specver.history/1"
LOG_SCHEMA = "specver.log/1"


def _event_text(event: PolicyEvent) -> str:
    if event.kind == "present":
        return "present in the first revision walked"
    if event.change is None:
        return event.kind.replace("_", " ")
    if event.kind == "policy_added":
        return "appeared: " + describe(event.change)
    return describe(event.change)


def render_history_text(history: PolicyHistory, options: RenderOptions) -> str:
    """`specver history`: one line per event, grouped under the revision that made it."""
    lines = [f"{history.policy}: {history.title}"]
    if len(history.ids) > 1:
        lines.append("ids: " + " → ".join(history.ids))
    walked = "tagged releases" if history.timeline.tags_only else "commits"
    lines.append(f"{len(history.timeline.revisions)} {walked} of {history.timeline.path} walked")
    current: Revision | None = None
    for event in history.events:
        if event.revision != current:
            current = event.revision
            commit = f"  {current.commit[:12]}" if current.tags else ""
            subject = f": {current.subject}" if current.subject else ""
            lines += ["", f"{current.day}  {current.label}{commit}  {current.author}{subject}"]
        lines.append(f"  - [{event.policy}] {_event_text(event)}")
    if history.removed:
        lines += ["", "The policy is not in the newest revision."]
    return "\n".join(lines) + "\n"


def revision_json(revision: Revision) -> dict[str, Any]:
    """A revision as the history and log schemas give it."""
    return {
        "commit": revision.commit,
        "tags": list(revision.tags),
        "version": revision.label,
        "date": revision.date,
        "author": revision.author,
        "subject": revision.subject,
        "blob": revision.blob,
    }


def render_history_json(history: PolicyHistory, options: RenderOptions) -> str:
    """`specver history --format json` (schema `specver.history/1`)."""
    events = []
    for event in history.events:
        item: dict[str, Any] = {
            "revision": revision_json(event.revision),
            "policy": event.policy,
            "kind": event.kind,
        }
        if event.change is not None:
            item["change"] = change_json(event.change)
        events.append(item)
    return dumps(
        {
            "schema": HISTORY_SCHEMA,
            "path": history.timeline.path,
            "tags_only": history.timeline.tags_only,
            "policy": history.policy,
            "title": history.title,
            "ids": list(history.ids),
            "removed": history.removed,
            "revisions": len(history.timeline.revisions),
            "events": events,
        }
    )


LOG_COLUMNS = ("version", "date", "sections", "policies", "bump", "changes", "subject")
GAP = "  "


def render_log_text(rows: tuple[LogRow, ...], options: RenderOptions) -> str:
    """`specver log`: one row per revision with its counts (`kind×n`, wrapped between items,
    never inside one), bump and commit subject (folded when long), within `options.width`.

    A plain table rather than rich's: a log has thousands of rows, each rendered in a few
    microseconds here.
    """
    from rich.cells import cell_len

    fixed = [
        [row.revision.label, row.revision.day, str(row.sections), str(row.policies), row.bump]
        for row in rows
    ]
    items = [[f"{kind}×{n}" for kind, n in row.summary.items()] or ["—"] for row in rows]
    subjects = [row.revision.subject for row in rows]
    widths = [
        max([cell_len(name), *(cell_len(r[k]) for r in fixed)])
        for k, name in enumerate(LOG_COLUMNS[:5])
    ]
    longest = max((cell_len(i) + 1 for cell in items for i in cell), default=1)
    natural = max([cell_len("changes"), *(cell_len(", ".join(c)) for c in items)])
    told = max([cell_len("subject"), *(cell_len(t) for t in subjects)])
    room = max(options.width - sum(widths) - len(GAP) * 6, 0)
    subject_least = min(told, max(cell_len("subject"), room // 3))
    changes = max(longest, min(natural, room - subject_least))
    subject = max(min(told, cell_len("subject")), min(told, room - changes))
    lines = [_log_line(list(LOG_COLUMNS[:5]), widths, ["changes"], changes, ["subject"])]
    for cells, counts, text in zip(fixed, items, subjects, strict=True):
        wrapped = _wrap_items(counts, changes)
        folded = _fold(text, subject)
        for k in range(max(len(wrapped), len(folded))):
            first = cells if k == 0 else [""] * 5
            lines.append(_log_line(first, widths, wrapped[k : k + 1], changes, folded[k : k + 1]))
    return "".join(line.rstrip() + "\n" for line in lines)


def _log_line(
    cells: list[str], widths: list[int], changes: list[str], width: int, subject: list[str]
) -> str:
    from rich.cells import cell_len

    def pad(text: str, size: int) -> str:
        return text + " " * max(size - cell_len(text), 0)

    parts = [pad(c, w) for c, w in zip(cells, widths, strict=True)]
    parts.append(pad(changes[0] if changes else "", width))
    parts.append(subject[0] if subject else "")
    return GAP.join(parts)


def _wrap_items(items: list[str], width: int) -> list[str]:
    """`a, b, c` broken into lines of at most `width` cells, only between items."""
    from rich.cells import cell_len

    lines: list[str] = []
    current = ""
    for k, item in enumerate(items):
        piece = item + ("," if k < len(items) - 1 else "")
        candidate = f"{current} {piece}" if current else piece
        if current and cell_len(candidate) > width:
            lines.append(current)
            candidate = piece
        current = candidate
    lines.append(current)
    return lines


def _fold(text: str, width: int) -> list[str]:
    """A subject folded at spaces (or inside a word longer than a line) to `width` cells."""
    import textwrap

    return textwrap.wrap(text, max(width, 1)) or [""]


def render_log_json(rows: tuple[LogRow, ...], options: RenderOptions) -> str:
    """`specver log --format json` (schema `specver.log/1`)."""
    return dumps(
        {
            "schema": LOG_SCHEMA,
            "revisions": [
                {
                    **revision_json(row.revision),
                    "sections": row.sections,
                    "policies": row.policies,
                    "bump": row.bump,
                    "summary": row.summary,
                }
                for row in rows
            ],
        }
    )
