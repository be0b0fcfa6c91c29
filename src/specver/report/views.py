"""What a `--format` renderer reads: the bare value, or the report page built on it.

Renderers only read values. The HTML page of `specver diff` is the full impact report, and
the HTML page of `specver impact` a `ReportPage`: for that format the value handed to the
renderer is computed here (impact, redlines, navigation, chart), never inside the renderer.
"""

from __future__ import annotations

from specver.config import AuthorityScheme, Config
from specver.report import IMPACT_DIFF_FORMATS
from specver.report.impact.assess import impact
from specver.report.impact.model import Impact
from specver.report.labels import VersionLabel
from specver.report.page import ReportPage, impact_page
from specver.report.range.model import ImpactRange
from specver.report.range.page import RangePage, range_page
from specver.spec.model import SpecDiff

PAGE_FORMATS = frozenset({"html"})
"""`specver impact` formats whose renderer reads a `ReportPage` instead of the Impact."""

Labels = tuple[VersionLabel | None, VersionLabel | None]


def diff_view(
    diff: SpecDiff,
    fmt: str,
    config: Config | None = None,
    labels: Labels = (None, None),
) -> SpecDiff | ReportPage:
    """The value the `fmt` diff renderer reads: the diff itself, or the full report page."""
    if fmt not in IMPACT_DIFF_FORMATS:
        return diff
    cfg = config or Config()
    return impact_page(impact(diff, cfg, "all"), cfg.scheme, labels, "Spec change report")


def impact_view(
    result: Impact,
    fmt: str,
    scheme: AuthorityScheme | None = None,
    labels: Labels = (None, None),
    extra: tuple[str, ...] = (),
) -> Impact | ReportPage:
    """The value the `fmt` impact renderer reads: the impact, or its report page (with the
    `extra` sections, such as `audit`)."""
    if fmt not in PAGE_FORMATS:
        return result
    return impact_page(result, scheme, labels, extra=extra)


def range_view(result: ImpactRange, fmt: str) -> ImpactRange | RangePage:
    """The value the `fmt` range renderer reads: the range, or its HTML page."""
    return range_page(result) if fmt in PAGE_FORMATS else result
