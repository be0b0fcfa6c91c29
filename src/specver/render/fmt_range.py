"""Renderers of the range report (`specver impact FROM..TO`): text, Markdown and the
`specver.impact-range/1` JSON schema. The HTML page is `fmt_html.render_range`."""

from __future__ import annotations

import textwrap
from typing import Any

from specver.render.fmt_impact import impact_json
from specver.render.fmt_json import dumps
from specver.render.options import RenderOptions
from specver.report.range import ImpactRange, PolicyTrack
from specver.spec.model import to_jsonable
from specver.wording import md_code, md_escape

RANGE_SCHEMA = "specver.impact-range/1"


def _wrap(text: str, width: int, indent: str = "  ", hanging: str = "    ") -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=hanging,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _track_line(track: PolicyTrack) -> str:
    steps = "; ".join(f"{s.release}: {s.verdict} ({', '.join(s.changes)})" for s in track.steps)
    note = f" [new in {track.added_in}]" if track.added_in else ""
    note += f" [removed in {track.removed_in}]" if track.removed_in else ""
    return f"{track.policy} “{track.title}”: {track.verdict.replace('_', ' ')}{note}. {steps}"


def render_range_text(result: ImpactRange, options: RenderOptions) -> str:
    """`specver impact FROM..TO --format text`: each release, then each policy's track."""
    width = options.width
    first, last = result.versions[0].label, result.versions[-1].label
    lines = [
        f"Impact across releases: {first.text} → {last.text} ({result.path})",
        f"audience: {result.audience}; {len(result.releases)} releases",
        "",
    ]
    for r in result.releases:
        lines.append(
            f"{r.version.label.text} against {r.previous.label.name}: "
            f"{len(r.impact.diff.changes)} changes, suggested bump {r.impact.bump}"
        )
        for sentence in r.impact.summary:
            lines += _wrap(sentence, width)
        lines.append("")
    lines.append("Policies across releases (cumulative verdict)")
    for track in result.policies:
        lines += _wrap(_track_line(track), width)
    if not result.policies:
        lines.append("  No release changed a policy.")
    return "\n".join(lines) + "\n"


def render_range_markdown(result: ImpactRange, options: RenderOptions) -> str:
    """`specver impact FROM..TO --format markdown`: a section per release and a policy table."""
    first, last = result.versions[0].label, result.versions[-1].label
    names = [r.version.label.name for r in result.releases]
    lines = [f"### Impact across releases: {md_escape(first.text)} → {md_escape(last.text)}", ""]
    for r in result.releases:
        lines += [
            f"#### {md_escape(r.version.label.text)}",
            "",
            f"Against {md_code(r.previous.label.name)} · suggested bump: **{r.impact.bump}**"
            f" · {len(r.impact.diff.changes)} changes",
            "",
            " ".join(md_escape(s) for s in r.impact.summary),
            "",
        ]
    lines += ["#### Policies across releases", ""]
    if not result.policies:
        lines.append("No release changed a policy.")
    else:
        lines.append("| Policy | Cumulative | " + " | ".join(md_escape(n) for n in names) + " |")
        lines.append("|---|---|" + "---|" * len(names))
        for t in result.policies:
            steps = {s.release: s.verdict for s in t.steps}
            cells = " | ".join(steps.get(n, "—") for n in names)
            lines.append(
                f"| {md_escape(t.title)} {md_code(t.policy)} | "
                f"**{t.verdict.replace('_', ' ')}** | {cells} |"
            )
    return "\n".join(lines) + "\n"


def range_json(result: ImpactRange) -> dict[str, Any]:
    """The `specver.impact-range/1` document as plain data."""
    releases = []
    for r in result.releases:
        item: dict[str, Any] = {
            "version": r.version.label.name,
            "date": r.version.label.date,
            "commit": r.version.commit,
            "previous": r.previous.label.name,
        }
        item.update(impact_json(r.impact))
        releases.append(item)
    return {
        "schema": RANGE_SCHEMA,
        "repo": result.repo,
        "path": result.path,
        "audience": result.audience,
        "from": result.versions[0].label.name,
        "to": result.versions[-1].label.name,
        "versions": [
            {
                "name": v.label.name,
                "date": v.label.date,
                "commit": v.commit,
                "policies": v.policies,
                "levels": dict(v.levels),
            }
            for v in result.versions
        ],
        "releases": releases,
        "policies": [
            {
                "policy": t.policy,
                "title": t.title,
                "level": t.level,
                "verdict": t.verdict,
                "added_in": t.added_in,
                "removed_in": t.removed_in,
                "former_ids": list(t.former_ids),
                "releases": to_jsonable(t.steps),
            }
            for t in result.policies
        ],
    }


def render_range_json(result: ImpactRange, options: RenderOptions) -> str:
    """`specver impact FROM..TO --format json`."""
    return dumps(range_json(result))
