"""The CLI framework's floor: a typer app with `specver diff`'s parameters that does nothing.

`python -m bench.framework diff OLD NEW [OPTIONS]` takes exactly the arguments `specver diff`
takes (two spec arguments; `--format`, `--fail-on` and `--color` choices checked by a
callback and completed by the shell; five optional paths; the `--stat` flag; the app's
`--version`, completion options and bare-call help) and returns without reading anything.
Timed as a whole process beside `python -c pass` and `specver diff`, it is what typer
itself costs a `specver diff`: its import, building the command, and coercing each option
through pydantic (typer 0.29 builds a `TypeAdapter` for every non-flag parameter it
processes, importing pydantic on first use). What `specver diff` takes beyond it is
specver's own work.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    name="specver",
    add_completion=True,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main_options(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", help="Print the version.")] = False,
) -> None:
    """The app's own options, as specver's."""
    if ctx.invoked_subcommand is None:
        raise typer.Exit(0)


def _choice(*names: str, choices: tuple[str, ...], help: str) -> object:
    def check(value: str | None) -> str | None:
        if value is not None and value not in choices:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(choices)}")
        return value

    def complete(incomplete: str) -> list[str]:
        return [c for c in choices if c.startswith(incomplete)]

    return typer.Option(*names, help=help, callback=check, autocompletion=complete)


FORMATS = ("text", "markdown", "json", "html", "github")


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="A spec file, or REV:PATH.")],
    new: Annotated[str, typer.Argument(help="A spec file, or REV:PATH.")],
    fmt: Annotated[str, _choice("--format", "-f", choices=FORMATS, help="Format.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File.")] = None,
    fail_on: Annotated[
        str | None, _choice("--fail-on", choices=("major", "minor", "patch"), help="Level.")
    ] = None,
    accept: Annotated[Path | None, typer.Option("--accept", help="Accept file.")] = None,
    write_accept: Annotated[Path | None, typer.Option("--write-accept", help="File.")] = None,
    stat: Annotated[bool, typer.Option("--stat", help="One line per policy.")] = False,
    color: Annotated[
        str, _choice("--color", choices=("auto", "always", "never"), help="Colour.")
    ] = "auto",
    repo: Annotated[Path | None, typer.Option("--repo", help="Repository.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Configuration.")] = None,
) -> None:
    """Parse `specver diff`'s arguments and do nothing with them."""


@app.command()
def show(spec: Annotated[str, typer.Argument(help="A spec file.")]) -> None:
    """A second command, so that the app is a group of commands as specver's is."""


def main(argv: list[str]) -> int:
    """Run the app on `argv`, as `specver.cli.app.run` does; returns the exit status."""
    try:
        typer.main.get_command(app).main(args=argv, prog_name="specver", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.TyperException as exc:
        sys.stderr.write(f"specver: error: {exc.format_message()}\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
