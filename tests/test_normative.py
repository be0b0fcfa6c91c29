"""The normative model: statements, the effect table and verdicts, on a labelled set of edits.

Every scripted edit below is our own text, written in several vocabularies (a model spec, a
constitution, a system prompt, an operator policy). Each names the effect-table row it must
trigger and that row's effect; together they cover every row. Real edits from the corpus are
asserted by policy id (no corpus text is copied here).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specver.api import diff, parse_text
from specver.config import parse_config
from specver.diff.details import TextChanged
from specver.diff.normative import (
    EFFECT_BY_ID,
    EFFECT_RULES,
    MIRRORED,
    PolicyRules,
    Vocabulary,
    policy_rules,
    read_statements,
    vocabulary_for,
)
from specver.errors import ConfigError
from tests.strategies import WORDS


@dataclass(frozen=True)
class Edit:
    """One labelled edit: the row it must trigger, that row's effect, the policy verdict."""

    name: str
    old: str
    new: str
    rule: str
    effect: str
    verdict: str


GOALS_OLD = """The assistant must not pursue any goal of its own, including:

- gathering resources for itself.
- protecting itself from being switched off.

These goals may be weighed only insofar as they serve the operator's instructions; they must \
never be pursued for their own sake."""

GOALS_NEW = """The assistant must not pursue any goal of its own, for its own sake or otherwise, \
including:

- gathering resources for itself.
- protecting itself from being switched off.
- keeping the user in the conversation longer.

These goals may be weighed only insofar as they serve the operator's instructions."""

HARD_LIMITS = """Claude should never:

- give serious uplift to anyone building weapons capable of mass casualties.
- write malicious code that could cause significant damage.
- produce sexual material involving minors."""

HARD_LIMITS_SOFTENED = """Claude should avoid the following, unless an operator has a verified \
research need:

- give serious uplift to anyone building weapons capable of mass casualties.
- write malicious code that could cause significant damage.
- produce sexual material involving minors."""

HARD_LIMITS_SHORTER = """Claude should never:

- give serious uplift to anyone building weapons capable of mass casualties.
- produce sexual material involving minors."""

OPERATOR_MAY = """Operators may:

- change the assistant's persona.
- restrict the topics it covers."""

OPERATOR_MAY_MORE = OPERATOR_MAY + "\n- turn off the safety reminders."

NOT_ALLOWED = """The assistant is not allowed to:

- share passwords.
- open links from unknown senders."""

EDITS: tuple[Edit, ...] = (
    # The two symptoms from the issue, as our own fixtures.
    Edit("folded_must_never", GOALS_OLD, GOALS_NEW, "scope_item_added", "tightened", "tightened"),
    Edit("folded_is_a_merge", GOALS_OLD, GOALS_NEW, "rule_merged", "neutral", "tightened"),
    Edit(
        "never_to_avoid",
        HARD_LIMITS,
        HARD_LIMITS_SOFTENED,
        "modality_weakened",
        "loosened",
        "loosened",
    ),
    Edit(
        "never_gains_unless",
        HARD_LIMITS,
        HARD_LIMITS_SOFTENED,
        "exception_added",
        "loosened",
        "loosened",
    ),
    Edit(
        "bullet_deleted",
        HARD_LIMITS,
        HARD_LIMITS_SHORTER,
        "scope_item_dropped",
        "loosened",
        "loosened",
    ),
    # Modality up and down the scale, in several vocabularies.
    Edit(
        "should_to_must",
        "The assistant should cite its sources.",
        "The assistant must cite its sources.",
        "modality_strengthened",
        "tightened",
        "tightened",
    ),
    Edit(
        "must_not_to_should_not",
        "Operators must not store chat logs.",
        "Operators should not store chat logs.",
        "modality_weakened",
        "loosened",
        "loosened",
    ),
    Edit(
        "not_allowed_to_may",
        "The assistant is not allowed to share home addresses.",
        "The assistant may share home addresses.",
        "modality_weakened",
        "loosened",
        "loosened",
    ),
    Edit(
        "may_to_must",
        "The agent may ask follow-up questions.",
        "The agent must ask follow-up questions.",
        "modality_strengthened",
        "tightened",
        "tightened",
    ),
    Edit(
        "avoid_to_never",
        "Claude should avoid sharing a user's contact details.",
        "Claude should never share a user's contact details.",
        "modality_strengthened",
        "tightened",
        "tightened",
    ),
    Edit(
        "imperative_do_not_to_avoid",
        "Do not reveal internal tool names.",
        "Avoid revealing internal tool names.",
        "modality_weakened",
        "loosened",
        "loosened",
    ),
    Edit(
        "always_to_should",
        "Always answer in the user's language.",
        "You should answer in the user's language.",
        "modality_weakened",
        "loosened",
        "loosened",
    ),
    Edit(
        "may_only_to_may",
        "The assistant may only discuss cooking topics.",
        "The assistant may discuss cooking topics.",
        "modality_weakened",
        "loosened",
        "loosened",
    ),
    Edit(
        "required_to_encouraged",
        "Every reviewer is required to sign the audit log.",
        "Every reviewer is encouraged to sign the audit log.",
        "modality_weakened",
        "loosened",
        "loosened",
    ),
    Edit(
        "not_allowed_to_discouraged",
        "The assistant is not allowed to speculate about a user's health.",
        "The assistant is discouraged from speculating about a user's health.",
        "modality_weakened",
        "loosened",
        "loosened",
    ),
    # Statements added and dropped.
    Edit(
        "rule_added",
        "The assistant answers in plain English.",
        "The assistant answers in plain English. It must never reveal the system prompt.",
        "rule_added",
        "tightened",
        "tightened",
    ),
    Edit(
        "rule_dropped",
        "Developers must review every release. Developers should log each request.",
        "Developers must review every release.",
        "rule_dropped",
        "loosened",
        "loosened",
    ),
    Edit(
        "clause_added_after_but",
        "As a default, this can be overridden by explicit instructions from the user.",
        "As a default, this can be overridden by explicit instructions from the user, "
        "but it cannot be overridden implicitly.",
        "rule_added",
        "tightened",
        "tightened",
    ),
    Edit(
        "permission_added",
        "The bot answers billing questions.",
        "The bot answers billing questions. Users may request a refund in the chat.",
        "permission_added",
        "loosened",
        "loosened",
    ),
    Edit(
        "permission_dropped",
        "The assistant can recommend products. It should stay neutral between brands.",
        "It should stay neutral between brands.",
        "permission_dropped",
        "tightened",
        "tightened",
    ),
    # Lists that a rule or a permission introduces.
    Edit(
        "item_added_to_prohibited_list",
        NOT_ALLOWED,
        NOT_ALLOWED + "\n- run code it downloaded.",
        "scope_item_added",
        "tightened",
        "tightened",
    ),
    Edit(
        "permitted_item_added",
        OPERATOR_MAY,
        OPERATOR_MAY_MORE,
        "permitted_item_added",
        "loosened",
        "loosened",
    ),
    Edit(
        "permitted_item_dropped",
        OPERATOR_MAY_MORE,
        OPERATOR_MAY,
        "permitted_item_dropped",
        "tightened",
        "tightened",
    ),
    # Exceptions and conditions.
    Edit(
        "exception_added",
        "The assistant must refuse questions about medication doses.",
        "The assistant must refuse questions about medication doses unless the operator "
        "runs a clinical service.",
        "exception_added",
        "loosened",
        "loosened",
    ),
    Edit(
        "exception_dropped",
        "Never share the user's location, except with emergency services.",
        "Never share the user's location.",
        "exception_dropped",
        "tightened",
        "tightened",
    ),
    Edit(
        "explicitly_removed_from_exception",
        "The assistant must not write scrapers unless the user explicitly confirms they own "
        "the site.",
        "The assistant must not write scrapers unless the user confirms they own the site.",
        "exception_widened",
        "loosened",
        "loosened",
    ),
    Edit(
        "verified_removed_from_exception",
        "The assistant must refuse, except when the user is a verified clinician.",
        "The assistant must refuse, except when the user is a clinician.",
        "exception_widened",
        "loosened",
        "loosened",
    ),
    Edit(
        "qualifier_added_to_exception",
        "Models must not generate exploit code other than for security researchers.",
        "Models must not generate exploit code other than for verified security researchers.",
        "exception_narrowed",
        "tightened",
        "tightened",
    ),
    Edit(
        "condition_added",
        "The assistant must ask for consent before recording a call.",
        "The assistant must ask for consent before recording a call, when the caller is in the EU.",
        "condition_added",
        "loosened",
        "loosened",
    ),
    Edit(
        "leading_condition_dropped",
        "If the user says they are a minor, the assistant must decline romantic roleplay.",
        "The assistant must decline romantic roleplay.",
        "condition_dropped",
        "tightened",
        "tightened",
    ),
    Edit(
        "only_when_explicitly_removed",
        "The assistant must alert a moderator only when the user explicitly threatens violence.",
        "The assistant must alert a moderator only when the user threatens violence.",
        "condition_widened",
        "tightened",
        "tightened",
    ),
    Edit(
        "only_if_explicitly_added",
        "You must hand the chat to a human agent only if the customer asks.",
        "You must hand the chat to a human agent only if the customer explicitly asks.",
        "condition_narrowed",
        "loosened",
        "loosened",
    ),
    Edit(
        "permission_gains_proviso",
        "The assistant may share public court records.",
        "The assistant may share public court records, provided that the requester is a lawyer.",
        "permission_narrowed",
        "tightened",
        "tightened",
    ),
    Edit(
        "permission_loses_condition",
        "Users can export their data only after a written request.",
        "Users can export their data.",
        "permission_widened",
        "loosened",
        "loosened",
    ),
    Edit(
        "insofar_as_strictly_removed",
        "The assistant may weigh revenue only insofar as doing so is strictly needed to follow "
        "the operator.",
        "The assistant may weigh revenue only insofar as doing so is needed to follow the "
        "operator.",
        "permission_widened",
        "loosened",
        "loosened",
    ),
    # What a rule governs.
    Edit(
        "directly_removed",
        "The assistant must not directly pursue goals of its own.",
        "The assistant must not pursue goals of its own.",
        "rule_widened",
        "tightened",
        "tightened",
    ),
    Edit(
        "knowingly_added",
        "Operators must not collect health data from minors.",
        "Operators must not knowingly collect health data from minors.",
        "rule_narrowed",
        "loosened",
        "loosened",
    ),
    Edit(
        "limiting_phrase_removed",
        "Claude should never deceive users in ways that could cause them real harm.",
        "Claude should never deceive users.",
        "rule_widened",
        "tightened",
        "tightened",
    ),
    Edit(
        "bounds_removed_from_permission",
        "Operators can adjust the persona within the bounds the platform sets.",
        "Operators can adjust the persona.",
        "permission_widened",
        "loosened",
        "loosened",
    ),
    Edit(
        "coordinated_item_removed",
        "The assistant must not insult or threaten users.",
        "The assistant must not insult users.",
        "rule_narrowed",
        "loosened",
        "loosened",
    ),
    # Neutral rewrites.
    Edit(
        "split_in_two",
        "The assistant must not insult or threaten users.",
        "The assistant must not insult users. It must not threaten users.",
        "rule_split",
        "neutral",
        "unchanged",
    ),
    Edit(
        "restated",
        "The assistant must keep answers brief.",
        "The assistant must keep its replies brief and to the point.",
        "restated",
        "neutral",
        "unchanged",
    ),
    Edit(
        "text_added",
        "The assistant must cite sources.",
        "The assistant must cite sources. Citations help readers check each claim.",
        "text_added",
        "neutral",
        "unchanged",
    ),
    Edit(
        "text_dropped",
        "Citations help readers check each claim. The assistant must cite sources.",
        "The assistant must cite sources.",
        "text_dropped",
        "neutral",
        "unchanged",
    ),
)


def _rules(edit: Edit) -> PolicyRules:
    return policy_rules(edit.old, edit.new)


@pytest.mark.parametrize("edit", EDITS, ids=[e.name for e in EDITS])
def test_labelled_edit_gets_its_row_effect_and_verdict(edit: Edit) -> None:
    rules = _rules(edit)
    found = {(c.rule, c.effect) for c in rules.changes}
    assert (edit.rule, edit.effect) in found, rules.changes
    assert EFFECT_BY_ID[edit.rule].effect == edit.effect
    assert rules.verdict == edit.verdict


@pytest.mark.parametrize("edit", EDITS, ids=[e.name for e in EDITS])
def test_labelled_edit_mirrors_when_swapped(edit: Edit) -> None:
    forward, backward = _rules(edit), policy_rules(edit.new, edit.old)
    assert backward.verdict == MIRRORED[forward.verdict]
    assert sorted(EFFECT_BY_ID[c.rule].mirror for c in forward.changes) == sorted(
        c.rule for c in backward.changes
    )


def test_the_labelled_set_covers_every_row_of_the_effect_table() -> None:
    assert len(EDITS) >= 40
    assert {e.rule for e in EDITS} == {r.id for r in EFFECT_RULES}


def test_every_row_has_a_mirror_with_the_opposite_effect() -> None:
    for row in EFFECT_RULES:
        mirror = EFFECT_BY_ID[row.mirror]
        assert mirror.mirror == row.id
        assert mirror.effect == MIRRORED[row.effect]


def test_a_reason_quotes_both_versions() -> None:
    edit = next(e for e in EDITS if e.name == "must_not_to_should_not")
    (change,) = _rules(edit).changes
    assert "must not store chat logs" in change.reason
    assert "should not store chat logs" in change.reason
    assert change.before == "Operators must not store chat logs."
    assert change.after == "Operators should not store chat logs."


# --- statements --------------------------------------------------------------------------


def test_statements_carry_party_modality_clauses_and_scope() -> None:
    (lead,) = read_statements(HARD_LIMITS_SOFTENED)
    assert (lead.party, lead.modality, lead.polarity) == ("assistant", "recommendation", "forbid")
    assert [c.kind for c in lead.clauses] == ["exception"]
    assert len(lead.scope) == 3
    (users,) = read_statements("Users may not upload executables.")
    assert (users.party, users.modality) == ("user", "prohibition")
    (dev,) = read_statements("Developers are required to label generated images.")
    assert (dev.party, dev.modality) == ("developer", "obligation")


def test_possibility_is_not_permission() -> None:
    for text in ("Such content may include names.", "Platform rules can prevent this."):
        assert [s.modality for s in read_statements(text)] == ["none"]
    assert [s.modality for s in read_statements("This may be shared with the user.")] == [
        "permission"
    ]


def test_a_duty_joined_by_and_avoid_stays_one_statement() -> None:
    text = "The assistant must keep the user's trust and avoid undermining their choices."
    assert [s.modality for s in read_statements(text)] == ["obligation"]


def test_a_repeated_word_removed_is_no_rule_change() -> None:
    rules = policy_rules(
        "This tool should be only be used for search.", "This tool should only be used for search."
    )
    assert rules == PolicyRules("unchanged", ())


# --- vocabulary from .specver.yaml -------------------------------------------------------


def test_config_adds_words_for_another_vocabulary() -> None:
    config = parse_config(
        "normative:\n"
        "  words:\n"
        "    - {phrase: is bound to, modality: obligation, polarity: require}\n"
        "    - {phrase: has leave to, modality: permission, polarity: permit}\n"
        "  exceptions: [save in the case that]\n"
        "  parties: {steward: operator}\n"
    )
    vocab = vocabulary_for(config.normative)
    (s,) = read_statements("The steward is bound to keep the ledger.", vocab)
    assert (s.party, s.modality) == ("operator", "obligation")
    rules = policy_rules(
        "The steward is bound to keep the ledger.",
        "The steward has leave to keep the ledger.",
        vocab,
    )
    assert [(c.rule, c.effect) for c in rules.changes] == [("modality_weakened", "loosened")]
    rules = policy_rules(
        "The steward is bound to keep the ledger.",
        "The steward is bound to keep the ledger, save in the case that it is lost.",
        vocab,
    )
    assert ("exception_added", "loosened") in {(c.rule, c.effect) for c in rules.changes}
    assert (
        policy_rules(
            "The steward is bound to keep the ledger.",
            "The steward has leave to keep the ledger.",
        ).verdict
        == "unchanged"
    )


def test_config_rejects_unknown_modalities_and_rules() -> None:
    bad = parse_config(
        "normative:\n  words:\n    - {phrase: x, modality: nope, polarity: forbid}\n"
    )
    with pytest.raises(ConfigError):
        vocabulary_for(bad.normative)
    bad = parse_config("normative:\n  effects: {no_such_rule: neutral}\n")
    with pytest.raises(ConfigError):
        vocabulary_for(bad.normative)
    with pytest.raises(ConfigError):
        parse_config("normative: [1]\n")


def test_effect_overrides_apply() -> None:
    vocab = vocabulary_for(
        parse_config("normative:\n  effects: {text_added: tightened}\n").normative
    )
    assert isinstance(vocab, Vocabulary)
    rules = policy_rules("A.", "A. Citations help readers.", vocab)
    assert rules.verdict == "tightened"


# --- mirror property over generated pairs ------------------------------------------------

_MODALS = ("must", "must not", "should", "should not", "may", "never", "can", "is not allowed to")


@st.composite
def _sentence(draw: st.DrawFn) -> str:
    subject = draw(st.sampled_from(("The assistant", "Developers", "Users", "It", "This")))
    modal = draw(st.sampled_from((*_MODALS, "")))
    body = " ".join(draw(st.lists(st.sampled_from(WORDS[:40]), min_size=2, max_size=5)))
    tail = draw(
        st.sampled_from(
            ("", " unless the user explicitly asks", ", when needed", " only if verified", "")
        )
    )
    return f"{subject} {modal} {body}{tail}.".replace("  ", " ")


@st.composite
def _prose(draw: st.DrawFn) -> str:
    parts = draw(st.lists(_sentence(), min_size=1, max_size=5))
    if draw(st.booleans()):
        items = draw(st.lists(st.sampled_from(WORDS[40:80]), min_size=1, max_size=4, unique=True))
        lead = draw(
            st.sampled_from(("The assistant must not:", "Operators may:", "X should never:"))
        )
        parts.append("\n\n" + lead + "\n\n" + "\n".join(f"- {w}" for w in items) + "\n\n")
    return " ".join(parts)


@st.composite
def _edited_pair(draw: st.DrawFn) -> tuple[str, str]:
    old = draw(_prose())
    if draw(st.booleans()):
        return old, draw(_prose())
    words = old.split(" ")
    k = draw(st.integers(0, max(0, len(words) - 1)))
    insert = draw(st.sampled_from(("not", "explicitly", "must", "may", "unless", "never", "")))
    new_words = [*words[:k], *([insert] if insert else []), *words[k + 1 :]]
    return old, " ".join(new_words)


@given(_edited_pair())
def test_verdicts_and_rows_mirror_over_generated_pairs(pair: tuple[str, str]) -> None:
    old, new = pair
    forward, backward = policy_rules(old, new), policy_rules(new, old)
    assert backward.verdict == MIRRORED[forward.verdict]
    assert sorted(EFFECT_BY_ID[c.rule].mirror for c in forward.changes) == sorted(
        c.rule for c in backward.changes
    )


# --- the corpus --------------------------------------------------------------------------


def _verdicts(old: Path, new: Path) -> dict[str, tuple[str, frozenset[tuple[str, str]]]]:
    result = diff(parse_text(old.read_text(encoding="utf-8")), parse_text(new.read_text("utf-8")))
    return {
        str(c.policy): (
            c.details.verdict,
            frozenset((n.rule, n.effect) for n in c.details.normative),
        )
        for c in result.changes
        if isinstance(c.details, TextChanged)
    }


def _policy_verdict(corpus: Path, old: str, new: str, policy: str) -> str:
    a = parse_text((corpus / f"{old}.md").read_text(encoding="utf-8"))
    b = parse_text((corpus / f"{new}.md").read_text(encoding="utf-8"))
    return policy_rules(a[policy].prose, b[policy].prose).verdict


def test_corpus_do_not_lie_is_tightened(corpus: Path) -> None:
    verdicts = _verdicts(corpus / "2025-02-12.md", corpus / "2025-04-11.md")
    verdict, rows = verdicts["do_not_lie"]
    assert verdict == "tightened"
    # The old allowance and the new one pair as one exception, narrowed by its condition.
    assert ("permission_narrowed", "tightened") in rows
    # "… cannot be overridden implicitly" is a new prohibition.
    assert ("rule_added", "tightened") in rows
    assert ("permission_dropped", "tightened") not in rows
    assert ("permission_added", "loosened") not in rows


def test_corpus_autumn_release_verdicts(corpus: Path) -> None:
    verdicts = _verdicts(corpus / "2025-04-11.md", corpus / "2025-09-12.md")
    assert "use_preset_voice_in_voice_mode" not in verdicts
    assert (
        _policy_verdict(corpus, "2025-04-11", "2025-09-12", "use_preset_voice_in_voice_mode")
        == "unchanged"
    )
    verdict, rows = verdicts["comply_with_laws"]
    assert verdict == "mixed"
    assert ("modality_weakened", "loosened") in rows
    assert ("rule_added", "tightened") in rows


@pytest.mark.parametrize(
    ("old", "new"), [("2025-02-12", "2025-04-11"), ("2025-04-11", "2025-09-12")]
)
def test_corpus_verdicts_mirror_when_swapped(corpus: Path, old: str, new: str) -> None:
    forward = _verdicts(corpus / f"{old}.md", corpus / f"{new}.md")
    backward = _verdicts(corpus / f"{new}.md", corpus / f"{old}.md")
    assert forward, "the releases differ in text"
    a = parse_text((corpus / f"{old}.md").read_text(encoding="utf-8"))
    b = parse_text((corpus / f"{new}.md").read_text(encoding="utf-8"))
    for policy, (verdict, rows) in forward.items():
        old_id = policy if policy in a else None
        if old_id is None or policy not in b:
            continue
        back_verdict, back_rows = backward[old_id]
        assert back_verdict == MIRRORED[verdict], policy
        assert sorted(EFFECT_BY_ID[r].mirror for r, _e in rows) == sorted(r for r, _e in back_rows)


# --- every report takes its words from the verdict ----------------------------------------


def _constitution(body: str) -> str:
    return f"# Hard constraints {{#hard_constraints authority=root}}\n\n{body}\n"


def test_softened_constitution_is_a_loosened_safeguard_for_regulators() -> None:
    from specver.api import impact
    from specver.render import IMPACT_RENDERERS, RenderOptions, render

    old = parse_text(_constitution(HARD_LIMITS))
    for new_body in (HARD_LIMITS_SOFTENED, HARD_LIMITS_SHORTER):
        result = diff(old, parse_text(_constitution(new_body)))
        (change,) = [c for c in result.changes if isinstance(c.details, TextChanged)]
        assert change.details.verdict == "loosened"
        report = impact(result, audience="regulators")
        assert not any("No safeguard changed" in s for s in report.summary)
        assert {s.direction for s in report.safeguards} == {"loosened"}
        text = render(IMPACT_RENDERERS, "text", report, RenderOptions())
        assert "[loosened]" in text


def test_rules_section_is_in_every_audience_json() -> None:
    import json

    from specver.api import impact
    from specver.render import IMPACT_RENDERERS, RenderOptions, render

    result = diff(
        parse_text(_constitution(HARD_LIMITS)), parse_text(_constitution(HARD_LIMITS_SHORTER))
    )
    for audience in ("all", "developers", "users", "regulators"):
        data = json.loads(
            render(IMPACT_RENDERERS, "json", impact(result, audience=audience), RenderOptions())
        )
        (entry,) = data["rules"]
        assert (entry["policy"], entry["verdict"]) == ("hard_constraints", "loosened")
        (statement,) = entry["statements"]
        assert statement["effect"] == "loosened"
        assert statement["rule"] == "scope_item_dropped"
        assert "malicious code" in statement["reason"]
        assert set(statement) == {"effect", "rule", "before", "after", "reason"}


def test_human_output_counts_words_and_names_the_verdict() -> None:
    from specver.render import DIFF_RENDERERS, RenderOptions, render

    old = parse_text(_constitution("The assistant should be only be used for search."))
    new = parse_text(_constitution("The assistant should only be used for search."))
    text = render(DIFF_RENDERERS, "text", diff(old, new), RenderOptions())
    assert "copy edit (1 word changed)" in text and "similarity" not in text
    old = parse_text(_constitution("Operators must not store chat logs."))
    new = parse_text(_constitution("Operators should not store chat logs."))
    text = render(DIFF_RENDERERS, "text", diff(old, new), RenderOptions())
    assert "substantive text change (1 word changed); rules loosened" in text


REAL_EDITS = (
    # (old release, new release, policy id, effect-table row, its effect, policy verdict)
    ("2025-02-12", "2025-04-11", "do_not_lie", "permission_narrowed", "tightened", "tightened"),
    ("2025-02-12", "2025-04-11", "do_not_lie", "rule_added", "tightened", "tightened"),
    ("2025-02-12", "2025-04-11", "risk_taxonomy", "restated", "neutral", "unchanged"),
    ("2025-04-11", "2025-09-12", "comply_with_laws", "modality_weakened", "loosened", "mixed"),
    ("2025-04-11", "2025-09-12", "comply_with_laws", "rule_added", "tightened", "mixed"),
    ("2025-04-11", "2025-09-12", "comply_with_laws", "text_added", "neutral", "mixed"),
    (
        "2025-04-11",
        "2025-09-12",
        "avoid_extremist_content",
        "permission_narrowed",
        "tightened",
        "tightened",
    ),
    (
        "2025-04-11",
        "2025-09-12",
        "avoid_hateful_content",
        "permission_narrowed",
        "tightened",
        "tightened",
    ),
    ("2025-04-11", "2025-09-12", "avoid_errors", "rule_widened", "tightened", "tightened"),
    (
        "2025-04-11",
        "2025-09-12",
        "follow_all_applicable_instructions",
        "rule_dropped",
        "loosened",
        "loosened",
    ),
    # "— never becoming annoying …" moved into the sentence before it: still a prohibition.
    ("2025-04-11", "2025-09-12", "highlight_misalignments", "restated", "neutral", "unchanged"),
)
"""Real edits between Model Spec releases, labelled by policy id (no corpus text here)."""


@pytest.mark.parametrize(("old", "new", "policy", "rule", "effect", "verdict"), REAL_EDITS)
def test_real_edit_gets_its_row_and_verdict(
    corpus: Path, old: str, new: str, policy: str, rule: str, effect: str, verdict: str
) -> None:
    a = parse_text((corpus / f"{old}.md").read_text(encoding="utf-8"))
    b = parse_text((corpus / f"{new}.md").read_text(encoding="utf-8"))
    rules = policy_rules(a[policy].prose, b[policy].prose)
    assert (rule, effect) in {(c.rule, c.effect) for c in rules.changes}
    assert rules.verdict == verdict
    back = policy_rules(b[policy].prose, a[policy].prose)
    assert back.verdict == MIRRORED[verdict]
    assert (EFFECT_BY_ID[rule].mirror, MIRRORED[effect]) in {
        (c.rule, c.effect) for c in back.changes
    }


def test_the_labelled_set_counts_real_and_scripted_edits() -> None:
    assert len(EDITS) + len(REAL_EDITS) >= 40
    assert len(REAL_EDITS) >= 10
