"""Terminal renderers built with rich: coloured on a terminal, plain when piped or NO_COLOR."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from typing import TYPE_CHECKING

from specver.config import BUMP_LEVELS
from specver.diff.details import AuthorityLevelRenamed
from specver.diff.textdiff import Segment
from specver.render.common import (
    accepted_count,
    describe_reviewed,
    group_by_policy,
    level_renames,
    metadata_changes,
    prose_redlines,
    rename_note,
)
from specver.render.options import RenderOptions
from specver.spec.model import Change, Spec, SpecDiff

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

    from specver.spec.check import CheckReport

LEVEL_STYLES = {
    "root": "bold red",
    "platform": "bold red",
    "system": "magenta",
    "developer": "yellow",
    "user": "green",
    "guideline": "cyan",
}
BUMP_STYLES = {"major": "bold red", "minor": "bold yellow", "patch": "bold green", "none": "dim"}


def console_for(options: RenderOptions) -> Console:
    """A rich console writing to memory, coloured only when the options say so."""
    from rich.console import Console

    return Console(
        file=StringIO(),
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        width=options.width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def console_text(console: Console) -> str:
    """What a `console_for` console printed, without trailing spaces on any line."""
    file = console.file
    assert isinstance(file, StringIO)
    return "".join(line.rstrip() + "\n" for line in file.getvalue().splitlines())


def bullet(text: Text | str, indent: int = 2) -> RenderableType:
    """`- text` indented by `indent`, wrapped lines hanging under the text, not the margin."""
    from rich.padding import Padding
    from rich.table import Table

    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row("-", text)
    return Padding(grid, (0, 0, 0, indent), expand=False)


def level_text(level: str | None) -> Text:
    """An authority level, coloured by its place in the scheme."""
    from rich.text import Text

    if level is None:
        return Text("—", style="dim")
    return Text(level, style=LEVEL_STYLES.get(level, "bold"))


def redline_text(segments: tuple[Segment, ...], color: bool) -> Text:
    """A word diff: coloured on a terminal, `[-deleted-]{+inserted+}` when plain."""
    from rich.text import Text

    out = Text()
    for seg in segments:
        if seg.op == "equal":
            out.append(seg.text)
        elif color:
            style = "red strike" if seg.op == "delete" else "green underline"
            out.append(seg.text, style=style)
        else:
            out.append(f"[-{seg.text}-]" if seg.op == "delete" else f"{{+{seg.text}+}}")
    return out


def _print_front_matter(console: Console, diff: SpecDiff) -> None:
    """The front matter's changes, under their own heading (they name no policy)."""
    from rich.padding import Padding
    from rich.text import Text

    front = metadata_changes(diff)
    if front:
        console.print()
        console.print(Text("Front matter", "bold"))
        for change in front:
            line = Text(f"- {describe_reviewed(change)}")
            console.print(Padding(line, (0, 0, 0, 2), expand=False))


def render_diff(diff: SpecDiff, options: RenderOptions) -> str:
    """`specver diff --format text`: summary table, then each changed policy."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    console = console_for(options)
    console.print(Text.assemble(("old: ", "dim"), diff.old.source, f"  ({len(diff.old)} sections)"))
    console.print(Text.assemble(("new: ", "dim"), diff.new.source, f"  ({len(diff.new)} sections)"))
    if not diff.changes:
        console.print("No semantic changes.")
        return console_text(console)
    console.print(
        Text.assemble("Suggested bump: ", (diff.bump.upper(), BUMP_STYLES.get(diff.bump, "")))
    )
    table = Table("change", "count", title=None, box=None, pad_edge=False)
    for kind, count in diff.summary.items():
        table.add_row(kind, str(count))
    console.print(table)
    accepted = accepted_count(diff)
    if accepted:
        console.print(f"Accepted: {accepted} of {len(diff.changes)} changes (shown, not failing)")
    for rename in level_renames(diff):
        console.print()
        console.print(
            Text.assemble(
                "Authority level ",
                level_text(rename.old),
                " renamed to ",
                level_text(rename.new),
                f" for {len(rename.policies)} policies: ",
                ", ".join(rename.policies),
                rename_note(diff, rename),
            )
        )
    _print_front_matter(console, diff)
    for group in group_by_policy(diff):
        console.print()
        heading = Text.assemble((group.policy, "bold"), f"  {group.title}  ")
        heading.append_text(level_text(group.authority_before))
        if group.authority_before != group.authority_after:
            heading.append(" → ")
            heading.append_text(level_text(group.authority_after))
        console.print(heading)
        for change in group.changes:
            line = Text(f"- {describe_reviewed(change)}")
            console.print(Padding(line, (0, 0, 0, 2), expand=False))
        for segments in prose_redlines(group):
            redline = redline_text(segments, options.color)
            console.print(Padding(redline, (0, 0, 0, 4), expand=False))
    return console_text(console)


def render_spec(spec: Spec, options: RenderOptions) -> str:
    """`specver show`: the outline as a tree coloured by authority, then counts per level."""
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    console = console_for(options)
    root = Tree(Text(spec.source, style="bold"))
    nodes: dict[str | None, Tree] = {None: root}
    if spec.front_matter is not None:
        entries = spec.front_matter.entries
        keys = ", ".join(k for k, _v in entries) if entries is not None else "not a YAML mapping"
        root.add(Text.assemble(("front matter", "italic"), (f"  ({keys or 'empty'})", "dim")))
    for p in spec:
        label = Text.assemble((p.title, "bold" if p.authority else ""), ("  #" + p.id, "dim"))
        if p.is_region:
            label = Text.assemble((p.title, "italic"), ("  #" + p.id, "dim"))
            label.append("  text outside any heading", style="dim")
        if p.authority:
            label.append("  ")
            label.append_text(level_text(p.authority))
        extras = []
        if p.examples:
            extras.append(f"{len(p.examples)} example{'s' if len(p.examples) != 1 else ''}")
        if p.footnotes:
            extras.append("evals: " + ", ".join(p.footnotes))
        if extras:
            label.append("  (" + "; ".join(extras) + ")", style="dim")
        parent = nodes.get(p.parent, root)
        nodes[p.id] = parent.add(label)
    console.print(root)
    counts = Counter(p.authority for p in spec if p.authority)
    table = Table("authority", "policies", box=None, pad_edge=False)
    for level, count in counts.most_common():
        table.add_row(level_text(level), str(count))
    groupings = sum(1 for p in spec if not p.authority and not p.is_region)
    table.add_row("grouping sections", str(groupings))
    table.add_row("worked examples", str(sum(len(p.examples) for p in spec)))
    if spec.evals is not None:
        table.add_row("eval files", str(len(spec.evals)))
    console.print(table)
    return console_text(console)


def render_findings(report: CheckReport, options: RenderOptions) -> str:
    """`specver check`: one line per finding, then a count."""
    from rich.text import Text

    console = console_for(options)
    for f in report.findings:
        style = "red" if f.severity == "error" else "yellow"
        where = f"{report.spec.source}:{f.line}" if f.line else report.spec.source
        console.print(Text.assemble(where, ": ", (f.severity, style), f" [{f.code}] {f.message}"))
    errors = report.errors
    warnings = len(report.findings) - errors
    summary = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning"
    summary += "s" if warnings != 1 else ""
    console.print(Text(f"{report.spec.source}: {summary}", style="bold" if errors else "green"))
    return console_text(console)


def render_stat(diff: SpecDiff, options: RenderOptions) -> str:
    """`specver diff --stat`: one line per changed policy, like `git diff --stat`, then totals.

    Each line gives the policy, its number of changes, the highest level among them and the
    kinds, with accepted changes counted apart.
    """
    from rich.text import Text

    console = console_for(options)
    rows: list[tuple[str, tuple[Change, ...]]] = [
        (f"(level {c.details.old} → {c.details.new})", (c,))
        for c in diff.changes
        if isinstance(c.details, AuthorityLevelRenamed)
    ]
    rows += [(group.policy, group.changes) for group in group_by_policy(diff)]
    width = max((len(name) for name, _ in rows), default=0)
    for name, changes in rows:
        level = max((c.level for c in changes), key=BUMP_LEVELS.index, default="none")
        kinds = ", ".join(dict.fromkeys(c.kind for c in changes))
        accepted = sum(1 for c in changes if c.accepted is not None)
        note = f", {accepted} accepted" if accepted else ""
        console.print(
            Text.assemble(
                f" {name.ljust(width)} | {len(changes):>3} ",
                (level.ljust(5), BUMP_STYLES.get(level, "")),
                f"  {kinds}{note}",
            )
        )
    accepted = accepted_count(diff)
    total = f" {len(rows)} polic{'y' if len(rows) == 1 else 'ies'} changed, "
    total += f"{len(diff.changes)} change{'' if len(diff.changes) == 1 else 's'}"
    total += f" ({accepted} accepted)" if accepted else ""
    console.print(Text.assemble(total, "; suggested bump: ", (diff.bump, BUMP_STYLES[diff.bump])))
    return console_text(console)
