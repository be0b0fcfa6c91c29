"""What every human-readable renderer shares: grouping changes by policy and plain sentences."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from specver.diff.textdiff import Segment, redline, rule_phrase
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


def level_renames(diff: SpecDiff) -> tuple[Change, ...]:
    """The changes that rename a whole authority level."""
    return tuple(c for c in diff.changes if c.policy is None)


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


def _verdicts(c: Change) -> str:
    flips = c.get("answers", ())
    turns = "; ".join(f"{a['old']} → {a['new']}" for a in flips)
    return f"verdict reversed in example “{c.get('example')}” ({turns})"


def _text(c: Change) -> str:
    what = "copy edit" if c.get("change") == "copyedit" else "substantive text change"
    rules = "; ".join(_rule(n) for n in c.get("normative", ()))
    base = f"{what} (similarity {c.get('similarity', 0):.2f})"
    return f"{base}; {rules}" if rules else base


def _rule(n: Mapping[str, str | None]) -> str:
    return f"rule {n['direction']}: {rule_phrase(n)}"


def authority_span(before: str | None, after: str | None) -> str:
    """`user → developer` when the level changed, the level alone when it did not."""
    if before == after:
        return before or "—"
    return f"{before or '—'} → {after or '—'}"


def _added(c: Change) -> str:
    level = c.get("authority")
    return f"added at {level} level" if level else "added (no authority level)"


def _removed(c: Change) -> str:
    into = c.get("merged_into")
    return f"removed; merged into {into}" if into else "removed"


def _tags(c: Change) -> str:
    parts = []
    if c.get("added"):
        parts.append("added " + ", ".join(c.get("added")))
    if c.get("removed"):
        parts.append("removed " + ", ".join(c.get("removed")))
    return "tags " + "; ".join(parts)


SENTENCES: Mapping[str, Callable[[Change], str]] = {
    "policy_added": _added,
    "policy_removed": _removed,
    "policy_renamed": lambda c: f"renamed from {c.get('old_id')} (“{c.get('old_title')}”)",
    "policy_retitled": lambda c: f"retitled from “{c.get('old_title')}”",
    "policy_moved": lambda c: (
        f"moved from {c.get('old_parent') or 'top level'} to {c.get('new_parent') or 'top level'}"
    ),
    "authority_changed": lambda c: (
        f"authority {c.get('old')} → {c.get('new')} ({c.get('direction')})"
    ),
    "authority_level_renamed": lambda c: (
        f"level {c.get('old')} renamed to {c.get('new')} for {len(c.get('policies', ()))} policies"
    ),
    "tags_changed": _tags,
    "text_changed": _text,
    "commentary_changed": lambda c: (
        f"commentary changed ({c.get('before')} → {c.get('after')} blocks)"
    ),
    "example_added": lambda c: f"example added: “{c.get('example')}”",
    "example_removed": lambda c: f"example removed: “{c.get('example')}”",
    "example_changed": lambda c: f"example changed: “{c.get('example')}”",
    "example_moved": lambda c: (
        f"example moved here from {c.get('old_policy')}: “{c.get('example')}”"
    ),
    "example_verdict_changed": _verdicts,
    "reference_broken": lambda c: f"cross reference to missing #{c.get('target')}",
}
"""One plain-text phrase per change kind."""


def describe(change: Change) -> str:
    """A short plain-text phrase saying what one change is."""
    phrase = SENTENCES.get(change.kind)
    return phrase(change) if phrase else change.kind.replace("_", " ")


def describe_reviewed(change: Change) -> str:
    """`describe`, followed by `[accepted: reason]` where an accept entry covers the change."""
    text = describe(change)
    return f"{text} [accepted: {change.accepted}]" if change.accepted is not None else text


def accepted_count(diff: SpecDiff) -> int:
    """How many of a diff's changes accept entries cover."""
    return sum(1 for c in diff.changes if c.accepted is not None)


def prose_redlines(group: PolicyChanges) -> Iterator[tuple[Segment, ...]]:
    """The trimmed redline of a policy's prose when its text changed."""
    if group.old and group.new and any(c.kind == "text_changed" for c in group.changes):
        yield trimmed_redline(group.old.prose, group.new.prose)
