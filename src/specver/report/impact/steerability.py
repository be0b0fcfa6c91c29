"""Steerability: which parties gain or lose control over each changed policy."""

from __future__ import annotations

from specver.config import AuthorityScheme
from specver.diff.details import AuthorityChanged, AuthorityLevelRenamed, PolicyAdded, PolicyRemoved
from specver.diff.kinds import kind_of
from specver.report.impact.model import (
    ControlShift,
    LevelRename,
    Steerability,
    recorded_level,
    title_of,
)
from specver.spec.model import SpecDiff


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
    """The control shifts of changes whose role is control, arrival or departure."""
    protected = protected_levels(scheme)
    out: list[ControlShift] = []
    for c in diff.changes:
        d, role = c.details, kind_of(c).role
        if c.policy is None:
            continue
        if role == "control" and isinstance(d, AuthorityChanged):
            cause = f"authority_{d.direction}"
            if cause not in ("authority_raised", "authority_lowered"):
                cause = "authority_changed"
            ids = (c.policy, diff.old_id(c.policy), title_of(diff, c))
            out.append(control_shift(scheme, ids, d.old, d.new, cause))
        elif scheme.canonical(recorded_level(c)) not in protected:
            continue
        elif role == "arrival" and isinstance(d, PolicyAdded):
            ids = (c.policy, None, title_of(diff, c))
            out.append(control_shift(scheme, ids, None, d.authority, c.kind))
        elif role == "departure" and isinstance(d, PolicyRemoved):
            ids = (c.policy, c.policy, title_of(diff, c))
            out.append(control_shift(scheme, ids, d.authority, None, c.kind))
    return out


def assess_steerability(diff: SpecDiff, scheme: AuthorityScheme) -> Steerability:
    """Who can no longer override what, who now can, and level renames (which move nobody)."""
    shifts = _shifts(diff, scheme)
    renames = tuple(
        LevelRename(
            old=d.old,
            new=d.new,
            policies=d.policies,
            control_changed=_control(scheme, d.old) != _control(scheme, d.new),
        )
        for c in diff.changes
        if kind_of(c).role == "rename" and isinstance(d := c.details, AuthorityLevelRenamed)
    )
    return Steerability(
        restricted=tuple(s for s in shifts if s.direction == "restricted"),
        relaxed=tuple(s for s in shifts if s.direction == "relaxed"),
        unchanged=tuple(s for s in shifts if s.direction == "unchanged"),
        renames=renames,
        added=tuple(s for s in shifts if s.direction == "added"),
        removed=tuple(s for s in shifts if s.direction == "removed"),
    )
