"""Renderers of `specver impact`: plain text, Markdown and the `specver.impact/1` JSON schema.

The HTML report lives in `fmt_html`; the phrases shared by every format are defined here.
"""

from __future__ import annotations

import textwrap
from typing import Any

from specver.render.fmt_json import dumps
from specver.render.options import RenderOptions
from specver.report.impact import (
    ControlShift,
    EvalImpact,
    Impact,
    LevelRename,
    PolicyRuleChanges,
    SafeguardChange,
    Scope,
    party_names,
)
from specver.spec.model import to_jsonable
from specver.wording import md_code, md_escape

IMPACT_SCHEMA = "specver.impact/1"

SECTION_TITLES = {
    "steerability": "Steerability",
    "safeguards": "Safeguards",
    "evals": "Evaluations to re-run",
    "scope": "Scope",
}
"""Heading of each section in every format."""

RULES_TITLE = "Rules"
"""Heading of the per-policy verdicts, which every audience sees after its sections."""

CAUSES = {
    "policy_added": "new policy",
    "policy_removed": "policy removed",
    "authority_raised": "authority raised",
    "authority_lowered": "authority lowered",
    "authority_changed": "authority changed",
}
"""What moved control, in a few words."""


# --- phrases shared by the formats -------------------------------------------------------


def shift_phrase(shift: ControlShift) -> str:
    """Who gains or loses control over one policy, in plain words."""
    if shift.cause == "policy_added":
        text = f"a new rule that {party_names(shift.lost)} cannot override"
        after = party_names(shift.overridable_after)
        return text + (f"; only {after} can" if after else "; nobody can")
    if shift.cause == "policy_removed":
        return f"the rule is gone, so it no longer binds {party_names(shift.gained)}"
    parts: list[str] = []
    if shift.lost:
        parts.append(f"{party_names(shift.lost)} can no longer override it")
    if shift.implicit_before and not shift.implicit_after:
        parts.append("it can no longer be overridden implicitly, only by explicit instruction")
    if shift.gained:
        parts.append(f"{party_names(shift.gained)} can now override it")
    if shift.implicit_after and not shift.implicit_before:
        parts.append("it can now be overridden implicitly")
    if not shift.overridable_after:
        parts.append("nobody can override it now")
    return "; ".join(parts) or "nobody gains or loses control"


def levels_phrase(shift: ControlShift) -> str:
    """`platform → system`, with `absent` for a side where the policy did not exist."""
    return f"{shift.old_level or 'absent'} → {shift.new_level or 'absent'}"


def rename_phrase(rename: LevelRename) -> str:
    """A level rename and what it means for control."""
    effect = (
        "the scheme ranks the two names differently, so control moves"
        if rename.control_changed
        else "nobody gains or loses control"
    )
    return (
        f"level {rename.old} renamed to {rename.new} for {len(rename.policies)} policies; {effect}"
    )


def reason_phrase(kinds: tuple[str, ...]) -> str:
    """Change kinds as words: `text changed, example added`."""
    return ", ".join(k.replace("_", " ") for k in kinds)


def percent(share: float) -> str:
    """A share as a percentage with one decimal."""
    return f"{share * 100:.1f}%"


def scope_lines(scope: Scope) -> list[str]:
    """The two sentences under the level table."""
    return [
        f"sections changed: {scope.policies_changed} of {scope.policies_total} "
        f"({percent(scope.share_policies_changed)})",
        f"prose changed: {scope.prose_chars_changed} of {scope.prose_chars_total} characters "
        f"({percent(scope.share_prose_changed)}, deleted plus inserted over both versions)",
    ]


# --- text --------------------------------------------------------------------------------


def _wrap(text: str, width: int, indent: str = "  ", hanging: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=hanging if hanging is not None else indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _text_steerability(impact: Impact, width: int) -> list[str]:
    steer = impact.steerability
    out: list[str] = []
    for label, shifts in steer.groups():
        out.append(f"  {label}:")
        for s in shifts:
            line = f"- {s.policy} “{s.title}” ({levels_phrase(s)}, {CAUSES[s.cause]}): "
            out += _wrap(line + shift_phrase(s), width, "    ", "      ")
    for rename in steer.renames:
        out += _wrap("- " + rename_phrase(rename), width, "  ", "    ")
    return out or ["  No policy changed who may override it."]


def _text_safeguards(items: tuple[SafeguardChange, ...], width: int) -> list[str]:
    out: list[str] = []
    for i in items:
        head = f"[{i.direction}] {i.policy} ({i.level or 'no level'}) “{i.title}”: {i.description}"
        out += _wrap(head, width, "  ", "    ")
        if i.sentence:
            out += _wrap(f"“{' '.join(i.sentence.split())}”", width, "      ")
    return out or ["  No safeguard changed."]


def _text_evals(evals: EvalImpact, width: int) -> list[str]:
    out: list[str] = []
    for r in evals.reruns:
        files = ", ".join(evals.path(e) for e in r.evals) or "none now"
        line = f"- {r.policy}: {files} ({reason_phrase(r.reasons)})"
        if r.missing:
            line += f"; missing from {evals.folder}/: {', '.join(r.missing)}"
        if r.dropped:
            line += f"; no longer cites {', '.join(evals.path(e) for e in r.dropped)}"
        out += _wrap(line, width, "  ", "    ")
    if not evals.reruns:
        out.append("  No changed policy cites an eval file.")
    if evals.uncovered:
        out += _wrap("Changed policies citing no eval: " + ", ".join(evals.uncovered), width)
    for u in evals.uncited:
        was = f"was cited by {', '.join(u.previously_cited_by)}" if u.previously_cited_by else ""
        state = {True: "still present", False: "file removed", None: ""}[u.present]
        notes = "; ".join(x for x in (was, state) if x)
        out += _wrap(f"No longer cited: {evals.path(u.name)} ({notes})", width, "  ", "    ")
    if evals.changed_files:
        files = ", ".join(evals.path(e) for e in evals.changed_files)
        out += _wrap("Eval files whose content changed: " + files, width, "  ", "    ")
    return out


def _text_scope(scope: Scope, width: int) -> list[str]:
    out = [f"  {'level':<12}{'before':>8}{'after':>8}"]
    out += [f"  {c.level:<12}{c.before:>8}{c.after:>8}" for c in scope.levels]
    out.append(f"  {'groupings':<12}{scope.groupings_before:>8}{scope.groupings_after:>8}")
    for line in scope_lines(scope):
        out += _wrap(line, width)
    return out


def _text_rules(rules: tuple[PolicyRuleChanges, ...], width: int) -> list[str]:
    out: list[str] = []
    for r in rules:
        out += _wrap(f"{r.policy} “{r.title}”: {r.verdict}", width, "  ", "    ")
        for st in r.statements:
            out += _wrap(f"[{st.effect}] {st.reason} ({st.rule})", width, "    ", "      ")
    return out or ["  No policy text changed."]


def render_impact_text(impact: Impact, options: RenderOptions) -> str:
    """`specver impact --format text`: the summary, then each section for the audience."""
    width = options.width
    lines = [
        f"Impact of {impact.old.source} → {impact.new.source}",
        f"audience: {impact.audience}; suggested bump: {impact.bump}",
        "",
        "Summary",
    ]
    for sentence in impact.summary:
        lines += _wrap(sentence, width)
    for section in impact.sections:
        lines += ["", SECTION_TITLES[section]]
        if section == "steerability":
            lines += _text_steerability(impact, width)
        elif section == "safeguards":
            lines += _text_safeguards(impact.safeguards, width)
        elif section == "evals":
            lines += _text_evals(impact.evals, width)
        else:
            lines += _text_scope(impact.scope, width)
    lines += ["", RULES_TITLE, *_text_rules(impact.rules, width)]
    return "\n".join(lines) + "\n"


# --- Markdown ----------------------------------------------------------------------------


def _md_steerability(impact: Impact) -> list[str]:
    steer = impact.steerability
    out: list[str] = []
    for label, shifts in steer.groups():
        out += [f"**{label}**", "", "| Policy | Level | Cause | Control |", "|---|---|---|---|"]
        out += [
            f"| {md_code(s.policy)} {md_escape(s.title)} | {md_escape(levels_phrase(s))} | "
            f"{CAUSES[s.cause]} | {md_escape(shift_phrase(s))} |"
            for s in shifts
        ]
        out.append("")
    out += [f"- {md_escape(rename_phrase(r))}" for r in steer.renames]
    return out or ["No policy changed who may override it."]


def _md_safeguards(items: tuple[SafeguardChange, ...]) -> list[str]:
    if not items:
        return ["No safeguard changed."]
    out = ["| Direction | Policy | Level | Change |", "|---|---|---|---|"]
    for i in items:
        what = md_escape(i.description)
        if i.sentence:
            what += f"<br>“{md_escape(i.sentence)}”"
        out.append(
            f"| {i.direction} | {md_code(i.policy)} {md_escape(i.title)} | "
            f"{md_code(i.level or '—')} | {what} |"
        )
    return out


def _md_evals(evals: EvalImpact) -> list[str]:
    out: list[str] = []
    if evals.reruns:
        out += ["| Policy | Eval files | Why |", "|---|---|---|"]
        for r in evals.reruns:
            files = ", ".join(md_code(evals.path(e)) for e in r.evals) or "none now"
            why = reason_phrase(r.reasons)
            if r.missing:
                why += "; missing: " + ", ".join(md_code(m) for m in r.missing)
            if r.dropped:
                why += "; no longer cites " + ", ".join(md_code(evals.path(e)) for e in r.dropped)
            out.append(f"| {md_code(r.policy)} | {files} | {why} |")
    else:
        out.append("No changed policy cites an eval file.")
    if evals.uncovered:
        out += ["", "Changed policies citing no eval: " + ", ".join(map(md_code, evals.uncovered))]
    if evals.uncited:
        out += ["", "Eval files no longer cited by any policy:", ""]
        for u in evals.uncited:
            was = ", ".join(md_code(p) for p in u.previously_cited_by) or "nothing"
            out.append(f"- {md_code(evals.path(u.name))} (was cited by {was})")
    if evals.changed_files:
        files = ", ".join(md_code(evals.path(e)) for e in evals.changed_files)
        out += ["", f"Eval files whose content changed: {files}"]
    return out


def _md_scope(scope: Scope) -> list[str]:
    out = ["| Level | Before | After |", "|---|---:|---:|"]
    out += [f"| {md_code(c.level)} | {c.before} | {c.after} |" for c in scope.levels]
    out.append(f"| groupings | {scope.groupings_before} | {scope.groupings_after} |")
    out += [""] + [f"- {line}" for line in scope_lines(scope)]
    return out


def _md_rules(rules: tuple[PolicyRuleChanges, ...]) -> list[str]:
    if not rules:
        return ["No policy text changed."]
    out: list[str] = []
    for r in rules:
        out.append(f"- {md_code(r.policy)} {md_escape(r.title)}: **{r.verdict}**")
        out += [
            f"  - {st.effect}: {md_escape(st.reason)} ({md_code(st.rule)})" for st in r.statements
        ]
    return out


def render_impact_markdown(impact: Impact, options: RenderOptions) -> str:
    """`specver impact --format markdown`: for a pull request or a review document."""
    lines = [
        f"### Impact: {md_code(impact.old.source)} → {md_code(impact.new.source)}",
        "",
        f"Audience: **{impact.audience}** · suggested bump: **{impact.bump}**",
        "",
        " ".join(md_escape(s) for s in impact.summary),
    ]
    builders = {
        "steerability": lambda: _md_steerability(impact),
        "safeguards": lambda: _md_safeguards(impact.safeguards),
        "evals": lambda: _md_evals(impact.evals),
        "scope": lambda: _md_scope(impact.scope),
    }
    for section in impact.sections:
        lines += ["", f"#### {SECTION_TITLES[section]}", ""]
        lines += builders[section]()
    lines += ["", f"#### {RULES_TITLE}", "", *_md_rules(impact.rules)]
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


# --- JSON --------------------------------------------------------------------------------


def _shift_json(shift: ControlShift) -> dict[str, Any]:
    data: dict[str, Any] = to_jsonable(shift)
    data["direction"] = shift.direction
    return data


def _evals_json(evals: EvalImpact) -> dict[str, Any]:
    reruns = []
    for r in evals.reruns:
        item = to_jsonable(r)
        item["files"] = [evals.path(e) for e in r.evals]
        reruns.append(item)
    return {
        "files": [evals.path(e) for e in evals.files],
        "reruns": reruns,
        "uncovered": list(evals.uncovered),
        "uncited": to_jsonable(evals.uncited),
        "changed_files": [evals.path(e) for e in evals.changed_files],
    }


def _scope_json(scope: Scope) -> dict[str, Any]:
    return {
        "levels": to_jsonable(scope.levels),
        "groupings": {"before": scope.groupings_before, "after": scope.groupings_after},
        "sections_changed": scope.policies_changed,
        "sections_total": scope.policies_total,
        "share_sections_changed": round(scope.share_policies_changed, 4),
        "prose_chars_changed": scope.prose_chars_changed,
        "prose_chars_total": scope.prose_chars_total,
        "share_prose_changed": round(scope.share_prose_changed, 4),
        "changes_by_kind": dict(scope.changes_by_kind),
    }


def impact_json(impact: Impact) -> dict[str, Any]:
    """The `specver.impact/1` document as plain data (only the audience's sections)."""
    steer = impact.steerability
    sections: dict[str, Any] = {
        "steerability": lambda: {
            "no_longer_overridable": [_shift_json(s) for s in steer.restricted],
            "now_overridable": [_shift_json(s) for s in steer.relaxed],
            "control_unchanged": [_shift_json(s) for s in steer.unchanged],
            "new_rules": [_shift_json(s) for s in steer.added],
            "rules_removed": [_shift_json(s) for s in steer.removed],
            "level_renames": to_jsonable(steer.renames),
        },
        "safeguards": lambda: to_jsonable(impact.safeguards),
        "evals": lambda: _evals_json(impact.evals),
        "scope": lambda: _scope_json(impact.scope),
    }
    data: dict[str, Any] = {
        "schema": IMPACT_SCHEMA,
        "old": to_jsonable(impact.old),
        "new": to_jsonable(impact.new),
        "audience": impact.audience,
        "sections": list(impact.sections),
        "bump": impact.bump,
        "summary": list(impact.summary),
    }
    for section in impact.sections:
        data[section] = sections[section]()
    data["rules"] = rules_json(impact.rules)
    return data


def rules_json(rules: tuple[PolicyRuleChanges, ...]) -> list[dict[str, Any]]:
    """The `rules` section: per paired policy whose text changed, its verdict and statements."""
    return [to_jsonable(r) for r in rules]


def render_impact_json(impact: Impact, options: RenderOptions) -> str:
    """`specver impact --format json`."""
    return dumps(impact_json(impact))
