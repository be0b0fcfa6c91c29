"""Config that cannot be planted: the search for `.specver.yaml` stops at the repository
root, and outside a repository only the current folder counts; `diff` names on stderr the
config that changes bump levels. YAML values ruamel cannot construct are one line, exit 2.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings

from specver.config import find_config, load_config, parse_config
from specver.diff.kinds import KIND_NAMES as KINDS
from specver.errors import ConfigError
from tests.conftest import ACME
from tests.strategies import YAML_VALUES, yaml_texts

V1 = ACME / "v1.0.0" / "acme_spec.md"
V2 = ACME / "v2.0.0" / "acme_spec.md"
PLANTED = "bump: {" + ", ".join(f"{kind}: none" for kind in KINDS) + "}\n"
"""The planted file of the report: every change kind lowered to `none`."""


def test_a_config_planted_in_a_parent_folder_is_ignored_outside_a_repository(
    cli, tmp_path: Path, monkeypatch
) -> None:
    (tmp_path / ".specver.yaml").write_text(PLANTED)
    work = tmp_path / "job"
    work.mkdir()
    monkeypatch.chdir(work)
    assert find_config(work) is None
    r = cli("diff", V1, V2, "--fail-on", "major")
    assert r.code == 1, r.err
    assert "bump levels" not in r.err


def test_outside_a_repository_the_current_folder_counts(cli, tmp_path, monkeypatch) -> None:
    (tmp_path / ".specver.yaml").write_text(PLANTED)
    monkeypatch.chdir(tmp_path)
    assert find_config(tmp_path) == (tmp_path / ".specver.yaml").resolve()
    r = cli("diff", V1, V2, "--fail-on", "major")
    assert r.code == 0
    assert r.err.startswith("specver: note: bump levels from ") and ".specver.yaml" in r.err
    assert "policy_removed: none" in r.err


def test_inside_a_repository_the_search_stops_at_its_root(tmp_path: Path) -> None:
    (tmp_path / ".specver.yaml").write_text(PLANTED)
    repo = tmp_path / "repo"
    (repo / "docs" / "deep").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    assert find_config(repo / "docs" / "deep") is None
    (repo / ".specver.yaml").write_text("version: 1.0.0\n")
    assert find_config(repo / "docs" / "deep") == (repo / ".specver.yaml").resolve()
    assert load_config(start=repo / "docs").version == "1.0.0"


def test_an_explicit_config_that_changes_levels_is_named(cli, tmp_path: Path) -> None:
    config = tmp_path / "levels.yaml"
    config.write_text("bump: {policy_removed: patch}\n")
    r = cli("diff", V1, V2, "--config", config)
    assert f"bump levels from {config}: policy_removed: patch" in r.err
    quiet = tmp_path / "quiet.yaml"
    quiet.write_text("version: 1.0.0\n")
    assert "note" not in cli("diff", V1, V2, "--config", quiet).err


@pytest.mark.parametrize(
    "text",
    [
        "date: 2025-02-30",
        "x: !!float foo",
        "x: !!int 0xZZ",
        "x: !!omap\n- a: 1\n- a: 2",
        "? [a, b]\n: 1\nbump: {? [x]: none}",
        "bump:\n  ? {a: 1}\n  : none",
        "x: !!timestamp 2025-13-45",
    ],
)
def test_yaml_values_ruamel_cannot_construct_are_one_line(cli, tmp_path, text: str) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(text + "\n")
    r = cli("diff", V1, V2, "--config", config)
    assert r.code == 2 and r.err.count("\n") == 1, r.err
    assert r.err.startswith("specver: error: ") and "Traceback" not in r.err


@settings(max_examples=200, deadline=None)
@given(yaml_texts())
def test_any_config_text_reads_or_is_refused(text: str) -> None:
    """Property: generated `.specver.yaml` texts give a well-typed Config or a ConfigError."""
    try:
        cfg = parse_config(text)
    except ConfigError:
        return
    assert all(isinstance(k, str) for k in cfg.bump_overrides)
    assert cfg.spec_path is None or isinstance(cfg.spec_path, str)


def test_the_generator_uses_every_troublesome_value() -> None:
    assert "2025-02-30" in YAML_VALUES and "!!int 0xZZ" in YAML_VALUES
