"""Fail on import cycles at module load and on unexplained imports inside functions.

The layering itself (which app may import which) is import-linter's contracts in
pyproject.toml; they cannot see *when* an import runs. A cycle between modules that import
each other at load time works only in one loading order, so it is refused here, and an import
moved into a function to dodge one must say why in a comment on it or just above it.

Usage: python scripts/import_cycles.py [ROOT] [PACKAGE ...]
"""

import ast
import sys
from pathlib import Path

PACKAGES = ("brandprogram", "sellers", "reviews")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(root: Path, packages) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" not in path.parts:
                found[module_name(root, path)] = path
    return found


def _absolute(node: ast.ImportFrom, name: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = name.split(".") if is_package else name.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _targets(node, name: str, is_package: bool, known) -> set[str]:
    """Every project module an import statement loads, parents included."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        module = _absolute(node, name, is_package)
        names = [module] + [f"{module}.{alias.name}" for alias in node.names]
    loaded = set()
    for dotted in names:
        parts = dotted.split(".")
        for end in range(1, len(parts) + 1):
            prefix = ".".join(parts[:end])
            if prefix in known:
                loaded.add(prefix)
    return loaded


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _load_time_imports(body):
    """Imports that run when the module loads: top level and under plain if/try blocks."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            yield from _load_time_imports(node.body)
            yield from _load_time_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from _load_time_imports(block)
            for handler in node.handlers:
                yield from _load_time_imports(handler.body)


def _function_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    yield inner


def unexplained_imports(path: Path, tree) -> list[str]:
    """Imports inside functions with no comment on their line or on the run of lines above.

    One comment may explain a run of consecutive imports.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    problems = []
    for node in sorted(set(_function_imports(tree)), key=lambda n: n.lineno):
        if "#" in lines[node.lineno - 1]:
            continue
        above = node.lineno - 2
        while above >= 0 and lines[above].strip().startswith(("import ", "from ")):
            above -= 1
        if above < 0 or not lines[above].strip().startswith("#"):
            problems.append(f"{path}:{node.lineno}: import inside a function without a comment why")
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def check(root: Path, packages=PACKAGES) -> list[str]:
    modules = modules_of(root, packages)
    graph, problems = {}, []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        graph[name] = set()
        # A module's own packages are loaded before it, whatever it imports from them.
        ancestors = {".".join(name.split(".")[:end]) for end in range(1, name.count(".") + 2)}
        for node in _load_time_imports(tree.body):
            graph[name] |= _targets(node, name, is_package, modules) - ancestors
        problems += unexplained_imports(path, tree)
    for component in cycles(graph):
        problems.append("import cycle at module load: " + " <-> ".join(component))
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path.cwd()
    problems = check(root, argv[1:] or PACKAGES)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
