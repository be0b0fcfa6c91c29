"""The HTML report: one self-contained page, rendered by Jinja2 with autoescaping on.

The page has inline CSS, an inline SVG chart drawn by the template, CSS-only filtering of
the change table (radio inputs and `:checked`), no script and no external requests. Every
piece of spec text reaches the page through Jinja2's escaping, never by concatenation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from specver import __version__
from specver.diff.details import ExampleVerdictChanged
from specver.diff.kinds import describe
from specver.diff.textdiff import Segment
from specver.render.common import (
    PolicyChanges,
    group_by_policy,
    level_renames,
    metadata_changes,
    trimmed_redline,
)
from specver.render.fmt_impact import (
    CAUSES,
    SECTION_TITLES,
    levels_phrase,
    percent,
    reason_phrase,
    rename_phrase,
    scope_lines,
    shift_phrase,
)
from specver.render.options import RenderOptions
from specver.report.impact import Impact
from specver.spec.model import Change, Example, SpecDiff

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE = "report.html.j2"


@dataclass(frozen=True, slots=True)
class VerdictExample:
    """A worked example whose verdicts were reversed, with its conversation as it is now."""

    title: str
    turns: tuple[tuple[str, str, str], ...]
    """(answer excerpt, old verdict, new verdict) per reversed answer."""
    example: Example | None
    """The example in the new version, when it can be found by title."""


@dataclass(frozen=True, slots=True)
class PolicyReport:
    """What the report shows for one changed policy."""

    group: PolicyChanges
    redline: tuple[Segment, ...]
    """The trimmed word diff of its prose; empty when the prose did not change."""
    verdicts: tuple[VerdictExample, ...]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment: package templates, autoescaping always on, strict undefined."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("specver.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        describe=describe,
        shift_phrase=shift_phrase,
        levels_phrase=levels_phrase,
        rename_phrase=rename_phrase,
        reason_phrase=reason_phrase,
        percent=percent,
        scope_lines=scope_lines,
        causes=CAUSES,
        section_titles=SECTION_TITLES,
    )
    return env


def report_date() -> str:
    """Today's date in UTC, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return when.date().isoformat()


def _verdict_examples(group: PolicyChanges) -> tuple[VerdictExample, ...]:
    out = []
    for c in group.changes:
        if not isinstance(c.details, ExampleVerdictChanged):
            continue
        title = c.details.example
        found = (
            next((e for e in group.new.examples if e.title == title), None) if group.new else None
        )
        turns = tuple((a.answer, a.old, a.new) for a in c.details.answers)
        out.append(VerdictExample(title, turns, found))
    return tuple(out)


def policy_reports(diff: SpecDiff) -> tuple[PolicyReport, ...]:
    """Each changed policy with its redline and its examples whose verdicts reversed."""
    out = []
    for group in group_by_policy(diff):
        segments: tuple[Segment, ...] = ()
        if group.old and group.new and group.old.prose != group.new.prose:
            segments = trimmed_redline(group.old.prose, group.new.prose)
        elif group.old and group.new and any(c.kind == "other_text_changed" for c in group.changes):
            segments = trimmed_redline(group.old.text, group.new.text)
        out.append(PolicyReport(group, segments, _verdict_examples(group)))
    return tuple(out)


def _chart_levels(impact: Impact) -> list[tuple[str, int, int]]:
    return [(c.level, c.before, c.after) for c in impact.scope.levels]


def _kinds(changes: tuple[Change, ...]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for c in changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    return list(counts.items())


def render_report(impact: Impact, title: str) -> str:
    """The whole HTML page for an impact (and the diff it was computed from)."""
    diff = impact.diff
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            title=title,
            impact=impact,
            diff=diff,
            renames=level_renames(diff),
            front_matter=metadata_changes(diff),
            policies=policy_reports(diff),
            kinds=_kinds(diff.changes),
            chart=_chart_levels(impact),
            version=__version__,
            date=report_date(),
        )
    )


def render_diff(impact: Impact, options: RenderOptions) -> str:
    """`specver diff --format html`: the full report for every audience (see report.views)."""
    return render_report(impact, "Spec change report")


def render_impact(impact: Impact, options: RenderOptions) -> str:
    """`specver impact --format html`: the report, its sections chosen by the audience."""
    title = "Impact report" if impact.audience == "all" else f"Impact report for {impact.audience}"
    return render_report(impact, title)
