"""Where each change is: line ranges, heading lines and fingerprints (docs/diff.md)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from specver.api import diff, load, parse_text
from specver.diff.classify import fingerprint
from specver.render.fmt_json import diff_json
from specver.spec.model import RESERVED_IDS
from tests.conftest import ACME, CASES, ROOT

HEADING_RE = re.compile(r"^ {0,3}(#{1,6})\s+(.*)$")


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def check_locations(old_path: Path, new_path: Path) -> int:
    """Assert every change's lines and headings point at what it names; return the count."""
    old, new = load(str(old_path)), load(str(new_path))
    result = diff(old, new)
    texts = {"old": lines_of(old_path), "new": lines_of(new_path)}
    specs = {"old": old, "new": new}
    checked = 0
    for change in result.changes:
        if change.policy is None:
            assert (change.heading_line.old, change.heading_line.new) == (None, None)
            if change.kind == "metadata_changed":
                for side in ("old", "new"):
                    front = specs[side].front_matter
                    span = getattr(change, f"{side}_lines")
                    expected = (front.line, front.last_line) if front else None
                    assert span == expected, (change, side)
                checked += 1
                continue
            assert change.old_lines is None and change.new_lines is None
            assert change.details.policies, "a level rename lists its policies"
            continue
        for side in ("old", "new"):
            heading = getattr(change.heading_line, side)
            span = getattr(change, f"{side}_lines")
            if heading is None:
                reserved = next((p for p in specs[side] if p.id == change.policy), None)
                if reserved is not None and reserved.id in RESERVED_IDS:
                    # `_preamble` and `_document` have no heading: their lines are theirs
                    assert span is not None
                    assert reserved.lines[0] <= span[0] <= span[1] <= reserved.lines[1]
                    checked += 1
                else:
                    assert span is None, (change, side)
                continue
            # The heading line is the line the policy starts on in that version, and it is
            # a heading carrying that policy's title.
            found = HEADING_RE.match(texts[side][heading - 1])
            assert found, (change.kind, change.policy, side, texts[side][heading - 1])
            policy = next(p for p in specs[side] if p.lines[0] == heading)
            assert policy.title in found.group(2)
            if span is not None:
                first, last = span
                assert 1 <= first <= last <= len(texts[side])
                assert policy.lines[0] <= first and last <= policy.lines[1], (change, side)
            checked += 1
    return checked


@pytest.mark.corpus
@pytest.mark.parametrize("pair", [("2025-02-12", "2025-04-11"), ("2025-04-11", "2025-09-12")])
def test_corpus_lines_point_at_the_changed_policies(corpus: Path, pair: tuple[str, str]) -> None:
    old, new = (corpus / f"{name}.md" for name in pair)
    assert check_locations(old, new) > 10


def test_acme_and_case_lines_point_at_the_changed_policies() -> None:
    total = check_locations(ACME / "v1.1.0/acme_spec.md", ACME / "v2.0.0/acme_spec.md")
    for case in sorted(CASES.iterdir()):
        if (case / "old.md").is_file():
            total += check_locations(case / "old.md", case / "new.md")
    assert total > 40


def test_example_lines_cover_the_fence() -> None:
    old_path, new_path = ACME / "v1.1.0/acme_spec.md", ACME / "v2.0.0/acme_spec.md"
    result = diff(load(str(old_path)), load(str(new_path)))
    texts = {"old": lines_of(old_path), "new": lines_of(new_path)}
    examples = [c for c in result.changes if c.kind.startswith("example_")]
    assert {c.kind for c in examples} >= {"example_removed", "example_moved"}
    for change in examples:
        for side in ("old", "new"):
            span = getattr(change, f"{side}_lines")
            if span is None:
                continue
            assert texts[side][span[0] - 1].startswith("~~~")
            assert texts[side][span[1] - 1].strip() == "~~~"
    removed = next(c for c in examples if c.kind == "example_removed")
    assert removed.new_lines is None and removed.old_lines is not None


def test_heading_kinds_point_at_the_heading_and_references_at_their_line() -> None:
    result = diff(load(str(ACME / "v1.1.0/acme_spec.md")), load(str(ACME / "v2.0.0/acme_spec.md")))
    text = lines_of(ACME / "v2.0.0/acme_spec.md")
    authority = [c for c in result.changes if c.kind == "authority_changed"]
    assert authority
    for change in authority:
        assert change.new_lines == (change.heading_line.new, change.heading_line.new)
        assert f"authority={change.details.new}" in text[change.new_lines[0] - 1]
    broken = next(c for c in result.changes if c.kind == "reference_broken")
    assert broken.old_lines is None and broken.new_lines is not None
    assert f"#{broken.details.target}" in text[broken.new_lines[0] - 1]


SPEC = """\
# Rules {#rules}

Top-level rules.

## Be honest {#honest authority=root}

The assistant must not lie about facts. It should say when it is unsure.

## Be brief {#brief authority=user}

The assistant should keep answers short.

## Be kind {#kind authority=guideline}

The assistant should be kind to everyone.
"""


def edited(text: str) -> str:
    return text.replace("must not lie", "should not lie").replace(
        "authority=user", "authority=developer"
    )


def prints(old: str, new: str) -> dict[tuple[str, str | None], str]:
    result = diff(parse_text(old), parse_text(new))
    return {(c.kind, c.policy): c.fingerprint for c in result.changes}


def test_fingerprints_are_stable_under_unrelated_edits() -> None:
    base = prints(SPEC, edited(SPEC))
    assert set(base) == {("text_changed", "honest"), ("authority_changed", "brief")}
    assert all(re.fullmatch(r"[0-9a-f]{12}", f) for f in base.values())
    # Edits elsewhere: a new preamble moving every line, a new section, another policy's
    # prose rewritten, the text around the changed words rewritten in both versions.
    shifted = "Preamble line.\n\nAnother one.\n\n" + SPEC
    grown = SPEC + "\n## Be patient {#patient authority=user}\n\nThe assistant waits.\n"
    for old in (shifted, grown):
        got = prints(old, edited(old))
        assert all(got[key] == value for key, value in base.items()), old
    elsewhere = prints(SPEC, edited(SPEC).replace("kind to everyone", "kind to all people"))
    for key, value in base.items():
        assert elsewhere[key] == value
    assert ("text_changed", "kind") in elsewhere
    around = SPEC.replace("It should say when it is unsure.", "It admits doubt.")
    assert (
        prints(around, edited(around))[("text_changed", "honest")]
        == base[("text_changed", "honest")]
    )
    # The changed words themselves do change it.
    other = prints(SPEC, SPEC.replace("must not lie", "may lie"))
    assert other[("text_changed", "honest")] != base[("text_changed", "honest")]


def test_fingerprints_are_the_same_in_another_process(tmp_path: Path) -> None:
    old, new = ACME / "v1.1.0/acme_spec.md", ACME / "v2.0.0/acme_spec.md"
    here = [c.fingerprint for c in diff(load(str(old)), load(str(new))).changes]
    assert len(set(here)) == len(here), "fingerprints tell the changes apart"
    proc = subprocess.run(
        [sys.executable, "-m", "specver", "diff", str(old), str(new), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    assert [c["fingerprint"] for c in json.loads(proc.stdout)["changes"]] == here


def test_fingerprint_is_sha256_over_kind_policy_and_words() -> None:
    import hashlib

    expected = hashlib.sha256(b"text_changed\x1fhonest\x1fmust\x1fshould").hexdigest()
    assert fingerprint("text_changed", "honest", ["must"], ["should"]) == expected[:12]
    assert fingerprint("text_changed", "honest", ["must"], ["should"]) != fingerprint(
        "text_changed", "honest", ["should"], ["must"]
    )


def documented_fields() -> list[str]:
    """The fields the table under "Where each change is" in docs/diff.md names."""
    text = (ROOT / "docs/diff.md").read_text(encoding="utf-8")
    section = text.split("## Where each change is", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE)


def test_every_change_has_the_documented_fields() -> None:
    fields = documented_fields()
    assert {"old_lines", "new_lines", "heading_line", "fingerprint", "accepted"} <= set(fields)
    data = diff_json(
        diff(load(str(ACME / "v1.1.0/acme_spec.md")), load(str(ACME / "v2.0.0/acme_spec.md")))
    )
    for change in data["changes"]:
        assert set(fields) <= set(change), change["kind"]
        assert set(change["heading_line"]) == {"old", "new"}
        for key in ("old_lines", "new_lines"):
            assert change[key] is None or (
                len(change[key]) == 2 and change[key][0] <= change[key][1]
            )


def test_front_matter_changes_have_their_own_fingerprints_and_lines() -> None:
    """Two keys changed in one front matter are two changes an accept file can tell apart."""
    old = parse_text("---\nversion: 1\nowner: a\n---\n\n# Rules {#rules}\n\nBe kind.\n")
    new = parse_text("---\nversion: 2\nowner: b\n---\n\n# Rules {#rules}\n\nBe kind.\n")
    changes = [c for c in diff(old, new).changes if c.kind == "metadata_changed"]
    assert len(changes) == 2
    assert len({c.fingerprint for c in changes}) == 2
    assert all(c.old_lines == (1, 4) and c.new_lines == (1, 4) for c in changes)
