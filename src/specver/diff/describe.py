"""One short plain-text phrase per change kind: what renderers and reports say a change is.

The domain (the impact report) and every renderer name changes the same way, so the phrases
live here, below both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from specver.diff.textdiff import rule_phrase
from specver.spec.model import Change


def _verdicts(c: Change) -> str:
    flips = c.get("answers", ())
    turns = "; ".join(f"{a['old']} → {a['new']}" for a in flips)
    return f"verdict reversed in example “{c.get('example')}” ({turns})"


def _text(c: Change) -> str:
    what = "copy edit" if c.get("change") == "copyedit" else "substantive text change"
    rules = "; ".join(_rule(n) for n in c.get("normative", ()))
    base = f"{what} (similarity {c.get('similarity', 0):.2f})"
    return f"{base}; {rules}" if rules else base


def _rule(n: Mapping[str, str | None]) -> str:
    return f"rule {n['direction']}: {rule_phrase(n)}"


def _added(c: Change) -> str:
    level = c.get("authority")
    return f"added at {level} level" if level else "added (no authority level)"


def _removed(c: Change) -> str:
    into = c.get("merged_into")
    return f"removed; merged into {into}" if into else "removed"


def _tags(c: Change) -> str:
    parts = []
    if c.get("added"):
        parts.append("added " + ", ".join(c.get("added")))
    if c.get("removed"):
        parts.append("removed " + ", ".join(c.get("removed")))
    return "tags " + "; ".join(parts)


SENTENCES: Mapping[str, Callable[[Change], str]] = {
    "policy_added": _added,
    "policy_removed": _removed,
    "policy_renamed": lambda c: f"renamed from {c.get('old_id')} (“{c.get('old_title')}”)",
    "policy_retitled": lambda c: f"retitled from “{c.get('old_title')}”",
    "policy_moved": lambda c: (
        f"moved from {c.get('old_parent') or 'top level'} to {c.get('new_parent') or 'top level'}"
    ),
    "authority_changed": lambda c: (
        f"authority {c.get('old')} → {c.get('new')} ({c.get('direction')})"
    ),
    "authority_level_renamed": lambda c: (
        f"level {c.get('old')} renamed to {c.get('new')} for {len(c.get('policies', ()))} policies"
    ),
    "tags_changed": _tags,
    "text_changed": _text,
    "commentary_changed": lambda c: (
        f"commentary changed ({c.get('before')} → {c.get('after')} blocks)"
    ),
    "example_added": lambda c: f"example added: “{c.get('example')}”",
    "example_removed": lambda c: f"example removed: “{c.get('example')}”",
    "example_changed": lambda c: f"example changed: “{c.get('example')}”",
    "example_moved": lambda c: (
        f"example moved here from {c.get('old_policy')}: “{c.get('example')}”"
    ),
    "example_verdict_changed": _verdicts,
    "reference_broken": lambda c: f"cross reference to missing #{c.get('target')}",
}
"""One plain-text phrase per change kind."""


def describe(change: Change) -> str:
    """A short plain-text phrase saying what one change is."""
    phrase = SENTENCES.get(change.kind)
    return phrase(change) if phrase else change.kind.replace("_", " ")
