"""`fork_network`: read a fork network, compare every fork with its base, tally the results.

The stages, in order:

1. sources: name the forks (`sources.remote_forks`, `clone_forks`, `listed_forks`) and read
   each fork's spec once per distinct blob;
2. bases: the merge base with upstream for every fork git knows one of (one `rev-list` for
   the forks of upstream's repository), its spec, and how far upstream has gone since;
3. parse: upstream, each distinct base and, when a fork needs one detected, each upstream
   release, once, in this process;
4. compare: each distinct (fork text, base) pair once (`compare.compare_to_base`), in
   `jobs` worker processes that inherit the parsed specs (identical forks share one
   comparison; a fork identical to its base needs none);
5. tally: per policy, shared edits, new policies (`tally`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from specver.config import Config
from specver.diff.match import match_policies
from specver.errors import InputError, SourceError, UsageError
from specver.fork.compare import fork_drift
from specver.history.reuse import SectionReader
from specver.network.compare import (
    Candidate,
    ForkComparison,
    compare_to_base,
    detect_base,
    section_digests,
)
from specver.network.model import (
    AddedPolicy,
    Behind,
    ForkBase,
    ForkNetwork,
    ForkResult,
    PolicyEdit,
    Release,
    SkippedFork,
    UpstreamInfo,
)
from specver.network.sources import (
    ForkRef,
    ForkText,
    Reader,
    clone_forks,
    commits_after,
    has_commit,
    listed_forks,
    merge_bases,
    remote_forks,
    unique_names,
)
from specver.network.tally import (
    ForkWords,
    new_policy_groups,
    policy_tallies,
    shared_edits,
)
from specver.spec.model import Spec
from specver.spec.sources.file import is_revision
from specver.spec.sources.git import resolve_commit, split_revision, tagged_commits

if TYPE_CHECKING:
    from git import Repo


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True, slots=True)
class _Upstream:
    """Upstream as read: its spec's key and label, and its commit when it is `REV:PATH`."""

    key: str
    label: str
    path: str
    repo: Repo | None
    commit: str | None


@dataclass(frozen=True, slots=True)
class _Base:
    """A fork's merge base, read: the key of its spec, and what to report of it."""

    key: str
    base: ForkBase
    behind: Behind


@dataclass(frozen=True, slots=True)
class _State:
    """What every comparison reads (inherited by the worker processes, never sent)."""

    upstream: Spec
    specs: Mapping[str, Spec]
    """Parsed bases and releases by the key of their text."""
    upstream_ids: Mapping[str, Mapping[str, str]]
    """Base key -> the base's policy ids -> upstream's."""
    candidates: tuple[Candidate, ...]
    texts: Mapping[str, str]
    labels: Mapping[str, str]
    config: Config
    sections: SectionReader
    """The section memo: upstream's and the bases' sections are parsed once, before the
    workers start, so a fork's parse reads only the sections it changed."""


_Task = tuple[str, str | None]
"""(fork text key, base key or None to detect the base)."""

_STATE: _State | None = None
"""The worker process's state, set once by `_start_worker` (module state, per process)."""


def _start_worker(state: _State) -> None:
    """A worker's start: keep the state; leave Ctrl-C to the main process, which stops the
    pool (a worker interrupted mid-task would only print a traceback)."""
    global _STATE
    _STATE = state
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(task: _Task) -> ForkComparison | str:
    assert _STATE is not None
    return compare_task(_STATE, task)


def compare_task(state: _State, task: _Task) -> ForkComparison | str:
    """Parse one fork text and compare it with its base (detected when the key is None);
    a parse error comes back as its message."""
    fork_key, base_key = task
    label = state.labels[fork_key]
    try:
        fork = state.sections.read(state.texts[fork_key], source=label, sha256=fork_key)
    except InputError as exc:
        return f"{label}: {exc.message}"
    shared = None
    if base_key is None:
        chosen, shared = detect_base(section_digests(fork), state.candidates)
        base_key = chosen.key
    return compare_to_base(
        state.specs[base_key],
        fork,
        state.upstream,
        state.upstream_ids[base_key],
        state.config,
        base_key=base_key,
        shared_sections=shared,
    )


def _run_tasks(state: _State, tasks: Sequence[_Task], jobs: int) -> list[ForkComparison | str]:
    """Every task's result, in order: in `jobs` processes when there is more than one."""
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [compare_task(state, t) for t in tasks]
    workers = min(jobs, len(tasks))
    chunk = max(1, len(tasks) // (workers * 8))
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(state,),
    )
    try:
        results = list(pool.map(_work, tasks, chunksize=chunk))
    except BaseException:  # interrupted, or a worker died: stop what has not started
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results


# --- reading the network ---------------------------------------------------------------------


def _read_upstream(reader: Reader, upstream: str, repo: Path | None) -> _Upstream:
    if is_revision(upstream):
        rev, path = split_revision(upstream)
        repository = reader.repo(repo or Path.cwd())
        commit = resolve_commit(repository, rev)
        key = reader.at_commit(repository, commit, path, upstream)
        return _Upstream(key, upstream, path, repository, commit.hexsha)
    key = reader.file(Path(upstream), upstream)
    return _Upstream(key, upstream, Path(upstream).name, None, None)


def _fork_refs(
    reader: Reader,
    up: _Upstream,
    path: str,
    repo: Path | None,
    sources: tuple[str | None, Sequence[Path], Path | None],
) -> tuple[list[ForkRef], list[SkippedFork]]:
    remotes, repos, listing = sources
    if sum(1 for s in (remotes is not None, bool(repos), listing is not None) if s) != 1:
        raise UsageError("give one of --remotes PATTERN, --repos DIR or --list FILE")
    if remotes is not None:
        exclude = split_revision(up.label)[0] if up.commit is not None else None
        refs, skipped = remote_forks(reader.repo(repo or Path.cwd()), remotes, path, exclude)
        what = f"--remotes {remotes!r}: no remote matches"
    elif repos:
        refs, skipped = clone_forks(repos, path)
        what = "--repos: no clone found"
    else:
        assert listing is not None
        refs, skipped = listed_forks(listing, path, repo)
        what = f"--list {listing}: names no fork"
    if not refs and not skipped:
        raise UsageError(what)
    return unique_names(refs), skipped


class _Releases:
    """Upstream's versions (tagged releases on its first-parent line, and its tip when that
    is not tagged), read once on first need."""

    def __init__(self, reader: Reader, up: _Upstream) -> None:
        self.reader = reader
        self.up = up
        self._list: list[tuple[Release, str]] | None = None
        self._after: dict[tuple[str, str], list[str]] = {}

    def all(self) -> list[tuple[Release, str]]:
        """(release, key of its text), oldest first."""
        if self._list is None:
            self._list = self._read()
        return self._list

    def _read(self) -> list[tuple[Release, str]]:
        up = self.up
        if up.repo is None or up.commit is None:
            return [(Release(up.label, None, ()), up.key)]
        out = []
        for commit, tags in tagged_commits(up.repo, up.path, start=up.commit):
            label = f"{tags[0]}:{up.path}"
            out.append(
                (
                    Release(label, commit.hexsha, tags),
                    self.reader.at_commit(up.repo, commit, up.path, label),
                )
            )
        if not any(r.commit == up.commit for r, _key in out):
            out.append((Release(up.label, up.commit, ()), up.key))
        return out

    def tags_of(self, commit: str) -> tuple[str, ...]:
        """The release tags of a commit (none when it is no release)."""
        if self.up.repo is None:
            return ()
        return next((r.tags for r, _key in self.all() if r.commit == commit), ())

    def behind(self, repo: Repo | None, base: str | None) -> Behind:
        """Upstream commits and releases after `base` (read in `repo`, which holds both)."""
        if repo is None or base is None or self.up.commit is None:
            return Behind(0, ())
        cache = (str(repo.git_dir), base)
        if cache not in self._after:
            self._after[cache] = commits_after(repo, base, self.up.commit)
        after = set(self._after[cache])
        releases = tuple(r.tags[0] for r, _key in self.all() if r.tags and r.commit in after)
        return Behind(len(after), releases)


def _merge_bases(
    reader: Reader, up: _Upstream, releases: _Releases, forks: Sequence[ForkText]
) -> dict[str, _Base]:
    """Fork name -> its merge base with upstream, for the forks git knows one of."""
    if up.commit is None:
        return {}
    by_repo: dict[Path, list[ForkText]] = {}
    for fork in forks:
        if fork.commit is not None and fork.ref.repo is not None:
            by_repo.setdefault(fork.ref.repo, []).append(fork)
    out: dict[str, _Base] = {}
    for where, members in by_repo.items():
        repo = reader.repo(where)
        if not has_commit(repo, up.commit):
            continue
        found = merge_bases(repo, up.commit, [f.commit for f in members if f.commit])
        for fork in members:
            base = found.get(fork.commit or "")
            if base is not None:
                read = _read_base(reader, repo, base, fork, up, releases)
                if read is not None:
                    out[fork.ref.name] = read
    return out


def _read_base(
    reader: Reader, repo: Repo, base: str, fork: ForkText, up: _Upstream, releases: _Releases
) -> _Base | None:
    """The merge base's spec (at the fork's path, else upstream's); None when it has none."""
    commit = repo.commit(base)
    tags = releases.tags_of(base)
    for path in dict.fromkeys((fork.ref.path, up.path)):
        label = f"{tags[0] if tags else base[:12]}:{path}"
        try:
            key = reader.at_commit(repo, commit, path, label)
        except SourceError:
            continue
        info = ForkBase(label, base, tags[0] if tags else None, detected=False)
        return _Base(key, info, releases.behind(repo, base))
    return None


def _parse(sections: SectionReader, reader: Reader, key: str, label: str) -> Spec:
    try:
        return sections.read(reader.texts[key], source=label, sha256=key)
    except InputError as exc:
        raise InputError(f"{label}: {exc.message}") from None


def _versions(
    sections: SectionReader,
    reader: Reader,
    upstream: Spec,
    up: _Upstream,
    bases: Mapping[str, _Base],
    releases: _Releases | None,
) -> tuple[dict[str, Spec], tuple[Candidate, ...], dict[str, Release]]:
    """Upstream, every merge base and (when some fork needs its base detected) every
    release, each parsed once; the candidates for detection and the release of each key."""
    specs: dict[str, Spec] = {up.key: upstream}
    labels = {b.key: b.base.label for b in bases.values()}
    candidates: list[Candidate] = []
    release_of: dict[str, Release] = {}
    for release, key in releases.all() if releases is not None else ():
        labels.setdefault(key, release.label)
        release_of[key] = release
        if key not in specs:
            specs[key] = _parse(sections, reader, key, release.label)
        candidates.append(Candidate(key, section_digests(specs[key]), bool(release.tags)))
    for key, label in labels.items():
        if key not in specs:
            specs[key] = _parse(sections, reader, key, label)
    return specs, tuple(candidates), release_of


def fork_network(
    upstream: str,
    *,
    remotes: str | None = None,
    repos: Sequence[Path] = (),
    listing: Path | None = None,
    path: str | None = None,
    repo: Path | None = None,
    jobs: int | None = None,
    config: Config | None = None,
) -> ForkNetwork:
    """Compare every fork of a network with its base and say what the network changed.

    Forks come from one of `remotes` (a shell pattern over the remotes of `repo`), `repos`
    (clones, or folders of clones) or `listing` (a file of `REV:PATH` lines and paths);
    `path` is the spec's path in each fork (default: upstream's). `jobs` worker processes
    compare the forks (default: the core count).
    """
    config = config or Config()
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}: expected at least 1")
    reader = Reader()
    up = _read_upstream(reader, upstream, repo)
    spec_path = path or up.path
    refs, skipped = _fork_refs(reader, up, spec_path, repo, (remotes, repos, listing))
    forks, unread = reader.forks(refs)
    skipped += unread
    releases = _Releases(reader, up)
    bases = _merge_bases(reader, up, releases, forks)
    labels = {f.key: f.ref.label for f in forks}
    sections = SectionReader()
    upstream_spec = _parse(sections, reader, up.key, up.label)
    detect = [f for f in forks if f.ref.name not in bases]
    specs, candidates, release_of = _versions(
        sections, reader, upstream_spec, up, bases, releases if detect else None
    )
    ids = {
        key: {p.old: p.new for p in match_policies(spec, upstream_spec)}
        for key, spec in specs.items()
    }
    state = _State(upstream_spec, specs, ids, candidates, reader.texts, labels, config, sections)
    results = _compare_all(state, forks, bases, jobs)
    compared: list[ForkResult] = []
    words: list[ForkWords] = []
    for fork in forks:
        name = fork.ref.name
        result = results[(fork.key, bases[name].key if name in bases else None)]
        if isinstance(result, str):
            skipped.append(SkippedFork(name, result))
            continue
        compared.append(_fork_result(fork, result, bases.get(name), release_of, releases, up))
        words.append(
            ForkWords(
                name,
                tuple(
                    (change, policy, removed, added)
                    for change, policy, (removed, added) in zip(
                        result.changes, result.policies, result.words, strict=True
                    )
                ),
            )
        )
    if not compared and skipped:
        first = skipped[0]
        raise SourceError(
            f"none of the {len(skipped)} forks could be compared ({first.name}: {first.reason})"
        )
    shown = [r for r, _key in releases.all()] if detect else []
    return ForkNetwork(
        UpstreamInfo(up.label, up.key, len(upstream_spec), up.commit, tuple(shown)),
        tuple(compared),
        policy_tallies(compared, upstream_spec),
        shared_edits(words, upstream_spec),
        new_policy_groups([a for f in compared for a in f.added], upstream_spec),
        tuple(skipped),
    )


def _compare_all(
    state: _State, forks: Sequence[ForkText], bases: Mapping[str, _Base], jobs: int
) -> dict[_Task, ForkComparison | str]:
    """Each distinct (fork text, base) pair compared once; a fork identical to its base (or
    to an upstream version, when detecting) needs no comparison at all."""
    tasks = list(
        dict.fromkeys(
            (f.key, bases[f.ref.name].key if f.ref.name in bases else None) for f in forks
        )
    )
    out: dict[_Task, ForkComparison | str] = {}
    todo: list[_Task] = []
    keys = {c.key for c in state.candidates}
    for task in tasks:
        fork_key, base_key = task
        same = fork_key if (base_key is None and fork_key in keys) else base_key
        if same == fork_key:
            spec = state.specs[fork_key]
            shared = len(section_digests(spec)) if base_key is None else None
            out[task] = ForkComparison(
                fork_key,
                shared,
                (),
                (),
                (),
                (),
                (),
                fork_drift(state.upstream, spec, state.config.scheme),
            )
        else:
            todo.append(task)
    for task, result in zip(todo, _run_tasks(state, todo, jobs), strict=True):
        out[task] = result
    return out


def _fork_result(
    fork: ForkText,
    result: ForkComparison,
    merge: _Base | None,
    release_of: Mapping[str, Release],
    releases: _Releases,
    up: _Upstream,
) -> ForkResult:
    name = fork.ref.name
    if merge is not None:
        base, behind = merge.base, merge.behind
    else:
        release = release_of[result.base_key]
        tag = release.tags[0] if release.tags else None
        base = ForkBase(release.label, release.commit, tag, True, result.shared_sections)
        behind = releases.behind(up.repo, release.commit)
    edits = tuple(
        PolicyEdit(e.policy, e.fork_policy, e.title, e.verdicts, e.changes) for e in result.edits
    )
    added = tuple(AddedPolicy(name, a.policy, a.title, a.prose) for a in result.added)
    return ForkResult(
        name, fork.ref.label, base, behind, result.changes, edits, added, result.drift
    )
