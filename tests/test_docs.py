"""The shared numpydoc text (geo._docs): each rendered docstring documents every parameter of its signature."""

import importlib
from pathlib import Path

import pytest

from geo._docs import DOCUMENTED, PARAMETERS, RAISES, parameter_names, render, shared_docs

PACKAGE = Path(__file__).parent.parent / "geo"


def _users():
    """Import every module of geo/ that uses the decorator; return how many times they use it."""
    uses = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "@shared_docs(" in text or "shared_docs()(" in text:
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
            uses += text.count("@shared_docs(") + text.count("shared_docs()(")
    return uses


def _parameters_section(doc):
    lines = doc.splitlines()
    if "Parameters" not in lines:
        return []
    start = lines.index("Parameters") + 2
    out = []
    for k, line in enumerate(lines[start:], start):
        if k + 1 < len(lines) and lines[k + 1].strip() and set(lines[k + 1].strip()) == {"-"}:
            break
        if line.strip() and not line[0].isspace():
            out += [n.strip() for n in line.split(" : ", 1)[0].split(",")]
    return out


def test_every_decorated_docstring_documents_its_whole_signature():
    uses = _users()
    assert uses > 20
    assert len({id(obj) for obj in DOCUMENTED}) >= uses  # companion's one use makes a finder per kind of file
    for obj in DOCUMENTED:
        names = parameter_names(obj)
        documented = _parameters_section(obj.__doc__)
        assert [n for n in documented if n in names] == names, obj.__qualname__


def test_a_shared_entry_is_filled_in_signature_order_and_an_own_entry_wins():
    def f(path, size, problem=None):
        """Do a thing.

        Parameters
        ----------
        size : int
            How many.
        problem : str
            Its own words.

        Returns
        -------
        int
        """

    doc = render(f, f.__doc__)
    assert _parameters_section(doc) == ["path", "size", "problem"]
    assert f"path : {PARAMETERS['path'].splitlines()[0]}" in doc
    assert "problem : str\n    Its own words." in doc
    assert PARAMETERS["problem"] not in doc
    assert doc.index("Parameters") < doc.index("Returns")


def test_a_parameter_documented_nowhere_is_an_error_at_decoration():
    with pytest.raises(TypeError, match="'colour' is documented neither"):

        @shared_docs()
        def g(path, colour):
            """Paint.

            Returns
            -------
            None
            """


def test_raises_entries_come_from_the_table_in_numpydoc_order():
    def h(feature):
        """Check.

        Returns
        -------
        bool

        Examples
        --------
        >>> 1
        1
        """

    doc = render(h, h.__doc__, ("invalid",))
    assert doc.index("Parameters") < doc.index("Returns") < doc.index("Raises") < doc.index("Examples")
    assert RAISES["invalid"].splitlines()[0] in doc
    with pytest.raises(KeyError):
        render(h, h.__doc__, ("no such error",))


def test_a_class_is_documented_by_its_init():
    class Service:
        """A service.

        Parameters
        ----------
        key : str
            Its key.
        """

        def __init__(self, key, *, city=None, timeout=None):
            pass

    doc = render(Service, Service.__doc__)
    assert _parameters_section(doc) == ["key", "city", "timeout"]
    assert "self" not in _parameters_section(doc)
