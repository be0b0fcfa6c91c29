"""`specver forks` on a generated network of 20 fork remotes of the corpus, and on small
networks written here (clones, listed files, hostile names and titles).

The expected figures come from the script in `tests/forknet.py` alone: which forks made
which edit, on which release, with or without shared history.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from specver import api
from specver.network.model import VERDICTS, ForkNetwork
from specver.render import FORKS_RENDERERS, RenderOptions, render
from tests.conftest import BUNDLE
from tests.forknet import (
    LOOSEN,
    NEW_TITLES,
    SPEC,
    TAGS,
    TIGHTEN,
    Script,
    build_network,
    git,
)

LABELS = {
    "tighten": "tightened",
    "loosen": "loosened",
    "remove": "removed",
    "raise": "authority_raised",
    "lower": "authority_lowered",
}
"""What each scripted edit must read as."""
KINDS = {
    "tighten": "text_changed",
    "loosen": "text_changed",
    "remove": "policy_removed",
    "raise": "authority_changed",
    "lower": "authority_changed",
}


@pytest.fixture(scope="module")
def network_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Script]:
    """A bundle clone with the 20 scripted fork remotes (built once for the module)."""
    if not BUNDLE.is_file():
        pytest.skip(f"corpus bundle not found at {BUNDLE} (../shared is absent)")
    repo = tmp_path_factory.mktemp("network") / "spec"
    subprocess.run(["git", "clone", "-q", "--", str(BUNDLE), str(repo)], check=True)
    return repo, build_network(repo)


@pytest.fixture(scope="module")
def network(network_repo: tuple[Path, Script]) -> ForkNetwork:
    repo, _script = network_repo
    return api.fork_network(f"main:{SPEC}", remotes="fork-*", repo=repo, jobs=2)


def _edits(script: Script) -> list[tuple[str, str, str]]:
    """(fork, what, policy) for every scripted edit."""
    return [
        (plan.name, *label.split(":", 1))  # type: ignore[misc]
        for plan in script.forks
        for label, _edit in plan.edits
    ]


def test_every_fork_of_the_pattern_is_compared_and_no_other(
    network: ForkNetwork, network_repo: tuple[Path, Script]
) -> None:
    _repo, script = network_repo
    assert [f.name for f in network.forks] == [p.name for p in script.forks]
    assert network.skipped == ()
    assert network.upstream.commit == script.upstream_commit


def test_per_policy_counts_are_those_scripted(
    network: ForkNetwork, network_repo: tuple[Path, Script]
) -> None:
    _repo, script = network_repo
    forks: dict[str, list[str]] = {}
    labels: dict[str, Counter[str]] = {}
    for fork, what, policy in _edits(script):
        if what == "add":
            continue
        if fork not in forks.setdefault(policy, []):
            forks[policy].append(fork)
        labels.setdefault(policy, Counter())[LABELS[what]] += 1
    got = {t.policy: t for t in network.policies}
    assert set(got) == set(forks)
    for policy, names in forks.items():
        assert got[policy].forks == tuple(names), policy
        assert dict(got[policy].verdicts.items()) == {v: labels[policy][v] for v in VERDICTS}
    ranked = [len(t.forks) for t in network.policies]
    assert ranked == sorted(ranked, reverse=True)


def test_shared_edit_groups_are_those_scripted(
    network: ForkNetwork, network_repo: tuple[Path, Script]
) -> None:
    """The same edit made on three different releases is one group."""
    _repo, script = network_repo
    groups: dict[tuple[str, str], list[str]] = {}
    for fork, what, policy in _edits(script):
        if what != "add":
            groups.setdefault((KINDS[what], policy), []).append(fork)
    expected = {key: tuple(names) for key, names in groups.items() if len(names) >= 2}
    got = {(e.kind, e.policy): e.forks for e in network.shared_edits}
    assert got == expected
    by = {(e.kind, e.policy): e for e in network.shared_edits}
    tightened = by[("text_changed", script.targets.tighten)]
    assert tightened.removed == ()
    assert " ".join(tightened.added).endswith(TIGHTEN.rstrip("."))
    bases = {f.name: f.base.release for f in network.forks}
    assert {bases[name] for name in tightened.forks} == set(TAGS)
    assert " ".join(by[("text_changed", script.targets.loosen)].added).endswith(LOOSEN[:-1])


def test_bases_detected_only_without_shared_history(
    network: ForkNetwork, network_repo: tuple[Path, Script]
) -> None:
    _repo, script = network_repo
    plans = {p.name: p for p in script.forks}
    for fork in network.forks:
        plan = plans[fork.name]
        assert fork.base.detected is plan.orphan, fork.name
        assert fork.base.commit == script.tag_commits[plan.tag], fork.name
        assert fork.base.release == plan.tag
        after = TAGS[TAGS.index(plan.tag) + 1 :]
        assert fork.behind.releases == after, fork.name
        assert fork.behind.commits == len(after)  # one commit per release upstream
        if plan.orphan:
            assert fork.base.shared_sections is not None and fork.base.shared_sections > 60


def test_unchanged_copies_are_those_scripted(
    network: ForkNetwork, network_repo: tuple[Path, Script]
) -> None:
    _repo, script = network_repo
    expected = [p.name for p in script.forks if not p.edits]
    assert [f.name for f in network.unchanged] == expected
    for fork in network.forks:
        assert fork.unchanged is (fork.name in expected)
        if not fork.unchanged:
            assert len(fork.changes) == len(plans_edits(script, fork.name))


def plans_edits(script: Script, name: str) -> list[str]:
    return [label for p in script.forks if p.name == name for label, _e in p.edits]


def test_new_policies_are_grouped_by_similarity(
    network: ForkNetwork, network_repo: tuple[Path, Script]
) -> None:
    _repo, script = network_repo
    adders = [fork for fork, what, _p in _edits(script) if what == "add"]
    groups = {g.forks: g for g in network.new_policies}
    codename = groups[("fork-13", "fork-14")]
    assert {codename.title, *codename.similar_to} == set(NEW_TITLES)
    assert set(codename.ids) == {"keep_codename_private", "codename_privacy"}
    assert codename.upstream is None
    assert groups[("fork-15",)].ids == ("regional_holidays",)
    assert sorted(f for g in network.new_policies for f in g.forks) == sorted(adders)


def test_result_is_the_same_with_one_job_or_several(
    network: ForkNetwork, network_repo: tuple[Path, Script]
) -> None:
    repo, _script = network_repo
    serial = api.fork_network(f"main:{SPEC}", remotes="fork-*", repo=repo, jobs=1)
    one = render(FORKS_RENDERERS, "json", serial, RenderOptions())
    assert one == render(FORKS_RENDERERS, "json", network, RenderOptions())


def test_cli_json_contract(cli, network_repo: tuple[Path, Script]) -> None:
    repo, script = network_repo
    result = cli(
        "forks",
        "--upstream",
        f"main:{SPEC}",
        "--remotes",
        "fork-1*",
        "--repo",
        repo,
        "--format",
        "json",
        "--jobs",
        "2",
    )
    assert result.code == 1, result.err
    data = json.loads(result.out)
    assert data["schema"] == "specver.forks/1"
    assert [f["name"] for f in data["forks"]] == [f"fork-1{k}" for k in range(10)]
    fork = data["forks"][6]  # fork-16: no shared history, branched at v2025.04.11
    assert fork["base"] == script.tag_commits["v2025.04.11"] and fork["base_detected"] is True
    assert fork["behind"] == {"commits": 1, "releases": ["v2025.09.12"]}
    assert fork["unchanged"] is False and fork["changes"][0]["kind"] == "text_changed"
    for key in ("name", "base", "base_detected", "behind", "unchanged", "changes"):
        assert all(key in f for f in data["forks"])
    policy = data["policies"][0]
    assert set(policy) >= {"policy", "forks", "verdicts"}
    assert set(policy["verdicts"]) >= {
        "tightened",
        "loosened",
        "mixed",
        "removed",
        "authority_raised",
        "authority_lowered",
        "renamed",
    }
    assert all(set(e) >= {"policy", "removed", "added", "forks"} for e in data["shared_edits"])
    assert all(set(g) >= {"title", "forks", "similar_to"} for g in data["new_policies"])


def test_cli_every_format_and_exit_status(cli, network_repo: tuple[Path, Script]) -> None:
    repo, _script = network_repo
    for fmt in FORKS_RENDERERS:
        result = cli(
            "forks",
            "--upstream",
            f"main:{SPEC}",
            "--remotes",
            "fork-0[1-3]",
            "--repo",
            repo,
            "--format",
            fmt,
        )
        assert result.code == 0, (fmt, result.err)  # fork-01..03 are unchanged copies
        assert "fork-02" in result.out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--remotes", "nothing-*"], "no remote matches"),
        ([], "give one of --remotes"),
        (["--remotes", "fork-*", "--list", "x.txt"], "give one of --remotes"),
        (["--remotes", "fork-*", "--jobs", "0"], "--jobs 0"),
        (["--remotes", "fork-*", "--format", "yaml"], "--format 'yaml'"),
        (["--remotes", "fork-*", "--path", "missing.md"], "none of the 20 forks"),
    ],
)
def test_cli_usage_errors_are_one_line(
    cli, network_repo: tuple[Path, Script], args: list[str], message: str
) -> None:
    repo, _script = network_repo
    result = cli("forks", "--upstream", f"main:{SPEC}", "--repo", repo, *args)
    assert result.code == 2
    assert message in result.err and len(result.err.strip().splitlines()) == 1


def test_clones_and_lists(tmp_path: Path, network_repo: tuple[Path, Script]) -> None:
    """A folder of clones (one with history, one plain copy) and a list of sources."""
    repo, script = network_repo
    clones = tmp_path / "clones"
    clones.mkdir()
    subprocess.run(["git", "clone", "-q", "--", str(repo), str(clones / "alice")], check=True)
    git(clones / "alice", "checkout", "-q", "--detach", "refs/remotes/origin/main")
    fork05 = git(repo, "rev-parse", "refs/remotes/fork-05/main")
    git(clones / "alice", "fetch", "-q", str(repo), fork05)
    git(clones / "alice", "checkout", "-q", "--detach", fork05)
    (clones / "bob").mkdir()
    text16 = subprocess.run(
        ["git", "-C", str(repo), "show", f"refs/remotes/fork-16/main:{SPEC}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (clones / "bob" / SPEC).write_text(text16, encoding="utf-8")
    (clones / "notes").mkdir()
    net = api.fork_network(f"main:{SPEC}", repos=[clones], repo=repo, jobs=1)
    by = {f.name: f for f in net.forks}
    assert set(by) == {"alice", "bob"}
    assert by["alice"].base.detected is False
    assert by["alice"].base.commit == script.tag_commits["v2025.04.11"]
    assert by["bob"].base.detected is True and by["bob"].base.release == "v2025.04.11"
    assert [e.forks for e in net.shared_edits] == [("alice", "bob")]
    alone = api.fork_network(f"main:{SPEC}", repos=[clones / "alice"], repo=repo, jobs=1)
    assert [f.name for f in alone.forks] == ["alice"]
    listing = tmp_path / "forks.txt"
    listing.write_text(
        "# forks to compare\n\nfork-04/main:model_spec.md\nclones/bob/model_spec.md\n"
        "clones/alice\nmissing.md\n",
        encoding="utf-8",
    )
    net = api.fork_network(f"main:{SPEC}", listing=listing, repo=repo, jobs=1)
    names = ["fork-04/main", "clones/bob/model_spec.md", "clones/alice"]
    assert [f.name for f in net.forks] == names
    assert [s.name for s in net.skipped] == ["missing.md"]
    assert [e.forks for e in net.shared_edits] == [tuple(names)]
