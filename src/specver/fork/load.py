"""A fork's three sources read and compared: the entry points of `specver fork` and `merge`.

Base, upstream and fork are read through `spec.sources` (the base defaults to the merge
base of two `REV:PATH` sources, or of a `REV:PATH` upstream and HEAD when the fork is the
working tree's file), parsed, refused when one still holds conflict markers, and handed
to the pure `fork.compare`.
"""

from __future__ import annotations

from pathlib import Path

from specver.config import Config
from specver.fork.compare import ForkReport, MergeResult, compare_fork, merge_fork
from specver.spec.load import parse_source, require_resolved
from specver.spec.model import Spec
from specver.spec.sources import SourceText, is_revision, read_source
from specver.spec.sources.git import merge_base_source, split_revision


def fork_sources(
    upstream: str, fork: str, base: str | None = None, *, repo: Path | None = None
) -> tuple[SourceText, SourceText, SourceText]:
    """Read base, upstream and fork (the base is the merge base when it is not given)."""
    up, fk = read_source(upstream, repo=repo), read_source(fork, repo=repo)
    if base:
        return read_source(base, repo=repo), up, fk
    if is_revision(upstream) and not is_revision(fork):  # the fork's working tree: HEAD
        fork = f"HEAD:{split_revision(upstream)[1]}"
    return merge_base_source(upstream, fork, repo), up, fk


def parsed_sources(
    base: SourceText, upstream: SourceText, fork: SourceText
) -> tuple[Spec, Spec, Spec]:
    """The three sources parsed; one still holding conflict markers is refused (exit 2)."""
    b, u, f = (require_resolved(parse_source(s)) for s in (base, upstream, fork))
    return b, u, f


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
    return compare_fork(*parsed_sources(bs, up, fk), config)


def merge(
    upstream: str,
    fork: str,
    base: str | None = None,
    *,
    repo: Path | None = None,
    config: Config | None = None,
    diff3: bool = False,
) -> MergeResult:
    """The fork with upstream's changes applied where they do not conflict, and git-style
    markers around what does (with the base's text too when `diff3`)."""
    bs, up, fk = fork_sources(upstream, fork, base, repo=repo)
    report = compare_fork(*parsed_sources(bs, up, fk), config)
    return merge_fork(report, up.text, fk.text, diff3=diff3)
