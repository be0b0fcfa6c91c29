"""Text helpers every stage that writes sentences shares: counts, series, inert Markdown.

Domain modules (the changelog, the impact summary) and renderers both write words about
changes; the helpers live here, below both, so the domain never imports a renderer.
"""

from __future__ import annotations

_MD_SPECIAL = set("\\`*_{}[]()#!|<>~&:")


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
