"""Scope: how much of the spec a change touches, by policies, levels and prose."""

from __future__ import annotations

from collections import Counter

from specver.config import AuthorityScheme
from specver.diff.textdiff import redline
from specver.report.impact.model import LevelCount, Scope
from specver.spec.model import Spec, SpecDiff


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
