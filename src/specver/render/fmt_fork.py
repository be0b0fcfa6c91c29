"""Renderers for `specver fork`: text, Markdown and the `specver.fork/1` JSON document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specver.diff.kinds import describe
from specver.diff.textdiff import Segment
from specver.fork.compare import BrokenReference, Conflict, ForkReport
from specver.render.common import trimmed_redline
from specver.render.fmt_json import change_json, dumps, source_json
from specver.render.fmt_markdown import word_diff_block
from specver.render.options import RenderOptions
from specver.spec.model import Change, Policy
from specver.wording import md_code, md_text

FORK_SCHEMA = "specver.fork/1"


def _line(change: Change) -> str:
    return f"{change.policy or 'all policies'}: {describe(change)}"


def _md_ref(policy: str | None, title: str | None) -> str:
    """`**Title** (`id`)`, the id alone when the change records no title."""
    if policy is None:
        return "all policies"
    if not title or title == policy:
        return md_code(policy)
    return f"**{md_text(title)}** ({md_code(policy)})"


def _md_line(change: Change) -> str:
    return f"{_md_ref(change.policy, change.details.policy_title)}: {md_text(describe(change))}"


def drift_sentence(report: ForkReport) -> str:
    """How far the fork is from upstream, counting sections (every heading)."""
    d = report.drift
    return (
        f"{d.differing} sections differ between fork and upstream ({d.changed} changed, "
        f"{d.fork_only} only in the fork, {d.upstream_only} only upstream; "
        f"{d.identical} identical); mean similarity {d.similarity:.2f}"
    )


def side_redlines(conflict: Conflict) -> Iterator[tuple[str, tuple[Segment, ...]]]:
    """`base → fork` and `base → upstream` word diffs of a conflict's prose, for each side
    whose prose differs from the base: who changed what."""
    if conflict.base is None:
        return
    for label, side in (("base → fork", conflict.fork), ("base → upstream", conflict.upstream)):
        if side is not None and side.prose != conflict.base.prose:
            yield label, trimmed_redline(conflict.base.prose, side.prose)


def _broken_line(broken: BrokenReference) -> str:
    return f"{broken.change.policy} ({broken.side}): {describe(broken.change)}"


def _side(policy: Policy | None) -> str:
    if policy is None:
        return "removed"
    return f"{policy.id} “{policy.title}” {_level(policy)}"


def _md_side(policy: Policy | None) -> str:
    if policy is None:
        return "removed"
    return f"{md_code(policy.id)} “{md_text(policy.title)}” {_level(policy)}"


def _conflict_title(conflict: Conflict) -> str | None:
    side = conflict.fork or conflict.upstream or conflict.base
    return side.title if side is not None else None


def _level(policy: Policy) -> str:
    return f"at {policy.authority} level" if policy.authority else "(no authority level)"


def _md_broken_line(broken: BrokenReference) -> str:
    change = broken.change
    where = _md_ref(change.policy or "", change.details.policy_title)
    return f"{where} ({broken.side}): {md_text(describe(change))}"


def render_fork_text(report: ForkReport, options: RenderOptions) -> str:
    """`specver fork`: summary, then ours, theirs (clean, overlapping) and conflicts."""
    from rich.text import Text

    from specver.render.fmt_text import bullet, console_for, console_text

    console = console_for(options)
    for name, spec in (("base", report.base), ("upstream", report.upstream), ("fork", report.fork)):
        console.print(Text.assemble((f"{name}: ", "dim"), spec.source, f"  ({len(spec)} sections)"))
    console.print(Text(f"Drift: {drift_sentence(report)}"))
    sections = (
        ("Ours (the fork's changes since the base)", report.ours),
        ("Theirs, clean (upstream changes the fork can take)", report.theirs_clean),
        ("Theirs, overlapping (policies the fork also changed)", report.theirs_overlapping),
    )
    for title, changes in sections:
        console.print()
        console.print(Text(f"{title}: {len(changes)}", style="bold"))
        for change in changes:
            console.print(bullet(Text(_line(change))))
    if report.broken_references:
        console.print()
        console.print(Text(f"Broken references: {len(report.broken_references)}", style="bold"))
        for broken in report.broken_references:
            console.print(bullet(Text(_broken_line(broken))))
    console.print()
    console.print(Text(f"Conflicts: {len(report.conflicts)}", style="bold red"))
    for conflict in report.conflicts:
        _print_conflict(console, conflict, options)
    return console_text(console)


def _print_conflict(console: Any, conflict: Conflict, options: RenderOptions) -> None:
    """One conflict: why, what is marked, what each side did, and both sides' word diffs."""
    from rich.padding import Padding
    from rich.text import Text

    from specver.render.fmt_text import bullet, redline_text

    console.print(Text(f"  {conflict.policy} ({conflict.reason.replace('_', ' ')})"))
    for part in conflict.parts:
        console.print(bullet(Text(f"marked: {part}"), 4))
    console.print(Padding(Text(f"fork:     {_side(conflict.fork)}"), (0, 0, 0, 4)))
    for change in conflict.ours:
        console.print(bullet(Text(describe(change)), 6))
    console.print(Padding(Text(f"upstream: {_side(conflict.upstream)}"), (0, 0, 0, 4)))
    for change in conflict.theirs:
        console.print(bullet(Text(describe(change)), 6))
    for label, segments in side_redlines(conflict):
        console.print(Text(f"    {label}:"))
        console.print(Padding(redline_text(segments, options.color), (0, 0, 0, 6), expand=False))


def render_fork_markdown(report: ForkReport, options: RenderOptions) -> str:
    """`specver fork --format markdown`: a report for a pull request or an issue."""
    lines = [
        f"### Fork report: {md_code(report.fork.source)} vs upstream "
        f"{md_code(report.upstream.source)} (base {md_code(report.base.source)})",
        "",
        f"**Drift:** {drift_sentence(report)}",
        "",
        "| | Count |",
        "|---|---:|",
        f"| Ours | {len(report.ours)} |",
        f"| Theirs, clean | {len(report.theirs_clean)} |",
        f"| Theirs, overlapping | {len(report.theirs_overlapping)} |",
        f"| Conflicts | {len(report.conflicts)} |",
        f"| Broken references | {len(report.broken_references)} |",
    ]
    for title, changes in (
        ("Ours", report.ours),
        ("Theirs, clean", report.theirs_clean),
        ("Theirs, overlapping", report.theirs_overlapping),
    ):
        lines += ["", f"#### {title}", ""]
        lines += [f"- {_md_line(c)}" for c in changes] or ["None."]
    if report.broken_references:
        lines += ["", "#### Broken references", ""]
        lines += [f"- {_md_broken_line(b)}" for b in report.broken_references]
    lines += ["", "#### Conflicts", ""]
    if not report.conflicts:
        lines.append("None.")
    for conflict in report.conflicts:
        lines += [
            f"- {_md_ref(conflict.policy, _conflict_title(conflict))} "
            f"({conflict.reason.replace('_', ' ')})",
            *(f"  - marked: {md_text(part)}" for part in conflict.parts),
            f"  - fork: {_md_side(conflict.fork)}; "
            + md_text("; ".join(describe(c) for c in conflict.ours)),
            f"  - upstream: {_md_side(conflict.upstream)}; "
            + md_text("; ".join(describe(c) for c in conflict.theirs)),
        ]
        for label, segments in side_redlines(conflict):
            lines += [
                "",
                f"<details><summary>{label.capitalize()}</summary>",
                "",
                word_diff_block(segments),
                "",
                "</details>",
            ]
    return "\n".join(lines) + "\n"


def _policy_json(policy: Policy | None) -> dict[str, Any] | None:
    if policy is None:
        return None
    return {
        "id": policy.id,
        "title": policy.title,
        "authority": policy.authority,
        "tags": list(policy.tags),
        "parent": policy.parent,
        "prose": policy.prose,
        "examples": [e.title for e in policy.examples],
    }


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    """One conflict: the policy, why, both sides' changes and both versions."""
    return {
        "policy": conflict.policy,
        "reason": conflict.reason,
        "parts": list(conflict.parts),
        "ours": [change_json(c) for c in conflict.ours],
        "theirs": [change_json(c) for c in conflict.theirs],
        "fork": _policy_json(conflict.fork),
        "upstream": _policy_json(conflict.upstream),
    }


def fork_json(report: ForkReport) -> dict[str, Any]:
    """The `specver.fork/1` document as plain data."""
    d = report.drift
    return {
        "schema": FORK_SCHEMA,
        "base": source_json(report.base),
        "upstream": source_json(report.upstream),
        "fork": source_json(report.fork),
        "ours": [change_json(c) for c in report.ours],
        "theirs": [{**change_json(c), "status": status} for c, status in report.theirs],
        "conflicts": [conflict_json(c) for c in report.conflicts],
        "broken_references": [
            {"side": b.side, **change_json(b.change)} for b in report.broken_references
        ],
        "summary": {
            **report.summary,
            "drift": {
                "upstream_sections": d.upstream_sections,
                "fork_sections": d.fork_sections,
                "identical": d.identical,
                "changed": d.changed,
                "fork_only": d.fork_only,
                "upstream_only": d.upstream_only,
                "differing": d.differing,
                "similarity": d.similarity,
            },
        },
    }


def render_fork_json(report: ForkReport, options: RenderOptions) -> str:
    """`specver fork --format json`."""
    return dumps(fork_json(report))
