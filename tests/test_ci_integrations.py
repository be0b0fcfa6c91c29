"""The ready-made integrations: `.pre-commit-hooks.yaml` and the composite `action.yml`.

The hooks are validated by pre-commit itself and each hook's entry is run, as pre-commit
would run it, in a temporary repository; the action's step is run locally with the
variables GitHub sets (no network: the base revision is in the repository).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import ACME, ROOT
from tests.test_ci_review import parse_commands

BIN = Path(sys.executable).parent
OLD = ACME / "v1.1.0/acme_spec.md"
NEW = ACME / "v2.0.0/acme_spec.md"


def read_yaml(path: Path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def env_with_bin(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("NO_COLOR", None)
    return {**env, **extra}


@pytest.fixture
def spec_repo(tmp_path: Path) -> Path:
    """A repository whose `model_spec.md` is Acme v1.1.0 at tag v1.1.0, then a README commit."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(OLD, repo / "model_spec.md")
    (repo / "README.md").write_text("# Not a spec\n\nSee [missing](#nowhere).\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "v1.1.0")
    git(repo, "tag", "v1.1.0")
    return repo


def test_pre_commit_validates_the_manifest() -> None:
    pre_commit = BIN / "pre-commit"
    assert pre_commit.is_file(), "pre-commit is a dev dependency: make test installs it"
    done = subprocess.run(
        [str(pre_commit), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in read_yaml(ROOT / ".pre-commit-hooks.yaml")}


def files_for(hook: dict, repo: Path) -> list[str]:
    """The tracked files pre-commit would pass the hook: its `files` pattern and types."""
    names = git(repo, "ls-files").splitlines()
    pattern = re.compile(hook.get("files", ""))
    exts = {"markdown": (".md", ".markdown")}
    wanted = tuple(e for t in hook.get("types", []) for e in exts[t])
    return [n for n in names if pattern.search(n) and (not wanted or n.endswith(wanted))]


def run_hook(hook: dict, repo: Path) -> subprocess.CompletedProcess[str]:
    """Run a hook's entry with its args and files in `repo`, as pre-commit does."""
    command = [*shlex.split(hook["entry"]), *hook.get("args", []), *files_for(hook, repo)]
    return subprocess.run(
        command, cwd=repo, env=env_with_bin(), capture_output=True, text=True, check=False
    )


def test_the_hooks_are_the_two_the_readme_names() -> None:
    found = hooks()
    assert set(found) == {"specver-check", "specver-diff"}
    for hook in found.values():
        assert hook["language"] == "python", "pre-commit installs the package from the repo"
    assert "--fail-on major" in found["specver-diff"]["entry"]


def test_check_hook_lints_the_spec_files_only(spec_repo: Path) -> None:
    hook = hooks()["specver-check"]
    assert files_for(hook, spec_repo) == ["model_spec.md"], "README.md is not a spec"
    clean = run_hook(hook, spec_repo)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    shutil.copy(NEW, spec_repo / "model_spec.md")
    broken = run_hook(hook, spec_repo)
    assert broken.returncode == 1
    assert "reference_missing" in broken.stdout and "sparing_disclaimers" in broken.stdout


def test_diff_hook_fails_on_a_major_change_since_the_last_tag(spec_repo: Path) -> None:
    hook = hooks()["specver-diff"]
    unchanged = run_hook(hook, spec_repo)
    assert unchanged.returncode == 0, unchanged.stderr
    text = OLD.read_text(encoding="utf-8")
    minor = text.replace("## Lead with the answer {", "## Lead with the answer first {", 1)
    assert minor != text
    (spec_repo / "model_spec.md").write_text(minor, encoding="utf-8")
    edited = run_hook(hook, spec_repo)
    assert edited.returncode == 0, "only a major change fails the hook"
    assert "policy_retitled" in edited.stdout or "retitled" in edited.stdout
    shutil.copy(NEW, spec_repo / "model_spec.md")
    major = run_hook(hook, spec_repo)
    assert major.returncode == 1
    assert "Suggested bump: MAJOR" in major.stdout
    assert "v1.1.0:model_spec.md" in major.stdout, "compared with the last version tag"


def test_diff_hook_without_a_tag_or_for_a_new_spec_passes(tmp_path: Path) -> None:
    repo = tmp_path / "untagged"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(NEW, repo / "model_spec.md")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    result = run_hook(hooks()["specver-diff"], repo)
    assert result.returncode == 0 and "no version tag" in result.stderr
    git(repo, "tag", "v1.0.0")
    shutil.copy(OLD, repo / "other_spec.md")
    git(repo, "add", ".")
    result = run_hook(hooks()["specver-diff"], repo)
    assert result.returncode == 0 and "other_spec.md: not in v1.0.0" in result.stderr


# --- the GitHub Action -------------------------------------------------------------------

EXPRESSION_RE = re.compile(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}")


def action() -> dict:
    return read_yaml(ROOT / "action.yml")


def test_action_is_composite_with_the_documented_inputs() -> None:
    data = action()
    assert data["runs"]["using"] == "composite"
    assert set(data["inputs"]) == {"spec", "base", "fail-on", "accept"}
    assert data["inputs"]["fail-on"]["default"] == "major"
    install, compare = data["runs"]["steps"]
    assert 'pip install --quiet "$GITHUB_ACTION_PATH"' in install["run"]
    assert "GITHUB_PATH" in install["run"]
    assert all(step["shell"] == "bash" for step in (install, compare))


def run_action_step(repo: Path, inputs: dict[str, str], github: dict[str, str]):
    """Run the action's compare step as the runner would: inputs into its env, bash, in repo."""
    step = action()["runs"]["steps"][1]
    defaults = {name: spec.get("default", "") for name, spec in action()["inputs"].items()}
    values = {**defaults, **inputs}
    env = {
        key: EXPRESSION_RE.sub(lambda m: values[m.group(1)], str(value))
        for key, value in step.get("env", {}).items()
    }
    return subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=repo,
        env=env_with_bin(**env, **github),
        capture_output=True,
        text=True,
        check=False,
    )


def github_env(repo: Path, tmp_path: Path, base_sha: str) -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base_sha, "ref": "main"}}}))
    summary = tmp_path / "step_summary.md"
    summary.write_text("")
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(repo),
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_BASE_REF": "main",
        "GITHUB_HEAD_REF": "change",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_ACTION_PATH": str(ROOT),
    }


def pull_request(spec_repo: Path) -> str:
    """Put Acme v2.0.0 on a branch `change` off main; return main's commit (the base)."""
    base = git(spec_repo, "rev-parse", "HEAD")
    git(spec_repo, "checkout", "-q", "-b", "change")
    shutil.copy(NEW, spec_repo / "model_spec.md")
    git(spec_repo, "commit", "-q", "-am", "v2.0.0")
    return base


def test_action_annotates_the_pull_request_and_writes_the_summary(
    spec_repo: Path, tmp_path: Path
) -> None:
    base = pull_request(spec_repo)
    github = github_env(spec_repo, tmp_path, base)
    result = run_action_step(spec_repo, {}, github)
    assert result.returncode == 1, result.stderr
    commands = parse_commands(result.stdout)
    assert commands and {name for name, _, _ in commands} <= {"error", "warning", "notice"}
    assert "error" in {name for name, _, _ in commands}, "fail-on major by default"
    assert {props.get("file") for _, props, _ in commands} == {"model_spec.md", None}
    summary = Path(github["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert f"`{base}:model_spec.md` → `model_spec.md`" in summary
    assert "**Suggested bump: major**" in summary


def test_action_inputs_accept_file_and_fail_on(spec_repo: Path, tmp_path: Path) -> None:
    base = pull_request(spec_repo)
    github = github_env(spec_repo, tmp_path, base)
    first = run_action_step(spec_repo, {"fail-on": "", "base": "v1.1.0"}, github)
    assert first.returncode == 1, "without fail-on, any unaccepted change fails"
    assert "error" not in {name for name, _, _ in parse_commands(first.stdout)}
    fingerprints = re.findall(r"fingerprint: ([0-9a-f]{12})", first.stdout.replace("%0A", "\n"))
    entries = "".join(f"  - fingerprint: '{f}'\n    reason: reviewed\n" for f in fingerprints)
    (spec_repo / "accepted.yaml").write_text("accept:\n" + entries)
    accepted = run_action_step(spec_repo, {"accept": "accepted.yaml"}, github)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert {name for name, _, _ in parse_commands(accepted.stdout)} == {"notice"}


def test_action_outside_a_pull_request_needs_a_base(spec_repo: Path, tmp_path: Path) -> None:
    github = github_env(spec_repo, tmp_path, "")
    github.pop("GITHUB_BASE_REF")
    Path(github["GITHUB_EVENT_PATH"]).write_text("{}")
    result = run_action_step(spec_repo, {}, github)
    assert result.returncode == 2
    assert result.stderr.startswith("specver: error: no base revision")
