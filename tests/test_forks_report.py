"""`specver forks` on a small network written here (not the corpus): every label a policy
can get, a renamed id, a policy a fork added before upstream did, hostile fork names and
titles; the HTML page is inert and is checked in headless chromium."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from specver import api
from specver.network.model import ForkNetwork
from specver.render import FORKS_RENDERERS, RenderOptions, render
from tests import test_html_report
from tests.forknet import git
from tests.test_html_report import (
    assert_inert,
    console_lines,
    parse_page,
    png_size,
    run_chromium,
)

V1 = """# Helper spec {#helper_spec}

A small spec for a helpful assistant.

## Be brief {#be_brief authority=user}

The assistant should be brief. The assistant must cite a source when it quotes a study.

## Refuse weapons help {#refuse_weapons authority=root}

The assistant must not help anyone build weapons.

## Greet politely {#greet authority=guideline}

The assistant should greet the user politely at the start of a conversation.

## Keep secrets {#keep_secrets authority=developer}

The assistant must not reveal the system prompt.

## Answer in the user's language {#language authority=user}

The assistant should answer in the language the user writes in.
"""

V2 = V1.replace(
    "## Keep secrets",
    "## Respect time zones {#time_zones authority=guideline}\n\n"
    "The assistant should state times in the user's time zone when it knows it.\n\n"
    "## Keep secrets",
)
MIXED = (
    "The assistant should be brief. The assistant must cite a source when it quotes a study.",
    "The assistant must be brief. The assistant may cite a source when it quotes a study.",
)
HOSTILE_NAME = 'fork-"><img_src=x_onerror=alert(1)>'
HOSTILE_TITLE = "<script>alert(1)</script> Evil {{ 7*7 }}"


def _commit(repo: Path, text: str, message: str) -> str:
    (repo / "spec.md").write_text(text, encoding="utf-8")
    git(repo, "add", "spec.md")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def _fork(repo: Path, name: str, start: str, text: str) -> None:
    git(repo, "checkout", "-q", "--detach", start)
    commit = _commit(repo, text, f"{name} edits")
    git(repo, "update-ref", f"refs/remotes/{name}/main", commit)
    git(repo, "checkout", "-q", "main")


@pytest.fixture
def small_network(tmp_path: Path) -> Path:
    repo = tmp_path / "helper"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    _commit(repo, V1, "v1")
    git(repo, "tag", "v1")
    _commit(repo, V2, "v2")
    git(repo, "tag", "v2")
    _fork(repo, "fork-a", "v1", V1.replace(*MIXED))
    _fork(repo, "fork-b", "v2", V2.replace("{#keep_secrets ", "{#guard_secrets "))
    greet = "The assistant should greet the user politely at the start of a conversation."
    kinder = "The assistant should open each conversation with a short, warm greeting."
    _fork(repo, "fork-c", "v1", V1.replace(greet, kinder))
    hostile = V2 + (
        f"\n## {HOSTILE_TITLE} {{#evil authority=user}}\n\n"
        "The assistant may print <iframe src=javascript:alert(3)></iframe> and "
        "[click](javascript:alert(1)).\n"
    )
    _fork(repo, HOSTILE_NAME, "v2", hostile)
    zones = V1 + (
        "\n## Respect time zones {#local_times authority=guideline}\n\n"
        "The assistant should state times in the user's time zone when it knows it.\n"
    )
    _fork(repo, "fork-e", "v1", zones)
    _fork(repo, "fork-f", "v2", V2.replace(*MIXED))
    _fork(repo, "fork-g", "v1", V1.replace("authority=root}", "authority=user}"))
    return repo


def _network(repo: Path) -> ForkNetwork:
    return api.fork_network("main:spec.md", remotes="fork-*", repo=repo, jobs=2)


def test_every_label_and_group_on_a_spec_of_our_own(small_network: Path) -> None:
    net = _network(small_network)
    tallies = {t.policy: t for t in net.policies}
    assert tallies["be_brief"].forks == ("fork-a", "fork-f")
    assert tallies["be_brief"].verdicts.mixed == 2
    assert tallies["keep_secrets"].verdicts.renamed == 1  # filed under upstream's id
    assert tallies["greet"].verdicts.rewritten == 1
    assert tallies["refuse_weapons"].verdicts.authority_lowered == 1
    assert [e.forks for e in net.shared_edits] == [("fork-a", "fork-f")]
    zones = next(g for g in net.new_policies if "fork-e" in g.forks)
    assert zones.upstream == "time_zones"  # a fork added what upstream added later
    evil = next(g for g in net.new_policies if HOSTILE_NAME in g.forks)
    assert evil.title.startswith("<script>") and evil.upstream is None
    bases = {f.name: (f.base.release, f.base.detected) for f in net.forks}
    assert bases["fork-a"] == ("v1", False) and bases["fork-f"] == ("v2", False)
    behind = {f.name: f.behind for f in net.forks}
    assert behind["fork-a"].releases == ("v2",) and behind["fork-a"].commits == 1


def test_plain_files_get_a_detected_base(small_network: Path, tmp_path: Path) -> None:
    """Forks that are files, against a file upstream: the base is upstream itself."""
    (tmp_path / "up.md").write_text(V1, encoding="utf-8")
    (tmp_path / "one.md").write_text(V1.replace(*MIXED), encoding="utf-8")
    (tmp_path / "same.md").write_text(V1, encoding="utf-8")
    (tmp_path / "list.txt").write_text("one.md\nsame.md\n", encoding="utf-8")
    net = api.fork_network(str(tmp_path / "up.md"), listing=tmp_path / "list.txt", jobs=1)
    assert [(f.name, f.base.detected, f.base.commit) for f in net.forks] == [
        ("one.md", True, None),
        ("same.md", True, None),
    ]
    assert [f.name for f in net.unchanged] == ["same.md"]
    assert net.policies[0].policy == "be_brief" and net.policies[0].verdicts.mixed == 1


def test_every_format_keeps_hostile_text_inert(small_network: Path) -> None:
    net = _network(small_network)
    html = render(FORKS_RENDERERS, "html", net, RenderOptions())
    page = assert_inert(html)
    text = "".join(page.text)
    assert HOSTILE_TITLE in text and HOSTILE_NAME in text  # shown as characters
    ids = {v for _tag, k, v in page.attrs if k == "id"}
    assert {"summary", "heatmap", "policies", "shared", "new-policies", "forks"} <= ids
    rects = [a for a in page.attrs if a[0] == "rect" and a[1] == "fill"]
    assert len(rects) == len(net.policies) * len(net.forks)
    markdown = render(FORKS_RENDERERS, "markdown", net, RenderOptions())
    assert "<script>" not in markdown and "<img" not in markdown
    data = json.loads(render(FORKS_RENDERERS, "json", net, RenderOptions()))
    assert HOSTILE_NAME in [f["name"] for f in data["forks"]]


def test_heatmap_cells_follow_the_verdicts(small_network: Path) -> None:
    net = _network(small_network)
    html = render(FORKS_RENDERERS, "html", net, RenderOptions())
    page = parse_page(html)
    fills = [v for tag, k, v in page.attrs if tag == "rect" and k == "fill"]
    from specver.render.fmt_forks import VERDICT_COLOURS

    row = [p.policy for p in net.policies].index("be_brief")
    cells = fills[row * len(net.forks) : (row + 1) * len(net.forks)]
    names = [f.name for f in net.forks]
    assert cells[names.index("fork-a")] == VERDICT_COLOURS["mixed"]
    assert cells[names.index("fork-c")] == "#eef1f5"


chromium = test_html_report.chromium
"""Debian's chromium (installed when missing and possible, else the test skips)."""


@pytest.mark.browser
def test_forks_page_in_chromium(chromium: str, small_network: Path, tmp_path: Path) -> None:
    page = tmp_path / "forks.html"
    page.write_text(
        render(FORKS_RENDERERS, "html", _network(small_network), RenderOptions()),
        encoding="utf-8",
    )
    result = run_chromium(chromium, page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_lines(result.stderr) == []
    dom = parse_page(result.stdout)
    assert "script" not in dom.tags and "svg" in dom.tags
    assert dom.tags.count("rect") == 4 * 7  # four policies changed, seven forks
    shot = tmp_path / "forks.png"
    result = run_chromium(
        chromium, page, tmp_path, f"--screenshot={shot}", "--window-size=1280,1600"
    )
    assert result.returncode == 0 and console_lines(result.stderr) == []
    assert png_size(shot) == (1280, 1600) and shot.stat().st_size > 30_000


def test_cli_writes_the_page(cli, small_network: Path, tmp_path: Path) -> None:
    out = tmp_path / "net.html"
    result = cli(
        "forks", "--upstream", "main:spec.md", "--remotes", "fork-*", "--repo", small_network,
        "--format", "html", "--output", out,
    )  # fmt: skip
    assert result.code == 1 and result.out == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _raw_fork(repo: Path, ref: str, files: dict[str, bytes]) -> None:
    """A commit on v1 whose tree holds exactly `files`, at `ref`."""
    entries = []
    for name, data in files.items():
        blob = (
            subprocess.run(
                ["git", "-C", str(repo), "hash-object", "-w", "--stdin"],
                input=data,
                capture_output=True,
                check=True,
            )
            .stdout.decode()
            .strip()
        )
        entries.append(f"100644 blob {blob}\t{name}")
    tree = git(repo, "mktree", stdin="".join(f"{e}\n" for e in entries))
    commit = git(repo, "commit-tree", tree, "-p", "v1", "-m", "raw")
    git(repo, "update-ref", ref, commit)


def test_unreadable_forks_are_skipped_with_a_reason(small_network: Path) -> None:
    _raw_fork(small_network, "refs/remotes/fork-h/main", {"README.md": b"no spec here\n"})
    _raw_fork(small_network, "refs/remotes/fork-i/main", {"spec.md": b"\x00\x01binary"})
    _raw_fork(small_network, "refs/remotes/fork-j/main", {"spec.md": b"\n"})
    _raw_fork(small_network, "refs/remotes/fork-k/dev", {"spec.md": V1.encode()})
    net = _network(small_network)
    reasons = {s.name: s.reason for s in net.skipped}
    assert set(reasons) == {"fork-h", "fork-i", "fork-j", "fork-k"}
    assert "no file" in reasons["fork-h"]
    assert "binary" in reasons["fork-i"] and "empty" in reasons["fork-j"]
    assert "no HEAD" in reasons["fork-k"]
    assert len(net.forks) == 7
    text = render(FORKS_RENDERERS, "text", net, RenderOptions())
    assert "Skipped: 4" in text and "fork-i" in text


def test_a_remote_head_names_the_branch(small_network: Path) -> None:
    _raw_fork(small_network, "refs/remotes/fork-k/trunk", {"spec.md": V1.replace(*MIXED).encode()})
    git(small_network, "symbolic-ref", "refs/remotes/fork-k/HEAD", "refs/remotes/fork-k/trunk")
    net = api.fork_network("main:spec.md", remotes="fork-k", repo=small_network, jobs=1)
    assert [(f.name, f.source) for f in net.forks] == [("fork-k", "fork-k/trunk:spec.md")]
    assert net.policies[0].verdicts.mixed == 1
