"""Text helpers every stage that writes sentences shares: counts, series, inert Markdown.

Domain modules (the changelog, the impact summary) and renderers both write words about
changes; the helpers live here, below both, so the domain never imports a renderer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_MD_SPECIAL = set("\\`*_{}[]()#!|<>~&:")


@dataclass(frozen=True, slots=True)
class Style:
    """How spec text is written into a sentence: escaped Markdown, or plain text."""

    bold: Callable[[str], str]
    code: Callable[[str], str]
    text: Callable[[str], str]


def plural(n: int, one: str, many: str | None = None) -> str:
    """`1 policy`, `2 policies`: the count with the word in the number it takes."""
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


def series(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def md_escape(text: str) -> str:
    """Text made inert in Markdown and HTML: no links, emphasis, tags or entities survive."""
    out = []
    for ch in " ".join(text.split()):
        if ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == "&":
            out.append("&amp;")
        elif ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


_MD_INLINE = re.compile(
    r"(?P<esc>[\\`*\[\]~])"  # code spans, emphasis, links, strikethrough
    r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # emphasis (snake_case inside a word is inert)
    r"|(?P<lt><)|(?P<gt>>)"  # HTML tags
    r"|(?P<amp>&)(?=#?[A-Za-z0-9]+;)"  # character references
    r"|(?P<colon>:)(?=//)|(?<=www)(?P<dot>\.)"  # GFM autolinks
)
_MD_LINE_START = re.compile(r"^(?:[-+#=>]|\d{1,9}[.)])")


def md_text(text: str) -> str:
    """Text made inert in Markdown with as few escapes as that takes, for Markdown people
    read as source too (changelogs, pull-request comments): emphasis, code, links, HTML,
    entities and autolinks are escaped; parentheses, colons and snake_case are left alone."""

    def one(found: re.Match[str]) -> str:
        if found.group("lt"):
            return "&lt;"
        if found.group("gt"):
            return "&gt;"
        if found.group("amp"):
            return "&amp;"
        return "\\" + found.group(0)

    out = _MD_INLINE.sub(one, " ".join(text.split()))
    if _MD_LINE_START.match(out):  # a list item, heading or quote when it starts a line
        out = "\\" + out if not out[0].isdigit() else _escape_number(out)
    if out.endswith("#"):  # a heading's closing sequence
        out = out[:-1] + "\\#"
    return out


def _escape_number(text: str) -> str:
    digits = len(text) - len(text.lstrip("0123456789"))
    return text[:digits] + "\\" + text[digits:]


def md_code(text: str) -> str:
    """An inline code span that holds any text, backticks included."""
    text = " ".join(text.split())
    run = longest = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"
