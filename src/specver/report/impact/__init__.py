"""What a change does to the people who build on a spec: steerability, safeguards, evals, scope.

`assess_impact` is a pure function from a `SpecDiff` and an `AuthorityScheme` to a frozen
`Impact`. It regroups the diff's changes by their consequence for an audience (developers,
users, regulators) and opens with a few plain-language sentences generated from the facts.
The value lives in `model`, each assessor in its own module, the prose in `summary`; this
module re-exports their public names.
"""

from __future__ import annotations

from specver.report.impact.assess import assess_impact, impact
from specver.report.impact.evals import assess_evals
from specver.report.impact.model import (
    AUDIENCES,
    PARTY_NAMES,
    TITLES_IN_SUMMARY,
    ControlShift,
    EvalImpact,
    EvalRerun,
    Impact,
    LevelCount,
    LevelRename,
    PolicyRuleChanges,
    RuleStatement,
    SafeguardChange,
    Scope,
    SourceRef,
    Steerability,
    UncitedEval,
)
from specver.report.impact.rules import assess_rules
from specver.report.impact.safeguards import assess_safeguards
from specver.report.impact.scope import assess_scope
from specver.report.impact.steerability import assess_steerability, control_shift, protected_levels
from specver.report.impact.summary import party_names, summary_sentences
from specver.wording import series

__all__ = [
    "AUDIENCES",
    "PARTY_NAMES",
    "TITLES_IN_SUMMARY",
    "ControlShift",
    "EvalImpact",
    "EvalRerun",
    "Impact",
    "LevelCount",
    "LevelRename",
    "PolicyRuleChanges",
    "RuleStatement",
    "SafeguardChange",
    "Scope",
    "SourceRef",
    "Steerability",
    "UncitedEval",
    "assess_evals",
    "assess_impact",
    "assess_rules",
    "assess_safeguards",
    "assess_scope",
    "assess_steerability",
    "control_shift",
    "impact",
    "party_names",
    "protected_levels",
    "series",
    "summary_sentences",
]
