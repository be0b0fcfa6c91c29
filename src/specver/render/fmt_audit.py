"""`specver audit` output: text, Markdown, `specver.audit/1` JSON and a self-contained HTML
page; and the audit section the HTML impact report shows with `impact --notes FILE`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from specver.audit.notes import Bullet
from specver.audit.report import (
    SCHEMA,
    Audit,
    AuditedChange,
    Disagreement,
    Undisclosed,
    UnsupportedClaim,
)
from specver.diff.kinds import describe
from specver.display import display
from specver.render.fmt_json import dumps, source_json
from specver.render.options import RenderOptions
from specver.report.impact import Impact
from specver.report.page import ReportPage
from specver.wording import md_code, md_escape

SERIOUSNESS_WORDS = {
    "authority": "authority changed",
    "loosened": "rule loosened",
    "removed": "policy removed",
    "tightened": "rule tightened",
    "substantive": "substantive change",
}
"""How reports name the seriousness of an undisclosed change."""

NO_POLICY = "no single policy"
"""How a change that names no policy (a level rename, the front matter) is cited."""


@dataclass(frozen=True, slots=True)
class AuditedImpact:
    """An impact report with the audit of the release's notes (`impact --notes FILE`)."""

    impact: Impact
    audit: Audit
    page: ReportPage | None = None
    """The HTML report page, with an `audit` section, for `--format html`."""


# --- shared words ------------------------------------------------------------------------


def lines_phrase(item: AuditedChange) -> str:
    """Where a change is: `old 12-30, new 14-40` (either side may be missing)."""
    c = item.change
    parts = []
    for side, lines in (("old", c.old_lines), ("new", c.new_lines)):
        if lines:
            first, last = lines
            parts.append(f"{side} {first}" if first == last else f"{side} {first}-{last}")
    return ", ".join(parts) or "no lines"


def short_description(item: AuditedChange) -> str:
    """What a change is, in a few words (a text change's rule list is left to the verdict)."""
    phrase = describe(item.change)
    return phrase.split("; ")[0] if item.change.kind == "text_changed" else phrase


def change_phrase(item: AuditedChange) -> str:
    """One line citing a change: what it is, its policy, lines and verdict."""
    policy = f"`{item.policy}` ({item.title})" if item.policy else NO_POLICY
    verdict = f", {item.verdict}" if item.verdict and item.verdict != "unchanged" else ""
    return (
        f"{short_description(item)}: {policy}, {lines_phrase(item)}{verdict}"
        f" [{item.change.fingerprint}]"
    )


def bullet_phrase(bullet: Bullet) -> str:
    """A bullet cited by its line and text."""
    return f'line {bullet.line}: "{bullet.text}"'


def coverage_phrase(audit: Audit) -> str:
    """`12 of 40 substantive changes disclosed (30%)`."""
    c = audit.coverage
    share = f" ({c.share:.0%})" if c.share is not None else ""
    return f"{c.disclosed} of {c.substantive} substantive changes disclosed{share}"


def verdict_line(audit: Audit) -> str:
    """The closing sentence: whether the notes cover the release."""
    if audit.clean:
        return "The notes cover the release."
    counts = [
        f"{len(audit.undisclosed)} undisclosed",
        f"{len(audit.unsupported_claims)} without a change",
        f"{len(audit.disagreements)} disagreeing",
    ]
    return "The notes do not cover the release: " + ", ".join(counts) + "."


# --- text and Markdown -------------------------------------------------------------------


def _statement_lines(d: Disagreement, indent: str) -> list[str]:
    return [f"{indent}{s.effect}: {s.reason}" for s in d.statements[:3]]


def render_audit_text(audit: Audit, options: RenderOptions) -> str:
    """`specver audit` for a terminal."""
    n = audit.notes
    where = f"{n.source} ({n.heading})" if n.heading else n.source
    out = [
        f"Audit of {where} against {audit.diff.old.source} -> {audit.diff.new.source}",
        f"{len(n.bullets)} bullets; {coverage_phrase(audit)}",
        "",
        f"Undisclosed changes ({len(audit.undisclosed)}):",
    ]
    out += [f"  [{SERIOUSNESS_WORDS[u.seriousness]}] {change_phrase(u.change)}"
            for u in audit.undisclosed] or ["  none"]  # fmt: skip
    out += ["", f"Claims without a change ({len(audit.unsupported_claims)}):"]
    out += [f"  {bullet_phrase(c.bullet)}{_named_text(c)}" for c in audit.unsupported_claims] or [
        "  none"
    ]
    out += ["", f"Disagreements ({len(audit.disagreements)}):"]
    for d in audit.disagreements:
        out.append(f"  {bullet_phrase(d.bullet)}")
        out.append(f"    {d.reason}: {change_phrase(d.change)}")
        out += _statement_lines(d, "      ")
    if not audit.disagreements:
        out.append("  none")
    out += ["", "Covered:"]
    for cb in audit.covered:
        out.append(f"  {bullet_phrase(cb.bullet)}")
        out += [f"    {change_phrase(c)} ({why})" for c, why in zip(cb.changes, cb.evidence,
                                                                     strict=True)]  # fmt: skip
    if not audit.covered:
        out.append("  none")
    out += ["", verdict_line(audit)]
    return display("\n".join(out)) + "\n"


def _named_text(claim: UnsupportedClaim) -> str:
    if not claim.named:
        return " (names nothing that changed)"
    return " (names " + ", ".join(f"`{p}`" for p in claim.named) + ", which did not change)"


def _md(text: str) -> str:
    """Text made inert in Markdown (no links, emphasis, tags or entities survive)."""
    return md_escape(text)


def _md_change(item: AuditedChange) -> str:
    policy = f"{md_code(item.policy)} ({_md(item.title)})" if item.policy else NO_POLICY
    verdict = f", **{item.verdict}**" if item.verdict and item.verdict != "unchanged" else ""
    return (
        f"{_md(short_description(item))}: {policy}, {lines_phrase(item)}{verdict}"
        f" {md_code(item.change.fingerprint)}"
    )


def render_audit_markdown(audit: Audit, options: RenderOptions) -> str:
    """`specver audit --format markdown`: for a pull request comment or a review."""
    n = audit.notes
    out = [
        "## Release notes audit",
        "",
        f"Notes: {md_code(n.source)}" + (f" ({_md(n.heading)})" if n.heading else "")
        + f"; {coverage_phrase(audit)}. {verdict_line(audit)}",
        "",
        f"### Undisclosed changes ({len(audit.undisclosed)})",
        "",
    ]  # fmt: skip
    out += [f"- {SERIOUSNESS_WORDS[u.seriousness]}: {_md_change(u.change)}"
            for u in audit.undisclosed] or ["None."]  # fmt: skip
    out += ["", f"### Claims without a change ({len(audit.unsupported_claims)})", ""]
    out += [
        f"- line {c.bullet.line}: {_md(c.bullet.text)} {_md(_named_text(c))}"
        for c in audit.unsupported_claims
    ] or ["None."]
    out += ["", f"### Disagreements ({len(audit.disagreements)})", ""]
    for d in audit.disagreements:
        out.append(f"- line {d.bullet.line}: {_md(d.bullet.text)}")
        out.append(f"  - {_md(d.reason)}: {_md_change(d.change)}")
        out += [f"  - {s.effect}: {_md(s.reason)}" for s in d.statements[:3]]
    if not audit.disagreements:
        out.append("None.")
    out += ["", "### Covered", ""]
    for cb in audit.covered:
        out.append(f"- line {cb.bullet.line}: {_md(cb.bullet.text)}")
        out += [f"  - {_md_change(c)} ({_md(why)})" for c, why in zip(cb.changes, cb.evidence,
                                                                      strict=True)]  # fmt: skip
    if not audit.covered:
        out.append("None.")
    return "\n".join(out) + "\n"


# --- JSON: specver.audit/1 ---------------------------------------------------------------


def _bullet_json(b: Bullet) -> dict[str, Any]:
    return {
        "index": b.index,
        "text": b.text,
        "markdown": b.markdown,
        "line": b.line,
        "depth": b.depth,
        "parent": b.parent,
        "group": b.group,
        "terms": [{"text": t.text, "how": t.how} for t in b.terms],
        "verbs": [{"word": v.word, "action": v.action, "direction": v.direction} for v in b.verbs],
        "catch_all": b.catch_all,
    }


def _change_json(item: AuditedChange) -> dict[str, Any]:
    c = item.change
    return {
        "policy": item.policy,
        "title": item.title if item.policy else None,
        "kind": c.kind,
        "level": c.level,
        "fingerprint": c.fingerprint,
        "old_lines": list(c.old_lines) if c.old_lines else None,
        "new_lines": list(c.new_lines) if c.new_lines else None,
        "verdict": item.verdict,
        "description": describe(c),
    }


def _statement_json(d: Disagreement) -> list[dict[str, Any]]:
    return [
        {"effect": s.effect, "rule": s.rule, "before": s.before, "after": s.after,
         "reason": s.reason}
        for s in d.statements
    ]  # fmt: skip


def _undisclosed_json(u: Undisclosed) -> dict[str, Any]:
    return {**_change_json(u.change), "seriousness": u.seriousness}


def _claim_json(c: UnsupportedClaim) -> dict[str, Any]:
    return {
        "bullet": c.bullet.text,
        "index": c.bullet.index,
        "line": c.bullet.line,
        "policy": c.policy,
        "named": list(c.named),
    }


def _disagreement_json(d: Disagreement) -> dict[str, Any]:
    return {
        "bullet": d.bullet.text,
        "index": d.bullet.index,
        "line": d.bullet.line,
        "stated": d.stated,
        **_change_json(d.change),
        "statements": _statement_json(d),
        "reason": d.reason,
    }


def audit_json(audit: Audit) -> dict[str, Any]:
    """The `specver.audit/1` document as plain data (see docs/audit.md)."""
    n = audit.notes
    c = audit.coverage
    return {
        "schema": SCHEMA,
        "old": source_json(audit.diff.old),
        "new": source_json(audit.diff.new),
        "notes": {
            "source": n.source,
            "kind": n.kind,
            "version": n.version,
            "heading": n.heading,
            "bullets": [_bullet_json(b) for b in n.bullets],
        },
        "covered": [
            {
                "bullet": cb.bullet.text,
                "index": cb.bullet.index,
                "changes": [item.change.fingerprint for item in cb.changes],
                "matches": [
                    {"fingerprint": item.change.fingerprint, "policy": item.policy, "how": why}
                    for item, why in zip(cb.changes, cb.evidence, strict=True)
                ],
            }
            for cb in audit.covered
        ],
        "undisclosed": [_undisclosed_json(u) for u in audit.undisclosed],
        "unsupported_claims": [_claim_json(x) for x in audit.unsupported_claims],
        "disagreements": [_disagreement_json(d) for d in audit.disagreements],
        "coverage": {"disclosed": c.disclosed, "substantive": c.substantive, "share": c.share},
    }


def render_audit_json(audit: Audit, options: RenderOptions) -> str:
    """`specver audit --format json`: `specver.audit/1`."""
    return dumps(audit_json(audit))


# --- HTML --------------------------------------------------------------------------------


def audit_section(audit: Audit) -> str:
    """The audit as an HTML fragment (a `<section>`), every piece of text escaped."""
    from specver.render.fmt_html import environment

    return environment().get_template("audit_section.html.j2").render(
        audit=audit,
        seriousness=SERIOUSNESS_WORDS,
        coverage=coverage_phrase(audit),
        verdict=verdict_line(audit),
        lines_phrase=lines_phrase,
    )  # fmt: skip


def render_audit_html(audit: Audit, options: RenderOptions) -> str:
    """`specver audit --format html`: one self-contained page, no script, no requests."""
    from specver.render.fmt_html import environment

    return environment().get_template("audit.html.j2").render(
        audit=audit, section=audit_section(audit)
    )  # fmt: skip


# --- the impact report with the audit (`impact --notes FILE`) ------------------------------


def _impact(value: AuditedImpact, fmt: str, options: RenderOptions) -> str:
    """The impact report alone, in one of its formats."""
    from specver.render.fmt_html import render_impact
    from specver.render.fmt_impact import (
        render_impact_json,
        render_impact_markdown,
        render_impact_text,
    )

    renderers = {
        "text": render_impact_text,
        "markdown": render_impact_markdown,
        "json": render_impact_json,
    }
    if fmt == "html" and value.page is not None:
        return render_impact(value.page, options)
    return renderers[fmt](value.impact, options)


def render_audited_impact_html(value: AuditedImpact, options: RenderOptions) -> str:
    """The HTML impact report with the audit as a section of its own (before the glossary):
    the page's `audit` part (`templates/report/audit.html.j2`) draws it."""
    from specver.render.fmt_html import TEMPLATE, environment

    if value.page is None:
        raise ValueError("the HTML impact report with an audit needs its report page")
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            page=value.page,
            audit=value.audit,
            seriousness=SERIOUSNESS_WORDS,
            coverage=coverage_phrase(value.audit),
            verdict=verdict_line(value.audit),
            lines_phrase=lines_phrase,
        )
    )


def render_audited_impact_text(value: AuditedImpact, options: RenderOptions) -> str:
    """The impact report for a terminal, then the audit."""
    return _impact(value, "text", options) + "\n" + render_audit_text(value.audit, options)


def render_audited_impact_markdown(value: AuditedImpact, options: RenderOptions) -> str:
    """The impact report in Markdown, then the audit."""
    return _impact(value, "markdown", options) + "\n" + render_audit_markdown(value.audit, options)


def render_audited_impact_json(value: AuditedImpact, options: RenderOptions) -> str:
    """`specver.impact/1` with an `audit` key holding the `specver.audit/1` document."""
    import json

    data = json.loads(_impact(value, "json", options))
    data["audit"] = audit_json(value.audit)
    return dumps(data)
