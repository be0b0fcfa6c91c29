"""Find the lines where a spec's top-level sections start, without a Markdown parser.

An ATX heading at column 0 that is not inside a fenced code block, an HTML block or front
matter closes every open container (lists, block quotes, admonitions), so the Markdown
after it parses the same whether or not the text before it is there. Cutting a document
at such headings lets the parser reuse the sections another version has unchanged.

The scan is conservative: it only cuts where it is sure, and answers None (parse the
whole document at once) where the document may define link references (which reach
across sections), ends inside an open fence (which the parser repairs), or starts a fence
or HTML block whose indentation could put it inside a list item and a later line leaves
that item. Blank lines and tag names are read as CommonMark reads them (spaces and tabs
only; ASCII letters only). A cut it misses costs only speed. The scan's answers are also
checked against the parser's own reading (see `parse._read_run`): every cut must be a
level-0 heading, and a run that defines link references or holds a fence the whole parse
would close (`parse._swallowing_fence`) sends the document to a whole parse, so a line
the scan misread cannot change the result.
"""

from __future__ import annotations

import re
from functools import lru_cache

HEADING_RE = re.compile(r"#{1,6}(?:[ \t]|$)")
"""A line that markdown-it reads as an ATX heading when it starts at column 0."""

FENCE_RE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)$")
HTML_START_RE = re.compile(r" {0,3}<")
BLOCK_OPENERS = frozenset(" \t`~<")
"""First characters of a line that may open a fence or an HTML block."""
CONTAINER_MARKS = " \t>-+*0123456789.)"
"""What may come before a link reference definition's `[` on its line: indentation, block
quote and list item markers (a broader set than Markdown's, which only costs a cut)."""

_RAW_TAGS = "(?:script|pre|style|textarea)"
_ASCII_I = re.IGNORECASE | re.ASCII
"""As CommonMark matches tag names: `ſcript` (long s) is no `script`."""
HTML_ENDS = (
    (re.compile(rf"<{_RAW_TAGS}(?=\s|>|$)", _ASCII_I), re.compile(rf"</{_RAW_TAGS}>", _ASCII_I)),
    (re.compile(r"<!--"), re.compile(r"-->")),
    (re.compile(r"<\?"), re.compile(r"\?>")),
    (re.compile(r"<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"<!\[CDATA\["), re.compile(r"\]\]>")),
)
"""HTML blocks that run to an end marker (CommonMark types 1 to 5), as start and end."""


MAX_LABEL_CHARS = 1000
"""How far a possible definition's `]:` is looked for (CommonMark caps a label at 999
characters). Looking no further keeps the scan linear; a definition it misses is caught
when its run is parsed."""


ATTENTION = frozenset("#[") | BLOCK_OPENERS | frozenset(CONTAINER_MARKS)
"""First characters of the lines the scan has to look at."""


def section_starts(lines: list[str]) -> list[int] | None:
    """0-based lines where runs start: 0, then each top-level ATX heading after line 0.

    None when the document is better parsed whole (see the module docstring).
    """
    starts = [0]
    i = _after_front_matter(lines)
    while i is not None and i < len(lines):
        line = lines[i]
        if line[:1] not in ATTENTION:
            i += 1  # prose or a blank line: nothing that could open, cut or define
        elif line.startswith("#"):
            if i > 0 and HEADING_RE.match(line):
                starts.append(i)
            i += 1
        elif _may_define_reference(lines, i):
            return None
        else:
            i = _next_line(lines, i)
    return None if i is None else starts


def _next_line(lines: list[str], i: int) -> int | None:
    """The line after the block that line `i` opens (fence, HTML) or after `i` itself."""
    line = lines[i]
    if not line or line[0] not in BLOCK_OPENERS:
        return i + 1
    if "\t" in line[: len(line) - len(line.lstrip(" \t"))]:
        # a tab in the indentation of a block opener: let the parser decide
        return None if _opens_block(line.replace("\t", "    ")) else i + 1
    fence = FENCE_RE.match(line)
    if fence is not None and is_fence_opener(fence):
        end = _fence_end(lines, i, fence)
    elif HTML_START_RE.match(line):
        end = _html_end(lines, i)
    else:
        return i + 1
    return None if end is None else end + 1


def _may_define_reference(lines: list[str], i: int) -> bool:
    """Whether line `i` may start a link reference definition (its paragraph has a `]:`)."""
    head, bracket, _rest = lines[i].partition("[")
    if not bracket or head.strip(CONTAINER_MARKS):
        return False
    seen = 0
    for j in range(i, len(lines)):
        if blank(lines[j]) or seen > MAX_LABEL_CHARS:
            return False
        if "]:" in lines[j]:
            return True
        seen += len(lines[j]) + 1
    return False


def _opens_block(line: str) -> bool:
    return _opens_fence(line) or bool(HTML_START_RE.match(line))


def is_fence_opener(match: re.Match[str]) -> bool:
    marker, info = match.group(2), match.group(3)
    return not (marker[0] == "`" and "`" in info)


def blank(line: str) -> bool:
    """Blank as CommonMark has it: nothing but spaces and tabs (a no-break space is text)."""
    return not line.strip(" \t")


def indentation(line: str) -> int:
    """How many spaces a line starts with."""
    return len(line) - len(line.lstrip(" "))


def _fence_end(lines: list[str], i: int, fence: re.Match[str]) -> int | None:
    """Line that closes the fence opened at `i`; None when it is unclear or never closed.

    A fence indented by one to three spaces may sit in a list item, which any later line
    indented less would leave (closing the fence there); such a line makes it unclear.
    """
    indent = len(fence.group(1))
    marker = fence.group(2)
    closing = closing_fence(marker[0], len(marker))
    if not indent:
        starts = (" ", marker[0])
        for j in range(i + 1, len(lines)):
            line = lines[j]
            if line[:1] in starts and closing.match(line):
                return j
        return None
    for j in range(i + 1, len(lines)):
        line = lines[j]
        if _may_define_reference(lines, j):
            return None
        if not blank(line) and indentation(line) < indent:
            return None
        if closing.match(line) and indentation(line) >= indent:
            return j
    return None


@lru_cache(maxsize=64)
def closing_fence(char: str, length: int) -> re.Pattern[str]:
    """The line that closes a fence opened with `length` times `char`."""
    return re.compile(rf" {{0,3}}{re.escape(char)}{{{length},}}[ \t]*$")


def _html_end(lines: list[str], i: int) -> int | None:
    """Last line of the HTML block that line `i` may open; None when it is unclear.

    Blocks of types 1 to 5 run to their end marker. Any other line starting with `<` is
    either an HTML block to the next blank line or paragraph text; in both readings the
    run ends at the blank line unless a line inside could open something longer (a fence,
    an HTML block with an end marker) or define a link reference, which makes it unclear.
    """
    line = lines[i]
    indent = indentation(line)
    body = line[indent:]
    for start, end in HTML_ENDS:
        if start.match(body):
            for j in range(i, len(lines)):
                if j > i and indent and not blank(lines[j]) and indentation(lines[j]) < indent:
                    return None
                if end.search(lines[j], indent if j == i else 0):
                    return j
            return None
    for j in range(i + 1, len(lines)):
        text = lines[j]
        if blank(text):
            return j
        if (indent and indentation(text) < indent) or _may_define_reference(lines, j):
            return None
        if indentation(text) < 4 and (_opens_fence(text) or _opens_marked_html(text)):
            return None
    return len(lines) - 1


def _opens_fence(line: str) -> bool:
    fence = FENCE_RE.match(line)
    return fence is not None and is_fence_opener(fence)


def _opens_marked_html(line: str) -> bool:
    body = line.lstrip(" ")
    return any(start.match(body) for start, _end in HTML_ENDS)


def _after_front_matter(lines: list[str]) -> int | None:
    """First line after front matter (0 without it); None when it is unclear where it ends."""
    first = lines[0] if lines else ""
    dashes = len(first) - len(first.lstrip("-"))
    if dashes < 3:
        return 0
    for j in range(1, len(lines)):
        line = lines[j]
        if "\t" in line:
            return None
        if line.startswith("...") and not line[3:].strip(" "):
            return j + 1
        stripped = line.lstrip(" ")
        closes = stripped.startswith("-" * dashes) and not stripped.lstrip("-").strip(" ")
        if closes and len(line) - len(stripped) < 4:
            return j + 1
    return 0
