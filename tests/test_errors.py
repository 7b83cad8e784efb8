import builtins

import pytest

from geo import errors

SUBCLASSES = [getattr(errors, name) for name in errors.__all__ if name != "GeoError"]


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
    assert err.problems == ["a: bad", "b: worse"]
    assert str(err) == "a: bad\nb: worse"
    assert isinstance(errors.CoordinateError("x"), ValueError)
