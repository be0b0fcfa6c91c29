"""Where spec text comes from: a file on disk (`file`) or `REV:PATH` in git (`git`).

`read_source` is the one dispatcher over the two, so neither source imports the other's
caller: `git` builds on `file`'s checks and `file` knows nothing of git.
"""

from __future__ import annotations

from pathlib import Path

from specver.spec.sources.file import SourceText, is_revision, read_file
from specver.spec.sources.git import read_revision


def read_source(arg: str, *, repo: Path | None = None) -> SourceText:
    """Read a spec named by a path or by `REV:PATH` (resolved in `repo` or the current one)."""
    if is_revision(arg):
        return read_revision(arg, repo=repo)
    return read_file(Path(arg), label=arg)


__all__ = ["SourceText", "is_revision", "read_file", "read_revision", "read_source"]
