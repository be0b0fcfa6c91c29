"""`diff/lists.py`: list items and definitions named as a reader names them, and which ones a
list gained or lost (unit tests and properties on prose written here)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from specver.diff.lists import DEFINITIONS, ItemName, item_name, list_changes, list_items

TERMS = ("alpha", "beta_id", "gamma", "delta", "epsilon", "zeta")


def fields(lead: str, names: list[str]) -> str:
    items = "\n".join(
        f"- `{n}` (optional): the {n.replace('_', ' ')} of the record." for n in names
    )
    return f"Intro paragraph. {lead}\n\n{items}\n\nA closing remark.\n"


def test_items_are_named_by_the_term_they_define() -> None:
    assert item_name("`recipient` (optional): who gets it") == (ItemName("recipient", True), True)
    assert item_name("**Tool**: a program the assistant calls") == (ItemName("Tool"), True)
    assert item_name("Misaligned goals: the assistant pursues the wrong goal") == (
        ItemName("Misaligned goals"),
        True,
    )
    name, term = item_name("resetting a password for someone who cannot prove they own it")
    assert not term and name.text.startswith("resetting a password for someone")
    # a bold phrase with no colon after it defines nothing
    assert item_name("**Never** share a code")[1] is False


def test_nested_items_sit_under_their_parent_and_code_blocks_are_skipped() -> None:
    prose = (
        "Each record has these fields.\n\n- `role`: who wrote it\n    - `user`: a person\n"
        "    - `tool`: a program\n- `body`: the text\n\n```\n- `fake`: inside a fence\n```\n\n"
        "<!-- - `hidden`: in a comment -->\n\n**Record**: one row.\n"
    )
    found = [(i.lead, i.name.text) for i in list_items(prose)]
    assert found == [
        ("Each record has these fields.", "role"),
        ("role", "user"),
        ("role", "tool"),
        ("Each record has these fields.", "body"),
        (DEFINITIONS, "Record"),
    ]


def test_a_definition_that_lost_fields_names_them() -> None:
    old = fields("Each record has the following fields.", ["alpha", "beta_id", "gamma"])
    new = fields("Each record has the following fields.", ["alpha", "delta"])
    (change,) = list_changes(old, new)
    assert change.lead == "Each record has the following fields."
    assert [n.text for n in change.added] == ["delta"]
    assert [n.text for n in change.removed] == ["beta_id", "gamma"]
    assert all(n.code for n in (*change.added, *change.removed))


def test_reworded_items_are_revised_not_gained_and_lost() -> None:
    old = "The assistant may offer:\n\n- a link to the help page\n- `form`: the contact form\n"
    new = (
        "The assistant may offer:\n\n- a link to the help page, or a short summary of it\n"
        "- `form`: the new contact form\n"
    )
    (change,) = list_changes(old, new)
    assert change.added == () and change.removed == ()
    assert {n.text for n in change.revised} == {
        "a link to the help page, or a short summary of it",
        "form",
    }


def test_a_lead_reworded_keeps_its_list_paired() -> None:
    old = fields("Each record has the following fields.", ["alpha", "beta_id", "gamma"])
    new = fields("Every record carries these fields.", ["alpha", "beta_id", "delta"])
    (change,) = list_changes(old, new)
    assert [n.text for n in change.added] == ["delta"]
    assert [n.text for n in change.removed] == ["gamma"]


subsets = st.lists(st.sampled_from(TERMS), unique=True, max_size=len(TERMS))


@given(subsets, subsets)
def test_gained_and_lost_items_are_the_set_differences_and_mirror(
    old_names: list[str], new_names: list[str]
) -> None:
    lead = "Each record has the following fields."
    old, new = fields(lead, old_names), fields(lead, new_names)
    forward = list_changes(old, new)
    backward = list_changes(new, old)
    assert list_changes(old, old) == ()
    added = {n.text for c in forward for n in c.added}
    removed = {n.text for c in forward for n in c.removed}
    if old_names and new_names:
        assert added == set(new_names) - set(old_names)
        assert removed == set(old_names) - set(new_names)
    assert {n.text for c in backward for n in c.added} == removed
    assert {n.text for c in backward for n in c.removed} == added
