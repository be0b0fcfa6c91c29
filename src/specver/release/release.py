"""Cutting a release in a git repository: next version, changelog entry, commit and annotated tag.

`plan_release` reads the repository and decides everything without changing anything (it is
what `--dry-run` prints); `apply_release` writes the changelog (and `version:` in
`.specver.yaml`), commits them with the spec, and tags the commit with the entry as message.

User text never reaches a git command line in an option position: revisions are resolved
with gitpython's `rev_parse`, paths follow `--` with literal pathspecs, and messages are
passed as `--message=...`.
"""

from __future__ import annotations

import contextlib
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from specver.atomic import write_text_atomic
from specver.config import CONFIG_NAME, DEFAULT_SPEC_PATH, Config, load_config
from specver.diff.compare import diff
from specver.diff.textdiff import one_line
from specver.errors import ReleaseRefused, SourceError, UsageError
from specver.release.changelog import (
    ChangelogEntry,
    ChangelogWrite,
    build_entry,
    detect_style,
    entry_markdown,
    entry_text,
    first_entry,
    read_summary,
)
from specver.release.changelog import planned_write as planned_changelog
from specver.release.versioning import (
    SCHEMES,
    check_version,
    level_counts,
    next_version,
    record_version,
    require_scheme,
    same_version,
    scheme_of,
    version_key,
)
from specver.spec.model import Change, Spec
from specver.spec.parse import parse
from specver.spec.sources.file import EVALS_DIR, read_file
from specver.spec.sources.git import is_shallow, open_repo, read_revision

if TYPE_CHECKING:
    from git import Repo

CHANGELOG_NAMES = ("CHANGELOG.md", "Changelog.md", "changelog.md")
GIT_ENV = {"GIT_LITERAL_PATHSPECS": "1"}
"""Every path given to git is a literal path, never pathspec magic such as `:(exclude)`."""


@dataclass(frozen=True, slots=True)
class ReleasePlan:
    """Everything a release will do, decided before anything is written."""

    root: Path
    """The repository's working tree."""
    spec_path: str
    """The spec, relative to `root` (POSIX separators)."""
    base: str | None
    """The latest version tag the spec is compared with, None for a first release."""
    version: str
    """The new version, which is also the tag name."""
    scheme: str
    level: str
    """The semver level the changes amount to (`none` for a first release)."""
    deciding: tuple[Change, ...]
    """The changes at `level`, which decided the bump."""
    counts: Mapping[str, int]
    """Number of changes per bump level."""
    entry: ChangelogEntry
    changelog: ChangelogWrite
    changelog_path: str
    config_path: str | None
    """`.specver.yaml` relative to `root` when the release records its version there."""
    config_text: str | None
    paths: tuple[str, ...]
    """Paths the release commit takes in, relative to `root`."""
    fragments: tuple[str, ...] = ()
    """Summary fragments the release consumes: removed, and the removal committed."""

    @property
    def message(self) -> str:
        """The commit message."""
        return f"Release {self.version}"

    @property
    def tag_message(self) -> str:
        """The annotated tag's message: the changelog entry as plain text (a tag message is
        read in terminals and git hosts as it is, so no Markdown marks or escapes)."""
        return entry_text(self.entry)


@dataclass(frozen=True, slots=True)
class ReleaseOutcome:
    """What a release did."""

    plan: ReleasePlan
    commit: str
    """The release commit's full hash."""
    tag: str


def _spec_path(root: Path, path: str | None, config: Config) -> str:
    """The spec's path relative to the repository root, refusing paths outside it."""
    chosen = path or config.spec_path or DEFAULT_SPEC_PATH
    candidate = Path(chosen)
    if candidate.is_absolute():
        try:
            candidate = candidate.resolve().relative_to(root.resolve())
        except ValueError:
            raise UsageError(f"--path {chosen}: not inside the repository {root}") from None
    relative = posixpath.normpath(candidate.as_posix())
    if relative.startswith("../") or relative == "..":
        raise UsageError(f"--path {chosen}: not inside the repository {root}")
    if not (root / relative).is_file():
        raise ReleaseRefused(f"no spec at {relative} in {root} (name it with --path)")
    return relative


def version_tags(repo: Repo) -> dict[str, list[str]]:
    """Release tags reachable from HEAD, per scheme: tag names that spell a version, and
    only the annotated ones when the repository has annotated version tags (a release is
    an annotated tag; a stray lightweight `1.1.0` is not the latest release)."""
    out: dict[str, list[str]] = {scheme: [] for scheme in SCHEMES}
    annotated: dict[str, list[str]] = {scheme: [] for scheme in SCHEMES}
    if not repo.head.is_valid():
        return out
    head = repo.head.commit
    for tag in repo.tags:
        scheme = scheme_of(tag.name)
        if scheme is None:
            continue
        try:
            commit = tag.commit
        except ValueError:  # a tag on a tree or blob
            continue
        if commit == head or repo.is_ancestor(commit, head):
            out[scheme].append(tag.name)
            if tag.tag is not None:
                annotated[scheme].append(tag.name)
    if any(annotated.values()):
        return annotated
    return out


def release_prefix(names: list[str]) -> str:
    """The `v` prefix (or none) most of a repository's release tags use; the latest decides
    a tie."""
    with_v = sum(name.startswith("v") for name in names)
    if with_v * 2 == len(names):
        return "v" if max(names, key=version_key).startswith("v") else ""
    return "v" if with_v * 2 > len(names) else ""


def with_prefix(version: str, prefix: str) -> str:
    """`version` spelled with the repository's tag prefix (`v1.2.0` or `1.2.0`)."""
    bare = version[1:] if version[:1] == "v" and version[1:2].isdigit() else version
    return prefix + bare


def latest_tag(
    repo: Repo, scheme: str | None, *, origin: str = "--scheme {scheme}"
) -> tuple[str | None, str]:
    """The highest version tag reachable from HEAD and the scheme in use.

    Without a scheme, the tags decide it (semver when there are none); when both kinds of
    tags exist the user must choose. A scheme that none of the tags follows is refused
    (`origin` says where it came from), so a release never starts over beside them.
    """
    tags = version_tags(repo)
    kinds = [s for s in SCHEMES if tags[s]]
    if scheme is None:
        if len(kinds) > 1:
            raise UsageError("the repository has both semver and calver tags; pass --scheme")
        scheme = kinds[0] if kinds else "semver"
    names = tags[require_scheme(scheme)]
    if kinds and not names:
        other = kinds[0]
        latest = max(tags[other], key=version_key)
        raise ReleaseRefused(
            f"{origin.format(scheme=scheme)} does not match the repository's {other} tags "
            f"(latest {latest}); pass --scheme {other} or leave it out"
        )
    if not names:
        return None, scheme
    return max(names, key=version_key), scheme


def refuse_released(repo: Repo, version: str) -> None:
    """Refuse a version some tag already names, with or without a `v` prefix (exit 2)."""
    for tag in repo.tags:
        if same_version(tag.name, version):
            raise ReleaseRefused(
                f"tag {tag.name} already exists for version {version}; nothing was changed"
            )


def refuse_not_newer(version: str, base: str | None, *, option: str = "--version") -> None:
    """Refuse a version that is not greater than the latest release it follows (exit 2)."""
    if base is not None and version_key(version) <= version_key(base):
        raise ReleaseRefused(
            f"{option} {version} is not greater than the latest release {base}; nothing was changed"
        )


def changed_paths(repo: Repo) -> list[tuple[str, bool]]:
    """(path, untracked) for every uncommitted change in the working tree and index."""
    env = {**GIT_ENV, "GIT_OPTIONAL_LOCKS": "0"}  # a dry run must not even refresh the index
    raw = repo.git.status("--porcelain=v1", "-z", "--untracked-files=all", env=env)
    tokens = raw.split("\0")
    out: list[tuple[str, bool]] = []
    k = 0
    while k < len(tokens):
        item = tokens[k]
        k += 1
        if len(item) < 4:
            continue
        code, path = item[:2], item[3:]
        out.append((path, code == "??"))
        if code[0] in "RC" and k < len(tokens):
            out.append((tokens[k], False))
            k += 1
    return out


def _related(
    path: str, spec_path: str, changelog_path: str, fragments: tuple[str, ...] = ()
) -> bool:
    folder = posixpath.join(posixpath.dirname(spec_path), EVALS_DIR)
    return path in (spec_path, changelog_path, *fragments) or path.startswith(folder + "/")


def _changelog_path(root: Path, spec_path: str) -> str:
    """CHANGELOG.md beside the spec, else at the root; beside the spec when neither exists."""
    folder = posixpath.dirname(spec_path)
    for where in dict.fromkeys((folder, "")):
        for name in CHANGELOG_NAMES:
            candidate = posixpath.join(where, name) if where else name
            if (root / candidate).is_file():
                return candidate
    return posixpath.join(folder, "CHANGELOG.md") if folder else "CHANGELOG.md"


def _config_path(root: Path, config: Config) -> str | None:
    if config.path is None or not config.path.is_file():
        return None
    try:
        return config.path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def _load_spec(root: Path, spec_path: str) -> Spec:
    source = read_file(root / spec_path, label=spec_path)
    return parse(source.text, source=source.label, sha256=source.sha256, evals=source.evals)


def _load_tagged(root: Path, tag: str, spec_path: str) -> Spec:
    source = read_revision(f"{tag}:{spec_path}", repo=root)
    return parse(source.text, source=source.label, sha256=source.sha256, evals=source.evals)


@dataclass(frozen=True, slots=True)
class ReleaseRequest:
    """What the user asked for: where the spec is, which scheme, which date or version."""

    repo: Path | None = None
    path: str | None = None
    scheme: str | None = None
    day: date | None = None
    version: str | None = None
    """An explicit version instead of the computed one."""
    show_all: bool = False
    detached: bool = False
    """Release even though HEAD is detached (on no branch)."""
    summary: Path | None = None
    """A file with the hand-written summary, instead of the configured fragment folder."""


def _entry_and_version(
    request: ReleaseRequest,
    root: Path,
    spec_path: str,
    base: str | None,
    scheme: str,
    cfg: Config,
    prefix: str | None = None,
) -> tuple[ChangelogEntry, str, tuple[Change, ...], Mapping[str, int]]:
    """The entry and the version (spelled with the release tags' `prefix`)."""
    day = request.day or date.today()
    new = _load_spec(root, spec_path)
    if base is None:
        version = request.version or next_version(None, "minor", scheme, day)
        return first_entry(new, version, day.isoformat(), cfg.scheme), version, (), {}

    result = diff(_load_tagged(root, base, spec_path), new, cfg)
    if result.bump == "none":
        raise ReleaseRefused(f"nothing changed in {spec_path} since {base}; no release to make")
    version = request.version or next_version(base, result.bump, scheme, day)
    if request.version is None and prefix is not None:
        version = with_prefix(version, prefix)
    entry = build_entry(
        result, version, day.isoformat(), scheme=cfg.scheme, show_all=request.show_all
    )
    deciding = tuple(c for c in result.changes if c.level == result.bump)
    return entry, version, deciding, level_counts(result.changes)


def _wanted_scheme(request: ReleaseRequest, cfg: Config) -> tuple[str | None, str]:
    """The scheme asked for (by --scheme, else by the config) and how to name its origin."""
    if request.scheme is not None:
        return request.scheme, "--scheme {scheme}"
    return cfg.version_scheme, f"`scheme: {{scheme}}` in {CONFIG_NAME}"


def plan_release(request: ReleaseRequest, config: Config | None = None) -> ReleasePlan:
    """Decide a release without changing anything; refuses with ReleaseRefused (exit 2)."""
    repo = open_repo(request.repo)
    if repo.bare or repo.working_tree_dir is None:
        raise SourceError(f"{repo.git_dir}: a bare repository has no working tree to release")
    root = Path(repo.working_tree_dir)
    if repo.head.is_detached and not request.detached:
        raise ReleaseRefused(
            "HEAD is detached (not on a branch): check out the branch to release, "
            "or pass --detached to release this commit anyway"
        )
    cfg = config or load_config(start=root)
    spec_path = _spec_path(root, request.path, cfg)
    wanted, origin = _wanted_scheme(request, cfg)
    base, scheme = latest_tag(repo, wanted, origin=origin)
    if base is None and is_shallow(repo):
        raise ReleaseRefused(
            f"{root} is a shallow clone and no version tag is reachable in the fetched "
            "history; run `git fetch --unshallow --tags` first"
        )
    if request.version is not None:
        check_version(request.version, scheme, option="--version")
        refuse_released(repo, request.version)
        refuse_not_newer(request.version, base)
    changelog_path = _changelog_path(root, spec_path)
    config_path = _config_path(root, cfg)
    summary = read_summary(request.summary, cfg.summary_folder)
    fragments = _fragment_paths(root, summary.fragments if summary else ())
    unrelated = [
        path
        for path, untracked in changed_paths(repo)
        if not untracked and not _related(path, spec_path, changelog_path, fragments)
    ]
    if unrelated:
        listed = ", ".join(unrelated[:5]) + (", ..." if len(unrelated) > 5 else "")
        raise ReleaseRefused(
            f"uncommitted changes outside the spec and changelog ({listed}); "
            "commit or stash them first"
        )
    names = version_tags(repo)[scheme]
    entry, version, deciding, counts = _entry_and_version(
        request, root, spec_path, base, scheme, cfg, release_prefix(names) if names else None
    )
    refuse_released(repo, version)
    if summary is not None:
        entry = replace(entry, notes=summary.text)
    changelog = planned_changelog(root / changelog_path, entry)
    config_text = record_version(root / config_path, version) if config_path else None
    paths = [p for p, _u in changed_paths(repo) if _related(p, spec_path, changelog_path)]
    paths += [changelog_path] + ([config_path] if config_path else [])
    paths += _tracked(repo, fragments)
    return ReleasePlan(
        root=root,
        spec_path=spec_path,
        base=base,
        version=version,
        scheme=scheme,
        level=entry.bump,
        deciding=deciding,
        counts=counts,
        entry=entry,
        changelog=changelog,
        changelog_path=changelog_path,
        config_path=config_path,
        config_text=config_text,
        paths=tuple(dict.fromkeys(paths)),
        fragments=fragments,
    )


def _fragment_paths(root: Path, files: tuple[Path, ...]) -> tuple[str, ...]:
    """Summary fragments relative to the repository root; refuses fragments outside it."""
    out = []
    for item in files:
        try:
            out.append(item.absolute().relative_to(root.absolute()).as_posix())
        except ValueError:
            raise ReleaseRefused(
                f"summary fragment {item} is outside the repository {root}; a release "
                "removes the fragments it used in its commit"
            ) from None
    return tuple(out)


def _tracked(repo: Repo, paths: tuple[str, ...]) -> list[str]:
    """The paths git tracks among `paths` (their removal goes into the release commit)."""
    if not paths:
        return []
    listed = repo.git.ls_files("-z", "--", *paths, env=GIT_ENV)
    return [p for p in listed.split("\0") if p]


def describe_plan(plan: ReleasePlan) -> str:
    """What a release will do, in plain lines, followed by the changelog entry."""
    since = f"since {plan.base}" if plan.base else "first release"
    level = f", {plan.level}" if plan.level != "none" else ""
    action = "create" if plan.changelog.created else "update"
    if plan.changelog.replaced:
        action = "replace the entry in"
    lines = [
        f"Release {plan.version} ({plan.scheme}{level}; {since})",
        f"Spec: {plan.spec_path}",
        f"Changelog: {action} {plan.changelog_path}",
    ]
    if plan.config_path:
        lines.append(f"Config: record version: {plan.version} in {plan.config_path}")
    if plan.fragments:
        lines.append(f"Summary: from {', '.join(plan.fragments)} (removed by the release)")
    lines += [
        f"Commit: {plan.message!r} with {', '.join(plan.paths)}",
        f"Tag: {plan.version} (annotated; its message is the entry below, in plain text)",
        "",
        entry_markdown(plan.entry, detect_style(plan.changelog.text)).rstrip("\n"),
    ]
    return "\n".join(lines) + "\n"


def _restore(path: Path, original: bytes | None) -> None:
    if original is None:
        path.unlink(missing_ok=True)
    else:
        write_text_atomic(path, original.decode("utf-8"))


def apply_release(plan: ReleasePlan) -> ReleaseOutcome:
    """Write the changelog (and config), commit them with the spec, and tag the commit.

    When git refuses the commit (a hook, a missing identity), the files specver wrote are
    put back as they were and the error is reported in one line.
    """
    import git

    repo = open_repo(plan.root)
    writes = [(plan.root / plan.changelog_path, plan.changelog.text)]
    if plan.config_path and plan.config_text is not None:
        writes.append((plan.root / plan.config_path, plan.config_text))
    originals = [(path, path.read_bytes() if path.exists() else None) for path, _t in writes]
    previous = repo.head.commit.hexsha if repo.head.is_valid() else None
    for path, text in writes:
        write_text_atomic(path, text)
    consumed = [(plan.root / f, (plan.root / f).read_bytes()) for f in plan.fragments]
    originals += [(path, data) for path, data in consumed]
    for path, _data in consumed:
        path.unlink()
    try:
        repo.git.add("--all", "--", *plan.paths, env=GIT_ENV)
        repo.git.commit("--quiet", "--cleanup=whitespace", f"--message={plan.message}", env=GIT_ENV)
    except git.GitCommandError as exc:
        for path, original in originals:
            _restore(path, original)
        with contextlib.suppress(git.GitCommandError):
            repo.git.reset("--quiet", "--", *plan.paths, env=GIT_ENV)
        detail = one_line(str(exc.stderr or exc))
        raise ReleaseRefused(f"git could not commit the release: {detail}") from None
    commit = repo.head.commit.hexsha
    try:
        repo.git.tag(
            "--annotate",
            "--cleanup=whitespace",
            f"--message={plan.tag_message}",
            "--",
            plan.version,
            commit,
        )
    except git.GitCommandError as exc:
        # All or nothing: take the release commit back and restore the tree as it was.
        _undo_commit(repo, previous, plan)
        for path, original in originals:
            _restore(path, original)
        detail = one_line(str(exc.stderr or exc))
        raise ReleaseRefused(
            f"could not create tag {plan.version}: {detail}; the release commit was taken "
            "back and the tree restored, nothing was changed"
        ) from None
    return ReleaseOutcome(plan, commit, plan.version)


def _undo_commit(repo: Repo, previous: str | None, plan: ReleasePlan) -> None:
    """Move the branch back to `previous` (delete it for a first commit), keeping the
    working tree, and leave the release's paths unstaged, as they were."""
    import git

    with contextlib.suppress(git.GitCommandError):
        if previous is not None:
            repo.git.reset("--quiet", "--soft", previous)
            repo.git.reset("--quiet", "--", *plan.paths, env=GIT_ENV)
        else:
            repo.git.update_ref("-d", "HEAD")
            repo.git.rm("--cached", "--quiet", "-r", "--", *plan.paths, env=GIT_ENV)
