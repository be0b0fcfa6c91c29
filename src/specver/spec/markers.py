"""Merge conflict markers: the lines `specver merge` (and git) leave where a person decides.

A conflict opens with `<<<<<<<`, may hold the base's text after `|||||||` (diff3 style),
splits the two versions at `=======` and closes with `>>>>>>>`: seven characters, then
the end of the line or a space and a label. `<<<<<<<` and `>>>>>>>` lines are markers
wherever they stand; `=======` and `|||||||` only between an opening and a closing marker,
since a lone `=======` under a line of text is a Markdown (setext) heading underline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MARK_FORK = "<<<<<<< fork"
MARK_BASE = "||||||| base"
MARK_SPLIT = "======="
MARK_UPSTREAM = ">>>>>>> upstream"

OPENING_RE = re.compile(r"^<{7}(?: |$)")
CLOSING_RE = re.compile(r"^>{7}(?: |$)")
INNER_RE = re.compile(r"^(?:={7}|\|{7})(?: |$)")
ANY_RE = re.compile(r"^(?:<{7}|>{7}|={7}|\|{7})(?: |$)", re.MULTILINE)


def conflict_marker_lines(lines: Sequence[str]) -> tuple[int, ...]:
    """The 1-based numbers of the lines that are conflict markers, in order."""
    found: list[int] = []
    opened = False
    for number, line in enumerate(lines, 1):
        if OPENING_RE.match(line):
            found.append(number)
            opened = True
        elif CLOSING_RE.match(line):
            found.append(number)
            opened = False
        elif opened and INNER_RE.match(line):
            found.append(number)
    return tuple(found)


def has_conflict_markers(text: str) -> bool:
    """A quick test: whether any line of the text could be a conflict marker."""
    return ANY_RE.search(text) is not None
