"""Safe insertion of a changelog entry into CHANGELOG.md.

Writing into an existing file changes nothing but the entry: the heading style, bullet
character and line endings are taken from the file, the entry goes below the title and any
`Unreleased` section, and an entry specver wrote earlier for the same version is replaced.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from specver.atomic import read_input, update_text
from specver.errors import InputError
from specver.release.changelog.entry import MARKER, ChangelogEntry
from specver.release.changelog.markdown import HeadingStyle, entry_markdown
from specver.release.versioning import find_version, same_version

_HEADING = re.compile(r"^\ufeff?(#{1,6})[ \t]+(.*)$")
"""An ATX heading; its text loses the closing `#`s in `_heading_text` (a regex that strips
them backtracks cubically on a line of spaces)."""
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_UNRELEASED = re.compile(r"^\W*unreleased\b", re.IGNORECASE)
_BULLET = re.compile(r"^([-*+])[ \t]")
_TEMPLATE_FILLER = set(" \t[]()-–—:#")
NEW_FILE_TITLE = "# Changelog\n"


@dataclass(frozen=True, slots=True)
class _Heading:
    line: int
    """0-based index in the file's lines."""
    depth: int
    text: str


@dataclass(frozen=True, slots=True)
class ChangelogWrite:
    """What `write_entry` did: the new text, and whether it created or replaced."""

    path: Path
    text: str
    created: bool
    replaced: bool


def _lines(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _headings(lines: list[str]) -> list[_Heading]:
    """ATX headings outside fenced code blocks."""
    out: list[_Heading] = []
    fence: str | None = None
    for k, raw in enumerate(lines):
        line = raw.rstrip("\r\n")
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        found = _HEADING.match(line)
        if found:
            out.append(_Heading(k, len(found.group(1)), _heading_text(found.group(2))))
    return out


def _heading_text(raw: str) -> str:
    """A heading's text without trailing blanks and its closing sequence of `#`s."""
    return raw.rstrip(" \t").rstrip("#").rstrip(" \t")


def _release_headings(headings: list[_Heading]) -> list[_Heading]:
    """Headings of the release entries: the shallowest level holding versions or Unreleased."""
    candidates = [
        h for h in headings if h.depth >= 2 and (find_version(h.text) or _UNRELEASED.match(h.text))
    ]
    if not candidates:
        return []
    depth = min(h.depth for h in candidates)
    return [h for h in headings if h.depth == depth]


def detect_style(text: str) -> HeadingStyle:
    """The heading template, version prefix and bullet of an existing changelog."""
    lines = _lines(text)
    releases = _release_headings(_headings(lines))
    versioned = [h for h in releases if find_version(h.text)]
    if not versioned:
        depth = releases[0].depth if releases else 2
        return HeadingStyle(template="#" * depth + " [{version}] - {date}")
    first = versioned[0]
    token = find_version(first.text) or ""
    heading = first.text.replace("{", "{{").replace("}", "}}")
    template = heading.replace(token, "{version}", 1)
    template = _DATE.sub("{date}", template, count=1)
    rest = template.replace("{version}", "").replace("{date}", "")
    if not set(rest) <= _TEMPLATE_FILLER or "{{" in template:
        template = "[{version}] - {date}"
    bullet = "-"
    for raw in lines[first.line + 1 :]:
        if _HEADING.match(raw.rstrip("\r\n")) and not raw.startswith("#" * (first.depth + 1)):
            break
        found = _BULLET.match(raw)
        if found:
            bullet = found.group(1)
            break
    return HeadingStyle(
        template="#" * first.depth + " " + template,
        version_prefix="v" if token.startswith("v") else "",
        bullet=bullet,
    )


def _entry_end(lines: list[str], releases: list[_Heading], start: _Heading) -> int:
    """The line index where the entry under `start` ends (next release heading or EOF)."""
    later = [h.line for h in releases if h.line > start.line]
    return later[0] if later else len(lines)


def _has_marker(lines: list[str], heading: _Heading) -> bool:
    return any(raw.strip() == MARKER for raw in lines[heading.line + 1 : heading.line + 3])


def _replace(lines: list[str], start: int, end: int, block: str) -> str:
    """Lines [start, end) replaced by `block`, keeping the blank lines that ended the span."""
    keep = end
    while keep > start + 1 and not lines[keep - 1].strip():
        keep -= 1
    return "".join(lines[:start]) + block + "".join(lines[keep:])


def _insert(lines: list[str], at: int, block: str, newline: str) -> str:
    """`block` inserted before line `at`, with blank lines separating it from its neighbours."""
    before = "".join(lines[:at])
    if before and not before.endswith("\n"):
        before += newline
    if before and lines[at - 1].strip():
        block = newline + block
    after = "".join(lines[at:])
    if after:
        block += newline
    return before + block + after


def insert_entry(text: str, entry: ChangelogEntry, *, label: str = "CHANGELOG.md") -> str:
    """The changelog text with the entry inserted (or its earlier own entry replaced).

    Every byte outside the entry stays as it was. An entry for the same version that specver
    did not write is never overwritten: that raises InputError.
    """
    return _place_entry(text, entry, label)[0]


def _place_entry(text: str, entry: ChangelogEntry, label: str) -> tuple[str, bool]:
    """The new text and whether an earlier entry of specver's was replaced."""
    newline = "\r\n" if "\r\n" in text else "\n"
    style = detect_style(text)
    block = entry_markdown(entry, style, marker=True).replace("\n", newline)
    lines = _lines(text)
    releases = _release_headings(_headings(lines))
    for heading in releases:
        token = find_version(heading.text)
        if token is None or not same_version(token, entry.version):
            continue
        if not _has_marker(lines, heading):
            raise InputError(
                f"{label}: line {heading.line + 1} already has an entry for {token} that "
                "specver did not write; remove it or choose another --version"
            )
        return _replace(lines, heading.line, _entry_end(lines, releases, heading), block), True
    later = [h.line for h in releases if not _UNRELEASED.match(h.text)]
    return _insert(lines, later[0] if later else len(lines), block, newline), False


def new_changelog(entry: ChangelogEntry) -> str:
    """The text of a new CHANGELOG.md holding one entry."""
    return NEW_FILE_TITLE + "\n" + entry_markdown(entry, marker=True)


def planned_write(path: Path, entry: ChangelogEntry) -> ChangelogWrite:
    """What writing the entry into `path` would produce, without writing anything.

    The changelog is read as every input is (a regular file within the size limit, a
    symlink only into the workspace: `atomic.read_input`).
    """

    if not os.path.lexists(path):
        return planned_from(path, None, entry)
    return planned_from(path, read_input(path, str(path)), entry)


def planned_from(path: Path, data: bytes | None, entry: ChangelogEntry) -> ChangelogWrite:
    """The changelog `data` (None: no file yet) with the entry placed in it."""
    if data is None:
        return ChangelogWrite(path, new_changelog(entry), created=True, replaced=False)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not valid UTF-8; cannot add a changelog entry") from None
    if "\x00" in text:
        raise InputError(f"{path}: binary file (contains NUL bytes), not a changelog")
    updated, replaced = _place_entry(text, entry, str(path))
    return ChangelogWrite(path, updated, created=False, replaced=replaced)


def write_entry(
    path: Path, entry: ChangelogEntry, *, inputs: Iterable[Path] = ()
) -> ChangelogWrite:
    """Insert the entry into the changelog at `path` (created when missing), atomically.

    The changelog is read, changed and written back under a lock (`atomic.update_text`),
    so concurrent writers of different entries keep every one; `inputs` (the command's
    spec files) are never overwritten.
    """

    planned: list[ChangelogWrite] = []

    def place(data: bytes | None) -> str:
        planned.append(planned_from(path, data, entry))
        return planned[-1].text

    update_text(path, place, inputs=inputs)
    return planned[-1]
