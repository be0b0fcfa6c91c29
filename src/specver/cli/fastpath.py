"""The CLI's framework-free core, and a fast path for the call hooks and CI make most.

`specver diff OLD NEW [--format F]` runs in pre-commit hooks and on every pull request, so
it must start fast. Importing typer (and the pydantic and click machinery it brings) costs
more than the diff of a real spec, so `__main__` hands exactly that simple form of the
command to `run_fast_diff` and everything else to the typer app in `cli`. Both paths call
the same `diff_status`, so output and exit statuses are the same whichever path runs.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from specver.render import DIFF_RENDERERS, RenderOptions, render

if TYPE_CHECKING:
    from specver.config import Config
    from specver.errors import SpecverError
    from specver.spec.model import Spec, SpecDiff


def report_error(exc: SpecverError) -> int:
    """The one place a specver error becomes a stderr line (`specver: error: ...`) and a status."""
    message = " ".join(str(exc.message).split())
    sys.stderr.write(f"specver: {exc.label}: {message}\n")
    return exc.exit_code


COLOR_CHOICES = ("auto", "always", "never")
"""`--color` choices: auto colours only a terminal without NO_COLOR (or TERM=dumb)."""


def render_options(
    output: Path | None = None, *, show_all: bool = False, color: str = "auto"
) -> RenderOptions:
    """Colour as `--color` says (auto: only on a terminal without NO_COLOR); terminal width."""
    tty = output is None and sys.stdout is not None and sys.stdout.isatty()
    wanted = tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    if color != "auto":
        wanted = color == "always"
    width = 100
    if tty:
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns
    return RenderOptions(color=wanted, width=max(60, width), show_all=show_all)


def emit(text: str, output: Path | None = None) -> None:
    """Write rendered output to stdout, or atomically to the file the user named."""
    if output is None:
        from specver.errors import OutputError

        if sys.stdout is None:  # started with its standard output closed
            raise OutputError("cannot write the output: standard output is closed")
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader left early (`| head`): not an error, see run_fast_diff
        except (OSError, ValueError) as exc:  # a full disk, an encoding that lacks a character
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise OutputError(f"cannot write the output: {reason}") from None
        return
    from specver.atomic import write_text_atomic

    write_text_atomic(output, text)


def config_for(path: Path | None) -> Config:
    """The configuration named by --config, or the one found upward from the current folder."""
    from specver.config import load_config

    return load_config(path)


def load_spec(arg: str, repo: Path | None) -> Spec:
    """Load one SPEC argument (file or REV:PATH)."""
    from specver.api import load

    return load(arg, repo=repo)


@dataclass(frozen=True, slots=True)
class DiffRequest:
    """What `specver diff` was asked for beyond the two specs."""

    fmt: str = "text"
    output: Path | None = None
    fail_on: str | None = None
    repo: Path | None = None
    config: Path | None = None
    accept: Path | None = None
    """`--accept FILE`; None: the config's `accept:`, if any."""
    write_accept: Path | None = None
    """`--write-accept FILE`: write the changes as accept entries with empty reasons."""
    stat: bool = False
    """`--stat`: one line per policy."""
    color: str = "auto"


def diff_status(old: str, new: str, request: DiffRequest | None = None) -> int:
    """`specver diff`: render the comparison and return its exit status (0 or 1).

    Accepted changes are shown but count neither for `--fail-on` nor for the status.
    """
    from specver.api import diff as diff_specs
    from specver.render import DIFF_STAT_RENDERERS

    req = request or DiffRequest()
    cfg = config_for(req.config)
    result = accepted(diff_specs(load_spec(old, req.repo), load_spec(new, req.repo), cfg), cfg, req)
    options = replace(
        render_options(req.output, color=req.color), scheme=cfg.scheme, fail_on=req.fail_on
    )
    registry = DIFF_STAT_RENDERERS if req.stat else DIFF_RENDERERS
    text = render(registry, req.fmt, result, options)
    if req.write_accept is not None:
        write_accept_file(req.write_accept, result, cfg, req)
    emit(text, req.output)
    if req.fmt == "github" and not req.stat:
        append_step_summary(result, options)
    return diff_exit_status(result, req.fail_on)


def accepted(result: SpecDiff, cfg: Config, req: DiffRequest) -> SpecDiff:
    """The diff with the changes in force accept entries cover marked; warnings on stderr."""
    from datetime import date

    from specver.api import accept, accept_entries

    lenient = req.write_accept is not None  # blank reasons are what is being filled in
    entries = accept_entries(cfg, req.accept, allow_blank_reasons=lenient)
    if not entries:
        return result
    outcome = accept(result, tuple(e for e in entries if e.reason), date.today())
    for warning in outcome.warnings:
        sys.stderr.write(f"specver: warning: {warning}\n")
    return outcome.diff


def write_accept_file(path: Path, result: SpecDiff, cfg: Config, req: DiffRequest) -> None:
    """`--write-accept FILE`: every change as an entry, keeping reasons already given."""
    from specver.api import accept_entries
    from specver.atomic import write_text_atomic
    from specver.config import load_accept_file
    from specver.diff.accept import accept_file_text

    known = accept_entries(cfg, req.accept, allow_blank_reasons=True)
    if path.is_file():
        known = load_accept_file(path, allow_blank_reasons=True) + known
    write_text_atomic(path, accept_file_text(result, known))
    count = len({c.fingerprint for c in result.changes})
    sys.stderr.write(f"specver: wrote {count} entries to {path}; fill in each reason\n")


def append_step_summary(result: SpecDiff, options: RenderOptions) -> None:
    """With `--format github` in GitHub Actions, add the Markdown report to the job summary."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from specver.atomic import write_text_atomic
    from specver.errors import OutputError

    summary = render(DIFF_RENDERERS, "markdown", result, replace(options, color=False))
    path = Path(target)
    try:
        before = path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"cannot read GITHUB_STEP_SUMMARY {target}: {exc}") from None
    # Appended as GitHub asks, but written whole and atomically like every specver output.
    gap = "\n" if before and not before.endswith("\n") else ""
    write_text_atomic(path, before + gap + summary)


def diff_exit_status(result: SpecDiff, fail_on: str | None) -> int:
    """1 when an unaccepted change is found (at `fail_on` or above, when given), else 0."""
    from specver.config import BUMP_LEVELS
    from specver.diff.accept import failing_level, unaccepted

    if fail_on is None:
        return 1 if unaccepted(result.changes) else 0
    return 1 if BUMP_LEVELS.index(failing_level(result)) >= BUMP_LEVELS.index(fail_on) else 0


def simple_diff_args(args: list[str]) -> tuple[str, str, str] | None:
    """(old, new, format) when `args` is `diff OLD NEW` with at most a `--format`; else None.

    Anything else (other options, `--help`, `--`, arguments that start with a dash, a
    missing or extra argument) is left to the full CLI, which parses and reports it.
    """
    if not args or args[0] != "diff":
        return None
    fmt = "text"
    positional: list[str] = []
    rest = iter(args[1:])
    for arg in rest:
        if arg in ("--format", "-f"):
            value = next(rest, None)
            if value is None or value.startswith("-"):
                return None
            fmt = value
        elif arg.startswith("--format="):
            fmt = arg.partition("=")[2]
        elif arg.startswith("-") or len(positional) == 2:
            return None
        else:
            positional.append(arg)
    if len(positional) != 2:
        return None
    return positional[0], positional[1], fmt


def leave(status: int) -> NoReturn:
    """End a one-shot process now: flush its output, and skip tearing down the specs and
    tokens it built (freeing them one by one takes longer than rendering the diff)."""
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError, AttributeError):  # gone, failed or never open
            stream.flush()
    os._exit(status)


def run_fast_diff(old: str, new: str, fmt: str) -> int:
    """Run `specver diff OLD NEW --format FMT` and map errors as the full CLI's `run` does."""
    from specver.errors import SpecverError

    try:
        return diff_status(old, new, DiffRequest(fmt=fmt))
    except SpecverError as exc:
        return report_error(exc)
    except KeyboardInterrupt:
        sys.stderr.write("specver: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
