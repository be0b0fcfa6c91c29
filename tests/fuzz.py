"""Fuzz the parser, the diff, the commands built on it, the configuration reader, git
revisions and history cache records, for a bounded time or a fixed number of inputs:
`python -m tests.fuzz [--seconds N | --inputs N]`.

Hypothesis drives the inputs (random unicode, decoded bytes, spec syntax noise, generated
specs and mutated pairs and triples). Every input must parse or be refused with specver's
InputError; every pair must diff and render in every format, give a
changelog entry that inserts into a changelog twice as once, and an impact in every
format; every triple (base, upstream, fork) must give a fork report in every format and a
merge that parses. Every `.specver.yaml` text must give a Config or a ConfigError; every
revision must resolve in a small repository or be refused with SourceError; every cache
record (a real one with fields replaced by values of other types) must load as a miss or
as a spec that diffs and renders.
A crash is saved to `--out` (default `.fuzz-crashes/`) as `crash-<n>.md` (with
`crash-<n>-new.md` and `crash-<n>-fork.md` for pairs and triples) with the traceback in
`crash-<n>.txt`, and the run goes on until the time is up. The report gives
inputs tried, crashes found and where they were saved; the exit status is 1 when any crash
was found. Turn each into a case in tests/test_regressions.py.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from specver.api import diff, diff_view
from specver.config import BUMP_LEVELS, parse_config
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
from specver.report.views import impact_view
from specver.spec.model import SpecDiff
from specver.spec.parse import parse
from tests.strategies import (
    any_text,
    damaged,
    gen_specs,
    mutate,
    mutation_plans,
    noisy_text,
    record_damage,
    render_spec,
    revisions,
    spec_pairs,
    yaml_texts,
)


class TimeUp(HypothesisException):
    """Raised inside the target to end the run when the time budget is spent."""


@dataclass
class Run:
    """What one fuzzing run tried and found."""

    deadline: float
    out: Path
    quota: float = float("inf")
    """Inputs after which the current target ends (a fixed-size run), else the deadline."""
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
    _count(run)
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


def _count(run: Run) -> None:
    """Count one input, or end the target when its time or its share of inputs is spent."""
    if time.monotonic() > run.deadline or run.tried >= run.quota:
        raise TimeUp
    run.tried += 1


def attempt(run: Run, text: str, check: Callable[[], object]) -> None:
    """Run one check on one input (config text, revision, cache record); anything but an
    InputError is a crash, saved with `text` as its input."""
    _count(run)
    try:
        check()
    except InputError:
        run.refused += 1
    except Exception as error:
        run.save(text, None, error)


def check_config(text: str) -> None:
    """A `.specver.yaml` text reads as a Config whose fields have their types, or refuses."""
    cfg = parse_config(text)
    assert all(isinstance(level, str) for level in cfg.scheme.levels)
    assert all(isinstance(k, str) and v in BUMP_LEVELS for k, v in cfg.bump_overrides.items())
    assert cfg.version is None or isinstance(cfg.version, str)


def make_repo(folder: Path) -> Path:
    """A small repository: two commits of spec.md with an examples/ folder, a tag v1.0.0."""
    import subprocess

    env = {
        **{f"GIT_{w}_{p}": "f" for w in ("AUTHOR", "COMMITTER") for p in ("NAME", "EMAIL")},
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(folder),
    }

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)

    folder.mkdir(parents=True, exist_ok=True)
    git("init", "-q", "-b", "main")
    (folder / "examples").mkdir()
    (folder / "examples" / "a.md").write_text("Examples for [^a] in A:\n")
    for k, text in enumerate(("helps", "must help")):
        (folder / "spec.md").write_text(f"# A {{#a authority=user}}\n\nThe assistant {text}.\n")
        git("add", "-A")
        git("commit", "-q", "-m", f"c{k}")
        if k == 0:
            git("tag", "v1.0.0")
    return folder


def check_revision(repo: Path, rev: str) -> None:
    """A revision names a commit or is refused; `REV:spec.md` reads or is refused."""
    from specver.spec.sources.git import open_repo, read_revision, resolve_commit

    commit = resolve_commit(open_repo(repo), rev)
    assert len(commit.hexsha) == 40
    read_revision(f"{rev}:spec.md", repo=repo)


SAMPLE_OLD = (
    "# A {#a authority=user}\n\nThe assistant must help.[^a]\n\n"
    "**Example**: one\n\n~~~xml\n<user>Hi</user>\n<assistant> <!-- GOOD: ok -->\nHello\n"
    "</assistant>\n~~~\n\n# B {#b authority=root}\n\nNever lie.\n"
)
SAMPLE_NEW = SAMPLE_OLD.replace("must", "should").replace("GOOD", "BAD").replace("root", "user")


def cache_file(folder: Path) -> tuple[Path, object]:
    """A real history cache file (an outline per blob and one step), and its JSON."""
    import json

    from specver.config import Config
    from specver.diff.compare import diff as real_diff
    from specver.history.cache import HistoryCache
    from specver.spec.parse import parse as real_parse  # not the name a test may replace

    old, new = real_parse(SAMPLE_OLD, source="old.md"), real_parse(SAMPLE_NEW, source="new.md")
    result = real_diff(old, new)
    outline_old = (tuple(p.id for p in old), tuple(p.title for p in old), len(old))
    outline_new = (tuple(p.id for p in new), tuple(p.title for p in new), len(new))
    cache = HistoryCache(folder, Config())
    cache.store_outline("0" * 40, outline_old)
    cache.store_outline("1" * 40, outline_new)
    cache.store_step(
        "0" * 40, "1" * 40, outline_old, outline_new, (result.pairs, result.changes, result.bump)
    )
    cache.save()
    path = cache.path
    assert path is not None and path.is_file()
    return path, json.loads(path.read_text(encoding="utf-8"))


def check_cache_record(folder: Path, record: object) -> None:
    """A damaged cache file loads as misses, or as records of the right types that describe."""
    import json

    from specver.config import BUMP_LEVELS, Config
    from specver.diff.kinds import describe
    from specver.history.cache import HistoryCache

    path, _base = cache_file(folder)
    path.write_text(json.dumps(record), encoding="utf-8")
    cache = HistoryCache(folder, Config())
    outlines = [cache.outline(blob) for blob in ("0" * 40, "1" * 40)]
    for outline in outlines:
        if outline is not None:
            assert all(isinstance(x, str) for x in (*outline[0], *outline[1]))
    if outlines[0] is not None and outlines[1] is not None:
        found = cache.step("0" * 40, "1" * 40, outlines[0], outlines[1])
        if found is not None:
            pairs, changes, bump = found
            assert all(isinstance(p.old, str) and isinstance(p.new, str) for p in pairs)
            assert bump in BUMP_LEVELS and all(c.level in BUMP_LEVELS for c in changes)
            for change in changes:
                describe(change)


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
            render(IMPACT_RENDERERS, fmt, impact_view(assessed, fmt), RenderOptions())


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


def fuzz(seconds: float | None, out: Path, inputs: int | None = None) -> Run:
    """Run every target in turn until `seconds` have passed, or on exactly `inputs` inputs
    shared between the targets (a run that does not depend on the machine's speed)."""
    import tempfile

    start = time.monotonic()
    run = Run(deadline=float("inf") if seconds is None else start + seconds, out=out)
    scratch = Path(tempfile.mkdtemp(prefix="specver-fuzz-"))
    repo = make_repo(scratch / "repo")
    (scratch / "git").mkdir()
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

    @profile
    @given(st.one_of(yaml_texts(), any_text()))
    def configs(text: str) -> None:
        attempt(run, text, partial(check_config, text))

    @profile
    @given(revisions())
    def revs(rev: str) -> None:
        attempt(run, rev, partial(check_revision, repo, rev))

    (scratch / "base").mkdir()
    _path, base_record = cache_file(scratch / "base")

    @profile
    @given(record_damage())
    def records(plan: list[tuple[int, object]]) -> None:
        import json

        record = damaged(base_record, plan)
        attempt(run, json.dumps(record), partial(check_cache_record, scratch / "git", record))

    try:
        every = (single, pairs, noisy_pairs, triples, noisy_triples, configs, revs, records)
        _run_targets(run, every, inputs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return run


def _run_targets(run: Run, targets: tuple[Callable[[], None], ...], inputs: int | None) -> None:
    """Each target in turn, with an equal share of the inputs and of the time left."""
    end = run.deadline
    for k, target in enumerate(targets):
        if inputs is not None:
            run.quota = run.tried + (inputs - run.tried) // (len(targets) - k)
        left = end - time.monotonic()
        run.deadline = time.monotonic() + left / (len(targets) - k)
        try:
            target()
        except TimeUp:
            continue


def main(argv: list[str] | None = None) -> int:
    """Command line: run for `--seconds`, print the report, exit 1 when anything crashed."""
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument(
        "--seconds", type=float, default=None, help="time budget (default 60 without --inputs)"
    )
    parser.add_argument(
        "--inputs", type=int, default=None, help="stop after this many inputs (default: no limit)"
    )
    parser.add_argument("--out", type=Path, default=Path(".fuzz-crashes"), help="crash folder")
    args = parser.parse_args(argv)
    started = time.monotonic()
    seconds = 60.0 if args.seconds is None and args.inputs is None else args.seconds
    run = fuzz(seconds, args.out, args.inputs)
    elapsed = time.monotonic() - started
    print(f"specver fuzz: {run.tried} inputs in {elapsed:.0f} s", file=sys.stderr)
    print(f"  refused with InputError: {run.refused}", file=sys.stderr)
    print(f"  crashes found: {len(run.crashes)}", file=sys.stderr)
    for path in run.crashes:
        print(f"  saved: {path} (traceback in {path.with_suffix('.txt')})", file=sys.stderr)
    return 1 if run.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
