"""One home for the numpydoc text several functions share: common parameters and raised errors.

A function (or class) decorated with :func:`shared_docs` writes in its own docstring only what is
its own. Each parameter of its signature that the docstring's ``Parameters`` section leaves out gets
its entry from :data:`PARAMETERS`, in the signature's order, and each error it names gets its
``Raises`` entry from :data:`RAISES`. A parameter documented in neither place is a ``TypeError`` when
the module is imported, so every rendered docstring documents every parameter of its signature
(``tests/test_docs.py`` checks each decorated object).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["DOCUMENTED", "PARAMETERS", "RAISES", "parameter_names", "shared_docs"]

_T = TypeVar("_T", bound=Callable[..., Any])

_DATA_FILE = "str or os.PathLike, optional\n    The data file; None finds the default one (:func:`geo.resources.find_data_path`)."
#: Parameter name -> the rest of its numpydoc entry (type line, then the indented description).
PARAMETERS: dict[str, str] = {
    "path": _DATA_FILE,
    "data_path": _DATA_FILE,
    "feature": "mapping\n    A place as a GeoJSON Feature.",
    "problem": "geo.errors.Problem\n    The problem.",
    "problems": "list of geo.errors.Problem\n    The problems, in the order they were found.",
    "language": "str\n    ``zh-CN`` or ``en``.",
    "city": "str, optional\n    Restricts answers to this city (the service's spelling of 长春 by default).",
    "timeout": "float, optional\n    Seconds to wait for a web service's answer; None reads ``GEO_TIMEOUT`` (:data:`geo.settings.timeout`).",
}
#: Name used in ``shared_docs(raises=...)`` -> the numpydoc ``Raises`` entry.
RAISES: dict[str, str] = {
    "invalid": "geo.errors.ValidationError\n    Listing every problem, one per line.",
}
#: Every object :func:`shared_docs` has documented, for the test that reads them all.
DOCUMENTED: list[Callable[..., Any]] = []

#: numpydoc's section order, where a filled section is inserted.
_ORDER = (
    "Parameters",
    "Returns",
    "Yields",
    "Receives",
    "Other Parameters",
    "Raises",
    "Warns",
    "Warnings",
    "See Also",
    "Notes",
    "References",
    "Examples",
)


def _split(doc: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """Split a cleaned docstring into its text before the first section and its ``(title, lines)`` sections."""
    lines = doc.splitlines()
    heads = [
        i
        for i in range(len(lines) - 1)
        if lines[i].strip() and set(lines[i + 1].strip()) == {"-"} and len(lines[i + 1].strip()) >= 3
    ]
    intro = "\n".join(lines[: heads[0]] if heads else lines).rstrip()
    sections = []
    for k, start in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(lines)
        sections.append((lines[start].strip(), lines[start + 2 : end]))
    return intro, sections


def _entries(lines: list[str]) -> list[tuple[list[str], list[str]]]:
    """Return a Parameters section's entries as ``(names, lines)``: an entry starts at an unindented line."""
    out: list[tuple[list[str], list[str]]] = []
    for line in lines:
        if line.strip() and not line[0].isspace():
            names = [n.strip() for n in line.split(" : ", 1)[0].split(",")]
            out.append((names, [line]))
        elif out:
            out[-1][1].append(line)
    return out


def parameter_names(obj: Callable[..., Any]) -> list[str]:
    """Return the names a docstring of ``obj`` must document: its signature's parameters but ``self`` and ``cls``.

    Parameters
    ----------
    obj : callable
        A function, or a class (its ``__init__``).

    Returns
    -------
    list of str
        ``*args`` and ``**kwargs`` keep their stars.
    """
    stars: dict[Any, str] = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}
    return [
        stars.get(p.kind, "") + p.name
        for p in inspect.signature(obj).parameters.values()
        if p.name not in ("self", "cls")
    ]


def _parameters(obj: Callable[..., Any], lines: list[str]) -> list[str]:
    """Return the Parameters section's lines: the docstring's own entries and the table's, in signature order."""
    own = _entries(lines)
    by_name = {name: entry for entry in own for name in entry[0]}
    out: list[str] = []
    used: list[int] = []
    for name in parameter_names(obj):
        entry = by_name.get(name)
        if entry is not None:
            if id(entry) not in used:
                used.append(id(entry))
                out += entry[1]
        elif name in PARAMETERS:
            out += f"{name} : {PARAMETERS[name]}".splitlines()
        else:
            msg = f"{obj.__qualname__}: parameter {name!r} is documented neither in its docstring nor in geo._docs.PARAMETERS"
            raise TypeError(msg)
    for entry in own:  # entries for names the signature does not have (documented on purpose) stay, last
        if id(entry) not in used:
            out += entry[1]
    return [line for line in out if line.strip()]


def _insert(sections: list[tuple[str, list[str]]], title: str, lines: list[str]) -> None:
    """Put a section in its numpydoc place, or extend the one already there."""
    for k, (name, body) in enumerate(sections):
        if name == title:
            sections[k] = (name, [line for line in body if line.strip()] + lines)
            return
    rank = _ORDER.index(title)
    where = next((k for k, (name, _) in enumerate(sections) if name in _ORDER and _ORDER.index(name) > rank), None)
    sections.insert(len(sections) if where is None else where, (title, lines))


def render(obj: Callable[..., Any], doc: str, raises: tuple[str, ...] = ()) -> str:
    """Return ``doc`` with the shared entries filled in for ``obj``'s signature (see the module's docstring).

    Parameters
    ----------
    obj : callable
        The function or class the docstring documents.
    doc : str
        Its own docstring.
    raises : tuple of str
        Names of :data:`RAISES` entries to add to its ``Raises`` section.

    Returns
    -------
    str
        The cleaned docstring with its Parameters (and Raises) sections complete.

    Raises
    ------
    TypeError
        For a parameter documented nowhere.
    KeyError
        For an error name :data:`RAISES` does not have.
    """
    intro, sections = _split(inspect.cleandoc(doc))
    own = next((body for name, body in sections if name == "Parameters"), [])
    filled = _parameters(obj, own)
    sections = [(name, body) for name, body in sections if name != "Parameters"]
    if filled:
        _insert(sections, "Parameters", filled)
    if raises:
        _insert(sections, "Raises", [line for key in raises for line in RAISES[key].splitlines()])
    parts = [intro] + ["\n".join([name, "-" * len(name), *body]).rstrip() for name, body in sections]
    return "\n\n".join(parts) + "\n"


def shared_docs(*, raises: tuple[str, ...] = ()) -> Callable[[_T], _T]:
    """Make the decorator that fills an object's docstring from the shared tables.

    Parameters
    ----------
    raises : tuple of str
        Names of :data:`RAISES` entries the object raises.

    Returns
    -------
    callable
        The decorator: it rewrites ``__doc__`` with :func:`render` and returns the object itself.
    """

    def decorate(obj: _T) -> _T:
        obj.__doc__ = render(obj, obj.__doc__ or "", raises)
        DOCUMENTED.append(obj)
        return obj

    return decorate
