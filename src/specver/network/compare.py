"""One fork against its base: the pure stage `specver forks` runs once per distinct fork.

`compare_to_base` takes parsed specs and returns a `ForkComparison`: the fork report's
`ours` (`diff(base, fork)` less what follows from other changes), each change's words (so
identical edits can be grouped across forks whatever their base), the changes per upstream
policy with their labels, the policies the fork added, and the drift from upstream.
`detect_base` picks, for a fork git knows no merge base of, the upstream version whose
section digests it shares most.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from specver.config import Config
from specver.diff.classify import changed_words
from specver.diff.compare import diff
from specver.diff.details import AuthorityChanged, TextChanged
from specver.fork.compare import Drift, fork_drift, own_changes, touched_policies
from specver.network.model import VERDICTS, AddedPolicy
from specver.spec.model import Change, Spec, SpecDiff

Words = tuple[tuple[str, ...], tuple[str, ...]]


def section_digests(spec: Spec) -> frozenset[str]:
    """A digest per section: its id and its text (heading included), whitespace-insensitive."""
    return frozenset(
        hashlib.sha256(f"{p.id}\x1f{' '.join(p.text.split())}".encode()).hexdigest()[:16]
        for p in spec
    )


@dataclass(frozen=True, slots=True)
class Candidate:
    """An upstream version a fork may be based on, with its section digests."""

    key: str
    """The sha256 of its text: how the comparison finds the parsed spec."""
    digests: frozenset[str]
    release: bool
    """True for a tagged release (preferred over upstream's untagged tip on a tie)."""


def detect_base(fork: frozenset[str], candidates: Sequence[Candidate]) -> tuple[Candidate, int]:
    """The candidate sharing most sections with the fork, and how many it shares.

    Ties go to the candidate with fewer sections the fork lacks, then to a release over
    upstream's untagged tip, then to the later one (candidates come oldest first).
    """
    best: tuple[int, int, bool, int] | None = None
    chosen = candidates[0]
    for order, cand in enumerate(candidates):
        shared = len(fork & cand.digests)
        score = (shared, -(len(cand.digests) - shared), cand.release, order)
        if best is None or score > best:
            best, chosen = score, cand
    assert best is not None
    return chosen, best[0]


@dataclass(frozen=True, slots=True)
class PolicyChanges:
    """One upstream policy's changes in one fork, before labels are given."""

    policy: str
    fork_policy: str
    title: str
    verdicts: tuple[str, ...]
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class ForkComparison:
    """What comparing one distinct fork text with its base found."""

    base_key: str
    """The sha256 of the base's text (the detected one, when detection chose it)."""
    shared_sections: int | None
    """How many sections the fork shares with a detected base; None for a merge base."""
    changes: tuple[Change, ...]
    words: tuple[Words, ...]
    """(removed, added) words of each change, in the order of `changes`."""
    policies: tuple[str, ...]
    """The upstream id of the policy each change names, in the order of `changes` (the
    fork's id for a policy it added, `(front matter)` for a change that names none)."""
    edits: tuple[PolicyChanges, ...]
    added: tuple[AddedPolicy, ...]
    """Policies the fork added (`fork` left empty: one text may be several forks)."""
    drift: Drift


NO_POLICY = "(front matter)"
"""How a change that names no policy (front matter, a whole level renamed) is filed."""


def _upstream_id(d: SpecDiff, change: Change, upstream_ids: Mapping[str, str]) -> str:
    """The upstream id of the policy a fork's change names."""
    if change.policy is None:
        return NO_POLICY
    if change.kind == "policy_removed":
        return upstream_ids.get(change.policy, change.policy)
    base_id = d.old_id(change.policy)
    return upstream_ids.get(base_id, base_id) if base_id is not None else change.policy


def labels(changes: Sequence[Change]) -> tuple[str, ...]:
    """How a fork's changes to one policy read, in `VERDICTS` order."""
    found: set[str] = set()
    for change in changes:
        details = change.details
        if isinstance(details, TextChanged):
            if details.verdict in ("tightened", "loosened", "mixed"):
                found.add(details.verdict)
            else:
                found.add("rewritten" if details.change == "substantive" else "other")
        elif isinstance(details, AuthorityChanged):
            direction = {"raised": "authority_raised", "lowered": "authority_lowered"}
            found.add(direction.get(details.direction, "other"))
        elif change.kind == "policy_removed":
            found.add("removed")
        elif change.kind in ("policy_renamed", "policy_retitled"):
            found.add("renamed")
        else:
            found.add("other")
    if {"tightened", "loosened"} <= found:
        found -= {"tightened", "loosened"}
        found.add("mixed")
    return tuple(v for v in VERDICTS if v in found)


def compare_to_base(
    base: Spec,
    fork: Spec,
    upstream: Spec,
    upstream_ids: Mapping[str, str],
    config: Config,
    *,
    base_key: str,
    shared_sections: int | None = None,
) -> ForkComparison:
    """A fork's own changes since its base, per upstream policy, with words and drift.

    `upstream_ids` maps the base's policy ids to upstream's (from pairing base and
    upstream), so edits of forks with different bases meet under one id.
    """
    d = diff(base, fork, config)
    ours = own_changes(d)
    words = changed_words(base, fork, d.pairs, ours, config.scheme)
    mine = {id(c) for c in ours}
    edits: list[PolicyChanges] = []
    for base_id, changes in touched_policies(d).items():
        kept = tuple(c for c in changes if id(c) in mine)
        if not kept:
            continue
        fork_id = d.new_id(base_id) or base_id
        shown = upstream.get(upstream_ids.get(base_id, "")) or fork.get(fork_id) or base[base_id]
        edits.append(
            PolicyChanges(
                upstream_ids.get(base_id, base_id), fork_id, shown.title, labels(kept), kept
            )
        )
    policies = tuple(_upstream_id(d, c, upstream_ids) for c in ours)
    order = {p.id: k for k, p in enumerate(fork)}
    edits.sort(key=lambda e: order.get(e.fork_policy, len(order)))
    added = tuple(
        AddedPolicy("", q.id, q.title, q.prose)
        for c in ours
        if c.kind == "policy_added" and c.policy is not None
        for q in (fork[c.policy],)
    )
    return ForkComparison(
        base_key,
        shared_sections,
        ours,
        words,
        policies,
        tuple(edits),
        added,
        fork_drift(upstream, fork, config.scheme),
    )
