"""The code's layout holds: imports run one way (DESIGN.md), and functions fit in a head."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "geo"

#: Layer of each module (longest matching prefix): a module imports only from its own layer or lower ones.
LAYERS = {
    "geo.errors": 0,
    "geo.settings": 0,
    "geo.resources": 0,
    "geo.locale": 0,
    "geo._docs": 0,
    "geo.coords": 1,
    "geo.geojson": 2,
    "geo.district": 2,
    "geo.rules": 2,
    "geo.model": 3,
    "geo.store": 4,
    "geo.history": 4,
    "geo.editors": 4,
    "geo.geocode": 4,
    "geo.payload": 4,
    "geo._plugins": 4,
    "geo.summary": 5,
    "geo.network": 5,
    "geo.export": 5,
    "geo.render": 5,
    "geo.dask_engine": 6,
    "geo.places": 7,
    "geo.extract": 7,
    "geo.proposals": 7,
    "geo.server": 8,
    "geo.cli": 9,
    "geo.__main__": 9,
}
#: Third-party packages only one part of the package may import.
OWNERS = {"folium": ("geo.render", "geo._plugins"), "branca": ("geo.render", "geo._plugins"),
          "geopy": ("geo.geocode",), "urllib": ("geo.geocode",), "click": ("geo.cli",), "starlette": ("geo.server",), "watchfiles": ("geo.server",), "osmnx": ("geo.network",), "osmium": ("geo.network",), "uvicorn": ("geo.server",)}  # fmt: skip
#: Functions longer than MAX_LINES (docstring excluded), each with the reason it stays whole.
LONG_FUNCTIONS = {
    "geo.summary.access_summary": "one pass over radii with the straight-line access figures; next to be split",
}
MAX_LINES = 60


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, ast.parse(path.read_text(encoding="utf-8"))


def _layer(module):
    best = max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len, default=None)
    return LAYERS[best] if best else None


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "geo":
                yield from (f"geo.{a.name}" for a in node.names)
            else:
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


def test_every_module_has_a_layer():
    missing = [name for name, _ in _modules() if name != "geo" and _layer(name) is None]
    assert missing == []


def test_imports_run_one_way():
    wrong = []
    for name, tree in _modules():
        if name == "geo":
            continue
        for imported in _imports(tree):
            if imported.startswith("geo.") and _layer(imported) is not None and _layer(imported) > _layer(name):
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_third_party_owners():
    wrong = []
    for name, tree in _modules():
        for imported in _imports(tree):
            owners = OWNERS.get(imported.split(".")[0])
            if owners and not any(name == o or name.startswith(o + ".") for o in owners):
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def _is_cli(module):
    return module == "geo.cli" or module.startswith("geo.cli.")


def test_nothing_imports_the_cli():
    outside = [(n, t) for n, t in _modules() if not _is_cli(n) and n != "geo.__main__"]
    assert [n for n, t in outside if any(_is_cli(i) for i in _imports(t))] == []


def test_cli_command_modules_do_not_import_each_other():
    """rio's shape: a command module uses the shared options and messages, never another command module."""
    shared = {"geo.cli.options", "geo.cli.messages", "geo.cli.helpers", "geo.cli.main"}
    commands = [(n, t) for n, t in _modules() if _is_cli(n) and n not in (*shared, "geo.cli")]
    wrong = [f"{n} imports {i}" for n, t in commands for i in _imports(t) if _is_cli(i) and i not in shared]
    assert wrong == []


def _function_lengths():
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                body = node.body
                if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
                    body = body[1:]
                if body:
                    yield f"{name}.{node.name}", body[-1].end_lineno - body[0].lineno + 1


def test_functions_fit_in_a_head():
    long = {f: n for f, n in _function_lengths() if n > MAX_LINES and f not in LONG_FUNCTIONS}
    assert long == {}


@pytest.mark.parametrize("function", sorted(LONG_FUNCTIONS))
def test_listed_long_functions_exist_and_are_long(function):
    lengths = dict(_function_lengths())
    assert lengths.get(function, 0) > MAX_LINES, f"{function} is short now: drop it from LONG_FUNCTIONS"


def _doc_coverage():
    import importlib.util

    spec = importlib.util.spec_from_file_location("doc_coverage", PACKAGE.parent / "tools" / "doc_coverage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_public_function_has_a_numpydoc_section():
    """Every public function of geo/ has Parameters, Returns or Yields (issue 26).

    Exempt: click commands in geo/cli/ (their --help documents them), dunder methods, properties, a function that
    takes and returns nothing and whose docstring says what it does, and a server endpoint (request in, a response
    out) whose docstring says what it answers. See tools/doc_coverage.py.
    """
    assert _doc_coverage().undocumented(PACKAGE) == []
