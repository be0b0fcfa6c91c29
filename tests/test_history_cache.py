"""The history cache under every fault the issue names (ignored and rebuilt, never an error
and never a wrong answer), its bound, and the walk's window and progress options."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import git
import pytest

import specver.history.cache as cache_module
from specver.history.cache import CACHE_DIR, HistoryCache
from specver.history.walk import Window, build_timeline

from .gitutil import IDENTITY, commit_file
from .gitutil import git as git_cmd

SPEC = """# Rules {#rules}

## Alpha {#alpha authority=root}

Answer plainly. {n}

## Beta {#beta authority=user}

Keep replies short.
"""


def _commit_at(repo: Path, text: str, message: str, when: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    (repo / "spec.md").write_text(text, encoding="utf-8")
    git_cmd(repo, "add", "spec.md")
    subprocess.run(
        ["git", *IDENTITY, "-C", str(repo), "commit", "-q", "-m", message],
        check=True,
        env=env,
    )
    return git_cmd(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def small_repo(tmp_path: Path) -> Path:
    """Five commits of a small spec on five days (2025-01-01 .. 2025-01-05), tag v3 on the third."""
    repo = tmp_path / "small"
    repo.mkdir()
    git_cmd(repo, "init", "-q", "-b", "main")
    for k in range(5):
        text = SPEC.replace("{n}", "Again. " * k)
        if k == 4:
            text = text.replace("authority=user", "authority=root")
        _commit_at(repo, text, f"change {k}", f"2025-01-0{k + 1}T12:00:00+00:00")
        if k == 2:
            git_cmd(repo, "tag", "v3")
    return repo


def _walk(repo: Path, **kwargs: object):
    return build_timeline(git.Repo(repo), "spec.md", **kwargs)  # type: ignore[arg-type]


def _answer(timeline) -> tuple[object, ...]:
    return timeline.revisions, timeline.outlines, timeline.steps


def _cache_file(repo: Path) -> Path:
    (found,) = (repo / ".git" / CACHE_DIR).glob("history-*.json")
    return found


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("recomputed although the cache holds the result")


def test_a_warm_walk_recomputes_nothing(small_repo: Path, monkeypatch) -> None:
    cold = _walk(small_repo)
    monkeypatch.setattr("specver.history.reuse.parse", _refuse)
    monkeypatch.setattr("specver.history.walk.diff", _refuse)
    assert _answer(_walk(small_repo)) == _answer(cold)


def _damaged(path: Path) -> None:
    path.write_text("{not json", encoding="utf-8")


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 4)


def _wrong_shapes(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for name in data["steps"]:
        data["steps"][name] = {"by_id": "yes", "pairs": 3, "changes": [[1, 2]], "bump": 7}
    for blob in data["outlines"]:
        data["outlines"][blob] = ["no such list", "many"]
    path.write_text(json.dumps(data), encoding="utf-8")


def _records_of_another_spec(path: Path) -> None:
    """Valid records that do not fit the revisions' outlines: a pair naming unknown ids."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for record in data["steps"].values():
        record["by_id"] = False
        record["pairs"] = [["ghost", "ghost", "id", 1.0]]
    path.write_text(json.dumps(data), encoding="utf-8")


def _other_version(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["header"]["specver"] = "0.0.1"
    path.write_text(json.dumps(data), encoding="utf-8")


def _other_format(path: Path) -> None:
    path.write_text(json.dumps(["a list", "not an object"]), encoding="utf-8")


FAULTS = {
    "damaged": _damaged,
    "truncated": _truncated,
    "empty": _empty,
    "binary": _binary,
    "wrong shapes": _wrong_shapes,
    "records of another spec": _records_of_another_spec,
    "written by another version": _other_version,
    "another format": _other_format,
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_broken_cache_is_ignored_and_rebuilt(small_repo: Path, fault: str) -> None:
    fresh = _walk(small_repo, use_cache=False)
    _walk(small_repo)
    path = _cache_file(small_repo)
    FAULTS[fault](path)
    assert _answer(_walk(small_repo)) == _answer(fresh)
    # rebuilt: the next walk is served from a sound file again
    assert json.loads(path.read_text(encoding="utf-8"))["header"]["specver"] != "0.0.1"
    cache = HistoryCache(small_repo / ".git", cache_module.Config())
    assert cache.outline(fresh.revisions[0].blob) is not None


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_cache_is_ignored(small_repo: Path) -> None:
    fresh = _walk(small_repo, use_cache=False)
    _walk(small_repo)
    path = _cache_file(small_repo)
    path.chmod(0)
    try:
        assert _answer(_walk(small_repo)) == _answer(fresh)
    finally:
        path.chmod(0o644)


def test_an_unreadable_cache_is_ignored_even_as_root(small_repo: Path, monkeypatch) -> None:
    """Reading fails with an OSError (as permission denied does): a miss, then rebuilt."""
    fresh = _walk(small_repo, use_cache=False)
    _walk(small_repo)
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name.startswith("history-"):
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert _answer(_walk(small_repo)) == _answer(fresh)


def test_a_file_instead_of_the_folder_is_left_alone(small_repo: Path) -> None:
    fresh = _walk(small_repo, use_cache=False)
    blocker = small_repo / ".git" / CACHE_DIR
    blocker.write_text("not a folder", encoding="utf-8")
    assert _answer(_walk(small_repo)) == _answer(fresh)
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_an_unwritable_folder_is_no_error(small_repo: Path, monkeypatch) -> None:
    fresh = _walk(small_repo, use_cache=False)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("specver.history.cache.write_text_atomic", full)
    assert _answer(_walk(small_repo)) == _answer(fresh)


def test_no_cache_neither_reads_nor_writes(small_repo: Path, monkeypatch) -> None:
    _walk(small_repo)
    path = _cache_file(small_repo)
    before = path.read_bytes()
    read: list[str] = []
    real = Path.read_bytes

    def watched(self: Path) -> bytes:
        read.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", watched)
    path.unlink()
    _walk(small_repo, use_cache=False)
    assert not any(name.startswith("history-") for name in read)
    assert not path.exists()
    path.write_bytes(before)
    _walk(small_repo)
    assert path.name in read


def test_the_cache_is_bounded_and_pruned(small_repo: Path, monkeypatch) -> None:
    folder = small_repo / ".git" / CACHE_DIR
    _walk(small_repo)
    full = _cache_file(small_repo).stat().st_size
    # files of older versions and of the one-file-per-revision layout are removed
    for name in ("history-v0.0.1-abc-def.json", "spec-0123.json", "diff-01-23-45.json"):
        (folder / name).write_text("{}", encoding="utf-8")
    (folder / "notes.txt").write_text("someone else's", encoding="utf-8")
    # a new commit, and a walk of the last two revisions only: the file would pass the
    # bound, so only what this walk used is kept
    _commit_at(small_repo, SPEC.replace("{n}", "New."), "change 5", "2025-01-06T12:00:00+00:00")
    monkeypatch.setattr(cache_module, "MAX_BYTES", full - 1)
    _walk(small_repo, window=Window(max_count=2))
    (kept,) = folder.glob(f"history-v{cache_module.__version__}-*.json")
    data = json.loads(kept.read_text(encoding="utf-8"))
    assert len(data["outlines"]) == 2 and len(data["steps"]) == 1
    assert kept.stat().st_size <= full - 1
    assert sorted(p.name for p in folder.iterdir()) == sorted([kept.name, "notes.txt"])
    # when even that does not fit, nothing is written and nothing breaks
    monkeypatch.setattr(cache_module, "MAX_BYTES", 10)
    kept.unlink()
    fresh = _walk(small_repo, use_cache=False)
    assert _answer(_walk(small_repo)) == _answer(fresh)
    assert not list(folder.glob("history-*.json"))


def test_cache_size_per_commit_is_small(small_repo: Path) -> None:
    _walk(small_repo)
    assert _cache_file(small_repo).stat().st_size < 5 * 1024  # five commits: well under 1 KB each


# --- the window: --since, --until, --max-count -------------------------------------------


def _subjects(repo: Path, **window: object) -> list[str]:
    timeline = _walk(repo, use_cache=False, window=Window(**window))  # type: ignore[arg-type]
    return [r.subject for r in timeline.revisions]


def test_since_and_until_by_date(small_repo: Path) -> None:
    # since a date: the spec as it stood then (change 1), and every change after it
    assert _subjects(small_repo, since="2025-01-03") == [
        "change 1",
        "change 2",
        "change 3",
        "change 4",
    ]
    assert _subjects(small_repo, until="2025-01-02") == ["change 0", "change 1"]
    both = _subjects(small_repo, since="2025-01-03T00:00:00+00:00", until="2025-01-03")
    assert both == ["change 1", "change 2"]
    assert _subjects(small_repo, since="2024-06-01") == [f"change {k}" for k in range(5)]
    # after the last commit: the spec as it stands, with nothing after it
    assert _subjects(small_repo, since="2026-01-01") == ["change 4"]


def test_since_and_until_by_revision(small_repo: Path) -> None:
    assert _subjects(small_repo, since="v3") == ["change 2", "change 3", "change 4"]
    assert _subjects(small_repo, until="v3") == ["change 0", "change 1", "change 2"]
    assert _subjects(small_repo, since="HEAD~3", until="HEAD~1") == [
        "change 1",
        "change 2",
        "change 3",
    ]


def test_max_count_keeps_the_newest(small_repo: Path) -> None:
    assert _subjects(small_repo, max_count=2) == ["change 3", "change 4"]
    assert _subjects(small_repo, since="v3", max_count=1) == ["change 4"]


def test_window_errors_are_one_line(small_repo: Path, cli) -> None:
    for args in (
        ("--since", "not-a-date-or-revision"),
        ("--until", "2025-13-45"),
        ("--max-count", "0"),
        ("--until", "2024-01-01"),  # before the first revision: nothing to walk
    ):
        result = cli("log", "--repo", small_repo, "--path", "spec.md", *args)
        assert result.code == 2, (args, result.out)
        assert result.err.count("\n") == 1 and "Traceback" not in result.err, result.err


def test_a_revision_off_the_line_is_refused(small_repo: Path, cli) -> None:
    git_cmd(small_repo, "checkout", "-q", "-b", "side", "HEAD~2")
    commit_file(small_repo, "other.md", "x\n", "side work")
    git_cmd(small_repo, "checkout", "-q", "main")
    result = cli("log", "--repo", small_repo, "--path", "spec.md", "--since", "side")
    assert result.code == 2 and "not on the first-parent line" in result.err


def test_log_and_history_show_subjects_and_take_the_window(small_repo: Path, cli) -> None:
    args = ("--repo", small_repo, "--path", "spec.md", "--no-cache")
    log = cli("log", *args, "--since", "v3", "--format", "json")
    assert log.code == 0, log.err
    rows = json.loads(log.out)["revisions"]
    assert [r["subject"] for r in rows] == ["change 2", "change 3", "change 4"]
    text = cli("log", *args, "-n", "2")
    assert "change 3" in text.out and "change 4" in text.out and "change 2" not in text.out
    life = cli("history", "beta", *args, "--until", "2025-01-05")
    assert life.code == 0, life.err
    assert "change 4" in life.out  # the authority change, under its commit's subject


# --- progress: on a terminal only ----------------------------------------------------------


def _log_process(repo: Path, *, terminal: bool) -> tuple[int, bytes]:
    """Run `specver log` with stderr on a pseudo-terminal or a pipe; (status, stderr bytes)."""
    command = [sys.executable, "-m", "specver", "log", "--repo", str(repo), "--path", "spec.md"]
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    if not terminal:
        done = subprocess.run(command, capture_output=True, env=env, check=False)
        return done.returncode, done.stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.communicate()
    os.close(leader)
    return process.returncode, seen


def test_progress_is_shown_on_a_terminal_only(small_repo: Path) -> None:
    code, shown = _log_process(small_repo, terminal=True)
    assert code == 0
    assert b"reading spec.md" in shown and b"5/5" in shown
    code, piped = _log_process(small_repo, terminal=False)
    assert code == 0 and piped == b""
