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
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from specver.render import DIFF_RENDERERS, RenderOptions, render

if TYPE_CHECKING:
    from specver.config import Config
    from specver.errors import SpecverError
    from specver.spec.model import Spec


def report_error(exc: SpecverError) -> int:
    """The one place a specver error becomes a stderr line (`specver: error: ...`) and a status."""
    from specver.display import display

    message = display(" ".join(str(exc.message).split()), one_line=True)
    sys.stderr.write(f"specver: {exc.label}: {message}\n")
    return exc.exit_code


def render_options(output: Path | None = None, *, show_all: bool = False) -> RenderOptions:
    """Colour only on a terminal without NO_COLOR; width from the terminal."""
    tty = output is None and sys.stdout is not None and sys.stdout.isatty()
    color = tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    width = 100
    if tty:
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns
    return RenderOptions(color=color, width=max(60, width), show_all=show_all)


def input_paths(*args: str | Path | None) -> tuple[Path, ...]:
    """The files among a command's inputs (SPEC arguments that are not REV:PATH, --config),
    which its --output must never overwrite."""
    from specver.spec.sources.file import is_revision

    return tuple(
        Path(arg)
        for arg in args
        if arg is not None and (isinstance(arg, Path) or not is_revision(arg))
    )


def emit(text: str, output: Path | None = None, inputs: Iterable[Path] = ()) -> None:
    """Write rendered output to stdout, or atomically to the file the user named (never onto
    one of the command's `inputs`, a device, a FIFO or a read-only file: see `atomic`)."""
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

    write_text_atomic(output, text, inputs=inputs)


def config_for(path: Path | None) -> Config:
    """The configuration named by --config, or the one found upward from the current folder."""
    from specver.config import load_config

    return load_config(path)


def load_spec(arg: str, repo: Path | None) -> Spec:
    """Load one SPEC argument (file or REV:PATH)."""
    from specver.api import load

    return load(arg, repo=repo)


def diff_status(
    old: str,
    new: str,
    fmt: str = "text",
    output: Path | None = None,
    fail_on: str | None = None,
    repo: Path | None = None,
    config: Path | None = None,
) -> int:
    """`specver diff`: render the comparison and return its exit status (0 or 1)."""
    from specver.api import diff as diff_specs
    from specver.config import BUMP_LEVELS

    cfg = config_for(config)
    result = diff_specs(load_spec(old, repo), load_spec(new, repo), cfg)
    note_config(cfg)  # after the diff, which refuses an override naming no change kind
    options = replace(render_options(output), scheme=cfg.scheme)
    emit(render(DIFF_RENDERERS, fmt, result, options), output, input_paths(old, new, cfg.path))
    if fail_on is None:
        return 1 if result.changes else 0
    return 1 if BUMP_LEVELS.index(result.bump) >= BUMP_LEVELS.index(fail_on) else 0


def note_config(cfg: Config) -> None:
    """Say on stderr which configuration changes bump levels, so a planted or forgotten
    `.specver.yaml` can never quietly lower what `--fail-on` sees."""
    if not cfg.bump_overrides:
        return
    from specver.display import display

    levels = ", ".join(f"{kind}: {level}" for kind, level in sorted(cfg.bump_overrides.items()))
    where = display(str(cfg.path or "the configuration"), one_line=True)
    sys.stderr.write(f"specver: note: bump levels from {where}: {display(levels, one_line=True)}\n")


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
        return diff_status(old, new, fmt)
    except SpecverError as exc:
        return report_error(exc)
    except KeyboardInterrupt:
        sys.stderr.write("specver: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
