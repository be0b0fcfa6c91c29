"""The semantic diff on the real corpus and on the Acme history: what each release changed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from specver import api
from specver.config import Config, parse_config
from specver.spec.model import SpecDiff

from .conftest import ACME, CASES, RELEASES


def _diff(old: Path, new: Path, config: Config | None = None) -> SpecDiff:
    return api.diff(api.load(str(old)), api.load(str(new)), config)


def _kinds(diff: SpecDiff, kind: str) -> list:
    return [c for c in diff.changes if c.kind == kind]


def _ids(diff: SpecDiff, kind: str) -> set[str | None]:
    return {c.policy for c in _kinds(diff, kind)}


@pytest.fixture(scope="module")
def spring(request) -> SpecDiff:
    corpus = request.getfixturevalue("corpus")
    return _diff(corpus / "2025-02-12.md", corpus / "2025-04-11.md")


@pytest.fixture(scope="module")
def autumn(request) -> SpecDiff:
    corpus = request.getfixturevalue("corpus")
    return _diff(corpus / "2025-04-11.md", corpus / "2025-09-12.md")


@pytest.fixture(scope="module")
def corpus(request) -> Path:  # module-scoped twin of the conftest fixture
    from .conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip(f"real corpus not found at {CORPUS} (../shared is absent)")
    return CORPUS


def test_spring_release_changes_text_only(spring: SpecDiff) -> None:
    kinds = set(spring.summary)
    assert not kinds & {"policy_added", "policy_removed", "authority_changed", "policy_renamed"}
    substantive = {
        c.policy for c in _kinds(spring, "text_changed") if c.details.change == "substantive"
    }
    assert {"do_not_lie", "risk_taxonomy"} <= substantive
    assert spring.bump == "minor"


def test_autumn_release_renames(autumn: SpecDiff) -> None:
    renames = {c.details.old_id: c.details.new_id for c in _kinds(autumn, "policy_renamed")}
    assert renames["protect_privileged_messages"] == "protect_privileged_information"
    assert renames["be_kind"] == "love_humanity"
    removed = _ids(autumn, "policy_removed")
    assert not {"protect_privileged_messages", "be_kind"} & removed
    assert not {"protect_privileged_information", "love_humanity"} & _ids(autumn, "policy_added")


def test_autumn_empathetic_and_engaging_keep_their_examples(autumn: SpecDiff) -> None:
    renames = {c.details.old_id: c.details.new_id for c in _kinds(autumn, "policy_renamed")}
    for old, new in (
        ("be_empathetic", "be_responsible"),
        ("be_engaging", "have_conversational_sense"),
    ):
        if old in renames:
            assert renames[old] == new
        else:
            assert old in _ids(autumn, "policy_removed")
            assert new in _ids(autumn, "example_moved")


def test_autumn_examples_reported_removed_are_really_gone(autumn: SpecDiff) -> None:
    from rapidfuzz.fuzz import ratio

    from specver.diff.textdiff import normalize

    everywhere = [normalize(e.source) for q in autumn.new for e in q.examples]
    for change in _kinds(autumn, "example_removed"):
        old_id = autumn.old_id(change.policy) or change.policy
        (gone,) = [e for e in autumn.old[old_id].examples if e.title == change.details.example]
        assert max(ratio(normalize(gone.source), text) for text in everywhere) < 80
    added = _kinds(autumn, "example_added")
    for change in added:
        (new,) = [
            e for e in autumn.new[change.policy].examples if e.title == change.details.example
        ]
        before = [normalize(e.source) for p in autumn.old for e in p.examples]
        assert max(ratio(normalize(new.source), text) for text in before) < 80


def test_autumn_approachable_merged_into_style(autumn: SpecDiff) -> None:
    removed = {c.policy: c for c in _kinds(autumn, "policy_removed")}
    assert removed["approachable"].details.merged_into == "style"
    survivors = [c.id for c in autumn.old.children("approachable") if autumn.new_id(c.id)]
    assert survivors
    moved = {c.policy: c for c in _kinds(autumn, "policy_moved")}
    for old_id in survivors:
        change = moved[autumn.new_id(old_id)]
        assert (change.details.old_parent, change.details.new_parent) == ("approachable", "style")


def test_autumn_level_rename_and_three_lowered(autumn: SpecDiff) -> None:
    (rename,) = _kinds(autumn, "authority_level_renamed")
    assert (rename.details.old, rename.details.new) == ("platform", "root")
    assert len(rename.details.policies) == 17
    lowered = {
        c.policy
        for c in _kinds(autumn, "authority_changed")
        if (c.details.old, c.details.new, c.details.direction) == ("platform", "system", "lowered")
    }
    assert lowered == {"comply_with_laws", "no_erotica_or_gore", "use_preset_voice_in_voice_mode"}
    platform = [c for c in _kinds(autumn, "authority_changed") if c.details.old == "platform"]
    assert len(platform) == 3


def test_autumn_added_and_retitled(autumn: SpecDiff) -> None:
    assert _ids(autumn, "policy_added") == {
        "red_line_principles",
        "no_other_objectives",
        "scope_of_autonomy",
        "control_side_effects",
        "be_interesting_and_interested",
        "be_curious",
        "be_warm",
    }
    assert {"ask_clarifying_questions", "refusal_style"} <= _ids(autumn, "policy_retitled")
    assert autumn.bump == "major"


def test_autumn_rule_strength_changes_are_labelled(autumn: SpecDiff) -> None:
    directions = {
        (c.policy, n.old, n.new, n.direction)
        for c in _kinds(autumn, "text_changed")
        for n in c.details.normative
    }
    assert ("protect_privileged_information", "should not", "must not", "tightened") in directions


@pytest.mark.parametrize("release", RELEASES)
def test_a_release_against_itself_has_no_changes(corpus: Path, release: str) -> None:
    path = corpus / f"{release}.md"
    result = _diff(path, path)
    assert result.changes == () and result.bump == "none"


def test_swapping_old_and_new_swaps_added_and_removed(corpus: Path, autumn: SpecDiff) -> None:
    back = _diff(corpus / "2025-09-12.md", corpus / "2025-04-11.md")
    assert _ids(back, "policy_removed") == _ids(autumn, "policy_added")
    assert _ids(back, "policy_added") - {"approachable"} == _ids(autumn, "policy_removed") - {
        "approachable"
    }
    forward = {(c.details.old_id, c.details.new_id) for c in _kinds(autumn, "policy_renamed")}
    backward = {(c.details.new_id, c.details.old_id) for c in _kinds(back, "policy_renamed")}
    assert forward == backward
    raised = {
        c.policy for c in _kinds(back, "authority_changed") if c.details.direction == "raised"
    }
    assert {"comply_with_laws", "no_erotica_or_gore", "use_preset_voice_in_voice_mode"} <= raised


# --- the Acme history --------------------------------------------------------------------

V1, V11, V2, FORK = (ACME / v / "acme_spec.md" for v in ("v1.0.0", "v1.1.0", "v2.0.0", "fork"))


def test_acme_minor_release() -> None:
    d = _diff(V1, V11)
    assert d.bump == "minor"
    assert _ids(d, "policy_added") == {"respect_language", "cite_sources"}
    copyedits = {c.policy for c in _kinds(d, "text_changed") if c.details.change == "copyedit"}
    assert copyedits == {"be_clear", "stay_in_scope", "use_markdown", "protect_privacy"}
    substantive = {c.policy for c in _kinds(d, "text_changed") if c.details.change == "substantive"}
    assert substantive == {"ask_clarifying_questions"}
    assert _ids(d, "policy_retitled") == {"respect_creators"}
    assert _ids(d, "example_added") == {"avoid_sycophancy", "appropriate_length"}
    assert _ids(d, "example_changed") == {"express_uncertainty"}
    assert _ids(d, "commentary_changed") == {"ignore_untrusted_data"}
    assert not _kinds(d, "example_verdict_changed") and not _kinds(d, "authority_changed")


def test_acme_major_release() -> None:
    d = _diff(V11, V2)
    assert d.bump == "major"
    (rename,) = _kinds(d, "authority_level_renamed")
    assert len(rename.details.policies) == 9
    authority = {(c.policy, c.details.direction) for c in _kinds(d, "authority_changed")}
    assert authority == {
        ("no_illegal_activity", "lowered"),
        ("disclose_ai_nature", "lowered"),
        ("assume_good_intentions", "raised"),
        ("avoid_regulated_advice", "lowered"),
    }
    (renamed,) = _kinds(d, "policy_renamed")
    assert (renamed.details.old_id, renamed.details.new_id) == (
        "protect_secrets",
        "protect_confidential_information",
    )
    removed = {c.policy: c.details.merged_into for c in _kinds(d, "policy_removed")}
    assert removed == {"friendly": "style", "use_humour": None, "sparing_disclaimers": None}
    assert _ids(d, "policy_added") == {"protect_minors", "respect_autonomy", "plain_language"}
    assert _ids(d, "example_verdict_changed") == {"ask_clarifying_questions"}
    (move,) = _kinds(d, "example_moved")
    assert (move.policy, move.details.old_policy) == ("cite_sources", "express_uncertainty")
    assert _ids(d, "example_removed") == {"use_markdown"}
    assert _ids(d, "tags_changed") == {"support_users_in_distress"}
    (broken,) = _kinds(d, "reference_broken")
    assert (broken.policy, broken.details.target) == (
        "avoid_regulated_advice",
        "sparing_disclaimers",
    )


def test_acme_rule_strength() -> None:
    d = _diff(V11, V2)
    rules = {c.policy: c.details.normative for c in _kinds(d, "text_changed")}
    assert {n.direction for n in rules["avoid_sycophancy"]} == {"loosened"}
    assert {(n.old, n.new) for n in rules["highlight_misalignments"]} == {("should", "must")}
    assert [(n.kind, n.direction) for n in rules["do_not_deceive"]] == [
        ("exception_added", "loosened")
    ]


def test_config_can_move_a_change_kind_to_another_level() -> None:
    config = parse_config("bump:\n  policy_retitled: major\n")
    d = _diff(CASES / "policy-retitled" / "old.md", CASES / "policy-retitled" / "new.md", config)
    assert d.bump == "major"
    assert (
        _diff(CASES / "policy-retitled" / "old.md", CASES / "policy-retitled" / "new.md").bump
        == "patch"
    )


def test_custom_scheme_names_levels_and_former_names() -> None:
    config = parse_config("authority:\n  levels: [law, house, guest]\n  aliases: {statute: law}\n")
    old = api.parse_text("# A {#a authority=statute}\n\nx\n\n# B {#b authority=guest}\n\ny\n")
    new = api.parse_text("# A {#a authority=law}\n\nx\n\n# B {#b authority=house}\n\ny\n")
    d = api.diff(old, new, config)
    kinds = Counter(c.kind for c in d.changes)
    assert kinds == Counter({"authority_level_renamed": 1, "authority_changed": 1})
    assert _kinds(d, "authority_changed")[0].details.direction == "raised"


@pytest.mark.parametrize("version", ["v1.0.0", "v1.1.0", "v2.0.0", "fork"])
def test_fixture_against_itself_is_empty(version: str) -> None:
    path = ACME / version / "acme_spec.md"
    assert _diff(path, path).changes == ()


def test_crlf_only_difference_is_no_change(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.md"
    crlf.write_bytes(V1.read_bytes().replace(b"\n", b"\r\n"))
    assert _diff(V1, crlf).changes == ()
