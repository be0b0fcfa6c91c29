"""Bugs found by the property tests and the hostile-input suite, each pinned by a small case."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from specver.api import diff
from specver.diff.match import candidate_pairs, similar_pairs
from specver.diff.textdiff import is_copyedit
from specver.spec.parse import parse
from tests.strategies import change_signature, mirrored_signature

SRC = Path(__file__).resolve().parents[1] / "src"


def mirrors(old_text: str, new_text: str) -> bool:
    """Whether diff(a, b) and diff(b, a) report the same changes, seen from either side."""
    a, b = parse(old_text), parse(new_text)
    forward, backward = diff(a, b), diff(b, a)
    there = Counter(mirrored_signature(change_signature(forward, c)) for c in forward.changes)
    return there == Counter(change_signature(backward, c) for c in backward.changes)


def test_similarity_candidates_are_the_same_from_either_side() -> None:
    """match: candidates were each old policy's top 8 new ones only, so swapping lost pairs."""
    shared = frozenset({1})
    old = [(shared,)]
    new = [(frozenset({1, k}),) for k in range(2, 14)]
    forward = candidate_pairs(old, new)
    backward = candidate_pairs(new, old)
    assert sorted((i, j) for j, i in backward) == forward
    assert len(forward) == 12  # every new item names the old one as its best candidate


def test_similar_pairs_breaks_ties_by_content_not_by_side() -> None:
    """match: equal scores went to the lowest index on the old side, so pairs crossed."""
    old = ["alpha beta gamma delta one", "alpha beta gamma delta two"]
    new = ["alpha beta gamma delta three"]
    there = {(old[i], new[j]) for i, j, _ in similar_pairs(old, new, 0.5)}
    back = {(old[j], new[i]) for i, j, _ in similar_pairs(new, old, 0.5)}
    assert there == back


def test_leaving_a_removed_parent_is_a_move_like_entering_an_added_one() -> None:
    """classify: `moved` reported p entering an added parent, but not leaving a removed one."""
    nested = "# Group {#g}\n\nGroup text.\n\n## P {#p authority=user}\n\nThe assistant helps.\n"
    top = "## P {#p authority=user}\n\nThe assistant helps.\n"
    assert [c.kind for c in diff(parse(top), parse(nested)).changes_for("p")] == ["policy_moved"]
    assert [c.kind for c in diff(parse(nested), parse(top)).changes_for("p")] == ["policy_moved"]
    assert mirrors(nested, top)


def test_going_back_to_a_former_level_name_is_a_rename_too() -> None:
    """classify: platform -> root was a level rename but root -> platform a change of authority."""
    old = "# A {#a authority=platform}\n\nText a.\n\n# B {#b authority=user}\n\nText b.\n"
    new = old.replace("platform", "root")
    assert {c.kind for c in diff(parse(old), parse(new)).changes} == {"authority_level_renamed"}
    assert {c.kind for c in diff(parse(new), parse(old)).changes} == {"authority_level_renamed"}


def test_an_inferred_level_rename_needs_a_majority_both_ways() -> None:
    """classify: X -> Y counted X's majority only, so the swapped diff disagreed."""
    old = "".join(f"# P{k} {{#p{k} authority=alpha}}\n\nText {k}.\n\n" for k in range(2))
    old += "".join(f"# Q{k} {{#q{k} authority=gamma}}\n\nMore {k}.\n\n" for k in range(3))
    new = old.replace("alpha", "beta").replace("gamma", "beta")
    assert mirrors(old, new)


def test_links_that_follow_a_renamed_target_are_not_a_text_change() -> None:
    """classify: renaming an id and updating links to it reported text_changed as well."""
    old = "# A {#a authority=user}\n\nSee [?](#b).\n\n# B {#b authority=user}\n\nText b.\n"
    new = old.replace("#b", "#b2")
    kinds = [c.kind for c in diff(parse(old), parse(new)).changes]
    assert kinds == ["policy_renamed"]


def test_a_join_does_not_hide_a_substantive_insertion() -> None:
    """textdiff: the first joined word (`every one` -> `everyone`) ended the copy-edit check."""
    assert is_copyedit("Every one may ask us.", "Everyone may ask us.")
    assert not is_copyedit(
        "Every one may ask us for help.", "Everyone may ask us for help and for money every day."
    )


def test_long_repetitive_sections_diff_in_near_linear_time(tmp_path: Path) -> None:
    """textdiff: difflib on 100,000 identical list items took minutes (hang guard, not a timer)."""
    text = "# T {#t}\n\n" + "".join("  " * (k % 40) + "- item\n" for k in range(100_000))
    (tmp_path / "a.md").write_text(text)
    (tmp_path / "b.md").write_text(text.replace("item", "entry", 3))
    done = subprocess.run(
        [sys.executable, "-m", "specver", "diff", tmp_path / "a.md", tmp_path / "b.md"],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, far above a run on a loaded machine
        check=False,
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 1 and "text_changed" in done.stdout, done.stderr


def test_an_unpaired_parent_is_not_the_top_level() -> None:
    """match: a policy under an unpaired parent scored 'same parent' against a top-level one
    (the parent mapped to None), in one direction only."""
    from specver.diff import match

    top = parse("# P {#p authority=user}\n\nThe assistant helps with every task.\n")
    nested = parse("# G {#g}\n\n## Q {#q authority=user}\n\nThe assistant helps with tasks.\n")
    a, b = match._profile(top["p"]), match._profile(nested["q"])
    assert match._score(a, b, 0.0, {}) == match._score(b, a, 0.0, {})
