"""A hand-written summary above the generated bullets (`--summary FILE`, or the fragments of
`changelog: summary:` in .specver.yaml), and plain text wherever the output is not Markdown:
`changelog --format text` and the annotated tag message of `release`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from specver.config import parse_config
from specver.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "fixtures" / "acme"
PAIR = (str(ACME / "v1.1.0" / "acme_spec.md"), str(ACME / "v2.0.0" / "acme_spec.md"))
DATED = ("--version", "2.0.0", "--date", "2026-04-01")

SUMMARY = "Secrets are **confidential information** now.\n\n- Thanks to the reviewers.\n"

MARKDOWN_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
"""A backslash before ASCII punctuation: a Markdown escape."""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def test_summary_lands_above_the_bullets(cli, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text(SUMMARY, encoding="utf-8")
    md = cli("changelog", *PAIR, *DATED, "--summary", summary)
    assert md.code == 0, md.err
    assert md.out.startswith("## [2.0.0] - 2026-04-01\n\n" + SUMMARY + "\n### Added\n")
    text = cli("changelog", *PAIR, *DATED, "--summary", summary, "--format", "text")
    assert text.out.startswith("2.0.0 - 2026-04-01\n\n" + SUMMARY + "\nAdded\n- ")
    data = json.loads(cli("changelog", *PAIR, *DATED, "--summary", summary, "-f", "json").out)
    assert data["notes"] == SUMMARY.strip()
    # without one, nothing stands between the heading and the first group
    plain = cli("changelog", *PAIR, *DATED)
    assert plain.out.startswith("## [2.0.0] - 2026-04-01\n\n### Added\n")
    assert json.loads(cli("changelog", *PAIR, *DATED, "-f", "json").out)["notes"] is None


def test_summary_written_into_the_changelog_file(cli, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text(SUMMARY, encoding="utf-8")
    log = tmp_path / "CHANGELOG.md"
    shutil.copy(ACME / "CHANGELOG.md", log)
    done = cli("changelog", *PAIR, *DATED, "--summary", summary, "--write", log)
    assert done.code == 0, done.err
    text = log.read_text(encoding="utf-8")
    start = text.index("## [2.0.0] - 2026-04-01")
    assert text.index(SUMMARY.split("\n")[0], start) < text.index("### Added", start)


@pytest.mark.parametrize("heading", ["# Release notes", "## 9.9.9", "  ## Highlights"])
def test_a_top_level_heading_in_a_summary_is_refused(cli, tmp_path: Path, heading: str) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text(f"Intro.\n\n{heading}\n\nMore.\n", encoding="utf-8")
    done = cli("changelog", *PAIR, *DATED, "--summary", summary)
    assert done.code == 2
    assert "line 3 is a top-level heading" in done.err
    assert "Traceback" not in done.err


def test_deeper_headings_and_fenced_hashes_are_kept(cli, tmp_path: Path) -> None:
    body = "### Highlights\n\n```\n## not a heading in a fence\n```\n"
    summary = tmp_path / "summary.md"
    summary.write_text(body, encoding="utf-8")
    done = cli("changelog", *PAIR, *DATED, "--summary", summary)
    assert done.code == 0, done.err
    assert body.strip() in done.out


def test_missing_summary_file_is_one_line(cli, tmp_path: Path) -> None:
    done = cli("changelog", *PAIR, *DATED, "--summary", tmp_path / "nope.md")
    assert done.code == 2 and "no such file" in done.err and "Traceback" not in done.err


def test_the_config_names_a_fragment_folder(cli, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "changes"
    folder.mkdir()
    (folder / "20-second.md").write_text("Second fragment.\n", encoding="utf-8")
    (folder / "10-first.txt").write_text("First fragment.\n", encoding="utf-8")
    (folder / "README.md").write_text("Put one file per change here.\n", encoding="utf-8")
    (folder / ".gitkeep").write_text("", encoding="utf-8")
    (tmp_path / ".specver.yaml").write_text("changelog:\n  summary: changes\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    done = cli("changelog", *PAIR, *DATED)
    assert done.code == 0, done.err
    assert done.out.startswith(
        "## [2.0.0] - 2026-04-01\n\nFirst fragment.\n\nSecond fragment.\n\n### Added\n"
    )
    assert "Put one file" not in done.out
    # changelog reads the fragments and leaves them where they are
    assert sorted(p.name for p in folder.iterdir()) == [
        ".gitkeep",
        "10-first.txt",
        "20-second.md",
        "README.md",
    ]
    # --summary wins over the folder
    own = tmp_path / "own.md"
    own.write_text("Own words.\n", encoding="utf-8")
    mine = cli("changelog", *PAIR, *DATED, "--summary", own)
    assert "Own words." in mine.out and "First fragment." not in mine.out


@pytest.mark.parametrize(
    "text",
    ["changelog: changes/\n", "changelog:\n  summary: 3\n", "changelog:\n  sumary: changes\n"],
)
def test_a_bad_changelog_section_is_a_config_error(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_config(text)


# --- release: plain tag message, summary consumed ------------------------------------------


def put_version(repo: Path, version: str) -> None:
    shutil.rmtree(repo / "examples", ignore_errors=True)
    shutil.copytree(ACME / version / "examples", repo / "examples")
    shutil.copy(ACME / version / "acme_spec.md", repo / "acme_spec.md")


@pytest.fixture
def released_repo(tmp_path: Path) -> Path:
    """v1.1.0 committed and tagged, a tracked summary fragment, v2.0.0 in the working tree."""
    repo = tmp_path / "acme"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Release Tester")
    git(repo, "config", "user.email", "tester@example.org")
    put_version(repo, "v1.1.0")
    shutil.copy(ACME / "CHANGELOG.md", repo / "CHANGELOG.md")
    (repo / ".specver.yaml").write_text(
        "spec: acme_spec.md\nchangelog:\n  summary: changes\n", encoding="utf-8"
    )
    (repo / "changes").mkdir()
    (repo / "changes" / "levels.md").write_text(
        "Renames the top level to *root* (see `levels_of_authority`).\n", encoding="utf-8"
    )
    (repo / "changes" / ".gitkeep").write_text("", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Acme spec 1.1.0")
    git(repo, "tag", "-a", "-m", "1.1.0", "v1.1.0")
    put_version(repo, "v2.0.0")
    (repo / "changes" / "untracked.md").write_text("A late note.\n", encoding="utf-8")
    return repo


def test_release_tag_message_is_plain_text_with_the_summary(cli, released_repo: Path) -> None:
    done = cli("release", "--repo", released_repo, "--yes", "--date", "2026-04-01")
    assert (done.code, done.out) == (0, "v2.0.0\n"), done.err
    message = git(released_repo, "tag", "-l", "--format=%(contents)", "v2.0.0")
    assert message.startswith(
        "v2.0.0 - 2026-04-01\n\nRenames the top level to *root* (see `levels_of_authority`)."
        "\n\nA late note.\n\nAdded\n- "
    )
    generated = message.split("\nAdded\n", 1)[1]
    assert MARKDOWN_ESCAPE.search(generated) is None, MARKDOWN_ESCAPE.search(generated)
    assert "**" not in generated and "`" not in generated and "###" not in generated
    assert "- Adds Protect minors (protect_minors, root).\n" in generated
    assert "- Lowers Do not hide the assistant's nature (disclose_ai_nature)" in generated
    # the changelog file has the same entry in Markdown
    changelog = (released_repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "- Adds **Protect minors** (`protect_minors`, root).\n" in changelog
    assert "Renames the top level to *root*" in changelog
    # the fragments were consumed: removed, the tracked one's removal committed
    assert sorted(p.name for p in (released_repo / "changes").iterdir()) == [".gitkeep"]
    assert git(released_repo, "status", "--porcelain") == ""
    removed = git(released_repo, "show", "--name-status", "--format=", "HEAD")
    assert "D\tchanges/levels.md" in removed


def test_dry_run_names_the_fragments_and_changes_nothing(cli, released_repo: Path) -> None:
    done = cli("release", "--repo", released_repo, "--dry-run", "--date", "2026-04-01")
    assert done.code == 0, done.err
    assert "Summary: from changes/levels.md, changes/untracked.md (removed by the release)" in (
        done.out
    )
    assert (released_repo / "changes" / "levels.md").is_file()
    assert (released_repo / "changes" / "untracked.md").is_file()


def test_a_refused_commit_puts_the_fragments_back(cli, released_repo: Path) -> None:
    hook = released_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho refused by hook >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    done = cli("release", "--repo", released_repo, "--yes", "--date", "2026-04-01")
    assert done.code == 2 and "refused by hook" in done.err
    assert (
        (released_repo / "changes" / "levels.md")
        .read_text(encoding="utf-8")
        .startswith("Renames the top level")
    )
    assert (released_repo / "changes" / "untracked.md").read_text(encoding="utf-8") == (
        "A late note.\n"
    )
