"""Word-level text comparison: redlines, copy edit versus substantive, and rule strength.

Alignment uses the standard library's difflib; similarity scores use rapidfuzz.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

WORD_RE = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'’”)\]]*\s+|\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")
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

    Small inputs go through difflib, as before; large ones are aligned in near-linear time
    (common ends trimmed, cut at unique common tokens, pieces through a bit-parallel LCS),
    so no text, however long or repetitive, can stall a diff: work is bounded by
    `ANCHOR_WORK` passes over the tokens, beyond which a stretch reads as replaced.
    """
    if len(a) * len(b) <= DIFFLIB_LIMIT:
        return list(SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
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


def redline(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level inline diff of two texts as equal/insert/delete segments."""
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
    """True when two texts differ only in punctuation, spacing, case, typo-level edits or
    footnote markers (which cite eval files and do not change what the text asks).

    Every edited run must be a typo-level replacement of as many words or the same letters
    spaced differently (`every one` -> `everyone`); at most `MAX_COPYEDIT_WORDS` such edits.
    """
    from rapidfuzz.distance import Indel

    a = words(FOOTNOTE_MARK_RE.sub("", old))
    b = words(FOOTNOTE_MARK_RE.sub("", new))
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
            if not _is_joined_or_split(a[i1:i2], b[j1:j2]):
                return False
            changed += 1
            continue
        for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
            if _distance(x, y) > MAX_TYPO_DISTANCE or min(len(x), len(y)) <= 2:
                return False
            changed += 1
    return changed <= MAX_COPYEDIT_WORDS


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


# --- rule strength -----------------------------------------------------------------------

# (phrase, polarity, strength): polarity +1 requires or permits, -1 forbids. Strength 6 is
# absolute (must, never), 5 nearly so (should never), 4 a default (should, avoid), 2 a
# permission (may, can). Longer phrases win over their first word ("should never").
MODALS: tuple[tuple[str, int, int], ...] = (
    ("must not", -1, 6),
    ("must never", -1, 6),
    ("mustn't", -1, 6),
    ("shall not", -1, 6),
    ("may not", -1, 6),
    ("cannot", -1, 6),
    ("can't", -1, 6),
    ("is prohibited from", -1, 6),
    ("is forbidden to", -1, 6),
    ("never", -1, 6),
    ("should never", -1, 5),
    ("must avoid", -1, 5),
    ("should not", -1, 4),
    ("shouldn't", -1, 4),
    ("should avoid", -1, 4),
    ("avoid", -1, 4),
    ("avoids", -1, 4),
    ("is discouraged from", -1, 4),
    ("must", 1, 6),
    ("shall", 1, 6),
    ("always", 1, 6),
    ("is required to", 1, 6),
    ("are required to", 1, 6),
    ("should", 1, 4),
    ("should always", 1, 5),
    ("is encouraged to", 1, 3),
    ("may", 1, 2),
    ("can", 1, 2),
    ("is allowed to", 1, 2),
    ("is permitted to", 1, 2),
)
EXCEPTION_MARKERS: tuple[str, ...] = (
    "unless",
    "except",
    "except when",
    "except where",
    "except if",
    "with the exception of",
    "other than",
    "only if",
    "only when",
)
_MODAL_INDEX: dict[str, list[tuple[tuple[str, ...], int, int]]] = {}
for _phrase, _pol, _str in MODALS:
    _parts = tuple(_phrase.split())
    _MODAL_INDEX.setdefault(_parts[0], []).append((_parts, _pol, _str))
for _entries in _MODAL_INDEX.values():
    _entries.sort(key=lambda e: -len(e[0]))
_EXCEPTION_FIRST = {m.split()[0] for m in EXCEPTION_MARKERS}


NORMATIVE_KINDS = ("strength", "rule_added", "rule_dropped", "exception_added", "exception_dropped")


@dataclass(frozen=True, slots=True)
class NormativeChange:
    """One change in a rule's strength inside an edited sentence."""

    kind: str
    """`strength` (must -> should), `rule_added` or `rule_dropped` (a modal clause added to or
    dropped from an edited sentence), `exception_added` or `exception_dropped`."""
    old: str | None
    """The modal phrase or exception marker before; None when added."""
    new: str | None
    """The modal phrase or exception marker after; None when dropped."""
    direction: str
    """`tightened` or `loosened`."""
    sentence: str
    """The sentence as it reads now (as it read before, when dropped)."""


def _lower_words(sentence: str) -> list[str]:
    return re.findall(r"[a-z]+(?:['’][a-z]+)?", sentence.lower().replace("’", "'"))


AGENTS = frozenset(
    [
        "assistant",
        "assistants",
        "model",
        "models",
        "it",
        "they",
        "you",
        "we",
        "developer",
        "developers",
        "user",
        "users",
        "operator",
        "operators",
        "system",
        "chatgpt",
    ]
)
"""Subjects that make `may` or `can` a permission rather than a possibility."""


def modals(sentence: str) -> list[tuple[str, int, int]]:
    """The modal phrases of a sentence in order, each with its polarity and strength.

    `may` and `can` count only after a party that could be permitted something (the
    assistant, the developer, it, ...): "the assistant may decline" grants a permission,
    "this may include" does not.
    """
    return [modal for modal, _action in _scan_modals(sentence)]


ACTION_WORDS = 3
"""Words after a modal that name what it governs ("must not *reveal the prompt*")."""
_FILLER = frozenset(
    ["a", "an", "the", "to", "be", "not", "it", "its", "of", "and", "or", "that", "this"]
)


def _scan_modals(sentence: str) -> list[tuple[tuple[str, int, int], frozenset[str]]]:
    """Each modal with the content words of the action it governs."""
    ws = _lower_words(sentence)
    out: list[tuple[tuple[str, int, int], frozenset[str]]] = []
    i = 0
    while i < len(ws):
        for parts, pol, strength in _MODAL_INDEX.get(ws[i], ()):
            if tuple(ws[i : i + len(parts)]) == parts:
                if pol > 0 and strength <= 2 and not AGENTS.intersection(ws[max(0, i - 3) : i]):
                    break
                end = i + len(parts)
                action = frozenset(
                    _stem(w) for w in ws[end : end + ACTION_WORDS] if w not in _FILLER
                )
                out.append(((" ".join(parts), pol, strength), action))
                i = end - 1
                break
        i += 1
    return out


def _stem(word: str) -> str:
    for suffix in ("ing", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word


def exception_markers(sentence: str) -> list[str]:
    """The exception clauses (`unless`, `except when`, ...) of a sentence, in order."""
    ws = _lower_words(sentence)
    out = []
    for k, w in enumerate(ws):
        if w not in _EXCEPTION_FIRST:
            continue
        found = [
            m for m in EXCEPTION_MARKERS if tuple(ws[k : k + len(m.split())]) == tuple(m.split())
        ]
        if found:
            out.append(max(found, key=len))
    return out


def sentences(text: str) -> list[str]:
    """Split prose into sentences and list items (never across paragraphs)."""
    return [s.strip() for s in SENTENCE_END_RE.split(text) if s and s.strip()]


def normative_changes(old: str, new: str) -> tuple[NormativeChange, ...]:
    """Changes of rule strength between two versions of a text, sentence by sentence."""
    a, b = sentences(old), sentences(new)
    out: list[NormativeChange] = []
    matcher = SequenceMatcher(None, [normalize(s) for s in a], [normalize(s) for s in b])
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        for x, y in _pair_sentences(a[i1:i2], b[j1:j2]):
            out.extend(_sentence_changes(x, y))
    return tuple(out)


def _pair_sentences(a: Sequence[str], b: Sequence[str]) -> list[tuple[str, str]]:
    """Pair edited sentences by similarity (each used once); unrelated ones stay unpaired."""
    if len(a) * len(b) > 400:
        return list(zip(a, b, strict=False))
    from rapidfuzz.fuzz import ratio

    scored = sorted(
        (
            (ratio(normalize(x), normalize(y)), i, j)
            for i, x in enumerate(a)
            for j, y in enumerate(b)
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for score, i, j in scored:
        if score < 50:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j))
    return [(a[i], b[j]) for i, j in sorted(pairs)]


def _sentence_changes(old: str, new: str) -> list[NormativeChange]:
    """Rule-strength changes between two versions of one sentence.

    Two modals at the same place are a change of strength when they govern the same action
    (they share a content word after them), or when each sentence has only that one rule.
    Otherwise the sentence was rewritten around a different action, which the text change
    already reports.
    """
    out: list[NormativeChange] = []
    scanned_old, scanned_new = _scan_modals(old), _scan_modals(new)
    before = [m for m, _a in scanned_old]
    after = [m for m, _a in scanned_new]
    single = len(before) == 1 and len(after) == 1
    for op, i1, i2, j1, j2 in align(before, after):
        if op == "equal":
            continue
        for k in range(min(i2 - i1, j2 - j1)):
            (x, action_x), (y, action_y) = scanned_old[i1 + k], scanned_new[j1 + k]
            direction = _direction(x, y)
            if direction and (single or action_x & action_y):
                out.append(NormativeChange("strength", x[0], y[0], direction, new))
        common = min(i2 - i1, j2 - j1)
        for x in before[i1 + common : i2]:
            out.append(NormativeChange("rule_dropped", x[0], None, _dropped(x), old))
        for y in after[j1 + common : j2]:
            out.append(NormativeChange("rule_added", None, y[0], _added(y), new))
    out.extend(_exception_changes(old, new))
    return out


def _exception_changes(old: str, new: str) -> list[NormativeChange]:
    before, after = exception_markers(old), exception_markers(new)
    out = []
    for marker in before[len(after) :]:
        out.append(NormativeChange("exception_dropped", marker, None, "tightened", old))
    for marker in after[len(before) :]:
        out.append(NormativeChange("exception_added", None, marker, "loosened", new))
    return out


def _added(modal: tuple[str, int, int]) -> str:
    """A duty or prohibition added constrains more; a permission added allows more."""
    return "tightened" if modal[2] >= 4 else "loosened"


def _dropped(modal: tuple[str, int, int]) -> str:
    return "loosened" if modal[2] >= 4 else "tightened"


def rule_phrase(entry: NormativeChange | Mapping[str, str | None]) -> str:
    """A short plain phrase for one rule-strength change, shared by every report.

    Examples: `“must not” → “should not”`, `exception added (“unless …”)`,
    `“must never” clause added`.
    """
    kind: str | None
    if isinstance(entry, NormativeChange):
        kind, old, new = entry.kind, entry.old, entry.new
    else:
        kind, old, new = entry.get("kind"), entry.get("old"), entry.get("new")
    phrases = {
        "exception_added": f"exception added (“{new} …”)",
        "exception_dropped": f"exception dropped (“{old} …”)",
        "rule_added": f"“{new}” clause added",
        "rule_dropped": f"“{old}” clause dropped",
    }
    return phrases.get(str(kind), f"“{old}” → “{new}”")


def _direction(old: tuple[str, int, int], new: tuple[str, int, int]) -> str | None:
    _, pol_a, str_a = old
    _, pol_b, str_b = new
    if pol_a != pol_b:
        # A prohibition that became a requirement or permission now allows more.
        return "loosened" if pol_a < 0 else "tightened"
    if str_a == str_b:
        return None
    return "tightened" if str_b > str_a else "loosened"
