"""Dates and versions read from the sources: a `TAG:PATH` NEW dates the changelog entry with
the tag's date, and a `TAG:PATH` OLD with a version tag is the current version of `bump` and
`changelog` (tests on temporary git repositories built from the Acme fixtures)."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from specver.spec.sources.git import revision_tag, tag_date

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "fixtures" / "acme"


def git(repo: Path, *args: str, when: str | None = None) -> str:
    """Run git in `repo`; `when` sets both the author/committer and the tagger date."""
    env = dict(os.environ)
    if when is not None:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout


def commit_version(repo: Path, version: str, when: str) -> None:
    """Commit one Acme version of the spec, dated `when`."""
    (repo / "acme_spec.md").write_bytes((ACME / version / "acme_spec.md").read_bytes())
    git(repo, "add", "acme_spec.md")
    git(repo, "commit", "-q", "-m", f"Acme {version}", when=when)


@pytest.fixture
def tagged_repo(tmp_path: Path) -> Path:
    """v1.0.0 and v1.1.0 as commits; v1.0.0 tagged lightweight, v1.1.0 annotated a few days
    after its commit, late in the evening west of UTC (already the next day in UTC)."""
    repo = tmp_path / "acme"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Release Tester")
    git(repo, "config", "user.email", "tester@example.org")
    commit_version(repo, "v1.0.0", "2026-01-15T09:00:00+01:00")
    git(repo, "tag", "v1.0.0")
    commit_version(repo, "v1.1.0", "2026-02-20T10:00:00+00:00")
    git(repo, "tag", "-a", "-m", "1.1.0", "v1.1.0", when="2026-03-02T23:30:00-07:00")
    git(repo, "branch", "topic")
    return repo


def test_tag_date_is_the_tagger_date_else_the_commit_date(tagged_repo: Path) -> None:
    assert tag_date("v1.1.0:acme_spec.md", repo=tagged_repo) == date(2026, 3, 2)
    assert tag_date("refs/tags/v1.1.0:acme_spec.md", repo=tagged_repo) == date(2026, 3, 2)
    assert tag_date("v1.0.0:acme_spec.md", repo=tagged_repo) == date(2026, 1, 15)
    for not_a_tag in ("topic:acme_spec.md", "HEAD:acme_spec.md", "acme_spec.md"):
        assert tag_date(not_a_tag, repo=tagged_repo) is None
    assert revision_tag("tags/v1.0.0:acme_spec.md", repo=tagged_repo) == "v1.0.0"


def test_changelog_of_tag_revisions_carries_the_tags_date(cli, tagged_repo: Path) -> None:
    done = cli("changelog", "v1.0.0:acme_spec.md", "v1.1.0:acme_spec.md", "--repo", tagged_repo)
    assert done.code == 0, done.err
    assert done.out.startswith("## [v1.1.0] - 2026-03-02\n")
    data = cli(
        "changelog",
        "v1.0.0:acme_spec.md",
        "v1.1.0:acme_spec.md",
        "--repo",
        tagged_repo,
        "--format",
        "json",
    )
    assert '"date": "2026-03-02"' in data.out
    # --date still wins, and a branch revision is dated today as before
    dated = cli(
        "changelog",
        "v1.0.0:acme_spec.md",
        "v1.1.0:acme_spec.md",
        "--repo",
        tagged_repo,
        "--date",
        "2026-05-05",
    )
    assert dated.out.startswith("## [v1.1.0] - 2026-05-05\n")
    branch = cli("changelog", "v1.0.0:acme_spec.md", "topic:acme_spec.md", "--repo", tagged_repo)
    assert branch.code == 0, branch.err
    assert branch.out.startswith(f"## [v1.1.0] - {date.today().isoformat()}\n")


def test_bump_reads_the_current_version_from_olds_tag(cli, tagged_repo: Path) -> None:
    done = cli("bump", "v1.0.0:acme_spec.md", "topic:acme_spec.md", "--repo", tagged_repo)
    assert (done.code, done.out) == (0, "v1.1.0\n"), done.err
    assert done.err.startswith("current version v1.0.0, read from v1.0.0:acme_spec.md\n")
    # an explicit --current still decides
    given = cli(
        "bump",
        "v1.0.0:acme_spec.md",
        "topic:acme_spec.md",
        "--repo",
        tagged_repo,
        "--current",
        "3.4.5",
    )
    assert (given.code, given.out) == (0, "3.5.0\n"), given.err
    # without a version anywhere the message says how to give one
    untagged = cli("bump", "topic~1:acme_spec.md", "topic:acme_spec.md", "--repo", tagged_repo)
    assert untagged.code == 2
    assert "TAG:PATH with a version tag" in untagged.err


def test_changelog_bumps_olds_tag_when_new_is_no_version(cli, tagged_repo: Path) -> None:
    done = cli(
        "changelog",
        "v1.0.0:acme_spec.md",
        "topic:acme_spec.md",
        "--repo",
        tagged_repo,
        "--date",
        "2026-03-09",
    )
    assert done.code == 0, done.err
    assert done.out.startswith("## [v1.1.0] - 2026-03-09\n")


def test_calver_bump_from_olds_tag_is_dated_by_news_tag(cli, tmp_path: Path) -> None:
    repo = tmp_path / "cal"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Release Tester")
    git(repo, "config", "user.email", "tester@example.org")
    commit_version(repo, "v1.0.0", "2025-02-12T12:00:00-08:00")
    git(repo, "tag", "-a", "-m", "release", "v2025.02.12", when="2025-02-12T12:00:00-08:00")
    commit_version(repo, "v1.1.0", "2025-04-11T14:00:00-07:00")
    git(repo, "tag", "-a", "-m", "release", "v2025.04.11", when="2025-04-11T14:00:00-07:00")
    done = cli("bump", "v2025.02.12:acme_spec.md", "v2025.04.11:acme_spec.md", "--repo", repo)
    assert (done.code, done.out) == (0, "v2025.04.11\n"), done.err
