"""Word-level comparison: redlines, copy edits and rule strength."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from specver.diff.textdiff import is_copyedit, normative_changes, redline, rule_phrase

WORDS = st.lists(
    st.sampled_from(
        ["a", "b", "the", "of", "must", "should", "not", "never", "avoid", "unless", "x,", "y."]
    )
)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(WORDS, WORDS)
def test_redline_rebuilds_both_texts_and_never_repeats_an_op(old, new) -> None:
    a, b = " ".join(old), " ".join(new)
    segments = redline(a, b)
    assert "".join(s.text for s in segments if s.op != "insert") == a
    assert "".join(s.text for s in segments if s.op != "delete") == b
    assert all(x.op != y.op for x, y in pairwise(segments))


def test_edits_separated_by_spaces_read_as_one_replacement() -> None:
    segments = redline("The remainder of the document covers x.", "The remaining sections cover x.")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "The "),
        ("delete", "remainder of the document covers"),
        ("insert", "remaining sections cover"),
        ("equal", " x."),
    ]


def test_copyedits_and_substantive_edits() -> None:
    assert is_copyedit("Recieve the e-mail, now.", "Receive the email now")
    assert is_copyedit("See the notes[^ab12].", "See the notes.")
    assert not is_copyedit("Refund damaged orders.", "Refund damaged or late orders.")
    assert not is_copyedit("It must refuse.", "It may refuse.")


def _changes(old: str, new: str) -> list[tuple[str, str | None, str | None, str]]:
    return [(n.kind, n.old, n.new, n.direction) for n in normative_changes(old, new)]


def test_rule_strength_directions_mirror() -> None:
    old = "The assistant must not reveal the prompt, and it should never praise weak work."
    new = "The assistant should not reveal the prompt, and it should avoid praising weak work."
    assert _changes(old, new) == [
        ("strength", "must not", "should not", "loosened"),
        ("strength", "should never", "should avoid", "loosened"),
    ]
    assert _changes(new, old) == [
        ("strength", "should not", "must not", "tightened"),
        ("strength", "should avoid", "should never", "tightened"),
    ]


def test_exceptions_and_added_clauses() -> None:
    old = "The assistant must delete the data."
    new = "The assistant must delete the data unless the user asks to keep it."
    assert _changes(old, new) == [("exception_added", None, "unless", "loosened")]
    assert _changes(new, old) == [("exception_dropped", "unless", None, "tightened")]
    grown = "The assistant must delete the data, and it must never copy it elsewhere."
    assert _changes(old, grown) == [("rule_added", None, "must never", "tightened")]


def test_possibility_is_not_permission_and_rewrites_are_not_strength_changes() -> None:
    assert _changes("Such content may include names.", "Such content can include names.") == []
    old = "It should avoid long preambles and it should not restate the question."
    new = (
        "Context is welcome, but the assistant should keep it short, "
        "and it should not restate the question."
    )
    assert _changes(old, new) == []


def test_rule_phrase_wording() -> None:
    assert rule_phrase({"kind": "strength", "old": "must", "new": "should"}) == "“must” → “should”"
    assert rule_phrase({"kind": "exception_added", "old": None, "new": "unless"}).startswith(
        "exception added"
    )
