"""The fuzz target itself: it runs for the inputs (or time) it is given, reports, and saves
crashes. The suite bounds it by a number of inputs, so no result depends on the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import fuzz


def test_fuzz_runs_a_fixed_number_of_inputs_and_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fixed number of inputs, not a time budget: the run does not depend on the load."""
    code = fuzz.main(["--inputs", "48", "--seconds", "inf", "--out", str(tmp_path / "crashes")])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "crashes found: 0" in err
    tried = int(err.split("specver fuzz: ")[1].split(" inputs")[0])
    assert tried == 48


@pytest.mark.parametrize(
    ("target", "planted"),
    [("check_config", "config"), ("check_revision", "revision"), ("check_cache_record", "cache")],
)
def test_the_new_targets_run_and_catch_crashes(
    tmp_path: Path, monkeypatch, target: str, planted: str
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError(f"planted in {planted}")

    monkeypatch.setattr(fuzz, target, broken)
    run = fuzz.fuzz(None, tmp_path, inputs=64)
    assert run.tried == 64
    assert any(f"planted in {planted}" in p.with_suffix(".txt").read_text() for p in run.crashes)


def test_a_crash_is_saved_with_its_traceback(tmp_path: Path, monkeypatch) -> None:
    def broken(text: str, **kwargs: object):
        raise KeyError("planted")

    monkeypatch.setattr(fuzz, "parse", broken)
    run = fuzz.fuzz(2, tmp_path)
    assert run.crashes and run.crashes[0].exists()
    assert "KeyError: 'planted'" in run.crashes[0].with_suffix(".txt").read_text()


def test_a_crash_in_fork_or_merge_saves_all_three_inputs(tmp_path: Path, monkeypatch) -> None:
    def broken(*args: object):
        raise IndexError("planted in merge")

    monkeypatch.setattr(fuzz, "merge_fork", broken)
    run = fuzz.Run(deadline=float("inf"), out=tmp_path)
    base = "# A {#a authority=user}\n\nThe assistant helps.\n"
    fuzz.exercise(run, base, base.replace("helps", "must help"), base)
    assert [p.name for p in run.crashes] == ["crash-1.md"]
    assert (tmp_path / "crash-1-new.md").read_text() == base.replace("helps", "must help")
    assert (tmp_path / "crash-1-fork.md").read_text() == base
    assert "planted in merge" in (tmp_path / "crash-1.txt").read_text()


def test_the_commands_run_on_pairs(monkeypatch, tmp_path: Path) -> None:
    def broken(*args: object):
        raise ZeroDivisionError("planted in impact")

    monkeypatch.setattr(fuzz, "assess_impact", broken)
    run = fuzz.Run(deadline=float("inf"), out=tmp_path)
    base = "# A {#a authority=user}\n\nThe assistant helps.\n"
    fuzz.exercise(run, base, base.replace("user", "root"))
    assert "planted in impact" in run.crashes[0].with_suffix(".txt").read_text()
