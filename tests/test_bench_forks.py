"""The fork-network benchmark keeps working: its generator and its tables (no timing here;
speed is measured only by `make bench`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.forks import ForksReport, ForksResult, fork_texts, render_forks
from bench.run import Timing
from specver.api import diff, parse_text


def test_generated_forks_are_deterministic_and_each_changes_something(corpus: Path) -> None:
    upstream = (corpus / "2025-09-12.md").read_text(encoding="utf-8")
    forks = fork_texts(upstream, 12)
    assert forks == fork_texts(upstream, 12)
    assert fork_texts(upstream, 12, seed=5) != forks
    base = parse_text(upstream)
    counts = [len(diff(base, parse_text(f)).changes) for f in forks]
    assert all(n >= 1 for n in counts)
    assert len(set(forks)) == len(forks)


def test_tables_name_both_targets() -> None:
    report = ForksReport(
        Timing(1.0, 9), [ForksResult(50, Timing(2.0, 3)), ForksResult(500, Timing(20.0, 2))]
    )
    text = render_forks(report)
    assert "| 500 forks, `--jobs 2`, ≤ 30× `diff` | 20.00× | met |" in text
    assert "| 500 forks ≤ 11× 50 forks | 10.00× | met |" in text
    slow = ForksReport(
        Timing(1.0, 9), [ForksResult(50, Timing(1.0)), ForksResult(500, Timing(31.0))]
    )
    assert text != render_forks(slow) and "**missed**" in render_forks(slow)


@pytest.mark.parametrize("quick", [True])
def test_quick_report_says_so(quick: bool) -> None:
    report = ForksReport(Timing(1.0, 3), [ForksResult(10, Timing(1.5, 1))], quick=quick)
    assert "Quick run" in render_forks(report)
