"""Changelog entries: the entry's text (`entry`), its Markdown and JSON (`markdown`), and its
safe insertion into CHANGELOG.md (`file`). This module re-exports their public names."""

from __future__ import annotations

from specver.diff.kinds import GROUPS
from specver.release.changelog.entry import (
    MARKER,
    SCHEMA,
    ChangelogEntry,
    ChangelogGroup,
    ChangelogResult,
    EntryLine,
    build_entry,
    changelog_entry,
    first_entry,
)
from specver.release.changelog.file import (
    NEW_FILE_TITLE,
    ChangelogWrite,
    detect_style,
    insert_entry,
    new_changelog,
    planned_write,
    write_entry,
)
from specver.release.changelog.markdown import HeadingStyle, entry_data, entry_markdown, entry_text
from specver.release.changelog.summary import Summary, read_summary

__all__ = [
    "GROUPS",
    "MARKER",
    "NEW_FILE_TITLE",
    "SCHEMA",
    "ChangelogEntry",
    "ChangelogGroup",
    "ChangelogResult",
    "ChangelogWrite",
    "EntryLine",
    "HeadingStyle",
    "Summary",
    "build_entry",
    "changelog_entry",
    "detect_style",
    "entry_data",
    "entry_markdown",
    "entry_text",
    "first_entry",
    "insert_entry",
    "new_changelog",
    "planned_write",
    "read_summary",
    "write_entry",
]
