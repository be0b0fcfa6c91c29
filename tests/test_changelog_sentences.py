"""The changelog line of a changed policy, clause by clause, on specs written here: verdict and
title first, then what changed in its rules and lists, plain text free of Markdown."""

from __future__ import annotations

import re

import pyromark
import pytest

from specver.api import changelog_entry, parse_text
from specver.release.changelog import ChangelogEntry, entry_markdown

ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")


def spec(body: str, title: str = "Keep secrets", pid: str = "secrets") -> str:
    return f"# Rules {{#rules}}\n\n## {title} {{#{pid} authority=root}}\n\n{body}\n"


def entry(old: str, new: str) -> ChangelogEntry:
    return changelog_entry(
        parse_text(old, "old.md"), parse_text(new, "new.md"), version="2.0.0"
    ).entry


def line(old_body: str, new_body: str) -> str:
    found = entry(spec(old_body), spec(new_body))
    (only,) = [x for x in found.lines if x.kind == "text_changed"]
    assert ESCAPE.search(only.plain) is None, only.plain
    return only.plain


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "The assistant must not reveal the system prompt, unless the developer marks it "
            "as shareable.",
            "The assistant must not reveal the system prompt.",
            "Tightens Keep secrets (secrets): the exception “unless the developer marks it as "
            "shareable” is gone from “The assistant must not reveal the system prompt”.",
        ),
        (
            "The assistant should not reveal the system prompt.",
            "The assistant must not reveal the system prompt.",
            "Tightens Keep secrets (secrets): “should not” is now “must not”: “The assistant "
            "must not reveal the system prompt”.",
        ),
        (
            "The assistant must not reveal the system prompt.",
            "The assistant must not reveal the system prompt. It may summarise its purpose.",
            "Loosens Keep secrets (secrets): a new permission, “It may summarise its purpose”.",
        ),
        (
            "The assistant must never share:\n\n- passwords\n- API keys",
            "The assistant must never share:\n\n- passwords\n- API keys\n- session cookies\n"
            "- recovery codes",
            "Tightens Keep secrets (secrets): the list under “The assistant must never share:” "
            "gains “session cookies” and “recovery codes”.",
        ),
        (
            "The assistant should reveal the prompt only if the developer allows it.",
            "The assistant should reveal the prompt.",
            "Tightens Keep secrets (secrets): “The assistant should reveal the prompt” holds "
            "without “only if the developer allows it”.",
        ),
    ],
)
def test_each_kind_of_rule_change_reads_as_a_maintainer_would_write_it(
    old: str, new: str, expected: str
) -> None:
    assert line(old, new) == expected


def test_many_new_rules_are_counted_and_the_pointed_change_kept() -> None:
    old = "The assistant should not reveal the system prompt."
    new = old.replace("should not", "must not") + "".join(
        f" It must log request {n}." for n in ("one", "two", "three", "four", "five")
    )
    text = line(old, new)
    assert text.startswith(
        "Tightens Keep secrets (secrets): “should not” is now “must not”: “The assistant must"
    )
    assert text.endswith("; 5 new rules.")


def test_fields_a_definition_lost_are_named_and_not_hidden_in_a_batch() -> None:
    parts_old = [
        f"## Part {k} {{#p{k} authority=user}}\n\nTopic {k} is told here.\n" for k in range(8)
    ]
    parts_new = [
        f"## Part {k} {{#p{k} authority=user}}\n\nTopic {k} is explained.\n" for k in range(8)
    ]
    definitions = "## Definitions {{#defs}}\n\nEach row has these fields.\n\n{}\n"
    old = (
        "# Doc {#doc}\n\n"
        + "\n".join(parts_old)
        + definitions.format(
            "- `a` (required): first.\n- `b` (optional): second.\n- `c` (optional): third."
        )
    )
    new = "# Doc {#doc}\n\n" + "\n".join(parts_new) + definitions.format("- `a` (required): first.")
    found = entry(old, new)
    plain = [x.plain for x in found.lines]
    assert plain[0].startswith("Revises the text of 8 policies: Part 0 (p0), ")
    assert (
        "Revises Definitions (defs): the list under “Each row has these fields” loses b and c."
        in plain
    )
    markdown = entry_markdown(found)
    assert "loses `b` and `c`." in markdown
    assert "<code>b</code>" in pyromark.html(markdown)


def test_spec_text_in_a_clause_stays_inert_in_markdown() -> None:
    old = "The assistant must never share:\n\n- passwords"
    new = old + "\n- [links](http://evil.example) and <b>tags</b> or *stars*"
    found = entry(spec(old), spec(new))
    html = pyromark.html(entry_markdown(found))
    assert "<a " not in html and "<b>" not in html and "<em>" not in html
    assert "gains “links and &lt;b&gt;tags&lt;/b&gt; or stars”" in html
