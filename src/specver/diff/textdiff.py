"""Word-level text comparison: redlines, words changed, and copy edit versus substantive.

Alignment gives difflib's answer (`SequenceMatcher` without junk), found faster; similarity
scores use rapidfuzz. What an edit
does to the rules is `specver.diff.normative`'s business.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

WORD_RE = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")
MAX_TYPO_DISTANCE = 2
"""A changed word counts as a typo-level edit when at most this many characters differ."""
MAX_COPYEDIT_WORDS = 6
"""More changed words than this is never a copy edit, however small each one is."""
MAX_CHAR_SIMILARITY = 50_000
"""Texts longer than this (in characters) are compared word by word in `similarity`."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text in a redline: unchanged, inserted or deleted."""

    op: str
    """`equal`, `insert` or `delete`."""
    text: str


DIFFLIB_LIMIT = 250_000
"""Above this product of sequence lengths, alignment leaves difflib (quadratic on repetitive
text) for rapidfuzz's bit-parallel LCS on what is left once the common ends are trimmed."""
LCS_LIMIT = 16_000_000
"""Above this product, a stretch is first cut at anchors (tokens found once on each side,
in the same order, as patience diff does) and only the pieces go to the LCS."""
ANCHOR_WORK = 40
"""Anchor passes may read each token at most this many times in all; what is left after
is shown as replaced (a coarser redline, never a stall)."""

Opcode = tuple[str, int, int, int, int]


def align(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[Opcode]:
    """difflib-style opcodes (`equal`, `replace`, `delete`, `insert`) aligning two sequences.

    Small inputs get exactly difflib's opcodes (`SequenceMatcher(None, a, b,
    autojunk=False)`, see `_matching_blocks`); large ones are aligned in near-linear time
    (common ends trimmed, cut at unique common tokens, pieces through a bit-parallel LCS),
    so no text, however long or repetitive, can stall a diff: work is bounded by
    `ANCHOR_WORK` passes over the tokens, beyond which a stretch reads as replaced.
    """
    if len(a) * len(b) <= DIFFLIB_LIMIT:
        return _opcodes_from_blocks(_matching_blocks(a, b))
    blocks: list[tuple[int, int, int]] = [(0, 0, 0)]
    budget = [ANCHOR_WORK * (len(a) + len(b))]
    tasks: list[tuple[int, int, int, int, int]] = [(0, 0, len(a), 0, len(b))]
    while tasks:
        kind, alo, ahi, blo, bhi = tasks.pop()
        if kind == 1:  # an anchor: one equal token
            blocks.append((alo, blo, ahi))
            continue
        tasks.extend(reversed(_split(a, b, alo, ahi, blo, bhi, blocks, budget)))
    blocks.append((len(a), len(b), 0))
    return _opcodes_from_blocks(blocks)


FREQUENT = 16
"""Tokens found more often than this in the second sequence (spaces, `the`, commas) are
not searched from: a match is found from its first other token, which is far cheaper."""


def _matching_blocks(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[int, int, int]]:
    """difflib's `get_matching_blocks()` for `SequenceMatcher(None, a, b, autojunk=False)`:
    the longest matching block, then the same on each side of it, adjacent blocks joined.

    The same blocks come out as difflib's, by the same rule (the longest block, the first in
    `a`, then in `b`), but each is found from its rarer tokens (`_longest`) instead of from
    every pair of equal tokens, which costs difflib most on the spaces between words.
    """
    where: dict[Hashable, list[int]] = {}
    for j, token in enumerate(b):
        where.setdefault(token, []).append(j)
    frequent = {token for token, found in where.items() if len(found) > FREQUENT}
    search = _Search(a, b, where, frequent)
    queue = [(0, len(a), 0, len(b))]
    blocks: list[tuple[int, int, int]] = []
    while queue:
        alo, ahi, blo, bhi = queue.pop()
        i, j, k = _longest(search, alo, ahi, blo, bhi)
        if k:
            blocks.append((i, j, k))
            if alo < i and blo < j:
                queue.append((alo, i, blo, j))
            if i + k < ahi and j + k < bhi:
                queue.append((i + k, ahi, j + k, bhi))
    blocks.sort()
    out: list[tuple[int, int, int]] = []
    i1 = j1 = k1 = 0
    for i2, j2, k2 in blocks:
        if i1 + k1 == i2 and j1 + k1 == j2:
            k1 += k2
            continue
        if k1:
            out.append((i1, j1, k1))
        i1, j1, k1 = i2, j2, k2
    if k1:
        out.append((i1, j1, k1))
    out.append((len(a), len(b), 0))
    return out


class _Search:
    """What `_longest` reads: the sequences, where each token of `b` is, the frequent ones,
    the positions in `a` of the others found in `b` (with their places in `b`), and the
    longest stretch of frequent tokens in either whole sequence. (A plain class: a
    dataclass would cost more to create at import than a diff spends here.)"""

    __slots__ = ("a", "b", "bound", "frequent", "rare", "rare_in_b", "where")

    def __init__(
        self,
        a: Sequence[Hashable],
        b: Sequence[Hashable],
        where: dict[Hashable, list[int]],
        frequent: set[Hashable],
    ) -> None:
        self.a, self.b, self.where, self.frequent = a, b, where, frequent
        self.rare = [i for i, token in enumerate(a) if token in where and token not in frequent]
        self.rare_in_b = [where[a[i]] for i in self.rare]
        self.bound = min(
            _frequent_run(a, 0, len(a), frequent), _frequent_run(b, 0, len(b), frequent)
        )


def _frequent_run(seq: Sequence[Hashable], lo: int, hi: int, frequent: set[Hashable]) -> int:
    """The longest stretch of frequent tokens in `seq[lo:hi]`."""
    longest = run = 0
    for x in range(lo, hi):
        if seq[x] in frequent:
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return longest


def _longest(search: _Search, alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int]:
    """difflib's `find_longest_match` in a window: the longest block of `a[alo:ahi]` equal
    to one of `b[blo:bhi]`, the first in `a`, then in `b`; `(alo, blo, 0)` when none.

    Each block holding a rarer token is found once, from the first such token on its
    diagonal, and extended both ways. A block of frequent tokens only is at most as long as
    the longest stretch of them on either side; when the best block found is not longer,
    the window is searched as difflib does.
    """
    a, b, rare, rare_in_b = search.a, search.b, search.rare, search.rare_in_b
    besti, bestj, bestk = alo, blo, 0
    reached: dict[int, int] = {}  # diagonal j - i -> the end in `a` of the block found on it
    for x in range(bisect_left(rare, alo), bisect_left(rare, ahi)):
        i = rare[x]
        found = rare_in_b[x]
        for y in range(bisect_left(found, blo), len(found)):
            j = found[y]
            if j >= bhi:
                break
            if reached.get(j - i, -1) > i:
                continue
            si, sj = i, j
            while si > alo and sj > blo and a[si - 1] == b[sj - 1]:
                si -= 1
                sj -= 1
            ei, ej = i + 1, j + 1
            while ei < ahi and ej < bhi and a[ei] == b[ej]:
                ei += 1
                ej += 1
            reached[j - i] = ei
            if ei - si > bestk or (ei - si == bestk and (si, sj) < (besti, bestj)):
                besti, bestj, bestk = si, sj, ei - si
    if search.frequent and bestk <= search.bound:
        frequent = search.frequent
        if bestk <= min(_frequent_run(a, alo, ahi, frequent), _frequent_run(b, blo, bhi, frequent)):
            return _longest_everywhere(a, search.where, (alo, ahi, blo, bhi))
    return besti, bestj, bestk


def _longest_everywhere(
    a: Sequence[Hashable], where: dict[Hashable, list[int]], window: tuple[int, int, int, int]
) -> tuple[int, int, int]:
    """`find_longest_match` as difflib computes it: the length of the block ending at each
    pair of equal tokens, row by row."""
    alo, ahi, blo, bhi = window
    besti, bestj, bestk = alo, blo, 0
    lengths: dict[int, int] = {}
    for i in range(alo, ahi):
        row: dict[int, int] = {}
        found = where.get(a[i])
        if found is not None:
            for x in range(bisect_left(found, blo), len(found)):
                j = found[x]
                if j >= bhi:
                    break
                k = row[j] = lengths.get(j - 1, 0) + 1
                if k > bestk:
                    besti, bestj, bestk = i - k + 1, j - k + 1, k
        lengths = row
    return besti, bestj, bestk


def _split(
    a: Sequence[Hashable],
    b: Sequence[Hashable],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    blocks: list[tuple[int, int, int]],
    budget: list[int],
) -> list[tuple[int, int, int, int, int]]:
    """Align one stretch: trim its common ends, then LCS when small enough, else cut it at
    anchors into smaller stretches (returned in order, as tasks) for the next round."""
    from rapidfuzz.distance import Indel

    head = 0
    limit = min(ahi - alo, bhi - blo)
    while head < limit and a[alo + head] == b[blo + head]:
        head += 1
    tail = 0
    while tail < limit - head and a[ahi - 1 - tail] == b[bhi - 1 - tail]:
        tail += 1
    if head:
        blocks.append((alo, blo, head))
    out: list[tuple[int, int, int, int, int]] = []
    i1, i2, j1, j2 = alo + head, ahi - tail, blo + head, bhi - tail
    if i1 < i2 and j1 < j2:
        if (i2 - i1) * (j2 - j1) <= LCS_LIMIT:
            for op in Indel.opcodes(list(a[i1:i2]), list(b[j1:j2])):
                if op.tag == "equal":
                    size = op.src_end - op.src_start
                    blocks.append((i1 + op.src_start, j1 + op.dest_start, size))
        elif budget[0] > 0:
            budget[0] -= (i2 - i1) + (j2 - j1)
            out = _anchored(a, b, i1, i2, j1, j2)
    if tail:
        out.append((1, ahi - tail, tail, bhi - tail, 0))
    return out


def _anchored(
    a: Sequence[Hashable], b: Sequence[Hashable], i1: int, i2: int, j1: int, j2: int
) -> list[tuple[int, int, int, int, int]]:
    """A stretch cut at its anchors: tokens found exactly once on each side, the longest
    run of them in the same order on both (patience diff). No anchors: no tasks."""
    from collections import Counter

    count_a, count_b = Counter(a[i1:i2]), Counter(b[j1:j2])
    where_b = {b[j]: j for j in range(j1, j2) if count_b[b[j]] == 1 and count_a[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(i1, i2) if a[i] in where_b]
    out: list[tuple[int, int, int, int, int]] = []
    last_i, last_j = i1, j1
    for i, j in _increasing(pairs):
        out.append((0, last_i, i, last_j, j))
        out.append((1, i, 1, j, 0))
        last_i, last_j = i + 1, j + 1
    if out:
        out.append((0, last_i, i2, last_j, j2))
    return out


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of pairs increasing in both positions (pairs come sorted by the
    first): patience sorting in O(k log k)."""
    from bisect import bisect_left

    tops: list[int] = []
    top_index: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for k, (_i, j) in enumerate(pairs):
        at = bisect_left(tops, j)
        if at == len(tops):
            tops.append(j)
            top_index.append(k)
        else:
            tops[at] = j
            top_index[at] = k
        back[k] = top_index[at - 1] if at else -1
    run: list[tuple[int, int]] = []
    k = top_index[-1] if top_index else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    return run[::-1]


def _opcodes_from_blocks(blocks: Sequence[tuple[int, int, int]]) -> list[Opcode]:
    out: list[Opcode] = []
    i = j = 0
    for ai, bj, size in blocks:
        if i < ai and j < bj:
            out.append(("replace", i, ai, j, bj))
        elif i < ai:
            out.append(("delete", i, ai, j, bj))
        elif j < bj:
            out.append(("insert", i, ai, j, bj))
        if size:
            if out and out[-1][0] == "equal":
                out[-1] = ("equal", out[-1][1], ai + size, out[-1][3], bj + size)
            else:
                out.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return out


def tokens(text: str) -> list[str]:
    """Words, whitespace runs and punctuation marks, in order; joining them gives the text."""
    return WORD_RE.findall(text)


@lru_cache(maxsize=256)
def redline(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level inline diff of two texts as equal/insert/delete segments (the last few
    pairs are remembered: a change's fingerprint, its words and its report each ask)."""
    a, b = tokens(old), tokens(new)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in align(a, b):
        if op == "equal":
            out.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(_merge_edits(out))


def _merge_edits(segments: list[Segment]) -> list[Segment]:
    """Join edits separated only by spaces into one deletion and one insertion.

    `[-remainder-]{+remaining+} [-of-]{+sections+}` reads better as
    `[-remainder of-]{+remaining sections+}`; the old and new texts are unchanged.
    """
    out: list[Segment] = []
    run: list[Segment] = []

    def close_run() -> None:
        tail = [run.pop()] if run and run[-1].op == "equal" else []
        old = "".join(seg.text for seg in run if seg.op != "insert")
        new = "".join(seg.text for seg in run if seg.op != "delete")
        out.extend(Segment(op, text) for op, text in (("delete", old), ("insert", new)) if text)
        out.extend(tail)
        run.clear()

    for seg in segments:
        if seg.op != "equal" or (run and not seg.text.strip()):
            run.append(seg)
            continue
        close_run()
        out.append(seg)
    close_run()
    return out


def one_line(text: str) -> str:
    """Text on one line: every run of whitespace (newlines included) becomes one space."""
    return " ".join(text.split())


@lru_cache(maxsize=2048)
def normalize(text: str) -> str:
    """Text with quotes, dashes, case, punctuation and spacing made uniform.

    Cached: matching and classification ask for the same titles and bodies many times.
    """
    text = unicodedata.normalize("NFKC", text)
    return one_line(_PUNCT_RE.sub(" ", text).lower())


_PUNCT_RE = re.compile("[" + re.escape(".,;:!?()[]{}\"'`*_~#>|-–—‘’“”…/\\") + "]")
"""Punctuation that `normalize` turns into spaces (one regex pass; faster than translate)."""


def words(text: str) -> list[str]:
    """The normalized words of a text."""
    return normalize(text).split()


def similarity(old: str, new: str) -> float:
    """Similarity of two texts in [0, 1] over their normalized words.

    Character-level for ordinary sections; above `MAX_CHAR_SIMILARITY` characters the ratio
    is taken over whole words, which keeps very long sections from taking quadratic time.
    """
    from rapidfuzz.distance import Indel
    from rapidfuzz.fuzz import ratio

    wa, wb = words(old), words(new)
    a, b = " ".join(wa), " ".join(wb)
    if not a and not b:
        return 1.0
    if len(wa) * len(wb) > LCS_LIMIT:
        return round(_bigram_similarity(wa, wb), 3)
    if max(len(a), len(b)) > MAX_CHAR_SIMILARITY:
        return round(Indel.normalized_similarity(wa, wb), 3)
    return round(ratio(a, b) / 100.0, 3)


def _bigram_similarity(wa: Sequence[str], wb: Sequence[str]) -> float:
    """Dice similarity of the word-pair multisets: linear, for texts too long for an LCS."""
    from collections import Counter
    from itertools import pairwise

    one = Counter(pairwise(wa))
    two = Counter(pairwise(wb))
    total = sum(one.values()) + sum(two.values())
    if not total:
        return 1.0 if list(wa) == list(wb) else 0.0
    return 2 * sum((one & two).values()) / total


FOOTNOTE_MARK_RE = re.compile(r"\[\^[^\]\s\[]{1,64}\]")


def is_copyedit(old: str, new: str) -> bool:
    """True when two texts differ only in copy edits: punctuation, spacing, case, quote
    styles, typo-level edits, spelling variants (judgement/judgment), a repeated word removed
    or added ("should be only be used"), or eval-footnote markers (which cite eval files and
    do not change what the text asks).

    Every edited run must be a typo-level replacement of as many words, the same letters
    spaced differently (`every one` -> `everyone`), a spelling variant or a repeated word; at
    most `MAX_COPYEDIT_WORDS` such edits (spelling variants do not count against it).
    """
    from rapidfuzz.distance import Indel

    a = [_american(w) for w in words(FOOTNOTE_MARK_RE.sub("", old))]
    b = [_american(w) for w in words(FOOTNOTE_MARK_RE.sub("", new))]
    if a == b:
        return True
    if abs(len(a) - len(b)) > MAX_COPYEDIT_WORDS or not _few_letters_apart(a, b):
        return False
    # Each allowed edit costs at most 3 word insertions or deletions: a cheap, linear bound.
    if Indel.distance(a, b, score_cutoff=3 * MAX_COPYEDIT_WORDS) > 3 * MAX_COPYEDIT_WORDS:
        return False
    changed = 0
    for op, i1, i2, j1, j2 in align(a, b):
        if op == "equal":
            continue
        if op != "replace" or (i2 - i1) != (j2 - j1):
            if not (
                _is_joined_or_split(a[i1:i2], b[j1:j2]) or _is_repeat(a, b, op, i1, i2, j1, j2)
            ):
                return False
            changed += 1
            continue
        for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
            if _distance(x, y) > MAX_TYPO_DISTANCE or min(len(x), len(y)) <= 2:
                return False
            changed += 1
    return changed <= MAX_COPYEDIT_WORDS


def _is_repeat(
    a: Sequence[str], b: Sequence[str], op: str, i1: int, i2: int, j1: int, j2: int
) -> bool:
    """One word deleted (or inserted) that the text repeats right beside it: `the the`,
    `should be only be used` -> `should only be used`."""
    if op == "delete" and i2 - i1 == 1:
        seq, k = a, i1
    elif op == "insert" and j2 - j1 == 1:
        seq, k = b, j1
    else:
        return False
    near = [seq[m] for m in range(max(0, k - 2), min(len(seq), k + 3)) if m != k]
    return seq[k] in near


SPELLING_VARIANTS: Mapping[str, str] = MappingProxyType(
    {
        "judgement": "judgment",
        "judgements": "judgments",
        "judgemental": "judgmental",
        "acknowledgement": "acknowledgment",
        "acknowledgements": "acknowledgments",
        "ageing": "aging",
        "aluminium": "aluminum",
        "analogue": "analog",
        "catalogue": "catalog",
        "cheque": "check",
        "defence": "defense",
        "offence": "offense",
        "offences": "offenses",
        "licence": "license",
        "pretence": "pretense",
        "enrol": "enroll",
        "fulfil": "fulfill",
        "grey": "gray",
        "manoeuvre": "maneuver",
        "mould": "mold",
        "plough": "plow",
        "programme": "program",
        "programmes": "programs",
        "sceptical": "skeptical",
        "tyre": "tire",
        "whilst": "while",
        "amongst": "among",
        "towards": "toward",
        "learnt": "learned",
        "practise": "practice",
    }
)
"""British spellings and their American forms that the suffix rules in `_american` miss."""

_BRITISH_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("isation", "ization"),
    ("isations", "izations"),
    ("ise", "ize"),
    ("ised", "ized"),
    ("ises", "izes"),
    ("ising", "izing"),
    ("yse", "yze"),
    ("ysed", "yzed"),
    ("ysing", "yzing"),
    ("our", "or"),
    ("ours", "ors"),
    ("oured", "ored"),
    ("ouring", "oring"),
    ("ourable", "orable"),
    ("ourite", "orite"),
    ("tre", "ter"),
    ("tres", "ters"),
    ("elled", "eled"),
    ("elling", "eling"),
    ("eller", "eler"),
    ("ogue", "og"),
)
"""Regular British endings and their American forms (`colour` -> `color`)."""

_SUFFIX_EXEMPT = frozenset(
    str.split(
        "four your hour our pour tour flour sour ours yours hours tours pours detour contour"
        " paramour devour rise wise precise concise otherwise likewise promise premise compromise"
        " exercise expertise surprise enterprise franchise merchandise advise devise revise"
        " supervise televise improvise comprise despise disguise raise praise noise poise cruise"
        " bruise guise treatise chastise incise excise apprise demise entre genre ochre acre"
        " massacre mediocre lucre nacre"
    )
)
"""Words whose ending looks British but is not a spelling variant (`four`, `rise`)."""


@lru_cache(maxsize=8192)
def _american(word: str) -> str:
    """A normalized word in its American spelling, so spelling variants compare equal."""
    if word in SPELLING_VARIANTS:
        return SPELLING_VARIANTS[word]
    if len(word) < 5 or word in _SUFFIX_EXEMPT:
        return word
    for british, american in sorted(_BRITISH_SUFFIXES, key=lambda e: -len(e[0])):
        if word.endswith(british) and len(word) - len(british) >= 3:
            return word[: -len(british)] + american
    return word


WORD_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*")


def words_changed(old: str, new: str) -> int:
    """How many words an edit changed: deleted or inserted words, a replaced run counted by
    its longer side (so `must` -> `should` is 1 word, not 2); punctuation-only edits are 0."""
    a = WORD_TOKEN_RE.findall(old)
    b = WORD_TOKEN_RE.findall(new)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in align(a, b) if op != "equal")


def _few_letters_apart(a: Sequence[str], b: Sequence[str]) -> bool:
    """A cheap bound: a copy edit changes at most a few letters per word in a few words."""
    from rapidfuzz.distance import Indel

    budget = 2 * MAX_COPYEDIT_WORDS * (MAX_TYPO_DISTANCE + 1)
    return bool(Indel.distance(" ".join(a), " ".join(b), score_cutoff=budget) <= budget)


def _is_joined_or_split(a: Sequence[str], b: Sequence[str]) -> bool:
    """`every one` -> `everyone`, `e-mail` -> `email`: the same letters, spaced differently."""
    return bool(a) and bool(b) and "".join(a) == "".join(b)


def _distance(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))
