"""Safeguards: rules of protected policies that were tightened, loosened or merely changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from specver.config import AuthorityScheme
from specver.diff.details import AuthorityChanged, ExampleVerdictChanged, PolicyRemoved, TextChanged
from specver.diff.kinds import BY_NAME, describe, kind_of
from specver.diff.normative import rule_phrase
from specver.report.impact.model import SafeguardChange, policy_of, recorded_level, title_of
from specver.report.impact.steerability import protected_levels
from specver.spec.model import Change, SpecDiff


def _verdict_direction(details: ExampleVerdictChanged) -> str:
    """GOOD -> BAD only: tightened; BAD -> GOOD only: loosened; answers swapped: neutral."""
    turns = {(a.old, a.new) for a in details.answers}
    if turns == {("GOOD", "BAD")}:
        return "tightened"
    if turns == {("BAD", "GOOD")}:
        return "loosened"
    return "neutral"


def _protected_direction(change: Change) -> str:
    """Whether one change to a protected policy tightens, loosens or keeps its safeguards."""
    d = change.details
    if isinstance(d, PolicyRemoved):
        return "neutral" if d.merged_into else "loosened"
    if isinstance(d, AuthorityChanged):
        return {"raised": "tightened", "lowered": "loosened"}.get(d.direction, "neutral")
    return "neutral"


def _safeguards_of(
    change: Change, title: str, level: str | None, protected: bool
) -> Iterable[SafeguardChange]:
    """The safeguard items one change makes (none for most changes of unprotected policies).

    What it makes follows its kind's impact role (`diff.kinds.ROLES`).
    """
    policy, kind, d = str(change.policy), change.kind, change.details
    role = kind_of(change).role
    item = SafeguardChange
    if role == "rule" and isinstance(d, TextChanged):
        effective = [n for n in d.normative if n.effect != "neutral"]
        for n in effective:
            yield item(policy, title, level, kind, n.effect, rule_phrase(n), n.sentence)
        if protected and not effective and d.change != "copyedit":
            yield item(policy, title, level, kind, "neutral", describe(change))
    elif role == "verdict" and isinstance(d, ExampleVerdictChanged):
        yield item(policy, title, level, kind, _verdict_direction(d), describe(change))
    elif not protected:
        return
    elif role == "arrival":
        yield item(policy, title, level, kind, "tightened", f"new {level}-level policy")
    else:
        yield item(policy, title, level, kind, _protected_direction(change), describe(change))


def assess_safeguards(diff: SpecDiff, scheme: AuthorityScheme) -> tuple[SafeguardChange, ...]:
    """Changes to protected policies, rule strength, exceptions and example verdicts."""
    protected_set = protected_levels(scheme)
    out: list[SafeguardChange] = []
    for change in diff.changes:
        if change.policy is None:
            continue
        policy = policy_of(diff, change)
        level = scheme.canonical(policy.authority if policy else recorded_level(change))
        protected = level in protected_set
        if isinstance(change.details, AuthorityChanged):
            protected = protected or scheme.canonical(change.details.old) in protected_set
        out.extend(_safeguards_of(change, title_of(diff, change), level, protected))
    order = {"loosened": 0, "tightened": 1, "neutral": 2}
    return tuple(sorted(_merge_examples(out), key=lambda i: order.get(i.direction, 3)))


def _merge_examples(items: list[SafeguardChange]) -> tuple[SafeguardChange, ...]:
    """One item per policy and example change kind, so edited examples do not drown the rest."""
    groups: dict[tuple[str, str], list[SafeguardChange]] = {}
    order: list[tuple[str, str] | int] = []
    for k, item in enumerate(items):
        if BY_NAME[item.kind].safeguard_plural and item.direction == "neutral":
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
        phrase = f"{len(group)} {BY_NAME[group[0].kind].safeguard_plural}: {titles}"
        out.append(replace(group[0], description=phrase))
    return tuple(out)
