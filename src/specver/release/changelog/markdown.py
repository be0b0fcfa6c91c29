"""A changelog entry written out: Markdown in a heading style, plain text (tag messages,
`--format text`), or `specver.changelog/1` data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from specver.release.changelog.entry import MARKER, SCHEMA, ChangelogEntry, EntryLine
from specver.release.versioning import parse_calver


@dataclass(frozen=True, slots=True)
class HeadingStyle:
    """How a changelog writes its version headings and list items."""

    template: str = "## [{version}] - {date}"
    """The heading line with `{version}` and `{date}` placeholders."""
    version_prefix: str | None = None
    """`v` or empty to force a prefix style on the version; None keeps it as given."""
    bullet: str = "-"

    @property
    def depth(self) -> int:
        """The heading level of version headings."""
        return len(self.template) - len(self.template.lstrip("#"))

    def heading(self, version: str, date: str | None) -> str:
        """The heading line for one version."""
        if self.version_prefix == "" and re.match(r"v\d", version):
            version = version[1:]
        elif self.version_prefix == "v" and version[:1].isdigit():
            version = "v" + version
        template = self.template
        if date is None and "{date}" in template:
            template = re.sub(r"[ \t]*[-–—(:]*[ \t]*\{date\}\)?", "", template)
        return template.replace("{date}", date or "").replace("{version}", version)


def _date_left_out(style: HeadingStyle, entry: ChangelogEntry) -> bool:
    """Whether the heading drops a date the version does not spell (`## v1.2.0` style)."""
    if entry.date is None or "{date}" in style.template:
        return False
    calver = parse_calver(entry.version)
    return calver is None or calver.day.isoformat() != entry.date


def entry_markdown(
    entry: ChangelogEntry, style: HeadingStyle | None = None, *, marker: bool = False
) -> str:
    """The entry as Markdown, ending with one newline; `marker` adds specver's invisible tag."""
    style = style or HeadingStyle()
    out = [style.heading(entry.version, entry.date)]
    if marker:
        out.append(MARKER)
    if _date_left_out(style, entry):
        out += ["", f"Released {entry.date}."]
    if entry.notes:
        out += ["", entry.notes]
    if entry.summary is not None:
        out += ["", entry.summary.markdown]
    sub = "#" * (style.depth + 1)
    for group in entry.groups:
        out += ["", f"{sub} {group.name}"]
        out += [f"{style.bullet} {line.markdown}" for line in group.lines]
    return "\n".join(out) + "\n"


def entry_text(entry: ChangelogEntry) -> str:
    """The entry as plain text, for annotated tag messages and `--format text`: the version
    and date, the hand-written summary, then each group's sentences without Markdown."""
    heading = f"{entry.version} - {entry.date}" if entry.date else entry.version
    out = [heading]
    if entry.notes:
        out += ["", entry.notes]
    if entry.summary is not None:
        out += ["", entry.summary.plain]
    for group in entry.groups:
        out += ["", group.name]
        out += [f"- {line.plain}" for line in group.lines]
    return "\n".join(out) + "\n"


def entry_data(entry: ChangelogEntry) -> dict[str, Any]:
    """The entry as `specver.changelog/1` JSON-ready data."""

    def line(item: EntryLine) -> dict[str, Any]:
        return {
            "kind": item.kind,
            "level": item.level,
            "policies": list(item.policies),
            "text": item.plain,
            "markdown": item.markdown,
        }

    return {
        "schema": SCHEMA,
        "version": entry.version,
        "date": entry.date,
        "bump": entry.bump,
        "old": entry.old,
        "new": entry.new,
        "summary": line(entry.summary) if entry.summary else None,
        "notes": entry.notes,
        "groups": [
            {"name": g.name, "entries": [line(item) for item in g.lines]} for g in entry.groups
        ],
        "copy_edits": {"count": len(entry.copy_edits), "policies": list(entry.copy_edits)},
    }
