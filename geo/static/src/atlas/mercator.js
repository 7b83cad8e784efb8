var PI = Math.PI;

// ---- Web Mercator, as Leaflet's EPSG3857: normalised [0, 1) coordinates
var MAX_LAT = 85.0511287798;
function mercX(lon) { return (lon + 180) / 360; }
function mercY(lat) {
  var s = Math.sin(Math.max(Math.min(lat, MAX_LAT), -MAX_LAT) * PI / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * PI);
}
var EARTH_CIRCUMFERENCE = 40075016.686;
function mercLat(y) { return Math.atan(Math.sinh(PI * (1 - 2 * y))) * 180 / PI; }
var WGS84_A = 6378137, WGS84_E2 = 0.00669437999014;
function groundScale(lat, scale) {
  // Screen pixels per metre on the WGS-84 ellipsoid at a latitude, [east, north], at a Mercator scale
  // (pixels per turn of longitude): the prime vertical and meridian radii of curvature.
  var phi = lat * PI / 180, w = 1 - WGS84_E2 * Math.sin(phi) * Math.sin(phi), c = Math.cos(phi);
  var n = WGS84_A / Math.sqrt(w), mer = WGS84_A * (1 - WGS84_E2) / (w * Math.sqrt(w));
  return [scale / (2 * PI * n * c), scale / (2 * PI * mer * c)];
}

export { mercX, mercY, mercLat, groundScale, EARTH_CIRCUMFERENCE };
