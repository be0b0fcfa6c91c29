"""How a report names the versions it compares: by release name and date, not by path.

`REV:PATH` sources are named by their tag and its date (`spec.sources.revision`); files by
the `version` and `date` of their front matter, else by the file name (and the date it
spells, as `2025-09-12.md` does). `--old-label` / `--new-label` override the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePath

from specver.spec.model import Spec
from specver.spec.sources.file import is_revision
from specver.spec.sources.revision import source_revision_name

DATE_RE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
NAME_KEYS = ("version", "release")
"""Front matter keys that name a version, first found wins."""
DATE_KEYS = ("date", "released", "release_date", "updated", "last_updated")
"""Front matter keys that date a version, first found wins."""


@dataclass(frozen=True, slots=True)
class VersionLabel:
    """One compared version as a report names it."""

    name: str
    """The release name: a tag, a front matter version, a file name, or the override."""
    date: str | None
    """ISO date of the release, when the source tells it."""
    source: str
    """The source as named on the command line (a path or `REV:PATH`)."""

    @property
    def text(self) -> str:
        """`v2025.09.12 (2025-09-12)`; the name alone when the date is unknown or in it."""
        if self.date and self.date not in self.name:
            return f"{self.name} ({self.date})"
        return self.name


def _front(spec: Spec, keys: tuple[str, ...]) -> str | None:
    entries = dict(spec.front_matter.entries or ()) if spec.front_matter else {}
    for key in keys:
        value = entries.get(key, "").strip().strip("\"'")
        if value:
            return value
    return None


def _file_label(spec: Spec) -> tuple[str, str | None]:
    name = _front(spec, NAME_KEYS) or PurePath(spec.source.replace("\\", "/")).name
    date = _front(spec, DATE_KEYS)
    if date is None:
        found = DATE_RE.search(PurePath(spec.source.replace("\\", "/")).name)
        date = found.group(1) if found else None
    else:
        found = DATE_RE.search(date)
        date = found.group(1) if found else date
    return name, date


def version_label(spec: Spec, *, repo: Path | None = None, name: str | None = None) -> VersionLabel:
    """The label of one loaded spec; `name` (from `--old-label`/`--new-label`) overrides."""
    if is_revision(spec.source):
        revision = source_revision_name(spec.source, repo)
        found, date = revision.name, revision.date
    else:
        found, date = _file_label(spec)
    return VersionLabel(name.strip() if name and name.strip() else found, date, spec.source)


def plain_label(spec: Spec) -> VersionLabel:
    """A label from the spec alone (front matter or file name), for callers without git."""
    found, date = (spec.source, None) if is_revision(spec.source) else _file_label(spec)
    return VersionLabel(found, date, spec.source)
