"""specver: semantic diffs, changelogs, version bumps and fork reports for AI behaviour specs.

The narrow public API lives in `specver.api`: `load`, `parse_text`, `diff`, `check`.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
