"""`impact_range`: every release tag between two revisions, each against the one before.

The releases are the tagged commits on the first-parent line from TO back to FROM that hold
the spec, with FROM and TO themselves at the ends whether tagged or not. Each consecutive
pair is diffed and assessed as `specver impact` would; each policy is followed across the
pairs (through renames) and given a cumulative verdict.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from specver.config import DEFAULT_SPEC_PATH, AuthorityScheme, Config
from specver.diff.compare import diff
from specver.diff.kinds import describe
from specver.errors import SourceError, UsageError
from specver.report.impact.assess import impact
from specver.report.impact.model import Impact
from specver.report.labels import VersionLabel
from specver.report.page import plain_links
from specver.report.range.model import (
    ImpactRange,
    PolicyStep,
    PolicyTrack,
    RangeVersion,
    ReleaseImpact,
    combine_verdicts,
    track_verdict,
)
from specver.spec.load import parse_source
from specver.spec.model import Spec
from specver.spec.sources.git import (
    first_parent_line,
    open_repo,
    read_at,
    repo_label,
    repo_path,
    resolve_commit,
    tagged_commits,
)
from specver.spec.sources.revision import revision_name, tag_date

if TYPE_CHECKING:
    from git import Commit, Repo

Point = tuple["Commit", str, str | None]
"""A version of the range: its commit, its name and its date."""

DIRECTIONS = {"restricted": "tightened", "relaxed": "loosened"}
"""A control shift as a rule's direction: harder to override is tighter."""


def _levels(spec: Spec, scheme: AuthorityScheme) -> Counter[str]:
    return Counter(str(scheme.canonical(p.authority)) for p in spec if p.authority)


def _policy_verdicts(result: Impact) -> dict[str, str]:
    """Each changed policy's verdict in one release, from every directed effect on it."""
    seen: dict[str, list[str]] = {}
    for item in result.safeguards:
        seen.setdefault(item.policy, []).append(item.direction)
    for rule in result.rules:
        seen.setdefault(rule.policy, []).append(rule.verdict)
    steer = result.steerability
    for shift in (*steer.restricted, *steer.relaxed):
        seen.setdefault(shift.policy, []).append(DIRECTIONS[shift.direction])
    verdicts = {p: combine_verdicts(v) for p, v in seen.items()}
    for c in result.diff.changes:
        if c.policy is None:
            continue
        if c.kind == "policy_added":
            verdicts[c.policy] = "added"
        elif c.kind == "policy_removed":
            verdicts[c.policy] = "removed"
        else:
            verdicts.setdefault(c.policy, "unchanged")
    return verdicts


class _Track:
    """One policy being followed: the ids it had, and what each release did to it."""

    __slots__ = ("ids", "steps")

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self.steps: list[PolicyStep] = []


class _Tracks:
    """Policies followed across releases, keyed by their id in the latest release."""

    def __init__(self) -> None:
        self.current: dict[str, _Track] = {}
        self.order: list[_Track] = []

    def step(self, release: str, result: Impact) -> None:
        """Follow renames of one release, then record its changes per policy."""
        d = result.diff
        verdicts = _policy_verdicts(result)
        titles = {p.id: p.title for p in d.old} | {q.id: q.title for q in d.new}
        renamed: dict[str, _Track] = {}
        for known, followed in list(self.current.items()):
            new_id = d.new_id(known)
            if new_id is not None and new_id != known:
                renamed[new_id] = self.current.pop(known)
                followed.ids.append(new_id)
        self.current.update(renamed)
        by_policy: dict[str, list[str]] = {}
        for c in d.changes:
            if c.policy is not None:
                by_policy.setdefault(c.policy, []).append(plain_links(describe(c), titles))
        for policy, phrases in by_policy.items():
            track = self.current.get(policy)
            if track is None:
                before = d.old_id(policy)
                ids = [before, policy] if before is not None and before != policy else [policy]
                track = self.current[policy] = _Track(ids)
                self.order.append(track)
            verdict = verdicts.get(policy, "unchanged")
            track.steps.append(PolicyStep(release, verdict, tuple(phrases), policy))

    def tracks(self, last: Spec, first: Spec, scheme: AuthorityScheme) -> tuple[PolicyTrack, ...]:
        """Every followed policy with its cumulative verdict, in the last version's order."""
        out: list[tuple[int, PolicyTrack]] = []
        position = {p.id: k for k, p in enumerate(last)}
        for track in self.order:
            latest, steps = track.ids[-1], track.steps
            policy = last.get(latest)
            original = first.get(track.ids[0])
            added = (
                None if original else next((s.release for s in steps if s.verdict == "added"), None)
            )
            removed = steps[-1].release if steps[-1].verdict == "removed" else None
            shown = policy or original
            title = shown.title if shown else latest
            level = scheme.canonical(policy.authority) if policy else None
            verdict = track_verdict(
                [s.verdict for s in steps], added is not None, removed is not None
            )
            entry = PolicyTrack(
                latest, title, level, verdict, tuple(steps), added, removed, tuple(track.ids[:-1])
            )
            out.append((position.get(latest, len(position)), entry))
        out.sort(key=lambda pair: pair[0])
        return tuple(t for _, t in out)


def _version(
    spec: Spec, label: VersionLabel, commit: str, scheme: AuthorityScheme, order: list[str]
) -> RangeVersion:
    counts = _levels(spec, scheme)
    return RangeVersion(label, commit, tuple((lv, counts[lv]) for lv in order), len(spec))


def _points(repository: Repo, path: str, start: str, end: str) -> list[Point]:
    """(commit, name, date) of FROM, every release tag between, and TO, oldest first."""
    first, last = resolve_commit(repository, start), resolve_commit(repository, end)
    line = first_parent_line(repository, last.hexsha)
    if first.hexsha not in line:
        raise UsageError(
            f"{start} is not on the first-parent history of {end}: a range runs from an older "
            "revision to a newer one"
        )
    if first.hexsha == last.hexsha:
        raise UsageError(f"{start}..{end}: both name the same revision; a range needs two")
    after = set(line[line.index(first.hexsha) + 1 : -1])
    tags = {t.name: t for t in repository.tags}
    begin, finish = revision_name(repository, start), revision_name(repository, end)
    points: list[Point] = [(first, begin.name, begin.date)]
    for commit, names in tagged_commits(repository, path, start=last.hexsha):
        if commit.hexsha in after:
            points.append((commit, names[0], tag_date(tags[names[0]])))
    points.append((last, finish.name, finish.date))
    return points


def impact_range(
    repo: Path | None,
    path: str | None,
    start: str,
    end: str,
    *,
    config: Config | None = None,
    audience: str = "all",
) -> ImpactRange:
    """Every release between `start` and `end` (revisions, usually tags) assessed pairwise."""
    cfg = config or Config()
    scheme = cfg.scheme
    repository = open_repo(repo)
    spec_path = repo_path(path or cfg.spec_path or DEFAULT_SPEC_PATH, "--path")
    specs: list[tuple[Spec, VersionLabel, str]] = []
    for commit, name, date in _points(repository, spec_path, start, end):
        label_text = f"{name}:{spec_path}"
        try:
            source = read_at(commit, spec_path, label_text)
        except SourceError as exc:
            raise SourceError(f"{name}: {exc.message}") from None
        spec = parse_source(source)
        specs.append((spec, VersionLabel(name, date, label_text), commit.hexsha))
    counted: Counter[str] = Counter()
    for spec, _label, _commit in specs:
        counted.update(_levels(spec, scheme))
    order = [lv for lv in scheme.levels if lv in counted]
    order += sorted(set(counted) - set(scheme.levels))
    versions = [_version(s, label, commit, scheme, order) for s, label, commit in specs]
    releases: list[ReleaseImpact] = []
    tracks = _Tracks()
    for k in range(1, len(specs)):
        result = impact(diff(specs[k - 1][0], specs[k][0], cfg), cfg, audience)
        releases.append(ReleaseImpact(versions[k], versions[k - 1], result))
        tracks.step(versions[k].label.name, result)
    return ImpactRange(
        repo=repo_label(repository),
        path=spec_path,
        audience=audience,
        versions=tuple(versions),
        releases=tuple(releases),
        policies=tracks.tracks(specs[-1][0], specs[0][0], scheme),
        levels=tuple(order),
    )
