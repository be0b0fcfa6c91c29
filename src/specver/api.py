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
    from specver.audit.load import changelog_notes, notes_file
    from specver.audit.notes import Notes
    from specver.audit.report import Audit, audit
    from specver.config import Config, accept_entries, load_config
    from specver.diff.accept import accept, accept_file_text
    from specver.diff.compare import diff
    from specver.fork.compare import MergeSummary
    from specver.fork.load import fork_report, fork_sources, merge
    from specver.fork.remember import fork_arguments, remember_merge, resolved_base
    from specver.history.walk import Timeline, Window, history, release_log, timeline
    from specver.network.run import fork_network
    from specver.release.baseline import ensure_revision, last_tag_baseline, pull_request_base
    from specver.release.changelog.entry import changelog_entry
    from specver.release.changelog.file import write_entry
    from specver.release.changelog.summary import read_summary
    from specver.release.release import ReleaseRequest, apply_release, describe_plan, plan_release
    from specver.release.versioning import bump, entry_version, parse_date, source_version
    from specver.report import IMPACT_DIFF_FORMATS
    from specver.report.impact.assess import impact
    from specver.report.impact.model import Impact
    from specver.report.labels import VersionLabel, version_label
    from specver.report.page import ReportPage
    from specver.report.range.assess import impact_range
    from specver.report.range.model import ImpactRange
    from specver.report.views import diff_view, impact_view, range_view
    from specver.spec.check import CheckReport, check
    from specver.spec.load import load, parse_source, parse_text, require_resolved
    from specver.spec.model import Spec, SpecDiff
    from specver.spec.sources.file import is_revision
    from specver.spec.sources.git import tag_date

EXPORTS: dict[str, str] = {
    "Config": "specver.config",
    "audit": "specver.audit.report",
    "Audit": "specver.audit.report",
    "notes_file": "specver.audit.load",
    "Notes": "specver.audit.notes",
    "changelog_notes": "specver.audit.load",
    "load_config": "specver.config",
    "accept_entries": "specver.config",
    "accept": "specver.diff.accept",
    "accept_file_text": "specver.diff.accept",
    "last_tag_baseline": "specver.release.baseline",
    "pull_request_base": "specver.release.baseline",
    "ensure_revision": "specver.release.baseline",
    "load": "specver.spec.load",
    "is_revision": "specver.spec.sources.file",
    "tag_date": "specver.spec.sources.git",
    "Spec": "specver.spec.model",
    "SpecDiff": "specver.spec.model",
    "parse_source": "specver.spec.load",
    "parse_text": "specver.spec.load",
    "check": "specver.spec.check",
    "CheckReport": "specver.spec.check",
    "diff": "specver.diff.compare",
    "impact": "specver.report.impact.assess",
    "Impact": "specver.report.impact.model",
    "diff_view": "specver.report.views",
    "impact_view": "specver.report.views",
    "range_view": "specver.report.views",
    "VersionLabel": "specver.report.labels",
    "ReportPage": "specver.report.page",
    "version_label": "specver.report.labels",
    "ImpactRange": "specver.report.range.model",
    "impact_range": "specver.report.range.assess",
    "IMPACT_DIFF_FORMATS": "specver.report",
    "bump": "specver.release.versioning",
    "entry_version": "specver.release.versioning",
    "parse_date": "specver.release.versioning",
    "source_version": "specver.release.versioning",
    "changelog_entry": "specver.release.changelog.entry",
    "write_entry": "specver.release.changelog.file",
    "read_summary": "specver.release.changelog.summary",
    "ReleaseRequest": "specver.release.release",
    "plan_release": "specver.release.release",
    "describe_plan": "specver.release.release",
    "apply_release": "specver.release.release",
    "timeline": "specver.history.walk",
    "Timeline": "specver.history.walk",
    "Window": "specver.history.walk",
    "history": "specver.history.walk",
    "release_log": "specver.history.walk",
    "fork_sources": "specver.fork.load",
    "fork_report": "specver.fork.load",
    "merge": "specver.fork.load",
    "MergeSummary": "specver.fork.compare",
    "fork_arguments": "specver.fork.remember",
    "remember_merge": "specver.fork.remember",
    "resolved_base": "specver.fork.remember",
    "require_resolved": "specver.spec.load",
    "fork_network": "specver.network.run",
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
    "IMPACT_DIFF_FORMATS",
    "Audit",
    "CheckReport",
    "Config",
    "Impact",
    "ImpactRange",
    "MergeSummary",
    "Notes",
    "ReleaseRequest",
    "ReportPage",
    "Spec",
    "SpecDiff",
    "Timeline",
    "VersionLabel",
    "Window",
    "accept",
    "accept_entries",
    "accept_file_text",
    "apply_release",
    "audit",
    "bump",
    "changelog_entry",
    "changelog_notes",
    "check",
    "describe_plan",
    "diff",
    "diff_view",
    "ensure_revision",
    "entry_version",
    "fork_arguments",
    "fork_network",
    "fork_report",
    "fork_sources",
    "history",
    "impact",
    "impact_range",
    "impact_view",
    "is_revision",
    "last_tag_baseline",
    "load",
    "load_config",
    "merge",
    "notes_file",
    "parse_date",
    "parse_source",
    "parse_text",
    "plan_release",
    "pull_request_base",
    "range_view",
    "read_summary",
    "release_log",
    "remember_merge",
    "require_resolved",
    "resolved_base",
    "source_version",
    "tag_date",
    "timeline",
    "version_label",
    "write_entry",
]
