"""The values of `specver forks`: each fork against its base, and what the network says.

Every value is frozen; the renderers read them and compute nothing. `ForkNetwork` is the
whole result: the forks in input order, the policies they changed (ranked), the identical
edits several forks made, the new policies several forks added, and the forks that could
not be read.
"""

from __future__ import annotations

from dataclasses import dataclass

from specver.fork.compare import Drift
from specver.spec.model import Change

VERDICTS = (
    "tightened",
    "loosened",
    "mixed",
    "rewritten",
    "removed",
    "authority_raised",
    "authority_lowered",
    "renamed",
    "other",
)
"""How one fork changed one policy, strongest signal first (a heatmap cell shows the first of
a fork's labels in this order): the rule verdict of its text edit (`tightened`, `loosened`,
`mixed`; `rewritten` when the prose was rewritten without changing a rule), `removed`,
the authority level raised or lowered, `renamed` (a new id or a new title), and `other`
(examples, commentary, tags, place in the outline, copy edits)."""


@dataclass(frozen=True, slots=True)
class Behind:
    """How far upstream has gone since a fork's base."""

    commits: int
    """Upstream commits after the base (reachable from upstream, not from the base)."""
    releases: tuple[str, ...]
    """Tags of the upstream releases after the base, oldest first."""


@dataclass(frozen=True, slots=True)
class Release:
    """An upstream version a fork may be based on: a tagged release, or upstream itself."""

    label: str
    """How reports name its spec: `TAG:PATH`, `COMMIT:PATH` or the upstream file."""
    commit: str | None
    """Its commit id; None when upstream is a plain file."""
    tags: tuple[str, ...]
    """Its tag names; empty for upstream's untagged tip."""


@dataclass(frozen=True, slots=True)
class ForkBase:
    """The version of upstream a fork is compared with."""

    label: str
    """The base spec's source, e.g. `v2025.04.11:model_spec.md` or `3f2a9c1e0b7d:model_spec.md`."""
    commit: str | None
    """The merge base's commit id, or the detected release's; None without git."""
    release: str | None
    """The release's tag when the base is a tagged commit (first tag by name)."""
    detected: bool
    """True when git knows no merge base and the base is the upstream release whose
    section digests the fork shares most."""
    shared_sections: int | None = None
    """For a detected base: how many of the fork's sections are identical to the base's."""


@dataclass(frozen=True, slots=True)
class PolicyEdit:
    """What one fork did to one upstream policy."""

    policy: str
    """The policy's id upstream (its id in the base when upstream no longer has it)."""
    fork_policy: str
    """The id the policy has in the fork (the base id when the fork removed it)."""
    title: str
    verdicts: tuple[str, ...]
    """The fork's labels for this policy (see `VERDICTS`), in `VERDICTS` order."""
    changes: tuple[Change, ...]

    @property
    def verdict(self) -> str:
        """The label a heatmap cell shows: the first of `verdicts`."""
        return self.verdicts[0] if self.verdicts else "other"


@dataclass(frozen=True, slots=True)
class AddedPolicy:
    """A policy a fork added (no counterpart in its base)."""

    fork: str
    policy: str
    """Its id in the fork."""
    title: str
    prose: str


@dataclass(frozen=True, slots=True)
class ForkResult:
    """One fork compared with its base (`ours`) and with upstream (drift)."""

    name: str
    source: str
    """The fork's spec as read: `REMOTE/main:PATH`, `CLONE:PATH` or a file path."""
    base: ForkBase
    behind: Behind
    changes: tuple[Change, ...]
    """The fork's own changes since its base: the fork report's `ours`."""
    edits: tuple[PolicyEdit, ...]
    """Its changes per upstream policy, in the fork's order (added policies are not edits)."""
    added: tuple[AddedPolicy, ...]
    drift: Drift
    """Sections differing between the fork and upstream now."""

    @property
    def unchanged(self) -> bool:
        """Whether the fork is an unchanged copy of its base (no change of its own)."""
        return not self.changes


@dataclass(frozen=True, slots=True)
class VerdictCounts:
    """Per label, how many forks changed a policy that way (a fork counts once per label)."""

    tightened: int = 0
    loosened: int = 0
    mixed: int = 0
    rewritten: int = 0
    removed: int = 0
    authority_raised: int = 0
    authority_lowered: int = 0
    renamed: int = 0
    other: int = 0

    def items(self) -> tuple[tuple[str, int], ...]:
        """(label, count) in `VERDICTS` order."""
        return tuple((name, getattr(self, name)) for name in VERDICTS)


@dataclass(frozen=True, slots=True)
class PolicyTally:
    """One upstream policy and the forks that changed it."""

    policy: str
    title: str
    forks: tuple[str, ...]
    """Names of the forks that changed it, in input order."""
    verdicts: VerdictCounts


@dataclass(frozen=True, slots=True)
class SharedEdit:
    """The same change (same words removed and added, same kind, same policy) made by
    several forks, whatever base each has."""

    policy: str
    """The upstream id of the policy (the fork's id for a policy the forks added)."""
    kind: str
    removed: tuple[str, ...]
    added: tuple[str, ...]
    forks: tuple[str, ...]
    fingerprint: str
    """`classify.fingerprint` over the kind, the upstream id and the words."""
    example: Change
    """The change as the first of the forks made it."""


@dataclass(frozen=True, slots=True)
class NewPolicyGroup:
    """Policies forks added, grouped by the same id, a similar title or similar text."""

    title: str
    """The title most of the group's forks gave it."""
    forks: tuple[str, ...]
    similar_to: tuple[str, ...]
    """The group's other titles (variants of the same policy in other forks)."""
    ids: tuple[str, ...]
    """The ids the forks gave it."""
    upstream: str | None
    """An upstream policy with the same id or similar text, when there is one (a fork may
    have added what upstream added later)."""


@dataclass(frozen=True, slots=True)
class SkippedFork:
    """A fork that could not be compared, and why."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class UpstreamInfo:
    """The upstream spec the network is compared with."""

    source: str
    sha256: str
    policies: int
    """Its number of sections."""
    commit: str | None
    releases: tuple[Release, ...]
    """The versions a fork without a merge base may be based on, oldest first."""


@dataclass(frozen=True, slots=True)
class ForkNetwork:
    """Everything `specver forks` found."""

    upstream: UpstreamInfo
    forks: tuple[ForkResult, ...]
    policies: tuple[PolicyTally, ...]
    """Upstream policies changed by at least one fork, most forks first."""
    shared_edits: tuple[SharedEdit, ...]
    """Identical edits made by two forks or more, most forks first."""
    new_policies: tuple[NewPolicyGroup, ...]
    """Policies forks added, grouped by similarity, most forks first."""
    skipped: tuple[SkippedFork, ...]

    @property
    def unchanged(self) -> tuple[ForkResult, ...]:
        """The forks that are unchanged copies of their base."""
        return tuple(f for f in self.forks if f.unchanged)

    @property
    def summary(self) -> dict[str, int]:
        """Counts for the summary line and the JSON `summary` object."""
        return {
            "forks": len(self.forks),
            "changed": sum(1 for f in self.forks if not f.unchanged),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
            "detected_bases": sum(1 for f in self.forks if f.base.detected),
            "policies_changed": len(self.policies),
            "shared_edits": len(self.shared_edits),
            "new_policies": len(self.new_policies),
        }
