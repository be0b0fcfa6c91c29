"""Reading release notes: the edge of the audit, where a file or `REV:PATH` becomes `Notes`."""

from __future__ import annotations

from pathlib import Path

from specver.atomic import read_input
from specver.audit.notes import Notes, notes_from_changelog, read_notes
from specver.errors import InputError
from specver.spec.sources.file import decode_spec, is_revision
from specver.spec.sources.git import read_revision


def notes_text(source: str | Path, what: str, repo: Path | None = None) -> str:
    """The text of a notes file or changelog: a path, or `REV:PATH` in a git repository."""
    label = str(source)
    if isinstance(source, str) and is_revision(source):
        return read_revision(source, repo=repo).text.removeprefix("\ufeff")
    data = read_input(Path(source), label)
    try:
        return decode_spec(label, data).removeprefix("\ufeff")
    except InputError as exc:
        raise InputError(exc.message.replace("Markdown spec", what)) from None


def notes_file(source: str | Path, repo: Path | None = None) -> Notes:
    """The notes of a release from a Markdown or plain-text notes file (all of it)."""
    return read_notes(notes_text(source, "notes file", repo), str(source))


def changelog_notes(source: str | Path, version: str, repo: Path | None = None) -> Notes:
    """The notes of one release: the entry of `version` in a CHANGELOG.md."""
    return notes_from_changelog(notes_text(source, "changelog", repo), version, str(source))
