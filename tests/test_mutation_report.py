"""The mutation benchmark's report: statuses are counted per module and scored honestly."""

from __future__ import annotations

from benchmarks import mutation

RESULTS = """\
    geo.coords.x_wgs84_to_gcj02__mutmut_1: killed
    geo.coords.x_wgs84_to_gcj02__mutmut_2: survived
    geo.coords.x_in_china__mutmut_3: timeout
    geo.model.xǁPlaceǁto_feature__mutmut_8: no tests
    geo.model.x_text_key__mutmut_1: killed
    geo.model.x_text_key__mutmut_2: not checked
    geo.places.add.x_make_park__mutmut_4: killed
    geo.placesx.x_other__mutmut_1: killed
    some other line
"""


def test_statuses_are_counted_per_module_including_class_methods_and_packages():
    got = mutation.tally(RESULTS)
    assert got["geo.coords"] == {"killed": 1, "survived": 1, "timeout": 1}
    assert got["geo.model"] == {"no tests": 1, "killed": 1, "not checked": 1}
    assert got["geo.places"] == {"killed": 1}  # geo.placesx is not geo.places
    assert got["geo.store"] == {}


def test_the_score_counts_hangs_as_caught_and_untested_mutants_against_it():
    got = mutation.tally(RESULTS)
    assert mutation.score(got["geo.coords"]) == 2 / 3
    assert mutation.score(got["geo.model"]) == 1 / 2  # "not checked" is left out, "no tests" is not
    assert mutation.score(got["geo.store"]) is None
    text = mutation.table(got)
    assert "66.7%" in text and "50.0%" in text
    assert text.splitlines()[-1].split()[0] == "all"
    assert text.splitlines()[-1].split()[-1] == f"{100 * 4 / 6:.1f}%"  # 4 caught of 6 counted
