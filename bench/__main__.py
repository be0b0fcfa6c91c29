"""`python -m bench` (`make bench`): measure specver against its baselines, write the table.

Prints the Markdown tables on stdout and keeps them in docs/benchmarks.md, the pathological
table (`bench.pathological`: each hostile dimension at two sizes) last; fork networks
(`bench.forks`) before it. `--quick` runs only
the 1x synthetic pair, once, for the test that keeps the benchmark working.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .forks import render_forks, run_forks_benchmark
from .history import render_history, run_history_benchmark
from .machine import machine_facts
from .pathological import render_table, run_pathological
from .report import render_markdown, write_document
from .run import ROOT, run_benchmark


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write its tables; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="only the 1x synthetic pair, once")
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "docs" / "benchmarks.md",
        help="document to keep the tables in (default: docs/benchmarks.md)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=ROOT / "bench" / "out",
        help="folder for generated specs (default: bench/out, not committed)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before a run is cut off"
    )
    parser.add_argument(
        "--history-only",
        action="store_true",
        help="only the history benchmark (prints its tables; docs/benchmarks.md is left alone)",
    )
    parser.add_argument(
        "--forks-only",
        action="store_true",
        help="only the fork-network benchmark (prints its tables, leaves docs/benchmarks.md)",
    )
    args = parser.parse_args(argv)
    if args.forks_only:
        sys.stdout.write(render_forks(run_forks_benchmark(args.cache, quick=args.quick)))
        return 0
    if args.history_only:
        sys.stdout.write(render_history(run_history_benchmark(args.cache, quick=args.quick)))
        return 0
    report = run_benchmark(args.cache, quick=args.quick, timeout=args.timeout)
    history = run_history_benchmark(args.cache, quick=args.quick)
    generated = render_markdown(report, machine_facts()) + "\n" + render_history(history)
    if not args.quick:
        generated += "\n" + render_forks(run_forks_benchmark(args.cache))
        rows = run_pathological(args.cache, timeout=max(args.timeout, 300.0))
        generated += "\n" + render_table(rows)
    sys.stdout.write(generated)
    write_document(args.output, generated)
    sys.stderr.write(f"bench: tables written to {args.output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
