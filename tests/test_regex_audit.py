"""The regex audit: every module-level pattern of the package scans traps built from its own
syntax (tests/regex_traps.py) in linear time.

The patterns are found by walking the package's modules, so a new module or pattern is
audited without being listed. Each module's patterns run in a child process under a hang
guard (a guard against a hang, not a speed test: the traps take well under a second when
the patterns are linear, and hours when one is cubic); the child names each pattern before
it scans, so a hang names the pattern.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict

import pytest

from tests.regex_traps import alphabet, module_patterns, prefixes, traps

HANG_GUARD = 120
"""Seconds after which one module's traps count as a hang."""
SIZE = 20_000
"""Characters pumped per trap: a quadratic pattern spends minutes on them, a linear one ms."""

PATTERNS = module_patterns()
BY_MODULE: dict[str, list[str]] = defaultdict(list)
for _name, _pattern in PATTERNS:
    BY_MODULE[_name.rsplit(".", 1)[0]].append(_name)

CHILD = """
import sys
from tests.regex_traps import module_patterns, traps
wanted = set(sys.argv[1:])
for name, pattern in module_patterns():
    if name not in wanted:
        continue
    print(name, flush=True)
    for trap in traps(pattern, SIZE):
        for _ in pattern.finditer(trap):
            pass
        pattern.match(trap)
        pattern.fullmatch(trap)
print("done", flush=True)
"""


def test_the_audit_finds_the_patterns_of_every_module() -> None:
    names = {name for name, _p in PATTERNS}
    assert len(PATTERNS) >= 20, names
    for expected in (
        "specver.release.changelog.file._HEADING",
        "specver.spec.markdown.FOOTNOTE_RE",
        "specver.diff.textdiff.WORD_RE",
        "specver.release.versioning.VERSION_IN_TEXT",
    ):
        assert expected in names, expected


def test_patterns_held_in_tables_are_found_too() -> None:
    from tests.regex_traps import _patterns_in

    one, two = re.compile("a+"), re.compile("b+")
    assert list(_patterns_in((one, {"k": [two]}))) == [one, two]


def _tree(pattern: re.Pattern[str]) -> object:
    from tests.regex_traps import P

    return P.parse(pattern.pattern, pattern.flags)


OLD_HEADING = re.compile(r"^\ufeff?(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
"""The changelog heading reader that took 209 s on `## a` + 4,000 spaces + `x`."""


def test_traps_start_with_what_the_pattern_reads_first() -> None:
    """The old audit's traps never started with `#`; these do, then pump spaces."""
    built = [t.lstrip("\ufeff") for t in traps(OLD_HEADING, 40)]
    assert any(t.startswith("#") and set(t[1:-1]) == {" "} for t in built), built[:5]
    assert {"#", " ", "\t"} <= set(alphabet(_tree(OLD_HEADING)))


def test_prefixes_reach_each_branch() -> None:
    found = prefixes(_tree(re.compile(r"(?:ab|cd)x+y")))
    assert "ab" in found and "cd" in found


@pytest.mark.parametrize("module", sorted(BY_MODULE))
def test_every_module_regex_is_linear_on_its_traps(module: str) -> None:
    names = BY_MODULE[module]
    try:
        done = subprocess.run(
            [sys.executable, "-c", f"SIZE = {SIZE}\n{CHILD}", *names],
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
            check=False,
        )
    except subprocess.TimeoutExpired as hung:
        out = hung.stdout.decode() if isinstance(hung.stdout, bytes) else (hung.stdout or "")
        started = out.split()
        raise AssertionError(f"hangs on its traps: {started[-1] if started else names}") from None
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-1] == "done"
    assert done.stdout.split()[:-1] == names
