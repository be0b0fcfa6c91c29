"""Run the benchmark: every pair through specver and the baselines, plus start-up time.

Timings are medians of several runs. Child processes get the environment of a normal
install: bytecode caching is left on (PYTHONDONTWRITEBYTECODE is dropped), and each command
is run once untimed first, so the figures are those of a warm, installed specver.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .synth import pair_paths

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SPECVER_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "model-spec"
CORPUS_PAIRS = (
    ("2025-04-11", "2025-09-12", True),
    ("2025-02-12", "2025-04-11", False),
    ("2025-02-12", "2025-09-12", False),
)
"""(old, new, headline) releases of the real corpus."""
SCALES = (1, 10, 100)
RUN_BUDGET = 5.0
"""Stop repeating a measurement once its runs have taken this many seconds (at least one)."""
STARTUP_RUNS = 21
DIFF_FORMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("text", ()),
    ("--format json --fail-on major", ("--format", "json", "--fail-on", "major")),
    ("--output FILE", ("--output", "{output}")),
)
"""The forms of `specver diff` hooks and CI run, timed as whole processes on one pair."""


@dataclass(frozen=True)
class Pair:
    """Two spec files to compare, and how the table names them."""

    name: str
    old: Path
    new: Path
    headline: bool = False
    scale: int | None = None
    """1, 10 or 100 for synthetic pairs; None for real ones."""

    @property
    def size(self) -> int:
        """Combined size of the two files in bytes."""
        return self.old.stat().st_size + self.new.stat().st_size


@dataclass(frozen=True)
class Timing:
    """A median over runs, or the timeout a run exceeded."""

    seconds: float | None
    runs: int = 0
    timeout: float | None = None
    """Set when a run did not finish within this many seconds."""

    @property
    def done(self) -> bool:
        return self.seconds is not None


@dataclass
class PairResult:
    """Everything measured for one pair."""

    pair: Pair
    policies: tuple[int, int] = (0, 0)
    changes: int = 0
    process: Timing = field(default_factory=lambda: Timing(None))
    stages: dict[str, Timing] = field(default_factory=dict)
    """parse, match, classify and total (in-process, per run medians)."""
    max_rss: int | None = None
    baselines: dict[str, Timing] = field(default_factory=dict)


@dataclass
class Report:
    """The whole benchmark outcome."""

    results: list[PairResult]
    startup: dict[str, Timing]
    notes: list[str]
    forms: dict[str, Timing] = field(default_factory=dict)
    """Whole-process `specver diff` in each of DIFF_FORMS, on `forms_pair`."""
    forms_pair: str | None = None
    suite: Timing | None = None
    """`make test` (the whole suite, as `python -m pytest -q -n 2`), once; full runs only."""


def child_env() -> dict[str, str]:
    """The environment of an ordinary install: bytecode cached, no colour."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    return env


def specver_command() -> list[str]:
    """The installed `specver` script beside this interpreter (or `python -m specver`)."""
    script = Path(sys.executable).parent / "specver"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "specver"]


def median_timing(samples: Sequence[float]) -> Timing:
    """The median of run times."""
    return Timing(statistics.median(samples), len(samples)) if samples else Timing(None)


def time_command(argv: Sequence[str], runs: int, timeout: float, cwd: Path | None = None) -> Timing:
    """Median wall time of a command (after one untimed warm-up run)."""
    samples: list[float] = []
    env = child_env()
    for k in range(runs + 1):
        elapsed = wall_time(argv, env, timeout, cwd)
        if elapsed is None:
            return Timing(None, len(samples), timeout)
        if k > 0:
            samples.append(elapsed)
        if k > 0 and sum(samples) > RUN_BUDGET:
            break
        if k == 0 and elapsed > RUN_BUDGET:
            samples.append(elapsed)  # too slow to repeat: the warm-up counts as the run
            break
    return median_timing(samples)


def wall_time(
    argv: Sequence[str], env: dict[str, str], timeout: float, cwd: Path | None = None
) -> float | None:
    """Seconds from starting a command to its exit; None when it was killed at `timeout`.

    The wait blocks until the child exits: `subprocess.run(timeout=...)` polls with sleeps
    that grow to 50 ms, which would round every figure up to the next poll.
    """
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    timer = threading.Timer(timeout, child.kill)
    timer.start()
    try:
        child.wait()
    finally:
        timer.cancel()
    elapsed = time.perf_counter() - start
    return None if elapsed >= timeout else elapsed


def imported_repo(repo: Path, stream: bytes, files: dict[str, str], checkout: str = "") -> Path:
    """A git repository made by `git fast-import` from `stream`, with `files` written in its
    work tree (and `checkout` checked out when given); built once and kept, a marker file
    saying it is complete."""
    done = repo / ".bench-complete"
    if done.is_file():
        return repo
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "fast-import", "--quiet"], input=stream, check=True)
    if checkout:
        subprocess.run([*git, "checkout", "-q", "-f", checkout], check=True)
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    done.write_text("ok\n", encoding="utf-8")
    return repo


def run_child(measure: str, pair: Pair, runs: int, timeout: float) -> dict[str, object] | None:
    """Run one `bench.child` measure on a pair; None when it exceeded the timeout."""
    argv = [sys.executable, "-m", "bench.child", measure, str(pair.old), str(pair.new), str(runs)]
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            env=child_env(),
            cwd=ROOT,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def runs_for(pair: Pair, quick: bool) -> int:
    """How many times to repeat each measurement of a pair."""
    if quick:
        return 1
    return 3 if (pair.scale or 1) >= 10 else 5


def measure_pair(pair: Pair, quick: bool, timeout: float) -> PairResult:
    """specver (whole process, stages, memory) and the three baselines on one pair."""
    runs = runs_for(pair, quick)
    result = PairResult(pair)
    cmd = [*specver_command(), "diff", "--format", "json", str(pair.old), str(pair.new)]
    result.process = time_command(cmd, runs, timeout * (pair.scale or 1) ** 0.5)
    stages = run_child(
        "pipeline", pair, runs, timeout * max(3, runs + 1) * (pair.scale or 1) ** 0.5
    )
    if stages is not None:
        _record_stages(result, stages)
    git = shutil.which("git")
    if git is not None:
        git_cmd = [git, "diff", "--no-index", "--word-diff", str(pair.old), str(pair.new)]
        result.baselines["git diff --word-diff"] = time_command(git_cmd, runs, timeout)
    for name, measure in (("difflib.unified_diff", "difflib"), ("redlines", "redlines")):
        result.baselines[name] = _child_timing(measure, pair, runs, timeout)
    return result


def _record_stages(result: PairResult, stages: dict[str, object]) -> None:
    per_stage: dict[str, list[float]] = {}
    for name in ("parse", "match", "classify"):
        values = stages[name]
        assert isinstance(values, list)
        per_stage[name] = [float(v) for v in values]
        result.stages[name] = median_timing(per_stage[name])
    totals = [sum(run) for run in zip(*per_stage.values(), strict=True)]
    result.stages["total"] = median_timing(totals)
    one = stages.get("parse_one")
    if isinstance(one, list) and one:
        result.stages["parse one"] = median_timing([float(v) for v in one])
    result.max_rss = int(str(stages["max_rss"]))
    result.policies = (int(str(stages["old"])), int(str(stages["new"])))
    result.changes = int(str(stages["changes"]))


def _child_timing(measure: str, pair: Pair, runs: int, timeout: float) -> Timing:
    found = run_child(measure, pair, runs, timeout)
    if found is None:
        return Timing(None, 0, timeout)
    seconds = found["seconds"]
    assert isinstance(seconds, list)
    return median_timing([float(s) for s in seconds])


FRAMEWORK = "python -c 'import typer, pydantic'"
"""The CLI framework's own import: typer 0.29 coerces every option through pydantic."""
FLOOR = "typer app with `specver diff`'s options, doing nothing (`bench.framework`)"
"""The framework's whole cost to a `specver diff`: import, command build, option coercion."""


def measure_startup(runs: int, pair: Pair | None = None) -> dict[str, Timing]:
    """Wall time of `specver --version`, of `python -c pass`, of the CLI framework's import
    and, given the pair the forms are timed on, of the framework's floor on that pair (the
    arguments of `specver diff --format json --fail-on major`)."""
    framework = [sys.executable, "-c", "import typer, pydantic"]
    out = {
        "python -c pass": time_command([sys.executable, "-c", "pass"], runs, 30),
        "specver --version": time_command([*specver_command(), "--version"], runs, 30),
        FRAMEWORK: time_command(framework, runs, 30),
    }
    if pair is not None:
        floor = [sys.executable, "-m", "bench.framework", "diff", str(pair.old), str(pair.new)]
        out[FLOOR] = time_command([*floor, *FLOOR_ARGS], runs, 30, cwd=ROOT)
    return out


FLOOR_ARGS = ("--format", "json", "--fail-on", "major")


def measure_forms(pair: Pair, runs: int, timeout: float, folder: Path) -> dict[str, Timing]:
    """Whole-process wall time of each form of `specver diff` on one pair."""
    folder.mkdir(parents=True, exist_ok=True)
    output = str(folder / "diff-output.txt")
    out: dict[str, Timing] = {}
    for name, extra in DIFF_FORMS:
        args = [a.replace("{output}", output) for a in extra]
        cmd = [*specver_command(), "diff", str(pair.old), str(pair.new), *args]
        out[name] = time_command(cmd, runs, timeout)
    return out


def write_pair(scale: int, cache: Path) -> tuple[Path, Path]:
    """Generate (or reuse) a synthetic pair in a child process, keeping this one small."""
    old, new = pair_paths(scale, cache)
    if not (old.is_file() and new.is_file()):
        subprocess.run(
            [sys.executable, "-m", "bench.synth", str(scale), str(cache)], cwd=ROOT, check=True
        )
    return old, new


def pairs_to_run(cache: Path, quick: bool, notes: list[str]) -> list[Pair]:
    """The real corpus pairs (when present) and the synthetic pairs at each scale."""
    pairs: list[Pair] = []
    if quick:
        notes.append("Quick run: only the 1x synthetic pair, once; corpus and 10x/100x skipped.")
        old, new = write_pair(1, cache)
        return [Pair("synthetic 1x", old, new, scale=1)]
    if CORPUS.is_dir():
        for old_name, new_name, headline in CORPUS_PAIRS:
            pairs.append(
                Pair(
                    f"corpus {old_name} → {new_name}",
                    CORPUS / f"{old_name}.md",
                    CORPUS / f"{new_name}.md",
                    headline=headline,
                )
            )
    else:
        notes.append(f"Real corpus rows skipped: {CORPUS} is absent (../shared not present).")
    for scale in SCALES:
        old, new = write_pair(scale, cache)
        pairs.append(Pair(f"synthetic {scale}x", old, new, scale=scale))
    return pairs


def run_benchmark(
    cache: Path, *, quick: bool = False, timeout: float = 30.0, progress: bool = True
) -> Report:
    """Measure every pair and the start-up time; progress lines go to stderr."""
    notes: list[str] = []
    pairs = pairs_to_run(cache, quick, notes)
    results = []
    for pair in pairs:
        if progress:
            sys.stderr.write(f"bench: {pair.name} ({pair.size / 1e6:.1f} MB)\n")
        results.append(measure_pair(pair, quick, timeout))
    forms_pair = next((p for p in pairs if p.headline), pairs[0] if pairs else None)
    forms: dict[str, Timing] = {}
    if forms_pair is not None:
        if progress:
            sys.stderr.write(f"bench: forms of specver diff on {forms_pair.name}\n")
        forms = measure_forms(forms_pair, 3 if quick else STARTUP_RUNS, timeout, cache)
    startup = measure_startup(3 if quick else STARTUP_RUNS, forms_pair)
    name = forms_pair.name if forms_pair is not None else None
    suite = None
    if not quick:
        if progress:
            sys.stderr.write("bench: make test (the whole suite, once)\n")
        suite = measure_suite(timeout=SUITE_TIMEOUT)
    return Report(results, startup, notes, forms, name, suite)


SUITE_TIMEOUT = 1200.0
SUITE = ("-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider")
"""What `make test` runs (the suite on two workers), without writing pytest's cache."""


def measure_suite(timeout: float) -> Timing:
    """Wall time of one run of the whole test suite, as `make test` runs it after set-up;
    a failing suite is reported as not measured (its time would not be the target's)."""
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, *SUITE],
            cwd=ROOT,
            env=child_env(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Timing(None, 0, timeout)
    if done.returncode != 0:
        return Timing(None)
    return Timing(time.perf_counter() - start, 1)
