"""One short plain-text phrase per change kind: what reports and renderers say a change is.

The terminal, Markdown and HTML reports, the bump explanation, fork and history output and
the impact report's safeguards all name a change the same way; `diff.kinds.KINDS` says
which function phrases which kind and `diff.kinds.describe` applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from specver.diff.details import (
    AuthorityChanged,
    AuthorityLevelRenamed,
    CommentaryChanged,
    ExampleAdded,
    ExampleChanged,
    ExampleMoved,
    ExampleRemoved,
    ExampleVerdictChanged,
    MetadataChanged,
    OtherTextChanged,
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
from specver.diff.normative import StatementChange, rule_phrase
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


def words_phrase(count: int) -> str:
    """`1 word changed`, `3 words changed`, or `punctuation or case only` for 0."""
    if count <= 0:
        return "punctuation or case only"
    return f"{count} word{'s' if count != 1 else ''} changed"


VERDICT_PHRASES: Mapping[str, str] = MappingProxyType(
    {
        "tightened": "rules tightened",
        "loosened": "rules loosened",
        "mixed": "rules both tightened and loosened",
        "unchanged": "rules unchanged",
    }
)
"""How every report names a policy's verdict (docs/normative.md)."""


def rule_change_phrase(n: StatementChange, *, with_effect: bool = True) -> str:
    """`loosened, rule weakened: “must” → “should”` (the effect left out on request)."""
    return f"{n.effect}, {rule_phrase(n)}" if with_effect else rule_phrase(n)


def text_changed_phrase(c: Change) -> str:
    """`copy edit (2 words changed)`, or a substantive change, its verdict and the statements
    that changed effect: `substantive text change (4 words changed); rules loosened: rule
    weakened: “must not” → “should not”`."""
    d = details_of(c, TextChanged)
    what = "copy edit" if d.change == "copyedit" else "substantive text change"
    base = f"{what} ({words_phrase(d.words_changed)})"
    if d.change == "copyedit":
        return base
    effective = [n for n in d.normative if n.effect != "neutral"]
    verdict = VERDICT_PHRASES.get(d.verdict, d.verdict)
    if not effective:
        return f"{base}; {verdict}"
    mixed = d.verdict == "mixed"
    rules = "; ".join(rule_change_phrase(n, with_effect=mixed) for n in effective)
    return f"{base}; {verdict}: {rules}"


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
    """`example changed: “Title”`, with the verdict reasons rewritten when there are some."""
    d = details_of(c, ExampleChanged)
    base = f"example changed: “{d.example}”"
    if not d.rationales:
        return base
    said = "; ".join(f"“{r.old}” → “{r.new}”" for r in d.rationales)
    what = "verdict reason" if len(d.rationales) == 1 else "verdict reasons"
    return f"{base} ({what} rewritten: {said})"


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


def quoted_value(value: str | None, limit: int = 60) -> str:
    """A front matter value in quotes, on one line and cut at `limit` characters."""
    if value is None:
        return "(none)"
    text = " ".join(value.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def metadata_changed_phrase(c: Change) -> str:
    """`front matter `version`: “1” → “2”` (or added, removed)."""
    d = details_of(c, MetadataChanged)
    if d.old is None:
        return f"front matter `{d.key}` added: {quoted_value(d.new)}"
    if d.new is None:
        return f"front matter `{d.key}` removed (was {quoted_value(d.old)})"
    return f"front matter `{d.key}`: {quoted_value(d.old)} → {quoted_value(d.new)}"


def other_text_changed_phrase(c: Change) -> str:
    """`text changed outside its prose, examples and commentary: removed “a”; added “b”`."""
    d = details_of(c, OtherTextChanged)
    parts = []
    if d.removed_words:
        parts.append("removed " + " ".join(f"“{w}”" for w in d.removed_words))
    if d.added_words:
        parts.append("added " + " ".join(f"“{w}”" for w in d.added_words))
    return "text changed outside its prose, examples and commentary: " + "; ".join(parts)
