"""Bump and changelog on the real Model Spec history (the corpus git bundle)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from specver.release.changelog import MARKER

pytestmark = pytest.mark.corpus


def show(repo: Path, spec: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), "show", spec], capture_output=True, text=True, check=True
    ).stdout


def test_bump_levels_on_the_real_releases(cli, bundle_repo: Path):
    minor = cli(
        "bump",
        "v2025.02.12:model_spec.md",
        "v2025.04.11:model_spec.md",
        "--current",
        "1.0.0",
        "--repo",
        bundle_repo,
    )
    assert (minor.code, minor.out) == (0, "1.1.0\n")
    assert minor.err.startswith("minor release")
    major = cli(
        "bump",
        "v2025.04.11:model_spec.md",
        "v2025.09.12:model_spec.md",
        "--current",
        "v2025.04.11",
        "--date",
        "2025-09-12",
        "--repo",
        bundle_repo,
    )
    assert (major.code, major.out) == (0, "v2025.09.12\n")
    assert major.err.startswith("major release")
    assert "platform renamed to root" in major.err
    assert "major bump in semver terms" in major.err
    again = cli(
        "bump",
        "v2025.04.11:model_spec.md",
        "v2025.09.12:model_spec.md",
        "--current",
        "v2025.09.12",
        "--date",
        "2025-09-12",
        "--repo",
        bundle_repo,
    )
    assert again.out == "v2025.09.12.1\n"


def test_changelog_names_new_policies_rename_and_lowered_levels(cli, bundle_repo: Path):
    done = cli(
        "changelog",
        "v2025.04.11:model_spec.md",
        "v2025.09.12:model_spec.md",
        "--date",
        "2025-09-12",
        "--repo",
        bundle_repo,
    )
    assert done.code == 0, done.err
    text = done.out
    assert text.startswith("## [v2025.09.12] - 2025-09-12\n")
    for policy in (
        "no_other_objectives",
        "scope_of_autonomy",
        "control_side_effects",
        "be_curious",
    ):
        line = next(x for x in text.splitlines() if f"(`{policy}`, " in x)
        assert line.startswith("- Adds **")
    assert "- Renames the `platform` authority level to `root` (17 policies).\n" in text
    for policy in ("comply_with_laws", "no_erotica_or_gore", "use_preset_voice_in_voice_mode"):
        line = next(x for x in text.splitlines() if f"(`{policy}`) from platform to system" in x)
        assert line.startswith("- Lowers **") and "system messages can now override it" in line
    assert (
        "Merges **Be approachable** (`approachable`) into **Use appropriate style** (`style`)"
        in text
    )


def test_write_into_the_real_changelog_keeps_old_entries(cli, bundle_repo: Path, tmp_path: Path):
    target = tmp_path / "CHANGELOG.md"
    original = show(bundle_repo, "v2025.04.11:CHANGELOG.md").encode()
    target.write_bytes(original)
    done = cli(
        "changelog",
        "v2025.04.11:model_spec.md",
        "v2025.09.12:model_spec.md",
        "--date",
        "2025-09-12",
        "--repo",
        bundle_repo,
        "--write",
        target,
    )
    assert done.code == 0, done.err
    after = target.read_bytes()
    start = after.index(b"## v2025.09.12\n" + MARKER.encode())
    end = after.index(b"## v2025.04.11")
    assert after[:start] + after[end:] == original
    assert after[:start] == b"# Changelog\n\n"
    # the style of the file is followed: bare `## vYYYY.MM.DD` headings
    assert b"## [v2025.09.12]" not in after
    twice = cli(
        "changelog",
        "v2025.04.11:model_spec.md",
        "v2025.09.12:model_spec.md",
        "--date",
        "2025-09-12",
        "--repo",
        bundle_repo,
        "--write",
        target,
    )
    assert twice.code == 0 and "replaced" in twice.err
    assert target.read_bytes() == after


def test_write_refuses_the_hand_written_entry_of_the_same_release(cli, bundle_repo: Path):
    target = bundle_repo / "CHANGELOG.md"
    before = target.read_bytes()
    done = cli(
        "changelog",
        "v2025.04.11:model_spec.md",
        "v2025.09.12:model_spec.md",
        "--repo",
        bundle_repo,
        "--write",
        target,
    )
    assert done.code == 2 and "did not write" in done.err
    assert target.read_bytes() == before


def test_release_dry_run_on_the_real_history_with_calver(cli, bundle_repo: Path):
    subprocess.run(
        ["git", "-C", str(bundle_repo), "checkout", "-q", "-b", "next", "v2025.04.11"], check=True
    )
    (bundle_repo / "model_spec.md").write_text(
        show(bundle_repo, "v2025.09.12:model_spec.md"), encoding="utf-8"
    )
    done = cli("release", "--repo", bundle_repo, "--dry-run", "--date", "2025-09-13")
    assert done.code == 0, done.err
    assert done.out.startswith("Release v2025.09.13 (calver, major; since v2025.04.11)\n")
    assert "\n## v2025.09.13\n" in done.out
