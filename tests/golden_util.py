"""Golden-file comparison: expected outputs are committed and regenerated only on purpose.

Regenerate with `make golden` (or `SPECVER_REGEN_GOLDEN=1 pytest ...`), then review the diff.
Files are read and written byte for byte (no newline translation).
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def check_golden(path: Path, actual: str) -> None:
    """Assert `actual` equals the committed golden file (or rewrite it when regenerating)."""
    if os.environ.get("SPECVER_REGEN_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    assert path.is_file(), f"missing golden file {path}; run `make golden` and review it"
    with path.open(encoding="utf-8", newline="") as handle:
        expected = handle.read()
    assert actual == expected, f"output differs from {path}; run `make golden` if intended"


def assert_golden(relative: str, actual: str) -> None:
    """`check_golden` for a path relative to tests/golden."""
    check_golden(GOLDEN / relative, actual)
