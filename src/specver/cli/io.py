"""The terminal edge of the CLI: where output goes, how it looks, and the stderr console.

Data goes to stdout (or atomically to the file the user named); notes, warnings, progress
and errors go to stderr through one `rich` console. Colour only on a terminal, never with
NO_COLOR set or TERM=dumb; width from the terminal, 100 columns elsewhere.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from specver.errors import OutputError
from specver.render import RenderOptions

if TYPE_CHECKING:
    from rich.console import Console

    from specver.config import Config

DEFAULT_WIDTH = 100
MIN_WIDTH = 60


def colour_allowed() -> bool:
    """Whether the environment allows colour at all (no NO_COLOR, a TERM that is not dumb)."""
    return "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def stdout_is_terminal() -> bool:
    """Whether standard output is open and a terminal."""
    return sys.stdout is not None and sys.stdout.isatty()


def render_options(
    output: Path | None = None, *, show_all: bool = False, color: str = "auto"
) -> RenderOptions:
    """How output looks: terminal width only when it goes to a terminal; colour as `--color`
    says (`auto`: only on a terminal that allows it, `always`, `never`)."""
    tty = output is None and stdout_is_terminal()
    width = DEFAULT_WIDTH
    if tty:
        import shutil

        width = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    wanted = tty and colour_allowed() if color == "auto" else color == "always"
    return RenderOptions(color=wanted, width=max(MIN_WIDTH, width), show_all=show_all)


def input_paths(*args: str | Path | None) -> tuple[Path, ...]:
    """The files among a command's inputs (SPEC arguments that are not REV:PATH, --config),
    which its --output must never overwrite."""
    from specver.api import is_revision

    return tuple(
        Path(arg)
        for arg in args
        if arg is not None and (isinstance(arg, Path) or not is_revision(arg))
    )


def emit(text: str, output: Path | None = None, inputs: Iterable[Path] = ()) -> None:
    """Write rendered output to stdout, or atomically to the file the user named (never onto
    one of the command's `inputs`, a device, a FIFO or a read-only file: `specver.atomic`).

    Output that cannot be written (a closed stdout, a full disk, an encoding without a
    character the text holds) is an OutputError; a reader that left early (`| head`) is a
    BrokenPipeError for the caller to end quietly on.
    """
    if output is not None:
        from specver.atomic import write_text_atomic

        write_text_atomic(output, text, inputs=inputs)
        return
    if sys.stdout is None:  # started with its standard output closed
        raise OutputError("cannot write the output: standard output is closed")
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:  # a full disk, an encoding that lacks a character
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise OutputError(f"cannot write the output: {reason}") from None


def stderr_console() -> Console:
    """The console for everything that is not data: on stderr, colour only where allowed."""
    from rich.console import Console

    return Console(stderr=True, no_color=not colour_allowed(), highlight=False, emoji=False)


def note(text: str) -> None:
    """One or more lines of progress, explanation or warning on stderr, never wrapped."""
    if sys.stderr is None:
        return
    stderr_console().print(text.rstrip("\n"), markup=False, soft_wrap=True)


def error_line(label: str, message: str) -> None:
    """The one line an error becomes on stderr: `specver: LABEL: message` (file names and
    revisions in it shown through the display sanitizer: no control reaches the terminal)."""
    from specver.display import display

    note(f"specver: {label}: {display(' '.join(message.split()), one_line=True)}")


def note_config(cfg: Config) -> None:
    """Say on stderr which configuration changes bump levels, so a planted or forgotten
    `.specver.yaml` can never quietly lower what `--fail-on` sees."""
    if not cfg.bump_overrides:
        return
    from specver.display import display

    levels = ", ".join(f"{kind}: {level}" for kind, level in sorted(cfg.bump_overrides.items()))
    where = display(str(cfg.path or "the configuration"), one_line=True)
    note(f"specver: note: bump levels from {where}: {display(levels, one_line=True)}")


def quiet_stdout() -> None:
    """Point stdout at the null device once its reader has gone, so that flushing it at exit
    raises no second BrokenPipeError."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
