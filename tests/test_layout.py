"""The package's shape: no import cycles, small modules, and the public names it promises."""

from __future__ import annotations

import ast
from pathlib import Path

import inbrief

PACKAGE = Path(inbrief.__file__).parent
MAX_LINES = 500
# Modules that are only data tables (phrase lists per language) may be longer.
DATA_TABLES: frozenset[str] = frozenset()


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every inbrief module ``name`` imports, at the top or inside a function.

    ``from inbrief.a import b`` is an import of ``inbrief.a.b`` when that is a module, and of
    ``inbrief.a`` otherwise.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in modules else base)
    return {module for module in found if module in modules and module != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The cycles of an import graph, each as the list of modules around it."""
    found: list[list[str]] = []
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                found.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_no_module_imports_itself_back_even_from_inside_a_function() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert cycles(graph) == []


def test_an_import_inside_a_function_is_an_edge_and_two_such_edges_a_cycle(tmp_path: Path) -> None:
    models = tmp_path / "models.py"
    models.write_text("def later():\n    from inbrief import pipeline\n")
    modules = {"inbrief.pipeline": tmp_path / "pipeline.py", "inbrief.models": models}
    assert _imports("inbrief.models", models, modules) == {"inbrief.pipeline"}
    graph = {"inbrief.models": {"inbrief.pipeline"}, "inbrief.pipeline": {"inbrief.models"}}
    assert cycles(graph) == [["inbrief.models", "inbrief.pipeline", "inbrief.models"]]


def test_no_source_file_is_over_500_lines_except_data_tables() -> None:
    long = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
        and name not in DATA_TABLES
    }
    assert long == {}


def test_all_lists_exactly_the_public_names() -> None:
    public = {name for name in vars(inbrief) if not name.startswith("_")}
    public -= {"annotations"}  # from __future__
    modules = {name for name in public if type(getattr(inbrief, name)).__name__ == "module"}
    assert sorted(inbrief.__all__) == sorted((public - modules) | {"__version__"})


def test_the_public_names_import_from_where_they_always_have() -> None:
    from inbrief import (  # noqa: F401
        Article,
        Budget,
        BudgetError,
        DecodeError,
        Document,
        ExtractError,
        FetchError,
        InbriefError,
        MethodError,
        Sentence,
        SourceError,
        StoreError,
        Summary,
        extract,
        summarize,
        summarize_article,
    )
    from inbrief.batch import run_batch  # noqa: F401
    from inbrief.cli import app  # noqa: F401
    from inbrief.store import Store  # noqa: F401


def test_every_error_inbrief_defines_lives_in_errors() -> None:
    import inbrief.errors

    errors = {
        name
        for name, value in vars(inbrief.errors).items()
        if isinstance(value, type) and issubclass(value, inbrief.InbriefError)
    }
    defined_elsewhere = []
    for name, path in _modules().items():
        if name == "inbrief.errors":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(base, ast.Name) and base.id in errors for base in node.bases
            ):
                defined_elsewhere.append(f"{name}.{node.name}")
    assert defined_elsewhere == []
