"""Spec Markdown as top-level blocks: pulldown-cmark (via pyromark) behind a typed interface.

pyromark parses CommonMark into events with UTF-8 byte ranges. This module turns them into
the few things the spec reader looks at, as frozen values: each top-level `Block` with its
kind and its lines, and per paragraph or heading (at any depth) an `Inline` holding the
links and `[^name]` footnote markers it contains.

What CommonMark lacks, specver adds here, and nothing else:
- `!!! tag "Title"` admonitions (python-markdown's syntax, read as mdit-py-plugins reads
  them) at the top level: their body is parsed on its own, with its lines mapped back;
- YAML front matter between `---` lines at the very start;
- 0-based line numbers from byte offsets;
- footnote markers, which the parser hands over as several text events (`[`, `^name`, `]`);
- strict heading attribute blocks `{#id authority=root tags=a,b}` (`split_heading`), which
  raise `InputError` where pulldown-cmark's own extension would quietly read text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add
from typing import Literal, cast

import pyromark
from pyromark.event import BrokenLink, Event, LinkDef, Range

from specver.errors import InputError

BlockKind = Literal[
    "paragraph", "heading", "fence", "code", "list", "quote", "html", "rule", "admonition",
    "front_matter",
]  # fmt: skip
"""What a top-level block is (`code` is indented code; `fence` a fenced one)."""

FOOTNOTE_RE = re.compile(r"\[\^([^\]\s\[]{1,64})\]")
"""A `[^name]` footnote marker (the name of an eval prompt file, in the Model Spec)."""

SURROGATE_RE = re.compile("[\ud800-\udfff]")
"""A lone surrogate, which pulldown-cmark cannot take (UTF-8 has no encoding for it)."""

MARKER_RE = re.compile(r"^ {0,3}(?:!!!|\?\?\?)", re.MULTILINE)
"""Where a line may open an admonition (`_opener` checks the rest of it)."""

ADMONITION_RE = re.compile(r"( {0,3})(\?\?\?\+|\?\?\?|!!!)(.*)$")
"""A line that may open an admonition: indentation, marker and what follows it."""


@dataclass(frozen=True, slots=True)
class Link:
    """A link in inline text."""

    target: str
    """The destination as written (entities and escapes resolved), e.g. `#policy_id`."""
    text: str
    """The link text: its text, code spans and inline HTML, without markup."""


@dataclass(frozen=True, slots=True)
class Inline:
    """The inline content of one paragraph or heading (or a tight list item's text)."""

    line: int
    """0-based line where the paragraph or heading starts."""
    links: tuple[Link, ...]
    """Its links, in order."""
    footnotes: tuple[str, ...]
    """Names of the `[^name]` markers in its text, in order (repeats kept)."""


@dataclass(frozen=True, slots=True)
class Block:
    """A top-level block of the document."""

    kind: BlockKind
    start: int
    """0-based first line."""
    end: int
    """0-based line after the block (blank lines a list or admonition holds included)."""
    level: int = 0
    """Heading level, 1 to 6 (0 for other blocks)."""
    content: str = ""
    """A heading's text as written; a fence's body; an admonition's title."""
    info: str = ""
    """A fence's info string as written; an admonition's tag (lower case)."""
    marker: str = ""
    """A fence's opening marker (```` ``` ```` or `~~~`, as long as written)."""
    inlines: tuple[Inline, ...] = ()
    """Inline content inside the block, in document order (an admonition's title first);
    only blocks holding a `[` or `&` can have links or footnote markers, and only theirs is
    read."""


Definitions = dict[str, LinkDef]
"""Link reference definitions by normalized label (see `_label`)."""

BLOCK_KINDS: dict[str, BlockKind] = {
    "Paragraph": "paragraph",
    "Heading": "heading",
    "CodeBlock": "code",
    "List": "list",
    "BlockQuote": "quote",
    "HtmlBlock": "html",
}
"""pulldown-cmark's top-level tags -> block kinds (a fenced `CodeBlock` is a `fence`)."""


def read_blocks(text: str) -> tuple[Block, ...]:
    """The top-level blocks of `text` (lines split on `\\n`), in document order."""
    lines = text.split("\n")
    front = front_matter_end(lines)
    regions = _candidate_admonitions(text, lines, front or 0)
    if front is None and not regions:
        return tuple(_Reader(text).blocks())
    while True:
        outer, bodies, definitions = _outer_blocks(lines, front, regions)
        opened = {block.start for block in outer if block.kind == "html"}
        wrong = next((region for region in regions if region[0] not in opened), None)
        if wrong is None:
            break
        regions.remove(wrong)  # not at the top level after all: read it as CommonMark does
    found: list[Block] = []
    if front is not None:
        found.append(Block("front_matter", 0, front))
    ends = dict(regions)
    for block in outer:
        if block.start in ends and block.kind == "html":
            found.append(_admonition(lines, block.start, ends[block.start], bodies, definitions))
        else:
            found.append(block)
    return tuple(found)


def _outer_blocks(
    lines: list[str], front: int | None, regions: list[tuple[int, int]]
) -> tuple[list[Block], dict[int, str], Definitions]:
    """The blocks of the text with front matter blanked and each admonition replaced by a
    placeholder, the admonitions' bodies, and the link definitions of all of them."""
    masked = list(lines)
    if front is not None:
        masked[:front] = [""] * front
    for start, end in regions:
        masked[start:end] = _placeholder(lines[start], end - start)
    outer = "\n".join(masked)
    bodies = {start: _body(lines, start, end) for start, end in regions}
    definitions = _definitions(outer, bodies.values())
    return _Reader(outer, 0, definitions).blocks(), bodies, definitions


def _candidate_admonitions(text: str, lines: list[str], first: int) -> list[tuple[int, int]]:
    """(first line, line after) of each line that may open an admonition and its body.

    Whether one does depends on the blocks before it (not inside a fence, an HTML block or
    a list item's content): `read_blocks` checks each against the parse.
    """
    regions: list[tuple[int, int]] = []
    number, at = 0, 0
    for found in MARKER_RE.finditer(text):
        number += text.count("\n", at, found.start())
        at = found.start()
        if number >= first and _opener(lines[number]):
            regions.append((number, _admonition_end(lines, number)))
    return regions


def _placeholder(opener: str, size: int) -> list[str]:
    """Lines standing in for an admonition in the outer text: an HTML comment block (as
    indented as its opener), which ends a paragraph, list or block quote before it as the
    admonition does, and which a fence, an HTML block or a list item before it takes in as
    it would the admonition."""
    indent = " " * columns(opener)
    if size == 1:
        return [indent + "<!-- -->"]
    return [indent + "<!--", *[""] * (size - 2), indent + "-->"]


def _label(label: str) -> str:
    """A link label as CommonMark matches it: case-folded, inner whitespace collapsed."""
    return " ".join(label.split()).casefold()


def _definitions(outer: str, bodies: Iterable[str]) -> Definitions:
    """Link reference definitions of the outer text, then of admonition bodies (first wins).

    A definition reaches the whole document, so each part is parsed knowing the others'.
    """
    found: Definitions = {}
    for part in (outer, *bodies):
        if "]:" in part:
            for label, definition in pyromark.reference_definitions(
                SURROGATE_RE.sub("\ufffd", part)
            ).items():
                found.setdefault(_label(label), definition)
    return found


# --- front matter -------------------------------------------------------------------------


def columns(line: str) -> int:
    """How many columns of indentation `line` has (tabs to the next multiple of 4)."""
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4 - width % 4
        else:
            break
    return width


def front_matter_end(lines: Sequence[str]) -> int | None:
    """The line after YAML front matter that opens the document, or None without one.

    It opens with three or more `-` at the start of the first line and closes at a line of
    at least as many `-` (indented less than 4 columns) or at a `...` line; never closed,
    it is no front matter.
    """
    first = lines[0] if lines else ""
    dashes = len(first) - len(first.lstrip("-"))
    if dashes < 3:
        return None
    for number in range(1, len(lines)):
        line = lines[number]
        body = line.lstrip(" \t")
        if columns(line) == 0 and body.startswith("...") and not body[3:].strip(" \t"):
            return number + 1
        if not body.startswith("-") or columns(line) >= 4:
            continue
        run = len(body) - len(body.lstrip("-"))
        if run >= dashes and not body[run:].strip(" \t"):
            return number + 1
    return None


# --- admonitions --------------------------------------------------------------------------


def _opener(line: str) -> bool:
    """Whether `line` has an admonition marker followed by a tag."""
    match = ADMONITION_RE.match(line)
    return match is not None and bool(match.group(3).strip().split(" ", 1)[-1])


def _body_indent(line: str) -> int:
    """The column an admonition's body is read from: marker, then the spaces after it."""
    match = ADMONITION_RE.match(line)
    assert match is not None
    params = match.group(3)
    return 3 + len(params) - len(params.lstrip(" "))


def _admonition_end(lines: list[str], opener: int) -> int:
    """The line after the admonition opened at `opener`: its body is the lines indented at
    least as far as `_body_indent`; two shallower blank lines or a shallower line end it."""
    indent = _body_indent(lines[opener])
    was_blank = False
    number = opener + 1
    count = len(lines) - 1 if lines[-1] == "" else len(lines)  # a final newline ends a line
    while number < count:
        line = lines[number]
        shallow = columns(line) < indent
        if shallow and was_blank:
            break
        was_blank = shallow
        if shallow and line.strip(" \t"):
            break
        number += 1
    return number


TITLED_RE = re.compile(r'^\s*(?P<tags>[^"\s](?:[^"]*[^"\s])?)\s+"(?P<title>.*)"[^\s"]*$')
"""Tags, then a title in double quotes (as mdit-py-plugins matches it, without backtracking)."""


def admonition_tag(params: str) -> tuple[str, str]:
    """(tag, title) from what follows an admonition's marker, as mdit-py-plugins reads them:
    `meta "Commentary"` -> ("meta", "Commentary"), `note` -> ("note", "Note"), `note ""`
    -> ("note", "")."""
    params = params.strip()
    if not params:
        return "", ""
    titled = TITLED_RE.match(params)
    if titled is not None:
        return titled["tags"].strip().split(" ")[0].lower(), titled["title"]
    tag, *rest = params.split(" ")
    joined = " ".join(rest)
    if not joined:
        return tag.lower(), tag.title()
    return tag.lower(), "" if joined == '""' else joined


def _body(lines: list[str], start: int, end: int) -> str:
    """The body of the admonition on lines [start, end), its indentation removed."""
    indent = _body_indent(lines[start])
    return "\n".join(_dedent(line, indent) for line in lines[start + 1 : end])


def _admonition(
    lines: list[str], start: int, end: int, bodies: dict[int, str], definitions: Definitions
) -> Block:
    match = ADMONITION_RE.match(lines[start])
    assert match is not None
    tag, title = admonition_tag(match.group(3))
    inlines: list[Inline] = []
    if title:
        inlines.extend(_Reader(title, start, definitions).inlines())
    inlines.extend(_Reader(bodies[start], start + 1, definitions).inlines())
    return Block("admonition", start, end, content=title, info=tag, inlines=tuple(inlines))


def _dedent(line: str, width: int) -> str:
    """`line` without its first `width` columns of indentation (blank lines: all of it)."""
    if not line.strip(" \t"):
        return ""
    if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
        line = " " * columns(line) + line.lstrip(" \t")
    return line[width:]


# --- heading attributes -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeadingAttributes:
    """What a heading's trailing `{...}` block declares."""

    id: str | None = None
    classes: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()


def split_heading(content: str, line: int) -> tuple[str, HeadingAttributes]:
    """Split heading text into its title and attributes; raise InputError when malformed."""
    text = content.rstrip()
    start = _attribute_block_start(text)
    if start is None:
        if "{#" in text and not text.endswith("}"):
            raise InputError(f"line {line}: attribute block is not closed with '}}'")
        return text.strip(), HeadingAttributes()
    attrs = parse_attributes(text[start + 1 : -1], line)
    return text[:start].strip(), attrs


def _attribute_block_start(text: str) -> int | None:
    if not text.endswith("}"):
        return None
    index = text.find("{#")
    if index == -1:
        index = text.rfind("{")
        if index == -1:
            return None
        body = text[index + 1 : -1]
        if not (body.startswith(".") or "=" in body):
            return None
    if index > 0 and not text[index - 1].isspace():
        return None if not text.startswith("{") else index
    return index


def parse_attributes(body: str, line: int) -> HeadingAttributes:
    """Parse the inside of an attribute block: `#id .class key=value key="quoted value"`."""
    ident: str | None = None
    classes: list[str] = []
    pairs: list[tuple[str, str]] = []
    i, n = 0, len(body)
    while i < n:
        if body[i].isspace():
            i += 1
            continue
        if body[i] in "#.":
            j = i + 1
            while j < n and not body[j].isspace():
                j += 1
            word = body[i + 1 : j]
            if not word or any(c in word for c in "{}\"'="):
                raise InputError(f"line {line}: malformed attribute `{body[i:j][:40]}`")
            if body[i] == "#":
                if ident is not None:
                    raise InputError(f"line {line}: attribute block declares two ids")
                ident = word
            else:
                classes.append(word)
            i = j
            continue
        key, value, i = _attribute_pair(body, i, line)
        pairs.append((key, value))
    return HeadingAttributes(ident, tuple(classes), tuple(pairs))


def _attribute_pair(body: str, i: int, line: int) -> tuple[str, str, int]:
    n = len(body)
    j = i
    while j < n and (body[j].isalnum() or body[j] in "_-:"):
        j += 1
    key = body[i:j]
    if not key or j >= n or body[j] != "=":
        raise InputError(f"line {line}: malformed attribute near `{body[i : i + 40]}`")
    j += 1
    if j < n and body[j] in "\"'":
        quote = body[j]
        end = body.find(quote, j + 1)
        if end == -1:
            raise InputError(f"line {line}: unterminated quote in attribute `{key}`")
        return key, body[j + 1 : end], end + 1
    k = j
    while k < n and not body[k].isspace():
        k += 1
    value = body[j:k]
    if not value or any(c in value for c in "\"'{}"):
        raise InputError(f"line {line}: attribute `{key}` has no usable value")
    return key, value, k


# --- pulldown-cmark events -> blocks --------------------------------------------------------

CONTAINERS = frozenset({"Item", "List", "BlockQuote", "CodeBlock", "HtmlBlock"})
"""Tags that end the text of a tight list item before them (and start no inline)."""
LEAF_TAGS = frozenset({"Paragraph", "Heading"})
"""Tags whose text is one `Inline`."""
OPAQUE_TAGS = frozenset({"CodeBlock", "HtmlBlock", "MetadataBlock"})
"""Tags whose text is no inline content."""
MARKS = (b"[", b"&")
"""Every link and footnote marker needs a `[` (or an entity standing for one): the inline
content of a block without either is not read."""
READ_TAGS = OPAQUE_TAGS | {"Heading"}
"""Top-level blocks read whatever their text: headings, code and HTML blocks."""
LINK_TEXT = frozenset({"Text", "Code", "InlineHtml"})
"""Events whose text counts in a link's text."""


def _tag(payload: object) -> str:
    """The tag name of a `Start` or `End` payload (a bare name or a one-key mapping)."""
    if isinstance(payload, str):
        return payload
    return str(next(iter(payload)))  # type: ignore[call-overload]


class _Leaf:
    """The inline content of one paragraph or heading while its events stream past."""

    __slots__ = ("line", "link", "links", "pictures", "text")

    def __init__(self, line: int) -> None:
        self.line = line
        self.links: list[Link] = []
        self.text: list[str] = []
        self.link: tuple[str, list[str]] | None = None
        self.pictures = 0

    def close(self) -> Inline:
        text = "".join(self.text)
        footnotes = tuple(FOOTNOTE_RE.findall(text)) if "[^" in text else ()
        return Inline(self.line, tuple(self.links), footnotes)


class _Reader:
    """Reads the events of one text; lines count from `first_line`."""

    def __init__(
        self, text: str, first_line: int = 0, definitions: Definitions | None = None
    ) -> None:
        self.text = text
        self.parsed = text
        try:
            self.data = text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates (from an API caller, never from a file)
            self.data = text.encode("utf-8", "surrogatepass")
            self.parsed = SURROGATE_RE.sub("\ufffd", text)  # as long in UTF-8: same offsets
        self.first_line = first_line
        self.definitions = definitions or {}
        self.starts = _line_starts(self.data)

    def line(self, offset: int) -> int:
        """0-based line (counted from `first_line`) holding byte `offset`."""
        return bisect_right(self.starts, offset) - 1 + self.first_line

    def events(self) -> Iterator[tuple[Event, Range]]:
        """pulldown-cmark's events with their byte ranges (plain CommonMark)."""
        if not self.definitions:
            return pyromark.events_with_range(self.parsed)
        return pyromark.events_with_range(self.parsed, broken_link_callback=self._resolve)

    def _resolve(self, link: BrokenLink) -> tuple[str, str] | None:
        found = self.definitions.get(_label(link["reference"]))
        return None if found is None else (found["dest"], found["title"] or "")

    def blocks(self) -> list[Block]:
        """The top-level blocks, with the inline content inside each."""
        out: list[Block] = []
        data, starts, base = self.data, self.starts, self.first_line - 1
        events = self.events()
        for event, span in events:
            if isinstance(event, str):
                if event == "Rule":
                    line = self.line(span["start"])
                    out.append(Block("rule", line, line + 1))
                continue
            start = event.get("Start")
            if start is None:
                continue
            tag = start if isinstance(start, str) else _tag(start)
            at, end = span["start"], span["end"]
            if tag in READ_TAGS or any(data.find(mark, at, end) >= 0 for mark in MARKS):
                out.append(self._block(tag, start, span, events))
                continue
            _skip(events, end)  # no link or footnote marker can be inside: no inline content
            while end > at + 1 and data[end - 1] in (0x20, 0x09):
                end -= 1  # a list's range runs into the indentation of the line after it
            first, last = bisect_right(starts, at) + base, bisect_right(starts, end - 1) + base
            out.append(Block(BLOCK_KINDS.get(tag, "paragraph"), first, last + 1))
        return out

    def inlines(self) -> list[Inline]:
        """The inline content of the whole text, whatever blocks hold it."""
        return [inline for block in self.blocks() for inline in block.inlines]

    def _block(
        self, tag: str, start: object, span: Range, events: Iterator[tuple[Event, Range]]
    ) -> Block:
        first = self.line(span["start"])
        walk = _Walk(self, tag == "Heading")
        code = ""
        data = self.data
        if tag in OPAQUE_TAGS:
            end, code = walk.consume_code(events)
        else:
            if tag in LEAF_TAGS:
                walk.leaf = _Leaf(first)
            end = walk.consume(events)
        while end > span["start"] + 1 and data[end - 1] in (0x20, 0x09):
            end -= 1  # a list's range runs into the indentation of the line after it
        last = self.line(max(end - 1, span["start"]))
        if tag == "Heading":
            level = int(cast("Mapping[str, Mapping[str, str]]", start)["Heading"]["level"][1])
            return Block(
                "heading", first, last + 1, level=level, content=walk.heading_text(),
                inlines=tuple(walk.inlines),
            )  # fmt: skip
        if tag == "CodeBlock" and cast("Mapping[str, object]", start)["CodeBlock"] != "Indented":
            row = first - self.first_line
            stop = self.starts[row + 1] - 1 if row + 1 < len(self.starts) else len(self.data)
            opener = self.data[self.starts[row] : stop].decode("utf-8", "surrogatepass")
            body = opener.lstrip(" ")
            marker = body[: len(body) - len(body.lstrip(body[0]))]
            return Block(
                "fence", first, last + 1, content=code, info=body[len(marker) :], marker=marker
            )
        kind = BLOCK_KINDS.get(tag, "paragraph")
        return Block(kind, first, last + 1, inlines=tuple(walk.inlines))


def _skip(events: Iterator[tuple[Event, Range]], size: int) -> int:
    """Read events to the end of the block that has started; return its end offset."""
    depth = 1
    for event, span in events:
        if isinstance(event, dict):
            if "End" in event:
                depth -= 1
                if depth == 0:
                    return span["end"]
            elif "Start" in event:
                depth += 1
    return size


class _Walk:
    """Follows one top-level block's events to its end, collecting its inline content."""

    def __init__(self, reader: _Reader, heading: bool) -> None:
        self.reader = reader
        self.heading = heading
        self.inlines: list[Inline] = []
        self.leaf: _Leaf | None = None
        self.span: tuple[int, int] | None = None

    def consume(self, events: Iterator[tuple[Event, Range]]) -> int:
        """Read events to the end of the block; return its end offset.

        The hot loop of parsing: one pass, few calls per event.
        """
        depth = 1
        hidden = 0  # how deep inside code and HTML blocks
        for event, span in events:
            if isinstance(event, str):  # breaks and rules: no text of their own
                continue
            ((kind, payload),) = event.items()
            if kind == "End":
                depth -= 1
                if depth == 0:
                    self._close()
                    return span["end"]
                if hidden:
                    hidden -= 1
                else:
                    self._shut(_tag(payload), span)
            elif kind == "Start":
                depth += 1
                tag = _tag(payload)
                if hidden or tag in OPAQUE_TAGS:
                    hidden += 1
                    self._close()
                else:
                    self._open(tag, payload, span)
            elif not hidden:  # text, code spans, inline HTML
                self._text(kind, str(payload), span)
        self._close()
        return len(self.reader.data)

    def consume_code(self, events: Iterator[tuple[Event, Range]]) -> tuple[int, str]:
        """Read a code or HTML block's events: (its end offset, its text)."""
        depth = 1
        code: list[str] = []
        for event, span in events:
            if isinstance(event, str):
                continue
            ((kind, payload),) = event.items()
            if kind == "Text" and depth == 1:
                code.append(str(payload))
            elif kind == "Start":
                depth += 1
            elif kind == "End":
                depth -= 1
                if depth == 0:
                    return span["end"], "".join(code)
        return len(self.reader.data), "".join(code)

    def _widen(self, span: Range) -> None:
        if self.span is None:
            self.span = (span["start"], span["end"])
        else:
            self.span = (min(self.span[0], span["start"]), max(self.span[1], span["end"]))

    def _open(self, tag: str, start: object, span: Range) -> None:
        if tag in LEAF_TAGS:
            self._close()
            self.leaf = _Leaf(self.reader.line(span["start"]))
        elif tag in CONTAINERS:
            self._close()
        else:  # inline markup
            if self.heading:
                self._widen(span)
            if self.leaf is None:  # opening the text of a tight list item
                self.leaf = _Leaf(self.reader.line(span["start"]))
            leaf = self.leaf
            if tag == "Image":
                leaf.pictures += 1
            elif tag == "Link" and not leaf.pictures and leaf.link is None:
                link = cast("Mapping[str, Mapping[str, str]]", start)["Link"]
                leaf.link = (link["dest_url"], [])

    def _shut(self, tag: str, span: Range) -> None:
        leaf = self.leaf
        if tag in LEAF_TAGS or tag in CONTAINERS:
            self._close()
        elif leaf is not None:
            if self.heading:
                self._widen(span)
            if tag == "Image":
                leaf.pictures -= 1
            elif tag == "Link" and not leaf.pictures and leaf.link is not None:
                target, parts = leaf.link
                leaf.links.append(Link(target, "".join(parts)))
                leaf.link = None

    def _text(self, kind: str, value: str, span: Range) -> None:
        if self.heading:
            self._widen(span)
        if self.leaf is None:  # the text of a tight list item
            self.leaf = _Leaf(self.reader.line(span["start"]))
        leaf = self.leaf
        if kind == "Text" and not leaf.pictures:
            leaf.text.append(value)
        if leaf.link is not None and kind in LINK_TEXT:
            leaf.link[1].append(value)

    def _close(self) -> None:
        if self.leaf is not None:
            self.inlines.append(self.leaf.close())
            self.leaf = None

    def heading_text(self) -> str:
        """A heading's text as written, from its first to its last inline event."""
        if self.span is None:
            return ""
        start, end = self.span
        data = self.reader.data
        if start > 0 and data[start - 1 : start] == b"\\":
            start -= 1  # an escape before the first character
        return data[start:end].decode("utf-8", "surrogatepass")


def _line_starts(data: bytes) -> list[int]:
    """Byte offset of the start of each line."""
    return [0, *accumulate(map(add, map(len, data.split(b"\n")[:-1]), repeat(1)))]
