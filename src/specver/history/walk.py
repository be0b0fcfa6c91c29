"""A spec's history in git: its revisions, the comparison of each with the one before, the
life of one policy across them (`specver history`) and one row per release (`specver log`).

`build_timeline` is the edge that reads git (through gitsource) and the cache; everything
after it (`policy_history`, `release_log`) is pure over the frozen `Timeline`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from specver.config import DEFAULT_SPEC_PATH, Config
from specver.diff.compare import diff
from specver.diff.details import AuthorityLevelRenamed
from specver.display import display
from specver.errors import InputError, SourceError, UsageError
from specver.history.cache import HistoryCache
from specver.history.reuse import SectionReader
from specver.spec.model import Change, PairedChanges, PolicyPair, Spec
from specver.spec.sources.file import decode_spec
from specver.spec.sources.git import (
    blob_id,
    first_parent_line,
    open_repo,
    path_log,
    read_blob_id,
    repo_label,
    repo_path,
    resolve_commit,
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
class Outline:
    """What a walk keeps of one revision's spec: its policies' ids and titles in document
    order, and how many carry an authority level (what `log` and `history` read of it)."""

    ids: tuple[str, ...]
    titles: tuple[str, ...]
    policies: int
    """Headings with an authority level."""
    _titles: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        titles = dict(zip(reversed(self.ids), reversed(self.titles), strict=True))
        object.__setattr__(self, "_titles", MappingProxyType(titles))

    @classmethod
    def of(cls, spec: Spec) -> Outline:
        """The outline of a parsed spec."""
        return cls(
            tuple(p.id for p in spec),
            tuple(p.title for p in spec),
            sum(1 for p in spec if p.authority),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, policy_id: object) -> bool:
        return policy_id in self._titles

    def title(self, policy_id: str) -> str:
        """The title of the policy with this id."""
        return self._titles[policy_id]


@dataclass(frozen=True, slots=True)
class Timeline:
    """The revisions of one spec file, oldest first, and the step between each two."""

    path: str
    revisions: tuple[Revision, ...]
    outlines: tuple[Outline, ...]
    """The outline of each revision's spec (eval files are not read for history)."""
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


@dataclass(frozen=True, slots=True)
class Window:
    """Which part of the history to walk: `since` and `until` (each a revision or a date)
    and at most the newest `max_count` revisions."""

    since: str | None = None
    """Start from the spec as it stood at this revision or date."""
    until: str | None = None
    """End with the spec as it stood at this revision or date."""
    max_count: int | None = None


def build_timeline(
    repo: Repo,
    path: str,
    *,
    rev: str = "HEAD",
    tags_only: bool = False,
    config: Config | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
    window: Window | None = None,
) -> Timeline:
    """Read, parse and compare the revisions of the spec at `path` on the first-parent line
    from `rev` (every one that changed the spec, or every tagged one), each with the one
    before it, within `window`.

    Sections are parsed once for the whole walk (see `history.reuse`); with `use_cache`,
    outlines and comparisons come from (and go to) the cache under the git dir.
    """
    config = config or Config()
    path = repo_path(path, path)
    window = window or Window()
    found = _revisions(repo, path, rev, tags_only)
    revisions = tuple(_windowed(repo, rev, found, window))
    if not revisions:
        raise SourceError(f"no revision of {path} in {_where(repo)} within the range asked for")
    cache = HistoryCache(Path(repo.git_dir) if use_cache else None, config)
    walk = _Walk(repo, path, config, cache)
    outlines, steps = walk.run(revisions, progress)
    cache.save()
    return Timeline(path, revisions, outlines, steps, tags_only)


def _revisions(repo: Repo, path: str, rev: str, tags_only: bool) -> list[Revision]:
    """Every revision of the spec on the first-parent line from `rev`, oldest first."""
    if tags_only:
        tagged = tagged_commits(repo, path, start=rev)
        if not tagged:
            raise SourceError(f"no tag on the first-parent line of {rev} holds {path}")
        return [_tagged_revision(c, path, names) for c, names in tagged]
    tags = tags_by_commit(repo)
    found = [  # author and subject come from the repository: shown, never obeyed
        Revision(
            c.commit,
            c.blob,
            tags.get(c.commit, ()),
            c.date,
            display(c.author, one_line=True),
            display(c.subject, one_line=True),
        )
        for c in path_log(repo, path, start=rev)
        if c.blob is not None
    ]
    if not found:
        raise SourceError(f"no commit in {_where(repo)} up to {rev} holds {path}")
    return found


def _tagged_revision(commit: Commit, path: str, tags: tuple[str, ...]) -> Revision:
    blob = blob_id(commit, path)
    assert blob is not None
    when: datetime = commit.authored_datetime
    message = commit.message
    subject = message if isinstance(message, str) else message.decode("utf-8", "replace")
    return Revision(
        commit=commit.hexsha,
        blob=blob,
        tags=tuple(display(t, one_line=True) for t in tags),
        date=when.isoformat(),
        author=display(str(commit.author.name or commit.author.email or ""), one_line=True),
        subject=display(subject.strip().split("\n", 1)[0], one_line=True),
    )


def _windowed(repo: Repo, rev: str, found: list[Revision], window: Window) -> list[Revision]:
    """The revisions within the window: from the one in effect at `since` to the one in
    effect at `until`, then the newest `max_count` of them."""
    if window.max_count is not None and window.max_count < 1:
        raise UsageError(f"--max-count {window.max_count}: give a count of 1 or more")
    line = _Line(repo, rev)
    first, stop = 0, len(found)
    if window.since is not None:
        first = max(line.made_by(found, "--since", window.since) - 1, 0)
    if window.until is not None:
        stop = line.made_by(found, "--until", window.until)
    kept = found[first:stop]
    if window.max_count is not None:
        kept = kept[-window.max_count :]
    return kept


class _Line:
    """The first-parent line from a revision, read from git only when a bound names a commit."""

    def __init__(self, repo: Repo, rev: str) -> None:
        self.repo = repo
        self.rev = rev
        self._order: dict[str, int] | None = None

    def made_by(self, found: list[Revision], name: str, bound: str) -> int:
        """How many of `found` (oldest first) were made at or before `bound`: a revision
        when it names one, else a date."""
        try:
            commit = resolve_commit(self.repo, bound)
        except SourceError:
            moment = _moment(name, bound)
            return sum(1 for r in found if datetime.fromisoformat(r.date) <= moment)
        if self._order is None:
            self._order = {c: k for k, c in enumerate(first_parent_line(self.repo, self.rev))}
        at = self._order.get(commit.hexsha)
        if at is None:
            raise UsageError(f"{name} {bound}: not on the first-parent line of {self.rev}")
        return sum(1 for r in found if self._order.get(r.commit, at + 1) <= at)


def _moment(name: str, bound: str) -> datetime:
    """A date (`YYYY-MM-DD`, the whole day for --until) or date and time; UTC unless given."""
    try:
        when = datetime.fromisoformat(bound)
    except ValueError:
        raise UsageError(
            f"{name} {bound!r}: neither a revision nor a date (YYYY-MM-DD or ISO 8601)"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    day_only = len(bound.strip()) == 10
    if name == "--until" and day_only:
        return when + timedelta(days=1) - timedelta(microseconds=1)
    if name == "--since":
        return when - timedelta(microseconds=1)
    return when


def _where(repo: Repo) -> str:
    return repo_label(repo)


class _Walk:
    """Outlines and steps of a list of revisions: from the cache where it has them, else
    by reading blobs (one `cat-file --batch`), parsing by sections and comparing."""

    def __init__(self, repo: Repo, path: str, config: Config, cache: HistoryCache) -> None:
        self.repo = repo
        self.path = path
        self.config = config
        self.cache = cache
        self.reader = SectionReader()
        self._specs: dict[str, Spec] = {}

    def run(
        self, revisions: tuple[Revision, ...], progress: Progress | None
    ) -> tuple[tuple[Outline, ...], tuple[Step, ...]]:
        total = len(revisions)
        outlines: list[Outline] = []
        steps: list[Step] = []
        for k, revision in enumerate(revisions):
            outlines.append(self._outline(revision))
            if k > 0:
                steps.append(self._step(revisions[k - 1], revision, outlines[-2], outlines[-1]))
            if progress is not None:
                progress(k + 1, total)
        return tuple(outlines), tuple(steps)

    def _outline(self, revision: Revision) -> Outline:
        found = self.cache.outline(revision.blob)
        if found is not None:
            return Outline(*found)
        outline = Outline.of(self._spec(revision))
        self.cache.store_outline(revision.blob, (outline.ids, outline.titles, outline.policies))
        return outline

    def _step(self, old: Revision, new: Revision, a: Outline, b: Outline) -> Step:
        if old.blob == new.blob:
            return Step(old, new, (), (), "none")
        keys = (a.ids, a.titles, a.policies), (b.ids, b.titles, b.policies)
        cached = self.cache.step(old.blob, new.blob, *keys)
        if cached is not None:
            return Step(old, new, *cached)
        result = diff(self._spec(old), self._spec(new), self.config)
        record = (result.pairs, result.changes, result.bump)
        self.cache.store_step(old.blob, new.blob, *keys, record)
        return Step(old, new, *record)

    def _spec(self, revision: Revision) -> Spec:
        """The parsed spec of a revision; the last two parsed are kept (a step needs both)."""
        found = self._specs.get(revision.blob)
        if found is not None:
            return found
        label = f"{revision.label}:{self.path}"
        data = read_blob_id(self.repo, revision.blob, label)
        try:
            spec = self.reader.read(
                decode_spec(label, data), source=label, sha256=hashlib.sha256(data).hexdigest()
            )
        except InputError as exc:
            raise InputError(f"{label}: {exc.message}") from None
        if len(self._specs) >= 2:
            self._specs.pop(next(iter(self._specs)))
        self._specs[revision.blob] = spec
        return spec


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
    title = timeline.outlines[last].title(ids[last])
    return PolicyHistory(policy_id, order, title, tuple(events), removed, timeline)


def _anchor(timeline: Timeline, policy_id: str) -> int:
    """The newest revision holding the id; a clear error with suggestions when none does."""
    for k in range(len(timeline.outlines) - 1, -1, -1):
        if policy_id in timeline.outlines[k]:
            return k
    known = sorted({i for outline in timeline.outlines for i in outline.ids})
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
    first = timeline.outlines[0]
    rows = [LogRow(timeline.revisions[0], len(first), first.policies, {}, "initial")]
    for step, outline in zip(timeline.steps, timeline.outlines[1:], strict=True):
        rows.append(LogRow(step.new, len(outline), outline.policies, step.summary, step.bump))
    return tuple(rows)


# --- entry points (re-exported by specver.api) -------------------------------------------


def timeline(
    repo: Path | None = None,
    path: str | None = None,
    *,
    rev: str = "HEAD",
    tags_only: bool = False,
    config: Config | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
    window: Window | None = None,
) -> Timeline:
    """The spec's revisions on the first-parent line from `rev` in a repository, compared.

    `path` defaults to the config's `spec:`, else `model_spec.md`; `repo` to the repository
    holding the current folder; `window` narrows the walk (`--since`, `--until`,
    `--max-count`).
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
        window=window,
    )


def history(policy_id: str, walked: Timeline) -> PolicyHistory:
    """The life of one policy (followed across renames) along a timeline."""
    return policy_history(walked, policy_id)
