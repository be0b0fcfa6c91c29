"""`specver merge` at the granularity of the edit: blocks, sentences, heading parts, semantic
conflicts, markers as errors, the summary, and the upstream remembered in .specver.yaml."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from specver.api import load, parse_text
from specver.fork.compare import MARK_BASE, MARK_FORK, MARK_SPLIT, compare_fork, merge_fork
from specver.spec.markers import conflict_marker_lines

from .gitutil import commit_file, git

BASE = """# House rules {#house}

## Be honest {#be_honest authority=user}

The assistant must not state things it believes to be false. It should say when it is
unsure.

It should correct a mistake it made as soon as it notices it.

**Example**: a made-up source

~~~xml
<user>
Cite a source for that.
</user>
<assistant> <!-- BAD: invents a source -->
According to the Journal of Things, yes.
</assistant>
~~~

## Keep it short {#keep_short authority=guideline}

Answers should be short unless the user asks for detail.

## Stay on topic {#stay_on_topic authority=developer}

The assistant should stay on the topic the developer set.
"""


def spec_merge(base: str, upstream: str, fork: str, *, diff3: bool = False):  # type: ignore[no-untyped-def]
    report = compare_fork(parse_text(base), parse_text(upstream), parse_text(fork))
    return report, merge_fork(report, upstream, fork, diff3=diff3)


def marked_line_count(text: str) -> int:
    """Lines from each opening marker to its closing marker, both included (as git's)."""
    lines = text.split("\n")
    count, start = 0, None
    for k, line in enumerate(lines):
        if line.startswith("<<<<<<<"):
            start = k
        elif line.startswith(">>>>>>>") and start is not None:
            count += k - start + 1
            start = None
    return count


# --- blocks and sentences ------------------------------------------------------------------


def test_edits_of_different_paragraphs_of_one_policy_merge_clean() -> None:
    upstream = BASE.replace("as soon as it notices it", "as soon as it notices the mistake")
    fork = BASE.replace("It should say when it is\nunsure.", "It should say when it is\nnot sure.")
    report, merged = spec_merge(BASE, upstream, fork)
    assert report.conflicts == () and report.merged_cleanly == ("be_honest",)
    assert merged.conflicts == () and MARK_FORK not in merged.text
    prose = parse_text(merged.text)["be_honest"].prose
    assert "notices the mistake" in prose and "not sure" in prose


def test_edits_of_different_sentences_of_one_paragraph_merge_clean() -> None:
    upstream = BASE.replace("believes to be false.", "knows to be false.")
    fork = BASE.replace("It should say when it is\nunsure.", "It must say when it is\nunsure.")
    report, merged = spec_merge(BASE, upstream, fork)
    assert report.conflicts == ()
    prose = parse_text(merged.text)["be_honest"].prose
    assert "knows to be false. It must say when it is\nunsure." in prose


def test_edits_of_one_sentence_conflict_around_that_paragraph_only() -> None:
    upstream = BASE.replace("believes to be false", "knows to be untrue")
    fork = BASE.replace("believes to be false", "thinks is false")
    report, merged = spec_merge(BASE, upstream, fork)
    assert [(c.policy, c.reason) for c in report.conflicts] == [("be_honest", "both_changed")]
    assert [(c.policy, c.kind) for c in merged.conflicts] == [("be_honest", "block")]
    lines = merged.text.split("\n")
    opening = merged.conflicts[0].line - 1
    assert lines[opening] == f"{MARK_FORK} (be_honest: both sides edited this paragraph)"
    closing = next(k for k in range(opening, len(lines)) if lines[k].startswith(">>>>>>>"))
    inside = "\n".join(lines[opening:closing])
    assert "thinks is false" in inside and "knows to be untrue" in inside
    assert "correct a mistake" not in inside and "~~~xml" not in inside
    # the heading stays one heading, outside the markers, and the file still parses
    spec = parse_text(merged.text)
    assert [p.id for p in spec] == ["house", "be_honest", "keep_short", "stay_on_topic"]
    assert MARK_SPLIT in spec["be_honest"].prose


def test_diff3_shows_the_base_between_the_two_versions() -> None:
    upstream = BASE.replace("believes to be false", "knows to be untrue")
    fork = BASE.replace("believes to be false", "thinks is false")
    _report, merged = spec_merge(BASE, upstream, fork, diff3=True)
    lines = merged.text.split("\n")
    base_at, split_at = lines.index(MARK_BASE), lines.index(MARK_SPLIT)
    assert base_at < split_at
    assert "believes to be false" in "\n".join(lines[base_at:split_at])
    assert len(conflict_marker_lines(lines)) == 4


def test_an_example_both_edited_on_different_lines_merges_and_on_one_line_conflicts() -> None:
    upstream = BASE.replace("Cite a source for that.", "Cite a source for that claim.")
    fork = BASE.replace(
        "According to the Journal of Things, yes.", "The Journal of Things says so."
    )
    report, merged = spec_merge(BASE, upstream, fork)
    assert report.conflicts == ()
    example = parse_text(merged.text)["be_honest"].examples[0].source
    assert "that claim." in example and "The Journal of Things says so." in example
    fork = BASE.replace("Cite a source for that.", "Give me a source.")
    report, merged = spec_merge(BASE, upstream, fork)
    assert [c.label for c in merged.conflicts] == ["be_honest: both sides edited this example"]
    spec = parse_text(merged.text)
    assert len(spec["be_honest"].examples) == 2  # both versions, each a whole fence


# --- semantic conflicts --------------------------------------------------------------------


def test_a_policy_removed_on_one_side_and_edited_on_the_other_is_a_labelled_conflict() -> None:
    from .gitutil import drop_section

    edited = BASE.replace("unless the user asks for detail", "unless asked for detail")
    removed = drop_section(BASE, "keep_short")
    for upstream, fork, reason, label in (
        (edited, removed, "removed_by_fork", "removed in the fork, edited upstream"),
        (removed, edited, "removed_by_upstream", "removed upstream, edited in the fork"),
    ):
        report, merged = spec_merge(BASE, upstream, fork)
        assert [(c.policy, c.reason) for c in report.conflicts] == [("keep_short", reason)]
        [conflict] = merged.conflicts
        assert (conflict.kind, conflict.label) == (reason, f"keep_short: {label}")
        spec = parse_text(merged.text)
        assert "keep_short" in spec  # never a silent drop
        assert MARK_FORK in spec["keep_short"].prose
        assert "unless asked for detail" in spec["keep_short"].prose
        assert MARK_FORK not in spec["be_honest"].prose


def test_authority_changed_to_different_levels_on_both_sides_is_marked_on_its_own_lines() -> None:
    upstream = BASE.replace("{#keep_short authority=guideline}", "{#keep_short authority=user}")
    fork = BASE.replace("{#keep_short authority=guideline}", "{#keep_short authority=developer}")
    report, merged = spec_merge(BASE, upstream, fork)
    assert [(c.policy, c.reason) for c in report.conflicts] == [
        ("keep_short", "authority_on_both_sides")
    ]
    [conflict] = merged.conflicts
    assert conflict.kind == "authority"
    assert "developer in the fork, user upstream" in conflict.label
    lines = merged.text.split("\n")
    k = conflict.line - 1
    assert lines[k - 2].startswith("## Keep it short {#keep_short authority=")  # one heading
    block = lines[k : lines.index(">>>>>>> upstream", k) + 1]
    assert "authority: developer" in block and "authority: user" in block
    spec = parse_text(merged.text)
    assert [p.id for p in spec] == ["house", "be_honest", "keep_short", "stay_on_topic"]
    # the same level on both sides is no conflict
    report, merged = spec_merge(BASE, fork, fork)
    assert report.conflicts == () and merged.conflicts == ()


def test_a_rename_on_one_side_and_an_edit_on_the_other_conflicts_and_the_edit_follows() -> None:
    renamed = BASE.replace(
        "{#stay_on_topic authority=developer}", "{#on_topic authority=developer}"
    )
    edited = BASE.replace("the topic the developer set", "the topic the developer chose")
    for upstream, fork, who in ((renamed, edited, "upstream"), (edited, renamed, "in the fork")):
        report, merged = spec_merge(BASE, upstream, fork)
        assert [(c.policy, c.reason) for c in report.conflicts] == [
            ("stay_on_topic", "renamed_and_edited")
        ]
        [conflict] = merged.conflicts
        assert conflict.kind == "renamed_and_edited"
        assert (
            f"renamed on_topic {who}" in conflict.label and "follows the rename" in conflict.label
        )
        spec = parse_text(merged.text)
        assert "stay_on_topic" not in spec  # no second copy under the old id
        assert "developer chose" in spec["on_topic"].prose  # the edit follows the rename
        block = merged.text.split("\n")[conflict.line - 1 :]
        assert "id: stay_on_topic" in block[: block.index(">>>>>>> upstream")]


def test_a_heading_title_and_attributes_merge_apart() -> None:
    upstream = BASE.replace("## Keep it short {#keep_short authority=guideline}",
                            "## Keep answers short {#keep_short authority=guideline}")  # fmt: skip
    fork = BASE.replace("{#keep_short authority=guideline}",
                        "{#keep_short authority=guideline tags=style}")  # fmt: skip
    report, merged = spec_merge(BASE, upstream, fork)
    assert report.conflicts == ()
    policy = parse_text(merged.text)["keep_short"]
    assert (policy.title, policy.tags, policy.authority) == (
        "Keep answers short",
        ("style",),
        "guideline",
    )


# --- markers are errors -------------------------------------------------------------------


@pytest.fixture
def conflicted(tmp_path: Path) -> Path:
    upstream = BASE.replace("believes to be false", "knows to be untrue").replace(
        "{#keep_short authority=guideline}", "{#keep_short authority=user}"
    )
    fork = BASE.replace("believes to be false", "thinks is false").replace(
        "{#keep_short authority=guideline}", "{#keep_short authority=developer}"
    )
    _report, merged = spec_merge(BASE, upstream, fork)
    path = tmp_path / "merged.md"
    path.write_text(merged.text, encoding="utf-8")
    return path


def test_check_reports_every_conflict_marker_line(conflicted: Path, cli) -> None:
    lines = conflicted.read_text(encoding="utf-8").split("\n")
    markers = conflict_marker_lines(lines)
    assert len(markers) == 6
    result = cli("check", conflicted, "--format", "json")
    assert result.code == 1
    findings = json.loads(result.out)["findings"]
    reported = [f["line"] for f in findings if f["code"] == "conflict_marker"]
    assert reported == list(markers)
    assert all(f["severity"] == "error" for f in findings if f["code"] == "conflict_marker")
    text = cli("check", conflicted)
    assert text.code == 1 and text.out.count("conflict_marker") == 6


def test_diff_refuses_a_file_with_markers_naming_the_line(conflicted: Path, cli, tmp_path) -> None:
    clean = tmp_path / "base.md"
    clean.write_text(BASE, encoding="utf-8")
    first = conflict_marker_lines(conflicted.read_text(encoding="utf-8").split("\n"))[0]
    for args in ((clean, conflicted), (conflicted, clean)):
        result = cli("diff", *args)
        assert result.code == 2 and result.out == ""
        assert len(result.err.strip().split("\n")) == 1
        assert f"line {first}:" in result.err and "conflict marker" in result.err


def test_a_setext_underline_is_no_conflict_marker(cli, tmp_path: Path) -> None:
    path = tmp_path / "setext.md"
    path.write_text("Rules\n=======\n\nBe kind.\n", encoding="utf-8")
    result = cli("check", path, "--format", "json")
    assert all(f["code"] != "conflict_marker" for f in json.loads(result.out)["findings"])


# --- the summary --------------------------------------------------------------------------


def test_merge_summary_on_stderr_and_as_json(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # outside a repository: the base is recorded here
    upstream = BASE.replace("believes to be false", "knows to be untrue").replace(
        "unless the user asks", "unless someone asks"
    )
    fork = BASE.replace("believes to be false", "thinks is false").replace(
        "The assistant should stay", "The assistant must stay"
    )
    files = {}
    for name, text in (("base", BASE), ("up", upstream), ("fork", fork)):
        files[name] = tmp_path / f"{name}.md"
        files[name].write_text(text, encoding="utf-8")
    args = ("--upstream", files["up"], "--fork", files["fork"], "--base", files["base"])
    out = tmp_path / "merged.md"
    result = cli("merge", *args, "--output", out)
    assert result.code == 1 and result.out == ""
    line = conflict_marker_lines(out.read_text(encoding="utf-8").split("\n"))[0]
    summary = result.err.split("\n")[0]
    assert summary == (
        "specver: merged: applied 1 upstream change, kept 1 of the fork's, "
        f"1 conflict in be_honest (line {line}), 2 changes wait on the conflicts"
    )
    assert f"  line {line}: be_honest: both sides edited this paragraph" in result.err
    result = cli("merge", *args, "--output", out, "--format", "json")
    data = json.loads(result.out)
    assert data["schema"] == "specver.merge/1" and data["output"] == str(out)
    assert (data["applied"], data["kept"], data["pending"]) == (1, 1, 2)
    assert data["conflicts"] == [
        {"policy": "be_honest", "kind": "block", "label": data["conflicts"][0]["label"],
         "line": line}
    ]  # fmt: skip
    refused = cli("merge", *args, "--format", "json")
    assert refused.code == 2 and "--output" in refused.err
    recorded = (tmp_path / ".specver.yaml").read_text(encoding="utf-8")
    assert recorded == "upstream: up.md\nbase: up.md\n"  # a file upstream: the SPEC as given


# --- the corpus: a fork of 2025-04-11 merged with 2025-09-12 ------------------------------


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip() and not p.startswith(("~", "!", "*", "#"))]


def test_corpus_fork_edits_merge_at_the_granularity_of_the_edit(corpus: Path, tmp_path) -> None:
    base = (corpus / "2025-04-11.md").read_text(encoding="utf-8")
    upstream = (corpus / "2025-09-12.md").read_text(encoding="utf-8")
    b, u = parse_text(base), parse_text(upstream)
    assert b["do_not_lie"].prose != u["do_not_lie"].prose  # upstream changed the policy
    # a paragraph of do_not_lie upstream left as it was: the fork edits it
    untouched = next(p for p in _paragraphs(b["do_not_lie"].prose) if p in u["do_not_lie"].prose)
    assert base.count(untouched) == 1
    word = untouched.split()[-1]
    edited = untouched[: -len(word)] + "(fork) " + word
    fork = base.replace(untouched, edited)
    # a paragraph upstream rewrote: the fork edits the same sentence
    rewritten = next(
        p for p in _paragraphs(b["do_not_lie"].prose) if p not in u["do_not_lie"].prose
    )
    first = rewritten.split()[0]
    fork = fork.replace(rewritten, rewritten.replace(first, first + " (fork)", 1))
    _report, merged = spec_merge(base, upstream, fork)
    assert [c.policy for c in merged.conflicts] == ["do_not_lie"]
    spec = parse_text(merged.text)
    assert edited in spec["do_not_lie"].prose  # the fork's edit merged in, no conflict there
    for paragraph in _paragraphs(u["do_not_lie"].prose):
        if paragraph not in b["do_not_lie"].prose and paragraph.split()[0] != first:
            assert paragraph in spec["do_not_lie"].prose  # upstream's new text is in
    # the overlap is marked in no more lines than twice what git merge-file marks
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for name, text in (("fork", fork), ("base", base), ("upstream", upstream)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        ["git", "merge-file", "-p", *(str(tmp_path / n) for n in ("fork", "base", "upstream"))],
        capture_output=True,
        text=True,
        check=False,
    )
    git_marked = marked_line_count(done.stdout)
    ours = marked_line_count(merged.text)
    assert git_marked > 0 and 0 < ours <= 2 * git_marked, (ours, git_marked)
    # every clean upstream change to another policy is in the result
    for policy in u:
        if (
            policy.id != "do_not_lie"
            and policy.id in b
            and b[policy.id].text == fork_text(fork, policy.id)
        ):
            assert spec[policy.id].prose == policy.prose, policy.id


def fork_text(fork: str, policy: str) -> str:
    return parse_text(fork)[policy].text


# --- the remembered upstream --------------------------------------------------------------

CONFIG = """# house settings: the fork of the Model Spec
upstream: upstream:model_spec.md  # upstream's branch in this repository
"""


def test_upstream_and_base_remembered_across_two_merges(
    bundle_repo: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = bundle_repo
    git(repo, "branch", "upstream", "v2025.04.11")
    git(repo, "checkout", "-q", "-b", "fork", "v2025.02.12")
    text = (repo / "model_spec.md").read_text(encoding="utf-8")
    fork_edit = "This fork adds: the assistant never invents a source."
    heading = text.index("{#do_not_lie ")
    end = text.index("\n\n", text.index("\n\n", heading) + 2)
    text = text[:end] + " " + fork_edit + text[end:]
    (repo / ".specver.yaml").write_text(CONFIG, encoding="utf-8")
    git(repo, "add", ".specver.yaml")
    commit_file(repo, "model_spec.md", text, "Fork: house edit")
    monkeypatch.chdir(repo)
    # first merge: no arguments; the base is the merge base (v2025.02.12)
    first = cli("merge", "--output", "model_spec.md", "--format", "json")
    data = json.loads(first.out)
    tag = git(repo, "rev-parse", "v2025.04.11^{commit}").strip()
    forked = git(repo, "rev-parse", "v2025.02.12^{commit}").strip()
    assert data["base"] == {"source": f"{forked[:12]}:model_spec.md", "from": "merge base"}
    assert data["recorded"]["base"] == f"{tag}:model_spec.md"
    config = (repo / ".specver.yaml").read_text(encoding="utf-8")
    assert config.startswith("# house settings")  # comments kept
    assert "# upstream's branch in this repository" in config
    assert f"base: {tag}:model_spec.md" in config
    assert first.code in (0, 1)
    resolved = _resolved(repo / "model_spec.md")
    git(repo, "add", "model_spec.md", ".specver.yaml")
    git(repo, "commit", "-q", "-m", "Take upstream v2025.04.11")
    # upstream moves on; `specver fork` and `merge` need no arguments, the base is recorded
    git(repo, "branch", "-f", "upstream", "v2025.09.12")
    report = json.loads(cli("fork", "--format", "json").out)
    assert report["base"]["source"] == f"{tag}:model_spec.md"
    # the fork's changes since the recorded base: its own edit, and how it resolved conflicts
    assert {c.get("policy") for c in report["ours"]} <= {"do_not_lie", *resolved}
    override = json.loads(
        cli("fork", "--format", "json", "--base", "v2025.02.12:model_spec.md").out
    )
    assert override["base"]["source"] == "v2025.02.12:model_spec.md"
    second = cli("merge", "--output", "model_spec.md", "--format", "json")
    data = json.loads(second.out)
    newest = git(repo, "rev-parse", "v2025.09.12^{commit}").strip()
    assert data["base"] == {"source": f"{tag}:model_spec.md", "from": "config"}
    assert data["recorded"]["base"] == f"{newest}:model_spec.md"
    config = (repo / ".specver.yaml").read_text(encoding="utf-8")
    assert f"base: {newest}:model_spec.md" in config and config.count("base:") == 1
    assert config.startswith("# house settings")
    merged = load("model_spec.md")
    assert fork_edit in merged["do_not_lie"].prose or any(
        c["policy"] == "do_not_lie" for c in data["conflicts"]
    )


def _resolved(path: Path) -> set[str]:
    """Resolve every conflict in a merged file by taking the fork's side; the policies that
    held one."""
    lines = path.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    held: set[str] = set()
    state = "plain"
    for line in lines:
        if line.startswith("<<<<<<<"):
            state = "fork"
            held.add(re.sub(r"^<+ fork \(([^:]+):.*$", r"\1", line))
        elif line.startswith(("=======", "|||||||")) and state != "plain":
            state = "other"
        elif line.startswith(">>>>>>>") and state != "plain":
            state = "plain"
        elif state in ("plain", "fork"):
            out.append(line)
    path.write_text("\n".join(out), encoding="utf-8")
    return held


LISTED = """---
title: House
version: 1
---

# Rules {#rules}

## Lists {#lists authority=user}

The assistant must:

- greet the user
- answer the question
  - nested detail
- say goodbye
"""


def test_list_items_merge_one_by_one() -> None:
    upstream = LISTED.replace("greet the user", "greet the user warmly")
    fork = LISTED.replace("say goodbye", "say goodbye politely").replace(
        "  - nested detail", "  - nested detail\n  - another detail"
    )
    report, merged = spec_merge(LISTED, upstream, fork)
    assert report.conflicts == () and merged.conflicts == ()
    prose = parse_text(merged.text)["lists"].prose
    assert "greet the user warmly" in prose and "say goodbye politely" in prose
    assert "another detail" in prose


def test_front_matter_conflicts_are_marked_inside_the_block() -> None:
    sections = [p.id for p in parse_text(LISTED)]
    upstream = LISTED.replace("version: 1", "version: 2")
    for fork in (LISTED.replace("version: 1", "version: 3"), LISTED.split("---\n", 2)[2]):
        _report, merged = spec_merge(LISTED, upstream, fork)
        [conflict] = merged.conflicts
        assert conflict.policy == "(front matter)" and conflict.kind == "front_matter"
        lines = merged.text.split("\n")
        assert lines[0] == "---" and lines[conflict.line - 1].startswith(MARK_FORK)
        spec = parse_text(merged.text)
        assert [p.id for p in spec] == sections  # the document keeps its sections
        assert len([d for d in spec.diagnostics if d.code == "conflict_marker"]) == 3
