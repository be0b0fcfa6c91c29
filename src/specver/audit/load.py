"""Reading release notes from files: the edge of the audit, where bytes become `Notes`."""

from __future__ import annotations

from pathlib import Path

from specver.atomic import read_input
from specver.audit.notes import Notes, notes_from_changelog, read_notes
from specver.errors import InputError
from specver.spec.sources.file import decode_spec


def _text(path: Path, what: str) -> str:
    label = str(path)
    data = read_input(path, label)
    try:
        return decode_spec(label, data).removeprefix("\ufeff")
    except InputError as exc:
        raise InputError(exc.message.replace("spec", what)) from None


def notes_file(path: Path) -> Notes:
    """The notes of a release from a Markdown or plain-text notes file (all of it)."""
    return read_notes(_text(path, "notes file"), str(path))


def changelog_notes(path: Path, version: str) -> Notes:
    """The notes of one release: the entry of `version` in a CHANGELOG.md."""
    return notes_from_changelog(_text(path, "changelog"), version, str(path))
