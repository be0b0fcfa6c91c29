"""Where a fork network comes from: remotes of one repository, clones, or a list (the edge).

`remote_forks`, `clone_forks` and `listed_forks` name the forks (`ForkRef`); a `Reader`
reads each fork's spec once per distinct blob (forks share most of their text, and many
are identical), finds merge bases for many forks with one `git rev-list`, and counts the
upstream commits and releases after a base. Only commit ids and ref names reach git's
command line (after the options), as in `spec.sources.git`.
"""

from __future__ import annotations

import fnmatch
import hashlib
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from specver.atomic import read_input
from specver.errors import SourceError, UsageError
from specver.fork.network.model import SkippedFork
from specver.spec.sources.file import decode_spec, is_revision
from specver.spec.sources.git import (
    SYMLINK_MODE,
    merge_base,
    open_repo,
    read_blob,
    repo_path,
    resolve_commit,
    split_revision,
)

if TYPE_CHECKING:
    from git import Commit, Repo

BRANCHES = ("main", "master")
"""The branch a remote's fork is read from when the remote has no `HEAD` (first found)."""


@dataclass(frozen=True, slots=True)
class ForkRef:
    """One fork to read: a revision in a repository, or a file."""

    name: str
    """How reports name the fork: the remote, the clone's folder, the listed line."""
    label: str
    """The fork's spec as a source label (`fork-a/main:model_spec.md`, a path)."""
    repo: Path | None
    """The repository holding `rev`; None for a plain file."""
    rev: str | None
    path: str
    """The spec's path in the revision's tree, or the file's path."""


def _remote_names(repo: Repo) -> list[str]:
    """The configured remotes, longest name first (a remote name may hold a `/`)."""
    try:
        names = [r.name for r in repo.remotes]
    except (ValueError, OSError):
        names = []
    return sorted(names, key=len, reverse=True)


def _remote_refs(repo: Repo) -> dict[str, dict[str, str]]:
    """Remote name -> branch name -> ref (`HEAD` -> the branch it points at)."""
    listing = str(repo.git.for_each_ref("--format=%(refname)%00%(symref)", "refs/remotes/"))
    known = _remote_names(repo)
    out: dict[str, dict[str, str]] = {}
    for line in listing.splitlines():
        ref, _, symref = line.partition("\x00")
        rest = ref.removeprefix("refs/remotes/")
        remote = next((n for n in known if rest.startswith(n + "/")), rest.split("/", 1)[0])
        branch = rest[len(remote) + 1 :]
        if branch:
            out.setdefault(remote, {})[branch] = symref or ref
    return out


def remote_forks(
    repo: Repo, pattern: str, path: str, exclude: str | None = None
) -> tuple[list[ForkRef], list[SkippedFork]]:
    """A fork per remote whose name matches `pattern` (shell-style), read at the branch its
    `HEAD` names, else `main`, else `master`; `exclude` (upstream's ref) is left out."""
    refs, skipped = [], []
    where = Path(str(repo.git_dir))
    for remote, branches in sorted(_remote_refs(repo).items()):
        if not fnmatch.fnmatchcase(remote, pattern):
            continue
        head = branches.get("HEAD")
        ref = head or next((branches[b] for b in BRANCHES if b in branches), None)
        if ref is None:
            skipped.append(SkippedFork(remote, f"no HEAD, {' or '.join(BRANCHES)} branch"))
            continue
        short = ref.removeprefix("refs/remotes/")
        if exclude is not None and short in (exclude, f"{exclude}/HEAD"):
            continue
        refs.append(ForkRef(remote, f"{short}:{path}", where, ref, path))
    return refs, skipped


def _git_repo_at(folder: Path) -> Repo | None:
    """The repository whose top (or bare git dir) is `folder`; None for other folders."""
    import git

    try:
        repo = git.Repo(folder, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, PermissionError):
        return None
    return repo


def clone_forks(folders: Iterable[Path], path: str) -> tuple[list[ForkRef], list[SkippedFork]]:
    """A fork per clone: each folder that is a repository (its `HEAD`), or holds the spec
    at `path` as a plain file; any other folder is a folder of clones, one level down."""
    refs: list[ForkRef] = []
    skipped: list[SkippedFork] = []
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"--repos {folder}: not a directory")
        one = _clone(folder, path, str(folder))
        if one is not None:
            refs.append(one)
            continue
        found = 0
        for child in sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()):
            fork = _clone(child, path, child.name)
            if fork is not None:
                refs.append(fork)
                found += 1
        if not found:
            skipped.append(SkippedFork(str(folder), f"no clone and no {path} in it"))
    return refs, skipped


def _clone(folder: Path, path: str, name: str) -> ForkRef | None:
    if _git_repo_at(folder) is not None:
        return ForkRef(name, f"{name}:{path}", folder, "HEAD", path)
    spec = folder / path
    if spec.is_file():
        return ForkRef(name, str(spec), None, None, str(spec))
    return None


def listed_forks(
    listing: Path, path: str, repo: Path | None
) -> tuple[list[ForkRef], list[SkippedFork]]:
    """Forks named one per line in a file: `REV:PATH` (in `repo`), a spec file, or a clone
    (or folder of clones); relative paths are read from the list's folder. Blank lines and
    lines starting with `#` are skipped."""
    data = read_input(listing, f"--list {listing}")
    text = decode_spec(f"--list {listing}", data) if data.strip() else ""
    refs: list[ForkRef] = []
    skipped: list[SkippedFork] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        local = listing.parent / line
        if is_revision(line, exists=local.exists()):
            rev, spec_path = split_revision(line)
            where = repo.resolve() if repo is not None else Path.cwd()
            refs.append(ForkRef(rev, line, where, rev, spec_path))
        elif local.is_dir():
            more, gone = clone_forks([local], path)
            refs += [r if r.name != str(local) else _named(r, line) for r in more]
            skipped += gone
        elif local.is_file():
            refs.append(ForkRef(line, line, None, None, str(local)))
        else:
            skipped.append(SkippedFork(line, "no such file, folder or revision"))
    return refs, skipped


def _named(ref: ForkRef, name: str) -> ForkRef:
    label = f"{name}:{ref.path}" if ref.rev is not None else ref.label
    return ForkRef(name, label, ref.repo, ref.rev, ref.path)


def unique_names(refs: Sequence[ForkRef]) -> list[ForkRef]:
    """The refs with names made unique (a repeated name gets its source label, then `#k`)."""
    counts: dict[str, int] = {}
    for ref in refs:
        counts[ref.name] = counts.get(ref.name, 0) + 1
    out: list[ForkRef] = []
    taken: set[str] = set()
    for ref in refs:
        name = ref.name if counts[ref.name] == 1 else ref.label
        k = 2
        base = name
        while name in taken:
            name = f"{base}#{k}"
            k += 1
        taken.add(name)
        out.append(ForkRef(name, ref.label, ref.repo, ref.rev, ref.path))
    return out


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ForkText:
    """A fork's spec as read: the key of its text, and the commit it was read at."""

    ref: ForkRef
    key: str
    """sha256 of the spec's bytes (the key of `Reader.texts`)."""
    commit: str | None
    """The commit the spec was read at; None for a plain file."""


class Reader:
    """Reads specs once per distinct blob, and keeps one open repository per folder."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}
        """sha256 -> text of every spec read."""
        self._repos: dict[Path, Repo] = {}
        self._blobs: dict[tuple[str, str], str] = {}

    def repo(self, where: Path) -> Repo:
        """The repository at `where` (opened once)."""
        key = where.resolve()
        if key not in self._repos:
            self._repos[key] = open_repo(where)
        return self._repos[key]

    def _keep(self, label: str, data: bytes) -> str:
        key = hashlib.sha256(data).hexdigest()
        if key not in self.texts:
            self.texts[key] = decode_spec(label, data)
        return key

    def at_commit(self, repo: Repo, commit: Commit, path: str, label: str) -> str:
        """The key of the spec at `path` in `commit` (read unless its blob was read)."""
        try:
            item = commit.tree / path
        except (KeyError, ValueError, IndexError, TypeError):
            raise SourceError(f"{label}: no file {path} at {commit.hexsha[:12]}") from None
        symlink = getattr(item, "mode", 0) & 0o170000 == SYMLINK_MODE
        blob = (str(repo.git_dir), str(item.hexsha))
        if not symlink and blob in self._blobs:
            return self._blobs[blob]
        key = self._keep(label, read_blob(commit, path, label))
        if not symlink:
            self._blobs[blob] = key
        return key

    def file(self, path: Path, label: str) -> str:
        """The key of a spec file's text."""
        return self._keep(label, read_input(path, label))

    def fork(self, ref: ForkRef) -> ForkText:
        """Read one fork's spec."""
        if ref.repo is None or ref.rev is None:
            return ForkText(ref, self.file(Path(ref.path), ref.label), None)
        repo = self.repo(ref.repo)
        commit = resolve_commit(repo, ref.rev)
        path = repo_path(ref.path, ref.label)
        return ForkText(ref, self.at_commit(repo, commit, path, ref.label), commit.hexsha)


# --- history -------------------------------------------------------------------------------


def has_commit(repo: Repo, sha: str) -> bool:
    """Whether the repository holds the commit `sha` (a full id)."""
    import git

    try:
        return repo.commit(sha).tree is not None
    except (git.BadName, git.BadObject, git.GitCommandError, ValueError, KeyError, OSError):
        return False


def merge_bases(repo: Repo, upstream: str, tips: Sequence[str]) -> dict[str, str | None]:
    """The merge base of `upstream` with each tip, from one `git rev-list` of the commits
    only the tips have: a tip upstream already holds is its own merge base; a tip whose
    own commits reach exactly one upstream commit has that one; several (criss-cross
    histories) are left to `git merge-base`; none means no shared history (None)."""
    unique = list(dict.fromkeys(tips))
    lines = "".join(f"{t}\n" for t in unique) + f"^{upstream}\n"
    done = subprocess.run(
        ["git", "--git-dir", str(repo.git_dir), "rev-list", "--parents", "--stdin"],
        input=lines,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {t: _one_merge_base(repo, upstream, t) for t in unique}
    parents: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        ids = line.split()
        if ids:
            parents[ids[0]] = ids[1:]
    out: dict[str, str | None] = {}
    for tip in unique:
        boundary = _boundary(parents, tip)
        if boundary is None:
            out[tip] = tip
        elif len(boundary) == 1:
            out[tip] = next(iter(boundary))
        elif boundary:
            out[tip] = _one_merge_base(repo, upstream, tip)
        else:
            out[tip] = None
    return out


def _boundary(parents: dict[str, list[str]], tip: str) -> set[str] | None:
    """Upstream commits the tip's own commits have as parents; None when upstream has the
    tip itself."""
    if tip not in parents:
        return None
    seen = {tip}
    stack = [tip]
    found: set[str] = set()
    while stack:
        for parent in parents[stack.pop()]:
            if parent not in parents:
                found.add(parent)
            elif parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return found


def _one_merge_base(repo: Repo, upstream: str, tip: str) -> str | None:
    found = merge_base(repo, repo.commit(upstream), repo.commit(tip))
    return found.hexsha if found is not None else None


def commits_after(repo: Repo, base: str, upstream: str) -> list[str]:
    """Upstream commits after `base`: reachable from upstream and not from the base."""
    out = str(repo.git.rev_list(f"^{base}", upstream, "--"))
    return out.split()
