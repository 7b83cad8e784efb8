"""Count public functions of ``geo/`` and those with a numpydoc section.

Run from the repository root: ``python3 tools/doc_coverage.py`` prints the
public functions, the documented ones and the ``# fmt: skip`` comments, and
``--missing`` lists the undocumented functions as ``path:line name``.
"""

from __future__ import annotations

import ast
import pathlib
import sys

SECTIONS = ("Parameters\n", "Returns\n", "Yields\n")


def _is_click_command(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for dec in node.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Attribute) and target.attr in ("command", "group"):
            return True
    return False


def _is_exempt(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    if node.name.startswith("__") and node.name.endswith("__"):
        return True
    for dec in node.decorator_list:
        name = dec.attr if isinstance(dec, ast.Attribute) else getattr(dec, "id", "")
        if name in ("property", "setter", "cached_property"):
            return True
    return _is_click_command(node) or _says_what_it_does(node) or _is_endpoint(node)


def _is_endpoint(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Tell whether this is a Starlette endpoint (``request`` only) whose docstring says what it answers."""
    args = node.args
    params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    return isinstance(node, ast.AsyncFunctionDef) and params == ["request"] and bool(ast.get_docstring(node))


def _says_what_it_does(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Tell whether a docstring alone is enough: the function takes nothing (but ``self``) and returns nothing."""
    args = node.args
    params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs if a.arg not in ("self", "cls")]
    returns_none = node.returns is None or (isinstance(node.returns, ast.Constant) and node.returns.value is None)
    return bool(ast.get_docstring(node)) and not params and not args.vararg and not args.kwarg and returns_none


def public_functions(root: pathlib.Path) -> list[tuple[pathlib.Path, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """List the public functions and methods of public classes under ``root``.

    Parameters
    ----------
    root : pathlib.Path
        The package folder to walk.

    Returns
    -------
    list of tuple
        ``(path, node)`` for every function whose name does not start with
        ``_``, top-level or a method of a class whose name does not.
    """
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            nodes: list[ast.stmt] = [node]
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                nodes += node.body
            for n in nodes:
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and not n.name.startswith("_"):
                    found.append((path, n))
    return found


def undocumented(root: pathlib.Path) -> list[str]:
    """Name the public functions under ``root`` without a numpydoc section.

    Click commands (documented by ``--help``), dunder methods, properties,
    functions that take and return nothing but say what they do, and the
    server's endpoints (``request`` in, a response out) that say what they
    answer are exempt.

    Parameters
    ----------
    root : pathlib.Path
        The package folder whose public functions are checked.

    Returns
    -------
    list of str
        ``path:line name`` for each function that lacks a section.
    """
    missing = []
    for path, node in public_functions(root):
        doc = ast.get_docstring(node) or ""
        if _is_exempt(node) or any(s in doc for s in SECTIONS):
            continue
        missing.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name}")
    return missing


def main(argv: list[str]) -> int:
    """Print the counts, or with ``--missing`` the undocumented functions."""
    root = pathlib.Path("geo")
    if "--missing" in argv:
        print("\n".join(undocumented(root)))
        return 0
    pub = public_functions(root)
    doc = sum(any(s in (ast.get_docstring(n) or "") for s in SECTIONS) for _, n in pub)
    skips = sum(p.read_text(encoding="utf-8").count("# fmt: skip") for p in root.rglob("*.py"))
    print(f"public {len(pub)}  with section {doc}  missing (not exempt) {len(undocumented(root))}  fmt-skip {skips}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
