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


def test_a_sample_draws_the_same_mutants_per_module_for_the_same_seed():
    names = mutation.statuses(RESULTS)
    assert names["geo.places.add.x_make_park__mutmut_4"] == ("geo.places", "killed")
    assert "geo.placesx.x_other__mutmut_1" not in names
    one = mutation.sample(names, 2, seed=1)
    assert one == mutation.sample(names, 2, seed=1)
    per_module = {m: sum(1 for n in one if names[n][0] == m) for m in mutation.MODULES}
    assert per_module == {"geo.coords": 2, "geo.model": 2, "geo.store": 0, "geo.summary": 0, "geo.places": 1}
    assert len({frozenset(mutation.sample(names, 2, seed=s)) for s in range(40)}) > 1


def test_the_wilson_interval_matches_its_formula_and_stays_within_zero_and_one():
    low, high = mutation.wilson(90, 100)
    assert (round(low, 4), round(high, 4)) == (0.8256, 0.9448)  # the textbook values for 90 of 100
    assert mutation.wilson(10, 10)[1] == 1.0 and mutation.wilson(0, 10)[0] == 0.0
    assert mutation.wilson(0, 0) == (0.0, 1.0)


def test_a_drawn_mutant_no_test_reaches_counts_as_untested_even_unrun():
    drawn = {"geo.model.x_text_key__mutmut_2", "geo.model.x_text_key__mutmut_1"}
    got = mutation.tally_sample(RESULTS, mutation.MODULES, drawn, tested={"geo.model.x_text_key"})
    assert got["geo.model"] == {"killed": 1, "not checked": 1}
    got = mutation.tally_sample(RESULTS, mutation.MODULES, drawn, tested=set())
    assert got["geo.model"] == {"killed": 1, "no tests": 1}
    text = mutation.table(got, interval=True)
    assert "95% interval" in text.splitlines()[0] and text.splitlines()[2].endswith("9.5–90.5%")  # 1 of 2


def test_the_total_of_a_sample_weights_each_module_by_its_size():
    import collections

    per_module = {"geo.coords": collections.Counter(killed=10), "geo.model": collections.Counter(killed=5, survived=5)}
    estimate, low, high = mutation.stratified(per_module, {"geo.coords": 100, "geo.model": 900})
    assert round(estimate, 6) == 0.55  # 0.1 × 100 % + 0.9 × 50 %; pooling the samples would say 75 %
    half = 1.96 * (0.81 * 0.25 / 10) ** 0.5
    assert (round(low, 6), round(high, 6)) == (round(0.55 - half, 6), round(0.55 + half, 6))
    text = mutation.table(per_module, interval=True, population={"geo.coords": 100, "geo.model": 900})
    last = text.splitlines()[-1].split()
    assert last[:3] == ["all", "1000", "20"] and last[-2] == "55.0%"
    assert text.splitlines()[1].split()[1] == "100"  # a module's row shows its size, not the sample's
