"""The HTML report as a view model: everything the page shows, computed, nothing left to do.

`impact_page` turns an `Impact` (and the labels of both versions) into a `ReportPage`: the
navigation, the sections in the audience's order, one entry per changed policy grouped by
level with its anchor, its changes (each with its own anchor), a formatted redline, the full
text of an added or removed policy, the chart's geometry and the glossary. The renderer
(`render.fmt_html`) only lays it out.

The page is a list of `PageSection`s, each naming the template part that draws it; a new
section (an audit, say) is one more entry here and one more part in `templates/report/`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from specver import __version__
from specver.config import AuthorityScheme
from specver.diff.details import ExampleVerdictChanged
from specver.diff.kinds import describe
from specver.report.chart import LevelChart, level_chart
from specver.report.glossary import GLOSSARY, Term
from specver.report.impact.model import Impact
from specver.report.labels import VersionLabel, plain_label
from specver.report.redline import RedlineBlock, formatted_redline
from specver.spec.formatted import TextBlock, formatted_blocks
from specver.spec.model import Change, Example, Policy, Spec, SpecDiff

SECTION_TITLES: Mapping[str, str] = {
    "summary": "Summary",
    "steerability": "Steerability",
    "safeguards": "Safeguards",
    "evals": "Evaluations to re-run",
    "scope": "Scope",
    "rules": "Rules",
    "changes": "All changes",
    "policies": "Changed policies",
    "audit": "Release notes audit",
    "glossary": "Glossary",
    "sources": "What was compared",
}
"""Heading (and navigation entry) of each part of the page."""

BUMP_MEANING: Mapping[str, str] = {
    "major": "something people relied on was removed, reversed or moved in authority",
    "minor": "rules or examples were added or changed in substance, nothing was taken away",
    "patch": "only wording, tags or commentary changed",
    "none": "nothing of substance changed",
}
"""What each suggested bump says, in plain words."""

STATUS_NOTES: Mapping[str, str] = {"added": "new", "removed": "removed", "changed": ""}


@dataclass(frozen=True, slots=True)
class PageSection:
    """One part of the page: its anchor, its heading and the template part drawing it."""

    id: str
    title: str
    template: str
    """File under `templates/report/` that draws it from the page."""


@dataclass(frozen=True, slots=True)
class NavEntry:
    """A link in the navigation column."""

    anchor: str
    text: str
    note: str = ""
    """A short mark after it: `new`, `removed`, `tightened`, ..."""
    tone: str = ""
    """A style hint for the mark (`tightened`, `loosened`, `neutral`, `added`, `removed`)."""


@dataclass(frozen=True, slots=True)
class NavGroup:
    """A heading of the navigation column and its links."""

    title: str
    entries: tuple[NavEntry, ...]


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One change as the page lists it, with its permalink anchor."""

    anchor: str
    kind: str
    kind_label: str
    text: str
    bump: str
    accepted: str | None
    policy: str | None
    policy_anchor: str | None
    policy_title: str = ""
    scope_note: str = ""
    """For changes that name no policy: `front matter` or `level`."""


@dataclass(frozen=True, slots=True)
class MessageView:
    """One message of a worked example, its text formatted."""

    role: str
    verdict: str
    reason: str
    blocks: tuple[TextBlock, ...]


@dataclass(frozen=True, slots=True)
class ExampleView:
    """A worked example as the page shows it."""

    title: str
    messages: tuple[MessageView, ...]
    reversed: tuple[tuple[str, str, str], ...] = ()
    """(answer excerpt, old verdict, new verdict) per reversed answer."""


@dataclass(frozen=True, slots=True)
class CommentaryView:
    title: str
    blocks: tuple[TextBlock, ...]


@dataclass(frozen=True, slots=True)
class PolicyEntry:
    """One changed policy: anchor, levels, changes, and its text as the reader needs it."""

    policy: str
    anchor: str
    title: str
    status: str
    """`added`, `removed` or `changed`."""
    level_before: str | None
    level_after: str | None
    verdict: str
    """The rules verdict of a text change (`tightened`, `loosened`, `mixed`), else empty."""
    changes: tuple[ChangeEntry, ...]
    authority_moved: bool = False
    """Whether its level changed in the scheme's terms (a renamed level alone does not)."""
    redline: tuple[RedlineBlock, ...] = ()
    """The formatted redline of its prose (or of its whole region for other text)."""
    commentary_redline: tuple[RedlineBlock, ...] = ()
    full_text: tuple[TextBlock, ...] = ()
    """For an added or removed policy: its prose, whole."""
    commentary: tuple[CommentaryView, ...] = ()
    """For an added or removed policy: its commentary, whole."""
    examples: tuple[ExampleView, ...] = ()
    """Added or removed policy: every example; changed policy: those whose verdict reversed."""


@dataclass(frozen=True, slots=True)
class StatementView:
    """One changed statement with a direction: the reason, and the statement whole."""

    effect: str
    rule: str
    reason: str
    quote: str
    """The statement as it reads now (as it read, when it is gone), never cut."""


@dataclass(frozen=True, slots=True)
class RuleRow:
    """One row of the rules table: a policy's verdict and its statements that changed force."""

    policy: str
    title: str
    verdict: str
    statements: tuple[StatementView, ...]
    """Only those that tightened or loosened a rule."""
    neutral: int
    """How many other statements changed without a change of force (reworded, no rule)."""


@dataclass(frozen=True, slots=True)
class LevelGroup:
    """The changed policies of one authority level (or the groupings)."""

    anchor: str
    title: str
    policies: tuple[PolicyEntry, ...]


@dataclass(frozen=True, slots=True)
class ReportPage:
    """Everything the HTML report shows."""

    title: str
    old: VersionLabel
    new: VersionLabel
    old_sha256: str
    new_sha256: str
    audience: str
    bump: str
    bump_meaning: str
    summary: tuple[str, ...]
    impact: Impact
    sections: tuple[PageSection, ...]
    nav: tuple[NavGroup, ...]
    groups: tuple[LevelGroup, ...]
    changes: tuple[ChangeEntry, ...]
    kinds: tuple[tuple[str, str, int], ...]
    """(kind, label, count) for the change table's filters."""
    front_matter: tuple[ChangeEntry, ...]
    renames: tuple[ChangeEntry, ...]
    chart: LevelChart
    glossary: tuple[Term, ...]
    version: str
    date: str
    rules: tuple[RuleRow, ...] = ()
    """The rules table: every paired policy whose text changed."""
    extra: Mapping[str, object] = field(default_factory=dict)
    """Values of sections added by other reports, by section id."""


def report_date() -> str:
    """Today's date in UTC, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return when.date().isoformat()


LINK_RE = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)\)")
"""A Markdown link `[text](target)` quoted inside a change's phrase (an example's title)."""


def plain_links(text: str, titles: Mapping[str, str]) -> str:
    """A phrase with its Markdown links shown as their text (`[?](#id)` as the id's title)."""

    def shown(found: re.Match[str]) -> str:
        words, target = found.group(1).strip(), found.group(2)
        if words and words != "?":
            return words
        return titles.get(target[1:], target[1:]) if target.startswith("#") else target

    return LINK_RE.sub(shown, text) if "](" in text else text


def kind_label(kind: str) -> str:
    """`text_changed` as `text changed`."""
    return kind.replace("_", " ")


def _anchors(changes: tuple[Change, ...]) -> dict[int, str]:
    """A permalink anchor per change: `c-<fingerprint>`, made unique in the page."""
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for k, c in enumerate(changes):
        base = f"c-{c.fingerprint}" if c.fingerprint else f"c-{k + 1}"
        seen[base] = seen.get(base, 0) + 1
        out[id(c)] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return out


def policy_anchor(policy: str) -> str:
    """The permalink anchor of a policy's entry."""
    return f"p-{policy}"


def _entry(
    c: Change, anchors: Mapping[int, str], titles: Mapping[str, str] | None = None
) -> ChangeEntry:
    scope = "" if c.policy else ("front matter" if c.kind == "metadata_changed" else "level")
    return ChangeEntry(
        anchor=anchors[id(c)],
        kind=c.kind,
        kind_label=kind_label(c.kind),
        text=plain_links(describe(c), titles or {}),
        bump=c.level,
        accepted=c.accepted,
        policy=c.policy,
        policy_anchor=policy_anchor(c.policy) if c.policy else None,
        policy_title=(titles or {}).get(c.policy, c.policy) if c.policy else "",
        scope_note=scope,
    )


def _titles(diff: SpecDiff) -> dict[str, str]:
    titles = {p.id: p.title for p in diff.old}
    titles.update((q.id, q.title) for q in diff.new)
    return titles


def _example(example: Example, titles: Mapping[str, str]) -> ExampleView:
    messages = tuple(
        MessageView(
            m.role,
            m.verdict.label if m.verdict else "",
            m.verdict.reason if m.verdict else "",
            formatted_blocks(m.text, titles),
        )
        for m in example.messages
    )
    return ExampleView(example.title, messages)


def _full_text(policy: Policy, titles: Mapping[str, str]) -> dict[str, object]:
    return {
        "full_text": formatted_blocks(policy.prose, titles),
        "commentary": tuple(
            CommentaryView(c.title or "Commentary", formatted_blocks(c.text, titles))
            for c in policy.commentary
        ),
        "examples": tuple(_example(e, titles) for e in policy.examples),
    }


def _reversed_examples(
    new: Policy | None, changes: tuple[Change, ...], titles: Mapping[str, str]
) -> tuple[ExampleView, ...]:
    out: list[ExampleView] = []
    for c in changes:
        if not isinstance(c.details, ExampleVerdictChanged):
            continue
        title = c.details.example
        found = next((e for e in new.examples if e.title == title), None) if new else None
        turns = tuple((a.answer, a.old, a.new) for a in c.details.answers)
        messages = _example(found, titles).messages if found else ()
        out.append(ExampleView(title, messages, turns))
    return tuple(out)


def _commentary_text(policy: Policy) -> str:
    return "\n\n".join(c.text for c in policy.commentary)


def _changed_text(
    old: Policy, new: Policy, changes: tuple[Change, ...], titles: Mapping[str, str]
) -> dict[str, object]:
    redline: tuple[RedlineBlock, ...] = ()
    if old.prose != new.prose:
        redline = formatted_redline(old.prose, new.prose, titles)
    elif any(c.kind == "other_text_changed" for c in changes):
        redline = formatted_redline(old.text, new.text, titles)
    commentary: tuple[RedlineBlock, ...] = ()
    if any(c.kind == "commentary_changed" for c in changes):
        commentary = formatted_redline(_commentary_text(old), _commentary_text(new), titles)
    return {
        "redline": redline,
        "commentary_redline": commentary,
        "examples": _reversed_examples(new, changes, titles),
    }


def _verdict(impact: Impact, policy: str) -> str:
    found = next((r for r in impact.rules if r.policy == policy), None)
    return found.verdict if found and found.verdict != "unchanged" else ""


def policy_entries(
    impact: Impact, anchors: Mapping[int, str], scheme: AuthorityScheme
) -> tuple[tuple[PolicyEntry, str | None], ...]:
    """Each changed policy's entry with the level it is grouped under (None: a grouping)."""
    diff = impact.diff
    titles = _titles(diff)
    by_policy: dict[str, list[Change]] = {}
    for c in diff.changes:
        if c.policy is not None:
            by_policy.setdefault(c.policy, []).append(c)
    rows: list[tuple[str, Policy | None, Policy | None]] = []
    for q in diff.new:
        if q.id in by_policy:
            old_id = diff.old_id(q.id)
            rows.append((q.id, diff.old.get(old_id) if old_id else None, q))
    rows += [(p.id, p, None) for p in diff.old if p.id in by_policy and not _listed(rows, p.id)]
    out: list[tuple[PolicyEntry, str | None]] = []
    for policy, old, new in rows:
        changes = tuple(by_policy.pop(policy))
        status = "added" if old is None else "removed" if new is None else "changed"
        shown = new or old
        parts: dict[str, object] = {}
        if status == "changed" and old and new:
            parts = _changed_text(old, new, changes, titles)
        elif shown is not None:
            parts = _full_text(shown, titles)
        entry = PolicyEntry(
            policy=policy,
            anchor=policy_anchor(policy),
            title=shown.title if shown else policy,
            status=status,
            level_before=old.authority if old else None,
            level_after=new.authority if new else None,
            verdict=_verdict(impact, policy),
            changes=tuple(_entry(c, anchors, titles) for c in changes),
            authority_moved=status == "changed"
            and scheme.canonical(old.authority if old else None)
            != scheme.canonical(new.authority if new else None),
            **parts,  # type: ignore[arg-type]
        )
        out.append((entry, shown.authority if shown else None))
    return tuple(out)


def _listed(rows: list[tuple[str, Policy | None, Policy | None]], policy: str) -> bool:
    return any(r[0] == policy for r in rows)


def level_groups(
    entries: tuple[tuple[PolicyEntry, str | None], ...], scheme: AuthorityScheme
) -> tuple[LevelGroup, ...]:
    """Changed policies grouped by current level (scheme order, unknown levels, groupings)."""
    grouped: dict[str | None, list[PolicyEntry]] = {}
    for entry, level in entries:
        grouped.setdefault(scheme.canonical(level) if level else None, []).append(entry)
    known = [lv for lv in scheme.levels if lv in grouped]
    unknown = sorted(lv for lv in grouped if lv is not None and lv not in scheme.levels)
    order: list[str | None] = [*known, *unknown]
    if None in grouped:
        order.append(None)
    return tuple(
        LevelGroup(
            f"level-{k + 1}",
            f"{level} level" if level else "Groupings (no level)",
            tuple(grouped[level]),
        )
        for k, level in enumerate(order)
    )


def _nav_note(entry: PolicyEntry) -> tuple[str, str]:
    if entry.status != "changed":
        return STATUS_NOTES[entry.status], entry.status
    if entry.authority_moved:
        return "authority", "neutral"
    return entry.verdict, entry.verdict


def _sections(
    impact: Impact, has_policies: bool, extra: tuple[str, ...]
) -> tuple[PageSection, ...]:
    ids = ["summary", *impact.sections, "rules", "changes"]
    if has_policies:
        ids.append("policies")
    ids += [*extra, "glossary", "sources"]
    return tuple(PageSection(s, SECTION_TITLES[s], f"report/{s}.html.j2") for s in ids)


def _navigation(
    sections: tuple[PageSection, ...], groups: tuple[LevelGroup, ...]
) -> tuple[NavGroup, ...]:
    main = tuple(NavEntry(s.id, s.title) for s in sections if s.id not in ("glossary", "sources"))
    out = [NavGroup("Report", main)]
    for group in groups:
        entries = []
        for p in group.policies:
            note, tone = _nav_note(p)
            entries.append(NavEntry(p.anchor, p.title, note, tone))
        out.append(NavGroup(group.title, tuple(entries)))
    out.append(
        NavGroup(
            "Reference",
            (NavEntry("glossary", "Glossary"), NavEntry("sources", SECTION_TITLES["sources"])),
        )
    )
    return tuple(out)


def _chart(impact: Impact, old: VersionLabel, new: VersionLabel) -> LevelChart:
    levels = [c.level for c in impact.scope.levels]
    columns = [
        (old.name, _sublabel(old, "before"), [c.before for c in impact.scope.levels]),
        (new.name, _sublabel(new, "after"), [c.after for c in impact.scope.levels]),
    ]
    return level_chart(levels, columns, "Policies per authority level, before and after")


def rule_rows(impact: Impact) -> tuple[RuleRow, ...]:
    """Per policy whose text changed: its verdict, the statements that changed force (each
    quoted whole), and a count of the neutral rest."""
    out = []
    for r in impact.rules:
        directed = tuple(
            StatementView(
                st.effect, st.rule, st.reason, " ".join((st.after or st.before or "").split())
            )
            for st in r.statements
            if st.effect != "neutral"
        )
        out.append(
            RuleRow(r.policy, r.title, r.verdict, directed, len(r.statements) - len(directed))
        )
    return tuple(out)


def _sublabel(label: VersionLabel, side: str) -> str:
    """What a chart column says under the version's name: its date, else the side."""
    return label.date if label.date and label.date not in label.name else side


def _labels(spec: Spec, label: VersionLabel | None) -> VersionLabel:
    return label if label is not None else plain_label(spec)


def impact_page(
    impact: Impact,
    scheme: AuthorityScheme | None = None,
    labels: tuple[VersionLabel | None, VersionLabel | None] = (None, None),
    title: str | None = None,
    extra: tuple[str, ...] = (),
) -> ReportPage:
    """The HTML report's view of an impact, with both versions named by `labels`.

    `extra` names further sections (keys of `SECTION_TITLES`, each drawn by
    `templates/report/<id>.html.j2` from values its renderer passes), placed before the
    glossary: `audit` for `impact --notes`.
    """
    diff = impact.diff
    scheme = scheme or AuthorityScheme()
    old, new = _labels(diff.old, labels[0]), _labels(diff.new, labels[1])
    anchors = _anchors(diff.changes)
    entries = policy_entries(impact, anchors, scheme)
    groups = level_groups(entries, scheme)
    has_policies = bool(entries) or any(c.policy is None for c in diff.changes)
    sections = _sections(impact, has_policies, extra)
    titles = _titles(diff)
    changes = tuple(_entry(c, anchors, titles) for c in diff.changes)
    counts: dict[str, int] = {}
    for c in diff.changes:
        counts[c.kind] = counts.get(c.kind, 0) + 1
    if title is None:
        title = (
            "Impact report" if impact.audience == "all" else f"Impact report for {impact.audience}"
        )
    return ReportPage(
        title=title,
        old=old,
        new=new,
        old_sha256=diff.old.sha256,
        new_sha256=diff.new.sha256,
        audience=impact.audience,
        bump=impact.bump,
        bump_meaning=BUMP_MEANING.get(impact.bump, ""),
        summary=impact.summary,
        impact=impact,
        sections=sections,
        nav=_navigation(sections, groups),
        groups=groups,
        changes=changes,
        kinds=tuple((k, kind_label(k), n) for k, n in counts.items()),
        front_matter=tuple(e for e in changes if e.kind == "metadata_changed"),
        renames=tuple(e for e in changes if e.policy is None and e.kind != "metadata_changed"),
        chart=_chart(impact, old, new),
        glossary=GLOSSARY,
        version=__version__,
        date=report_date(),
        rules=rule_rows(impact),
    )
