"""The pathological table: each dimension a hostile input can grow, at two sizes.

For every dimension of issue 20 (examples per policy, answers per example, words in one
rewritten paragraph, sentences, tags in one attribute block, footnotes, backtick runs, the
size of `.specver.yaml`) the generator writes an old and a new spec of size N and of 2N,
and a child process times `specver diff --format json` on them after its imports (the work,
not the start-up). The growth is the ratio of the two times: near-linear code doubles, and
the target is at most 2.5x per doubling. A dimension specver bounds with a one-line refusal
(exit 2) is shown as refused, with the message.

`python -m bench.pathological [--scale F]` prints the table alone; `make bench` includes it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GROWTH_TARGET = 2.5
"""At most this many times longer for twice the input."""
_WORD_LIST = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "sigma tau upsilon phi chi psi omega assistant user developer answer policy request"
)
WORDS = tuple(_WORD_LIST.split(" "))
HEAD = "# Policy {#p authority=user}\n\n"


def _words(count: int, seed: int) -> str:
    pick = random.Random(seed).choice
    return " ".join(pick(WORDS) for _ in range(count))


def examples_per_policy(n: int) -> tuple[str, str, str | None]:
    """One policy with `n` worked examples, each edited in the new version."""

    def spec(tag: str) -> str:
        parts = [HEAD + "The assistant must help.\n"]
        for k in range(n):
            parts.append(
                f"**Example**: case {k}\n\n~~~xml\n<user>question {k} {tag}</user>\n"
                f"<assistant> <!-- GOOD: helps -->\nanswer {k} {tag}\n</assistant>\n~~~\n"
            )
        return "\n".join(parts)

    return spec("old"), spec("new"), None


def answers_per_example(n: int) -> tuple[str, str, str | None]:
    """One example with `n` judged answers; a third of the verdicts change."""

    def spec(shift: int) -> str:
        body = "".join(
            f"<assistant> <!-- {'GOOD' if (k + shift) % 3 else 'BAD'}: why -->\n"
            f"answer {k} {_words(6, k)}\n</assistant>\n"
            for k in range(n)
        )
        return (
            HEAD + "The assistant must help.\n\n**Example**: one\n\n~~~xml\n<user>q</user>\n"
            f"<comparison>\n{body}</comparison>\n~~~\n"
        )

    return spec(0), spec(1), None


def words_in_a_paragraph(n: int) -> tuple[str, str, str | None]:
    """One paragraph of `n` words, rewritten (other words throughout)."""
    return HEAD + _words(n, 1) + ".\n", HEAD + _words(n, 2) + ".\n", None


def sentences(n: int) -> tuple[str, str, str | None]:
    """`n` sentences in one policy, each one's rule strength changed."""
    old = " ".join(f"The assistant must do thing {k}." for k in range(n))
    new = " ".join(f"The assistant should do thing {k}." for k in range(n))
    return HEAD + old + "\n", HEAD + new + "\n", None


def tags_in_a_block(n: int) -> tuple[str, str, str | None]:
    """One heading with `n` tags in its attribute block; one tag replaced."""
    old = ",".join(f"t{k}" for k in range(n))
    new = ",".join(f"t{k}" for k in range(1, n + 1))
    return (
        f"# Policy {{#p authority=user tags={old}}}\n\nText.\n",
        f"# Policy {{#p authority=user tags={new}}}\n\nText.\n",
        None,
    )


def footnotes(n: int) -> tuple[str, str, str | None]:
    """`n` footnote marks in one policy, every one renumbered."""
    old = " ".join(f"Rule [^e{k}]." for k in range(n))
    new = " ".join(f"Rule [^e{k + 1}]." for k in range(n))
    return HEAD + old + "\n", HEAD + new + "\n", None


def backtick_runs(n: int) -> tuple[str, str, str | None]:
    """One line of about `n` bytes of backtick runs of every length up to 7."""
    line = "".join("`" * (k % 7 + 1) + "x" for k in range(n // 5))
    return HEAD + line + "\n", HEAD + line + " y\n", None


def config_size(n: int) -> tuple[str, str, str | None]:
    """A `.specver.yaml` of about `n` bytes (comments and a bump table)."""
    lines = ["bump:", "  policy_added: minor"]
    size = sum(len(x) + 1 for x in lines)
    k = 0
    while size < n:
        line = f"# note {k} " + "x" * 60
        lines.append(line)
        size += len(line) + 1
        k += 1
    spec = HEAD + "The assistant must help.\n"
    return spec, spec.replace("must", "should"), "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Dimension:
    """One dimension of the table: its name, the smaller size, and the generator."""

    name: str
    size: int
    unit: str
    build: Callable[[int], tuple[str, str, str | None]]


DIMENSIONS = (
    Dimension("examples per policy", 5_000, "examples", examples_per_policy),
    Dimension("answers per example", 4_000, "answers", answers_per_example),
    Dimension("words in one rewritten paragraph", 20_000, "words", words_in_a_paragraph),
    Dimension("sentences", 50_000, "sentences", sentences),
    Dimension("tags in one attribute block", 10_000, "tags", tags_in_a_block),
    Dimension("footnotes", 50_000, "footnotes", footnotes),
    Dimension("backtick runs on one line", 500_000, "bytes", backtick_runs),
    Dimension("config size", 384 * 1024, "bytes", config_size),
    Dimension("config size, over the limit", 11 * 1024 * 1024, "bytes", config_size),
)


@dataclass(frozen=True)
class Measured:
    """One run: seconds of work, or the refusal line, or a timeout."""

    seconds: float | None
    refusal: str | None = None
    timed_out: bool = False


@dataclass(frozen=True)
class Row:
    """A dimension at its two sizes."""

    dimension: Dimension
    size: int
    """N, the smaller size measured."""
    small: Measured
    large: Measured

    @property
    def growth(self) -> float | None:
        """How many times longer the doubled input took."""
        if self.small.seconds and self.large.seconds:
            return self.large.seconds / self.small.seconds
        return None

    @property
    def met(self) -> bool:
        """Growth within the target, or a one-line refusal at both sizes."""
        if self.small.refusal and self.large.refusal:
            return True
        return self.growth is not None and self.growth <= GROWTH_TARGET


CHILD = """
import contextlib, io, json, sys, time
from specver.__main__ import main
import specver.cli.app  # imports done before the clock starts
args = sys.argv[1:]
err = io.StringIO()
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
    start = time.perf_counter()
    code = main(args)
    seconds = time.perf_counter() - start
print(json.dumps({"code": code, "seconds": seconds, "err": err.getvalue()}))
"""


def measure(folder: Path, dim: Dimension, size: int, timeout: float) -> Measured:
    """Write the inputs of one size and time the diff on them in a child process."""
    old, new, config = dim.build(size)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "old.md").write_text(old, encoding="utf-8")
    (folder / "new.md").write_text(new, encoding="utf-8")
    args = ["diff", str(folder / "old.md"), str(folder / "new.md"), "--format", "json"]
    if config is not None:
        (folder / "specver.yaml").write_text(config, encoding="utf-8")
        args += ["--config", str(folder / "specver.yaml")]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return Measured(None, timed_out=True)
    try:
        result = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return Measured(None, refusal=f"crashed: {done.stderr.strip()[-200:]}")
    if result["code"] == 2:
        return Measured(None, refusal=result["err"].strip())
    return Measured(float(result["seconds"]))


def run_pathological(cache: Path, *, timeout: float = 300.0, scale: float = 1.0) -> list[Row]:
    """Every dimension at its size and at twice its size (sizes times `scale`)."""
    rows = []
    for dim in DIMENSIONS:
        size = max(1, int(dim.size * scale))
        where = cache / "pathological" / dim.name.replace(" ", "-").replace(",", "")
        small = measure(where / "small", dim, size, timeout)
        large = measure(where / "large", dim, 2 * size, timeout)
        rows.append(Row(dim, size, small, large))
    return rows


def _cell(m: Measured) -> str:
    if m.timed_out:
        return "timed out"
    if m.refusal is not None:
        return "refused"
    return f"{m.seconds:.2f} s"


def render_table(rows: list[Row]) -> str:
    """The Markdown table, with the refusals quoted below it."""
    lines = [
        f"### Pathological inputs (growth per doubling; target ≤ {GROWTH_TARGET}× or a refusal)",
        "",
        "| Dimension | N | Time at N | Time at 2N | Growth | Result |",
        "|---|---|---|---|---|---|",
    ]
    notes = []
    for row in rows:
        growth = f"{row.growth:.2f}×" if row.growth is not None else "–"
        result = "met" if row.met else "missed"
        if row.small.refusal and row.large.refusal:
            result = "refused (exit 2)"
            notes.append(f"- {row.dimension.name}: `{row.large.refusal}`")
        lines.append(
            f"| {row.dimension.name} | {row.size:,} {row.dimension.unit} | "
            f"{_cell(row.small)} | {_cell(row.large)} | {growth} | {result} |"
        )
    if notes:
        lines += ["", *notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the pathological table (`--scale` shrinks or grows every size)."""
    parser = argparse.ArgumentParser(prog="python -m bench.pathological", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--cache", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = run_pathological(args.cache, timeout=args.timeout, scale=args.scale)
    sys.stdout.write(render_table(rows))
    sys.stderr.write(f"bench.pathological: {time.perf_counter() - started:.0f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
