"""specver's layer over pulldown-cmark: blocks, lines, admonitions, front matter, inlines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specver.errors import InputError
from specver.spec.markdown import (
    Block,
    Link,
    admonition_tag,
    front_matter_end,
    read_blocks,
    split_heading,
)
from specver.spec.parse import parse


def kinds(text: str) -> list[tuple[str, int, int]]:
    return [(b.kind, b.start, b.end) for b in read_blocks(text)]


def test_blocks_carry_their_lines_as_a_half_open_range() -> None:
    text = "# Title {#t}\n\npara one\nline two\n\n- a\n- b\n\n~~~xml\n<user>\n~~~\n"
    assert kinds(text) == [
        ("heading", 0, 1),
        ("paragraph", 2, 4),
        ("list", 5, 8),  # a list holds the blank line after it, as markdown-it had it
        ("fence", 8, 11),
    ]


def test_line_numbers_come_from_byte_offsets_past_non_ascii_text() -> None:
    text = "ü€😀 " * 50 + "\n\n# Ü {#u}\n\n[x](#y) ✓\n"
    blocks = read_blocks(text)
    assert [(b.kind, b.start) for b in blocks] == [
        ("paragraph", 0),
        ("heading", 2),
        ("paragraph", 4),
    ]
    assert blocks[2].inlines[0].links == (Link("#y", "x"),)
    assert blocks[2].inlines[0].line == 4


def test_heading_content_is_the_text_as_written() -> None:
    (heading,) = read_blocks("## *Be* [clear](#c) {#be_clear authority=user} ##\n")
    assert heading.level == 2
    assert heading.content == "*Be* [clear](#c) {#be_clear authority=user}"
    (escaped,) = read_blocks("# \\#hash \\#\n")
    assert escaped.content == "\\#hash \\#"
    (setext,) = read_blocks("Two\n  lines\n===\n")
    assert (setext.level, setext.content, setext.end) == (1, "Two\n  lines", 3)


def test_fence_keeps_its_marker_info_and_body() -> None:
    (fence,) = read_blocks("  ~~~~xml  extra\n  <user>\n   hi\n  ~~~~\n")
    assert fence.kind == "fence"
    assert (fence.marker, fence.info) == ("~~~~", "xml  extra")
    assert fence.content == "<user>\n hi\n"


def test_footnote_markers_split_across_text_events_are_found() -> None:
    # pulldown-cmark hands `[`, `^name` and `]` over as three text events
    (block,) = read_blocks("See [^eval_one] and *[^two]*, not `[^code]` or ![^alt](x.png).\n")
    assert block.inlines[0].footnotes == ("eval_one", "two")


def test_links_in_tight_list_items_nested_lists_and_quotes() -> None:
    text = "* [?](#first): one\n* two [b](#second)\n  - [c](#third)\n\n> [d](#fourth)\n"
    lists, quote = read_blocks(text)
    found = [(i.line, link.target, link.text) for i in lists.inlines for link in i.links]
    assert found == [(0, "#first", "?"), (1, "#second", "b"), (2, "#third", "c")]
    assert [link.target for i in quote.inlines for link in i.links] == ["#fourth"]


def test_link_text_and_links_inside_images() -> None:
    (block,) = read_blocks("[a `b` <i>c</i> ![d](e.png)](#x) ![f [g](#h)](i.png)\n")
    assert block.inlines[0].links == (Link("#x", "a b <i>c</i> d"),)  # no link in an image


def test_reference_links_resolve_across_admonitions() -> None:
    text = '[one]: #first\n\n!!! meta "Commentary"\n    See [one] and [two].\n\n[two]: #second\n'
    blocks = read_blocks(text)
    assert [b.kind for b in blocks] == ["admonition"]
    targets = [link.target for inline in blocks[0].inlines for link in inline.links]
    assert targets == ["#first", "#second"]


def test_a_link_names_the_id_as_written() -> None:
    # markdown-it percent-encoded the destination (`caf%C3%A9`), so the link never resolved
    spec = parse("# Café {#café}\n\nSee [it](#café) and [that](<#a b>).\n")
    assert [r.target for r in spec.policies[0].references] == ["café", "a b"]


def test_a_definition_is_continued_by_a_line_that_cannot_interrupt_a_paragraph() -> None:
    # CommonMark: indented text after a definition continues its paragraph (markdown-it
    # read an indented code block there)
    assert kinds("[r]: #s\n    more [r]\n") == [("paragraph", 1, 2)]
    (block,) = read_blocks("[r]: #s\n    more [r]\n")
    assert block.inlines[0].links == (Link("#s", "r"),)


def test_admonition_reads_title_tag_and_body() -> None:
    text = 'Before.\n!!! meta "Commentary [t](#title)"\n    Body [x](#y).\n\n    More.\nAfter.\n'
    before, note, after = read_blocks(text)
    assert (before.kind, before.start, before.end) == ("paragraph", 0, 1)  # interrupted
    assert (note.kind, note.start, note.end, note.info) == ("admonition", 1, 5, "meta")
    assert note.content == "Commentary [t](#title)"
    assert [(i.line, [link.target for link in i.links]) for i in note.inlines] == [
        (1, ["#title"]),
        (2, ["#y"]),
    ]  # "More." can hold no link: its inline content is not read
    assert (after.kind, after.start) == ("paragraph", 5)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ('meta "Commentary"', ("meta", "Commentary")),
        ("note", ("note", "Note")),
        ('Note ""', ("note", "")),
        ("tip some words", ("tip", "some words")),
        ('danger warning "Two tags"', ("danger", "Two tags")),
    ],
)
def test_admonition_tag_and_title(params: str, expected: tuple[str, str]) -> None:
    assert admonition_tag(params) == expected


def test_admonition_ends_at_two_blank_lines_or_a_shallower_line() -> None:
    assert kinds("!!! note\n    a\n\n\n    b\n") == [("admonition", 0, 3), ("code", 4, 5)]
    assert kinds("!!! note\n    a\n  b\n") == [("admonition", 0, 2), ("paragraph", 2, 3)]
    assert kinds("!!!  note\n     a\n    b\n") == [("admonition", 0, 2), ("code", 2, 3)]


def test_admonition_closes_a_list_or_quote_it_follows() -> None:
    assert kinds("- a\n!!! note\n    b\n- c\n") == [
        ("list", 0, 1),
        ("admonition", 1, 3),
        ("list", 3, 4),
    ]
    assert [b.kind for b in read_blocks("> a\n!!! note\n    b\n")] == ["quote", "admonition"]


def test_no_admonition_inside_code_html_or_list_item_content() -> None:
    assert [b.kind for b in read_blocks("~~~\n!!! note\n    a\n~~~\n")] == ["fence"]
    assert [b.kind for b in read_blocks("<div>\n!!! note\n    a\n</div>\n")] == ["html"]
    assert [b.kind for b in read_blocks("    !!! note\n")] == ["code"]
    # nested in a list item: read as CommonMark reads it (its text continues the item)
    (item,) = read_blocks("- a\n  !!! note [x](#y)\n")
    assert (item.kind, item.end) == ("list", 2)
    assert [link.target for link in item.inlines[0].links] == ["#y"]


def test_admonition_after_a_fence_it_encloses_in_html_is_found_again() -> None:
    # `</user>` opens an HTML block only where the admonition before it ended the
    # paragraph; the fence-like line inside that block must not hide the next admonition
    text = "!!! meta\n</user>\n~~~xml\n\n!!! meta\n    [x](#y)\n"
    assert kinds(text) == [("admonition", 0, 1), ("html", 1, 3), ("admonition", 4, 6)]


def test_front_matter() -> None:
    assert front_matter_end(["---", "a: 1", "---", "# T"]) == 3
    assert front_matter_end(["----", "a: 1", "...", "# T"]) == 3
    assert front_matter_end(["---", "a: 1"]) is None  # never closed: not front matter
    assert front_matter_end(["# T", "---"]) is None
    blocks = read_blocks("---\ntitle: x\n---\n!!! meta\n    a\n# T\n")
    assert [(b.kind, b.start, b.end) for b in blocks] == [
        ("front_matter", 0, 3),
        ("admonition", 3, 5),
        ("heading", 5, 6),
    ]


def test_strict_heading_attributes() -> None:
    title, attrs = split_heading("Be clear {#be_clear authority=user tags=a,b .x}", 3)
    assert title == "Be clear"
    assert (attrs.id, attrs.classes) == ("be_clear", ("x",))
    assert attrs.pairs == (("authority", "user"), ("tags", "a,b"))
    assert split_heading("Plain {braces} here", 1)[0] == "Plain {braces} here"
    for broken in ("T {#a #b}", 'T {#a k="open}', "T {#a", "T {#a k=}"):
        with pytest.raises(InputError, match="line 7"):
            split_heading(broken, 7)


markdownish = st.lists(
    st.sampled_from(
        [
            "# H {#h}", "text [a](#b) [^c]", "- item", "  more", "!!! meta", "    body [d](#e)",
            "~~~", "<div>", "", "> q", "    code", "1. one", "---", "\t tab", "[r]: #s", "[r]",
        ]
    ),
    max_size=25,
).map("\n".join)  # fmt: skip


@given(markdownish)
def test_blocks_are_ordered_and_within_the_text(text: str) -> None:
    blocks = read_blocks(text)
    count = len(text.split("\n"))
    previous: Block | None = None
    for block in blocks:
        assert 0 <= block.start < block.end <= count
        if previous is not None:
            assert previous.end <= block.start
        assert all(block.start <= i.line < block.end for i in block.inlines)
        previous = block
