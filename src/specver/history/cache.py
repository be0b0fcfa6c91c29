"""The history cache: small records that let a later walk skip parsing and comparing.

One file, `.git/specver-cache/history-v<version>-<code>-<config>.json`, holds two kinds of
record, both keyed by git blob ids: the *outline* of a revision (its policies' ids and
titles, and how many carry an authority level; lists shared by many revisions are stored
once) and the *step* between two revisions (the pairs that differ from pairing by id, the
changes and the bump). Parsed revisions are never stored: a record is a few hundred bytes.

The name carries specver's version, a digest of every module of the package (edited,
moved or renamed code never serves old records) and a digest of the settings that shape a
comparison; the file repeats them inside. Anything else is ignored and rebuilt, never an
error and never a wrong answer: a file that is damaged, truncated, unreadable or of
another format or version; a record of the wrong shape; a `specver-cache` that is a file
(then nothing is read or written). Files of other versions and of the older one-file-per-
revision layout are removed when the cache is written.

The file is bounded: when it would pass `MAX_BYTES` (8 MiB, about 1.5 million commits'
worth of one-paragraph edits), only the records the current walk used are kept; when even
those pass it, nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType, NoneType, UnionType
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from specver import __version__
from specver.atomic import write_text_atomic
from specver.config import BUMP_LEVELS, Config
from specver.diff.kinds import BY_NAME
from specver.errors import InputError
from specver.spec.model import Change, HeadingLines, PolicyPair, to_jsonable

CACHE_DIR = "specver-cache"
T = TypeVar("T")
FORMAT = "specver.history-cache/2"
MAX_BYTES = 8 << 20
"""The most the cache file may hold; see the module docstring."""
OWN_FILES = re.compile(r"^(?:history|spec|diff)-.*\.json$")
"""Names this cache writes (or an older specver wrote): the only files it ever removes."""


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


Outline = tuple[tuple[str, ...], tuple[str, ...], int]
"""(ids, titles, policies with an authority level) of one revision, as the cache holds it."""
StepRecord = tuple[tuple[PolicyPair, ...], tuple[Change, ...], str]
"""(pairs, changes, bump) of one comparison."""


class HistoryCache:
    """Outlines and steps by blob id, read once from and written once to the cache file."""

    def __init__(self, git_dir: Path | None, config: Config) -> None:
        self.folder = Path(git_dir) / CACHE_DIR if git_dir is not None else None
        self.config_key = config_digest(config)
        self.hits = 0
        self.misses = 0
        self._outlines: dict[str, Any] = {}
        self._lists: dict[str, Any] = {}
        self._steps: dict[str, Any] = {}
        self._used_outlines: set[str] = set()
        self._used_steps: set[str] = set()
        self._dirty = False
        self._loaded = False

    @property
    def path(self) -> Path | None:
        """The cache file, None when caching is off."""
        if self.folder is None:
            return None
        return self.folder / f"history-v{__version__}-{code_digest()}-{self.config_key}.json"

    def _header(self) -> dict[str, str]:
        return {
            "format": FORMAT,
            "specver": __version__,
            "code": code_digest(),
            "config": self.config_key,
        }

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        path = self.path
        if path is None or not self.folder or not self.folder.is_dir():
            return
        try:
            data = json.loads(path.read_bytes())
        except Exception:  # unreadable, not JSON, nested too deep: a miss, never a crash
            return
        if not isinstance(data, dict) or data.get("header") != self._header():
            return
        parts = [data.get(k) for k in ("outlines", "lists", "steps")]
        if all(isinstance(part, dict) for part in parts):
            self._outlines, self._lists, self._steps = parts  # type: ignore[assignment]

    # --- outlines -----------------------------------------------------------------------

    def outline(self, blob: str) -> Outline | None:
        """The outline of a blob, or None on a miss."""
        self._load()
        found = _decoded_outline(self._outlines.get(blob), self._lists)
        self._count(found)
        if found is not None:
            self._used_outlines.add(blob)
        return found

    def store_outline(self, blob: str, outline: Outline) -> None:
        """Remember the outline of a blob."""
        if self.folder is None:
            return
        ids, titles, policies = outline
        listed = json.dumps([ids, titles], ensure_ascii=False)
        key = hashlib.blake2b(listed.encode(), digest_size=12).hexdigest()
        self._lists[key] = [list(ids), list(titles)]
        self._outlines[blob] = [key, policies]
        self._used_outlines.add(blob)
        self._dirty = True

    # --- steps --------------------------------------------------------------------------

    def step(self, old_blob: str, new_blob: str, old: Outline, new: Outline) -> StepRecord | None:
        """What comparing two blobs found, or None on a miss (or a record that does not
        fit the two outlines)."""
        self._load()
        name = f"{old_blob}-{new_blob}"
        found = _decoded_step(self._steps.get(name), old, new)
        self._count(found)
        if found is not None:
            self._used_steps.add(name)
        return found

    def store_step(
        self, old_blob: str, new_blob: str, old: Outline, new: Outline, record: StepRecord
    ) -> None:
        """Remember what comparing two blobs found."""
        if self.folder is None:
            return
        pairs, changes, bump = record
        default = _default_pairs(old, new)
        prefixed = pairs[: len(default)] == default
        extra = pairs[len(default) :] if prefixed else pairs
        name = f"{old_blob}-{new_blob}"
        self._steps[name] = {
            "by_id": prefixed,
            "pairs": [[p.old, p.new, p.how, p.similarity] for p in extra],
            "changes": [change_record(c) for c in changes],
            "bump": bump,
        }
        self._used_steps.add(name)
        self._dirty = True

    # --- writing ------------------------------------------------------------------------

    def save(self) -> None:
        """Write the records if any were added (pruned to fit `MAX_BYTES`); never raises."""
        path = self.path
        if path is None or not self._dirty or self.folder is None:
            return
        if self.folder.exists() and not self.folder.is_dir():
            return
        text = self._serialized(everything=True)
        if len(text.encode()) > MAX_BYTES:
            text = self._serialized(everything=False)
            if len(text.encode()) > MAX_BYTES:
                return
        try:
            self.folder.mkdir(exist_ok=True)
            write_text_atomic(path, text)
        except (OSError, InputError):
            return
        self._dirty = False
        self._remove_stale(path.name)

    def _serialized(self, *, everything: bool) -> str:
        outlines = self._outlines
        steps = self._steps
        if not everything:
            outlines = {k: v for k, v in outlines.items() if k in self._used_outlines}
            steps = {k: v for k, v in steps.items() if k in self._used_steps}
        used_lists = {v[0] for v in outlines.values() if isinstance(v, list) and v}
        lists = {k: v for k, v in self._lists.items() if k in used_lists}
        data = {"header": self._header(), "outlines": outlines, "lists": lists, "steps": steps}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def _remove_stale(self, keep: str) -> None:
        """Remove the files other versions, settings or layouts of this cache wrote."""
        assert self.folder is not None
        try:
            names = [p for p in self.folder.iterdir() if p.name != keep]
        except OSError:
            return
        for stale in names:
            if OWN_FILES.match(stale.name) and stale.is_file():
                try:
                    stale.unlink()
                except OSError:
                    continue

    def _count(self, found: object) -> None:
        if found is None:
            self.misses += 1
        else:
            self.hits += 1


def _default_pairs(old: Outline, new: Outline) -> tuple[PolicyPair, ...]:
    """The pairs by id that matching starts with: every old id the new version still has."""
    present = set(new[0])
    return tuple(PolicyPair(i, i, "id", 1.0) for i in old[0] if i in present)


def _decoded_outline(data: Any, lists: dict[str, Any]) -> Outline | None:
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], str)):
        return None
    listed = lists.get(data[0])
    policies = data[1]
    if not (isinstance(listed, list) and len(listed) == 2 and type(policies) is int):
        return None
    ids, titles = listed
    if not (isinstance(ids, list) and isinstance(titles, list) and len(ids) == len(titles)):
        return None
    if not all(isinstance(x, str) for x in (*ids, *titles)):
        return None
    return tuple(ids), tuple(titles), policies


def _decoded_step(data: Any, old: Outline, new: Outline) -> StepRecord | None:
    if not isinstance(data, dict):
        return None
    try:
        extra = tuple(_pair(p) for p in data["pairs"])
        pairs = (*_default_pairs(old, new), *extra) if data["by_id"] is True else extra
        changes = tuple(change_from_record(c) for c in data["changes"])
        bump = data["bump"]
    except Exception:  # a record of any wrong shape is a miss, never a crash
        return None
    old_ids, new_ids = set(old[0]), set(new[0])
    if not isinstance(bump, str) or bump not in BUMP_LEVELS:
        return None
    if any(p.old not in old_ids or p.new not in new_ids for p in pairs):
        return None
    return pairs, changes, bump


def _pair(data: Any) -> PolicyPair:
    old, new, how, similarity = data
    if not (isinstance(old, str) and isinstance(new, str) and isinstance(how, str)):
        raise TypeError("a pair is [old, new, how, similarity]")
    if type(similarity) not in (int, float):
        raise TypeError("a similarity is a number")
    return PolicyPair(old, new, how, float(similarity))


def change_record(change: Change) -> list[Any]:
    """A change as the cache stores it: [kind, policy, level, details, where], `where` being
    [old_lines, new_lines, [old heading, new heading], fingerprint]."""
    where = [
        list(change.old_lines) if change.old_lines else None,
        list(change.new_lines) if change.new_lines else None,
        [change.heading_line.old, change.heading_line.new],
        change.fingerprint,
    ]
    return [change.kind, change.policy, change.level, to_jsonable(change.details), where]


def change_from_record(data: Any) -> Change:
    """The change `change_record` stored, its details rebuilt as its kind's dataclass;
    TypeError, ValueError or KeyError when it is not one."""
    kind, policy, level, details, where = data
    if not (isinstance(kind, str) and isinstance(level, str) and isinstance(details, dict)):
        raise TypeError("a change is [kind, policy, level, details, where]")
    if level not in BUMP_LEVELS:
        raise ValueError("a change's level is a bump level")
    if policy is not None and not isinstance(policy, str):
        raise TypeError("a change's policy is a string or null")
    old_lines, new_lines, (old_heading, new_heading), fingerprint = where
    return Change(
        policy,
        _decoded_strict(BY_NAME[kind].details, details),
        level,
        old_lines=_span(old_lines),
        new_lines=_span(new_lines),
        heading_line=HeadingLines(_line(old_heading), _line(new_heading)),
        fingerprint=str(fingerprint),
    )


def _line(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("a line number is an integer or null")
    return value


def _span(value: Any) -> tuple[int, int] | None:
    if value is None:
        return None
    first, last = value
    start, end = _line(first), _line(last)
    if start is None or end is None:
        raise TypeError("a line range is two integers")
    return start, end


def frozen(value: Any) -> Any:
    """JSON data made immutable the way the model holds it: tuples and read-only mappings."""
    if isinstance(value, dict):
        return MappingProxyType({str(k): frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(frozen(v) for v in value)
    return value


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
    """`value` as the type `hint` names, or TypeError: a field's exact type is checked (no
    None where the field is not optional, no bool for an int, an object for a mapping)."""
    origin, args = get_origin(hint), get_args(hint)
    if value is None:
        if hint is Any or (origin in (Union, UnionType) and NoneType in args):
            return None
        raise TypeError("unexpected null")
    if origin in (Union, UnionType):
        return _value(next(a for a in args if a is not NoneType), value)
    if origin is tuple:
        return _tuple(args, value)
    if isinstance(hint, type) and is_dataclass(hint):
        return _decoded_strict(hint, value)
    if origin is not None and issubclass(origin, Mapping):
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise TypeError("expected an object")
        return frozen(value)
    return _scalar(hint, value)


def _tuple(args: tuple[Any, ...], value: Any) -> tuple[Any, ...]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(_value(args[0], v) for v in value)
    return tuple(_value(a, v) for a, v in zip(args, value, strict=True))


def _scalar(hint: Any, value: Any) -> Any:
    if hint is float and type(value) in (int, float):
        return float(value)
    if hint in (str, int, float, bool) and type(value) is not hint:
        raise TypeError(f"expected {hint.__name__}")
    return value
