"""One exception root for specver, each subclass carrying the exit status the CLI maps it to."""

from __future__ import annotations


class SpecverError(Exception):
    """Root of every error specver raises on purpose; the CLI turns it into one line on stderr."""

    exit_code: int = 2
    label: str = "error"
    """The word after `specver:` on the stderr line (`error` for exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(SpecverError):
    """A spec, changelog or config that cannot be read or understood (exit 2)."""


class SourceError(InputError):
    """A source that cannot be resolved: missing file, unknown git revision, not a repository."""


class ConfigError(InputError):
    """A `.specver.yaml` that is malformed or names something unknown."""


class OutputError(SpecverError):
    """Output that cannot be written: a full disk, a closed standard output, an encoding
    without a character the output holds (exit 2)."""


class UsageError(SpecverError):
    """Options that contradict each other or name something unknown (exit 2)."""


class ReleaseRefused(SpecverError):
    """A release that must not proceed: dirty tree, existing tag, nothing changed (exit 2)."""


class NothingChanged(SpecverError):
    """A command that needs changes found none (exit 1, like diff(1) with no differences).

    A finding, not an error: the CLI reports it as `specver: no changes: ...`.
    """

    exit_code = 1
    label = "no changes"
