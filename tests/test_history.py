"""`specver history` and `specver log` on the corpus bundle, and the blob-id cache."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import git
import pytest

from specver.api import load
from specver.history.cache import CACHE_DIR
from specver.history.walk import build_timeline, policy_history, release_log

from .gitutil import IDENTITY, commit_file
from .gitutil import git as git_cmd


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
    cached = list((bundle_repo / ".git" / CACHE_DIR).iterdir())
    assert [p.name.split("-")[0] for p in cached] == ["history"]
    # the second run reads every outline and comparison from the cache: computing one fails
    with monkeypatch.context() as patch:
        patch.setattr("specver.history.reuse.parse", _refuse)
        patch.setattr("specver.history.walk.diff", _refuse)
        second = build_timeline(repo, "model_spec.md")
    assert second.steps == first.steps
    assert second.outlines == first.outlines
    # a damaged file is a miss, not an error
    cached[0].write_text("{not json", encoding="utf-8")
    third = build_timeline(repo, "model_spec.md")
    assert third.steps == first.steps


def test_cache_is_keyed_by_the_code_that_produces_results(bundle_repo: Path, monkeypatch) -> None:
    import specver.history.cache
    import specver.history.walk

    repo = git.Repo(bundle_repo)
    build_timeline(repo, "model_spec.md")
    calls: list[object] = []
    real_diff = specver.history.walk.diff

    def counting_diff(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real_diff(*args, **kwargs)  # type: ignore[arg-type]

    # what the parse and classify rules were when an entry was stored is part of its key:
    # after a change to them (a different code digest) nothing stored before is served
    monkeypatch.setattr(
        specver.history.cache, "code_digest", lambda: "changed-rules", raising=False
    )
    monkeypatch.setattr(specver.history.walk, "diff", counting_diff)
    build_timeline(repo, "model_spec.md")
    assert len(calls) == 2


def test_code_digest_covers_the_whole_package_tree(tmp_path: Path, monkeypatch) -> None:
    """Editing, adding or moving any module of the package changes the cache's code key."""
    import shutil

    import specver
    import specver.history.cache as cache_module

    package = Path(specver.__file__).parent
    copy = tmp_path / "specver"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    fake = copy / "history" / "cache.py"
    monkeypatch.setattr(cache_module, "__file__", str(fake))

    def digest() -> str:
        cache_module.code_digest.cache_clear()
        return cache_module.code_digest()

    first = digest()
    assert digest() == first
    deep = copy / "diff" / "classify.py"
    deep.write_text(deep.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = digest()
    assert edited != first
    (copy / "diff" / "classify.py").rename(copy / "spec" / "classify.py")
    assert digest() != edited
    cache_module.code_digest.cache_clear()


def test_no_cache_option_neither_reads_nor_writes(bundle_repo: Path, cli, monkeypatch) -> None:
    folder = bundle_repo / ".git" / CACHE_DIR
    for args in (("history", "do_not_lie"), ("log",)):
        result = cli(*args, "--repo", bundle_repo, "--no-cache")
        assert result.code == 0, result.err
        assert not folder.exists()
    assert cli("log", "--repo", bundle_repo).code == 0 and folder.is_dir()
    monkeypatch.setattr("specver.history.walk.diff", _refuse)
    assert cli("log", "--repo", bundle_repo).code == 0
    refused = cli("log", "--repo", bundle_repo, "--no-cache")  # the guard reports the planted bug
    assert refused.code == 2 and "internal error: AssertionError" in refused.err
    assert "recomputed" in refused.err


def test_log_rows(bundle_repo: Path, cli) -> None:
    result = cli("log", "--repo", bundle_repo, "--format", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)["revisions"]
    assert [r["version"] for r in rows] == ["v2025.02.12", "v2025.04.11", "v2025.09.12"]
    assert [r["bump"] for r in rows] == ["initial", "minor", "major"]
    assert rows[2]["summary"]["authority_level_renamed"] == 1
    assert [r["sections"] for r in rows] == [71, 71, 77]
    specs = [load(f"{r['version']}:model_spec.md", repo=bundle_repo) for r in rows]
    assert [r["policies"] for r in rows] == [sum(1 for p in s if p.authority) for s in specs]
    assert all(r["policies"] < r["sections"] for r in rows)
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


SMALL_SPEC = """# Small spec

## Alpha {#alpha authority=user}

Alpha says the assistant should answer plainly.

## Beta {#beta authority=developer}

Beta says the assistant should keep replies short.

## Gamma {#gamma authority=user}

Gamma says the assistant should cite its sources.
"""


def _commit_at(repo: Path, text: str, message: str, when: str) -> str:
    """Commit the spec with author and committer date `when` (so the walk order is known)."""
    (repo / "model_spec.md").write_text(text, encoding="utf-8")
    git_cmd(repo, "add", "model_spec.md")
    environ = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", *IDENTITY, "-C", str(repo), "commit", "-q", "-m", message],
        check=True,
        env=environ,
    )
    return git_cmd(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def merge_repo(tmp_path: Path) -> Path:
    """c1; a branch `side` editing alpha; main editing beta (dated after side); a merge."""
    repo = tmp_path / "merged"
    repo.mkdir()
    git_cmd(repo, "init", "-q", "-b", "main")
    _commit_at(repo, SMALL_SPEC, "c1", "2025-01-01T10:00:00+00:00")
    git_cmd(repo, "tag", "v1")
    git_cmd(repo, "checkout", "-q", "-b", "side")
    side_text = SMALL_SPEC.replace("answer plainly", "answer plainly and kindly")
    _commit_at(repo, side_text, "side: alpha", "2025-01-02T10:00:00+00:00")
    git_cmd(repo, "tag", "v-side")
    git_cmd(repo, "checkout", "-q", "main")
    main_text = SMALL_SPEC.replace("keep replies short", "keep replies very short")
    _commit_at(repo, main_text, "main: beta", "2025-01-03T10:00:00+00:00")
    environ = {
        **os.environ,
        "GIT_AUTHOR_DATE": "2025-01-04T10:00:00+00:00",
        "GIT_COMMITTER_DATE": "2025-01-04T10:00:00+00:00",
    }
    subprocess.run(
        ["git", *IDENTITY, "-C", str(repo), "merge", "-q", "--no-edit", "side"],
        check=True,
        env=environ,
    )
    git_cmd(repo, "tag", "v2")
    git_cmd(repo, "checkout", "-q", "-b", "elsewhere", "v1")
    _commit_at(
        repo, SMALL_SPEC.replace("Gamma says", "Gamma now says"), "x", "2025-01-05T10:00:00+00:00"
    )
    git_cmd(repo, "tag", "v-elsewhere")
    git_cmd(repo, "checkout", "-q", "main")
    return repo


def test_history_walks_first_parents_across_a_merge(merge_repo: Path, cli) -> None:
    rows = json.loads(cli("log", "--repo", merge_repo, "-f", "json").out)["revisions"]
    assert [r["subject"] for r in rows] == ["c1", "main: beta", "Merge branch 'side'"]
    assert [r["summary"] for r in rows] == [{}, {"text_changed": 1}, {"text_changed": 1}]
    alpha = json.loads(cli("history", "alpha", "--repo", merge_repo, "-f", "json").out)
    changed = [e["revision"]["subject"] for e in alpha["events"] if e["kind"] == "text_changed"]
    assert changed == ["Merge branch 'side'"]
    beta = json.loads(cli("history", "beta", "--repo", merge_repo, "-f", "json").out)
    changed = [e["revision"]["subject"] for e in beta["events"] if e["kind"] == "text_changed"]
    assert changed == ["main: beta"]


def test_tags_are_those_on_the_first_parent_line(merge_repo: Path, cli) -> None:
    rows = json.loads(cli("log", "--repo", merge_repo, "--tags", "-f", "json").out)["revisions"]
    assert [r["version"] for r in rows] == ["v1", "v2"]
    assert rows[1]["summary"] == {"text_changed": 2}


def test_rev_walks_from_another_revision(merge_repo: Path, cli) -> None:
    result = cli("log", "--repo", merge_repo, "--rev", "side", "-f", "json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)["revisions"]
    assert [r["subject"] for r in rows] == ["c1", "side: alpha"]
    tagged = cli("log", "--repo", merge_repo, "--rev", "elsewhere", "--tags", "-f", "json")
    assert [r["version"] for r in json.loads(tagged.out)["revisions"]] == ["v1", "v-elsewhere"]
    bad = cli("history", "alpha", "--repo", merge_repo, "--rev", "no-such-branch")
    assert bad.code == 2 and "unknown revision" in bad.err


def test_api_history_and_log_need_no_cli(merge_repo: Path) -> None:
    from specver import api

    walked = api.timeline(merge_repo, use_cache=False)
    assert [r.subject for r in walked.revisions] == ["c1", "main: beta", "Merge branch 'side'"]
    assert [e.kind for e in api.history("alpha", walked).events] == ["present", "text_changed"]
    assert [row.bump for row in api.release_log(walked)] == ["initial", "minor", "minor"]
    assert not (merge_repo / ".git" / CACHE_DIR).exists()


def test_log_text_never_splits_a_kind_from_its_count() -> None:
    from specver.history.walk import LogRow, Revision
    from specver.render import RenderOptions
    from specver.render.fmt_history import render_log_text

    revision = Revision("a" * 40, "b" * 40, ("v2",), "2025-01-01T00:00:00+00:00", "A", "s")
    counts = {
        "example_changed": 22,
        "text_changed": 17,
        "policy_added": 6,
        "policy_renamed": 3,
        "authority_level_renamed": 1,
        "example_verdict_changed": 2,
    }
    out = render_log_text((LogRow(revision, 77, 60, counts, "major"),), RenderOptions(width=80))
    assert len(out.splitlines()) > 2  # the counts wrap ...
    for kind, n in counts.items():  # ... between items, never inside one
        assert any(f"{kind}×{n}" in line for line in out.splitlines()), kind


def test_history_names_an_untagged_revision_once(merge_repo: Path, cli) -> None:
    out = cli("history", "beta", "--repo", merge_repo).out
    commit = git_cmd(merge_repo, "rev-parse", "main~1").strip()
    line = next(line for line in out.splitlines() if commit[:12] in line)
    assert line.count(commit[:12]) == 1
    tagged = next(line for line in out.splitlines() if " v1 " in line)
    assert git_cmd(merge_repo, "rev-parse", "v1").strip()[:12] in tagged
