"""The display sanitizer: the one place a string from an input is made safe to show.

Spec text, eval file names and first lines, git author names and subjects, tag names, file
names in messages: none of them may drive a terminal or break a report line. `display`
shows C0 controls and DEL as their Unicode control pictures (`␛` for ESC), C1 controls
(U+0080-U+009F, CSI U+009B among them) and the bidirectional controls that reorder what a
reader sees (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) as visible `⟨U+XXXX⟩`
escapes. Newlines and tabs are kept in text and made visible in one-line fields (names).
`specver check` flags the neutralized bidi controls (`bidi_controls`).
"""

from __future__ import annotations

import re

BIDI_CONTROLS = (
    "\u061c",
    "\u200e",
    "\u200f",
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
)
"""Characters that change the order in which text is displayed (Trojan Source, CVE-2021-42574)."""


def escape_for(char: str) -> str:
    """The visible form of one unsafe character: `⟨U+202E⟩`."""
    return f"⟨U+{ord(char):04X}⟩"


_TEXT_TABLE: dict[int, str] = {
    **{c: chr(0x2400 + c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20))},
    0x7F: "\u2421",
    **{c: escape_for(chr(c)) for c in range(0x80, 0xA0)},
    **{ord(ch): escape_for(ch) for ch in BIDI_CONTROLS},
}
"""Text keeps newlines and tabs; every other control becomes visible."""

_LINE_TABLE: dict[int, str] = {**_TEXT_TABLE, 0x09: "\u2409", 0x0A: "\u240a", 0x0D: "\u240d"}
"""A one-line field (a name, a title) shows newlines and tabs too."""

_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(BIDI_CONTROLS) + "]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f" + "".join(BIDI_CONTROLS) + "]")
BIDI_ESCAPE_RE = re.compile(r"⟨U\+(061C|200E|200F|202[A-E]|206[6-9])⟩")
"""Finds a bidi control `display` neutralized (for `specver check`)."""


def display(text: str, *, one_line: bool = False) -> str:
    """`text` with every control made visible (newlines and tabs too when `one_line`)."""
    if one_line:
        return text.translate(_LINE_TABLE) if _UNSAFE_LINE.search(text) else text
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    return text.translate(_TEXT_TABLE) if _UNSAFE_TEXT.search(text) else text


def is_clean(text: str, *, one_line: bool = False) -> bool:
    """Whether `display` would leave `text` as it is."""
    return (_UNSAFE_LINE if one_line else _UNSAFE_TEXT).search(text) is None
