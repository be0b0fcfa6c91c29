"""Pairing stays linear on huge policies (statements, examples) and still pairs what it must."""

from __future__ import annotations

from specver.diff import normative
from specver.diff.normative import PAIRING_LIMIT, PAIRING_WINDOW, _candidates


def test_small_policies_compare_every_pair() -> None:
    assert len(list(_candidates(30, 40))) == 30 * 40


def test_large_policies_compare_a_band_of_bounded_width() -> None:
    m, n = 3_000, 2_000
    assert m * n > PAIRING_LIMIT
    pairs = list(_candidates(m, n))
    # each old statement sees at most the window on either side, scaled to the longer side
    assert len(pairs) <= m * (2 * PAIRING_WINDOW + 1) * max(m, n) // min(m, n) + m
    assert all(abs(i * n - j * m) <= PAIRING_WINDOW * max(m, n) for i, j in pairs)
    # every statement has a neighbour to be paired with
    assert {i for i, _ in pairs} == set(range(m)) and {j for _, j in pairs} == set(range(n))


def test_the_band_mirrors_when_the_versions_swap() -> None:
    m, n = 1_200, 900
    forward = set(_candidates(m, n))
    backward = {(i, j) for j, i in _candidates(n, m)}
    assert forward == backward


def test_every_sentence_of_a_huge_policy_is_still_paired(monkeypatch) -> None:
    """With the band in force, each weakened rule is found where it stands."""
    monkeypatch.setattr(normative, "PAIRING_LIMIT", 100)
    old = " ".join(f"The assistant must do thing {k}." for k in range(60))
    new = " ".join(f"The assistant should do thing {k}." for k in range(60))
    rules = normative.policy_rules(old, new)
    weakened = [c for c in rules.changes if c.rule == "modality_weakened"]
    assert len(weakened) == 60
    assert rules.verdict == "loosened"


def test_locating_many_example_changes_pairs_the_examples_once(monkeypatch) -> None:
    """`located` looks each changed example up by title; it does not re-pair per change."""
    from bench.pathological import examples_per_policy
    from specver.api import diff, parse_text
    from specver.diff import classify

    calls: list[int] = []
    real = classify._pair_examples

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(classify, "_pair_examples", counting)
    old, new, _config = examples_per_policy(200)
    result = diff(parse_text(old), parse_text(new))
    located = [c for c in result.changes if c.kind == "example_changed"]
    assert len(located) == 200 and all(c.new_lines for c in located)
    assert len(calls) <= 4, len(calls)


def test_a_rule_word_that_left_the_sentence_is_named_as_gone() -> None:
    """A duty whose sentence no longer reads as a rule is not shown as “must” → “”."""
    rules = normative.policy_rules(
        "If a user asks about billing, Helper must direct them to the billing page.",
        "If a user asks about billing, Helper may direct them to the billing page.",
    )
    phrases = [normative.rule_phrase(c) for c in rules.changes]
    assert phrases and all("“”" not in phrase for phrase in phrases), phrases
    assert rules.verdict == "loosened"
