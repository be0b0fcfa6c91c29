"""The line reader reads what it accepts exactly as markdown-it does, and declines the rest.

`plainread` reads plain spec sections without markdown-it. Its answers are only trusted
because they equal the parser's: these properties build documents in the shape specs are
written in (paragraphs, flat and nested lists, `~~~xml` examples, `!!! meta` commentary,
links, footnote markers) and perturb them with what could change a reading (code spans,
escapes, entities, emphasis, HTML, odd indentation, tabs, Unicode blanks, reference
definitions), then compare with a whole-document parse by markdown-it.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import specver.spec.parse as parse_module
from specver.spec.parse import parse
from specver.spec.plainread import BlockToken, heading_tokens, inline_children, line_count, read_run
from specver.spec.sections import HEADING_RE, section_starts

from .conftest import ACME, RELEASES
from .test_sections import _outcome, _whole

INLINE = (
    "word", "The assistant", "must not", "should", " ", " ", "(see", "below)", ":", ".",
    "[the rule](#rule)", "[?](#part)", "[docs](https://example.com/a_b)", "[](#rule)",
    "[^ab12]", "[^n]", "[X]", "[Sorry]", "`code`", "`[x](#rule)`", "`` a ` b ``", "`",
    "\\[", "\\]", "\\*", "\\", "*em*", "**bold**", "_u_", "*", "_", "^", "&amp;", "&", "&#91;",
    "<b>", "< 3", "<https://x.y>", "![img](#rule)", "[a *b*](#rule)", "[`c`](#rule)",
    "[^a_b]", "[*^a*]", "]", "[", "(", ")", "[a]:", "[a](#rule \"t\")", "[a](#é)",
    "[a](<#b>)", "[a] (#b)", "[a][b]", "[a](#b", "\u00a0", "\t", "\x85", "[l\\*](#rule)",
    "[`c`](https://x.y)", "`[^n]`", "[^n]:", "[^n](#rule)",
)  # fmt: skip

inline_text = st.lists(st.sampled_from(INLINE), min_size=1, max_size=8).map("".join)

BLOCK_LINES = (
    "", "", "", "**Example**: asking for help", "~~~xml", "~~~", "```", "```xml", "````",
    "<user>", "hello [x](#rule)", "</user>", "<assistant> <!-- GOOD -->", "</assistant>",
    '!!! meta "Commentary"', "!!! meta", "!!! note", '!!!  meta "Wide"', "!!!meta",
    "---", "***", "===", "- - -", "> quote", "#tag", "  ", "\t", "\t- tabbed",
    "## Sub {#sub authority=user}", "# Top {#top}", "## Bad {#x",
)  # fmt: skip

PREFIXES = (
    "", "", "", "- ", "* ", "+ ", "1. ", "2. ", "1) ", "10. ", "  - ", "    - ", "   - ",
    "  ", "   ", "    ", "     ", "        ", "      ", "    1. ", "-  ", "- ", "\u00a0",
)  # fmt: skip

line = st.one_of(
    st.sampled_from(BLOCK_LINES),
    st.builds(lambda p, t: p + t, st.sampled_from(PREFIXES), inline_text),
)
sections = st.lists(line, max_size=14).map("\n".join)
documents = st.builds(
    lambda preamble, bodies, heads: (
        preamble + "".join(f"\n{head}\n{body}" for head, body in zip(heads, bodies, strict=False))
    ),
    st.sampled_from(["", "Preamble text.", "---\ntitle: x\n---"]),
    st.lists(sections, min_size=1, max_size=5),
    st.lists(
        st.sampled_from(["# A {#a}", "## B {#b authority=root}", "## C", "### D [l](#a)"]),
        min_size=5,
        max_size=5,
    ),
)


@given(documents)
@settings(max_examples=1500)
def test_documents_read_by_the_line_reader_equal_the_whole_parse(text: str) -> None:
    parse_module.forget_sections()
    assert _outcome(text) == _whole(text)


@given(inline_text)
@settings(max_examples=1500)
def test_inline_text_reads_as_markdown_it_reads_it(text: str) -> None:
    document = f"# A {{#a}}\n\n{text}\n"
    parse_module.forget_sections()
    assert _outcome(document) == _whole(document)
    heading = f"## {text} {{#h}}"
    parse_module.forget_sections()
    assert _outcome(heading) == _whole(heading)


def _runs(text: str) -> list[list[BlockToken] | None]:
    """What the reader answers for each run, cut where the parser cuts or, where the scan
    would parse the text whole, at column-0 headings (the tests' texts then hold none in a
    fence or an HTML block)."""
    lines = text.split("\n")
    starts = section_starts(lines) or [
        n for n, line in enumerate(lines) if n == 0 or HEADING_RE.match(line)
    ]
    ends = [*starts[1:], line_count(lines)]
    return [
        read_run(lines, a, b, headed=HEADING_RE.match(lines[a]) is not None)
        for a, b in zip(starts, ends, strict=True)
    ]


def _without_markdown_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("markdown-it was needed")

    monkeypatch.setattr(parse_module, "structure_parser", refuse)


def test_real_releases_are_read_without_markdown_it(corpus, monkeypatch) -> None:
    for release in RELEASES:
        text = (corpus / f"{release}.md").read_text(encoding="utf-8")
        whole = parse(text, by_sections=False)
        parse_module.forget_sections()
        assert all(tokens is not None for tokens in _runs(text)), release
        with monkeypatch.context() as patch:
            _without_markdown_it(patch)
            assert parse(text) == whole, release


def test_the_example_history_is_read_without_markdown_it(monkeypatch) -> None:
    for spec in sorted(ACME.glob("v*/*.md")):
        text = spec.read_text(encoding="utf-8")
        whole = parse(text, by_sections=False)
        parse_module.forget_sections()
        with monkeypatch.context() as patch:
            _without_markdown_it(patch)
            assert parse(text) == whole, spec


@pytest.mark.parametrize(
    "body",
    [
        "```python\ncode\n~~~",  # a fence never closed
        "<div>\n[a](#b)\n</div>\n",  # an HTML block (to the blank line)
        "> quoted [a](#b)",  # a block quote
        "- item\n\n between margin and item column",  # neither in the item nor out
        "para\n- item interrupts",  # a list interrupting a paragraph
        "Title\n===",  # a setext heading
        "[a]: #b",  # a link reference definition
        'see `code` and [x](#y "title")',  # a link with a title
        "&#91;^n&#93;",  # an entity spelling a footnote marker
        "!!! note\n    [a](#b)",  # links in a non-commentary admonition
        "\t- tabbed item",  # a tab in the indentation
    ],
)
def test_what_the_reader_declines_is_still_read_right(body: str) -> None:
    text = f"# A {{#a}}\n{body}\n# B {{#b}}\nend\n"
    runs = _runs(text)
    assert runs[0] is None
    assert runs[1] is not None
    parse_module.forget_sections()
    assert _outcome(text) == _whole(text)


@pytest.mark.parametrize(
    "body",
    [
        "    indented code\n\n    more\n\nafter",
        "- a\nlazy line\n- b [x](#y)\n\n  second paragraph\n  - nested\n    - deeper\n- c",
        "1. one\n2. two\n\n\n3) new list\n- and\n* another",
        '!!! meta "Commentary"\n    body [x](#y)\n\n    - item\n\n\nafter',
        "~~~xml\n<user>\n  ~~~ not a closer\n</user>\n   ~~~~  \n**Example**: t",
        "  indented paragraph\nwith `code [x]` and a\\\nhard break [^n]",
    ],
)
def test_plain_sections_are_read_without_markdown_it(body: str) -> None:
    text = f"# A {{#a}}\n{body}\n# B {{#b}}\nend\n"
    assert all(tokens is not None for tokens in _runs(text))
    parse_module.forget_sections()
    assert _outcome(text) == _whole(text)


@pytest.mark.parametrize(
    ("lines", "targets", "footnotes"),
    [
        (["see [the rule](#rule) and [^ab]"], ["#rule"], "see the rule and [^ab]"),
        (["`[x](#no)` but [yes](#y)"], ["#y"], " but yes"),
        (["say \\[no](#n) or [X]"], [], "say [no](#n) or [X]"),
        (["[`c`](https://x.y) then", "more[^n]"], ["https://x.y"], " thenmore[^n]"),
        (["plain text"], [], None),
    ],
)
def test_inline_children_keep_links_and_the_text_footnotes_are_found_in(
    lines: list[str], targets: list[str], footnotes: str | None
) -> None:
    children = inline_children(lines)
    assert children is not None
    assert [c.attrs["href"] for c in children if c.type == "link_open"] == targets
    texts = [c.content for c in children if c.type == "text"]
    assert texts == ([] if footnotes is None else [footnotes])


@pytest.mark.parametrize(
    "text", ["[a](#é)", "&amp; [a](#b)", "<b>[a](#b)</b>", "![a](#b)", "[a [b](#c)](#d)", "[a"]
)
def test_inline_children_decline_what_could_read_otherwise(text: str) -> None:
    assert inline_children([text]) is None


def test_heading_tokens_read_level_title_and_closing_hashes() -> None:
    tokens = heading_tokens("### Title [l](#a) ##  ")
    assert tokens is not None
    assert tokens[0].tag == "h3"
    assert tokens[1].content == "Title [l](#a)"
    assert heading_tokens("####### seven") is None
    assert heading_tokens("# \x85{x{#id}") is None


# Found by differential fuzzing of the reader: each read differently before its fix.
FUZZ_CASES = [
    # a final line of blanks without a newline opens no line for markdown-it
    "# A {#a}\n## C\n- _[](#rule)`code``[x](#rule)`&`` a ` b ``[^n]\n  ",
    # a code span cannot join two paragraphs of an admonition body
    '## C\n!!! meta "Commentary"\n      `should[?](#part)\n    1. _u_>&]>should[a] (#b)_u_\n'
    "        [Sorry][l\\*](#rule)\xa0`\n\n",
    # a multi-line label followed by `:` defines a reference
    "# A\n[" + "a" * 40 + "\n]: #t\n# B\n[y][" + "a" * 40 + "]",
    # found by a review's own differential fuzzer:
    "# A {#a}\n\n[^x](javascript:alert)\n",  # a refused destination: brackets stay text
    "# A {#a}\n\n[^x](File:y)\n",
    "# A {#a}\n\n[^a\\ \nb]\n",  # a backslash before trailing spaces is text
    "# A {#a}\n\n- [^a\\  \n  b]\n",
    '# A {#a}\n\n!!! meta "C"\n    [^a \n    b]\n',  # trailing spaces before a break
    '# A {#a}\n\n!!! meta "C"\n    `x [^n]\n        - y`\n',  # a marker that continues
    '# A {#a}\n\n!!! meta "C"\n    100. `x [^n]\n        - y`\n',
]


@pytest.mark.parametrize("text", FUZZ_CASES)
def test_what_fuzzing_found_reads_as_markdown_it_reads_it(text: str) -> None:
    parse_module.forget_sections()
    assert _outcome(text) == _whole(text)
