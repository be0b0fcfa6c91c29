"""Incremental history equals comparing each pair whole: sections parsed once per walk give
the specs a whole parse gives, on generated histories (hostile edits included) and on the
corpus; policy pairs of the same text are not classified, and the changes are those of
classifying every pair; so a walk's steps are those of `diff` over whole parses with every
pair classified, cold and from the cache, on generated git histories and on the corpus
bundle."""

from __future__ import annotations

import itertools
import random
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import git
from hypothesis import given, settings
from hypothesis import strategies as st

from specver.api import diff, parse_text
from specver.config import Config
from specver.diff.classify import Context, same_text
from specver.diff.match import match_policies
from specver.history.reuse import SectionReader
from specver.history.walk import Outline, Step, build_timeline
from specver.spec.model import Spec, SpecDiff
from specver.spec.parse import parse

from .conftest import RELEASES
from .gitutil import commit_file, drop_section
from .gitutil import git as git_cmd
from .strategies import (
    gen_specs,
    mutate,
    mutation_plans,
    rename_ids,
    render_spec,
    shuffle_siblings,
)

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


@contextmanager
def _every_pair_classified() -> Iterator[None]:
    """Classification as a whole comparison does it without the shortcut: every pair of
    policies through every rule, the same text or not."""
    with mock.patch.object(Context, "changed", Context.paired):
        yield


def _whole_diff(old: Spec, new: Spec) -> SpecDiff:
    """`diff` with every policy pair classified."""
    with _every_pair_classified():
        return diff(old, new)


def _same_step(step: Step, whole: SpecDiff) -> bool:
    return (step.pairs, step.changes, step.bump) == (whole.pairs, whole.changes, whole.bump)


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
        assert _same_step(step, _whole_diff(a, b))


def _fenced_block(text: str, example_source: str) -> tuple[int, int]:
    """Where the fenced block holding a worked example's body starts and ends in `text`."""
    body = text.index(example_source)
    start = text.rfind("\n~~~", 0, body) + 1
    return start, text.index("~~~", body + len(example_source)) + 3


def _maintainer_edits(text: str, rnd: random.Random) -> list[str]:
    """Ten revisions after `text`: paragraph edits, a worked example moved to another
    section, a section renamed, an edit reverted and a section removed."""
    spec = parse_text(text)
    with_examples = [p for p in spec if p.examples and p.parent is not None]
    source, target = with_examples[0], with_examples[-1]
    out: list[str] = []
    for k in range(10):
        if k == 3:  # a worked example leaves one section for another
            start, end = _fenced_block(text, source.examples[0].source)
            block, text = text[start:end], text[:start] + text[end:]
            at, _end = _fenced_block(text, target.examples[0].source)
            text = text[:at] + block + "\n\n" + text[at:]
        elif k == 5:
            text = text.replace("{#" + source.id, "{#" + source.id + "_renamed", 1)
        elif k == 7:  # the edit of revision 6 taken back
            text = out[-2]
        elif k == 9:
            text = drop_section(text, target.id)
        else:
            starts = [m.start() for m in re.finditer(r"\n\n[A-Za-z]", text)]
            at = rnd.choice(starts) + 2
            text = text[:at] + f"Edit {k} says more here. " + text[at:]
        out.append(text)
    return out


def test_walk_steps_equal_whole_comparisons_on_the_bundle_and_edits_after_it(
    bundle_repo: Path,
) -> None:
    """The bundle's releases, then commits on top of them as a maintainer makes them. Each
    step, cold and from the cache, is `diff` of the two revisions parsed whole with every
    pair classified."""
    text = (bundle_repo / "model_spec.md").read_text(encoding="utf-8")
    for k, edited in enumerate(_maintainer_edits(text, random.Random(11))):
        commit_file(bundle_repo, "model_spec.md", edited, f"edit {k}")
    repo = git.Repo(bundle_repo)
    cold = build_timeline(repo, "model_spec.md")
    warm = build_timeline(repo, "model_spec.md")
    assert warm.steps == cold.steps and warm.outlines == cold.outlines
    assert len(cold.revisions) == 13
    specs = [
        parse(repo.git.show(f"{r.commit}:model_spec.md") + "\n", source="x") for r in cold.revisions
    ]
    assert list(cold.outlines) == [Outline.of(s) for s in specs]
    kinds = set()
    for step, (a, b) in zip(cold.steps, itertools.pairwise(specs), strict=True):
        assert _same_step(step, _whole_diff(a, b))
        kinds.update(c.kind for c in step.changes)
    # the edits above reached the rules they were meant for
    assert {"text_changed", "example_moved", "policy_renamed", "policy_removed"} <= kinds


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
        assert _same_step(step, _whole_diff(a, b))
    assert [r.subject for r in cold.revisions] == [f"edit {k}" for k in range(8)]


# --- policy pairs of the same text are not classified --------------------------------------


def _revision(spec, data, seed: int):
    """The next version of a generated spec: single-policy edits, sometimes every id renamed
    or siblings reordered (sections moved), so steps with and without renames come up."""
    nxt = mutate(spec, data.draw(mutation_plans(spec)), seed=seed)
    roll = data.draw(st.integers(0, 9))
    if roll == 0:
        nxt = rename_ids(nxt, f"_r{seed}")
    elif roll == 1:
        nxt = shuffle_siblings(nxt, random.Random(seed))
    return nxt


@given(spec=gen_specs(min_groups=1, max_groups=3), data=st.data(), seed=st.integers(0, 10_000))
def test_skipping_pairs_of_the_same_text_gives_the_whole_classification(spec, data, seed) -> None:
    """On generated pairs of versions (edits of every kind, renames, moves, removals), only
    the pairs whose texts differ go through the rules of one pair, and the changes and bump
    are exactly those of classifying every pair."""
    old = parse_text(render_spec(spec))
    new = parse_text(render_spec(_revision(spec, data, seed)))
    result = diff(old, new)
    whole = _whole_diff(old, new)
    assert (result.pairs, result.changes, result.bump) == (whole.pairs, whole.changes, whole.bump)
    ctx = Context(old, new, match_policies(old, new), Config().scheme)
    classified = [q.id for _p, q, _pair in ctx.changed()]
    every = [(p, q) for p, q, _pair in ctx.paired()]
    if ctx.renamed:
        assert classified == [q.id for _p, q in every]
    else:
        assert classified == [q.id for p, q in every if not same_text(p, q)]


def test_a_one_paragraph_edit_classifies_one_pair(corpus: Path) -> None:
    """Two revisions of a real release that differ in one paragraph: one pair of the
    hundreds goes through the rules of one pair; a link to a renamed section makes every
    pair go through them (links follow renames)."""
    text = _corpus_texts(corpus)[-1]
    old = parse_text(text)
    edited = next(p for p in old if p.prose.strip() and p.parent is not None)
    first_line = next(line for line in edited.prose.split("\n") if line.strip())
    new = parse_text(text.replace(first_line, first_line + " One more sentence.", 1))
    ctx = Context(old, new, match_policies(old, new), Config().scheme)
    assert [q.id for _p, q, _pair in ctx.changed()] == [edited.id]
    assert len(list(ctx.paired())) == len(old) > 50
    renamed = parse_text(text.replace("{#" + edited.id, "{#" + edited.id + "_v2", 1))
    ctx = Context(old, renamed, match_policies(old, renamed), Config().scheme)
    assert len(list(ctx.changed())) == len(list(ctx.paired()))


@settings(max_examples=8)
@given(spec=gen_specs(min_groups=1, max_groups=2), data=st.data(), seed=st.integers(0, 10_000))
def test_walk_of_a_generated_git_history_equals_whole_comparisons(spec, data, seed) -> None:
    """A git history of generated revisions (edits, renames, moves, hostile lines): each
    step of the walk, cold and from the cache, is `diff` of the two revisions parsed whole
    with every pair classified."""
    rnd = random.Random(seed)
    texts = [render_spec(spec)]
    current = spec
    for k in range(4):
        current = _revision(current, data, seed + k)
        texts.append(render_spec(current))
        hostile = _hostile_edit(texts[-1], rnd)
        if not isinstance(_whole(hostile), tuple):  # a revision the parser reads
            texts.append(hostile)
    with tempfile.TemporaryDirectory() as folder:
        repo_dir = Path(folder)
        git_cmd(repo_dir, "init", "-q", "-b", "main")
        for k, text in enumerate(texts):
            commit_file(repo_dir, "spec.md", text, f"revision {k}")
        repo = git.Repo(repo_dir)
        cold = build_timeline(repo, "spec.md")
        warm = build_timeline(repo, "spec.md")
        repo.close()
    assert warm.steps == cold.steps
    specs = [parse(t, source="x") for t in texts]
    assert list(cold.outlines) == [Outline.of(s) for s in specs]
    for step, (a, b) in zip(cold.steps, itertools.pairwise(specs), strict=True):
        assert _same_step(step, _whole_diff(a, b))
