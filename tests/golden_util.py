"""Golden files: committed expected outputs, rewritten only with SPECVER_REGEN_GOLDEN=1."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(relative: str, actual: str) -> None:
    """Compare `actual` with tests/golden/<relative>; rewrite it when SPECVER_REGEN_GOLDEN=1."""
    path = GOLDEN / relative
    if os.environ.get("SPECVER_REGEN_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    assert path.is_file(), f"missing golden file {path}; run with SPECVER_REGEN_GOLDEN=1"
    with path.open(encoding="utf-8", newline="") as handle:
        expected = handle.read()
    assert actual == expected, f"output differs from {path} (SPECVER_REGEN_GOLDEN=1 rewrites it)"


def check_golden(path: Path, actual: str) -> None:
    """Compare `actual` with the golden file at `path`; rewrite it when SPECVER_REGEN_GOLDEN=1."""
    assert_golden(str(Path(path).resolve().relative_to(GOLDEN)), actual)
