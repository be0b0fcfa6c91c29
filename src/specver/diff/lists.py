"""Which items a policy's lists (and its definitions) gained or lost, each named as a reader
would name it.

A list is named by the paragraph that leads into it ("Each message contains the following
fields."), a nested list by its parent item; an item is named by the term it defines when
it starts with one (`` `recipient` (optional): … ``, `**Tool**: …`, `Role: …`), else by its
first words. Paragraphs that define a term (`**Tool**: a program …`) count as the items of
the policy's definitions. Items whose text was only reworded (same term, or similar words)
are neither gained nor lost. The changelog names these items where the rule model counts
only statements (a list of fields that states no rule changes no rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from specver.diff.normative import content_words, plain, quote, without_comments

DEFINITIONS = "(definitions)"
"""The `lead` of the paragraphs that define a term, which form no Markdown list."""

REWORDED = 0.5
"""Content-word similarity at which an item without a term counts as the same item reworded."""

CONTAINED = 0.75
"""Share of the shorter item's content words found in the longer one for a reworded item
that grew or shrank ("asking for details" -> "asking for details, either …")."""

NAME_WORDS = 5
"""A term is at most this many words (`Conversation`, `end_turn`, `Tool call`)."""

_ITEM = re.compile(r"^( {0,12})(?:[-*+]|\d{1,9}[.)])[ \t](.*)$")
"""A list item's marker and one space; its text (stripped by the reader) is the rest."""
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TERM = re.compile(
    r"^(?:(?P<code>`+)(?P<c>[^`]{1,80})(?P=code)|\*\*(?P<b>[^*]{1,80})\*\*|__(?P<u>[^_]{1,80})__)"
    r"(?P<rest>.*)$"
)
_PLAIN_TERM = re.compile(
    r"^(?P<t>[A-Za-z][\w.'’/-]{0,30}(?: [\w.'’/-]{1,30}){0,4}?) ?(?:\([^)]{0,40}\))? ?: +\S"
)
_AFTER_TERM = re.compile(r"^ ?(?:\([^)]{0,40}\))? ?(?::| ?[-–—] )")
"""After a term: an optional `(optional)` note, then a colon or a dash (spaces bounded, so
no two repeats compete for the same run)."""


@dataclass(frozen=True, slots=True)
class ItemName:
    """How an item is named: its term (shown as code when it was written as code), or its
    first words."""

    text: str
    code: bool = False
    """Whether the term was written as inline code (`` `recipient` ``)."""
    item: str = field(default="", compare=False)
    """The item's whole text, plain, one line (to tell whether a changed rule quotes it)."""


@dataclass(frozen=True, slots=True)
class ListChange:
    """The items one list gained and lost between two versions of a policy."""

    lead: str
    """The paragraph leading into the list (plain, one line), the parent item's name for a
    nested list, `DEFINITIONS` for defining paragraphs, or empty for a list with no lead."""
    added: tuple[ItemName, ...]
    removed: tuple[ItemName, ...]
    revised: tuple[ItemName, ...] = ()
    """Items with the same term (or nearly the same words) whose text was edited."""


@dataclass(frozen=True, slots=True)
class _Item:
    lead: str
    name: ItemName
    has_term: bool
    text: str
    """The item's own text, plain, one line (nested items not included)."""


def item_name(markdown: str) -> tuple[ItemName, bool]:
    """The name of a list item or defining paragraph and whether it is a defined term."""
    text = markdown.strip()
    found = _TERM.match(text)
    if found and _AFTER_TERM.match(found.group("rest")):
        term = found.group("c") or found.group("b") or found.group("u") or ""
        term = " ".join(term.split()).rstrip(":")
        if term and len(term.split()) <= NAME_WORDS:
            return ItemName(term, bool(found.group("c"))), True
    flat = plain(text)
    found = _PLAIN_TERM.match(flat)
    if found and len(found.group("t").split()) <= NAME_WORDS:
        return ItemName(found.group("t").strip()), True
    return ItemName(quote(flat.rstrip(" .;,"), 60)), False


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])")


def last_sentence(paragraph: str) -> str:
    """The sentence of a paragraph that leads into the list after it: its last one."""
    parts = [p for p in _SENTENCE_END.split(paragraph) if p.strip()]
    return parts[-1].strip() if parts else paragraph


def _is_definition(paragraph: str) -> bool:
    found = _TERM.match(paragraph.strip())
    return bool(found and found.group("b") and _AFTER_TERM.match(found.group("rest")))


class _Reader:
    """Reads a policy's prose line by line into list items and defining paragraphs."""

    def __init__(self) -> None:
        self.out: list[_Item] = []
        self.lead = ""
        self.paragraph: list[str] = []
        self.stack: list[tuple[int, str]] = []
        """(indent, name) of the open items, outermost first."""
        self.current: list[str] | None = None
        self.fence: str | None = None

    def close(self) -> None:
        """End the open item and paragraph."""
        if self.current is not None and self.stack:
            raw = " ".join(self.current)
            name, term = item_name(raw)
            name = replace(name, item=plain(raw))
            parent = self.stack[-2][1] if len(self.stack) > 1 else self.lead
            self.out.append(_Item(parent, name, term, plain(raw)))
            self.stack[-1] = (self.stack[-1][0], name.text)
        self.current = None
        if self.paragraph:
            text = " ".join(self.paragraph)
            if _is_definition(text):
                name, _term = item_name(text)
                self.out.append(
                    _Item(DEFINITIONS, replace(name, item=plain(text)), True, plain(text))
                )
            self.lead = last_sentence(plain(text))
        self.paragraph.clear()

    def in_fence(self, line: str) -> bool:
        """Whether the line belongs to a code block (opening and closing it as it goes)."""
        marker = _FENCE.match(line)
        if self.fence is not None:
            mark = marker.group(1) if marker else ""
            if mark[:1] == self.fence[0] and len(mark) >= len(self.fence):
                self.fence = None
            return True
        if marker:
            self.close()
            self.fence = marker.group(1)
            return True
        return False

    def line(self, line: str) -> None:
        """Take one line of prose."""
        if self.in_fence(line):
            return
        item = _ITEM.match(line)
        if item:
            self.close()
            indent = len(item.group(1))
            while self.stack and self.stack[-1][0] >= indent:
                self.stack.pop()
            self.stack.append((indent, ""))
            self.current = [item.group(2).strip()]
        elif not line.strip():
            self.close()
        elif self.stack and (line.startswith((" ", "\t")) or self.current is not None):
            if self.current is not None:
                self.current.append(line.strip())
        else:
            self.stack.clear()
            self.paragraph.append(line.strip())


def list_items(prose: str) -> tuple[_Item, ...]:
    """Every list item of a policy's prose (nested ones under their parent's name) and every
    paragraph that defines a term, in order; code blocks and HTML comments are skipped."""
    reader = _Reader()
    for line in without_comments(prose).replace("\r\n", "\n").split("\n"):
        reader.line(line)
    reader.close()
    return tuple(reader.out)


def _key(item: _Item) -> str:
    return item.name.text.lower() if item.has_term else " ".join(item.text.lower().split())


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9_]+", text.lower()))


def _pair_leads(old: dict[str, list[_Item]], new: dict[str, list[_Item]]) -> dict[str, str]:
    """Old lead -> new lead: the same words, else the lead whose list shares most items."""
    out: dict[str, str] = {}
    by_norm = {_norm(lead): lead for lead in new}
    for lead in old:
        if _norm(lead) in by_norm:
            out[lead] = by_norm[_norm(lead)]
    taken = set(out.values())
    for lead, items in old.items():
        if lead in out:
            continue
        keys = {_key(i) for i in items}
        best, shared = None, 0
        for other, theirs in new.items():
            if other in taken:
                continue
            count = len(keys & {_key(i) for i in theirs})
            if count > shared:
                best, shared = other, count
        if best is not None and shared * 2 >= min(len(items), len(new[best])):
            out[lead] = best
            taken.add(best)
    return out


def _same_item(a: frozenset[str], b: frozenset[str]) -> bool:
    """Reworded: similar words, or one item's words nearly all found in the other's."""
    if _dice(a, b) >= REWORDED:
        return True
    small = min(len(a), len(b))
    return small >= 2 and len(a & b) / small >= CONTAINED


def _gained_and_lost(
    old: list[_Item], new: list[_Item]
) -> tuple[list[_Item], list[_Item], list[_Item]]:
    old_keys = {_key(i): i for i in old}
    new_keys = {_key(i) for i in new}
    lost = [i for i in old if _key(i) not in new_keys]
    gained = [i for i in new if _key(i) not in old_keys]
    revised = [
        i
        for i in new
        if i.has_term and _key(i) in old_keys and _norm(old_keys[_key(i)].text) != _norm(i.text)
    ]
    for x in list(lost):
        if x.has_term:
            continue
        words = content_words(x.text)
        match = max(
            (y for y in gained if not y.has_term),
            key=lambda y: _dice(words, content_words(y.text)),
            default=None,
        )
        if match is not None and _same_item(words, content_words(match.text)):
            lost.remove(x)
            gained.remove(match)
            revised.append(match)
    return gained, lost, revised


def list_changes(old_prose: str, new_prose: str) -> tuple[ListChange, ...]:
    """The items each list of a policy gained and lost, in the new version's order (lists
    that are gone last); reworded items and unchanged lists are left out."""
    if old_prose == new_prose:
        return ()
    old: dict[str, list[_Item]] = {}
    new: dict[str, list[_Item]] = {}
    for item in list_items(old_prose):
        old.setdefault(item.lead, []).append(item)
    for item in list_items(new_prose):
        new.setdefault(item.lead, []).append(item)
    leads = _pair_leads(old, new)
    back = {v: k for k, v in leads.items()}
    out: list[ListChange] = []
    for lead, items in new.items():
        before = old.get(back[lead], []) if lead in back else []
        gained, lost, revised = _gained_and_lost(before, items)
        if gained or lost or revised:
            names = (tuple(i.name for i in group) for group in (gained, lost, revised))
            out.append(ListChange(lead, *names))
    for lead, items in old.items():
        if lead not in leads:
            out.append(ListChange(lead, (), tuple(i.name for i in items)))
    gone = {name.text for change in out for name in change.removed}
    # The nested list of an item that is gone went with it.
    return tuple(c for c in out if not (c.lead in gone and not c.added and not c.revised))
