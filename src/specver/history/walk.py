"""A spec's history in git: its revisions, the comparison of each with the one before, the
life of one policy across them (`specver history`) and one row per release (`specver log`).

`build_timeline` is the edge that reads git (through gitsource) and the cache; everything
after it (`policy_history`, `release_log`) is pure over the frozen `Timeline`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from specver.config import DEFAULT_SPEC_PATH, Config
from specver.diff.compare import diff
from specver.diff.details import AuthorityLevelRenamed
from specver.errors import InputError, SourceError, UsageError
from specver.history.cache import RevisionCache
from specver.spec.model import Change, PairedChanges, PolicyPair, Spec
from specver.spec.parse import parse
from specver.spec.sources.file import decode_spec
from specver.spec.sources.git import (
    blob_id,
    commits_touching,
    open_repo,
    read_blob,
    repo_label,
    repo_path,
    tagged_commits,
    tags_by_commit,
)

if TYPE_CHECKING:
    from git import Commit, Repo

SUGGESTIONS = 3

Progress = Callable[[int, int], None]
"""Called with (revisions done, revisions in all) while a timeline is built."""


@dataclass(frozen=True, slots=True)
class Revision:
    """One version of the spec in git: the commit that made it and how to name it."""

    commit: str
    """Full commit id."""
    blob: str
    """Blob id of the spec file at this commit."""
    tags: tuple[str, ...]
    """Tags pointing at the commit."""
    date: str
    """Author date, ISO 8601 with offset."""
    author: str
    subject: str
    """First line of the commit message."""

    @property
    def label(self) -> str:
        """The version a reader knows it by: its tags, else the short commit id."""
        return ", ".join(self.tags) if self.tags else self.commit[:12]

    @property
    def day(self) -> str:
        """The author date as YYYY-MM-DD."""
        return self.date[:10]


@dataclass(frozen=True, slots=True)
class Step(PairedChanges):
    """What changed from one revision to the next."""

    old: Revision
    new: Revision
    pairs: tuple[PolicyPair, ...]
    changes: tuple[Change, ...]
    bump: str
    _forward: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _backward: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index_pairs()


@dataclass(frozen=True, slots=True)
class Timeline:
    """The revisions of one spec file, oldest first, and the step between each two."""

    path: str
    revisions: tuple[Revision, ...]
    specs: tuple[Spec, ...]
    """The parsed spec of each revision (eval files are not read for history)."""
    steps: tuple[Step, ...]
    """`steps[i]` goes from `revisions[i]` to `revisions[i + 1]`."""
    tags_only: bool = False


@dataclass(frozen=True, slots=True)
class PolicyEvent:
    """One thing that happened to a policy in one revision."""

    revision: Revision
    policy: str
    """The policy's id in that revision (its last id when removed)."""
    kind: str
    """`present` (already there in the first revision walked), a change kind, or
    `policy_removed`."""
    change: Change | None = None


@dataclass(frozen=True, slots=True)
class PolicyHistory:
    """The life of one policy: every id it had and what happened to it, oldest first."""

    policy: str
    """The id asked about."""
    ids: tuple[str, ...]
    """Every id the policy had, in order."""
    title: str
    """Its title in the last revision where it exists."""
    events: tuple[PolicyEvent, ...]
    removed: bool
    """True when the policy is gone from the newest revision walked."""
    timeline: Timeline


@dataclass(frozen=True, slots=True)
class LogRow:
    """One revision in `specver log`: what changed since the previous one."""

    revision: Revision
    sections: int
    """Headings in the spec, grouping sections included."""
    policies: int
    """Headings with an authority level."""
    summary: dict[str, int]
    bump: str
    """The suggested bump, or `initial` for the first revision walked."""


# --- reading the history (git edge) ------------------------------------------------------


def build_timeline(
    repo: Repo,
    path: str,
    *,
    rev: str = "HEAD",
    tags_only: bool = False,
    config: Config | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> Timeline:
    """Read, parse and compare the revisions of the spec at `path` on the first-parent line
    from `rev` (every one that changed the spec, or every tagged one), each with the one
    before it."""
    config = config or Config()
    path = repo_path(path, path)
    if tags_only:
        found = tagged_commits(repo, path, start=rev)
        if not found:
            raise SourceError(f"no tag on the first-parent line of {rev} holds {path}")
    else:
        tags = tags_by_commit(repo)
        found = [(c, tags.get(c.hexsha, ())) for c in commits_touching(repo, path, start=rev)]
        if not found:
            raise SourceError(f"no commit in {_where(repo)} up to {rev} holds {path}")
    cache = RevisionCache(_git_dir(repo) if use_cache else None, config)
    revisions = tuple(_revision(c, path, names) for c, names in found)
    specs: list[Spec] = []
    steps: list[Step] = []
    total = len(revisions)
    for k, ((commit, _names), revision) in enumerate(zip(found, revisions, strict=True)):
        specs.append(_parsed(cache, commit, path, revision))
        if k > 0:
            steps.append(_compared(cache, revisions[k - 1], revision, specs[-2], specs[-1], config))
        if progress is not None:
            progress(k + 1, total)
    return Timeline(path, revisions, tuple(specs), tuple(steps), tags_only)


def _where(repo: Repo) -> str:
    return repo_label(repo)


def _git_dir(repo: Repo) -> Path:
    return Path(repo.git_dir)


def _revision(commit: Commit, path: str, tags: tuple[str, ...]) -> Revision:
    blob = blob_id(commit, path)
    assert blob is not None
    when: datetime = commit.authored_datetime
    message = commit.message
    subject = message if isinstance(message, str) else message.decode("utf-8", "replace")
    return Revision(
        commit=commit.hexsha,
        blob=blob,
        tags=tags,
        date=when.isoformat(),
        author=str(commit.author.name or commit.author.email or ""),
        subject=subject.strip().split("\n", 1)[0],
    )


def _parsed(cache: RevisionCache, commit: Commit, path: str, revision: Revision) -> Spec:
    label = f"{revision.label}:{path}"
    cached = cache.spec(revision.blob)
    if cached is not None:
        return replace(cached, source=label)
    data = read_blob(commit, path, label)
    try:
        spec = parse(
            decode_spec(label, data), source=label, sha256=hashlib.sha256(data).hexdigest()
        )
    except InputError as exc:
        raise InputError(f"{label}: {exc.message}") from None
    cache.store_spec(revision.blob, spec)
    return spec


def _compared(
    cache: RevisionCache, old: Revision, new: Revision, a: Spec, b: Spec, config: Config
) -> Step:
    if old.blob == new.blob:
        return Step(old, new, (), (), "none")
    cached = cache.comparison(old.blob, new.blob)
    if cached is not None:
        return Step(old, new, *cached)

    result = diff(a, b, config)
    cache.store_comparison(old.blob, new.blob, result.pairs, result.changes, result.bump)
    return Step(old, new, result.pairs, result.changes, result.bump)


# --- one policy's life (pure) ------------------------------------------------------------


def policy_history(timeline: Timeline, policy_id: str) -> PolicyHistory:
    """Follow one policy through the timeline, across renames, from appearance to removal."""
    anchor = _anchor(timeline, policy_id)
    ids = _lineage(timeline, anchor, policy_id)
    events: list[PolicyEvent] = []
    first = min(ids)
    if first == 0:
        events.append(PolicyEvent(timeline.revisions[0], ids[0], "present"))
    for k in sorted(ids):
        if k == 0:
            continue
        step = timeline.steps[k - 1]
        events.extend(PolicyEvent(step.new, ids[k], c.kind, c) for c in _changes_of(step, ids[k]))
    last = max(ids)
    removed = last < len(timeline.revisions) - 1
    if removed:
        step = timeline.steps[last]
        gone = [c for c in step.changes if c.kind == "policy_removed" and c.policy == ids[last]]
        events.extend(PolicyEvent(step.new, ids[last], c.kind, c) for c in gone)
    order = tuple(dict.fromkeys(ids[k] for k in sorted(ids)))
    title = timeline.specs[last][ids[last]].title
    return PolicyHistory(policy_id, order, title, tuple(events), removed, timeline)


def _anchor(timeline: Timeline, policy_id: str) -> int:
    """The newest revision holding the id; a clear error with suggestions when none does."""
    for k in range(len(timeline.specs) - 1, -1, -1):
        if policy_id in timeline.specs[k]:
            return k
    known = sorted({p.id for spec in timeline.specs for p in spec})
    raise UsageError(
        f"no policy {policy_id!r} in any revision of {timeline.path}{_suggest(policy_id, known)}"
    )


def _suggest(word: str, known: list[str]) -> str:
    from rapidfuzz import process
    from rapidfuzz.fuzz import WRatio

    close = process.extract(word, known, scorer=WRatio, limit=SUGGESTIONS, score_cutoff=60)
    if not close:
        return ""
    return " (did you mean " + ", ".join(name for name, _score, _i in close) + "?)"


def _lineage(timeline: Timeline, anchor: int, policy_id: str) -> dict[int, str]:
    """Revision index -> the policy's id there, following pairs backward and forward."""
    ids = {anchor: policy_id}
    k, current = anchor, policy_id
    while k > 0:
        before = timeline.steps[k - 1].old_id(current)
        if before is None:
            break
        k, current = k - 1, before
        ids[k] = current
    k, current = anchor, policy_id
    while k < len(timeline.steps):
        after = timeline.steps[k].new_id(current)
        if after is None:
            break
        k, current = k + 1, after
        ids[k] = current
    return ids


def _changes_of(step: Step, policy_id: str) -> list[Change]:
    """The step's changes naming the policy, level renames that carried it included."""
    own = [c for c in step.changes if c.policy == policy_id and c.kind != "policy_removed"]
    carried = [
        c
        for c in step.changes
        if isinstance(c.details, AuthorityLevelRenamed) and policy_id in c.details.policies
    ]
    return carried + own


# --- one row per revision (pure) ---------------------------------------------------------


def release_log(timeline: Timeline) -> tuple[LogRow, ...]:
    """One row per revision: its size, the counts of each change kind and the bump."""
    first = timeline.specs[0]
    rows = [LogRow(timeline.revisions[0], len(first), _policies(first), {}, "initial")]
    for step, spec in zip(timeline.steps, timeline.specs[1:], strict=True):
        rows.append(LogRow(step.new, len(spec), _policies(spec), step.summary, step.bump))
    return tuple(rows)


def _policies(spec: Spec) -> int:
    return sum(1 for p in spec if p.authority)


def timeline(
    repo: Path | None = None,
    path: str | None = None,
    *,
    rev: str = "HEAD",
    tags_only: bool = False,
    config: Config | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> Timeline:
    """The spec's revisions on the first-parent line from `rev` in a repository, compared.

    `path` defaults to the config's `spec:`, else `model_spec.md`; `repo` to the repository
    holding the current folder.
    """
    config = config or Config()
    return build_timeline(
        open_repo(repo),
        path or config.spec_path or DEFAULT_SPEC_PATH,
        rev=rev,
        tags_only=tags_only,
        config=config,
        progress=progress,
        use_cache=use_cache,
    )


def history(policy_id: str, walked: Timeline) -> PolicyHistory:
    """The life of one policy (followed across renames) along a timeline."""
    return policy_history(walked, policy_id)
