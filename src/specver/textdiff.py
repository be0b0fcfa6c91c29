"""Word-level text comparison: redlines, copy edit versus substantive, and rule strength.

Alignment uses the standard library's difflib; similarity scores use rapidfuzz.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

WORD_RE = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")
SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'’”)\]]*\s+|\n\s*\n|\n(?=\s*(?:[-*+]|\d+[.)])\s)")
MAX_TYPO_DISTANCE = 2
"""A changed word counts as a typo-level edit when at most this many characters differ."""
MAX_COPYEDIT_WORDS = 6
"""More changed words than this is never a copy edit, however small each one is."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text in a redline: unchanged, inserted or deleted."""

    op: str
    """`equal`, `insert` or `delete`."""
    text: str


def tokens(text: str) -> list[str]:
    """Words, whitespace runs and punctuation marks, in order; joining them gives the text."""
    return WORD_RE.findall(text)


def redline(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level inline diff of two texts as equal/insert/delete segments."""
    a, b = tokens(old), tokens(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    out: list[Segment] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(out)


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """Text with quotes, dashes, case, punctuation and spacing made uniform.

    Cached: matching and classification ask for the same titles and bodies many times.
    """
    text = unicodedata.normalize("NFKC", text)
    return " ".join(_PUNCT_RE.sub(" ", text).lower().split())


_PUNCT_RE = re.compile("[" + re.escape(".,;:!?()[]{}\"'`*_~#>|-–—‘’“”…/\\") + "]")
"""Punctuation that `normalize` turns into spaces (one regex pass; faster than translate)."""


def words(text: str) -> list[str]:
    """The normalized words of a text."""
    return normalize(text).split()


def similarity(old: str, new: str) -> float:
    """Similarity of two texts in [0, 1] over their normalized words."""
    from rapidfuzz.fuzz import ratio

    a, b = " ".join(words(old)), " ".join(words(new))
    if not a and not b:
        return 1.0
    return round(ratio(a, b) / 100.0, 3)


def is_copyedit(old: str, new: str) -> bool:
    """True when two texts differ only in punctuation, spacing, case or typo-level edits."""
    a, b = words(old), words(new)
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    changed = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op != "replace" or (i2 - i1) != (j2 - j1):
            return _is_joined_or_split(a[i1:i2], b[j1:j2])
        for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
            if _distance(x, y) > MAX_TYPO_DISTANCE or min(len(x), len(y)) <= 2:
                return False
            changed += 1
    return changed <= MAX_COPYEDIT_WORDS


def _is_joined_or_split(a: Sequence[str], b: Sequence[str]) -> bool:
    """`every one` -> `everyone`, `e-mail` -> `email`: the same letters, spaced differently."""
    return bool(a) and bool(b) and "".join(a) == "".join(b)


def _distance(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return int(Levenshtein.distance(a, b))


# --- rule strength -----------------------------------------------------------------------

# (phrase, polarity, strength): polarity +1 requires or permits, -1 forbids; strength 3 is
# absolute (must, never), 2 a default (should, avoid), 1 a permission (may, can).
MODALS: tuple[tuple[str, int, int], ...] = (
    ("must not", -1, 3),
    ("must never", -1, 3),
    ("mustn't", -1, 3),
    ("shall not", -1, 3),
    ("may not", -1, 3),
    ("cannot", -1, 3),
    ("can't", -1, 3),
    ("is prohibited from", -1, 3),
    ("is forbidden to", -1, 3),
    ("never", -1, 3),
    ("should not", -1, 2),
    ("shouldn't", -1, 2),
    ("avoid", -1, 2),
    ("avoids", -1, 2),
    ("is discouraged from", -1, 2),
    ("must", 1, 3),
    ("shall", 1, 3),
    ("always", 1, 3),
    ("is required to", 1, 3),
    ("are required to", 1, 3),
    ("should", 1, 2),
    ("is encouraged to", 1, 1),
    ("may", 1, 1),
    ("can", 1, 1),
    ("is allowed to", 1, 1),
    ("is permitted to", 1, 1),
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


@dataclass(frozen=True, slots=True)
class NormativeChange:
    """One change in a rule's strength inside an edited sentence."""

    old: str | None
    """The modal phrase before (`must`), None for an added exception."""
    new: str | None
    """The modal phrase after (`should`), None for a dropped exception."""
    direction: str
    """`tightened` or `loosened`."""
    sentence: str
    """The sentence as it reads now (as it read before, when dropped)."""


def _lower_words(sentence: str) -> list[str]:
    return re.findall(r"[a-z]+(?:['’][a-z]+)?", sentence.lower().replace("’", "'"))


def modals(sentence: str) -> list[tuple[str, int, int]]:
    """The modal phrases of a sentence in order, each with its polarity and strength."""
    ws = _lower_words(sentence)
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(ws):
        for parts, pol, strength in _MODAL_INDEX.get(ws[i], ()):
            if tuple(ws[i : i + len(parts)]) == parts:
                out.append((" ".join(parts), pol, strength))
                i += len(parts)
                break
        else:
            i += 1
    return out


def exceptions(sentence: str) -> int:
    """How many exception clauses (`unless`, `except when`, ...) a sentence carries."""
    ws = _lower_words(sentence)
    count = 0
    for k, w in enumerate(ws):
        if w in _EXCEPTION_FIRST and any(
            tuple(ws[k : k + len(m.split())]) == tuple(m.split()) for m in EXCEPTION_MARKERS
        ):
            count += 1
    return count


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
    out: list[NormativeChange] = []
    before, after = modals(old), modals(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace":
            continue
        for x, y in zip(before[i1:i2], after[j1:j2], strict=False):
            direction = _direction(x, y)
            if direction:
                out.append(NormativeChange(x[0], y[0], direction, new))
    dropped = exceptions(old) - exceptions(new)
    if dropped > 0:
        out.append(NormativeChange("exception", None, "tightened", old))
    elif dropped < 0:
        out.append(NormativeChange(None, "exception", "loosened", new))
    return out


def _direction(old: tuple[str, int, int], new: tuple[str, int, int]) -> str | None:
    _, pol_a, str_a = old
    _, pol_b, str_b = new
    if pol_a != pol_b:
        # A prohibition that became a requirement or permission now allows more.
        return "loosened" if pol_a < 0 else "tightened"
    if str_a == str_b:
        return None
    return "tightened" if str_b > str_a else "loosened"
