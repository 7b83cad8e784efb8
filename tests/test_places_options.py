"""The keyword options the changes of geo.places share: declared once, shown and refused as plain keywords."""

import dataclasses
import inspect
import typing

import pytest

from geo import places
from geo.places import _options, upload
from geo.places._options import ChangeKeywords, ChangeOptions, takes

PUBLIC = [getattr(places, name) for name in places.__all__ if inspect.isfunction(getattr(places, name))]
PUBLIC += [upload.preview_upload, upload.import_upload]
SECTION_ENDS = ("Returns", "Yields", "Raises", "Notes", "Examples")


def _documented(func):
    """Return the parameter names a docstring's Parameters section lists (``a, b`` lines count each name)."""
    lines = inspect.getdoc(func).splitlines()
    start = lines.index("Parameters") + 2
    names = set()
    for line in lines[start:]:
        if line in SECTION_ENDS:
            break
        if line and not line.startswith(" "):
            names.update(n.strip().lstrip("*") for n in line.split(" : ")[0].split(","))
    return names


def _undocumented(func):
    return [name for name in inspect.signature(func).parameters if name not in _documented(func)]


@pytest.mark.parametrize("func", PUBLIC, ids=lambda f: f.__name__)
def test_every_parameter_of_a_public_function_is_documented(func):
    assert _undocumented(func) == []


def test_an_undocumented_parameter_is_caught():
    @takes("dry_run")
    def change(ident, forgotten=None, **options):
        """Do something.

        Parameters
        ----------
        ident : str
            The place.

        Returns
        -------
        None
        """

    assert _undocumented(change) == ["forgotten"]
    assert "dry_run" in _documented(change)


def test_the_signature_lists_the_options_a_change_takes_with_their_defaults():
    shown = inspect.signature(places.remove_place).parameters
    assert list(shown) == ["ident", "path", "dry_run", "expect_version", "state", "editor", "wait"]
    assert shown["dry_run"].kind is inspect.Parameter.KEYWORD_ONLY
    assert shown["dry_run"].default is False
    assert shown["wait"].default is None
    assert "extra" not in shown
    required = inspect.signature(places.add_places).parameters
    assert required["update"].default is inspect.Parameter.empty
    assert required["reason"].default is None


def test_an_option_a_change_does_not_take_is_refused_before_anything_runs(tmp_path):
    data = tmp_path / "none.geojson"  # never read: the call is refused first
    with pytest.raises(TypeError, match=r"^remove_place\(\) got an unexpected keyword argument 'extra'$"):
        places.remove_place("x", data, extra={"reviewer": "someone"})
    with pytest.raises(TypeError, match=r"^update_place\(\) got an unexpected keyword argument 'dryrun'$"):
        places.update_place("x", {"name": "y"}, data, dryrun=True)
    with pytest.raises(TypeError, match=r"^add_places\(\) missing a required argument: 'update'$"):
        places.add_places([], data, action="add", allow_outside=False, confirm_area=False, dry_run=True)
    with pytest.raises(TypeError, match=r"^undo_change\(\) missing a required argument: 'editor'$"):
        places.undo_change("c1", data)
    assert not data.exists()


def test_keywords_and_options_name_the_same_fields_with_the_same_types():
    hints = typing.get_type_hints(ChangeKeywords)
    fields = {f.name: f.type for f in dataclasses.fields(ChangeOptions)}
    assert list(hints) == list(fields)
    assert {name: _options._annotation(name) for name in hints} == fields
    assert all(f.metadata["doc"] for f in dataclasses.fields(ChangeOptions))


def test_the_options_object_is_frozen():
    how = ChangeOptions(dry_run=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        how.dry_run = False  # type: ignore[misc]


def test_an_option_that_is_not_declared_cannot_be_taken():
    with pytest.raises(ValueError, match="dryrun"):
        takes("dryrun")
    with pytest.raises(ValueError, match="wait"):
        takes("dry_run", required=("wait",))


def test_taking_expect_version_documents_the_conflict_it_raises():
    assert "geo.errors.ConflictError" in inspect.getdoc(places.update_place).split("Raises")[1]
    assert "ConflictError" not in inspect.getdoc(places.add_place).split("Raises")[1]
