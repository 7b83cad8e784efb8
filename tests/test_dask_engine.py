"""The Dask engine gives the in-memory engine's figures."""

import importlib.util
import json
import os

import pytest
from test_summary import _frame, _place

from geo import summary
from geo.cli import main
from geo.dask_engine import summarize_dask, write_partitioned

if importlib.util.find_spec("dask_geopandas") is None:
    # The README's test command installs the dask extra; CI must never skip these.
    if os.environ.get("CI"):
        pytest.fail("dask-geopandas is not installed (pip install -e '.[dask]')", pytrace=False)
    pytest.skip("the dask extra is not installed (pip install -e '.[dask]')", allow_module_level=True)


@pytest.fixture(scope="module")
def frame():
    from shapely.geometry import Point, box

    x0, y0 = 640_000.0, 4_855_000.0
    rows = [_place(f"park-{i}", "park", box(x0 + 700 * i, y0, x0 + 700 * i + 60, y0 + 60), park_class="游园",
                   stated_area_m2=3600 if i % 3 else 4000) for i in range(12)]  # fmt: skip
    rows += [_place(f"home-{i}", "residential", Point(x0 + 173 * i, y0 + 250 + 37 * (i % 9))) for i in range(40)]
    rows += [_place("home-unlocated", "residential", None), _place("mall", "commerce", Point(x0, y0 + 900))]
    return _frame(rows)


@pytest.mark.slow
@pytest.mark.parametrize("npartitions", [1, 3])
def test_dask_equals_memory(frame, npartitions, tmp_path, monkeypatch):
    from geo import dask_engine

    # Homes handed to each access task, written to a file: the scheduler runs a pickled copy of the function.
    log = tmp_path / "homes.txt"
    original = dask_engine._access_part

    def counting(homes, *args):
        with log.open("a") as out:
            out.write(f"{len(homes)}\n")
        return original(homes, *args)

    monkeypatch.setattr(dask_engine, "_access_part", counting)
    expected = summary.summarize(frame, radii=(300, 500), large_park_radii=(500,), population=1000)
    got = summarize_dask(frame, radii=(300, 500), large_park_radii=(500,), population=1000, npartitions=npartitions)
    assert got.pop("engine") == "dask"
    assert got["parks"] == expected["parks"]
    assert got["access"] == expected["access"]
    assert sorted(got["catchments"], key=lambda r: r["id"]) == sorted(expected["catchments"], key=lambda r: r["id"])
    assert sorted(got["nearest"], key=lambda r: r["id"]) == sorted(expected["nearest"], key=lambda r: r["id"])
    # The partitions really split the homes (41: 40 located, 1 not), and the parts add up to the whole.
    assert expected["access"][0]["residential_total"] == 41
    seen = [int(n) for n in log.read_text().split()]
    assert sum(seen) == 41 and len(seen) == npartitions
    assert (sum(1 for n in seen if n) >= 2) == (npartitions > 1)


@pytest.mark.slow
def test_dask_reads_partitioned_geoparquet(frame, tmp_path):
    write_partitioned(frame, tmp_path / "places.parquet", npartitions=3)
    assert len(list((tmp_path / "places.parquet").glob("*.parquet"))) == 3
    got = summarize_dask(tmp_path / "places.parquet")
    expected = summary.summarize(frame)
    assert got["parks"] == expected["parks"] and got["access"] == expected["access"]


@pytest.mark.slow
def test_cli_dask_engine_on_bundled_data(runner, bundled_path):
    memory = json.loads(runner.invoke(main, ["summary", "--data", str(bundled_path), "--format", "json"]).output)
    result = runner.invoke(
        main, ["summary", "--data", str(bundled_path), "--format", "json", "--engine", "dask", "--partitions", "2"]
    )
    assert result.exit_code == 0, result.output
    dask = json.loads(result.output)
    assert dask["parks"] == memory["parks"] and dask["access"] == memory["access"]
