"""History at scale: `specver log` over generated git histories of a real-size spec.

A history is the 1x synthetic spec (about 250 KB, 80 policies) followed by commits that each
edit one paragraph: a sentence appended to a prose line or its last sentence dropped, a
word rewritten, or (one in twenty) a new paragraph inserted, shifting every line after it.
Appending and dropping nearly balance (the spec grows from 249 to 279 KB over 3,000
commits), so the 3,000-commit walk compares like with like with the 300-commit one.
Everything is drawn from a seeded generator, so a history of N commits is the same on every
run; it is built
once with `git fast-import` and kept under bench/out/ (never committed).

Every figure is a ratio to one whole-process `specver diff` of the history's first and last
revisions, measured in the same run: cold `log` (no cache file) over 300 commits, the same
over 3,000 against the 300 figure, warm `log` (cache file present) over 300, and the cache
file's size per 1,000 commits.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .run import Timing, child_env, median_timing, specver_command, time_command, wall_time
from .synth import WORDS, generate, render

SIZES = (300, 3000)
QUICK_SIZES = (30,)
HISTORY_VERSION = 2
"""Bumped whenever the generated histories change, so cached ones are rebuilt."""
SPEC_PATH = "spec.md"
COLD_RUNS = {300: 3, 3000: 1}
WARM_RUNS = 5


@dataclass
class HistoryResult:
    """What was measured on one generated history."""

    commits: int
    cold: Timing = field(default_factory=lambda: Timing(None))
    no_cache: Timing = field(default_factory=lambda: Timing(None))
    warm: Timing = field(default_factory=lambda: Timing(None))
    cache_bytes: int | None = None
    """Size of `.git/specver-cache/` after a cold walk (file sizes, summed)."""


@dataclass
class HistoryReport:
    """The `specver diff` baseline and one result per history."""

    diff: Timing
    results: list[HistoryResult]
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
    done = repo / ".bench-complete"
    if done.is_file():
        return repo
    if repo.exists():
        shutil.rmtree(repo)
    repo.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    texts = history_texts(commits)
    subprocess.run(
        ["git", "-C", str(repo), "fast-import", "--quiet"],
        input=_fast_import_stream(texts),
        check=True,
    )
    (repo / "first.md").write_text(texts[0], encoding="utf-8")
    (repo / "last.md").write_text(texts[-1], encoding="utf-8")
    done.write_text("ok\n", encoding="utf-8")
    return repo


# --- measuring -----------------------------------------------------------------------------


def _log_command(repo: Path, *extra: str) -> list[str]:
    return [*specver_command(), "log", "--repo", str(repo), "--path", SPEC_PATH, *extra]


def _cache_folder(repo: Path) -> Path:
    return repo / ".git" / "specver-cache"


def _cold(repo: Path, runs: int, timeout: float) -> tuple[Timing, int | None]:
    """Median wall time of `log` with no cache file, and the cache's size afterwards."""
    env = child_env()
    samples: list[float] = []
    for _ in range(runs):
        shutil.rmtree(_cache_folder(repo), ignore_errors=True)
        elapsed = wall_time(_log_command(repo), env, timeout)
        if elapsed is None:
            return Timing(None, len(samples), timeout), None
        samples.append(elapsed)
    folder = _cache_folder(repo)
    size = sum(p.stat().st_size for p in folder.iterdir()) if folder.is_dir() else None
    return median_timing(samples), size


def measure_history(repo: Path, commits: int, quick: bool, timeout: float) -> HistoryResult:
    """Cold, no-cache and warm `specver log` over one history, and the cache's size."""
    result = HistoryResult(commits)
    wall_time(_log_command(repo, "--no-cache", "--max-count", "2"), child_env(), timeout)
    cold_runs = 1 if quick else COLD_RUNS.get(commits, 1)
    result.cold, result.cache_bytes = _cold(repo, cold_runs, timeout)
    if result.cold.done:
        warm_runs = 1 if quick else WARM_RUNS
        result.warm = time_command(_log_command(repo), warm_runs, timeout)
    if commits <= 300:
        result.no_cache = time_command(_log_command(repo, "--no-cache"), 1 if quick else 3, timeout)
    return result


def run_history_benchmark(
    cache: Path, *, quick: bool = False, timeout: float = 600.0, progress: bool = True
) -> HistoryReport:
    """Build (or reuse) the histories and measure them against one `specver diff`."""
    sizes = QUICK_SIZES if quick else SIZES
    repos = {}
    for commits in sizes:
        if progress:
            sys.stderr.write(f"bench: history of {commits} commits\n")
        repos[commits] = history_repo(commits, cache)
    first = repos[sizes[0]]
    diff_cmd = [*specver_command(), "diff", str(first / "first.md"), str(first / "last.md")]
    baseline = time_command(diff_cmd, 3 if quick else 9, 60)
    results = [measure_history(repos[n], n, quick, timeout) for n in sizes]
    return HistoryReport(baseline, results, quick)


# --- reporting -----------------------------------------------------------------------------


def _seconds(t: Timing) -> str:
    if t.seconds is None:
        return f"> {t.timeout:.0f} s" if t.timeout else "—"
    return f"{t.seconds:.3f} s"


def _times(t: Timing, base: Timing) -> str:
    if t.seconds is None or not base.seconds:
        return "—"
    return f"{t.seconds / base.seconds:.2f}×"


def _result(name: str, measured: float | None, limit: float, unit: str) -> list[str]:
    if measured is None:
        return [name, "—", "not measured"]
    met = "met" if measured <= limit else "**missed**"
    return [name, f"{measured:.2f}{unit}", met]


def history_targets(report: HistoryReport) -> list[list[str]]:
    """(target, measured, met or missed) rows for the issue's history targets."""
    by = {r.commits: r for r in report.results}
    base = report.diff.seconds
    rows: list[list[str]] = []
    small, large = by.get(300), by.get(3000)

    def ratio(t: Timing | None, to: float | None) -> float | None:
        if t is None or t.seconds is None or not to:
            return None
        return t.seconds / to

    rows.append(
        _result("cold `log`, 300 commits ≤ 8× `diff`", ratio(small and small.cold, base), 8, "×")
    )
    small_cold = small.cold.seconds if small else None
    rows.append(
        _result(
            "cold `log`, 3,000 commits ≤ 10× 300 commits",
            ratio(large and large.cold, small_cold),
            10,
            "×",
        )
    )
    rows.append(
        _result("warm `log`, 300 commits ≤ 2× `diff`", ratio(small and small.warm, base), 2, "×")
    )
    sized = large or small
    per_thousand = (
        sized.cache_bytes / sized.commits * 1000 / 1e6
        if sized and sized.cache_bytes is not None
        else None
    )
    rows.append(_result("cache ≤ 5 MB per 1,000 commits", per_thousand, 5, " MB"))
    return rows


def render_history(report: HistoryReport) -> str:
    """The "History at scale" part of the generated section."""
    from .report import table

    rows = [["`specver diff` first → last revision", _seconds(report.diff), "1.00×", "", ""]]
    for r in report.results:
        per_commit = f"{r.cache_bytes / r.commits:.0f} B" if r.cache_bytes is not None else "—"
        rows.append(
            [
                f"`specver log`, {r.commits:,} commits, cold (no cache file)",
                _seconds(r.cold),
                _times(r.cold, report.diff),
                f"{r.cache_bytes / 1e6:.2f} MB" if r.cache_bytes is not None else "—",
                per_commit,
            ]
        )
        rows.append(
            [
                f"`specver log`, {r.commits:,} commits, warm (cache file present)",
                _seconds(r.warm),
                _times(r.warm, report.diff),
                "",
                "",
            ]
        )
        if r.no_cache.seconds is not None:
            rows.append(
                [
                    f"`specver log --no-cache`, {r.commits:,} commits",
                    _seconds(r.no_cache),
                    _times(r.no_cache, report.diff),
                    "",
                    "",
                ]
            )
    parts = [
        "### History at scale",
        "",
        "Generated histories of a real-size spec (about 250 KB, one paragraph edited per",
        "commit; `bench/history.py`), whole processes, medians; ratios are to one",
        "`specver diff` of the history's first and last revisions in the same run.",
        "",
        table(("Run", "Wall time", "× `diff`", "Cache", "Cache per commit"), rows),
        "",
    ]
    if report.quick:
        parts += ["Quick run: a 30-commit history only; the targets need `make bench`.", ""]
    else:
        parts += [table(("History target", "Measured", "Result"), history_targets(report)), ""]
    return "\n".join(parts)
