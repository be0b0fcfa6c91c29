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
  own variables, and runs `specver diff BASE:SPEC SPEC --format github` from the workspace.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from specver.cli.io import error_line, note


def specver(*args: str) -> int:
    """Run one specver command through the CLI and return its exit status."""
    from specver.cli.app import run

    return run(list(args))


def check_files(argv: list[str]) -> int:
    """`specver-hook check FILE...`: `specver check` on each file; 1 if any has errors."""
    parser = argparse.ArgumentParser(prog="specver-hook check")
    parser.add_argument("--config")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    extra = ["--config", args.config] if args.config else []
    return max((specver("check", f, *extra) for f in args.files), default=0)


def diff_since_tag(argv: list[str]) -> int:
    """`specver-hook diff FILE...`: each file against the last version tag (`--fail-on`)."""
    from specver.api import last_tag_baseline

    parser = argparse.ArgumentParser(prog="specver-hook diff")
    parser.add_argument("--fail-on", default="major")
    parser.add_argument("--accept")
    parser.add_argument("--config")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    if not args.files:
        return 0
    baseline = last_tag_baseline(args.files, Path.cwd())
    if baseline.tag is None:
        note("specver-hook: no version tag yet: nothing to compare the specs with")
        return 0
    options = ["--fail-on", args.fail_on, "--repo", str(baseline.root)]
    options += ["--accept", args.accept] if args.accept else []
    options += ["--config", args.config] if args.config else []
    status = 0
    for name, source in baseline.sources:
        if source is None:
            note(f"specver-hook: {name}: not in {baseline.tag}, a new spec; nothing to compare")
            continue
        status = max(status, specver("diff", source, name, *options))
    return status


def github_action(argv: list[str], env: Mapping[str, str] | None = None) -> int:
    """The `action.yml` step: the spec against the pull request's base, `--format github`."""
    from specver.api import ensure_revision, load_config, pull_request_base
    from specver.config import DEFAULT_SPEC_PATH
    from specver.errors import UsageError

    env = os.environ if env is None else env
    workspace = Path(env.get("GITHUB_WORKSPACE") or Path.cwd())
    config = load_config(start=workspace)
    spec = env.get("SPECVER_SPEC") or config.spec_path or DEFAULT_SPEC_PATH
    base = env.get("SPECVER_BASE") or pull_request_base(env)
    if not base:
        raise UsageError("no base revision: set the action's `base` input outside pull requests")
    if not ensure_revision(workspace, base):
        note(f"specver-hook: cannot fetch {base} from origin; comparing with what is checked out")
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
    from specver.errors import SpecverError
    from specver.render import choice_message

    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in COMMANDS:
        error_line("error", choice_message("specver-hook", args[0] if args else "", COMMANDS))
        return 2
    try:
        return COMMANDS[args[0]](args[1:])
    except SpecverError as exc:
        error_line(exc.label, exc.message)
        return exc.exit_code


def script() -> None:
    """The `specver-hook` process."""
    sys.exit(main())
