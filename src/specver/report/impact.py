"""What a change does to the people who build on a spec: steerability, safeguards, evals, scope.

`assess_impact` is a pure function from a `SpecDiff` and an `AuthorityScheme` to a frozen
`Impact`. It regroups the diff's changes by their consequence for an audience (developers,
users, regulators) and opens with a few plain-language sentences generated from the facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from specver.config import AuthorityScheme
from specver.diff.textdiff import redline, rule_phrase
from specver.errors import UsageError
from specver.spec.model import Change, Policy, Spec, SpecDiff

AUDIENCES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "all": ("steerability", "safeguards", "evals", "scope"),
        "developers": ("steerability", "evals"),
        "users": ("steerability", "safeguards"),
        "regulators": ("safeguards", "steerability", "evals", "scope"),
    }
)
"""The sections each audience sees, in the order it sees them."""

RERUN_KINDS = frozenset(
    {
        "policy_added",
        "policy_removed",
        "authority_changed",
        "text_changed",
        "example_added",
        "example_removed",
        "example_changed",
        "example_moved",
        "example_verdict_changed",
        "other_text_changed",
    }
)
"""Change kinds after which a policy's evals must be re-run (copy edits excepted)."""

PARTY_NAMES: Mapping[str, str] = MappingProxyType(
    {"system": "system messages", "developer": "developers", "user": "users"}
)
"""How the plain-language summary names each party."""

TITLES_IN_SUMMARY = 3
"""At most this many policy titles are named in one summary sentence."""


# --- the impact value --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ControlShift:
    """A policy whose set of overriding parties changed (who gains or loses control)."""

    policy: str
    """Id in the new version (the old id for a removed policy)."""
    title: str
    old_id: str | None
    """Id in the old version; None for an added policy."""
    old_level: str | None
    """Authority as written before; None when the policy was absent or a grouping."""
    new_level: str | None
    """Authority as written after; None when the policy was removed."""
    cause: str
    """`authority_raised`, `authority_lowered`, `authority_changed`, `policy_added` or
    `policy_removed`."""
    overridable_before: tuple[str, ...]
    """Parties that could override it before (every party when it did not exist)."""
    overridable_after: tuple[str, ...]
    """Parties that can override it now (every party when it no longer exists)."""
    gained: tuple[str, ...]
    """Parties that can now override it."""
    lost: tuple[str, ...]
    """Parties that can no longer override it."""
    implicit_before: bool
    """Whether it could be overridden implicitly (from context) before."""
    implicit_after: bool
    """Whether it can be overridden implicitly now."""

    @property
    def direction(self) -> str:
        """`restricted` (harder to override), `relaxed` (easier) or `unchanged`."""
        if self.lost or (self.implicit_before and not self.implicit_after):
            return "restricted"
        if self.gained or (self.implicit_after and not self.implicit_before):
            return "relaxed"
        return "unchanged"


@dataclass(frozen=True, slots=True)
class LevelRename:
    """A whole authority level renamed (`platform` -> `root`)."""

    old: str
    new: str
    policies: tuple[str, ...]
    """Ids of the policies whose level was renamed."""
    control_changed: bool
    """False when the scheme treats both names alike: nobody gains or loses control."""


@dataclass(frozen=True, slots=True)
class Steerability:
    """Who may override what, before and after."""

    restricted: tuple[ControlShift, ...]
    """Policies that some party can no longer override (or no longer implicitly)."""
    relaxed: tuple[ControlShift, ...]
    """Policies that some party can now override (or now implicitly)."""
    unchanged: tuple[ControlShift, ...]
    """Authority changes that move nobody's control (levels the scheme does not rank)."""
    renames: tuple[LevelRename, ...]

    def groups(self) -> tuple[tuple[str, tuple[ControlShift, ...]], ...]:
        """The non-empty groups of control shifts with the heading every report gives them."""
        labelled = (
            ("No longer overridable", self.restricted),
            ("Now overridable", self.relaxed),
            ("Authority changed, control unchanged", self.unchanged),
        )
        return tuple((label, shifts) for label, shifts in labelled if shifts)


@dataclass(frozen=True, slots=True)
class SafeguardChange:
    """A change to a protected (root- or system-level) policy or to the strength of a rule."""

    policy: str
    """Id in the new version (the old id for a removed policy)."""
    title: str
    level: str | None
    """The policy's authority (current name of the level)."""
    kind: str
    """The change kind it comes from (`text_changed`, `example_verdict_changed`, ...)."""
    direction: str
    """`tightened`, `loosened` or `neutral`."""
    description: str
    """What changed, in a short phrase."""
    sentence: str = ""
    """For a rule-strength change, the sentence as it reads now (as it read, when dropped)."""


@dataclass(frozen=True, slots=True)
class EvalRerun:
    """A changed policy and the eval prompt files it cites."""

    policy: str
    title: str
    evals: tuple[str, ...]
    """Names of the cited eval files (`abcd` for `examples/abcd.md`)."""
    reasons: tuple[str, ...]
    """The change kinds that call for re-running them."""
    missing: tuple[str, ...] = ()
    """Cited files absent from the new version's examples/ folder."""
    dropped: tuple[str, ...] = ()
    """Eval files the policy cited before and no longer cites."""


@dataclass(frozen=True, slots=True)
class UncitedEval:
    """An eval file no policy of the new version cites."""

    name: str
    previously_cited_by: tuple[str, ...]
    """Old ids of the policies that cited it."""
    present: bool | None
    """Whether the file is still in examples/; None when no examples/ folder was read."""


@dataclass(frozen=True, slots=True)
class EvalImpact:
    """Which eval prompt files the release invalidates."""

    reruns: tuple[EvalRerun, ...]
    uncovered: tuple[str, ...]
    """Ids of changed policies that cite no eval file."""
    uncited: tuple[UncitedEval, ...]
    changed_files: tuple[str, ...]
    """Eval files whose content changed (when both versions have an examples/ folder)."""

    @property
    def files(self) -> tuple[str, ...]:
        """Every eval file to re-run, each once, sorted."""
        return tuple(sorted({e for r in self.reruns for e in r.evals}))


@dataclass(frozen=True, slots=True)
class LevelCount:
    """Policies at one authority level before and after."""

    level: str
    before: int
    after: int


@dataclass(frozen=True, slots=True)
class Scope:
    """How much of the document changed."""

    levels: tuple[LevelCount, ...]
    """Counts per level (current names, scheme order, unknown levels last)."""
    groupings_before: int
    groupings_after: int
    policies_changed: int
    """Sections (policies and groupings) that a change names; a level rename alone does not
    count, since it leaves the policies as they were."""
    policies_total: int
    """Sections in either version (paired ones once)."""
    prose_chars_changed: int
    """Characters of prose deleted plus inserted."""
    prose_chars_total: int
    """Characters of prose in both versions together."""
    changes_by_kind: tuple[tuple[str, int], ...]

    @property
    def share_policies_changed(self) -> float:
        """Fraction of sections with a change."""
        return self.policies_changed / self.policies_total if self.policies_total else 0.0

    @property
    def share_prose_changed(self) -> float:
        """Characters deleted or inserted over all prose characters of both versions."""
        return self.prose_chars_changed / self.prose_chars_total if self.prose_chars_total else 0.0


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One compared input: how it was named and the digest of its bytes."""

    source: str
    sha256: str
    policies: int


@dataclass(frozen=True, slots=True)
class Impact:
    """The consequences of one diff, for one audience."""

    old: SourceRef
    new: SourceRef
    audience: str
    sections: tuple[str, ...]
    """The sections this audience sees, in order (see `AUDIENCES`)."""
    bump: str
    summary: tuple[str, ...]
    """Three to five plain-language sentences."""
    steerability: Steerability
    safeguards: tuple[SafeguardChange, ...]
    evals: EvalImpact
    scope: Scope
    diff: SpecDiff = field(repr=False, compare=False)
    """The diff it was computed from (for reports that show the edits themselves)."""


# --- steerability ------------------------------------------------------------------------


def protected_levels(scheme: AuthorityScheme) -> frozenset[str]:
    """Levels developers and users cannot override: the top one and the highest party's."""
    parties = scheme.instructing_parties
    top_party = scheme.levels.index(parties[0]) if parties else 0
    return frozenset(scheme.levels[: top_party + 1])


def _control(scheme: AuthorityScheme, level: str | None) -> tuple[tuple[str, ...], bool]:
    """Who may override a policy at this level, and whether implicitly; None is no policy."""
    if level is None:
        return scheme.instructing_parties, False
    return scheme.overriders(level), scheme.implicitly_overridable(level)


def control_shift(
    scheme: AuthorityScheme,
    ids: tuple[str, str | None, str],
    old_level: str | None,
    new_level: str | None,
    cause: str,
) -> ControlShift:
    """The shift of control when a policy's level goes from `old_level` to `new_level`.

    `ids` is (policy id, old id, title); a level of None means the policy did not exist.
    """
    policy, old_id, title = ids
    before, implicit_before = _control(scheme, old_level)
    after, implicit_after = _control(scheme, new_level)
    if old_level is None:
        implicit_before = implicit_after
    if new_level is None:
        implicit_after = implicit_before
    return ControlShift(
        policy=policy,
        title=title,
        old_id=old_id,
        old_level=old_level,
        new_level=new_level,
        cause=cause,
        overridable_before=before,
        overridable_after=after,
        gained=tuple(p for p in after if p not in before),
        lost=tuple(p for p in before if p not in after),
        implicit_before=implicit_before,
        implicit_after=implicit_after,
    )


def _shifts(diff: SpecDiff, scheme: AuthorityScheme) -> list[ControlShift]:
    protected = protected_levels(scheme)
    out: list[ControlShift] = []
    for c in diff.changes:
        level = scheme.canonical(c.get("authority"))
        if c.kind == "authority_changed" and c.policy is not None:
            cause = f"authority_{c.get('direction')}"
            if cause not in ("authority_raised", "authority_lowered"):
                cause = "authority_changed"
            ids = (c.policy, diff.old_id(c.policy), _title(diff, c))
            out.append(control_shift(scheme, ids, c.get("old"), c.get("new"), cause))
        elif c.kind == "policy_added" and c.policy is not None and level in protected:
            ids = (c.policy, None, _title(diff, c))
            out.append(control_shift(scheme, ids, None, c.get("authority"), "policy_added"))
        elif c.kind == "policy_removed" and c.policy is not None and level in protected:
            ids = (c.policy, c.policy, _title(diff, c))
            out.append(control_shift(scheme, ids, c.get("authority"), None, "policy_removed"))
    return out


def assess_steerability(diff: SpecDiff, scheme: AuthorityScheme) -> Steerability:
    """Who can no longer override what, who now can, and level renames (which move nobody)."""
    shifts = _shifts(diff, scheme)
    renames = tuple(
        LevelRename(
            old=str(c.get("old")),
            new=str(c.get("new")),
            policies=tuple(c.get("policies", ())),
            control_changed=_control(scheme, c.get("old")) != _control(scheme, c.get("new")),
        )
        for c in diff.changes
        if c.kind == "authority_level_renamed"
    )
    return Steerability(
        restricted=tuple(s for s in shifts if s.direction == "restricted"),
        relaxed=tuple(s for s in shifts if s.direction == "relaxed"),
        unchanged=tuple(s for s in shifts if s.direction == "unchanged"),
        renames=renames,
    )


# --- safeguards --------------------------------------------------------------------------


def _title(diff: SpecDiff, change: Change) -> str:
    if change.get("title"):
        return str(change.get("title"))
    policy = _policy(diff, change)
    return policy.title if policy else str(change.policy)


def _policy(diff: SpecDiff, change: Change) -> Policy | None:
    """The policy a change names: the new one, or the old one when it was removed."""
    if change.policy is None:
        return None
    if change.kind == "policy_removed":
        return diff.old.get(change.policy)
    return diff.new.get(change.policy)


def _verdict_direction(change: Change) -> str:
    """GOOD -> BAD only: tightened; BAD -> GOOD only: loosened; answers swapped: neutral."""
    turns = {(a["old"], a["new"]) for a in change.get("answers", ())}
    if turns == {("GOOD", "BAD")}:
        return "tightened"
    if turns == {("BAD", "GOOD")}:
        return "loosened"
    return "neutral"


def _authority_direction(change: Change) -> str:
    return {"raised": "tightened", "lowered": "loosened"}.get(
        str(change.get("direction")), "neutral"
    )


def _safeguards_of(
    change: Change, title: str, level: str | None, protected: bool
) -> Iterable[SafeguardChange]:
    """The safeguard items one change makes (none for most changes of unprotected policies)."""
    from specver.render.common import describe

    policy = str(change.policy)
    item = SafeguardChange
    if change.kind == "text_changed":
        for n in change.get("normative", ()):
            yield item(
                policy, title, level, change.kind, n["direction"], rule_phrase(n), n["sentence"]
            )
        if protected and not change.get("normative") and change.get("change") != "copyedit":
            yield item(policy, title, level, change.kind, "neutral", describe(change))
    elif change.kind == "example_verdict_changed":
        yield item(policy, title, level, change.kind, _verdict_direction(change), describe(change))
    elif not protected:
        return
    elif change.kind == "policy_added":
        yield item(policy, title, level, change.kind, "tightened", f"new {level}-level policy")
    elif change.kind == "policy_removed":
        direction = "neutral" if change.get("merged_into") else "loosened"
        yield item(policy, title, level, change.kind, direction, describe(change))
    elif change.kind == "authority_changed":
        yield item(
            policy, title, level, change.kind, _authority_direction(change), describe(change)
        )
    else:
        yield item(policy, title, level, change.kind, "neutral", describe(change))


def assess_safeguards(diff: SpecDiff, scheme: AuthorityScheme) -> tuple[SafeguardChange, ...]:
    """Changes to protected policies, rule strength, exceptions and example verdicts."""
    protected_set = protected_levels(scheme)
    out: list[SafeguardChange] = []
    for change in diff.changes:
        if change.policy is None:
            continue
        policy = _policy(diff, change)
        level = scheme.canonical(policy.authority if policy else change.get("authority"))
        protected = level in protected_set
        if change.kind == "authority_changed":
            protected = protected or scheme.canonical(change.get("old")) in protected_set
        out.extend(_safeguards_of(change, _title(diff, change), level, protected))
    order = {"loosened": 0, "tightened": 1, "neutral": 2}
    return tuple(sorted(_merge_examples(out), key=lambda i: order.get(i.direction, 3)))


EXAMPLE_PLURALS: Mapping[str, str] = MappingProxyType(
    {
        "example_added": "examples added",
        "example_removed": "examples removed",
        "example_changed": "examples changed",
        "example_moved": "examples moved here",
    }
)
"""How several neutral example changes of one policy are summed up in one safeguard item."""


def _merge_examples(items: list[SafeguardChange]) -> tuple[SafeguardChange, ...]:
    """One item per policy and example change kind, so edited examples do not drown the rest."""
    groups: dict[tuple[str, str], list[SafeguardChange]] = {}
    order: list[tuple[str, str] | int] = []
    for k, item in enumerate(items):
        if item.kind in EXAMPLE_PLURALS and item.direction == "neutral":
            key = (item.policy, item.kind)
            if key not in groups:
                order.append(key)
            groups.setdefault(key, []).append(item)
        else:
            order.append(k)
    out: list[SafeguardChange] = []
    for entry in order:
        if isinstance(entry, int):
            out.append(items[entry])
            continue
        group = groups[entry]
        if len(group) == 1:
            out.append(group[0])
            continue
        titles = "; ".join(g.description.split(": ", 1)[-1] for g in group)
        phrase = f"{len(group)} {EXAMPLE_PLURALS[group[0].kind]}: {titles}"
        out.append(replace(group[0], description=phrase))
    return tuple(out)


# --- evals -------------------------------------------------------------------------------


def _rerun_reasons(diff: SpecDiff) -> dict[str, list[str]]:
    """Policy id -> the change kinds that invalidate its evals, in the diff's order."""
    reasons: dict[str, list[str]] = {}
    for c in diff.changes:
        if c.policy is None or c.kind not in RERUN_KINDS:
            continue
        if c.kind == "text_changed" and c.get("change") == "copyedit":
            continue
        kinds = reasons.setdefault(c.policy, [])
        if c.kind not in kinds:
            kinds.append(c.kind)
    return reasons


def _cited(spec: Spec) -> dict[str, list[str]]:
    """Eval name -> ids of the policies citing it."""
    out: dict[str, list[str]] = {}
    for p in spec:
        for name in p.footnotes:
            out.setdefault(name, []).append(p.id)
    return out


def _footnote_changes(diff: SpecDiff) -> dict[str, tuple[str, ...]]:
    """New policy id -> eval files it cited before and no longer cites."""
    out: dict[str, tuple[str, ...]] = {}
    for q in diff.new:
        old_id = diff.old_id(q.id)
        p = diff.old.get(old_id) if old_id else None
        if p is not None and set(p.footnotes) != set(q.footnotes):
            out[q.id] = tuple(f for f in p.footnotes if f not in q.footnotes)
    return out


def assess_evals(diff: SpecDiff) -> EvalImpact:
    """Eval files each changed policy cites, changed policies citing none, and orphans."""
    reasons = _rerun_reasons(diff)
    dropped = _footnote_changes(diff)
    for policy_id in dropped:
        reasons.setdefault(policy_id, []).append("evals_cited_changed")
    present = diff.new.eval_names() if diff.new.evals is not None else None
    reruns: list[EvalRerun] = []
    uncovered: list[str] = []
    for policy_id, kinds in reasons.items():
        removed = policy_id not in diff.new
        policy = diff.old.get(policy_id) if removed else diff.new.get(policy_id)
        if policy is None:
            continue
        if not policy.footnotes and not dropped.get(policy_id):
            uncovered.append(policy_id)
            continue
        missing = () if present is None or removed else _absent(policy.footnotes, present)
        reruns.append(
            EvalRerun(
                policy_id,
                policy.title,
                policy.footnotes,
                tuple(kinds),
                missing,
                dropped.get(policy_id, ()),
            )
        )
    return EvalImpact(tuple(reruns), tuple(uncovered), _uncited(diff), _changed_files(diff))


def _absent(names: tuple[str, ...], present: frozenset[str]) -> tuple[str, ...]:
    return tuple(n for n in names if n not in present)


def _uncited(diff: SpecDiff) -> tuple[UncitedEval, ...]:
    """Eval files no new policy cites: once cited, or lying unused in examples/."""
    before, after = _cited(diff.old), _cited(diff.new)
    present = diff.new.eval_names() if diff.new.evals is not None else None
    names = set(before) | set(present or ())
    return tuple(
        UncitedEval(
            name,
            tuple(before.get(name, ())),
            None if present is None else name in present,
        )
        for name in sorted(names)
        if name not in after
    )


def _changed_files(diff: SpecDiff) -> tuple[str, ...]:
    if diff.old.evals is None or diff.new.evals is None:
        return ()
    old = {e.name: e.sha256 for e in diff.old.evals}
    return tuple(
        sorted(e.name for e in diff.new.evals if e.name in old and old[e.name] != e.sha256)
    )


# --- scope -------------------------------------------------------------------------------


def _level_counts(spec: Spec, scheme: AuthorityScheme) -> Counter[str]:
    return Counter(str(scheme.canonical(p.authority)) for p in spec if p.authority)


def _prose_changed(diff: SpecDiff) -> int:
    changed = 0
    for p in diff.old:
        new_id = diff.new_id(p.id)
        q = diff.new.get(new_id) if new_id else None
        if q is None:
            changed += len(p.prose)
        elif p.prose != q.prose:
            changed += sum(len(s.text) for s in redline(p.prose, q.prose) if s.op != "equal")
    changed += sum(len(q.prose) for q in diff.new if diff.old_id(q.id) is None)
    return changed


def assess_scope(diff: SpecDiff, scheme: AuthorityScheme) -> Scope:
    """Counts per level before and after, and the share of sections and prose that changed."""
    before, after = _level_counts(diff.old, scheme), _level_counts(diff.new, scheme)
    known = [lv for lv in scheme.levels if lv in before or lv in after]
    unknown = sorted((set(before) | set(after)) - set(scheme.levels))
    removed = sum(1 for p in diff.old if diff.new_id(p.id) is None)
    touched = {c.policy for c in diff.changes if c.policy is not None}
    return Scope(
        levels=tuple(LevelCount(lv, before[lv], after[lv]) for lv in [*known, *unknown]),
        groupings_before=sum(1 for p in diff.old if not p.authority and not p.is_region),
        groupings_after=sum(1 for p in diff.new if not p.authority and not p.is_region),
        policies_changed=len(touched),
        policies_total=len(diff.new) + removed,
        prose_chars_changed=_prose_changed(diff),
        prose_chars_total=sum(len(p.prose) for p in diff.old) + sum(len(q.prose) for q in diff.new),
        changes_by_kind=tuple(diff.summary.items()),
    )


# --- the plain-language summary ----------------------------------------------------------


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _verb(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def series(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def party_names(names: Iterable[str]) -> str:
    """Parties in plain words: `system messages, developers and users`."""
    return series([PARTY_NAMES.get(p, f"{p} instructions") for p in names])


def _some_titles(titles: list[str]) -> str:
    quoted = [f"“{t}”" for t in titles[:TITLES_IN_SUMMARY]]
    rest = len(titles) - len(quoted)
    if rest:
        quoted.append(_plural(rest, "other"))
    return series(quoted)


def _percent(share: float) -> str:
    if 0 < share < 0.01:
        return "under 1%"
    return f"{round(share * 100)}%"


def _short(source: str) -> str:
    return source if len(source) <= 40 else source.replace("\\", "/").rsplit("/", 1)[-1]


def _scope_sentence(diff: SpecDiff, scope: Scope) -> str:
    old, new = _short(diff.old.source), _short(diff.new.source)
    if not diff.changes:
        return f"The new version ({new}) makes no semantic change to the old one ({old})."
    counts = dict(scope.changes_by_kind)
    added, removed = counts.get("policy_added", 0), counts.get("policy_removed", 0)
    return (
        f"The new version ({new}) changes {scope.policies_changed} of the "
        f"{scope.policies_total} sections found in either version ({len(diff.old)} in the old "
        f"one, {old}; {len(diff.new)} in the new), about "
        f"{_percent(scope.share_prose_changed)} of the prose, with {added} added and "
        f"{removed} removed; the suggested version bump is {diff.bump}."
    )


def _grouped(shifts: Iterable[ControlShift], key: str) -> dict[tuple[str, ...], list[str]]:
    groups: dict[tuple[str, ...], list[str]] = {}
    for s in shifts:
        groups.setdefault(getattr(s, key), []).append(s.title)
    return groups


def _steerability_sentence(steer: Steerability) -> str:
    clauses: list[str] = []
    for lost, titles in _grouped(steer.restricted, "lost").items():
        if lost:
            clauses.append(
                f"{_plural(len(titles), 'policy', 'policies')} can no longer be overridden by "
                f"{party_names(lost)} ({_some_titles(titles)})"
            )
        else:
            clauses.append(
                f"{_plural(len(titles), 'policy', 'policies')} can no longer be overridden "
                f"implicitly, only by explicit instruction ({_some_titles(titles)})"
            )
    for gained, titles in _grouped(steer.relaxed, "gained").items():
        what = f"by {party_names(gained)}" if gained else "implicitly"
        clauses.append(
            f"{_plural(len(titles), 'policy', 'policies')} can now be overridden {what} "
            f"({_some_titles(titles)})"
        )
    if not clauses:
        return "No policy changed who may override it."
    text = "; ".join(clauses)
    return text[0].upper() + text[1:] + "."


def _safeguard_sentence(items: tuple[SafeguardChange, ...]) -> str:
    if not items:
        return (
            "No safeguard changed: root- and system-level policies, rule strengths, "
            "exceptions and example verdicts stay as they were."
        )
    counts = Counter(i.direction for i in items)
    text = (
        f"Of {_plural(len(items), 'safeguard change')}, "
        f"{_verb(counts['tightened'], 'tightens', 'tighten')} the rules, "
        f"{_verb(counts['loosened'], 'loosens', 'loosen')} them and "
        f"{_verb(counts['neutral'], 'is', 'are')} neutral"
    )
    ranked = sorted(
        (i for i in items if i.direction != "neutral"),
        key=lambda i: (i.direction != "loosened", i.kind != "text_changed"),
    )
    if ranked:
        shown = ranked[0]
        text += f"; for example, “{shown.title}” was {shown.direction} ({shown.description})"
    return text + "."


def _evals_sentence(evals: EvalImpact) -> str:
    files = evals.files
    if files:
        text = (
            f"{_plural(len(files), 'eval prompt file')} cited by "
            f"{_plural(len(evals.reruns), 'changed policy', 'changed policies')} should be re-run"
        )
    else:
        text = "No changed policy cites an eval prompt file"
    if evals.uncovered:
        text += f", and {_plural(len(evals.uncovered), 'changed policy', 'changed policies')}"
        text += " cite no eval at all"
    if evals.uncited:
        text += f"; {_plural(len(evals.uncited), 'eval file')} no longer "
        text += "has a citing policy" if len(evals.uncited) == 1 else "have a citing policy"
    return text + "."


def _rename_sentence(steer: Steerability) -> str | None:
    if not steer.renames:
        return None
    parts = [f"“{r.old}” is now called “{r.new}”" for r in steer.renames]
    moved = any(r.control_changed for r in steer.renames)
    tail = "which changes who may override them" if moved else "which changes nobody's control"
    count = sum(len(r.policies) for r in steer.renames)
    return (
        f"The authority level {series(parts)} for {_plural(count, 'policy', 'policies')}, {tail}."
    )


def summary_sentences(
    diff: SpecDiff,
    sections: tuple[str, ...],
    parts: tuple[Steerability, tuple[SafeguardChange, ...], EvalImpact, Scope],
) -> tuple[str, ...]:
    """Three to five plain sentences: the scope, then one per section the audience sees."""
    steer, safeguards, evals, scope = parts
    by_section = {
        "steerability": _steerability_sentence(steer),
        "safeguards": _safeguard_sentence(safeguards),
        "evals": _evals_sentence(evals),
    }
    out = [_scope_sentence(diff, scope)]
    out += [by_section[s] for s in sections if s in by_section]
    rename = _rename_sentence(steer)
    if rename and "steerability" in sections:
        out.append(rename)
    return tuple(out[:5])


# --- entry point -------------------------------------------------------------------------


def assess_impact(
    diff: SpecDiff, scheme: AuthorityScheme | None = None, audience: str = "all"
) -> Impact:
    """The impact of a diff for an audience (`all`, `developers`, `users`, `regulators`)."""
    if audience not in AUDIENCES:
        raise UsageError(f"unknown audience {audience!r} (choose from {', '.join(AUDIENCES)})")
    scheme = scheme or AuthorityScheme()
    sections = AUDIENCES[audience]
    steer = assess_steerability(diff, scheme)
    safeguards = assess_safeguards(diff, scheme)
    evals = assess_evals(diff)
    scope = assess_scope(diff, scheme)
    return Impact(
        old=SourceRef(diff.old.source, diff.old.sha256, len(diff.old)),
        new=SourceRef(diff.new.source, diff.new.sha256, len(diff.new)),
        audience=audience,
        sections=sections,
        bump=diff.bump,
        summary=summary_sentences(diff, sections, (steer, safeguards, evals, scope)),
        steerability=steer,
        safeguards=safeguards,
        evals=evals,
        scope=scope,
        diff=diff,
    )
