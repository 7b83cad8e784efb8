import builtins

import pytest

from geo import errors

EXCEPTIONS = [getattr(errors, name) for name in errors.__all__]
SUBCLASSES = [
    c for c in EXCEPTIONS if isinstance(c, type) and issubclass(c, BaseException) and c is not errors.GeoError
]


def test_only_problem_and_its_helpers_are_not_exceptions():
    others = {c.__name__ for c in EXCEPTIONS if not (isinstance(c, type) and issubclass(c, BaseException))}
    assert others == {"Problem", "prefixed", "unprefixed"}


@pytest.mark.parametrize("cls", SUBCLASSES, ids=lambda c: c.__name__)
def test_every_error_is_a_geo_error_and_a_builtin(cls):
    assert issubclass(cls, errors.GeoError)
    builtin_bases = [
        b for b in cls.__mro__ if b.__module__ == "builtins" and b not in (object, BaseException, Exception)
    ]
    if cls is not errors.GeocodeError:
        assert builtin_bases, f"{cls.__name__} mixes in no builtin"
    assert all(getattr(builtins, b.__name__) is b for b in builtin_bases)


def test_validation_error_keeps_every_problem():
    err = errors.ValidationError(["a: bad", "b: worse"])
    assert [str(p) for p in err.problems] == ["a: bad", "b: worse"]
    assert all(isinstance(p, errors.Problem) for p in err.problems)
    assert str(err) == "a: bad\nb: worse"
    assert isinstance(errors.CoordinateError("x"), ValueError)


def test_a_problem_is_its_text_and_says_its_field_and_kind():
    from geo.model import check_feature

    feature = {"type": "Feature", "geometry": None, "properties": {"id": "otherwise-park", "name": "x",
               "category": "park", "stated_area_m2": -5}}  # fmt: skip
    found = {p.field: p for p in check_feature(feature) if isinstance(p, errors.Problem)}
    area = found["stated_area_m2"]
    assert area.kind == "invalid" and area.field == "stated_area_m2"
    assert "stated_area_m2 must be > 0, got -5" in str(area)
    assert found["status"].kind == "missing"  # status is required
    # A prefix keeps the structure; a plain line becomes a problem of the record.
    outer = errors.prefixed("new place", area)
    assert str(outer) == f"new place: {area}" and outer.field == "stated_area_m2" and outer.kind == "invalid"
    plain = errors.prefixed("row 3", "something odd")
    assert str(plain) == "row 3: something odd" and plain.field == "" and plain.kind == "invalid"
    # Pickled (a subprocess), it stays a problem with its field.
    import pickle

    assert pickle.loads(pickle.dumps(area)) == area


def test_the_editor_puts_problems_next_to_their_fields_by_field_not_by_wording():
    from geo.server import problems_by_field

    odd = errors.Problem("features[0] (id 'x')", "stated_area_m2", "the wording can change freely")
    plain = errors.Problem.of("name: plain text")
    by = problems_by_field([odd, errors.Problem("park_class", "park_class", "must be one of …"), plain])
    assert by == {"area": ["公布面积不符合要求：the wording can change freely"],
                  "class": ["公园分类不符合要求：must be one of …"], "form": ["name: plain text"]}  # fmt: skip


def test_unprefixed_drops_only_a_leading_prefix_and_keeps_field_and_kind():
    from geo.errors import Problem, unprefixed

    line = unprefixed("x-1: ", Problem("x-1", "name", "name is blank, x-1: twice", "missing"))
    assert (str(line), line.field, line.kind) == ("name is blank, x-1: twice", "name", "missing")
    plain = unprefixed("y: ", "not y: here")
    assert (str(plain), plain.field, plain.kind) == ("not y: here", "", "invalid")
