"""The range report's value: the impact of each release over the one before, and each
policy's changes across them with a cumulative verdict."""

from __future__ import annotations

from dataclasses import dataclass

from specver.report.impact.model import Impact
from specver.report.labels import VersionLabel

VERDICTS = ("tightened", "loosened", "mixed", "unchanged", "added", "removed", "added_then_removed")
"""A policy's verdict over a release or a range (see `combine_verdicts`)."""


@dataclass(frozen=True, slots=True)
class RangeVersion:
    """One version in the range (its first revision, each release tag, its last revision)."""

    label: VersionLabel
    commit: str
    levels: tuple[tuple[str, int], ...]
    """Policies per authority level (current level names, scheme order, unknown last)."""
    policies: int
    """Sections found in it."""


@dataclass(frozen=True, slots=True)
class ReleaseImpact:
    """One release: the impact of its version over the version before it."""

    version: RangeVersion
    previous: RangeVersion
    impact: Impact


@dataclass(frozen=True, slots=True)
class PolicyStep:
    """What one release did to one policy."""

    release: str
    """The release's name (its tag)."""
    verdict: str
    """`tightened`, `loosened`, `mixed`, `unchanged`, `added` or `removed` in this release."""
    changes: tuple[str, ...]
    """Each change in a few words."""
    policy: str
    """The policy's id in this release (its old id when it was removed)."""


@dataclass(frozen=True, slots=True)
class PolicyTrack:
    """One policy across the range: each release that changed it, and the sum of them."""

    policy: str
    """Its id in the last release it appears in."""
    title: str
    level: str | None
    """Its authority level (current name) in the last release it appears in."""
    verdict: str
    """The cumulative verdict (see `combine_verdicts`)."""
    steps: tuple[PolicyStep, ...]
    added_in: str | None = None
    """The release that added it, when it is new within the range."""
    removed_in: str | None = None
    """The release that removed it, when it is gone by the end of the range."""
    former_ids: tuple[str, ...] = ()
    """Ids it had earlier in the range, oldest first."""


@dataclass(frozen=True, slots=True)
class ImpactRange:
    """Every release between two revisions, compared pairwise, and each policy's track."""

    repo: str
    path: str
    audience: str
    versions: tuple[RangeVersion, ...]
    """The first revision, each release tag between, and the last revision, oldest first."""
    releases: tuple[ReleaseImpact, ...]
    """One per consecutive pair of `versions`."""
    policies: tuple[PolicyTrack, ...]
    """Every policy some release changed, in the last version's order, removed ones last."""
    levels: tuple[str, ...]
    """The authority levels counted in any version, strongest first."""


def combine_verdicts(verdicts: list[str]) -> str:
    """Several verdicts as one: tightened and loosened make mixed; neutral ones add nothing.

    `added` and `removed` are a policy's arrival and departure, which `track_verdict` weighs.
    """
    directed = {v for v in verdicts if v in ("tightened", "loosened", "mixed")}
    if "mixed" in directed or {"tightened", "loosened"} <= directed:
        return "mixed"
    return directed.pop() if directed else "unchanged"


def track_verdict(steps: list[str], added: bool, removed: bool) -> str:
    """The cumulative verdict of a policy over a range: `added` (new by the end),
    `removed` (gone by the end), `added_then_removed`, else the combined step verdicts."""
    if added and removed:
        return "added_then_removed"
    if added:
        return "added"
    if removed:
        return "removed"
    return combine_verdicts(steps)
