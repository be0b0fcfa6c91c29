"""What a git revision is called as a release: its tag's name and the tag's date.

A report names a version the way people do: `v2025.09.12 (2025-09-12)`, not
`49e51d7:model_spec.md`. For a revision that is a tag, the tag's own name and date (the
tagger's date for an annotated tag, the commit's for a lightweight one); for a commit that
tags point at, the first of them; for any other commit, the revision as given and the
commit's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from specver.spec.sources.git import (
    commit_day,
    open_repo,
    release_date,
    resolve_commit,
    split_revision,
    tags_by_commit,
)

if TYPE_CHECKING:
    from git import Commit, Repo, TagReference

HEX_RE = re.compile(r"^[0-9a-f]{7,64}$")


@dataclass(frozen=True, slots=True)
class RevisionName:
    """A revision as a release: its name and its date."""

    name: str
    """The tag's name, else the revision as given (a commit id cut to 12 digits)."""
    date: str | None
    """ISO date (YYYY-MM-DD) of the tag, else of the commit, in the author's time zone."""
    commit: str
    """The full commit id."""


def commit_date(commit: Commit) -> str:
    """The commit's date (committer time, in its zone)."""
    return commit_day(commit).isoformat()


def tag_date(tag: TagReference) -> str | None:
    """The date of a tag: the tagger's for an annotated tag, else its commit's."""
    day = release_date(tag)
    return day.isoformat() if day else None


def revision_name(repository: Repo, rev: str) -> RevisionName:
    """The name and date of a revision as a release (see the module docstring)."""
    commit = resolve_commit(repository, rev)
    tags = {t.name: t for t in repository.tags}
    if rev in tags:
        return RevisionName(rev, tag_date(tags[rev]), commit.hexsha)
    pointing = tags_by_commit(repository).get(commit.hexsha, ())
    if pointing:
        return RevisionName(pointing[0], tag_date(tags[pointing[0]]), commit.hexsha)
    shown = rev[:12] if HEX_RE.match(rev) else rev
    return RevisionName(shown, commit_date(commit), commit.hexsha)


def source_revision_name(arg: str, repo: Path | None = None) -> RevisionName:
    """`revision_name` for a `REV:PATH` source argument."""
    rev, _path = split_revision(arg)
    return revision_name(open_repo(repo), rev)
