"""Steerability: which parties gain or lose control over each changed policy."""

from __future__ import annotations

from specver.config import AuthorityScheme
from specver.report.impact.model import ControlShift, LevelRename, Steerability, title_of
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
    protected = protected_levels(scheme)
    out: list[ControlShift] = []
    for c in diff.changes:
        level = scheme.canonical(c.get("authority"))
        if c.kind == "authority_changed" and c.policy is not None:
            cause = f"authority_{c.get('direction')}"
            if cause not in ("authority_raised", "authority_lowered"):
                cause = "authority_changed"
            ids = (c.policy, diff.old_id(c.policy), title_of(diff, c))
            out.append(control_shift(scheme, ids, c.get("old"), c.get("new"), cause))
        elif c.kind == "policy_added" and c.policy is not None and level in protected:
            ids = (c.policy, None, title_of(diff, c))
            out.append(control_shift(scheme, ids, None, c.get("authority"), "policy_added"))
        elif c.kind == "policy_removed" and c.policy is not None and level in protected:
            ids = (c.policy, c.policy, title_of(diff, c))
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
