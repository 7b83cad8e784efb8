import numpy as np
import pytest

from geo import coords, district, model


def test_bbox_constant_matches_the_package_polygon():
    geom = district.boundary_wgs84()
    w, s, e, n = geom.bounds
    bw, bs, be, bn = model.DISTRICT_BBOX
    assert bw <= w < bw + 1e-4 and bs <= s < bs + 1e-4
    assert be - 1e-4 < e <= be and bn - 1e-4 < n <= bn


def test_boundary_is_converted_from_gcj02():
    raw = district._raw()["coordinates"][0][0]
    wgs = district.boundary_geojson()["coordinates"][0][0]
    a = np.asarray(raw)
    b = np.asarray(wgs)
    shifts = coords.distance_m(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
    # Each vertex moves by the local GCJ-02 offset: ~520 m west and ~270 m south.
    assert 560 < float(np.median(shifts)) < 620
    assert (b[:, 0] < a[:, 0]).all() and (b[:, 1] < a[:, 1]).all()


def test_boundary_moves_about_290_m_from_the_unconverted_line():
    # Measured as distance from each converted vertex to the unconverted boundary
    # line (the shift partly runs along the line), the median is about 290 m.
    import geopandas as gpd
    from shapely.geometry import Point, shape

    raw = gpd.GeoSeries([shape(district._raw()).boundary], crs=4326).to_crs(32651).iloc[0]
    pts = gpd.GeoSeries([Point(c) for c in district.boundary_geojson()["coordinates"][0][0]], crs=4326)
    dist = pts.to_crs(32651).distance(raw)
    assert 250 < float(np.median(dist)) < 330


def test_boundary_area_is_about_530_km2():
    import geopandas as gpd

    area = gpd.GeoSeries([district.boundary_wgs84()], crs=4326).to_crs("EPSG:6933").area.item()
    assert area / 1e6 == pytest.approx(530.4, rel=0.01)
