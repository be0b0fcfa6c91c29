"""The command line: typer commands that parse options, call the API and pick a renderer.

No logic lives here. Exit statuses are decided in one place, `run`: 0 no differences or
clean, 1 differences or findings, 2 usage or input errors (as diff(1) does).
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from . import __version__
from .errors import SpecverError, UsageError
from .render import (
    CHECK_RENDERERS,
    DIFF_RENDERERS,
    IMPACT_RENDERERS,
    SHOW_RENDERERS,
    RenderOptions,
    render,
)

if TYPE_CHECKING:
    from .config import Config
    from .model import Spec

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


def render_options(output: Path | None = None, *, show_all: bool = False) -> RenderOptions:
    """Colour only on a terminal without NO_COLOR; width from the terminal."""
    tty = output is None and sys.stdout.isatty()
    color = tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    width = shutil.get_terminal_size((100, 24)).columns if tty else 100
    return RenderOptions(color=color, width=max(60, width), show_all=show_all)


def emit(text: str, output: Path | None = None) -> None:
    """Write rendered output to stdout, or atomically to the file the user named."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from .atomic import write_text_atomic

    write_text_atomic(output, text)


def config_for(path: Path | None) -> Config:
    """The configuration named by --config, or the one found upward from the current folder."""
    from .config import load_config

    return load_config(path)


def load_spec(arg: str, repo: Path | None) -> Spec:
    """Load one SPEC argument (file or REV:PATH)."""
    from .api import load

    return load(arg, repo=repo)


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
    from .api import diff as diff_specs
    from .config import BUMP_LEVELS

    cfg = config_for(config)
    result = diff_specs(load_spec(old, repo), load_spec(new, repo), cfg)
    options = replace(render_options(output), scheme=cfg.scheme)
    emit(render(DIFF_RENDERERS, fmt, result, options), output)
    if fail_on is None:
        finish(1 if result.changes else 0)
    finish(1 if BUMP_LEVELS.index(result.bump) >= BUMP_LEVELS.index(fail_on.value) else 0)


# --- release commands (bump, changelog, release) -----------------------------------------

# --- impact and reports ------------------------------------------------------------------


class Audience(StrEnum):
    """Readers `specver impact --audience` can address."""

    all = "all"
    developers = "developers"
    users = "users"
    regulators = "regulators"


@app.command()
def impact(
    old: SpecArg,
    new: SpecArg,
    audience: Annotated[
        Audience, typer.Option("--audience", "-a", help="Whose view: sections and their order.")
    ] = Audience.all,
    fmt: Annotated[str, format_option(IMPACT_RENDERERS)] = "text",
    output: OutputOption = None,
    repo: RepoOption = None,
    config: ConfigOption = None,
) -> None:
    """What a change does to developers, users and regulators; --format html for a report."""
    from .api import diff as diff_specs
    from .api import impact as assess

    cfg = config_for(config)
    result = assess(
        diff_specs(load_spec(old, repo), load_spec(new, repo), cfg), cfg, audience.value
    )
    options = replace(render_options(output), scheme=cfg.scheme)
    emit(render(IMPACT_RENDERERS, fmt, result, options), output)
    finish(1 if result.diff.changes else 0)


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
