"""A fork's remembered upstream: `upstream:` and `base:` in `.specver.yaml`.

`specver fork` and `specver merge` take their sources from the options, else from the
configuration: `upstream:` names upstream's spec (a path, relative to the configuration's
folder, or `REV:PATH` in the fork's repository), the fork is the working tree's spec
(`spec:`, else model_spec.md, beside the configuration), and `base:` is the upstream
release the fork last took. `merge --output` records `base:` each time it writes, conflicts
or not (the resolved commit of a `REV:PATH` upstream as `SHA:PATH`, else the upstream SPEC
as given), and `upstream:` when the configuration names none yet; a git merge base cannot
know this, since taking upstream's text into the fork makes no merge commit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from specver.atomic import update_text, workspace
from specver.config import CONFIG_NAME, DEFAULT_SPEC_PATH, MAX_CONFIG_BYTES, Config, config_with
from specver.errors import UsageError
from specver.spec.sources import is_revision
from specver.spec.sources.git import open_repo, resolve_commit, split_revision


@dataclass(frozen=True, slots=True)
class ForkArguments:
    """The three sources a fork command reads, and where each came from."""

    upstream: str
    fork: str
    base: str | None
    """None: the merge base of upstream and the fork (see `fork.load.fork_sources`)."""
    base_from: str
    """`option` (--base), `config` (`base:` recorded by a merge) or `merge base`."""


def config_folder(config: Config, repo: Path | None) -> Path:
    """The folder relative paths in the configuration start from (where it is, else the
    repository's top folder, else the current folder)."""
    if config.path is not None:
        return config.path.parent
    return workspace(repo)


def _setting_source(value: str, folder: Path) -> str:
    """A spec named in the configuration: `REV:PATH` as it is, a path from its folder."""
    candidate = folder / value
    if candidate.exists() or not is_revision(value, exists=False):
        return str(candidate) if not Path(value).is_absolute() else value
    return value


def fork_arguments(
    upstream: str | None,
    fork: str | None,
    base: str | None,
    config: Config,
    repo: Path | None = None,
) -> ForkArguments:
    """The sources of `specver fork` or `merge`: the options, else the configuration's."""
    folder = config_folder(config, repo)
    if upstream is None:
        if config.upstream is None:
            raise UsageError(
                "no upstream: pass --upstream SPEC, or name it as `upstream:` in "
                f"{config.path or CONFIG_NAME}"
            )
        upstream = _setting_source(config.upstream, folder)
    if fork is None:
        fork = str(folder / (config.spec_path or DEFAULT_SPEC_PATH))
    if base is not None:
        return ForkArguments(upstream, fork, base, "option")
    if config.base is not None:
        return ForkArguments(upstream, fork, _setting_source(config.base, folder), "config")
    return ForkArguments(upstream, fork, None, "merge base")


def resolved_base(upstream: str, repo: Path | None = None) -> str:
    """What `base:` records after a merge: `SHA:PATH` for a `REV:PATH` upstream (the
    commit it resolved to, which a moving branch name would not keep), else the SPEC."""
    if not is_revision(upstream):
        return upstream
    rev, path = split_revision(upstream)
    commit = resolve_commit(open_repo(repo), rev)
    return f"{commit.hexsha}:{path}"


def _as_setting(source: str, folder: Path) -> str:
    """A file path as the configuration holds it: relative to its folder when inside it."""
    if is_revision(source):
        return source
    path = Path(source).absolute()
    try:
        return str(path.relative_to(folder.absolute()))
    except ValueError:
        return os.path.abspath(source)


def remember_merge(config: Config, upstream: str, base: str, repo: Path | None = None) -> Path:
    """Record `base:` (and `upstream:` when none is named yet) in the configuration,
    creating `.specver.yaml` in the repository's top folder when there is none; comments
    and key order are kept. Returns the file written."""
    folder = config_folder(config, repo)
    path = config.path or folder / CONFIG_NAME
    values = {"base": _as_setting(base, folder)}
    if config.upstream is None:
        values = {"upstream": _as_setting(upstream, folder), **values}

    def change(old: bytes | None) -> str:
        text = old.decode("utf-8") if old is not None else None
        return config_with(text, values, str(path))

    update_text(path, change, limit=MAX_CONFIG_BYTES)
    return path
