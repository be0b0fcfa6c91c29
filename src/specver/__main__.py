"""Entry points for `python -m specver` and the `specver` script.

`specver --version` alone is answered before the CLI framework is imported; everything else
goes through the typer app in `specver.cli.app`.
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
    from specver.cli.app import run

    return run(args)


def script() -> None:
    """The `specver` process: run `main` on the process arguments and exit with its status."""
    sys.exit(main())


if __name__ == "__main__":
    script()
