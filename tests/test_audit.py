"""`specver audit`: release notes against the release (docs/audit.md).

The corpus test reads the maintainers' CHANGELOG.md from the bundle at run time and asserts
by policy id; the fixture notes (fixtures/audit/) are written for the project's Acme spec.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from specver.api import audit, diff, load
from specver.audit.notes import changelog_section, notes_from_changelog, read_notes
from specver.audit.report import Audit
from specver.audit.verbs import is_catch_all, stated_direction, verbs_in
from specver.errors import InputError
from tests.conftest import ACME, FIXTURES

NOTES = FIXTURES / "audit"
OLD, NEW = ACME / "v1.1.0" / "acme_spec.md", ACME / "v2.0.0" / "acme_spec.md"


def acme_audit(notes_text: str) -> Audit:
    return audit(diff(load(str(OLD)), load(str(NEW))), read_notes(notes_text, "notes.md"))


def covered_policies(result: Audit) -> dict[int, set[str | None]]:
    return {cb.bullet.index: {c.policy for c in cb.changes} for cb in result.covered}


# --- the corpus: 2025-04-11 -> 2025-09-12 with the maintainers' own notes ------------------

LOWERED = {"comply_with_laws", "no_erotica_or_gore", "use_preset_voice_in_voice_mode"}
PERSONALITY = {
    "be_interesting_and_interested", "be_curious", "be_warm", "love_humanity",
    "be_rationally_optimistic", "be_responsible", "have_conversational_sense",
    "do_not_make_unprompted_personal_comments", "avoid_being_condescending",
}  # fmt: skip
EXPECTED: dict[int, set[str | None] | None] = {
    # platform -> root (the level rename names no policy) and the policies lowered to system
    0: {None, *LOWERED, "levels_of_authority", "follow_all_applicable_instructions"},
    1: {"scope_of_autonomy", "control_side_effects", "chain_of_command"},  # agents
    2: {"no_other_objectives"},
    3: {"follow_all_applicable_instructions", "ignore_untrusted_data"},  # mistaken, quoted
    4: {"do_not_lie", "protect_privileged_information"},  # never lie to keep them private
    5: {"red_line_principles", "overview"},
    6: {"approachable", "style", *PERSONALITY},  # personality policies, the approachable merge
    7: {"risk_taxonomy", "refusal_style", "follow_all_applicable_instructions",  # safe completions
        "sexual_content_involving_minors", "no_erotica_or_gore", "avoid_hateful_content",
        "protect_privileged_information", "do_not_lie"},
    8: None,  # "clarifications gathered from public input": a claim without a change
    9: {"prohibited_content", "respect_creators", "avoid_sycophancy", "express_uncertainty",
        "support_programmatic_use", "formatting", "ask_clarifying_questions", "refusal_style",
        "follow_all_applicable_instructions", "assume_best_intentions", "comply_with_laws",
        "protect_privileged_information", "assume_objective_pov"},  # the catch-all: copy edits
}  # fmt: skip


@pytest.fixture
def corpus_audit(corpus: Path, bundle_repo: Path) -> Audit:
    changelog = subprocess.run(
        ["git", "-C", str(bundle_repo), "show", "v2025.09.12:CHANGELOG.md"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    notes = notes_from_changelog(changelog, "v2025.09.12", "CHANGELOG.md")
    compared = diff(load(str(corpus / "2025-04-11.md")), load(str(corpus / "2025-09-12.md")))
    return audit(compared, notes)


def test_corpus_every_bullet_maps_to_the_policies_it_describes(corpus_audit: Audit) -> None:
    assert len(corpus_audit.notes.bullets) == 10
    covered = covered_policies(corpus_audit)
    for index, expected in EXPECTED.items():
        assert covered.get(index) == expected, index
    assert [c.bullet.index for c in corpus_audit.unsupported_claims] == [8]


def test_corpus_the_first_bullet_covers_the_level_rename_and_the_lowered_authorities(
    corpus_audit: Audit,
) -> None:
    first = next(cb for cb in corpus_audit.covered if cb.bullet.index == 0)
    kinds = {(c.change.kind, c.policy) for c in first.changes}
    assert ("authority_level_renamed", None) in kinds
    assert {p for k, p in kinds if k == "authority_changed"} == LOWERED
    # ... but not the lowered policies' text edits, which it does not describe
    assert not {p for k, p in kinds if k == "text_changed"} & LOWERED


def test_corpus_lists_the_substantive_changes_no_bullet_names(corpus_audit: Audit) -> None:
    undisclosed = [(u.seriousness, u.change.change.kind, u.change.policy)
                   for u in corpus_audit.undisclosed]  # fmt: skip
    # most serious first: the one authority raise no bullet speaks of, then loosened rules
    assert undisclosed[0] == ("authority", "authority_changed", "have_conversational_sense")
    order = [s for s, _k, _p in undisclosed]
    assert order == sorted(order, key=["authority", "loosened", "removed", "tightened",
                                       "substantive"].index)  # fmt: skip
    loosened = {p for s, _k, p in undisclosed if s == "loosened"}
    assert {"comply_with_laws", "assume_objective_pov", "be_responsible"} <= loosened
    assert ("tightened", "text_changed", "letter_and_spirit") in undisclosed
    disclosed = {c.change.fingerprint for cb in corpus_audit.covered if not cb.bullet.catch_all
                 for c in cb.changes}  # fmt: skip
    assert not disclosed & {u.change.change.fingerprint for u in corpus_audit.undisclosed}
    cov = corpus_audit.coverage
    assert cov.disclosed + len(undisclosed) == cov.substantive
    assert cov.share == cov.disclosed / cov.substantive


def test_corpus_clarifies_where_the_rule_changed_is_a_disagreement(corpus_audit: Audit) -> None:
    found = {(d.bullet.index, d.change.policy, d.stated) for d in corpus_audit.disagreements}
    assert found == {(4, "do_not_lie", "neutral"), (4, "protect_privileged_information", "neutral")}


def test_corpus_the_catch_all_covers_no_substantive_change(corpus_audit: Audit) -> None:
    catch_all = next(cb for cb in corpus_audit.covered if cb.bullet.catch_all)
    assert catch_all.changes
    for item in catch_all.changes:
        assert item.change.level in ("patch", "none")
        assert item.verdict in (None, "unchanged")


# --- notes written for the project's fixtures ------------------------------------------------


def test_complete_changelog_covers_the_release() -> None:
    notes = notes_from_changelog((NOTES / "CHANGELOG.md").read_text(), "2.0.0", "CHANGELOG.md")
    result = audit(diff(load(str(OLD)), load(str(NEW))), notes)
    assert result.clean
    assert result.coverage.disclosed == result.coverage.substantive > 0
    assert result.coverage.share == 1.0


def test_fixture_notes_fill_each_list() -> None:
    result = acme_audit((NOTES / "release-notes-2.0.0.txt").read_text())
    claims = [c.bullet.text for c in result.unsupported_claims]
    assert claims == ["Adds a section on data retention for enterprise customers."]
    covered = covered_policies(result)
    by_text = {b.text: b.index for b in result.notes.bullets}
    assert covered[by_text["Adds a policy on protecting minors."]] == {"protect_minors"}
    assert covered[by_text['Removes "Use humour when it fits", which caused confusion.']] == {
        "use_humour"
    }
    undisclosed = {u.change.policy for u in result.undisclosed}
    assert {"no_illegal_activity", "sparing_disclaimers", "levels_of_authority"} <= undisclosed
    assert "protect_minors" not in undisclosed


def test_a_direction_disagreement_cites_the_loosened_statement() -> None:
    result = acme_audit((NOTES / "release-notes-2.0.0.txt").read_text())
    found = {(d.change.policy, d.stated): d for d in result.disagreements}
    assert set(found) == {("do_not_deceive", "tightened"), ("avoid_sycophancy", "neutral")}
    tightens = found[("do_not_deceive", "tightened")]
    assert tightens.change.verdict == "loosened"
    assert tightens.statements and all(s.effect == "loosened" for s in tightens.statements)
    assert "do_not_deceive" in tightens.reason and "loosened" in tightens.reason


def test_loosens_where_the_text_tightened_disagrees() -> None:
    result = acme_audit("- Loosens `highlight_misalignments`.\n")
    (d,) = result.disagreements
    assert (d.change.policy, d.stated, d.change.verdict) == (
        "highlight_misalignments", "loosened", "tightened"
    )  # fmt: skip


def test_a_bullet_that_agrees_raises_no_disagreement() -> None:
    result = acme_audit("- Tightens `highlight_misalignments`.\n- Loosens `do_not_deceive`.\n")
    assert result.disagreements == ()
    assert result.unsupported_claims == ()


def test_a_rename_only_bullet_does_not_disclose_the_rewrite() -> None:
    result = acme_audit("- Renames `protect_secrets` to `protect_confidential_information`.\n")
    (cb,) = result.covered
    assert {c.change.kind for c in cb.changes} == {"policy_renamed"}
    assert "protect_confidential_information" in {u.change.policy for u in result.undisclosed}


def test_naming_a_policy_does_not_disclose_its_authority_change() -> None:
    result = acme_audit("- Updates `assume_good_intentions` and `no_illegal_activity`.\n")
    kinds = {(u.change.change.kind, u.change.policy) for u in result.undisclosed}
    assert ("authority_changed", "assume_good_intentions") in kinds
    spoken = acme_audit("- Raises the authority of `assume_good_intentions`.\n")
    assert ("authority_changed", "assume_good_intentions") not in {
        (u.change.change.kind, u.change.policy) for u in spoken.undisclosed
    }


def test_a_catch_all_alone_leaves_every_substantive_change_undisclosed() -> None:
    result = acme_audit("* Various small fixes and copy edits\n")
    assert result.coverage.disclosed == 0
    assert len(result.undisclosed) == result.coverage.substantive
    assert result.unsupported_claims == ()


def test_identical_versions_and_a_catch_all_are_clean() -> None:
    compared = diff(load(str(NEW)), load(str(NEW)))
    result = audit(compared, read_notes("Nothing to report.\n", "n.md"))
    assert result.clean and result.coverage.share is None
    claim = audit(compared, read_notes("- Adds `protect_minors`.\n", "n.md"))
    assert [c.named for c in claim.unsupported_claims] == [("protect_minors",)]


# --- reading notes -------------------------------------------------------------------------


def test_keep_a_changelog_sections_found_by_version() -> None:
    text = (
        "# Changelog\n\n## [Unreleased]\n- later\n\n## [1.2.0] - 2026-01-31\n### Added\n"
        "- `alpha` policy\n\n### Removed\n- `beta`\n\n## [1.1.0] - 2025-12-01\n- old\n"
    )
    notes = notes_from_changelog(text, "v1.2.0", "CHANGELOG.md")
    assert notes.heading == "[1.2.0] - 2026-01-31"
    assert [(b.text, b.group, b.line) for b in notes.bullets] == [
        ("alpha policy", "Added", 8),
        ("beta", "Removed", 11),
    ]
    assert [v.action for v in notes.bullets[0].verbs] == ["add"]
    assert [v.action for v in notes.bullets[1].verbs] == ["remove"]
    assert notes_from_changelog("## 2025-09-12\n- x\n", "v2025.09.12", "c").bullets[0].text == "x"
    with pytest.raises(InputError, match=r"no entry for version 9\.9\.9 .*1\.2\.0"):
        changelog_section(text, "9.9.9")


def test_nested_numbered_and_prose_notes() -> None:
    text = (
        "Release 3\n=========\n\nThis release tightens privacy. Thanks to all of you!\n\n"
        "Highlights:\n\n1. Adds personality policies:\n   - **Be warm**\n   - `be_curious`,\n"
        "     continued on a second line\n2) Removes *Old thing*\n\n"
        "```\n- not a bullet\n```\n"
    )
    notes = read_notes(text, "n.md")
    texts = [(b.text, b.depth, b.parent) for b in notes.bullets]
    assert texts == [
        ("This release tightens privacy.", 0, None),
        ("Adds personality policies:", 0, None),
        ("Be warm", 1, 1),
        ("be_curious, continued on a second line", 1, 1),
        ("Removes Old thing", 0, None),
    ]
    assert [(t.text, t.how) for t in notes.bullets[2].terms] == [("Be warm", "bold")]
    assert notes.bullets[0].group == "Release 3"


def test_terms_links_and_quotes() -> None:
    notes = read_notes(
        '- Adds [the new rule](#new_rule) and [docs](https://example.org/x), "a phrase",'
        " ‘another’ and don't split `code_id`.\n",
        "n.md",
    )
    terms = [(t.text, t.how) for t in notes.bullets[0].terms]
    assert ("new_rule", "anchor") in terms and ("the new rule", "link") in terms
    assert ("a phrase", "quoted") in terms and ("another", "quoted") in terms
    assert ("code_id", "code") in terms
    assert "https" not in notes.bullets[0].text


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("tightens the rules", "tightened"),
        ("relaxes the ban", "loosened"),
        ("clarifies the wording", "neutral"),
        ("moves x to clarify precedence", None),
        ("narrows the exception for white lies", "tightened"),
        ("narrows the prohibition", "loosened"),
        ("no longer allows fiction", "tightened"),
        ("no longer requires a disclaimer", "loosened"),
        ("clarifies and tightens the rule", "tightened"),
        ("tightens x and loosens y", "mixed"),
        ("adds a policy", None),
    ],
)
def test_stated_directions(text: str, direction: str | None) -> None:
    assert stated_direction(verbs_in(text.split())) == direction


def test_catch_all_bullets() -> None:
    assert is_catch_all("Various other small changes and copy edits")
    assert is_catch_all("Fixed typos")
    assert not is_catch_all("Fixes a bug in the example about transforming buggy code")


# --- the command -------------------------------------------------------------------------


def test_cli_exit_status_and_json_contract(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    clean = cli("audit", OLD, NEW, "--changelog", NOTES / "CHANGELOG.md", "--version", "2.0.0",
                "--format", "json")  # fmt: skip
    assert clean.code == 0, clean.err
    data = json.loads(clean.out)
    assert data["schema"] == "specver.audit/1"
    assert set(data) >= {"notes", "covered", "undisclosed", "unsupported_claims",
                         "disagreements", "coverage"}  # fmt: skip
    assert data["notes"]["source"].endswith("CHANGELOG.md") and data["notes"]["bullets"]
    assert all(set(c) >= {"bullet", "changes"} for c in data["covered"])
    assert data["coverage"]["disclosed"] == data["coverage"]["substantive"]
    assert data["coverage"]["share"] == 1.0
    gaps = cli("audit", OLD, NEW, "--notes", NOTES / "release-notes-2.0.0.txt", "-f", "json")
    assert gaps.code == 1
    data = json.loads(gaps.out)
    assert all("policy" in u and "fingerprint" in u and "old_lines" in u
               for u in data["undisclosed"])  # fmt: skip
    assert {d["policy"] for d in data["disagreements"]} == {"do_not_deceive", "avoid_sycophancy"}
    assert [c["policy"] for c in data["unsupported_claims"]] == [None]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_cli_formats(cli, fmt: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("audit", OLD, NEW, "--notes", NOTES / "release-notes-2.0.0.txt", "-f", fmt)
    assert result.code == 1
    assert "do_not_deceive" in result.out and "data retention" in result.out
    if fmt == "html":
        assert result.out.startswith("<!DOCTYPE html>") and "<script" not in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name the release notes"),
        (("--notes", "n.md", "--changelog", "c.md", "--version", "1"), "not both"),
        (("--changelog", str(NOTES / "CHANGELOG.md")), "needs --version"),
        (("--changelog", str(NOTES / "CHANGELOG.md"), "--version", "7.0.0"), "no entry"),
        (("--notes", "/nonexistent/notes.md"), "notes.md"),
        (("--notes", str(NOTES / "release-notes-2.0.0.txt"), "-f", "yaml"), "--format"),
    ],
)
def test_cli_bad_input_is_one_line_and_status_2(cli, args, message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("audit", OLD, NEW, *args)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_hostile_notes_render_inert(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.test_hostile import HOSTILE_BITS, assert_inert_markdown

    notes = tmp_path / "notes.md"
    notes.write_text(
        "".join(f"- Adds {bit} to `do_not_deceive` \x1b[31m\n" for bit in HOSTILE_BITS),
        encoding="utf-8",
    )
    md = cli("audit", OLD, NEW, "--notes", notes, "-f", "markdown")
    assert md.code == 1
    assert_inert_markdown(md.out)
    html = cli("audit", OLD, NEW, "--notes", notes, "-f", "html")
    tags = {t.lower() for t in re.findall(r"<\s*([A-Za-z][\w-]*)", html.out)}
    assert not tags & {"script", "img", "a", "iframe"}
    assert "evil.example" not in html.out.split("<body>")[0]
    text = cli("audit", OLD, NEW, "--notes", notes)
    assert "\x1b" not in text.out


def test_corpus_the_april_notes(corpus: Path, bundle_repo: Path) -> None:
    changelog = subprocess.run(
        ["git", "-C", str(bundle_repo), "show", "v2025.04.11:CHANGELOG.md"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    notes = notes_from_changelog(changelog, "2025-04-11", "CHANGELOG.md")
    compared = diff(load(str(corpus / "2025-02-12.md")), load(str(corpus / "2025-04-11.md")))
    result = audit(compared, notes)
    assert covered_policies(result) == {
        0: {"risk_taxonomy"},  # "misalignment was no longer mentioned": the one word inserted
        1: {"do_not_lie"},  # narrows the exception for "white lies": tightened, as it says
        2: {"avoid_overstepping"},  # the example named by its title
    }
    assert [c.bullet.index for c in result.unsupported_claims] == [3]  # LaTeX: no word of it
    assert result.disagreements == ()


def test_impact_notes_adds_the_audit_section(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    notes = NOTES / "release-notes-2.0.0.txt"
    page = cli("impact", OLD, NEW, "--notes", notes, "-f", "html")
    assert page.code == 1
    plain = cli("impact", OLD, NEW, "-f", "html")
    assert 'id="audit"' in page.out and 'id="audit"' not in plain.out
    body = page.out.split('id="audit"', 1)[1]
    assert "Undisclosed changes" in body and "data retention" in body
    assert page.out.index('id="audit"') < page.out.index("</main>")
    data = json.loads(cli("impact", OLD, NEW, "--notes", notes, "-f", "json").out)
    assert data["schema"] == "specver.impact/1" and data["audit"]["schema"] == "specver.audit/1"
    text = cli("impact", OLD, NEW, "--notes", notes)
    assert "Claims without a change (1)" in text.out


def test_cli_reads_specs_and_changelog_at_revisions(cli, bundle_repo: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli(
        "audit", "v2025.04.11:model_spec.md", "v2025.09.12:model_spec.md",
        "--changelog", "v2025.09.12:CHANGELOG.md", "--version", "v2025.09.12",
        "--repo", bundle_repo, "--format", "json",
    )  # fmt: skip
    assert result.code == 1, result.err
    data = json.loads(result.out)
    assert data["notes"]["source"] == "v2025.09.12:CHANGELOG.md"
    assert data["notes"]["version"] == "v2025.09.12" and len(data["notes"]["bullets"]) == 10
    assert [c["index"] for c in data["unsupported_claims"]] == [8]
    missing = cli("audit", "v2025.04.11:model_spec.md", "v2025.09.12:model_spec.md",
                  "--notes", "v2025.09.12:NOTES.md", "--repo", bundle_repo)  # fmt: skip
    assert missing.code == 2 and "NOTES.md" in missing.err
