"""The options several commands share, and reading `.specver.yaml` for a command.

One module below `cli.app` and the command modules it registers (`cli.audit`,
`cli.forks`, `cli.merging`), so each takes the same checked choices and option types
instead of writing them again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from specver.cli.review import COLOR_CHOICES
from specver.errors import UsageError
from specver.render import choice_message

if TYPE_CHECKING:
    from specver.config import Config


def choice_check(option: str, choices: Iterable[str]) -> Callable[[str | None], str | None]:
    """A typer callback that refuses a mistyped choice with one clear message (exit 2)."""
    allowed = tuple(choices)

    def check(value: str | None) -> str | None:
        if value is None or value in allowed:
            return value
        raise UsageError(choice_message(option, value, allowed))

    return check


def choice_option(*names: str, choices: Iterable[str], help: str) -> object:
    """An option taking one of `choices`: checked with one clear message, completed by the
    shell."""
    allowed = tuple(choices)

    def complete(incomplete: str) -> list[str]:
        return [c for c in allowed if c.startswith(incomplete)]

    return typer.Option(
        *names, help=help, callback=choice_check(names[0], allowed), autocompletion=complete
    )


def format_option(registry: dict[str, str]) -> object:
    """A `--format` option whose choices are the keys of a renderer registry."""
    return choice_option(
        "--format", "-f", choices=registry, help=f"Output format: {', '.join(registry)}."
    )


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
FailOnOption = Annotated[
    str | None,
    choice_option(
        "--fail-on",
        choices=("major", "minor", "patch"),
        help="Exit 1 only for an unaccepted change at this level or above: major, minor, patch.",
    ),
]
ColorOption = Annotated[
    str,
    choice_option(
        "--color",
        choices=COLOR_CHOICES,
        help="Colour: auto (a terminal without NO_COLOR), always or never.",
    ),
]

OldLabelOption = Annotated[
    str | None,
    typer.Option("--old-label", help="Name OLD so in the HTML report (default: its tag or file)."),
]
NewLabelOption = Annotated[
    str | None,
    typer.Option("--new-label", help="Name NEW so in the HTML report (default: its tag or file)."),
]


def config_for(path: Path | None) -> Config:
    """The configuration named by --config, or the one found upward from the current folder."""
    from specver.api import load_config

    return load_config(path)


def repo_config(config: Path | None, repo: Path | None) -> Config:
    """--config, else the .specver.yaml found from the repository (or the current folder)."""
    from specver.api import load_config

    if config is not None or repo is None:
        return config_for(config)
    return load_config(start=repo)
