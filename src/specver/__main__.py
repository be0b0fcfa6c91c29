"""Entry point for `python -m specver` and the `specver` script.

`--version` is answered before the CLI framework is imported, so start-up stays fast, and
the plain `diff OLD NEW [--format F]` that hooks and CI run takes the framework-free fast
path in `fastpath` (same output and exit statuses as the full CLI), with the cyclic garbage
collector paused, and ends its process as soon as the output is out (`fastpath.leave`).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run specver with `argv` (default: the process arguments) and return the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"specver {__version__}\n")
        return 0
    if args[:1] == ["diff"]:
        # A one-shot diff makes next to no reference cycles: the collector's passes over
        # the objects its imports create would be wasted.
        from .perf import paused_gc

        with paused_gc():
            from .fastpath import leave, run_fast_diff, simple_diff_args

            simple = simple_diff_args(args)
            if simple is not None:
                status = run_fast_diff(*simple)
                if argv is None:  # a process of its own, not a call from Python
                    leave(status)
                return status
    from .cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
