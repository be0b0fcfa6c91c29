"""The `rules` part of an impact: what each text change did to its policy's rules."""

from __future__ import annotations

from specver.diff.details import TextChanged
from specver.report.impact.model import PolicyRuleChanges, RuleStatement
from specver.spec.model import SpecDiff


def assess_rules(diff: SpecDiff) -> tuple[PolicyRuleChanges, ...]:
    """Per paired policy whose text changed: its verdict and its changed statements."""
    out: list[PolicyRuleChanges] = []
    for c in diff.changes:
        d = c.details
        if not isinstance(d, TextChanged) or c.policy is None:
            continue
        statements = tuple(
            RuleStatement(n.effect, n.rule, n.before, n.after, n.reason) for n in d.normative
        )
        out.append(PolicyRuleChanges(c.policy, d.title, d.verdict, statements))
    return tuple(out)
