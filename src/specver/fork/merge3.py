"""Three-way merge of sequences, as `git merge-file` merges lines, for any items with keys.

Each side's edits are hunks against the base (difflib's opcodes: a span of the base
replaced by a span of the side). Hunks of the two sides that overlap in the base, or that
insert at the same place, form one region; a region only one side edited takes that side,
one both edited the same way takes it once, and one both edited differently is a conflict.
Hunks that merely touch (one side edits an item, the other the next one, or inserts right
before or after it) do not conflict: each side's edit is applied. Text merges on top of
it (`merge_text`) cut a block into sentences or lines first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

RegionKind = Literal["unchanged", "fork", "upstream", "both", "conflict"]
"""Who edited a region: nobody, one side, both the same way, or both differently."""


@dataclass(frozen=True, slots=True)
class Region(Generic[T]):
    """A stretch of the merge: the base's items and each side's items for it."""

    kind: RegionKind
    base: tuple[T, ...]
    fork: tuple[T, ...]
    upstream: tuple[T, ...]

    @property
    def merged(self) -> tuple[T, ...]:
        """The items the merge takes (a conflict has none of its own: see `fork`, `upstream`)."""
        if self.kind == "upstream":
            return self.upstream
        if self.kind == "unchanged":
            return self.base
        return self.fork


@dataclass(frozen=True, slots=True)
class _Hunk:
    start: int
    """First base index the hunk replaces."""
    end: int
    """Base index after the replaced span (== start for an insertion)."""
    side: str
    items_from: int
    items_to: int


def _hunks(base: Sequence[Hashable], side: Sequence[Hashable], name: str) -> list[_Hunk]:
    matcher = SequenceMatcher(None, base, side, autojunk=False)
    return [
        _Hunk(i1, i2, name, j1, j2)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _collides(start: int, end: int, hunk: _Hunk) -> bool:
    """Whether a hunk overlaps the span [start, end) of a region (insertions at one point
    collide with each other, not with a replacement they only touch)."""
    if hunk.start < end and start < hunk.end:
        return True
    return start == end == hunk.start == hunk.end


def merge_sequences(
    base: Sequence[T],
    fork: Sequence[T],
    upstream: Sequence[T],
    key: Callable[[T], Hashable] = lambda item: item,
) -> tuple[Region[T], ...]:
    """The regions of a three-way merge of `fork` and `upstream` against `base`.

    Items compare by `key`; an unchanged region holds the base's items.
    """
    keys = [key(x) for x in base]
    hunks = sorted(
        [
            *_hunks(keys, [key(x) for x in fork], "fork"),
            *_hunks(keys, [key(x) for x in upstream], "upstream"),
        ],
        key=lambda h: (h.start, h.end, h.side),
    )
    sides = {"fork": fork, "upstream": upstream}
    regions: list[Region[T]] = []
    at = 0
    k = 0
    while k < len(hunks):
        group = [hunks[k]]
        start, end = hunks[k].start, hunks[k].end
        k += 1
        while k < len(hunks) and _collides(start, end, hunks[k]):
            group.append(hunks[k])
            end = max(end, hunks[k].end)
            k += 1
        if at < start:
            regions.append(_unchanged(base[at:start]))
        regions.append(_region(base, sides, group, start, end))
        at = end
    if at < len(base) or not regions:
        regions.append(_unchanged(base[at:]))
    return tuple(r for r in regions if r.base or r.fork or r.upstream or r.kind != "unchanged")


def _unchanged(items: Sequence[T]) -> Region[T]:
    run = tuple(items)
    return Region("unchanged", run, run, run)


def _side_span(
    base: Sequence[T], items: Sequence[T], hunks: list[_Hunk], start: int, end: int
) -> tuple[T, ...]:
    """The side's items over the base span [start, end): its hunks applied to the base."""
    out: list[T] = []
    at = start
    for hunk in hunks:
        out.extend(base[at : hunk.start])
        out.extend(items[hunk.items_from : hunk.items_to])
        at = hunk.end
    out.extend(base[at:end])
    return tuple(out)


def _region(
    base: Sequence[T],
    sides: dict[str, Sequence[T]],
    group: list[_Hunk],
    start: int,
    end: int,
) -> Region[T]:
    own = {name: [h for h in group if h.side == name] for name in sides}
    fork = _side_span(base, sides["fork"], own["fork"], start, end)
    upstream = _side_span(base, sides["upstream"], own["upstream"], start, end)
    span = tuple(base[start:end])
    if not own["upstream"]:
        return Region("fork", span, fork, upstream)
    if not own["fork"]:
        return Region("upstream", span, fork, upstream)
    if fork == upstream:
        return Region("both", span, fork, upstream)
    return Region("conflict", span, fork, upstream)


def has_conflict(regions: Sequence[Region[T]]) -> bool:
    """Whether any region of a merge is a conflict."""
    return any(r.kind == "conflict" for r in regions)


# --- text merged below the block --------------------------------------------------------

SENTENCE_END_RE = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]*_]*+(?:\s++|$)|\n")
"""Where a sentence ends (with the space after it), or a line does. Possessive repeats,
and a match starts only at the first of a run of stops: linear on any text."""


def sentences(text: str) -> tuple[str, ...]:
    """The text cut after each sentence and each line break; the pieces join back to it."""
    out: list[str] = []
    at = 0
    for match in SENTENCE_END_RE.finditer(text):
        if match.end() > at:
            out.append(text[at : match.end()])
            at = match.end()
    if at < len(text):
        out.append(text[at:])
    return tuple(out)


def lines_of(text: str) -> tuple[str, ...]:
    """The text cut after each line break; the pieces join back to it."""
    return tuple(text.splitlines(keepends=True))


def merge_text(
    base: str, fork: str, upstream: str, pieces: Callable[[str], tuple[str, ...]]
) -> str | None:
    """A three-way merge of one text cut into pieces (sentences or lines); None on a
    conflict."""
    regions = merge_sequences(pieces(base), pieces(fork), pieces(upstream))
    if has_conflict(regions):
        return None
    return "".join(piece for region in regions for piece in region.merged)
