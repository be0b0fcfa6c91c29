"""Fuzz the parser, the diff and the commands built on it for a bounded time or number of
inputs: `python -m tests.fuzz [--seconds N] [--inputs N]`.

Hypothesis drives the inputs (random unicode, decoded bytes, spec syntax noise, generated
specs and mutated pairs and triples). Every input must parse or be refused with specver's
InputError; every pair must diff and render in every format, give a
changelog entry that inserts into a changelog twice as once, and an impact in every
format; every triple (base, upstream, fork) must give a fork report in every format and a
merge that parses.
A crash is saved to `--out` (default `.fuzz-crashes/`) as `crash-<n>.md` (with
`crash-<n>-new.md` and `crash-<n>-fork.md` for pairs and triples) with the traceback in
`crash-<n>.txt`, and the run goes on until the time is up. The report gives
inputs tried, crashes found and where they were saved; the exit status is 1 when any crash
was found. Turn each into a case in tests/test_regressions.py.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from specver.api import diff, diff_view
from specver.errors import InputError
from specver.fork.compare import compare_fork, merge_fork
from specver.release.changelog import build_entry, insert_entry
from specver.render import (
    DIFF_RENDERERS,
    FORK_RENDERERS,
    IMPACT_RENDERERS,
    RenderOptions,
    render,
)
from specver.report.impact import assess_impact
from specver.spec.model import SpecDiff
from specver.spec.parse import parse
from tests.strategies import (
    any_text,
    gen_specs,
    mutate,
    mutation_plans,
    noisy_text,
    render_spec,
    spec_pairs,
)


class TimeUp(HypothesisException):
    """Raised inside the target to end the run when its time or its inputs are spent."""


@dataclass
class Run:
    """What one fuzzing run tried and found."""

    deadline: float
    out: Path
    limit: float = float("inf")
    """Stop after this many inputs (the test suite's bound: it never depends on speed)."""
    tried: int = 0
    refused: int = 0
    crashes: list[Path] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def save(
        self, old: str, new: str | None, error: BaseException, fork: str | None = None
    ) -> None:
        """Keep one copy of each distinct crash (by exception type and place)."""
        tb = traceback.extract_tb(error.__traceback__)
        where = f"{type(error).__name__}:{tb[-1].filename}:{tb[-1].lineno}" if tb else ""
        key = hashlib.sha256(where.encode()).hexdigest()[:12]
        if key in self.seen:
            return
        self.seen.add(key)
        self.out.mkdir(parents=True, exist_ok=True)
        n = len(self.crashes) + 1
        path = self.out / f"crash-{n}.md"
        path.write_text(old, encoding="utf-8", errors="surrogateescape")
        for suffix, text in (("new", new), ("fork", fork)):
            if text is not None:
                (self.out / f"crash-{n}-{suffix}.md").write_text(
                    text, encoding="utf-8", errors="surrogateescape"
                )
        text = "".join(traceback.format_exception(error))
        (self.out / f"crash-{n}.txt").write_text(text, encoding="utf-8")
        self.crashes.append(path)


def exercise(run: Run, old: str, new: str | None, fork: str | None = None) -> None:
    """Parse, then diff and render a pair, and run the commands on it (fork and merge for a
    triple); record anything but InputError as a crash."""
    if run.tried >= run.limit or time.monotonic() > run.deadline:
        raise TimeUp
    run.tried += 1
    try:
        a = parse(old, source="old.md")
        b = parse(old, source="same.md") if new is None else parse(new, source="new.md")
        result = diff(a, b)
        for fmt in DIFF_RENDERERS:
            render(DIFF_RENDERERS, fmt, diff_view(result, fmt), RenderOptions())
        if fork is not None and new is not None:
            fork_and_merge(old, new, fork)
        elif new is not None:
            commands_on(result)
    except InputError:
        run.refused += 1
    except Exception as error:
        run.save(old, new, error, fork)


CHANGELOG = "# Changelog\r\n\r\n## [Unreleased]\r\n\r\n## [0.1.0] - 2025-01-01\r\n\r\n- First.\r\n"


def commands_on(result: SpecDiff) -> None:
    """The changelog entry (inserted twice equals once) and the impact in every format."""
    if result.changes:
        entry = build_entry(result, "9.0.0", "2026-06-01")
        once = insert_entry(CHANGELOG, entry)
        if insert_entry(once, entry) != once:
            raise AssertionError("changelog --write twice differs from once")
    for audience in ("all", "regulators"):
        assessed = assess_impact(result, None, audience)
        for fmt in IMPACT_RENDERERS:
            render(IMPACT_RENDERERS, fmt, assessed, RenderOptions())


def fork_and_merge(base: str, upstream: str, fork: str) -> None:
    """The fork report in every format, and a merge whose output parses."""
    report = compare_fork(
        parse(base, source="base.md"),
        parse(upstream, source="up.md"),
        parse(fork, source="fork.md"),
    )
    for fmt in FORK_RENDERERS:
        render(FORK_RENDERERS, fmt, report, RenderOptions())
    merged = merge_fork(report, upstream, fork)
    parse(merged.text, source="merged.md")


def fuzz(seconds: float, out: Path, inputs: float = float("inf")) -> Run:
    """Run every target in turn until `seconds` have passed or `inputs` have been tried,
    each target getting an equal share of what is left of either."""
    run = Run(deadline=time.monotonic() + seconds, out=out)
    profile = settings(
        max_examples=10_000_000,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    @profile
    @given(any_text())
    def single(text: str) -> None:
        exercise(run, text, None)

    @profile
    @given(spec_pairs())
    def pairs(pair: tuple[str, str]) -> None:
        exercise(run, pair[0], pair[1])

    @profile
    @given(noisy_text(), noisy_text())
    def noisy_pairs(old: str, new: str) -> None:
        exercise(run, old, new)

    @profile
    @given(st.data())
    def triples(data: st.DataObject) -> None:
        base = data.draw(gen_specs())
        up = mutate(base, data.draw(mutation_plans(base)), seed=data.draw(st.integers(0, 99)))
        fork = mutate(base, data.draw(mutation_plans(base)), seed=data.draw(st.integers(0, 99)))
        exercise(run, render_spec(base), render_spec(up), render_spec(fork))

    @profile
    @given(noisy_text(), noisy_text(), noisy_text())
    def noisy_triples(base: str, up: str, fork: str) -> None:
        exercise(run, base, up, fork)

    targets = (single, pairs, noisy_pairs, triples, noisy_triples)
    end = run.deadline
    for k, target in enumerate(targets):
        left = end - time.monotonic()
        run.deadline = time.monotonic() + left / (len(targets) - k)
        run.limit = run.tried + (inputs - run.tried) // (len(targets) - k)
        try:
            target()
        except TimeUp:
            continue
    return run


def main(argv: list[str] | None = None) -> int:
    """Command line: run for `--seconds`, print the report, exit 1 when anything crashed."""
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0, help="time budget (default 60)")
    parser.add_argument(
        "--inputs", type=int, default=None, help="stop after this many inputs (default: no limit)"
    )
    parser.add_argument("--out", type=Path, default=Path(".fuzz-crashes"), help="crash folder")
    args = parser.parse_args(argv)
    started = time.monotonic()
    inputs = float("inf") if args.inputs is None else args.inputs
    run = fuzz(args.seconds, args.out, inputs)
    elapsed = time.monotonic() - started
    print(f"specver fuzz: {run.tried} inputs in {elapsed:.0f} s", file=sys.stderr)
    print(f"  refused with InputError: {run.refused}", file=sys.stderr)
    print(f"  crashes found: {len(run.crashes)}", file=sys.stderr)
    for path in run.crashes:
        print(f"  saved: {path} (traceback in {path.with_suffix('.txt')})", file=sys.stderr)
    return 1 if run.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
