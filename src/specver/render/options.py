"""How rendered output should look: the one value every renderer reads besides its subject."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from specver.config import AuthorityScheme


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How output should look; decided once at the CLI edge."""

    color: bool = False
    """Use terminal colours (never when NO_COLOR is set or stdout is not a terminal)."""
    width: int = 100
    show_all: bool = False
    """List every change, copy edits included."""
    scheme: AuthorityScheme | None = None
    """The authority scheme from `.specver.yaml`, for reports that judge authority changes."""
    fail_on: str | None = None
    """`--fail-on`: the level from which a change fails the run (`--format github` errors)."""
