"""Three-way comparison of a fork with its upstream, and a merge at policy granularity.

`compare_fork(base, upstream, fork)` is pure: three parsed specs in, a frozen `ForkReport`
out. `ours` are the fork's changes since the base, `theirs` upstream's, split into changes
the fork can take cleanly and changes touching a policy the fork also changed; a policy both
sides changed (and that did not end up the same on both) is a conflict. Cross references left
dangling (`reference_broken`) follow from another change, so they are reported apart from
both sides' change lists, in `broken_references`. `merge_fork` writes
the fork with every clean upstream change applied, section by section, and git-style
conflict markers around the policies in conflict.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from specver.config import AuthorityScheme, Config
from specver.diff.compare import diff
from specver.diff.details import ExampleMoved
from specver.diff.kinds import kind_of, level_renames
from specver.diff.match import match_policies, policy_text
from specver.diff.textdiff import normalize, similarity
from specver.spec.model import Change, Policy, Spec, SpecDiff
from specver.spec.parse import normalize_text

CONFLICT_REASONS = ("both_changed", "removed_by_fork", "removed_by_upstream", "both_added")

MARK_FORK = "<<<<<<< fork"
MARK_SPLIT = "======="
MARK_UPSTREAM = ">>>>>>> upstream"


@dataclass(frozen=True, slots=True)
class Conflict:
    """A policy both sides changed in ways that differ, with both sides' changes and versions."""

    policy: str
    """Its id in the base (the shared id for `both_added`)."""
    reason: str
    """`both_changed`, `removed_by_fork`, `removed_by_upstream` or `both_added`."""
    ours: tuple[Change, ...]
    theirs: tuple[Change, ...]
    fork: Policy | None
    """The fork's version, None when the fork removed it."""
    upstream: Policy | None
    """Upstream's version, None when upstream removed it."""
    base: Policy | None = None
    """The version both started from, None when both sides added the policy."""


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
    overlapping: set[str] = set()
    for base_id in [p.id for p in base if p.id in ours_by and p.id in theirs_by]:
        overlapping.add(base_id)
        f = _version(ours_diff, base_id)
        u = _version(theirs_diff, base_id)
        if not converged(f, u, config.scheme, renames):
            conflicts.append(
                Conflict(
                    base_id,
                    _reason(f, u),
                    tuple(ours_by[base_id]),
                    tuple(theirs_by[base_id]),
                    f,
                    u,
                    base[base_id],
                )
            )
    conflicts.extend(_both_added(ours_diff, theirs_diff, config.scheme, renames))
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
    )


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
    ours: SpecDiff, theirs: SpecDiff, scheme: AuthorityScheme, renames: Mapping[str, str]
) -> list[Conflict]:
    """Policies both sides added under the same id with different content."""
    added_ours = {c.policy: c for c in ours.changes if c.kind == "policy_added"}
    out = []
    for change in theirs.changes:
        ident = change.policy
        if change.kind != "policy_added" or ident is None or ident not in added_ours:
            continue
        f, u = ours.new[ident], theirs.new[ident]
        if not converged(f, u, scheme, renames):
            out.append(Conflict(ident, "both_added", (added_ours[ident],), (change,), f, u))
    return out


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
class MergeResult:
    """The merged spec text and what is left to resolve by hand."""

    text: str
    conflicts: tuple[str, ...]
    """Base ids of the policies marked with conflict markers (`(front matter)` for the front
    matter; the text before the first heading is the policy `_preamble`)."""


@dataclass(frozen=True, slots=True)
class _Sections:
    """A spec's text cut into what precedes the first section (the front matter) and one
    chunk of lines per policy (`_preamble` and `_document` included)."""

    preamble: tuple[str, ...]
    chunks: Mapping[str, tuple[str, ...]]


def sections(spec: Spec, text: str) -> _Sections:
    """Cut spec text at each policy's heading: a chunk runs up to the next heading."""
    lines = normalize_text(text).split("\n")
    starts = [p.lines[0] - 1 for p in spec]
    first = starts[0] if starts else len(lines)
    chunks = {}
    for k, policy in enumerate(spec):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        chunks[policy.id] = tuple(lines[starts[k] : end])
    return _Sections(tuple(lines[:first]), chunks)


HEADING_AUTHORITY_RE = re.compile(r"(\{[^{}]*\bauthority=)([\w-]+)")


def renamed_levels(chunk: tuple[str, ...], renames: Mapping[str, str]) -> tuple[str, ...]:
    """A chunk with upstream's level renames applied to its heading's attribute block."""
    if not chunk or not renames:
        return chunk
    head = HEADING_AUTHORITY_RE.sub(
        lambda m: m.group(1) + renames.get(m.group(2), m.group(2)), chunk[0]
    )
    return (head, *chunk[1:])


def conflict_block(fork: tuple[str, ...], upstream: tuple[str, ...]) -> tuple[str, ...]:
    """Both versions between git-style markers; `=======` and `>>>>>>>` follow a blank line
    (the merge puts one before every section, so before `<<<<<<<` too).

    When both versions open with the same heading line, the heading stays outside the
    markers, so a parse of the merged file reads one policy whose text holds the markers and
    both versions. When the headings differ (title, level or tags), each version keeps its
    heading inside the markers; the opening marker then precedes the first heading, and a
    Markdown parse reads that one line as the end of the section before (a section starts at
    its heading, and two different headings are two sections). The blank lines keep
    `=======` from reading as a setext heading underline.
    """
    fork, upstream = _trimmed(fork), _trimmed(upstream)
    head: tuple[str, ...] = ()
    if fork and upstream and fork[0] == upstream[0]:
        head = (fork[0], "")
        fork, upstream = _body(fork), _body(upstream)
    return (
        *head,
        MARK_FORK,
        *_spaced(fork),
        MARK_SPLIT,
        *_spaced(upstream),
        MARK_UPSTREAM,
        "",
    )


def _body(chunk: tuple[str, ...]) -> tuple[str, ...]:
    """A section's lines after its heading, leading blank lines dropped."""
    start = 1
    while start < len(chunk) and not chunk[start].strip():
        start += 1
    return chunk[start:]


def _spaced(lines: tuple[str, ...]) -> tuple[str, ...]:
    return (*lines, "") if lines else ()


def _trimmed(chunk: tuple[str, ...]) -> tuple[str, ...]:
    end = len(chunk)
    while end and not chunk[end - 1].strip():
        end -= 1
    return chunk[:end]


def merge_fork(report: ForkReport, upstream_text: str, fork_text: str) -> MergeResult:
    """The fork with every clean upstream change applied at policy granularity.

    Upstream's document order is the skeleton; policies the fork added or moved are placed
    after the policy that precedes them in the fork. A policy only upstream changed (or
    nobody changed) takes upstream's section; one only the fork changed keeps the fork's
    section with upstream's level renames applied; one in conflict gets both versions
    between conflict markers; a policy removed on one side and untouched on the other goes.
    """
    up = sections(report.upstream, upstream_text)
    fk = sections(report.fork, fork_text)
    plan = _MergePlan(report, up, fk)
    items = plan.skeleton()
    plan.insert_fork_policies(items)
    preamble, preamble_conflict = _merged_preamble(report, up, fk)
    lines = list(preamble)
    if lines and lines[-1].strip() and items:
        lines.append("")
    for _key, chunk in items:
        if lines and lines[-1].strip():
            lines.append("")
        lines.extend(chunk)
    if not lines or lines[-1] != "":
        lines.append("")
    conflicts = tuple(c.policy for c in report.conflicts)
    return MergeResult("\n".join(lines), (*preamble_conflict, *conflicts))


def _merged_preamble(
    report: ForkReport, up: _Sections, fk: _Sections
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The front matter the merge starts with: the text before the first section (the text
    before the first heading is the `_preamble` section, merged like any policy)."""
    base, upstream, fork = (
        " ".join(s.front_matter.text.split()) if s.front_matter is not None else None
        for s in (report.base, report.upstream, report.fork)
    )
    if upstream in (base, fork):
        return fk.preamble, ()
    if fork == base:
        return up.preamble, ()
    return conflict_block(fk.preamble, up.preamble), ("(front matter)",)


class _MergePlan:
    """Decides, policy by policy, which text goes where in the merged spec."""

    def __init__(self, report: ForkReport, up: _Sections, fk: _Sections) -> None:
        self.report = report
        self.up = up
        self.fk = fk
        self.ours = report.ours_diff
        self.theirs = report.theirs_diff
        self.ours_by = touched_policies(self.ours)
        self.renames = level_names(self.theirs)
        self.conflicts = {c.policy: c for c in report.conflicts}
        moved = {c.policy for c in self.ours.changes if c.kind == "policy_moved"}
        self.fork_placed = [
            p.id
            for p in report.fork
            if (self.ours.old_id(p.id) is None or p.id in moved)
            and not (p.id in self.conflicts and self.conflicts[p.id].reason == "both_added")
            and (self.ours.old_id(p.id) not in self.conflicts)
        ]

    def skeleton(self) -> list[tuple[str, tuple[str, ...]]]:
        """Upstream's policies in upstream order, each with the text it takes."""
        out: list[tuple[str, tuple[str, ...]]] = []
        for u in self.report.upstream:
            base_id = self.theirs.old_id(u.id)
            if base_id is None:
                conflict = self.conflicts.get(u.id)
                if conflict is not None and conflict.reason == "both_added":
                    out.append((f"u:{u.id}", self._conflict_text(conflict)))
                else:
                    out.append((f"u:{u.id}", self.up.chunks[u.id]))
                continue
            chunk = self._chunk_for(base_id, u.id)
            if chunk is not None:
                out.append((f"u:{u.id}", chunk))
        for conflict in self.report.conflicts:
            if conflict.reason == "removed_by_upstream":
                assert conflict.fork is not None
                self._place_after_fork_predecessor(
                    out, conflict.fork.id, (f"f:{conflict.fork.id}", self._conflict_text(conflict))
                )
        return out

    def _chunk_for(self, base_id: str, upstream_id: str) -> tuple[str, ...] | None:
        conflict = self.conflicts.get(base_id)
        if conflict is not None:
            return self._conflict_text(conflict)
        fork_id = self.ours.new_id(base_id)
        if base_id not in self.ours_by:
            return self.up.chunks[upstream_id]
        if fork_id is None or fork_id in self.fork_placed:
            return None
        return renamed_levels(self.fk.chunks[fork_id], self.renames)

    def _conflict_text(self, conflict: Conflict) -> tuple[str, ...]:
        fork = self.fk.chunks[conflict.fork.id] if conflict.fork else ()
        fork = renamed_levels(fork, self.renames)
        upstream = self.up.chunks[conflict.upstream.id] if conflict.upstream else ()
        return conflict_block(fork, upstream)

    def insert_fork_policies(self, items: list[tuple[str, tuple[str, ...]]]) -> None:
        """Place fork-added and fork-moved policies after their predecessor in the fork."""
        for fork_id in self.fork_placed:
            chunk = renamed_levels(self.fk.chunks[fork_id], self.renames)
            self._place_after_fork_predecessor(items, fork_id, (f"f:{fork_id}", chunk))

    def _place_after_fork_predecessor(
        self,
        items: list[tuple[str, tuple[str, ...]]],
        fork_id: str,
        item: tuple[str, tuple[str, ...]],
    ) -> None:
        order = [p.id for p in self.report.fork]
        keys = [key for key, _chunk in items]
        for previous in reversed(order[: order.index(fork_id)]):
            for key in self._keys_of(previous):
                if key in keys:
                    items.insert(keys.index(key) + 1, item)
                    return
        items.insert(0, item)

    def _keys_of(self, fork_id: str) -> list[str]:
        keys = [f"f:{fork_id}"]
        base_id = self.ours.old_id(fork_id)
        if base_id is not None:
            upstream_id = self.theirs.new_id(base_id)
            if upstream_id is not None:
                keys.append(f"u:{upstream_id}")
        elif fork_id in self.conflicts:
            keys.append(f"u:{fork_id}")
        return keys
