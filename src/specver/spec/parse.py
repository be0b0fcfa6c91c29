"""Parse spec Markdown into a `Spec` from block tokens with line maps, no I/O.

Tokens come from markdown-it-py, or for plain sections from `plainread`, which reads
them line by line as markdown-it would and declines what it cannot read with certainty.

The parser reads the conventions of the Model Spec family of documents: headings with
attribute blocks (`{#id authority=root tags=a,b}`), `!!! meta "Commentary"` admonitions,
`**Example**:` titles followed by `~~~xml` conversations with verdict comments, `[?](#id)`
cross references and `[^name]` footnotes naming eval prompt files. Documents without any
of these still parse: every heading becomes a policy with a slug id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from specver.errors import InputError
from specver.perf import without_gc_pauses
from specver.spec import regions
from specver.spec.examples import parse_example, read_messages
from specver.spec.model import Commentary, Diagnostic, EvalFile, Example, Policy, Reference, Spec
from specver.spec.plainread import (
    COMMENTARY_KINDS,
    INLINE_MARKERS,
    heading_tokens,
    line_count,
    read_run,
)
from specver.spec.sections import HEADING_RE, section_starts

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

FOOTNOTE_RE = re.compile(r"\[\^([^\]\s\[]{1,64})\]")
LINK_TARGET_RE = re.compile(r"\]\(#([^)\s]{1,200})\)")
EXAMPLE_TITLE_RE = re.compile(r"^\*\*Example\*\*\s*:\s*|^\*\*Example:\*\*\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The shared CommonMark parser with front matter and admonitions (built once, on first use)."""
    return _commonmark_with_plugins()


def _commonmark_with_plugins() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.admon import admon_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    return MarkdownIt("commonmark").use(front_matter_plugin).use(admon_plugin)


@lru_cache(maxsize=1)
def structure_parser() -> MarkdownIt:
    """The parser `parse` uses: like `markdown_parser`, but inline-parses only what it reads.

    The spec model takes from inline tokens only links to `#id` and `[^name]` footnotes, and
    both need a `[` (or an entity) in the block's text. Blocks without one keep an empty
    children list, which skips about half of markdown-it's work on a real spec.
    """
    md = _commonmark_with_plugins()
    md.core.ruler.at("inline", _inline_where_needed)
    return md


def _inline_where_needed(state: StateCore) -> None:
    """Core rule replacing markdown-it's `inline`: parse the inline blocks that can matter."""
    md = state.md
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if any(marker in token.content for marker in INLINE_MARKERS):
                md.inline.parse(token.content, md, state.env, token.children)


CONTROL_PICTURES = {
    code: 0x2400 + code for code in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))
} | {0x7F: 0x2421}
"""C0 control characters (tab and newline aside) and DEL -> their visible Unicode pictures."""

CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Finds any character `CONTROL_PICTURES` replaces (a C-speed scan; `translate` is not)."""


def normalize_text(text: str) -> str:
    """Drop a byte-order mark, unify line endings (CRLF and LF read the same) and make
    control characters visible (`␛` for ESC), so spec text can never drive a terminal."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROL_RE.search(text) is not None:
        text = text.translate(CONTROL_PICTURES)
    return text


@without_gc_pauses
def parse(
    text: str,
    *,
    source: str = "<string>",
    sha256: str | None = None,
    evals: Sequence[EvalFile] | None = None,
    by_sections: bool = True,
) -> Spec:
    """Parse spec text into a `Spec`. Raises `InputError` only for a malformed attribute block.

    Sections whose text is exactly as in the previously parsed document are not parsed
    again (see `sections.section_starts`): the second version of a diff, or the next
    revision of a history, costs only what changed. `by_sections=False` parses the whole
    text at once and leaves the reusable sections alone; the result is the same.
    """
    text = normalize_text(text)
    digest = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    lines = text.split("\n")
    spec = _read_policies(text, lines, source, digest, evals, by_sections)
    return regions.complete(spec, lines, _read_region)


def _read_region(text: str) -> Spec:
    """The policies of a region's text read on its own (`regions` gives it a heading)."""
    return _read_policies(text, text.split("\n"), "<region>", "", None, False)


def _read_policies(
    text: str,
    lines: list[str],
    source: str,
    digest: str,
    evals: Sequence[EvalFile] | None,
    by_sections: bool,
) -> Spec:
    """The policies the reader builds from headings (before `regions.complete`)."""
    assembler = _Assembler()
    starts = section_starts(lines) if by_sections else None
    if starts is not None:
        try:
            for start, fragment in _read_sections(lines, starts):
                assembler.add(fragment, start)
        except _ScanMismatch:
            assembler = _Assembler()
            starts = None
    if starts is None:
        tokens, fence_notes = _block_tokens(text, lines)
        assembler.diagnostics.extend(fence_notes)
        assembler.add(_FragmentReader(lines, 0, 0).read(tokens, 0, len(tokens)), 0)
        if by_sections:
            _LAST_DOCUMENT.fragments = {}
    return Spec(
        source=source,
        sha256=digest,
        policies=tuple(assembler.policies),
        preamble=assembler.preamble,
        evals=tuple(evals) if evals is not None else None,
        diagnostics=tuple(assembler.diagnostics),
        size=len(text),
    )


class _ScanMismatch(Exception):
    """The parser found no level-0 heading where the section scan cut the text."""


class _Memo:
    """The fragments of the last document parsed, by their exact text."""

    def __init__(self) -> None:
        self.fragments: dict[str, tuple[str | None, _Fragment]] = {}


_LAST_DOCUMENT = _Memo()


def forget_sections() -> None:
    """Forget the sections of the last parsed document and the example bodies read so far:
    the next parse reuses nothing.

    For measuring a cold parse, and for long-lived processes that want the memory back.
    """
    _LAST_DOCUMENT.fragments = {}
    read_messages.cache_clear()


def _read_sections(lines: list[str], starts: list[int]) -> list[tuple[int, _Fragment]]:
    """(start line, fragment) per section run, reusing those the last document had.

    A run is known by the text after its heading line and by whether it ends the document
    (its trailing blank lines belong to its last block only when a heading follows); the
    text after a heading parses the same whatever the heading says, so a run whose heading
    alone changed (a new id, title or authority) reads only its heading again. Runs not
    seen before are read by `plainread` where it can; the others are tokenized by
    markdown-it, consecutive runs at once, and cut at their level-0 headings.
    """
    bounds = list(zip(starts, [*starts[1:], len(lines)], strict=True))
    heads: list[str | None] = [lines[a] if HEADING_RE.match(lines[a]) else None for a, _b in bounds]
    keys = [
        "\n".join(lines[a + 1 : b]) if head is not None else HEADLESS + "\n".join(lines[a:b])
        for (a, b), head in zip(bounds, heads, strict=True)
    ]
    keys[-1] += END_OF_DOCUMENT
    previous = _LAST_DOCUMENT.fragments
    found: list[_Fragment | None] = [None] * len(bounds)
    end = line_count(lines)
    k = 0
    while k < len(bounds):  # in document order, so the first malformed heading is reported
        if found[k] is not None:
            k += 1
            continue
        seen = previous.get(keys[k])
        if seen is not None:
            same = seen[0] == heads[k]
            found[k] = (
                seen[1] if same else _with_heading(seen[1], _read_heading(lines, bounds[k][0]))
            )
            k += 1
            continue
        found[k] = _read_plain(lines, bounds[k], end, heads[k] is not None)
        if found[k] is not None:
            k += 1
            continue
        run_end, size = k + 1, len(keys[k])
        while run_end < len(bounds) and keys[run_end] not in previous and size < BATCH_CHARS:
            found[run_end] = _read_plain(lines, bounds[run_end], end, heads[run_end] is not None)
            if found[run_end] is not None:
                break
            size += len(keys[run_end])
            run_end += 1
        _read_run(lines, bounds[k:run_end], found, k)
        k = run_end
    fragments = [f for f in found if f is not None]
    assert len(fragments) == len(keys)
    _LAST_DOCUMENT.fragments = {
        key: (head, fragment) for key, head, fragment in zip(keys, heads, fragments, strict=True)
    }
    return [(a, f) for (a, _b), f in zip(bounds, fragments, strict=True)]


def _read_plain(
    lines: list[str], bounds: tuple[int, int], end: int, headed: bool
) -> _Fragment | None:
    """The fragment of one run read without markdown-it (see `plainread`), or None.

    None also when its heading's attribute block is malformed: the parser then reads the
    run and reports that in document order.
    """
    start, stop = bounds
    tokens = read_run(lines, start, min(stop, end), headed=headed)
    if tokens is None:
        return None
    try:
        return _FragmentReader(lines, start, start).read(tokens, 0, len(tokens))
    except InputError:
        return None


def _read_heading(lines: list[str], at: int) -> _Draft:
    """The draft of a heading line read on its own (no body).

    A plain heading is read directly, as CommonMark reads an ATX heading (see
    `plainread.heading_tokens`); others go through the parser (whose idea of a blank is
    not Python's: `\x85` is text to it).
    """
    tokens: list[Any] | None = heading_tokens(lines[at])
    if tokens is None:
        tokens = structure_parser().parse(lines[at])
    return _FragmentReader(lines, at, at).read(tokens, 0, len(tokens)).sections[0]


def _with_heading(fragment: _Fragment, heading: _Draft) -> _Fragment:
    """A heading-led fragment with its heading replaced by `heading` (body kept)."""
    first = fragment.sections[0]
    body_references = first.references[first.heading_references :]
    replaced = replace(
        first,
        title=heading.title,
        attributes=heading.attributes,
        depth=heading.depth,
        references=heading.references + body_references,
        heading_references=len(heading.references),
    )
    return _Fragment(fragment.preamble, (replaced, *fragment.sections[1:]))


HEADLESS = "\x01"
"""Starts the key of a run that does not open with a heading (the document's first)."""
BATCH_CHARS = 1 << 18
"""Runs tokenized at once stop growing past this much text: the tokens of a whole large
spec would outweigh its policies several times over."""

END_OF_DOCUMENT = "\x00"
"""Marks the key of a document's last run (normalized text never holds a NUL)."""


def _read_run(
    lines: list[str], bounds: list[tuple[int, int]], found: list[_Fragment | None], first: int
) -> None:
    """Tokenize consecutive runs `bounds` at once and read each into `found[first + i]`.

    The heading that follows the last run (if any) is tokenized with them, so the runs
    end as they do in the whole document, and cut off.
    """
    offset, stop = bounds[0][0], bounds[-1][1]
    follows = stop < len(lines)
    run_lines = lines[offset : stop + 1 if follows else stop]
    env: dict[str, Any] = {}
    tokens: list[Any] = structure_parser().parse("\n".join(run_lines), env)
    if env.get("references") or _swallowing_fence(tokens, run_lines) is not None:
        # the scan missed a definition, or a fence the whole parse would close
        raise _ScanMismatch(offset)
    targets = [a - offset for a, _b in bounds[1:]]
    if follows:
        targets.append(stop - offset)
    cuts = [0, *_cuts(tokens, targets, offset)]
    if not follows:
        cuts.append(len(tokens))
    for i, (start, _end) in enumerate(bounds):
        reader = _FragmentReader(lines, offset, start)
        found[first + i] = reader.read(tokens, cuts[i], cuts[i + 1])


def _cuts(tokens: list[Any], targets: list[int], offset: int) -> list[int]:
    """Index of the level-0 heading token at each target line; _ScanMismatch if one is not."""
    out: list[int] = []
    wanted = iter(targets)
    target = next(wanted, None)
    for i, tok in enumerate(tokens):
        if target is None:
            break
        if tok.level == 0 and tok.map is not None and tok.map[0] >= target:
            if tok.type != "heading_open" or tok.map[0] != target:
                raise _ScanMismatch(target + offset)
            out.append(i)
            target = next(wanted, None)
    if target is not None:
        raise _ScanMismatch(target + offset)
    return out


# --- block tokens and unclosed-fence recovery --------------------------------------------


def _block_tokens(text: str, lines: list[str]) -> tuple[list[Token], list[Diagnostic]]:
    """Tokenize, closing a top-level fence that would otherwise swallow later sections.

    A fence never closed runs to the end of the document under CommonMark. When such a
    fence hides headings with attribute blocks, a closing marker is put (virtually) before
    the first of them and the text is parsed again; token line maps stay true to the source.
    (The section scan sends such documents here: it answers None for an open fence.)
    """
    md = structure_parser()
    tokens = md.parse(text)
    notes: list[Diagnostic] = []
    closers: list[int] = []
    markers: dict[int, str] = {}
    work = lines
    while len(closers) < 100:
        cut = _swallowing_fence(tokens, work)
        if cut is None:
            break
        opened, heading = (_to_source_line(n, closers) for n in cut)
        notes.append(
            Diagnostic(
                "unclosed_fence",
                f"code fence opened at line {opened + 1} is never closed; "
                f"read it as closed before the heading at line {heading + 1}",
                opened + 1,
                "warning",
            )
        )
        closers = sorted([*closers, heading])
        markers[heading] = _fence_marker(lines[opened])
        work = _with_closers(lines, markers)
        tokens = md.parse("\n".join(work))
    if closers:
        for tok in tokens:
            if tok.map is not None:
                tok.map = [_to_source_line(n, closers) for n in tok.map]
    return tokens, notes


def _fence_marker(line: str) -> str:
    stripped = line.lstrip()
    char = stripped[0]
    return char * (len(stripped) - len(stripped.lstrip(char)))


def _with_closers(lines: list[str], markers: dict[int, str]) -> list[str]:
    out: list[str] = []
    for number, line in enumerate(lines):
        if number in markers:
            out.append(markers[number])
        out.append(line)
    return out


def _to_source_line(number: int, closers: list[int]) -> int:
    """Map a line index of the text with inserted closers back to the source."""
    shift = 0
    for k, at in enumerate(closers):
        if number >= at + k + 1:
            shift += 1
        elif number == at + k:
            return at
    return number - shift


def _swallowing_fence(tokens: Iterable[Token], lines: list[str]) -> tuple[int, int] | None:
    """(fence line, heading line) for a level-0 fence that runs to the end and hides headings."""
    last_text = len(lines)
    while last_text > 0 and not lines[last_text - 1].strip():
        last_text -= 1
    for tok in tokens:
        if tok.type != "fence" or tok.level != 0 or tok.map is None:
            continue
        start, end = tok.map
        if end < last_text or _fence_closes(lines[end - 1], tok.markup):
            continue
        for number in range(start + 1, end):
            if _looks_like_attributed_heading(lines[number]):
                return start, number
    return None


def _fence_closes(line: str, markup: str) -> bool:
    stripped = line.strip()
    return (
        bool(stripped)
        and stripped[0] == markup[0]
        and set(stripped) == {markup[0]}
        and len(stripped) >= len(markup)
    )


def _looks_like_attributed_heading(line: str) -> bool:
    if not line.startswith("#"):
        return False
    hashes = len(line) - len(line.lstrip("#"))
    rest = line[hashes:]
    return hashes <= 6 and rest.startswith(" ") and "{#" in rest and rest.rstrip().endswith("}")


# --- heading attributes ------------------------------------------------------------------


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


def slugify(title: str) -> str:
    """A GitHub-style anchor for a heading without an explicit id."""
    out: list[str] = []
    for ch in title.strip().lower():
        if ch.isalnum() or ch in "_-":
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    return "".join(out) or "section"


def _split_tags(value: str) -> tuple[str, ...]:
    parts = value.replace(";", ",").replace(" ", ",").split(",")
    return tuple(p for p in (x.strip() for x in parts) if p)


# --- building policies from tokens -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Draft:
    """A section as read from its own text, before the document gives it an id and parent.

    Lines are 1-based and relative to the start of the text the draft was read from, so a
    section that reappears unchanged further down another version can be reused as is.
    """

    title: str
    attributes: HeadingAttributes
    depth: int
    line: int
    last_line: int
    prose: str
    commentary: tuple[Commentary, ...]
    examples: tuple[Example, ...]
    references: tuple[Reference, ...]
    footnotes: tuple[str, ...]
    heading_references: int = 0
    """How many of `references` come from the heading line (they come first)."""


@dataclass(frozen=True, slots=True)
class _Fragment:
    """What one run of text holds: preamble blocks before its first heading, then sections."""

    preamble: tuple[str, ...]
    sections: tuple[_Draft, ...]


@dataclass(slots=True)
class _Section:
    """A section being read while its tokens stream past (lines relative to the fragment)."""

    title: str
    attributes: HeadingAttributes
    depth: int
    line: int
    last_line: int
    prose: list[str] = field(default_factory=list)
    commentary: list[Commentary] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    pending_title: tuple[str, str] | None = None
    """An `**Example**:` paragraph (title, source) waiting for its fence."""
    heading_references: int = 0

    def freeze(self) -> _Draft:
        self.flush_pending()
        return _Draft(
            title=self.title,
            attributes=self.attributes,
            depth=self.depth,
            line=self.line,
            last_line=max(self.line, self.last_line),
            prose="\n\n".join(self.prose),
            commentary=tuple(self.commentary),
            examples=tuple(self.examples),
            references=tuple(self.references),
            footnotes=tuple(dict.fromkeys(self.footnotes)),
            heading_references=self.heading_references,
        )

    def flush_pending(self) -> None:
        if self.pending_title is not None:
            self.prose.append(self.pending_title[1])
            self.pending_title = None


class _FragmentReader:
    """Walks level-0 block tokens of one fragment and groups them into section drafts.

    `lines` are the document's lines; token maps are `offset` lines before their place in
    the document (the start of the text that was tokenized), and `start` is the document
    line where the fragment begins: drafts count their lines from there.
    """

    def __init__(self, lines: list[str], offset: int, start: int) -> None:
        self.lines = lines
        self.offset = offset
        self.shift = offset - start
        self.start = start
        self.preamble: list[str] = []
        self.sections: list[_Draft] = []
        self.current: _Section | None = None

    def read(self, tokens: list[Any], first: int, stop: int) -> _Fragment:
        """Read `tokens[first:stop]`, releasing each block once it is read (on a large spec
        the tokens outweigh the policies built from them)."""
        i = first
        while i < stop:
            tok = tokens[i]
            end = _block_end(tokens, i)
            if tok.type == "heading_open" and tok.level == 0:
                self._open_section(tok, tokens[i + 1])
            else:
                self._add_block(tokens[i : end + 1])
            tokens[i : end + 1] = [None] * (end + 1 - i)
            i = end + 1
        self._close_section()
        return _Fragment(tuple(self.preamble), tuple(self.sections))

    def _source(self, tok: Token) -> str:
        if tok.map is None:
            return tok.content
        start, end = tok.map
        return "\n".join(self.lines[start + self.offset : end + self.offset]).strip("\n")

    def _line(self, tok: Token) -> int:
        """The token's first line, 1-based, counted from the fragment's start."""
        return (tok.map[0] if tok.map else 0) + self.shift + 1

    def _open_section(self, tok: Token, inline: Token) -> None:
        self._close_section()
        line = self._line(tok)
        title, attrs = split_heading(inline.content, line + self.start)
        self.current = _Section(
            title=title, attributes=attrs, depth=int(tok.tag[1]), line=line, last_line=line
        )
        self.current.references.extend(_references(inline, line))
        self.current.heading_references = len(self.current.references)

    def _close_section(self) -> None:
        if self.current is not None:
            self.sections.append(self.current.freeze())
            self.current = None

    def _add_block(self, block: Sequence[Token]) -> None:
        head = block[0]
        section = self.current
        if head.map is None:
            return
        if head.type == "front_matter":
            return
        if section is None:
            self.preamble.append(self._source(head))
            return
        section.last_line = max(section.last_line, head.map[1] + self.shift)
        line = self._line(head)
        if head.type == "fence" and head.info.strip().split(" ")[0].lower() == "xml":
            self._add_example(section, head, line)
            return
        section.flush_pending()
        if head.type == "admonition_open" and head.meta.get("tag", "") in COMMENTARY_KINDS:
            self._add_commentary(section, block, line)
            return
        text = self._source(head)
        if head.type == "paragraph_open" and EXAMPLE_TITLE_RE.match(text):
            section.pending_title = (EXAMPLE_TITLE_RE.sub("", text, count=1).strip(), text)
        else:
            section.prose.append(text)
        for tok in block:
            if tok.type == "inline":
                tok_line = self._line(tok) if tok.map else line
                section.references.extend(_references(tok, tok_line))
                section.footnotes.extend(_footnotes(tok))

    def _add_example(self, section: _Section, fence: Token, line: int) -> None:
        title = ""
        if section.pending_title is not None:
            title = section.pending_title[0]
            section.pending_title = None
        example = parse_example(fence.content, title=title, line=line)
        section.examples.append(example)
        for match in LINK_TARGET_RE.finditer(fence.content):
            section.references.append(Reference(match.group(1), "", line))
        for message in example.answers:
            assert message.verdict is not None
            for cited in message.verdict.cites:
                section.references.append(Reference(cited, "", line))

    def _add_commentary(self, section: _Section, block: Sequence[Token], line: int) -> None:
        head = block[0]
        assert head.map is not None
        first = head.map[0] + self.offset
        text = _dedent(self.lines[first + 1 : head.map[1] + self.offset])
        title = _admonition_title(head, block)
        section.commentary.append(Commentary(title, text, line))
        for tok in block:
            if tok.type == "inline":
                section.references.extend(_references(tok, line))
                section.footnotes.extend(_footnotes(tok))


class _Assembler:
    """Turns fragments into policies: ids, parents and absolute lines come from the document."""

    def __init__(self) -> None:
        self.policies: list[Policy] = []
        self.diagnostics: list[Diagnostic] = []
        self.preamble_parts: list[str] = []
        self.stack: list[tuple[int, str]] = []
        self.seen_ids: dict[str, int] = {}
        self.slug_counts: dict[str, int] = {}

    @property
    def preamble(self) -> str:
        return "\n\n".join(self.preamble_parts)

    def add(self, fragment: _Fragment, start: int) -> None:
        """Add a fragment that begins at 0-based document line `start`."""
        self.preamble_parts.extend(fragment.preamble)
        for draft in fragment.sections:
            self.policies.append(self._policy(draft, start))

    def _policy(self, draft: _Draft, start: int) -> Policy:
        attrs = draft.attributes
        line = draft.line + start
        explicit = attrs.id is not None
        ident = attrs.id if attrs.id is not None else self._slug(draft.title)
        ident = self._unique(ident, line)
        while self.stack and self.stack[-1][0] >= draft.depth:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        self.stack.append((draft.depth, ident))
        values = dict(attrs.pairs)
        return Policy(
            id=ident,
            title=draft.title,
            depth=draft.depth,
            parent=parent,
            authority=values.get("authority"),
            tags=_split_tags(values.get("tags", "")),
            prose=draft.prose,
            commentary=_shifted_commentary(draft.commentary, start),
            examples=_shifted_examples(draft.examples, start),
            references=_shifted_references(draft.references, start),
            footnotes=draft.footnotes,
            lines=(line, draft.last_line + start),
            explicit_id=explicit,
            attributes=tuple((k, v) for k, v in attrs.pairs if k not in ("authority", "tags")),
        )

    def _slug(self, title: str) -> str:
        base = slugify(title)
        count = self.slug_counts.get(base, 0)
        self.slug_counts[base] = count + 1
        return base if count == 0 else f"{base}-{count}"

    def _unique(self, ident: str, line: int) -> str:
        if ident not in self.seen_ids:
            self.seen_ids[ident] = line
            return ident
        self.diagnostics.append(
            Diagnostic(
                "duplicate_id",
                f"id `{ident}` is used again (first at line {self.seen_ids[ident]})",
                line,
            )
        )
        n = 2
        while f"{ident}~{n}" in self.seen_ids:
            n += 1
        renamed = f"{ident}~{n}"
        self.seen_ids[renamed] = line
        return renamed


def _shifted_examples(examples: tuple[Example, ...], by: int) -> tuple[Example, ...]:
    if not by:
        return examples
    return tuple(Example(e.title, e.messages, e.line + by, e.source, e.titled) for e in examples)


def _shifted_commentary(notes: tuple[Commentary, ...], by: int) -> tuple[Commentary, ...]:
    if not by:
        return notes
    return tuple(Commentary(c.title, c.text, c.line + by) for c in notes)


def _shifted_references(refs: tuple[Reference, ...], by: int) -> tuple[Reference, ...]:
    if not by:
        return refs
    return tuple(Reference(r.target, r.text, r.line + by) for r in refs)


def _block_end(tokens: Sequence[Token], i: int) -> int:
    """Index of the token closing the block that opens at `i` (itself for leaf blocks)."""
    tok = tokens[i]
    if tok.nesting != 1:
        return i
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _admonition_title(head: Token, block: Sequence[Token]) -> str:
    for tok in block:
        on_first_line = tok.map is not None and head.map is not None and tok.map[0] == head.map[0]
        if tok.type == "inline" and on_first_line:
            return tok.content.strip().strip("\"'")
    return str(head.meta.get("tag", ""))


def _dedent(lines: Sequence[str]) -> str:
    out = [line[4:] if line.startswith("    ") else line.lstrip("\t ") for line in lines]
    return "\n".join(out).strip("\n")


def _references(inline: Token, line: int) -> list[Reference]:
    refs: list[Reference] = []
    children = inline.children or []
    for k, child in enumerate(children):
        if child.type != "link_open":
            continue
        href = str(child.attrs.get("href", ""))
        if not href.startswith("#") or len(href) < 2:
            continue
        text_parts: list[str] = []
        for nxt in children[k + 1 :]:
            if nxt.type == "link_close":
                break
            text_parts.append(nxt.content)
        refs.append(Reference(href[1:], "".join(text_parts), line))
    return refs


def _footnotes(inline: Token) -> list[str]:
    text = "".join(c.content for c in inline.children or [] if c.type == "text")
    return [m.group(1) for m in FOOTNOTE_RE.finditer(text)]
