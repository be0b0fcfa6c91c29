"""An on-disk cache of parsed revisions and of their comparisons, keyed by git blob ids.

Entries live under the repository's git dir (`.git/specver-cache/`), one JSON file each,
written atomically. A key holds the blob id(s), specver's version, a digest of every module
of the package tree (so edited, moved or renamed code never serves old entries) and (for
comparisons) a digest of the settings that shape a diff, so an entry is never reused across
versions, rule changes or configurations. A damaged or unreadable entry is a miss; a
cache that cannot be written is skipped silently: the cache only ever makes a run faster.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType, NoneType, UnionType
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from specver import __version__
from specver.config import Config
from specver.diff.kinds import BY_NAME
from specver.errors import InputError
from specver.spec.model import Change, HeadingLines, PolicyPair, Spec, to_jsonable

CACHE_DIR = "specver-cache"
T = TypeVar("T")


@cache
def code_digest() -> str:
    """A short digest of every Python module in the specver package tree, read once per process.

    Any change to the code (a rule, a parser fix, a module moved or renamed) gives a new
    digest, so no entry stored by other code is ever served.
    """
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(__version__.encode() + b"\0")
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\1unreadable")
    return digest.hexdigest()[:16]


def config_digest(config: Config) -> str:
    """A short digest of the settings that change what a comparison reports."""
    data = {
        "levels": list(config.scheme.levels),
        "aliases": dict(config.scheme.aliases),
        "bump": dict(config.bump_overrides),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


class RevisionCache:
    """Parsed specs and comparisons by blob id, stored under a repository's git dir."""

    def __init__(self, git_dir: Path | None, config: Config) -> None:
        self.folder = Path(git_dir) / CACHE_DIR if git_dir is not None else None
        self.config_key = config_digest(config)
        self.hits = 0
        self.misses = 0

    def _path(self, name: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / f"{name}-v{__version__}-{code_digest()}.json"

    def _read(self, name: str) -> Any:
        path = self._path(name)
        if path is None:
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _write(self, name: str, data: Any) -> None:
        from specver.atomic import write_text_atomic

        path = self._path(name)
        if path is None:
            return
        try:
            path.parent.mkdir(exist_ok=True)
            write_text_atomic(path, json.dumps(data, ensure_ascii=False))
        except (OSError, InputError):
            return

    def spec(self, blob: str) -> Spec | None:
        """The parsed spec of a blob, or None on a miss."""
        data = self._read(f"spec-{blob}")
        spec = _decoded(Spec, data) if isinstance(data, dict) else None
        self._count(spec)
        return spec

    def store_spec(self, blob: str, spec: Spec) -> None:
        """Remember the parsed spec of a blob."""
        self._write(f"spec-{blob}", to_jsonable(spec))

    def comparison(
        self, old_blob: str, new_blob: str
    ) -> tuple[tuple[PolicyPair, ...], tuple[Change, ...], str] | None:
        """The pairs, changes and bump of comparing two blobs, or None on a miss."""
        data = self._read(f"diff-{old_blob}-{new_blob}-{self.config_key}")
        found = None
        if isinstance(data, dict):
            try:
                pairs = tuple(_decoded_strict(PolicyPair, p) for p in data["pairs"])
                changes = tuple(_decoded_change(c) for c in data["changes"])
                found = (pairs, changes, str(data["bump"]))
            except (KeyError, TypeError, ValueError):
                found = None
        self._count(found)
        return found

    def store_comparison(
        self,
        old_blob: str,
        new_blob: str,
        pairs: tuple[PolicyPair, ...],
        changes: tuple[Change, ...],
        bump: str,
    ) -> None:
        """Remember what comparing two blobs found."""
        data = {
            "pairs": to_jsonable(pairs),
            "changes": [
                {
                    "kind": c.kind,
                    "policy": c.policy,
                    "level": c.level,
                    "details": to_jsonable(c.details),
                    "old_lines": c.old_lines,
                    "new_lines": c.new_lines,
                    "heading_line": [c.heading_line.old, c.heading_line.new],
                    "fingerprint": c.fingerprint,
                }
                for c in changes
            ],
            "bump": bump,
        }
        self._write(f"diff-{old_blob}-{new_blob}-{self.config_key}", data)

    def _count(self, found: object) -> None:
        if found is None:
            self.misses += 1
        else:
            self.hits += 1


def frozen(value: Any) -> Any:
    """JSON data made immutable the way the model holds it: tuples and read-only mappings."""
    if isinstance(value, dict):
        return MappingProxyType({str(k): frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


def _decoded_change(data: Any) -> Change:
    """A change back from its stored form: the details rebuilt as its kind's dataclass."""
    details = _decoded_strict(BY_NAME[data["kind"]].details, data["details"])

    def span(value: Any) -> tuple[int, int] | None:
        return (int(value[0]), int(value[1])) if value is not None else None

    old_heading, new_heading = data["heading_line"]
    return Change(
        data["policy"],
        details,
        str(data["level"]),
        old_lines=span(data["old_lines"]),
        new_lines=span(data["new_lines"]),
        heading_line=HeadingLines(old_heading, new_heading),
        fingerprint=str(data["fingerprint"]),
    )


def _decoded(cls: type[T], data: Any) -> T | None:
    try:
        return _decoded_strict(cls, data)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _decoded_strict(cls: type[T], data: Any) -> T:
    """Rebuild a model dataclass from `to_jsonable` output, guided by its type hints."""
    if not isinstance(data, dict):
        raise TypeError(f"expected an object for {cls.__name__}")
    kwargs = {name: _value(hint, data[name]) for name, hint in _init_fields(cls) if name in data}
    return cls(**kwargs)


_FIELDS: dict[type[Any], tuple[tuple[str, Any], ...]] = {}


def _init_fields(cls: type[Any]) -> tuple[tuple[str, Any], ...]:
    """(name, resolved type hint) of a dataclass's init fields, worked out once per class."""
    if cls not in _FIELDS:
        hints = get_type_hints(cls)
        _FIELDS[cls] = tuple((f.name, hints[f.name]) for f in fields(cls) if f.init)
    return _FIELDS[cls]


def _value(hint: Any, value: Any) -> Any:
    origin, args = get_origin(hint), get_args(hint)
    if value is None:
        return None
    if origin in (Union, UnionType):
        inner = [a for a in args if a is not NoneType]
        return _value(inner[0], value)
    if origin is tuple:
        if not isinstance(value, list):
            raise TypeError("expected a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], v) for v in value)
        return tuple(_value(a, v) for a, v in zip(args, value, strict=True))
    if isinstance(hint, type) and is_dataclass(hint):
        return _decoded_strict(hint, value)
    if origin is not None and issubclass(origin, Mapping):
        return frozen(value)
    if hint in (str, int, float, bool) and not isinstance(value, hint):
        raise TypeError(f"expected {hint.__name__}")
    return value
