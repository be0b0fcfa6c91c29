"""GitHub Actions renderer: one workflow command per change, annotating the spec's lines.

`::error` for changes at or above `--fail-on` (none without it), `::warning` for the other
major and minor changes, `::notice` for patch changes and for accepted ones (with their
reason). Each points with `file=`, `line=` and `endLine=` into the new version, or into the
old one for what was removed. Escaping follows GitHub's toolkit: `%`, CR and LF in the
message; those and `:` and `,` in property values.
"""

from __future__ import annotations

from specver.config import BUMP_LEVELS
from specver.diff.kinds import describe
from specver.render.options import RenderOptions
from specver.spec.model import Change, Spec, SpecDiff


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's `escapeData` does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value, escaped as GitHub's `escapeProperty` does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, str], message: str) -> str:
    """One workflow command line: `::name key=value,...::message`."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation_level(change: Change, fail_on: str | None) -> str:
    """`error`, `warning` or `notice` for one change, as the module docstring says."""
    if change.accepted is not None:
        return "notice"
    rank = BUMP_LEVELS.index(change.level) if change.level in BUMP_LEVELS else 0
    if fail_on is not None and rank >= BUMP_LEVELS.index(fail_on):
        return "error"
    return "warning" if change.level in ("major", "minor") else "notice"


def spec_path(spec: Spec) -> str:
    """The path an annotation names: the file the spec was read from (PATH of `REV:PATH`).

    Specs held in memory know no path; their label is read instead: `REV:PATH` has a
    revision without a slash at its start and a path after the first colon.
    """
    if spec.path:
        return spec.path
    source = spec.source
    rev, colon, path = source.partition(":")
    if colon and rev and path and not rev.startswith((".", "/")):
        return path
    return source


def change_annotation(diff: SpecDiff, change: Change, fail_on: str | None) -> str:
    """The workflow command for one change."""
    removal = change.new_lines is None and change.old_lines is not None
    lines = change.old_lines if removal else change.new_lines
    spec = diff.old if removal else diff.new
    properties: dict[str, str] = {}
    if lines is not None:
        properties = {"file": spec_path(spec), "line": str(lines[0]), "endLine": str(lines[1])}
    subject = f" {change.policy}" if change.policy else ""
    properties["title"] = f"specver: {change.kind}{subject} ({change.level})"
    title = change.details.policy_title
    message = f"{title}: {describe(change)}" if title else describe(change)
    if change.accepted is not None:
        message += f"\naccepted: {change.accepted}"
    message += f"\nfingerprint: {change.fingerprint}"
    return command(annotation_level(change, fail_on), properties, message)


def render_diff(diff: SpecDiff, options: RenderOptions) -> str:
    """`specver diff --format github`: one workflow command per change (one notice if none)."""
    lines = [change_annotation(diff, c, options.fail_on) for c in diff.changes]
    if not lines:
        title = {"title": "specver: no semantic changes"}
        lines = [command("notice", title, f"{diff.old.source} and {diff.new.source} agree")]
    return "".join(line + "\n" for line in lines)
