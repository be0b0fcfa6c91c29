"""JSON renderers: the stable `specver.diff/1` contract and whole-model dumps."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from specver.render.options import RenderOptions
from specver.spec.model import Change, Spec, SpecDiff, to_jsonable

if TYPE_CHECKING:
    from specver.spec.check import CheckReport

DIFF_SCHEMA = "specver.diff/1"
SPEC_SCHEMA = "specver.spec/1"
CHECK_SCHEMA = "specver.check/1"


def dumps(data: Any) -> str:
    """JSON text with stable key order and a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def source_json(spec: Spec) -> dict[str, Any]:
    """A spec's identity as every JSON schema of specver gives it."""
    return {"source": spec.source, "sha256": spec.sha256, "policies": len(spec.policies)}


def change_json(change: Change) -> dict[str, Any]:
    """One change in the diff contract's form: kind, policy, level, then its details."""
    out: dict[str, Any] = {"kind": change.kind}
    if change.policy is not None:
        out["policy"] = change.policy
    out["level"] = change.level
    out["old_lines"] = list(change.old_lines) if change.old_lines else None
    out["new_lines"] = list(change.new_lines) if change.new_lines else None
    out["heading_line"] = {"old": change.heading_line.old, "new": change.heading_line.new}
    out["fingerprint"] = change.fingerprint
    out["accepted"] = {"reason": change.accepted} if change.accepted is not None else None
    out.update(to_jsonable(change.details))
    return out


def diff_json(diff: SpecDiff) -> dict[str, Any]:
    """The `specver.diff/1` document as plain data."""
    return {
        "schema": DIFF_SCHEMA,
        "old": source_json(diff.old),
        "new": source_json(diff.new),
        "bump": diff.bump,
        "summary": diff.summary,
        "changes": [change_json(c) for c in diff.changes],
    }


def render_diff(diff: SpecDiff, options: RenderOptions) -> str:
    """`specver diff --format json`."""
    return dumps(diff_json(diff))


def render_spec(spec: Spec, options: RenderOptions) -> str:
    """`specver show --format json`: the whole parsed model."""
    data = to_jsonable(spec)
    return dumps({"schema": SPEC_SCHEMA, **data})


def render_findings(report: CheckReport, options: RenderOptions) -> str:
    """`specver check --format json`."""
    return dumps(
        {
            "schema": CHECK_SCHEMA,
            "spec": source_json(report.spec),
            "errors": report.errors,
            "warnings": len(report.findings) - report.errors,
            "findings": to_jsonable(report.findings),
        }
    )
