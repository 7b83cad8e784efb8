import json
import re

import pytest
from geopy.location import Location

from geo import coords, geocode
from geo.cli import main
from geo.errors import GeocodeError, GeocodeServiceError, OutsideDistrictError, PlaceNotFoundError, ValidationError

from _fakes import FakeService, Reply, amap_answer, baidu_answer, nominatim_answer

SMALL = "tests/data/gazetteer_small.csv"
CROSS_LON, CROSS_LAT = 125.33, 43.86  # 人民大街与自由大路交会处 in the small gazetteer


@pytest.fixture(scope="module")
def bundled():
    return geocode.GazetteerGeocoder()


@pytest.fixture(scope="module")
def small():
    return geocode.GazetteerGeocoder(SMALL)


# ------------------------------------------------------------------ gazetteer


def test_is_a_geopy_geocoder_returning_locations(bundled):
    from geopy.geocoders.base import Geocoder

    assert isinstance(bundled, Geocoder)
    loc = bundled.geocode("长春万象城")
    assert isinstance(loc, Location)
    assert bundled.geocode("没有这个地方") is None
    assert bundled.geocode("万象城", exactly_one=False)[0].address == "长春万象城"


@pytest.mark.parametrize(
    "alias", ["万象城", "长春万象城", "华润万象城", "长春市万象城", "吉林省长春市南关区长春万象城"]
)
def test_names_and_aliases(bundled, alias):
    loc = bundled.geocode(alias)
    assert loc.raw["matched"] == "长春万象城"
    # Stored in WGS-84: the source's GCJ-02 point, converted.
    lon, lat = coords.gcj02_to_wgs84(125.325912, 43.879077)
    assert (loc.longitude, loc.latitude) == pytest.approx((lon, lat), abs=1e-9)
    assert loc.raw["datum_in"] == "gcj02" and loc.raw["coord_original"] == [125.325912, 43.879077]


@pytest.mark.parametrize(
    "query",
    [
        "人民大街与自由大路交会处",
        "人民大街与自由大路交汇处",
        "人民大街、自由大路交叉口",
        "人民大街自由大路交会",
        "人民大街 自由大路 路口",
        "自由大路与人民大街交会处",
        "自由大路、人民大街交叉口",
        "长春市南关区人民大街和自由大路交叉路口",
    ],
)
def test_intersections_in_every_writing_and_order(small, query):
    loc = small.resolve(query)
    assert loc.raw["matched"] == "人民大街与自由大路交会处"
    assert (loc.longitude, loc.latitude) == pytest.approx((CROSS_LON, CROSS_LAT))
    assert loc.raw["precision"] == "intersection" and loc.raw["uncertainty_m"] == 30


@pytest.mark.parametrize(
    ("suffix", "bearing", "dist"),
    [("东侧500米", 90, 500), ("南200米", 180, 200), ("西北角150米", 315, 150), ("东北方向1公里", 45, 1000)],
)
def test_relative_positions_offset_by_distance_and_bearing(small, suffix, bearing, dist):
    loc = small.resolve(f"人民大街与自由大路交会处{suffix}")
    assert coords.distance_m(CROSS_LON, CROSS_LAT, loc.longitude, loc.latitude) == pytest.approx(dist, abs=0.01)
    from pyproj import Geod

    az, _, _ = Geod(ellps="WGS84").inv(CROSS_LON, CROSS_LAT, loc.longitude, loc.latitude)
    assert az % 360 == pytest.approx(bearing, abs=0.01)
    assert loc.raw["precision"] == "approximate"
    assert loc.raw["uncertainty_m"] == pytest.approx(30 + 0.2 * dist)


def test_side_without_distance_keeps_point_and_grows_uncertainty(small):
    loc = small.resolve("人民大街与自由大路交会处东侧")
    assert (loc.longitude, loc.latitude) == pytest.approx((CROSS_LON, CROSS_LAT))
    assert loc.raw["uncertainty_m"] == 30 + geocode.SIDE_UNCERTAINTY_M
    corner = small.resolve("测试公园西北角")
    assert corner.raw["uncertainty_m"] == 20 + geocode.SIDE_UNCERTAINTY_M


def test_unknown_intersection_fails_clearly(bundled):
    with pytest.raises(PlaceNotFoundError, match="no gazetteer entry for the intersection of 华远路 and 前进大街"):
        bundled.resolve("华远路与前进大街交会处东侧")


def test_district_fallback_only_when_asked(small):
    with pytest.raises(PlaceNotFoundError):
        small.resolve("某某小区")
    loc = geocode.GazetteerGeocoder(SMALL, district_fallback=True).resolve("某某小区")
    assert loc.raw["fallback"] is True and loc.raw["precision"] == "district" and loc.raw["uncertainty_m"] == 8000
    # The district entry never answers as if it were a place.
    with pytest.raises(PlaceNotFoundError):
        small.resolve("南关区")


def test_bad_gazetteer_lists_every_row(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "name,aliases,kind,roads,lon,lat,datum,precision,uncertainty_m,source,notes\n"
        "甲,,intersection,只有一条路,125.3,43.8,wgs84,intersection,10,src,\n"
        "乙,,place,,abc,43.8,mars,exact,x,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        geocode.load_gazetteer(path)
    text = str(info.value)
    for fragment in ("line 2: an intersection needs two roads", "line 3: lon/lat must be numbers",
                     "line 3: datum must be", "line 3: uncertainty_m must be", "line 3: source is required"):  # fmt: skip
        assert fragment in text


def test_bundled_gazetteer_has_sources_and_datums():
    entries = geocode.load_gazetteer()
    assert len(entries) >= 15
    assert all(e.source and e.uncertainty_m > 0 for e in entries)
    unknown = [e for e in entries if e.datum == "unknown"]
    assert all(e.uncertainty_m >= 600 for e in unknown), "an unknown datum must cover a GCJ-02 offset"


def test_parse_address():
    p = geocode.parse_address("华远路前进大街东侧")
    assert p.roads == ("华远路", "前进大街") and p.side == "东" and p.distance_m is None
    assert geocode.parse_address("长春万象城").roads == ()
    assert geocode.parse_address("卫星广场南2公里").distance_m == 2000


def test_same_name_elsewhere_is_refused(bundled):
    with pytest.raises(OutsideDistrictError, match="outside 南关区"):
        geocode.geocode_place("电台街站", geocoder=bundled)
    loc = geocode.geocode_place("电台街站", geocoder=bundled, allow_outside=True)
    assert loc.raw["outside_m"] > 1000


# ------------------------------------------------------------------ online services


@pytest.fixture
def amap(monkeypatch):
    answers = {}

    def handler(req):
        if req.path != "/v3/geocode/geo":
            return Reply(404, {"error": "not found"})
        return answers.get(req.params.get("address"), Reply(body={"status": "1", "count": "0", "geocodes": []}))

    with FakeService(handler) as service:
        monkeypatch.setenv("GEO_AMAP_URL", service.url)
        monkeypatch.setenv("GEO_AMAP_KEY", "test-key")
        service.answers = answers
        yield service


def _amap(**kw):
    return geocode.get_geocoder("amap", min_delay_seconds=0, **kw)


def test_amap_converts_gcj02_to_wgs84_and_caches(amap):
    amap.answers["睦邻园"] = Reply(body=amap_answer(125.3341, 43.8412))
    coder = _amap()
    loc = coder.geocode("睦邻园")
    lon, lat = coords.gcj02_to_wgs84(125.3341, 43.8412)
    assert (loc.longitude, loc.latitude) == pytest.approx((lon, lat), abs=1e-9)
    assert loc.raw["datum_in"] == "gcj02" and loc.raw["coord_original"] == [125.3341, 43.8412]
    assert amap.requests[0].params["key"] == "test-key" and amap.requests[0].params["city"] == "长春"
    again = _amap().geocode("睦邻园")
    assert len(amap.requests) == 1, "the second answer must come from the cache"
    assert (again.longitude, again.latitude) == (loc.longitude, loc.latitude)
    assert _amap().geocode("无此地") is None and _amap().geocode("无此地") is None
    assert len(amap.requests) == 2, "'not found' is cached too"


def test_baidu_converts_bd09_to_wgs84(monkeypatch):
    with FakeService(lambda req: Reply(body=baidu_answer(125.3406, 43.8473))) as service:
        monkeypatch.setenv("GEO_BAIDU_URL", service.url)
        loc = geocode.get_geocoder("baidu", api_key="ak", min_delay_seconds=0).geocode("创意园")
        assert service.requests[0].path == "/geocoding/v3/" and service.requests[0].params["ak"] == "ak"
    lon, lat = coords.bd09_to_wgs84(125.3406, 43.8473)
    assert (loc.longitude, loc.latitude) == pytest.approx((lon, lat), abs=1e-9)
    assert loc.raw["datum_in"] == "bd09"


def test_nominatim_needs_a_user_agent_and_is_bounded(monkeypatch):
    with pytest.raises(GeocodeError, match="User-Agent"):
        geocode.get_geocoder("nominatim")
    with FakeService(lambda req: Reply(body=nominatim_answer(125.3300, 43.8600))) as service:
        monkeypatch.setenv("GEO_NOMINATIM_URL", service.url)
        coder = geocode.get_geocoder("nominatim", user_agent="nanguan-geo-tests/1 (ci)", min_delay_seconds=0)
        loc = coder.geocode("睦邻园")
        req = service.requests[0]
    assert req.path == "/search" and req.headers["User-Agent"] == "nanguan-geo-tests/1 (ci)"
    assert req.params["bounded"] == "1" and req.params["countrycodes"] == "cn" and "viewbox" in req.params
    assert (loc.longitude, loc.latitude) == pytest.approx((125.33, 43.86))
    assert loc.raw["datum_in"] == "wgs84" and loc.raw["provider"] == "nominatim"


def test_public_nominatim_is_never_faster_than_one_request_per_second():
    coder = geocode.get_geocoder("nominatim", user_agent="x (y)", min_delay_seconds=0.1)
    assert coder.limited.min_delay_seconds == 1.0


def test_missing_keys_and_unknown_providers():
    with pytest.raises(GeocodeError, match="GEO_AMAP_KEY"):
        geocode.get_geocoder("amap")
    with pytest.raises(GeocodeError, match="options are: gazetteer, nominatim, amap, baidu"):
        geocode.get_geocoder("google")


@pytest.mark.parametrize(
    ("reply", "fragment"),
    [
        (Reply(500, {"error": "boom"}), "amap:"),
        (Reply(429, {"error": "slow down"}, headers={"Retry-After": "7"}), "rate limited, retry after 7"),
        (Reply(403, {"error": "forbidden"}), "refused the key"),
        (Reply(200, "{not json"), "not valid JSON"),
        (
            Reply(200, {"status": "0", "info": "INVALID_USER_KEY", "infocode": "10001"}),
            "INVALID_USER_KEY (infocode 10001)",
        ),
        (Reply(200, {"status": "1", "geocodes": [{"location": "garbage"}]}), "malformed location"),
        (Reply(200, ["not", "an", "object"]), "unexpected answer"),
        (Reply(200, {"status": "1"}, delay=1.5), "timed out"),
    ],
    ids=["http-500", "http-429", "http-403", "bad-json", "api-error", "bad-location", "not-object", "timeout"],
)
def test_service_failures_are_clear_and_not_cached(monkeypatch, reply, fragment):
    with FakeService(lambda req: reply) as service:
        monkeypatch.setenv("GEO_AMAP_URL", service.url)
        coder = geocode.get_geocoder("amap", api_key="k", timeout=0.5, min_delay_seconds=0)
        with pytest.raises(GeocodeServiceError, match=re.escape(fragment)) as info:
            coder.geocode("睦邻园")
        assert "\n" not in str(info.value)
        with pytest.raises(GeocodeServiceError):
            coder.geocode("睦邻园")
        assert len(service.requests) == 2, "errors must not be cached"


def test_rate_limit_spaces_requests(monkeypatch):
    # Every request to a real (loopback) service goes through the limiter: with geopy's clock standing still, each
    # request after the first waits the whole delay. The clock is patched, so a busy machine cannot change the answer.
    from geopy.extra.rate_limiter import RateLimiter

    slept: list[float] = []
    now = [0.0]  # binary-exact steps: a float clock that cannot advance by the wait would loop
    monkeypatch.setattr(RateLimiter, "_clock", lambda self: now[0])
    monkeypatch.setattr(
        RateLimiter, "_sleep", lambda self, seconds: (slept.append(seconds), now.__setitem__(0, now[0] + seconds))
    )
    with FakeService(lambda req: Reply(body=amap_answer(125.3341, 43.8412))) as service:
        monkeypatch.setenv("GEO_AMAP_URL", service.url)
        coder = geocode.get_geocoder("amap", api_key="k", min_delay_seconds=0.25)
        for q in ("甲", "乙", "丙"):
            coder.geocode(q)
        assert len(service.requests) == 3
    assert slept == [0.25, 0.25]


def test_rate_limiter_uses_geopy_clock(monkeypatch):
    # With the clock patched, the limiter's own arithmetic decides the sleep.
    from geopy.extra.rate_limiter import RateLimiter

    slept = []
    now = [100.0]
    monkeypatch.setattr(RateLimiter, "_clock", lambda self: now[0])

    def sleep(self, seconds):
        slept.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(RateLimiter, "_sleep", sleep)
    coder = geocode.CachedGeocoder(geocode.GazetteerGeocoder(SMALL), "gazetteer-test", "k", min_delay_seconds=1.0)
    coder.geocode("测试公园")
    now[0] += 0.25
    coder.geocode("测园")
    assert slept == [pytest.approx(0.75)]
    coder.geocode("测园")  # cached: no request, no wait
    assert len(slept) == 1


def test_outside_district_answers_are_refused(amap):
    amap.answers["祥和佳苑"] = Reply(body=amap_answer(104.101573, 30.553615, "四川省成都市祥和佳苑"))
    with pytest.raises(OutsideDistrictError, match="outside 南关区"):
        geocode.geocode_place("祥和佳苑", geocoder=_amap())


def test_ambiguous_answers_are_flagged(amap):
    body = amap_answer(125.3341, 43.8412)
    body["geocodes"].append(dict(body["geocodes"][0], location="125.3641,43.8012", formatted_address="另一个"))
    amap.answers["创意园"] = Reply(body=body)
    loc = _amap().geocode("创意园")
    assert loc.raw["ambiguous"] is True and len(loc.raw["candidates"]) == 2


# ------------------------------------------------------------------ CLI and locate


def test_cli_geocode_json_with_a_user_gazetteer(runner):
    result = runner.invoke(main, ["geocode", "人民大街与自由大路交会处东侧500米", "--gazetteer", SMALL, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) >= {"lon", "lat", "precision", "uncertainty_m", "source", "provider"}
    assert coords.distance_m(CROSS_LON, CROSS_LAT, out["lon"], out["lat"]) == pytest.approx(500, abs=0.05)
    assert out["lon"] > CROSS_LON and out["provider"] == "gazetteer"


def test_cli_geocode_unknown_intersection_fails(runner):
    result = runner.invoke(main, ["geocode", "人民大街与自由大路交会处东侧500米"])
    assert result.exit_code == 1
    assert "no gazetteer entry for the intersection of 人民大街 and 自由大路" in result.output


def test_cli_geocode_converts_a_copied_amap_point(runner):
    result = runner.invoke(main, ["geocode", "125.325912,43.879077", "--datum-in", "gcj02", "--json"])
    out = json.loads(result.output)
    assert (out["lon"], out["lat"]) == pytest.approx(coords.gcj02_to_wgs84(125.325912, 43.879077), abs=1e-7)


def test_locate_fills_missing_and_second_run_makes_no_request(runner, bundled_path, amap):
    amap.answers["华远路前进大街东侧"] = Reply(body=amap_answer(125.3341, 43.8412, "南关区华远路", "道路交叉路口"))
    amap.answers["祥和佳苑小区"] = Reply(body=amap_answer(104.101573, 30.553615, "四川省成都市祥和佳苑"))
    args = ["locate", "--missing", "--provider", "amap", "--data", str(bundled_path)]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "located mulin-pocket-park" in result.output
    assert "not placed xianghe-jiayuan" in result.output and "outside 南关区" in result.output
    fc = json.loads(bundled_path.read_text(encoding="utf-8"))
    park = next(f for f in fc["features"] if f["properties"]["id"] == "mulin-pocket-park")
    assert park["properties"]["location_method"] == "geocoder" and park["properties"]["datum_in"] == "gcj02"
    assert park["properties"]["coord_original"] == [125.3341, 43.8412]
    assert park["properties"]["precision"] == "intersection"
    first = len(amap.requests)
    assert first > 0
    runner.invoke(main, args)
    assert len(amap.requests) == first, "the second run must be answered from the cache"
    assert runner.invoke(main, ["validate", "--data", str(bundled_path)]).exit_code == 0


def test_locate_resumes_after_an_interruption(bundled_path, amap):
    from geo.places import locate_missing

    amap.answers["华远路前进大街东侧"] = Reply(body=amap_answer(125.3341, 43.8412))
    amap.answers["华远路南湖中街东侧"] = Reply(body=amap_answer(125.3141, 43.8212))
    calls = []

    def interrupt(ident):
        calls.append(ident)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        locate_missing(bundled_path, geocoder=_amap(), progress=interrupt)
    fc = json.loads(bundled_path.read_text(encoding="utf-8"))
    located = {f["properties"]["id"] for f in fc["features"] if f["geometry"]}
    assert "mulin-pocket-park" in located and "chuangyi-pocket-park" in located
    before = len(amap.requests)
    report = locate_missing(bundled_path, geocoder=_amap())
    assert "mulin-pocket-park" not in report.failed and "mulin-pocket-park" not in report.located
    assert len(amap.requests) > before  # only the places not tried yet are asked


def test_locate_with_the_gazetteer_reports_what_it_could_not_place(runner, bundled_path):
    result = runner.invoke(main, ["locate", "--missing", "--data", str(bundled_path)])
    assert result.exit_code == 0
    assert "not placed mulin-pocket-park: no answer for '华远路前进大街东侧'" in result.output
    assert result.output.strip().endswith("0 located, 23 not placed")


def test_location_properties_round_trip_through_the_model(small):
    from geo.model import check_feature, normalize_properties

    loc = small.resolve("测试公园")
    props = geocode.location_properties(loc)
    geom = props.pop("geometry")
    feature = {"type": "Feature", "geometry": geom,
               "properties": normalize_properties({"id": "x", "name": "测试公园", "category": "park", "status": "unknown", **props})}  # fmt: skip
    assert check_feature(feature) == []


def test_timeout_setting_is_read_at_call_time(monkeypatch):
    monkeypatch.setenv("GEO_TIMEOUT", "2.5")
    coder = geocode.AmapGeocoder("k", base_url="http://127.0.0.1:9")
    assert coder.timeout == 2.5
    with pytest.raises(GeocodeError, match="service URL must be"):
        geocode.AmapGeocoder("k", base_url="ftp://nowhere")
