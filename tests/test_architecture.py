"""The package's import graph follows the pipeline (see ../shared/DESIGN.md).

Every `import` in every module is read with `ast` (top-level, function-local and
TYPE_CHECKING ones alike), and so is every `module:function` string (the renderer
registries import by name; `api` names its lazy re-exports in TYPE_CHECKING imports).
The test fails on a cycle, on an arrow that runs the wrong way (cli -> api -> release,
fork, history, report -> diff -> spec), on a domain module that imports a renderer or the
terminal, and on a renderer that reads files, calls git or computes what it is handed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "specver"
MODULE_STRING = re.compile(r"^(specver(?:\.\w+)+):\w+$")
"""`module:function`, as the renderer registries name what they import on use."""

BASE = {"specver", "specver.errors", "specver.config", "specver.atomic", "specver.perf"}
BASE |= {"specver.wording", "specver.display"}  # display: the one sanitizer, used at every edge
"""Top-level modules every layer may use; they use nothing but each other."""

DOMAIN = ("release", "fork", "history", "report", "audit")
ABOVE_DOMAIN = ("network",)
"""Layers built on domain layers: `network` (specver forks) reads the fork report and the
history's section reader."""

ALLOWED: dict[str, set[str]] = {
    "base": {"base"},
    "spec": {"base", "spec"},
    "diff": {"base", "spec", "diff"},
    **{name: {"base", "spec", "diff", name} for name in DOMAIN},
    "audit": {"base", "spec", "diff", "release", "audit"},  # versions of changelog headings
    "network": {"base", "spec", "diff", "fork", "history", "network"},
    "render": {"base", "spec", "diff", *DOMAIN, *ABOVE_DOMAIN, "render"},
    "api": {"base", "spec", "diff", *DOMAIN, *ABOVE_DOMAIN},
    "cli": {"base", "api", "render", "cli"},
    "main": {"base", "cli"},
}
"""Which layers a module of each layer may import."""

TERMINAL = ("typer", "click", "rich_click", "shellingham")
"""Third-party modules of the command line: only specver.cli may import them."""

RENDER_MAY_NOT_IMPORT = (
    "specver.api",
    "specver.atomic",
    "specver.diff.classify",
    "specver.diff.compare",
    "specver.diff.match",
    "specver.history.cache",
    "specver.spec.load",
    "specver.spec.parse",
    "specver.spec.sources",
    "git",
    "os.path",
    "pathlib",
    "shutil",
    "subprocess",
    "tempfile",
)
"""What renderers never need: the computing stages, sources, files, git, processes."""

COMPUTING_NAMES = re.compile(
    r"^(assess_\w+|diff|impact|classify_changes|match_policies|parse|load|read_\w+|"
    r"build_\w+|compare_fork|merge_fork|check|check_spec|decide_bump|timeline)$"
)
"""Names of the functions that compute reports: renderers are handed their results."""

FILE_METHODS = {
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "iterdir",
    "glob",
    "rglob",
    "stat",
    "exists",
    "is_file",
    "is_dir",
    "listdir",
    "scandir",
    "walk",
}
"""Calls that touch the file system."""

OS_ALLOWED = {"environ", "getenv"}
"""What a renderer may read from `os`: the environment (SOURCE_DATE_EPOCH), nothing else."""


@dataclass(frozen=True)
class Arrow:
    """One import: `source` imports `target` (a specver module or a third-party one)."""

    source: str
    target: str
    line: int
    local: bool
    """Inside a function (imported when it runs) rather than at module level."""
    names: tuple[str, ...] = ()


def module_names() -> dict[str, Path]:
    """Dotted name -> file, for every module of the package."""
    out: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = module_names()
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _resolve(name: str) -> str:
    """The specver module a dotted name stands for (a module, else the module holding it)."""
    while name not in MODULES and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _function_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            end = node.end_lineno or node.lineno
            lines.update(range(node.lineno, end + 1))
    return lines


def arrows_of(module: str) -> Iterator[Arrow]:
    """Every import of one module, and every string in it that names a specver module."""
    tree = TREES[module]
    local = _function_lines(tree)
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _resolve(alias.name) if alias.name.startswith("specver") else alias.name
                yield Arrow(module, target, node.lineno, node.lineno in local)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names = tuple(alias.name for alias in node.names)
            if not base.startswith("specver"):
                yield Arrow(module, base, node.lineno, node.lineno in local, names)
                continue
            for name in names:
                target = f"{base}.{name}" if f"{base}.{name}" in MODULES else base
                yield Arrow(module, _resolve(target), node.lineno, node.lineno in local, (name,))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found = MODULE_STRING.match(node.value)
            if found and found.group(1) in MODULES:
                yield Arrow(module, found.group(1), node.lineno, True)


ARROWS = [arrow for module in MODULES for arrow in arrows_of(module)]
INTERNAL = [a for a in ARROWS if a.target in MODULES and a.target != a.source]


def layer(module: str) -> str:
    """The layer of a specver module: base, spec, diff, a domain, render, api, cli or main."""
    if module in BASE:
        return "base"
    if module == "specver.__main__":
        return "main"
    return module.split(".")[1]


def test_the_walk_sees_the_whole_package() -> None:
    # the walk must find what it is meant to judge, or every other test passes vacuously
    assert {"specver.api", "specver.cli.app", "specver.diff.compare"} <= set(MODULES)
    assert {layer(m) for m in MODULES} == set(ALLOWED)
    targets = {(a.source, a.target) for a in INTERNAL}
    assert ("specver.api", "specver.diff.compare") in targets  # a TYPE_CHECKING import
    assert ("specver.render", "specver.render.fmt_text") in targets  # a registry string
    assert any(a.local for a in INTERNAL if a.source == "specver.cli.app")  # local imports


def _cycle(edges: dict[str, set[str]]) -> list[str]:
    """One import cycle (`[a, b, a]`), or [] when the graph has none."""
    try:
        tuple(TopologicalSorter(edges).static_order())
    except CycleError as exc:
        return list(exc.args[1])
    return []


def test_no_import_cycles() -> None:
    edges: dict[str, set[str]] = {}
    for arrow in INTERNAL:
        edges.setdefault(arrow.source, set()).add(arrow.target)
    assert _cycle(edges) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert sorted(set(_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}))) == ["a", "b", "c"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_arrows_run_one_way() -> None:
    wrong = [
        f"{a.source}:{a.line} imports {a.target}"
        for a in INTERNAL
        if layer(a.target) not in ALLOWED[layer(a.source)]
    ]
    assert wrong == []


def test_function_local_imports_only_run_downwards_from_the_cli_and_api() -> None:
    # below the api, a function-local import of specver code only hides an arrow (or a cycle)
    hidden = [
        f"{a.source}:{a.line} imports {a.target} inside a function"
        for a in INTERNAL
        if a.local
        and layer(a.source) not in {"cli", "api", "main", "render"}
        and not a.source.startswith("specver.render")
    ]
    assert hidden == []


def test_only_the_cli_knows_the_terminal() -> None:
    wrong = [
        f"{a.source}:{a.line} imports {a.target}"
        for a in ARROWS
        if a.target.split(".")[0] in TERMINAL and layer(a.source) not in {"cli", "main"}
    ]
    rich = [
        f"{a.source}:{a.line} imports {a.target}"
        for a in ARROWS
        if a.target.split(".")[0] == "rich" and layer(a.source) not in {"cli", "render"}
    ]
    assert wrong == [] and rich == []


def _calls(tree: ast.Module) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def test_renderers_draw_into_memory_never_on_the_terminal() -> None:
    # a rich Console below the CLI writes into a string (file=StringIO()), never to a stream
    wrong = []
    for module, tree in TREES.items():
        if layer(module) in {"cli", "main"}:
            continue
        for call in _calls(tree):
            name = call.func.id if isinstance(call.func, ast.Name) else ""
            keywords = {k.arg for k in call.keywords}
            if name == "Console" and ("file" not in keywords or "stderr" in keywords):
                wrong.append(f"{module}:{call.lineno}")
    assert wrong == []


RENDERERS = [m for m in MODULES if layer(m) == "render"]


@pytest.mark.parametrize("module", RENDERERS)
def test_a_renderer_reads_no_files_calls_no_git_and_computes_nothing(module: str) -> None:
    problems = [
        f"imports {a.target} (line {a.line})"
        for a in ARROWS
        if a.source == module
        and any(a.target == f or a.target.startswith(f + ".") for f in RENDER_MAY_NOT_IMPORT)
    ]
    problems += [
        f"imports {name} from {a.target} (line {a.line})"
        for a in ARROWS
        if a.source == module and a.target.startswith("specver")
        for name in a.names
        if COMPUTING_NAMES.match(name)
    ]
    for call in _calls(TREES[module]):
        func = call.func
        if isinstance(func, ast.Name) and func.id == "open":
            problems.append(f"calls open() (line {call.lineno})")
        if isinstance(func, ast.Attribute) and func.attr in FILE_METHODS:
            problems.append(f"calls .{func.attr}() (line {call.lineno})")
        if isinstance(func, ast.Name) and func.id == "FileSystemLoader":
            problems.append(f"loads templates from the file system (line {call.lineno})")
    for node in ast.walk(TREES[module]):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and node.attr not in OS_ALLOWED
        ):
            problems.append(f"uses os.{node.attr} (line {node.lineno})")
    assert problems == []


def test_templates_are_package_resources() -> None:
    from importlib.resources import files

    templates = files("specver.render") / "templates"
    assert any(t.name.endswith(".j2") for t in templates.iterdir())
    source = (PACKAGE / "render" / "fmt_html.py").read_text(encoding="utf-8")
    assert "PackageLoader(" in source


def test_the_api_only_re_exports() -> None:
    tree = TREES["specver.api"]
    defined = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    assert defined == ["__getattr__", "__dir__"]  # the lazy re-export hooks, nothing else
    import specver.api

    assert sorted(specver.api.EXPORTS) == sorted(specver.api.__all__)
    for name, module in specver.api.EXPORTS.items():
        value = getattr(specver.api, name)
        assert getattr(value, "__module__", module) == module, name


def test_one_cli_path() -> None:
    # no second argument parser, no early process exit, no process-wide collector switch
    assert "specver.cli.fastpath" not in MODULES
    for module, tree in TREES.items():
        for call in _calls(tree):
            func = call.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                qualified = f"{func.value.id}.{func.attr}"
                assert qualified != "os._exit", f"{module}:{call.lineno}"
    main = (PACKAGE / "__main__.py").read_text(encoding="utf-8")
    assert "gc" not in re.findall(r"\bimport (\w+)", main) and "paused_gc" not in main
