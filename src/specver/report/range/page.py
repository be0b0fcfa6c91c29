"""The range report's HTML page as a view model: sections per release, the policy tracks
with their cumulative verdicts, and the chart of policies per level with a column per
version. The renderer (`render.fmt_html.render_range`) only lays it out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from specver import __version__
from specver.report.chart import LevelChart, level_chart
from specver.report.glossary import GLOSSARY, Term
from specver.report.page import BUMP_MEANING, NavEntry, NavGroup, report_date
from specver.report.range.model import ImpactRange, PolicyTrack
from specver.wording import plural, series

VERDICT_ORDER = (
    "loosened",
    "mixed",
    "tightened",
    "removed",
    "added",
    "added_then_removed",
    "unchanged",
)
"""How the summary counts cumulative verdicts, the ones a reviewer looks at first first."""

VERDICT_WORDS = {
    "tightened": "tightened",
    "loosened": "loosened",
    "mixed": "mixed",
    "unchanged": "changed without a change of force",
    "added": "new",
    "removed": "removed",
    "added_then_removed": "added and removed again",
}
"""A cumulative verdict in a summary sentence."""


@dataclass(frozen=True, slots=True)
class ReleasePolicy:
    """A policy as one release's section lists it."""

    anchor: str
    """The anchor of its track."""
    policy: str
    title: str
    verdict: str
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReleaseView:
    """One release's section."""

    anchor: str
    name: str
    date: str | None
    previous: str
    bump: str
    bump_meaning: str
    summary: tuple[str, ...]
    change_count: int
    policies: tuple[ReleasePolicy, ...]


@dataclass(frozen=True, slots=True)
class TrackCell:
    """What one release did to one policy; empty when it did nothing."""

    verdict: str
    changes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TrackView:
    """One row of the policy table."""

    anchor: str
    policy: str
    title: str
    level: str | None
    verdict: str
    cells: tuple[TrackCell, ...]
    note: str
    """`new in v2`, `removed in v3`, `formerly old_id`, or empty."""


@dataclass(frozen=True, slots=True)
class RangePage:
    """Everything the range report shows."""

    title: str
    first: str
    last: str
    repo: str
    path: str
    audience: str
    summary: tuple[str, ...]
    releases: tuple[ReleaseView, ...]
    release_names: tuple[str, ...]
    tracks: tuple[TrackView, ...]
    chart: LevelChart
    nav: tuple[NavGroup, ...]
    glossary: tuple[Term, ...]
    version: str
    date: str


def track_anchor(policy: str) -> str:
    """The anchor of a policy's row in the range report."""
    return f"t-{policy}"


def _summary(result: ImpactRange) -> tuple[str, ...]:
    first, last = result.versions[0].label, result.versions[-1].label
    names = [r.version.label.name for r in result.releases]
    counts = Counter(t.verdict for t in result.policies)
    parts = [f"{counts[v]} {VERDICT_WORDS[v]}" for v in VERDICT_ORDER if counts[v]]
    out = [
        f"From {first.text} to {last.text}: {plural(len(names), 'release')} "
        f"({series(names)}), {plural(len(result.policies), 'policy', 'policies')} changed "
        f"along the way" + (f": {series(parts)}." if parts else "."),
    ]
    bumps = [f"{r.version.label.name} {r.impact.bump}" for r in result.releases]
    out.append(f"Suggested bumps: {series(bumps)}.")
    before, after = result.versions[0], result.versions[-1]
    out.append(f"Sections: {before.policies} in {first.name}, {after.policies} in {last.name}.")
    return tuple(out)


def _release_views(result: ImpactRange) -> tuple[ReleaseView, ...]:
    by_release: dict[str, list[ReleasePolicy]] = {}
    for track in result.policies:
        for step in track.steps:
            by_release.setdefault(step.release, []).append(
                ReleasePolicy(
                    track_anchor(track.policy), step.policy, track.title, step.verdict, step.changes
                )
            )
    out = []
    for k, r in enumerate(result.releases):
        name = r.version.label.name
        out.append(
            ReleaseView(
                anchor=f"r-{k + 1}",
                name=name,
                date=r.version.label.date,
                previous=r.previous.label.name,
                bump=r.impact.bump,
                bump_meaning=BUMP_MEANING.get(r.impact.bump, ""),
                summary=r.impact.summary,
                change_count=len(r.impact.diff.changes),
                policies=tuple(by_release.get(name, ())),
            )
        )
    return tuple(out)


def _note(track: PolicyTrack) -> str:
    notes = []
    if track.added_in:
        notes.append(f"new in {track.added_in}")
    if track.removed_in:
        notes.append(f"removed in {track.removed_in}")
    if track.former_ids:
        notes.append(f"formerly {', '.join(track.former_ids)}")
    return "; ".join(notes)


def _tracks(result: ImpactRange) -> tuple[TrackView, ...]:
    names = [r.version.label.name for r in result.releases]
    out = []
    for track in result.policies:
        steps = {s.release: s for s in track.steps}
        cells = tuple(
            TrackCell(steps[n].verdict, steps[n].changes) if n in steps else TrackCell("", ())
            for n in names
        )
        out.append(
            TrackView(
                track_anchor(track.policy),
                track.policy,
                track.title,
                track.level,
                track.verdict,
                cells,
                _note(track),
            )
        )
    return tuple(out)


def range_page(result: ImpactRange) -> RangePage:
    """The HTML range report's view of an `ImpactRange`."""
    first, last = result.versions[0].label, result.versions[-1].label
    columns = [
        (
            v.label.name,
            v.label.date if v.label.date and v.label.date not in v.label.name else "",
            [n for _level, n in v.levels],
        )
        for v in result.versions
    ]
    chart = level_chart(result.levels, columns, "Policies per authority level, per release")
    releases = _release_views(result)
    nav = (
        NavGroup(
            "Report",
            (NavEntry("summary", "Summary"), NavEntry("policies", "Policies across releases")),
        ),
        NavGroup(
            "Releases", tuple(NavEntry(r.anchor, r.name, r.bump, "neutral") for r in releases)
        ),
        NavGroup(
            "Reference",
            (NavEntry("glossary", "Glossary"), NavEntry("sources", "What was compared")),
        ),
    )
    return RangePage(
        title="Impact across releases",
        first=first.text,
        last=last.text,
        repo=result.repo,
        path=result.path,
        audience=result.audience,
        summary=_summary(result),
        releases=releases,
        release_names=tuple(r.name for r in releases),
        tracks=_tracks(result),
        chart=chart,
        nav=nav,
        glossary=GLOSSARY,
        version=__version__,
        date=report_date(),
    )
