"""One policy's section merged three-way: its heading part by part, its body block by block.

A section (a heading and its own text up to the next heading) is cut into its heading and
body units: paragraphs, list items, worked examples (fences), commentary (admonitions),
other blocks, and the runs of blank lines between them, each unit exactly the lines it
holds, so that units in order join back to the section. The body merges as
`git merge-file` merges lines, with units for lines (`merge3`); a unit both sides edited
differently merges again inside, by sentences (paragraphs, list items) or by lines
(fences, commentary), and conflicts only when both edited the same sentence or line.

The heading merges apart from the body: title, depth, id, classes and each attribute
(`authority`, `tags`, ...) three-way, one by one. A part both sides changed differently
keeps the fork's value in the heading, and both values are marked on their own lines
below it, so the heading stays one heading and the file parses around the markers. A
rename on one side (a new id) with an edit on the other is marked the same way: the merge
applies the edit under the new id, and asks a person to confirm it belongs there.

Conflict markers follow git's (`<<<<<<<`, `|||||||` with --diff3, `=======`, `>>>>>>>`),
each on a line between blank lines, so that no marker reads as a setext underline or
swallows the text after it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from specver.fork.merge3 import Region, lines_of, merge_sequences, merge_text, sentences
from specver.spec.markdown import Block, read_blocks, split_heading
from specver.spec.markers import MARK_BASE, MARK_FORK, MARK_SPLIT, MARK_UPSTREAM

HEADING_AUTHORITY_RE = re.compile(r"(\{[^{}]*\bauthority=)([\w-]+)")
LIST_ITEM_RE = re.compile(r"^( {0,3}|[ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")

UNIT_NAMES = {
    "paragraph": "paragraph",
    "list_item": "list item",
    "fence": "example",
    "code": "code block",
    "quote": "quotation",
    "html": "HTML block",
    "rule": "rule",
    "admonition": "commentary",
    "text": "text",
}
"""How a conflict label names the unit both sides edited."""
SENTENCE_UNITS = frozenset({"paragraph", "list_item", "quote", "text"})
"""Units merged inside by sentences; the others by lines."""


def renamed_levels(chunk: Sequence[str], renames: Mapping[str, str]) -> tuple[str, ...]:
    """A section's lines with whole-level renames applied to its heading's attribute block."""
    chunk = tuple(chunk)
    if not chunk or not renames:
        return chunk
    head = HEADING_AUTHORITY_RE.sub(
        lambda m: m.group(1) + renames.get(m.group(2), m.group(2)), chunk[0]
    )
    return (head, *chunk[1:])


# --- cutting a section ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of a section's body: one block, one list item, or a run of blank lines."""

    kind: str
    """`blank`, or a block kind: paragraph, list_item, fence, admonition, code, ..."""
    lines: tuple[str, ...]

    @property
    def blank(self) -> bool:
        """True for a run of blank lines."""
        return self.kind == "blank"


@dataclass(frozen=True, slots=True)
class Section:
    """A section cut for merging: its heading lines (none for the text before the first
    heading) and its body units; heading and units in order are the section's lines."""

    heading: tuple[str, ...]
    body: tuple[Unit, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """The section's lines, as written."""
        return (*self.heading, *(line for unit in self.body for line in unit.lines))


def cut_section(chunk: Sequence[str], *, has_heading: bool = True) -> Section:
    """A section's lines cut into its heading and its body units."""
    lines = list(chunk)
    shift = 0 if has_heading else 1
    blocks = list(read_blocks("\n".join(lines if has_heading else ["# _", *lines])))
    blocks = [_shifted(b, shift) for b in blocks]
    heading_end = 0
    if has_heading and blocks and blocks[0].kind == "heading" and blocks[0].start == 0:
        heading_end = max(1, blocks[0].end)
        blocks = blocks[1:]
    elif not has_heading:
        blocks = [b for b in blocks if b.end > 0]
    units: list[Unit] = []
    at = heading_end
    for block in blocks:
        start, end = max(block.start, at), min(max(block.end, block.start + 1), len(lines))
        if start >= end:
            continue
        units.extend(_gap(lines, at, start))
        if block.kind == "list":
            units.extend(_list_items(lines[start:end]))
        else:
            units.extend(_with_blank_tail(block.kind, lines[start:end]))
        at = end
    units.extend(_gap(lines, at, len(lines)))
    return Section(tuple(lines[:heading_end]), tuple(units))


def _shifted(block: Block, shift: int) -> Block:
    if not shift:
        return block
    return Block(block.kind, block.start - shift, block.end - shift, block.level, block.content)


def _gap(lines: list[str], start: int, end: int) -> list[Unit]:
    """Lines between blocks (blank runs, link definitions) as units."""
    out: list[Unit] = []
    k = start
    while k < end:
        blank = not lines[k].strip()
        j = k
        while j < end and (not lines[j].strip()) == blank:
            j += 1
        out.append(Unit("blank" if blank else "text", tuple(lines[k:j])))
        k = j
    return out


def _with_blank_tail(kind: str, lines: Sequence[str]) -> list[Unit]:
    """A block's lines as one unit, its trailing blank lines as a blank unit of their own."""
    end = len(lines)
    while end > 1 and not lines[end - 1].strip():
        end -= 1
    out = [Unit(kind, tuple(lines[:end]))]
    if end < len(lines):
        out.append(Unit("blank", tuple(lines[end:])))
    return out


def _list_items(lines: Sequence[str]) -> list[Unit]:
    """A list block cut into its items (nested lists stay inside their item)."""
    starts = [0]
    first = LIST_ITEM_RE.match(lines[0])
    width = len(first.group(0)) if first else 2
    for k in range(1, len(lines)):
        match = LIST_ITEM_RE.match(lines[k])
        if match and len(match.group(1).expandtabs(4)) < width:
            starts.append(k)
            width = len(match.group(0))
    out: list[Unit] = []
    for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
        out.extend(_with_blank_tail("list_item", lines[a:b]))
    return out


# --- headings ----------------------------------------------------------------------------

HeadingParts = dict[str, str | None]
"""A heading's parts in order: `depth`, `title`, `id`, `classes`, then each attribute."""


def heading_parts(heading: Sequence[str]) -> HeadingParts | None:
    """The parts of a heading's lines, None when they are no heading specver reads."""
    if not heading:
        return None
    atx = _atx(heading[0])
    if atx is not None:
        depth, content = atx
    elif len(heading) == 2 and heading[1].strip()[:1] in ("=", "-"):
        depth, content = (1 if heading[1].strip()[0] == "=" else 2), heading[0].strip()
    else:
        return None
    try:
        title, attrs = split_heading(content, 1)
    except Exception:  # an attribute block the parser refused cannot be in a parsed spec
        return None
    parts: HeadingParts = {
        "depth": str(depth),
        "title": title,
        "id": attrs.id,
        "classes": " ".join(attrs.classes) or None,
    }
    for key, value in attrs.pairs:
        parts[key] = value
    return parts


def _atx(line: str) -> tuple[int, str] | None:
    """An ATX heading line's depth and content (closing `#`s dropped), None for another line."""
    text = line.lstrip(" ")
    if len(line) - len(text) > 3:
        return None
    depth = len(text) - len(text.lstrip("#"))
    rest = text[depth:]
    if not 1 <= depth <= 6 or (rest and rest[0] not in " \t"):
        return None
    content = rest.strip(" \t")
    closed = content.rstrip("#")
    if closed != content and (not closed or closed[-1] in " \t"):
        content = closed.rstrip(" \t")
    return depth, content


def heading_line(parts: HeadingParts) -> str:
    """The ATX heading line of a set of parts."""
    attrs: list[str] = []
    if parts.get("id"):
        attrs.append(f"#{parts['id']}")
    attrs += [f".{c}" for c in (parts.get("classes") or "").split()]
    for key, value in parts.items():
        if key in ("depth", "title", "id", "classes") or value is None:
            continue
        quoted = any(c.isspace() or c in "\"'{}" for c in value) or not value
        attrs.append(f'{key}="{value}"' if quoted else f"{key}={value}")
    title = parts.get("title") or ""
    block = f" {{{' '.join(attrs)}}}" if attrs else ""
    return f"{'#' * int(parts.get('depth') or 1)} {title}{block}".rstrip()


@dataclass(frozen=True, slots=True)
class PartConflict:
    """A heading part both sides changed differently."""

    part: str
    base: str | None
    fork: str | None
    upstream: str | None


def merge_parts(
    base: HeadingParts, fork: HeadingParts, upstream: HeadingParts
) -> tuple[HeadingParts, tuple[PartConflict, ...]]:
    """Heading parts merged one by one; a part in conflict keeps the fork's value."""
    names = list(upstream)
    names += [n for n in fork if n not in names]
    names += [n for n in base if n not in names]
    merged: HeadingParts = {}
    conflicts: list[PartConflict] = []
    for name in names:
        b, f, u = base.get(name), fork.get(name), upstream.get(name)
        if f == b:
            merged[name] = u
        elif u in (b, f):
            merged[name] = f
        else:
            merged[name] = f
            conflicts.append(PartConflict(name, b, f, u))
    return merged, tuple(conflicts)


# --- the merge of one section -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Marked:
    """Lines of a section the merge marks with conflict markers."""

    kind: str
    """`block` (both edited one block), `heading` (a heading part), `authority` (the level
    changed on both sides) or `renamed_and_edited`."""
    label: str
    """What the markers say after `<<<<<<< fork`."""
    base: tuple[str, ...]
    fork: tuple[str, ...]
    upstream: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of the merged section: lines taken as they are, or a marked conflict."""

    lines: tuple[str, ...] = ()
    marked: Marked | None = None


@dataclass(frozen=True, slots=True)
class SectionMerge:
    """A section merged three-way: what it holds, in order, and what stays in conflict."""

    policy: str
    pieces: tuple[Piece, ...]

    @property
    def conflicts(self) -> tuple[Marked, ...]:
        """The marked conflicts, in order."""
        return tuple(p.marked for p in self.pieces if p.marked is not None)

    @property
    def clean(self) -> bool:
        """Whether nothing is left to resolve by hand."""
        return not self.conflicts


@dataclass(frozen=True, slots=True)
class Renamed:
    """A rename one side made to a policy (a new id) that the other side edited."""

    side: str
    """`fork` or `upstream`: who renamed it."""
    old: str
    new: str


def merge_section(
    policy: str,
    base: Sequence[str],
    fork: Sequence[str],
    upstream: Sequence[str],
    *,
    has_heading: bool = True,
    renamed: Renamed | None = None,
) -> SectionMerge:
    """The three-way merge of one section's lines (the fork's and the base's with
    upstream's level renames already applied)."""
    b, f, u = (cut_section(x, has_heading=has_heading) for x in (base, fork, upstream))
    pieces: list[Piece] = []
    pieces.extend(_merged_heading(policy, b.heading, f.heading, u.heading, renamed))
    regions = merge_sequences(b.body, f.body, u.body, key=lambda unit: unit.lines)
    for region in regions:
        pieces.extend(_body_pieces(policy, region))
    return SectionMerge(policy, tuple(_joined(pieces)))


def _merged_heading(
    policy: str,
    base: tuple[str, ...],
    fork: tuple[str, ...],
    upstream: tuple[str, ...],
    renamed: Renamed | None,
) -> list[Piece]:
    parts = [heading_parts(h) for h in (base, fork, upstream)]
    conflicts: tuple[PartConflict, ...] = ()
    if fork == base:
        lines = upstream
    elif upstream in (base, fork):
        lines = fork
    elif parts[1] is None or parts[2] is None:
        return [Piece(marked=Marked("heading", _label(policy, "heading"), base, fork, upstream))]
    else:  # no base heading: both sides added the policy
        merged, conflicts = merge_parts(parts[0] or {}, parts[1], parts[2])
        lines = (heading_line(merged),)
    out = [Piece(lines)]
    notes = [_part_conflict(policy, c) for c in conflicts]
    if renamed is not None:
        who = "upstream" if renamed.side == "upstream" else "in the fork"
        other = "in the fork" if renamed.side == "upstream" else "upstream"
        notes.append(
            Marked(
                "renamed_and_edited",
                f"{policy}: renamed {renamed.new} {who}, edited {other}; "
                f"the edit follows the rename",
                (f"id: {renamed.old}",),
                (f"id: {renamed.new if renamed.side == 'fork' else renamed.old}",),
                (f"id: {renamed.new if renamed.side == 'upstream' else renamed.old}",),
            )
        )
    if notes:
        out.append(Piece(("",)))
        out.extend(Piece(marked=m) for m in notes)
    return out


def _part_conflict(policy: str, conflict: PartConflict) -> Marked:
    def shown(value: str | None) -> tuple[str, ...]:
        return (f"{conflict.part}: {value if value is not None else '(none)'}",)

    if conflict.part == "authority":
        label = (
            f"{policy}: authority changed on both sides, {conflict.fork or 'none'} in the fork, "
            f"{conflict.upstream or 'none'} upstream"
        )
        kind = "authority"
    else:
        label = f"{policy}: the heading's {conflict.part} changed on both sides"
        kind = "heading"
    return Marked(kind, label, shown(conflict.base), shown(conflict.fork), shown(conflict.upstream))


def _label(policy: str, what: str) -> str:
    return f"{policy}: both sides edited this {what}"


def _body_pieces(policy: str, region: Region[Unit]) -> list[Piece]:
    if region.kind != "conflict":
        return [Piece(tuple(line for unit in region.merged for line in unit.lines))]
    resolved = _resolved_inside(region)
    if resolved is not None:
        return [Piece(resolved)]
    lead, fork, tail = _trim(region.fork)
    _, upstream, up_tail = _trim(region.upstream)
    _, base, _ = _trim(region.base)
    kinds = [u.kind for u in (*fork, *upstream, *base) if not u.blank]
    what = UNIT_NAMES.get(kinds[0], "text") if len(set(kinds)) == 1 else "text"
    marked = Marked("block", _label(policy, what), _lines(base), _lines(fork), _lines(upstream))
    return [Piece(_lines(lead)), Piece(marked=marked), Piece(_lines(tail or up_tail))]


def _lines(units: Sequence[Unit]) -> tuple[str, ...]:
    return tuple(line for unit in units for line in unit.lines)


def _trim(units: Sequence[Unit]) -> tuple[tuple[Unit, ...], tuple[Unit, ...], tuple[Unit, ...]]:
    """Leading blank units, the units between, trailing blank units."""
    start, end = 0, len(units)
    while start < end and units[start].blank:
        start += 1
    while end > start and units[end - 1].blank:
        end -= 1
    return tuple(units[:start]), tuple(units[start:end]), tuple(units[end:])


def _resolved_inside(region: Region[Unit]) -> tuple[str, ...] | None:
    """A conflict between blocks merged inside them, when both sides kept the same blocks
    in the same order and edited different sentences (or lines) of them; None otherwise."""
    sides = (region.base, region.fork, region.upstream)
    if not region.base or len({len(s) for s in sides}) != 1:
        return None
    out: list[str] = []
    for b, f, u in zip(*sides, strict=True):
        if len({b.kind, f.kind, u.kind}) != 1:
            return None
        pieces = sentences if b.kind in SENTENCE_UNITS else lines_of
        text = merge_text("\n".join(b.lines), "\n".join(f.lines), "\n".join(u.lines), pieces)
        if text is None:
            return None
        out.extend(text.split("\n"))
    return tuple(out)


def _joined(pieces: list[Piece]) -> list[Piece]:
    """Adjacent plain pieces joined into one; empty ones dropped."""
    out: list[Piece] = []
    for piece in pieces:
        if piece.marked is None and not piece.lines:
            continue
        if piece.marked is None and out and out[-1].marked is None:
            out[-1] = Piece((*out[-1].lines, *piece.lines))
        else:
            out.append(piece)
    return out


# --- writing the markers -------------------------------------------------------------------


def marked_lines(marked: Marked, *, diff3: bool = False) -> tuple[str, ...]:
    """A conflict between git-style markers, each marker line between blank lines."""
    out = [f"{MARK_FORK} ({marked.label})", ""]
    out += _spaced(marked.fork)
    if diff3:
        out += [MARK_BASE, "", *_spaced(marked.base)]
    out += [MARK_SPLIT, "", *_spaced(marked.upstream), MARK_UPSTREAM]
    return tuple(out)


def _spaced(lines: Sequence[str]) -> list[str]:
    return [*lines, ""] if lines else []


@dataclass(frozen=True, slots=True)
class Written:
    """Lines written for a merged section, with where each conflict's opening marker is."""

    lines: tuple[str, ...]
    conflicts: tuple[tuple[int, Marked], ...]
    """(0-based line of the opening marker within `lines`, the conflict)."""


def write_pieces(pieces: Sequence[Piece], *, diff3: bool = False) -> Written:
    """The lines of merged pieces, markers written in git's style with blank lines around."""
    lines: list[str] = []
    spots: list[tuple[int, Marked]] = []
    after_marker = False
    for piece in pieces:
        if piece.marked is None:
            if after_marker and piece.lines and piece.lines[0].strip():
                lines.append("")
            lines.extend(piece.lines)
            after_marker = False
            continue
        if lines and lines[-1].strip():
            lines.append("")
        spots.append((len(lines), piece.marked))
        lines.extend(marked_lines(piece.marked, diff3=diff3))
        after_marker = True
    if after_marker:
        lines.append("")
    return Written(tuple(lines), tuple(spots))
