"""Entry point for `python -m specver` and the `specver` script.

`--version` is answered before the CLI framework is imported, so start-up stays fast, and
the plain `diff OLD NEW [--format F]` that hooks and CI run takes the framework-free fast
path in `fastpath` (same output and exit statuses as the full CLI).
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
    from .fastpath import run_fast_diff, simple_diff_args

    simple = simple_diff_args(args)
    if simple is not None:
        return run_fast_diff(*simple)
    from .cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
