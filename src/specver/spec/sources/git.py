"""Spec text at a git revision (`REV:PATH`), read from git's objects without a checkout.

User text never reaches a git command line in an option position: revisions are resolved by
gitpython's own `rev_parse`, objects are read through the object database, and the few git
commands run (`rev-list`, `merge-base`) receive only commit ids and a path placed after `--`
with pathspec magic turned off. Works in bare repositories; in a shallow clone, revisions
beyond the shallow boundary are reported as such.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specver.atomic import too_large
from specver.errors import SourceError, UsageError
from specver.spec.model import EvalFile
from specver.spec.sources.file import (
    EVALS_DIR,
    SourceText,
    decode_spec,
    is_revision,
    max_bytes,
    read_eval_files,
)

if TYPE_CHECKING:
    from git import Commit, Repo, TagReference


def open_repo(repo: Path | None = None) -> Repo:
    """The repository at `repo` (or containing the current directory); bare ones included."""
    import git

    where = repo or Path.cwd()
    if repo is not None and not Path(repo).is_dir():
        kind = "no such directory" if not Path(repo).exists() else "not a directory"
        raise SourceError(f"{where}: {kind}")
    try:
        return git.Repo(where, search_parent_directories=True)
    except git.NoSuchPathError:
        raise SourceError(f"{where}: no such directory") from None
    except (git.InvalidGitRepositoryError, git.exc.WorkTreeRepositoryUnsupported):
        raise SourceError(f"{where}: not a git repository") from None
    except PermissionError:
        raise SourceError(f"{where}: permission denied") from None


def repo_label(repo: Repo) -> str:
    """How to name a repository in messages: its working tree, or its git dir when bare."""
    return str(repo.working_tree_dir or repo.git_dir)


def is_shallow(repo: Repo) -> bool:
    """Whether the repository is a shallow clone (history cut at a boundary)."""
    return (Path(repo.git_dir) / "shallow").is_file()


def resolve_commit(repo: Repo, rev: str) -> Commit:
    """The commit a revision names; refuses option-like, unknown and unreachable revisions."""
    import git

    if not rev or rev.startswith("-"):
        raise SourceError(f"{rev!r}: not a revision (revisions may not start with '-')")
    if any(ch in rev for ch in "\x00\n\r"):
        raise SourceError(f"{rev!r}: not a revision")
    try:
        obj = _rev_parse(repo, rev)
        while obj.type == "tag":
            obj = obj.object
        if obj.type == "commit":
            obj.tree  # noqa: B018  (reading the tree proves the object is present)
    except (
        git.BadName,
        git.BadObject,
        ValueError,
        IndexError,
        KeyError,
        TypeError,
        OSError,
        git.GitCommandError,
    ):
        hint = " (the repository is a shallow clone)" if is_shallow(repo) else ""
        raise SourceError(f"{rev}: unknown revision in {repo_label(repo)}{hint}") from None
    if obj.type != "commit":
        raise SourceError(f"{rev}: names a {obj.type}, not a commit")
    commit: Commit = obj
    return commit


def _rev_parse(repo: Repo, rev: str) -> Any:
    """gitpython's `rev_parse`; the forms it does not implement (`HEAD@{yesterday}`,
    `@{1.week.ago}`) are resolved by `git rev-parse --verify` with the revision after
    `--end-of-options`, so it can never act as an option."""
    try:
        return repo.rev_parse(rev)
    except NotImplementedError:
        sha = repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
        return repo.commit(sha.strip())


def repo_path(path: str, label: str) -> str:
    """A path inside a repository in git's form: relative, `/`-separated, no `..`."""
    cleaned = posixpath.normpath(path.replace("\\", "/").lstrip("/"))
    if cleaned in ("", ".") or cleaned == ".." or cleaned.startswith("../"):
        raise SourceError(f"{label}: {path!r} is not a file path inside the repository")
    return cleaned


SYMLINK_MODE = 0o120000
"""The mode git gives a symlink's tree entry (the blob holds the link's target path)."""


def _entry(commit: Commit, path: str, label: str) -> object:
    """The tree entry at `path`, following symlinks that stay inside the commit's tree."""
    seen: set[str] = set()
    while True:
        try:
            item = commit.tree / path
        except (KeyError, ValueError, IndexError, TypeError):
            raise SourceError(f"{label}: no file {path} at {commit.hexsha[:12]}") from None
        if getattr(item, "mode", 0) & 0o170000 != SYMLINK_MODE:
            return item
        if path in seen or len(seen) > 16:
            raise SourceError(f"{label}: {path} is a symlink loop at {commit.hexsha[:12]}")
        seen.add(path)
        link = item.data_stream.read(4097).decode("utf-8", "replace")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), link))
        if link.startswith("/") or joined == ".." or joined.startswith("../"):
            raise SourceError(
                f"{label}: {path} is a symlink leading outside the repository; refused"
            )
        path = joined


def read_blob(commit: Commit, path: str, label: str) -> bytes:
    """The bytes of `path` in a commit's tree (a symlink followed only inside the tree),
    refused over the size limit before a byte is read."""
    blob = _entry(commit, path, label)
    if getattr(blob, "type", None) != "blob":
        raise SourceError(f"{label}: {path} is a directory at {commit.hexsha[:12]}")
    return _blob_bytes(blob, label, max_bytes())


def _blob_bytes(blob: object, label: str, limit: int) -> bytes:
    """A blob's bytes, at most `limit` of them (more is a refusal)."""
    size = getattr(blob, "size", 0)
    if size > limit:
        raise too_large(label, limit)
    data: bytes = blob.data_stream.read(limit + 1)  # type: ignore[attr-defined]
    if len(data) > limit:
        raise too_large(label, limit)
    return data


def _plain_name(name: object) -> bool:
    """Whether a tree entry's name is a plain file name (git itself refuses the others)."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and "/" not in name
        and "\x00" not in name
    )


def blob_id(commit: Commit, path: str) -> str | None:
    """The blob id of `path` in a commit's tree, None when the commit has no such file."""
    try:
        item = commit.tree / path
    except KeyError:
        return None
    return str(item.hexsha) if item.type == "blob" else None


def split_revision(arg: str) -> tuple[str, str]:
    """`REV:PATH` split into the revision and a clean repository path."""
    rev, _, path = arg.partition(":")
    return rev, repo_path(path, arg)


def read_revision(arg: str, *, repo: Path | None = None) -> SourceText:
    """Read `REV:PATH` from a repository, with the eval files of the same revision."""
    rev, path = split_revision(arg)
    repository = open_repo(repo)
    commit = resolve_commit(repository, rev)
    return read_at(commit, path, arg)


def read_at(commit: Commit, path: str, label: str) -> SourceText:
    """The spec at `path` in one commit, with the eval files of that commit."""
    data = read_blob(commit, path, label)
    text = decode_spec(label, data)
    digest = hashlib.sha256(data).hexdigest()
    return SourceText(label, text, digest, eval_files_at(commit, path), path)


def eval_files_at(commit: Commit, spec_path: str) -> tuple[EvalFile, ...] | None:
    """Eval files in `examples/` beside the spec at this commit; None when there is no folder.

    Entries with malformed names (`..`, a `/`) are skipped; symlinks are followed only
    inside the tree; every file and their total are held to the size limit.
    """
    folder = posixpath.join(posixpath.dirname(spec_path), EVALS_DIR)
    try:
        tree = commit.tree / folder
    except (KeyError, ValueError, IndexError, TypeError):
        return None
    if tree.type != "tree":
        return None
    files = []
    left = max_bytes()
    label = f"{commit.hexsha[:12]}:{folder}"
    for item in tree:
        name = getattr(item, "name", None)
        if not _plain_name(name) or not str(name).endswith(".md"):
            continue
        blob = _entry(commit, posixpath.join(folder, str(name)), f"{label}/{name}")
        if getattr(blob, "type", None) != "blob":
            continue
        data = _blob_bytes(blob, f"{label}/{name}", left)
        left -= len(data)
        files.append((posixpath.splitext(str(name))[0], data))
    return tuple(read_eval_files(sorted(files)))


def merge_base(repo: Repo, one: Commit, other: Commit) -> Commit | None:
    """The best common ancestor of two commits, None when they share no history."""
    import git

    try:
        bases = repo.merge_base(one.hexsha, other.hexsha)
    except git.GitCommandError:
        return None
    found = [b for b in bases if b.type == "commit"]
    return found[0] if found else None


def tagged_commits(
    repo: Repo, path: str, *, start: str = "HEAD"
) -> list[tuple[Commit, tuple[str, ...]]]:
    """Tagged commits on the first-parent line from `start` that hold `path`, oldest first,
    each with its tag names (tags on merged branches or elsewhere are not releases of it)."""
    head = resolve_commit(repo, start)
    tags = tags_by_commit(repo)
    line = list(repo.iter_commits(head.hexsha, first_parent=True))
    line.reverse()
    return [
        (commit, tags[commit.hexsha])
        for commit in line
        if commit.hexsha in tags and blob_id(commit, path) is not None
    ]


def tags_by_commit(repo: Repo) -> dict[str, tuple[str, ...]]:
    """Commit id -> the names of the tags that point at it."""
    out: dict[str, list[str]] = {}
    for tag in repo.tags:
        try:
            out.setdefault(tag.commit.hexsha, []).append(tag.name)
        except ValueError:
            continue
    return {k: tuple(sorted(v)) for k, v in out.items()}


def merge_base_source(upstream: str, fork: str, repo: Path | None = None) -> SourceText:
    """The spec at the merge base of two `REV:PATH` sources of one repository.

    The path is the fork's when the base holds it, else upstream's.
    """
    if not (is_revision(upstream) and is_revision(fork)):
        raise UsageError(
            "--base is required unless --upstream and --fork are both REV:PATH in one repository"
        )
    (up_rev, up_path), (fork_rev, fork_path) = split_revision(upstream), split_revision(fork)
    repository = open_repo(repo)
    one, other = resolve_commit(repository, up_rev), resolve_commit(repository, fork_rev)
    base = merge_base(repository, one, other)
    if base is None:
        hint = " (the repository is a shallow clone)" if is_shallow(repository) else ""
        raise SourceError(f"{up_rev} and {fork_rev} share no history{hint}; give --base")
    path = fork_path if blob_id(base, fork_path) is not None else up_path
    return read_at(base, path, f"{base.hexsha[:12]}:{path}")


@dataclass(frozen=True, slots=True)
class PathCommit:
    """A commit that changed a file, as one `git log` line tells it."""

    commit: str
    """Full commit id."""
    blob: str | None
    """Blob id of the file after the commit; None when the commit deleted it."""
    date: str
    """Author date, strict ISO 8601 with offset."""
    author: str
    """Author name, else e-mail."""
    subject: str
    """First line of the commit message."""


LOG_FORMAT = "%x00%H%x1f%aI%x1f%an%x1f%ae%x1f%s"


def path_log(repo: Repo, path: str, *, start: str = "HEAD") -> list[PathCommit]:
    """First-parent commits from `start` back whose `path` blob differs from the one
    before, oldest first, read with one `git log --raw` (dates, authors and subjects
    included); commits where the file does not exist are left out.

    `git log` gets a commit id and the path after `--`, with pathspec magic disabled
    (GIT_LITERAL_PATHSPECS), so no user text can act as an option or a pattern.
    """
    head = resolve_commit(repo, start)
    out = repo.git.log(
        "--first-parent",
        "--no-abbrev",
        "--no-renames",
        "--raw",
        f"--format={LOG_FORMAT}",
        head.hexsha,
        "--",
        path,
        env={"GIT_LITERAL_PATHSPECS": "1"},
        stdout_as_string=False,
    )
    found = [_path_commit(record, path) for record in out.split(b"\x00")[1:]]
    found.reverse()
    kept: list[PathCommit] = []
    last: str | None = None
    for item in found:
        if item.blob is not None and item.blob != last:
            kept.append(item)
        last = item.blob
    return kept


def _path_commit(record: bytes, path: str) -> PathCommit:
    text = record.decode("utf-8", "replace")
    head, _, raw = text.partition("\n")
    commit, date, name, email, subject = head.split("\x1f", 4)
    blob: str | None = None
    for line in raw.splitlines():
        meta, _, where = line.partition("\t")
        if line.startswith(":") and where == path:
            parts = meta.split()
            blob = None if parts[4].startswith("D") else parts[3]
    return PathCommit(commit, blob, date, name or email, subject.strip())


def read_blob_id(repo: Repo, blob: str, label: str) -> bytes:
    """The bytes of a blob by id, through gitpython's one persistent `git cat-file --batch`."""
    import git

    try:
        _sha, kind, size, data = repo.git.get_object_data(blob)
    except (ValueError, git.GitCommandError):
        raise SourceError(f"{label}: blob {blob[:12]} cannot be read") from None
    kind_name = kind.decode() if isinstance(kind, bytes) else str(kind)
    if kind_name != "blob":
        raise SourceError(f"{label}: {blob[:12]} is not a blob")
    if size > max_bytes():
        raise SourceError(f"{label}: larger than the size limit (set SPECVER_MAX_BYTES)")
    return bytes(data)


def first_parent_line(repo: Repo, start: str = "HEAD") -> list[str]:
    """Commit ids on the first-parent line from `start` back, oldest first (one `rev-list`)."""
    head = resolve_commit(repo, start)
    ids: list[str] = str(repo.git.rev_list("--first-parent", head.hexsha)).split()
    ids.reverse()
    return ids


TAG_PREFIXES = ("refs/tags/", "tags/")
"""Spellings of a tag name in a revision (`refs/tags/v1.0.0`, `tags/v1.0.0`)."""


def revision_tag(arg: str, *, repo: Path | None = None) -> str | None:
    """The tag a `TAG:PATH` source names (its name without `refs/tags/`), None when the
    revision is no tag (a branch, a commit id, `HEAD~2`) or the argument is a file."""
    if not is_revision(arg):
        return None
    rev = arg.partition(":")[0]
    for prefix in TAG_PREFIXES:
        rev = rev.removeprefix(prefix)
    if not rev or rev.startswith("-"):
        return None
    repository = open_repo(repo)
    names = {tag.name for tag in repository.tags}
    return rev if rev in names else None


def tag_date(arg: str, *, repo: Path | None = None) -> date | None:
    """The release date of a `TAG:PATH` source: the annotated tag's tagger date, else the
    tagged commit's commit date, each in the time zone it was recorded in; None when the
    source names no tag."""
    name = revision_tag(arg, repo=repo)
    if name is None:
        return None
    return release_date(open_repo(repo).tags[name])


def release_date(tag: TagReference) -> date | None:
    """A tag's date: the annotated tag's tagger date, else the tagged commit's commit date,
    each in the time zone it was recorded in; None for a tag on a tree or blob."""
    annotated = tag.tag
    if annotated is not None:
        return _local_day(annotated.tagged_date, annotated.tagger_tz_offset)
    try:
        commit = tag.commit
    except ValueError:  # a tag on a tree or blob: no spec to read there either
        return None
    return commit_day(commit)


def commit_day(commit: Commit) -> date:
    """The commit's date (committer time, in its zone)."""
    return _local_day(commit.committed_date, commit.committer_tz_offset)


def _local_day(stamp: float, west_offset: float) -> date:
    """A git timestamp as a date in the time zone it was recorded in (gitpython's offsets
    are seconds *west* of UTC, as git stores them)."""
    zone = timezone(timedelta(seconds=-int(west_offset)))
    return datetime.fromtimestamp(stamp, zone).date()
