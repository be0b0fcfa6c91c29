"""History at scale: `specver log` over generated git histories of a real-size spec.

A history is the 1x synthetic spec (about 250 KB, 80 policies) followed by commits that each
edit one paragraph: a sentence appended to a prose line or its last sentence dropped, a
word rewritten, or (one in twenty) a new paragraph inserted, shifting every line after it.
Appending and dropping nearly balance (the spec grows from 249 to 279 KB over 3,000
commits), so the 3,000-commit walk compares like with like with the 300-commit one.
Everything is drawn from a seeded generator, so a history of N commits is the same on every
run; it is built once with `git fast-import` and kept under bench/out/ (never committed).

Every figure is a ratio to one whole-process `specver diff` of the history's first and last
revisions, measured in the same run and in the same way: cold `log` (no cache file) over
300 commits, the same over 3,000 against the 300 figure, warm `log` (cache file present)
over 300, and the cache file's size per 1,000 commits.

The machine is shared, so the ratios are of CPU time, not of wall time: each run's user
and system time, of the process and of the children it waited for (`git`), as `wait4`
reports it, and of each command the least over its runs (other work on the machine only
ever adds to it). The baseline's runs are spread before and after the walks, so a change of
load in between reaches both sides. Wall times (medians) are shown beside them.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .run import child_env, imported_repo, specver_command
from .synth import WORDS, generate, render

SIZES = (300, 3000)
QUICK_SIZES = (30,)
HISTORY_VERSION = 2
"""Bumped whenever the generated histories change, so cached ones are rebuilt."""
SPEC_PATH = "spec.md"
COLD_RUNS = {300: 3, 3000: 2}
WARM_RUNS = {300: 5, 3000: 3}
NO_CACHE_RUNS = 3
DIFF_RUNS = (5, 4)
"""Runs of the `specver diff` baseline before the walks and after them."""


@dataclass(frozen=True)
class Sample:
    """One run of a command."""

    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User and system seconds of the process and of the children it waited for."""


@dataclass(frozen=True)
class Measure:
    """The runs of one command: the least CPU time and the median wall time."""

    cpu: float | None
    wall: float | None
    runs: int = 0
    timeout: float | None = None
    """Set when a run did not finish within this many seconds."""

    @property
    def done(self) -> bool:
        return self.cpu is not None

    @classmethod
    def of(cls, samples: Sequence[Sample]) -> Measure:
        """The least CPU time and median wall time of some runs."""
        if not samples:
            return cls(None, None)
        cpu = min(s.cpu for s in samples)
        return cls(cpu, statistics.median(s.wall for s in samples), len(samples))


NOT_MEASURED = Measure(None, None)


@dataclass
class HistoryResult:
    """What was measured on one generated history."""

    commits: int
    cold: Measure = NOT_MEASURED
    no_cache: Measure = NOT_MEASURED
    warm: Measure = NOT_MEASURED
    cache_bytes: int | None = None
    """Size of `.git/specver-cache/` after a cold walk (file sizes, summed)."""


@dataclass
class HistoryReport:
    """The `specver diff` baseline and one result per history."""

    diff: Measure
    results: list[HistoryResult] = field(default_factory=list)
    quick: bool = False


# --- generating ----------------------------------------------------------------------------


def _prose_lines(lines: list[str]) -> list[int]:
    """Indices of prose lines (outside fences, not headings, admonitions or list items)."""
    out: list[int] = []
    fenced = False
    for k, line in enumerate(lines):
        if line.startswith(("~~~", "```")):
            fenced = not fenced
            continue
        if not fenced and line[:1].isalpha() and not line.startswith("!!!"):
            out.append(k)
    return out


def _sentence(rnd: random.Random) -> str:
    words = [rnd.choice(WORDS) for _ in range(rnd.randint(6, 14))]
    return "The assistant should " + " ".join(words) + "."


def history_texts(commits: int, seed: int = 15) -> list[str]:
    """The spec text after each of `commits` commits (the first is the generated spec)."""
    rnd = random.Random(seed)
    lines = render(generate(80, seed)).split("\n")
    prose = _prose_lines(lines)
    texts = ["\n".join(lines)]
    for _ in range(commits - 1):
        at = rnd.choice(prose)
        roll = rnd.random()
        sentences = lines[at].split(". ")
        if roll < 0.05:
            lines[at + 1 : at + 1] = ["", _sentence(rnd)]
            prose = [k if k <= at else k + 2 for k in prose] + [at + 2]
        elif roll < 0.40 and len(sentences) > 1:
            lines[at] = ". ".join(sentences[:-1]) + "."
        elif roll < 0.70:
            words = lines[at].split(" ")
            words[rnd.randrange(len(words))] = rnd.choice(WORDS)
            lines[at] = " ".join(words)
        else:
            lines[at] = lines[at] + " " + _sentence(rnd)
        texts.append("\n".join(lines))
    return texts


def _fast_import_stream(texts: list[str]) -> bytes:
    parts: list[bytes] = []
    start = 1_735_725_600  # 2025-01-01T10:00:00Z
    for k, text in enumerate(texts, start=1):
        data = text.encode()
        message = f"Edit {k}: one paragraph\n".encode() if k > 1 else b"Initial spec\n"
        when = f"{start + k * 3600} +0000".encode()
        parts += [b"blob\nmark :%d\ndata %d\n" % (2 * k, len(data)), data, b"\n"]
        parts += [
            b"commit refs/heads/main\nmark :%d\n" % (2 * k + 1),
            b"author Bench <bench@example.invalid> " + when + b"\n",
            b"committer Bench <bench@example.invalid> " + when + b"\n",
            b"data %d\n" % len(message),
            message,
        ]
        if k > 1:
            parts.append(b"from :%d\n" % (2 * k - 1))
        parts.append(b"M 100644 :%d %s\n\n" % (2 * k, SPEC_PATH.encode()))
    return b"".join(parts)


def history_repo(commits: int, cache: Path) -> Path:
    """A git repository of the generated history of `commits` commits (built once, kept)."""
    repo = cache / f"history-{commits}-v{HISTORY_VERSION}"
    if (repo / ".bench-complete").is_file():
        return repo
    texts = history_texts(commits)
    files = {"first.md": texts[0], "last.md": texts[-1]}
    return imported_repo(repo, _fast_import_stream(texts), files)


# --- measuring -----------------------------------------------------------------------------


def run_once(argv: Sequence[str], env: dict[str, str], timeout: float) -> Sample | None:
    """Run a command to its end: its wall time and CPU time (from `wait4`, which counts
    the children it waited for); None when it was killed at `timeout`."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    timer = threading.Timer(timeout, child.kill)
    timer.start()
    try:
        _pid, status, usage = os.wait4(child.pid, 0)
    finally:
        timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if wall >= timeout:
        return None
    return Sample(wall, usage.ru_utime + usage.ru_stime)


def repeat(
    argv: Sequence[str],
    runs: int,
    timeout: float,
    before: Callable[[], None] | None = None,
) -> tuple[list[Sample], float | None]:
    """`runs` runs of a command, `before` called ahead of each; the samples, and the
    timeout when a run exceeded it (no run follows one that did)."""
    env = child_env()
    samples: list[Sample] = []
    for _ in range(runs):
        if before is not None:
            before()
        sample = run_once(argv, env, timeout)
        if sample is None:
            return samples, timeout
        samples.append(sample)
    return samples, None


def _measure(
    argv: Sequence[str], runs: int, timeout: float, before: Callable[[], None] | None = None
) -> Measure:
    samples, over = repeat(argv, runs, timeout, before)
    if over is not None:
        return Measure(None, None, len(samples), over)
    return Measure.of(samples)


def _log_command(repo: Path, *extra: str) -> list[str]:
    return [*specver_command(), "log", "--repo", str(repo), "--path", SPEC_PATH, *extra]


def _cache_folder(repo: Path) -> Path:
    return repo / ".git" / "specver-cache"


def _cache_bytes(repo: Path) -> int | None:
    folder = _cache_folder(repo)
    return sum(p.stat().st_size for p in folder.iterdir()) if folder.is_dir() else None


def measure_history(repo: Path, commits: int, quick: bool, timeout: float) -> HistoryResult:
    """Cold, no-cache and warm `specver log` over one history, and the cache's size."""
    result = HistoryResult(commits)
    run_once(_log_command(repo, "--no-cache", "--max-count", "2"), child_env(), timeout)

    def no_cache_file() -> None:
        shutil.rmtree(_cache_folder(repo), ignore_errors=True)

    cold_runs = 1 if quick else COLD_RUNS.get(commits, 1)
    result.cold = _measure(_log_command(repo), cold_runs, timeout, no_cache_file)
    if not result.cold.done:
        return result
    result.cache_bytes = _cache_bytes(repo)
    warm_runs = 1 if quick else WARM_RUNS.get(commits, 3)
    result.warm = _measure(_log_command(repo), warm_runs, timeout)
    if commits <= 300:
        no_cache = _log_command(repo, "--no-cache")
        result.no_cache = _measure(no_cache, 1 if quick else NO_CACHE_RUNS, timeout)
    return result


def run_history_benchmark(
    cache: Path, *, quick: bool = False, timeout: float = 600.0, progress: bool = True
) -> HistoryReport:
    """Build (or reuse) the histories and measure them against one `specver diff`, whose
    runs come before and after the walks."""
    sizes = QUICK_SIZES if quick else SIZES
    repos = {}
    for commits in sizes:
        if progress:
            sys.stderr.write(f"bench: history of {commits} commits\n")
        repos[commits] = history_repo(commits, cache)
    first = repos[sizes[0]]
    diff_cmd = [*specver_command(), "diff", str(first / "first.md"), str(first / "last.md")]
    run_once(diff_cmd, child_env(), 60)  # untimed: bytecode written, files in the page cache
    ahead, after = (1, 1) if quick else DIFF_RUNS
    baseline, over = repeat(diff_cmd, ahead, 60)
    results = [measure_history(repos[n], n, quick, timeout) for n in sizes]
    if over is None:
        more, over = repeat(diff_cmd, after, 60)
        baseline += more
    diff = Measure(None, None, len(baseline), over) if over else Measure.of(baseline)
    return HistoryReport(diff, results, quick)


# --- reporting -----------------------------------------------------------------------------


def _seconds(value: float | None, m: Measure) -> str:
    if value is None:
        return f"> {m.timeout:.0f} s" if m.timeout else "—"
    return f"{value:.3f} s"


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _times(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def _result(name: str, measured: float | None, limit: float, unit: str, how: str) -> list[str]:
    if measured is None:
        return [name, "—", "", "not measured"]
    met = "met" if measured <= limit else "**missed**"
    return [name, f"{measured:.2f}{unit}", how, met]


def history_targets(report: HistoryReport) -> list[list[str]]:
    """(target, measured, from what, met or missed) rows for the issue's history targets."""
    by = {r.commits: r for r in report.results}
    base = report.diff.cpu
    small = by.get(300, HistoryResult(300))
    large = by.get(3000, HistoryResult(3000))

    def cpu(m: Measure) -> str:
        return f"{m.cpu:.2f} s CPU" if m.cpu is not None else "—"

    rows = [
        _result(
            "cold `log`, 300 commits ≤ 8× `diff`",
            _ratio(small.cold.cpu, base),
            8,
            "×",
            f"{cpu(small.cold)} against {cpu(report.diff)}",
        ),
        _result(
            "cold `log`, 3,000 commits ≤ 10× 300 commits",
            _ratio(large.cold.cpu, small.cold.cpu),
            10,
            "×",
            f"{cpu(large.cold)} against {cpu(small.cold)}",
        ),
        _result(
            "warm `log`, 300 commits ≤ 2× `diff`",
            _ratio(small.warm.cpu, base),
            2,
            "×",
            f"{cpu(small.warm)} against {cpu(report.diff)}",
        ),
    ]
    sized = large if large.cache_bytes is not None else small
    per_thousand = (
        sized.cache_bytes / sized.commits * 1000 / 1e6 if sized.cache_bytes is not None else None
    )
    rows.append(
        _result(
            "cache ≤ 5 MB per 1,000 commits",
            per_thousand,
            5,
            " MB",
            f"{sized.cache_bytes / 1e6:.2f} MB for {sized.commits:,} commits"
            if sized.cache_bytes is not None
            else "",
        )
    )
    return rows


def _row(name: str, m: Measure, base: Measure, cache: int | None, commits: int) -> list[str]:
    return [
        name,
        _seconds(m.cpu, m),
        _times(_ratio(m.cpu, base.cpu)),
        _seconds(m.wall, m),
        _times(_ratio(m.wall, base.wall)),
        str(m.runs) if m.runs else "—",
        f"{cache / 1e6:.2f} MB" if cache is not None else "",
        f"{cache / commits:.0f} B" if cache is not None else "",
    ]


def render_history(report: HistoryReport) -> str:
    """The "History at scale" part of the generated section."""
    from .report import table

    rows = [_row("`specver diff` first → last revision", report.diff, report.diff, None, 1)]
    for r in report.results:
        n = f"{r.commits:,} commits"
        rows.append(
            _row(
                f"`specver log`, {n}, cold (no cache file)",
                r.cold,
                report.diff,
                r.cache_bytes,
                r.commits,
            )
        )
        rows.append(
            _row(
                f"`specver log`, {n}, warm (cache file present)",
                r.warm,
                report.diff,
                None,
                r.commits,
            )
        )
        if r.no_cache.runs:
            rows.append(
                _row(f"`specver log --no-cache`, {n}", r.no_cache, report.diff, None, r.commits)
            )
    columns = (
        "Run",
        "CPU",
        "× `diff`",
        "Wall",
        "× `diff` (wall)",
        "Runs",
        "Cache",
        "Cache per commit",
    )
    parts = [
        "### History at scale",
        "",
        "Generated histories of a real-size spec (about 250 KB, one paragraph edited per",
        "commit; `bench/history.py`), whole processes. CPU is user + system time of the",
        "process and the `git` children it waited for (`wait4`), the least over the runs;",
        "wall is the median. Ratios are to one `specver diff` of the history's first and",
        "last revisions, measured the same way in the same run (its runs before and after",
        "the walks); the targets are read on CPU time, which other work on a shared machine",
        "disturbs far less than wall time.",
        "",
        table(columns, rows),
        "",
    ]
    if report.quick:
        parts += ["Quick run: a 30-commit history only; the targets need `make bench`.", ""]
    else:
        targets = history_targets(report)
        parts += [table(("History target", "Measured", "From", "Result"), targets), ""]
    return "\n".join(parts)
