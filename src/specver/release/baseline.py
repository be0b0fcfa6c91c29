"""What an unattended run compares a spec with: the last version tag, or a pull request's base.

The pre-commit hook compares each staged spec with its version at the last version tag
reachable from HEAD (the tag `specver release` would build on); the GitHub Action compares
the spec with the pull request's base commit, fetching it when a shallow checkout lacks it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from specver.release.release import latest_tag
from specver.spec.sources.git import blob_id, open_repo, resolve_commit


@dataclass(frozen=True, slots=True)
class TagBaseline:
    """The last version tag and, per file asked about, its `TAG:PATH` (None: not in the tag)."""

    tag: str | None
    """None when no version tag is reachable from HEAD."""
    root: Path
    """The repository's working tree."""
    sources: tuple[tuple[str, str | None], ...] = ()
    """(file as given, `TAG:PATH` or None when the tag has no such file)."""


def last_tag_baseline(files: Sequence[str], start: Path) -> TagBaseline:
    """The files' versions at the last version tag of the repository holding `start`."""
    repo = open_repo(start)
    root = Path(repo.working_tree_dir or start).resolve()
    tag, _scheme = latest_tag(repo, None)
    if tag is None:
        return TagBaseline(None, root)
    commit = resolve_commit(repo, tag)
    sources: list[tuple[str, str | None]] = []
    for name in files:
        path = (start / name).resolve().relative_to(root).as_posix()
        sources.append((name, f"{tag}:{path}" if blob_id(commit, path) else None))
    return TagBaseline(tag, root, tuple(sources))


def pull_request_base(env: Mapping[str, str]) -> str | None:
    """The revision a pull request is compared with: its base commit (from the event GitHub
    describes in GITHUB_EVENT_PATH), else `origin/` and its base branch; None outside one."""
    event_path = env.get("GITHUB_EVENT_PATH")
    if event_path and Path(event_path).is_file():
        try:
            event = json.loads(Path(event_path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            event = {}
        pull = event.get("pull_request") if isinstance(event, dict) else None
        base = pull.get("base") if isinstance(pull, dict) else None
        sha = base.get("sha") if isinstance(base, dict) else None
        if isinstance(sha, str) and sha:
            return sha
    branch = env.get("GITHUB_BASE_REF")
    return f"origin/{branch}" if branch else None


def ensure_revision(workspace: Path, revision: str) -> bool:
    """Whether the repository has `revision`, fetching it from origin (one commit deep) when
    a shallow checkout lacks it; False when it still cannot be found."""
    from git import BadName, GitCommandError

    repo = open_repo(workspace)
    try:
        repo.commit(revision)
        return True
    except (BadName, ValueError):
        pass
    try:
        repo.git.fetch("--no-tags", "--depth=1", "origin", revision.removeprefix("origin/"))
    except GitCommandError:
        return False
    return True
