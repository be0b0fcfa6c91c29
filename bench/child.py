"""Measurements that run in a child process of the benchmark, one JSON line on stdout.

`python -m bench.child pipeline OLD NEW RUNS` times specver's in-process stages (parse,
match, classify), then the new spec's parse alone (cold, when it is under 1 MiB), and
reports the child's peak resident memory; `difflib` and `redlines`
time those libraries on the same pair. Each run is timed after imports, so the figures are
the work itself; the parent kills the child at its timeout.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ONE_SPEC_LIMIT = 1 << 20
"""The new spec of a pair is also parsed alone, cold, when it is smaller than this."""
BUDGET = 5.0
"""No further run starts once the runs so far have taken this many seconds."""


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _repeat(work: Callable[[], object], runs: int) -> list[float]:
    samples: list[float] = []
    while len(samples) < runs and (not samples or sum(samples) < BUDGET):
        samples.append(_timed(work))
    return samples


def pipeline(old_text: str, new_text: str, runs: int) -> dict[str, object]:
    """Per-run seconds of parse (both specs), match and classify, plus counts."""
    from specver.config import AuthorityScheme
    from specver.diff.classify import classify_changes
    from specver.diff.match import forget_words, match_policies
    from specver.diff.normative import forget_statements
    from specver.diff.textdiff import normalize, redline
    from specver.spec.examples import read_messages
    from specver.spec.parse import parse

    scheme = AuthorityScheme()
    times: dict[str, list[float]] = {"parse": [], "match": [], "classify": []}
    counts: dict[str, int] = {}
    first_peak: int | None = None
    while len(times["parse"]) < runs:
        if times["parse"] and sum(map(sum, times.values())) > 4 * BUDGET:
            break
        normalize.cache_clear()  # every run starts cold, as a fresh process does
        forget_words()
        read_messages.cache_clear()  # the example bodies read
        forget_statements()  # the sentences the normative model read
        redline.cache_clear()  # the word diffs of changed texts
        t0 = time.perf_counter()
        old, new = parse(old_text), parse(new_text)
        t1 = time.perf_counter()
        pairs = match_policies(old, new)
        t2 = time.perf_counter()
        changes = classify_changes(old, new, pairs, scheme)
        t3 = time.perf_counter()
        times["parse"].append(t1 - t0)
        times["match"].append(t2 - t1)
        times["classify"].append(t3 - t2)
        counts = {"old": len(old), "new": len(new), "changes": len(changes)}
        if first_peak is None:
            first_peak = peak_rss()  # the peak of one comparison, as a user's run has
        del old, new, pairs, changes
    one: list[float] = []
    if len(new_text) < ONE_SPEC_LIMIT:
        while len(one) < runs or (sum(one) < 1.0 and len(one) < 4 * runs):
            normalize.cache_clear()
            read_messages.cache_clear()
            forget_statements()
            t0 = time.perf_counter()
            parse(new_text)
            one.append(time.perf_counter() - t0)
    return {**times, **counts, "max_rss": first_peak, "parse_one": one}


def difflib_unified(old_text: str, new_text: str, runs: int) -> dict[str, object]:
    """Seconds per run of `difflib.unified_diff` over the two texts' lines."""
    import difflib

    a, b = old_text.splitlines(keepends=True), new_text.splitlines(keepends=True)
    return {"seconds": _repeat(lambda: list(difflib.unified_diff(a, b)), runs)}


def redlines_markdown(old_text: str, new_text: str, runs: int) -> dict[str, object]:
    """Seconds per run of the `redlines` package producing its Markdown track changes."""
    from redlines import Redlines

    return {"seconds": _repeat(lambda: Redlines(old_text, new_text).output_markdown, runs)}


MEASURES: dict[str, Callable[[str, str, int], dict[str, object]]] = {
    "pipeline": pipeline,
    "difflib": difflib_unified,
    "redlines": redlines_markdown,
}


def peak_rss() -> int:
    """This process's peak resident memory in bytes.

    On Linux it is VmHWM from /proc: `ru_maxrss` survives exec, so a child would report its
    parent's size whenever the parent was bigger.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # KiB on Linux


def main(argv: list[str]) -> int:
    """Run one measure and print its result with the peak RSS in bytes."""
    name, old, new, runs = argv[0], Path(argv[1]), Path(argv[2]), int(argv[3])
    result = MEASURES[name](old.read_text("utf-8"), new.read_text("utf-8"), runs)
    result.setdefault("max_rss", peak_rss())
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
