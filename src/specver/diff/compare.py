"""`diff`: the comparison of two parsed specs, the pipeline's middle stage.

Pairs their policies (`match`), classifies the changes of each pair (`classify`) and decides
the bump, returning a frozen `SpecDiff` that every report builds on.
"""

from __future__ import annotations

from specver.config import Config
from specver.diff.classify import classify_changes, highest_level
from specver.diff.match import match_policies
from specver.spec.model import Spec, SpecDiff


def diff(old: Spec, new: Spec, config: Config | None = None) -> SpecDiff:
    """Compare two parsed specs: pair their policies, classify the changes, decide the bump."""
    config = config or Config()
    pairs = match_policies(old, new)
    changes = classify_changes(old, new, pairs, config.scheme, config.bump_overrides)
    return SpecDiff(old, new, pairs, changes, highest_level([c.level for c in changes]))
