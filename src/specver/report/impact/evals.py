"""Evals: the eval files to re-run after a change, and eval citations that went missing."""

from __future__ import annotations

from specver.diff.kinds import variant_of
from specver.report.impact.model import EvalImpact, EvalRerun, UncitedEval
from specver.spec.model import Spec, SpecDiff
from specver.spec.sources.file import EVALS_DIR


def _rerun_reasons(diff: SpecDiff) -> dict[str, list[str]]:
    """Policy id -> the change kinds that invalidate its evals, in the diff's order."""
    reasons: dict[str, list[str]] = {}
    for c in diff.changes:
        if c.policy is None or not variant_of(c).reruns_evals:
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
    return EvalImpact(
        tuple(reruns), tuple(uncovered), _uncited(diff), _changed_files(diff), EVALS_DIR
    )


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
