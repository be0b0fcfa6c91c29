"""Entry points for `python -m specver` and the `specver` script.

`--version` is answered before the CLI framework is imported, so start-up stays fast, and
the plain `diff OLD NEW [--format F]` that hooks and CI run takes the framework-free fast
path in `fastpath` (same output and exit statuses as the full CLI), with the cyclic garbage
collector paused. `main` always returns; `script`, the process entry point, ends a fast
diff's process as soon as its output is out (`fastpath.leave`).
"""

from __future__ import annotations

import sys

INTERNAL_HINT = (
    "this is a bug in specver, not in your input; please report it with the command you ran "
    "(SPECVER_TRACEBACK=1 prints the traceback)"
)


def main(argv: list[str] | None = None) -> int:
    """Run specver with `argv` (default: the process arguments) and return the exit status.

    The process-level guard: an exception no command expected (a bug) becomes one stderr
    line, `specver: internal error: ...` with a hint to report it, and exit 2 (trouble, as
    diff(1) defines it), so it can never read as "changes found" (1) in CI.
    """
    try:
        return _dispatch(sys.argv[1:] if argv is None else argv)
    except Exception as exc:  # the guard: any exception a command did not map
        return internal_error(exc)


def internal_error(exc: BaseException) -> int:
    """Report an unexpected exception in one line (the traceback only when asked) -> 2."""
    import os

    from specver.display import display

    if os.environ.get("SPECVER_TRACEBACK"):
        import traceback

        traceback.print_exception(exc)
    detail = display(" ".join(f"{type(exc).__name__}: {exc}".split()), one_line=True)[:300]
    try:
        sys.stderr.write(f"specver: internal error: {detail}; {INTERNAL_HINT}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # no stderr to write to: the status says it
        pass
    return 2


def _dispatch(args: list[str]) -> int:
    if args in (["--version"], ["-V"]):
        from specver import __version__

        sys.stdout.write(f"specver {__version__}\n")
        return 0
    if args[:1] == ["diff"]:
        # A one-shot diff makes next to no reference cycles: the collector's passes over
        # the objects its imports create would be wasted.
        from specver.perf import paused_gc

        with paused_gc():
            from specver.cli.fastpath import run_fast_diff, simple_diff_args

            simple = simple_diff_args(args)
            if simple is not None:
                return run_fast_diff(*simple)
    from specver.cli.app import run

    return run(args)


def script() -> None:
    """The `specver` process: run `main` on the process arguments and exit with its status.

    A fast-path diff leaves without tearing down the specs it parsed (see `fastpath.leave`).
    """
    args = sys.argv[1:]
    status = main(args)
    if args[:1] == ["diff"]:
        from specver.cli.fastpath import leave, simple_diff_args

        if simple_diff_args(args) is not None:
            leave(status)
    sys.exit(status)


if __name__ == "__main__":
    script()
