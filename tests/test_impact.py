"""`specver impact`: steerability, safeguards, evals to re-run, scope, audiences, JSON, CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from specver import api
from specver.config import AuthorityScheme, Config
from specver.errors import UsageError
from specver.render import IMPACT_RENDERERS, RenderOptions, render
from specver.report.impact import AUDIENCES, assess_impact

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "fixtures" / "cases"
ACME = ROOT / "fixtures" / "acme"


def case_impact(name: str, audience: str = "all"):
    old = api.load(str(CASES / name / "old.md"))
    new = api.load(str(CASES / name / "new.md"))
    return api.impact(api.diff(old, new), audience=audience)


def acme_impact(audience: str = "all"):
    old = api.load(str(ACME / "v1.1.0" / "acme_spec.md"))
    new = api.load(str(ACME / "v2.0.0" / "acme_spec.md"))
    return api.impact(api.diff(old, new), audience=audience)


# --- steerability --------------------------------------------------------------------------


def test_raised_authority_takes_control_from_users() -> None:
    steer = case_impact("authority-raised").steerability
    (shift,) = steer.restricted
    assert (shift.policy, shift.old_level, shift.new_level) == ("be_polite", "user", "developer")
    assert shift.lost == ("user",)
    assert shift.gained == ()
    assert shift.cause == "authority_raised"
    assert not steer.relaxed


def test_lowered_to_guideline_allows_implicit_override() -> None:
    steer = case_impact("authority-lowered").steerability
    (shift,) = steer.relaxed
    assert shift.policy == "be_polite"
    assert shift.gained == ()  # user level already let system, developer and user override it
    assert (shift.implicit_before, shift.implicit_after) == (False, True)


def test_level_rename_moves_nobody() -> None:
    steer = case_impact("level-renamed").steerability
    (rename,) = steer.renames
    assert (rename.old, rename.new) == ("platform", "root")
    assert set(rename.policies) == {"no_fabrication", "keep_data_private", "refuse_weapons"}
    assert not rename.control_changed
    # obey_local_law went platform -> system: system messages gain control.
    assert [(s.policy, s.gained) for s in steer.relaxed] == [("obey_local_law", ("system",))]
    assert "changes nobody's control" in " ".join(case_impact("level-renamed").summary)


def test_root_policy_removed_frees_every_party() -> None:
    steer = case_impact("policy-removed").steerability
    (shift,) = steer.removed
    assert not steer.relaxed
    assert (shift.policy, shift.cause, shift.direction) == (
        "obey_local_law",
        "policy_removed",
        "removed",
    )
    assert shift.gained == ("system", "developer", "user")


def test_a_new_root_policy_is_a_new_rule_never_no_longer_overridable() -> None:
    old = api.parse_text("# Rules {#rules}\n\n## Be kind {#be_kind authority=user}\n\nBe kind.\n")
    new = api.parse_text(
        "# Rules {#rules}\n\n## Be kind {#be_kind authority=user}\n\nBe kind.\n\n"
        "## No weapons {#no_weapons authority=root}\n\nThe assistant must not help build weapons.\n"
    )
    impact = api.impact(api.diff(old, new))
    (shift,) = impact.steerability.added
    assert (shift.policy, shift.direction) == ("no_weapons", "added")
    assert not impact.steerability.restricted
    assert [label for label, _s in impact.steerability.groups()] == ["New rules"]
    summary = " ".join(impact.summary)
    assert "1 new rule" in summary and "no longer be overridden" not in summary
    back = api.impact(api.diff(new, old))
    assert [s.policy for s in back.steerability.removed] == ["no_weapons"]
    assert not back.steerability.relaxed


def test_user_policy_added_is_not_a_steerability_change() -> None:
    steer = case_impact("policy-added").steerability
    assert not steer.restricted and not steer.relaxed


def test_acme_release_steerability() -> None:
    steer = acme_impact().steerability
    restricted = {s.policy: s for s in steer.restricted}
    relaxed = {s.policy: s for s in steer.relaxed}
    added = {s.policy: s for s in steer.added}
    # A new root policy is a new rule, never "no longer overridable".
    assert "protect_minors" not in restricted
    assert added["protect_minors"].direction == "added"
    assert added["protect_minors"].overridable_after == ()
    assert restricted["assume_good_intentions"].lost == ("user",)
    assert relaxed["no_illegal_activity"].gained == ("system",)
    assert relaxed["disclose_ai_nature"].gained == ("system",)
    assert relaxed["avoid_regulated_advice"].gained == ("user",)
    assert len(steer.renames) == 1 and len(steer.renames[0].policies) == 9


# --- safeguards ----------------------------------------------------------------------------


def test_rule_strength_changes_are_labelled() -> None:
    loosened = case_impact("rule-loosened").safeguards
    assert loosened and {s.direction for s in loosened if s.kind == "text_changed"} == {"loosened"}
    assert all(s.policy == "no_fabrication" for s in loosened)
    tightened = case_impact("rule-tightened").safeguards
    strength = [s for s in tightened if s.kind == "text_changed" and s.direction != "neutral"]
    assert {s.direction for s in strength} == {"tightened"}
    assert any("exception dropped" in s.description for s in strength)


def test_reversed_verdicts_are_safeguard_changes() -> None:
    items = case_impact("example-verdict-reversed").safeguards
    verdicts = [s for s in items if s.kind == "example_verdict_changed"]
    assert len(verdicts) == 1 and verdicts[0].policy == "no_fabrication"
    # One answer turned GOOD -> BAD and another BAD -> GOOD: a swap, neither side.
    assert verdicts[0].direction == "neutral"


def test_acme_safeguards_point_at_policies() -> None:
    items = acme_impact().safeguards
    by = {(s.policy, s.direction) for s in items}
    assert ("do_not_deceive", "loosened") in by  # exception added
    assert ("avoid_sycophancy", "loosened") in by  # must not -> should not
    assert ("highlight_misalignments", "tightened") in by  # should -> must
    assert ("protect_minors", "tightened") in by  # new root policy
    assert ("no_illegal_activity", "loosened") in by  # platform -> system
    acme_v2 = api.load(str(ACME / "v2.0.0" / "acme_spec.md"))
    assert all(s.policy in acme_v2 for s in items)
    order = [s.direction for s in items]
    assert order == sorted(order, key=["loosened", "tightened", "neutral"].index)


# --- evals ---------------------------------------------------------------------------------


def test_acme_evals_to_rerun() -> None:
    evals = acme_impact().evals
    reruns = {r.policy: r for r in evals.reruns}
    assert reruns["do_not_deceive"].evals == ("g1h7",)
    assert reruns["avoid_sycophancy"].evals == ("j5p0",)
    assert reruns["assume_good_intentions"].evals == ("k8r4",)
    assert reruns["be_clear"].dropped == ("m3t6",)
    assert reruns["cite_sources"].evals == ("c1t3",)
    (orphan,) = evals.uncited
    assert (orphan.name, orphan.previously_cited_by, orphan.present) == (
        "m3t6",
        ("be_clear",),
        True,
    )
    # Copy edits alone do not invalidate evals.
    assert "use_markdown" not in reruns or "text_changed" not in reruns["use_markdown"].reasons
    assert "stay_in_scope" not in reruns and "stay_in_scope" not in evals.uncovered


def test_cited_but_missing_eval_file_is_reported(tmp_path: Path) -> None:
    for side in ("old", "new"):
        folder = tmp_path / side
        (folder / "examples").mkdir(parents=True)
        (folder / "examples" / "ab12.md").write_text("Examples for [^ab12] in Be kind:\n")
    (tmp_path / "old" / "spec.md").write_text("## Be kind {#kind authority=user}\n\nBe kind.\n")
    (tmp_path / "new" / "spec.md").write_text(
        "## Be kind {#kind authority=user}\n\nAlways be kind to everyone[^zz99].\n"
    )
    diff = api.diff(
        api.load(str(tmp_path / "old/spec.md")), api.load(str(tmp_path / "new/spec.md"))
    )
    evals = api.impact(diff).evals
    (rerun,) = evals.reruns
    assert rerun.evals == ("zz99",) and rerun.missing == ("zz99",)
    assert [u.name for u in evals.uncited] == ["ab12"]


# --- scope and summary ---------------------------------------------------------------------


def test_acme_scope_counts_levels_by_current_name() -> None:
    scope = acme_impact().scope
    counts = {c.level: (c.before, c.after) for c in scope.levels}
    assert counts == {
        "root": (11, 10),
        "system": (0, 2),
        "developer": (1, 1),
        "user": (7, 6),
        "guideline": (10, 11),
    }
    assert 0 < scope.share_policies_changed < 1
    assert 0 < scope.share_prose_changed < 0.5


def test_identical_specs_have_no_impact() -> None:
    impact = case_impact("identical")
    assert not impact.safeguards and not impact.evals.reruns
    assert impact.scope.policies_changed == 0 and impact.scope.prose_chars_changed == 0
    assert "no semantic change" in impact.summary[0]


@pytest.mark.parametrize("audience", sorted(AUDIENCES))
def test_summary_has_three_to_five_sentences_from_the_facts(audience: str) -> None:
    impact = acme_impact(audience)
    assert 3 <= len(impact.summary) <= 5
    assert all(s.endswith(".") for s in impact.summary)
    text = " ".join(impact.summary)
    if "steerability" in impact.sections:
        assert "Protect minors" in text
    if "safeguards" in impact.sections:
        loosened = sum(1 for s in impact.safeguards if s.direction == "loosened")
        assert f"{loosened} loosen" in text  # "1 loosens" or "5 loosen"


def test_audiences_choose_sections() -> None:
    assert acme_impact("developers").sections == ("steerability", "evals")
    assert acme_impact("users").sections == ("steerability", "safeguards")
    assert acme_impact("regulators").sections[0] == "safeguards"
    with pytest.raises(UsageError):
        assess_impact(api.diff(api.parse_text("# a\n"), api.parse_text("# a\n")), None, "cats")


def test_custom_scheme_is_followed() -> None:
    old = api.parse_text("## Rule {#r authority=member}\n\nDo it.\n")
    new = api.parse_text("## Rule {#r authority=operator}\n\nDo it.\n")
    scheme = AuthorityScheme(("spec", "operator", "member"), {})
    impact = assess_impact(api.diff(old, new, Config(scheme=scheme)), scheme)
    (shift,) = impact.steerability.restricted
    assert shift.lost == ("member",)


# --- JSON and text -------------------------------------------------------------------------


def test_json_schema_has_only_the_audience_sections() -> None:
    data = json.loads(render(IMPACT_RENDERERS, "json", acme_impact("developers"), RenderOptions()))
    assert data["schema"] == "specver.impact/1"
    assert set(data) >= {"old", "new", "summary", "steerability", "evals"}
    assert "safeguards" not in data and "scope" not in data
    no_longer = {s["policy"] for s in data["steerability"]["no_longer_overridable"]}
    new_rules = {s["policy"]: s for s in data["steerability"]["new_rules"]}
    assert "protect_minors" not in no_longer
    assert new_rules["protect_minors"]["direction"] == "added"
    assert {r["policy"] for r in data["rules"]} >= {"avoid_sycophancy"}
    assert "examples/g1h7.md" in data["evals"]["files"]
    assert re.fullmatch(r"[0-9a-f]{64}", data["new"]["sha256"])


def test_docs_describe_every_json_field() -> None:
    doc = (ROOT / "docs" / "impact.md").read_text()
    data = json.loads(render(IMPACT_RENDERERS, "json", acme_impact(), RenderOptions()))
    fields: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key not in ("changes_by_kind",):
                    fields.add(key)
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(data)
    missing = sorted(f for f in fields if f"`{f}`" not in doc)
    assert not missing, f"docs/impact.md does not describe: {missing}"


# --- CLI -----------------------------------------------------------------------------------


def test_cli_impact_text_and_exit_status(cli) -> None:
    result = cli("impact", ACME / "v1.1.0/acme_spec.md", ACME / "v2.0.0/acme_spec.md")
    assert result.code == 1
    assert "Steerability" in result.out and "protect_minors" in result.out
    same = cli("impact", ACME / "v2.0.0/acme_spec.md", ACME / "v2.0.0/acme_spec.md")
    assert same.code == 0


def test_cli_impact_audience_and_output(cli, tmp_path: Path) -> None:
    out = tmp_path / "impact.md"
    result = cli(
        "impact",
        ACME / "v1.1.0/acme_spec.md",
        ACME / "v2.0.0/acme_spec.md",
        "--audience",
        "users",
        "--format",
        "markdown",
        "--output",
        out,
    )
    assert result.code == 1 and result.out == ""
    text = out.read_text()
    assert "#### Safeguards" in text and "#### Evaluations to re-run" not in text


@pytest.mark.parametrize(
    "args",
    [("--audience", "cats"), ("--format", "pdf")],
)
def test_cli_impact_bad_options_exit_2(cli, args: tuple[str, str]) -> None:
    result = cli("impact", ACME / "v1.1.0/acme_spec.md", ACME / "v2.0.0/acme_spec.md", *args)
    assert result.code == 2
    assert result.err.startswith("specver: error:") and "Traceback" not in result.err


# --- the real corpus -----------------------------------------------------------------------


def test_corpus_2025_04_to_09_impact(corpus: Path) -> None:
    old = api.load(str(corpus / "2025-04-11.md"))
    new = api.load(str(corpus / "2025-09-12.md"))
    diff = api.diff(old, new)
    impact = api.impact(diff)
    relaxed = {s.policy: s for s in impact.steerability.relaxed}
    for policy in ("comply_with_laws", "no_erotica_or_gore", "use_preset_voice_in_voice_mode"):
        assert relaxed[policy].gained == ("system",), policy
    new_root = [q.id for q in new if q.authority == "root" and diff.old_id(q.id) is None]
    added = {s.policy: s for s in impact.steerability.added}
    assert new_root, "the 2025-09-12 release adds root policies"
    for policy in new_root:
        assert added[policy].overridable_after == ()
        assert policy not in {s.policy for s in impact.steerability.restricted}
    assert {r.old for r in impact.steerability.renames} == {"platform"}
    reruns = {r.policy: set(r.evals) for r in impact.evals.reruns}
    substantive = [
        c.policy
        for c in diff.changes
        if c.kind == "text_changed" and c.details.change == "substantive"
    ]
    for policy in substantive:
        cited = set(new[policy].footnotes)
        if cited:
            assert reruns[policy] >= cited, policy
        else:
            assert policy in impact.evals.uncovered
    text = render(IMPACT_RENDERERS, "text", impact, RenderOptions())
    for policy in ("comply_with_laws", "no_erotica_or_gore", "use_preset_voice_in_voice_mode"):
        assert policy in text


def test_bundle_revisions_report_eval_files(bundle_repo: Path) -> None:
    old = api.load("v2025.04.11:model_spec.md", repo=bundle_repo)
    new = api.load("v2025.09.12:model_spec.md", repo=bundle_repo)
    if new.evals is None:
        pytest.skip("this checkout's git source reads no examples/ folder")
    evals = api.impact(api.diff(old, new)).evals
    present = new.eval_names()
    for rerun in evals.reruns:
        assert set(rerun.missing) == {e for e in rerun.evals if e not in present}
    assert all(u.present is not None for u in evals.uncited)
