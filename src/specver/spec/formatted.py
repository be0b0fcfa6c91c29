"""Spec Markdown as formatted text for people: blocks of styled runs, no markup left.

Reports that show spec text to a reader (the HTML report's redlines, the full text of an
added or removed policy) need the text as it reads, not as it is written: emphasis as
emphasis, list items as items, a link as its text, a `[^name]` footnote marker as a small
marker. `formatted_blocks` reads Markdown with pulldown-cmark (pyromark) and returns frozen
`TextBlock`s of `Run`s; a renderer only has to choose an element per style.

`[?](#id)` links, whose text the reader fills in with the target's title, take the title from
`titles` (else the id itself).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, cast

import pyromark

from specver.spec import markdown

Style = Literal["em", "strong", "code", "link", "strike", "footnote"]
"""How a run of text is set: emphasis, strong, code, link text, struck out, footnote marker."""

TextBlockKind = Literal["paragraph", "heading", "item", "quote", "code", "rule"]
"""What a block of formatted text is."""

STYLE_TAGS: Mapping[str, Style] = {
    "Emphasis": "em",
    "Strong": "strong",
    "Strikethrough": "strike",
    "Link": "link",
}
"""pulldown-cmark inline tags and the style each gives its text."""

LEAF_BLOCKS = frozenset({"Paragraph", "Heading", "TableCell"})
"""Tags whose content is one block of inline text."""


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text set in one way."""

    text: str
    styles: frozenset[Style] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class TextBlock:
    """One block of formatted text: a paragraph, a list item, a code block, ..."""

    kind: TextBlockKind
    runs: tuple[Run, ...]
    depth: int = 0
    """How deeply nested in lists (1 for a top-level list item, 0 outside lists)."""
    marker: str = ""
    """A list item's marker: `•` or its number (`3.`)."""
    quoted: bool = False
    """Inside a block quote."""

    @property
    def text(self) -> str:
        """The block's text without styles."""
        return "".join(r.text for r in self.runs)


class _Builder:
    """Collects blocks while pulldown-cmark's events stream past."""

    def __init__(self, titles: Mapping[str, str]) -> None:
        self.titles = titles
        self.blocks: list[TextBlock] = []
        self.runs: list[Run] = []
        self.styles: list[Style] = []
        self.lists: list[int | None] = []
        """Per open list: the next item number, None for a bulleted list."""
        self.marker = ""
        self.quotes = 0
        self.kind: TextBlockKind = "paragraph"
        self.link_target: str | None = None
        self.link_runs: list[Run] = []
        self.code: list[str] | None = None

    def text(self, value: str, extra: frozenset[Style] = frozenset()) -> None:
        styles = frozenset(self.styles) | extra
        for k, part in enumerate(markdown.FOOTNOTE_RE.split(value) if "[^" in value else [value]):
            if not part:
                continue
            run = Run(part, styles | {"footnote"}) if k % 2 else Run(part, styles)
            (self.link_runs if self.link_target is not None else self.runs).append(run)

    def flush(self) -> None:
        runs = _merged(self.runs)
        if runs and any(r.text.strip() for r in runs):
            depth = len(self.lists)
            kind: TextBlockKind = "item" if depth and self.kind == "paragraph" else self.kind
            self.blocks.append(TextBlock(kind, runs, depth, self.marker, self.quotes > 0))
            self.marker = ""
        self.runs = []
        self.kind = "paragraph"

    def start(self, tag: str, payload: object) -> None:
        if tag in LEAF_BLOCKS:
            self.flush()
            self.kind = "heading" if tag == "Heading" else "paragraph"
        elif tag == "List":
            self.flush()
            first = cast("Mapping[str, int | None]", payload)["List"]
            self.lists.append(first)
        elif tag == "Item":
            self.flush()
            self.marker = self._next_marker()
        elif tag == "BlockQuote":
            self.flush()
            self.quotes += 1
        elif tag in ("CodeBlock", "HtmlBlock"):
            self.flush()
            self.code = []
        elif tag == "Link":
            link = cast("Mapping[str, Mapping[str, str]]", payload)["Link"]
            self.link_target = link["dest_url"]
            self.link_runs = []
        elif tag in STYLE_TAGS:
            self.styles.append(STYLE_TAGS[tag])

    def _next_marker(self) -> str:
        if not self.lists:
            return "•"
        number = self.lists[-1]
        if number is None:
            return "•"
        self.lists[-1] = number + 1
        return f"{number}."

    def end(self, tag: str) -> None:
        if tag in LEAF_BLOCKS or tag == "Item":
            self.flush()
        elif tag == "List":
            self.flush()
            if self.lists:
                self.lists.pop()
        elif tag == "BlockQuote":
            self.flush()
            self.quotes = max(0, self.quotes - 1)
        elif tag in ("CodeBlock", "HtmlBlock"):
            body = "".join(self.code or []).rstrip("\n")
            self.code = None
            if body.strip():
                depth = len(self.lists)
                self.blocks.append(
                    TextBlock("code", (Run(body, frozenset({"code"})),), depth, "", self.quotes > 0)
                )
        elif tag == "Link":
            self._close_link()
        elif tag in STYLE_TAGS and self.styles:
            style = STYLE_TAGS[tag]
            if style in self.styles:
                self.styles.reverse()
                self.styles.remove(style)
                self.styles.reverse()

    def _close_link(self) -> None:
        target, runs = self.link_target or "", self.link_runs
        self.link_target, self.link_runs = None, []
        shown = "".join(r.text for r in runs).strip()
        if shown == "?" or not shown:
            title = self.titles.get(target[1:]) if target.startswith("#") else None
            words = title or (target[1:] if target.startswith("#") else target) or shown
            runs = [Run(words, frozenset(self.styles))]
        self.runs.extend(Run(r.text, r.styles | {"link"}) for r in runs)

    def rule(self) -> None:
        self.flush()
        self.blocks.append(TextBlock("rule", (), len(self.lists)))


def _merged(runs: list[Run]) -> tuple[Run, ...]:
    """Adjacent runs of one style joined; leading and trailing blanks of the block dropped."""
    out: list[Run] = []
    for run in runs:
        if out and out[-1].styles == run.styles and "footnote" not in run.styles:
            out[-1] = Run(out[-1].text + run.text, run.styles)
        else:
            out.append(run)
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].styles)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].styles)
    return tuple(r for r in out if r.text)


def _events(text: str) -> Iterator[object]:
    clean = markdown.SURROGATE_RE.sub("\ufffd", text)
    yield from pyromark.events(clean, options=pyromark.Options.ENABLE_STRIKETHROUGH)


def _tag(payload: object) -> str:
    return (
        payload
        if isinstance(payload, str)
        else str(next(iter(cast("Mapping[str, object]", payload))))
    )


BREAKS: Mapping[str, str] = {"SoftBreak": " ", "HardBreak": "\n"}
PLAIN = frozenset({"Text", "InlineHtml", "Html", "InlineMath", "DisplayMath"})
"""Events whose text is shown as it is."""


def _event(build: _Builder, event: object) -> None:
    """Feed one pulldown-cmark event to the builder."""
    if isinstance(event, str):
        if event in BREAKS:
            build.text(BREAKS[event])
        elif event == "Rule":
            build.rule()
        return
    ((kind, payload),) = cast("Mapping[str, object]", event).items()
    if kind == "Start":
        build.start(_tag(payload), payload)
    elif kind == "End":
        build.end(_tag(payload))
    elif build.code is not None:
        build.code.append(str(payload))
    elif kind == "Code":
        build.text(str(payload), frozenset({"code"}))
    elif kind in PLAIN:
        build.text(str(payload))
    elif kind == "FootnoteReference":
        build.text(f"[^{payload}]")


def formatted_blocks(text: str, titles: Mapping[str, str] | None = None) -> tuple[TextBlock, ...]:
    """Markdown text as blocks of styled runs, in order, without any markup left.

    Consecutive text events are joined first, so a `[^name]` marker the parser hands over
    in pieces is still seen whole.
    """
    build = _Builder(titles or {})
    pending: list[str] = []
    for event in _events(text):
        if isinstance(event, dict) and "Text" in event and build.code is None:
            pending.append(str(event["Text"]))
            continue
        if pending:
            build.text("".join(pending))
            pending.clear()
        _event(build, event)
    if pending:
        build.text("".join(pending))
    build.flush()
    return tuple(build.blocks)


def plain_text(blocks: tuple[TextBlock, ...]) -> str:
    """The blocks' text as plain words, one block per line."""
    return "\n".join(b.text for b in blocks)
