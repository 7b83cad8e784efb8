"""Places exported for other tools: GeoJSON, CSV, KML, GeoPackage, GeoParquet (geo export, geo build's downloads)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from geo.cli import main
from geo.errors import StoreError, ValidationError
from geo.export import DOWNLOAD_FORMATS, export_places, flat_frame, write_downloads
from geo.store import load_collection, places_to_frame

REPO = Path(__file__).parent.parent
DATA = REPO / "data" / "locations.geojson"


@pytest.fixture(scope="module")
def places() -> gpd.GeoDataFrame:
    return places_to_frame(load_collection(DATA)["features"])


def _read(path: Path, fmt: str) -> pd.DataFrame:
    if fmt == "csv":
        return pd.read_csv(path, encoding="utf-8-sig")
    if fmt == "parquet":
        return gpd.read_parquet(path)
    return gpd.read_file(path).rename(columns={"Name": "name"})  # KML's own name field


@pytest.mark.parametrize("fmt", ["geojson", "csv", "kml", "gpkg", "parquet"])
def test_every_format_holds_every_place_with_its_provenance(places, tmp_path, fmt):
    out = tmp_path / f"places.{fmt}"
    export_places(places, fmt, out)
    back = _read(out, fmt)
    assert len(back) == len(places) == 29
    ids = back["id"].tolist()
    assert ids == places["id"].tolist()
    for field in ("location_source", "precision", "uncertainty_m", "stated_area_source", "quote_source"):
        assert field in back.columns, field
    row = back[back["id"] == "nanxi-wetland-park"].iloc[0]
    assert float(row["uncertainty_m"]) == 1600.0
    assert "public code file" in row["location_source"]
    if fmt == "csv":
        assert (row["lon"], row["lat"]) == (125.365, 43.805)
        assert back["lon"].isna().sum() == 23  # unlocated: empty, never a made-up coordinate
        assert back["stated_area_m2"].dtype.kind == "f"  # numbers as numbers
    else:
        geoms = back.geometry
        assert int(geoms.notna().sum() - geoms.is_empty.sum()) == 6


def test_csv_opens_in_excel_chinese_and_formulas_neutralised(places, tmp_path):
    out = tmp_path / "places.csv"
    bad = places.copy()
    bad.loc[0, "address"] = "=HYPERLINK(1)"
    export_places(bad, "csv", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads 睦邻园, not mojibake
    text = raw.decode("utf-8-sig")
    assert "睦邻园" in text and "\n=HYPERLINK" not in text and ",'=HYPERLINK(1)," in text
    assert ",nan," not in text.lower()  # an unknown number is an empty cell
    # Lists are one cell of text, objects JSON text.
    back = pd.read_csv(out, encoding="utf-8-sig")
    assert back.loc[back["id"] == "mulin-pocket-park", "aliases"].iloc[0] == "睦邻园口袋公园"


def test_flat_frame_keeps_numbers_and_joins_lists(places):
    flat = flat_frame(places)
    assert flat["stated_area_m2"].dtype.kind == "f"
    assert all(isinstance(v, str | type(None)) for v in flat["aliases"])
    assert flat.crs == places.crs and len(flat) == len(places)


def test_text_formats_go_to_a_stream_and_binary_ones_refuse(places):
    buf = io.StringIO()
    export_places(places, "geojson", buf, metadata={"title": "t"})
    obj = json.loads(buf.getvalue())
    assert obj["type"] == "FeatureCollection" and len(obj["features"]) == 29 and obj["metadata"] == {"title": "t"}
    assert sum(f["geometry"] is None for f in obj["features"]) == 23
    buf = io.StringIO()
    export_places(places, "csv", buf)
    assert not buf.getvalue().startswith("\ufeff")  # a pipe gets plain UTF-8
    with pytest.raises(ValidationError, match="binary"):
        export_places(places, "gpkg", io.StringIO())
    with pytest.raises(ValidationError, match="format must be one of"):
        export_places(places, "shp", "x.shp")


def test_a_failed_write_leaves_nothing_behind(places, tmp_path):
    with pytest.raises(StoreError, match="cannot write"):
        export_places(places, "geojson", tmp_path / "missing" / "x.geojson")
    target = tmp_path / "x.gpkg"
    target.write_text("old", encoding="utf-8")
    export_places(places, "gpkg", target)
    assert target.read_bytes()[:16] == b"SQLite format 3\x00"
    assert [p.name for p in tmp_path.iterdir()] == ["x.gpkg"]  # no temporary file left


def test_write_downloads_names_each_file_and_its_size(places, tmp_path):
    written = write_downloads(places, tmp_path)
    assert [d["format"] for d in written] == list(DOWNLOAD_FORMATS)
    for d in written:
        path = tmp_path / d["href"]
        assert path.is_file() and path.stat().st_size == d["bytes"] > 0


def test_geo_export_writes_each_format_and_standard_output(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["export", "--data", str(DATA), "--out", str(tmp_path / "p.gpkg")])
    assert result.exit_code == 0, result.output
    assert "29 places (6 located, 23 unlocated)" in result.output
    assert len(gpd.read_file(tmp_path / "p.gpkg")) == 29
    result = runner.invoke(main, ["export", "--data", str(DATA), "--format", "csv", "--out", "-"])
    assert result.exit_code == 0
    assert len(pd.read_csv(io.StringIO(result.output))) == 29
    assert not (Path.cwd() / "-").exists()
    result = runner.invoke(main, ["export", "--data", str(DATA), "--format", "kml", "--out", "-"])
    assert result.exit_code == 0 and result.output.startswith("<?xml") and result.output.count("<Placemark") == 29


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "gpkg", "--out", "-"], "cannot go to standard output"),
        (["--out", "places.txt"], "cannot tell the format"),
        (["--out", "-"], "--format is required"),
        (["--out", "missing/p.geojson"], "cannot write"),
    ],
)
def test_geo_export_refuses_in_one_line(tmp_path, args, message, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["export", "--data", str(DATA), *args])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert len(lines) == 1 and message in lines[0], result.output
    assert list(tmp_path.iterdir()) == []


def test_geo_build_writes_the_downloads_and_the_page_links_them(tmp_path):
    result = CliRunner().invoke(main, ["build", "--data", str(DATA), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    for fmt in DOWNLOAD_FORMATS:
        name = f"downloads/nanguan-places.{fmt}"
        assert (tmp_path / name).is_file()
        assert f'"href":"{name}"' in html
