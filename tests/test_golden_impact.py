"""Golden impact reports (text, Markdown, JSON) for the Acme v1.1.0 -> v2.0.0 release."""

from __future__ import annotations

from pathlib import Path

import pytest

from specver import api
from specver.render import IMPACT_RENDERERS, RenderOptions, render

from .golden_util import check_golden

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "impact"
OLD = "fixtures/acme/v1.1.0/acme_spec.md"
NEW = "fixtures/acme/v2.0.0/acme_spec.md"
SUFFIXES = {"text": "txt", "markdown": "md", "json": "json"}


@pytest.mark.parametrize("fmt", sorted(SUFFIXES))
def test_acme_release_impact_matches_golden(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # relative source labels keep the files machine-independent
    impact = api.impact(api.diff(api.load(OLD), api.load(NEW)))
    actual = render(IMPACT_RENDERERS, fmt, impact, RenderOptions(color=False, width=100))
    check_golden(GOLDEN / f"acme-v1.1.0-v2.0.0.{SUFFIXES[fmt]}", actual)


def test_golden_files_are_not_empty() -> None:
    files = sorted(Path(GOLDEN).glob("acme-*"))
    assert len(files) == len(SUFFIXES)
    assert all(f.stat().st_size > 500 for f in files)
