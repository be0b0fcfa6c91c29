"""`specver-hook`: the entry points of the pre-commit hooks and the GitHub Action.

Each one works out what to compare (the files pre-commit passes, the last version tag, the
pull request's base) and then runs the ordinary `specver check` or `specver diff`, so output
and exit statuses are the CLI's own:

- `specver-hook check FILE...`: lint each spec (`.pre-commit-hooks.yaml`, `specver-check`).
- `specver-hook diff [--fail-on L] [--accept F] FILE...`: compare each spec with its version
  at the last version tag reachable from HEAD (`specver-diff`); a spec the tag lacks is new
  and skipped, and without any version tag there is nothing to compare yet.
- `specver-hook github-action`: the step of `action.yml`; reads `SPECVER_SPEC`,
  `SPECVER_BASE`, `SPECVER_FAIL_ON` and `SPECVER_ACCEPT` (the action's inputs) and GitHub's
  own variables, and runs `specver diff BASE:SPEC SPEC --format github`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from git import Repo


def note(text: str) -> None:
    """One line on stderr, as specver's own notes are written."""
    sys.stderr.write(f"specver-hook: {text}\n")


def specver(*args: str) -> int:
    """Run one specver command in this process and return its exit status."""
    from specver.__main__ import main

    return main(list(args))


def check_files(argv: list[str]) -> int:
    """`specver-hook check FILE...`: `specver check` on each file; 1 if any has errors."""
    parser = argparse.ArgumentParser(prog="specver-hook check")
    parser.add_argument("--config")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    extra = ["--config", args.config] if args.config else []
    return max((specver("check", f, *extra) for f in args.files), default=0)


def repo_for(start: Path) -> Repo:
    """The git repository holding `start` (a SourceError, exit 2, outside one)."""
    from specver.spec.sources.git import open_repo

    return open_repo(start)


def diff_since_tag(argv: list[str]) -> int:
    """`specver-hook diff FILE...`: each file against the last version tag (`--fail-on`)."""
    from specver.release.release import latest_tag
    from specver.spec.sources.git import blob_id, resolve_commit

    parser = argparse.ArgumentParser(prog="specver-hook diff")
    parser.add_argument("--fail-on", default="major")
    parser.add_argument("--accept")
    parser.add_argument("--config")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    if not args.files:
        return 0
    repo = repo_for(Path.cwd())
    tag, _scheme = latest_tag(repo, None)
    if tag is None:
        note("no version tag yet: nothing to compare the specs with")
        return 0
    root = Path(repo.working_tree_dir or ".").resolve()
    commit = resolve_commit(repo, tag)
    options = ["--fail-on", args.fail_on, "--repo", str(root)]
    options += ["--accept", args.accept] if args.accept else []
    options += ["--config", args.config] if args.config else []
    status = 0
    for name in args.files:
        path = Path(name).resolve().relative_to(root).as_posix()
        if blob_id(commit, path) is None:
            note(f"{name}: not in {tag}, a new spec; nothing to compare")
            continue
        status = max(status, specver("diff", f"{tag}:{path}", name, *options))
    return status


def pull_request_base(env: dict[str, str]) -> str | None:
    """The revision a pull request is compared with: its base commit, else its base branch."""
    event_path = env.get("GITHUB_EVENT_PATH")
    if event_path and Path(event_path).is_file():
        try:
            event = json.loads(Path(event_path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            event = {}
        base = (event.get("pull_request") or {}).get("base") or {}
        if isinstance(base.get("sha"), str) and base["sha"]:
            return str(base["sha"])
    branch = env.get("GITHUB_BASE_REF")
    return f"origin/{branch}" if branch else None


def fetch_if_missing(repo: Repo, revision: str) -> None:
    """Fetch the base from origin when a shallow checkout does not have it (CI only)."""
    from git import BadName, GitCommandError

    try:
        repo.commit(revision)
        return
    except (BadName, ValueError):
        pass
    name = revision.removeprefix("origin/")
    try:
        repo.git.fetch("--no-tags", "--depth=1", "origin", name)
    except GitCommandError:
        note(f"cannot fetch {name} from origin; comparing with what the checkout has")


def github_action(argv: list[str], env: dict[str, str] | None = None) -> int:
    """The `action.yml` step: the spec against the pull request's base, `--format github`."""
    from specver.config import DEFAULT_SPEC_PATH, load_config
    from specver.errors import UsageError

    env = dict(os.environ if env is None else env)
    workspace = Path(env.get("GITHUB_WORKSPACE") or Path.cwd())
    config = load_config(start=workspace)
    spec = env.get("SPECVER_SPEC") or config.spec_path or DEFAULT_SPEC_PATH
    base = env.get("SPECVER_BASE") or pull_request_base(env)
    if not base:
        raise UsageError("no base revision: set the action's `base` input outside pull requests")
    repo = repo_for(workspace)
    fetch_if_missing(repo, base)
    # Annotations name files relative to the repository, so run from its root (the step's
    # working directory in GitHub Actions) with relative paths.
    if Path.cwd().resolve() != workspace.resolve():
        os.chdir(workspace)
    args = ["diff", f"{base}:{spec}", spec, "--format", "github", "--repo", "."]
    if env.get("SPECVER_FAIL_ON"):
        args += ["--fail-on", env["SPECVER_FAIL_ON"]]
    if env.get("SPECVER_ACCEPT"):
        args += ["--accept", env["SPECVER_ACCEPT"]]
    return specver(*args)


COMMANDS: dict[str, Callable[[list[str]], int]] = {
    "check": check_files,
    "diff": diff_since_tag,
    "github-action": github_action,
}
"""`specver-hook` subcommands."""


def main(argv: list[str] | None = None) -> int:
    """Run one `specver-hook` subcommand and return its exit status."""
    from specver.cli.fastpath import report_error
    from specver.errors import SpecverError
    from specver.render import choice_message

    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in COMMANDS:
        given = args[0] if args else ""
        sys.stderr.write(f"specver-hook: error: {choice_message('command', given, COMMANDS)}\n")
        return 2
    try:
        return COMMANDS[args[0]](args[1:])
    except SpecverError as exc:
        return report_error(exc)


def script() -> None:
    """The `specver-hook` process."""
    sys.exit(main())
