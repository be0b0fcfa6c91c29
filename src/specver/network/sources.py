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

from specver.atomic import read_input, too_large
from specver.display import display
from specver.errors import SourceError, UsageError
from specver.network.model import SkippedFork
from specver.spec.sources.file import decode_spec, is_revision, max_bytes
from specver.spec.sources.git import (
    SYMLINK_MODE,
    merge_base,
    open_repo,
    read_blob,
    read_blob_id,
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
    commit: str | None = None
    """The commit `rev` names, when the listing already resolved it (remote refs)."""


def _remote_names(repo: Repo) -> list[str]:
    """The configured remotes, longest name first (a remote name may hold a `/`)."""
    try:
        names = [r.name for r in repo.remotes]
    except (ValueError, OSError):
        names = []
    return sorted(names, key=len, reverse=True)


def _remote_refs(repo: Repo) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Remote name -> branch name -> ref (`HEAD` -> the branch it points at), and each ref's
    commit, from one `git for-each-ref`."""
    listing = str(
        repo.git.for_each_ref(
            "--format=%(refname)%00%(symref)%00%(objectname)%00%(*objectname)", "refs/remotes/"
        )
    )
    known = _remote_names(repo)
    out: dict[str, dict[str, str]] = {}
    commits: dict[str, str] = {}
    for line in listing.splitlines():
        ref, symref, objectname, peeled = [*line.split("\x00"), "", "", ""][:4]
        commits[ref] = peeled or objectname
        rest = ref.removeprefix("refs/remotes/")
        remote = next((n for n in known if rest.startswith(n + "/")), rest.split("/", 1)[0])
        branch = rest[len(remote) + 1 :]
        if branch:
            out.setdefault(remote, {})[branch] = symref or ref
    return out, commits


def remote_forks(
    repo: Repo, pattern: str, path: str, exclude: str | None = None
) -> tuple[list[ForkRef], list[SkippedFork]]:
    """A fork per remote whose name matches `pattern` (shell-style), read at the branch its
    `HEAD` names, else `main`, else `master`; `exclude` (upstream's ref) is left out."""
    refs, skipped = [], []
    where = Path(str(repo.git_dir))
    remotes, commits = _remote_refs(repo)
    for remote, branches in sorted(remotes.items()):
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
        refs.append(ForkRef(remote, f"{short}:{path}", where, ref, path, commits.get(ref)))
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
        one = _clone(folder, path, folder.resolve().name or str(folder))
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
            one = _clone(local, path, line)
            if one is not None:
                refs.append(one)
                continue
            more, gone = clone_forks([local], path)
            refs += more
            skipped += gone
        elif local.is_file():
            refs.append(ForkRef(line, line, None, None, str(local)))
        else:
            skipped.append(SkippedFork(line, "no such file, folder or revision"))
    return refs, skipped


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
        out.append(
            ForkRef(
                display(name, one_line=True),
                display(ref.label, one_line=True),
                ref.repo,
                ref.rev,
                ref.path,
                ref.commit,
            )
        )
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

    def forks(self, refs: Sequence[ForkRef]) -> tuple[list[ForkText], list[SkippedFork]]:
        """Read every fork's spec, in order; a fork that cannot be read is skipped.

        The forks of one repository are looked up with one `git cat-file --batch-check
        --follow-symlinks` (symlinks followed only inside the tree), and each distinct
        blob is read once."""
        found: dict[int, ForkText | SkippedFork] = {}
        by_repo: dict[Path, list[tuple[int, ForkRef, str, str]]] = {}
        for k, ref in enumerate(refs):
            try:
                if ref.repo is None or ref.rev is None:
                    found[k] = ForkText(ref, self.file(Path(ref.path), ref.label), None)
                    continue
                repo = self.repo(ref.repo)
                commit = ref.commit or resolve_commit(repo, ref.rev).hexsha
                path = repo_path(ref.path, ref.label)
                if any(c in path for c in "\n\r\x00"):
                    raise SourceError(f"{ref.label}: {path!r} is not a file path")
                by_repo.setdefault(ref.repo, []).append((k, ref, commit, path))
            except SourceError as exc:
                found[k] = SkippedFork(ref.name, exc.message)
        for where, items in by_repo.items():
            repo = self.repo(where)
            blobs = _blob_ids(repo, [(commit, path) for _k, _r, commit, path in items])
            for (k, ref, commit, path), blob in zip(items, blobs, strict=True):
                try:
                    found[k] = ForkText(
                        ref, self._blob(repo, blob, commit, path, ref.label), commit
                    )
                except SourceError as exc:
                    found[k] = SkippedFork(ref.name, exc.message)
        texts = [v for _k, v in sorted(found.items()) if isinstance(v, ForkText)]
        skipped = [v for _k, v in sorted(found.items()) if isinstance(v, SkippedFork)]
        return texts, skipped

    def _blob(
        self, repo: Repo, blob: tuple[str, int] | str, commit: str, path: str, label: str
    ) -> str:
        if isinstance(blob, str):
            raise SourceError(f"{label}: {blob} {path} at {commit[:12]}")
        sha, size = blob
        if size > max_bytes():
            raise too_large(label, max_bytes())
        cache = (str(repo.git_dir), sha)
        if cache not in self._blobs:
            self._blobs[cache] = self._keep(label, read_blob_id(repo, sha, label))
        return self._blobs[cache]


BATCH_PROBLEMS = {
    "missing": "no file",
    "ambiguous": "no file",
    "dangling": "a symlink to nothing:",
    "loop": "a symlink loop:",
    "notdir": "no file",
    "symlink": "a symlink leading outside the repository:",
}
"""What `git cat-file --batch-check --follow-symlinks` answers instead of an object."""


def _blob_ids(repo: Repo, items: Sequence[tuple[str, str]]) -> list[tuple[str, int] | str]:
    """(blob id, size) of `path` in each commit, or what is wrong instead (one process)."""
    lines = "".join(f"{commit}:{path}\n" for commit, path in items)
    done = subprocess.run(
        ["git", "--git-dir", str(repo.git_dir), "cat-file", "--batch-check", "--follow-symlinks"],
        input=lines,
        capture_output=True,
        text=True,
        check=False,
    )
    answers = done.stdout.split("\n")
    out: list[tuple[str, int] | str] = []
    at = 0
    for _item in items:
        words = answers[at].split() if at < len(answers) else ["", "missing"]
        at += 1
        problem = next((w for w in words[:2] if w in BATCH_PROBLEMS), None)
        if problem is not None:
            if words[0] in ("dangling", "loop", "notdir", "symlink"):
                at += 1  # these answers carry a second line
            out.append(BATCH_PROBLEMS[problem])
        elif len(words) == 3 and words[1] == "blob":
            out.append((words[0], int(words[2])))
        else:
            out.append("not a file (a directory?):" if len(words) == 3 else "no file")
    return out


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
