"""The release API the CLI is a thin layer over: api.bump, api.changelog_entry, renderers."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from specver import api
from specver.config import Config
from specver.errors import NothingChanged, UsageError
from specver.render import CHANGELOG_RENDERERS, RenderOptions, render

ROOT = Path(__file__).resolve().parents[1]
ACME = ROOT / "fixtures" / "acme"
CASES = ROOT / "fixtures" / "cases"


def acme(version: str):
    return api.load(str(ACME / version / "acme_spec.md"))


def test_bump_returns_a_frozen_decision_with_the_deciding_changes():
    decision = api.bump(acme("v1.1.0"), acme("v2.0.0"), "v1.1.0")
    assert (decision.version, decision.level, decision.scheme) == ("v2.0.0", "major", "semver")
    assert decision.deciding and {c.level for c in decision.deciding} == {"major"}
    assert sum(decision.counts.values()) > len(decision.deciding)
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.version = "v9.9.9"  # type: ignore[misc]


def test_bump_takes_the_scheme_from_the_version_and_the_current_from_config():
    calver = api.bump(acme("v1.0.0"), acme("v1.1.0"), "v2026.01.15", day=date(2026, 3, 2))
    assert (calver.version, calver.scheme, calver.level) == ("v2026.03.02", "calver", "minor")
    configured = api.bump(acme("v1.0.0"), acme("v1.1.0"), config=Config(version="1.0.0"))
    assert configured.version == "1.1.0"
    with pytest.raises(UsageError, match="--current"):
        api.bump(acme("v1.0.0"), acme("v1.1.0"))
    with pytest.raises(NothingChanged):
        api.bump(acme("v1.0.0"), acme("v1.0.0"), "1.0.0")


def test_changelog_entry_names_its_version_and_warns_of_broken_references():
    old = api.load(str(CASES / "reference-broken" / "old.md"))
    new = api.load(str(CASES / "reference-broken" / "new.md"))
    result = api.changelog_entry(old, new, version="1.2.0", day=date(2026, 3, 2))
    assert (result.entry.version, result.entry.date) == ("1.2.0", "2026-03-02")
    assert result.warnings and all("refers to missing #" in w for w in result.warnings)
    listed = api.changelog_entry(old, new, version="1.2.0", show_all=True)
    assert listed.warnings == ()
    assert any(line.kind == "reference_broken" for line in listed.entry.lines)


def test_changelog_entry_version_from_config_and_bump():
    result = api.changelog_entry(acme("v1.0.0"), acme("v1.1.0"), config=Config(version="v1.0.0"))
    assert result.entry.version == "v1.1.0"
    with pytest.raises(UsageError, match="--version"):
        api.changelog_entry(acme("v1.0.0"), acme("v1.1.0"))
    with pytest.raises(NothingChanged):
        api.changelog_entry(acme("v1.0.0"), acme("v1.0.0"), version="1.0.0")


def test_changelog_renderers_live_in_render_like_every_format():
    assert all(target.startswith("specver.render.") for target in CHANGELOG_RENDERERS.values())
    entry = api.changelog_entry(acme("v1.1.0"), acme("v2.0.0"), version="2.0.0").entry
    text = render(CHANGELOG_RENDERERS, "markdown", entry, RenderOptions())
    assert text.startswith("## [2.0.0] - ")
    assert '"schema": "specver.changelog/1"' in render(
        CHANGELOG_RENDERERS, "json", entry, RenderOptions()
    )
