"""Errors that are one line and exit 2, and text that cannot drive a terminal.

No path from user input reaches a traceback: revisions gitpython cannot resolve, malformed
git tree entries, cache records of the wrong types, long file names; and the process-level
guard turns any unexpected exception into `specver: internal error: ...` with exit 2.
Every string from an input goes through one display sanitizer (`specver.display`).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specver.display import BIDI_CONTROLS, display, is_clean
from tests.conftest import ACME
from tests.strategies import DELETE, damaged

V1 = ACME / "v1.0.0" / "acme_spec.md"
V2 = ACME / "v1.1.0" / "acme_spec.md"
ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@x"}  # fmt: skip
RAW = ("\x1b", "\x9b", "\u202e", "\x07")
"""Characters that must never reach a terminal or a report raw."""


def git(repo: Path, *args: str, env: dict[str, str] | None = None, data: bytes | None = None):
    done = subprocess.run(
        ["git", *args], cwd=repo, env={**os.environ, **ENV, **(env or {})}, check=True,
        capture_output=True, input=data,
    )  # fmt: skip
    return done.stdout.decode().strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two commits of spec.md (v1.0.0 then v1.1.0 of the Acme spec), with examples/."""
    where = tmp_path / "repo"
    where.mkdir()
    git(where, "init", "-q", "-b", "main")
    (where / "examples").mkdir()
    (where / "examples" / "a.md").write_text("Examples for [^a] in A:\n")
    for k, source in enumerate((V1, V2)):
        (where / "spec.md").write_bytes(source.read_bytes())
        git(where, "add", "-A")
        git(where, "commit", "-q", "-m", f"c{k}")
    return where


def one_line_or_fine(r) -> None:
    assert "Traceback" not in r.err
    assert r.code in (0, 1, 2), r
    if r.code == 2:
        assert r.err.count("\n") == 1 and r.err.startswith("specver: "), r.err


# --- the process-level guard -------------------------------------------------------------


def test_an_unexpected_exception_is_one_line_and_exit_2(cli, monkeypatch) -> None:
    import specver.api

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("planted\nbug \x1b[2J")

    monkeypatch.setattr(specver.api, "load", boom, raising=False)
    r = cli("show", V1)
    assert r.code == 2 and r.out == ""
    assert r.err.count("\n") == 1, r.err
    assert r.err.startswith("specver: internal error: RuntimeError: planted bug ␛[2J")
    assert "please report it" in r.err


def test_the_guard_holds_in_the_process_entry_point(tmp_path: Path) -> None:
    code = (
        "import specver.spec.parse as p\n"
        "def boom(*a, **k): raise MemoryError('planted')\n"
        "p.parse = boom\n"
        "import sys; sys.argv = ['specver', 'diff', sys.argv[1], sys.argv[2]]\n"
        "from specver.__main__ import script; script()\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(V1), str(V2)], capture_output=True, text=True, check=False
    )
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("specver: internal error: MemoryError: planted")
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    shown = subprocess.run(
        [sys.executable, "-c", code, str(V1), str(V2)], capture_output=True, text=True,
        check=False, env={**os.environ, "SPECVER_TRACEBACK": "1"},
    )  # fmt: skip
    assert "Traceback" in shown.stderr and shown.returncode == 2


# --- revisions, tree entries, cache records ----------------------------------------------


@pytest.mark.parametrize(
    "rev", ["HEAD@{yesterday}", "HEAD@{1.week.ago}", "HEAD@{99}", "HEAD@{-1}", "main@{now}"]
)
def test_date_and_reflog_revisions_resolve_or_are_one_line(cli, repo: Path, rev: str) -> None:
    one_line_or_fine(cli("diff", f"{rev}:spec.md", repo / "spec.md", "--repo", repo))
    one_line_or_fine(cli("log", "--repo", repo, "--rev", rev, "--path", "spec.md"))


def test_a_date_revision_is_resolved_by_git(cli, repo: Path) -> None:
    r = cli("diff", "HEAD@{1.second.ago}:spec.md", repo / "spec.md", "--repo", repo)
    assert r.code in (0, 1), r.err


def _planted_tree(repo: Path, names: list[bytes]) -> str:
    """A commit whose examples/ tree holds entries with the given raw names (git would
    refuse to make them; a hostile repository can still hold them)."""
    blob = git(repo, "hash-object", "-w", "--stdin", data=b"Examples for [^x] in X:\n")
    raw = b"".join(b"100644 " + name + b"\0" + bytes.fromhex(blob) for name in sorted(names))
    examples = git(repo, "hash-object", "-t", "tree", "-w", "--stdin", "--literally", data=raw)
    spec = git(repo, "hash-object", "-w", "spec.md")
    top = b"100644 spec.md\0" + bytes.fromhex(spec)
    top = b"40000 examples\0" + bytes.fromhex(examples) + top
    tree = git(repo, "hash-object", "-t", "tree", "-w", "--stdin", "--literally", data=top)
    return git(repo, "commit-tree", tree, "-m", "planted")


@pytest.mark.parametrize("name", [b"..", b".", b"a/b.md", b"../x.md", b"\x1b[2J.md"])
def test_malformed_tree_entries_under_examples(cli, repo: Path, name: bytes) -> None:
    commit = _planted_tree(repo, [name, b"fine.md"])
    r = cli("show", f"{commit}:spec.md", "--repo", repo, "--format", "json")
    one_line_or_fine(r)
    assert not any(ch in r.out for ch in RAW)


def test_cache_records_of_the_wrong_types_are_misses(cli, repo: Path) -> None:
    """The history cache file with fields of other types (null titles, booleans for ints,
    strings for lists, unknown kinds and levels): every run is a miss with the same output."""
    fresh = cli("log", "--repo", repo, "--path", "spec.md", "--format", "json")
    assert fresh.code == 0, fresh.err
    (path,) = (repo / ".git" / "specver-cache").glob("*.json")
    base = json.loads(path.read_text())
    rnd = random.Random(20)
    values: list[object] = [None, True, 7, -1, 2.5, "x", "major", [], {}, [None], {"kind": 5}]
    for _ in range(30):
        plan = [(rnd.randrange(10**6), rnd.choice([*values, DELETE])) for _ in range(3)]
        path.write_text(json.dumps(damaged(base, plan)))
        again = cli("log", "--repo", repo, "--path", "spec.md", "--format", "json")
        assert again.code == 0, (plan, again.err)
        assert json.loads(again.out) == json.loads(fresh.out), plan
    path.write_text("[" * 100_000)  # nested too deep for the JSON reader
    assert cli("log", "--repo", repo, "--path", "spec.md").code == 0


# --- terminal and report hygiene ---------------------------------------------------------


@given(st.text())
def test_display_leaves_no_control_in_a_one_line_field(text: str) -> None:
    """Property: no C0/C1 control, DEL, bidi control or line break survives a name."""
    shown = display(text, one_line=True)
    assert is_clean(shown, one_line=True)
    assert not any(ch in shown for ch in ("\n", "\r", "\t", *BIDI_CONTROLS))
    assert all(not (0x80 <= ord(ch) <= 0x9F) and ord(ch) >= 0x20 for ch in shown)


@given(st.text())
def test_display_keeps_lines_and_tabs_in_text(text: str) -> None:
    shown = display(text)
    assert is_clean(shown)
    assert shown.count("\n") == text.replace("\r\n", "\n").count("\n")


def test_eval_file_names_are_shown_not_obeyed(cli, tmp_path: Path) -> None:
    spec = tmp_path / "spec.md"
    spec.write_bytes(V1.read_bytes())
    (tmp_path / "examples").mkdir()
    name = "evil\x1b[2J\x9b31m\u202etxt.md"
    (tmp_path / "examples" / name).write_text("Examples for [^x] in \x1b]0;owned\x07:\n")
    outputs = [
        cli("show", spec).out,
        cli("show", spec, "--format", "json").out,
        cli("check", spec).out,
        cli("impact", V1, spec).out,
        cli("impact", V1, spec, "--format", "markdown").out,
        cli("diff", V1, spec, "--format", "markdown").out,
    ]
    for out in outputs:
        assert not any(ch in out for ch in RAW), out[:300]
    checked = cli("check", spec)
    assert "bidi_control" in checked.out or "bidirectional" in checked.out, checked.out


def test_bidi_overrides_in_spec_text_are_neutralized_and_flagged(cli, tmp_path: Path) -> None:
    spec = tmp_path / "spec.md"
    spec.write_text(
        "# Safety {#safety authority=root}\n\nThe assistant must \u202erefuse\u202c never.\n"
    )
    shown = cli("show", spec)
    assert "\u202e" not in shown.out
    checked = cli("check", spec)
    assert checked.code == 1 and "U+202E" in checked.out


def test_git_author_names_are_shown_not_obeyed(cli, repo: Path) -> None:
    (repo / "spec.md").write_bytes(V1.read_bytes())
    evil = {"GIT_AUTHOR_NAME": "Eve \x1b[2J\x9b31m\u202e\x07"}
    git(repo, "commit", "-qam", "subject \x1b[31m\u202e", env=evil)
    for fmt in ("text", "json"):
        r = cli("history", "stay_in_scope", "--repo", repo, "--path", "spec.md", "--format", fmt)
        assert r.code == 0, r.err
        assert "Eve" in r.out
        assert not any(ch in r.out for ch in RAW), (fmt, r.out[:300])
    log = cli("log", "--repo", repo, "--path", "spec.md")
    assert not any(ch in log.out for ch in RAW)


@pytest.mark.parametrize(
    "version", ["<img src=x onerror=alert(1)>", "1.0.0<script>", "v1.2", "2025-01-01", "[1.0.0]"]
)
def test_versions_are_validated_against_the_scheme(cli, tmp_path: Path, version: str) -> None:
    log = tmp_path / "CHANGELOG.md"
    r = cli("changelog", V1, V2, "--version", version, "--date", "2026-06-01", "--write", log)
    assert r.code == 2 and r.err.count("\n") == 1, r.err
    assert not log.exists()
