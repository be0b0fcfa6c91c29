"""Across forks: which policies forks changed and how, identical edits, new policies.

Pure functions over `ForkResult`s (and the words of each fork's changes): `policy_tallies`
counts, per upstream policy, the forks that changed it and each label; `shared_edits`
groups changes by their fingerprint taken over upstream's policy id, so the same words
replaced in the same policy by forks on different bases are one group; `new_policy_groups`
joins the policies forks added when they share an id, a similar title or similar text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from specver.diff.classify import fingerprint
from specver.diff.textdiff import similarity
from specver.network.model import (
    VERDICTS,
    AddedPolicy,
    ForkResult,
    NewPolicyGroup,
    PolicyTally,
    SharedEdit,
    VerdictCounts,
)
from specver.spec.model import Change, Spec

TITLE_SIMILARITY = 0.85
"""Titles at least this similar (case and spacing aside) name the same new policy."""
TEXT_SIMILARITY = 0.8
"""Prose at least this similar makes two added policies one group."""


def policy_tallies(forks: Sequence[ForkResult], upstream: Spec) -> tuple[PolicyTally, ...]:
    """Each policy some fork changed, with its forks and label counts, most forks first
    (then in upstream's order; policies upstream no longer has come last)."""
    names: dict[str, list[str]] = {}
    counts: dict[str, Counter[str]] = {}
    titles: dict[str, str] = {}
    for fork in forks:
        for edit in fork.edits:
            names.setdefault(edit.policy, []).append(fork.name)
            counts.setdefault(edit.policy, Counter()).update(edit.verdicts)
            titles.setdefault(edit.policy, edit.title)
    order = {p.id: k for k, p in enumerate(upstream)}
    ranked = sorted(names, key=lambda p: (-len(names[p]), order.get(p, len(order)), p))
    return tuple(
        PolicyTally(
            policy,
            titles[policy],
            tuple(names[policy]),
            VerdictCounts(**{v: counts[policy][v] for v in VERDICTS}),
        )
        for policy in ranked
    )


@dataclass(frozen=True, slots=True)
class ForkWords:
    """A fork's changes with the upstream id of each and the words it removed and added."""

    fork: str
    changes: tuple[tuple[Change, str, tuple[str, ...], tuple[str, ...]], ...]


def shared_edits(
    forks: Sequence[ForkWords], upstream: Spec, *, least: int = 2
) -> tuple[SharedEdit, ...]:
    """Changes made identically (kind, upstream policy, words) by `least` forks or more."""
    groups: dict[str, list[tuple[str, Change, str, tuple[str, ...], tuple[str, ...]]]] = {}
    for fork in forks:
        seen: set[str] = set()
        for change, policy, removed, added in fork.changes:
            key = fingerprint(change.kind, policy, removed, added)
            if key in seen:
                continue
            seen.add(key)
            groups.setdefault(key, []).append((fork.fork, change, policy, removed, added))
    order = {p.id: k for k, p in enumerate(upstream)}
    out = []
    for key, members in groups.items():
        if len(members) < least:
            continue
        _name, change, policy, removed, added = members[0]
        out.append(
            SharedEdit(
                policy, change.kind, removed, added, tuple(m[0] for m in members), key, change
            )
        )
    out.sort(key=lambda e: (-len(e.forks), order.get(e.policy, len(order)), e.policy, e.kind))
    return tuple(out)


def _title_key(title: str) -> str:
    return " ".join(title.casefold().split())


def _similar_titles(a: str, b: str) -> bool:
    from rapidfuzz.fuzz import ratio

    return ratio(_title_key(a), _title_key(b)) / 100 >= TITLE_SIMILARITY


class _Groups:
    """Union-find over the indices of added policies."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, k: int) -> int:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _first_of_each(added: Sequence[AddedPolicy], groups: _Groups) -> dict[tuple[str, str], int]:
    """Join policies with the same id, title or text; the first index of each of these."""
    first: dict[tuple[str, str], int] = {}
    for k, p in enumerate(added):
        prose = " ".join(p.prose.split())
        keys = [("id", p.policy), ("title", _title_key(p.title))] + (
            [("text", prose)] if prose else []
        )
        for key in keys:
            if key in first:
                groups.join(first[key], k)
            else:
                first[key] = k
    return first


def _join_alike(added: Sequence[AddedPolicy], groups: _Groups) -> None:
    """Join policies with the same id, title or text, then similar titles and texts
    (compared once per distinct title and per distinct text)."""
    first = _first_of_each(added, groups)
    titles = [(k, key[1]) for key, k in first.items() if key[0] == "title"]
    for i, (a, ta) in enumerate(titles):
        for b, tb in titles[i + 1 :]:
            if groups.find(a) != groups.find(b) and _similar_titles(ta, tb):
                groups.join(a, b)
    texts = [(k, key[1]) for key, k in first.items() if key[0] == "text"]
    for i, (a, xa) in enumerate(texts):
        for b, xb in texts[i + 1 :]:
            if groups.find(a) != groups.find(b) and similarity(xa, xb) >= TEXT_SIMILARITY:
                groups.join(a, b)


def _upstream_match(members: Sequence[AddedPolicy], upstream: Spec) -> str | None:
    """An upstream policy with one of the members' ids, else one whose title or prose is
    similar to a member's (a fork may have added what upstream added later)."""
    from rapidfuzz.fuzz import ratio
    from rapidfuzz.process import extractOne

    for p in members:
        if p.policy in upstream:
            return p.policy
    ids = [q.id for q in upstream]
    titles = [_title_key(q.title) for q in upstream]
    texts = [" ".join(q.prose.split()) for q in upstream]
    for p in members:
        found = extractOne(
            _title_key(p.title), titles, scorer=ratio, score_cutoff=100 * TITLE_SIMILARITY
        )
        prose = " ".join(p.prose.split())
        if found is None and prose:
            found = extractOne(prose, texts, scorer=ratio, score_cutoff=100 * TEXT_SIMILARITY)
        if found is not None:
            return ids[found[2]]
    return None


def new_policy_groups(added: Sequence[AddedPolicy], upstream: Spec) -> tuple[NewPolicyGroup, ...]:
    """The policies forks added, grouped by similarity, most forks first."""
    groups = _Groups(len(added))
    _join_alike(added, groups)
    members: dict[int, list[AddedPolicy]] = {}
    for k, p in enumerate(added):
        members.setdefault(groups.find(k), []).append(p)
    out = []
    for root in sorted(members):
        group = members[root]
        titles = Counter(p.title for p in group)
        title = max(titles, key=lambda t: (titles[t], -[p.title for p in group].index(t)))
        forks = tuple(dict.fromkeys(p.fork for p in group))
        out.append(
            NewPolicyGroup(
                title,
                forks,
                tuple(t for t in titles if t != title),
                tuple(dict.fromkeys(p.policy for p in group)),
                _upstream_match(group, upstream),
            )
        )
    out.sort(key=lambda g: -len(g.forks))
    return tuple(out)
