"""Changelog sentences on the real Model Spec releases, asserted by policy id (the corpus is
read at run time from ../shared; none of its text is committed)."""

from __future__ import annotations

import re
from pathlib import Path

from specver.api import changelog_entry, load, parse_text
from specver.release.changelog import ChangelogEntry, EntryLine

ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")


def entry(corpus: Path, old: str, new: str) -> ChangelogEntry:
    return changelog_entry(
        load(str(corpus / f"{old}.md")), load(str(corpus / f"{new}.md")), version="v9.9.9"
    ).entry


def line_of(found: ChangelogEntry, policy: str, kind: str = "text_changed") -> EntryLine:
    lines = [x for x in found.lines if x.kind == kind and x.policies == (policy,)]
    assert len(lines) == 1, (policy, [x.plain for x in found.lines if policy in x.policies])
    return lines[0]


def test_verdicts_with_the_title_first_and_what_changed(corpus: Path) -> None:
    found = entry(corpus, "2025-04-11", "2025-09-12")
    privileged = line_of(found, "protect_privileged_information").plain
    assert privileged.startswith("Tightens and loosens Do not reveal privileged information (")
    assert "“should not” is now “must not”: “The assistant must not disclose" in privileged
    levels = line_of(found, "levels_of_authority").plain
    assert "gains “Root” and “System”, and loses “Platform”" in levels
    asked = line_of(found, "ask_clarifying_questions").plain
    assert "the list under “In interactive settings, the assistant may respond" in asked
    assert re.search(r"gains “answering based on .*” and loses “providing a response", asked)
    laws = line_of(found, "comply_with_laws").plain
    assert laws.startswith("Tightens and loosens ") and "“must not” is now “should”" in laws
    for line in found.lines:
        assert ESCAPE.search(line.plain) is None, line.plain
        assert "\\:" not in line.markdown and "\\(" not in line.markdown, line.markdown


def test_a_revision_that_changes_no_rule_names_what_it_revised(corpus: Path) -> None:
    found = entry(corpus, "2025-02-12", "2025-04-11")
    assert line_of(found, "definitions").plain.endswith("revises the definition of “Tool”.")
    risks = line_of(found, "risk_taxonomy").plain
    assert risks.startswith("Revises Specific risks (risk_taxonomy): revises “Misaligned goals”")
    lie = line_of(found, "do_not_lie").plain
    assert lie.startswith("Tightens Do not lie (do_not_lie): a new rule, ")


def test_fields_removed_from_a_definition_are_named(corpus: Path) -> None:
    text = (corpus / "2025-09-12.md").read_text(encoding="utf-8")
    fields = ("recipient", "settings", "end_turn")
    kept = [
        line
        for line in text.split("\n")
        if not re.match(rf"- `({'|'.join(fields)})`", line) and "`max_tokens`:" not in line
    ]
    assert len(kept) == len(text.split("\n")) - 4
    old, new = parse_text(text, "old.md"), parse_text("\n".join(kept), "new.md")
    found = changelog_entry(old, new, version="v9.9.9").entry
    definitions = line_of(found, "definitions")
    assert definitions.plain.startswith("Tightens Definitions (definitions): ")
    assert "the list under “Each message contains the following fields”" in definitions.plain
    assert definitions.plain.endswith("loses recipient, settings and end_turn.")
    assert "loses `recipient`, `settings` and `end_turn`." in definitions.markdown
    assert "max_tokens" not in definitions.plain  # it went with `settings`
