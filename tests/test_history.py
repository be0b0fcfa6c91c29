"""`specver history` and `specver log` on the corpus bundle, and the blob-id cache."""

from __future__ import annotations

import json
from pathlib import Path

import git
import pytest

from specver.cache import CACHE_DIR
from specver.history import build_timeline, policy_history, release_log

from .gitutil import commit_file


def test_history_do_not_lie(bundle_repo: Path, cli, monkeypatch) -> None:
    monkeypatch.chdir(bundle_repo)
    result = cli("history", "do_not_lie", "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["schema"] == "specver.history/1" and data["ids"] == ["do_not_lie"]
    text_days = {e["revision"]["date"][:10] for e in data["events"] if e["kind"] == "text_changed"}
    assert text_days == {"2025-04-11", "2025-09-12"}
    first = data["events"][0]
    assert first["kind"] == "present" and first["revision"]["tags"] == ["v2025.02.12"]
    assert all(e["revision"]["author"] for e in data["events"])
    text = cli("history", "do_not_lie")
    assert "2025-04-11" in text.out and "2025-09-12" in text.out


def test_history_follows_rename(bundle_repo: Path, cli) -> None:
    result = cli("history", "protect_privileged_information", "--repo", bundle_repo, "--tags")
    assert result.code == 0, result.err
    assert "ids: protect_privileged_messages → protect_privileged_information" in result.out
    data = json.loads(
        cli("history", "protect_privileged_messages", "--repo", bundle_repo, "-f", "json").out
    )
    rename = [e for e in data["events"] if e["kind"] == "policy_renamed"]
    assert [e["revision"]["date"][:10] for e in rename] == ["2025-09-12"]
    assert rename[0]["change"]["old_id"] == "protect_privileged_messages"
    before = [e for e in data["events"] if e["revision"]["date"] < "2025-09-12"]
    assert before and all(e["policy"] == "protect_privileged_messages" for e in before)


def test_history_removed_policy(bundle_repo: Path) -> None:
    repo = git.Repo(bundle_repo)
    timeline = build_timeline(repo, "model_spec.md")
    removed = [c for c in timeline.steps[-1].changes if c.kind == "policy_removed"]
    assert removed
    life = policy_history(timeline, removed[0].policy or "")
    assert life.removed and life.events[-1].kind == "policy_removed"


def test_history_unknown_policy(bundle_repo: Path, cli) -> None:
    result = cli("history", "do_not_lye", "--repo", bundle_repo)
    assert result.code == 2
    assert "did you mean do_not_lie" in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("recomputed although the cache holds the result")


def test_cache_makes_second_run_reuse_entries(bundle_repo: Path, monkeypatch) -> None:
    repo = git.Repo(bundle_repo)
    first = build_timeline(repo, "model_spec.md")
    cached = list((bundle_repo / ".git" / CACHE_DIR).glob("*.json"))
    assert len([p for p in cached if p.name.startswith("spec-")]) == 3
    assert len([p for p in cached if p.name.startswith("diff-")]) == 2
    # the second run reads every parse and comparison from the cache: computing one fails
    with monkeypatch.context() as patch:
        patch.setattr("specver.parse.parse", _refuse)
        patch.setattr("specver.api.diff", _refuse)
        second = build_timeline(repo, "model_spec.md")
    assert second.steps == first.steps
    assert [s.policies for s in second.specs] == [s.policies for s in first.specs]
    # a damaged entry is a miss, not an error
    for path in cached:
        path.write_text("{not json", encoding="utf-8")
    third = build_timeline(repo, "model_spec.md")
    assert third.steps == first.steps


def test_cache_is_keyed_by_the_code_that_produces_results(bundle_repo: Path, monkeypatch) -> None:
    import specver.api
    import specver.cache

    repo = git.Repo(bundle_repo)
    build_timeline(repo, "model_spec.md")
    calls: list[object] = []
    real_diff = specver.api.diff

    def counting_diff(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real_diff(*args, **kwargs)  # type: ignore[arg-type]

    # what the parse and classify rules were when an entry was stored is part of its key:
    # after a change to them (a different code digest) nothing stored before is served
    monkeypatch.setattr(specver.cache, "code_digest", lambda: "changed-rules", raising=False)
    monkeypatch.setattr(specver.api, "diff", counting_diff)
    build_timeline(repo, "model_spec.md")
    assert len(calls) == 2
    assert specver.cache.RESULT_MODULES == (
        "parse",
        "examples",
        "match",
        "classify",
        "textdiff",
        "model",
    )


def test_no_cache_option_neither_reads_nor_writes(bundle_repo: Path, cli, monkeypatch) -> None:
    folder = bundle_repo / ".git" / CACHE_DIR
    for args in (("history", "do_not_lie"), ("log",)):
        result = cli(*args, "--repo", bundle_repo, "--no-cache")
        assert result.code == 0, result.err
        assert not folder.exists()
    assert cli("log", "--repo", bundle_repo).code == 0 and folder.is_dir()
    monkeypatch.setattr("specver.api.diff", _refuse)
    assert cli("log", "--repo", bundle_repo).code == 0
    with pytest.raises(AssertionError, match="recomputed"):
        cli("log", "--repo", bundle_repo, "--no-cache")


def test_log_rows(bundle_repo: Path, cli) -> None:
    result = cli("log", "--repo", bundle_repo, "--format", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)["revisions"]
    assert [r["version"] for r in rows] == ["v2025.02.12", "v2025.04.11", "v2025.09.12"]
    assert [r["bump"] for r in rows] == ["initial", "minor", "major"]
    assert rows[2]["summary"]["authority_level_renamed"] == 1
    assert [r["policies"] for r in rows] == [71, 71, 77]
    text = cli("log", "--repo", bundle_repo, "--tags")
    assert text.code == 0 and "v2025.09.12" in text.out and "major" in text.out


def test_log_walks_commits_not_only_tags(bundle_repo: Path) -> None:
    spec = bundle_repo / "model_spec.md"
    text = spec.read_text(encoding="utf-8")
    commit_file(bundle_repo, "model_spec.md", text.replace("Do not lie", "Never lie", 1), "Retitle")
    commit_file(bundle_repo, "README.md", "unrelated\n", "Docs only")
    repo = git.Repo(bundle_repo)
    rows = release_log(build_timeline(repo, "model_spec.md"))
    assert len(rows) == 4
    assert rows[-1].summary == {"policy_retitled": 1} and rows[-1].revision.tags == ()
    assert len(release_log(build_timeline(repo, "model_spec.md", tags_only=True))) == 3
