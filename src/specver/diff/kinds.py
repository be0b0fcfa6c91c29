"""The one table of change kinds: everything specver knows about each kind, in one row.

A row gives a kind's typed details (`diff/details.py`), its bump level and the variants
that refine it (`text_changed.copyedit`, `policy_removed.merged`), its changelog group and
sentence, its phrase in reports, its role in an impact report, whether it calls for
re-running evals, and how fork comparison treats it. Classification, versioning, the
changelog, impact, fork, history and every renderer read this table; a test checks that
every kind appears in every view. `.specver.yaml` may override levels by kind or variant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from specver.config import BUMP_LEVELS
from specver.diff import phrases, sentences
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
)
from specver.spec.model import Change, ChangeDetails, SpecDiff

GROUPS: tuple[str, ...] = ("Added", "Changed", "Removed")
"""Changelog entry sections in the order they are written, Keep a Changelog's own (a spec
has nothing to deprecate, fix or patch for security); empty ones are left out."""

ROLES: Mapping[str, str] = MappingProxyType(
    {
        "control": "a policy moved between levels: a control shift (a safeguard if protected)",
        "arrival": "a new policy: a control shift and a safeguard when its level is protected",
        "departure": "a policy gone: a control shift and a safeguard when it was protected",
        "rename": "a whole level renamed: reported apart, it moves nobody's control by itself",
        "rule": "changes rules' strength: a safeguard at any level",
        "verdict": "reverses an example's verdict: a safeguard at any level",
        "content": "other content: a neutral safeguard when the policy is protected",
        "metadata": "the document's front matter: counted in the scope, no policy's control",
    }
)
"""The roles a change kind plays in an impact report, and what each means there."""


@dataclass(frozen=True, slots=True)
class Variant:
    """How one variant of a kind (or the kind itself, when it has none) is treated."""

    key: str
    """`kind` or `kind.variant`: the key of `.specver.yaml` `bump:` overrides."""
    level: str
    """The bump level it calls for unless overridden."""
    group: str
    """The changelog section it is written under."""
    reruns_evals: bool
    """Whether it invalidates the evals the policy cites."""
    summarized: bool = False
    """Counted in a closing line (copy edits) or left out of a changelog, unless `--all`."""


@dataclass(frozen=True, slots=True)
class Kind:
    """One change kind and everything every view needs to know about it."""

    name: str
    details: type[ChangeDetails]
    """The frozen dataclass its changes carry; its fields are the JSON contract's."""
    level: str
    group: str
    role: str
    """Its part in an impact report (a key of `ROLES`)."""
    reruns_evals: bool
    phrase: phrases.Phrase
    """A few plain words for one change, in terminal, Markdown and HTML reports."""
    sentence: sentences.Sentence
    """The changelog sentence for a batch of its changes."""
    variants: tuple[Variant, ...] = ()
    """Refinements with their own level or treatment, chosen by `details.variant`."""
    summarized: bool = False
    batched: bool = False
    """Written as one changelog sentence per policy rather than one per change."""
    safeguard_plural: str | None = None
    """How several neutral safeguard items of this kind for one policy are summed up."""
    edits_base: bool = True
    """Whether it edits a policy the base version has (fork comparison)."""
    derived: bool = False
    """Whether it follows from other changes rather than being one (kept out of fork sides)."""
    names_policy: bool = True
    """Whether its changes name a policy (a level rename and the front matter name none)."""

    def __post_init__(self) -> None:
        if self.details.kind != self.name:
            raise ValueError(f"{self.details.__name__} is the details of {self.details.kind}")
        if self.level not in BUMP_LEVELS or self.group not in GROUPS or self.role not in ROLES:
            raise ValueError(f"{self.name}: unknown level, changelog group or impact role")

    @property
    def base(self) -> Variant:
        """The kind's own treatment, for changes that are none of its variants."""
        return Variant(self.name, self.level, self.group, self.reruns_evals, self.summarized)

    def variant(self, name: str | None) -> Variant:
        """The treatment of the variant with this name, the kind's own when it has none such."""
        key = f"{self.name}.{name}"
        return next((v for v in self.variants if v.key == key), self.base)


KINDS: tuple[Kind, ...] = (
    Kind(
        "metadata_changed",
        MetadataChanged,
        level="patch",
        group="Changed",
        role="metadata",
        reruns_evals=False,
        phrase=phrases.metadata_changed_phrase,
        sentence=sentences.metadata_changed_sentence,
        edits_base=False,
        names_policy=False,
    ),
    Kind(
        "policy_added",
        PolicyAdded,
        level="minor",
        group="Added",
        role="arrival",
        reruns_evals=True,
        phrase=phrases.policy_added_phrase,
        sentence=sentences.policy_added_sentence,
        edits_base=False,
    ),
    Kind(
        "policy_removed",
        PolicyRemoved,
        level="major",
        group="Removed",
        role="departure",
        reruns_evals=True,
        phrase=phrases.policy_removed_phrase,
        sentence=sentences.policy_removed_sentence,
        variants=(Variant("policy_removed.merged", "minor", "Changed", reruns_evals=True),),
    ),
    Kind(
        "policy_renamed",
        PolicyRenamed,
        level="minor",
        group="Changed",
        role="content",
        reruns_evals=False,
        phrase=phrases.policy_renamed_phrase,
        sentence=sentences.policy_renamed_sentence,
    ),
    Kind(
        "policy_retitled",
        PolicyRetitled,
        level="patch",
        group="Changed",
        role="content",
        reruns_evals=False,
        phrase=phrases.policy_retitled_phrase,
        sentence=sentences.policy_retitled_sentence,
    ),
    Kind(
        "policy_moved",
        PolicyMoved,
        level="minor",
        group="Changed",
        role="content",
        reruns_evals=False,
        phrase=phrases.policy_moved_phrase,
        sentence=sentences.policy_moved_sentence,
    ),
    Kind(
        "authority_level_renamed",
        AuthorityLevelRenamed,
        level="major",
        group="Changed",
        role="rename",
        reruns_evals=False,
        phrase=phrases.authority_level_renamed_phrase,
        sentence=sentences.authority_level_renamed_sentence,
        edits_base=False,
        names_policy=False,
    ),
    Kind(
        "authority_changed",
        AuthorityChanged,
        level="major",
        group="Changed",
        role="control",
        reruns_evals=True,
        phrase=phrases.authority_changed_phrase,
        sentence=sentences.authority_changed_sentence,
    ),
    Kind(
        "tags_changed",
        TagsChanged,
        level="patch",
        group="Changed",
        role="content",
        reruns_evals=False,
        phrase=phrases.tags_changed_phrase,
        sentence=sentences.tags_changed_sentence,
    ),
    Kind(
        "text_changed",
        TextChanged,
        level="minor",
        group="Changed",
        role="rule",
        reruns_evals=True,
        phrase=phrases.text_changed_phrase,
        sentence=sentences.text_changed_sentence,
        variants=(
            Variant("text_changed.substantive", "minor", "Changed", reruns_evals=True),
            Variant(
                "text_changed.copyedit", "patch", "Changed", reruns_evals=False, summarized=True
            ),
        ),
    ),
    Kind(
        "commentary_changed",
        CommentaryChanged,
        level="patch",
        group="Changed",
        role="content",
        reruns_evals=False,
        phrase=phrases.commentary_changed_phrase,
        sentence=sentences.commentary_changed_sentence,
    ),
    Kind(
        "example_added",
        ExampleAdded,
        level="minor",
        group="Added",
        role="content",
        reruns_evals=True,
        phrase=phrases.example_added_phrase,
        sentence=sentences.examples_sentence("Adds", "to"),
        batched=True,
        safeguard_plural="examples added",
    ),
    Kind(
        "example_removed",
        ExampleRemoved,
        level="minor",
        group="Removed",
        role="content",
        reruns_evals=True,
        phrase=phrases.example_removed_phrase,
        sentence=sentences.examples_sentence("Removes", "from"),
        batched=True,
        safeguard_plural="examples removed",
    ),
    Kind(
        "example_changed",
        ExampleChanged,
        level="minor",
        group="Changed",
        role="content",
        reruns_evals=True,
        phrase=phrases.example_changed_phrase,
        sentence=sentences.examples_sentence("Revises", "in"),
        batched=True,
        safeguard_plural="examples changed",
    ),
    Kind(
        "example_moved",
        ExampleMoved,
        level="minor",
        group="Changed",
        role="content",
        reruns_evals=True,
        phrase=phrases.example_moved_phrase,
        sentence=sentences.example_moved_sentence,
        safeguard_plural="examples moved here",
    ),
    Kind(
        "example_verdict_changed",
        ExampleVerdictChanged,
        level="major",
        group="Changed",
        role="verdict",
        reruns_evals=True,
        phrase=phrases.example_verdict_changed_phrase,
        sentence=sentences.example_verdict_changed_sentence,
    ),
    Kind(
        "reference_broken",
        ReferenceBroken,
        level="patch",
        group="Changed",
        role="content",
        reruns_evals=False,
        phrase=phrases.reference_broken_phrase,
        sentence=sentences.reference_broken_sentence,
        summarized=True,
        edits_base=False,
        derived=True,
    ),
    Kind(
        "other_text_changed",
        OtherTextChanged,
        level="minor",
        group="Changed",
        role="content",
        reruns_evals=True,
        phrase=phrases.other_text_changed_phrase,
        sentence=sentences.other_text_changed_sentence,
    ),
)
"""Every change kind, in the order its changes are reported."""

BY_NAME: Mapping[str, Kind] = MappingProxyType({k.name: k for k in KINDS})
"""Each kind's row by its name."""

KIND_NAMES: tuple[str, ...] = tuple(BY_NAME)
"""Every change kind's name, in the order changes are reported."""

LEVELS: Mapping[str, str] = MappingProxyType(
    {v.key: v.level for k in KINDS for v in (k.base, *k.variants)}
)
"""Bump level per kind and per `kind.variant`: every key `.specver.yaml` may override."""


def kind_of(change: Change) -> Kind:
    """The table's row for a change's kind."""
    return BY_NAME[change.kind]


def variant_of(change: Change) -> Variant:
    """How a change is treated: its variant's row, or its kind's own."""
    return kind_of(change).variant(change.details.variant)


def level_key(change: Change) -> str:
    """The most specific `LEVELS` key for a change (`text_changed.copyedit`, ...)."""
    return variant_of(change).key


def change_level(change: Change, overrides: Mapping[str, str] | None = None) -> str:
    """The bump level of one change: an override for its variant or kind, else the table's."""
    variant = variant_of(change)
    if overrides:
        for key in (variant.key, change.kind):
            if key in overrides:
                return overrides[key]
    return variant.level


def unknown_level_keys(keys: Iterable[str]) -> tuple[str, ...]:
    """The keys that name no kind or variant of the table (typos in `bump:` overrides)."""
    return tuple(k for k in keys if k not in LEVELS)


def describe(change: Change) -> str:
    """A short plain-text phrase saying what one change is."""
    return kind_of(change).phrase(change)


def level_renames(diff: SpecDiff) -> tuple[AuthorityLevelRenamed, ...]:
    """The whole authority levels a diff renames (old name, new name, policies moved)."""
    return tuple(c.details for c in diff.changes if isinstance(c.details, AuthorityLevelRenamed))
