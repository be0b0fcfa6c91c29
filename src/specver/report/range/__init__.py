"""The range report: every release between two versions, and each policy across them."""

from __future__ import annotations

from specver.report.range.assess import impact_range
from specver.report.range.model import (
    ImpactRange,
    PolicyStep,
    PolicyTrack,
    RangeVersion,
    ReleaseImpact,
    combine_verdicts,
    track_verdict,
)

__all__ = [
    "ImpactRange",
    "PolicyStep",
    "PolicyTrack",
    "RangeVersion",
    "ReleaseImpact",
    "combine_verdicts",
    "impact_range",
    "track_verdict",
]
