"""Spec text at a git revision (`REV:PATH`), read from git's objects without a checkout.

User text never reaches a git command line: revisions are resolved by gitpython's own
`rev_parse` and objects are read through the object database.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import SourceError
from .model import EvalFile
from .sources import EVALS_DIR, SourceText, decode_spec, max_bytes, read_eval_files

if TYPE_CHECKING:
    from git import Commit, Repo


def open_repo(repo: Path | None = None) -> Repo:
    """The repository at `repo` (or containing the current directory)."""
    import git

    where = repo or Path.cwd()
    try:
        return git.Repo(where, search_parent_directories=True)
    except git.NoSuchPathError:
        raise SourceError(f"{where}: no such directory") from None
    except git.InvalidGitRepositoryError:
        raise SourceError(f"{where}: not a git repository") from None


def resolve_commit(repo: Repo, rev: str) -> Commit:
    """The commit a revision names; refuses option-like and unknown revisions."""
    import git

    if not rev or rev.startswith("-"):
        raise SourceError(f"{rev!r}: not a revision (revisions may not start with '-')")
    try:
        obj = repo.rev_parse(rev)
    except (git.BadName, git.BadObject, ValueError, IndexError):
        raise SourceError(
            f"{rev}: unknown revision in {repo.working_dir or repo.git_dir}"
        ) from None
    while obj.type == "tag":
        obj = obj.object
    if obj.type != "commit":
        raise SourceError(f"{rev}: names a {obj.type}, not a commit")
    return obj


def read_blob(commit: Commit, path: str, label: str) -> bytes:
    """The bytes of `path` in a commit's tree."""
    try:
        blob = commit.tree / path
    except KeyError:
        raise SourceError(f"{label}: no file {path} at {commit.hexsha[:12]}") from None
    if blob.type != "blob":
        raise SourceError(f"{label}: {path} is a directory at {commit.hexsha[:12]}")
    if blob.size > max_bytes():
        raise SourceError(f"{label}: larger than the size limit (set SPECVER_MAX_BYTES)")
    data: bytes = blob.data_stream.read()
    return data


def read_revision(arg: str, *, repo: Path | None = None) -> SourceText:
    """Read `REV:PATH` from a repository, with the eval files of the same revision."""
    rev, _, path = arg.partition(":")
    path = path.lstrip("/")
    repository = open_repo(repo)
    commit = resolve_commit(repository, rev)
    data = read_blob(commit, path, arg)
    text = decode_spec(arg, data)
    return SourceText(arg, text, hashlib.sha256(data).hexdigest(), eval_files_at(commit, path))


def eval_files_at(commit: Commit, spec_path: str) -> tuple[EvalFile, ...] | None:
    """Eval files in `examples/` beside the spec at this commit; None when there is no folder."""
    folder = posixpath.join(posixpath.dirname(spec_path), EVALS_DIR)
    try:
        tree = commit.tree / folder
    except KeyError:
        return None
    if tree.type != "tree":
        return None
    files = [
        (posixpath.splitext(item.name)[0], item.data_stream.read())
        for item in tree.blobs
        if item.name.endswith(".md")
    ]
    return tuple(read_eval_files(sorted(files)))
