"""The package works outside the checkout: data discovery, geo init, extras, versions, CRSs, '-', -v, full disks."""

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import geo
from geo import resources, settings, summary
from geo.cli import main
from geo.errors import MissingExtraError, StoreError, ValidationError
from geo.store import load_collection, load_locations

REPO = Path(__file__).resolve().parent.parent
PARK = {"type": "Feature", "properties": {"name": "管道园", "stated_area_m2": 5000},
        "geometry": {"type": "Point", "coordinates": [125.334, 43.841]}}  # fmt: skip


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """An empty working folder with no data file above it and no GEO_DATA."""
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("GEO_DATA", raising=False)
    monkeypatch.setattr(settings, "locations_path", None)
    return folder


# ------------------------------------------------------------------ finding the data


def test_data_is_found_by_option_then_env_then_folder_then_parents(elsewhere, valid_path, monkeypatch):
    with pytest.raises(StoreError, match=r"no data file: .* run `geo init`"):
        resources.find_data_path()
    (elsewhere / "data").mkdir()
    shutil.copy(valid_path, elsewhere / "data" / "locations.geojson")
    assert resources.find_data_path() == Path("data/locations.geojson")  # here: relative, as typed
    (elsewhere / "a" / "b").mkdir(parents=True)
    monkeypatch.chdir(elsewhere / "a" / "b")
    assert resources.find_data_path() == elsewhere / "data" / "locations.geojson"  # the nearest parent
    other = elsewhere / "other.geojson"
    monkeypatch.setenv("GEO_DATA", str(other))
    assert resources.find_data_path() == other  # GEO_DATA beats the folders
    assert resources.find_data_path("given.geojson") == Path("given.geojson")  # and --data beats GEO_DATA
    monkeypatch.setattr(settings, "locations_path", "set/by/script.geojson")
    assert resources.find_data_path() == Path("set/by/script.geojson")


def test_without_data_every_command_says_run_geo_init_in_one_line(runner, elsewhere):
    for args in (["validate"], ["build"], ["summary"], ["history"], ["remove", "x"],
                 ["add-park", "--source", "测试来源 test source", "新园", "--area", "5000", "--lonlat", "125.334,43.841"]):  # fmt: skip
        result = runner.invoke(main, args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: no data file") and "geo init" in lines[0], args
    assert list(elsewhere.iterdir()) == []  # nothing was created on the way


def test_geo_init_writes_a_working_folder_and_never_replaces_data(runner, elsewhere):
    result = runner.invoke(main, ["init", "atlas"])
    assert result.exit_code == 0, result.output
    data = elsewhere / "atlas" / "data" / "locations.geojson"
    assert (
        data.read_bytes() == resources.report_data().read_bytes() == (REPO / "data" / "locations.geojson").read_bytes()
    )
    readme = (elsewhere / "atlas" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# 南关区") and "geo build --offline" in readme
    data.write_text(data.read_text(encoding="utf-8").replace("睦邻园", "睦邻园", 1), encoding="utf-8")
    before = data.read_bytes()
    again = runner.invoke(main, ["init", "atlas"])
    assert again.exit_code == 1 and "exists already; nothing written" in again.output
    assert data.read_bytes() == before
    (elsewhere / "atlas" / "sub").mkdir()
    import os

    os.chdir(elsewhere / "atlas" / "sub")  # the fixture's monkeypatch.chdir restores the folder afterwards
    found = runner.invoke(main, ["validate"])
    assert found.exit_code == 0 and f"{data}: valid, 29 places" in found.output


def test_group_data_option_and_command_option(runner, elsewhere, valid_path, bundled_path):
    result = runner.invoke(main, ["--data", str(valid_path), "validate"])
    assert result.exit_code == 0 and f"{valid_path}: valid, 5 places" in result.output
    result = runner.invoke(main, ["--data", str(valid_path), "validate", "--data", str(bundled_path)])
    assert result.exit_code == 0 and f"{bundled_path}: valid, 29 places" in result.output


def test_geo_data_environment_variable(runner, elsewhere, valid_path, monkeypatch):
    monkeypatch.setenv("GEO_DATA", str(valid_path))
    result = runner.invoke(main, ["summary", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["parks"]["count"] == 3  # places_valid.geojson: 5 places, 3 of them parks


# ------------------------------------------------------------------ extras


def _without(monkeypatch, *names):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in names else real(name, *a))


@pytest.mark.parametrize(
    ("args", "missing", "extra"),
    [
        (["serve", "--port", "0"], "starlette", "serve"),
        (["serve", "--port", "0"], "watchfiles", "serve"),
        (["summary", "--plot", "chart.png"], "matplotlib", "plot"),
        (["summary", "--network"], "osmnx", "network"),
        (["build", "--network"], "networkx", "network"),
        (["network", "import", "x.osm"], "osmium", "network"),
        (["summary", "--engine", "dask"], "dask_geopandas", "dask"),
    ],
)
def test_a_missing_extra_is_one_line_naming_it(runner, valid_path, tmp_path, monkeypatch, args, missing, extra):
    monkeypatch.chdir(tmp_path)
    _without(monkeypatch, missing)
    result = runner.invoke(main, ["--data", str(valid_path), *args])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert f"needs the [{extra}] extra ({missing}" in lines[0] and f'pip install "nanguan-geo[{extra}]"' in lines[0]
    assert not (tmp_path / "chart.png").exists()


def test_need_raises_a_geo_error():
    resources.need("plot", "a chart")  # installed here: no error
    with pytest.raises(MissingExtraError, match=r"^x needs the \[nope\] extra \(no_such_module_here not installed\)"):
        resources.EXTRAS["nope"] = ("no_such_module_here",)
        try:
            resources.need("nope", "x")
        finally:
            del resources.EXTRAS["nope"]


BLOCKER = """
import importlib.abc, sys
BLOCKED = {"starlette", "uvicorn", "watchfiles", "osmnx", "osmium", "networkx", "scipy", "matplotlib", "dask", "dask_geopandas",
           "distributed", "pyarrow"}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked: not in the base install)")
sys.meta_path.insert(0, Block())
from geo.cli import main
main(sys.argv[1:], prog_name="geo")
"""


def test_the_base_install_builds_validates_adds_imports_and_summarises(tmp_path, bundled_path):
    """With every extra's modules made unimportable, the base commands still work end to end."""
    park = tmp_path / "park.geojson"
    park.write_text(json.dumps(PARK, ensure_ascii=False), encoding="utf-8")
    data = str(bundled_path)
    for args in (["validate"], ["build", "--offline", "--out", str(tmp_path / "site")], ["summary"],
                 ["add-park", "--source", "测试来源 test source", "基础园", "--area", "5000", "--lonlat", "125.336,43.843", "--class", "游园"],
                 ["import", str(park), "--no-input"], ["geocode", "万象城"], ["versions"]):  # fmt: skip
        out = subprocess.run([sys.executable, "-c", BLOCKER, "--data", data, *args], capture_output=True, text=True,
                             cwd=tmp_path, timeout=300)  # fmt: skip
        assert out.returncode == 0, (args, out.stderr)
    assert (tmp_path / "site" / "lib" / "leaflet@1.9.4" / "dist" / "leaflet.js").is_file()
    names = {f["properties"]["name"] for f in load_collection(bundled_path)["features"]}
    assert {"基础园", "管道园"} <= names
    for args, extra in (
        (["serve"], "serve"),
        (["summary", "--plot", "c.png"], "plot"),
        (["summary", "--network"], "network"),
    ):
        out = subprocess.run([sys.executable, "-c", BLOCKER, "--data", data, *args], capture_output=True, text=True,
                             cwd=tmp_path, timeout=300)  # fmt: skip
        assert out.returncode == 1 and out.stderr.count("\n") == 1, (args, out.stderr)
        assert out.stderr.startswith("Error: ") and f"needs the [{extra}] extra" in out.stderr


# ------------------------------------------------------------------ versions


def test_geo_versions_reports_python_the_package_and_dependencies(runner, bundled_path):
    result = runner.invoke(main, ["--data", str(bundled_path), "versions", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["system"]["python"] == sys.version.split()[0]
    assert info["geo"]["version"] == geo.__version__
    assert info["geo"]["report data"] == str(resources.report_data())
    assert set(info["libraries"]) == {"GEOS", "PROJ", "GDAL"} and info["libraries"]["GEOS"]
    import shapely

    assert info["dependencies"]["base"]["shapely"] == shapely.__version__
    text = runner.invoke(main, ["versions"]).stdout
    assert text.startswith("SYSTEM\n------\npython") and "GEOS, PROJ, GDAL" in text and "\nshapely " in text


# ------------------------------------------------------------------ summaries measure true areas


@pytest.mark.parametrize("crs", ["EPSG:3857", "EPSG:4326", "EPSG:4490", "EPSG:32651"])
def test_a_frame_in_an_area_distorting_crs_gives_the_same_summary(bundled_path, crs):
    places = load_locations(bundled_path)
    reference = summary.summarize(places)
    got = summary.summarize(places.to_crs(crs))
    assert got["crs"] == "EPSG:32651"
    assert [r["district_area_share"] for r in got["access"]] == [r["district_area_share"] for r in reference["access"]]
    assert got["access"][0]["district_area_share"] == pytest.approx(0.001056, abs=5e-7)


def test_area_distortion_tells_utm_from_web_mercator():
    lons, lats = [125.24, 125.57, 125.4], [43.51, 43.91, 43.7]
    assert summary.area_distortion("EPSG:32651", lons, lats) < 0.001
    assert summary.area_distortion("EPSG:3857", lons, lats) == pytest.approx(0.92, abs=0.02)  # 1/cos²(44°) - 1
    assert summary.area_distortion("EPSG:4326", lons, lats) == float("inf")


def test_a_distorting_target_crs_is_refused_naming_it(bundled_path, monkeypatch):
    places = load_locations(bundled_path)
    with pytest.raises(ValidationError, match=r"^crs: EPSG:3857 distorts areas by 9\d\.\d% at the data"):
        summary.project(places, crs="EPSG:3857")
    with pytest.raises(ValidationError, match=r"^crs: EPSG:4326 is geographic"):
        summary.project(places, crs="EPSG:4326")
    monkeypatch.setattr(settings, "area_crs", "EPSG:3857")
    with pytest.raises(ValidationError, match=r"^geo.settings.area_crs: EPSG:3857 distorts"):
        summary.summarize(places)
    monkeypatch.setattr(settings, "area_crs", "EPSG:4528")  # CGCS2000 3-degree Gauss-Kruger zone 42 (126°E)
    assert summary.project(places).crs.to_epsg() == 4528


# ------------------------------------------------------------------ '-' for standard input and output


def test_import_dash_reads_standard_input(runner, valid_path):
    result = runner.invoke(main, ["import", "-", "--no-input", "--data", str(valid_path)],
                           input=json.dumps(PARK, ensure_ascii=False).encode("utf-8"))  # fmt: skip
    assert result.exit_code == 0, result.output
    park = next(f for f in load_collection(valid_path)["features"] if f["properties"]["name"] == "管道园")
    assert park["geometry"]["coordinates"] == [125.334, 43.841]
    assert park["properties"]["location_source"] == "imported from standard input"


def test_import_dash_refuses_bad_input_in_one_line(runner, valid_path):
    before = valid_path.read_bytes()
    result = runner.invoke(main, ["import", "-", "--no-input", "--data", str(valid_path)], input=b"{broken")
    assert result.exit_code == 1 and "standard input" in result.stderr and "not valid JSON" in result.stderr
    assert valid_path.read_bytes() == before


def test_add_park_geometry_dash(runner, valid_path):
    square = [[125.3340, 43.8410], [125.3350, 43.8410], [125.3350, 43.8418], [125.3340, 43.8418], [125.3340, 43.8410]]
    geometry = {"type": "Polygon", "coordinates": [square]}
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", "管道方园", "--area", "7200", "--geometry", "-", "--confirm-area", "--reason", "测试理由 test reason",
                                  "--data", str(valid_path)], input=json.dumps(geometry))  # fmt: skip
    assert result.exit_code == 0, result.output
    park = next(f for f in load_collection(valid_path)["features"] if f["properties"]["name"] == "管道方园")
    assert park["geometry"]["type"] == "Polygon"


def test_summary_out_dash_is_stdout_and_plot_dash_is_png(runner, valid_path, tmp_path):
    plain = runner.invoke(main, ["summary", "--format", "json", "--data", str(valid_path)])
    dash = runner.invoke(main, ["summary", "--format", "json", "--out", "-", "--data", str(valid_path)])
    assert (
        dash.exit_code == 0 and dash.stdout == plain.stdout and dash.stdout.count("\n") > 5
    )  # JSON: no timestamps, so the two runs agree
    assert not Path("-").exists()
    text = tmp_path / "summary.json"
    chart = runner.invoke(main, ["summary", "--format", "json", "--out", str(text), "--plot", "-",
                                 "--data", str(valid_path)])  # fmt: skip
    assert chart.exit_code == 0, chart.stderr
    assert chart.stdout_bytes.startswith(b"\x89PNG\r\n\x1a\n") and text.read_text(encoding="utf-8") == plain.stdout
    both = runner.invoke(main, ["summary", "--plot", "-", "--data", str(valid_path)])
    assert both.exit_code == 2 and "--plot -" in both.stderr


# ------------------------------------------------------------------ -v says what a command does


def test_verbose_logs_what_the_command_does(runner, valid_path, tmp_path):
    quiet = runner.invoke(main, ["build", "--data", str(valid_path), "--out", str(tmp_path / "a")])
    assert quiet.exit_code == 0 and "info:" not in quiet.stderr
    loud = runner.invoke(main, ["-v", "build", "--offline", "--data", str(valid_path), "--out", str(tmp_path / "b")])
    assert loud.exit_code == 0, loud.output
    info = [line for line in loud.stderr.splitlines() if line.startswith("info: ")]
    assert f"info: data file {valid_path}" in info
    assert any("drawing 5 places" in line for line in info)
    assert any("copied the pinned front-end assets" in line for line in info)
    assert any(f"wrote {tmp_path / 'b' / 'index.html'}" in line for line in info)
    added = runner.invoke(main, ["-v", "add-park", "--source", "测试来源 test source", "日志园", "--area", "5000", "--lonlat", "125.336,43.843",
                                 "--data", str(valid_path)])  # fmt: skip
    assert added.exit_code == 0, added.output
    assert any(line.startswith("info: patched ") for line in added.stderr.splitlines())
    assert any(line.startswith("info: recorded change ") for line in added.stderr.splitlines())


# ------------------------------------------------------------------ a full device


def _full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_device_during_a_save_is_one_line_and_loses_nothing(runner, valid_path, monkeypatch):
    import geo.store

    before = valid_path.read_bytes()
    monkeypatch.setattr(geo.store, "_write_all", _full)
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", "满盘园", "--area", "5000", "--lonlat", "125.336,43.843",
                                  "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [f"Error: cannot write {str(valid_path)!r}: No space left on device"]
    assert valid_path.read_bytes() == before
    assert sorted(p.name for p in valid_path.parent.iterdir() if p.name.endswith(".tmp")) == []


def test_a_full_device_while_recording_is_one_line_and_changes_neither_file(runner, valid_path, monkeypatch):
    # The history is written before the data file: a disk that fills up there leaves both as they were.
    import geo.history

    before = valid_path.read_bytes()
    history = geo.history.history_path(valid_path)
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full, a device that is always full (Linux)")
    # The history's file descriptor is /dev/full: every write to it really fails with ENOSPC.
    monkeypatch.setattr(geo.history, "_open_for_append", lambda _path: os.open("/dev/full", os.O_WRONLY))
    result = runner.invoke(main, ["add-park", "--source", "测试来源 test source", "满盘园", "--area", "5000", "--lonlat", "125.336,43.843",
                                  "--data", str(valid_path)])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot write the history {str(history)!r}: No space left on device; nothing was changed"
    ]
    assert valid_path.read_bytes() == before
    assert not history.exists() or history.read_bytes() == b""


def test_a_full_device_anywhere_else_is_one_line_not_a_traceback(runner, elsewhere, monkeypatch):
    import geo.store

    def full(folder):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder))

    monkeypatch.setattr(geo.store, "init_folder", full)
    result = runner.invoke(main, ["init", "atlas"])
    assert result.exit_code == 1 and not isinstance(result.exception, OSError)
    assert result.stderr.strip().splitlines() == [
        "Error: cannot write 'atlas': No space left on device (free some space and run it again)"
    ]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_summary_out_to_a_full_device(runner, valid_path):
    result = runner.invoke(main, ["summary", "--out", "/dev/full", "--data", str(valid_path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: --out: cannot write '/dev/full': No space left on device"


# ------------------------------------------------------------------ one version, one changelog section per version


def test_the_version_is_written_once_and_has_its_changelog_section():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    headings = [line[3:].strip() for line in (REPO / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("## ")]  # fmt: skip
    assert headings[0] == "Unreleased"
    released = [h.split()[0] for h in headings[1:]]
    assert geo.__version__ in released
    assert released == sorted(released, key=lambda v: tuple(int(x) for x in v.split(".")), reverse=True)
