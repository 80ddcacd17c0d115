"""The layers of the code, checked rather than promised (see the README's Layout section).

Each package may import only what its line in the layout allows; the pure packages load no
aiogram even in a fresh interpreter; handlers run no SQL; no two packages import each other.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SQL_CALLS = frozenset({"execute", "executemany", "executescript", "execute_fetchall"})
SQL_WORDS = ("SELECT ", "INSERT ", "UPDATE ", "DELETE ", "CREATE ", "DROP ")

PURE = ("bot.domain", "bot.advice", "bot.documents", "bot.survey", "bot.plan")
WIRING = frozenset(
    {
        *("__init__", "__main__", "config", "app", "factory", "webhook", "shutdown"),
        *("logging_setup", "i18n", "middlewares", "access", "antiflood", "fsm_backends"),
        *("storage", "clock", "readers", "health", "menus", "polling"),
    }
)

# What each package may import from the project (besides itself), and which libraries it
# must not import. A package may also import what the packages it may import may import:
# the layers are a stack, drawn from the bottom up.
ALLOWED: dict[str, tuple[str, ...]] = {
    "bot.domain": (),
    "bot.advice": ("bot.domain",),
    "bot.documents": ("bot.domain", "bot.advice"),
    "bot.survey": ("bot.domain",),
    "bot.plan": ("bot.domain", "bot.advice"),
    "bot.clock": (),
    "bot.db": ("bot.domain", "bot.survey", "bot.clock"),
    "bot.outbox": ("bot.db", "bot.clock"),
    "bot.services": (
        "bot.domain",
        "bot.advice",
        "bot.documents",
        "bot.survey",
        "bot.plan",
        "bot.db",
        "bot.outbox.repository",
        "bot.clock",
    ),
    "bot.scheduling": ("bot.services", "bot.db", "bot.outbox", "bot.clock"),
    "bot.console": ("bot.i18n",),
    "handlers": (
        "bot.services",
        "bot.domain",
        "bot.advice",
        "bot.documents",
        "bot.survey",
        "bot.plan",
        "bot.access",
        "bot.readers",
        "bot.menus",
        "bot.i18n",
        "bot.db.repositories",
        "bot.clock",
    ),
}
_DRIVERS = frozenset({"aiosqlite", "psycopg", "psycopg_pool"})
FORBIDDEN_LIBRARIES: dict[str, frozenset[str]] = {
    "bot.advice": frozenset({"aiogram"}) | _DRIVERS,
    "bot.documents": frozenset({"aiogram"}) | _DRIVERS,
    "bot.survey": frozenset({"aiogram"}) | _DRIVERS,
    "bot.plan": frozenset({"aiogram"}) | _DRIVERS,
    "bot.clock": frozenset({"aiogram"}) | _DRIVERS,
    "bot.db": frozenset({"aiogram"}),
    "bot.services": frozenset({"aiogram"}) | _DRIVERS,
    "handlers": _DRIVERS,
}


def _modules() -> Iterator[tuple[str, Path]]:
    for top in ("bot", "handlers"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


@cache
def imports() -> dict[str, frozenset[str]]:
    """Every module of the project and what it imports (also under TYPE_CHECKING)."""
    modules = dict(_modules())
    found: dict[str, frozenset[str]] = {}
    for name, path in modules.items():
        names: set[str] = set()
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    # ``from handlers import wizard`` imports the module handlers.strategy.answers.
                    sub = f"{node.module}.{alias.name}"
                    names.add(sub if sub in modules else node.module)
        found[name] = frozenset(names)
    return found


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _project(module: str) -> bool:
    return _inside(module, "bot") or _inside(module, "handlers")


def _existing(module: str) -> bool:
    return module in imports()


def _closure(package: str) -> set[str]:
    allowed = {package}
    todo = list(ALLOWED.get(package, ()))
    while todo:
        item = todo.pop()
        if item in allowed:
            continue
        allowed.add(item)
        todo.extend(ALLOWED.get(item, ()))
    return allowed


def violations(package: str) -> list[str]:
    allowed = _closure(package)
    forbidden = FORBIDDEN_LIBRARIES.get(package, frozenset())
    problems: list[str] = []
    members = [name for name in imports() if _inside(name, package)]
    if not members:
        return [f"{package} does not exist"]
    for module in members:
        for imported in sorted(imports()[module]):
            top = imported.split(".")[0]
            if _project(imported):
                if _existing(imported) and not any(_inside(imported, a) for a in allowed):
                    problems.append(f"{module} imports {imported}")
            elif package == "bot.domain" and top not in sys.stdlib_module_names:
                problems.append(f"{module} imports {imported} (not stdlib)")
            elif top in forbidden:
                problems.append(f"{module} imports {imported}")
    return problems


@pytest.mark.parametrize("package", list(ALLOWED))
def test_package_imports_only_what_its_layer_allows(package: str) -> None:
    assert violations(package) == []


def test_only_the_factory_imports_handlers() -> None:
    problems = [
        f"{module} imports {imported}"
        for module, names in imports().items()
        if _inside(module, "bot") and module != "bot.factory"
        for imported in names
        if _inside(imported, "handlers")
    ]
    assert problems == []


def test_the_bot_root_holds_wiring_only() -> None:
    root = {path.stem for path in (ROOT / "bot").glob("*.py")}
    assert sorted(root - WIRING) == []


def test_pure_packages_load_no_aiogram_in_a_fresh_interpreter() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"import {', '.join(PURE)}\n"
        f"for package in ({', '.join(PURE)},):\n"
        "    for info in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'aiogram' or m.startswith('aiogram.'))\n"
        "assert not bad, bad[:5]\n"
    )
    # Every submodule, not just the packages' __init__: a module nobody imported at the
    # top must not hide aiogram either.
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def _sql_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Attribute) and node.attr in SQL_CALLS:
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.lstrip().upper().startswith(SQL_WORDS)
        ):
            found.append(f"{path.name}:{node.lineno} {node.value.strip()[:30]!r}")
    return found


def test_handlers_run_no_sql() -> None:
    found = [hit for path in sorted((ROOT / "handlers").rglob("*.py")) for hit in _sql_in(path)]
    assert found == []


def test_the_sql_check_sees_sql() -> None:
    # A check that cannot fail is no check: the repositories are full of SQL.
    assert _sql_in(ROOT / "bot" / "db" / "repositories.py")


def _node(module: str) -> str:
    """The unit of the cycle check: a sub-package, or a module at the top of bot/ or handlers/."""
    parts = module.split(".")
    if len(parts) >= 2 and (ROOT / parts[0] / parts[1]).is_dir():
        return ".".join(parts[:2])
    return module


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, names in imports().items():
        edges = graph.setdefault(_node(module), set())
        for imported in names:
            if _existing(imported) and _node(imported) != _node(module):
                edges.add(_node(imported))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_package_cycles() -> None:
    assert cycles(package_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
