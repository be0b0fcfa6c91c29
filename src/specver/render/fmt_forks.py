"""Renderers for `specver forks`: text, Markdown, the `specver.forks/1` JSON document and a
self-contained HTML page with a heatmap (policies × forks, coloured by verdict)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from specver import __version__
from specver.diff.kinds import describe
from specver.network.model import (
    VERDICTS,
    ForkNetwork,
    ForkResult,
    NewPolicyGroup,
    PolicyTally,
    SharedEdit,
)
from specver.render.fmt_html import environment, report_date
from specver.render.fmt_json import change_json, dumps
from specver.render.options import RenderOptions
from specver.wording import md_code, md_escape

FORKS_SCHEMA = "specver.forks/1"
TEMPLATE = "forks.html.j2"
WORDS_SHOWN = 12
"""Words of a shared edit shown in text, Markdown and HTML (JSON has them all)."""

VERDICT_NAMES = {
    "tightened": "tightened",
    "loosened": "loosened",
    "mixed": "mixed",
    "rewritten": "rewritten",
    "removed": "removed",
    "authority_raised": "authority raised",
    "authority_lowered": "authority lowered",
    "renamed": "renamed",
    "other": "other edits",
}
"""How each label reads in reports."""

VERDICT_COLOURS = {
    "tightened": "#2e8b57",
    "loosened": "#c0392b",
    "mixed": "#8e44ad",
    "rewritten": "#e0a800",
    "removed": "#2d3436",
    "authority_raised": "#1f5fa8",
    "authority_lowered": "#7fbfea",
    "renamed": "#a0714f",
    "other": "#a0a8b3",
}
"""The heatmap's colour per label (a cell shows the fork's first label for the policy)."""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def words_phrase(words: tuple[str, ...], limit: int = WORDS_SHOWN) -> str:
    """Up to `limit` words, with `…` when there are more."""
    shown = " ".join(words[:limit])
    return f"{shown} …" if len(words) > limit else shown


def edit_phrase(edit: SharedEdit) -> str:
    """What a shared edit did: `removed “…”; added “…”`."""
    parts = []
    if edit.removed:
        parts.append(f"removed “{words_phrase(edit.removed)}”")
    if edit.added:
        parts.append(f"added “{words_phrase(edit.added)}”")
    return "; ".join(parts) or describe(edit.example)


def verdict_phrase(tally: PolicyTally) -> str:
    """`tightened 3, removed 1`: the labels a policy got, with counts."""
    return ", ".join(f"{VERDICT_NAMES[v]} {n}" for v, n in tally.verdicts.items() if n)


def base_phrase(fork: ForkResult) -> str:
    """`v2025.04.11 (merge base)` or `v2025.04.11 (detected: 76 sections shared)`."""
    b = fork.base
    name = b.release or (b.commit[:12] if b.commit else b.label)
    if b.detected:
        shared = "" if b.shared_sections is None else f": {b.shared_sections} sections shared"
        return f"{name} (detected{shared})"
    return f"{name} (merge base)"


def behind_phrase(fork: ForkResult) -> str:
    """`2 commits and 1 release behind (v2025.09.12)`, or `up to date`."""
    behind = fork.behind
    if not behind.commits and not behind.releases:
        return "up to date"
    text = _plural(behind.commits, "commit")
    if behind.releases:
        count = _plural(len(behind.releases), "release")
        return f"{text} and {count} behind ({', '.join(behind.releases)})"
    return f"{text} behind"


def changes_phrase(fork: ForkResult) -> str:
    """`unchanged copy`, or the fork's changes counted, with its policies and labels."""
    if fork.unchanged:
        return "unchanged copy"
    edits = "; ".join(
        f"{e.policy} {', '.join(VERDICT_NAMES[v] for v in e.verdicts)}" for e in fork.edits[:6]
    )
    more = " …" if len(fork.edits) > 6 else ""
    added = f"; adds {', '.join(a.policy for a in fork.added)}" if fork.added else ""
    return f"{_plural(len(fork.changes), 'change')}: {edits}{more}{added}".replace(": ;", ":")


def summary_line(network: ForkNetwork) -> str:
    """The one-line summary every format starts with."""
    s = network.summary
    parts = [
        _plural(s["forks"], "fork"),
        f"{s['changed']} changed",
        f"{s['unchanged']} unchanged {'copy' if s['unchanged'] == 1 else 'copies'}",
        f"{s['detected_bases']} with a detected base",
    ]
    if s["skipped"]:
        parts.append(f"{s['skipped']} skipped")
    return ", ".join(parts)


# --- text ----------------------------------------------------------------------------------


def render_forks_text(network: ForkNetwork, options: RenderOptions) -> str:
    """`specver forks`: summary, policies ranked, shared edits, new policies, each fork."""
    up = network.upstream
    lines = [
        f"Fork network of {up.source} ({up.policies} sections): {summary_line(network)}",
        "",
        f"Policies changed by forks: {len(network.policies)}",
    ]
    for t in network.policies:
        lines.append(
            f"  {_plural(len(t.forks), 'fork'):>9}  {t.policy} “{t.title}”: {verdict_phrase(t)}"
        )
        lines.append(f"             {', '.join(t.forks)}")
    lines += ["", f"Identical edits made by several forks: {len(network.shared_edits)}"]
    for e in network.shared_edits:
        lines.append(
            f"  {_plural(len(e.forks), 'fork'):>9}  {e.policy} ({e.kind}): {edit_phrase(e)}"
        )
        lines.append(f"             {', '.join(e.forks)}")
    lines += ["", f"New policies added by forks: {len(network.new_policies)}"]
    for g in network.new_policies:
        lines.append(f"  {_plural(len(g.forks), 'fork'):>9}  “{g.title}” {_group_detail(g)}")
        lines.append(f"             {', '.join(g.forks)}")
    unchanged = [f.name for f in network.unchanged]
    lines += ["", f"Unchanged copies: {len(unchanged)}"]
    if unchanged:
        lines.append(f"  {', '.join(unchanged)}")
    lines += ["", f"Forks: {len(network.forks)}"]
    for f in network.forks:
        lines.append(f"  {f.name}: base {base_phrase(f)}, {behind_phrase(f)}")
        differ = _plural(f.drift.differing, "section")
        lines.append(f"    {changes_phrase(f)}; {differ} differing from upstream")
    if network.skipped:
        lines += ["", f"Skipped: {len(network.skipped)}"]
        lines += [f"  {s.name}: {s.reason}" for s in network.skipped]
    return "\n".join(lines) + "\n"


def _group_detail(group: NewPolicyGroup) -> str:
    parts = [f"(ids {', '.join(group.ids)})"]
    if group.similar_to:
        parts.append(f"also titled {', '.join(f'“{t}”' for t in group.similar_to)}")
    if group.upstream:
        parts.append(f"like upstream's {group.upstream}")
    return "; ".join(parts)


# --- Markdown ------------------------------------------------------------------------------


def render_forks_markdown(network: ForkNetwork, options: RenderOptions) -> str:
    """`specver forks --format markdown`: the network's feedback, for an issue."""
    up = network.upstream
    lines = [
        f"### Fork network of {md_code(up.source)}",
        "",
        f"**{md_escape(summary_line(network))}.**",
        "",
        "#### Policies changed by forks",
        "",
    ]
    if network.policies:
        lines += ["| Policy | Forks | How |", "|---|---:|---|"]
        for t in network.policies:
            lines.append(
                f"| {md_code(t.policy)} {md_escape(t.title)} | {len(t.forks)} | "
                f"{md_escape(verdict_phrase(t))} |"
            )
    else:
        lines.append("None.")
    lines += ["", "#### Identical edits made by several forks", ""]
    if network.shared_edits:
        lines += ["| Policy | Edit | Forks |", "|---|---|---|"]
        for e in network.shared_edits:
            lines.append(
                f"| {md_code(e.policy)} | {md_escape(e.kind)}: {md_escape(edit_phrase(e))} | "
                f"{len(e.forks)}: {md_escape(', '.join(e.forks))} |"
            )
    else:
        lines.append("None.")
    lines += ["", "#### New policies added by forks", ""]
    if network.new_policies:
        lines += [
            "| Title | Forks | Ids | Also titled | Like upstream's |",
            "|---|---|---|---|---|",
        ]
        for g in network.new_policies:
            lines.append(
                f"| {md_escape(g.title)} | {len(g.forks)}: {md_escape(', '.join(g.forks))} | "
                f"{', '.join(md_code(i) for i in g.ids)} | "
                f"{md_escape(', '.join(g.similar_to)) or '—'} | "
                f"{md_code(g.upstream) if g.upstream else '—'} |"
            )
    else:
        lines.append("None.")
    lines += ["", "#### Forks", "", "| Fork | Base | Behind | Changes | Drift |"]
    lines.append("|---|---|---|---|---:|")
    for f in network.forks:
        lines.append(
            f"| {md_escape(f.name)} | {md_escape(base_phrase(f))} | "
            f"{md_escape(behind_phrase(f))} | {md_escape(changes_phrase(f))} | "
            f"{f.drift.differing} |"
        )
    if network.skipped:
        lines += ["", "#### Skipped", ""]
        lines += [f"- {md_escape(s.name)}: {md_escape(s.reason)}" for s in network.skipped]
    return "\n".join(lines) + "\n"


# --- JSON ----------------------------------------------------------------------------------


def _fork_json(fork: ForkResult) -> dict[str, Any]:
    d = fork.drift
    return {
        "name": fork.name,
        "source": fork.source,
        "base": fork.base.commit,
        "base_detected": fork.base.detected,
        "base_source": fork.base.label,
        "base_release": fork.base.release,
        "base_shared_sections": fork.base.shared_sections,
        "behind": {"commits": fork.behind.commits, "releases": list(fork.behind.releases)},
        "unchanged": fork.unchanged,
        "changes": [change_json(c) for c in fork.changes],
        "policies": [
            {"policy": e.policy, "fork_policy": e.fork_policy, "verdicts": list(e.verdicts)}
            for e in fork.edits
        ],
        "added": [a.policy for a in fork.added],
        "drift": {
            "upstream_sections": d.upstream_sections,
            "fork_sections": d.fork_sections,
            "identical": d.identical,
            "changed": d.changed,
            "fork_only": d.fork_only,
            "upstream_only": d.upstream_only,
            "differing": d.differing,
            "similarity": d.similarity,
        },
    }


def forks_json(network: ForkNetwork) -> dict[str, Any]:
    """The `specver.forks/1` document as plain data."""
    up = network.upstream
    return {
        "schema": FORKS_SCHEMA,
        "upstream": {
            "source": up.source,
            "sha256": up.sha256,
            "policies": up.policies,
            "commit": up.commit,
        },
        "forks": [_fork_json(f) for f in network.forks],
        "policies": [
            {
                "policy": t.policy,
                "title": t.title,
                "forks": list(t.forks),
                "verdicts": dict(t.verdicts.items()),
            }
            for t in network.policies
        ],
        "shared_edits": [
            {
                "policy": e.policy,
                "kind": e.kind,
                "removed": list(e.removed),
                "added": list(e.added),
                "forks": list(e.forks),
                "fingerprint": e.fingerprint,
            }
            for e in network.shared_edits
        ],
        "new_policies": [
            {
                "title": g.title,
                "forks": list(g.forks),
                "similar_to": list(g.similar_to),
                "ids": list(g.ids),
                "upstream": g.upstream,
            }
            for g in network.new_policies
        ],
        "unchanged": [f.name for f in network.unchanged],
        "skipped": [{"name": s.name, "reason": s.reason} for s in network.skipped],
        "summary": network.summary,
    }


def render_forks_json(network: ForkNetwork, options: RenderOptions) -> str:
    """`specver forks --format json`."""
    return dumps(forks_json(network))


# --- HTML ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeatRow:
    """One heatmap row: a policy and, per fork (in the forks' order), its label or None."""

    tally: PolicyTally
    cells: tuple[tuple[str, str | None, tuple[str, ...]], ...]
    """(fork name, the label the cell shows or None, all the fork's labels)."""


LABEL_CHARACTERS = 36
"""Characters of a policy id (or a fork name) shown beside the heatmap; the cell's tooltip
has the whole."""


def short(text: str, limit: int = LABEL_CHARACTERS) -> str:
    """`text`, cut to `limit` characters with `…`."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def heat_rows(network: ForkNetwork) -> tuple[HeatRow, ...]:
    """The heatmap's rows, in the ranked policies' order."""
    by_fork = {f.name: {e.policy: e for e in f.edits} for f in network.forks}
    rows = []
    for tally in network.policies:
        cells = []
        for fork in network.forks:
            edit = by_fork[fork.name].get(tally.policy)
            cells.append((fork.name, edit.verdict if edit else None, edit.verdicts if edit else ()))
        rows.append(HeatRow(tally, tuple(cells)))
    return tuple(rows)


def render_forks_html(network: ForkNetwork, options: RenderOptions) -> str:
    """`specver forks --format html`: one self-contained page, no script."""
    forks = len(network.forks)
    cell = 26 if forks <= 24 else 18 if forks <= 48 else 12 if forks <= 120 else 7
    longest_policy = max((len(t.policy) for t in network.policies), default=8)
    longest_fork = max((len(f.name) for f in network.forks), default=6)
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            network=network,
            summary=summary_line(network),
            rows=heat_rows(network),
            cell=cell,
            verdicts=VERDICTS,
            names=VERDICT_NAMES,
            colours=VERDICT_COLOURS,
            verdict_phrase=verdict_phrase,
            edit_phrase=edit_phrase,
            base_phrase=base_phrase,
            behind_phrase=behind_phrase,
            changes_phrase=changes_phrase,
            label_width=24 + 7 * min(longest_policy, LABEL_CHARACTERS),
            head_height=20 + 6 * min(longest_fork, 24),
            short=short,
            version=__version__,
            date=report_date(),
        )
    )
