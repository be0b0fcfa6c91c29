"""Markdown renderer for pull-request comments; every piece of spec text is escaped."""

from __future__ import annotations

from specver.diff.textdiff import Segment
from specver.render.common import (
    accepted_count,
    describe_reviewed,
    group_by_policy,
    level_renames,
    metadata_changes,
    prose_redlines,
    rename_note,
)
from specver.render.options import RenderOptions
from specver.spec.model import SpecDiff
from specver.wording import md_code, md_text


def md_fence(body: str, info: str = "") -> str:
    """A fenced code block long enough that nothing inside can close it."""
    longest = run = 0
    for ch in body:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{body}\n{fence}"


def word_diff_block(segments: tuple[Segment, ...]) -> str:
    """A redline as a code block in git's word-diff notation: `[-old-]{+new+}`."""
    parts = []
    for seg in segments:
        if seg.op == "equal":
            parts.append(seg.text)
        elif seg.op == "delete":
            parts.append(f"[-{seg.text}-]")
        else:
            parts.append(f"{{+{seg.text}+}}")
    return md_fence("".join(parts).strip("\n"))


def render_diff(diff: SpecDiff, options: RenderOptions) -> str:
    """`specver diff --format markdown`: summary table, authority, then each changed policy."""
    lines = [
        f"### Spec diff: {md_code(diff.old.source)} → {md_code(diff.new.source)}",
        "",
    ]
    if not diff.changes:
        lines.append("No semantic changes.")
        return "\n".join(lines) + "\n"
    lines += [f"**Suggested bump: {diff.bump}**", "", "| Change | Count |", "|---|---:|"]
    lines += [f"| {kind} | {count} |" for kind, count in diff.summary.items()]
    accepted = accepted_count(diff)
    if accepted:
        lines += ["", f"Accepted: {accepted} of {len(diff.changes)} changes (shown, not failing)."]
    for rename in level_renames(diff):
        ids = ", ".join(md_code(p) for p in rename.policies)
        lines += [
            "",
            f"**Authority level {md_code(rename.old)} renamed to {md_code(rename.new)}** for "
            f"{len(rename.policies)} policies: {ids}{md_text(rename_note(diff, rename))}",
        ]
    front = metadata_changes(diff)
    if front:
        lines += ["", "#### Front matter", ""]
        lines += [f"- {md_text(describe_reviewed(c))}" for c in front]
    for group in group_by_policy(diff):
        before, after = group.authority_before, group.authority_after
        level = md_code(before or "—")
        if before != after:
            level += f" → {md_code(after or '—')}"
        lines += [
            "",
            f"#### {md_text(group.title)} ({md_code(group.policy)})",
            "",
            f"Authority: {level}",
            "",
        ]
        lines += [f"- {md_text(describe_reviewed(c))}" for c in group.changes]
        for segments in prose_redlines(group):
            lines += ["", "<details><summary>Word diff</summary>", "", word_diff_block(segments)]
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
