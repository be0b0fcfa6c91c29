"""Three-way comparison of a fork with its upstream, and a merge at the granularity of the edit.

`compare_fork(base, upstream, fork)` is pure: three parsed specs in, a frozen `ForkReport`
out. `ours` are the fork's changes since the base, `theirs` upstream's, split into changes
the fork can take cleanly and changes touching a policy the fork also changed. A policy
both sides changed is merged three-way inside (`fork.sections`: heading part by part,
body block by block, a block both edited by sentences or lines); it is a conflict only
when some part of it stays in conflict, when one side removed what the other edited, when
both added the same id differently, or when one side renamed what the other edited. Cross
references left dangling (`reference_broken`) follow from another change, so they are
reported apart from both sides' change lists, in `broken_references`. `merge_fork` writes
the fork with every upstream change applied that does not conflict, and git-style
conflict markers around only what does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from specver.config import AuthorityScheme, Config
from specver.diff.compare import diff
from specver.diff.details import ExampleMoved
from specver.diff.kinds import kind_of, level_renames
from specver.diff.match import match_policies, policy_text
from specver.diff.textdiff import normalize, similarity
from specver.fork.merge3 import merge_sequences
from specver.fork.sections import (
    Marked,
    Piece,
    Renamed,
    SectionMerge,
    merge_section,
    renamed_levels,
    write_pieces,
)
from specver.spec.markers import MARK_BASE, MARK_FORK, MARK_SPLIT, MARK_UPSTREAM
from specver.spec.model import Change, Policy, Spec, SpecDiff
from specver.spec.parse import normalize_text

CONFLICT_REASONS = (
    "both_changed",
    "authority_on_both_sides",
    "renamed_and_edited",
    "removed_by_fork",
    "removed_by_upstream",
    "both_added",
)
"""Why a policy is in conflict, most specific first."""

__all__ = [
    "MARK_BASE",
    "MARK_FORK",
    "MARK_SPLIT",
    "MARK_UPSTREAM",
    "Conflict",
    "ForkReport",
    "MergeConflict",
    "MergeResult",
    "MergeSummary",
    "compare_fork",
    "merge_fork",
    "renamed_levels",
]


@dataclass(frozen=True, slots=True)
class Conflict:
    """A policy both sides changed in ways that differ, with both sides' changes and versions."""

    policy: str
    """Its id in the base (the shared id for `both_added`)."""
    reason: str
    """One of `CONFLICT_REASONS`: `both_changed` (both edited one part of it differently),
    `authority_on_both_sides` (both changed its level, to different levels),
    `renamed_and_edited` (one side gave it a new id, the other edited it),
    `removed_by_fork`, `removed_by_upstream` or `both_added`."""
    ours: tuple[Change, ...]
    theirs: tuple[Change, ...]
    fork: Policy | None
    """The fork's version, None when the fork removed it."""
    upstream: Policy | None
    """Upstream's version, None when upstream removed it."""
    base: Policy | None = None
    """The version both started from, None when both sides added the policy."""
    parts: tuple[str, ...] = ()
    """What stays in conflict inside the policy, one label per marked part (empty when
    the whole policy is: a removal against an edit, or both sides adding it)."""


@dataclass(frozen=True, slots=True)
class BrokenReference:
    """A cross reference one side's changes left without a target."""

    side: str
    """`fork` or `upstream`: whose version holds the dangling reference."""
    change: Change
    """The `reference_broken` change, in the diff contract's form."""


@dataclass(frozen=True, slots=True)
class Drift:
    """How far the fork is from upstream, section by section (every heading counts).

    `identical + changed + upstream_only` is upstream's section count and
    `identical + changed + fork_only` the fork's.
    """

    upstream_sections: int
    fork_sections: int
    identical: int
    """Sections paired between the two with the same content."""
    changed: int
    """Sections paired between the two whose content differs."""
    fork_only: int
    upstream_only: int
    similarity: float
    """Mean over every section of either side: 1 identical, text similarity when changed,
    0 when only one side has it."""

    @property
    def differing(self) -> int:
        """Sections that differ between fork and upstream: changed, fork-only or upstream-only."""
        return self.changed + self.fork_only + self.upstream_only


@dataclass(frozen=True, slots=True)
class ForkReport:
    """Everything the three-way comparison found."""

    base: Spec
    upstream: Spec
    fork: Spec
    ours: tuple[Change, ...]
    """What the fork changed relative to the base."""
    theirs_clean: tuple[Change, ...]
    """Upstream changes the fork can take as they are."""
    theirs_overlapping: tuple[Change, ...]
    """Upstream changes to policies the fork also changed."""
    conflicts: tuple[Conflict, ...]
    broken_references: tuple[BrokenReference, ...]
    """Cross references left dangling on either side (not counted as changes)."""
    drift: Drift
    ours_diff: SpecDiff
    theirs_diff: SpecDiff
    merges: Mapping[str, SectionMerge] = field(default_factory=dict)
    """Base id -> the three-way merge of each policy both sides changed differently and
    kept (with or without parts left in conflict)."""

    @property
    def merged_cleanly(self) -> tuple[str, ...]:
        """Base ids of the policies both sides changed whose edits merge without conflict."""
        return tuple(ident for ident, merge in self.merges.items() if merge.clean)

    @property
    def theirs(self) -> tuple[tuple[Change, str], ...]:
        """Upstream's changes in diff order, each with `clean` or `overlapping`."""
        clean = {id(c) for c in self.theirs_clean}
        overlapping = {id(c) for c in self.theirs_overlapping}
        return tuple(
            (c, "clean" if id(c) in clean else "overlapping")
            for c in self.theirs_diff.changes
            if id(c) in clean or id(c) in overlapping
        )

    @property
    def summary(self) -> dict[str, int]:
        """Counts for the report's summary line and the JSON `summary` object."""
        return {
            "ours": len(self.ours),
            "theirs": len(self.theirs_clean) + len(self.theirs_overlapping),
            "theirs_clean": len(self.theirs_clean),
            "theirs_overlapping": len(self.theirs_overlapping),
            "conflicts": len(self.conflicts),
            "merged_cleanly": len(self.merged_cleanly),
            "broken_references": len(self.broken_references),
        }


# --- comparison --------------------------------------------------------------------------


def compare_fork(
    base: Spec, upstream: Spec, fork: Spec, config: Config | None = None
) -> ForkReport:
    """Compare a fork and its upstream against their common base."""
    config = config or Config()
    ours_diff = diff(base, fork, config)
    theirs_diff = diff(base, upstream, config)
    ours_by = touched_policies(ours_diff)
    theirs_by = touched_policies(theirs_diff)
    renames = level_names(theirs_diff)
    conflicts: list[Conflict] = []
    merges: dict[str, SectionMerge] = {}
    overlapping: set[str] = set()
    for base_id in [p.id for p in base if p.id in ours_by and p.id in theirs_by]:
        overlapping.add(base_id)
        f = _version(ours_diff, base_id)
        u = _version(theirs_diff, base_id)
        if converged(f, u, config.scheme, renames):
            continue
        b = base[base_id]
        sides = (tuple(ours_by[base_id]), tuple(theirs_by[base_id]))
        if f is None or u is None:
            conflicts.append(Conflict(base_id, _reason(f, u), *sides, f, u, b))
            continue
        merged = merge_policy(b, f, u, renames)
        merges[base_id] = merged
        if not merged.clean:
            reason = _merge_reason(merged)
            parts = tuple(m.label for m in merged.conflicts)
            conflicts.append(Conflict(base_id, reason, *sides, f, u, b, parts))
    conflicts.extend(_both_added(ours_diff, theirs_diff, config.scheme, renames, merges))
    both_added = {c.policy for c in conflicts if c.reason == "both_added"}
    theirs_over = [c for c in theirs_diff.changes if _base_of(theirs_diff, c) in overlapping]
    theirs_over += [
        c for c in theirs_diff.changes if c.kind == "policy_added" and c.policy in both_added
    ]
    clean = [c for c in _own(theirs_diff) if c not in theirs_over]
    return ForkReport(
        base,
        upstream,
        fork,
        _own(ours_diff),
        tuple(clean),
        tuple(theirs_over),
        tuple(conflicts),
        (*_broken("fork", ours_diff), *_broken("upstream", theirs_diff)),
        fork_drift(upstream, fork, config.scheme),
        ours_diff,
        theirs_diff,
        merges,
    )


def section_lines(policy: Policy) -> tuple[str, ...]:
    """A policy's section as lines, exactly as written (heading up to the next heading)."""
    return tuple(policy.text.split("\n"))


def merge_policy(
    base: Policy, fork: Policy, upstream: Policy, renames: Mapping[str, str]
) -> SectionMerge:
    """The three-way merge of one policy's section, upstream's level renames applied to the
    base and the fork first (so a whole-level rename is nobody's edit of the policy)."""
    b = renamed_levels(section_lines(base), renames)
    f = renamed_levels(section_lines(fork), renames)
    u = section_lines(upstream)
    renamed = None
    if fork.id != base.id and upstream.id == base.id and u != b:
        renamed = Renamed("fork", base.id, fork.id)
    elif upstream.id != base.id and fork.id == base.id and f != b:
        renamed = Renamed("upstream", base.id, upstream.id)
    return merge_section(base.id, b, f, u, has_heading=not base.is_region, renamed=renamed)


def _merge_reason(merged: SectionMerge) -> str:
    kinds = {m.kind for m in merged.conflicts}
    if "renamed_and_edited" in kinds:
        return "renamed_and_edited"
    if "authority" in kinds:
        return "authority_on_both_sides"
    return "both_changed"


def _own(d: SpecDiff) -> tuple[Change, ...]:
    """A side's own changes: everything but what follows from other changes."""
    return tuple(c for c in d.changes if not kind_of(c).derived)


def own_changes(d: SpecDiff) -> tuple[Change, ...]:
    """The changes one side made itself: the report's `ours` for `diff(base, fork)`."""
    return _own(d)


def _broken(side: str, d: SpecDiff) -> tuple[BrokenReference, ...]:
    return tuple(BrokenReference(side, c) for c in d.changes if c.kind == "reference_broken")


def _base_of(d: SpecDiff, change: Change) -> str | None:
    """The base id of the policy a change edits, None when it edits no base policy."""
    if change.policy is None or not kind_of(change).edits_base:
        return None
    if change.kind == "policy_removed":
        return change.policy
    return d.old_id(change.policy)


def touched_policies(d: SpecDiff) -> dict[str, list[Change]]:
    """Base policy id -> the changes one side made to it (an example moved out counts)."""
    out: dict[str, list[Change]] = defaultdict(list)
    for change in d.changes:
        base_id = _base_of(d, change)
        if base_id is not None:
            out[base_id].append(change)
        if isinstance(change.details, ExampleMoved):
            source = change.details.old_policy
            source_base = d.old_id(source) or (source if source in d.old else None)
            if source_base is not None and source_base != base_id:
                out[source_base].append(change)
    return dict(out)


def level_names(d: SpecDiff) -> dict[str, str]:
    """Old level name -> new name for each level the diff renamed as a whole."""
    return {r.old: r.new for r in level_renames(d)}


def _version(d: SpecDiff, base_id: str) -> Policy | None:
    """The policy a base policy became on one side, None when that side removed it."""
    new_id = d.new_id(base_id)
    return d.new.get(new_id) if new_id is not None else None


def _reason(fork: Policy | None, upstream: Policy | None) -> str:
    if fork is None:
        return "removed_by_fork"
    if upstream is None:
        return "removed_by_upstream"
    return "both_changed"


def policy_signature(
    policy: Policy, scheme: AuthorityScheme, renames: Mapping[str, str]
) -> tuple[object, ...]:
    """What makes two versions of a policy the same: title, level, tags, text, examples."""
    level = renames.get(policy.authority or "", policy.authority)
    return (
        policy.title,
        scheme.canonical(level),
        frozenset(policy.tags),
        normalize(policy.prose),
        tuple(normalize(c.text) for c in policy.commentary),
        tuple(normalize(e.source) for e in policy.examples),
    )


def converged(
    fork: Policy | None,
    upstream: Policy | None,
    scheme: AuthorityScheme,
    renames: Mapping[str, str],
) -> bool:
    """Whether both sides ended with the same policy (or both removed it)."""
    if fork is None or upstream is None:
        return fork is None and upstream is None
    return policy_signature(fork, scheme, renames) == policy_signature(upstream, scheme, {})


def _both_added(
    ours: SpecDiff,
    theirs: SpecDiff,
    scheme: AuthorityScheme,
    renames: Mapping[str, str],
    merges: dict[str, SectionMerge],
) -> list[Conflict]:
    """Policies both sides added under the same id with different content, merged as if
    from nothing: what both wrote the same is kept, the rest conflicts."""
    added_ours = {c.policy: c for c in ours.changes if c.kind == "policy_added"}
    out = []
    for change in theirs.changes:
        ident = change.policy
        if change.kind != "policy_added" or ident is None or ident not in added_ours:
            continue
        f, u = ours.new[ident], theirs.new[ident]
        if converged(f, u, scheme, renames):
            continue
        merged = merge_added(f, u, renames)
        merges[ident] = merged
        if not merged.clean:
            parts = tuple(m.label for m in merged.conflicts)
            sides = ((added_ours[ident],), (change,))
            out.append(Conflict(ident, "both_added", *sides, f, u, None, parts))
    return out


def merge_added(fork: Policy, upstream: Policy, renames: Mapping[str, str]) -> SectionMerge:
    """The merge of a policy both sides added under one id, against an empty base."""
    f = renamed_levels(section_lines(fork), renames)
    merged = merge_section(fork.id, (), f, section_lines(upstream))
    label = f"{fork.id}: {WHOLE_CONFLICT_LABELS['both_added']}"
    pieces = tuple(
        replace(p, marked=replace(p.marked, kind="both_added", label=label))
        if p.marked is not None and p.marked.kind == "block"
        else p
        for p in merged.pieces
    )
    return SectionMerge(merged.policy, pieces)


def fork_drift(upstream: Spec, fork: Spec, scheme: AuthorityScheme) -> Drift:
    """How many sections of the fork differ from upstream, and the mean similarity."""
    pairs = match_policies(upstream, fork)
    identical = changed = 0
    total = 0.0
    for pair in pairs:
        u, f = upstream[pair.old], fork[pair.new]
        if policy_signature(u, scheme, {}) == policy_signature(f, scheme, {}):
            identical += 1
            total += 1.0
        else:
            changed += 1
            total += similarity(policy_text(u), policy_text(f)) if policy_text(u) else 0.0
    upstream_only = len(upstream) - len(pairs)
    fork_only = len(fork) - len(pairs)
    count = len(pairs) + upstream_only + fork_only
    return Drift(
        len(upstream),
        len(fork),
        identical,
        changed,
        fork_only,
        upstream_only,
        round(total / count, 3) if count else 1.0,
    )


# --- merge -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MergeConflict:
    """One stretch of the merged text between conflict markers."""

    policy: str
    """The base id of the policy it is in (`(front matter)` for the front matter)."""
    kind: str
    """`block`, `heading`, `authority`, `renamed_and_edited`, `removed_by_fork`,
    `removed_by_upstream`, `both_added` or `front_matter`."""
    label: str
    """What the opening marker says after `<<<<<<< fork`."""
    line: int
    """1-based line of the opening marker in the merged text."""


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The merged spec text, what the merge took from each side and what is left."""

    text: str
    conflicts: tuple[MergeConflict, ...]
    """Every marked conflict, in document order."""
    applied: int = 0
    """Upstream's changes the merge applied."""
    kept: int = 0
    """The fork's changes the merge kept."""
    pending: int = 0
    """Changes of either side to a policy left in conflict (neither applied nor kept)."""
    sources: tuple[str, str, str] = ("", "", "")
    """How the base, upstream and fork were named."""

    @property
    def conflicted(self) -> tuple[str, ...]:
        """The policies holding conflict markers, each once, in document order."""
        return tuple(dict.fromkeys(c.policy for c in self.conflicts))


FRONT_MATTER = "(front matter)"

SideIndex = tuple[str, int]
"""A section's place in one side's document: (`fork` or `upstream`, index)."""


@dataclass(frozen=True, slots=True)
class _Item:
    """What the merge writes for one section, and where it stood in either side."""

    policy: str
    pieces: tuple[Piece, ...]
    sources: frozenset[SideIndex] = frozenset()
    """Places of the same text in the fork and upstream, to know which sections were
    neighbours there (neighbours are written as they were; others get a blank line)."""


def merge_fork(
    report: ForkReport,
    upstream_text: str,
    fork_text: str,
    *,
    diff3: bool = False,
) -> MergeResult:
    """The fork with every upstream change applied that does not conflict.

    The order of sections merges three-way too (a side that moved, added or removed
    sections wins where the other did not touch the order; where both did, upstream's
    order, with the fork's own sections after the section that precedes them in the
    fork). Each section is written from the side that changed it, merged when both did
    (`merge_policy`), and marked where a part stays in conflict; a section one side
    removed goes unless the other edited it. `diff3` adds the base's text to every
    conflict, after `|||||||`.
    """
    plan = _MergePlan(report)
    front = _merged_front(report, upstream_text, fork_text, diff3)
    lines = list(front.lines)
    conflicts: list[MergeConflict] = []
    for spot, marked in front.conflicts:
        conflicts.append(MergeConflict(FRONT_MATTER, marked.kind, marked.label, spot + 1))
    previous: frozenset[SideIndex] = frozenset(
        {(side, -1) for side in ("fork", "upstream")} if front.lines else ()
    )
    last: frozenset[SideIndex] = frozenset()
    for item in plan.items():
        written = write_pieces(item.pieces, diff3=diff3)
        if not written.lines:
            continue
        if lines and lines[-1].strip() and not _neighbours(previous, item.sources):
            lines.append("")
        for spot, marked in written.conflicts:
            conflicts.append(
                MergeConflict(item.policy, marked.kind, marked.label, len(lines) + spot + 1)
            )
        lines.extend(written.lines)
        previous = last = item.sources
    if lines and lines[-1] != "" and not _ends_document(report, last):
        lines.append("")
    text = "\n".join(lines)
    applied, kept, pending = _tally(report, {c.policy for c in conflicts})
    sources = (report.base.source, report.upstream.source, report.fork.source)
    return MergeResult(text, tuple(conflicts), applied, kept, pending, sources)


@dataclass(frozen=True, slots=True)
class MergeSummary:
    """What `specver merge` tells about a merge it wrote: the result, where it went, and
    what it recorded in the configuration."""

    result: MergeResult
    output: str | None = None
    """The file written, None for standard output."""
    base_from: str = "merge base"
    """Where the base came from: `option`, `config` or `merge base`."""
    recorded: str | None = None
    """The configuration file `base:` was recorded in, None when nothing was recorded."""
    recorded_base: str | None = None
    """The `base:` value recorded."""


def _neighbours(previous: frozenset[SideIndex], current: frozenset[SideIndex]) -> bool:
    return any((side, k + 1) in current for side, k in previous)


def _ends_document(report: ForkReport, sources: frozenset[SideIndex]) -> bool:
    sizes = {"fork": len(report.fork), "upstream": len(report.upstream)}
    return any(k == sizes[side] - 1 for side, k in sources)


def _tally(report: ForkReport, conflicted: set[str]) -> tuple[int, int, int]:
    """(upstream changes applied, fork changes kept, changes left in conflict)."""
    pending = 0
    counts = [0, 0]
    for k, d in enumerate((report.theirs_diff, report.ours_diff)):
        for change in d.changes:
            if kind_of(change).derived:
                continue
            if _conflicted_change(d, change, conflicted):
                pending += 1
            else:
                counts[k] += 1
    return counts[0], counts[1], pending


def _conflicted_change(d: SpecDiff, change: Change, conflicted: set[str]) -> bool:
    if change.kind == "metadata_changed":
        return FRONT_MATTER in conflicted
    base_id = _base_of(d, change)
    if base_id is None and change.kind == "policy_added":
        base_id = change.policy
    return base_id is not None and base_id in conflicted


# --- front matter --------------------------------------------------------------------------


def _front_lines(spec: Spec, text: str) -> tuple[str, ...]:
    """The lines before the first section's text: the front matter and blank lines."""
    lines = normalize_text(text).split("\n")
    held = sum(len(p.text.split("\n")) for p in spec)
    return tuple(lines[: max(0, len(lines) - held)]) if spec.policies else tuple(lines)


def _merged_front(
    report: ForkReport, upstream_text: str, fork_text: str, diff3: bool = False
) -> _Written:
    """The front matter merged line by line (a side without one has no lines); a conflict
    is marked inside the `---` lines (the block then reads as opaque text, and the document
    keeps its sections)."""
    base, upstream, fork = (
        s.front_matter.text if s.front_matter is not None else None
        for s in (report.base, report.upstream, report.fork)
    )
    up_lines = _front_lines(report.upstream, upstream_text)
    fork_lines = _front_lines(report.fork, fork_text)
    if fork == base:
        return _Written(up_lines, ())
    if upstream in (base, fork):
        return _Written(fork_lines, ())
    b, f, u = (t.split("\n") if t is not None else [] for t in (base, fork, upstream))
    regions = merge_sequences(b, f, u)
    out = ["---"]
    spots: list[tuple[int, Marked]] = []
    for region in regions:
        if region.kind != "conflict":
            out.extend(region.merged)
            continue
        label = "front matter: both sides edited these lines"
        spots.append((len(out), Marked("front_matter", label, region.base, region.fork, ())))
        out += [f"{MARK_FORK} ({label})", *region.fork]
        out += [MARK_BASE, *region.base] if diff3 else []
        out += [MARK_SPLIT, *region.upstream, MARK_UPSTREAM]
    out.append("---")
    tail = fork_lines[_front_matter_size(fork_lines) :] if fork is not None else fork_lines
    return _Written((*out, *(tail or ("",))), tuple(spots))


def _front_matter_size(lines: tuple[str, ...]) -> int:
    for k in range(1, len(lines)):
        if lines[k].rstrip() == "---":
            return k + 1
    return len(lines)


@dataclass(frozen=True, slots=True)
class _Written:
    lines: tuple[str, ...]
    conflicts: tuple[tuple[int, Marked], ...]


# --- the plan: which text each section takes -------------------------------------------------


class _MergePlan:
    """Decides the order of sections and, section by section, which text goes there."""

    def __init__(self, report: ForkReport) -> None:
        self.report = report
        self.ours = report.ours_diff
        self.theirs = report.theirs_diff
        self.ours_by = touched_policies(self.ours)
        self.theirs_by = touched_policies(self.theirs)
        self.renames = level_names(self.theirs)
        self.conflicts = {c.policy: c for c in report.conflicts}
        added_fork = {p.id for p in report.fork if self.ours.old_id(p.id) is None}
        added_up = {p.id for p in report.upstream if self.theirs.old_id(p.id) is None}
        self.both_added = added_fork & added_up
        self.fork_index = {p.id: k for k, p in enumerate(report.fork)}
        self.up_index = {p.id: k for k, p in enumerate(report.upstream)}

    # keys: `b:` a base policy, `f:`/`u:` one side's new policy, `a:` an id both added
    def _fork_key(self, ident: str) -> str:
        old = self.ours.old_id(ident)
        if old is not None:
            return f"b:{old}"
        return f"a:{ident}" if ident in self.both_added else f"f:{ident}"

    def _up_key(self, ident: str) -> str:
        old = self.theirs.old_id(ident)
        if old is not None:
            return f"b:{old}"
        return f"a:{ident}" if ident in self.both_added else f"u:{ident}"

    def order(self) -> list[str]:
        """Section keys in the merged order (the order itself merged three-way)."""
        base = [f"b:{p.id}" for p in self.report.base]
        fork = [self._fork_key(p.id) for p in self.report.fork]
        upstream = [self._up_key(p.id) for p in self.report.upstream]
        placed: list[tuple[str, bool]] = []
        for region in merge_sequences(base, fork, upstream):
            if region.kind != "conflict":
                placed += [(k, False) for k in region.merged]
            else:
                taken = set(region.upstream)
                keys = [*region.upstream, *(k for k in region.fork if k not in taken)]
                placed += [(k, True) for k in keys]
        firm = {k for k, loose in placed if not loose}
        out: list[str] = []
        seen: set[str] = set()
        for key, loose in placed:
            if key in seen or (loose and key in firm):
                continue
            seen.add(key)
            out.append(key)
        for key in self._kept_against_removal():
            if key not in seen:
                self._insert_after_predecessor(out, key)
                seen.add(key)
        return out

    def _kept_against_removal(self) -> list[str]:
        """Keys of sections one side removed and the other edited (kept, in conflict)."""
        return [
            f"b:{c.policy}"
            for c in self.report.conflicts
            if c.reason in ("removed_by_fork", "removed_by_upstream")
        ]

    def _insert_after_predecessor(self, out: list[str], key: str) -> None:
        """Insert a kept section after the section before it on the side that kept it."""
        conflict = self.conflicts[key[2:]]
        if conflict.fork is not None:
            order, to_key = [p.id for p in self.report.fork], self._fork_key
            ident = conflict.fork.id
        else:
            assert conflict.upstream is not None
            order, to_key = [p.id for p in self.report.upstream], self._up_key
            ident = conflict.upstream.id
        for previous in reversed(order[: order.index(ident)]):
            previous_key = to_key(previous)
            if previous_key in out:
                out.insert(out.index(previous_key) + 1, key)
                return
        out.insert(0, key)

    def items(self) -> list[_Item]:
        """What each section in the merged order is written as (removed ones left out)."""
        out = []
        for key in self.order():
            item = self._item(key)
            if item is not None:
                out.append(item)
        return out

    def _item(self, key: str) -> _Item | None:
        tag, ident = key[:2], key[2:]
        if tag == "f:":
            return self._fork_item(ident)
        if tag == "u:":
            return self._up_item(ident)
        if tag == "a:":
            merge = self.report.merges.get(ident)
            if merge is not None:
                return _Item(ident, merge.pieces)
            return self._fork_item(ident)
        return self._base_item(ident)

    def _fork_lines(self, ident: str) -> tuple[str, ...]:
        return renamed_levels(section_lines(self.report.fork[ident]), self.renames)

    def _fork_item(self, ident: str) -> _Item:
        lines = self._fork_lines(ident)
        sources = {("fork", self.fork_index[ident])}
        return _Item(ident, (Piece(lines),), frozenset(sources))

    def _up_item(self, ident: str) -> _Item:
        lines = section_lines(self.report.upstream[ident])
        return _Item(ident, (Piece(lines),), frozenset({("upstream", self.up_index[ident])}))

    def _base_item(self, base_id: str) -> _Item | None:
        conflict = self.conflicts.get(base_id)
        if conflict is not None and conflict.reason.startswith("removed_by"):
            return _Item(base_id, self._whole_conflict(conflict))
        merge = self.report.merges.get(base_id)
        if merge is not None:
            return _Item(base_id, merge.pieces)
        fork_id, up_id = self.ours.new_id(base_id), self.theirs.new_id(base_id)
        if fork_id is None or up_id is None:
            return None
        base = renamed_levels(section_lines(self.report.base[base_id]), self.renames)
        fork, upstream = self._fork_lines(fork_id), section_lines(self.report.upstream[up_id])
        here = {("fork", self.fork_index[fork_id]), ("upstream", self.up_index[up_id])}
        if fork == upstream:
            return _Item(base_id, (Piece(fork),), frozenset(here))
        if fork == base:
            take_fork = False
        elif upstream == base:
            take_fork = True
        else:  # the side whose diff names a change (both: they converged)
            take_fork = base_id in self.ours_by
        item = self._fork_item(fork_id) if take_fork else self._up_item(up_id)
        return _Item(base_id, item.pieces, item.sources)

    def _whole_conflict(self, conflict: Conflict) -> tuple[Piece, ...]:
        """A removal against an edit: the side that kept the policy keeps its heading
        (so the markers stay in the policy's own text), and its body is marked against
        nothing, the removal."""
        if conflict.fork is not None:
            kept = _trimmed(self._fork_lines(conflict.fork.id))
        else:
            assert conflict.upstream is not None
            kept = _trimmed(section_lines(self.report.upstream[conflict.upstream.id]))
        base = _trimmed(section_lines(conflict.base)) if conflict.base is not None else ()
        label = f"{conflict.policy}: {WHOLE_CONFLICT_LABELS[conflict.reason]}"
        region = conflict.base is not None and conflict.base.is_region
        body = kept if region else _body(kept)
        head = kept[: len(kept) - len(body)]
        sides = (body, ()) if conflict.fork is not None else ((), body)
        marked = Marked(conflict.reason, label, base if region else _body(base), *sides)
        return (Piece((*_trimmed(head), "") if head else ()), Piece(marked=marked))


WHOLE_CONFLICT_LABELS = {
    "removed_by_fork": "removed in the fork, edited upstream",
    "removed_by_upstream": "removed upstream, edited in the fork",
    "both_added": "added on both sides, with different text",
}


def _body(chunk: tuple[str, ...]) -> tuple[str, ...]:
    """A section's lines after its heading, leading blank lines dropped."""
    start = 1
    while start < len(chunk) and not chunk[start].strip():
        start += 1
    return chunk[start:]


def _trimmed(chunk: tuple[str, ...]) -> tuple[str, ...]:
    end = len(chunk)
    while end and not chunk[end - 1].strip():
        end -= 1
    return chunk[:end]


def conflict_block(
    fork: tuple[str, ...], upstream: tuple[str, ...], label: str = "both sides changed this"
) -> tuple[str, ...]:
    """Two versions of a section between git-style markers, as the merge writes them."""
    return write_pieces((Piece(marked=Marked("block", label, (), fork, upstream)),)).lines
