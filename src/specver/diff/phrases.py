"""One short plain-text phrase per change kind: what reports and renderers say a change is.

The terminal, Markdown and HTML reports, the bump explanation, fork and history output and
the impact report's safeguards all name a change the same way; `diff.kinds.KINDS` says
which function phrases which kind and `diff.kinds.describe` applies it.
"""

from __future__ import annotations

from collections.abc import Callable

from specver.diff.details import (
    AuthorityChanged,
    AuthorityLevelRenamed,
    CommentaryChanged,
    ExampleAdded,
    ExampleChanged,
    ExampleMoved,
    ExampleRemoved,
    ExampleVerdictChanged,
    PolicyAdded,
    PolicyMoved,
    PolicyRemoved,
    PolicyRenamed,
    PolicyRetitled,
    ReferenceBroken,
    TagsChanged,
    TextChanged,
    details_of,
)
from specver.diff.textdiff import NormativeChange, rule_phrase
from specver.spec.model import Change

Phrase = Callable[[Change], str]


def policy_added_phrase(c: Change) -> str:
    """`added at root level`."""
    level = details_of(c, PolicyAdded).authority
    return f"added at {level} level" if level else "added (no authority level)"


def policy_removed_phrase(c: Change) -> str:
    """`removed`, or `removed; merged into other_id`."""
    into = details_of(c, PolicyRemoved).merged_into
    return f"removed; merged into {into}" if into else "removed"


def policy_renamed_phrase(c: Change) -> str:
    """`renamed from old_id (“Old title”)`."""
    d = details_of(c, PolicyRenamed)
    return f"renamed from {d.old_id} (“{d.old_title}”)"


def policy_retitled_phrase(c: Change) -> str:
    """`retitled from “Old title”`."""
    return f"retitled from “{details_of(c, PolicyRetitled).old_title}”"


def policy_moved_phrase(c: Change) -> str:
    """`moved from old_parent to top level`."""
    d = details_of(c, PolicyMoved)
    return f"moved from {d.old_parent or 'top level'} to {d.new_parent or 'top level'}"


def authority_changed_phrase(c: Change) -> str:
    """`authority user → developer (raised)`."""
    d = details_of(c, AuthorityChanged)
    return f"authority {d.old} → {d.new} ({d.direction})"


def authority_level_renamed_phrase(c: Change) -> str:
    """`level platform renamed to root for 17 policies`."""
    d = details_of(c, AuthorityLevelRenamed)
    return f"level {d.old} renamed to {d.new} for {len(d.policies)} policies"


def tags_changed_phrase(c: Change) -> str:
    """`tags added a, b; removed c`."""
    d = details_of(c, TagsChanged)
    parts = []
    if d.added:
        parts.append("added " + ", ".join(d.added))
    if d.removed:
        parts.append("removed " + ", ".join(d.removed))
    return "tags " + "; ".join(parts)


def rule_change_phrase(n: NormativeChange) -> str:
    """`rule loosened: “must” → “should”`."""
    return f"rule {n.direction}: {rule_phrase(n)}"


def text_changed_phrase(c: Change) -> str:
    """`copy edit (similarity 0.98)`, or a substantive change and its rule changes."""
    d = details_of(c, TextChanged)
    what = "copy edit" if d.change == "copyedit" else "substantive text change"
    rules = "; ".join(rule_change_phrase(n) for n in d.normative)
    base = f"{what} (similarity {d.similarity:.2f})"
    return f"{base}; {rules}" if rules else base


def commentary_changed_phrase(c: Change) -> str:
    """`commentary changed (1 → 2 blocks)`."""
    d = details_of(c, CommentaryChanged)
    return f"commentary changed ({d.before} → {d.after} blocks)"


def example_added_phrase(c: Change) -> str:
    """`example added: “Title”`."""
    return f"example added: “{details_of(c, ExampleAdded).example}”"


def example_removed_phrase(c: Change) -> str:
    """`example removed: “Title”`."""
    return f"example removed: “{details_of(c, ExampleRemoved).example}”"


def example_changed_phrase(c: Change) -> str:
    """`example changed: “Title”`."""
    return f"example changed: “{details_of(c, ExampleChanged).example}”"


def example_moved_phrase(c: Change) -> str:
    """`example moved here from other_id: “Title”`."""
    d = details_of(c, ExampleMoved)
    return f"example moved here from {d.old_policy}: “{d.example}”"


def example_verdict_changed_phrase(c: Change) -> str:
    """`verdict reversed in example “Title” (GOOD → BAD)`."""
    d = details_of(c, ExampleVerdictChanged)
    turns = "; ".join(f"{a.old} → {a.new}" for a in d.answers)
    return f"verdict reversed in example “{d.example}” ({turns})"


def reference_broken_phrase(c: Change) -> str:
    """`cross reference to missing #target`."""
    return f"cross reference to missing #{details_of(c, ReferenceBroken).target}"
