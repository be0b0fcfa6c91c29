"""Writes that never destroy: every command that writes refuses a target that is not a
regular file (or a new path), is one of its inputs, has no owner write bit (as root too),
or is a symlink leading out of the workspace; and keeps a file's mode and owner. Concurrent
`changelog --write` of different versions keep every entry.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specver import atomic
from specver.errors import InputError
from specver.release.changelog import build_entry, write_entry
from tests.conftest import ACME, run_process

V1 = ACME / "v1.0.0" / "acme_spec.md"
V2 = ACME / "v1.1.0" / "acme_spec.md"
V3 = ACME / "v2.0.0" / "acme_spec.md"


def one_line_refusal(r, needle: str = "") -> None:
    assert r.code == 2, r
    assert r.err.count("\n") == 1 and r.err.startswith("specver: error: "), r.err
    assert needle in r.err, r.err


# Every command that writes, as a function of the target path.
WRITERS: dict[str, Callable[[Path], tuple[object, ...]]] = {
    "show -o": lambda t: ("show", V1, "-o", t),
    "diff -o": lambda t: ("diff", V1, V2, "-o", t),
    "impact -o": lambda t: ("impact", V1, V2, "-o", t),
    "fork -o": lambda t: ("fork", "--base", V1, "--upstream", V2, "--fork", V1, "-o", t),
    "merge -o": lambda t: ("merge", "--base", V1, "--upstream", V2, "--fork", V1, "-o", t),
    "changelog --write": lambda t: (
        "changelog", V1, V2, "--version", "3.1.0", "--date", "2026-06-01", "--write", t,
    ),
}  # fmt: skip


def _fifo(folder: Path) -> Path:
    path = folder / "fifo"
    os.mkfifo(path)
    return path


def _socket(folder: Path) -> Path:
    path = folder / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()
    return path


def _read_only(folder: Path) -> Path:
    path = folder / "CHANGELOG.md"
    path.write_text("# Changelog\n\n- Kept.\n")
    path.chmod(0o444)
    return path


def _link_out(folder: Path) -> Path:
    outside = folder.parent / f"outside-{folder.name}.md"
    outside.write_text("# Changelog\n\n- Outside.\n")
    link = folder / "CHANGELOG.md"
    link.symlink_to(outside)
    return link


def _directory(folder: Path) -> Path:
    path = folder / "dir.md"
    path.mkdir()
    return path


BAD_TARGETS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a character device": (lambda _f: Path("/dev/null"), "a character device"),
    "a FIFO": (_fifo, "a FIFO"),
    "a socket": (_socket, "a socket"),
    "a directory": (_directory, "a directory"),
    "a read-only file": (_read_only, "read-only"),
    "a symlink out of the workspace": (_link_out, "symlink leading outside"),
}


def _state(path: Path) -> tuple[int, int, bytes | None, str | None]:
    info = os.lstat(path)
    data = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
    link = os.readlink(path) if path.is_symlink() else None
    return info.st_mode, info.st_ino, data, link


@pytest.mark.parametrize("writer", list(WRITERS))
@pytest.mark.parametrize("kind", list(BAD_TARGETS))
def test_every_writer_refuses_every_bad_target(
    cli, tmp_path: Path, monkeypatch, writer: str, kind: str
) -> None:
    """The generated matrix: each writing command against each kind of bad target."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    make, needle = BAD_TARGETS[kind]
    target = make(work)
    before = _state(target)
    r = cli(*WRITERS[writer](target))
    one_line_refusal(r, needle)
    assert _state(target) == before
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("writer", [w for w in WRITERS if w != "changelog --write"])
def test_every_writer_refuses_to_overwrite_its_input(cli, tmp_path: Path, writer: str) -> None:
    spec = tmp_path / "new.md"
    spec.write_bytes(V1.read_bytes())
    args = [spec if a == V1 else a for a in WRITERS[writer](spec)]
    r = cli(*args)
    one_line_refusal(r, "is an input of this command")
    assert spec.read_bytes() == V1.read_bytes()


def test_an_input_reached_through_a_hard_link_or_symlink_is_refused(cli, tmp_path) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_bytes(V1.read_bytes())
    new.write_bytes(V2.read_bytes())
    os.link(new, tmp_path / "hard.md")
    (tmp_path / "soft.md").symlink_to(new)
    for target in ("hard.md", "soft.md"):
        r = cli("diff", old, new, "-o", tmp_path / target)
        one_line_refusal(r, "is an input of this command")
    assert new.read_bytes() == V2.read_bytes()


def test_changelog_write_refuses_the_spec_it_reads(cli, tmp_path: Path) -> None:
    new = tmp_path / "new.md"
    new.write_bytes(V2.read_bytes())
    r = cli("changelog", V1, new, "--version", "1.1.0", "--date", "2026-06-01", "--write", new)
    one_line_refusal(r, "is an input")
    assert new.read_bytes() == V2.read_bytes()


def test_read_only_is_read_from_the_owner_bit_not_from_access(tmp_path: Path) -> None:
    """As root, access(W_OK) says yes to a 0444 file: the owner write bit decides."""
    target = _read_only(tmp_path)
    with pytest.raises(InputError, match="read-only"):
        atomic.write_text_atomic(target, "x")
    assert target.read_text() == "# Changelog\n\n- Kept.\n"


def test_a_symlink_inside_the_workspace_is_followed_and_stays_a_link(
    cli, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    docs.mkdir()
    real = docs / "CHANGELOG.md"
    real.write_bytes((ACME / "CHANGELOG.md").read_bytes())
    link = tmp_path / "CHANGELOG.md"
    link.symlink_to("docs/CHANGELOG.md")
    r = cli(*WRITERS["changelog --write"](link))
    assert r.code == 0, r.err
    assert link.is_symlink() and os.readlink(link) == "docs/CHANGELOG.md"
    assert "## [3.1.0] - 2026-06-01" in real.read_text()


def test_the_mode_and_owner_are_kept(cli, tmp_path: Path) -> None:
    log = tmp_path / "CHANGELOG.md"
    log.write_bytes((ACME / "CHANGELOG.md").read_bytes())
    log.chmod(0o640)
    if os.geteuid() == 0:
        os.chown(log, 1234, 4321)
    before = os.stat(log)
    assert cli(*WRITERS["changelog --write"](log)).code == 0
    after = os.stat(log)
    assert stat.S_IMODE(after.st_mode) == 0o640
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)


def test_a_new_path_is_created_and_a_missing_folder_refused(cli, tmp_path: Path) -> None:
    assert cli("diff", V1, V2, "-o", tmp_path / "new.txt").code == 1
    assert (tmp_path / "new.txt").read_text().strip()
    one_line_refusal(cli("diff", V1, V2, "-o", tmp_path / "no" / "new.txt"), "does not exist")


def test_dev_null_as_root_in_a_process_stays_a_device(tmp_path: Path) -> None:
    r = run_process("diff", V1, V2, "-o", "/dev/null", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1, r.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# --- concurrent writers ------------------------------------------------------------------


def _entries(count: int):
    from specver.api import diff, load

    result = diff(load(str(V1)), load(str(V2)))
    return [build_entry(result, f"3.{k}.0", "2026-06-01") for k in range(count)]


def test_concurrent_changelog_writes_keep_every_entry(tmp_path: Path) -> None:
    log = tmp_path / "CHANGELOG.md"
    log.write_bytes((ACME / "CHANGELOG.md").read_bytes())
    entries = _entries(12)
    start = threading.Barrier(len(entries))
    failures: list[BaseException] = []

    def write(entry) -> None:
        try:
            start.wait()
            write_entry(log, entry)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(e,)) for e in entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    text = log.read_text()
    for entry in entries:
        assert f"## [{entry.version}]" in text, entry.version


def test_concurrent_changelog_write_processes_keep_both_entries(tmp_path: Path) -> None:
    import subprocess
    import sys

    log = tmp_path / "CHANGELOG.md"
    log.write_bytes((ACME / "CHANGELOG.md").read_bytes())
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "specver", "changelog", str(V1), str(V2), "--version",
             version, "--date", "2026-06-01", "--write", str(log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        for version in ("7.0.0", "8.0.0", "9.0.0")
    ]  # fmt: skip
    for proc in procs:
        assert proc.wait() == 0, proc.stderr.read() if proc.stderr else ""
    text = log.read_text()
    assert all(f"## [{v}]" in text for v in ("7.0.0", "8.0.0", "9.0.0"))


def test_update_text_serializes_read_change_write(tmp_path: Path) -> None:
    """Without the lock, read-change-write loses updates; with it, every increment lands."""
    counter = tmp_path / "n.txt"
    counter.write_text("0")

    def bump(data: bytes | None) -> str:
        return str(int((data or b"0").decode()) + 1)

    threads = [
        threading.Thread(target=lambda: [atomic.update_text(counter, bump) for _ in range(10)])
        for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert counter.read_text() == "60"


@settings(max_examples=30, deadline=None)
@given(mode=st.integers(0, 0o777))
def test_any_mode_is_kept_or_the_write_refused(tmp_path_factory, mode: int) -> None:
    """Property: a file keeps its exact mode when written; without the owner write bit it
    is refused and unchanged."""
    folder = tmp_path_factory.mktemp("modes")
    target = folder / "out.txt"
    target.write_text("before")
    target.chmod(mode)
    try:
        if mode & stat.S_IWUSR:
            atomic.write_text_atomic(target, "after")
            assert stat.S_IMODE(os.stat(target).st_mode) == mode
            target.chmod(0o600)
            assert target.read_text() == "after"
        else:
            with pytest.raises(InputError, match="read-only"):
                atomic.write_text_atomic(target, "after")
            target.chmod(0o600)
            assert target.read_text() == "before"
    finally:
        target.chmod(0o600)
