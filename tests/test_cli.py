"""CLI wiring: formats, exit statuses, --output, colour rules and one-line errors on bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ACME, CASES, run_process

V1 = ACME / "v1.0.0" / "acme_spec.md"
V11 = ACME / "v1.1.0" / "acme_spec.md"
V2 = ACME / "v2.0.0" / "acme_spec.md"


def test_show_text_draws_the_outline_with_levels_and_counts(cli) -> None:
    r = cli("show", V1)
    assert r.code == 0
    assert "Support users in distress" in r.out and "#support_users_in_distress" in r.out
    assert "platform" in r.out and "worked examples" in r.out
    assert "\x1b[" not in r.out  # not a terminal: no colour codes


def test_show_json_gives_the_whole_model(cli) -> None:
    r = cli("show", V1, "--format", "json")
    data = json.loads(r.out)
    assert data["schema"] == "specver.spec/1"
    ids = [p["id"] for p in data["policies"]]
    assert "do_not_deceive" in ids
    policy = next(p for p in data["policies"] if p["id"] == "ask_clarifying_questions")
    verdicts = [m["verdict"]["label"] for m in policy["examples"][0]["messages"] if m["verdict"]]
    assert sorted(verdicts) == ["BAD", "GOOD"]


def test_check_exit_status_follows_errors(cli) -> None:
    assert cli("check", V1).code == 0
    r = cli("check", V2, "--format", "json")
    assert r.code == 1
    data = json.loads(r.out)
    assert data["errors"] == 1 and data["findings"][0]["code"] == "reference_missing"


def test_diff_exit_status_like_diff1(cli) -> None:
    same = CASES / "identical"
    assert cli("diff", same / "old.md", same / "new.md").code == 0
    assert cli("diff", V11, V2).code == 1


@pytest.mark.parametrize(
    ("case", "fail_on", "code"),
    [
        ("text-copyedit", "patch", 1),
        ("text-copyedit", "minor", 0),
        ("policy-added", "minor", 1),
        ("policy-added", "major", 0),
        ("policy-removed", "major", 1),
    ],
)
def test_fail_on_compares_the_bump_with_the_level(cli, case: str, fail_on: str, code: int) -> None:
    r = cli("diff", CASES / case / "old.md", CASES / case / "new.md", "--fail-on", fail_on)
    assert r.code == code


def test_diff_json_follows_the_contract(cli) -> None:
    data = json.loads(cli("diff", V11, V2, "--format", "json").out)
    assert data["schema"] == "specver.diff/1"
    assert set(data["old"]) == {"source", "sha256", "policies"}
    assert len(data["new"]["sha256"]) == 64
    assert data["bump"] == "major"
    assert sum(data["summary"].values()) == len(data["changes"])
    rename = next(c for c in data["changes"] if c["kind"] == "policy_renamed")
    assert {"policy", "old_id", "new_id", "old_title", "new_title", "similarity"} <= set(rename)
    level = next(c for c in data["changes"] if c["kind"] == "authority_level_renamed")
    assert "policy" not in level and level["old"] == "platform" and level["new"] == "root"


def test_output_writes_the_file_and_nothing_on_stdout(cli, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    r = cli("diff", V11, V2, "--format", "markdown", "--output", target)
    assert r.code == 1 and r.out == ""
    assert target.read_text().startswith("### Spec diff")
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_output_into_a_missing_folder_is_an_input_error(cli, tmp_path: Path) -> None:
    r = cli("diff", V11, V2, "--output", tmp_path / "no" / "such" / "file.txt")
    assert r.code == 2 and "does not exist" in r.err


def test_colour_only_on_a_terminal_and_never_with_no_color() -> None:
    r = run_process("diff", V11, V2, env={"NO_COLOR": "1"})
    assert r.returncode == 1 and "\x1b[" not in r.stdout


def test_a_diff_process_writes_all_its_output_before_it_ends(cli) -> None:
    r = run_process("diff", V1, V2, "--format", "json")
    assert r.returncode == 1
    assert json.loads(r.stdout) == json.loads(cli("diff", V1, V2, "--format", "json").out)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a full disk)")
@pytest.mark.parametrize("extra", [(), ("--fail-on", "major")])  # both forms CI runs
def test_output_that_cannot_be_written_is_one_line_and_status_2(extra: tuple[str, ...]) -> None:
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "specver", "diff", V1, V2, "--format", "json", *extra],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        "specver: error: cannot write the output: No space left on device"
    ]


@pytest.mark.parametrize("extra", [(), ("--fail-on", "major")])  # both forms CI runs
def test_output_its_encoding_cannot_hold_is_one_line_and_status_2(extra: tuple[str, ...]) -> None:
    r = run_process("diff", V1, V2, *extra, env={"PYTHONIOENCODING": "ascii"})
    assert r.returncode == 2
    assert len(r.stderr.splitlines()) == 1
    assert r.stderr.startswith("specver: error: cannot write the output: 'ascii' codec")


@pytest.mark.skipif(os.name != "posix", reason="closes file descriptor 1 in the child")
@pytest.mark.parametrize("extra", [(), ("--fail-on", "major")])  # both forms CI runs
def test_a_closed_standard_output_is_one_line_and_status_2(extra: tuple[str, ...]) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "specver", "diff", V1, V2, *extra],
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        preexec_fn=lambda: os.close(1),  # the child starts without a standard output
    )
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        "specver: error: cannot write the output: standard output is closed"
    ]


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda t: t / "missing.md", "no such file"),
        (lambda t: t, "is a directory"),
        (lambda t: _bad(t, "b.md", b"\x89PNG\r\n\x1a\n\x00\x00"), "binary"),
        (lambda t: _bad(t, "l.md", b"# Caf\xe9 {#c}\n"), "offset 5"),
        (lambda t: _bad(t, "e.md", b"  \n\n"), "empty"),
        (lambda t: _bad(t, "m.md", b'# T {#t authority="root}\n'), "line 1"),
    ],
)
@pytest.mark.parametrize("command", ["show", "check", "diff"])
def test_bad_input_is_one_line_on_stderr_with_exit_2(cli, tmp_path: Path, make, needle, command):
    path = make(tmp_path)
    args = [command, path] if command != "diff" else [command, V1, path]
    before = sorted(tmp_path.rglob("*"))
    r = cli(*args)
    assert r.code == 2
    assert r.out == ""
    assert r.err.count("\n") == 1 and needle in r.err and str(path) in r.err
    assert "Traceback" not in r.err
    assert sorted(tmp_path.rglob("*")) == before  # nothing written


def test_oversized_spec_is_refused_before_reading(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SPECVER_MAX_BYTES", "1000")
    big = _bad(tmp_path, "big.md", b"# T {#t}\n\n" + b"word " * 1000)
    r = cli("show", big)
    assert r.code == 2 and "limit" in r.err


def test_usage_errors_exit_2_with_one_line(cli) -> None:
    r = cli("diff", V1)
    assert r.code == 2 and r.err.count("\n") == 1
    r = cli("diff", V1, V2, "--format", "yaml")
    assert r.code == 2 and "text" in r.err


def test_version_and_process_exit_codes_are_real() -> None:
    r = run_process("--version")
    assert r.returncode == 0 and r.stdout.startswith("specver ")
    r = run_process("show", "/nonexistent/spec.md")
    assert (
        r.returncode == 2 and r.stderr.startswith("specver: error:") and "Traceback" not in r.stderr
    )


def test_output_file_gets_ordinary_permissions_and_keeps_existing_ones(cli, tmp_path: Path) -> None:
    import os
    import stat

    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        cli("diff", V11, V2, "--format", "json", "--output", fresh)
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.json"
        kept.write_text("old")
        kept.chmod(0o600)
        cli("diff", V11, V2, "--format", "json", "--output", kept)
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and kept.read_text() != "old"
    finally:
        os.umask(umask)


def test_version_alone_is_answered_before_the_cli_framework_loads() -> None:
    probe = (
        "import sys; from specver.__main__ import main; status = main(['--version']); "
        "print(status, 'typer' in sys.modules, 'specver.cli.app' in sys.modules)"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert r.stdout.splitlines() == ["specver 0.1.0", "0 False False"]


def test_version_with_a_command_goes_through_the_app(cli) -> None:
    r = cli("--version", "diff")
    assert r.code == 0 and r.out.startswith("specver ")


def test_bare_specver_prints_the_help(cli) -> None:
    r = cli()
    assert r.code == 0
    assert r.out.startswith("Usage: specver")
    for command in ("diff", "impact", "changelog", "release", "fork", "history", "log"):
        assert f"  {command} " in r.out
    assert r.out == cli("--help").out


def test_a_run_builds_only_the_command_it_runs(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """typer reads a command's signature and annotations when it builds the command: a run
    pays for the command it runs (start-up), help and completion for all of them."""
    import typer.main

    built: list[str] = []
    real = typer.main.get_command_from_info

    def recording(info, **options):  # type: ignore[no-untyped-def]
        built.append(info.name or info.callback.__name__)
        return real(info, **options)

    monkeypatch.setattr(typer.main, "get_command_from_info", recording)
    assert cli("show", ACME / "v1.0.0" / "acme_spec.md").code == 0
    assert built == ["show"]
    built.clear()
    assert "  merge " in cli("--help").out
    assert {"show", "diff", "log", "merge"} <= set(built)


def from_bash(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run specver as a child of bash: completion options detect the shell they run in."""
    script = '"$0" -m specver "$@"; exit $?'  # a list, so bash waits instead of exec-ing
    return subprocess.run(
        ["bash", "-c", script, sys.executable, *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_show_completion_prints_the_shell_script() -> None:
    r = from_bash("--show-completion")
    assert r.returncode == 0, r.stderr
    assert "_SPECVER_COMPLETE=complete_bash" in r.stdout and "complete -o" in r.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_completion_writes_the_script_into_the_shell_startup(tmp_path: Path) -> None:
    r = from_bash("--install-completion", env={"HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    script = tmp_path / ".bash_completions" / "specver.sh"
    assert "_SPECVER_COMPLETE=complete_bash" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("specver di", {"diff"}),
        ("specver diff --fo", {"--format"}),
        ("specver impact --audience ", {"all", "developers", "users", "regulators"}),
    ],
)
def test_completion_answers_the_shell(words: str, expected: set[str]) -> None:
    env = {
        "_SPECVER_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    r = run_process(env=env)
    assert r.returncode == 0, r.stderr
    assert set(r.stdout.split()) == expected
