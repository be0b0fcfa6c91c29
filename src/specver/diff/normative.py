"""The normative model of a policy: its statements, their modality, and what an edit does to them.

A policy's prose is read as *statements*: each sentence clause that carries a rule (and every
sentence that carries none, as descriptive text), with the party it binds, its modality on an
ordered scale (`SCALE`), the words that signal it (`MODAL_WORDS`), its exceptions and
conditions (`CLAUSE_MARKERS`, with limiting `QUALIFIERS` such as "explicitly"), and, for a
lead-in that introduces a list ("must not pursue … including:"), the list items as its scope.

Two versions' statements are paired (identical first, then similar, then merged or split
sentences, then a policy's rewritten opening rule and its one rewritten permission), and each
difference is classified by one row of `EFFECT_RULES`: an effect (tightened, loosened,
neutral), a rule id and a one-sentence reason quoting both versions. `policy_verdict` sums a
policy's changes up as tightened, loosened, mixed or unchanged. Every table is data;
`Vocabulary.extended` adds words from `.specver.yaml` for specs written in other words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from types import MappingProxyType
from typing import NamedTuple

from specver.config import NormativeSettings
from specver.diff.textdiff import align, is_copyedit
from specver.errors import ConfigError

# --- the tables --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Modality:
    """One step of the modality scale."""

    name: str
    rank: int
    """Higher binds harder; prohibition and obligation are equally binding."""
    binding: bool
    """True when the statement constrains the party (a duty or a prohibition)."""


SCALE: tuple[Modality, ...] = (
    Modality("prohibition", 3, True),
    Modality("obligation", 3, True),
    Modality("recommendation", 2, True),
    Modality("permission", 1, False),
)
"""The ordered modality scale, strongest first. A statement with no modal word is `none`
(rank 0, descriptive text)."""

NONE = Modality("none", 0, False)


@dataclass(frozen=True, slots=True)
class ModalWord:
    """Words that signal a modality, e.g. `must not` → prohibition, forbidding."""

    phrase: str
    """Lower-case words as written (`should never`, `is not allowed to`)."""
    modality: str
    """A `SCALE` name."""
    polarity: str
    """`forbid`, `require` or `permit`."""
    needs_party: bool = False
    """Counts only after a party or pronoun ("the assistant may"), or before a passive verb
    ("may be shared"), so "this may include" is no permission."""
    at_start: bool = False
    """Also counts at the start of a clause, as an imperative ("Never reveal …", "Do not …")."""


def _words(modality: str, polarity: str, phrases: str, **flags: bool) -> tuple[ModalWord, ...]:
    return tuple(ModalWord(p.strip(), modality, polarity, **flags) for p in phrases.split(","))


MODAL_WORDS: tuple[ModalWord, ...] = (
    *_words(
        "prohibition",
        "forbid",
        "must not, must never, mustn't, shall not, shall never, should never, must avoid,"
        " must refrain from, is not allowed to, are not allowed to, is not allowed,"
        " are not allowed, is not permitted to, are not permitted to, is not permitted,"
        " are not permitted, is prohibited from, are prohibited from, is prohibited,"
        " are prohibited, is forbidden to, are forbidden to, is forbidden, are forbidden,"
        " is never allowed to, is never permitted to, under no circumstances",
    ),
    *_words(
        "prohibition",
        "forbid",
        "may not, may never, cannot, can't, can never, will never, won't",
        needs_party=True,
    ),
    *_words("prohibition", "forbid", "never", at_start=True, needs_party=True),
    *_words("prohibition", "forbid", "do not, don't, do never", at_start=True),
    *_words(
        "obligation",
        "require",
        "must, must always, must only, shall, shall always, is required to, are required to,"
        " is obligated to, are obligated to, is obliged to, are obliged to, has to, have to",
    ),
    *_words("obligation", "require", "may only, can only, will always", needs_party=True),
    *_words("obligation", "require", "always", at_start=True, needs_party=True),
    *_words(
        "recommendation",
        "forbid",
        "should not, shouldn't, should avoid, should refrain from, ought not to, ought not,"
        " is discouraged from, are discouraged from, should generally not, should usually not",
    ),
    *_words(
        "recommendation", "forbid", "avoid, avoids, refrain from", at_start=True, needs_party=True
    ),
    *_words(
        "recommendation",
        "require",
        "should, should always, should only, ought to, is expected to, are expected to,"
        " is encouraged to, are encouraged to, should generally, should usually",
    ),
    *_words(
        "permission",
        "permit",
        "is allowed to, are allowed to, is allowed, are allowed, is permitted to,"
        " are permitted to, is permitted, are permitted, is free to, are free to,"
        " is welcome to, are welcome to, is acceptable, are acceptable",
    ),
    *_words("permission", "permit", "may, can", needs_party=True),
)
"""Every phrase that signals a modality. Longer phrases win over their first word."""


@dataclass(frozen=True, slots=True)
class ClauseMarker:
    """Words that open an exception or a condition of a statement."""

    phrase: str
    kind: str
    """`exception` (cases taken out of the statement: unless, except) or `condition` (the
    statement applies only then: only if, insofar as, if, when)."""
    at_clause_start: bool = False
    """Counts only at the start of the sentence or after a comma (`if`, `when`, `where`)."""


CLAUSE_MARKERS: tuple[ClauseMarker, ...] = (
    *(
        ClauseMarker(p, "exception")
        for p in (
            "unless",
            "except",
            "except when",
            "except where",
            "except if",
            "except for",
            "except that",
            "excepting",
            "with the exception of",
            "other than",
            "save for",
            "save where",
            "barring",
            "unless and until",
        )
    ),
    *(
        ClauseMarker(p, "condition")
        for p in (
            "only if",
            "only when",
            "only where",
            "only after",
            "only insofar as",
            "only to the extent",
            "insofar as",
            "inasmuch as",
            "to the extent that",
            "provided that",
            "providing that",
            "as long as",
            "so long as",
            "on condition that",
            "in cases where",
            "in situations where",
        )
    ),
    *(
        ClauseMarker(p, "condition", at_clause_start=True)
        for p in ("if", "when", "whenever", "where", "once")
    ),
)
"""Exception and condition markers; the longest one found at a place wins."""

QUALIFIERS: tuple[str, ...] = (
    "explicitly",
    "expressly",
    "clearly",
    "specifically",
    "directly",
    "deliberately",
    "intentionally",
    "knowingly",
    "strictly",
    "verified",
    "verifiably",
    "genuinely",
    "legitimate",
    "legitimately",
    "materially",
    "significantly",
    "substantially",
    "serious",
    "seriously",
    "severe",
    "credible",
    "documented",
    "written",
    "confirmed",
    "authorized",
    "imminent",
    "actual",
    "actually",
)
"""Words that limit what they qualify: "asks *explicitly*", "*directly* pursue". Dropping one
from an exception widens the exception; dropping one from a rule widens the rule."""

PARTIES: Mapping[str, str] = MappingProxyType(
    {
        "assistant": "assistant",
        "assistants": "assistant",
        "model": "assistant",
        "models": "assistant",
        "ai": "assistant",
        "chatgpt": "assistant",
        "claude": "assistant",
        "gemini": "assistant",
        "bot": "assistant",
        "agent": "assistant",
        "you": "assistant",
        "developer": "developer",
        "developers": "developer",
        "user": "user",
        "users": "user",
        "operator": "operator",
        "operators": "operator",
        "system": "system",
        "platform": "platform",
        "principal": "principal",
        "principals": "principal",
    }
)
"""Words naming the party a statement binds; pronouns bind the party named before them."""

DEFAULT_PARTY = "assistant"
"""The party a statement binds when it names none (a passive or an imperative)."""

STOPWORDS = frozenset(
    str.split(
        "a an the to of and or in on at by for with from as is are be been being was were it its"
        " this that these those their them they there any all some such than then so not no nor"
        " do does did doing into onto about also even just very more most other others own"
        " which who whom whose what when where while if unless except only both each either"
        " i we you he she his her our your my me us will would shall should must may might can"
        " could have has had having never always cannot ought avoid refrain allowed permitted"
        " required prohibited forbidden expected"
    )
)
"""Words that say nothing about what a statement governs (for pairing statements)."""


@dataclass(frozen=True, slots=True)
class EffectRule:
    """One row of the effect table: what a kind of difference between statements does."""

    id: str
    effect: str
    """`tightened`, `loosened` or `neutral`."""
    mirror: str
    """The row the same difference gets when the versions are swapped."""
    when: str
    """When the row applies, in words (for docs and `specver check`)."""
    reason: str
    """The reason sentence; `{old}` and `{new}` quote the versions, `{what}` (quoted) names
    what changed."""


EFFECT_RULES: tuple[EffectRule, ...] = (
    EffectRule(
        "modality_strengthened",
        "tightened",
        "modality_weakened",
        "a paired statement moved up the scale (should → must, may → should, avoid → never)",
        "{what}: “{old}” now reads “{new}”, which binds harder.",
    ),
    EffectRule(
        "modality_weakened",
        "loosened",
        "modality_strengthened",
        "a paired statement moved down the scale (must not → should not, must → may)",
        "{what}: “{old}” now reads “{new}”, which binds less.",
    ),
    EffectRule(
        "rule_added",
        "tightened",
        "rule_dropped",
        "a new statement with a duty, prohibition or recommendation",
        "The new version adds the rule “{new}”, which the old one did not have.",
    ),
    EffectRule(
        "rule_dropped",
        "loosened",
        "rule_added",
        "a statement with a duty, prohibition or recommendation is gone",
        "The old rule “{old}” has no counterpart in the new version.",
    ),
    EffectRule(
        "permission_added",
        "loosened",
        "permission_dropped",
        "a new statement granting a permission",
        "The new version grants “{new}”, which the old one did not.",
    ),
    EffectRule(
        "permission_dropped",
        "tightened",
        "permission_added",
        "a permission is gone",
        "The old permission “{old}” has no counterpart in the new version.",
    ),
    EffectRule(
        "scope_item_added",
        "tightened",
        "scope_item_dropped",
        "an item added to the list a rule introduces (“must not pursue … including:”)",
        "The list under “{new}” gains {what}, which the old list did not have.",
    ),
    EffectRule(
        "scope_item_dropped",
        "loosened",
        "scope_item_added",
        "an item removed from the list a rule introduces",
        "The list under “{old}” loses {what}, which the new list no longer has.",
    ),
    EffectRule(
        "permitted_item_added",
        "loosened",
        "permitted_item_dropped",
        "an item added to the list a permission introduces (“may: …”)",
        "The permitted list under “{new}” gains {what}, which the old list did not have.",
    ),
    EffectRule(
        "permitted_item_dropped",
        "tightened",
        "permitted_item_added",
        "an item removed from the list a permission introduces",
        "The permitted list under “{old}” loses {what}, which the new list no longer has.",
    ),
    EffectRule(
        "exception_added",
        "loosened",
        "exception_dropped",
        "a rule gained an exception (unless, except, other than)",
        "“{old}” now reads “{new}”, adding the exception {what}.",
    ),
    EffectRule(
        "exception_dropped",
        "tightened",
        "exception_added",
        "a rule lost an exception",
        "“{old}” now reads “{new}”, without the exception {what}.",
    ),
    EffectRule(
        "exception_widened",
        "loosened",
        "exception_narrowed",
        "an exception of a rule lost a limiting qualifier (“explicitly”, “verified”)",
        "The exception in “{old}” now reads “{new}”: without {what} it covers more cases.",
    ),
    EffectRule(
        "exception_narrowed",
        "tightened",
        "exception_widened",
        "an exception of a rule gained a limiting qualifier",
        "The exception in “{old}” now reads “{new}”: with {what} it covers fewer cases.",
    ),
    EffectRule(
        "condition_added",
        "loosened",
        "condition_dropped",
        "a rule now applies only under a condition (only if, insofar as, when)",
        "“{old}” now reads “{new}”, applying only under {what}.",
    ),
    EffectRule(
        "condition_dropped",
        "tightened",
        "condition_added",
        "a rule's condition is gone, so it applies everywhere",
        "“{old}” now reads “{new}”, no longer limited by {what}.",
    ),
    EffectRule(
        "condition_widened",
        "tightened",
        "condition_narrowed",
        "a rule's condition lost a limiting qualifier, so the rule applies more often",
        "The condition in “{old}” now reads “{new}”: without {what} the rule applies more often.",
    ),
    EffectRule(
        "condition_narrowed",
        "loosened",
        "condition_widened",
        "a rule's condition gained a limiting qualifier, so the rule applies less often",
        "The condition in “{old}” now reads “{new}”: with {what} the rule applies less often.",
    ),
    EffectRule(
        "permission_narrowed",
        "tightened",
        "permission_widened",
        "a permission gained a condition, an exception or a limiting qualifier",
        "The permission “{old}” now reads “{new}”, {what}, so it allows less.",
    ),
    EffectRule(
        "permission_widened",
        "loosened",
        "permission_narrowed",
        "a permission lost a condition, an exception or a limiting qualifier",
        "The permission “{old}” now reads “{new}”, {what}, so it allows more.",
    ),
    EffectRule(
        "rule_widened",
        "tightened",
        "rule_narrowed",
        "a rule lost a limiting qualifier of what it governs (“directly pursue” → “pursue”)",
        "“{old}” now reads “{new}”, {what}, so the rule covers more.",
    ),
    EffectRule(
        "rule_narrowed",
        "loosened",
        "rule_widened",
        "a rule gained a limiting qualifier of what it governs",
        "“{old}” now reads “{new}”, {what}, so the rule covers less.",
    ),
    EffectRule(
        "rule_merged",
        "neutral",
        "rule_split",
        "a rule folded into another sentence with the same modality",
        "“{old}” is folded into “{new}”, which binds as hard.",
    ),
    EffectRule(
        "rule_split",
        "neutral",
        "rule_merged",
        "part of a rule split out into a sentence of its own with the same modality",
        "“{new}” is split out of “{old}”, which bound as hard.",
    ),
    EffectRule(
        "restated",
        "neutral",
        "restated",
        "a statement reworded with the same modality, scope, exceptions and conditions",
        "“{old}” now reads “{new}”, with the same modality, scope and exceptions.",
    ),
    EffectRule(
        "text_added",
        "neutral",
        "text_dropped",
        "a sentence that states no rule was added",
        "The new version adds “{new}”, which states no rule.",
    ),
    EffectRule(
        "text_dropped",
        "neutral",
        "text_added",
        "a sentence that stated no rule is gone",
        "The old version's “{old}”, which stated no rule, is gone.",
    ),
)
"""The effect table: every difference between two versions of a policy gets one row."""

EFFECT_BY_ID: Mapping[str, EffectRule] = MappingProxyType({r.id: r for r in EFFECT_RULES})

EFFECTS = ("tightened", "loosened", "neutral")
POLARITIES = ("forbid", "require", "permit")
VERDICTS = ("tightened", "loosened", "mixed", "unchanged")
MIRRORED: Mapping[str, str] = MappingProxyType(
    {
        "tightened": "loosened",
        "loosened": "tightened",
        "mixed": "mixed",
        "unchanged": "unchanged",
        "neutral": "neutral",
    }
)
"""Each effect and verdict as it reads when the versions are swapped."""


# --- the vocabulary ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Everything the reader knows about words: the scale, modal words, markers, parties."""

    scale: tuple[Modality, ...] = SCALE
    modal_words: tuple[ModalWord, ...] = MODAL_WORDS
    clause_markers: tuple[ClauseMarker, ...] = CLAUSE_MARKERS
    qualifiers: tuple[str, ...] = QUALIFIERS
    parties: tuple[tuple[str, str], ...] = tuple(PARTIES.items())
    """(word, party) pairs."""
    effects: tuple[tuple[str, str], ...] = ()
    """(rule id, effect) overrides of the effect table."""
    _hash: int = field(default=0, init=False, repr=False, compare=False)
    """The hash, computed once: a vocabulary keys the reader's caches, and hashing its
    hundreds of words at every look-up cost more than the look-up saved."""

    def __post_init__(self) -> None:
        fields = (self.scale, self.modal_words, self.clause_markers, self.qualifiers)
        object.__setattr__(self, "_hash", hash((*fields, self.parties, self.effects)))

    def __hash__(self) -> int:
        return self._hash

    def extended(self, settings: NormativeSettings) -> Vocabulary:
        """This vocabulary with the words a `.specver.yaml` adds (its entries win)."""
        known = {m.name for m in self.scale}
        scale = self.scale + tuple(
            Modality(name, rank, binding)
            for name, rank, binding in settings.modalities
            if name not in known
        )
        words = tuple(
            ModalWord(p.lower(), m, pol, needs_party=party)
            for p, m, pol, party in settings.modal_words
        )
        markers = tuple(ClauseMarker(p.lower(), kind) for p, kind in settings.clause_markers)
        return replace(
            self,
            scale=scale,
            modal_words=words + self.modal_words,
            clause_markers=markers + self.clause_markers,
            qualifiers=tuple(q.lower() for q in settings.qualifiers) + self.qualifiers,
            parties=tuple((w.lower(), p) for w, p in settings.parties) + self.parties,
            effects=tuple(settings.effects) + self.effects,
        )

    def modality(self, name: str) -> Modality:
        """The scale step of this name (`none` for descriptive text)."""
        for m in self.scale:
            if m.name == name:
                return m
        return NONE

    def effect_of(self, rule: str) -> str:
        """The effect of a table row, after `.specver.yaml` overrides."""
        for rid, effect in self.effects:
            if rid == rule:
                return effect
        return EFFECT_BY_ID[rule].effect


DEFAULT_VOCABULARY = Vocabulary()


def vocabulary_for(settings: NormativeSettings | None) -> Vocabulary:
    """The default vocabulary extended by a configuration's `normative:` section.

    Raises `ConfigError` for a modality, polarity, effect or rule id the tables do not know.
    """
    if settings is None or settings.is_empty:
        return DEFAULT_VOCABULARY
    names = {m.name for m in SCALE} | {name for name, _r, _b in settings.modalities}
    for phrase, modality, polarity, _party in settings.modal_words:
        if modality not in names:
            raise ConfigError(f"normative.words: `{phrase}` names unknown modality `{modality}`")
        if polarity not in POLARITIES:
            raise ConfigError(
                f"normative.words: `{phrase}` needs a polarity among {', '.join(POLARITIES)}"
            )
    for rule, effect in settings.effects:
        if rule not in EFFECT_BY_ID or effect not in EFFECTS:
            raise ConfigError(f"normative.effects: `{rule}: {effect}` is not a rule id and effect")
    return DEFAULT_VOCABULARY.extended(settings)


@dataclass(frozen=True, slots=True)
class _Index:
    modals: Mapping[str, tuple[tuple[tuple[str, ...], ModalWord], ...]]
    markers: Mapping[str, tuple[tuple[tuple[str, ...], ClauseMarker], ...]]
    qualifiers: frozenset[str]
    parties: Mapping[str, str]
    modal_first: frozenset[str]


@lru_cache(maxsize=16)
def _index(vocab: Vocabulary) -> _Index:
    modals: dict[str, list[tuple[tuple[str, ...], ModalWord]]] = {}
    for w in vocab.modal_words:
        parts = tuple(w.phrase.split())
        modals.setdefault(parts[0], []).append((parts, w))
    markers: dict[str, list[tuple[tuple[str, ...], ClauseMarker]]] = {}
    for m in vocab.clause_markers:
        parts = tuple(m.phrase.split())
        markers.setdefault(parts[0], []).append((parts, m))
    parties: dict[str, str] = {}
    for word, party in vocab.parties:
        parties.setdefault(word, party)
    return _Index(
        MappingProxyType(
            {k: tuple(sorted(v, key=lambda e: -len(e[0]))) for k, v in modals.items()}
        ),
        MappingProxyType(
            {k: tuple(sorted(v, key=lambda e: -len(e[0]))) for k, v in markers.items()}
        ),
        frozenset(vocab.qualifiers),
        MappingProxyType(parties),
        frozenset(modals),
    )


# --- statements --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clause:
    """An exception or condition of a statement."""

    kind: str
    """`exception` or `condition`."""
    marker: str
    """The marker as found (`unless`, `only if`)."""
    text: str
    """The clause from its marker on."""
    qualifiers: tuple[str, ...] = ()
    """Limiting qualifiers inside it (`explicitly`)."""


@dataclass(frozen=True, slots=True)
class Statement:
    """One rule (or one descriptive sentence) of a policy."""

    text: str
    """The statement as written, on one line."""
    party: str
    """The party it binds (`assistant`, `developer`, `user`, `operator`, …)."""
    modality: str
    """A `SCALE` name, or `none` for descriptive text."""
    polarity: str
    """`forbid`, `require`, `permit`, or `none`."""
    words: str = ""
    """The modal words as written (`must not`, `is not allowed to`); empty for `none`."""
    clauses: tuple[Clause, ...] = ()
    scope: tuple[str, ...] = ()
    """The list items the statement introduces, when it ends in a colon over a list."""
    qualifiers: tuple[str, ...] = ()
    """Limiting qualifiers of what it governs (outside its clauses)."""
    content: frozenset[str] = field(default=frozenset(), compare=False)
    """Stemmed content words (for pairing)."""


_TOKEN_RE = re.compile(r"[A-Za-z0-9_]+(?:['’][A-Za-z]+)?|[;,:—–()]|-{2,3}| - ")
_LINK_RE = re.compile(r"\[([^\[\]]{0,500})\]\(#([^)\s]{1,200})\)")
_URL_LINK_RE = re.compile(r"\[([^\[\]]{0,500})\]\([^()\s]{0,2000}\)")
_FOOTNOTE_RE = re.compile(r"\[\^[^\]\s\[]{1,64}\]")
_ITEM_RE = re.compile(r"^(\s*)(?:[-*+]|\d{1,9}[.)])\s+(.*)$")
_SENTENCE_RE = re.compile(r"(?<=[.!?])[\"'’”)\]*_]*\s+(?=[\"'“‘(*_]*[A-Z0-9])")
_BOUNDARIES = frozenset({";", "but", "however", "whereas", "while", "—", "–", " - "})


def without_comments(text: str) -> str:
    """Text with HTML comments (notes to editors, never rules) blanked; linear time, and an
    unclosed comment runs to the end as CommonMark reads it."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        out.append(text[pos:start])
        end = text.find("-->", start + 4)
        pos = len(text) if end < 0 else end + 3
        out.append(" ")
    out.append(text[pos:])
    return "".join(out)


def plain(text: str) -> str:
    """Markdown reduced to its words: links to their text (`[?](#id)` to the id), no
    footnote markers, emphasis or code marks; one line."""
    if "[" in text:  # links and footnote markers need one
        text = _FOOTNOTE_RE.sub("", text)
        text = _LINK_RE.sub(lambda m: m.group(2) if m.group(1) in ("?", "") else m.group(1), text)
        text = _URL_LINK_RE.sub(lambda m: m.group(1), text)
    if "*" in text or "_" in text or "`" in text:
        text = _MARKS_RE.sub("", text)
    return " ".join(text.split())


_MARKS_RE = re.compile(r"(?<!\w)[*_`]+|[*_`]+(?!\w)")


@lru_cache(maxsize=16384)
def _stem(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def stem(word: str) -> str:
    """A word's stem as statements are compared by: lower case, no possessive, no common
    suffix (for other readers of text, such as `audit`)."""
    return _stem(word)


def content_words(text: str) -> frozenset[str]:
    """The stemmed words of a text that say what it governs (no stopwords, no modal words)."""
    words = re.findall(r"[a-z0-9_]+", plain(text).lower().replace("’", "'"))
    return frozenset(_stem(w) for w in words if w not in STOPWORDS and len(w) > 1)


@dataclass(frozen=True, slots=True)
class _Block:
    text: str
    items: tuple[str, ...]
    """List items that follow the paragraph directly (empty for a plain paragraph)."""


def _blocks(prose: str) -> list[_Block]:
    """Paragraphs, each with the list that follows it: items joined with their continuation
    lines, nested items folded into their parent item; table rows and headings on their own."""
    out: list[_Block] = []
    para: list[str] = []
    items: list[str] = []
    item_indent = 0

    def close() -> None:
        if para or items:
            out.append(_Block(" ".join(para), tuple(i for i in items if i.strip())))
        para.clear()
        items.clear()

    gap = False
    for line in prose.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            gap = True
            continue
        m = _ITEM_RE.match(line)
        if gap and not (m and (items or " ".join(para).rstrip(" *_").endswith(":"))):
            close()
        gap = False
        if m:
            item_indent = _add_item(items, item_indent, len(m.group(1)), m.group(2).strip())
            continue
        if items and line.startswith((" ", "\t")):
            items[-1] += " " + line.strip()
            continue
        if items:
            close()
        if line.lstrip().startswith(("|", "#")):
            close()
            para.append(line.strip(" #|"))
            close()
            continue
        para.append(line.strip())
    close()
    return out


def _add_item(items: list[str], indent_of_list: int, indent: int, text: str) -> int:
    """Append a list item (a nested one joins its parent); returns the list's indent."""
    if items and indent > indent_of_list:
        items[-1] += " " + text
        return indent_of_list
    items.append(text)
    return indent_of_list if len(items) > 1 else indent


class _Tok(NamedTuple):
    """One token of a sentence (a named tuple: a sentence has hundreds, made in a loop)."""

    word: str
    """Lower case; punctuation as itself."""
    start: int
    end: int


def _tokens(text: str) -> list[_Tok]:
    """Lower-case words and the punctuation that separates clauses (`--` and `---` read as
    a dash, as Markdown writers type one)."""
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text):
        found = m.group()
        start, end = m.span()
        out.append(_Tok(_DASHES.get(found) or found.lower().replace("’", "'"), start, end))
    return out


_DASHES = {"--": "—", "---": "—", " - ": " - "}


@dataclass(frozen=True, slots=True)
class _Found:
    pos: int
    """Token index of the modal's first word."""
    length: int
    word: ModalWord


PERSONAL = frozenset(
    {"it", "they", "he", "she", "we", "i", "you", "one", "nobody", "anyone", "everyone", "anybody"}
)
"""Pronouns that stand for a party."""
_ARTICLES = frozenset({"the", "a", "an", "any", "every", "each"})
_CONNECTORS = frozenset({",", "and", "or", "so", "yet", "then", "nor", "also"})


_ADVERBS = frozenset(
    {
        "also",
        "still",
        "then",
        "not",
        "only",
        "generally",
        "usually",
        "often",
        "now",
        "too",
        "always",
        "never",
        "further",
        "likewise",
        "similarly",
        "therefore",
        "thus",
        "instead",
    }
)


def _party_near(toks: Sequence[_Tok], pos: int, idx: _Index) -> bool:
    """Whether the subject right before a modal (adverbs skipped) is a party or a pronoun."""
    k = pos - 1
    while k >= 0 and (toks[k].word in _ADVERBS or toks[k].word.endswith("ly")):
        k -= 1
    return k >= 0 and (toks[k].word in idx.parties or toks[k].word in PERSONAL)


def _clause_start(toks: Sequence[_Tok], pos: int) -> bool:
    k = pos - 1
    while k >= 0 and toks[k].word in ("please", "and", "or", "also", "but", "so", "then"):
        k -= 1
    return k < 0 or toks[k].word in (";", ":", ",", "—", "–", " - ", "(")


def _passive_after(toks: Sequence[_Tok], end: int) -> bool:
    """`may be shared`, `cannot be overridden`: a passive modal."""
    if end + 1 >= len(toks) or toks[end].word != "be":
        return False
    verb = toks[end + 1].word
    return verb.endswith(("ed", "en", "wn")) or verb in ("made", "done", "told", "given", "said")


def _counts(toks: Sequence[_Tok], i: int, end: int, w: ModalWord, idx: _Index) -> bool:
    """Whether a modal word found at token `i` is a modal here (see `ModalWord`)."""
    if not (w.needs_party or w.at_start):
        return True
    if w.needs_party and (_party_near(toks, i, idx) or _passive_after(toks, end)):
        return True
    return w.at_start and _clause_start(toks, i)


NEGATORS = frozenset({"neither", "nor", "nobody", "none", "no-one", "noone"})
"""Words before a modal that turn it around: "neither developers nor users can override"."""


def _negated(toks: Sequence[_Tok], pos: int, w: ModalWord) -> ModalWord:
    """A permission or duty after a negator ("nobody may", "nor can") reads as a prohibition."""
    before = {t.word for t in toks[max(0, pos - 4) : pos]}
    if w.polarity != "forbid" and (before & NEGATORS or "no one" in _pairs(toks, pos)):
        return ModalWord(w.phrase, "prohibition", "forbid")
    return w


def _pairs(toks: Sequence[_Tok], pos: int) -> set[str]:
    words = [t.word for t in toks[max(0, pos - 4) : pos]]
    return {f"{a} {b}" for a, b in pairwise(words)}


def _find_modals(toks: Sequence[_Tok], idx: _Index) -> list[_Found]:
    out: list[_Found] = []
    words = [t.word for t in toks]
    after = 0  # the tokens before this one belong to a modal already found
    for i, word in enumerate(words):
        entries = idx.modals.get(word) if i >= after else None
        for parts, w in entries or ():
            end = i + len(parts)
            if tuple(words[i:end]) == parts and _counts(toks, i, end, w, idx):
                if out and out[-1].pos + out[-1].length == i:
                    break  # "under no circumstances should": one modal, the first words'
                out.append(_Found(i, len(parts), _negated(toks, i, w)))
                after = end
                break
    # A bare verb after "and" continues the rule before it ("must keep X *and avoid* Y").
    return [
        f
        for k, f in enumerate(out)
        if not (k and f.word.at_start and f.pos and toks[f.pos - 1].word in ("and", "or", "nor"))
    ]


def _marker_at(toks: Sequence[_Tok], k: int, idx: _Index) -> tuple[int, ClauseMarker] | None:
    for parts, marker in idx.markers.get(toks[k].word, ()):
        if tuple(t.word for t in toks[k : k + len(parts)]) != parts:
            continue
        if marker.at_clause_start and not (k == 0 or toks[k - 1].word in (",", ";", "—")):
            continue
        return len(parts), marker
    return None


def _leading_condition_end(toks: Sequence[_Tok], idx: _Index) -> int:
    """Index after a sentence-initial condition ("If X, …"), or 0 when there is none."""
    hit = _marker_at(toks, 0, idx) if toks else None
    if hit is None or hit[1].kind != "condition":
        return 0
    return next((k + 1 for k, t in enumerate(toks) if t.word == ","), 0)


def _qualifiers_in(toks: Iterable[_Tok], idx: _Index) -> tuple[str, ...]:
    return tuple(t.word for t in toks if t.word in idx.qualifiers)


def _clauses(
    text: str, toks: Sequence[_Tok], span: tuple[int, int, int], idx: _Index
) -> tuple[tuple[Clause, ...], set[int]]:
    """A statement's clauses: the sentence's leading condition, then every exception or
    condition from its modal on. `span` is (leading condition end, first token after the
    modal, end). Also returns the token indexes the clauses cover."""
    lead, after, hi = span
    out: list[Clause] = []
    covered: set[int] = set(range(lead))
    if lead:
        out.append(
            Clause(
                "condition",
                toks[0].word,
                text[: toks[lead - 1].start].strip(),
                _qualifiers_in(toks[:lead], idx),
            )
        )
    k = after
    while k < hi:
        hit = _marker_at(toks, k, idx)
        if hit is None:
            k += 1
            continue
        length, marker = hit
        end = hi
        for e in range(k + length, hi):
            w = toks[e].word
            if w in (";", "—", "–") or (
                w == "," and e + 1 < hi and toks[e + 1].word in ("and", "but", "or")
            ):
                end = e
                break
        last = end
        while last - 1 > k and toks[last - 1].word in (":", ",", ";", "—"):
            last -= 1
        out.append(
            Clause(
                marker.kind,
                marker.phrase,
                text[toks[k].start : toks[last - 1].end].strip(),
                _qualifiers_in(toks[k:end], idx),
            )
        )
        covered.update(range(k, end))
        k = end
    return tuple(out), covered


def _party(toks: Sequence[_Tok], lo: int, pos: int, idx: _Index, last: str) -> str:
    """The party a modal at token `pos` binds: the nearest party word before it; a pronoun
    binds the party named before; a passive or imperative binds the assistant."""
    for t in reversed(toks[max(lo, pos - 6) : pos]):
        if t.word in idx.parties:
            return idx.parties[t.word]
        if t.word in PERSONAL:
            return last
    return DEFAULT_PARTY


def _split_points(toks: Sequence[_Tok], found: Sequence[_Found], idx: _Index) -> list[int]:
    """Token indexes where each modal after the first starts its own statement."""
    points: list[int] = []
    for prev, cur in pairwise(found):
        lo = prev.pos + prev.length
        span = range(cur.pos - 1, lo - 1, -1)
        cut = next((k for k in span if toks[k].word in _BOUNDARIES), None)
        if cut is None:
            cut = next(
                (
                    k
                    for k in span
                    if (toks[k].word in idx.parties or toks[k].word in PERSONAL)
                    and k > lo
                    and toks[k - 1].word in _CONNECTORS | _ARTICLES
                ),
                None,
            )
            if cut is not None and toks[cut - 1].word in _ARTICLES:
                cut -= 1
        if cut is None:
            cut = next((k for k in span if toks[k].word in _CONNECTORS), cur.pos)
        points.append(cut)
    return points


@lru_cache(maxsize=8192)
def _sentence_statements(sentence: str, vocab: Vocabulary, last: str) -> tuple[Statement, ...]:
    """`_statements_of`, read once per process: the two versions of a changed policy share
    most of their sentences, and a history reads the same ones at every step."""
    return tuple(_statements_of(sentence, _index(vocab), vocab, last))


def forget_statements() -> None:
    """Empty the caches of sentences read and words stemmed (benchmarks start every run
    cold)."""
    _sentence_statements.cache_clear()
    _stem.cache_clear()


def _statements_of(sentence: str, idx: _Index, vocab: Vocabulary, last: str) -> list[Statement]:
    """The statements of one sentence: one per modal clause, or one descriptive statement."""
    text = plain(sentence)
    toks = _tokens(text)
    lead = _leading_condition_end(toks, idx)
    found = [f for f in _find_modals(toks, idx) if f.pos >= lead]
    if not found:
        return [Statement(text, last, "none", "none", content=content_words(text))]
    cuts = [0, *_split_points(toks, found, idx), len(toks)]
    out: list[Statement] = []
    for n, f in enumerate(found):
        lo, hi = cuts[n], cuts[n + 1]
        while lo < f.pos and toks[lo].word in _BOUNDARIES | _CONNECTORS:
            lo += 1
        last_tok = hi
        while last_tok - 1 > f.pos and toks[last_tok - 1].word in _BOUNDARIES | _CONNECTORS:
            last_tok -= 1
        stop = len(text) if last_tok == len(toks) else toks[last_tok - 1].end
        piece = text[toks[lo].start : stop].strip(" ,;")
        end = f.pos + f.length
        clauses, covered = _clauses(text, toks, (lead if n == 0 else 0, end, hi), idx)
        if n and lead:
            clauses = (*_clauses(text, toks, (lead, lead, lead), idx)[0], *clauses)
        own = tuple(
            toks[k].word
            for k in range(end, hi)
            if toks[k].word in idx.qualifiers and k not in covered
        )
        party = _party(toks, lo, f.pos, idx, last)
        out.append(
            Statement(
                piece,
                party,
                vocab.modality(f.word.modality).name,
                f.word.polarity,
                " ".join(t.word for t in toks[f.pos : end]),
                clauses,
                (),
                own,
                content_words(piece),
            )
        )
        last = party
    return out


def _sentences(paragraph: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_RE.split(paragraph) if s.strip()]


def read_statements(prose: str, vocab: Vocabulary = DEFAULT_VOCABULARY) -> tuple[Statement, ...]:
    """The statements of a policy's prose, in order; the items of a list under a lead-in
    ("X should never:") are that statement's scope unless they carry rules of their own."""
    out: list[Statement] = []
    party = DEFAULT_PARTY
    for block in _blocks(without_comments(prose)):
        found: list[Statement] = []
        for sentence in _sentences(block.text):
            made = _sentence_statements(sentence, vocab, party)
            found.extend(made)
            party = made[-1].party
        lead_in = found[-1] if found and block.text.rstrip(" *_").endswith(":") else None
        scope: list[str] = []
        for item in block.items:
            made = _sentence_statements(item, vocab, party)
            if lead_in is not None and all(s.modality == "none" for s in made):
                scope.append(plain(item).rstrip(" .;,"))
            else:
                found.extend(made)
        if lead_in is not None and scope:
            k = found.index(lead_in)
            words = frozenset().union(*(content_words(s) for s in scope))
            found[k] = replace(lead_in, scope=tuple(scope), content=lead_in.content | words)
        out.extend(found)
    return tuple(out)


# --- changes -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatementChange:
    """One difference between the two versions of a policy's statements.

    The fields, in order, are a `normative` entry of `specver.diff/1` and (the first five) a
    statement of `rules` in `specver.impact/1`.
    """

    effect: str
    """`tightened`, `loosened` or `neutral`."""
    rule: str
    """The id of the `EFFECT_RULES` row that classified it."""
    before: str | None
    """The statement as it read (None when it is new)."""
    after: str | None
    """The statement as it reads now (None when it is gone)."""
    reason: str
    """One sentence a reader can check against both versions."""
    kind: str
    """The rule id again, under the key earlier versions of the contract used."""
    old: str | None
    """What changed, before: the modal words, the clause, the list item or the qualifier
    (None on the side that lacks it)."""
    new: str | None
    """What changed, after."""
    direction: str
    """The effect again, under the key earlier versions of the contract used."""
    sentence: str
    """The statement as it reads now (as it read, when it is gone)."""


@dataclass(frozen=True, slots=True)
class PolicyRules:
    """What the edit of one policy did to its rules."""

    verdict: str
    """`tightened`, `loosened`, `mixed` or `unchanged`."""
    changes: tuple[StatementChange, ...]
    """The changed statements, in the new version's order (dropped ones where they were)."""


MAX_QUOTE = 90
"""Characters of a statement quoted in a reason before it is shortened with an ellipsis."""


def quote(text: str | None, limit: int = MAX_QUOTE) -> str:
    """A statement shortened for a reason sentence."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text.rstrip(".")
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;.") + " …"


CONTEXT_WORDS = 4
"""Words kept before the first difference when two long quotes would otherwise look alike."""


def _quotes(before: str | None, after: str | None) -> tuple[str, str]:
    """Both statements quoted for a reason; when both are long, from just before the first
    word where they differ, so the quotes show the difference."""
    a, b = quote(before), quote(after)
    if before is None or after is None or (len(before) <= MAX_QUOTE and len(after) <= MAX_QUOTE):
        return a, b
    wa, wb = before.split(), after.split()
    same = 0
    while same < min(len(wa), len(wb)) and wa[same] == wb[same]:
        same += 1
    if same <= CONTEXT_WORDS * 2:
        return a, b
    start = same - CONTEXT_WORDS
    return "… " + quote(" ".join(wa[start:])), "… " + quote(" ".join(wb[start:]))


_ADDED_OR_DROPPED = frozenset(
    {"rule_widened", "rule_narrowed", "permission_widened", "permission_narrowed"}
)
"""Rows whose reason names what was added or dropped (a qualifier, a clause, a phrase)."""


def _make(
    rule: str,
    vocab: Vocabulary,
    before: Statement | None,
    after: Statement | None,
    old_words: str | None = None,
    new_words: str | None = None,
    what: str | None = None,
) -> StatementChange:
    row = EFFECT_BY_ID[rule]
    shown = what if what is not None else (new_words or old_words or "")
    described = shown if rule.startswith("modality_") else f"“{quote(shown, 60)}”"
    if rule in _ADDED_OR_DROPPED:
        described = f"{'adding' if new_words is not None else 'dropping'} {described}"
    old_q, new_q = _quotes(before.text if before else None, after.text if after else None)
    reason = row.reason.format(old=old_q, new=new_q, what=described)
    reason = reason[0].upper() + reason[1:]
    effect = vocab.effect_of(rule)
    return StatementChange(
        effect,
        rule,
        before.text if before else None,
        after.text if after else None,
        reason,
        rule,
        old_words,
        new_words,
        effect,
        after.text if after else before.text if before else "",
    )


def _similarity(a: Statement, b: Statement) -> float:
    if not a.content and not b.content:
        return 1.0 if _norm(a.text) == _norm(b.text) else 0.0
    inter = len(a.content & b.content)
    return 2 * inter / (len(a.content) + len(b.content))


def _containment(part: Statement, whole: Statement) -> float:
    if len(part.content) < 2:
        return 0.0
    return len(part.content & whole.content) / len(part.content)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9_]+", text.lower()))


PAIR_THRESHOLD = 0.4
"""Content-word similarity at which two statements of compatible modality are paired."""
FLIP_THRESHOLD = 0.7
"""Similarity needed to pair a permission with a rule (or descriptive text with a rule)."""
MERGE_THRESHOLD = 0.75
"""Share of a leftover rule's content words found in another statement to call it folded in."""


def _class(s: Statement) -> str:
    if s.modality == "none":
        return "none"
    return "permit" if s.polarity == "permit" else "binding"


def _reversed(a: Statement, b: Statement) -> bool:
    """`should X` against `should not X`: the same rank turned around."""
    return (
        _class(a) == _class(b) == "binding"
        and a.polarity != b.polarity
        and a.modality == b.modality
    )


def _symmetric_key(score: float, i: int, j: int, a: Statement, b: Statement) -> tuple[object, ...]:
    texts = sorted((a.text, b.text))
    return (-round(score, 6), i + j, abs(i - j), texts[0], texts[1])


@dataclass(slots=True)
class _Pairing:
    pairs: list[tuple[int, int, str]] = field(default_factory=list)
    """(old index, new index, how): `same`, `similar`, `merged`, `split`, `opening`,
    `permission`."""
    used_old: set[int] = field(default_factory=set)
    used_new: set[int] = field(default_factory=set)

    def add(self, i: int, j: int, how: str) -> None:
        """Record a pair; a merged statement's container and a split one's source stay free."""
        self.pairs.append((i, j, how))
        if how != "split":
            self.used_old.add(i)
        if how != "merged":
            self.used_new.add(j)


PAIRING_LIMIT = 250_000
"""Above this many (old, new) statement pairs, a statement is compared only with the
statements near its own place in the other version (`PAIRING_WINDOW`), so a policy of
tens of thousands of sentences is paired in linear time; real policies stay far below."""
PAIRING_WINDOW = 10
"""How far (in statements, scaled to the longer version) a large policy's pairing looks."""


def _candidates(old_count: int, new_count: int) -> Iterator[tuple[int, int]]:
    """The (old, new) statement indices worth comparing: every pair for ordinary policies,
    else the pairs whose relative places are within `PAIRING_WINDOW` (a symmetric band, so
    swapping the versions mirrors it)."""
    if old_count * new_count <= PAIRING_LIMIT:
        for i in range(old_count):
            for j in range(new_count):
                yield i, j
        return
    reach = PAIRING_WINDOW * max(old_count, new_count)
    for i in range(old_count):
        low = max(0, -((reach - i * new_count) // old_count))
        high = min(new_count - 1, (i * new_count + reach) // old_count)
        for j in range(low, high + 1):
            if abs(i * new_count - j * old_count) <= reach:
                yield i, j


def pair_statements(
    old: Sequence[Statement], new: Sequence[Statement]
) -> list[tuple[int, int, str]]:
    """Pair two versions' statements; symmetric, so swapping the versions mirrors it.

    Identical statements first, then similar ones of compatible modality (best first), then
    leftover rules folded into (or split out of) another statement, then the two versions'
    opening rules and, when each side has one left, their permissions (a policy's exception
    rewritten).
    """
    p = _Pairing()
    _pair_identical(p, old, new)
    _pair_similar(p, old, new)
    _fold(p, old, new)
    _leftovers(p, old, new)
    return sorted(p.pairs, key=lambda t: (t[1], t[0]))


def _pair_identical(p: _Pairing, old: Sequence[Statement], new: Sequence[Statement]) -> None:
    by_text: dict[str, list[int]] = {}
    for j, s in enumerate(new):
        by_text.setdefault(_norm(s.text), []).append(j)
    for i, s in enumerate(old):
        js = by_text.get(_norm(s.text))
        if js:
            p.add(i, js.pop(0), "same")


def _pair_similar(p: _Pairing, old: Sequence[Statement], new: Sequence[Statement]) -> None:
    cands = []
    for i, j in _candidates(len(old), len(new)):
        if i in p.used_old or j in p.used_new:
            continue
        a, b = old[i], new[j]
        if not _reversed(a, b):
            score = _similarity(a, b)
            same = _class(a) == _class(b)
            if score >= (PAIR_THRESHOLD if same else FLIP_THRESHOLD):
                cands.append((_symmetric_key(score + (0.05 if same else 0), i, j, a, b), i, j))
    for _key, i, j in sorted(cands):
        if i not in p.used_old and j not in p.used_new:
            p.add(i, j, "similar")


def _fold(p: _Pairing, old: Sequence[Statement], new: Sequence[Statement]) -> None:
    cands = []
    for i, j in _candidates(len(old), len(new)):
        a, b = old[i], new[j]
        if i not in p.used_old and _class(a) == "binding" == _class(b):
            share = _containment(a, b)
            if share >= MERGE_THRESHOLD and not _reversed(a, b):
                cands.append((_symmetric_key(share, i, j, a, b), i, j, "merged"))
        if j not in p.used_new and _class(a) == "binding" == _class(b):
            share = _containment(b, a)
            if share >= MERGE_THRESHOLD and not _reversed(a, b):
                cands.append((_symmetric_key(share, i, j, a, b), i, j, "split"))
    for _key, i, j, how in sorted(cands):
        if (how == "merged" and i not in p.used_old) or (how == "split" and j not in p.used_new):
            p.add(i, j, how)


def _leftovers(p: _Pairing, old: Sequence[Statement], new: Sequence[Statement]) -> None:
    def first_rule(side: Sequence[Statement], used: set[int]) -> int | None:
        for k, s in enumerate(side):
            if _class(s) != "none":
                return k if k not in used and _class(s) == "binding" else None
        return None

    i, j = first_rule(old, p.used_old), first_rule(new, p.used_new)
    if i is not None and j is not None and not _reversed(old[i], new[j]):
        p.add(i, j, "opening")
    left_old = [k for k, s in enumerate(old) if k not in p.used_old and _class(s) == "permit"]
    left_new = [k for k, s in enumerate(new) if k not in p.used_new and _class(s) == "permit"]
    if len(left_old) == 1 and len(left_new) == 1:
        p.add(left_old[0], left_new[0], "permission")


def _compare_pair(
    a: Statement, b: Statement, how: str, vocab: Vocabulary, folded: bool = False
) -> list[StatementChange]:
    """The changes between two paired statements."""
    ma, mb = vocab.modality(a.modality), vocab.modality(b.modality)
    out: list[StatementChange] = []
    if mb.rank != ma.rank:
        rule = "modality_strengthened" if mb.rank > ma.rank else "modality_weakened"
        what = (
            f"{_step(ma)} to {_step(mb)}" if ma.name != mb.name else f"“{a.words}” to “{b.words}”"
        )
        out.append(_make(rule, vocab, a, b, a.words, b.words, what))
    if how in ("merged", "split"):
        if not out:
            out.append(
                _make(
                    "rule_merged" if how == "merged" else "rule_split",
                    vocab,
                    a,
                    b,
                    a.words,
                    b.words,
                )
            )
        return out
    permit = _class(b) == "permit" and _class(a) == "permit"
    if _class(a) != "none" and _class(b) != "none":
        out.extend(_clause_changes(a, b, permit, vocab))
        out.extend(_scope_changes(a, b, permit, vocab))
        if how in ("same", "similar"):
            out.extend(_qualifier_changes(a, b, permit, vocab))
        if not out and how in ("same", "similar") and ma.name == mb.name and not folded:
            out.extend(_phrase_changes(a, b, permit, vocab))
    if not out and _norm(a.text) != _norm(b.text):
        rule = "restated"
        out.append(_make(rule, vocab, a, b))
    return out


def _step(m: Modality) -> str:
    return "no rule" if m.rank == 0 else m.name


def _clause_changes(
    a: Statement, b: Statement, permit: bool, vocab: Vocabulary
) -> list[StatementChange]:
    out: list[StatementChange] = []
    for kind in ("exception", "condition"):
        olds = [c for c in a.clauses if c.kind == kind]
        news = [c for c in b.clauses if c.kind == kind]
        pairs = _pair_clauses(olds, news)
        for x, y in pairs:
            if x is None and y is not None:
                rule = "permission_narrowed" if permit else f"{kind}_added"
                out.append(_make(rule, vocab, a, b, None, y.text))
            elif y is None and x is not None:
                rule = "permission_widened" if permit else f"{kind}_dropped"
                out.append(_make(rule, vocab, a, b, x.text, None))
            elif x is not None and y is not None:
                gone = [q for q in x.qualifiers if q not in y.qualifiers]
                came = [q for q in y.qualifiers if q not in x.qualifiers]
                for q in gone:
                    out.append(_make(_widened(kind, permit, wider=True), vocab, a, b, q, None, q))
                for q in came:
                    out.append(_make(_widened(kind, permit, wider=False), vocab, a, b, None, q, q))
    return out


def _widened(kind: str, permit: bool, *, wider: bool) -> str:
    """The row for a clause whose qualifier was dropped (`wider`) or added."""
    if permit:
        # A wider condition lets the permission apply more often; a wider exception less.
        more = wider if kind == "condition" else not wider
        return "permission_widened" if more else "permission_narrowed"
    return f"{kind}_widened" if wider else f"{kind}_narrowed"


def _pair_clauses(
    olds: Sequence[Clause], news: Sequence[Clause]
) -> list[tuple[Clause | None, Clause | None]]:
    out: list[tuple[Clause | None, Clause | None]] = []
    left = list(news)
    for x in olds:
        best = None
        for y in left:
            if _norm(y.text) == _norm(x.text):
                best = y
                break
        if best is None:
            scored = sorted(
                left,
                key=lambda y: (
                    -_dice(content_words(x.text), content_words(y.text))
                    - (0.5 if y.marker == x.marker else 0)
                ),
            )
            best = scored[0] if scored else None
        if best is not None:
            left.remove(best)
        out.append((x, best))
    out.extend((None, y) for y in left)
    return out


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def _scope_changes(
    a: Statement, b: Statement, permit: bool, vocab: Vocabulary
) -> list[StatementChange]:
    if a.scope == b.scope:
        return []
    out: list[StatementChange] = []
    olds = {_norm(s): s for s in a.scope}
    news = {_norm(s): s for s in b.scope}
    gone = [s for k, s in olds.items() if k not in news]
    came = [s for k, s in news.items() if k not in olds]
    # Reworded items pair by similarity and are neither added nor dropped.
    for x in list(gone):
        match = max(came, key=lambda y: _dice(content_words(x), content_words(y)), default=None)
        if match is not None and _dice(content_words(x), content_words(match)) >= PAIR_THRESHOLD:
            gone.remove(x)
            came.remove(match)
    added = "permitted_item_added" if permit else "scope_item_added"
    dropped = "permitted_item_dropped" if permit else "scope_item_dropped"
    out.extend(_make(dropped, vocab, a, b, x, None, x) for x in gone)
    out.extend(_make(added, vocab, a, b, None, y, y) for y in came)
    return out


def _qualifier_changes(
    a: Statement, b: Statement, permit: bool, vocab: Vocabulary
) -> list[StatementChange]:
    out: list[StatementChange] = []
    gone = [q for q in a.qualifiers if q not in b.qualifiers]
    came = [q for q in b.qualifiers if q not in a.qualifiers]
    for q in gone:
        out.append(
            _make("permission_widened" if permit else "rule_widened", vocab, a, b, q, None, q)
        )
    for q in came:
        out.append(
            _make("permission_narrowed" if permit else "rule_narrowed", vocab, a, b, None, q, q)
        )
    return out


LIMITING_OPENERS = frozenset(
    str.split(
        "that which who whom whose where when while within beyond without in on at during for"
        " to from about against under over unless"
    )
)
"""First words of a phrase that limits what a rule governs ("deceive users *in ways that
could cause harm*", "customize behaviour *within the bounds set*")."""
LIST_JOINERS = frozenset({"or", "and", "nor"})
"""First or last words of a phrase that adds one more thing a rule governs ("insult *or
threaten*")."""


def _phrase_changes(
    a: Statement, b: Statement, permit: bool, vocab: Vocabulary
) -> list[StatementChange]:
    """One phrase removed from (or added to) an otherwise unchanged statement: a limiting
    phrase removed widens it, a coordinated item removed ("insult or threaten") narrows it."""
    wa = re.findall(r"[a-z0-9_']+", a.text.lower())
    wb = re.findall(r"[a-z0-9_']+", b.text.lower())

    edits = [op for op in align(wa, wb) if op[0] != "equal"]
    if len(edits) != 1 or edits[0][0] not in ("delete", "insert"):
        return []
    op, i1, i2, j1, j2 = edits[0]
    span = wa[i1:i2] if op == "delete" else wb[j1:j2]
    if span[0] in LIST_JOINERS or span[-1] in LIST_JOINERS:
        wider = op == "insert"
    elif span[0] in LIMITING_OPENERS:
        wider = op == "delete"
    else:
        return []
    if permit:
        rule = "permission_widened" if wider else "permission_narrowed"
    else:
        rule = "rule_widened" if wider else "rule_narrowed"
    phrase = " ".join(span)
    return [
        _make(
            rule,
            vocab,
            a,
            b,
            phrase if op == "delete" else None,
            phrase if op == "insert" else None,
            phrase,
        )
    ]


def _unpaired(s: Statement, side: str, vocab: Vocabulary) -> StatementChange:
    cls = _class(s)
    if cls == "none":
        rule = "text_added" if side == "new" else "text_dropped"
    elif cls == "permit":
        rule = "permission_added" if side == "new" else "permission_dropped"
    else:
        rule = "rule_added" if side == "new" else "rule_dropped"
    if side == "new":
        return _make(rule, vocab, None, s, None, s.words or None, s.text)
    return _make(rule, vocab, s, None, s.words or None, None, s.text)


def compare_statements(
    old: Sequence[Statement], new: Sequence[Statement], vocab: Vocabulary = DEFAULT_VOCABULARY
) -> tuple[StatementChange, ...]:
    """Every changed statement between two versions, each with its effect and reason."""
    pairs = pair_statements(old, new)
    placed: list[tuple[float, StatementChange]] = []
    split_from = {i for i, _j, h in pairs if h == "split"}
    merged_into = {j for _i, j, h in pairs if h == "merged"}
    paired_old = {i for i, _j, _h in pairs}
    paired_new = {j for _i, j, _h in pairs}
    for i, j, how in pairs:
        if how == "same" and old[i] == new[j]:
            continue
        folded = i in split_from or j in merged_into
        for change in _compare_pair(old[i], new[j], how, vocab, folded):
            placed.append((j + 0.5 * (how == "merged"), change))
    for i, s in enumerate(old):
        if i not in paired_old:
            placed.append((_position(i, pairs), _unpaired(s, "old", vocab)))
    for j, s in enumerate(new):
        if j not in paired_new:
            placed.append((float(j), _unpaired(s, "new", vocab)))
    placed.sort(key=lambda t: t[0])
    return tuple(c for _pos, c in placed)


def _position(i: int, pairs: Sequence[tuple[int, int, str]]) -> float:
    """Where a dropped old statement sits among the new ones: after the pair before it."""
    before = [j for oi, j, _h in pairs if oi < i]
    return (max(before) if before else -1) + 0.25


def policy_verdict(changes: Iterable[StatementChange]) -> str:
    """`tightened`, `loosened`, `mixed` (both) or `unchanged` (only neutral changes, or none)."""
    effects = {c.effect for c in changes}
    if "tightened" in effects and "loosened" in effects:
        return "mixed"
    if "tightened" in effects:
        return "tightened"
    if "loosened" in effects:
        return "loosened"
    return "unchanged"


def policy_rules(
    old_prose: str, new_prose: str, vocab: Vocabulary = DEFAULT_VOCABULARY
) -> PolicyRules:
    """The rule changes between two versions of a policy's prose, and their verdict."""
    if old_prose == new_prose:
        return PolicyRules("unchanged", ())
    old, new = read_statements(old_prose, vocab), read_statements(new_prose, vocab)
    changes = tuple(c for c in compare_statements(old, new, vocab) if not _copyedit_only(c))
    return PolicyRules(policy_verdict(changes), changes)


def rule_phrase(change: StatementChange) -> str:
    """A short phrase for one changed statement, shared by every report: the row's words and
    what changed (`rule weakened: “must not” → “should”`, `rule added: “…”`)."""
    label = PHRASES.get(change.rule, change.rule.replace("_", " "))
    if change.rule.startswith("modality_"):
        before = f"“{change.old}”" if change.old else "no rule word"
        after = f"“{change.new}”" if change.new else "no rule word"
        return f"{label}: {before} → {after}"
    if change.rule.endswith(("_added", "_dropped")) and not change.rule.startswith(
        ("scope_", "permitted_", "exception_", "condition_")
    ):
        what: str | None = change.sentence
    else:
        what = change.new if change.new is not None else change.old
    return f"{label}: “{quote(what, 60)}”" if what else label


PHRASES: Mapping[str, str] = MappingProxyType(
    {
        "modality_strengthened": "rule strengthened",
        "modality_weakened": "rule weakened",
        "rule_added": "rule added",
        "rule_dropped": "rule dropped",
        "permission_added": "permission added",
        "permission_dropped": "permission dropped",
        "scope_item_added": "item added to a rule's list",
        "scope_item_dropped": "item removed from a rule's list",
        "permitted_item_added": "item added to a permitted list",
        "permitted_item_dropped": "item removed from a permitted list",
        "exception_added": "exception added",
        "exception_dropped": "exception dropped",
        "exception_widened": "exception widened",
        "exception_narrowed": "exception narrowed",
        "condition_added": "condition added",
        "condition_dropped": "condition dropped",
        "condition_widened": "condition widened",
        "condition_narrowed": "condition narrowed",
        "permission_narrowed": "permission narrowed",
        "permission_widened": "permission widened",
        "rule_widened": "rule widened",
        "rule_narrowed": "rule narrowed",
        "rule_merged": "rule folded into another sentence",
        "rule_split": "rule split out",
        "restated": "restated",
        "text_added": "text added",
        "text_dropped": "text dropped",
    }
)
"""A few words per effect-table row, for one-line reports."""


def _copyedit_only(change: StatementChange) -> bool:
    if change.rule != "restated" or change.before is None or change.after is None:
        return False

    return is_copyedit(change.before, change.after)


def mirror_verdict(verdict: str) -> str:
    """The verdict the same edit gets when the versions are swapped."""
    return MIRRORED[verdict]
