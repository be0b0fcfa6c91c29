"""Read the body of a `~~~xml` worked example into messages and verdicts.

The bodies are not XML: they hold Markdown, escaped HTML, inner code fences (some never
closed) and free text. The reader is a tolerant line scanner: a message opens with a tag at
the start of a line, and only its own closing tag ends it, so tags nested inside a message
(`<untrusted>`, `<settings>`) stay part of its text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from specver.spec.model import VERDICTS, Example, Message, Verdict

OPEN_TAG_RE = re.compile(r"<([A-Za-z_][\w.-]{0,40})((?:\s[^<>]{0,2000})?)>")
ATTR_RE = re.compile(r"""(?<![\w.-])([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
GROUP_TAGS = frozenset({"comparison"})


def parse_verdict(comment: str) -> Verdict | None:
    """Read `GOOD`, `BAD: why`, `BAD[#id]: why` or `OK` from the inside of an HTML comment."""
    body = comment.strip()
    label_end = 0
    while label_end < len(body) and body[label_end].isalpha():
        label_end += 1
    label = body[:label_end].upper()
    if label not in VERDICTS:
        return None
    rest = body[label_end:].lstrip()
    cites: list[str] = []
    if rest.startswith("["):
        close = rest.find("]")
        if close != -1:
            inside = rest[1:close]
            cites = [c.strip().lstrip("#") for c in inside.split(",") if c.strip().lstrip("#")]
            rest = rest[close + 1 :].lstrip()
    if rest.startswith(":"):
        rest = rest[1:]
    return Verdict(label, rest.strip(), tuple(cites))


def _split_comment(rest: str) -> tuple[Verdict | None, str]:
    """Pull a leading `<!-- verdict -->` off the text after an opening tag."""
    stripped = rest.lstrip()
    if not stripped.startswith("<!--"):
        return None, rest
    end = stripped.find("-->")
    if end == -1:
        return None, rest
    return parse_verdict(stripped[4:end]), stripped[end + 3 :]


def _attrs(raw: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (m.group(1), next(g for g in m.groups()[1:] if g is not None))
        for m in ATTR_RE.finditer(raw)
    )


class _Open:
    """A message being read."""

    __slots__ = ("attrs", "in_comparison", "lines", "role", "verdict")

    def __init__(self, role: str, attrs: str, verdict: Verdict | None, grouped: bool) -> None:
        self.role = role
        self.attrs = _attrs(attrs)
        self.verdict = verdict
        self.in_comparison = grouped
        self.lines: list[str] = []

    def close(self) -> Message:
        return Message(
            self.role,
            "\n".join(self.lines).strip("\n"),
            self.attrs,
            self.verdict,
            self.in_comparison,
        )


_GROUP_OPEN = frozenset(f"<{g}>" for g in GROUP_TAGS)
_GROUP_CLOSE = frozenset(f"</{g}>" for g in GROUP_TAGS)


def parse_example(body: str, *, title: str = "", line: int = 0) -> Example:
    """Parse a worked example's fence body; never raises on odd input."""
    messages = read_messages(body)
    return Example(title or _derived_title(messages), messages, line, body, bool(title))


@lru_cache(maxsize=4096)
def read_messages(body: str) -> tuple[Message, ...]:
    """The messages of a worked example's fence body, in order.

    Cached by body: most examples reappear unchanged in the next version of a spec.
    """
    messages: list[Message] = []
    current: _Open | None = None
    closing = ""
    grouped = False
    for raw in body.split("\n"):
        if current is not None:
            stripped = raw.rstrip() if closing in raw else raw
            if stripped.endswith(closing):
                current.lines.append(stripped[: -len(closing)])
                messages.append(current.close())
                current = None
            else:
                current.lines.append(raw)
            continue
        text = raw.strip().lstrip("*_ ")
        if not text.startswith("<"):
            continue
        lowered = text.lower()
        if lowered in _GROUP_OPEN or lowered in _GROUP_CLOSE:
            grouped = lowered in _GROUP_OPEN
            continue
        match = OPEN_TAG_RE.match(text)
        if match is None:
            continue
        current = _Open(match.group(1), match.group(2), None, grouped)
        verdict, rest = _split_comment(text[match.end() :])
        current.verdict = verdict
        closing = f"</{current.role}>"
        if rest.rstrip().endswith(closing):
            current.lines.append(rest.rstrip()[: -len(closing)].strip())
            messages.append(current.close())
            current = None
        elif rest.strip():
            current.lines.append(rest.strip())
    if current is not None:
        messages.append(current.close())
    return tuple(messages)


def _derived_title(messages: Sequence[Message]) -> str:
    for message in messages:
        if message.role == "user" and message.text.strip():
            first = message.text.strip().split("\n", 1)[0]
            return first if len(first) <= 80 else first[:77] + "..."
    return "untitled example"
