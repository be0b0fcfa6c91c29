"""`diff`: the comparison of two parsed specs, the pipeline's middle stage.

Pairs their policies (`match`), classifies the changes of each pair (`classify`) and decides
the bump, returning a frozen `SpecDiff` that every report builds on.
"""

from __future__ import annotations

from specver.config import CONFIG_NAME, Config
from specver.diff.classify import classify_changes, highest_level
from specver.diff.kinds import LEVELS, unknown_level_keys
from specver.diff.match import match_policies
from specver.diff.normative import vocabulary_for
from specver.errors import ConfigError
from specver.spec.model import Spec, SpecDiff


def diff(old: Spec, new: Spec, config: Config | None = None) -> SpecDiff:
    """Compare two parsed specs: pair their policies, classify the changes, decide the bump."""
    config = config or Config()
    _check_overrides(config)
    pairs = match_policies(old, new)
    vocabulary = vocabulary_for(config.normative)
    changes = classify_changes(
        old, new, pairs, config.scheme, config.bump_overrides, vocabulary=vocabulary
    )
    return SpecDiff(old, new, pairs, changes, highest_level([c.level for c in changes]))


def _check_overrides(config: Config) -> None:
    """Refuse `bump:` keys that name no change kind or variant (a typo would do nothing)."""
    unknown = unknown_level_keys(config.bump_overrides)
    if unknown:
        where = str(config.path) if config.path else CONFIG_NAME
        raise ConfigError(
            f"{where}: `bump` names no change kind `{unknown[0]}` (known: {', '.join(LEVELS)})"
        )
