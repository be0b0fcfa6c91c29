"""Traps for backtracking regexes, built from each pattern's own syntax tree.

For every module-level pattern of the package (found by walking its modules, patterns in
tuples and dicts included) `traps` builds strings that pump what the pattern's repeats
accept: a prefix the pattern matches up to a repeat (so a trap for `^#{1,6}[ \\t]+(.*?)...`
starts with `# `), then a long run of one character, or of two alternating characters,
that the pattern accepts, then a tail that makes the match fail. A backtracking pattern
that is polynomial on some input of this shape spends seconds to hours on one trap; a
linear one scans all of them in a fraction of a second.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

try:  # Python 3.11+
    import re._constants as C
    import re._parser as P
except ImportError:  # pragma: no cover
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

CATEGORY_SAMPLES = {
    C.CATEGORY_DIGIT: "1",
    C.CATEGORY_NOT_DIGIT: "a",
    C.CATEGORY_SPACE: " ",
    C.CATEGORY_NOT_SPACE: "a",
    C.CATEGORY_WORD: "a",
    C.CATEGORY_NOT_WORD: ".",
    C.CATEGORY_LINEBREAK: "\n",
    C.CATEGORY_NOT_LINEBREAK: "a",
}
FILLERS = "a ./"
"""What a negated class or `.` is pumped with besides the pattern's own literals."""
TAILS = ("\x00", "!", "\n")


def module_patterns(package: str = "specver") -> list[tuple[str, re.Pattern[str]]]:
    """(qualified name, pattern) for every compiled pattern a module of `package` holds at
    module level, directly or in a tuple, list or dict; found by walking the modules."""
    root = importlib.import_module(package)
    names = [package] + [m.name for m in pkgutil.walk_packages(root.__path__, prefix=f"{package}.")]
    found: dict[int, tuple[str, re.Pattern[str]]] = {}
    for name in names:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            for k, pattern in enumerate(_patterns_in(value)):
                if isinstance(pattern.pattern, str) and id(pattern) not in found:
                    found[id(pattern)] = (f"{name}.{attr}" + (f"[{k}]" if k else ""), pattern)
    return list(found.values())


def _patterns_in(value: object, depth: int = 0) -> Iterator[re.Pattern[Any]]:
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, tuple | list | frozenset | set):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)


def _class_chars(items: list[tuple[Any, Any]]) -> tuple[list[str], bool]:
    chars: list[str] = []
    negated = False
    for op, arg in items:
        if op is C.NEGATE:
            negated = True
        elif op is C.LITERAL:
            chars.append(chr(arg))
        elif op is C.RANGE:
            chars += [chr(arg[0]), chr(arg[1])]
        elif op is C.CATEGORY:
            chars.append(CATEGORY_SAMPLES.get(arg, "a"))
    return chars, negated


def alphabet(tree: Any) -> list[str]:
    """Characters that the pattern's literals and classes name (and fillers for negations)."""
    out: list[str] = []
    for op, arg in tree:
        out += _chars_of(op, arg)
    return list(dict.fromkeys(ch for ch in out if ch))


REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None))


def _chars_of(op: Any, arg: Any) -> list[str]:
    if op is C.LITERAL:
        return [chr(arg)]
    if op is C.NOT_LITERAL or op is C.ANY:
        return list(FILLERS)
    if op is C.IN:
        chars, negated = _class_chars(arg)
        return list(FILLERS) if negated else chars
    inner: list[Any] = []
    if op in REPEATS:
        inner = [arg[2]]
    elif op is C.SUBPATTERN:
        inner = [arg[-1]]
    elif op is C.BRANCH:
        inner = list(arg[1])
    elif op in (C.ASSERT, C.ASSERT_NOT):
        inner = [arg[1]]
    elif op is getattr(C, "ATOMIC_GROUP", None):
        inner = [arg]
    return [ch for sub in inner for ch in alphabet(sub)]


def _sample(tree: Any) -> str:
    """A short string for a part of a pattern (its repeats taken their minimum times)."""
    out = []
    for op, arg in tree:
        if op is C.LITERAL:
            out.append(chr(arg))
        elif op is C.NOT_LITERAL:
            out.append("a" if arg != ord("a") else "b")
        elif op is C.ANY:
            out.append("a")
        elif op is C.IN:
            chars, negated = _class_chars(arg)
            out.append(next((f for f in FILLERS if f not in chars), "a") if negated else chars[0])
        elif op in REPEATS:
            out.append(_sample(arg[2]) * max(arg[0], 1 if arg[1] else 0))
        elif op is C.SUBPATTERN:
            out.append(_sample(arg[-1]))
        elif op is C.BRANCH:
            out.append(_sample(arg[1][0]))
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.append(_sample(arg))
    return "".join(out)


def prefixes(tree: Any, limit: int = 4) -> list[str]:
    """Strings the pattern reads up to each of its top-level repeats (and each branch's)."""
    out = [""]
    seen = ""
    for op, arg in tree:
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and arg[1] == C.MAXREPEAT:
            out.append(seen)
        if op is C.BRANCH:
            out += [seen + _sample(b) for b in arg[1][:limit]]
        if op is C.SUBPATTERN:
            out += [seen + p for p in prefixes(arg[-1], limit)[1:]]
        seen += _sample([(op, arg)])
    out.append(seen)
    return list(dict.fromkeys(p[:200] for p in out))[: limit + 2]


def traps(pattern: re.Pattern[str], size: int) -> list[str]:
    """Strings of about `size` characters built to make this pattern backtrack."""
    tree = P.parse(pattern.pattern, pattern.flags)
    data = tree.data if hasattr(tree, "data") else tree
    chars = alphabet(data)[:14]
    out = []
    for prefix in prefixes(data):
        for ch in chars:
            for tail in TAILS:
                out.append(prefix + ch * size + tail)
        for one, two in itertools.pairwise(chars):
            out.append(prefix + (one + two) * (size // 2) + "\x00")
        for one, two in itertools.islice(itertools.combinations(chars, 2), 40):
            out.append(prefix + one + two * size + "\x00")
    return list(dict.fromkeys(out))
