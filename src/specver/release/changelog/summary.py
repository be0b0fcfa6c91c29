"""A hand-written summary above a changelog entry's generated bullets.

It comes from one file (`--summary FILE`) or from a folder of fragments named in
`.specver.yaml` (`changelog: summary: changes/`), as towncrier and scriv users keep them:
every `*.md` and `*.txt` file there except a README, in name order, joined by blank lines.
The text is the maintainer's own and is kept as written (Markdown stays Markdown); only a
heading that would read as a version heading (`#`, `##`) is refused, since it would split
the entry in two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from specver.atomic import read_input
from specver.errors import InputError

MAX_SUMMARY_BYTES = 256 * 1024
"""The largest summary read, all fragments together (a real one is a few paragraphs)."""

FRAGMENT_SUFFIXES = (".md", ".markdown", ".txt")
"""Files of a fragment folder that hold summary text; others (`.gitkeep`) are left alone."""

_TOP_HEADING = re.compile(r"^ {0,3}#{1,2}(?:[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary text and the fragment files it was read from (none for `--summary`)."""

    text: str
    """Paragraphs as written, stripped, without a trailing newline."""
    fragments: tuple[Path, ...] = ()
    """The fragment files a release consumes (removes in its commit)."""


def fragment_files(folder: Path) -> tuple[Path, ...]:
    """The fragment files of a summary folder, in name order; none when it does not exist."""
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(
            (
                p
                for p in folder.iterdir()
                if p.suffix.lower() in FRAGMENT_SUFFIXES
                and not p.name.startswith(".")
                and not p.stem.upper().startswith("README")
                and (p.is_file() or p.is_symlink())
            ),
            key=lambda p: p.name,
        )
    )


def _read(path: Path, label: str, budget: int) -> str:
    data = read_input(path, label, limit=budget, hint="a summary is a few paragraphs")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{label}: not valid UTF-8 ({exc.reason})") from None
    if "\x00" in text:
        raise InputError(f"{label}: binary file (contains NUL bytes), not summary text")
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def check_summary(text: str, label: str) -> str:
    """The text itself, refusing a `#` or `##` heading outside code blocks (one line, exit 2)."""
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), 1):
        found = _FENCE.match(line)
        if found:
            mark = found.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        if fence is None and _TOP_HEADING.match(line):
            raise InputError(
                f"{label}: line {number} is a top-level heading, which would end the entry; "
                "use ### or deeper, or plain paragraphs"
            )
    return text


def read_summary(path: Path | None = None, folder: Path | None = None) -> Summary | None:
    """The summary from `path` when given, else from the fragments in `folder`; None when
    there is neither (or the fragments are all empty)."""
    if path is not None:
        label = f"--summary {path}"
        text = check_summary(_read(path, label, MAX_SUMMARY_BYTES), label)
        return Summary(text) if text else None
    if folder is None:
        return None
    files = fragment_files(folder)
    budget = MAX_SUMMARY_BYTES
    parts: list[str] = []
    for item in files:
        label = f"summary fragment {item}"
        text = check_summary(_read(item, label, max(budget, 0)), label)
        budget -= len(text.encode("utf-8"))
        if text:
            parts.append(text)
    if not parts:
        return None
    return Summary("\n\n".join(parts), files)
