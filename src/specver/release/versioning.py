"""Next versions of a spec: the bump a diff calls for, and semver or calver version numbers.

Which change kind calls for which bump is data (`diff.kinds.LEVELS`, overridable from
`.specver.yaml`); this module turns that level into a version string in one of two schemes:

- `semver`: MAJOR.MINOR.PATCH through the semver package, keeping a `v` prefix if present;
- `calver`: the release date as the Model Spec writes it (`v2025.09.12`), with a `.N` suffix
  for a second release the same day (`v2025.09.12.1`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from specver.config import BUMP_LEVELS, Config
from specver.diff.compare import diff as compare
from specver.errors import InputError, NothingChanged, UsageError
from specver.spec.model import Change, Spec, SpecDiff
from specver.spec.sources.file import is_revision

if TYPE_CHECKING:
    from semver import Version

SCHEMES = ("semver", "calver")
"""Version schemes specver knows, in order of preference when nothing else decides."""

INITIAL_VERSIONS: Mapping[str, str] = MappingProxyType({"semver": "v0.1.0"})
"""The first version of a scheme when there is no earlier release (calver: the date)."""

_SUFFIX = r"(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?"
"""A pre-release (`-rc.1`) and build (`+build.5`) suffix, both optional."""

CALVER_PATTERN = re.compile(
    r"^(?P<prefix>v?)(?P<y>\d{4})\.(?P<m>\d{2})\.(?P<d>\d{2})(?:\.(?P<n>\d+))?$"
)
"""`v2025.09.12` or `2025.09.12.1`: year, zero-padded month and day, optional serial."""

SEMVER_PATTERN = re.compile(rf"^(?P<prefix>v?)(?P<core>\d+\.\d+\.\d+{_SUFFIX})$")
"""`v1.2.0` or `1.2.0-rc.1`: a semver version with an optional `v` prefix."""

VERSION_IN_TEXT = re.compile(rf"(?<!\d)v?\d+(?:\.\d+)+{_SUFFIX}")
"""A version as headings write it: dotted numbers of either scheme, or a short `1.0`."""

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True, order=True)
class CalVer:
    """A calendar version: release date plus a serial for further releases that day."""

    day: date
    serial: int = 0
    """0 for the first release of the day, 1 for the second (`.1`), and so on."""
    prefix: str = "v"

    def __str__(self) -> str:
        base = f"{self.prefix}{self.day.year:04d}.{self.day.month:02d}.{self.day.day:02d}"
        return f"{base}.{self.serial}" if self.serial else base


@dataclass(frozen=True, slots=True)
class BumpDecision:
    """The next version and why: the level, the changes that decided it, the version string."""

    current: str | None
    """The version being bumped, None for a first release."""
    version: str
    scheme: str
    level: str
    """The semver level the changes amount to (also reported for calver)."""
    deciding: tuple[Change, ...]
    """The changes at `level`, the ones that decided the bump."""
    counts: Mapping[str, int]
    """Number of changes per level (`major`, `minor`, `patch`, `none`)."""


def parse_date(text: str | None, *, option: str = "--date") -> date:
    """A `YYYY-MM-DD` date (today when None); a one-line UsageError otherwise."""
    if text is None:
        return date.today()
    if not DATE_PATTERN.match(text):
        raise UsageError(f"{option} {text!r}: expected a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r}: not a real date") from None


def parse_calver(text: str) -> CalVer | None:
    """The calendar version a string spells, or None when it is not one."""
    found = CALVER_PATTERN.match(text)
    if not found:
        return None
    try:
        day = date(int(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        return None
    return CalVer(day, int(found["n"] or 0), found["prefix"])


def parse_semver(text: str) -> tuple[str, Version] | None:
    """(`v` prefix or empty, semver.Version) for a semver string, None when it is not one."""
    import semver

    found = SEMVER_PATTERN.match(text)
    if not found or parse_calver(text) is not None:
        return None
    try:
        return found["prefix"], semver.Version.parse(found["core"])
    except ValueError:
        return None


def scheme_of(version: str) -> str | None:
    """`calver` or `semver` for a version string, None when it is neither."""
    if parse_calver(version) is not None:
        return "calver"
    if parse_semver(version) is not None:
        return "semver"
    return None


SCHEME_NAMES: Mapping[str, str] = MappingProxyType(
    {"calver": "a calendar version", "semver": "a semantic version"}
)
"""How messages name a version of each scheme."""


def find_version(text: str) -> str | None:
    """The first version written in a text (a changelog heading), None when there is none."""
    found = VERSION_IN_TEXT.search(text)
    return found.group(0) if found else None


def canonical_version(version: str) -> str:
    """A version without its `v` prefix or a `.0` calver serial; other text without `v`."""
    calver = parse_calver(version)
    if calver is not None:
        return str(CalVer(calver.day, calver.serial, ""))
    semantic = parse_semver(version)
    if semantic is not None:
        return str(semantic[1])
    return version.removeprefix("v")


def same_version(a: str, b: str) -> bool:
    """Whether two strings name the same version (`v1.1.0` and `1.1.0` do)."""
    return canonical_version(a) == canonical_version(b)


def version_key(version: str) -> tuple[object, ...]:
    """A key that orders versions of one scheme: calver by date and serial, semver by precedence.

    Raises InputError for a string that is not a version of either scheme.
    """
    calver = parse_calver(version)
    if calver is not None:
        return (calver.day, calver.serial)
    semantic = parse_semver(version)
    if semantic is None:
        check_version(version, "semver")
    assert semantic is not None
    return (semantic[1],)


def require_scheme(scheme: str) -> str:
    """The scheme itself when specver knows it; a one-line UsageError otherwise."""
    if scheme not in SCHEMES:
        raise UsageError(f"unknown version scheme {scheme!r} (choose from {', '.join(SCHEMES)})")
    return scheme


def check_version(version: str, scheme: str, *, option: str = "--current") -> None:
    """Refuse (one line, exit 2) a version that is not valid in the scheme.

    The message says whether the version belongs to the other scheme or to neither.
    """
    require_scheme(scheme)
    actual = scheme_of(version)
    if actual == scheme:
        return
    if actual is None:
        raise InputError(
            f"{option} {version!r}: neither a calendar version (vYYYY.MM.DD[.N]) nor a "
            "semantic version (MAJOR.MINOR.PATCH, e.g. v1.4.0)"
        )
    raise InputError(
        f"{option} {version!r}: {SCHEME_NAMES[actual]}, not {SCHEME_NAMES[scheme]} "
        f"(the scheme is {scheme}; pass --scheme {actual} if that is meant)"
    )


def next_semver(current: str, level: str) -> str:
    """The semver version after `current` for a bump level, keeping its `v` prefix."""
    check_version(current, "semver")
    parsed = parse_semver(current)
    assert parsed is not None
    prefix, version = parsed
    if level == "none":
        return current
    return f"{prefix}{version.next_version(level)}"


def next_calver(current: str | None, day: date, *, prefix: str = "v") -> str:
    """The calendar version released on `day` after `current` (`.N` for the same day)."""
    if current is None:
        return str(CalVer(day, 0, prefix))
    check_version(current, "calver")
    previous = parse_calver(current)
    assert previous is not None
    if day < previous.day:
        raise UsageError(f"release date {day.isoformat()} is before the current release {current}")
    serial = previous.serial + 1 if day == previous.day else 0
    return str(CalVer(day, serial, previous.prefix))


def next_version(current: str | None, level: str, scheme: str, day: date | None = None) -> str:
    """The version after `current` for changes at `level` (a first version when None)."""
    require_scheme(scheme)
    if scheme == "calver":
        return next_calver(current, day or date.today())
    if current is None:
        return INITIAL_VERSIONS["semver"]
    return next_semver(current, level)


def level_counts(changes: tuple[Change, ...]) -> Mapping[str, int]:
    """How many changes call for each bump level, highest first."""
    counts = dict.fromkeys(reversed(BUMP_LEVELS), 0)
    for change in changes:
        counts[change.level] = counts.get(change.level, 0) + 1
    return MappingProxyType(counts)


def decide_bump(
    diff: SpecDiff, current: str | None, scheme: str, day: date | None = None
) -> BumpDecision:
    """The next version a diff calls for, with the changes that decided it.

    Raises NothingChanged (exit 1) when no change calls for a new version.
    """
    if diff.bump == "none":
        if diff.changes:
            raise NothingChanged(
                f"none of the {len(diff.changes)} changes between {diff.old.source} and "
                f"{diff.new.source} calls for a new version (their bump level is `none`)"
            )
        raise NothingChanged(f"{diff.old.source} and {diff.new.source} agree: no new version")
    if current is not None:
        check_version(current, scheme)
    deciding = tuple(c for c in diff.changes if c.level == diff.bump)
    return BumpDecision(
        current=current,
        version=next_version(current, diff.bump, scheme, day),
        scheme=scheme,
        level=diff.bump,
        deciding=deciding,
        counts=level_counts(diff.changes),
    )


def record_version(path: Path, version: str) -> str:
    """The text of a `.specver.yaml` with `version:` set, comments and key order kept.

    The file is read and re-emitted with ruamel.yaml's round-trip mode; an existing
    `version:` key keeps its place, a new one goes last. The caller writes the result.
    """
    from io import StringIO

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = YAML()
    yaml.preserve_quotes = True
    try:
        original = path.read_text(encoding="utf-8")
        data = yaml.load(original)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read configuration: {exc}") from None
    except YAMLError:
        raise InputError(f"{path}: not valid YAML; cannot record the version") from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise InputError(f"{path}: expected a mapping at the top level")
    data["version"] = version
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def bump(
    old: Spec,
    new: Spec,
    current: str | None = None,
    *,
    scheme: str | None = None,
    day: date | None = None,
    config: Config | None = None,
) -> BumpDecision:
    """The version after `current` for two specs' changes; without one, OLD's version tag
    (`v1.2.0:spec.md`), else `version:` in the config.

    The scheme is the one given, else the current version's, else the config's, else semver.
    The decision is frozen and carries the changes that decided it. Raises NothingChanged
    (exit 1) when no change calls for a new version.
    """
    config = config or Config()
    version = current or source_version(old) or config.version
    if version is None:
        raise UsageError(
            "no current version: pass --current VERSION, name OLD as TAG:PATH with a version "
            "tag, or record `version:`"
        )
    chosen = scheme or scheme_of(version) or config.version_scheme or "semver"
    check_version(version, chosen)
    return decide_bump(compare(old, new, config), version, chosen, day)


def source_version(spec: Spec) -> str | None:
    """The version a `REV:PATH` source's revision spells (`v1.2.0:spec.md`, with or without
    `refs/tags/`), None for a file or a revision that is no version (`main:spec.md`)."""
    if not is_revision(spec.source):
        return None
    rev = spec.source.partition(":")[0]
    for prefix in ("refs/tags/", "tags/"):
        rev = rev.removeprefix(prefix)
    return rev if scheme_of(rev) else None


def entry_version(
    version: str | None,
    new: Spec,
    config: Config,
    level: str,
    old: Spec | None = None,
    day: date | None = None,
) -> str:
    """The version an entry describes: the one given, else a version-like revision of NEW
    (`v2.0.0:spec.md`), else OLD's version tag or the config's `version:` bumped by `level`."""
    if version is not None:
        if not version.strip() or not version.isprintable():
            raise UsageError(
                f"--version {version!r}: a version is one line of printable text, not blank"
            )
        # Validated against the scheme: the version lands in a Markdown heading as it is.
        scheme = config.version_scheme or scheme_of(version) or "semver"
        check_version(version, scheme, option="--version")
        return version
    tagged = source_version(new)
    if tagged is not None:
        return tagged
    current = (source_version(old) if old is not None else None) or config.version
    if current and level != "none":
        scheme = config.version_scheme or scheme_of(current) or "semver"
        return next_version(current, level, scheme, day)
    raise UsageError("pass --version V: the version this changelog entry describes")
