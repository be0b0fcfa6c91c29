"""Renderers for `specver merge`'s summary: a few lines for stderr, the `specver.merge/1` JSON."""

from __future__ import annotations

from typing import Any

from specver.fork.compare import MergeConflict, MergeSummary
from specver.render.fmt_json import dumps
from specver.render.options import RenderOptions
from specver.wording import plural, series

MERGE_SCHEMA = "specver.merge/1"


def conflicts_phrase(conflicts: tuple[MergeConflict, ...]) -> str:
    """`no conflicts`, `1 conflict in do_not_lie (line 1802)`, `3 conflicts: 2 in a (lines
    4, 9) and 1 in b (line 30)`."""
    if not conflicts:
        return "no conflicts"
    lines: dict[str, list[int]] = {}
    for conflict in conflicts:
        lines.setdefault(conflict.policy, []).append(conflict.line)
    where = []
    for policy, found in lines.items():
        numbers = ", ".join(str(n) for n in found)
        place = f"in {policy} ({'line' if len(found) == 1 else 'lines'} {numbers})"
        where.append(place if len(lines) == 1 else f"{len(found)} {place}")
    if len(lines) == 1:
        return f"{plural(len(conflicts), 'conflict')} {where[0]}"
    return f"{plural(len(conflicts), 'conflict')}: {series(where)}"


def merge_sentence(summary: MergeSummary) -> str:
    """`applied 25 upstream changes, kept 5 of the fork's, 1 conflict in do_not_lie (line
    1802)`."""
    result = summary.result
    parts = [
        f"applied {plural(result.applied, 'upstream change')}",
        f"kept {result.kept} of the fork's",
        conflicts_phrase(result.conflicts),
    ]
    if result.pending:
        parts.append(f"{plural(result.pending, 'change')} wait on the conflicts")
    return ", ".join(parts)


def render_merge_text(summary: MergeSummary, options: RenderOptions) -> str:
    """The summary for stderr: one sentence, then each conflict with its line and label."""
    result = summary.result
    out = [f"specver: merged: {merge_sentence(summary)}"]
    out += [f"  line {c.line}: {c.label}" for c in result.conflicts]
    base = result.sources[0]
    out.append(f"specver: base {base} (from {_base_origin(summary.base_from)})")
    if summary.recorded is not None:
        out.append(f"specver: recorded base: {summary.recorded_base} in {summary.recorded}")
    return "\n".join(out) + "\n"


def _base_origin(how: str) -> str:
    return {"option": "--base", "config": "`base:` in the configuration"}.get(how, how)


def conflict_json(conflict: MergeConflict) -> dict[str, Any]:
    """One marked conflict: its policy, kind, label and the line of its opening marker."""
    return {
        "policy": conflict.policy,
        "kind": conflict.kind,
        "label": conflict.label,
        "line": conflict.line,
    }


def merge_json(summary: MergeSummary) -> dict[str, Any]:
    """The `specver.merge/1` document as plain data."""
    result = summary.result
    base, upstream, fork = result.sources
    return {
        "schema": MERGE_SCHEMA,
        "output": summary.output,
        "base": {"source": base, "from": summary.base_from},
        "upstream": {"source": upstream},
        "fork": {"source": fork},
        "applied": result.applied,
        "kept": result.kept,
        "pending": result.pending,
        "conflicts": [conflict_json(c) for c in result.conflicts],
        "conflicted_policies": list(result.conflicted),
        "recorded": (
            {"config": summary.recorded, "base": summary.recorded_base}
            if summary.recorded is not None
            else None
        ),
        "summary": merge_sentence(summary),
    }


def render_merge_json(summary: MergeSummary, options: RenderOptions) -> str:
    """`specver merge --output FILE --format json`: the summary on stdout."""
    return dumps(merge_json(summary))
