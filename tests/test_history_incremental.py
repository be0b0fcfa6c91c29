"""Incremental history equals comparing each pair whole: sections parsed once per walk give
the specs a whole parse gives, on generated histories (hostile edits included) and on the
corpus, and a walk's steps are those of `diff` over whole parses."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import git
from hypothesis import given
from hypothesis import strategies as st

from specver.api import diff, parse_text
from specver.history.reuse import SectionReader
from specver.history.walk import Outline, build_timeline
from specver.spec.parse import parse

from .conftest import RELEASES
from .gitutil import commit_file
from .gitutil import git as git_cmd
from .strategies import gen_specs, mutate, mutation_plans, render_spec

HOSTILE_LINES = (
    "```",  # a fence opened and never closed: swallows what follows
    "~~~xml",
    "<div>",  # an HTML block running to the next blank line
    "[anchor]: #somewhere",  # a link reference definition (global to the document)
    "[^note]: a footnote",
    "    indented code",
    "> a quote",
    "# {#broken authority=",  # a malformed attribute block: the parse raises
    "## Same title",
    "## Same title",
    "### A heading {#alpha}",  # an id that may collide with another section's
    "Setext heading",
    "====",
    "- a list item",
    "---",  # opens or closes front matter when it lands at the top
    "title: a front matter key",
    "# A heading {#_preamble}",  # a reserved id: renamed, with a warning
    "\ufeffBOM",
    "line with a carriage return\r",
    "# ",
    "#",
    "####### seven hashes",
)


def _whole(text: str) -> object:
    try:
        return parse(text, source="s", sha256="d")
    except Exception as exc:  # the parse's error is part of the result compared
        return type(exc), str(exc)


def _incremental(reader: SectionReader, text: str) -> object:
    try:
        return reader.read(text, source="s", sha256="d")
    except Exception as exc:
        return type(exc), str(exc)


def _hostile_edit(text: str, rnd: random.Random) -> str:
    lines = text.split("\n")
    at = rnd.randrange(len(lines) + 1)
    if rnd.random() < 0.3 and lines:
        del lines[min(at, len(lines) - 1)]
    else:
        lines.insert(at, rnd.choice(HOSTILE_LINES))
    return "\n".join(lines)


@given(
    spec=gen_specs(min_groups=1, max_groups=3),
    data=st.data(),
    seed=st.integers(0, 10_000),
)
def test_sections_parsed_once_give_the_whole_parse(spec, data, seed) -> None:
    """Each revision of a generated history (policy edits, renames, moves, removals, and
    hostile line edits) reads the same by sections as whole."""
    rnd = random.Random(seed)
    reader = SectionReader()
    texts = [render_spec(spec)]
    current = spec
    for k in range(3):
        current = mutate(current, data.draw(mutation_plans(current)), seed=seed + k)
        texts.append(render_spec(current))
        texts.append(_hostile_edit(texts[-1], rnd))
        texts.append(_hostile_edit(texts[-1], rnd))
    for text in texts:
        assert _incremental(reader, text) == _whole(text)


def _corpus_texts(corpus: Path) -> list[str]:
    return [(corpus / f"{name}.md").read_text(encoding="utf-8") for name in RELEASES]


def test_sections_parsed_once_give_the_whole_parse_on_the_corpus(corpus: Path) -> None:
    """The three releases, then a walk of paragraph edits, line insertions and removals,
    an unclosed fence and a duplicate id: every revision as a whole parse reads it."""
    rnd = random.Random(7)
    reader = SectionReader()
    texts = _corpus_texts(corpus)
    text = texts[-1]
    for k in range(12):
        starts = [m.start() for m in re.finditer(r"\n\n[A-Za-z]", text)]
        at = rnd.choice(starts) + 2
        text = text[:at] + f"Edit {k} of this paragraph. " + ("\n\n" * (k % 3)) + text[at:]
        texts.append(text)
    texts.append(texts[-1] + "\n```\nnever closed\n")
    texts.append(texts[-1].replace("{#red_line_principles", "{#chain_of_command", 1))
    for text in texts:
        assert _incremental(reader, text) == _whole(text)
    # most sections were read from the memo, not parsed again
    assert reader.reused > 5 * reader.parsed, (reader.reused, reader.parsed)


def test_a_walk_reads_each_unchanged_section_once(corpus: Path) -> None:
    reader = SectionReader()
    text = _corpus_texts(corpus)[-1]
    first = reader.read(text, source="s", sha256="d")
    parsed = reader.parsed
    edited = text.replace("\n\n", "\n\nA new sentence. ", 1)
    second = reader.read(edited, source="s", sha256="d")
    assert reader.parsed - parsed <= 2  # only the edited section (and no whole parse)
    assert reader.whole == 0
    # unchanged sections are the very same objects as in the revision before
    same = sum(1 for a, b in zip(first.policies, second.policies, strict=True) if a is b)
    assert same >= len(first.policies) - 2


def test_walk_steps_equal_whole_comparisons_on_the_bundle(bundle_repo: Path) -> None:
    repo = git.Repo(bundle_repo)
    timeline = build_timeline(repo, "model_spec.md", use_cache=False)
    specs = [
        parse(repo.git.show(f"{r.commit}:model_spec.md") + "\n", source="x")
        for r in timeline.revisions
    ]
    assert list(timeline.outlines) == [Outline.of(s) for s in specs]
    for step, (a, b) in zip(timeline.steps, itertools.pairwise(specs), strict=True):
        whole = diff(a, b)
        assert (step.pairs, step.changes, step.bump) == (whole.pairs, whole.changes, whole.bump)


def test_walk_steps_equal_whole_comparisons_on_a_generated_history(
    tmp_path: Path, corpus: Path
) -> None:
    """A git history of edits to a real release: each step is `diff` of the two revisions
    parsed whole, cold and from the cache."""
    repo_dir = tmp_path / "r"
    repo_dir.mkdir()
    git_cmd(repo_dir, "init", "-q", "-b", "main")
    rnd = random.Random(3)
    text = _corpus_texts(corpus)[1]
    texts = []
    for k in range(8):
        starts = [m.start() for m in re.finditer(r"\n\n[A-Za-z]", text)]
        at = rnd.choice(starts) + 2
        text = text[:at] + f"Step {k} says more. " + text[at:]
        if k == 5:
            text = text.replace("{#chain_of_command}", "{#chain_of_command_v2}", 1)
        texts.append(text)
        commit_file(repo_dir, "model_spec.md", text, f"edit {k}")
    repo = git.Repo(repo_dir)
    cold = build_timeline(repo, "model_spec.md")
    warm = build_timeline(repo, "model_spec.md")
    assert warm.steps == cold.steps and warm.outlines == cold.outlines
    specs = [parse_text(t) for t in texts]
    assert list(cold.outlines) == [Outline.of(s) for s in specs]
    for step, (a, b) in zip(cold.steps, itertools.pairwise(specs), strict=True):
        whole = diff(a, b)
        assert (step.pairs, step.changes, step.bump) == (whole.pairs, whole.changes, whole.bump)
    assert [r.subject for r in cold.revisions] == [f"edit {k}" for k in range(8)]
