/*
 * The forward WGS-84 -> GCJ-02 transform and its iterated inverse: the same published formula as
 * geo/coords.py (Krasovsky 1940 ellipsoid, a = 6378245 m, e² = 0.00669342162296594323), tested in
 * tests/js/datum.test.mjs against tests/data/gcj02_vectors.json, the vectors geo.coords is tested against.
 */
var A = 6378245.0, EE = 0.006693421622965943,  // e², to the nearest double
    PI = Math.PI;
function inChina(lon, lat) {
  return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}
function wgs2gcj(lon, lat) {
  if (!inChina(lon, lat)) return [lon, lat];
  var x = lon - 105.0, y = lat - 35.0;
  var ang = (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  var rt = Math.sqrt(Math.abs(x));
  var dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * rt + ang;
  dlat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
  dlat += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
  var dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * rt + ang;
  dlon += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
  dlon += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
  var rad = lat / 180.0 * PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad), sm = Math.sqrt(magic);
  dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sm) * PI);
  dlon = (dlon * 180.0) / (A / sm * Math.cos(rad) * PI);
  return [lon + dlon, lat + dlat];
}
function gcj2wgs(lon, lat) {
  var x = lon, y = lat;
  for (var i = 0; i < 30; i++) {
    var f = wgs2gcj(x, y), ex = f[0] - lon, ey = f[1] - lat;
    x -= ex; y -= ey;
    if (Math.abs(ex) < 1e-10 && Math.abs(ey) < 1e-10) break;
  }
  return [x, y];
}

export { inChina, wgs2gcj, gcj2wgs };
