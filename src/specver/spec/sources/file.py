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

from specver.atomic import max_input_bytes, read_input, too_large, workspace
from specver.display import display
from specver.errors import SourceError
from specver.spec.model import EvalFile

EVALS_DIR = "examples"


def max_bytes() -> int:
    """The largest input specver reads (SPECVER_MAX_BYTES overrides the 64 MiB default)."""
    return max_input_bytes()


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
    path: str = ""
    """The file read: PATH of `REV:PATH` (inside the repository), else the path as given."""


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
        try:
            exists = os.path.lexists(arg)
        except (OSError, ValueError):  # a name too long for the system, a NUL byte
            exists = False
    if exists or ":" not in arg:
        return False
    rev, _, path = arg.partition(":")
    return bool(rev) and bool(path) and not (len(rev) == 1 and rev.isalpha() and os.name == "nt")


def read_file(path: Path, *, label: str | None = None) -> SourceText:
    """Read a spec file and the eval files in the `examples/` folder beside it.

    The spec and each eval file must be regular files (symlinks only into the workspace:
    the repository, or the spec's folder outside one), read within the size limit.
    """
    label = label or str(path)
    data = read_input(path, label)
    text = decode_spec(label, data)
    evals_dir = path.parent / EVALS_DIR
    evals = None
    if evals_dir.is_dir() and not evals_dir.is_symlink():
        evals = tuple(read_eval_files(_eval_paths(evals_dir, label)))
    return SourceText(label, text, hashlib.sha256(data).hexdigest(), evals, str(path))


def _eval_paths(folder: Path, label: str) -> Iterable[tuple[str, bytes]]:
    """(name, bytes) of each `*.md` in the folder, each checked like the spec, the total
    within the size limit too."""
    root = workspace(folder.parent)  # the repository, else the spec's folder
    left = max_bytes()
    for path in sorted(folder.glob("*.md")):
        data = read_input(path, f"{label}: eval file {path.name}", limit=left, root=root)
        left -= len(data)
        if left < 0:
            raise too_large(f"{label}: eval files", max_bytes())
        yield path.stem, data


def read_eval_files(files: Iterable[tuple[str, bytes]]) -> list[EvalFile]:
    """EvalFile records from (name, bytes) pairs; the section comes from the first line."""
    out = []
    for name, data in files:
        first = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        out.append(
            EvalFile(
                display(name, one_line=True),
                display(eval_section(first), one_line=True),
                hashlib.sha256(data).hexdigest(),
            )
        )
    return out


def eval_section(first_line: str) -> str:
    """The section title in `Examples for [^abcd] in <Section title>:`, or empty."""
    marker = " in "
    if not first_line.lower().startswith("examples for") or marker not in first_line:
        return ""
    return first_line.split(marker, 1)[1].rstrip().rstrip(":").strip()
