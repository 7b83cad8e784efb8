"""Issue 22: problems as data, sources required, sense checks and notes on placing, through the library and the CLI."""

import hashlib
import json
import re

import pytest

from geo import locale, places, store
from geo.cli import main, problem_line
from geo.errors import Problem, ValidationError
from geo.history import read_history

SOURCE = "测试来源 test source"
#: A 0.1° × 0.05° rectangle in the district's south (about 45 km²): no 游园 is that large.
RECT = {"type": "Polygon", "coordinates": [[[125.25, 43.78], [125.35, 43.78], [125.35, 43.83], [125.25, 43.83],
                                             [125.25, 43.78]]]}  # fmt: skip
MULIN = "mulin-pocket-park"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _problems(fn, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        fn(*args, **kwargs)
    return info.value.problems


def test_a_problem_is_a_frozen_record_whose_line_is_where_and_text():
    p = Problem("x-1", "stated_area_m2", "must be > 0", "invalid", code="area_positive", values={"got": "0"})
    assert str(p) == "x-1: must be > 0" and (p.field, p.kind, p.code) == ("stated_area_m2", "invalid", "area_positive")
    with pytest.raises(AttributeError):
        p.field = "name"  # type: ignore[misc]
    assert str(Problem("", "name", "plain")) == "plain" and Problem("a", "b", "c").kind == "invalid"


def test_every_catalogue_code_has_both_languages_and_fills_its_values():
    zh, en = locale.catalogue("zh-CN"), locale.catalogue("en")
    for section in ("problems", "refusals", "fields"):
        assert set(zh[section]) == set(en[section]), section
    for code, words in zh["problems"].items():
        assert re.search(r"[\u4e00-\u9fff]", words), code
        fills = set(re.findall(r"{(\w+)}", words)) - {"label"}  # the field's label is always at hand
        if code == "member_type":  # each language names the expected JSON type in its own words
            continue
        assert fills == set(re.findall(r"{(\w+)}", en["problems"][code])) - {"label"}, code
        assert not re.search(r"--[a-z]", words + en["problems"][code]), code
    p = Problem("geometry", "geometry", "lies 985 m outside 南关区", "outside", code="outside_district",
                values={"outside_m": 985})  # fmt: skip
    record = locale.problem_record(p)
    assert record["text"] == {"zh-CN": "位置在南关区以外 985 米", "en": "lies 985 m outside 南关区"}
    assert record["values"] == {"outside_m": 985} and record["field"] == "geometry"


def test_no_library_problem_names_a_command_line_option(valid_path):
    found = _problems(places.make_park, "测试园", area_m2=None, lonlat="125.33,43.85", park_class="zoo")
    found += _problems(places.update_place, "test-mall", {"colour": "red", "area": "x"}, valid_path)
    found += _problems(places.set_location, "test-unlocated-park", valid_path, source="", lonlat="200,43")
    assert found and not any(re.search(r"--[a-z]", str(p)) for p in found), found


def test_a_save_with_no_area_and_no_source_reports_both_and_the_cli_names_the_options(runner, valid_path):
    found = _problems(places.make_park, "测试园", area_m2=None, lonlat="125.33,43.85")
    assert [(p.field, p.kind) for p in found] == [("stated_area_m2", "missing"), ("location_source", "missing")]
    assert [problem_line(p) for p in found] == [
        "--area: the park's stated area in m² is required",
        "--source: say how you know where it is (e.g. 'site visit 2026-11-20', 'site plan'), got None",
    ]
    digest = _digest(valid_path)
    result = runner.invoke(main, ["add-park", "测试园", "--area", "500", "--lonlat", "125.33,43.85", "--class", "zoo",
                                  "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Error: --class: must be one of") and lines[1].startswith("--source: say how you know")
    assert _digest(valid_path) == digest


def test_a_new_figure_without_its_source_is_refused_on_the_source_field(runner, valid_path):
    digest = _digest(valid_path)
    found = _problems(places.update_place, "test-mall", {"area": "900"}, valid_path)
    assert [(p.field, p.kind, p.code) for p in found] == [("stated_area_source", "missing", "figure_source_required")]
    result = runner.invoke(main, ["update", "test-mall", "--area", "900", "--data", str(valid_path)])
    assert result.exit_code == 1 and result.output.startswith("Error: --area-source: say where the stated area")
    assert _digest(valid_path) == digest
    places.update_place("test-mall", {"area": "900", "area-source": "site plan"}, valid_path)
    mall = next(f for f in store.load_collection(valid_path)["features"] if f["properties"]["id"] == "test-mall")
    assert mall["properties"]["stated_area_source"] == "site plan"


def test_an_outline_far_too_large_for_its_class_is_refused_until_accepted_with_a_reason(runner, valid_path):
    digest = _digest(valid_path)
    feature, _ = places.make_park("巨型游园", area_m2=7400, geometry=RECT, park_class="游园", source=SOURCE)
    found = _problems(places.add_place, feature, valid_path)
    codes = {p.code: p for p in found}
    assert {"class_too_large", "area_mismatch"} <= set(codes)
    assert (
        codes["class_too_large"].values["limit_m2"] == 100_000
        and "CJJ/T 85-2017" in codes["class_too_large"].values["basis"]
    )
    assert codes["area_mismatch"].values["mapped_area_m2"] > 40_000_000
    assert "--confirm-area --reason" in problem_line(codes["area_mismatch"])
    ticked = _problems(places.add_place, feature, valid_path, confirm_area=True)
    assert ticked[0].field == "reason" and ticked[0].kind == "missing"
    hidden = _problems(places.add_place, feature, valid_path, confirm_area=True, reason="区划\u200b图")
    assert hidden[0].field == "reason"
    assert _digest(valid_path) == digest
    result = places.add_place(feature, valid_path, confirm_area=True, reason="测试：区划图上的范围", editor="张三")
    assert any("accepted: 测试：区划图上的范围" in w for w in result.warnings)
    assert read_history(valid_path)[-1]["reason"] == "测试：区划图上的范围"


def test_a_click_at_district_zoom_is_refused_and_a_close_click_records_its_radius(valid_path):
    digest = _digest(valid_path)
    found = _problems(places.set_location, "test-unlocated-park", valid_path, source=SOURCE, lonlat="125.33,43.85",
                      zoom=11)  # fmt: skip
    assert [(p.field, p.code) for p in found] == [("geometry", "zoom_too_coarse")]
    assert found[0].values["min_zoom"] == 13 and found[0].values["uncertainty_m"] > 500
    assert _digest(valid_path) == digest
    places.set_location("test-unlocated-park", valid_path, source=SOURCE, lonlat="125.33,43.85", zoom=13)
    props = next(f for f in store.load_collection(valid_path)["features"]
                 if f["properties"]["id"] == "test-unlocated-park")["properties"]  # fmt: skip
    assert props["precision"] == "approximate" and props["uncertainty_m"] == pytest.approx(137.9, abs=1)
    near, _ = places.make_park("近园", area_m2=500, lonlat="125.33,43.85", source=SOURCE, zoom=18)
    assert near["properties"]["precision"] == "exact" and near["properties"]["uncertainty_m"] == 30.0


def test_placing_an_unlocated_place_drops_the_notes_that_said_it_could_not_be_placed(bundled_path):
    before = next(f for f in store.load_collection(bundled_path)["features"] if f["properties"]["id"] == MULIN)
    assert "can be placed yet" in before["properties"]["notes"]
    result = places.set_location(MULIN, bundled_path, source=SOURCE, lonlat="125.3341,43.8412", editor="张三")
    after = next(f for f in store.load_collection(bundled_path)["features"] if f["properties"]["id"] == MULIN)
    notes = after["properties"]["notes"]
    assert notes == "Pocket park (口袋公园), opened in the first half of the report's year."
    (record,) = result.records  # the same change, one history record
    assert record["before"]["properties"]["notes"] == before["properties"]["notes"]
    assert record["after"]["properties"]["notes"] == notes


def test_notes_that_never_said_so_are_kept_whole():
    kept = {"notes": "A reserved (储备) project: no site yet.", "location_note": None}
    assert places.notes_after_placing(kept) == {}
    both = {"notes": "Named in a caption. Neither road has a sourced point, so the crossing stays unlocated."}
    assert places.notes_after_placing(both) == {"notes": "Named in a caption."}


def test_existing_records_without_a_source_keep_validating(bundled_path):
    data = json.loads(bundled_path.read_text(encoding="utf-8"))
    assert store.find_problems(bundled_path)[1] == []
    assert data["features"]
