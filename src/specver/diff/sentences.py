"""Each change kind's changelog sentence, as a maintainer would have written it.

A sentence (`Adds **Title** (`id`, root).`) describes one change, or a batch of changes of
one kind; it is written once and styled twice (escaped Markdown, plain text) by a `Style`,
so spec text never injects markup. `diff.kinds.KINDS` says which function writes which
kind's sentences; `release/changelog/entry.py` batches changes, groups and styles them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from specver.config import AuthorityScheme
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
from specver.diff.lists import ListChange, list_changes
from specver.diff.phrases import quoted_value
from specver.diff.verdicts import rule_clauses
from specver.spec.model import Change, Spec, SpecDiff
from specver.wording import Style, plural, series


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """What sentences may look up: both specs, the scheme, and merges that absorbed moves."""

    diff: SpecDiff
    scheme: AuthorityScheme
    absorbed: Mapping[str, int] = field(default_factory=dict)
    """Merged (removed) policy id -> how many of its children moved with it."""

    def list_changes(self, change: Change) -> tuple[ListChange, ...]:
        """The items the lists of a change's policy gained and lost between the versions."""
        if change.policy is None:
            return ()
        new = self.diff.new.get(change.policy)
        old_id = self.diff.old_id(change.policy)
        old = self.diff.old.get(old_id) if old_id else None
        if old is None or new is None:
            return ()
        return list_changes(old.prose, new.prose)

    def title(self, policy: str | None, change: Change | None = None) -> str:
        """The title the change records, else the policy's in the new version, the old, its id."""
        recorded = change.details.policy_title if change is not None else None
        if recorded:
            return recorded
        if policy is None:
            return ""
        found = self.diff.new.get(policy) or self.diff.old.get(policy)
        return found.title if found else policy


Sentence = Callable[[tuple[Change, ...], SentenceContext, Style], str]
"""Writes one changelog sentence for a batch of changes of one kind (most batches hold one)."""


def _ref(st: Style, title: str, policy: str, extra: str | None = None) -> str:
    """`**Title** (`id`)` or `**Title** (`id`, extra)`."""
    inner = st.code(policy) + (f", {st.text(extra)}" if extra else "")
    return f"{st.bold(title)} ({inner})"


def _own_ref(c: Change, ctx: SentenceContext, st: Style) -> str:
    """The reference to the policy a change names."""
    return _ref(st, ctx.title(c.policy, c), str(c.policy))


def authority_level_renamed_sentence(
    cs: tuple[Change, ...], ctx: SentenceContext, st: Style
) -> str:
    """`Renames the `platform` authority level to `root` (17 policies).`"""
    d = details_of(cs[0], AuthorityLevelRenamed)
    count = plural(len(d.policies), "policy", "policies")
    return f"Renames the {st.code(d.old)} authority level to {st.code(d.new)} ({count})."


def authority_changed_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Raises **Title** (`id`) from user to developer: ...`, or lowers, sets, clears."""
    c = cs[0]
    d = details_of(c, AuthorityChanged)
    old, new, direction = d.old, d.new, d.direction
    ref = _own_ref(c, ctx, st)
    if direction == "set":
        return f"Gives {ref} the authority level {st.text(str(new))}."
    if direction == "cleared":
        return f"Removes the authority level from {ref} (it was {st.text(str(old))})."
    span = f"from {st.text(str(old))} to {st.text(str(new))}"
    before, after = ctx.scheme.overriders(old), ctx.scheme.overriders(new)
    if direction == "lowered":
        gained = [x for x in after if x not in before]  # overriders are parties only
        clause = f": {series(gained)} messages can now override it" if gained else ""
        return f"Lowers {ref} {span}{clause}."
    if direction == "raised":
        lost = [x for x in before if x not in after]
        clause = f": {series(lost)} messages can no longer override it" if lost else ""
        return f"Raises {ref} {span}{clause}."
    return f"Changes the authority of {ref} {span}."


def policy_added_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Adds **Title** (`id`, root).`"""
    c = cs[0]
    level = details_of(c, PolicyAdded).authority
    if level is None:
        return f"Adds the section {_own_ref(c, ctx, st)}."
    return f"Adds {_ref(st, ctx.title(c.policy, c), str(c.policy), level)}."


def policy_removed_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Removes **Title** (`id`, root).`, or `Merges ... into ...`."""
    c = cs[0]
    d = details_of(c, PolicyRemoved)
    title, policy = ctx.title(c.policy, c), str(c.policy)
    if d.merged_into:
        target = _ref(st, ctx.title(d.merged_into), d.merged_into)
        moved = ctx.absorbed.get(policy, 0)
        held = "" if not moved else f", with the {plural(moved, 'policy', 'policies')} it held"
        if moved == 1:
            held = ", with the policy it held"
        return f"Merges {_ref(st, title, policy)} into {target}{held}."
    if d.authority is None:
        return f"Removes the section {_ref(st, title, policy)}."
    return f"Removes {_ref(st, title, policy, d.authority)}."


def policy_renamed_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Renames **Old** (`old_id`) to **New** (`new_id`).`"""
    d = details_of(cs[0], PolicyRenamed)
    if d.old_title == d.new_title:
        return (
            f"Renames the id of {st.bold(d.new_title)} from {st.code(d.old_id)} "
            f"to {st.code(d.new_id)}."
        )
    return f"Renames {_ref(st, d.old_title, d.old_id)} to {_ref(st, d.new_title, d.new_id)}."


def policy_retitled_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Retitles **Old** (`id`) as **New**.`"""
    d = details_of(cs[0], PolicyRetitled)
    old = _ref(st, d.old_title, str(cs[0].policy))
    return f"Retitles {old} as {st.bold(d.new_title)}."


def _parent(policy: str | None, spec: Spec, st: Style) -> str:
    if policy is None:
        return "the top level"
    found = spec.get(policy)
    return st.bold(found.title if found else policy)


def policy_moved_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Moves **Title** (`id`) from **Parent** to the top level.`"""
    c = cs[0]
    d = details_of(c, PolicyMoved)
    old = _parent(d.old_parent, ctx.diff.old, st)
    new = _parent(d.new_parent, ctx.diff.new, st)
    return f"Moves {_own_ref(c, ctx, st)} from {old} to {new}."


def tags_changed_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Tags **Title** (`id`) as `a`.`, or removes or changes its tags."""
    c = cs[0]
    d = details_of(c, TagsChanged)
    ref = _own_ref(c, ctx, st)
    added = [st.code(t) for t in d.added]
    removed = [st.code(t) for t in d.removed]
    if added and not removed:
        return f"Tags {ref} as {series(added)}."
    if removed and not added:
        word = "tag" if len(removed) == 1 else "tags"
        return f"Removes the {word} {series(removed)} from {ref}."
    return f"Changes the tags of {ref}: adds {series(added)}; removes {series(removed)}."


def text_changed_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Tightens **Title** (`id`): “should” is now “must”: “…”.`, `Copy-edits ...`.

    The verb comes from the policy's verdict and the clauses say what changed in its rules
    and lists (`diff.verdicts`); a batch of several plain revisions (rules unchanged) gets
    one sentence.
    """
    c = cs[0]
    d = details_of(c, TextChanged)
    ref = _own_ref(c, ctx, st)
    if d.change == "copyedit":
        return f"Copy-edits {ref}."
    if len(cs) > 1:
        refs = [_own_ref(x, ctx, st) for x in cs]
        return f"Revises the text of {len(refs)} policies: {series(refs)}."
    clauses = rule_clauses(d.normative, ctx.list_changes(c), st)
    if not clauses:
        return f"Revises the text of {ref}."
    verb = VERDICT_VERBS.get(d.verdict, "Revises")
    return f"{verb} {ref}: {'; '.join(clauses)}."


VERDICT_VERBS = {"tightened": "Tightens", "loosened": "Loosens", "mixed": "Tightens and loosens"}
"""The verb a changelog line gives a policy's verdict (docs/normative.md)."""


def commentary_changed_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Adds commentary to **Title** (`id`).`, or removes or updates it."""
    c = cs[0]
    d = details_of(c, CommentaryChanged)
    ref = _own_ref(c, ctx, st)
    if not d.before:
        return f"Adds commentary to {ref}."
    if not d.after:
        return f"Removes the commentary from {ref}."
    return f"Updates the commentary on {ref}."


def _example_title(c: Change) -> str:
    """The title of the worked example an added, removed or changed example change names."""
    details = c.details
    if not isinstance(details, ExampleAdded | ExampleRemoved | ExampleChanged):
        raise TypeError(f"{c.kind} change is not about one worked example")
    return details.example


def examples_sentence(verb: str, preposition: str) -> Sentence:
    """A sentence for a batch of example changes of one policy: `Adds 2 examples to ...: A, B.`"""

    def sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
        ref = _own_ref(cs[0], ctx, st)
        titles = [f"“{st.text(_example_title(c))}”" for c in cs]
        reasons = sum(
            len(c.details.rationales) for c in cs if isinstance(c.details, ExampleChanged)
        )
        why = f", rewriting the reasons of {plural(reasons, 'verdict')}" if reasons > 1 else ""
        why = ", rewriting the reason of a verdict" if reasons == 1 else why
        if len(titles) == 1:
            return f"{verb} the example {titles[0]} {preposition} {ref}{why}."
        return f"{verb} {len(titles)} examples {preposition} {ref}{why}: {series(titles)}."

    return sentence


def example_moved_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Moves the example “E” from **A** (`a`) to **B** (`b`).`"""
    c = cs[0]
    d = details_of(c, ExampleMoved)
    source = d.old_policy
    return (
        f"Moves the example “{st.text(d.example)}” from "
        f"{_ref(st, ctx.title(source), source)} to {_own_ref(c, ctx, st)}."
    )


def example_verdict_changed_sentence(
    cs: tuple[Change, ...], ctx: SentenceContext, st: Style
) -> str:
    """`Reverses a verdict in the example “E” of **Title** (`id`): GOOD → BAD.`"""
    c = cs[0]
    d = details_of(c, ExampleVerdictChanged)
    flips = [f"{a.old} → {a.new}" for a in d.answers]
    what = "a verdict" if len(flips) == 1 else f"{len(flips)} verdicts"
    example = st.text(d.example)
    return (
        f"Reverses {what} in the example “{example}” of {_own_ref(c, ctx, st)}: {', '.join(flips)}."
    )


def reference_broken_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`**Title** (`id`) now refers to `#x`, which no longer exists.`"""
    c = cs[0]
    target = st.code("#" + details_of(c, ReferenceBroken).target)
    return f"{_own_ref(c, ctx, st)} now refers to {target}, which no longer exists."


def metadata_changed_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Changes `version` in the front matter from “1” to “2”.` (or adds, removes)."""
    d = details_of(cs[0], MetadataChanged)
    key = st.code(d.key)
    if d.old is None:
        return f"Adds {key} to the front matter: {st.text(quoted_value(d.new))}."
    if d.new is None:
        return f"Removes {key} from the front matter (it was {st.text(quoted_value(d.old))})."
    old, new = st.text(quoted_value(d.old)), st.text(quoted_value(d.new))
    return f"Changes {key} in the front matter from {old} to {new}."


def other_text_changed_sentence(cs: tuple[Change, ...], ctx: SentenceContext, st: Style) -> str:
    """`Revises text of **Title** (`id`) outside its prose, examples and commentary.`"""
    details_of(cs[0], OtherTextChanged)
    return f"Revises text of {_own_ref(cs[0], ctx, st)} outside its prose, examples and commentary."
