"""The audit: the notes' bullets against the diff, as three lists and a coverage figure.

- **undisclosed**: substantive or rule-changing changes no bullet covers, most serious
  first (authority changes, loosened rules, removed policies, tightened rules, then the
  other substantive changes), each with its policy, lines and verdict;
- **claims without a change**: bullets that cover nothing in the diff;
- **disagreements**: a bullet's stated direction against the rule verdicts of the changes
  it covers ("tightens" where a statement was loosened, "clarifies" where a rule changed).

A change is substantive when its level is `major` or `minor`, or when it changes a rule
(a verdict other than `unchanged`, an authority change). Coverage counts the substantive
changes some bullet other than a catch-all covers.
"""

from __future__ import annotations

from dataclasses import dataclass

from specver.audit.match import Index, Match, Named, all_matches
from specver.audit.notes import Bullet, Notes
from specver.audit.verbs import stated_direction
from specver.config import Config
from specver.diff.details import (
    AuthorityChanged,
    AuthorityLevelRenamed,
    ExampleVerdictChanged,
    PolicyAdded,
    PolicyRemoved,
    TextChanged,
)
from specver.diff.normative import (
    DEFAULT_VOCABULARY,
    StatementChange,
    Vocabulary,
    policy_rules,
    vocabulary_for,
)
from specver.spec.model import Change, SpecDiff

SCHEMA = "specver.audit/1"

RULE_VERDICTS = ("tightened", "loosened", "mixed")
"""Verdicts that say a rule changed."""

SERIOUSNESS = ("authority", "loosened", "removed", "tightened", "substantive")
"""The order of undisclosed changes, most serious first."""


@dataclass(frozen=True, slots=True)
class AuditedChange:
    """A change as the audit cites it: the change, its title and its rule verdict."""

    change: Change
    title: str
    verdict: str | None
    """`tightened`, `loosened`, `mixed`, `unchanged`, or None for a change of no rule
    (a rename, an edited example)."""
    statements: tuple[StatementChange, ...] = ()
    """The changed statements behind the verdict (text changes and added or removed
    policies)."""

    @property
    def policy(self) -> str | None:
        """The policy the change names (None for a level rename or front matter)."""
        return self.change.policy


@dataclass(frozen=True, slots=True)
class CoveredBullet:
    """A bullet and the changes it covers, each with the evidence."""

    bullet: Bullet
    changes: tuple[AuditedChange, ...]
    evidence: tuple[str, ...]
    """Why each change is covered, in the same order."""


@dataclass(frozen=True, slots=True)
class Undisclosed:
    """A substantive change no bullet covers."""

    change: AuditedChange
    seriousness: str
    """`authority`, `loosened`, `removed`, `tightened` or `substantive`."""


@dataclass(frozen=True, slots=True)
class UnsupportedClaim:
    """A bullet that matches nothing in the diff."""

    bullet: Bullet
    named: tuple[str, ...]
    """Policies it names (which did not change), by id."""

    @property
    def policy(self) -> str | None:
        """The first policy it names, if any."""
        return self.named[0] if self.named else None


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A bullet whose stated direction the rule verdict of a change it covers contradicts."""

    bullet: Bullet
    stated: str
    """What the bullet says the rules did: `tightened`, `loosened` or `neutral`."""
    change: AuditedChange
    statements: tuple[StatementChange, ...]
    """The changed statements that go against the bullet."""
    reason: str
    """One sentence: what the bullet says against what the text does."""


@dataclass(frozen=True, slots=True)
class CoverageFigures:
    """How much of what matters the notes disclose."""

    disclosed: int
    substantive: int

    @property
    def share(self) -> float | None:
        """disclosed / substantive; None when nothing substantive changed."""
        return self.disclosed / self.substantive if self.substantive else None


@dataclass(frozen=True, slots=True)
class Audit:
    """The notes of a release audited against its diff."""

    diff: SpecDiff
    notes: Notes
    covered: tuple[CoveredBullet, ...]
    undisclosed: tuple[Undisclosed, ...]
    unsupported_claims: tuple[UnsupportedClaim, ...]
    disagreements: tuple[Disagreement, ...]
    coverage: CoverageFigures

    @property
    def clean(self) -> bool:
        """Whether the notes cover the release: all three lists empty."""
        return not (self.undisclosed or self.unsupported_claims or self.disagreements)


def rule_verdict(
    change: Change, diff: SpecDiff, vocab: Vocabulary = DEFAULT_VOCABULARY
) -> tuple[str | None, tuple[StatementChange, ...]]:
    """What a change does to the rules: a text change's verdict; an authority raised
    tightens (fewer parties may override it) and lowered loosens; a reversed example
    verdict tightens (GOOD to BAD) or loosens; an added or removed policy by the rules its
    prose states. None for changes that carry no rule."""
    d = change.details
    if isinstance(d, TextChanged):
        return d.verdict, tuple(s for s in d.normative if s.effect != "neutral")
    if isinstance(d, AuthorityChanged):
        return {"raised": "tightened", "lowered": "loosened"}.get(d.direction, "mixed"), ()
    if isinstance(d, AuthorityLevelRenamed):
        return "unchanged", ()
    if isinstance(d, ExampleVerdictChanged):
        ways = {"tightened" if f.new.upper().startswith("BAD") else "loosened" for f in d.answers}
        return ("mixed" if len(ways) > 1 else next(iter(ways), "unchanged")), ()
    if isinstance(d, PolicyAdded) and change.policy:
        policy = diff.new.get(change.policy)
        found = policy_rules("", policy.prose, vocab) if policy else None
        return _verdict_of(found)
    if isinstance(d, PolicyRemoved) and not d.merged_into and change.policy:
        policy = diff.old.get(change.policy)
        found = policy_rules(policy.prose, "", vocab) if policy else None
        return _verdict_of(found)
    return None, ()


def _verdict_of(found: object) -> tuple[str | None, tuple[StatementChange, ...]]:
    verdict = getattr(found, "verdict", None)
    statements = tuple(getattr(found, "changes", ()))
    return verdict, tuple(s for s in statements if s.effect != "neutral")


def _seriousness(item: AuditedChange) -> str:
    kind = item.change.kind
    if kind in ("authority_changed", "authority_level_renamed"):
        return "authority"
    if item.verdict in ("loosened", "mixed"):
        return "loosened"
    if kind == "policy_removed":
        return "removed"
    if item.verdict == "tightened":
        return "tightened"
    return "substantive"


def is_substantive(item: AuditedChange) -> bool:
    """Whether a change must be disclosed: a major or minor change, or one that changes a
    rule or an authority."""
    return (
        item.change.level in ("major", "minor")
        or item.verdict in RULE_VERDICTS
        or item.change.kind == "authority_changed"
    )


def audit(diff: SpecDiff, notes: Notes, config: Config | None = None) -> Audit:
    """Audit release notes against the diff of the release they describe, reading levels
    and rule words with `config`'s authority scheme and vocabulary."""
    config = config or Config()
    vocab = vocabulary_for(config.normative)
    index = Index(diff, config.scheme)
    items = []
    for change in diff.changes:
        verdict, statements = rule_verdict(change, diff, vocab)
        items.append(AuditedChange(change, index.title_of(change), verdict, statements))
    substantive = [is_substantive(item) for item in items]
    found = all_matches(notes, index, substantive)
    covered = tuple(
        CoveredBullet(b, tuple(items[m.change] for m in ms), tuple(m.how for m in ms))
        for b, (_name, ms) in zip(notes.bullets, found, strict=True)
        if ms
    )
    disclosed = {
        m.change for b, (_n, ms) in zip(notes.bullets, found, strict=True) if not b.catch_all
        for m in ms
    }  # fmt: skip
    undisclosed = sorted(
        (
            Undisclosed(item, _seriousness(item))
            for k, item in enumerate(items)
            if substantive[k] and k not in disclosed
        ),
        key=lambda u: SERIOUSNESS.index(u.seriousness),
    )
    return Audit(
        diff,
        notes,
        covered,
        tuple(undisclosed),
        _claims(notes, found),
        _disagreements(notes, found, items),
        CoverageFigures(len(disclosed & {k for k, s in enumerate(substantive) if s}),
                        sum(substantive)),
    )  # fmt: skip


def _claims(
    notes: Notes, found: tuple[tuple[Named, tuple[Match, ...]], ...]
) -> tuple[UnsupportedClaim, ...]:
    """Bullets that cover nothing, themselves or through the items nested in them."""
    covering = {b.index for b, (_n, ms) in zip(notes.bullets, found, strict=True) if ms}
    for b in reversed(notes.bullets):  # children come after their parents
        if b.index in covering and b.parent is not None:
            covering.add(b.parent)
    return tuple(
        UnsupportedClaim(b, tuple(name.policies))
        for b, (name, _ms) in zip(notes.bullets, found, strict=True)
        if b.index not in covering
    )


def _disagreements(
    notes: Notes,
    found: tuple[tuple[Named, tuple[Match, ...]], ...],
    items: list[AuditedChange],
) -> tuple[Disagreement, ...]:
    out: list[Disagreement] = []
    for b, (_name, ms) in zip(notes.bullets, found, strict=True):
        stated = stated_direction(b.verbs)
        if stated is None or stated == "mixed" or b.catch_all:
            continue
        mine = [items[m.change] for m in ms]
        for item in mine:
            against = _against(stated, item)
            if against is not None:
                out.append(Disagreement(b, stated, item, against, _reason(b, stated, item)))
        promised = stated in ("tightened", "loosened") and mine
        if promised and not any(i.verdict in (stated, "mixed") for i in mine):
            out.extend(
                Disagreement(b, stated, i, (), _reason(b, stated, i))
                for i in mine
                if i.verdict == "unchanged" and i.change.kind == "text_changed"
            )
    return tuple(out)


def _against(stated: str, item: AuditedChange) -> tuple[StatementChange, ...] | None:
    """The statements of a change that contradict a stated direction; None when none do."""
    verdict = item.verdict
    if verdict is None or verdict == "unchanged":
        return None
    if stated == "neutral":
        return item.statements
    opposite = "loosened" if stated == "tightened" else "tightened"
    if verdict in (opposite, "mixed"):
        return tuple(s for s in item.statements if s.effect == opposite)
    return None


STATED_WORDS = {"tightened": "tightens", "loosened": "loosens", "neutral": "only clarifies"}


def _reason(bullet: Bullet, stated: str, item: AuditedChange) -> str:
    verb = next((v.word for v in bullet.verbs if v.direction == stated), STATED_WORDS[stated])
    what = item.policy or "the document"
    if item.verdict == "unchanged":
        return f'the note says "{verb}", but no rule of {what} changed'
    if item.change.kind == "authority_changed":
        way = "lowered" if item.verdict == "loosened" else "raised"
        return f'the note says "{verb}", but the authority of {what} was {way}'
    return f'the note says "{verb}", but {what} was {item.verdict}'
