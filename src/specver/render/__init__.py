"""Renderers for every command's output, chosen by format name from explicit registries.

Each registry maps a format name to `module:function`; the module is imported only when
that format is used, so start-up stays fast and `--format` choices come from the keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any

from specver.errors import UsageError
from specver.render.options import RenderOptions

DIFF_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_text:render_diff",
    "markdown": "specver.render.fmt_markdown:render_diff",
    "json": "specver.render.fmt_json:render_diff",
    "html": "specver.render.fmt_html:render_diff",
    "github": "specver.render.fmt_github:render_diff",
}
"""`specver diff --format` choices."""

DIFF_STAT_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_text:render_stat",
}
"""`specver diff --stat --format` choices: one line per policy."""

IMPACT_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_impact:render_impact_text",
    "markdown": "specver.render.fmt_impact:render_impact_markdown",
    "json": "specver.render.fmt_impact:render_impact_json",
    "html": "specver.render.fmt_html:render_impact",
}
"""`specver impact --format` choices."""

RANGE_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_range:render_range_text",
    "markdown": "specver.render.fmt_range:render_range_markdown",
    "json": "specver.render.fmt_range:render_range_json",
    "html": "specver.render.fmt_html:render_range",
}
"""`specver impact FROM..TO --format` choices (the same names as `IMPACT_RENDERERS`)."""

SHOW_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_text:render_spec",
    "json": "specver.render.fmt_json:render_spec",
}
"""`specver show --format` choices."""

CHECK_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_text:render_findings",
    "json": "specver.render.fmt_json:render_findings",
}
"""`specver check --format` choices."""

HISTORY_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_history:render_history_text",
    "json": "specver.render.fmt_history:render_history_json",
}
"""`specver history --format` choices."""

LOG_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_history:render_log_text",
    "json": "specver.render.fmt_history:render_log_json",
}
"""`specver log --format` choices."""

FORK_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_fork:render_fork_text",
    "markdown": "specver.render.fmt_fork:render_fork_markdown",
    "json": "specver.render.fmt_fork:render_fork_json",
}
"""`specver fork --format` choices."""

MERGE_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_merge:render_merge_text",
    "json": "specver.render.fmt_merge:render_merge_json",
}
"""`specver merge --format` choices: the merge summary (text on stderr, JSON on stdout)."""
FORKS_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_forks:render_forks_text",
    "markdown": "specver.render.fmt_forks:render_forks_markdown",
    "json": "specver.render.fmt_forks:render_forks_json",
    "html": "specver.render.fmt_forks:render_forks_html",
}
"""`specver forks --format` choices."""


CHANGELOG_RENDERERS: dict[str, str] = {
    "markdown": "specver.render.fmt_changelog:render_markdown",
    "text": "specver.render.fmt_changelog:render_text",
    "json": "specver.render.fmt_changelog:render_json",
}
"""`specver changelog --format` choices."""


AUDIT_RENDERERS: dict[str, str] = {
    "text": "specver.render.fmt_audit:render_audit_text",
    "markdown": "specver.render.fmt_audit:render_audit_markdown",
    "json": "specver.render.fmt_audit:render_audit_json",
    "html": "specver.render.fmt_audit:render_audit_html",
}
"""`specver audit --format` choices."""

AUDITED_IMPACT_RENDERERS: dict[str, str] = {
    fmt: f"specver.render.fmt_audit:render_audited_impact_{fmt}" for fmt in IMPACT_RENDERERS
}
"""`specver impact --notes FILE --format` choices: the impact report with the audit."""


def render(registry: dict[str, str], fmt: str, value: Any, options: RenderOptions) -> str:
    """Render `value` with the renderer registered under `fmt`."""
    target = registry.get(fmt)
    if target is None:
        raise UsageError(choice_message("--format", fmt, registry))
    module_name, _, func_name = target.partition(":")
    func = getattr(import_module(module_name), func_name)
    text: str = func(value, options)
    return text


def choice_message(option: str, value: str, choices: Iterable[str]) -> str:
    """The one message for a mistyped choice: `--fail-on 'maj': expected one of major, ...`."""
    from difflib import get_close_matches

    allowed = list(choices)
    close = get_close_matches(value, allowed, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"{option} {value!r}: expected one of {', '.join(allowed)}{hint}"


__all__ = [
    "AUDITED_IMPACT_RENDERERS",
    "AUDIT_RENDERERS",
    "CHANGELOG_RENDERERS",
    "CHECK_RENDERERS",
    "DIFF_RENDERERS",
    "DIFF_STAT_RENDERERS",
    "FORKS_RENDERERS",
    "FORK_RENDERERS",
    "HISTORY_RENDERERS",
    "IMPACT_RENDERERS",
    "LOG_RENDERERS",
    "MERGE_RENDERERS",
    "RANGE_RENDERERS",
    "SHOW_RENDERERS",
    "RenderOptions",
    "choice_message",
    "render",
]
