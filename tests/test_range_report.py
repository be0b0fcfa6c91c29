"""`specver impact FROM..TO`: every release between two versions on one report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from specver import api
from specver.render import RANGE_RENDERERS, RenderOptions, render
from specver.report.range import combine_verdicts, track_verdict
from specver.report.range.model import VERDICTS
from tests.gitutil import commit_file, git
from tests.test_html_report import (
    assert_inert,
    console_lines,
    find_chromium,
    read_dom,
    run_chromium,
)

TAGS = ("v2025.02.12", "v2025.04.11", "v2025.09.12")


def _expected_step_verdicts(result: api.ImpactRange) -> None:
    """Each track's cumulative verdict follows from its steps, each step from its release."""
    for track in result.policies:
        steps = [s.verdict for s in track.steps]
        assert track.verdict == track_verdict(steps, track.added_in is not None,
                                              track.removed_in is not None)  # fmt: skip


def test_range_over_the_corpus_bundle(bundle_repo: Path) -> None:
    result = api.impact_range(bundle_repo, None, TAGS[0], TAGS[-1])
    assert [v.label.name for v in result.versions] == list(TAGS)
    assert [v.label.date for v in result.versions] == ["2025-02-12", "2025-04-11", "2025-09-12"]
    assert [(r.previous.label.name, r.version.label.name) for r in result.releases] == [
        (TAGS[0], TAGS[1]),
        (TAGS[1], TAGS[2]),
    ]
    changed = set()
    for release in result.releases:
        changed |= {c.policy for c in release.impact.diff.changes if c.policy}
    tracked = {t.policy for t in result.policies} | {
        i for t in result.policies for i in t.former_ids
    }
    assert {t.policy for t in result.policies} <= changed
    assert changed <= tracked | {s.policy for t in result.policies for s in t.steps}
    _expected_step_verdicts(result)
    added = {c.policy for c in result.releases[1].impact.diff.changes if c.kind == "policy_added"}
    assert added and all(
        t.verdict == "added" and t.added_in == TAGS[2] for t in result.policies if t.policy in added
    )
    assert {t.verdict for t in result.policies} <= set(VERDICTS)


def test_range_json_schema(bundle_repo: Path) -> None:
    result = api.impact_range(bundle_repo, None, TAGS[0], TAGS[-1])
    data = json.loads(render(RANGE_RENDERERS, "json", result, RenderOptions()))
    assert data["schema"] == "specver.impact-range/1"
    assert [r["version"] for r in data["releases"]] == list(TAGS[1:])
    assert [r["previous"] for r in data["releases"]] == list(TAGS[:-1])
    for release in data["releases"]:  # each an impact of one consecutive pair
        assert release["schema"] == "specver.impact/1"
        assert {"summary", "steerability", "safeguards", "evals", "scope", "rules"} <= set(release)
    assert len(data["policies"]) == len(result.policies)
    for policy in data["policies"]:
        assert policy["verdict"] in VERDICTS and policy["releases"]
    assert [v["name"] for v in data["versions"]] == list(TAGS)


def test_range_html_has_a_section_per_release_verdicts_and_a_chart(bundle_repo: Path) -> None:
    result = api.impact_range(bundle_repo, None, TAGS[0], TAGS[-1])
    html = render(RANGE_RENDERERS, "html", api.range_view(result, "html"), RenderOptions())
    assert_inert(html)
    dom = read_dom(html)
    for k, release in enumerate(result.releases, 1):
        assert f"r-{k}" in dom.ids
        section = html[html.index(f'id="r-{k}"') :]
        assert release.version.label.name in section[:400]
    rows = re.findall(r'<tr id="t-([^"]+)">(.*?)</tr>', html, re.S)
    assert [policy for policy, _ in rows] == [t.policy for t in result.policies]
    for (_policy, row), track in zip(rows, result.policies, strict=True):
        verdict = re.search(r'<span class="dir dir-(\w+)">', row)
        assert verdict and verdict.group(1) == track.verdict  # the cumulative verdict comes first
    svg = html[html.index("<svg") : html.index("</svg>")]
    columns = re.findall(r'<g class="column">.*?class="col-label"[^>]*>([^<]+)</text>', svg, re.S)
    assert columns == list(TAGS)  # one column per release
    assert set(dom.links) <= dom.ids


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_range_cli_formats(bundle_repo: Path, cli, fmt: str) -> None:
    result = cli("impact", f"{TAGS[0]}..{TAGS[-1]}", "--repo", bundle_repo, "-f", fmt)
    assert result.code == 1, result.err
    for tag in TAGS[1:]:
        assert tag in result.out
    if fmt == "text":  # the first release changes under 1% of the prose: said so, plainly
        assert "under 1% of the prose" in result.out and "about under" not in result.out


def test_range_refuses_what_is_not_a_range(bundle_repo: Path, cli) -> None:
    for args in (
        (f"{TAGS[-1]}..{TAGS[0]}",),  # backwards
        (f"{TAGS[0]}..{TAGS[0]}",),
        ("v0.0.0..v9",),
        ("..v2025.09.12",),
        (f"{TAGS[0]}..{TAGS[1]}", "--old-label", "x"),
        (f"{TAGS[0]}..{TAGS[1]}", "--notes", "notes.md"),
        (f"{TAGS[0]}..{TAGS[1]}", "--format", "htm"),
    ):
        result = cli("impact", *args, "--repo", bundle_repo)
        assert result.code == 2, (args, result.out)
        assert result.err.count("\n") == 1 and "Traceback" not in result.err
    result = cli("impact", "a.md", "b.md", "--path", "x.md")
    assert result.code == 2


SPEC = """# Spec {{#spec}}

## Be honest {{#{honest_id} authority={level}}}

The assistant {modal} tell the truth.

## Help {{#help authority=user}}

The assistant should help.
{extra}"""


def _spec(honest_id: str = "honest", level: str = "user", modal: str = "should",
          extra: str = "") -> str:  # fmt: skip
    return SPEC.format(honest_id=honest_id, level=level, modal=modal, extra=extra)


def test_range_follows_renames_and_sums_verdicts(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit_file(repo, "model_spec.md", _spec(), "v1")
    git(repo, "tag", "v1")
    commit_file(repo, "model_spec.md", _spec(modal="must"), "v2: tighter")
    git(repo, "tag", "v2")
    commit_file(repo, "model_spec.md", _spec(modal="must", extra="\nAn untagged edit.\n"), "wip")
    commit_file(repo, "model_spec.md", _spec("be_honest", modal="may"), "v3: renamed, looser")
    git(repo, "tag", "v3")
    new = "\n## Be kind {#kind authority=root}\n\nThe assistant must be kind.\n"
    commit_file(repo, "model_spec.md", _spec("be_honest", modal="may", extra=new), "v4")
    git(repo, "tag", "v4")
    result = api.impact_range(repo, None, "v1", "v4")
    assert [v.label.name for v in result.versions] == ["v1", "v2", "v3", "v4"]  # untagged skipped
    by_id = {t.policy: t for t in result.policies}
    honest = by_id["be_honest"]
    assert honest.former_ids == ("honest",)
    assert [(s.release, s.verdict) for s in honest.steps] == [
        ("v2", "tightened"),
        ("v3", "loosened"),
    ]
    assert honest.verdict == "mixed"
    assert by_id["kind"].verdict == "added" and by_id["kind"].added_in == "v4"
    middle = api.impact_range(repo, None, "v2", "v3")
    assert [v.label.name for v in middle.versions] == ["v2", "v3"]
    assert {t.policy: t.verdict for t in middle.policies}["be_honest"] == "loosened"


def test_combining_verdicts() -> None:
    assert combine_verdicts(["tightened", "unchanged", "tightened"]) == "tightened"
    assert combine_verdicts(["tightened", "loosened"]) == "mixed"
    assert combine_verdicts(["neutral", "unchanged"]) == "unchanged"
    assert track_verdict(["added", "loosened"], True, False) == "added"
    assert track_verdict(["tightened", "removed"], False, True) == "removed"
    assert track_verdict(["added", "removed"], True, True) == "added_then_removed"


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium (see test_html_report.find_chromium)."""
    return find_chromium()


@pytest.mark.browser
def test_range_report_in_chromium(chromium: str, bundle_repo: Path, tmp_path: Path) -> None:
    result = api.impact_range(bundle_repo, None, TAGS[0], TAGS[-1])
    page = tmp_path / "range.html"
    html = render(RANGE_RENDERERS, "html", api.range_view(result, "html"), RenderOptions())
    page.write_text(html, encoding="utf-8")
    done = run_chromium(chromium, page, tmp_path, "--dump-dom")
    assert done.returncode == 0 and console_lines(done.stderr) == []
    dom = read_dom(done.stdout)
    assert set(dom.links) <= dom.ids and {"r-1", "r-2", "chart", "policies"} <= dom.ids


def test_range_report_of_hostile_releases_is_inert(tmp_path: Path) -> None:
    cases = Path(__file__).resolve().parents[1] / "fixtures" / "cases" / "hostile"
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for k, name in enumerate(("old.md", "new.md"), 1):
        commit_file(repo, "model_spec.md", (cases / name).read_text(encoding="utf-8"), f"r{k}")
        git(repo, "tag", f"v{k}")
    result = api.impact_range(repo, None, "v1", "v2")
    html = render(RANGE_RENDERERS, "html", api.range_view(result, "html"), RenderOptions())
    page = assert_inert(html)
    text = "".join(page.text)
    assert result.policies and all(t.title in text for t in result.policies)  # shown as text
