"""What a `specver diff --format` renders: the bare diff, or the report built on it.

Renderers only read values. The HTML page of `specver diff` is the full impact report, so
for that format the value handed to the renderer is the diff's `Impact` for every audience,
computed here and never inside the renderer.
"""

from __future__ import annotations

from specver.config import Config
from specver.report import IMPACT_DIFF_FORMATS
from specver.report.impact.assess import impact
from specver.report.impact.model import Impact
from specver.spec.model import SpecDiff


def diff_view(diff: SpecDiff, fmt: str, config: Config | None = None) -> SpecDiff | Impact:
    """The value the `fmt` diff renderer reads: the diff itself, or its impact for all."""
    return impact(diff, config, "all") if fmt in IMPACT_DIFF_FORMATS else diff
