"""The public API the CLI and tests call: re-exports of the pipeline's entry points, no logic.

The pipeline reads here top to bottom: load a spec (`spec`), compare two (`diff`), and the
reports built on a comparison (`release`, `report`, `history`, `fork`). Each name is
imported from its module on first use (`EXPORTS`), so a command pays only for the stages it
runs; type checkers see the plain imports below.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from specver.config import Config, accept_entries, load_config
    from specver.diff.accept import accept
    from specver.diff.compare import diff
    from specver.fork.load import fork_report, fork_sources, merge
    from specver.history.walk import history, release_log, timeline
    from specver.release.changelog.entry import changelog_entry
    from specver.release.versioning import bump, entry_version
    from specver.report.impact.assess import impact
    from specver.spec.check import check
    from specver.spec.load import load, parse_source, parse_text

EXPORTS: dict[str, str] = {
    "Config": "specver.config",
    "load_config": "specver.config",
    "accept_entries": "specver.config",
    "accept": "specver.diff.accept",
    "load": "specver.spec.load",
    "parse_source": "specver.spec.load",
    "parse_text": "specver.spec.load",
    "check": "specver.spec.check",
    "diff": "specver.diff.compare",
    "impact": "specver.report.impact.assess",
    "bump": "specver.release.versioning",
    "entry_version": "specver.release.versioning",
    "changelog_entry": "specver.release.changelog.entry",
    "timeline": "specver.history.walk",
    "history": "specver.history.walk",
    "release_log": "specver.history.walk",
    "fork_sources": "specver.fork.load",
    "fork_report": "specver.fork.load",
    "merge": "specver.fork.load",
}
"""Public name -> the module that defines it."""


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    module = EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'specver.api' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, for completion and `help()`."""
    return sorted(EXPORTS)


__all__ = [
    "Config",
    "accept",
    "accept_entries",
    "bump",
    "changelog_entry",
    "check",
    "diff",
    "entry_version",
    "fork_report",
    "fork_sources",
    "history",
    "impact",
    "load",
    "load_config",
    "merge",
    "parse_source",
    "parse_text",
    "release_log",
    "timeline",
]
