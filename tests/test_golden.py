"""Golden files per diff case and output format (`fixtures/cases/<case>` -> `tests/golden/diff`)."""

from __future__ import annotations

import pytest

from specver import api
from specver.render import DIFF_RENDERERS, RenderOptions, render

from .conftest import CASES, ROOT
from .golden_util import GOLDEN, check_golden

SUFFIX = {"text": "txt", "markdown": "md", "json": "json", "html": "html"}
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "old.md").is_file())


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
@pytest.mark.parametrize("case", CASE_NAMES)
def test_diff_golden(case: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    old = api.load(f"fixtures/cases/{case}/old.md")
    new = api.load(f"fixtures/cases/{case}/new.md")
    result = api.diff(old, new)
    out = render(DIFF_RENDERERS, fmt, result, RenderOptions(color=False, width=100))
    check_golden(GOLDEN / "diff" / f"{case}.{SUFFIX[fmt]}", out)


def test_every_case_has_a_readme_and_golden_files() -> None:
    for case in CASE_NAMES:
        assert (CASES / case / "README").is_file(), case
        for fmt in ("txt", "md", "json"):
            assert (GOLDEN / "diff" / f"{case}.{fmt}").is_file(), (case, fmt)
