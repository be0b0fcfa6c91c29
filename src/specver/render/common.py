"""What every human-readable renderer shares: changes grouped by policy, trimmed redlines."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from specver.diff.details import AuthorityLevelRenamed
from specver.diff.kinds import describe
from specver.diff.kinds import level_renames as level_renames
from specver.diff.textdiff import Segment, redline
from specver.spec.model import Change, Policy, SpecDiff

CONTEXT_WORDS = 12
"""Unchanged words kept around each edit in a trimmed redline."""


@dataclass(frozen=True, slots=True)
class PolicyChanges:
    """The changes of one policy, with the policy as it was and as it is."""

    policy: str
    old: Policy | None
    new: Policy | None
    changes: tuple[Change, ...]

    @property
    def title(self) -> str:
        """The current title (the last one for a removed policy)."""
        shown = self.new or self.old
        return shown.title if shown else self.policy

    @property
    def authority_before(self) -> str | None:
        return self.old.authority if self.old else None

    @property
    def authority_after(self) -> str | None:
        return self.new.authority if self.new else None


def metadata_changes(diff: SpecDiff) -> tuple[Change, ...]:
    """The changes to the document's front matter (they name no policy)."""
    return tuple(c for c in diff.changes if c.kind == "metadata_changed")


def group_by_policy(diff: SpecDiff) -> tuple[PolicyChanges, ...]:
    """Changes grouped per policy, in the new document's order, removed policies last."""
    by_policy: dict[str, list[Change]] = {}
    for change in diff.changes:
        if change.policy is not None:
            by_policy.setdefault(change.policy, []).append(change)
    out: list[PolicyChanges] = []
    for q in diff.new:
        if q.id in by_policy:
            old_id = diff.old_id(q.id)
            old = diff.old.get(old_id) if old_id else None
            out.append(PolicyChanges(q.id, old, q, tuple(by_policy.pop(q.id))))
    for p in diff.old:
        if p.id in by_policy:
            out.append(PolicyChanges(p.id, p, None, tuple(by_policy.pop(p.id))))
    for policy, changes in by_policy.items():
        out.append(PolicyChanges(policy, None, None, tuple(changes)))
    return tuple(out)


def trimmed_redline(old: str, new: str, context: int = CONTEXT_WORDS) -> tuple[Segment, ...]:
    """A redline with long unchanged runs cut down to `context` words around each edit."""
    segments = redline(old, new)
    out: list[Segment] = []
    last = len(segments) - 1
    for k, seg in enumerate(segments):
        if seg.op != "equal":
            out.append(seg)
            continue
        out.append(Segment("equal", _trim(seg.text, context, head=k > 0, tail=k < last)))
    return tuple(out)


def _trim(text: str, context: int, *, head: bool, tail: bool) -> str:
    words = text.split(" ")
    if len(words) <= 2 * context + 1:
        return text
    start = " ".join(words[:context]) if head else ""
    end = " ".join(words[-context:]) if tail else ""
    if head and tail:
        return f"{start} … {end}"
    return f"{start} …" if head else f"… {end}"


def authority_span(before: str | None, after: str | None) -> str:
    """`user → developer` when the level changed, the level alone when it did not."""
    if before == after:
        return before or "—"
    return f"{before or '—'} → {after or '—'}"


def describe_reviewed(change: Change) -> str:
    """`describe`, followed by `[accepted: reason]` where an accept entry covers the change."""
    text = describe(change)
    return f"{text} [accepted: {change.accepted}]" if change.accepted is not None else text


def rename_note(diff: SpecDiff, rename: AuthorityLevelRenamed) -> str:
    """` [accepted: reason]` after a level rename an accept entry covers, else nothing."""
    change = next((c for c in diff.changes if c.details is rename), None)
    if change is None or change.accepted is None:
        return ""
    return f" [accepted: {change.accepted}]"


def accepted_count(diff: SpecDiff) -> int:
    """How many of a diff's changes accept entries cover."""
    return sum(1 for c in diff.changes if c.accepted is not None)


def prose_redlines(group: PolicyChanges) -> Iterator[tuple[Segment, ...]]:
    """The trimmed redline of a policy's prose when its text changed."""
    if group.old and group.new and any(c.kind == "text_changed" for c in group.changes):
        yield trimmed_redline(group.old.prose, group.new.prose)
    if group.old and group.new and any(c.kind == "other_text_changed" for c in group.changes):
        yield trimmed_redline(group.old.text, group.new.text)
