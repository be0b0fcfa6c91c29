"""No edit unseen, as properties: generated documents with single-word edits at random
positions, and the corpus with a seeded single-word edit in every region kind.

The invariant: when two documents differ other than in whitespace or a BOM, `diff` reports
at least one change, exits 1, and names the section that holds the edited line (front
matter edits are `metadata_changed`, which names no section).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specver.api import diff, parse_text
from specver.cli.app import run
from specver.diff.details import ExampleMoved
from specver.spec.model import Spec, SpecDiff

from .conftest import CORPUS
from .strategies import EDITABLE_WORD_RE, documents, word_edits


def holder(spec: Spec, line: int) -> str | None:
    """Id of the section whose region holds a 1-based line; None for the front matter."""
    front = spec.front_matter
    if front is not None and line <= front.last_line:
        return None
    found = [p.id for p in spec if p.lines[0] <= line]
    assert found, f"line {line} is in no section"
    return found[-1]


def assert_seen(result: SpecDiff, line: int) -> None:
    """The diff found a change, and one that names the section holding `line`."""
    assert result.changes, f"the edit at line {line} went unreported"
    assert result.bump != "none"
    where = holder(result.new, line)
    if where is None:
        assert any(c.kind == "metadata_changed" for c in result.changes), result.changes
        return
    named = {c.policy for c in result.changes} | {
        c.details.old_policy for c in result.changes if isinstance(c.details, ExampleMoved)
    }
    assert where in named, (where, [(c.kind, c.policy) for c in result.changes])


@given(st.data())
def test_every_single_word_edit_is_reported_on_its_section(data: st.DataObject) -> None:
    text = data.draw(documents(), label="document")
    edit = data.draw(word_edits(text), label="edit")
    if edit is None:
        return
    result = diff(parse_text(text, "old.md"), parse_text(edit.text, "new.md"))
    assert_seen(result, edit.line)


def _reflowed(text: str) -> str:
    """Each paragraph line broken before its later sentences (indented lines, which may be
    admonition or code bodies, are left alone)."""
    return "\n".join(
        line if line.startswith(" ") else line.replace(". The assistant", ".\nThe assistant")
        for line in text.split("\n")
    )


WHITESPACE_ONLY: dict[str, Callable[[str], str]] = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "bom": lambda t: "\ufeff" + t,
    "trailing": lambda t: t.replace("\n", "  \n"),
    "reflow": _reflowed,
}
"""Edits that change nothing but whitespace or a byte-order mark. (Trailing tabs are left
out: the compiled parser does not close a fence on `~~~` followed by a tab, which
CommonMark allows; that is the parser's to fix, not a region left unseen.)"""


@given(documents(), st.sampled_from(sorted(WHITESPACE_ONLY)))
def test_whitespace_and_bom_alone_are_never_a_change(text: str, how: str) -> None:
    changed = WHITESPACE_ONLY[how](text)
    assert diff(parse_text(text), parse_text(changed)).changes == ()


# --- the corpus ---------------------------------------------------------------------------

REGION_KINDS: dict[str, Callable[[str, str], bool]] = {
    "heading": lambda line, state: line.startswith("#"),
    "prose": lambda line, state: state == "" and line[:1].isalpha(),
    "list item": lambda line, state: state == "" and bool(re.match(r"\s*(?:[-*+]|\d+\.) ", line)),
    "cross reference": lambda line, state: state == "" and "](#" in line,
    "example title": lambda line, state: state == "" and line.startswith("**Example"),
    "example message": lambda line, state: state == "xml" and "<" not in line,
    "verdict reason": lambda line, state: (
        state == "xml" and bool(re.search(r"<!-- *(BAD|GOOD|OK).*:", line))
    ),
    "commentary": lambda line, state: state == "meta" and line.startswith("    "),
    "code": lambda line, state: state == "code",
    "preamble": lambda line, state: state == "preamble",
    "front matter": lambda line, state: state == "front",
}
"""Each region kind the corpus has, known by its line and the block the line sits in
(it has no tables or block quotes: the generated documents above hold those)."""

PREFIX = """---
title: Corpus copy for tests
audience: [testers]
---

Specver's own words before the first heading, so the corpus has a preamble to edit.

"""


def _line_states(lines: list[str]) -> list[str]:
    """The block each line sits in: `front`, `preamble`, `xml`, `code`, `meta` or ``."""
    states: list[str] = []
    state = "front" if lines and lines[0] == "---" else "preamble"
    for k, line in enumerate(lines):
        if state == "front" and k > 0 and line == "---":
            states.append(state)
            state = "preamble"
            continue
        if state == "preamble" and line.startswith("#"):
            state = ""
        if state in ("", "meta") and line.startswith("~~~xml"):
            states.append("xml")
            state = "xml"
            continue
        if state in ("", "meta") and line.startswith("```"):
            states.append("code")
            state = "code"
            continue
        if state in ("xml", "code") and line.strip() in ("~~~", "```"):
            states.append(state)
            state = ""
            continue
        if state == "meta" and line.strip() and not line.startswith("    "):
            state = ""
        if state == "" and line.startswith("!!! meta"):
            states.append("meta")
            state = "meta"
            continue
        states.append(state)
    return states


def _seeded_edit(lines: list[str], k: int, rnd: random.Random) -> list[str]:
    words = list(EDITABLE_WORD_RE.finditer(lines[k]))
    m = rnd.choice([w for w in words if len(w.group(0)) > 3] or words)
    edited = lines[k][: m.start()] + "zq" + m.group(0) + lines[k][m.end() :]
    return [*lines[:k], edited, *lines[k + 1 :]]


CORPUS_FILES = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_FILES, reason=f"corpus not found at {CORPUS} (../shared is absent)")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.stem for p in CORPUS_FILES])
def test_corpus_single_word_edits_in_every_region_kind(path: Path, tmp_path: Path) -> None:
    lines = (PREFIX + path.read_text(encoding="utf-8")).split("\n")
    states = _line_states(lines)
    old = parse_text("\n".join(lines), "old.md")
    rnd = random.Random(f"unseen:{path.name}")
    for kind, test in REGION_KINDS.items():
        candidates = [
            k
            for k, line in enumerate(lines)
            if test(line, states[k]) and EDITABLE_WORD_RE.search(line) and line != "---"
        ]
        assert candidates, f"{path.name} has no {kind} line"
        k = rnd.choice(candidates)
        new_lines = _seeded_edit(lines, k, rnd)
        result = diff(old, parse_text("\n".join(new_lines), "new.md"))
        assert_seen(result, k + 1)
    # the exit status, through the command line, for the last edit
    (tmp_path / "old.md").write_text("\n".join(lines), encoding="utf-8")
    (tmp_path / "new.md").write_text("\n".join(new_lines), encoding="utf-8")
    assert (
        run(["diff", str(tmp_path / "old.md"), str(tmp_path / "new.md"), "--format", "json"]) == 1
    )
