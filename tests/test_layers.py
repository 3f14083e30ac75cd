"""Imports go only downward, counting imports inside functions, and form no circle.

The layers (pyproject.toml, [tool.importlinter]), bottom up: ``map`` (the
format and the pure logic), ``io`` (files, loading, writing), ``checks``,
then ``views``, ``diff``, ``extract`` and ``formats`` (independent of each
other), ``commands``, ``cli``. import-linter checks the contract; the AST walk
below also finds circles between the modules of one layer.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src"

KNOWN_CIRCLES: list[set[str]] = []  # none: model and spec no longer import each other


def _modules() -> dict[str, Path]:
    out = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """Module → the argmap modules it imports anywhere in its file (inside functions too)."""
    modules = _modules()

    def owner(name: str) -> str | None:  # the module a dotted name lives in
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [owner(a.name) for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([base] if base else []))
                # `from argmap.io import files` imports the module files, `from argmap.io.files import x` files
                targets = [owner(f"{base}.{a.name}") if f"{base}.{a.name}" in modules else owner(base)
                           for a in node.names]
            else:
                continue
            graph[mod].update(t for t in targets if t and t != mod)
    return graph


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """One circle through each group of modules that import each other (Tarjan's SCC, from
    argmap.map.graph, which finds cycles of support the same way)."""
    from argmap.map.graph import _cycles

    return [set(c) for c in _cycles({m: sorted(ts) for m, ts in graph.items()}, sorted(graph))]


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "argmap.io.files" in graph["argmap.io.loading"]  # `from argmap.io.files import ...` in load_map
    assert "argmap.checks.registry" in graph["argmap.checks.runner"]
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles():
    found = [c for c in circles(import_graph()) if c not in KNOWN_CIRCLES]
    assert found == []


def test_the_rule_modules_do_not_import_the_registry():
    graph = import_graph()
    from argmap.checks.registry import RULE_MODULES

    for module in RULE_MODULES:
        assert "argmap.checks.registry" not in graph[module], module


def test_the_layers_contract_holds():
    exe = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(exe) if exe.exists() else "lint-imports"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 kept, 0 broken" in proc.stdout
