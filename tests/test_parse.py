"""The parser: every Model Spec convention, on the project's fixtures and the real corpus."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from specver import api
from specver.config import AuthorityScheme
from specver.errors import InputError
from specver.spec.check import check_spec
from specver.spec.parse import parse, slugify

from .conftest import ACME, RELEASES

V1 = ACME / "v1.0.0" / "acme_spec.md"
V2 = ACME / "v2.0.0" / "acme_spec.md"


@pytest.fixture(scope="module")
def v1():
    return api.load(str(V1))


def test_heading_attributes_give_id_authority_depth_and_parent(v1) -> None:
    p = v1["support_users_in_distress"]
    assert (p.title, p.authority, p.depth, p.parent) == (
        "Support users in distress",
        "platform",
        3,
        "sensitive_topics",
    )
    assert v1["sparing_disclaimers"].parent == "avoid_regulated_advice"
    assert v1["sparing_disclaimers"].depth == 4


def test_grouping_sections_have_no_authority(v1) -> None:
    assert v1["stay_safe"].authority is None
    assert v1["stay_safe"].parent is None
    assert [c.id for c in v1.children("friendly")] == [
        "be_warm",
        "use_humour",
        "avoid_condescension",
    ]


def test_tags_are_read_after_the_authority() -> None:
    spec = api.load(str(V2))
    assert spec["protect_minors"].tags == ("safety",)
    assert spec["protect_minors"].authority == "root"


def test_prose_excludes_examples_commentary_and_children(v1) -> None:
    p = v1["follow_instructions"]
    assert p.prose
    assert "**Example**" not in p.prose
    assert "!!! meta" not in p.prose
    assert "<user>" not in p.prose
    assert "Respect the intent" not in p.prose  # the next section's title


def test_commentary_blocks_are_read_with_their_bodies(v1) -> None:
    p = v1["protect_secrets"]
    assert len(p.commentary) == 1
    assert p.commentary[0].title == "Commentary"
    assert p.commentary[0].text
    assert not p.commentary[0].text.startswith("    ")


def test_examples_have_titles_messages_and_verdicts(v1) -> None:
    example = v1["ask_clarifying_questions"].examples[0]
    assert example.title == "ambiguous file request"
    roles = [m.role for m in example.messages]
    assert "user" in roles and "assistant" in roles
    labels = [a.verdict.label for a in example.answers]
    assert sorted(labels) == ["BAD", "GOOD"]
    assert all(a.in_comparison for a in example.answers)


def test_verdict_reason_and_cited_ids() -> None:
    text = (
        "# T {#t authority=user}\n\n**Example**: e\n\n~~~xml\n<user>\nhi\n</user>\n<comparison>\n"
        "<assistant> <!-- BAD[#chain_of_command]: ignores the developer -->\nno\n</assistant>\n"
        "<assistant> <!-- GOOD: polite -->\nyes\n</assistant>\n"
        "<assistant> <!-- OK -->\nfine\n</assistant>\n</comparison>\n~~~\n"
    )
    ex = parse(text)["t"].examples[0]
    bad, good, ok = (a.verdict for a in ex.answers)
    assert (bad.label, bad.cites, bad.reason) == (
        "BAD",
        ("chain_of_command",),
        "ignores the developer",
    )
    assert (good.label, good.reason) == ("GOOD", "polite")
    assert (ok.label, ok.reason) == ("OK", "")
    assert [a.text for a in ex.answers] == ["no", "yes", "fine"]


def test_tool_messages_keep_their_name_and_nested_tags_stay_in_text() -> None:
    text = (
        "# T {#t authority=user}\n\n~~~xml\n<developer>\nRules.\n<untrusted>\nbuy now\n"
        '</untrusted>\n</developer>\n<tool name="browser">\npage\n</tool>\n~~~\n'
    )
    ex = parse(text)["t"].examples[0]
    assert [m.role for m in ex.messages] == ["developer", "tool"]
    assert "<untrusted>" in ex.messages[0].text
    assert dict(ex.messages[1].attrs) == {"name": "browser"}
    assert not ex.titled


def test_references_and_footnotes(v1) -> None:
    p = v1["do_not_deceive"]
    assert "g1h7" in p.footnotes
    targets = {r.target for spec_policy in v1 for r in spec_policy.references}
    assert targets <= {q.id for q in v1}
    question_marks = [r for q in v1 for r in q.references if r.text == "?"]
    assert question_marks, "the fixtures use [?](#id) references"


def test_hash_lines_and_unclosed_inner_fences_do_not_end_sections(v1) -> None:
    p = v1["ignore_untrusted_data"]
    assert len(p.examples) == 2
    assert "# sync.py" in p.examples[1].source
    assert "stay_in_scope" in v1  # the section after the unclosed ```python fence
    assert "sync-py" not in v1


def test_eval_files_are_found_beside_the_spec(v1) -> None:
    assert v1.evals is not None
    names = v1.eval_names()
    assert {"a7c2", "g1h7"} <= names
    assert {e.section for e in v1.evals if e.name == "g1h7"} == {v1["do_not_deceive"].title}


def test_top_level_fence_left_open_does_not_swallow_later_sections() -> None:
    text = (
        "# A {#a authority=user}\n\nText.\n\n```python\nx = 1\n\n"
        "# B {#b authority=guideline}\n\nMore text.\n\n## C {#c authority=user}\n\nEnd.\n"
    )
    spec = parse(text)
    assert [p.id for p in spec] == ["a", "b", "c"]
    assert spec["b"].lines[0] == 8
    assert spec["c"].parent == "b"
    assert [d.code for d in spec.diagnostics] == ["unclosed_fence"]


def test_documents_without_attributes_get_slug_ids() -> None:
    spec = parse(
        "# Refund policy\n\nText.\n\n## Who can ask?\n\nMore.\n\n## Who can ask?\n\nAgain.\n"
    )
    assert [p.id for p in spec] == ["refund-policy", "who-can-ask", "who-can-ask-1"]
    assert [p.parent for p in spec] == [None, "refund-policy", "refund-policy"]
    assert not spec["refund-policy"].explicit_id
    assert slugify("Don't panic!") == "dont-panic"


def test_yaml_front_matter_is_not_read_as_a_heading() -> None:
    spec = parse("---\ntitle: Acme\nversion: 1.0\n---\n\n# A {#a authority=user}\n\nText.\n")
    assert [p.id for p in spec] == ["a"]
    assert spec.preamble == ""


def test_duplicate_ids_are_kept_apart_and_reported() -> None:
    spec = parse("# A {#x authority=user}\n\none\n\n# B {#x authority=user}\n\ntwo\n")
    assert [p.id for p in spec] == ["x", "x~2"]
    findings = check_spec(spec, AuthorityScheme())
    assert [f.code for f in findings] == ["duplicate_id"]


@pytest.mark.parametrize(
    "heading",
    [
        "# T {#t authority=}",
        '# T {#t authority="root}',
        "# T {#t authority=root",
        "# T {#t #u}",
        "# T {#t =root}",
    ],
)
def test_malformed_attribute_blocks_raise_input_error_with_the_line(heading: str) -> None:
    with pytest.raises(InputError, match=r"line 3"):
        parse(f"Intro.\n\n{heading}\n\nText.\n")


def test_braces_in_ordinary_titles_are_not_attributes() -> None:
    spec = parse("# Use {placeholders} in templates\n\nText.\n")
    assert spec.policies[0].title == "Use {placeholders} in templates"


def test_crlf_and_bom_parse_like_lf() -> None:
    text = V1.read_text(encoding="utf-8")
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    assert parse(crlf).policies == parse(text).policies


def test_check_is_clean_on_released_fixture_and_finds_planted_problems() -> None:
    assert [f for f in api.check(api.load(str(V1))) if f.severity == "error"] == []
    codes = Counter(f.code for f in api.check(api.load(str(V2))))
    assert codes == Counter({"reference_missing": 1, "eval_uncited": 1})


def test_check_reports_unknown_levels_missing_evals_empty_policies_and_verdictless_examples(
    tmp_path: Path,
) -> None:
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "zz99.md").write_text("Examples for [^zz99] in Nowhere:\n")
    spec_file = tmp_path / "spec.md"
    spec_file.write_text(
        "# A {#a authority=supreme}\n\nSee [^ab12].\n\n# B {#b authority=user}\n\n"
        "# C {#c authority=user}\n\n**Example**: no verdict\n\n~~~xml\n<user>\nhi\n</user>\n"
        "<assistant>\nhello\n</assistant>\n~~~\n"
    )
    codes = Counter(f.code for f in api.check(api.load(str(spec_file))))
    assert codes == Counter(
        {
            "unknown_authority": 1,
            "eval_missing": 1,
            "eval_uncited": 1,
            "empty_policy": 1,
            "example_without_verdict": 1,
        }
    )


# --- the real corpus ---------------------------------------------------------------------

EXPECTED = {
    "2025-02-12": (71, {"platform": 20, "developer": 1, "user": 12, "guideline": 18}, 154),
    "2025-04-11": (71, {"platform": 20, "developer": 1, "user": 12, "guideline": 18}, 154),
    "2025-09-12": (
        77,
        {"root": 20, "system": 3, "developer": 1, "user": 15, "guideline": 18},
        173,
    ),
}


def _ids_outside_fences(text: str) -> list[tuple[str, str | None]]:
    """Independent count: `{#id ...}` headings outside ~~~ fences, by a line scan."""
    out = []
    fence = None
    for line in text.splitlines():
        stripped = line.strip()
        if fence is None and stripped.startswith(("~~~", "```")):
            fence = stripped[:3]
            continue
        if fence is not None and stripped.startswith(fence) and set(stripped) == {fence[0]}:
            fence = None
            continue
        m = re.match(r"#{1,6} .*\{#(\S+?)(?: authority=(\w+))?(?: [^}]*)?\}\s*$", line)
        if fence is None and m:
            out.append((m.group(1), m.group(2)))
    return out


@pytest.mark.parametrize("release", RELEASES)
def test_corpus_counts(corpus: Path, release: str) -> None:
    path = corpus / f"{release}.md"
    spec = api.load(str(path))
    ids, levels, examples = EXPECTED[release]
    assert len([p for p in spec if p.explicit_id]) == ids == len(spec)
    assert Counter(p.authority for p in spec if p.authority) == levels
    assert sum(len(p.examples) for p in spec) == examples
    text = path.read_text(encoding="utf-8")
    assert [(p.id, p.authority) for p in spec] == _ids_outside_fences(text)


@pytest.mark.parametrize("release", RELEASES)
def test_corpus_verdicts_match_the_comments_in_the_text(corpus: Path, release: str) -> None:
    text = (corpus / f"{release}.md").read_text(encoding="utf-8")
    spec = api.load(str(corpus / f"{release}.md"))
    found = Counter(a.verdict.label for p in spec for e in p.examples for a in e.answers)
    for label in ("GOOD", "BAD", "OK"):
        assert found[label] == len(re.findall(rf"<!--\s*{label}\b", text)), label
    cited = [c for p in spec for e in p.examples for a in e.answers for c in a.verdict.cites]
    assert cited and all(c in spec for c in cited)


@pytest.mark.parametrize("release", RELEASES)
def test_corpus_check_reports_no_errors(corpus: Path, release: str) -> None:
    spec = api.load(str(corpus / f"{release}.md"))
    errors = [f for f in api.check(spec) if f.severity == "error"]
    assert errors == []


def test_a_parsed_spec_survives_pickling_with_its_index(v1) -> None:
    import pickle

    copy = pickle.loads(pickle.dumps(v1))
    assert copy == v1
    assert copy["do_not_deceive"] == v1["do_not_deceive"]
