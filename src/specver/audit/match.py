"""Which changes of a diff each bullet of the notes describes, and on what evidence.

A bullet covers a change when it names the change's policy (its id, its title as a marked
term matched with rapidfuzz, or its title written out), when a term it marks or two of its
word pairs are found in the words the change removed or added, or, for an authority
change, when it speaks of authority and names the level. Its verbs narrow this: a bullet
that only renames or moves covers the structural changes of what it names, a merge also
covers the moves and the removal it implies, and "adds" covers what was added under a
section it names. A catch-all bullet covers copy edits only, never a substantive change.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from specver.audit.notes import Bullet, Notes, Term, words_of
from specver.audit.verbs import (
    AUTHORITY_CUES,
    AUTHORITY_KINDS,
    STRUCTURAL_ACTIONS,
    STRUCTURAL_KINDS,
    VERBS,
)
from specver.config import AuthorityScheme
from specver.diff.classify import edited_words
from specver.diff.details import (
    AuthorityChanged,
    AuthorityLevelRenamed,
    ExampleMoved,
    PolicyAdded,
    PolicyMoved,
    PolicyRemoved,
)
from specver.diff.normative import STOPWORDS, stem
from specver.diff.textdiff import redline
from specver.spec.model import RESERVED_IDS, Change, SpecDiff

TITLE_SCORE = 90.0
"""rapidfuzz ratio at which a marked term is taken as a policy's title."""
TERM_SCORE = 92.0
"""rapidfuzz partial ratio at which a marked term is found in a change's words."""
MIN_FUZZY_TERM = 10
"""Marked terms shorter than this (in characters) must be found word for word."""
COMMON_SHARE = 0.1
"""A word pair found in more than this share of the changes says too little to match on."""
MIN_SINGLE_WORD = 5
"""A one-word marked term must be at least this long to match on its own."""
RARE_CHANGES = 2
"""A word found in at most this many changes is rare: with it, a marked term's words need
not be side by side."""
TITLE_SHARE = 0.35
"""Share of an added or removed policy's title (weighted by rarity) a bullet that adds or
removes must use to name it."""
MIN_EXAMPLE_WORDS = 3
"""An example title written out (not marked) names its example from this many words."""
SMALL_EDIT_WORDS = 3
"""An edit of at most this many content words may be matched by a bullet using them all."""
MIN_OVERLAP_WORDS = 5
"""A match on shared words needs a bullet of at least this many words, and as many shared
ones minus one."""
OVERLAP_SHARE = 0.6
"""...and this share of the bullet's words, weighted by rarity."""

NOTE_WORDS = frozenset(
    [
        "section",
        "sections",
        "principle",
        "principles",
        "guidance",
        "policy",
        "policies",
        "rule",
        "rules",
        "spec",
        "model",
        "assistant",
        "document",
        "text",
        "note",
        "notes",
        "release",
        "version",
        "change",
        "changes",
        "update",
        "updates",
        "various",
        "several",
        "few",
        "some",
        "small",
        "minor",
        "important",
        "notable",
        "new",
        "more",
        "other",
        "details",
        "detail",
        "example",
        "examples",
        "around",
        "including",
        "include",
        "includes",
        "throughout",
        "better",
        "across",
        "but",
        "how",
        "why",
        "via",
        "yet",
        "still",
        "however",
        "thereby",
        "within",
        "without",
    ]
)
"""Words of release notes that say nothing about what changed."""


VERBS_THAT_REACH = ("add", "merge", "move")
"""Actions with which naming a section also names what was added under it, merged into it
or moved in or out of it."""


@dataclass(frozen=True, slots=True)
class Match:
    """One change a bullet covers, and why."""

    change: int
    """The change's index in the diff."""
    how: str
    """The evidence, in words: "names `do_not_lie`", "'mistaken instructions' in the text"."""


@dataclass(frozen=True, slots=True)
class Named:
    """What a bullet names in the two versions."""

    policies: Mapping[str, str]
    """Policy id (the new id; the old one for a removed policy) -> how it is named."""
    levels: frozenset[str]
    """Authority levels it names (when it speaks of authority)."""
    authority: bool
    """Whether it speaks of authority at all."""


def content_stems(words: Iterable[str]) -> list[str]:
    """The stems of the words that say what a text is about, in order."""
    out: list[str] = []
    for word in words:
        for part in word.replace("_", " ").replace("-", " ").split():
            if part in STOPWORDS or part in NOTE_WORDS or part in VERBS or len(part) < 2:
                continue
            out.append(stem(part))
    return out


def _pairs(stems: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(stems[i : i + 2]) for i in range(len(stems) - 1)}


def _triples(stems: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(stems[i : i + 3]) for i in range(len(stems) - 2)}


def _normal(text: str) -> str:
    return " ".join(words_of(text.replace("_", " ").replace("-", " ")))


@dataclass(frozen=True, slots=True)
class ChangeWords:
    """What one change says, as the matcher reads it."""

    stems: frozenset[str]
    pairs: frozenset[tuple[str, ...]]
    triples: frozenset[tuple[str, ...]]
    text: str
    """Its words removed and added, normalized, for fuzzy search."""
    edited: frozenset[str] = frozenset()
    """The content stems of what it deleted and inserted (its title left out)."""
    example: str = ""
    """The normalized title of the worked example it is about ("" for other kinds)."""


class Index:
    """The two versions' ids, titles and levels, and each change's words."""

    def __init__(self, diff: SpecDiff, scheme: AuthorityScheme) -> None:
        self.diff = diff
        self.ids: dict[str, str] = {}
        """Any id of either version -> the id changes name it by."""
        self.titles: dict[str, str] = {}
        """Normalized title of either version -> the id changes name its policy by."""
        for p in diff.old:
            if p.id not in RESERVED_IDS:
                now = diff.new_id(p.id) or p.id
                self.ids[p.id] = now
                self.titles.setdefault(_normal(p.title), now)
        for q in diff.new:
            if q.id not in RESERVED_IDS:
                self.ids[q.id] = q.id
                self.titles[_normal(q.title)] = q.id
        self.title_list = [t for t in self.titles if t]
        self._index_titles(diff)
        levels = {lv for p in (*diff.old, *diff.new) if (lv := p.authority)}
        levels |= set(scheme.levels) | set(scheme.aliases)
        self.levels = frozenset(lv.lower() for lv in levels)
        words = edited_words(diff.old, diff.new, diff.pairs, diff.changes)
        self.changes = tuple(self._words(c, w) for c, w in zip(diff.changes, words, strict=True))
        counts: Counter[tuple[str, ...]] = Counter()
        for cw in self.changes:
            counts.update(cw.pairs)
            counts.update(cw.triples)
        self.common = max(2, int(COMMON_SHARE * len(self.changes)))
        self.frequency = counts
        stem_counts: Counter[str] = Counter()
        for cw in self.changes:
            stem_counts.update(cw.stems)
        self.stem_frequency = stem_counts
        self.added = {c.policy for c in diff.changes if isinstance(c.details, PolicyAdded)}
        """Ids of the policies the new version added."""

    def _words(
        self, change: Change, edited: tuple[tuple[str, ...], tuple[str, ...]]
    ) -> ChangeWords:
        removed, added = edited
        title = self.title_of(change)
        sides = [*self._segments(change, removed, added), title]
        stems: list[str] = []
        pairs: set[tuple[str, ...]] = set()
        triples: set[tuple[str, ...]] = set()
        for side in sides:
            found = content_stems(words_of(side))
            stems.extend(found)
            pairs |= _pairs(found)
            triples |= _triples(found)
        text = " | ".join(_normal(s) for s in sides)
        changed = frozenset(x for side in sides[:-1] for x in content_stems(words_of(side)))
        example = getattr(change.details, "example", None)
        return ChangeWords(
            frozenset(stems),
            frozenset(pairs),
            frozenset(triples),
            text,
            changed,
            _normal(example) if isinstance(example, str) else "",
        )

    def _index_titles(self, diff: SpecDiff) -> None:
        """Each policy's title stems, and the titles by their first word (so a bullet is
        checked against the titles it could name, not all of them)."""
        self.title_stems: dict[str, tuple[str, ...]] = {}
        """Id -> its current title's content stems (matched in any inflection)."""
        for p in (*diff.old, *diff.new):
            if p.id in self.ids:
                self.title_stems[self.ids[p.id]] = tuple(content_stems(words_of(p.title)))
        self.titles_by_word: dict[str, list[str]] = {}
        """First word -> the normalized titles that start with it."""
        for title in self.title_list:
            self.titles_by_word.setdefault(title.split()[0], []).append(title)
        self.stems_by_word: dict[str, list[str]] = {}
        """First content stem of a title -> the ids of the policies it belongs to."""
        for pid, stems in self.title_stems.items():
            if stems:
                self.stems_by_word.setdefault(stems[0], []).append(pid)

    def _segments(
        self, change: Change, removed: tuple[str, ...], added: tuple[str, ...]
    ) -> list[str]:
        """The runs of words a change deleted or inserted, each on its own, so that two
        words count as neighbours only where the text has them side by side."""
        if change.kind == "text_changed" and change.policy is not None:
            old_id = self.diff.old_id(change.policy)
            p = self.diff.old.get(old_id) if old_id else None
            q = self.diff.new.get(change.policy)
            if p is not None and q is not None:
                return [s.text for s in redline(p.prose, q.prose) if s.op != "equal"]
        return [" ".join(removed), " ".join(added)]

    def title_text(self, pid: str) -> str:
        """A policy's title as written now (as it was, for a removed policy)."""
        policy = self.diff.new.get(pid) or self.diff.old.get(pid)
        return policy.title if policy else pid

    def title_of(self, change: Change) -> str:
        """The change's policy's title now (as it was, for a removed policy)."""
        if change.policy is None:
            return ""
        policy = self.diff.new.get(change.policy) or self.diff.old.get(change.policy)
        return policy.title if policy else change.policy

    def weight(self, word: str) -> float:
        """How much finding a word says: log of the changes over those that hold it."""
        return math.log((len(self.changes) + 1) / (self.stem_frequency[word] + 1)) + 0.1

    def informative(self, gram: tuple[str, ...]) -> bool:
        """Whether a word pair or triple is rare enough among the changes to match on."""
        return 0 < self.frequency[gram] <= self.common


def named(bullet: Bullet, index: Index) -> Named:
    """The policies and levels a bullet names."""
    policies: dict[str, str] = {}
    for term in bullet.terms:
        _name_term(term, index, policies)
    text = _normal(bullet.text)
    padded = f" {text} "
    for title in (t for w in dict.fromkeys(text.split()) for t in index.titles_by_word.get(w, ())):
        pid = index.titles[title]
        if pid in policies:
            continue
        if (len(title.split()) >= 2 and f" {title} " in padded) or (
            len(title.split()) == 1 and _capitalized_mention(bullet.text, title)
        ):
            policies[pid] = f'names "{title}"'
    stems = content_stems(bullet.words)
    for pid in (p for x in dict.fromkeys(stems) for p in index.stems_by_word.get(x, ())):
        title_stems = index.title_stems[pid]
        if pid not in policies and len(title_stems) >= 2 and _contains(stems, title_stems):
            policies[pid] = f'names "{index.title_text(pid)}"'
    for word in bullet.words:
        if "_" in word and word in index.ids and index.ids[word] not in policies:
            policies[index.ids[word]] = f"names `{word}`"
    words = [w for raw in bullet.words for w in raw.replace("-", " ").split()]
    cue = any(w in AUTHORITY_CUES for w in words)
    marked = {_normal(t.text) for t in bullet.terms}
    levels = frozenset(w for w in words if w in index.levels)
    speaks = cue or any(lv in marked for lv in levels)
    return Named(policies, levels if speaks else frozenset(), speaks)


def _name_term(term: Term, index: Index, policies: dict[str, str]) -> None:
    """Record the policy a marked term names: an id, or a title rapidfuzz finds."""
    raw = term.text.strip().lstrip("#")
    if raw in index.ids:
        policies.setdefault(index.ids[raw], f"names `{raw}`")
        return
    if term.how == "anchor":
        return
    wanted = _normal(raw)
    if not wanted or not index.title_list:
        return
    best = process.extractOne(wanted, index.title_list, scorer=fuzz.ratio, score_cutoff=TITLE_SCORE)
    if best is not None:
        policies.setdefault(index.titles[best[0]], f'names "{best[0]}"')


def _contains(words: Sequence[str], part: Sequence[str]) -> bool:
    """Whether `part` occurs in `words` as a run."""
    n = len(part)
    return any(tuple(words[i : i + n]) == tuple(part) for i in range(len(words) - n + 1))


def _capitalized_mention(text: str, title: str) -> bool:
    """A one-word title written capitalized inside a sentence ("Overview"), or after
    "the" ("the overview")."""
    words = text.split()
    for i, word in enumerate(words[1:], start=1):
        bare = word.strip(".,;:()\"'“”‘’")
        if bare.lower() != title:
            continue
        if bare[:1].isupper() and not words[i - 1].endswith("."):
            return True
        if words[i - 1].lower() == "the":
            return True
    return False


def _involved(change: Change, actions: frozenset[str]) -> set[str]:
    """The policy ids naming which describes a change, given what the bullet says it did
    (`add` stands for "adds", under a section it names, what it names nothing of)."""
    out = {change.policy} if change.policy else set()
    d = change.details
    if isinstance(d, ExampleMoved):
        out.add(d.old_policy)
    if "merge" in actions and isinstance(d, PolicyRemoved) and d.merged_into:
        out.add(d.merged_into)
    if actions & {"merge", "move"} and isinstance(d, PolicyMoved):
        out |= {p for p in (d.old_parent, d.new_parent) if p}
    if "add" in actions and isinstance(d, PolicyAdded) and d.parent:
        out.add(d.parent)
    return out


def _authority_match(change: Change, name: Named) -> str | None:
    """Why an authority change is covered: the bullet speaks of authority and names the
    policy, or (naming no policy itself) the level it went to; a level rename, both names."""
    d = change.details
    if not name.authority:
        return None
    if change.policy is not None and change.policy in name.policies:
        return name.policies[change.policy] + " and its authority"
    if isinstance(d, AuthorityLevelRenamed) and {d.old.lower(), d.new.lower()} <= name.levels:
        return f"names the levels {d.old} and {d.new}"
    to_named = isinstance(d, AuthorityChanged) and d.new and d.new.lower() in name.levels
    if to_named and not name.policies and isinstance(d, AuthorityChanged):
        return f"names the level {d.new}"
    return None


@dataclass(frozen=True, slots=True)
class _Wanted:
    """What a bullet's words look for in a change's words."""

    terms: tuple[tuple[str, tuple[str, ...]], ...]
    """Marked terms that name no policy or level: (as written, content stems)."""
    stems: tuple[str, ...]
    """The bullet's content stems, without the words of the titles and levels it names."""
    every: frozenset[str] = frozenset()
    """All the bullet's content stems (of its text and its terms)."""
    pairs: frozenset[tuple[str, ...]] = frozenset()
    triples: frozenset[tuple[str, ...]] = frozenset()
    weights: tuple[tuple[str, float], ...] = ()
    """Each distinct stem of `stems` with its weight."""
    normal: str = ""
    """The bullet's text, normalized."""


def _wanted(bullet: Bullet, name: Named, index: Index) -> _Wanted:
    named_words = {
        s
        for pid in name.policies
        for p in (index.diff.new.get(pid), index.diff.old.get(pid))
        if p is not None
        for s in content_stems(words_of(p.title))
    }
    levels = {stem(lv) for lv in index.levels}
    terms: list[tuple[str, tuple[str, ...]]] = []
    for term in bullet.terms:
        if term.how == "anchor":
            continue
        stems = tuple(content_stems(words_of(term.text)))
        if not stems or set(stems) <= levels or _names_policy(term, index):
            continue
        terms.append((term.text, stems))
    own = content_stems(bullet.words)
    stems = tuple(x for x in own if x not in named_words)
    every = frozenset(own) | {x for _w, t in terms for x in t}
    weights = tuple((x, index.weight(x)) for x in dict.fromkeys(stems))
    return _Wanted(
        tuple(terms),
        stems,
        every,
        frozenset(_pairs(stems)),
        frozenset(_triples(stems)),
        weights,
        _normal(bullet.text),
    )


def _names_policy(term: Term, index: Index) -> bool:
    raw = term.text.strip().lstrip("#")
    if raw in index.ids:
        return True
    wanted = _normal(raw)
    return bool(wanted) and bool(
        process.extractOne(wanted, index.title_list, scorer=fuzz.ratio, score_cutoff=TITLE_SCORE)
    )


def _term_match(written: str, stems: tuple[str, ...], change: ChangeWords, index: Index) -> bool:
    """Whether a marked term is found in a change's words: word for word (its stems side by
    side), all its words with one of them rare, or by rapidfuzz's partial ratio."""
    if len(stems) == 1:
        word = stems[0]
        single = len(written.split()) == 1 and len(word) >= MIN_SINGLE_WORD
        return single and word in change.stems and index.stem_frequency[word] <= index.common
    if all(g in change.pairs for g in _pairs(stems)):
        return True
    if all(x in change.stems for x in stems) and any(
        index.stem_frequency[x] <= RARE_CHANGES for x in stems
    ):
        return True
    wanted = _normal(written)
    return len(wanted) >= MIN_FUZZY_TERM and bool(
        fuzz.partial_ratio(wanted, change.text, score_cutoff=TERM_SCORE)
    )


def _text_match(wanted: _Wanted, change: ChangeWords, index: Index) -> str | None:
    """Why a change's words show it is what a bullet describes, if they do."""
    for written, stems in wanted.terms:
        if _term_match(written, stems, change, index):
            return f'"{written}" in the text'
    triples = sorted(g for g in wanted.triples & change.triples if index.informative(g))
    if triples:
        return f'"{" ".join(triples[0])}" in the text'
    pairs = sorted(g for g in wanted.pairs & change.pairs if index.informative(g))
    if len(pairs) >= 2:
        return "words in the text: " + ", ".join(f'"{" ".join(g)}"' for g in pairs[:3])
    return _overlap(wanted, change, index)


def _overlap(wanted: _Wanted, change: ChangeWords, index: Index) -> str | None:
    """A match on the share of the bullet's words (weighted by how rare each is among the
    changes) found in the change: most of what it says, one rare word included."""
    if len(wanted.weights) < MIN_OVERLAP_WORDS:
        return None
    shared = [(x, w) for x, w in wanted.weights if x in change.stems]
    total = sum(w for _x, w in wanted.weights)
    if len(shared) < MIN_OVERLAP_WORDS - 1 or total <= 0:
        return None
    if not any(index.stem_frequency[x] <= index.common for x, _w in shared):
        return None
    share = sum(w for _x, w in shared) / total
    if share < OVERLAP_SHARE:
        return None
    return f"{len(shared)} of its {len(wanted.weights)} words in the text ({share:.0%} by weight)"


def _example_match(bullet: Bullet, wanted: _Wanted, change: ChangeWords) -> str | None:
    """A bullet that names the worked example a change is about: its title as a marked
    term (rapidfuzz ratio), or written out in the bullet (titles of three words or more)."""
    title = change.example
    if not title:
        return None
    for term in bullet.terms:
        if fuzz.ratio(_normal(term.text), title, score_cutoff=TITLE_SCORE):
            return f'names the example "{term.text}"'
    if len(title.split()) >= MIN_EXAMPLE_WORDS and f" {title} " in f" {wanted.normal} ":
        return "names the example"
    return None


def _small_edit_match(wanted: _Wanted, change: ChangeWords, index: Index) -> str | None:
    """A small edit whose every word the bullet uses, one of them rare ("misalignment was
    no longer mentioned" for an edit that inserted "misalignment")."""
    edited = change.edited
    if not edited or len(edited) > SMALL_EDIT_WORDS:
        return None
    stems = wanted.every
    rare = [
        x for x in edited if len(x) >= MIN_SINGLE_WORD and index.stem_frequency[x] <= RARE_CHANGES
    ]
    if rare and edited <= stems:
        return f'uses the words the edit changed ("{", ".join(sorted(edited))}")'
    return None


def _added_or_removed(bullet: Bullet, wanted: _Wanted, change: Change, index: Index) -> str | None:
    """A bullet that adds or removes something, and a policy added or removed whose title's
    words it mostly uses, weighted by how rare each is among the changes, a rare one among
    them: "Removes the policy on humour" for "Use humour when it fits"."""
    d = change.details
    adds, removes = isinstance(d, PolicyAdded), isinstance(d, PolicyRemoved)
    if not (adds or removes) or change.policy is None:
        return None
    if ("add" if adds else "remove") not in {v.action for v in bullet.verbs}:
        return None
    title = set(index.title_stems.get(change.policy, ()))
    found = title & wanted.every
    if not any(
        len(x) >= MIN_SINGLE_WORD and index.stem_frequency[x] <= index.common for x in found
    ):
        return None
    total = sum(index.weight(x) for x in title)
    if total and sum(index.weight(x) for x in found) / total >= TITLE_SHARE:
        return f"{'adds' if adds else 'removes'} what its title names"
    return None


def _named_match(
    change: Change, actions: frozenset[str], policies: set[str], name: Named
) -> str | None:
    """How a bullet names a change's policy (or a section the change moved into or out
    of, was merged into or was added under, as its verbs say), if it does."""
    hit = sorted(_involved(change, actions) & policies, key=lambda p: (p != change.policy, p))
    return name.policies[hit[0]] if hit else None


def bullet_matches(
    bullet: Bullet, index: Index, substantive: Sequence[bool]
) -> tuple[Named, tuple[Match, ...]]:
    """What a bullet names and the changes it covers, in the diff's order."""
    name = named(bullet, index)
    actions = frozenset(v.action for v in bullet.verbs)
    structural_only = bool(actions) and actions <= STRUCTURAL_ACTIONS
    wanted = _wanted(bullet, name, index)
    allowed = frozenset(VERBS_THAT_REACH) - ({"add"} if index.added & set(name.policies) else set())
    policies = set(name.policies)
    out: list[Match] = []
    for k, change in enumerate(index.diff.changes):
        if bullet.catch_all:
            if not substantive[k]:
                out.append(Match(k, "a catch-all for copy edits"))
            continue
        if structural_only and change.kind not in STRUCTURAL_KINDS:
            continue
        if change.kind in AUTHORITY_KINDS:
            why = _authority_match(change, name)
        else:
            why = _named_match(change, actions & allowed, policies, name)
            words = index.changes[k]
            why = why or _example_match(bullet, wanted, words)
            if why is None and words.stems & wanted.every:  # no word in common: no text match
                why = _added_or_removed(bullet, wanted, change, index)
                why = why or _small_edit_match(wanted, words, index)
                why = why or _text_match(wanted, words, index)
        if why is not None:
            out.append(Match(k, why))
    return name, tuple(out)


def all_matches(
    notes: Notes, index: Index, substantive: Sequence[bool]
) -> tuple[tuple[Named, tuple[Match, ...]], ...]:
    """Every bullet's names and matches, in the notes' order."""
    return tuple(bullet_matches(b, index, substantive) for b in notes.bullets)
