"""Parse spec Markdown into a `Spec`: top-level blocks (see `markdown`) -> policies, no I/O.

The parser reads the conventions of the Model Spec family of documents: headings with
attribute blocks (`{#id authority=root tags=a,b}`), `!!! meta "Commentary"` admonitions,
`**Example**:` titles followed by `~~~xml` conversations with verdict comments, `[?](#id)`
cross references and `[^name]` footnotes naming eval prompt files. Documents without any
of these still parse: every heading becomes a policy with a slug id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from specver.display import display
from specver.perf import without_gc_pauses
from specver.spec import regions
from specver.spec.examples import parse_example
from specver.spec.markdown import (
    Block,
    HeadingAttributes,
    Inline,
    parse_attributes,
    read_blocks,
    split_heading,
)
from specver.spec.markers import conflict_marker_lines, has_conflict_markers
from specver.spec.model import Commentary, Diagnostic, EvalFile, Example, Policy, Reference, Spec

__all__ = ["HeadingAttributes", "normalize_text", "parse", "parse_attributes", "slugify"]

LINK_TARGET_RE = re.compile(r"\]\(#([^)\s]{1,200})\)")
EXAMPLE_TITLE_RE = re.compile(r"^\*\*Example\*\*\s*:\s*|^\*\*Example:\*\*\s*", re.IGNORECASE)
COMMENTARY_KINDS = frozenset({"meta"})
"""Admonition tags whose body is commentary (its links count from the admonition's line)."""


def normalize_text(text: str) -> str:
    """Drop a byte-order mark, unify line endings (CRLF and LF read the same) and make
    control characters visible (`␛` for ESC, `⟨U+202E⟩` for a bidi override: see
    `specver.display`), so spec text can never drive a terminal."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return display(text)


@without_gc_pauses
def parse(
    text: str,
    *,
    source: str = "<string>",
    sha256: str | None = None,
    evals: Sequence[EvalFile] | None = None,
) -> Spec:
    """Parse spec text into a `Spec`. Raises `InputError` only for a malformed attribute block."""
    text = normalize_text(text)
    digest = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    lines = text.split("\n")
    spec = _read_policies(text, lines, source, digest, evals)
    spec = regions.complete(spec, lines, _read_region)
    if has_conflict_markers(text):
        found = tuple(_marker_diagnostic(lines, n) for n in conflict_marker_lines(lines))
        spec = replace(spec, diagnostics=(*spec.diagnostics, *found))
    return spec


def _marker_diagnostic(lines: list[str], number: int) -> Diagnostic:
    """A conflict marker line left by a merge: an error until someone resolves it."""
    shown = lines[number - 1][:72]
    return Diagnostic(
        "conflict_marker",
        f"merge conflict marker `{shown}` left in the text: resolve the conflict",
        number,
    )


def _read_region(text: str) -> Spec:
    """The policies of a region's text read on its own (`regions` gives it a heading)."""
    return _read_policies(text, text.split("\n"), "<region>", "", None)


def _read_policies(
    text: str, lines: list[str], source: str, digest: str, evals: Sequence[EvalFile] | None
) -> Spec:
    """The policies the reader builds from headings (before `regions.complete`)."""
    blocks, fence_notes = _blocks(text, lines)
    reader = _SpecReader(lines)
    reader.diagnostics.extend(fence_notes)
    for block in blocks:
        reader.add(block)
    reader.close_section()
    return Spec(
        source=source,
        sha256=digest,
        policies=tuple(reader.policies),
        preamble="\n\n".join(reader.preamble),
        evals=tuple(evals) if evals is not None else None,
        diagnostics=tuple(reader.diagnostics),
        size=len(text),
    )


# --- top-level blocks and unclosed-fence recovery ----------------------------------------


def _blocks(text: str, lines: list[str]) -> tuple[tuple[Block, ...], list[Diagnostic]]:
    """Read the blocks, closing a top-level fence that would otherwise swallow later sections.

    A fence never closed runs to the end of the document under CommonMark. When such a
    fence hides headings with attribute blocks, a closing marker is put (virtually) before
    the first of them and the text is read again; block lines stay true to the source.
    """
    blocks = read_blocks(text)
    notes: list[Diagnostic] = []
    closers: list[int] = []
    markers: dict[int, str] = {}
    work = lines
    while len(closers) < 100:
        cut = _swallowing_fence(blocks, work)
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
        blocks = read_blocks("\n".join(work))
    if closers:
        blocks = tuple(_moved(b, lambda n: _to_source_line(n, closers)) for b in blocks)
    return blocks, notes


def _moved(block: Block, to_source: Callable[[int], int]) -> Block:
    """`block` with its lines mapped back to the source's."""
    inlines = tuple(replace(i, line=to_source(i.line)) for i in block.inlines)
    return replace(block, start=to_source(block.start), end=to_source(block.end), inlines=inlines)


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


def _swallowing_fence(blocks: Sequence[Block], lines: list[str]) -> tuple[int, int] | None:
    """(fence line, heading line) for a top-level fence that runs to the end and hides headings."""
    last_text = len(lines)
    while last_text > 0 and not lines[last_text - 1].strip():
        last_text -= 1
    for block in blocks:
        if block.kind != "fence":
            continue
        start, end = block.start, block.end
        if end < last_text or _fence_closes(lines[end - 1], block.marker):
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


# --- building policies from blocks -------------------------------------------------------


@dataclass(slots=True)
class _Section:
    """A section being read while its blocks stream past (lines 1-based)."""

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

    def flush_pending(self) -> None:
        if self.pending_title is not None:
            self.prose.append(self.pending_title[1])
            self.pending_title = None

    def add_inline(self, inline: Inline, line: int) -> None:
        """Take the references and footnote markers of `inline`, as found on `line`."""
        for link in inline.links:
            if link.target.startswith("#") and len(link.target) > 1:
                self.references.append(Reference(link.target[1:], link.text, line))
        self.footnotes.extend(inline.footnotes)


class _SpecReader:
    """Groups top-level blocks into sections and turns each into a policy: ids and parents
    come from the document order."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.preamble: list[str] = []
        self.policies: list[Policy] = []
        self.diagnostics: list[Diagnostic] = []
        self.current: _Section | None = None
        self.stack: list[tuple[int, str]] = []
        self.seen_ids: dict[str, int] = {}
        self.slug_counts: dict[str, int] = {}

    def add(self, block: Block) -> None:
        """Read the next top-level block."""
        if block.kind == "heading":
            self._open_section(block)
            return
        section = self.current
        if block.kind == "front_matter":
            return
        if section is None:
            self.preamble.append(self._source(block))
            return
        section.last_line = max(section.last_line, block.end)
        line = block.start + 1
        if block.kind == "fence" and block.info.strip().split(" ")[0].lower() == "xml":
            self._add_example(section, block, line)
            return
        section.flush_pending()
        if block.kind == "admonition" and block.info in COMMENTARY_KINDS:
            self._add_commentary(section, block, line)
            return
        text = self._source(block)
        if block.kind == "paragraph" and EXAMPLE_TITLE_RE.match(text):
            section.pending_title = (EXAMPLE_TITLE_RE.sub("", text, count=1).strip(), text)
        else:
            section.prose.append(text)
        for inline in block.inlines:
            section.add_inline(inline, inline.line + 1)

    def _source(self, block: Block) -> str:
        return "\n".join(self.lines[block.start : block.end]).strip("\n")

    def _open_section(self, block: Block) -> None:
        self.close_section()
        line = block.start + 1
        title, attrs = split_heading(block.content, line)
        self.current = _Section(
            title=title, attributes=attrs, depth=block.level, line=line, last_line=line
        )
        for inline in block.inlines:  # a heading's footnote markers are not its policy's
            self.current.add_inline(replace(inline, footnotes=()), line)

    def _add_example(self, section: _Section, fence: Block, line: int) -> None:
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

    def _add_commentary(self, section: _Section, block: Block, line: int) -> None:
        text = _dedent(self.lines[block.start + 1 : block.end])
        title = block.content.strip().strip("\"'") if block.content else block.info
        section.commentary.append(Commentary(title, text, line))
        for inline in block.inlines:
            section.add_inline(inline, line)

    def close_section(self) -> None:
        """Turn the section being read (if any) into a policy."""
        section = self.current
        if section is None:
            return
        self.current = None
        section.flush_pending()
        self.policies.append(self._policy(section))

    def _policy(self, section: _Section) -> Policy:
        attrs = section.attributes
        explicit = attrs.id is not None
        ident = attrs.id if attrs.id is not None else self._slug(section.title)
        ident = self._unique(ident, section.line)
        while self.stack and self.stack[-1][0] >= section.depth:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        self.stack.append((section.depth, ident))
        values = dict(attrs.pairs)
        return Policy(
            id=ident,
            title=section.title,
            depth=section.depth,
            parent=parent,
            authority=values.get("authority"),
            tags=_split_tags(values.get("tags", "")),
            prose="\n\n".join(section.prose),
            commentary=tuple(section.commentary),
            examples=tuple(section.examples),
            references=tuple(section.references),
            footnotes=tuple(dict.fromkeys(section.footnotes)),
            lines=(section.line, max(section.line, section.last_line)),
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


def _dedent(lines: Sequence[str]) -> str:
    out = [line[4:] if line.startswith("    ") else line.lstrip("\t ") for line in lines]
    return "\n".join(out).strip("\n")
