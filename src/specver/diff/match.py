"""Pair the policies of two spec versions: same id, then same title, then similar content.

Similarity is only computed among what the first two passes leave unpaired, and only for
candidates that share content shingles (or title words) with the policy, so matching stays
near linear in the number of policies.

Score of a candidate pair (all parts in [0, 1]):
    0.60 * prose and example similarity (rapidfuzz ratio over normalized words)
  + 0.20 * share of worked examples with the same title
  + 0.10 * title similarity
  + 0.10 * same parent section (after pairing the parents by id)
A pair is accepted at `SIMILARITY_THRESHOLD` (0.5) or above, best scores first, each policy
used once. Sections with no text of their own (grouping headings) are paired only by id or
title, as there is nothing to compare.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from specver.diff.textdiff import normalize
from specver.perf import without_gc_pauses
from specver.spec.model import Policy, PolicyPair, Spec

SIMILARITY_THRESHOLD = 0.5
SHINGLE_WORDS = 4
MAX_CANDIDATES = 8
COMMON_SHINGLE_LIMIT = 40
"""A shingle found in more unpaired policies than this says nothing about identity."""
MAX_COMPARE_CHARS = 6000
CONTENT_WEIGHT = 0.6
"""Weight of content similarity in a candidate's score (see the module docstring)."""
CONTENT_ONLY = 0.7
"""Content a pair must reach when little else speaks for it (the score's other parts)."""
MIN_SHARED_SHINGLES = 0.05
"""Below this share of word 4-grams in common, content cannot reach `CONTENT_ONLY`."""


@dataclass(frozen=True, slots=True)
class _Profile:
    """What similarity matching needs to know about one policy."""

    policy: Policy
    text: str
    shingles: frozenset[int]
    compared_shingles: frozenset[int]
    """The shingles of `text` (the compared prefix), the same set when nothing was cut."""
    title_words: frozenset[str]
    example_titles: frozenset[str]


def policy_text(policy: Policy) -> str:
    """The normalized text that identifies a policy's content: prose and example bodies."""
    parts = [policy.prose, *(ex.source for ex in policy.examples)]
    return normalize("\n".join(parts))


def _compare_text(policy: Policy) -> str:
    """The part of a policy's normalized text that content similarity compares."""
    return policy_text(policy)[:MAX_COMPARE_CHARS]


def _profile(policy: Policy) -> _Profile:
    text = policy_text(policy)
    whole = shingles(text)
    return _Profile(
        policy,
        text[:MAX_COMPARE_CHARS],
        whole,
        _prefix_shingles(text, whole),
        frozenset(w for w in normalize(policy.title).split() if len(w) > 3),
        frozenset(normalize(ex.title) for ex in policy.examples),
    )


@without_gc_pauses
def match_policies(old: Spec, new: Spec) -> tuple[PolicyPair, ...]:
    """Pair each old policy with at most one new policy, by id, title, then similarity."""
    pairs: list[PolicyPair] = []
    new_ids = {p.id for p in new}
    for p in old:
        if p.id in new_ids:
            pairs.append(PolicyPair(p.id, p.id, "id", 1.0))
    paired_old = {pair.old for pair in pairs}
    paired_new = {pair.new for pair in pairs}
    left_old = [p for p in old if p.id not in paired_old]
    left_new = [p for p in new if p.id not in paired_new]
    title_pairs = _pair_by_title(left_old, left_new)
    pairs.extend(title_pairs)
    paired_old.update(pair.old for pair in title_pairs)
    paired_new.update(pair.new for pair in title_pairs)
    left_old = [p for p in left_old if p.id not in paired_old]
    left_new = [p for p in left_new if p.id not in paired_new]
    parents = {pair.old: pair.new for pair in pairs}
    pairs.extend(_pair_by_similarity(left_old, left_new, parents))
    return tuple(pairs)


def _pair_by_title(old: Sequence[Policy], new: Sequence[Policy]) -> list[PolicyPair]:
    """Pair policies whose normalized titles are equal and unique on both sides."""
    by_title_old = _unique_by(old, lambda p: normalize(p.title))
    by_title_new = _unique_by(new, lambda p: normalize(p.title))
    out = []
    for title, p in by_title_old.items():
        q = by_title_new.get(title)
        if q is not None and title:
            ratio = _text_ratio(_compare_text(p), _compare_text(q))
            out.append(PolicyPair(p.id, q.id, "title", ratio))
    return out


def _unique_by(policies: Iterable[Policy], key: Callable[[Policy], str]) -> dict[str, Policy]:
    seen: dict[str, Policy] = {}
    dupes: set[str] = set()
    for p in policies:
        k = key(p)
        if k in seen:
            dupes.add(k)
        seen[k] = p
    return {k: p for k, p in seen.items() if k not in dupes}


def _pair_by_similarity(
    old: Sequence[Policy], new: Sequence[Policy], parents: dict[str, str]
) -> list[PolicyPair]:
    """Best-first pairing of what is left; symmetric, so swapping the versions mirrors it.

    Candidates come from both sides, scores are symmetric, and ties are broken by the ids
    involved (not by which side a policy sits on).
    """
    if not old or not new:
        return []
    old_profiles = [_profile(p) for p in old]
    new_profiles = [_profile(p) for p in new]
    scored: list[tuple[float, str, str, float, int, int]] = []
    for i, j in candidate_pairs(_features(old_profiles), _features(new_profiles)):
        a, b = old_profiles[i], new_profiles[j]
        # The content share a pair needs to reach the threshold lets rapidfuzz stop early.
        needed = (SIMILARITY_THRESHOLD - _score(a, b, 0.0, parents)) / CONTENT_WEIGHT
        if not _may_reach(a, b, needed):
            continue
        content = _text_ratio(a.text, b.text, needed)
        score = round(_score(a, b, content, parents), 9)
        if score >= SIMILARITY_THRESHOLD:
            low, high = sorted((a.policy.id, b.policy.id))
            scored.append((-score, low, high, content, i, j))
    scored.sort()
    used_old: set[int] = set()
    used_new: set[int] = set()
    out = []
    for _score_value, _low, _high, content, i, j in scored:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        out.append(PolicyPair(old[i].id, new[j].id, "similarity", round(content, 3)))
    return out


def _may_reach(a: _Profile, b: _Profile, needed: float) -> bool:
    """False when two texts plainly cannot reach the content similarity `needed`.

    A pair that has to stand on its content alone (needed at or above `CONTENT_ONLY`)
    must share word 4-grams: edits spread evenly over one word in five leave about
    0.8^4 = 41% of them at a similarity of 0.8, so texts sharing under
    `MIN_SHARED_SHINGLES` of the smaller set are unrelated. Skipping them spares the
    character-level comparison, the costliest step of matching, for added and removed
    policies that have no counterpart. Pairs with other evidence (titles, examples,
    parent) are always compared.
    """
    if needed > 1.0:
        return False
    if needed < CONTENT_ONLY:
        return True
    return _share_enough(a.compared_shingles, b.compared_shingles)


def _share_enough(a: frozenset[int], b: frozenset[int]) -> bool:
    """Whether two shingle sets share `MIN_SHARED_SHINGLES` of the smaller one."""
    return len(a & b) >= MIN_SHARED_SHINGLES * min(len(a), len(b))


Features = tuple[frozenset[Any], ...]
"""Feature sets of one item, one per family (shingles, title words); () when it has no text."""

_Index = list[dict[Any, list[int]]]


def _features(profiles: Sequence[_Profile]) -> list[Features]:
    return [(candidate_shingles(p.shingles), p.title_words) if p.text else () for p in profiles]


def _postings(items: Sequence[Features]) -> _Index:
    """One inverted index per feature family: feature -> positions of the items having it."""
    families = max((len(f) for f in items), default=0)
    out: _Index = [defaultdict(list) for _ in range(families)]
    for pos, features in enumerate(items):
        for family, values in enumerate(features):
            for value in values:
                out[family][value].append(pos)
    return out


def _common_features(index: _Index, other: _Index) -> list[frozenset[Any]]:
    """Per family, the features held by more than `COMMON_SHINGLE_LIMIT` items on either
    side: such a feature says nothing about identity."""
    out: list[frozenset[Any]] = []
    for family in range(max(len(index), len(other))):
        common: set[Any] = set()
        for side in (index, other):
            if family < len(side):
                common.update(
                    v for v, items in side[family].items() if len(items) > COMMON_SHINGLE_LIMIT
                )
        out.append(frozenset(common))
    return out


def _top_hits(
    query: Sequence[Features], index: _Index, common: Sequence[frozenset[Any]]
) -> Iterator[tuple[int, int]]:
    """(query item, indexed item) for each query item's best-sharing indexed items.

    Only features outside `common` count, as only they can tell items apart; ties go to
    the indexed item that comes first in its document.
    """
    for pos, features in enumerate(query):
        counts: dict[int, int] = {}
        for family, values in enumerate(features):
            if family >= len(index):
                continue
            postings = index[family]
            for value in values - common[family]:
                for item in postings.get(value, ()):
                    counts[item] = counts.get(item, 0) + 1
        best = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
        for other, _count in best:
            yield pos, other


def candidate_pairs(old: Sequence[Features], new: Sequence[Features]) -> list[tuple[int, int]]:
    """(old position, new position) pairs worth scoring: each side's best-sharing items.

    The set is the same whichever side is called old, so pairings built on it can mirror.
    """
    old_index, new_index = _postings(old), _postings(new)
    common = _common_features(old_index, new_index)
    found = set(_top_hits(old, new_index, common))
    found.update((i, j) for j, i in _top_hits(new, old_index, common))
    return sorted(found)


def _text_ratio(a: str, b: str, needed: float = 0.0) -> float:
    """Content similarity of two normalized texts in [0, 1].

    With `needed` > 0 the exact value is returned only when it reaches `needed`; below
    that the result is 0.0. Cheap upper bounds (from lengths and token sets) skip the
    rapidfuzz calls that could not reach it, and rapidfuzz stops early under its cutoff.
    """
    from rapidfuzz.fuzz import ratio, token_set_ratio

    if not a and not b:
        return 1.0
    cutoff = max(0.0, needed * 100.0 - 1e-6)
    # Each part is exact at or above its cutoff; a part cut to 0 is below the other's value.
    plain = 0.0
    if _ratio_bound(a, b) >= cutoff:
        plain = ratio(a, b, score_cutoff=cutoff)
    if plain >= 90.0:
        return plain / 100.0  # 0.9 * token_set_ratio cannot exceed it
    token_set = 0.0
    if cutoff <= 0.0 or 0.9 * (_token_set_bound(a, b) + 1.0) >= cutoff:
        token_set = token_set_ratio(a, b, score_cutoff=min(100.0, cutoff / 0.9))
    return max(plain, 0.9 * token_set) / 100.0


def _ratio_bound(a: str, b: str) -> float:
    """Upper bound of rapidfuzz's `ratio`: an indel distance is at least the length gap."""
    total = len(a) + len(b)
    return 100.0 * (1.0 - abs(len(a) - len(b)) / total) if total else 100.0


@lru_cache(maxsize=1024)
def _token_set(text: str) -> frozenset[str]:
    """The distinct words of a normalized text (cached: a text meets several candidates)."""
    return frozenset(text.split())


def _joined_length(tokens: frozenset[str]) -> int:
    return sum(map(len, tokens)) + len(tokens) - 1 if tokens else 0


def _token_set_bound(a: str, b: str) -> float:
    """Upper bound of rapidfuzz's `token_set_ratio`, from the token sets' joined lengths.

    token_set_ratio is the best of ratio(sect+ab, sect+ba), ratio(sect, sect+ab) and
    ratio(sect, sect+ba) over the sorted intersection and differences; the last two follow
    from lengths alone and the first is bounded by its length gap.
    """
    ta, tb = _token_set(a), _token_set(b)
    if not ta or not tb:
        return 0.0
    sect = ta & tb
    if sect and (ta <= tb or tb <= ta):
        return 100.0
    sect_len = _joined_length(sect)
    ab_len, ba_len = _joined_length(ta - tb), _joined_length(tb - ta)
    gap = 1 if sect_len else 0
    sect_ab, sect_ba = sect_len + gap + ab_len, sect_len + gap + ba_len
    best = 100.0 * (1.0 - abs(ab_len - ba_len) / (sect_ab + sect_ba))
    if sect_len:
        best = max(
            best,
            100.0 * (1.0 - (gap + ab_len) / (sect_len + sect_ab)),
            100.0 * (1.0 - (gap + ba_len) / (sect_len + sect_ba)),
        )
    return best


def _score(a: _Profile, b: _Profile, content: float, parents: dict[str, str]) -> float:
    from rapidfuzz.fuzz import ratio

    titles = ratio(normalize(a.policy.title), normalize(b.policy.title)) / 100.0
    union = a.example_titles | b.example_titles
    examples = len(a.example_titles & b.example_titles) / len(union) if union else 0.0
    old_parent = a.policy.parent
    # An unpaired old parent maps to None, which must not read as "both at the top level".
    new_parent = b.policy.parent
    same_parent = (
        1.0
        if old_parent is not None
        and new_parent is not None
        and parents.get(old_parent) == new_parent
        else 0.0
    )
    return CONTENT_WEIGHT * content + 0.2 * examples + 0.1 * titles + 0.1 * same_parent


def shingles(text: str) -> frozenset[int]:
    """Hashed word 4-grams of normalized text (the whole text when shorter).

    Words are coded by CRC-32 and 4-grams by Python's hash of the four codes: integers
    hash the same in every process, so samples taken by hash value are reproducible.
    """
    codes = list(map(_word_code, text.split()))
    if len(codes) < SHINGLE_WORDS:
        return frozenset({hash(tuple(codes))}) if codes else frozenset()
    grams = zip(*(codes[k:] for k in range(SHINGLE_WORDS)), strict=False)
    return frozenset(map(hash, grams))


@lru_cache(maxsize=65536)
def _word_code(word: str) -> int:
    return zlib.crc32(word.encode("utf-8", "surrogatepass"))


SAMPLE_FROM = 64
"""Shingle sets at least this large are sampled for finding candidates."""


def candidate_shingles(all_shingles: frozenset[int]) -> frozenset[int]:
    """The shingles that find candidates: one in four of a large set, chosen by value, so
    two texts keep the same ones of those they share (their ranking stays, at a quarter of
    the index)."""
    if len(all_shingles) < SAMPLE_FROM:
        return all_shingles
    return frozenset(h for h in all_shingles if not h & 3)


def _prefix_shingles(text: str, whole: frozenset[int]) -> frozenset[int]:
    """The shingles of the compared prefix of `text`: `whole` when nothing is cut."""
    return whole if len(text) <= MAX_COMPARE_CHARS else shingles(text[:MAX_COMPARE_CHARS])


def similar_pairs(
    old: Sequence[str], new: Sequence[str], threshold: float
) -> list[tuple[int, int, float]]:
    """Greedy best-first pairing of normalized texts at or above `threshold` similarity.

    Only texts that share a shingle are compared, so the cost follows the overlap, not the
    product of the two sizes. The pairing is symmetric: ties are broken by the texts
    themselves, so swapping `old` and `new` gives the same pairs reversed.
    """
    from rapidfuzz.fuzz import ratio

    old_whole, new_whole = [shingles(t) for t in old], [shingles(t) for t in new]
    old_compared = [_prefix_shingles(t, s) for t, s in zip(old, old_whole, strict=True)]
    new_compared = [_prefix_shingles(t, s) for t, s in zip(new, new_whole, strict=True)]
    old_features = [(candidate_shingles(s),) for s in old_whole]
    new_features = [(candidate_shingles(s),) for s in new_whole]
    filtered = threshold >= CONTENT_ONLY
    cutoff = max(0.0, threshold * 100.0 - 1e-6)
    scored: list[tuple[float, str, str, int, int]] = []
    for i, j in candidate_pairs(old_features, new_features):
        if filtered and not _share_enough(old_compared[i], new_compared[j]):
            continue  # cannot be this similar (see `_may_reach`)
        compared = (old[i][:MAX_COMPARE_CHARS], new[j][:MAX_COMPARE_CHARS])
        score = ratio(*compared, score_cutoff=cutoff) / 100.0
        if score >= threshold:
            low, high = sorted((old[i], new[j]))
            scored.append((-round(score, 9), low, high, i, j))
    scored.sort()
    used_old: set[int] = set()
    used_new: set[int] = set()
    out = []
    for neg_score, _low, _high, i, j in scored:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            out.append((i, j, round(-neg_score, 3)))
    return out


def forget_words() -> None:
    """Empty the per-process caches of word sets and word codes (for cold measurements)."""
    _token_set.cache_clear()
    _word_code.cache_clear()
