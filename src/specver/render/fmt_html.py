"""The HTML reports: one self-contained page each, rendered by Jinja2 with autoescaping on.

A page has inline CSS, an inline SVG chart whose geometry comes computed, CSS-only
filtering of the change table (radio inputs and `:checked`), no script and no external
request. Every piece of spec text reaches the page through Jinja2's escaping, never by
concatenation. The renderers lay out view models built in `specver.report` (`ReportPage`
for `impact` and `diff`, `RangePage` for a range of releases); they compute nothing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from specver.diff.kinds import describe
from specver.render.fmt_impact import (
    CAUSES,
    SECTION_TITLES,
    levels_phrase,
    percent,
    reason_phrase,
    rename_phrase,
    scope_lines,
    shift_phrase,
)
from specver.render.options import RenderOptions
from specver.report.page import report_date as report_date

if TYPE_CHECKING:
    from jinja2 import Environment

    from specver.report.page import ReportPage
    from specver.report.range.page import RangePage

TEMPLATE = "report.html.j2"
RANGE_TEMPLATE = "range.html.j2"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment: package templates, autoescaping always on, strict undefined."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("specver.render", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        describe=describe,
        shift_phrase=shift_phrase,
        levels_phrase=levels_phrase,
        rename_phrase=rename_phrase,
        reason_phrase=reason_phrase,
        percent=percent,
        scope_lines=scope_lines,
        causes=CAUSES,
        section_titles=SECTION_TITLES,
    )
    return env


def render_page(page: ReportPage) -> str:
    """The whole HTML page of an impact (and of the diff it was computed from)."""
    return environment().get_template(TEMPLATE).render(page=page)


def render_diff(page: ReportPage, options: RenderOptions) -> str:
    """`specver diff --format html`: the full report for every audience (see report.views)."""
    return render_page(page)


def render_impact(page: ReportPage, options: RenderOptions) -> str:
    """`specver impact --format html`: the report, its sections chosen by the audience."""
    return render_page(page)


def render_range(page: RangePage, options: RenderOptions) -> str:
    """`specver impact FROM..TO --format html`: one page over every release in the range."""
    return environment().get_template(RANGE_TEMPLATE).render(page=page)
