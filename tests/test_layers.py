"""The house's layers point down: no module imports from a layer above its own, and no two
modules import each other, directly or through others.

The layer order, bottom to top (one entry a floor; names are routeopt's top-level modules and
packages; modules on one floor may import each other, without cycles):
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "version", "optional"),
    ("model",),  # the data types and the domain's rules: opening hours, the calendar, visits due
    ("input", "travel"),  # reading tables and files; travel times
    ("options",),
    ("route",),  # one day's timing: windows, lunch, shift
    ("schedule",),  # visit days and routes of one rep: construction, search, itineraries
    ("territory",),  # who owns which customer
    ("evaluate", "output"),  # key figures and validation; the plan folder's files
    ("result",),  # the Plan type
    ("backend",),  # where the reps are solved side by side: this machine's processes or Ray tasks
    ("planner",),  # plan(): every rep, side by side
    ("compare", "bench", "replan"),  # above the planner: they run it (replan repairs a plan)
    ("__init__",),  # the public API
)
"""Floors of ``routeopt``, bottom first; ``routeopt_cli`` (cli/) stands on top of them all."""

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "routeopt"
CLI = ROOT / "cli"
FLOOR = {name: k for k, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    if path.is_relative_to(CLI):
        parts = ("routeopt_cli", *path.relative_to(CLI).with_suffix("").parts)
    else:
        parts = ("routeopt", *path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(name: str) -> bool:
    base = CLI if name.startswith("routeopt_cli") else SRC
    rest = name.split(".")[1:]
    return (base.joinpath(*rest) / "__init__.py").exists() if rest else True


def exists(name: str) -> bool:
    base = CLI if name.startswith("routeopt_cli") else SRC
    rest = name.split(".")[1:]
    return is_package(name) or base.joinpath(*rest).with_suffix(".py").exists()


def imports(path: Path) -> set[str]:
    """The project modules ``path`` imports (``from pkg import submodule`` counts as the submodule)."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [f"{target}.{a.name}" if exists(f"{target}.{a.name}") else target for a in node.names]
        else:
            continue
        found |= {n for n in names if n.split(".")[0] in ("routeopt", "routeopt_cli")}
    return found - {me}


def floor_of(module: str) -> int:
    parts = module.split(".")
    if parts[0] == "routeopt_cli":
        return len(LAYERS)
    return FLOOR["__init__"] if len(parts) == 1 else FLOOR[parts[1]]


SOURCES = sorted([*SRC.rglob("*.py"), *CLI.rglob("*.py")])
GRAPH = {module_name(p): imports(p) for p in SOURCES}


def test_every_module_has_a_floor():
    unknown = sorted({m.split(".")[1] for m in GRAPH if m.count(".") and m.startswith("routeopt.")} - set(FLOOR))
    assert not unknown, f"add {unknown} to LAYERS in {Path(__file__).name}"


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_import_runs_up_a_floor(module):
    up = sorted(m for m in GRAPH[module] if floor_of(m) > floor_of(module))
    assert not up, f"{module} (floor {floor_of(module)}) imports from a floor above: {up}"


def test_no_import_cycle():
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for n in sorted(GRAPH.get(m, ())):
            if state.get(n) == 1:
                pytest.fail("import cycle: " + " → ".join([*path[path.index(n):], n]))
            if n not in state:
                visit(n)
        path.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)


def test_the_library_never_imports_the_cli():
    assert not [m for m, deps in GRAPH.items() if m.startswith("routeopt.") and any(
        d.startswith("routeopt_cli") for d in deps)]


def test_no_comment_works_around_a_cycle():
    words = ("avoid a cycle", "avoid the cycle", "circular import", "import cycle")
    hits = [f"{p.name}:{k}" for p in SOURCES for k, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if any(w in line.lower() for w in words)]
    assert not hits, hits


def test_the_checks_see_an_upward_import(tmp_path):
    # the checker itself: a model module that imported the planner would be caught
    assert floor_of("routeopt.planner") > floor_of("routeopt.model.hours")
    assert "routeopt.schedule.stops" in GRAPH["routeopt.planner"]
