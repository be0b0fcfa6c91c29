"""Golden audit reports (text, Markdown, JSON, HTML) of the fixture notes for the Acme
v1.1.0 -> v2.0.0 release: regenerated on purpose with `make golden`, never by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from specver import api
from specver.render import AUDIT_RENDERERS, RenderOptions, render

from .golden_util import check_golden

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "audit"
OLD = "fixtures/acme/v1.1.0/acme_spec.md"
NEW = "fixtures/acme/v2.0.0/acme_spec.md"
SUFFIXES = {"text": "txt", "markdown": "md", "json": "json", "html": "html"}
CASES = {
    "notes": lambda: api.notes_file(Path("fixtures/audit/release-notes-2.0.0.txt")),
    "changelog": lambda: api.changelog_notes(Path("fixtures/audit/CHANGELOG.md"), "2.0.0"),
}


@pytest.mark.parametrize("fmt", sorted(SUFFIXES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_acme_audit_matches_golden(case: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # relative source labels keep the files machine-independent
    result = api.audit(api.diff(api.load(OLD), api.load(NEW)), CASES[case]())
    actual = render(AUDIT_RENDERERS, fmt, result, RenderOptions(color=False, width=100))
    check_golden(GOLDEN / f"acme-2.0.0-{case}.{SUFFIXES[fmt]}", actual)


def test_audit_golden_files_are_all_there() -> None:
    files = sorted(GOLDEN.glob("acme-*"))
    assert len(files) == len(SUFFIXES) * len(CASES)
    assert all(f.stat().st_size > 200 for f in files)
