"""Release notes as bullets: what each says was done and what it names.

Notes come as Markdown or plain text: bulleted or numbered lists (nested ones too), prose
paragraphs, or a section of a CHANGELOG.md (Keep a Changelog's `## [1.2.0] - 2025-01-31`
with `### Added` groups, or the Model Spec's `## v2025.09.12`), found by its version. Every
list item is a bullet; a prose sentence is one when it uses a verb of the table in
`audit.verbs` or names a term. A paragraph ending in a colon introduces a list and is no
claim of its own. Each bullet keeps its text, its line, the terms it marks (bold, italic,
quoted, code, link text, `#id` links) and its verbs; a Keep a Changelog group heading
(`Added`, `Removed`, ...) lends its verb to the bullets under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from specver.audit.verbs import UsedVerb, is_catch_all, verbs_in
from specver.errors import InputError
from specver.release.versioning import find_version, same_version


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase a bullet marks as a name."""

    text: str
    how: str
    """`bold`, `italic`, `quoted`, `code`, `link` (a link's text) or `anchor` (`#id`)."""


@dataclass(frozen=True, slots=True)
class Bullet:
    """One claim of the notes: a list item or a prose sentence."""

    index: int
    """Its position among the notes' bullets, from 0."""
    text: str
    """The claim in plain words (markup and link targets removed), on one line."""
    markdown: str
    """The claim as written."""
    line: int
    """Its first line in the notes file (1-based)."""
    depth: int = 0
    """0 for a top-level item or sentence, 1 for an item nested in another, ..."""
    parent: int | None = None
    """The index of the item it is nested in."""
    group: str | None = None
    """The heading it sits under inside the entry (`Added`, `Changed`, ...)."""
    terms: tuple[Term, ...] = ()
    verbs: tuple[UsedVerb, ...] = ()
    catch_all: bool = False
    """A catch-all ("other small changes and copy edits"): it covers copy edits only."""

    @property
    def words(self) -> list[str]:
        """Its words in lower case, in order."""
        return words_of(self.text)


@dataclass(frozen=True, slots=True)
class Notes:
    """The maintainers' notes for one release."""

    source: str
    """The file the notes were read from, as named on the command line."""
    kind: str
    """`notes` (a whole notes file) or `changelog` (one section of a CHANGELOG.md)."""
    version: str | None
    """The version of the changelog section; None for a notes file."""
    heading: str | None
    """The section's heading as written; None for a notes file."""
    bullets: tuple[Bullet, ...] = field(default_factory=tuple)

    def children(self, index: int) -> tuple[Bullet, ...]:
        """The bullets nested directly in bullet `index`."""
        return tuple(b for b in self.bullets if b.parent == index)


WORD_RE = re.compile(r"[a-z0-9]+(?:[-_'’][a-z0-9]+)*")


def words_of(text: str) -> list[str]:
    """The words of a text in lower case (hyphenated and `snake_case` words kept whole)."""
    return WORD_RE.findall(text.lower())


# --- inline markup -----------------------------------------------------------------------

_ANCHOR_LINK_RE = re.compile(r"\[([^\[\]]{0,300})\]\(#([^)\s]{1,200})\)")
_LINK_RE = re.compile(r"\[([^\[\]]{0,300})\]\([^()\s]{0,2000}(?:\s+\"[^\"]{0,200}\")?\)")
_REF_LINK_RE = re.compile(r"\[([^\[\]]{1,300})\]\[[^\[\]]{0,100}\]")
_AUTOLINK_RE = re.compile(r"<(?:https?|mailto):[^>\s]{1,2000}>|\bhttps?://\S{1,2000}")
_CODE_RE = re.compile(r"`{1,3}([^`]{1,200})`{1,3}")
_STRONG_RE = re.compile(r"(\*{2,3}|_{2,3})(?=\S)(.{1,200}?)(?<=\S)\1")
_EMPHASIS_RE = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])([^*_]{1,200}?)(?<=[^\s*_])\1(?![\w*])")
_QUOTED_RE = re.compile(
    r"\"([^\"\n]{2,200})\"|“([^”\n]{2,200})”|‘([^’\n]{2,200})’|(?<![\w'])'([^'\n]{2,200})'(?!\w)"
)
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HTML_RE = re.compile(r"<!--.*?-->|</?[A-Za-z][^<>]{0,200}>", re.DOTALL)


def inline_terms(markdown: str) -> tuple[str, tuple[Term, ...]]:
    """A bullet's plain text and the terms it marks, in order of appearance."""
    terms: list[tuple[int, Term]] = []
    text = _HTML_RE.sub(" ", markdown)
    text = _ESCAPE_RE.sub(r"\1", text)

    def anchor(m: re.Match[str]) -> str:
        target = m.group(2)
        terms.append((m.start(), Term(target, "anchor")))
        label = _unmarked(m.group(1))
        if label in ("", "?"):
            return target
        terms.append((m.start(), Term(label, "link")))
        return label

    def link(m: re.Match[str]) -> str:
        terms.append((m.start(), Term(_unmarked(m.group(1)), "link")))
        return m.group(1)

    text = _ANCHOR_LINK_RE.sub(anchor, text)
    text = _LINK_RE.sub(link, text)
    text = _REF_LINK_RE.sub(link, text)
    text = _AUTOLINK_RE.sub(" ", text)
    for m in _CODE_RE.finditer(text):
        terms.append((m.start(), Term(m.group(1).strip(), "code")))
    text = _CODE_RE.sub(lambda m: m.group(1), text)
    for m in _STRONG_RE.finditer(text):
        terms.append((m.start(), Term(_unmarked(m.group(2)), "bold")))
    text = _STRONG_RE.sub(lambda m: m.group(2), text)
    for m in _EMPHASIS_RE.finditer(text):
        terms.append((m.start(), Term(m.group(2).strip(), "italic")))
    text = _EMPHASIS_RE.sub(lambda m: m.group(2), text)
    for m in _QUOTED_RE.finditer(text):
        quoted = next(g for g in m.groups() if g is not None)
        terms.append((m.start(), Term(quoted.strip(" ,.;:"), "quoted")))
    plain = " ".join(text.split())
    seen: set[tuple[str, str]] = set()
    ordered: list[Term] = []
    for _pos, term in sorted(terms, key=lambda t: t[0]):
        key = (term.text.lower(), term.how)
        if term.text and any(c.isalnum() for c in term.text) and key not in seen:
            seen.add(key)
            ordered.append(term)
    return plain, tuple(ordered)


def _unmarked(text: str) -> str:
    """Text without the emphasis and code marks around it."""
    return text.strip("*_` ").strip()


# --- blocks: list items and paragraphs -----------------------------------------------------

_ITEM_RE = re.compile(r"^(\s*)([-*+•]|\d{1,9}[.)]|\(\d{1,9}\)|[a-z][.)])[ \t]+(\S.*)$")
_HEADING_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*))?$")
"""An ATX heading; `_heading_text` drops its closing `#`s (a pattern that strips them
backtracks on a line of spaces)."""
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_LINK_DEF_RE = re.compile(r"^ {0,3}\[[^\]]{1,300}\]:\s*\S")
_TABLE_RE = re.compile(r"^\s*\|")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'’”)\]*_]*\s+(?=[\"'“‘(*_\[]*[A-Z0-9])")
_ABBREVIATION_RE = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx|incl)\.$", re.IGNORECASE)

GROUP_VERBS = {
    "added": "adds",
    "new": "adds",
    "removed": "removes",
    "deleted": "removes",
    "deprecated": None,
    "changed": None,
    "fixed": None,
    "security": None,
}
"""Keep a Changelog's group headings and the verb each lends to the bullets under it."""


@dataclass(slots=True)
class _Block:
    kind: str
    """`item` or `paragraph`."""
    line: int
    indent: int
    lines: list[str]
    group: str | None


def _blocks(text: str) -> Iterator[_Block]:  # noqa: C901  (one branch per kind of line)
    """The list items and paragraphs of Markdown text, with the group heading above each."""
    group: str | None = None
    current: _Block | None = None
    fence: str | None = None
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip()
        opened = _FENCE_RE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            if current:
                yield current
            current = None
            continue
        heading = _HEADING_RE.match(line)
        setext = current is not None and current.kind == "paragraph" and _SETEXT_RE.match(line)
        if setext and current is not None:
            group = " ".join(current.lines).strip()
            current = None
            continue
        if heading or not line.strip() or _RULE_RE.match(line) or _LINK_DEF_RE.match(line):
            if heading:
                group = inline_terms(_heading_text(heading.group(2)))[0]
            if current and (heading or current.kind == "paragraph" or not line.strip()):
                if not line.strip() and current.kind == "item":
                    current.lines.append("")  # an item may go on after a blank line
                    continue
                yield current
                current = None
            continue
        if _TABLE_RE.match(line):
            continue
        item = _ITEM_RE.match(line)
        indent = len(line) - len(line.lstrip())
        if item:
            if current:
                yield current
            current = _Block("item", number, indent, [item.group(3)], group)
            continue
        if current is not None and current.kind == "item":
            blank_before = current.lines[-1] == ""
            if blank_before and indent <= current.indent:
                yield current  # a paragraph after the list, not inside the item
                current = _Block("paragraph", number, indent, [line.strip()], group)
                continue
            current.lines.append(line.strip())
            continue
        if current is None:
            current = _Block("paragraph", number, indent, [line.strip()], group)
        else:
            current.lines.append(line.strip())
    if current:
        yield current


def _heading_text(raw: str | None) -> str:
    """A heading's text without its closing sequence of `#`s and the blanks around it."""
    return (raw or "").rstrip(" \t").rstrip("#").rstrip(" \t")


def _sentences(text: str) -> list[str]:
    """A paragraph's sentences (a full stop after an abbreviation ends none)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        piece = text[start : m.start()]
        if _ABBREVIATION_RE.search(piece):
            continue
        out.append(piece.strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def read_notes(
    text: str,
    source: str,
    *,
    kind: str = "notes",
    version: str | None = None,
    heading: str | None = None,
    first_line: int = 1,
) -> Notes:
    """The bullets of release notes written in Markdown or plain text.

    `first_line` is the line of `text`'s first line in its file (for a changelog section).
    """
    bullets: list[Bullet] = []
    stack: list[tuple[int, int]] = []  # (indent, bullet index) of the open list items
    for block in _blocks(text):
        line = block.line + first_line - 1
        body = "\n".join(x for x in block.lines).strip()
        if block.kind == "item":
            while stack and stack[-1][0] >= block.indent:
                stack.pop()
            parent = stack[-1][1] if stack else None
            made = _bullet(len(bullets), body, line, len(stack), parent, block.group)
            bullets.append(made)
            stack.append((block.indent, made.index))
            continue
        stack.clear()
        joined = " ".join(body.split())
        if joined.endswith(":"):
            continue  # a lead-in to the list below it
        for sentence in _sentences(joined):
            made = _bullet(len(bullets), sentence, line, 0, None, block.group)
            if made.verbs or made.terms:
                bullets.append(made)
    return Notes(source, kind, version, heading, tuple(bullets))


def _bullet(
    index: int, markdown: str, line: int, depth: int, parent: int | None, group: str | None
) -> Bullet:
    markdown = " ".join(markdown.split())
    plain, terms = inline_terms(markdown)
    words = words_of(plain)
    verbs = verbs_in(words)
    lent = GROUP_VERBS.get((group or "").strip().lower())
    if lent and not any(v.action in ("add", "remove") for v in verbs):
        verbs = verbs_in([lent]) + verbs
    return Bullet(
        index,
        plain,
        markdown,
        line,
        depth,
        parent,
        group,
        terms,
        verbs,
        catch_all=is_catch_all(plain) and not _names_something(terms),
    )


def _names_something(terms: tuple[Term, ...]) -> bool:
    return any(t.how in ("code", "anchor", "quoted", "bold") for t in terms)


# --- a changelog's section for one version ------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChangelogSection:
    """The part of a changelog that is one release's entry."""

    version: str
    heading: str
    text: str
    """The entry's body, without its heading."""
    first_line: int
    """The line of the body's first line in the file (1-based)."""


def changelog_section(text: str, version: str, label: str = "CHANGELOG.md") -> ChangelogSection:
    """The entry of `version` in a changelog: the body under the heading that names it.

    A heading names a version when the first version written in it is the same version
    (`v1.2.0`, `[1.2.0]`, `1.2.0 - 2025-01-31` alike; `2025.09.12` and `v2025-09-12` too);
    the entry runs to the next heading of the same or a higher level. InputError when no
    heading names it, listing the versions the changelog has.
    """
    lines = text.splitlines()
    headings = list(_headings(lines))
    found = [(k, depth, title) for k, depth, title in headings if _names_version(title, version)]
    if not found:
        known = [v for _k, _d, title in headings if (v := find_version(title))]
        listed = ", ".join(known[:8]) if known else "none"
        raise InputError(f"{label}: no entry for version {version} (versions found: {listed})")
    start, depth, title = found[0]
    end = next((k for k, d, _t in headings if k > start and d <= depth), len(lines))
    body = "\n".join(lines[start + 1 : end])
    return ChangelogSection(find_version(title) or version, title, body, start + 2)


def _headings(lines: list[str]) -> Iterator[tuple[int, int, str]]:
    """(0-based line, depth, text) of the ATX headings outside fenced code."""
    fence: str | None = None
    for k, raw in enumerate(lines):
        opened = _FENCE_RE.match(raw)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        found = _HEADING_RE.match(raw.lstrip("\ufeff").rstrip("\r\n"))
        if found:
            yield k, len(found.group(1)), _heading_text(found.group(2))


def _names_version(heading: str, version: str) -> bool:
    """Whether a heading names `version`: the same version, or the same calendar day."""
    written = find_version(heading)
    if written is not None and same_version(written, version):
        return True
    wanted = _calendar_key(version)
    days = [written] if written else []
    days += _DAY_RE.findall(heading)
    return wanted is not None and any(_calendar_key(d) == wanted for d in days)


_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


_CALENDAR_RE = re.compile(r"^v?(\d{4})[-.](\d{1,2})[-.](\d{1,2})$")


def _calendar_key(version: str) -> tuple[int, int, int] | None:
    """A calendar version as (year, month, day), whichever separator it is written with."""
    found = _CALENDAR_RE.match(version.strip())
    if not found:
        return None
    return int(found.group(1)), int(found.group(2)), int(found.group(3))


def notes_from_changelog(text: str, version: str, source: str) -> Notes:
    """The notes of one release from a changelog's text (see `changelog_section`)."""
    section = changelog_section(text, version, source)
    return read_notes(
        section.text,
        source,
        kind="changelog",
        version=section.version,
        heading=section.heading,
        first_line=section.first_line,
    )
