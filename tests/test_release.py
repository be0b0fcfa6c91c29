"""`specver release` end to end on temporary git repositories built from the Acme fixtures."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from specver.release.release import release_prefix, with_prefix

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "fixtures" / "acme"
CONFIG = "# specver settings\nspec: acme_spec.md  # our spec\nscheme: semver\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def put_version(repo: Path, version: str) -> None:
    """Replace the spec and its eval files with those of one Acme version."""
    shutil.rmtree(repo / "examples", ignore_errors=True)
    shutil.copytree(ACME / version / "examples", repo / "examples")
    shutil.copy(ACME / version / "acme_spec.md", repo / "acme_spec.md")


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file of the working tree and of .git, byte for byte."""
    return {
        str(p.relative_to(repo)): p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()
    }


@pytest.fixture
def acme_repo(tmp_path: Path) -> Path:
    """v1.0.0 committed and tagged, with the Acme changelog; v1.1.0 in the working tree."""
    repo = tmp_path / "acme"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Release Tester")
    git(repo, "config", "user.email", "tester@example.org")
    put_version(repo, "v1.0.0")
    (repo / "CHANGELOG.md").write_text(
        "# Changelog\n\nAll notable changes.\n\n## [Unreleased]\n\n## [1.0.0] - 2026-01-15\n\n"
        "Initial release.\n",
        encoding="utf-8",
    )
    (repo / ".specver.yaml").write_text(CONFIG, encoding="utf-8")
    (repo / "README.md").write_text("Acme spec\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Acme spec 1.0.0")
    git(repo, "tag", "-a", "-m", "1.0.0", "v1.0.0")
    put_version(repo, "v1.1.0")
    return repo


def test_dry_run_prints_everything_and_changes_nothing(cli, acme_repo: Path):
    before = snapshot(acme_repo)
    done = cli("release", "--repo", acme_repo, "--dry-run", "--date", "2026-03-02")
    assert done.code == 0, done.err
    assert done.out.startswith("Release v1.1.0 (semver, minor; since v1.0.0)\n")
    assert "Changelog: update CHANGELOG.md" in done.out
    assert "acme_spec.md, examples/c1t3.md, CHANGELOG.md, .specver.yaml" in done.out
    assert "\n## [1.1.0] - 2026-03-02\n" in done.out
    assert "- Adds **Cite your sources** (`cite_sources`, guideline)." in done.out
    assert done.err.startswith("minor release")
    assert snapshot(acme_repo) == before


def test_release_commits_tags_and_records_the_version(cli, acme_repo: Path):
    changelog_before = (acme_repo / "CHANGELOG.md").read_bytes()
    done = cli("release", "--repo", acme_repo, "--yes", "--date", "2026-03-02")
    assert done.code == 0, done.err
    assert done.out == "v1.1.0\n"
    assert git(acme_repo, "status", "--porcelain") == ""
    assert git(acme_repo, "log", "-1", "--format=%s") == "Release v1.1.0\n"
    committed = set(git(acme_repo, "show", "--name-only", "--format=", "HEAD").split())
    assert committed == {"acme_spec.md", "examples/c1t3.md", "CHANGELOG.md", ".specver.yaml"}
    assert git(acme_repo, "cat-file", "-t", "v1.1.0") == "tag\n"
    assert git(acme_repo, "rev-parse", "v1.1.0^{commit}") == git(acme_repo, "rev-parse", "HEAD")
    message = git(acme_repo, "tag", "-l", "--format=%(contents)", "v1.1.0")
    assert message.startswith("v1.1.0 - 2026-03-02\n\nAdded\n")
    assert "4 other policies received copy edits." in message
    changelog = (acme_repo / "CHANGELOG.md").read_bytes()
    start = changelog.index(b"## [1.1.0]")
    end = changelog.index(b"## [1.0.0]")
    assert changelog[:start] + changelog[end:] == changelog_before
    assert (acme_repo / ".specver.yaml").read_text(encoding="utf-8") == (
        CONFIG + "version: v1.1.0\n"
    )
    # the next step, v2.0.0, is major and goes on top of 1.1.0
    put_version(acme_repo, "v2.0.0")
    major = cli("release", "--repo", acme_repo, "--yes", "--date", "2026-04-01")
    assert (major.code, major.out) == (0, "v2.0.0\n"), major.err
    text = (acme_repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.index("## [2.0.0]") < text.index("## [1.1.0]") < text.index("## [1.0.0]")


def test_refuses_unrelated_uncommitted_changes(cli, acme_repo: Path):
    (acme_repo / "README.md").write_text("edited\n", encoding="utf-8")
    before = snapshot(acme_repo)
    done = cli("release", "--repo", acme_repo, "--yes")
    assert done.code == 2
    assert done.err == (
        "specver: error: uncommitted changes outside the spec and changelog (README.md); "
        "commit or stash them first\n"
    )
    assert snapshot(acme_repo) == before


def test_refuses_an_existing_tag(cli, acme_repo: Path):
    git(acme_repo, "tag", "v9.0.0")
    before = snapshot(acme_repo)
    done = cli("release", "--repo", acme_repo, "--yes", "--version", "v9.0.0")
    assert done.code == 2 and "tag v9.0.0 already exists" in done.err
    assert snapshot(acme_repo) == before


def test_refuses_a_computed_tag_that_exists_on_another_branch(cli, acme_repo: Path):
    git(acme_repo, "stash", "-u", "-q")
    git(acme_repo, "checkout", "-q", "-b", "side")
    git(acme_repo, "commit", "-q", "--allow-empty", "-m", "side")
    git(acme_repo, "tag", "-a", "-m", "side", "v1.1.0")
    git(acme_repo, "checkout", "-q", "main")
    git(acme_repo, "stash", "pop", "-q")
    done = cli("release", "--repo", acme_repo, "--yes")
    assert done.code == 2 and "tag v1.1.0 already exists" in done.err


def test_refuses_when_nothing_changed(cli, acme_repo: Path):
    put_version(acme_repo, "v1.0.0")
    done = cli("release", "--repo", acme_repo, "--yes")
    assert done.code == 2
    assert "nothing changed in acme_spec.md since v1.0.0" in done.err


def test_refuses_without_yes_when_stdin_is_not_a_terminal(cli, acme_repo: Path):
    before = snapshot(acme_repo)
    done = cli("release", "--repo", acme_repo)
    assert done.code == 2 and "pass --yes" in done.err
    assert snapshot(acme_repo) == before


def test_a_repository_without_tags_starts_at_0_1_0(cli, tmp_path: Path):
    repo = tmp_path / "fresh"
    repo.mkdir()
    git(repo, "init", "-q")
    git(repo, "config", "user.name", "Release Tester")
    git(repo, "config", "user.email", "tester@example.org")
    put_version(repo, "v1.0.0")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "spec")
    done = cli("release", "--repo", repo, "--path", "acme_spec.md", "--yes", "--date", "2026-01-15")
    assert (done.code, done.out) == (0, "v0.1.0\n"), done.err
    text = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n\n## [v0.1.0] - 2026-01-15\n")
    assert "First release: 27 policies (11 platform, 1 developer, 6 user, 9 guideline)" in text
    assert git(repo, "describe", "--tags") == "v0.1.0\n"


def test_calver_without_tags_starts_at_the_release_date(cli, tmp_path: Path):
    repo = tmp_path / "fresh"
    repo.mkdir()
    git(repo, "init", "-q")
    put_version(repo, "v1.0.0")
    done = cli(
        "release",
        "--repo",
        repo,
        "--path",
        "acme_spec.md",
        "--scheme",
        "calver",
        "--dry-run",
        "--date",
        "2026-01-15",
    )
    assert done.code == 0, done.err
    assert done.out.startswith("Release v2026.01.15 (calver; first release)\n")


def test_path_outside_the_repository_is_refused(cli, acme_repo: Path):
    done = cli("release", "--repo", acme_repo, "--path", "../elsewhere.md", "--dry-run")
    assert done.code == 2 and "not inside the repository" in done.err


def test_the_default_spec_path_comes_from_config():
    from specver import config
    from specver.release import release

    assert config.DEFAULT_SPEC_PATH == "model_spec.md"
    assert release.DEFAULT_SPEC_PATH is config.DEFAULT_SPEC_PATH


def test_a_commit_refused_by_git_is_one_line_and_restores_the_files(cli, acme_repo: Path):
    hook = acme_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'policy check:' >&2\necho '  failed\tbadly' >&2\nexit 1\n")
    hook.chmod(0o755)
    tree = {k: v for k, v in snapshot(acme_repo).items() if not k.startswith(".git/")}
    status = git(acme_repo, "status", "--porcelain")
    done = cli("release", "--repo", acme_repo, "--yes", "--date", "2026-03-02")
    last = done.err.splitlines()[-1]
    assert done.code == 2 and done.err.endswith(last + "\n")
    assert last.startswith("specver: error: git could not commit the release: ")
    assert "policy check: failed badly" in last
    after = {k: v for k, v in snapshot(acme_repo).items() if not k.startswith(".git/")}
    assert after == tree and git(acme_repo, "status", "--porcelain") == status
    assert git(acme_repo, "tag", "-l", "v1.1.0") == ""


def test_refuses_a_version_already_tagged_with_or_without_v(cli, acme_repo: Path):
    first = cli("release", "--repo", acme_repo, "--yes", "--date", "2026-03-02")
    assert (first.code, first.out) == (0, "v1.1.0\n"), first.err
    put_version(acme_repo, "v2.0.0")
    before = snapshot(acme_repo)
    for asked in ("1.1.0", "v1.1.0"):
        done = cli("release", "--repo", acme_repo, "--dry-run", "--version", asked)
        assert done.code == 2, done.err
        assert done.err.endswith(
            f"specver: error: tag v1.1.0 already exists for version {asked}; nothing was changed\n"
        )
        assert "replace" not in done.out and done.out == ""
    assert snapshot(acme_repo) == before


def test_refuses_a_computed_version_tagged_without_v_on_another_branch(cli, acme_repo: Path):
    git(acme_repo, "stash", "-u", "-q")
    git(acme_repo, "checkout", "-q", "-b", "side")
    git(acme_repo, "commit", "-q", "--allow-empty", "-m", "side")
    git(acme_repo, "tag", "-a", "-m", "side", "1.1.0")
    git(acme_repo, "checkout", "-q", "main")
    git(acme_repo, "stash", "pop", "-q")
    done = cli("release", "--repo", acme_repo, "--dry-run")
    assert done.code == 2 and "tag 1.1.0 already exists for version v1.1.0" in done.err


def test_refuses_a_version_that_goes_backwards(cli, acme_repo: Path):
    assert cli("release", "--repo", acme_repo, "--yes", "--date", "2026-03-02").code == 0
    put_version(acme_repo, "v2.0.0")
    before = snapshot(acme_repo)
    for asked in ("v1.0.5", "1.1.0-rc.1", "v0.9.0"):
        done = cli("release", "--repo", acme_repo, "--dry-run", "--version", asked)
        assert done.code == 2, (asked, done.err)
        assert done.err.endswith(
            f"specver: error: --version {asked} is not greater than the latest release v1.1.0; "
            "nothing was changed\n"
        )
    assert snapshot(acme_repo) == before
    ahead = cli("release", "--repo", acme_repo, "--dry-run", "--version", "v1.1.1")
    assert ahead.code == 0 and ahead.out.startswith("Release v1.1.1 (semver, major; since v1.1.0)")


@pytest.fixture
def calver_repo(tmp_path: Path) -> Path:
    """Acme v1.0.0 released as v2026.01.15 (calver tags, no scheme in the config)."""
    repo = tmp_path / "calver"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Release Tester")
    git(repo, "config", "user.email", "tester@example.org")
    put_version(repo, "v1.0.0")
    (repo / ".specver.yaml").write_text("spec: acme_spec.md\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Acme spec")
    git(repo, "tag", "-a", "-m", "first", "v2026.01.15")
    return repo


def test_calver_tags_decide_the_scheme_and_nothing_changed_is_refused(cli, calver_repo: Path):
    done = cli("release", "--repo", calver_repo, "--dry-run")
    assert done.code == 2
    assert done.err.endswith(
        "specver: error: nothing changed in acme_spec.md since v2026.01.15; no release to make\n"
    )
    put_version(calver_repo, "v1.1.0")
    ok = cli("release", "--repo", calver_repo, "--dry-run", "--date", "2026-03-02")
    assert ok.code == 0 and ok.out.startswith("Release v2026.03.02 (calver, minor; since v2026.01")
    back = cli("release", "--repo", calver_repo, "--dry-run", "--version", "v2026.01.14")
    assert back.code == 2 and "is not greater than the latest release v2026.01.15" in back.err


def test_a_scheme_that_does_not_match_the_tags_is_refused(cli, calver_repo: Path):
    before = snapshot(calver_repo)
    expected = (
        "specver: error: --scheme semver does not match the repository's calver tags "
        "(latest v2026.01.15); pass --scheme calver or leave it out\n"
    )
    # nothing changed, and something changed: never a "first release" beside calver tags
    for version in ("v1.0.0", "v1.1.0"):
        put_version(calver_repo, version)
        done = cli("release", "--repo", calver_repo, "--dry-run", "--scheme", "semver")
        assert (done.code, done.out) == (2, ""), done.out
        assert done.err == expected
    put_version(calver_repo, "v1.0.0")
    assert snapshot(calver_repo) == before
    (calver_repo / ".specver.yaml").write_text("spec: acme_spec.md\nscheme: semver\n")
    configured = cli("release", "--repo", calver_repo, "--dry-run")
    assert configured.code == 2
    assert "`scheme: semver` in .specver.yaml does not match the repository's calver tags" in (
        configured.err
    )


# --- all or nothing, symlinks, detached HEAD, tags (issue 20) ----------------------------
# A failing tag signature restores the tree and takes the commit back; a spec symlinked out
# of the repository is refused; a detached HEAD is refused unless asked; the prefix and
# scheme come from the repository's release tags.


def _state(repo: Path) -> tuple[str, str, str, dict[str, bytes]]:
    files = {k: v for k, v in snapshot(repo).items() if not k.startswith(".git/")}
    status = git(repo, "status", "--porcelain")
    return git(repo, "rev-parse", "HEAD"), git(repo, "tag"), status, files


def test_a_failing_tag_signature_leaves_nothing_changed(cli, acme_repo: Path) -> None:
    git(acme_repo, "config", "tag.gpgSign", "true")
    git(acme_repo, "config", "gpg.program", "false")
    before = _state(acme_repo)
    r = cli("release", "--repo", acme_repo, "--yes", "--date", "2026-03-02")
    assert r.code == 2, r.err
    assert "could not create tag v1.1.0" in r.err and "nothing was changed" in r.err
    assert _state(acme_repo) == before
    git(acme_repo, "config", "tag.gpgSign", "false")
    again = cli("release", "--repo", acme_repo, "--yes", "--date", "2026-03-02")
    assert again.code == 0, again.err
    assert again.out == "v1.1.0\n"
    assert "v1.1.0" in git(acme_repo, "tag")


def test_a_spec_symlinked_out_of_the_repository_is_refused(
    cli, acme_repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.md"
    (acme_repo / "acme_spec.md").rename(outside)
    (acme_repo / "acme_spec.md").symlink_to(outside)
    before = _state(acme_repo)
    r = cli("release", "--repo", acme_repo, "--yes", "--date", "2026-03-02")
    assert r.code == 2 and r.err.count("\n") == 1, r.err
    assert "symlink leading outside" in r.err
    assert _state(acme_repo) == before


def test_a_spec_symlinked_inside_the_repository_is_read_through(cli, acme_repo: Path) -> None:
    (acme_repo / "spec").mkdir()
    (acme_repo / "acme_spec.md").rename(acme_repo / "spec" / "real.md")
    (acme_repo / "acme_spec.md").symlink_to("spec/real.md")
    r = cli("release", "--repo", acme_repo, "--dry-run", "--date", "2026-03-02")
    assert r.code == 0, r.err
    assert "Adds **Cite your sources**" in r.out


def test_a_detached_head_is_refused_unless_asked(cli, acme_repo: Path) -> None:
    git(acme_repo, "checkout", "-q", "--detach")
    before = _state(acme_repo)
    r = cli("release", "--repo", acme_repo, "--yes", "--date", "2026-03-02")
    assert r.code == 2 and "HEAD is detached" in r.err and "--detached" in r.err
    assert _state(acme_repo) == before
    asked = cli("release", "--repo", acme_repo, "--dry-run", "--detached", "--date", "2026-03-02")
    assert asked.code == 0, asked.err


def test_a_lightweight_tag_is_not_the_latest_release(cli, acme_repo: Path) -> None:
    git(acme_repo, "tag", "1.5.0")  # lightweight, no prefix, on HEAD: not a release here
    r = cli("release", "--repo", acme_repo, "--dry-run", "--date", "2026-03-02")
    assert r.code == 0, r.err
    assert r.out.startswith("Release v1.1.0 (semver, minor; since v1.0.0)"), r.out[:200]


def test_the_prefix_follows_the_release_tags(cli, acme_repo: Path) -> None:
    git(acme_repo, "tag", "-a", "-m", "old", "v0.9.0", "HEAD")
    r = cli("release", "--repo", acme_repo, "--dry-run", "--date", "2026-03-02")
    assert r.out.startswith("Release v1.1.0 "), r.out[:200]


@pytest.mark.parametrize(
    ("names", "prefix"),
    [
        (["v1.0.0", "v1.1.0", "1.2.0"], "v"),
        (["1.0.0", "1.1.0", "v1.2.0"], ""),
        (["1.0.0", "v1.1.0"], "v"),
        (["v1.0.0", "1.1.0"], ""),
        (["v2025.01.01", "v2025.02.01"], "v"),
    ],
)
def test_release_prefix_is_the_majority_then_the_latest(names: list[str], prefix: str) -> None:
    assert release_prefix(names) == prefix
    assert with_prefix("v1.3.0", prefix) == f"{prefix}1.3.0"
    assert with_prefix("1.3.0", prefix) == f"{prefix}1.3.0"
