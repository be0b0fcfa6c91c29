"""Golden changelog entries per fixture case (`fixtures/cases/<case>` ->
`tests/golden/changelog/cases/<case>.{md,txt}`): the sentences a maintainer signs, in Markdown
and in plain text. Regenerate with `make golden` and review the diff like code."""

from __future__ import annotations

import pytest

from specver import api
from specver.errors import NothingChanged
from specver.release.changelog import build_entry, entry_markdown, entry_text

from .conftest import CASES, ROOT
from .golden_util import GOLDEN, check_golden

CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "old.md").is_file())


@pytest.mark.parametrize("case", CASE_NAMES)
def test_changelog_golden(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    old = api.load(f"fixtures/cases/{case}/old.md")
    new = api.load(f"fixtures/cases/{case}/new.md")
    try:
        result = api.changelog_entry(old, new, version="1.1.0")
    except NothingChanged:
        assert not api.diff(old, new).changes
        return
    assert result.entry.groups or result.entry.copy_edits
    entry = build_entry(api.diff(old, new), "1.1.0", "2026-05-01")
    check_golden(GOLDEN / "changelog" / "cases" / f"{case}.md", entry_markdown(entry))
    check_golden(GOLDEN / "changelog" / "cases" / f"{case}.txt", entry_text(entry))
