"""Fork networks at scale: `specver forks` over 50 and 500 generated forks of a real spec.

The network is the corpus's 2025-09-12 release as upstream (`main`, tagged) and 500 fork
remotes branched from it (`refs/remotes/fork-NNN/main`), each with 1 to 5 scripted edits
drawn from a seeded generator: a sentence appended to a policy's first prose line (one in
two drawn from a small pool, so many forks make the same edit), one word replaced, a leaf
section removed, an authority level changed, or a new policy added. A network is built
once with `git fast-import` and kept under bench/out/ (never committed).

Each figure is a wall time of a whole process, medians, against one whole-process
`specver diff` of upstream against one fork (both as files) measured in the same run:
500 forks with `--jobs 2` at most 30x that diff, and 500 forks at most 11x 50 forks.
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .run import (
    CORPUS,
    Timing,
    child_env,
    imported_repo,
    median_timing,
    specver_command,
    time_command,
    wall_time,
)

SIZES = (50, 500)
QUICK_SIZES = (10,)
NETWORK_VERSION = 1
"""Bumped whenever the generated networks change, so cached ones are rebuilt."""
RELEASE = "2025-09-12"
SPEC_PATH = "model_spec.md"
JOBS = 2
RUNS = {50: 3, 500: 2}
SHARED_SENTENCES = (
    "The assistant must keep a record of every refusal it gives.",
    "The assistant should cite a source for each factual claim.",
    "The assistant may decline to answer questions about its configuration.",
    "The assistant must not give legal advice to minors.",
    "The assistant should prefer plain language over jargon.",
    "The assistant may answer in the user's dialect.",
)
"""Edits many forks make identically (the shared-edit groups of the benchmark)."""
WORDS = (
    "carefully", "openly", "always", "promptly", "politely", "briefly", "clearly",
    "honestly", "gently", "firmly", "safely", "quietly", "fairly", "kindly",
)  # fmt: skip
HEADING_RE = re.compile(r"^(#{1,6}) (.*?)\s*\{#([^\s}]+)([^}]*)\}\s*$")


@dataclass
class ForksResult:
    """What was measured on one network size."""

    forks: int
    seconds: Timing = field(default_factory=lambda: Timing(None))


@dataclass
class ForksReport:
    """The `specver diff` baseline and one result per network size."""

    diff: Timing
    results: list[ForksResult]
    quick: bool = False


# --- generating ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Section:
    start: int
    end: int
    """One past its last line."""
    depth: int
    pid: str
    authority: str | None


def _sections(lines: list[str]) -> list[_Section]:
    """Headings with an id outside fences, each running up to the next heading."""
    found: list[tuple[int, int, str, str | None]] = []
    fenced = False
    for k, line in enumerate(lines):
        if line.startswith(("~~~", "```")):
            fenced = not fenced
            continue
        m = None if fenced else HEADING_RE.match(line)
        if m:
            authority = re.search(r"authority=(\w+)", m.group(4))
            found.append((k, len(m.group(1)), m.group(3), authority[1] if authority else None))
    out = []
    for i, (k, depth, pid, level) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(lines)
        out.append(_Section(k, end, depth, pid, level))
    return out


def _prose_line(lines: list[str], section: _Section) -> int | None:
    for k in range(section.start + 1, section.end):
        if lines[k][:1].isalpha() and not lines[k].startswith("!!!"):
            return k
    return None


def _edit(lines: list[str], rnd: random.Random, serial: int) -> list[str]:
    """One scripted edit of a spec's lines."""
    sections = [s for s in _sections(lines) if s.authority]
    roll = rnd.random()
    target = rnd.choice(sections)
    if roll < 0.55:
        at = _prose_line(lines, target)
        if at is not None:
            sentence = (
                rnd.choice(SHARED_SENTENCES)
                if rnd.random() < 0.5
                else f"The assistant should {rnd.choice(WORDS)} note case {serial}."
            )
            return [*lines[:at], f"{lines[at]} {sentence}", *lines[at + 1 :]]
    if roll < 0.75:
        at = _prose_line(lines, target)
        if at is not None:
            words = lines[at].split(" ")
            words[rnd.randrange(len(words))] = rnd.choice(WORDS)
            return [*lines[:at], " ".join(words), *lines[at + 1 :]]
    if roll < 0.85:
        following = [s for s in sections if s.start > target.start]
        if not following or following[0].depth <= target.depth:
            return [*lines[: target.start], *lines[target.end :]]
    if roll < 0.93 and target.authority in ("user", "guideline"):
        level = "guideline" if target.authority == "user" else "user"
        head = lines[target.start].replace(f"authority={target.authority}", f"authority={level}")
        return [*lines[: target.start], head, *lines[target.start + 1 :]]
    block = [
        f"## Fork rule {serial % 40} {{#fork_rule_{serial % 40} authority=user}}",
        "",
        f"The assistant should follow fork rule {serial % 40} when it applies.",
        "",
    ]
    return [*lines[: target.end], *block, *lines[target.end :]]


def fork_texts(upstream: str, count: int, seed: int = 21) -> list[str]:
    """The spec of each of `count` forks: 1 to 5 edits each."""
    rnd = random.Random(seed)
    out = []
    for k in range(count):
        lines = upstream.split("\n")
        for e in range(rnd.randint(1, 5)):
            lines = _edit(lines, rnd, k * 10 + e)
        out.append("\n".join(lines))
    return out


def _stream(upstream: str, forks: list[str]) -> bytes:
    when = b"1757664000 +0000"  # 2025-09-12
    who = b"Bench <bench@example.invalid> " + when + b"\n"
    parts: list[bytes] = []

    def commit(ref: str, mark: int, blob: int, message: bytes, parent: int | None) -> None:
        parts.extend(
            [
                f"commit {ref}\nmark :{mark}\n".encode(),
                b"author " + who,
                b"committer " + who,
                b"data %d\n" % len(message),
                message,
                b"\n",
            ]
        )
        if parent is not None:
            parts.append(b"from :%d\n" % parent)
        parts.append(b"M 100644 :%d %s\n\n" % (blob, SPEC_PATH.encode()))

    data = upstream.encode()
    parts += [b"blob\nmark :1\ndata %d\n" % len(data), data, b"\n"]
    commit("refs/heads/main", 2, 1, b"Release 2025-09-12", None)
    parts.append(b"tag v2025.09.12\nfrom :2\ntagger " + who + b"data 7\nrelease\n")
    for k, text in enumerate(forks):
        blob, mark = 3 + 2 * k, 4 + 2 * k
        data = text.encode()
        parts += [b"blob\nmark :%d\ndata %d\n" % (blob, len(data)), data, b"\n"]
        commit(f"refs/remotes/fork-{k:03d}/main", mark, blob, b"Fork edits", 2)
    return b"".join(parts)


def network_repo(count: int, cache: Path) -> Path:
    """A repository with upstream `main` and `count` fork remotes (built once, kept)."""
    repo = cache / f"forks-{count}-v{NETWORK_VERSION}"
    if (repo / ".bench-complete").is_file():
        return repo
    upstream = (CORPUS / f"{RELEASE}.md").read_text(encoding="utf-8")
    forks = fork_texts(upstream, count)
    files = {"fork.md": forks[0], "upstream.md": upstream}
    return imported_repo(repo, _stream(upstream, forks), files, checkout="main")


# --- measuring -----------------------------------------------------------------------------


def _forks_command(repo: Path, count: int) -> list[str]:
    return [
        *specver_command(), "forks", "--upstream", f"main:{SPEC_PATH}", "--remotes", "fork-*",
        "--repo", str(repo), "--jobs", str(JOBS), "--format", "json",
        "--output", str(repo / f"forks-{count}.json"),
    ]  # fmt: skip


def _network_time(repo: Path, count: int, runs: int, timeout: float) -> Timing:
    """Median wall time of `specver forks` over the network (exit 1: forks changed things)."""
    env = child_env()
    samples: list[float] = []
    for _ in range(runs):
        elapsed = wall_time(_forks_command(repo, count), env, timeout)
        if elapsed is None:
            return Timing(None, len(samples), timeout)
        samples.append(elapsed)
    return median_timing(samples)


def run_forks_benchmark(
    cache: Path, *, quick: bool = False, timeout: float = 600.0, progress: bool = True
) -> ForksReport | None:
    """Build (or reuse) the networks and measure them against one `specver diff`."""
    if not CORPUS.is_dir():
        return None
    sizes = QUICK_SIZES if quick else SIZES
    repos = {}
    for count in sizes:
        if progress:
            sys.stderr.write(f"bench: fork network of {count} forks\n")
        repos[count] = network_repo(count, cache)
    first = repos[sizes[0]]
    diff_cmd = [*specver_command(), "diff", str(first / "upstream.md"), str(first / "fork.md")]
    baseline = time_command(diff_cmd, 3 if quick else 9, 60)
    results = []
    for count in sizes:
        runs = 1 if quick else RUNS.get(count, 1)
        results.append(ForksResult(count, _network_time(repos[count], count, runs, timeout)))
    return ForksReport(baseline, results, quick)


# --- reporting -----------------------------------------------------------------------------


def _seconds(t: Timing) -> str:
    if t.seconds is None:
        return f"> {t.timeout:.0f} s" if t.timeout else "—"
    return f"{t.seconds:.2f} s"


def _ratio(t: Timing, base: Timing) -> float | None:
    if t.seconds is None or not base.seconds:
        return None
    return t.seconds / base.seconds


def forks_targets(report: ForksReport) -> list[list[str]]:
    """(target, measured, met or missed) rows for the issue's fork-network targets."""
    by = {r.forks: r for r in report.results}
    large, small = by.get(500), by.get(50)
    whole = _ratio(large.seconds, report.diff) if large else None
    growth = _ratio(large.seconds, small.seconds) if large and small else None
    rows = []
    for name, measured, limit in (
        (f"500 forks, `--jobs {JOBS}`, ≤ 30× `diff`", whole, 30),
        ("500 forks ≤ 11× 50 forks", growth, 11),
    ):
        if measured is None:
            rows.append([name, "—", "not measured"])
        else:
            rows.append([name, f"{measured:.2f}×", "met" if measured <= limit else "**missed**"])
    return rows


def render_forks(report: ForksReport | None) -> str:
    """The "Fork networks at scale" part of the generated section."""
    from .report import table

    if report is None:
        return "### Fork networks at scale\n\nSkipped: the real corpus is absent.\n"
    rows = [["`specver diff` upstream → one fork", _seconds(report.diff), "1.00×"]]
    for r in report.results:
        ratio = _ratio(r.seconds, report.diff)
        rows.append(
            [
                f"`specver forks`, {r.forks} forks, `--jobs {JOBS}`",
                _seconds(r.seconds),
                f"{ratio:.2f}×" if ratio is not None else "—",
            ]
        )
    parts = [
        "### Fork networks at scale",
        "",
        "Generated networks of the 2025-09-12 release (1 to 5 scripted edits per fork, some",
        "shared; `bench/forks.py`), whole processes, medians; ratios are to one `specver diff`",
        "of upstream against one fork in the same run.",
        "",
        table(("Run", "Wall time", "× `diff`"), rows),
        "",
    ]
    if report.quick:
        parts += ["Quick run: a 10-fork network only; the targets need `make bench`.", ""]
    else:
        parts += [table(("Fork network target", "Measured", "Result"), forks_targets(report)), ""]
    return "\n".join(parts)


def main() -> int:
    """`python -m bench.forks [--quick]`: only this benchmark; prints its tables."""
    quick = "--quick" in sys.argv[1:]
    cache = Path(__file__).resolve().parent / "out"
    sys.stdout.write(render_forks(run_forks_benchmark(cache, quick=quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
