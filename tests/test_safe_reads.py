"""Inputs that never hang or exhaust memory: every input path (spec, eval file, config,
changelog) is checked for type and size before it is read, the limit counts the bytes read
(not the size the file reports), and symlinks leaving the repository or the spec's folder
are refused. Each item is a regression test; the generated matrix covers the class.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from specver import atomic
from specver.errors import InputError
from tests.conftest import ACME

V1 = ACME / "v1.0.0" / "acme_spec.md"
V2 = ACME / "v1.1.0" / "acme_spec.md"
HANG_GUARD = 60
"""Seconds after which a read counts as a hang (a guard, not a speed test)."""


def one_line_refusal(r, needle: str = "") -> None:
    assert r.code == 2, r
    assert r.err.count("\n") == 1 and r.err.startswith("specver: error: "), r.err
    assert "Traceback" not in r.err
    assert needle in r.err, r.err


def _bounded(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specver", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
    )


def test_show_dev_zero_is_refused_though_its_size_reads_zero(cli) -> None:
    one_line_refusal(cli("show", "/dev/zero"), "a character device")


def test_the_limit_counts_bytes_read_not_the_reported_size(tmp_path, monkeypatch) -> None:
    path = tmp_path / "spec.md"
    path.write_bytes(b"# T {#t}\n\n" + b"x" * 5000)
    real = os.stat

    def lying(target: object, *args: object, **kwargs: object) -> os.stat_result:
        info = real(target, *args, **kwargs)  # type: ignore[arg-type]
        fields = list(info)
        fields[6] = 0  # st_size: what /proc files and devices report
        return os.stat_result(fields)

    monkeypatch.setattr(atomic.os, "stat", lying)
    with pytest.raises(InputError, match="larger than"):
        atomic.read_input(path, "spec.md", limit=1000)
    assert len(atomic.read_input(path, "spec.md", limit=6000)) == 5010


def _spec_with_evals(folder: Path) -> Path:
    spec = folder / "model_spec.md"
    spec.write_bytes(V1.read_bytes())
    (folder / "examples").mkdir()
    (folder / "examples" / "good.md").write_text("Examples for [^good] in Good:\n")
    return spec


EVAL_TRAPS: dict[str, tuple[Callable[[Path], None], str]] = {
    "a symlink to /dev/zero": (
        lambda ex: (ex / "zz.md").symlink_to("/dev/zero"),
        "symlink leading outside",
    ),
    "a FIFO": (lambda ex: os.mkfifo(ex / "zz.md"), "a FIFO"),
    "a symlink to a file outside": (
        lambda ex: (ex / "zz.md").symlink_to(ex.parent.parent / "secret.txt"),
        "symlink leading outside",
    ),
    "a directory named like an eval file": (lambda ex: (ex / "zz.md").mkdir(), "a directory"),
    "a file over the limit": (
        lambda ex: (ex / "zz.md").write_bytes(b"x" * 70_000),
        "larger than",
    ),
}


@pytest.mark.parametrize("command", ["show", "check", "diff"])
@pytest.mark.parametrize("trap", list(EVAL_TRAPS))
def test_eval_file_traps_are_refused_without_hanging(tmp_path: Path, command: str, trap: str):
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "secret.txt").write_text("the first line of a secret\n")
    spec = _spec_with_evals(work)
    make, needle = EVAL_TRAPS[trap]
    make(work / "examples")
    args = ("diff", V1, spec) if command == "diff" else (command, spec, "--format", "json")
    env_limit = {"SPECVER_MAX_BYTES": "65536"} if "limit" in trap else {}
    r = subprocess.run(
        [sys.executable, "-m", "specver", *map(str, args)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
        env={**os.environ, **env_limit},
    )
    assert r.returncode == 2, r.stderr
    assert r.stderr.count("\n") == 1 and needle in r.stderr, r.stderr
    assert "secret" not in r.stdout


def test_a_symlinked_eval_file_inside_the_repository_is_read(cli, tmp_path: Path) -> None:
    spec = _spec_with_evals(tmp_path)
    (tmp_path / "shared.md").write_text("Examples for [^shared] in Shared:\n")
    (tmp_path / "examples" / "shared.md").symlink_to("../shared.md")
    r = cli("show", spec, "--format", "json")
    assert r.code == 0, r.err
    assert '"shared"' in r.out


def test_a_spec_symlink_leaving_the_folder_is_refused(cli, tmp_path: Path, monkeypatch) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (tmp_path / "outside.md").write_bytes(V1.read_bytes())
    (work / "spec.md").symlink_to(tmp_path / "outside.md")
    one_line_refusal(cli("show", "spec.md"), "symlink leading outside")


def test_committed_eval_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    """`examples/zz.md -> /dev/zero` committed: both sides of the diff refuse it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@x"}  # fmt: skip

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    _spec_with_evals(repo)
    (repo / "examples" / "zz.md").symlink_to("/dev/zero")
    git("add", "-A")
    git("commit", "-q", "-m", "planted")
    r = _bounded("diff", "HEAD:model_spec.md", "model_spec.md", cwd=repo)
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert "symlink leading outside" in r.stderr


def test_config_over_the_size_limit_is_refused(cli, tmp_path: Path) -> None:
    config = tmp_path / "big.yaml"
    config.write_text("bump:\n" + "  policy_added: minor\n" * 60_000)
    one_line_refusal(cli("diff", V1, V2, "--config", config), "larger than")


@pytest.mark.parametrize("kind", ["fifo", "dir", "device"])
def test_config_that_is_not_a_file_is_refused(cli, tmp_path: Path, kind: str) -> None:
    config = tmp_path / "c.yaml"
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "dir":
        config.mkdir()
    else:
        config = Path("/dev/zero")
    one_line_refusal(cli("diff", V1, V2, "--config", config), "not a file to read")


def test_changelog_that_is_a_fifo_is_refused(cli, tmp_path: Path) -> None:
    log = tmp_path / "CHANGELOG.md"
    os.mkfifo(log)
    r = cli("changelog", V1, V2, "--version", "3.0.0", "--date", "2026-06-01", "--write", log)
    one_line_refusal(r, "a FIFO")


def test_a_file_name_over_255_bytes_is_one_line(cli, tmp_path: Path) -> None:
    long = str(tmp_path / ("a" * 300 + ".md"))
    for args in (("show", long), ("diff", long, V1), ("check", long)):
        r = cli(*args)
        assert r.code == 2 and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
