"""Safeguards: rules of protected policies that were tightened, loosened or merely changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType

from specver.config import AuthorityScheme
from specver.diff.describe import describe
from specver.diff.textdiff import rule_phrase
from specver.report.impact.model import SafeguardChange, policy_of, title_of
from specver.report.impact.steerability import protected_levels
from specver.spec.model import Change, SpecDiff


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
        policy = policy_of(diff, change)
        level = scheme.canonical(policy.authority if policy else change.get("authority"))
        protected = level in protected_set
        if change.kind == "authority_changed":
            protected = protected or scheme.canonical(change.get("old")) in protected_set
        out.extend(_safeguards_of(change, title_of(diff, change), level, protected))
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
