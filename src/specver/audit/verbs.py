"""The verbs of release notes: what each says was done, and which way it says the rules went.

One table (`VERBS`) maps each word form to an action (`add`, `remove`, `rename`, `move`,
`merge`, `split`, `clarify`, `tighten`, `loosen`, `update`) and the direction it states:
`tightened`, `loosened`, `neutral` (the rules did not change: "clarifies", "rewords") or
none (the verb says nothing about the rules: "adds", "updates"). A few verbs take their
direction from what they act on ("narrows the exception" tightens, "narrows the
prohibition" loosens), and "no longer" turns a verb of permission or duty around.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class VerbSense:
    """What one verb of a release note says was done."""

    action: str
    """`add`, `remove`, `rename`, `move`, `merge`, `split`, `clarify`, `tighten`, `loosen`
    or `update`."""
    direction: str | None
    """`tightened`, `loosened`, `neutral`, or None when the verb states no direction."""


def _forms(action: str, direction: str | None, words: str) -> dict[str, VerbSense]:
    sense = VerbSense(action, direction)
    return dict.fromkeys(words.split(), sense)


VERBS: Mapping[str, VerbSense] = MappingProxyType(
    {
        **_forms("add", None, "add adds added adding introduce introduces introduced"
                 " introducing create creates created new"),
        **_forms("remove", None, "remove removes removed removing drop drops dropped dropping"
                 " delete deletes deleted deleting retire retires retired eliminate"
                 " eliminates eliminated"),
        **_forms("rename", None, "rename renames renamed renaming"),
        **_forms("move", None, "move moves moved moving relocate relocates relocated"),
        **_forms("merge", None, "merge merges merged merging combine combines combined"
                 " combining fold folds folded"),
        **_forms("split", None, "split splits splitting"),
        **_forms("clarify", "neutral", "clarify clarifies clarified clarifying clarification"
                 " clarifications reword rewords reworded rewording rephrase rephrases"
                 " rephrased rephrasing reorganize reorganizes reorganized reorganise"
                 " reorganises reorganised editorial typo typos"),
        **_forms("tighten", "tightened", "tighten tightens tightened tightening strengthen"
                 " strengthens strengthened strengthening restrict restricts restricted"
                 " restricting prohibit prohibits prohibited prohibiting forbid forbids"
                 " forbidding stricter"),
        **_forms("loosen", "loosened", "loosen loosens loosened loosening relax relaxes"
                 " relaxed relaxing soften softens softened softening weaken weakens"
                 " weakened weakening allow allows allowed allowing permit permits"
                 " permitting lift lifts lifted looser"),
        **_forms("update", None, "update updates updated updating change changes changed"
                 " revise revises revised revising rewrite rewrites rewrote rewritten expand"
                 " expands expanded expanding extend extends extended improve improves"
                 " improved modify modifies modified adjust adjusts adjusted refine refines"
                 " refined specify specifies specified fix fixes fixed make makes made"
                 " narrow narrows narrowed narrowing widen widens widened broaden broadens"
                 " broadened"),
    }
)  # fmt: skip
"""Every word form a release note may use, and what it says."""

NARROWING = frozenset(["narrow", "narrows", "narrowed", "narrowing"])
WIDENING = frozenset(
    [
        "widen",
        "widens",
        "widened",
        "broaden",
        "broadens",
        "broadened",
        "expand",
        "expands",
        "expanded",
        "extend",
        "extends",
        "extended",
    ]
)
"""Verbs whose direction depends on what they act on."""

PERMISSIVE_OBJECTS = frozenset(
    [
        "exception",
        "exceptions",
        "exemption",
        "exemptions",
        "permission",
        "permissions",
        "allowance",
        "allowances",
        "carve-out",
        "carve-outs",
        "latitude",
        "leeway",
    ]
)
"""What a verb acts on that grants something: narrowing one tightens the rules."""

RESTRICTIVE_OBJECTS = frozenset(
    [
        "prohibition",
        "prohibitions",
        "ban",
        "bans",
        "restriction",
        "restrictions",
        "rule",
        "rules",
        "requirement",
        "requirements",
        "scope",
        "duty",
        "duties",
        "obligation",
        "obligations",
    ]
)
"""What a verb acts on that binds: narrowing one loosens the rules, widening one tightens."""

OBJECT_WINDOW = 4
"""Words after a verb of narrowing or widening searched for what it acts on."""

TURNED_AROUND: Mapping[str, str] = MappingProxyType(
    {
        "allow": "tightened",
        "allows": "tightened",
        "permit": "tightened",
        "permits": "tightened",
        "require": "loosened",
        "requires": "loosened",
        "prohibit": "loosened",
        "prohibits": "loosened",
        "forbid": "loosened",
        "forbids": "loosened",
    }
)
"""After "no longer": the direction a verb of permission or duty states."""

STRUCTURAL_ACTIONS = frozenset({"rename", "move"})
"""Actions that say where a policy is or what it is called, never what it says."""

STRUCTURAL_KINDS = frozenset(
    {
        "policy_renamed",
        "policy_retitled",
        "policy_moved",
        "authority_level_renamed",
        "authority_changed",
        "example_moved",
        "tags_changed",
    }
)
"""The change kinds a bullet whose verbs are all structural can cover."""

AUTHORITY_CUES = frozenset(
    [
        "authority",
        "authorities",
        "level",
        "levels",
        "precedence",
        "override",
        "overrides",
        "overridden",
        "overriding",
        "overridable",
        "hierarchy",
        "priority",
    ]
)
"""Words that show a bullet speaks of authority (needed to disclose an authority change)."""

AUTHORITY_KINDS = frozenset({"authority_changed", "authority_level_renamed"})

CATCH_ALL_RE = re.compile(
    r"\b(?:other|various|misc\w*|assorted|several|a few|some|minor|small)\b[^.;]{0,60}?"
    r"\b(?:small|minor|little|editorial)?\s*(?:changes?|edits?|fix(?:es)?|tweaks?|updates?|"
    r"improvements?|clean-?ups?)\b"
    r"|\bcopy[- ]?edit(?:s|ing)?\b|\btypos?\b|\bwording (?:fixes|changes|tweaks)\b",
    re.IGNORECASE,
)
"""A catch-all bullet: "other small changes and copy edits", "minor fixes", "typos"."""

CATCH_ALL_MAX_WORDS = 12
"""A catch-all is short: a longer bullet says something of its own."""


@dataclass(frozen=True, slots=True)
class UsedVerb:
    """A verb as a bullet uses it."""

    word: str
    """The word as written (lower case)."""
    action: str
    direction: str | None


def verbs_in(words: list[str]) -> tuple[UsedVerb, ...]:
    """The verbs a bullet uses, in order, each with the direction it states there.

    `words` are the bullet's words in lower case. A neutral verb in a purpose clause ("to
    clarify") states no direction; "no longer allows" tightens; "narrows the exception"
    tightens and "narrows the prohibition" loosens.
    """
    out: list[UsedVerb] = []
    for i, word in enumerate(words):
        turned = i >= 2 and words[i - 2] == "no" and words[i - 1] == "longer"
        if turned and word in TURNED_AROUND:
            way = TURNED_AROUND[word]
            out.append(UsedVerb(word, "tighten" if way == "tightened" else "loosen", way))
            continue
        sense = VERBS.get(word)
        if sense is None:
            continue
        direction = sense.direction
        if word in NARROWING or word in WIDENING:
            direction = _object_direction(words[i + 1 : i + 1 + OBJECT_WINDOW], word in NARROWING)
        elif direction == "neutral" and i >= 1 and words[i - 1] == "to":
            direction = None
        elif word == "new" and i > 0:
            continue  # "new" counts as a verb only where it opens a bullet ("New section")
        out.append(UsedVerb(word, sense.action, direction))
    return tuple(out)


def _object_direction(after: list[str], narrowing: bool) -> str | None:
    """The direction "narrows X" or "widens X" states, from what X is."""
    for word in after:
        if word in PERMISSIVE_OBJECTS:
            return "tightened" if narrowing else "loosened"
        if word in RESTRICTIVE_OBJECTS:
            return "loosened" if narrowing else "tightened"
    return None


def stated_direction(verbs: tuple[UsedVerb, ...]) -> str | None:
    """The direction a bullet states: its tightening or loosening verbs win over its
    neutral ones ("clarifies and tightens" says tightened); both ways is `mixed`."""
    found = {v.direction for v in verbs if v.direction is not None}
    binding = found - {"neutral"}
    if len(binding) > 1:
        return "mixed"
    if binding:
        return next(iter(binding))
    return "neutral" if found else None


def is_catch_all(plain: str) -> bool:
    """Whether a bullet is a catch-all ("various other small changes and copy edits")."""
    return len(plain.split()) <= CATCH_ALL_MAX_WORDS and CATCH_ALL_RE.search(plain) is not None
