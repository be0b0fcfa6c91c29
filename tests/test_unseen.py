"""No edit unseen: every region of a document is part of the model and of the diff.

Each case edits one region kind of a document written for these tests and checks the
change that names the section holding the edit; whitespace-only edits and reordered
examples stay silent. The property over generated documents is in test_properties_unseen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from specver.api import check, diff, parse_text
from specver.diff.details import ExampleChanged, MetadataChanged, OtherTextChanged, details_of
from specver.spec.model import DOCUMENT_ID, PREAMBLE_ID, Change, SpecDiff

DOCUMENT = """---
title: Household assistant
version: 3
owners: [ana, ben]
---

This preamble says who the assistant serves and in what spirit.

# Care for the household {#care authority=root}

The assistant must keep the household's shopping list [private][policy].

[policy]: https://example.org/house-rules "House rules"

<!-- reviewers: keep this section short -->

| chore | owner |
|---|---|
| dishes | ana |

```python
budget = 40
```

    indented sample line

<div class="note">an html block</div>

> a quoted remark from the owners

!!! note "Aside"
    an aside that is not commentary

[^house]: a footnote about the house

!!! meta "Commentary"
    Commentary explains why the rule exists.

Setext section {#setext authority=user}
---------------------------------------

The assistant should greet the guests politely.

**Example**: a guest asks for the list

~~~xml
<user>
What is on the list?
</user>
<assistant> <!-- BAD: the list belongs to the household -->
Milk, eggs and a gift for Ben.
</assistant>
<assistant> <!-- GOOD -->
I can't share that, sorry.
</assistant>
~~~
"""

EDITS = [
    ("Household assistant", "House helper", "metadata_changed", None),
    ("version: 3", "version: 4", "metadata_changed", None),
    ("preamble says", "preamble tells", "text_changed", PREAMBLE_ID),
    ("house-rules", "house-laws", "text_changed", "care"),
    ('"House rules"', '"House laws"', "text_changed", "care"),
    ("keep this section", "keep that section", "text_changed", "care"),
    ("| dishes | ana |", "| dishes | ben |", "text_changed", "care"),
    ("budget = 40", "budget = 50", "text_changed", "care"),
    ("indented sample line", "indented example line", "text_changed", "care"),
    ("an html block", "an html note", "text_changed", "care"),
    ("a quoted remark", "a quoted aside", "text_changed", "care"),
    ("an aside that", "a note that", "text_changed", "care"),
    ("a footnote about", "a note about", "text_changed", "care"),
    ("why the rule exists", "why the rule is here", "commentary_changed", "care"),
    ("why the rule exists.", "why the rule exists!", "commentary_changed", "care"),
    ("Setext section", "Setext part", "policy_retitled", "setext"),
    ("greet the guests", "greet the visitors", "text_changed", "setext"),
    ("belongs to the household", "is private", "example_changed", "setext"),
    ("Milk, eggs", "Milk; eggs", "example_changed", "setext"),
    ("<!-- GOOD -->", "<!-- GOOD: it declines -->", "example_changed", "setext"),
]


def _changes(old: str, new: str) -> SpecDiff:
    return diff(parse_text(old, "old.md"), parse_text(new, "new.md"))


@pytest.mark.parametrize(("old", "new", "kind", "policy"), EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_in_every_region_kind_is_reported_on_its_section(
    old: str, new: str, kind: str, policy: str | None
) -> None:
    assert DOCUMENT.count(old) == 1
    result = _changes(DOCUMENT, DOCUMENT.replace(old, new))
    assert (kind, policy) in {(c.kind, c.policy) for c in result.changes}, result.changes
    assert result.bump != "none"


def test_the_document_as_read_has_every_region() -> None:
    spec = parse_text(DOCUMENT)
    assert [p.id for p in spec] == [PREAMBLE_ID, "care", "setext"]
    assert (
        spec[PREAMBLE_ID].prose == "This preamble says who the assistant serves and in what spirit."
    )
    assert spec[PREAMBLE_ID].lines == (7, 7)
    assert spec[PREAMBLE_ID].authority is None
    assert spec.front_matter is not None
    assert spec.front_matter.entries == (
        ("title", "Household assistant"),
        ("version", "3"),
        ("owners", '["ana", "ben"]'),
    )
    assert "[policy]: https://example.org/house-rules" in spec["care"].prose
    assert not check(spec)


@pytest.mark.parametrize(
    "variant",
    [
        DOCUMENT.replace("\n", "\r\n"),
        "\ufeff" + DOCUMENT,
        DOCUMENT.replace("serves and in", "serves  and\nin"),
        DOCUMENT.replace("politely.", "politely.   "),
        DOCUMENT.replace("version: 3", "version:   3"),
        DOCUMENT.replace("\n\nThe assistant should", "\n\n\n\nThe assistant should"),
    ],
    ids=["crlf", "bom", "reflow", "trailing-spaces", "yaml-spacing", "blank-lines"],
)
def test_whitespace_and_bom_are_no_change(variant: str) -> None:
    assert _changes(DOCUMENT, variant).changes == ()


def test_front_matter_keys_added_removed_and_changed() -> None:
    new = DOCUMENT.replace("version: 3\n", "").replace(
        "owners: [ana, ben]", "owners: [ana]\nlang: en"
    )
    found = {
        (d.key, d.old, d.new)
        for d in (details_of(c, MetadataChanged) for c in _changes(DOCUMENT, new).changes)
    }
    assert found == {
        ("version", "3", None),
        ("owners", '["ana", "ben"]', '["ana"]'),
        ("lang", None, "en"),
    }
    changes = _changes(DOCUMENT, new).changes
    assert all(c.kind == "metadata_changed" and c.level == "patch" for c in changes)


def test_bad_yaml_front_matter_is_compared_as_opaque_text() -> None:
    old = DOCUMENT.replace("owners: [ana, ben]", "owners: [ana, ben")
    spec = parse_text(old)
    assert spec.front_matter is not None and spec.front_matter.entries is None
    (change,) = _changes(old, old.replace("[ana, ben", "[ana, bob")).changes
    d = details_of(change, MetadataChanged)
    assert d.key == "(front matter)" and change.policy is None
    assert d.old is not None and "ben" in d.old and d.new is not None and "bob" in d.new


def test_a_yaml_comment_is_a_front_matter_change() -> None:
    new = DOCUMENT.replace("version: 3", "version: 3  # bumped by hand")
    (change,) = _changes(DOCUMENT, new).changes
    assert details_of(change, MetadataChanged).key == "(front matter)"


TEMPLATE = """You are {{ assistant_name }}, a helpful assistant for {{ company }}.

{% if user.is_minor %}
Never discuss alcohol with the user.
{% endif %}

Always answer in {{ language }}.
"""


def test_a_document_without_headings_is_one_section() -> None:
    spec = parse_text(TEMPLATE)
    assert [p.id for p in spec] == [DOCUMENT_ID]
    assert "Never discuss alcohol" in spec[DOCUMENT_ID].prose
    result = _changes(TEMPLATE, TEMPLATE.replace("Never discuss", "Avoid discussing"))
    assert {c.policy for c in result.changes} == {DOCUMENT_ID}
    assert {c.kind for c in result.changes} == {"text_changed"}


def test_removing_the_preamble_is_reported() -> None:
    new = DOCUMENT.replace("This preamble says who the assistant serves and in what spirit.\n", "")
    assert (PREAMBLE_ID, "policy_removed") in {
        (c.policy, c.kind) for c in _changes(DOCUMENT, new).changes
    }


def test_a_heading_that_declares_a_reserved_id_is_renamed_with_a_warning() -> None:
    text = "Intro words.\n\n# Odd {#_preamble authority=user}\n\nThe assistant may joke.\n"
    spec = parse_text(text)
    assert [p.id for p in spec] == [PREAMBLE_ID, "_preamble~2"]
    assert spec["_preamble~2"].authority == "user"
    (finding,) = check(spec)
    assert finding.code == "reserved_id" and finding.severity == "warning"
    # the same id whether or not a preamble exists
    alone = parse_text(text.replace("Intro words.\n\n", ""))
    assert [p.id for p in alone] == ["_preamble~2"]


def test_a_slug_that_equals_a_reserved_id_is_renamed() -> None:
    spec = parse_text("# _document\n\nText.\n")
    assert [p.id for p in spec] == ["_document~2"]


def _rationales(changes: tuple[Change, ...]) -> list[tuple[str, str]]:
    return [
        (r.old, r.new)
        for c in changes
        if isinstance(c.details, ExampleChanged)
        for r in c.details.rationales
    ]


def test_a_rewritten_verdict_reason_says_what_changed() -> None:
    new = DOCUMENT.replace("the list belongs to the household", "the guest might be a parent")
    result = _changes(DOCUMENT, new)
    assert _rationales(result.changes) == [
        ("the list belongs to the household", "the guest might be a parent")
    ]
    from specver.diff.kinds import describe

    (change,) = result.changes
    assert "the guest might be a parent" in describe(change)


def test_reordered_examples_and_answers_are_no_change_but_reordered_words_are() -> None:
    two = "# P {#p authority=user}\n\nThe assistant may help.\n\n" + "\n\n".join(
        f"**Example**: case {n}\n\n~~~xml\n<user>\nask {n}\n</user>\n"
        f"<assistant> <!-- GOOD -->\nanswer {n}\n</assistant>\n~~~"
        for n in ("one", "two")
    )
    blocks = two.split("\n\n**Example**")
    swapped = blocks[0] + "\n\n**Example**" + blocks[2] + "\n\n**Example**" + blocks[1]
    assert _changes(two, swapped + "\n").changes == ()


def test_the_safety_net_reports_a_heading_attribute_no_rule_reads() -> None:
    old = "# P {#p authority=user owner=ana}\n\nThe assistant may help.\n"
    (change,) = _changes(old, old.replace("owner=ana", "owner=ben")).changes
    assert change.kind == "other_text_changed" and change.policy == "p"
    d = details_of(change, OtherTextChanged)
    assert d.removed_words == ("owner=ana}",) and d.added_words == ("owner=ben}",)


def test_cli_diff_exits_1_on_a_preamble_edit_and_show_lists_the_regions(
    tmp_path: Path, cli
) -> None:
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text(DOCUMENT, encoding="utf-8")
    new.write_text(DOCUMENT.replace("preamble says", "preamble tells"), encoding="utf-8")
    result = cli("diff", old, new)
    assert result.code == 1 and PREAMBLE_ID in result.out
    shown = cli("show", old)
    assert shown.code == 0
    assert re.search(r"\(preamble\)\s+#_preamble", shown.out)
    assert "front matter" in shown.out and "title, version, owners" in shown.out
    checked = cli("check", old)
    assert checked.code == 0, checked.out


def test_every_kind_is_documented_in_the_diff_contract() -> None:
    from specver.diff.kinds import KIND_NAMES as KINDS

    doc = (Path(__file__).parent.parent / "docs" / "diff.md").read_text(encoding="utf-8")
    table = [line for line in doc.splitlines() if line.startswith("| `")]
    for kind in KINDS:
        assert any(f"`{kind}`" in line.split("|")[1] for line in table), kind
    rows = {line.split("|")[1].strip(): line for line in table}
    assert all(f"`{key}`" in rows["`metadata_changed`"] for key in ("key", "old", "new"))
    assert "`rationales`" in rows["`example_changed`"]


def test_a_fork_merge_takes_upstream_preamble_and_front_matter_edits() -> None:
    from specver.fork.compare import compare_fork, merge_fork

    upstream = DOCUMENT.replace("version: 3", "version: 4").replace(
        "preamble says", "preamble tells"
    )
    fork = DOCUMENT.replace("greet the guests", "greet the visitors")
    report = compare_fork(parse_text(DOCUMENT), parse_text(upstream), parse_text(fork))
    assert report.conflicts == ()
    merged = merge_fork(report, upstream, fork)
    assert merged.conflicts == ()
    spec = parse_text(merged.text)
    assert spec.front_matter is not None and ("version", "4") in (spec.front_matter.entries or ())
    assert spec[PREAMBLE_ID].prose.startswith("This preamble tells")
    assert "greet the visitors" in spec["setext"].prose
    assert merged.text.count("This preamble") == 1


def test_a_preamble_both_sides_edited_is_a_conflict_on_its_section() -> None:
    from specver.fork.compare import compare_fork, merge_fork

    upstream = DOCUMENT.replace("preamble says", "preamble tells")
    fork = DOCUMENT.replace("preamble says", "preamble shows")
    report = compare_fork(parse_text(DOCUMENT), parse_text(upstream), parse_text(fork))
    assert [c.policy for c in report.conflicts] == [PREAMBLE_ID]
    merged = merge_fork(report, upstream, fork)
    assert merged.conflicted == (PREAMBLE_ID,)
    assert "preamble tells" in merged.text and "preamble shows" in merged.text


def test_links_and_citations_that_follow_a_rename_are_no_example_change() -> None:
    old = (
        "# Keep secrets {#keep authority=root}\n\nThe assistant must keep secrets.\n\n"
        "# Help {#help authority=user}\n\nThe assistant should help.\n\n"
        "**Example**: a leak\n\n~~~xml\n<user>\nTell me, see [the rule](#keep).\n</user>\n"
        "<assistant> <!-- BAD[#keep]: leaks -->\nHere it is.\n</assistant>\n~~~\n"
    )
    new = old.replace("#keep", "#guard_secrets")
    result = _changes(old, new)
    assert [(c.kind, c.policy) for c in result.changes] == [("policy_renamed", "guard_secrets")]
