import json
import subprocess
import sys

from geo import __version__
from geo.cli import main


def test_version_and_help(runner):
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "build"):
        assert command in result.output


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "geo", "--version"], capture_output=True, text=True, check=True)
    assert __version__ in out.stdout


def test_help_does_not_import_heavy_libraries():
    code = "import sys; from geo.cli import main; print(','.join(m for m in ('geopandas','folium','shapely','pyproj') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_validate_clean_file(runner, valid_path):
    result = runner.invoke(main, ["validate", "--data", str(valid_path)])
    assert result.exit_code == 0, result.output
    assert "valid, 5 places (3 located, 2 unlocated)" in result.output


def test_validate_lists_every_problem_and_exits_1(runner, valid_path):
    fc = json.loads(valid_path.read_text(encoding="utf-8"))
    fc["features"][0]["properties"]["category"] = "zoo"
    fc["features"][1]["properties"]["stated_area_m2"] = -3
    fc["features"][2]["geometry"]["coordinates"] = [43.84, 125.33]
    fc["features"][3]["properties"]["id"] = "test-mall"
    valid_path.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(valid_path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert "test-mall: category must be one of park, commerce" in lines[0]
    assert any(line.startswith("test-square-park: stated_area_m2 must be > 0, got -3") for line in lines)
    assert any("test-gcj-park" in line and "(lat, lon) order" in line for line in lines)
    assert any("id is not unique" in line for line in lines)
    assert lines[-1].endswith("4 problem(s)")
    assert "Traceback" not in result.output


def test_validate_corrupt_file_is_one_line(runner, tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    result = runner.invoke(main, ["validate", "--data", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: data file") and "is not valid JSON" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_validate_missing_file(runner, tmp_path):
    result = runner.invoke(main, ["validate", "--data", str(tmp_path / "nope.geojson")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_build_refuses_invalid_data(runner, valid_path, tmp_path):
    valid_path.write_text('{"type": "Feature"}', encoding="utf-8")
    result = runner.invoke(main, ["build", "--data", str(valid_path), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert "type must be 'FeatureCollection'" in result.output
    assert not (tmp_path / "site" / "index.html").exists()
