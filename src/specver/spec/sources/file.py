"""Spec text from files on disk, and the checks every source's bytes pass.

This is the edge of the pipeline that touches the file system (`git` reads revisions).
Everything it hands on is bytes already checked: not empty, not binary, valid UTF-8, not
over the size limit.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from specver.errors import SourceError
from specver.spec.model import EvalFile

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
EVALS_DIR = "examples"


def max_bytes() -> int:
    """The largest spec specver reads (SPECVER_MAX_BYTES overrides the 64 MiB default)."""
    raw = os.environ.get("SPECVER_MAX_BYTES", "")
    return int(raw) if raw.isdigit() else DEFAULT_MAX_BYTES


@dataclass(frozen=True, slots=True)
class SourceText:
    """The checked text of one spec and the eval prompt files found beside it."""

    label: str
    """How the user named the source."""
    text: str
    sha256: str
    """Digest of the exact bytes read."""
    evals: tuple[EvalFile, ...] | None
    """Eval files from the `examples/` folder beside the spec; None when there is none."""


def decode_spec(label: str, data: bytes) -> str:
    """Decode spec bytes, refusing empty, binary and non-UTF-8 input with a precise reason."""
    if not data.strip():
        raise SourceError(f"{label}: the file is empty")
    if b"\x00" in data:
        raise SourceError(f"{label}: binary file (contains NUL bytes), not a Markdown spec")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{label}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def is_revision(arg: str, *, exists: bool | None = None) -> bool:
    """Whether a SPEC argument names `REV:PATH` rather than a file (a file that exists wins)."""
    if exists is None:
        exists = Path(arg).exists()
    if exists or ":" not in arg:
        return False
    rev, _, path = arg.partition(":")
    return bool(rev) and bool(path) and not (len(rev) == 1 and rev.isalpha() and os.name == "nt")


def read_file(path: Path, *, label: str | None = None) -> SourceText:
    """Read a spec file and the eval files in the `examples/` folder beside it."""
    label = label or str(path)
    data = _read_bytes(path, label)
    text = decode_spec(label, data)
    evals_dir = path.parent / EVALS_DIR
    evals = None
    if evals_dir.is_dir():
        evals = tuple(read_eval_files(_eval_paths(evals_dir)))
    return SourceText(label, text, hashlib.sha256(data).hexdigest(), evals)


def _read_bytes(path: Path, label: str) -> bytes:
    try:
        if path.is_dir():
            raise SourceError(f"{label}: is a directory, not a spec file")
        size = path.stat().st_size
    except FileNotFoundError:
        raise SourceError(f"{label}: no such file") from None
    except PermissionError:
        raise SourceError(f"{label}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{label}: cannot read: {exc.strerror or exc}") from None
    limit = max_bytes()
    if size > limit:
        raise SourceError(
            f"{label}: {size / 1048576:.0f} MiB is larger than the {limit / 1048576:.0f} MiB "
            "limit (set SPECVER_MAX_BYTES to raise it)"
        )
    try:
        return path.read_bytes()
    except PermissionError:
        raise SourceError(f"{label}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{label}: cannot read: {exc.strerror or exc}") from None


def _eval_paths(folder: Path) -> Iterable[tuple[str, bytes]]:
    for path in sorted(folder.glob("*.md")):
        try:
            yield path.stem, path.read_bytes()
        except OSError:
            continue


def read_eval_files(files: Iterable[tuple[str, bytes]]) -> list[EvalFile]:
    """EvalFile records from (name, bytes) pairs; the section comes from the first line."""
    out = []
    for name, data in files:
        first = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        out.append(EvalFile(name, eval_section(first), hashlib.sha256(data).hexdigest()))
    return out


def eval_section(first_line: str) -> str:
    """The section title in `Examples for [^abcd] in <Section title>:`, or empty."""
    marker = " in "
    if not first_line.lower().startswith("examples for") or marker not in first_line:
        return ""
    return first_line.split(marker, 1)[1].rstrip().rstrip(":").strip()
