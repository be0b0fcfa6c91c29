"""Parse the revisions of a walk section by section: each distinct section text is parsed
once for the whole walk, by the spec parser itself, and kept by that text (a hash table
keyed by the section's text: its hash finds it, equality confirms it).

This sits over the parser's output and is not a second parser. A revision's text is cut
where a line may open an ATX heading at the margin (`#` to `######`, then a space, a tab
or the line's end). Each cut (a *section*: its heading line up to the next cut) is given
to `spec.parse.parse` alone, followed by a probe heading; the cut is trusted only when the
parser reads the probe as a heading at the probe's line, which proves the section leaves
no block open (a fence, an HTML block) that would have swallowed the next heading in the
whole document. A cut the parser does not confirm is merged with the next one. Sections
then start in the state a whole parse is in at that line, so their policies are the ones
the whole parse gives, once their lines are shifted and their parents are taken from the
sections before them.

Whatever this cannot show to be the same, it leaves to one whole parse of the revision:
text with carriage returns or a byte-order mark, a possible link reference definition
(those are global to a document), any diagnostic (duplicate ids, unclosed fences), ids
that collide across sections, a parse error, and model fields it does not know how to
place. The tests compare the result with the whole parse on generated histories and on
the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace

from specver.errors import InputError
from specver.spec.model import (
    RESERVED_IDS,
    Commentary,
    Example,
    FrontMatter,
    Policy,
    Reference,
    Spec,
)
from specver.spec.parse import parse

HEADING_START = re.compile(r"^#{1,6}(?:[ \t]|$)", re.MULTILINE)
"""A line that may open an ATX heading at the margin: where a section may start."""
LINK_DEFINITION = re.compile(r"^[ \t>*+\-\d.)]*\[(?:[^\]\\\n]|\\.)*(?:\]:|$)", re.MULTILINE)
"""A line that may start a link reference definition (a label closed by `]:`, or a label
going on past the line); definitions reach across sections, so such text is parsed whole."""
PROBE_TITLE = "specver section probe"
PROBE = f"# {PROBE_TITLE}"
MAX_SECTIONS = 50_000
"""Distinct section texts remembered in one walk before the memo starts over."""

PLACED_FIELDS = frozenset({"lines", "examples", "commentary", "references", "parent"})
"""Policy fields that depend on where a section sits in its document."""
KEPT_FIELDS = frozenset(
    {
        "id",
        "title",
        "depth",
        "authority",
        "tags",
        "prose",
        "footnotes",
        "explicit_id",
        "attributes",
        "text",
    }
)
"""Policy fields a section's own text decides."""
SPEC_FIELDS = frozenset(
    {
        "source",
        "sha256",
        "policies",
        "preamble",
        "front_matter",
        "evals",
        "diagnostics",
        "size",
        "path",
        "_index",
    }
)


def _names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


def model_is_known() -> bool:
    """Whether every field of the model is one this module knows how to place.

    A field added to the model later makes every revision parse whole (always right),
    until this module learns where the new field's lines come from.
    """
    return (
        _names(Policy) == PLACED_FIELDS | KEPT_FIELDS
        and _names(Spec) == SPEC_FIELDS
        and _names(Example) == {"title", "messages", "line", "source", "titled"}
        and _names(Commentary) == {"title", "text", "line"}
        and _names(Reference) == {"target", "text", "line"}
    )


@dataclass(frozen=True, slots=True)
class _Section:
    """One section's policies as parsed alone (lines counted from the section's start)."""

    preamble: str
    policies: tuple[Policy, ...]
    may_define_links: bool
    """Whether a line of it may start a link reference definition."""
    front_matter: FrontMatter | None = None
    """The front matter the section opens with (only the document's first section can)."""


_Key = tuple[str, bool]
"""A section's text and whether it ends the document: the memo's key (a dict hashes it)."""
_Place = tuple[_Key, int, tuple[str | None, ...]]
"""A section's key, its 0-based first line in the document and its policies' parents."""


_UNSEEN = object()
_WHOLE = _Section("", (), True)
"""Marks a section the parser reads with a diagnostic or an error: its revision is parsed whole."""


def heading_starts(text: str, start: int = 0) -> list[int]:
    """Offsets (from `start`, a line's start) of the lines that may open an ATX heading at
    the margin (see HEADING_START)."""
    out = [start] if HEADING_START.match(text, start) else []
    at = text.find("\n#", start)
    while at != -1:
        if HEADING_START.match(text, at + 1):
            out.append(at + 1)
        at = text.find("\n#", at + 2)
    return out


class _Whole(Exception):
    """This revision must be parsed whole."""


@dataclass(frozen=True, slots=True)
class _Boundary:
    """One section of the last revision read, and what the reading had made up to its end."""

    start: int
    end: int
    """Offsets of the section in its text (the end is a cut, or the text's end)."""
    key: _Key
    where: _Place
    placed: tuple[Policy, ...]
    """The section's policies as placed in that revision."""
    policies: int
    """The revision's policies up to and including this section's."""
    line: int
    """The 0-based line the next section starts at."""
    stack: tuple[tuple[int, str], ...]
    """The open headings (depth, id) after it."""


@dataclass(slots=True)
class _State:
    """A revision's reading so far: its sections' ends, policies, open headings, the line
    and offset it goes on from, and what its first section gave."""

    boundaries: list[_Boundary] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    stack: list[tuple[int, str]] = field(default_factory=list)
    line: int = 0
    start: int = 0
    preamble: str = ""
    front_matter: FrontMatter | None = None


@dataclass(frozen=True, slots=True)
class _Read:
    """The last revision read by sections: where each section ended, and the result."""

    boundaries: tuple[_Boundary, ...]
    policies: tuple[Policy, ...]
    preamble: str
    front_matter: FrontMatter | None

    def shared(self, text: str) -> int:
        """How many of its leading sections `text` opens with, each still ended by a cut.

        Up to the end of such a run the two texts are the same, so their cuts, sections,
        lines and parents are the same too: what the last reading made there is the result.
        """
        n = 0
        for b in self.boundaries:
            if b.key[1] or b.end >= len(text) or not text.startswith(b.key[0], b.start):
                break
            if not HEADING_START.match(text, b.end):
                break
            n += 1
        return n


class SectionReader:
    """Parses revision after revision, reusing every section seen before in the walk."""

    def __init__(self) -> None:
        self._sections: dict[_Key, _Section | None] = {}
        """A section's text -> its policies, or None when its end is not confirmed (it
        must be read together with the next section)."""
        self._placed: dict[_Place, tuple[Policy, ...]] = {}
        """The policies placed in the last revision read, by section, line and parents."""
        self._placed_before: dict[_Place, tuple[Policy, ...]] = {}
        self._last: _Read | None = None
        """The last revision read by sections (its leading sections are taken as they are
        when the next revision opens with the same text)."""
        self.parsed = 0
        """Sections (or whole revisions) given to the parser so far."""
        self.reused = 0
        """Sections taken from the memo so far."""
        self.whole = 0
        """Revisions parsed whole so far."""
        self._known = model_is_known()

    def read(self, text: str, *, source: str, sha256: str) -> Spec:
        """The spec of one revision's text, equal to `parse(text, source=..., sha256=...)`."""
        try:
            return self._assembled(text, source, sha256)
        except _Whole:
            self.whole += 1
            self.parsed += 1
            return parse(text, source=source, sha256=sha256)

    # --- cutting ------------------------------------------------------------------------

    def _assembled(self, text: str, source: str, sha256: str) -> Spec:
        last_read, self._last = self._last, None
        if not self._known or "\r" in text or text.startswith("\ufeff"):
            raise _Whole
        if len(self._sections) > MAX_SECTIONS:
            self._sections = {}
        self._placed_before, self._placed = self._placed, {}
        state = self._resumed(last_read, text)
        cuts = heading_starts(text, state.start)
        if not cuts or cuts[0] != state.start:
            cuts.insert(0, state.start)
        cuts.append(len(text))
        k = 0
        while k < len(cuts) - 1:
            k_end, section, key = self._section(text, cuts, k)
            first = state.start == 0 and k == 0
            if section.may_define_links or (not first and section.preamble):
                raise _Whole
            if first:
                state.preamble = section.preamble
                state.front_matter = section.front_matter
            elif section.front_matter is not None:
                raise _Whole
            placed, where = self._place(key, section, state.line, state.stack)
            state.policies.extend(placed)
            state.line += text.count("\n", cuts[k], cuts[k_end])
            state.boundaries.append(
                _Boundary(
                    cuts[k],
                    cuts[k_end],
                    key,
                    where,
                    placed,
                    len(state.policies),
                    state.line,
                    tuple(state.stack),
                )
            )
            k = k_end
        ids = {p.id for p in state.policies}
        if len(ids) != len(state.policies):
            raise _Whole
        policies = tuple(state.policies)
        self._last = _Read(tuple(state.boundaries), policies, state.preamble, state.front_matter)
        return Spec(
            source=source,
            sha256=sha256,
            policies=policies,
            preamble=state.preamble,
            front_matter=state.front_matter,
            size=len(text),
        )

    def _resumed(self, last_read: _Read | None, text: str) -> _State:
        """Where reading `text` starts: after the leading sections it shares with the last
        revision read (their policies taken as they are), else at its start."""
        shared = last_read.shared(text) if last_read is not None else 0
        if last_read is None or not shared:
            return _State()
        boundaries = list(last_read.boundaries[:shared])
        at = boundaries[-1]
        for b in boundaries:
            self._placed[b.where] = b.placed
        self.reused += shared
        return _State(
            boundaries,
            list(last_read.policies[: at.policies]),
            list(at.stack),
            at.line,
            at.end,
            last_read.preamble,
            last_read.front_matter,
        )

    def _section(self, text: str, cuts: list[int], k: int) -> tuple[int, _Section, _Key]:
        """(index of the cut after it, policies, key) of the section starting at cut k,
        merged with the following ones until the parser confirms where it ends."""
        end = k + 1
        while True:
            last = end == len(cuts) - 1
            key = (text[cuts[k] : cuts[end]], last)
            found = self._sections.get(key, _UNSEEN)
            if found is _UNSEEN:
                try:
                    found = self._parsed(key[0], last)
                except _Whole:
                    self._sections[key] = _WHOLE
                    raise
                self._sections[key] = found
            elif found is _WHOLE:
                raise _Whole
            else:
                self.reused += found is not None
            if isinstance(found, _Section):
                return end, found, key
            end += 1

    def _parsed(self, body: str, last: bool) -> _Section | None:
        """A section parsed alone; None when the probe after it is not read as a heading."""
        self.parsed += 1
        probe_line = body.count("\n") + 1
        try:
            spec = parse(body if last else body + PROBE)
        except InputError:
            raise _Whole from None
        if spec.diagnostics:
            raise _Whole
        policies = spec.policies
        if not last:
            tail = policies[-1] if policies else None
            if tail is None or tail.title != PROBE_TITLE or tail.lines[0] != probe_line:
                return None
            policies = policies[:-1]
        if body.startswith("#") and (not policies or policies[0].lines[0] != 1):
            raise _Whole
        defines = LINK_DEFINITION.search(body) is not None
        return _Section(spec.preamble, policies, defines, spec.front_matter)

    # --- placing ------------------------------------------------------------------------

    def _place(
        self, key: _Key, section: _Section, line: int, stack: list[tuple[int, str]]
    ) -> tuple[tuple[Policy, ...], _Place]:
        """The section's policies at 0-based document line `line`, parents from `stack`
        (the open headings before it: depth and id), which is updated; and where they sit."""
        parents: list[str | None] = []
        for p in section.policies:
            while stack and stack[-1][0] >= p.depth:
                stack.pop()
            parents.append(stack[-1][1] if stack else None)
            if p.id not in RESERVED_IDS:  # text outside any heading is nobody's parent
                stack.append((p.depth, p.id))
        where = (key, line, tuple(parents))
        placed = self._placed_before.get(where) or self._placed.get(where)
        if placed is None:
            placed = tuple(
                _shifted(p, line, parent)
                for p, parent in zip(section.policies, parents, strict=True)
            )
        self._placed[where] = placed
        return placed, where


def _shifted(policy: Policy, by: int, parent: str | None) -> Policy:
    """A policy moved down `by` lines, under `parent`."""
    if not by:
        return policy if policy.parent == parent else replace(policy, parent=parent)
    first, last = policy.lines
    return replace(
        policy,
        parent=parent,
        lines=(first + by, last + by),
        examples=tuple(replace(e, line=e.line + by) for e in policy.examples),
        commentary=tuple(replace(c, line=c.line + by) for c in policy.commentary),
        references=tuple(replace(r, line=r.line + by) for r in policy.references),
    )
