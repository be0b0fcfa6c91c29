"""`assess_impact`: a diff and an authority scheme in, a frozen `Impact` for an audience out."""

from __future__ import annotations

from specver.config import AuthorityScheme, Config
from specver.errors import UsageError
from specver.report.impact.evals import assess_evals
from specver.report.impact.model import AUDIENCES, Impact, SourceRef
from specver.report.impact.rules import assess_rules
from specver.report.impact.safeguards import assess_safeguards
from specver.report.impact.scope import assess_scope
from specver.report.impact.steerability import assess_steerability
from specver.report.impact.summary import summary_sentences
from specver.spec.model import SpecDiff


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
        rules=assess_rules(diff),
        diff=diff,
    )


def impact(diff: SpecDiff, config: Config | None = None, audience: str = "all") -> Impact:
    """What a diff means for an audience, with the authority scheme of `config`."""
    return assess_impact(diff, (config or Config()).scheme, audience)
