"""Word-level comparison: redlines, copy edits and rule strength."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from specver.diff.textdiff import is_copyedit, redline, words_changed

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


def test_repeated_words_spelling_variants_and_quotes_are_copy_edits() -> None:
    assert is_copyedit(
        "It should be only be used for search.", "It should only be used for search."
    )
    assert is_copyedit("Read the the notes.", "Read the notes.")
    assert is_copyedit(
        "Do not be judgemental about the colour of the organisation's defence.",
        "Do not be judgmental about the color of the organization's defense.",
    )
    assert is_copyedit('He said "no".', "He said \u201cno\u201d.")
    assert not is_copyedit("Read the notes and the logs.", "Read the notes and logs and maps.")


def test_many_spelling_variants_do_not_use_up_the_copy_edit_budget() -> None:
    old = "Analyse, organise, prioritise, summarise, recognise, colour and behaviour matter."
    new = "Analyze, organize, prioritize, summarize, recognize, color and behavior matter."
    assert is_copyedit(old, new)


def test_words_changed_counts_words_not_characters() -> None:
    assert words_changed("It must refuse.", "It should refuse.") == 1
    assert words_changed("It must refuse.", "It should refuse politely.") == 2
    assert words_changed("a, b", "a b") == 0
    assert words_changed("one two three", "one two three four five six") == 3
