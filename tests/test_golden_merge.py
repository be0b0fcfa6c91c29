"""Golden files per merge case (`fixtures/merge/<case>` -> `tests/golden/merge`): the merged
text, the same with --diff3, and the summary in both formats."""

from __future__ import annotations

import pytest

from specver import api
from specver.fork.compare import MergeSummary, compare_fork, merge_fork
from specver.render import MERGE_RENDERERS, RenderOptions, render

from .conftest import FIXTURES, ROOT
from .golden_util import GOLDEN, check_golden

CASES = FIXTURES / "merge"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "base.md").is_file())


@pytest.mark.parametrize("case", CASE_NAMES)
def test_merge_golden(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    folder = f"fixtures/merge/{case}"
    base, upstream, fork = (api.load(f"{folder}/{n}.md") for n in ("base", "upstream", "fork"))
    texts = [(ROOT / folder / f"{n}.md").read_text(encoding="utf-8") for n in ("upstream", "fork")]
    report = compare_fork(base, upstream, fork)
    merged = merge_fork(report, *texts)
    check_golden(GOLDEN / "merge" / f"{case}.md", merged.text)
    check_golden(GOLDEN / "merge" / f"{case}.diff3.md", merge_fork(report, *texts, diff3=True).text)
    summary = MergeSummary(merged, None, "option")
    options = RenderOptions(color=False, width=100)
    check_golden(
        GOLDEN / "merge" / f"{case}.txt", render(MERGE_RENDERERS, "text", summary, options)
    )
    check_golden(
        GOLDEN / "merge" / f"{case}.json", render(MERGE_RENDERERS, "json", summary, options)
    )
    # the merged text parses, markers included, and holds every policy either side kept
    spec = api.parse_text(merged.text)
    assert len(spec) >= len(upstream) - 1


def test_every_merge_case_has_a_readme_and_golden_files() -> None:
    assert len(CASE_NAMES) >= 5
    for case in CASE_NAMES:
        assert (CASES / case / "README").is_file(), case
        for suffix in ("md", "diff3.md", "txt", "json"):
            assert (GOLDEN / "merge" / f"{case}.{suffix}").is_file(), (case, suffix)
