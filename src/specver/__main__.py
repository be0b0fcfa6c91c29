"""Entry points for `python -m specver` and the `specver` script.

`specver --version` alone is answered before the CLI framework is imported; everything else
goes through the typer app in `specver.cli.app`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run specver with `argv` (default: the process arguments) and return the exit status."""
    args = sys.argv[1:] if argv is None else argv
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
