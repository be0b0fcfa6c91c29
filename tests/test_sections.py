"""Parsing by sections gives exactly the spec a whole-document parse gives.

`parse` cuts a document at the top-level headings `sections.section_starts` finds and
reuses the sections the previously parsed document had. These properties build documents
from lines chosen to trip a cut (fences indented or not, HTML blocks of every kind, list
items, block quotes, admonitions, front matter, link reference definitions, tabs) and
compare with the parser's reading of the whole text.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import specver.spec.parse as parse_module
from specver.errors import InputError
from specver.spec.model import Spec
from specver.spec.parse import parse
from specver.spec.sections import section_starts

from .conftest import ACME, RELEASES

LINES = (
    # headings, real and not
    "# Part {#part}", "## Rule {#rule authority=user}", "### Plain heading", "#", "#\tTabbed",
    "####### seven", "#hashtag", "  # indented heading", "## Dup {#rule}", "## Bad {#x",
    # fences
    "~~~", "~~~xml", "```", "````", "~~~~", "  ~~~", "   ```bash", "    ~~~", "\t~~~",
    "``` a`b", " ~~~xml", "```python",
    # HTML blocks of each kind
    "<!--", "-->", "<!-- note -->", "<div>", "</div>", "<pre>", "</pre>", "<prefix>", "<?x",
    "?>", "<!DOCTYPE html>", "<![CDATA[", "]]>", "<span>", "<a href=", "  <div>", "<script>",
    "</script>", "  <!--",
    # containers
    "- item", "1. item", "  continued", "    indented", "* star", "10) ten", "> quote",
    "> ~~~", ">", '!!! meta "Commentary"', "    commentary body", "  half indented",
    # link reference definitions, footnotes and links
    "[a]: #rule", "[^n]: note", "[multi", "label]: /u", "- [b]: #part", "> [c]: #rule",
    "see [the rule](#rule) and [^n]", "[^n]: ", "[link][a]",
    # front matter and breaks
    "---", "...", "title: spec", "===", "***",
    # worked examples
    "**Example**: asking", "<user>", "hello", "</user>", "<assistant> <!-- GOOD -->",
    "</assistant>", "<assistant> <!-- BAD[#rule]: no -->",
    # prose
    "plain text", "The assistant must not lie.", "", "", "",
)  # fmt: skip

documents = st.lists(st.sampled_from(LINES), max_size=60).map("\n".join)


def _outcome(text: str) -> Spec | str:
    try:
        return parse(text)
    except InputError as exc:
        return f"InputError: {exc.message}"


def _whole(text: str) -> Spec | str:
    """What a whole-document parse gives (the sections kept for reuse are left alone)."""
    try:
        return parse(text, by_sections=False)
    except InputError as exc:
        return f"InputError: {exc.message}"


@given(documents)
@settings(max_examples=1000)
def test_parsing_by_sections_equals_parsing_whole(text: str) -> None:
    parse_module.forget_sections()
    assert _outcome(text) == _whole(text)


bodies = st.lists(st.sampled_from(LINES), max_size=12).map("\n".join)
HEADINGS = (
    "## Section {#s}", "## Section {#s authority=user}", "### Renamed {#t}", "# Top",
    "## Linked [to](#s) {#u}", "## Bad {#x", "## Closed ##", "### Closed {#c} ###",
    "##\tTabbed {#tab}", "## Hash# {#h}", "## Entity &amp; {#f}", "##   spaced   ", "#",
    "## Only hashes ### #", "## {#bare}",
)  # fmt: skip


@given(st.lists(bodies, min_size=1, max_size=5), st.data())
@settings(max_examples=600)
def test_sections_reused_from_the_last_document_read_the_same(
    pool: list[str], data: st.DataObject
) -> None:
    """Two versions built from the same section bodies under any headings: the second
    reuses what the first read, re-reading only headings that changed."""
    section = st.tuples(st.sampled_from(HEADINGS), st.sampled_from(pool)).map("\n".join)
    pick = st.lists(section, max_size=8).map("\n".join)
    first, second = data.draw(pick), data.draw(pick)
    _outcome(first)
    assert _outcome(second) == _whole(second)


def test_real_releases_are_cut_at_every_top_level_heading(corpus) -> None:
    """No construct in a real release stops the scan: one run per `#` heading."""
    for name in RELEASES:
        text = (corpus / f"{name}.md").read_text(encoding="utf-8")
        lines = text.split("\n")
        starts = section_starts(lines)
        assert starts is not None
        headings = [i for i in starts if i > 0]
        assert len(headings) == sum(1 for p in parse(text).policies) - (
            1 if lines[0].startswith("#") else 0
        )
        assert parse(text) == _whole(text)


def test_a_second_version_reuses_unchanged_sections() -> None:
    """The unchanged sections of the second version are the very objects read before."""
    old = (ACME / "v1.0.0" / "acme_spec.md").read_text(encoding="utf-8")
    new = (ACME / "v1.1.0" / "acme_spec.md").read_text(encoding="utf-8")
    parse(old)
    reused = dict(parse_module._LAST_DOCUMENT.fragments)
    parse(new)
    again = parse_module._LAST_DOCUMENT.fragments
    shared = [key for key in again if key in reused]
    assert shared, "the two versions share sections"
    for key in shared:
        (old_heading, before), (new_heading, after) = reused[key], again[key]
        if old_heading == new_heading:
            assert after is before
        else:  # only the heading was read again; the body is the one read before
            assert after.sections[0].examples is before.sections[0].examples
            assert after.sections[0].prose is before.sections[0].prose
    assert parse(new) == _whole(new)


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("# A\n~~~\n# not a heading\n~~~\n# B", [0, 4]),
        ("# A\n<!--\n# hidden\n-->\n# B", [0, 4]),
        ("# A\n<div>\n# inside html\n\n# B", [0, 4]),
        ("---\n# yaml comment\n---\n# A", [0, 3]),
        ("# A\n- item\n  ~~~\n  # code\n  ~~~\n# B", [0, 5]),
    ],
)
def test_cuts_skip_headings_inside_blocks(text: str, cut: list[int]) -> None:
    assert section_starts(text.split("\n")) == cut
    assert parse(text) == _whole(text)


@pytest.mark.parametrize(
    "text",
    [
        "# A\n[label]: #a\n# B",  # a reference definition reaches across sections
        "# A\n~~~\n# never closed",  # the parser repairs an open fence
        "# A\n- item\n  ~~~\n# B\n~~~\n# C",  # an indented fence left by a dedented line
        "# A\n<a href=\n~~~\n\n# code\n~~~\n# B",  # not HTML after all: the fence opens
    ],
)
def test_unclear_documents_are_parsed_whole(text: str) -> None:
    assert section_starts(text.split("\n")) is None
    assert parse(text) == _whole(text)


def test_forgetting_sections_makes_the_next_parse_read_everything() -> None:
    text = (ACME / "v1.0.0" / "acme_spec.md").read_text(encoding="utf-8")
    parse(text)
    before = dict(parse_module._LAST_DOCUMENT.fragments)
    parse_module.forget_sections()
    again = parse(text)
    after = parse_module._LAST_DOCUMENT.fragments
    assert after.keys() == before.keys()
    assert all(after[key][1] is not before[key][1] for key in after)
    assert again == _whole(text)


# Found by a review's differential fuzzing: each pair is (parsed first, compared second).
REVIEW_CASES = [
    ("# A\nbody", "# \x85{x{#id}\nbody"),  # NEL is text to CommonMark, blank to str.strip
    ("# A\nbody", "# \x85{x{#}\nbody"),
    ("# A\n[y][a]\n# B\nfoo", "# A\n[y][a]\n# B\n<\u017fcript>\n\n[a]: #t\n</script>"),
    ("", "<\u017fcript>\n```\n## Section {#s authority=user}\n</SCRIPT>"),  # long s
    ("", "<scr\u0131pt>\n```\n## Hash# {#h}\n</style>"),  # dotless i
    ("# A\nfoo\n# B\n[y][a\n\u00a0\nb]", "# A\n[a\n\u00a0\nb]: #t\n# B\n[y][a\n\u00a0\nb]"),
    ("# A\n[y][a]\n# B\nfoo", "# A\n[y][a]\n# B\n<div>\n\u00a0\n```\n\n[a]: #t\n```"),
    ("# A\nfoo\n# B\n[y][a]", "# A\n- x\n  <!--\n\u00a0\n\n  [a]: #t\n  -->\n# B\n[y][a]"),
    ("# A\n[y][a]\n# B\nfoo", "# A\n[y][a]\n# B\n- x\n   ```\n\u00a0\n   ```\n```\n[a]: #t\n```"),
    ("", "<user>\n\xa0\n<!x\n\n```python\n## Linked [to](#s) {#u}\n</user>"),
    (  # a label longer than the scan looks for its `]:`
        "# A\nfoo\n# B\n[y][" + "a" * 1100 + "]",
        "# A\n[" + "a" * 1100 + "\n]: #t\n# B\n[y][" + "a" * 1100 + "]",
    ),
    (  # more than one batch of runs, with a definition the scan cannot see
        "",
        "# A\n[y][a]\n"
        + "".join(f"# S{k}\n{'filler text ' * 90}\n" for k in range(300))
        + "# Z\n<\u017fcript>\n\n[a]: #t\n</script>",
    ),
]


@pytest.mark.parametrize(("first", "second"), REVIEW_CASES)
def test_what_the_scan_misreads_cannot_change_the_result(first: str, second: str) -> None:
    parse_module.forget_sections()
    _outcome(first)
    assert _outcome(second) == _whole(second)
    parse_module.forget_sections()
    assert _outcome(second) == _whole(second)
