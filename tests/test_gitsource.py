"""REV:PATH sources: every way a revision can be wrong is one line and exit 2."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from specver.api import load
from specver.errors import SourceError
from specver.spec.sources import read_source


def test_revision_reads_evals_of_same_revision(bundle_repo: Path) -> None:
    old = read_source("v2025.02.12:model_spec.md", repo=bundle_repo)
    new = read_source("v2025.09.12:model_spec.md", repo=bundle_repo)
    assert old.evals is not None and new.evals is not None
    on_disk = sorted(p.stem for p in (bundle_repo / "examples").glob("*.md"))
    assert sorted(e.name for e in new.evals) == on_disk  # HEAD is v2025.09.12
    listed = subprocess.run(
        ["git", "-C", str(bundle_repo), "ls-tree", "--name-only", "v2025.02.12", "examples/"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert sorted(e.name for e in old.evals) == sorted(Path(p).stem for p in listed)


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("v1999.01.01:model_spec.md", "unknown revision"),
        ("v2025.02.12:missing.md", "no file missing.md"),
        ("v2025.02.12:examples", "is a directory"),
        ("v2025.02.12:../outside.md", "not a file path inside the repository"),
        ("--output=x:model_spec.md", "may not start with '-'"),
        ("HEAD^{tree}:model_spec.md", "not a commit"),
    ],
)
def test_bad_revisions(bundle_repo: Path, cli, arg: str, message: str) -> None:
    with pytest.raises(SourceError, match=message.replace("^", r"\^")):
        read_source(arg, repo=bundle_repo)
    result = cli("show", "--repo", bundle_repo, "--", arg)
    assert result.code == 2 and message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def test_option_like_revision_never_reaches_git(bundle_repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "x"
    with pytest.raises(SourceError):
        read_source(f"--output={target}:model_spec.md", repo=bundle_repo)
    assert not target.exists()


def test_not_a_repository(tmp_path: Path, cli) -> None:
    result = cli("show", "--repo", tmp_path, "HEAD:model_spec.md")
    assert result.code == 2 and "not a git repository" in result.err
    missing = cli("show", "--repo", tmp_path / "nope", "HEAD:model_spec.md")
    assert missing.code == 2 and "no such directory" in missing.err


def test_bare_repository_reads_objects(bundle_repo: Path, tmp_path: Path, cli) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "clone", "-q", "--bare", "--", str(bundle_repo), str(bare)], check=True)
    spec = load("v2025.04.11:model_spec.md", repo=bare)
    assert len(spec) == 71 and spec.evals
    result = cli("log", "--repo", bare, "--format", "json")
    assert result.code == 0, result.err


def test_shallow_clone_names_the_boundary(bundle_repo: Path, tmp_path: Path, cli) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{bundle_repo}", str(shallow)],
        check=True,
        capture_output=True,
    )
    assert len(load("HEAD:model_spec.md", repo=shallow)) == 77
    result = cli("show", "--repo", shallow, "HEAD~1:model_spec.md")
    assert result.code == 2 and "shallow clone" in result.err
    log = cli("log", "--repo", shallow, "--format", "json")
    assert log.code == 0 and log.out.count('"commit"') == 1
