"""Redlines a person can read: formatted text with deletions and insertions marked.

The word diff runs on the text as it reads (`spec.formatted`), not on its Markdown, so no
`**` or `[?](#id)` ever shows, and a word whose emphasis changed shows as changed. Blocks
(paragraphs, list items) are paired first, then words within a pair. Context is kept in
whole sentences and whole blocks: unchanged sentences of a long paragraph and unchanged
paragraphs far from any edit are folded into a counted gap ("3 unchanged sentences"),
never cut mid-sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from specver.diff.textdiff import align, similarity
from specver.spec.formatted import Run, Style, TextBlock, TextBlockKind, formatted_blocks
from specver.wording import plural

PieceOp = Literal["equal", "insert", "delete", "gap"]
"""What a piece of a redline is: kept, inserted, deleted, or a note for folded sentences."""

BlockOp = Literal["equal", "insert", "delete", "change", "gap"]
"""What a block of a redline is: unchanged, inserted or deleted whole, edited, or folded."""

KEEP_ALL_BLOCKS = 6
"""Texts of at most this many blocks are shown whole, unchanged blocks included."""
KEEP_ALL_SENTENCES = 3
"""Changed blocks of at most this many sentences are shown whole."""
PAIR_SIMILARITY = 0.35
"""Two blocks in a replaced stretch are compared word by word from this similarity up;
below it, one reads as deleted and the other as inserted."""

TOKEN_RE = re.compile(r"\s+|[^\s]+")
SENTENCE_END_RE = re.compile(r"[.!?][\"”’')\]]*$")


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of redline text in one style with one mark."""

    op: PieceOp
    text: str
    styles: frozenset[Style] = frozenset()


@dataclass(frozen=True, slots=True)
class RedlineBlock:
    """One block of a redline: a paragraph, list item, ... or a fold of unchanged blocks."""

    op: BlockOp
    kind: TextBlockKind | Literal["gap"]
    pieces: tuple[Piece, ...]
    depth: int = 0
    marker: str = ""
    quoted: bool = False


Token = tuple[str, frozenset[Style]]


def _tokens(block: TextBlock) -> list[Token]:
    out: list[Token] = []
    for run in block.runs:
        if "footnote" in run.styles or ("code" in run.styles and block.kind == "code"):
            out.append((run.text, run.styles))
        else:
            out.extend((t, run.styles) for t in TOKEN_RE.findall(run.text))
    return out


def _word_diff(old: TextBlock, new: TextBlock) -> list[tuple[PieceOp, Token]]:
    """Token-level marks for a pair of blocks; edits separated by blanks only are joined."""
    a, b = _tokens(old), _tokens(new)
    marked: list[tuple[PieceOp, Token]] = []
    for op, i1, i2, j1, j2 in align(a, b):
        if op == "equal":
            marked.extend(("equal", t) for t in b[j1:j2])
            continue
        marked.extend(("delete", t) for t in a[i1:i2])
        marked.extend(("insert", t) for t in b[j1:j2])
    return _join_edits(marked)


def _join_edits(marked: list[tuple[PieceOp, Token]]) -> list[tuple[PieceOp, Token]]:
    """`[-a-]{+b+} [-c-]{+d+}` as `[-a c-]{+b d+}`: blanks between edits go to both sides."""
    out: list[tuple[PieceOp, Token]] = []
    k = 0
    while k < len(marked):
        if marked[k][0] == "equal":
            out.append(marked[k])
            k += 1
            continue
        end = k
        last_edit = k
        while end < len(marked) and (marked[end][0] != "equal" or not marked[end][1][0].strip()):
            if marked[end][0] != "equal":
                last_edit = end
            end += 1
        stretch = marked[k : last_edit + 1]
        deleted = [t for op, t in stretch if op != "insert"]
        inserted = [t for op, t in stretch if op != "delete"]
        if any(t[0].strip() for t in deleted):
            out.extend(("delete", t) for t in deleted)
        if any(t[0].strip() for t in inserted):
            out.extend(("insert", t) for t in inserted)
        if not any(t[0].strip() for t in deleted + inserted):
            out.extend(("equal", t) for t in inserted)
        k = last_edit + 1
    return out


def _pieces(marked: list[tuple[PieceOp, Token]]) -> tuple[Piece, ...]:
    out: list[Piece] = []
    for op, (text, styles) in marked:
        if out and out[-1].op == op and out[-1].styles == styles and "footnote" not in styles:
            out[-1] = Piece(op, out[-1].text + text, styles)
        else:
            out.append(Piece(op, text, styles))
    return tuple(out)


def _sentences(marked: list[tuple[PieceOp, Token]]) -> list[list[tuple[PieceOp, Token]]]:
    """Marked tokens cut into sentences (after `.`, `!` or `?` followed by a blank)."""
    out: list[list[tuple[PieceOp, Token]]] = [[]]
    for k, item in enumerate(marked):
        out[-1].append(item)
        text = item[1][0]
        following = marked[k + 1][1][0] if k + 1 < len(marked) else ""
        if SENTENCE_END_RE.search(text) and not following.strip() and following:
            out.append([])
    return [s for s in out if s]


def _folded(marked: list[tuple[PieceOp, Token]]) -> list[tuple[PieceOp, Token]]:
    """Unchanged sentences of a long block folded into counted gaps; changed ones whole."""
    sentences = _sentences(marked)
    if len(sentences) <= KEEP_ALL_SENTENCES:
        return marked
    changed = [any(op != "equal" for op, _ in s) for s in sentences]
    out: list[tuple[PieceOp, Token]] = []
    k = 0
    while k < len(sentences):
        if changed[k]:
            out.extend(sentences[k])
            k += 1
            continue
        end = k
        while end < len(sentences) and not changed[end]:
            end += 1
        if end - k == 1 and k > 0 and end < len(sentences):
            out.extend(sentences[k])  # one sentence between two edits: kept, folding saves nothing
        else:
            note = f"[{plural(end - k, 'unchanged sentence')}]"
            out.append(("gap", (note, frozenset())))
            out.append(("equal", (" ", frozenset())))
        k = end
    while out and out[-1][0] == "equal" and not out[-1][1][0].strip():
        out.pop()
    return out


def _whole(op: BlockOp, block: TextBlock) -> RedlineBlock:
    piece_op: PieceOp = "equal" if op == "equal" else "insert" if op == "insert" else "delete"
    pieces = tuple(Piece(piece_op, r.text, r.styles) for r in block.runs)
    return RedlineBlock(op, block.kind, pieces, block.depth, block.marker, block.quoted)


def _changed(old: TextBlock, new: TextBlock) -> RedlineBlock:
    pieces = _pieces(_folded(_word_diff(old, new)))
    return RedlineBlock("change", new.kind, pieces, new.depth, new.marker, new.quoted)


def _paired(old: list[TextBlock], new: list[TextBlock]) -> list[RedlineBlock]:
    """A replaced stretch of blocks: similar ones in order compared word by word."""
    out: list[RedlineBlock] = []
    j = 0
    for block in old:
        best = next(
            (
                k
                for k in range(j, len(new))
                if similarity(block.text, new[k].text) >= PAIR_SIMILARITY
            ),
            None,
        )
        if best is None:
            out.append(_whole("delete", block))
            continue
        out.extend(_whole("insert", b) for b in new[j:best])
        out.append(_changed(block, new[best]))
        j = best + 1
    out.extend(_whole("insert", b) for b in new[j:])
    return out


def _key(block: TextBlock) -> tuple[str, int, tuple[Run, ...]]:
    return (block.kind, block.depth, block.runs)


def _all_blocks(old: tuple[TextBlock, ...], new: tuple[TextBlock, ...]) -> list[RedlineBlock]:
    out: list[RedlineBlock] = []
    for op, i1, i2, j1, j2 in align([_key(b) for b in old], [_key(b) for b in new]):
        if op == "equal":
            out.extend(_whole("equal", b) for b in new[j1:j2])
        elif op == "delete":
            out.extend(_whole("delete", b) for b in old[i1:i2])
        elif op == "insert":
            out.extend(_whole("insert", b) for b in new[j1:j2])
        else:
            out.extend(_paired(list(old[i1:i2]), list(new[j1:j2])))
    return out


def _lead_ins(blocks: list[RedlineBlock]) -> set[int]:
    """Unchanged blocks that introduce a changed list item: the nearest block before it at a
    lower depth ("The assistant must not:" before the item that changed)."""
    keep: set[int] = set()
    for k, block in enumerate(blocks):
        if block.op == "equal" or block.kind != "item":
            continue
        j = k - 1
        while j >= 0 and blocks[j].kind == "item" and blocks[j].depth >= block.depth:
            j -= 1
        if j >= 0 and blocks[j].depth < block.depth:
            keep.add(j)
    return keep


def _context(blocks: list[RedlineBlock]) -> tuple[RedlineBlock, ...]:
    """Unchanged blocks folded into gaps, except a list's lead-in before a changed item."""
    if len(blocks) <= KEEP_ALL_BLOCKS:
        return tuple(blocks)
    out: list[RedlineBlock] = []
    folded = 0
    lead_ins = _lead_ins(blocks)

    def fold() -> None:
        nonlocal folded
        if folded:
            note = f"[{plural(folded, 'unchanged paragraph')}]"
            out.append(RedlineBlock("gap", "gap", (Piece("gap", note),)))
            folded = 0

    for k, block in enumerate(blocks):
        if block.op == "equal" and k not in lead_ins:
            folded += 1
            continue
        fold()
        out.append(block)
    fold()
    return tuple(out)


def formatted_redline(
    old: str, new: str, titles: Mapping[str, str] | None = None
) -> tuple[RedlineBlock, ...]:
    """The redline of two Markdown texts as formatted blocks, folded to readable context."""
    a = formatted_blocks(old, titles)
    b = formatted_blocks(new, titles)
    blocks = _all_blocks(a, b)
    if all(block.op == "equal" for block in blocks):
        return ()
    return _context(blocks)
