"""Project configuration (`.specver.yaml`) and the authority scheme it may declare."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from specver.atomic import read_input
from specver.errors import ConfigError, InputError

CONFIG_NAME = ".specver.yaml"
DEFAULT_SPEC_PATH = "model_spec.md"
"""The spec's path in a repository when neither an option nor `spec:` in the config names it."""
DEFAULT_LEVELS = ("root", "system", "developer", "user", "guideline")
DEFAULT_ALIASES: Mapping[str, str] = MappingProxyType({"platform": "root"})
DEFAULT_PARTIES = ("system", "developer", "user")
"""Levels that are also parties giving instructions (system messages, developers, users)."""
BUMP_LEVELS = ("none", "patch", "minor", "major")


@dataclass(frozen=True, slots=True)
class AuthorityScheme:
    """Ordered authority levels, highest first, with former names (aliases) of levels."""

    levels: tuple[str, ...] = DEFAULT_LEVELS
    aliases: Mapping[str, str] = field(default_factory=lambda: DEFAULT_ALIASES)
    """Former or alternative name -> current level name."""
    parties: tuple[str, ...] | None = None
    """Levels whose names are parties that send instructions, highest first; None: the
    levels among `system`, `developer`, `user`, or every level but the top if none is."""

    @property
    def instructing_parties(self) -> tuple[str, ...]:
        """The levels that are parties sending instructions, in the scheme's order."""
        if self.parties is not None:
            return tuple(lv for lv in self.levels if lv in self.parties)
        known = tuple(lv for lv in self.levels if lv in DEFAULT_PARTIES)
        return known or self.levels[1:]

    def canonical(self, level: str | None) -> str | None:
        """The current name of a level (aliases resolved), or the level itself when unknown."""
        if level is None:
            return None
        return self.aliases.get(level, level)

    def is_known(self, level: str) -> bool:
        """Whether the level or one of its aliases is part of the scheme."""
        return self.canonical(level) in self.levels

    def rank(self, level: str | None) -> int | None:
        """0 for the highest level, larger for lower ones; None when unknown or absent."""
        name = self.canonical(level)
        if name is None or name not in self.levels:
            return None
        return self.levels.index(name)

    def overriders(self, level: str | None) -> tuple[str, ...]:
        """Parties whose instructions may override a policy at this level, highest first.

        A policy at level L can be overridden by instructions from the parties at level L or
        above; the top level is the spec itself, not a party, so nobody overrides it. A level
        that is not a party (`guideline`) is overridden by every party ranked above it.
        """
        rank = self.rank(level)
        if rank is None:
            return ()
        return tuple(p for p in self.instructing_parties if self.levels.index(p) <= rank)

    def implicitly_overridable(self, level: str | None) -> bool:
        """Whether instructions may override a policy at this level implicitly, from context.

        True for levels ranked below every party (`guideline`): those hold defaults that an
        instruction overrides even without saying so.
        """
        rank = self.rank(level)
        parties = self.instructing_parties
        if rank is None or not parties:
            return False
        return rank > max(self.levels.index(p) for p in parties)

    def former_name_of(self, old: str, new: str) -> bool:
        """Whether the scheme declares `old` a former name of `new`."""
        return self.aliases.get(old) == new


@dataclass(frozen=True, slots=True)
class AcceptEntry:
    """One entry of an accept list: which changes it accepts, why, and until when."""

    reason: str
    """Why the change is accepted; required, and never blank."""
    fingerprint: str | None = None
    """The fingerprint of the one change it accepts."""
    kind: str | None = None
    """A change kind it accepts (with `policy`), instead of or besides a fingerprint."""
    policy: str = "*"
    """A glob over policy ids (fnmatch), read with `kind`."""
    expires: date | None = None
    """The last day the entry holds; after it, the entry is ignored with a warning."""
    where: str = ""
    """Where it was written, for messages: `accept.yaml, entry 3`."""

    @property
    def label(self) -> str:
        """The entry as a message names it: its place and what it matches."""
        what = f"fingerprint {self.fingerprint}" if self.fingerprint else ""
        if self.kind:
            what = f"{what}, " if what else what
            what += f"kind {self.kind}, policy {self.policy}"
        return f"{self.where} ({what})"


@dataclass(frozen=True, slots=True)
class NormativeSettings:
    """The `normative:` section: words a spec in another vocabulary uses for its rules.

    Checked for shape here; `specver.diff.normative.vocabulary_for` checks the names
    (modalities, polarities, rule ids) against its tables.
    """

    modalities: tuple[tuple[str, int, bool], ...] = ()
    """(name, rank, binding) steps added to the modality scale."""
    modal_words: tuple[tuple[str, str, str, bool], ...] = ()
    """(phrase, modality, polarity, only after a party) entries added to the modal words."""
    clause_markers: tuple[tuple[str, str], ...] = ()
    """(phrase, `exception` or `condition`) markers added."""
    qualifiers: tuple[str, ...] = ()
    """Limiting qualifiers added ("verifiably")."""
    parties: tuple[tuple[str, str], ...] = ()
    """(word, party) pairs added ("claude" → "assistant")."""
    effects: tuple[tuple[str, str], ...] = ()
    """(effect rule id, effect) overrides."""

    @property
    def is_empty(self) -> bool:
        """True when the section adds nothing."""
        return not (
            self.modalities
            or self.modal_words
            or self.clause_markers
            or self.qualifiers
            or self.parties
            or self.effects
        )


@dataclass(frozen=True, slots=True)
class Config:
    """Settings from `.specver.yaml`; defaults when there is no file."""

    scheme: AuthorityScheme = field(default_factory=AuthorityScheme)
    spec_path: str | None = None
    """Path of the spec inside the repository, for git commands."""
    bump_overrides: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Change kind -> bump level, overriding the built-in table."""
    path: Path | None = None
    """Where the configuration was read from."""
    version: str | None = None
    """The last released version (`version:`), recorded by `specver release`."""
    version_scheme: str | None = None
    """`semver` or `calver` (`scheme:`), for `specver bump` and `specver release`."""
    accept: tuple[AcceptEntry, ...] = ()
    """Accepted changes listed in the configuration itself (`accept:` as a list)."""
    accept_file: Path | None = None
    """The accept file the configuration names (`accept:` as a path, relative to it)."""
    normative: NormativeSettings = field(default_factory=NormativeSettings)
    """Extra words for reading rules (`normative:`), see docs/normative.md."""
    upstream: str | None = None
    """The fork's upstream spec (`upstream:`): a path (relative to the configuration's
    folder) or `REV:PATH` in the fork's repository, for `specver fork` and `merge`."""
    base: str | None = None
    """The upstream release the fork last took (`base:`), recorded by `specver merge
    --output`: the resolved commit as `SHA:PATH`, or the upstream SPEC as given."""
    summary_folder: Path | None = None
    """The folder of hand-written changelog summary fragments (`changelog: summary:`),
    relative to the configuration's folder."""


MAX_CONFIG_BYTES = 1024 * 1024
"""The largest `.specver.yaml` specver reads (a real one is a few hundred bytes)."""


def find_config(start: Path) -> Path | None:
    """The nearest `.specver.yaml` from `start` up to the root of the git repository holding
    it; outside a repository, only `start` itself counts (a file planted in a shared parent
    folder such as /tmp is never read)."""
    start = start.resolve()
    chain = (start, *start.parents)
    root = next((d for d in chain if (d / ".git").exists()), None)
    folders = chain[: chain.index(root) + 1] if root is not None else (start,)
    for directory in folders:
        candidate = directory / CONFIG_NAME
        if candidate.is_file() or candidate.is_symlink():
            return candidate
    return None


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read a configuration file (or discover one from `start`); defaults when none exists.

    The file must be a regular file (a symlink only into the workspace) of at most
    MAX_CONFIG_BYTES, counted as it is read.
    """
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Config()
    try:
        data = read_input(
            path, str(path), limit=MAX_CONFIG_BYTES, hint="a configuration is a few lines"
        )
    except InputError as exc:
        raise ConfigError(f"configuration {exc.message}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"not valid UTF-8 ({exc.reason})"
        raise ConfigError(f"{path}: cannot read configuration: {reason}") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path | None = None) -> Config:
    """Build a Config from the YAML text of a `.specver.yaml`."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    where = str(path) if path else CONFIG_NAME
    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        at = f" (line {line + 1})" if line is not None else ""
        raise ConfigError(f"{where}: not valid YAML{at}") from None
    except Exception as exc:  # values ruamel cannot construct: 2025-02-30, !!int 0xZZ, ...
        raise ConfigError(f"{where}: a value YAML cannot read ({type(exc).__name__})") from None
    if data is None:
        return Config(path=path)
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping at the top level")
    return Config(
        scheme=_scheme(data.get("authority"), where),
        spec_path=_optional_str(data.get("spec"), "spec", where),
        bump_overrides=MappingProxyType(_bump(data.get("bump"), where)),
        path=path,
        version=_optional_str(data.get("version"), "version", where),
        version_scheme=_version_scheme(data.get("scheme"), where),
        **_accept_setting(data.get("accept"), path, where),
        normative=_normative(data.get("normative"), where),
        upstream=_source_setting(data.get("upstream"), "upstream", where),
        base=_source_setting(data.get("base"), "base", where),
        summary_folder=_summary_folder(data.get("changelog"), path, where),
    )


def _source_setting(value: Any, key: str, where: str) -> str | None:
    """`upstream:` or `base:`: one line naming a spec (a path or `REV:PATH`)."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise ConfigError(f"{where}: `{key}` must name a spec: a path or REV:PATH")
    return value.strip()


def config_with(old: str | None, values: Mapping[str, str], where: str) -> str:
    """The text of a `.specver.yaml` with some top-level keys set, comments and key order
    kept (ruamel.yaml's round trip): an existing key keeps its place, a new one goes last."""
    from io import StringIO

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = YAML()
    yaml.preserve_quotes = True
    try:
        data = yaml.load(old) if old else None
    except YAMLError:
        raise ConfigError(f"{where}: not valid YAML; cannot record settings in it") from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise ConfigError(f"{where}: expected a mapping at the top level")
    for key, value in values.items():
        data[key] = value
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()


CHANGELOG_KEYS = frozenset({"summary"})
"""Keys of the `changelog:` section."""


def _summary_folder(value: Any, path: Path | None, where: str) -> Path | None:
    """`changelog: summary: FOLDER`, the summary fragments' folder beside the configuration."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `changelog` must be a mapping (`summary: FOLDER`)")
    unknown = sorted(str(k) for k in value if k not in CHANGELOG_KEYS)
    if unknown:
        raise ConfigError(f"{where}: changelog: unknown key `{unknown[0]}` (expected summary)")
    folder = value.get("summary")
    if folder is None:
        return None
    if not isinstance(folder, str) or not folder.strip():
        raise ConfigError(f"{where}: changelog.summary must be the path of a folder")
    base = path.parent if path is not None else Path.cwd()
    return base / folder


def _accept_setting(value: Any, path: Path | None, where: str) -> dict[str, Any]:
    """`accept:` in the configuration: a list of entries, or the path of an accept file."""
    if value is None:
        return {}
    if isinstance(value, str) and value.strip():
        base = path.parent if path is not None else Path.cwd()
        return {"accept_file": base / value}
    if isinstance(value, list):
        return {"accept": check_accept_entries(value, where)}
    raise ConfigError(f"{where}: `accept` must be a list of entries or the path of an accept file")


def accept_entries(
    config: Config | None = None,
    accept_file: Path | None = None,
    *,
    allow_blank_reasons: bool = False,
) -> tuple[AcceptEntry, ...]:
    """The accept entries in force: `accept_file` when given, else the config's `accept:`."""
    config = config or Config()
    path = accept_file or config.accept_file
    if path is not None:
        return load_accept_file(path, allow_blank_reasons=allow_blank_reasons)
    return config.accept


def load_accept_file(path: Path, *, allow_blank_reasons: bool = False) -> tuple[AcceptEntry, ...]:
    """The entries of an accept file: YAML with a list under `accept:` (or the list alone)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ConfigError(f"{path}: cannot read the accept file: {reason}") from None
    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        at = f" (line {line + 1})" if line is not None else ""
        raise ConfigError(f"{path}: not valid YAML{at}") from None
    if isinstance(data, dict) and set(data) <= {"accept"}:
        data = data.get("accept") or []
    if data is None:
        data = []
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of entries under `accept:`")
    return check_accept_entries(data, str(path), allow_blank_reasons=allow_blank_reasons)


ACCEPT_KEYS = frozenset({"fingerprint", "kind", "policy", "reason", "expires"})


def check_accept_entries(
    items: list[Any], where: str, *, allow_blank_reasons: bool = False
) -> tuple[AcceptEntry, ...]:
    """Check and freeze a list of accept entries; a blank reason is refused, naming the entry."""
    return tuple(
        _accept_entry(item, f"{where}, entry {n}", allow_blank_reasons)
        for n, item in enumerate(items, 1)
    )


def _accept_entry(item: Any, where: str, allow_blank: bool) -> AcceptEntry:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected a mapping with `fingerprint` or `kind`, and `reason`")
    unknown = sorted(str(k) for k in item if k not in ACCEPT_KEYS)
    if unknown:
        expected = ", ".join(sorted(ACCEPT_KEYS))
        raise ConfigError(f"{where}: unknown key `{unknown[0]}` (expected {expected})")
    fingerprint, kind, policy = (item.get(k) for k in ("fingerprint", "kind", "policy"))
    if isinstance(fingerprint, int) and not isinstance(fingerprint, bool) and fingerprint >= 0:
        fingerprint = f"{fingerprint:012d}"  # all digits, read by YAML as a number
    for key, value in (("fingerprint", fingerprint), ("kind", kind), ("policy", policy)):
        if value is not None and not (isinstance(value, str) and value.strip()):
            raise ConfigError(f"{where}: `{key}` must be a non-empty string (quote it)")
    if fingerprint is None and kind is None:
        raise ConfigError(f"{where}: needs a `fingerprint`, or a `kind` (and a `policy` glob)")
    if policy is not None and kind is None:
        raise ConfigError(f"{where}: `policy` is read with `kind`; add the change kind")
    entry = AcceptEntry(
        reason="",
        fingerprint=fingerprint.strip().lower() if fingerprint else None,
        kind=kind.strip() if kind else None,
        policy=policy.strip() if policy else "*",
        expires=_expires(item.get("expires"), where),
        where=where,
    )
    reason = item.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise ConfigError(f"{entry.label}: `reason` must be text")
    if not (reason or "").strip() and not allow_blank:
        raise ConfigError(f"{entry.label}: `reason` is empty; say why the change is accepted")
    return replace(entry, reason=(reason or "").strip())


def _expires(value: Any, where: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{where}: `expires` must be a day as YYYY-MM-DD")


def _version_scheme(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if value in ("semver", "calver"):
        return str(value)
    raise ConfigError(f"{where}: `scheme` must be semver or calver")


def _optional_str(value: Any, key: str, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise ConfigError(f"{where}: `{key}` must be a string")


def _scheme(data: Any, where: str) -> AuthorityScheme:
    if data is None:
        return AuthorityScheme()
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: `authority` must be a mapping with `levels` and `aliases`")
    levels = data.get("levels", list(DEFAULT_LEVELS))
    if not (isinstance(levels, list) and levels and all(isinstance(x, str) for x in levels)):
        raise ConfigError(f"{where}: `authority.levels` must be a non-empty list of names")
    if len(set(levels)) != len(levels):
        raise ConfigError(f"{where}: `authority.levels` lists a level twice")
    aliases = data.get("aliases", dict(DEFAULT_ALIASES) if "levels" not in data else {})
    if not isinstance(aliases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()
    ):
        raise ConfigError(f"{where}: `authority.aliases` must map old names to level names")
    for old, new in aliases.items():
        if new not in levels:
            raise ConfigError(f"{where}: alias `{old}` names unknown level `{new}`")
    parties = data.get("parties")
    if parties is not None and not (
        isinstance(parties, list) and all(isinstance(x, str) and x in levels for x in parties)
    ):
        raise ConfigError(f"{where}: `authority.parties` must list some of the levels")
    return AuthorityScheme(
        tuple(levels),
        MappingProxyType(dict(aliases)),
        tuple(parties) if parties is not None else None,
    )


def _bump(data: Any, where: str) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: `bump` must map change kinds to levels")
    out: dict[str, str] = {}
    for kind, level in data.items():
        if not isinstance(kind, str):
            raise ConfigError(f"{where}: `bump` keys must be change kinds (names)")
        if not isinstance(level, str) or level not in BUMP_LEVELS:
            raise ConfigError(
                f"{where}: bump level for `{kind}` must be one of {', '.join(BUMP_LEVELS)}"
            )
        out[str(kind)] = str(level)
    return out


def _normative(data: Any, where: str) -> NormativeSettings:
    """The `normative:` section, checked for shape (see `NormativeSettings`)."""
    if data is None:
        return NormativeSettings()
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: `normative` must be a mapping")
    unknown = set(data) - {
        "modalities",
        "words",
        "exceptions",
        "conditions",
        "qualifiers",
        "parties",
        "effects",
    }
    if unknown:
        raise ConfigError(f"{where}: `normative` has unknown keys: {', '.join(sorted(unknown))}")
    modalities = tuple(
        (
            _text_field(m, "name", f"{where}: `normative.modalities`"),
            _int_field(m, "rank", f"{where}: `normative.modalities`"),
            bool(m.get("binding", True)),
        )
        for m in _list_of_maps(data.get("modalities"), f"{where}: `normative.modalities`")
    )
    words = tuple(
        (
            _text_field(w, "phrase", f"{where}: `normative.words`"),
            _text_field(w, "modality", f"{where}: `normative.words`"),
            _text_field(w, "polarity", f"{where}: `normative.words`"),
            bool(w.get("after_party", False)),
        )
        for w in _list_of_maps(data.get("words"), f"{where}: `normative.words`")
    )
    markers = tuple(
        (phrase, kind)
        for kind, key in (("exception", "exceptions"), ("condition", "conditions"))
        for phrase in _strings(data.get(key), f"{where}: `normative.{key}`")
    )
    return NormativeSettings(
        modalities=modalities,
        modal_words=words,
        clause_markers=markers,
        qualifiers=_strings(data.get("qualifiers"), f"{where}: `normative.qualifiers`"),
        parties=_string_map(data.get("parties"), f"{where}: `normative.parties`"),
        effects=_string_map(data.get("effects"), f"{where}: `normative.effects`"),
    )


def _list_of_maps(value: Any, what: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{what} must be a list of mappings")
    return value


def _text_field(entry: dict[str, Any], key: str, what: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{what}: every entry needs a `{key}` string")
    return " ".join(value.split())


def _int_field(entry: dict[str, Any], key: str, what: str) -> int:
    value = entry.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{what}: every entry needs an integer `{key}`")
    return value


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{what} must be a list of words")
    return tuple(" ".join(v.split()) for v in value)


def _string_map(value: Any, what: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ConfigError(f"{what} must map words to words")
    return tuple((str(k), str(v)) for k, v in value.items())
