"""Spec text as a person reads it (spec.formatted) and redlines built on it (report.redline)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from specver.report.redline import formatted_redline
from specver.spec.formatted import formatted_blocks


def test_markup_becomes_styles() -> None:
    text = (
        "Be *kind* and **firm**, see [the rules](#rules) and [?](#honesty), `code`[^ab12].\n\n"
        "- one\n- **two**\n  1. nested\n\n> quoted\n"
    )
    blocks = formatted_blocks(text, {"honesty": "Be honest"})
    first = blocks[0]
    assert first.text == "Be kind and firm, see the rules and Be honest, codeab12."
    styles = {r.text: r.styles for r in first.runs}
    assert styles["kind"] == {"em"} and styles["firm"] == {"strong"}
    assert styles["the rules"] == {"link"} and styles["Be honest"] == {"link"}
    assert styles["ab12"] == {"footnote"} and styles["code"] == {"code"}
    assert [(b.kind, b.depth, b.marker, b.text) for b in blocks[1:4]] == [
        ("item", 1, "•", "one"),
        ("item", 1, "•", "two"),
        ("item", 2, "1.", "nested"),
    ]
    assert blocks[4].quoted and blocks[4].text == "quoted"


def test_unknown_reference_reads_as_its_id() -> None:
    assert formatted_blocks("See [?](#gone).")[0].text == "See gone."


def test_redline_marks_words_inside_formatting() -> None:
    blocks = formatted_redline("You **must not** lie.", "You **must never** lie.")
    pieces = [(p.op, p.text, sorted(p.styles)) for p in blocks[0].pieces]
    assert ("delete", "not", ["strong"]) in pieces and ("insert", "never", ["strong"]) in pieces
    assert not any("*" in p.text for b in blocks for p in b.pieces)


def test_long_paragraphs_fold_whole_sentences_never_cut() -> None:
    sentences = [f"Sentence number {k} says something plain." for k in range(12)]
    old = " ".join(sentences)
    new = old.replace("number 6 says", "number 6 now says")
    (block,) = formatted_redline(old, new)
    shown = "".join(p.text for p in block.pieces if p.op != "delete")
    assert "Sentence number 6 now says something plain." in shown
    assert "[6 unchanged sentences]" in shown and "[5 unchanged sentences]" in shown
    assert "…" not in shown
    for k in (0, 5, 7, 11):
        assert f"number {k} " not in shown


def test_far_unchanged_paragraphs_fold_and_a_list_keeps_its_lead_in() -> None:
    paragraphs = [f"Paragraph {k} stays." for k in range(8)]
    old = "\n\n".join([*paragraphs, "The assistant must not:\n\n- lie\n- steal\n"])
    new = old.replace("- steal", "- steal or cheat")
    blocks = formatted_redline(old, new)
    kinds = [(b.op, b.kind) for b in blocks]
    assert kinds[0] == ("gap", "gap")
    assert ("equal", "paragraph") in kinds  # "The assistant must not:" introduces the item
    assert kinds[-1] == ("change", "item")
    assert formatted_redline("Same text.", "Same text.") == ()


words = st.lists(st.sampled_from(["alpha", "beta", "gamma", "*em*", "**bold**", "delta,"]),
                 min_size=1, max_size=12)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(old=words, new=words)
def test_both_sides_of_a_short_redline_read_as_the_texts(old: list[str], new: list[str]) -> None:
    a, b = " ".join(old), " ".join(new)
    blocks = formatted_redline(a, b)
    if a == b:
        assert blocks == ()
        return
    before = " ".join(b_.text for b_ in formatted_blocks(a))
    after = " ".join(b_.text for b_ in formatted_blocks(b))
    kept_old = " ".join("".join(p.text for p in x.pieces if p.op != "insert") for x in blocks)
    kept_new = " ".join("".join(p.text for p in x.pieces if p.op != "delete") for x in blocks)
    assert kept_old.split() == before.split() and kept_new.split() == after.split()
