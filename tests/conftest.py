"""Shared test fixtures: paths to the project's fixtures and the real corpus, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from specver.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
ACME = FIXTURES / "acme"
CASES = FIXTURES / "cases"
SHARED = Path(os.environ.get("SPECVER_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "model-spec"
BUNDLE = SHARED / "corpus" / "model-spec.bundle"
RELEASES = ("2025-02-12", "2025-04-11", "2025-09-12")


@pytest.fixture
def corpus() -> Path:
    """The folder of real Model Spec releases; skips with a message where ../shared is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"real corpus not found at {CORPUS} (../shared is absent)")
    return CORPUS


@pytest.fixture
def bundle_repo(tmp_path: Path) -> Path:
    """A fresh clone of the corpus git bundle (tags v2025.02.12, v2025.04.11, v2025.09.12)."""
    if not BUNDLE.is_file():
        pytest.skip(f"corpus bundle not found at {BUNDLE} (../shared is absent)")
    target = tmp_path / "spec"
    subprocess.run(
        ["git", "clone", "-q", "--", str(BUNDLE), str(target)],
        check=True,
        capture_output=True,
    )
    return target


@dataclass
class Result:
    """What one CLI run printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run specver in-process: `cli("diff", a, b)` -> Result(code, out, err)."""

    def run(*args: object) -> Result:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_process(*args: object, cwd: Path | None = None, env: dict[str, str] | None = None):
    """Run specver as a separate process (for start-up, signals and real stdout behaviour)."""
    return subprocess.run(
        [sys.executable, "-m", "specver", *map(str, args)],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


# Hypothesis: a small, fixed example budget in the test suite (HYPOTHESIS_PROFILE overrides).
from hypothesis import settings as _hypothesis_settings  # noqa: E402

import tests.strategies  # noqa: E402,F401  (registers the profiles)

_hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
