"""Places exported for other tools: GeoJSON, CSV, KML, GeoPackage, GeoParquet (geo export, geo build's downloads)."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import shapely.affinity
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.cli import main
from geo.errors import StoreError, ValidationError
from geo.export import DOWNLOAD_FORMATS, _numbers, export_places, flat_frame, start_downloads, write_downloads
from geo.store import load_collection, load_frame, places_to_frame

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


# The column-wise writers against the row-by-row ones they replaced: the csv module for CSV, a
# Placemark built cell by cell (coordinates by repr) for KML, shapely's GeoJSON for the geometries.

_AWKWARD = st.text(alphabet=st.sampled_from(list(",\"\r\n\t=+-@&<>'; aZ0南关区睦邻园\u3000é")), max_size=8)
_LON = st.floats(min_value=73.5, max_value=134.9, allow_nan=False).map(lambda v: round(v, 9))
_LAT = st.floats(min_value=18.2, max_value=53.4, allow_nan=False).map(lambda v: round(v, 9))


@st.composite
def _geometries(draw: st.DrawFn) -> shapely.Geometry | None:
    kind = draw(st.sampled_from(["none", "empty", "point", "polygon", "holed", "multi"]))
    if kind == "none":
        return None
    if kind == "empty":
        return shapely.Point()
    x, y = draw(_LON), draw(_LAT)
    if kind == "point":
        return shapely.Point(x, y)
    w, h = draw(st.floats(0.001, 0.05)), draw(st.floats(0.001, 0.05))
    shell = [(x, y), (x + w, y), (x + w, y + h), (x + w / 3, y + h * 1.1), (x, y + h), (x, y)]
    hole = [(x + w / 4, y + h / 4), (x + w / 4, y + h / 2), (x + w / 2, y + h / 2), (x + w / 4, y + h / 4)]
    polygon = shapely.Polygon(shell, [hole] if kind != "polygon" else [])
    if kind != "multi":
        return polygon
    return shapely.MultiPolygon([polygon, shapely.affinity.translate(polygon, 0.2, 0.2)])


@st.composite
def _frames(draw: st.DrawFn) -> gpd.GeoDataFrame:
    n = draw(st.integers(1, 8))
    text = st.one_of(st.none(), _AWKWARD)
    number = st.one_of(
        st.just(float("nan")), st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([0.0, -0.0, 1.5e-7, 3e17])
    )
    mixed = st.one_of(
        st.none(), _AWKWARD, st.integers(-50, 50), st.floats(-10, 10, allow_nan=False), st.just(float("nan"))
    )
    columns = {
        "id": draw(st.lists(_AWKWARD, min_size=n, max_size=n)),
        "name": draw(st.lists(text, min_size=n, max_size=n)),
        "address": draw(st.lists(text, min_size=n, max_size=n)),
        "aliases": draw(st.lists(st.one_of(st.none(), st.lists(_AWKWARD, max_size=3)), min_size=n, max_size=n)),
        "figures": draw(st.lists(st.one_of(st.none(), st.dictionaries(_AWKWARD, st.integers(-(2**40), 2**40), max_size=2)), min_size=n, max_size=n)),
        "stated_area_m2": draw(st.lists(number, min_size=n, max_size=n)),
        "count": draw(st.lists(st.integers(-(2**40), 2**40), min_size=n, max_size=n)),
        "mixed": draw(st.lists(mixed, min_size=n, max_size=n)),
    }  # fmt: skip
    frame = pd.DataFrame(columns)
    frame["mixed"] = frame["mixed"].astype(object)
    return gpd.GeoDataFrame(frame, geometry=draw(st.lists(_geometries(), min_size=n, max_size=n)), crs=4326)


def _located(geom: shapely.Geometry | None) -> bool:
    return geom is not None and not geom.is_empty


def _reference_cell(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _reference_csv(gdf: gpd.GeoDataFrame) -> str:
    flat = flat_frame(gdf)
    names = [c for c in flat.columns if c != "geometry"]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([*names, "lon", "lat", "geometry_type", "geometry_wkt"])
    cells = [flat[c].tolist() for c in names]
    for row, geom in zip(zip(*cells, strict=True), flat.geometry, strict=True):
        out = [
            _reference_cell(v) if flat[c].dtype == object else ("" if v != v else v)
            for c, v in zip(names, row, strict=True)
        ]
        if _located(geom):
            point = geom if geom.geom_type == "Point" else geom.point_on_surface()
            wkt = "" if geom.geom_type == "Point" else shapely.to_wkt(geom, rounding_precision=7)
            out += [round(point.x, 7), round(point.y, 7), geom.geom_type, wkt]
        else:
            out += ["", "", "", ""]
        writer.writerow(out)
    return buf.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_frames())
def test_the_column_wise_csv_is_the_csv_module_s(gdf):
    out = io.StringIO()
    export_places(gdf, "csv", out)
    assert out.getvalue() == _reference_csv(gdf)


def _ring(coords: object) -> str:
    return " ".join(f"{x!r},{y!r}" for x, y in coords)


def _reference_kml_geometry(geom: shapely.Geometry | None) -> str:
    if not _located(geom):
        return ""
    if geom.geom_type == "Point":
        return f"<Point><coordinates>{geom.x!r},{geom.y!r}</coordinates></Point>"
    polygons = []
    for poly in getattr(geom, "geoms", [geom]):
        inner = "".join(
            f"<innerBoundaryIs><LinearRing><coordinates>{_ring(r.coords)}</coordinates></LinearRing></innerBoundaryIs>"
            for r in poly.interiors
        )
        polygons.append(
            f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{_ring(poly.exterior.coords)}</coordinates>"
            f"</LinearRing></outerBoundaryIs>{inner}</Polygon>"
        )
    return f"<MultiGeometry>{''.join(polygons)}</MultiGeometry>" if geom.geom_type == "MultiPolygon" else polygons[0]


def _reference_kml_text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = repr(value) if isinstance(value, float) else str(value)
    for raw, escaped in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\r", "&#13;")):
        text = text.replace(raw, escaped)
    return text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_frames())
def test_the_column_wise_kml_is_the_placemarks_built_cell_by_cell(gdf):
    out = io.StringIO()
    export_places(gdf, "kml", out)
    body = out.getvalue().split("      <name>places</name>\n", 1)[1].rsplit("    </Document>", 1)[0]
    placemarks = body.split("</Placemark>\n")[:-1]  # a text may hold a line break: split where a Placemark ends
    flat = flat_frame(gdf)
    fields = [c for c in flat.columns if c not in ("geometry", "id", "name")]
    assert len(placemarks) == len(gdf)
    for i, line in enumerate(placemarks):
        data = "".join(
            f'<SimpleData name="{c}">{text}</SimpleData>'
            for c in fields
            if (text := _reference_kml_text(flat[c].tolist()[i]))
        )
        expected = (
            f'      <Placemark id="{_reference_kml_text(flat["id"].iloc[i])}"><name>{_reference_kml_text(flat["name"].iloc[i])}'
            f'</name><ExtendedData><SchemaData schemaUrl="#places.schema">{data}</SchemaData></ExtendedData>'
            f"{_reference_kml_geometry(flat.geometry.iloc[i])}"
        )
        assert line == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_frames())
def test_the_column_wise_geojson_holds_the_same_geometries_and_properties(gdf):
    out = io.StringIO()
    export_places(gdf, "geojson", out)
    features = json.loads(out.getvalue())["features"]
    assert len(features) == len(gdf)
    for feature, (_, row) in zip(features, gdf.iterrows(), strict=True):
        geom = row["geometry"]
        assert feature["geometry"] == (json.loads(shapely.to_geojson(geom)) if _located(geom) else None)
        for key, value in row.drop("geometry").items():
            missing = value is None or (isinstance(value, float) and value != value)
            assert feature["properties"][key] == (None if missing else value), key


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_frames())
def test_the_geojson_geometries_are_the_text_orjson_writes_for_each_one(gdf):
    """Byte for byte: the outlines cut from one formatted array are each geometry's own orjson text."""
    import orjson
    from shapely.geometry import mapping

    from geo.export import _geometry_texts

    geoms = gdf.geometry.to_numpy()
    expected = [orjson.dumps(mapping(g)).decode() if _located(g) else "null" for g in geoms]
    assert _geometry_texts(geoms, kml=False) == expected
    assert _geometry_texts(geoms, kml=True) == [_reference_kml_geometry(g) for g in geoms]


def test_numbers_are_written_as_python_writes_them():
    values = [
        0.0,
        -0.0,
        1e-4,
        9.99e-5,
        1.5e-7,
        -3.25e-12,
        1e15,
        1e16,
        123456789012345680.0,
        0.1 + 0.2,
        125.3194074,
        4084.0,
    ]
    texts = _numbers(np.array([*values, float("nan"), float("inf"), -float("inf")]))
    assert texts == [repr(v) for v in values] + ["", "inf", "-inf"]
    assert _numbers(np.array([-(2**62), 0, 7])) == [str(-(2**62)), "0", "7"]
    assert _numbers(np.array([True, False])) == ["True", "False"]


def test_tiny_coordinates_keep_their_values_in_kml_and_geojson():
    gdf = gpd.GeoDataFrame(
        {"id": ["a", "b"], "name": ["零", "小"]},
        geometry=[shapely.Point(1.5e-5, -2e-7), shapely.box(-1e-6, 0, 1e-5, 3e-5)],
        crs=4326,
    )
    kml, gj = io.StringIO(), io.StringIO()
    export_places(gdf, "kml", kml)
    export_places(gdf, "geojson", gj)
    runs = [c for part in kml.getvalue().split("<coordinates>")[1:] for c in [part.split("</coordinates>")[0]]]
    point = [tuple(map(float, xy.split(","))) for xy in runs[0].split(" ")]
    ring = [tuple(map(float, xy.split(","))) for xy in runs[1].split(" ")]
    assert point == [(1.5e-5, -2e-7)] and ring == list(gdf.geometry.iloc[1].exterior.coords)
    features = json.loads(gj.getvalue())["features"]
    assert [f["geometry"] for f in features] == [json.loads(shapely.to_geojson(g)) for g in gdf.geometry]


def test_the_geojson_download_holds_the_data_file_s_features(tmp_path):
    """The download is the data file's features in meaning: every property and geometry the file holds."""
    gdf, members = load_frame(DATA)
    write_downloads(gdf, tmp_path, formats=["geojson"], metadata=members.get("metadata"))
    download = json.loads((tmp_path / "downloads" / "nanguan-places.geojson").read_text(encoding="utf-8"))
    source = json.loads(DATA.read_text(encoding="utf-8"))
    assert download["metadata"] == source["metadata"]
    assert len(download["features"]) == len(source["features"])
    for ours, theirs in zip(download["features"], source["features"], strict=True):
        assert ours["geometry"] == theirs["geometry"]
        assert {k: v for k, v in ours["properties"].items() if k in theirs["properties"]} == theirs["properties"]
        assert all(v is None for k, v in ours["properties"].items() if k not in theirs["properties"])


def test_the_geopackage_is_written_run_by_run_in_one_session(places, tmp_path, monkeypatch):
    """Runs of 4 rows through one Arrow stream: every place and field back, one spatial index, mixed cells as text."""
    import sqlite3

    from geo import export

    monkeypatch.setattr(export, "_GDAL_ROWS", 4)
    mixed = places.copy()
    mixed["mixed"] = pd.Series([7, "七", None, 2.5] * 7 + [None], dtype=object)
    export_places(mixed, "gpkg", tmp_path / "p.gpkg")
    back = gpd.read_file(tmp_path / "p.gpkg")
    flat = flat_frame(mixed)
    assert back["id"].tolist() == flat["id"].tolist() and len(back) == 29
    assert back["mixed"].tolist()[:2] == ["7", "七"] and back["mixed"].isna().tolist()[2:4] == [True, False]
    assert back["mixed"].iloc[3] == "2.5"
    assert back["stated_area_m2"].equals(flat["stated_area_m2"])
    assert back["aliases"].fillna("").tolist() == flat["aliases"].fillna("").tolist()
    assert back.geometry.geom_equals(flat.geometry).sum() == 6  # the located ones; the rest have none
    with sqlite3.connect(tmp_path / "p.gpkg") as con:
        assert con.execute("SELECT count(*) FROM rtree_places_geom").fetchone() == (6,)
        assert con.execute("SELECT geometry_type_name FROM gpkg_geometry_columns").fetchone() == ("GEOMETRY",)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "downloads").iterdir())}


def test_a_forked_writer_writes_the_same_downloads_as_the_sequential_one(places, tmp_path):
    sequential = start_downloads(places, tmp_path / "a", concurrent=False)
    forked = start_downloads(places, tmp_path / "b", concurrent=True)
    assert not sequential.concurrent and forked.concurrent
    assert [d["bytes"] for d in forked.planned] == [-1] * len(DOWNLOAD_FORMATS)  # sizes unknown until written
    a, b = sequential.result(), forked.result()
    assert a == b and [d["format"] for d in b] == list(DOWNLOAD_FORMATS)
    files_a, files_b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert sorted(files_a) == sorted(files_b) == sorted(Path(d["href"]).name for d in a)
    for name in files_a:
        if name.endswith(".gpkg"):  # GDAL stamps the time of writing: compared cell by cell
            left, right = (gpd.read_file(folder / "downloads" / name) for folder in (tmp_path / "a", tmp_path / "b"))
            pd.testing.assert_frame_equal(left, right)
        else:
            assert files_a[name] == files_b[name], name
    assert [d["bytes"] for d in b] == [len(files_b[Path(d["href"]).name]) for d in b]


@pytest.mark.parametrize("concurrent", [False, True])
def test_a_failing_download_gives_one_line_and_leaves_no_partial_file(places, tmp_path, monkeypatch, concurrent):
    from geo import export

    def failing(gdf):  # the KML starts, then the disk is full
        yield "<?xml"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_kml_chunks", failing)  # a forked child inherits the patch
    pending = start_downloads(places, tmp_path, concurrent=concurrent)
    assert pending.concurrent is concurrent
    with pytest.raises(StoreError) as caught:
        pending.result()
    message = str(caught.value)
    assert "\n" not in message
    assert message == f"cannot write {str(tmp_path / 'downloads' / 'nanguan-places.kml')!r}: No space left on device"
    with pytest.raises(StoreError) as again:  # asked again, the same error
        pending.result()
    assert str(again.value) == message
    # What was complete before the failure stays; the failing file and its temporary name do not.
    assert [p.name for p in sorted((tmp_path / "downloads").iterdir())] == [
        "nanguan-places.csv",
        "nanguan-places.geojson",
    ]


def test_a_writer_killed_midway_is_an_error_and_leaves_no_partial_file(places, tmp_path, monkeypatch):
    import signal

    from geo import export

    def killed(gdf):
        yield "<?xml"
        os.kill(os.getpid(), signal.SIGKILL)  # in the child: as the out-of-memory killer would

    monkeypatch.setattr(export, "_kml_chunks", killed)
    pending = start_downloads(places, tmp_path, concurrent=True)
    with pytest.raises(StoreError, match="the writer process ended with signal 9"):
        pending.result()
    assert not [p.name for p in (tmp_path / "downloads").iterdir() if p.name.startswith(".")]
    assert not (tmp_path / "downloads" / "nanguan-places.kml").exists()


def _page_downloads(index: Path) -> list[dict]:
    text = index.read_text(encoding="utf-8")
    start = text.index('"downloads":[') + len('"downloads":')
    return json.JSONDecoder().raw_decode(text, start)[0]


_FORKED_BUILD = """
import json, os, sys
from geo import export
from geo.render import build_site

export.FORK_ROWS = 1  # the 29 places are written by a child
forks = []
real_fork = os.fork
export.os.fork = lambda: forks.append(1) or real_fork()
index = build_site(sys.argv[1], sys.argv[2], node_modules=sys.argv[3])
print(json.dumps({"forks": len(forks), "index": str(index)}))
"""


def test_build_site_links_the_same_sizes_whether_the_downloads_are_forked_or_not(tmp_path):
    # The forked build runs in a fresh interpreter: a test worker may have threads of its own (a server, a browser
    # driver left by an earlier test), and then build_site rightly writes the downloads itself.
    import subprocess
    import sys

    from geo.render import build_site

    modules = REPO / "node_modules"
    sequential = _page_downloads(build_site(DATA, tmp_path / "a", node_modules=modules))
    run = subprocess.run(
        [sys.executable, "-c", _FORKED_BUILD, str(DATA), str(tmp_path / "b"), str(modules)],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["forks"] == 1, "build_site did not fork the downloads' writer"
    forked = _page_downloads(Path(result["index"]))
    assert forked == sequential
    assert [d["bytes"] for d in forked] == [(tmp_path / "b" / d["href"]).stat().st_size for d in forked]
    assert all(d["bytes"] > 0 for d in forked)


def test_a_process_with_other_threads_writes_the_downloads_itself(places, tmp_path):
    # A fork while another thread may hold a lock can hang the child: such a process writes them in turn.
    import threading

    from geo import export

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        rows = export.FORK_ROWS
        export.FORK_ROWS = 1
        pending = start_downloads(places, tmp_path)
    finally:
        export.FORK_ROWS = rows
        stop.set()
        other.join()
    assert not pending.concurrent
    assert all((tmp_path / d["href"]).stat().st_size == d["bytes"] for d in pending.result())


def test_a_forked_build_writes_the_geopackage_itself_and_the_rest_in_the_child(places, tmp_path, monkeypatch):
    # The child writes GeoJSON, CSV and KML while the page is made; the GeoPackage is the parent's share.
    from geo import export

    writers: list[tuple[str, int]] = []
    real_write_file = export._write_file

    def recording(gdf, fmt, path, metadata):
        writers.append((fmt, os.getpid()))  # a forked child appends to its own copy: the parent never sees it
        real_write_file(gdf, fmt, path, metadata)

    monkeypatch.setattr(export, "_write_file", recording)
    pending = start_downloads(places, tmp_path, concurrent=True)
    assert writers == []  # nothing is written here before the result is asked for
    entries = pending.result()
    assert writers == [("gpkg", os.getpid())]
    assert [d["format"] for d in entries] == list(DOWNLOAD_FORMATS)
    assert [d["bytes"] for d in entries] == [(tmp_path / d["href"]).stat().st_size for d in entries]


def test_a_failing_geopackage_in_the_parent_keeps_the_childs_files_and_gives_one_line(places, tmp_path, monkeypatch):
    from geo import export

    def failing(flat, fmt, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_write_with_gdal", failing)  # the child inherits it too, but never writes a gpkg
    pending = start_downloads(places, tmp_path, concurrent=True)
    with pytest.raises(StoreError) as caught:
        pending.result()
    message = str(caught.value)
    assert message == f"cannot write {str(tmp_path / 'downloads' / 'nanguan-places.gpkg')!r}: No space left on device"
    with pytest.raises(StoreError) as again:  # asked again, the same error (the child is not waited for twice)
        pending.result()
    assert str(again.value) == message
    assert [p.name for p in sorted((tmp_path / "downloads").iterdir())] == [
        "nanguan-places.csv",
        "nanguan-places.geojson",
        "nanguan-places.kml",
    ]


def test_the_heap_is_trimmed_before_the_fork_and_a_libc_without_malloc_trim_is_no_error(places, tmp_path, monkeypatch):
    # The pages freed by reading the file go back to the system before the child shares them (glibc only).
    import ctypes

    from geo import export

    calls: list[str] = []

    class Libc:
        def malloc_trim(self, pad):
            calls.append(f"trim {pad}")

    real_fork = export.os.fork
    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    monkeypatch.setattr(export.os, "fork", lambda: calls.append("fork") or real_fork())
    start_downloads(places, tmp_path / "a", concurrent=True).result()
    assert calls == ["trim 0", "fork"]
    monkeypatch.setattr(ctypes, "CDLL", lambda name: object())  # no malloc_trim (musl, macOS)
    entries = start_downloads(places, tmp_path / "b", concurrent=True).result()
    assert [d["format"] for d in entries] == list(DOWNLOAD_FORMATS)
