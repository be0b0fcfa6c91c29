"""Read plain spec sections line by line, as markdown-it would, without loading it.

Spec documents of the Model Spec family write a narrow, regular part of CommonMark:
paragraphs, flat and nested lists, fenced conversations (`~~~xml`), indented code,
`!!! meta` admonitions with indented bodies, links to `#ids` and `[^name]` footnote
markers. `read_run` turns one section run (its heading line and the lines up to the next
section, see `sections.section_starts`) into the block tokens markdown-it gives for it,
carrying only what the spec reader (`parse._FragmentReader`) looks at: type, line map,
fence info and content, admonition tag and title, and the links and text of inline
content (where footnote markers are found).

The reader never guesses. It answers None for anything outside that part: HTML blocks,
block quotes, setext headings and thematic breaks, tabs in indentation, list items out
of line with their list, entities, HTML, autolinks or images in text with a bracket,
brackets that are neither a plain link nor plain text, links markdown-it refuses... The
caller then parses that run with markdown-it. Equivalence with markdown-it is a tested
property (tests/test_plainread.py, the sectioned-versus-whole checks of
tests/test_sections.py, and `make fuzz`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from specver.spec.sections import FENCE_RE, blank, closing_fence, indentation, is_fence_opener

SPACES = " \t"
INLINE_MARKERS = ("[", "&")
"""Every link and footnote marker needs a `[` (or an entity standing for one): inline text
without one is not inline-parsed at all, here or by `parse.structure_parser`."""
COMMENTARY_KINDS = frozenset({"meta"})
"""Admonition tags whose body is commentary: its links count from the admonition's line,
so the reader need not know the lines of the paragraphs inside."""

BULLET_RE = re.compile(r"([-*+]) (?=[^ \t])")
ORDERED_RE = re.compile(r"([0-9]{1,9})([.)]) (?=[^ \t])")
ADMONITION_RE = re.compile(r'!!!( +)([A-Za-z0-9_-]+)(?: +"([^"]*)")? *$')
BLOCK_START_RE = re.compile(
    r"""
      [#><] | `{3} | ~{3}         # heading, block quote, HTML, fence
    | [-*+](?:[ \t]|$)            # bullet item (or an empty one)
    | [0-9]{1,9}[.)](?:[ \t]|$)   # ordered item
    | [!?]{3}                     # admonition
    """,
    re.VERBOSE,
)
RULE_MARKS = "=-*_"
"""What setext underlines and thematic breaks are made of (with spaces and tabs)."""


def _blockish(line: str, at: int = 0) -> bool:
    """Whether `line`, read from column `at`, could open a block other than a paragraph or
    end one: a broader test than CommonMark's (a `#tag` or `<` line only costs the fast
    path), and linear (a setext underline or thematic break is checked without a regex)."""
    if BLOCK_START_RE.match(line, at) is not None:
        return True
    first = line[at : at + 1]
    return bool(first) and first in RULE_MARKS and not line[at:].strip(RULE_MARKS + SPACES)


INNER_ITEM_RE = re.compile(r"(?:[-*+]|([0-9]{1,9})[.)]) (?=[^ \t])")
"""A list item marker inside an admonition body (the number of an ordered one)."""

UNICODE_BLANK_RE = re.compile(r"[^\S \t\n]")
"""Whitespace other than spaces, tabs and newlines (NEL, no-break spaces...): CommonMark
reads them as text, Python's `strip()` as blanks. The reader only ever strips spaces and
tabs, and declines headings holding them (markdown-it trims those with its own set)."""

INLINE_TRAP_RE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});|<[^ \t\n]|!\["
)
"""What the reader leaves to markdown-it in inline text with a bracket: entities (which
can spell one), HTML tags and autolinks (which hide them) and images."""

SHIELD_RE = re.compile(r"\\[!-/:-@\[-`{-~\n]|`+")
"""Backslash escapes (and hard breaks) and backtick runs, which may open code spans."""

MASK = "\x00"
"""Stands for an escaped or code character when brackets are matched (the spec text
never holds a NUL: `parse.normalize_text` makes it visible)."""

LINK_RE = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\((?P<dest>[^\s()<>\\`\x00]*)\)")
"""A plain inline link: one line of text without brackets, a destination without spaces,
escapes or a title."""
UNSAFE_LINK_RE = re.compile(r"(?:vbscript|javascript|file|data):", re.IGNORECASE)
"""Destinations markdown-it does not link to (`validateLink`)."""
PLAIN_LABEL_RE = re.compile(r"[^*_`\x00]*")
"""The text of a link to an `#id` that the reader takes as written: no markup in it."""

BRACKET_RE = re.compile(r"[\[\]]")
FOOTNOTE_REGION_RE = re.compile(r"\[[^\[\]]*")
ANCHOR_RE = re.compile(r"#[A-Za-z0-9_.:-]+")
"""Link targets inside the document that markdown-it keeps as written."""


class BlockToken:
    """The attributes of a markdown-it token that the spec reader uses, and no more.

    Inline children are reduced to what the reader takes from them: each link as
    `link_open` (with its `href`), its label and `link_close`, then one `text` token with
    all the text markdown-it's text tokens would hold, in order and joined.
    """

    __slots__ = (
        "attrs", "children", "content", "info", "level", "map", "markup", "meta", "nesting",
        "tag", "type",
    )  # fmt: skip

    def __init__(
        self,
        type_: str,
        map_: list[int] | None = None,
        *,
        nesting: int = 0,
        tag: str = "",
        content: str = "",
        info: str = "",
        markup: str = "",
        meta: dict[str, Any] | None = None,
        children: list[BlockToken] | None = None,
        attrs: dict[str, str] | None = None,
    ) -> None:
        self.type = type_
        self.map = map_
        self.nesting = nesting
        self.level = 0
        self.tag = tag
        self.content = content
        self.info = info
        self.markup = markup
        self.meta = meta if meta is not None else {}
        self.children = children
        self.attrs = attrs if attrs is not None else {}


class _Decline(Exception):
    """The run holds something this reader does not read with certainty."""


def inline_children(lines: list[str]) -> list[BlockToken] | None:
    """The inline tokens markdown-it would give text made of `lines` (stripped of spaces),
    as far as the spec reader uses them: links, and the text footnote markers are found
    in. None when that is not certain.

    Like `parse.structure_parser`, text without a `[` or `&` is not inline-parsed at all.
    """
    try:
        return _children(lines)
    except _Decline:
        return None


def _children(lines: list[str]) -> list[BlockToken]:
    if not any(marker in line for line in lines for marker in INLINE_MARKERS):
        return []
    text = "\n".join(lines)
    if INLINE_TRAP_RE.search(text) is not None:
        raise _Decline
    masked, edits = _shield(text) if ("\\" in text or "`" in text) else (text, [])
    children: list[BlockToken] = []
    for link in _links(masked):
        dest, label = link.group("dest"), link.group("text")
        if dest.startswith("#") and (
            ANCHOR_RE.fullmatch(dest) is None or PLAIN_LABEL_RE.fullmatch(label) is None
        ):
            raise _Decline  # an encoded target, or markup in the text it names
        if UNSAFE_LINK_RE.match(dest):
            raise _Decline  # markdown-it refuses the link and leaves its brackets as text
        children.append(BlockToken("link_open", attrs={"href": dest}, nesting=1))
        if label:
            children.append(BlockToken("label", content=label))
        children.append(BlockToken("link_close", nesting=-1))
        edits.append((link.start(), link.start("text"), ""))
        edits.append((link.end("text"), link.end(), ""))
    plain = _apply(text, edits) if edits else text.replace("\n", "")
    for region in FOOTNOTE_REGION_RE.finditer(plain):
        found = region.group()
        if "^" in found and ("*" in found or "_" in found):
            raise _Decline  # emphasis could join or split a footnote marker
    children.append(BlockToken("text", content=plain))
    return children


def _links(masked: str) -> list[re.Match[str]]:
    """The plain links of `masked` text; declines when a bracket could mean anything else.

    Without reference definitions (the scan sends texts with any to a whole parse) a `[`
    opens a link only when `](` follows its text; brackets around text stay text.
    """
    links: list[re.Match[str]] = []
    pos = 0
    while (bracket := BRACKET_RE.search(masked, pos)) is not None:
        at = bracket.start()
        if bracket.group() == "]":
            pos = at + 1  # a bracket nothing opened is text
            continue
        link = LINK_RE.match(masked, at)
        if link is not None:
            links.append(link)
            pos = link.end()
            continue
        closer = BRACKET_RE.search(masked, at + 1)
        if (
            closer is None
            or closer.group() == "["
            or masked.startswith("(", closer.end())
            or (masked.startswith(":", closer.end()) and (at == 0 or masked[at - 1] == "\n"))
        ):
            raise _Decline  # nested brackets, a link it does not read, or a definition
        pos = closer.end()
    return links


def _shield(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """`text` with escapes and code spans masked, and the edits that turn `text` into the
    text markdown-it's text tokens hold (escapes resolved, code spans and breaks left out)."""
    parts: list[str] = []
    edits: list[tuple[int, int, str]] = []
    pos = done = 0
    while (found := SHIELD_RE.search(text, pos)) is not None:
        start, stop = found.span()
        mark = found.group()
        if mark[0] == "\\":
            edits.append((start, stop, "" if mark[1] == "\n" else mark[1]))
            parts += [text[done:start], MASK * 2 if mark[1] != "\n" else MASK + "\n"]
            pos = done = stop
            continue
        closer = re.compile(rf"(?<!`){mark}(?!`)").search(text, stop)
        if closer is None:
            pos = stop  # no closing run: the backticks are text
            continue
        edits.append((start, closer.end(), ""))
        span = text[start : closer.end()]
        parts += [text[done:start], "".join("\n" if c == "\n" else MASK for c in span)]
        pos = done = closer.end()
    parts.append(text[done:])
    return "".join(parts), edits


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, stop, replacement) edit made and line breaks left out."""
    out: list[str] = []
    done = 0
    for start, stop, replacement in sorted(edits):
        out += [text[done:start], replacement]
        done = stop
    out.append(text[done:])
    return "".join(out).replace("\n", "")


def heading_tokens(line: str) -> list[BlockToken] | None:
    """The three tokens of a column-0 ATX heading line, or None when not certain."""
    if UNICODE_BLANK_RE.search(line) is not None:
        return None
    depth = len(line) - len(line.lstrip("#"))
    if not 1 <= depth <= 6 or line[depth : depth + 1] not in ("", " ", "\t"):
        return None
    content = line[depth:].rstrip(SPACES)
    closed = content.rstrip("#")
    if len(closed) < len(content) and closed and closed[-1] in SPACES:
        content = closed  # a closing run of `#` after a blank is no part of the title
    content = content.strip(SPACES)
    children = inline_children([content])
    if children is None:
        return None
    tag = f"h{depth}"
    return [
        BlockToken("heading_open", [0, 1], nesting=1, tag=tag),
        BlockToken("inline", [0, 1], content=content, children=children),
        BlockToken("heading_close", nesting=-1, tag=tag),
    ]


def line_count(lines: list[str]) -> int:
    """How many lines markdown-it sees in the text of `lines` (a document split at `\n`):
    a final newline opens no line, and neither do final blanks without one."""
    return len(lines) - 1 if blank(lines[-1]) else len(lines)


def read_run(lines: list[str], start: int, end: int, *, headed: bool) -> list[BlockToken] | None:
    """Block tokens of the run `lines[start:end]`, line maps counted from `start`.

    `end` is where markdown-it's view of the run ends: the next section's heading line, or
    for the document's last run its `line_count`. `headed`
    runs start with their heading line. None when the run is not plain enough to be sure.
    """
    try:
        return _RunReader(lines[start:end], start == 0).read(headed)
    except _Decline:
        return None


class _RunReader:
    """One pass over a run's lines, block by block (see `read_run`)."""

    def __init__(self, lines: list[str], at_document_start: bool) -> None:
        self.lines = lines
        self.end = len(lines)
        self.at_document_start = at_document_start
        self.tokens: list[Any] = []

    def read(self, headed: bool) -> list[Any]:
        lines = self.lines
        i = 0
        if headed:
            heading = heading_tokens(lines[0])
            if heading is None:
                raise _Decline
            self.tokens.extend(heading)
            i = 1
        elif self.at_document_start and lines and lines[0].startswith("---"):
            raise _Decline  # front matter
        while i < self.end:
            i = i + 1 if blank(lines[i]) else self._block(i)
        return self.tokens

    def _block(self, i: int) -> int:
        """Read the block that starts on (non-blank) line `i`; the line after it."""
        line = self.lines[i]
        indent = indentation(self._plain_line(line) if line[0] in SPACES else line)
        if indent >= 4:
            return self._code(i)
        if indent:
            if _blockish(line, indent):
                raise _Decline  # an indented block opener
            return self._paragraph(i)
        if line[0] in "`~" and FENCE_RE.match(line):
            return self._fence(i)
        if line.startswith("!!!"):
            return self._admonition(i)
        if _item(line, 0) is not None:
            return self._list(i)
        if _blockish(line):
            raise _Decline
        return self._paragraph(i)

    @staticmethod
    def _plain_line(line: str) -> str:
        """`line` unless a tab is part of its indentation (a tab indents to the next
        multiple of four columns, which this reader does not count)."""
        if line.lstrip(" ")[:1] == "\t":
            raise _Decline
        return line

    def _paragraph_end(self, i: int, levels: Sequence[_Level] = ()) -> int:
        """The line after the paragraph whose first line is `i`: its continuation lines,
        lazy or indented, run to a blank line or, in a list, an item line that continues
        an open list or starts one inside the last item; declined where a line could open
        another block."""
        lines = self.lines
        j = i + 1
        while j < self.end:
            line = self._plain_line(lines[j])
            if not line.strip(" ") or (levels and _item_ends_paragraph(line, levels)):
                break
            if _blockish(line, indentation(line)):
                raise _Decline  # it could interrupt the paragraph, or underline it
            j += 1
        return j

    def _paragraph(self, i: int) -> int:
        self._plain_line(self.lines[i])
        j = self._paragraph_end(i)
        children = _children([_inline_line(line) for line in self.lines[i:j]])
        self.tokens += [
            BlockToken("paragraph_open", [i, j], nesting=1),
            BlockToken("inline", [i, j], children=children),
            BlockToken("paragraph_close", nesting=-1),
        ]
        return j

    def _code(self, i: int) -> int:
        """An indented code block: indented and blank lines, up to the last indented one."""
        lines = self.lines
        last = j = i + 1
        while j < self.end:
            line = self._plain_line(lines[j])
            if not line.strip(" "):
                j += 1
            elif indentation(line) >= 4:
                j += 1
                last = j
            else:
                break
        self.tokens.append(BlockToken("code_block", [i, last]))
        return last

    def _list(self, i: int) -> int:
        """A list at the margin: items of paragraphs and lists nested in them.

        `levels` holds the open lists, outermost first. Each paragraph belongs to the
        last item whose content column its indentation reaches; items must line up with
        the other items of their list.
        """
        lines = self.lines
        first = _item(lines[i], 0)
        assert first is not None
        levels = [_Level(0, first[0], first[2])]
        inlines: list[BlockToken] = []
        j, content = i, lines[i][first[2] :]
        while True:
            if _blockish(content):
                raise _Decline  # a block this reader does not read, inside an item
            k = self._paragraph_end(j, levels)
            texts = [_inline_line(content), *(_inline_line(text) for text in lines[j + 1 : k])]
            inlines.append(BlockToken("inline", [j, k], children=_children(texts)))
            after_blank = k < self.end and blank(lines[k])
            while k < self.end and blank(lines[k]):
                k += 1
            following = self._in_list(k, levels, after_blank=after_blank)
            if following is None:
                break
            j, content = k, following
        name = "ordered_list" if first[1] is not None else "bullet_list"
        self.tokens += [
            BlockToken(f"{name}_open", [i, k], nesting=1),
            *inlines,
            BlockToken(f"{name}_close", nesting=-1),
        ]
        return k

    def _in_list(self, k: int, levels: list[_Level], *, after_blank: bool) -> str | None:
        """The content of line `k` when it starts a paragraph of the list (as an item, or
        a further paragraph of an item), `levels` updated to the item it belongs to; None
        when the list has ended before it."""
        if k >= self.end:
            return None
        line = self._plain_line(self.lines[k])
        indent = indentation(line)
        item = _item(line, indent)
        if item is not None:
            kind, number, column = item
            same = [n for n, level in enumerate(levels) if level.indent == indent]
            if same and levels[same[0]].kind == kind:
                del levels[same[0] :]  # the next item of an open list
            elif same or not levels[-1].column <= indent <= levels[-1].column + 3:
                if indent == 0:
                    return None  # another list starts at the margin
                raise _Decline  # another list inside an item, or a misaligned item
            elif not after_blank and number not in (None, 1):
                raise _Decline  # only `1.` starts a list that interrupts a paragraph
            levels.append(_Level(indent, kind, column))
            return line[column:]
        if indent == 0:
            return None  # the list ends
        while levels and levels[-1].column > indent:
            levels.pop()  # lists the line is not indented enough to stay in
        if not levels or indent - levels[-1].column >= 4:
            raise _Decline  # text between margin and item, or indented code
        return line[indent:]

    def _fence(self, i: int) -> int:
        lines = self.lines
        opener = FENCE_RE.match(lines[i])
        assert opener is not None
        if not is_fence_opener(opener):
            raise _Decline  # inline code, not a fence
        marker, info = opener.group(2), opener.group(3)
        closing = closing_fence(marker[0], len(marker))
        for j in range(i + 1, self.end):
            line = lines[j]
            if line.lstrip(" ").startswith(marker) and closing.match(line):
                content = "".join(f"{text}\n" for text in lines[i + 1 : j])
                self.tokens.append(
                    BlockToken("fence", [i, j + 1], content=content, info=info, markup=marker)
                )
                return j + 1
        raise _Decline  # never closed: the parser's recovery decides

    def _admonition(self, i: int) -> int:
        lines = self.lines
        match = ADMONITION_RE.match(self._plain_line(lines[i]))
        if match is None:
            raise _Decline
        indent = 3 + len(match.group(1))
        tag = match.group(2).lower()
        title = match.group(3) if match.group(3) is not None else match.group(2).title()
        j, was_empty = i, False
        while True:
            j += 1
            if j >= self.end:
                break
            line = self._plain_line(lines[j])
            spaces = len(line) - len(line.lstrip(" "))
            is_empty = spaces < indent
            if is_empty and was_empty:
                break
            was_empty = is_empty
            if line.strip(" ") and spaces < indent:
                break
        body = self._admonition_body(lines[i + 1 : j], indent)
        title_children = _children([title]) if title else []
        if tag not in COMMENTARY_KINDS and (any(body) or title_children):
            raise _Decline  # its links would need the lines of its inner paragraphs
        tokens = [BlockToken("admonition_open", [i, j], nesting=1, meta={"tag": tag})]
        if title:
            tokens.append(BlockToken("inline", [i, i + 1], content=title, children=title_children))
        tokens += [BlockToken("inline", [i + 1, i + 2], children=unit) for unit in body]
        tokens.append(BlockToken("admonition_close", nesting=-1))
        self.tokens += tokens
        return j

    def _admonition_body(self, body: list[str], indent: int) -> list[list[BlockToken]]:
        """The inline children of each paragraph of an admonition body, in order.

        A paragraph starts after a blank line and at each list item; other lines continue
        it. Lines that could open any other block are declined.
        """
        paragraphs: list[list[str]] = []
        after_blank = True
        for line in body:
            stripped = line.lstrip(" ")
            if not stripped:
                after_blank = True
                continue
            if len(line) - len(stripped) - indent >= 4 and (
                after_blank or INNER_ITEM_RE.match(stripped)
            ):
                raise _Decline  # indented code, or a marker that continues the paragraph
            starts = after_blank
            while (item := INNER_ITEM_RE.match(stripped)) is not None:
                if not after_blank and item.group(1) is not None and int(item.group(1)) != 1:
                    raise _Decline  # `2.` cannot interrupt a paragraph: a continuation
                stripped = stripped[item.end() :]
                starts = True
            if _blockish(stripped):
                raise _Decline
            if starts:
                paragraphs.append([])
            paragraphs[-1].append(_inline_line(stripped))
            after_blank = False
        return [_children(texts) for texts in paragraphs]


def _inline_line(line: str) -> str:
    """A line of a paragraph as its inline text holds it, without surrounding spaces.

    A backslash is a hard break only right before the line's end; before trailing spaces
    it is text, which the stripped line would no longer show: declined.
    """
    stripped = line.strip(" ")
    if stripped.endswith("\\") and line.endswith(" "):
        raise _Decline
    return stripped


class _Level(NamedTuple):
    """An open list: its items' indentation and marker, and its last item's content column."""

    indent: int
    kind: str
    column: int


def _item(line: str, at: int) -> tuple[str, int | None, int] | None:
    """(marker kind, number of an ordered item, content column) of an item line whose
    marker is at column `at`; None for other lines (and for items read with doubt: empty,
    or with more than one space after the marker)."""
    match = BULLET_RE.match(line, at)
    if match is not None:
        return match.group(1), None, match.end()
    match = ORDERED_RE.match(line, at)
    if match is not None:
        return match.group(2), int(match.group(1)), match.end()
    return None


def _item_ends_paragraph(line: str, levels: Sequence[_Level]) -> bool:
    """Whether an item line ends the paragraph before it: it continues an open list, or
    starts one inside the last item (whether it may is decided by the caller)."""
    indent = indentation(line)
    item = _item(line, indent)
    if item is None:
        return False
    last = levels[-1]
    return any(level.indent == indent for level in levels) or (
        last.column <= indent <= last.column + 3
    )
