"""The plain-language summary that opens an impact report, generated from its facts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from specver.report.impact.model import (
    PARTY_NAMES,
    TITLES_IN_SUMMARY,
    ControlShift,
    EvalImpact,
    SafeguardChange,
    Scope,
    Steerability,
)
from specver.spec.model import SpecDiff
from specver.wording import plural, series


def _verb(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def party_names(names: Iterable[str]) -> str:
    """Parties in plain words: `system messages, developers and users`."""
    return series([PARTY_NAMES.get(p, f"{p} instructions") for p in names])


def _some_titles(titles: list[str]) -> str:
    quoted = [f"“{t}”" for t in titles[:TITLES_IN_SUMMARY]]
    rest = len(titles) - len(quoted)
    if rest:
        quoted.append(plural(rest, "other"))
    return series(quoted)


def _percent(share: float) -> str:
    """`about 19%`, or `under 1%` for a share too small to round (never `about under 1%`)."""
    if 0 < share < 0.01:
        return "under 1%"
    return f"about {round(share * 100)}%"


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
        f"one, {old}; {len(diff.new)} in the new), "
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
                f"{plural(len(titles), 'policy', 'policies')} can no longer be overridden by "
                f"{party_names(lost)} ({_some_titles(titles)})"
            )
        else:
            clauses.append(
                f"{plural(len(titles), 'policy', 'policies')} can no longer be overridden "
                f"implicitly, only by explicit instruction ({_some_titles(titles)})"
            )
    for lost, titles in _grouped(steer.added, "lost").items():
        who = f"that {party_names(lost)} cannot override" if lost else "that anyone may override"
        clauses.append(f"{plural(len(titles), 'new rule')} {who} ({_some_titles(titles)})")
    if steer.removed:
        titles = [s.title for s in steer.removed]
        clauses.append(f"{plural(len(titles), 'protected rule')} removed ({_some_titles(titles)})")
    for gained, titles in _grouped(steer.relaxed, "gained").items():
        what = f"by {party_names(gained)}" if gained else "implicitly"
        clauses.append(
            f"{plural(len(titles), 'policy', 'policies')} can now be overridden {what} "
            f"({_some_titles(titles)})"
        )
    if not clauses:
        return "No policy changed who may override it."
    text = "; ".join(clauses)
    return text[0].upper() + text[1:] + "."


def _safeguard_sentence(items: tuple[SafeguardChange, ...]) -> str:
    if not items:
        return (
            "No safeguard changed: no statement of any policy changed effect, and root- and "
            "system-level policies and example verdicts stay as they were."
        )
    counts = Counter(i.direction for i in items)
    text = (
        f"Of {plural(len(items), 'safeguard change')}, "
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
            f"{plural(len(files), 'eval prompt file')} cited by "
            f"{plural(len(evals.reruns), 'changed policy', 'changed policies')} should be re-run"
        )
    else:
        text = "No changed policy cites an eval prompt file"
    if evals.uncovered:
        text += f", and {plural(len(evals.uncovered), 'changed policy', 'changed policies')}"
        text += " cites no eval at all" if len(evals.uncovered) == 1 else " cite no eval at all"
    if evals.uncited:
        text += f"; {plural(len(evals.uncited), 'eval file')} no longer "
        text += "has a citing policy" if len(evals.uncited) == 1 else "have a citing policy"
    return text + "."


def _rename_sentence(steer: Steerability) -> str | None:
    if not steer.renames:
        return None
    parts = [f"“{r.old}” is now called “{r.new}”" for r in steer.renames]
    moved = any(r.control_changed for r in steer.renames)
    tail = "which changes who may override them" if moved else "which changes nobody's control"
    count = sum(len(r.policies) for r in steer.renames)
    return f"The authority level {series(parts)} for {plural(count, 'policy', 'policies')}, {tail}."


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
