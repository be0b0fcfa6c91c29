"""Loading a spec: a source read (`spec.sources`) and parsed (`spec.parse`) into a `Spec`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from specver.errors import InputError
from specver.spec.model import Spec
from specver.spec.parse import parse
from specver.spec.sources import SourceText, read_source


def load(arg: str, *, repo: Path | None = None) -> Spec:
    """Read and parse a spec named by a file path or by `REV:PATH` in a git repository."""
    return parse_source(read_source(arg, repo=repo))


def parse_source(source: SourceText) -> Spec:
    """Parse a spec already read, naming its source in any error."""
    try:
        spec = parse(source.text, source=source.label, sha256=source.sha256, evals=source.evals)
    except InputError as exc:
        raise InputError(f"{source.label}: {exc.message}") from None
    return replace(spec, path=source.path) if source.path else spec


def require_resolved(spec: Spec) -> Spec:
    """The spec itself, or `InputError` naming the first merge conflict marker left in it
    (a diff of a half-merged file would report the markers as changes)."""
    for note in spec.diagnostics:
        if note.code == "conflict_marker":
            count = sum(d.code == "conflict_marker" for d in spec.diagnostics)
            more = f" ({count} marker lines; `specver check` lists them)" if count > 1 else ""
            raise InputError(
                f"{spec.source}: line {note.line}: unresolved merge conflict marker; "
                f"resolve the conflict first{more}"
            )
    return spec


def parse_text(text: str, source: str = "<string>") -> Spec:
    """Parse spec text held in memory."""
    return parse(text, source=source)
