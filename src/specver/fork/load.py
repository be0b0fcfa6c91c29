"""A fork's three sources read and compared: the entry points of `specver fork` and `merge`.

Base, upstream and fork are read through `spec.sources` (the base defaults to the merge
base of two `REV:PATH` sources), parsed, and handed to the pure `fork.compare`.
"""

from __future__ import annotations

from pathlib import Path

from specver.config import Config
from specver.fork.compare import ForkReport, MergeResult, compare_fork, merge_fork
from specver.spec.load import parse_source
from specver.spec.sources import SourceText, read_source
from specver.spec.sources.git import merge_base_source


def fork_sources(
    upstream: str, fork: str, base: str | None = None, *, repo: Path | None = None
) -> tuple[SourceText, SourceText, SourceText]:
    """Read base, upstream and fork (the base is the merge base when it is not given)."""
    up, fk = read_source(upstream, repo=repo), read_source(fork, repo=repo)
    bs = read_source(base, repo=repo) if base else merge_base_source(upstream, fork, repo)
    return bs, up, fk


def fork_report(
    upstream: str,
    fork: str,
    base: str | None = None,
    *,
    repo: Path | None = None,
    config: Config | None = None,
) -> ForkReport:
    """Three-way comparison of a fork with its upstream, against their common base."""
    bs, up, fk = fork_sources(upstream, fork, base, repo=repo)
    return compare_fork(parse_source(bs), parse_source(up), parse_source(fk), config)


def merge(
    upstream: str,
    fork: str,
    base: str | None = None,
    *,
    repo: Path | None = None,
    config: Config | None = None,
) -> MergeResult:
    """The fork with upstream's clean changes applied and conflicts between markers."""
    bs, up, fk = fork_sources(upstream, fork, base, repo=repo)
    report = compare_fork(parse_source(bs), parse_source(up), parse_source(fk), config)
    return merge_fork(report, up.text, fk.text)
