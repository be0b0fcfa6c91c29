"""Performance helpers shared by the pipeline stages.

Parsing and matching allocate hundreds of thousands of small objects (markdown-it tokens,
frozen policies, examples) and make almost no reference cycles. CPython's cyclic garbage
collector would walk the whole growing heap again and again while they are built, which on
a 25 MB spec costs more than the parsing itself; the stages pause it while they run.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (reference counting goes on).

    Nested use is safe: only the outermost block turns the collector back on, and only if
    it was on before.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def without_gc_pauses(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a pipeline stage to run with the cyclic collector paused."""

    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_gc():
            return func(*args, **kwargs)

    return run
