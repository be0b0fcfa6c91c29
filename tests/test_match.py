"""Policy matching: which candidate pairs get a content comparison, and what still pairs."""

from __future__ import annotations

import random

from specver import api
from specver.diff.match import CONTENT_ONLY, _may_reach, _profile
from specver.spec.model import Policy

WORDS = [
    "assistant", "user", "developer", "instructions", "safety", "privacy", "content",
    "request", "answer", "context", "harm", "refuse", "explain", "respect", "honest",
    "clear", "model", "policy", "example", "guidance", "risk", "legal", "medical",
    "creative", "fiction", "tool", "search", "memory", "persona", "tone",
]  # fmt: skip


def _prose(seed: int, words: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) + str(rng.randrange(50)) for _ in range(words))


def _spread_edit(text: str, every: int) -> str:
    """Replace every `every`-th word: the edit least kind to shared word 4-grams."""
    ws = text.split()
    return " ".join("changed" if k % every == 0 else w for k, w in enumerate(ws))


def _policy(ident: str, title: str, prose: str) -> Policy:
    return Policy(id=ident, title=title, depth=2, parent=None, authority="user", prose=prose)


def test_unrelated_text_standing_on_content_alone_is_not_compared() -> None:
    a = _profile(_policy("a", "First", _prose(1)))
    b = _profile(_policy("b", "Second", _prose(2)))
    assert not _may_reach(a, b, CONTENT_ONLY)
    assert not _may_reach(a, b, 0.95)


def test_related_text_and_pairs_with_other_evidence_are_compared() -> None:
    text = _prose(3)
    a = _profile(_policy("a", "First", text))
    assert _may_reach(a, _profile(_policy("b", "Other", _spread_edit(text, 5))), 0.8)
    unrelated = _profile(_policy("c", "Other", _prose(4)))
    assert _may_reach(a, unrelated, CONTENT_ONLY - 0.01)  # titles or examples speak for it
    assert not _may_reach(a, unrelated, 1.01)  # out of reach whatever the content


def _spec(first: list[tuple[str, str, str]], second: list[tuple[str, str, str]]) -> str:
    parts: list[str] = []
    for part, policies in (("one", first), ("two", second)):
        parts.append(f"# Part {part} {{#part_{part}}}\n")
        for ident, title, prose in policies:
            parts.append(f"## {title} {{#{ident} authority=user}}\n\n{prose}\n")
    return "\n".join(parts)


def test_a_moved_renamed_and_retitled_policy_with_edits_all_over_still_pairs() -> None:
    """Only its content speaks for the pair, and one word in five is replaced (similarity
    about 0.8): the pre-filter must let it through, and keep unrelated policies apart."""
    kept = [(f"kept_{k}", f"Kept {k}", _prose(10 + k)) for k in range(6)]
    moving = _prose(99)
    removed = [(f"gone_{k}", f"Gone {k}", _prose(200 + k)) for k in range(5)]
    added = [(f"new_{k}", f"New {k}", _prose(300 + k)) for k in range(5)]
    old = api.parse_text(_spec([*kept, ("old_name", "Old title", moving)], removed))
    new = api.parse_text(
        _spec([*kept, *added], [("fresh_name", "Fresh heading", _spread_edit(moving, 5))])
    )
    result = api.diff(old, new)
    renames = [(c.details.old_id, c.policy) for c in result.changes if c.kind == "policy_renamed"]
    assert renames == [("old_name", "fresh_name")]
    assert sorted(str(c.policy) for c in result.changes if c.kind == "policy_added") == [
        f"new_{k}" for k in range(5)
    ]
