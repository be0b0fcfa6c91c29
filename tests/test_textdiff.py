"""Word-level comparison: redlines, copy edits and rule strength."""

from __future__ import annotations

from difflib import SequenceMatcher
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from specver.diff.textdiff import FREQUENT, align, is_copyedit, redline, tokens, words_changed

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


def _edited(draw: st.DrawFn, tokens_of: st.SearchStrategy[int]) -> tuple[list[int], list[int]]:
    """Two token lists: the second random or the first with a few edits and copied runs."""
    a = draw(st.lists(tokens_of, max_size=140))
    if draw(st.booleans()):
        return a, draw(st.lists(tokens_of, max_size=140))
    b = list(a)
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(b)))
        what = draw(st.sampled_from(["insert", "delete", "replace", "copy"]))
        if what == "insert":
            b.insert(at, draw(tokens_of))
        elif b and what == "delete":
            del b[min(at, len(b) - 1)]
        elif b and what == "replace":
            b[min(at, len(b) - 1)] = draw(tokens_of)
        elif b:
            start = draw(st.integers(0, len(b) - 1))
            b[at:at] = b[start : start + draw(st.integers(1, 12))]
    return a, b


@st.composite
def token_pairs(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    """Token lists over small alphabets in which token 0 is frequent, as spaces are: past
    `FREQUENT` occurrences it is searched around, so every path of `align` is taken."""
    letters = draw(st.sampled_from([2, 3, 6, 40]))
    zero_share = draw(st.sampled_from([0.0, 0.3, 0.5, 0.8]))
    tokens_of = st.floats(0, 1).flatmap(
        lambda u: st.just(0) if u < zero_share else st.integers(1, letters)
    )
    return _edited(draw, tokens_of)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(token_pairs())
def test_alignment_is_difflibs(pair: tuple[list[int], list[int]]) -> None:
    a, b = pair
    expected = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    assert align(a, b) == expected
    assert align(b, a) == SequenceMatcher(None, b, a, autojunk=False).get_opcodes()


def test_alignment_of_real_prose_is_difflibs() -> None:
    old = " ".join(["The assistant should answer the question, and the answer must be short."] * 9)
    new = old.replace("must be short", "may be long").replace("The assistant", "It", 3)
    a, b = tokens(old), tokens(new)
    assert a.count(" ") > FREQUENT  # spaces are searched around
    assert align(a, b) == SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


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
