"""Renderers for `specver history` and `specver log`: plain text tables and JSON documents."""

from __future__ import annotations

from typing import Any

from specver.diff.kinds import describe
from specver.history.walk import LogRow, PolicyEvent, PolicyHistory, Revision
from specver.render import RenderOptions
from specver.render.fmt_json import change_json, dumps

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
            lines += ["", f"{current.day}  {current.label}{commit}  {current.author}"]
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


def render_log_text(rows: tuple[LogRow, ...], options: RenderOptions) -> str:
    """`specver log`: one row per revision with its counts (`kind×n`, wrapped between items,
    never inside one) and bump."""
    from rich.table import Table

    from specver.render.fmt_text import console_for, console_text

    console = console_for(options)
    cells = [", ".join(f"{kind}×{n}" for kind, n in row.summary.items()) or "—" for row in rows]
    longest = max((len(item) for cell in cells for item in cell.split(", ")), default=1)
    table = Table(box=None, pad_edge=False)
    for name in ("version", "date", "sections", "policies", "bump"):
        table.add_column(name)
    table.add_column("changes", min_width=longest)
    for row, counts in zip(rows, cells, strict=True):
        table.add_row(
            row.revision.label,
            row.revision.day,
            str(row.sections),
            str(row.policies),
            row.bump,
            counts,
        )
    console.print(table)
    return console_text(console)


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
