"""The public API that the CLI and tests call: load specs, compare them, lint them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from specver.config import Config, load_config
from specver.diff.classify import classify_changes, highest_level
from specver.diff.match import match_policies
from specver.spec.model import Spec, SpecDiff
from specver.spec.parse import parse
from specver.spec.sources.file import SourceText, read_source

if TYPE_CHECKING:
    from datetime import date

    from specver.config import AcceptEntry
    from specver.diff.accept import AcceptOutcome
    from specver.fork.compare import ForkReport, MergeResult
    from specver.history.walk import LogRow, PolicyHistory, Progress, Timeline
    from specver.release.changelog import ChangelogResult
    from specver.release.versioning import BumpDecision
    from specver.report.impact import Impact
    from specver.spec.check import Finding


def load(arg: str, *, repo: Path | None = None) -> Spec:
    """Read and parse a spec named by a file path or by `REV:PATH` in a git repository."""
    return parse_source(read_source(arg, repo=repo))


def parse_source(source: SourceText) -> Spec:
    """Parse a spec already read, naming its source in any error."""
    from specver.errors import InputError

    try:
        return parse(source.text, source=source.label, sha256=source.sha256, evals=source.evals)
    except InputError as exc:
        raise InputError(f"{source.label}: {exc.message}") from None


def parse_text(text: str, source: str = "<string>") -> Spec:
    """Parse spec text held in memory."""
    return parse(text, source=source)


def diff(old: Spec, new: Spec, config: Config | None = None) -> SpecDiff:
    """Compare two parsed specs: pair their policies, classify the changes, decide the bump."""
    config = config or Config()
    pairs = match_policies(old, new)
    changes = classify_changes(old, new, pairs, config.scheme, config.bump_overrides)
    return SpecDiff(old, new, pairs, changes, highest_level([c.level for c in changes]))


def accept_entries(
    config: Config | None = None,
    accept_file: Path | None = None,
    *,
    allow_blank_reasons: bool = False,
) -> tuple[AcceptEntry, ...]:
    """The accept entries in force: `accept_file` when given, else the config's `accept:`."""
    from specver.config import load_accept_file

    config = config or Config()
    path = accept_file or config.accept_file
    if path is not None:
        return load_accept_file(path, allow_blank_reasons=allow_blank_reasons)
    return config.accept


def accept(diff: SpecDiff, entries: tuple[AcceptEntry, ...], today: date) -> AcceptOutcome:
    """Mark the changes the entries accept (still shown, not counted for the exit status);
    the outcome's warnings name expired and stale entries."""
    from specver.diff.accept import accept_changes

    return accept_changes(diff, entries, today)


def impact(diff: SpecDiff, config: Config | None = None, audience: str = "all") -> Impact:
    """What a diff means for an audience: steerability, safeguards, evals to re-run, scope."""
    from specver.report.impact import assess_impact

    return assess_impact(diff, (config or Config()).scheme, audience)


def bump(
    old: Spec,
    new: Spec,
    current: str | None = None,
    *,
    scheme: str | None = None,
    day: date | None = None,
    config: Config | None = None,
) -> BumpDecision:
    """The version after `current` (default: `version:` in the config) for two specs' changes.

    The scheme is the one given, else the current version's, else the config's, else semver.
    The decision is frozen and carries the changes that decided it. Raises NothingChanged
    (exit 1) when no change calls for a new version.
    """
    from specver.errors import UsageError
    from specver.release.versioning import check_version, decide_bump, scheme_of

    config = config or Config()
    version = current or config.version
    if version is None:
        raise UsageError("no current version: pass --current VERSION or record `version:`")
    chosen = scheme or scheme_of(version) or config.version_scheme or "semver"
    check_version(version, chosen)
    return decide_bump(diff(old, new, config), version, chosen, day)


def entry_version(version: str | None, new: Spec, config: Config, level: str) -> str:
    """The version an entry describes: the one given, else a version-like revision of NEW
    (`v2.0.0:spec.md`), else the config's `version:` bumped by `level`."""
    from specver.errors import UsageError
    from specver.release.versioning import next_version, scheme_of
    from specver.spec.sources.file import is_revision

    if version is not None:
        if not version.strip() or not version.isprintable():
            raise UsageError(
                f"--version {version!r}: a version is one line of printable text, not blank"
            )
        return version
    if is_revision(new.source):
        rev = new.source.partition(":")[0]
        if scheme_of(rev):
            return rev
    if config.version and level != "none":
        scheme = config.version_scheme or scheme_of(config.version) or "semver"
        return next_version(config.version, level, scheme)
    raise UsageError("pass --version V: the version this changelog entry describes")


def changelog_entry(
    old: Spec,
    new: Spec,
    *,
    version: str | None = None,
    day: date | None = None,
    config: Config | None = None,
    show_all: bool = False,
) -> ChangelogResult:
    """The changelog entry for two specs' changes, dated `day` (default: today).

    Without `show_all`, broken references are left out of the entry and reported as
    warnings instead. Raises NothingChanged (exit 1) when the specs do not differ.
    """
    from specver.errors import NothingChanged
    from specver.release.changelog import ChangelogResult, build_entry

    config = config or Config()
    result = diff(old, new, config)
    if not result.changes:
        raise NothingChanged(f"{old.source} and {new.source} agree: no changelog entry")
    label = entry_version(version, new, config, result.bump)
    if day is None:
        from datetime import date

        day = date.today()
    released = day.isoformat()
    entry = build_entry(result, label, released, scheme=config.scheme, show_all=show_all)
    warnings = tuple(
        f"{c.policy} refers to missing #{c.get('target')}"
        for c in result.changes
        if c.kind == "reference_broken" and not show_all
    )
    return ChangelogResult(entry, warnings)


def check(spec: Spec, config: Config | None = None) -> tuple[Finding, ...]:
    """Lint a parsed spec: duplicate ids, unknown levels, missing targets and eval files."""
    from specver.spec.check import check_spec

    return check_spec(spec, (config or Config()).scheme)


# --- git history and forks ---------------------------------------------------------------


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
    from specver.config import DEFAULT_SPEC_PATH
    from specver.history.walk import build_timeline
    from specver.spec.sources.git import open_repo

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
    from specver.history.walk import policy_history

    return policy_history(walked, policy_id)


def release_log(walked: Timeline) -> tuple[LogRow, ...]:
    """One row per revision of a timeline: counts of each change kind and the bump."""
    from specver.history.walk import release_log as rows

    return rows(walked)


def fork_sources(
    upstream: str, fork: str, base: str | None = None, *, repo: Path | None = None
) -> tuple[SourceText, SourceText, SourceText]:
    """Read base, upstream and fork (the base is the merge base when it is not given)."""
    from specver.spec.sources.git import merge_base_source

    up, fk = read_source(upstream, repo=repo), read_source(fork, repo=repo)
    bs = read_source(base, repo=repo) if base else merge_base_source(upstream, fork, repo)
    return bs, up, fk


def fork_report(
    upstream: str,
    fork: str,
    base: str | None = None,
    *,
    repo: Path | None = None,
    config: Config | None = None,
) -> ForkReport:
    """Three-way comparison of a fork with its upstream, against their common base."""
    from specver.fork.compare import compare_fork

    bs, up, fk = fork_sources(upstream, fork, base, repo=repo)
    return compare_fork(parse_source(bs), parse_source(up), parse_source(fk), config)


def merge(
    upstream: str,
    fork: str,
    base: str | None = None,
    *,
    repo: Path | None = None,
    config: Config | None = None,
) -> MergeResult:
    """The fork with upstream's clean changes applied and conflicts between markers."""
    from specver.fork.compare import compare_fork, merge_fork

    bs, up, fk = fork_sources(upstream, fork, base, repo=repo)
    report = compare_fork(parse_source(bs), parse_source(up), parse_source(fk), config)
    return merge_fork(report, up.text, fk.text)


__all__ = [
    "Config",
    "accept",
    "accept_entries",
    "bump",
    "changelog_entry",
    "check",
    "diff",
    "fork_report",
    "history",
    "impact",
    "load",
    "load_config",
    "merge",
    "parse_text",
    "release_log",
    "timeline",
]
