"""The impact value: what a diff means for developers, users and regulators, as frozen data.

The report regroups a diff's changes by their consequence for an audience; the assessors
(`steerability`, `safeguards`, `evals`, `scope`) build the parts and `summary` the prose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from specver.diff.details import PolicyAdded, PolicyRemoved
from specver.spec.model import Change, Policy, SpecDiff

AUDIENCES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "all": ("steerability", "safeguards", "evals", "scope"),
        "developers": ("steerability", "evals"),
        "users": ("steerability", "safeguards"),
        "regulators": ("safeguards", "steerability", "evals", "scope"),
    }
)
"""The sections each audience sees, in the order it sees them."""

PARTY_NAMES: Mapping[str, str] = MappingProxyType(
    {"system": "system messages", "developer": "developers", "user": "users"}
)
"""How the plain-language summary names each party."""

TITLES_IN_SUMMARY = 3
"""At most this many policy titles are named in one summary sentence."""


# --- the impact value --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ControlShift:
    """A policy whose set of overriding parties changed (who gains or loses control)."""

    policy: str
    """Id in the new version (the old id for a removed policy)."""
    title: str
    old_id: str | None
    """Id in the old version; None for an added policy."""
    old_level: str | None
    """Authority as written before; None when the policy was absent or a grouping."""
    new_level: str | None
    """Authority as written after; None when the policy was removed."""
    cause: str
    """`authority_raised`, `authority_lowered`, `authority_changed`, `policy_added` or
    `policy_removed`."""
    overridable_before: tuple[str, ...]
    """Parties that could override it before (every party when it did not exist)."""
    overridable_after: tuple[str, ...]
    """Parties that can override it now (every party when it no longer exists)."""
    gained: tuple[str, ...]
    """Parties that can now override it."""
    lost: tuple[str, ...]
    """Parties that can no longer override it."""
    implicit_before: bool
    """Whether it could be overridden implicitly (from context) before."""
    implicit_after: bool
    """Whether it can be overridden implicitly now."""

    @property
    def direction(self) -> str:
        """`added` (a new rule), `removed` (a rule gone), `restricted` (harder to override),
        `relaxed` (easier) or `unchanged`."""
        if self.cause == "policy_added":
            return "added"
        if self.cause == "policy_removed":
            return "removed"
        if self.lost or (self.implicit_before and not self.implicit_after):
            return "restricted"
        if self.gained or (self.implicit_after and not self.implicit_before):
            return "relaxed"
        return "unchanged"


@dataclass(frozen=True, slots=True)
class LevelRename:
    """A whole authority level renamed (`platform` -> `root`)."""

    old: str
    new: str
    policies: tuple[str, ...]
    """Ids of the policies whose level was renamed."""
    control_changed: bool
    """False when the scheme treats both names alike: nobody gains or loses control."""


@dataclass(frozen=True, slots=True)
class Steerability:
    """Who may override what, before and after."""

    restricted: tuple[ControlShift, ...]
    """Policies that some party can no longer override (or no longer implicitly)."""
    relaxed: tuple[ControlShift, ...]
    """Policies that some party can now override (or now implicitly)."""
    unchanged: tuple[ControlShift, ...]
    """Authority changes that move nobody's control (levels the scheme does not rank)."""
    renames: tuple[LevelRename, ...]
    added: tuple[ControlShift, ...] = ()
    """New policies at a protected level: new rules, which nobody could override before
    because they did not exist (never "no longer overridable")."""
    removed: tuple[ControlShift, ...] = ()
    """Policies at a protected level that are gone: rules that no longer bind anyone."""

    def groups(self) -> tuple[tuple[str, tuple[ControlShift, ...]], ...]:
        """The non-empty groups of control shifts with the heading every report gives them."""
        labelled = (
            ("No longer overridable", self.restricted),
            ("Now overridable", self.relaxed),
            ("New rules", self.added),
            ("Rules removed", self.removed),
            ("Authority changed, control unchanged", self.unchanged),
        )
        return tuple((label, shifts) for label, shifts in labelled if shifts)


@dataclass(frozen=True, slots=True)
class SafeguardChange:
    """A change to a protected (root- or system-level) policy or to the strength of a rule."""

    policy: str
    """Id in the new version (the old id for a removed policy)."""
    title: str
    level: str | None
    """The policy's authority (current name of the level)."""
    kind: str
    """The change kind it comes from (`text_changed`, `example_verdict_changed`, ...)."""
    direction: str
    """`tightened`, `loosened` or `neutral`."""
    description: str
    """What changed, in a short phrase."""
    sentence: str = ""
    """For a rule-strength change, the sentence as it reads now (as it read, when dropped)."""


@dataclass(frozen=True, slots=True)
class RuleStatement:
    """One changed statement of a policy (see `specver.diff.normative`)."""

    effect: str
    """`tightened`, `loosened` or `neutral`."""
    rule: str
    """The id of the effect-table row that classified it."""
    before: str | None
    """The statement as it read; None when it is new."""
    after: str | None
    """The statement as it reads now; None when it is gone."""
    reason: str
    """One sentence quoting both versions."""


@dataclass(frozen=True, slots=True)
class PolicyRuleChanges:
    """What a text change did to one paired policy's rules."""

    policy: str
    title: str
    verdict: str
    """`tightened`, `loosened`, `mixed` or `unchanged`."""
    statements: tuple[RuleStatement, ...]
    """Only the changed statements."""


@dataclass(frozen=True, slots=True)
class EvalRerun:
    """A changed policy and the eval prompt files it cites."""

    policy: str
    title: str
    evals: tuple[str, ...]
    """Names of the cited eval files (`abcd` for `examples/abcd.md`)."""
    reasons: tuple[str, ...]
    """The change kinds that call for re-running them."""
    missing: tuple[str, ...] = ()
    """Cited files absent from the new version's examples/ folder."""
    dropped: tuple[str, ...] = ()
    """Eval files the policy cited before and no longer cites."""


@dataclass(frozen=True, slots=True)
class UncitedEval:
    """An eval file no policy of the new version cites."""

    name: str
    previously_cited_by: tuple[str, ...]
    """Old ids of the policies that cited it."""
    present: bool | None
    """Whether the file is still in examples/; None when no examples/ folder was read."""


@dataclass(frozen=True, slots=True)
class EvalImpact:
    """Which eval prompt files the release invalidates."""

    reruns: tuple[EvalRerun, ...]
    uncovered: tuple[str, ...]
    """Ids of changed policies that cite no eval file."""
    uncited: tuple[UncitedEval, ...]
    changed_files: tuple[str, ...]
    """Eval files whose content changed (when both versions have an examples/ folder)."""
    folder: str
    """The folder beside the spec that holds the eval prompt files (`examples`)."""

    def path(self, name: str) -> str:
        """The eval prompt file a footnote name stands for (`examples/name.md`)."""
        return f"{self.folder}/{name}.md"

    @property
    def files(self) -> tuple[str, ...]:
        """Every eval file to re-run, each once, sorted."""
        return tuple(sorted({e for r in self.reruns for e in r.evals}))


@dataclass(frozen=True, slots=True)
class LevelCount:
    """Policies at one authority level before and after."""

    level: str
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class Scope:
    """How much of the document changed."""

    levels: tuple[LevelCount, ...]
    """Counts per level (current names, scheme order, unknown levels last)."""
    groupings_before: int
    groupings_after: int
    policies_changed: int
    """Sections (policies and groupings) that a change names; a level rename alone does not
    count, since it leaves the policies as they were."""
    policies_total: int
    """Sections in either version (paired ones once)."""
    prose_chars_changed: int
    """Characters of prose deleted plus inserted."""
    prose_chars_total: int
    """Characters of prose in both versions together."""
    changes_by_kind: tuple[tuple[str, int], ...]

    @property
    def share_policies_changed(self) -> float:
        """Fraction of sections with a change."""
        return self.policies_changed / self.policies_total if self.policies_total else 0.0

    @property
    def share_prose_changed(self) -> float:
        """Characters deleted or inserted over all prose characters of both versions."""
        return self.prose_chars_changed / self.prose_chars_total if self.prose_chars_total else 0.0


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One compared input: how it was named and the digest of its bytes."""

    source: str
    sha256: str
    policies: int


@dataclass(frozen=True, slots=True)
class Impact:
    """The consequences of one diff, for one audience."""

    old: SourceRef
    new: SourceRef
    audience: str
    sections: tuple[str, ...]
    """The sections this audience sees, in order (see `AUDIENCES`)."""
    bump: str
    summary: tuple[str, ...]
    """Three to five plain-language sentences."""
    steerability: Steerability
    safeguards: tuple[SafeguardChange, ...]
    evals: EvalImpact
    scope: Scope
    rules: tuple[PolicyRuleChanges, ...]
    """One entry per paired policy whose text changed (every audience sees it)."""
    diff: SpecDiff = field(repr=False, compare=False)
    """The diff it was computed from (for reports that show the edits themselves)."""


def title_of(diff: SpecDiff, change: Change) -> str:
    """The title a change records, else its policy's title, else the policy id."""
    recorded = change.details.policy_title
    if recorded:
        return recorded
    policy = policy_of(diff, change)
    return policy.title if policy else str(change.policy)


def policy_of(diff: SpecDiff, change: Change) -> Policy | None:
    """The policy a change names: the new one, or the old one when it was removed."""
    if change.policy is None:
        return None
    if change.kind == "policy_removed":
        return diff.old.get(change.policy)
    return diff.new.get(change.policy)


def recorded_level(change: Change) -> str | None:
    """The authority an added or removed policy's change records; None for other kinds."""
    details = change.details
    return details.authority if isinstance(details, PolicyAdded | PolicyRemoved) else None
