"""The typed details of each change kind: one frozen dataclass per kind.

A class's fields, in order, are its kind's fields in the `specver.diff/1` JSON contract
(docs/diff.md), so the contract is written down once, here. `kind` names the kind and
`variant` says which refinement of it a change is (`text_changed.copyedit`,
`policy_removed.merged`), the key `.specver.yaml` may give its own bump level.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from specver.diff.normative import StatementChange
from specver.spec.model import Change, ChangeDetails


@dataclass(frozen=True, slots=True)
class PolicyAdded(ChangeDetails):
    """A policy the new version has and the old one had no counterpart for."""

    kind = "policy_added"
    title: str
    authority: str | None
    """Its authority level as written; None for a grouping section."""
    parent: str | None
    """Id of the section it sits under; None at the top level."""


@dataclass(frozen=True, slots=True)
class PolicyRemoved(ChangeDetails):
    """A policy of the old version the new one has no counterpart for."""

    kind = "policy_removed"
    title: str
    authority: str | None
    merged_into: str | None
    """The one section that took in its surviving children or all its worked examples."""

    @property
    def variant(self) -> str | None:
        """`merged` when another section took in what the removed one held."""
        return "merged" if self.merged_into else None


@dataclass(frozen=True, slots=True)
class PolicyRenamed(ChangeDetails):
    """A policy whose explicit id changed."""

    kind = "policy_renamed"
    old_id: str
    new_id: str
    old_title: str
    new_title: str
    title: str
    similarity: float
    """Content similarity of the pair, in [0, 1]."""
    matched_by: str
    """What paired them: `title` or `similarity`."""


@dataclass(frozen=True, slots=True)
class PolicyRetitled(ChangeDetails):
    """A policy with a new title (same id, or a slug id following its heading)."""

    kind = "policy_retitled"
    old_title: str
    new_title: str
    title: str


@dataclass(frozen=True, slots=True)
class PolicyMoved(ChangeDetails):
    """A policy now under another parent section (sibling order is ignored)."""

    kind = "policy_moved"
    old_parent: str | None
    """The old parent's id; None at the top level."""
    new_parent: str | None
    title: str


@dataclass(frozen=True, slots=True)
class AuthorityLevelRenamed(ChangeDetails):
    """A whole authority level renamed (`platform` -> `root`); it names no single policy."""

    kind = "authority_level_renamed"
    old: str
    new: str
    policies: tuple[str, ...]
    """New ids of the policies whose level was renamed."""
    direction: str = "renamed"


@dataclass(frozen=True, slots=True)
class AuthorityChanged(ChangeDetails):
    """A policy moved to another authority level."""

    kind = "authority_changed"
    old: str | None
    new: str | None
    direction: str
    """`raised`, `lowered`, `set`, `cleared` or `changed` (a level the scheme cannot rank)."""
    title: str


@dataclass(frozen=True, slots=True)
class TagsChanged(ChangeDetails):
    """Tags added to or removed from a policy."""

    kind = "tags_changed"
    added: tuple[str, ...]
    removed: tuple[str, ...]
    title: str


@dataclass(frozen=True, slots=True)
class TextChanged(ChangeDetails):
    """A policy's prose edited: a copy edit or a substantive change."""

    kind = "text_changed"
    change: str
    """`copyedit` or `substantive`."""
    similarity: float
    """rapidfuzz ratio of the two texts, in [0, 1] (for tools; reports show `words_changed`)."""
    words_changed: int
    """Words deleted or inserted, a replaced run counted by its longer side."""
    verdict: str
    """What the edit did to the rules: `tightened`, `loosened`, `mixed` or `unchanged`."""
    normative: tuple[StatementChange, ...]
    """The changed statements (none for a copy edit), see docs/normative.md."""
    title: str

    @property
    def variant(self) -> str | None:
        """`copyedit` or `substantive`."""
        return self.change


@dataclass(frozen=True, slots=True)
class CommentaryChanged(ChangeDetails):
    """Commentary blocks of a policy added, removed or edited."""

    kind = "commentary_changed"
    before: int
    """Number of commentary blocks before."""
    after: int
    title: str


@dataclass(frozen=True, slots=True)
class ExampleAdded(ChangeDetails):
    """A worked example that is new in a policy."""

    kind = "example_added"
    example: str
    """The example's title."""
    title: str


@dataclass(frozen=True, slots=True)
class ExampleRemoved(ChangeDetails):
    """A worked example a policy no longer has (and that moved nowhere)."""

    kind = "example_removed"
    example: str
    title: str


@dataclass(frozen=True, slots=True)
class ExampleChanged(ChangeDetails):
    """A worked example edited in place."""

    kind = "example_changed"
    example: str
    """Its title now."""
    old_example: str
    """Its title before."""
    similarity: float
    verdicts_changed: bool
    """A verdict changed without a GOOD/BAD reversal (to or from OK)."""
    title: str
    rationales: tuple[RationaleChange, ...] = ()
    """Each answer whose verdict reason or cited policies were rewritten (answers whose
    verdict reversed are left to `example_verdict_changed`)."""


@dataclass(frozen=True, slots=True)
class RationaleChange:
    """One candidate answer whose verdict comment says something else now."""

    answer: str
    """The answer's text on one line, cut to 100 characters."""
    old: str
    """The reason before (`BAD: why`), empty when there was none."""
    new: str
    old_cites: tuple[str, ...]
    """Policies the verdict cited before, by the ids they have now."""
    new_cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExampleMoved(ChangeDetails):
    """A worked example that left one policy and arrived, (nearly) unchanged, in another."""

    kind = "example_moved"
    example: str
    old_policy: str
    """The id, in the new version, of the policy it left."""
    similarity: float
    title: str


@dataclass(frozen=True, slots=True)
class VerdictFlip:
    """One candidate answer whose verdict flipped between GOOD and BAD."""

    answer: str
    """The answer's text on one line, cut to 100 characters."""
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ExampleVerdictChanged(ChangeDetails):
    """A worked example whose verdicts reversed (GOOD <-> BAD) on some answers."""

    kind = "example_verdict_changed"
    example: str
    answers: tuple[VerdictFlip, ...]
    title: str


@dataclass(frozen=True, slots=True)
class ReferenceBroken(ChangeDetails):
    """A cross reference in the new version whose target is missing (and was not before)."""

    kind = "reference_broken"
    target: str
    target_existed: bool
    """Whether the old version had the target."""
    title: str


@dataclass(frozen=True, slots=True)
class MetadataChanged(ChangeDetails):
    """A front matter key added, removed or given another value; it names no policy."""

    kind = "metadata_changed"
    key: str
    """The top-level key, or `(front matter)` for a block compared as opaque text."""
    old: str | None
    """The value before (a string as written, other values as compact JSON); None when
    the key was added."""
    new: str | None
    """The value now; None when the key was removed."""


@dataclass(frozen=True, slots=True)
class OtherTextChanged(ChangeDetails):
    """The safety net: a section's region holds other words although no other change
    names it (an edit in a place no other rule reads)."""

    kind = "other_text_changed"
    removed_words: tuple[str, ...]
    """Up to 12 words gone, in text order."""
    added_words: tuple[str, ...]
    """Up to 12 words new, in text order."""
    title: str


D = TypeVar("D", bound=ChangeDetails)


def details_of(change: Change, cls: type[D]) -> D:
    """A change's details as the class its kind uses; TypeError for a change of another kind."""
    details = change.details
    if not isinstance(details, cls):
        raise TypeError(f"{change.kind} change has no {cls.__name__} details")
    return details
