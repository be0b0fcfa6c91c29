"""The command line: typer commands that parse options, call the API and pick a renderer.

No logic lives here. Exit statuses are decided in one place, `run`: 0 no differences or
clean, 1 differences or findings, 2 usage or input errors (as diff(1) does).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import __version__
from .errors import SpecverError, UsageError
from .fastpath import config_for, diff_status, emit, load_spec, render_options
from .render import CHECK_RENDERERS, DIFF_RENDERERS, SHOW_RENDERERS, render

app = typer.Typer(
    name="specver",
    help="Semantic diffs, changelogs, version bumps and fork reports for AI behaviour specs.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def format_option(registry: dict[str, str]) -> object:
    """A `--format` option whose choices are the keys of a renderer registry."""
    return typer.Option("--format", "-f", help=f"Output format: {', '.join(registry)}.")


class BumpLevel(StrEnum):
    """Levels accepted by `--fail-on`."""

    major = "major"
    minor = "minor"
    patch = "patch"


RepoOption = Annotated[
    Path | None,
    typer.Option("--repo", help="Git repository for REV:PATH sources (default: the current one)."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="Path of a .specver.yaml (default: found upward from here)."),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (atomically).")
]
SpecArg = Annotated[str, typer.Argument(help="A spec file, or REV:PATH in a git repository.")]


class Done(Exception):
    """Carries a command's exit status out to `run` (0 or 1)."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def finish(code: int) -> NoReturn:
    """End a command with an exit status, decided by the command's outcome."""
    raise Done(code)


@app.command()
def show(
    spec: SpecArg,
    fmt: Annotated[str, format_option(SHOW_RENDERERS)] = "text",
    repo: RepoOption = None,
    output: OutputOption = None,
) -> None:
    """Show a spec's outline with authority levels, examples and eval files."""
    parsed = load_spec(spec, repo)
    emit(render(SHOW_RENDERERS, fmt, parsed, render_options(output)), output)


@app.command()
def check(
    spec: SpecArg,
    fmt: Annotated[str, format_option(CHECK_RENDERERS)] = "text",
    repo: RepoOption = None,
    config: ConfigOption = None,
) -> None:
    """Lint a spec: duplicate ids, unknown levels, broken references, missing eval files."""
    from .api import check as check_spec
    from .check import CheckReport

    parsed = load_spec(spec, repo)
    report = CheckReport(parsed, check_spec(parsed, config_for(config)))
    emit(render(CHECK_RENDERERS, fmt, report, render_options()))
    finish(1 if report.errors else 0)


@app.command()
def diff(
    old: SpecArg,
    new: SpecArg,
    fmt: Annotated[str, format_option(DIFF_RENDERERS)] = "text",
    output: OutputOption = None,
    fail_on: Annotated[
        BumpLevel | None,
        typer.Option("--fail-on", help="Exit 1 only when the bump is at this level or above."),
    ] = None,
    repo: RepoOption = None,
    config: ConfigOption = None,
) -> None:
    """Compare two versions of a spec: policies, authority, rule strength, examples."""
    level = fail_on.value if fail_on is not None else None
    finish(diff_status(old, new, fmt, output, level, repo, config))


# --- release commands (bump, changelog, release) -----------------------------------------

# --- impact and reports ------------------------------------------------------------------

# --- git history and forks (history, log, fork, merge) -----------------------------------


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def run(argv: list[str]) -> int:
    """Run the CLI and map every outcome to an exit status; errors become one stderr line."""
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="specver", standalone_mode=False)
    except Done as done:
        return done.code
    except SpecverError as exc:
        sys.stderr.write(f"specver: error: {_one_line(exc.message)}\n")
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            return 2
        sys.stderr.write(f"specver: error: {_one_line(exc.format_message())}\n")
        return 2
    except (typer.Abort, KeyboardInterrupt):
        sys.stderr.write("specver: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    return 0


__all__ = ["UsageError", "__version__", "app", "run"]
