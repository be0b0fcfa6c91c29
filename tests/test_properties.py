"""Properties of the parser and the diff on generated specs (hypothesis, `ci` profile budget)."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from specver.api import diff, diff_view
from specver.config import BUMP_LEVELS
from specver.diff.classify import highest_level
from specver.diff.kinds import KIND_NAMES as KINDS
from specver.errors import InputError
from specver.render import DIFF_RENDERERS, RenderOptions, render
from specver.spec.parse import parse
from tests.strategies import (
    any_text,
    change_signature,
    gen_specs,
    leaves,
    mirrored_signature,
    mutate,
    mutation_plans,
    noisy_text,
    rename_ids,
    render_spec,
    shuffle_siblings,
    spec_pairs,
    specs,
)


def parse_or_none(text: str):
    """The parsed spec, or None when specver refuses the text with its own InputError."""
    try:
        return parse(text)
    except InputError:
        return None


@given(any_text())
def test_parse_raises_only_input_error(text: str) -> None:
    spec = parse_or_none(text)
    if spec is not None:
        assert len({p.id for p in spec}) == len(spec), "ids must be unique after parsing"
        for p in spec:
            assert 1 <= p.depth <= 6
            assert p.parent is None or p.parent in spec


@given(specs())
def test_generated_specs_parse_without_errors(text: str) -> None:
    spec = parse(text)
    assert not [d for d in spec.diagnostics if d.severity == "error"]
    assert any(p.authority for p in spec)


@given(st.one_of(specs(), noisy_text()))
def test_diff_with_itself_is_empty(text: str) -> None:
    spec = parse_or_none(text)
    if spec is None:
        return
    result = diff(spec, parse(text))
    assert result.changes == ()
    assert result.bump == "none"


@given(spec_pairs())
def test_diff_mirrors_when_swapped(pair: tuple[str, str]) -> None:
    a, b = parse(pair[0]), parse(pair[1])
    forward, backward = diff(a, b), diff(b, a)
    assert {(p.old, p.new) for p in forward.pairs} == {(p.new, p.old) for p in backward.pairs}
    there = Counter(mirrored_signature(change_signature(forward, c)) for c in forward.changes)
    back = Counter(change_signature(backward, c) for c in backward.changes)
    assert there == back


@given(st.tuples(specs(), specs()))
def test_diff_of_unrelated_specs_mirrors(pair: tuple[str, str]) -> None:
    a, b = parse(pair[0]), parse(pair[1])
    forward, backward = diff(a, b), diff(b, a)
    assert {(p.old, p.new) for p in forward.pairs} == {(p.new, p.old) for p in backward.pairs}
    there = Counter(mirrored_signature(change_signature(forward, c)) for c in forward.changes)
    assert there == Counter(change_signature(backward, c) for c in backward.changes)


@given(gen_specs())
def test_renaming_every_id_yields_only_renames(model) -> None:
    before, after = parse(render_spec(model)), parse(render_spec(rename_ids(model)))
    result = diff(before, after)
    assert {c.kind for c in result.changes} <= {"policy_renamed"}
    renamed = {(c.details.old_id, c.details.new_id) for c in result.changes}
    expected = {(p.id, p.id + "_v2") for p in model.walk() if p.explicit}
    assert renamed == expected


@given(gen_specs(), st.integers(0, 2**16))
def test_shuffling_siblings_changes_nothing(model, seed: int) -> None:
    shuffled = shuffle_siblings(model, random.Random(seed))
    result = diff(parse(render_spec(model)), parse(render_spec(shuffled)))
    assert result.changes == ()


@given(st.data())
def test_bump_never_decreases_when_a_change_is_added(data: st.DataObject) -> None:
    base = data.draw(gen_specs())
    plan = data.draw(mutation_plans(base, max_steps=5))
    a = parse(render_spec(base))
    fewer = diff(a, parse(render_spec(mutate(base, plan[:-1]))))
    more = diff(a, parse(render_spec(mutate(base, plan))))
    assert BUMP_LEVELS.index(fewer.bump) <= BUMP_LEVELS.index(more.bump)


@given(st.data())
def test_every_mutation_is_reported(data: st.DataObject) -> None:
    base = data.draw(gen_specs())
    plan = data.draw(mutation_plans(base, max_steps=1))
    if not plan or not leaves(base):
        return
    result = diff(parse(render_spec(base)), parse(render_spec(mutate(base, plan))))
    assert result.changes, f"{plan} went unreported"
    assert result.bump != "none"


@given(st.lists(st.sampled_from(BUMP_LEVELS)), st.sampled_from(BUMP_LEVELS))
def test_highest_level_is_monotone(levels: list[str], extra: str) -> None:
    before = BUMP_LEVELS.index(highest_level(levels))
    assert BUMP_LEVELS.index(highest_level([*levels, extra])) >= before


@given(spec_pairs())
def test_every_diff_renders_in_every_format(pair: tuple[str, str]) -> None:
    result = diff(parse(pair[0], source="old.md"), parse(pair[1], source="new.md"))
    assert all(c.kind in KINDS for c in result.changes)
    for fmt in DIFF_RENDERERS:
        assert render(DIFF_RENDERERS, fmt, diff_view(result, fmt), RenderOptions()).strip()


CHANGELOG_HEADS = st.sampled_from(
    [
        "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2025-01-01\n\n- First.\n",
        "# Changelog\r\n\r\nNotes *kept* as they are.\r\n\r\n## 1.0.0\r\n\r\n- First.\r\n",
        "# History\n\n## v1.0.0 (2025-01-01)\n\n### Added\n- First.\n\n[1.0.0]: http://x\n",
        "",
    ]
)


@given(spec_pairs(), CHANGELOG_HEADS)
def test_changelog_insert_twice_equals_once_and_keeps_other_bytes(pair, existing: str) -> None:
    from specver.errors import SpecverError
    from specver.release.changelog import build_entry, insert_entry

    result = diff(parse(pair[0], source="old.md"), parse(pair[1], source="new.md"))
    if not result.changes:
        return
    entry = build_entry(result, "2.0.0", "2026-06-01")
    try:
        once = insert_entry(existing, entry)
    except SpecverError:
        return
    assert insert_entry(once, entry) == once
    # The entry is one inserted run: the old text is a prefix of it plus a suffix of it.
    head = 0
    while head < min(len(existing), len(once)) and existing[head] == once[head]:
        head += 1
    tail = 0
    while tail < len(existing) - head and existing[-1 - tail] == once[-1 - tail]:
        tail += 1
    assert head + tail == len(existing)
