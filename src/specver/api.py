"""The public API that the CLI and tests call: load specs, compare them, lint them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .check import Finding, check_spec
from .classify import classify_changes, highest_level
from .config import Config, load_config
from .match import match_policies
from .model import Spec, SpecDiff
from .parse import parse
from .sources import SourceText, read_source

if TYPE_CHECKING:
    from .impact import Impact


def load(arg: str, *, repo: Path | None = None) -> Spec:
    """Read and parse a spec named by a file path or by `REV:PATH` in a git repository."""
    return parse_source(read_source(arg, repo=repo))


def parse_source(source: SourceText) -> Spec:
    """Parse a spec already read, naming its source in any error."""
    from .errors import InputError

    try:
        return parse(source.text, source=source.label, sha256=source.sha256, evals=source.evals)
    except InputError as exc:
        raise InputError(f"{source.label}: {exc.message}") from None


def parse_text(text: str, source: str = "<string>") -> Spec:
    """Parse spec text held in memory."""
    return parse(text, source=source)


def diff(old: Spec, new: Spec, config: Config | None = None) -> SpecDiff:
    """Compare two parsed specs: pair their policies, classify the changes, decide the bump."""
    config = config or Config()
    pairs = match_policies(old, new)
    changes = classify_changes(old, new, pairs, config.scheme, config.bump_overrides)
    return SpecDiff(old, new, pairs, changes, highest_level([c.level for c in changes]))


def impact(diff: SpecDiff, config: Config | None = None, audience: str = "all") -> Impact:
    """What a diff means for an audience: steerability, safeguards, evals to re-run, scope."""
    from .impact import assess_impact

    return assess_impact(diff, (config or Config()).scheme, audience)


def check(spec: Spec, config: Config | None = None) -> tuple[Finding, ...]:
    """Lint a parsed spec: duplicate ids, unknown levels, missing targets and eval files."""
    return check_spec(spec, (config or Config()).scheme)


__all__ = ["Config", "check", "diff", "impact", "load", "load_config", "parse_text"]
