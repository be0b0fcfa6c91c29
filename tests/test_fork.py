"""Three-way fork reports and policy-level merges: the corpus bundle and the Acme fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from specver.api import diff, load, parse_text
from specver.fork.compare import MARK_FORK, MARK_SPLIT, MARK_UPSTREAM, compare_fork, merge_fork
from specver.spec.sources import read_source

from .conftest import ACME
from .gitutil import commit_file, drop_section, edit_first_paragraph, git, insert_after_section

RAISED = "avoid_abuse"
DELETED = "no_topic_off_limits"
ADDED = "cite_house_policy"
NEW_SECTION = f"""
#### Cite the house policy {{#{ADDED} authority=developer}}

When a request touches the operator's house policy, the assistant should name the policy it
follows so the user knows where the limit comes from.
"""
LIE_EDIT = "This fork adds: the assistant must never invent a source to support a claim."


@pytest.fixture
def fork_repo(bundle_repo: Path) -> Path:
    """The bundle clone with a `fork` branch at v2025.02.12 carrying four customisations."""
    git(bundle_repo, "checkout", "-q", "-b", "fork", "v2025.02.12")
    text = (bundle_repo / "model_spec.md").read_text(encoding="utf-8")
    heading = f"{{#{RAISED} authority=user}}"
    assert text.count(heading) == 1
    text = text.replace(heading, f"{{#{RAISED} authority=developer}}")
    text = insert_after_section(text, RAISED, NEW_SECTION)
    text = drop_section(text, DELETED)
    text = edit_first_paragraph(text, "do_not_lie", LIE_EDIT)
    commit_file(bundle_repo, "model_spec.md", text, "Fork: house customisations")
    git(bundle_repo, "checkout", "-q", "main")
    return bundle_repo


def test_bundle_fork_report(fork_repo: Path, cli) -> None:
    result = cli(
        "fork",
        "--upstream",
        "v2025.09.12:model_spec.md",
        "--fork",
        "fork:model_spec.md",
        "--repo",
        fork_repo,
        "--format",
        "json",
    )
    assert result.code == 1, result.err
    report = json.loads(result.out)
    assert report["schema"] == "specver.fork/1"
    base_sha = git(fork_repo, "rev-parse", "v2025.02.12").strip()
    assert report["base"]["source"] == f"{base_sha[:12]}:model_spec.md"
    for side in ("base", "upstream", "fork"):
        assert len(report[side]["sha256"]) == 64
    ours = {(c["kind"], c["policy"]) for c in report["ours"]}
    assert ours == {
        ("authority_changed", RAISED),
        ("policy_added", ADDED),
        ("policy_removed", DELETED),
        ("text_changed", "do_not_lie"),
    }
    assert len(report["ours"]) == 4
    conflicts = {c["policy"]: c for c in report["conflicts"]}
    assert "do_not_lie" in conflicts
    lie = conflicts["do_not_lie"]
    assert lie["reason"] == "both_changed"
    assert LIE_EDIT in lie["fork"]["prose"] and LIE_EDIT not in lie["upstream"]["prose"]
    assert {c["kind"] for c in lie["ours"]} == {"text_changed"}
    assert "text_changed" in {c["kind"] for c in lie["theirs"]}
    clean = [c for c in report["theirs"] if c["status"] == "clean"]
    renames = [c for c in clean if c["kind"] == "authority_level_renamed"]
    assert [(c["old"], c["new"]) for c in renames] == [("platform", "root")]
    assert all(c.get("policy") != "do_not_lie" for c in clean)
    assert report["summary"]["conflicts"] == len(report["conflicts"])
    assert 0 < report["summary"]["drift"]["similarity"] < 1


def test_bundle_fork_needs_base_for_files(fork_repo: Path, cli, tmp_path: Path) -> None:
    result = cli(
        "fork",
        "--upstream",
        fork_repo / "model_spec.md",
        "--fork",
        "fork:model_spec.md",
        "--repo",
        fork_repo,
    )
    assert result.code == 2
    assert "--base is required" in result.err and "Traceback" not in result.err


def test_bundle_merge_marks_only_conflicts(fork_repo: Path, cli, tmp_path: Path) -> None:
    out = tmp_path / "merged.md"
    result = cli(
        "merge",
        "--upstream",
        "v2025.09.12:model_spec.md",
        "--fork",
        "fork:model_spec.md",
        "--repo",
        fork_repo,
        "--output",
        out,
    )
    assert result.code == 1 and result.out == ""
    text = out.read_text(encoding="utf-8")
    merged = parse_text(text)
    upstream = load("v2025.09.12:model_spec.md", repo=fork_repo)
    report = compare_fork(
        load("v2025.02.12:model_spec.md", repo=fork_repo),
        upstream,
        load("fork:model_spec.md", repo=fork_repo),
    )
    conflicted = {c.policy for c in report.conflicts}
    assert "do_not_lie" in conflicted
    # every marker block names a policy in conflict, and sits in it: inside its section
    # text, or (a removal against an edit) around its heading
    lines = text.split("\n")
    openings = [k for k, line in enumerate(lines) if line.startswith(MARK_FORK + " (")]
    named = {lines[k][len(MARK_FORK) + 2 :].split(":", 1)[0] for k in openings}
    assert named == conflicted
    assert len(openings) == sum(line == MARK_SPLIT for line in lines)
    assert len(openings) == sum(line == MARK_UPSTREAM for line in lines)
    for k in openings:
        assert lines[k - 1] == ""
        policy = lines[k][len(MARK_FORK) + 2 :].split(":", 1)[0]
        holder = next(p for p in reversed(merged.policies) if p.lines[0] <= k + 1)
        closing = lines.index(MARK_UPSTREAM, k)
        inside = [line for line in lines[k:closing] if line.startswith("#")]
        assert holder.id == policy or any(f"{{#{policy} " in h for h in inside), policy
    # the fork's own customisations survive, the level rename is applied to them too
    assert merged[RAISED].authority == "developer"
    assert ADDED in merged
    # upstream edited a worked example of the section the fork deleted ("characters—who"
    # became "characters --- who"), so the deletion is a conflict, not a silent loss
    assert any(c.kind == "example_changed" for c in report.theirs_diff.changes_for(DELETED))
    assert {c.policy: c.reason for c in report.conflicts}[DELETED] == "removed_by_fork"
    # every clean upstream change to a policy is in the result
    for change in report.theirs_clean:
        if change.policy and change.kind != "policy_removed" and change.policy in upstream:
            assert merged[change.policy].prose == upstream[change.policy].prose, change.policy
    # marker lines belong to the policy in conflict, never to the prose of another policy
    for policy in merged:
        if MARK_FORK in policy.prose:
            assert policy.id in conflicted, policy.id
    levels = {p.authority for p in merged if p.authority}
    assert "platform" not in levels and "root" in levels


def _acme(name: str) -> str:
    return str(ACME / name / "acme_spec.md")


def test_acme_fork_against_v2() -> None:
    report = compare_fork(load(_acme("v1.0.0")), load(_acme("v2.0.0")), load(_acme("fork")))
    assert {(c.kind, c.policy) for c in report.ours} == {
        ("authority_changed", "respect_preferences"),
        ("policy_added", "globex_support"),
        ("policy_removed", "format_code"),
        ("text_changed", "do_not_deceive"),
    }
    assert [c.policy for c in report.conflicts] == ["do_not_deceive"]
    assert all(c.policy != "do_not_deceive" for c in report.theirs_clean)
    assert [c.policy for c in report.theirs_overlapping] == ["do_not_deceive"]
    kinds = {c.kind for c in report.theirs_clean}
    assert {"authority_level_renamed", "policy_renamed", "policy_removed"} <= kinds


def test_acme_merge_with_conflict(cli, tmp_path: Path) -> None:
    result = cli(
        "merge", "--upstream", _acme("v2.0.0"), "--fork", _acme("fork"), "--base", _acme("v1.0.0")
    )
    assert result.code == 1
    assert "do_not_deceive" in result.err
    merged = parse_text(result.out)
    changes = diff(load(_acme("v2.0.0")), merged).changes
    # apart from the conflict, the merge is upstream plus exactly the fork's customisations
    named = {c.policy for c in changes}
    assert {"respect_preferences", "globex_support", "format_code"} <= named
    assert named <= {
        "respect_preferences",
        "globex_support",
        "format_code",
        "do_not_deceive",
    }
    assert result.out.count(MARK_FORK) == 1
    assert "applied" in result.err and "1 conflict in do_not_deceive (line " in result.err
    # the conflict sits inside the one policy, around only the paragraph both edited
    lines = result.out.split("\n")
    opening = next(k for k, line in enumerate(lines) if line.startswith(MARK_FORK))
    assert lines[opening - 1] == ""
    assert "do_not_deceive: both sides edited this paragraph" in lines[opening]
    prose = merged["do_not_deceive"].prose
    assert MARK_FORK in prose and MARK_UPSTREAM in prose
    assert MARK_SPLIT in prose and "convenient omissions" in prose and "unless the user" in prose
    assert all(MARK_FORK not in p.prose for p in merged if p.id != "do_not_deceive")


def test_acme_merge_without_conflict_exits_zero(cli) -> None:
    result = cli(
        "merge", "--upstream", _acme("v1.1.0"), "--fork", _acme("fork"), "--base", _acme("v1.0.0")
    )
    assert result.code == 0, result.err
    assert MARK_FORK not in result.out
    merged = parse_text(result.out)
    upstream = load(_acme("v1.1.0"))
    changes = diff(upstream, merged).changes
    assert {(c.kind, c.policy) for c in changes} == {
        ("authority_changed", "respect_preferences"),
        ("policy_added", "globex_support"),
        ("policy_removed", "format_code"),
        ("text_changed", "do_not_deceive"),
    }


def test_merge_with_itself_reproduces_fork() -> None:
    fork = read_source(_acme("fork"))
    spec = load(_acme("fork"))
    result = merge_fork(compare_fork(spec, spec, spec), fork.text, fork.text)
    assert result.text == fork.text and result.conflicts == ()
    assert (result.applied, result.kept, result.pending) == (0, 0, 0)


def test_failed_merge_write_leaves_old_file(cli, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "merged.md"
    out.write_text("old content\n", encoding="utf-8")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", fail)
    result = cli(
        "merge",
        "--upstream",
        _acme("v1.1.0"),
        "--fork",
        _acme("fork"),
        "--base",
        _acme("v1.0.0"),
        "--output",
        out,
    )
    assert result.code == 2
    assert "No space left" in result.err
    assert out.read_text(encoding="utf-8") == "old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["merged.md"]


def test_fork_text_and_markdown_render(cli) -> None:
    args = ("--upstream", _acme("v2.0.0"), "--fork", _acme("fork"), "--base", _acme("v1.0.0"))
    text = cli("fork", *args)
    assert text.code == 1 and "Conflicts: 1" in text.out and "do_not_deceive" in text.out
    md = cli("fork", *args, "--format", "markdown")
    assert md.code == 1 and "#### Conflicts" in md.out and "`do_not_deceive`" in md.out


def test_api_fork_report_and_merge_need_no_cli() -> None:
    from specver import api

    args = (_acme("v2.0.0"), _acme("fork"), _acme("v1.0.0"))
    report = api.fork_report(*args)
    direct = compare_fork(load(_acme("v1.0.0")), load(_acme("v2.0.0")), load(_acme("fork")))
    assert report.ours == direct.ours and report.conflicts == direct.conflicts
    merged = api.merge(*args)
    assert merged.conflicted == ("do_not_deceive",) and MARK_FORK in merged.text


REF_BASE = """# Base

## Answer plainly {#answer_plainly authority=user}

Answer plainly; see [?](#keep_short) for length.

## Keep short {#keep_short authority=user}

Keep replies short.

## Cite sources {#cite_sources authority=developer}

Cite sources when asked.
"""


def _write(folder: Path, name: str, text: str) -> str:
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_broken_references_are_not_changes_of_either_side(cli, tmp_path: Path) -> None:
    from .gitutil import drop_section as dropped

    base = _write(tmp_path, "base", REF_BASE)
    fork = _write(tmp_path, "fork", dropped(REF_BASE, "keep_short"))
    upstream = _write(tmp_path, "up", REF_BASE.replace("when asked", "whenever asked"))
    result = cli("fork", "--upstream", upstream, "--fork", fork, "--base", base, "-f", "json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    # ours lists exactly what the fork did: it removed one policy
    assert [(c["kind"], c["policy"]) for c in report["ours"]] == [("policy_removed", "keep_short")]
    # the reference left dangling by that removal is reported on its own
    broken = report["broken_references"]
    assert [(b["side"], b["policy"], b["target"]) for b in broken] == [
        ("fork", "answer_plainly", "keep_short")
    ]
    assert report["summary"]["broken_references"] == 1
    # theirs is a list of changes, each saying whether the fork can take it cleanly
    assert [(c["kind"], c["policy"], c["status"]) for c in report["theirs"]] == [
        ("text_changed", "cite_sources", "clean")
    ]
    text = cli("fork", "--upstream", upstream, "--fork", fork, "--base", base)
    assert "Broken references: 1" in text.out and "#keep_short" in text.out


def test_fork_json_summary_has_one_drift_object(cli) -> None:
    args = ("--upstream", _acme("v2.0.0"), "--fork", _acme("fork"), "--base", _acme("v1.0.0"))
    report = json.loads(cli("fork", *args, "-f", "json").out)
    summary = report["summary"]
    assert not [key for key in summary if key.startswith("drift_")]
    assert set(summary["drift"]) >= {"identical", "changed", "differing", "similarity"}
    statuses = {c["status"] for c in report["theirs"]}
    assert statuses == {"clean", "overlapping"}
    assert summary["theirs"] == len(report["theirs"])
    assert summary["theirs_clean"] == sum(c["status"] == "clean" for c in report["theirs"])
    assert all(c["kind"] != "reference_broken" for c in report["theirs"] + report["ours"])
    assert [(b["side"], b["policy"]) for b in report["broken_references"]] == [
        ("upstream", "avoid_regulated_advice")
    ]


def test_conflict_shows_what_each_side_did_to_the_base(cli) -> None:
    import re

    args = ("--upstream", _acme("v2.0.0"), "--fork", _acme("fork"), "--base", _acme("v1.0.0"))
    for fmt in ("text", "markdown"):
        out = " ".join(cli("fork", *args, "-f", fmt).out.split())
        assert "fork → upstream" not in out.lower()
        fork_part = out.lower().split("base → fork", 1)[1].split("base → upstream", 1)
        assert len(fork_part) == 2, fmt
        # the fork's own edit is an insertion in base → fork; upstream's in base → upstream
        assert re.search(r"\{\+[^}]*convenient omissions", fork_part[0]), fmt
        assert "unless the user has explicitly asked" not in fork_part[0]
        assert re.search(r"\{\+[^}]*unless the user has explicitly asked", fork_part[1]), fmt
        assert "convenient omissions" not in fork_part[1]


def test_conflict_block_keeps_differing_headings_inside_the_markers() -> None:
    from specver.fork.compare import conflict_block

    fork = ("## Keep short {#keep_short authority=developer}", "", "Fork text.")
    upstream = ("## Keep short {#keep_short authority=user}", "", "Upstream text.")
    block = conflict_block(fork, upstream, "keep_short: both changed")
    opening = f"{MARK_FORK} (keep_short: both changed)"
    assert block == (opening, "", *fork, "", MARK_SPLIT, "", *upstream, "", MARK_UPSTREAM, "")
    merged = parse_text("# Spec\n\n" + "\n".join(block))
    assert [p.id for p in merged] == ["spec", "keep_short", "keep_short~2"]
    assert not any(p.title == MARK_SPLIT for p in merged)  # `=======` is no setext underline


def test_fork_text_keeps_the_indent_of_wrapped_lines() -> None:
    from specver.render import RenderOptions
    from specver.render.fmt_fork import render_fork_text

    report = compare_fork(load(_acme("v1.0.0")), load(_acme("v2.0.0")), load(_acme("fork")))
    out = render_fork_text(report, RenderOptions(color=False, width=60))
    dash: int | None = None
    wrapped = 0
    for line in out.splitlines():
        stripped = line.lstrip(" ")
        margin = len(line) - len(stripped)
        if stripped.startswith("- "):
            dash = margin
        elif dash is not None and stripped and margin > dash:
            wrapped += 1  # a wrapped line of an item hangs under its text
            assert margin >= dash + 2, line
        else:
            dash = None
    assert wrapped > 3


def test_fork_markdown_ids_in_code_and_drift_counted_in_sections(cli) -> None:
    args = ("--upstream", _acme("v2.0.0"), "--fork", _acme("fork"), "--base", _acme("v1.0.0"))
    md = cli("fork", *args, "-f", "markdown").out
    assert "- **Point users to Globex support** (`globex_support`): added at developer level" in md
    assert "globex\\_support" not in md
    assert "(raised)" in md and "\\(" not in md and "\\:" not in md
    assert "`do_not_deceive` “Do not deceive the user”" in md
    up, fork = load(_acme("v2.0.0")), load(_acme("fork"))
    d = json.loads(cli("fork", *args, "-f", "json").out)["summary"]["drift"]
    assert (d["upstream_sections"], d["fork_sections"]) == (len(up), len(fork))
    assert d["identical"] + d["changed"] + d["upstream_only"] == len(up)
    assert d["identical"] + d["changed"] + d["fork_only"] == len(fork)
    sentence = (
        f"{d['differing']} sections differ between fork and upstream ({d['changed']} changed, "
        f"{d['fork_only']} only in the fork, {d['upstream_only']} only upstream; "
        f"{d['identical']} identical)"
    )
    assert sentence in " ".join(md.split())
    text = cli("fork", *args).out
    assert sentence in " ".join(text.split()) and "upstream policies differ" not in text
