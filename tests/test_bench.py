"""The benchmark keeps working: a quick run on the 1x synthetic pair yields every column.

No timing is asserted here; speed is measured only by `make bench` itself.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from bench.report import BASELINE_COLUMNS, BEGIN, END, SPECVER_COLUMNS
from bench.synth import synth_pair
from specver.api import diff, parse_text

ROOT = Path(__file__).resolve().parents[1]


def _header_cells(markdown: str, first: str) -> list[str]:
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == first and len(cells) > 2:
            return cells
    raise AssertionError(f"no table starting with {first!r}")


def _row(markdown: str, name: str, width: int) -> list[str]:
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == name and len(cells) == width:
            return cells
    raise AssertionError(f"no row for {name!r}")


def test_synthetic_pair_is_deterministic_and_shows_every_kind_of_change() -> None:
    old, new = synth_pair(1, seed=11)
    assert (old, new) == synth_pair(1, seed=11)
    assert synth_pair(1, seed=12)[0] != old
    result = diff(parse_text(old), parse_text(new))
    kinds = set(result.summary)
    expected = {
        "policy_added",
        "policy_removed",
        "policy_renamed",
        "policy_moved",
        "authority_changed",
        "text_changed",
    }
    assert expected <= kinds
    policies = [p for p in parse_text(old) if p.authority]
    assert 70 <= len(policies) <= 90
    assert sum(len(p.examples) for p in policies) > len(policies)


def test_quick_benchmark_writes_every_column(tmp_path: Path) -> None:
    output = tmp_path / "benchmarks.md"
    output.write_text("# Notes kept\n\n" + BEGIN + "\nold table\n" + END + "\nTrailer kept.\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--timeout",
            "600",
            "--output",
            str(output),
            "--cache",
            str(tmp_path / "cache"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,  # hang guards: a loaded machine is slow, never a failure
    )
    assert done.returncode == 0, done.stderr
    doc = output.read_text()
    assert doc.startswith("# Notes kept") and doc.rstrip().endswith("Trailer kept.")
    assert "old table" not in doc
    for markdown in (done.stdout, doc):
        assert _header_cells(markdown, "Pair") == list(SPECVER_COLUMNS)
        specver = _row(markdown, "synthetic 1x", len(SPECVER_COLUMNS))
        assert all(cell and cell != "n/a" for cell in specver), specver
        baselines = [
            cells
            for line in markdown.splitlines()
            if (cells := [c.strip() for c in line.strip().strip("|").split("|")])
            and cells[0] == "Pair"
            and cells != list(SPECVER_COLUMNS)
        ]
        assert baselines == [list(BASELINE_COLUMNS)]
        row = _row(markdown, "synthetic 1x", len(BASELINE_COLUMNS))
        assert all(cell and cell != "n/a" for cell in row), row
        assert "specver --version" in markdown and "python -c pass" in markdown
        for form in ("text", "--format json --fail-on major", "--output FILE"):
            row = _row(markdown, f"specver diff {form} (synthetic 1x)", 2)
            assert row[1].endswith(" s"), row  # measured, as a whole process
            assert f"`specver diff` {form} on synthetic 1x" in markdown
        assert "Measured " in markdown and "cores" in markdown and "RAM" in markdown
        assert "### History at scale" in markdown
        cold = _row(markdown, "`specver log`, 30 commits, cold (no cache file)", 8)
        cpu, times, wall, _wall_times, runs, cache = cold[1:7]
        assert cpu.endswith(" s") and times.endswith("×") and wall.endswith(" s")
        assert runs == "1" and cache.endswith(" MB")


@pytest.mark.parametrize("scale", [1])
def test_generated_spec_parses_cleanly(scale: int) -> None:
    from specver.api import check

    old, _new = synth_pair(scale)
    spec = parse_text(old)
    assert not spec.diagnostics
    assert not [f for f in check(spec) if f.severity == "error"]


def test_a_command_over_its_timeout_is_killed_and_reported_as_such() -> None:
    from bench.run import child_env, wall_time

    assert (
        wall_time([sys.executable, "-c", "import time; time.sleep(30)"], child_env(), 0.5) is None
    )
    quick = wall_time([sys.executable, "-c", "pass"], child_env(), 30.0)
    assert quick is not None and quick > 0


# --- the pathological table (bench/pathological.py): shapes, not timings ------------------


def test_each_pathological_dimension_builds_inputs_of_its_size() -> None:
    from bench.pathological import DIMENSIONS

    built = {dim.name: dim.build(200) for dim in DIMENSIONS}
    old, new, _ = built["examples per policy"]
    assert len(parse_text(old)["p"].examples) == 200
    old, new, _ = built["answers per example"]
    assert len(parse_text(old)["p"].examples[0].answers) == 200
    old, new, _ = built["tags in one attribute block"]
    assert len(parse_text(old)["p"].tags) == 200
    old, new, _ = built["footnotes"]
    assert len(parse_text(old)["p"].footnotes) == 200
    old, new, _ = built["words in one rewritten paragraph"]
    assert len(parse_text(old)["p"].prose.split()) == 200 and old != new
    old, new, _ = built["sentences"]
    assert parse_text(old)["p"].prose.count(".") == 200
    _, _, config = built["config size"]
    assert config is not None and 200 <= len(config.encode()) < 300
    for name, (old, new, _) in built.items():
        assert diff(parse_text(old), parse_text(new)).changes, name


def test_the_pathological_table_reads_growth_and_refusals() -> None:
    from bench.pathological import DIMENSIONS, Measured, Row, render_table

    dim = DIMENSIONS[0]
    rows = [
        Row(dim, 10, Measured(1.0), Measured(2.0)),
        Row(dim, 10, Measured(1.0), Measured(4.0)),
        Row(dim, 10, Measured(None, refusal="too big"), Measured(None, refusal="x")),
        Row(dim, 10, Measured(1.0), Measured(None, timed_out=True)),
    ]
    assert [r.met for r in rows] == [True, False, True, False]
    table = render_table(rows)
    assert "| 2.00× | met |" in table and "| 4.00× | missed |" in table
    assert "refused (exit 2)" in table and "timed out" in table


def test_generated_history_is_deterministic_and_edits_one_paragraph_per_commit() -> None:
    from bench.history import history_texts

    texts = history_texts(12)
    assert texts == history_texts(12) and len(texts) == 12
    assert 200_000 < len(texts[0]) < 300_000  # a real-size spec
    specs = [parse_text(t) for t in texts]
    for old, new in itertools.pairwise(specs):
        assert diff(old, new).summary == {"text_changed": 1}


def test_a_run_reports_its_cpu_time_and_its_waited_children() -> None:
    """The history benchmark's CPU figure counts the process and the children it waited
    for (`git`), not the time it spent waiting."""
    from bench.history import Measure, Sample, run_once
    from bench.run import child_env

    busy = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'sum(range(10**7))'])"
    sleepy = "import time; time.sleep(0.3)"
    spent = run_once([sys.executable, "-c", busy], child_env(), 60)
    idle = run_once([sys.executable, "-c", sleepy], child_env(), 60)
    assert spent is not None and idle is not None
    assert idle.wall >= 0.3 and idle.cpu < idle.wall
    # the grandchild's loop counts: more CPU than the idle run, however loaded the machine
    assert spent.cpu > idle.cpu
    assert run_once([sys.executable, "-c", "import time; time.sleep(30)"], child_env(), 0.5) is None
    m = Measure.of([Sample(3.0, 1.0), Sample(1.0, 2.0), Sample(2.0, 0.5)])
    assert (m.cpu, m.wall, m.runs) == (0.5, 2.0, 3)
