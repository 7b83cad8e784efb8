/* GENERATED FILE, do not edit: the page's atlas, bundled by `npm run build` (tools/build_js.mjs, esbuild 0.28.2) from geo/static/src/atlas/index.js and the modules it imports. Edit those and rebuild. */
(() => {
  // geo/static/src/atlas/payload.js
  function decodeDeltas(arr) {
    var out = new Array(arr.length), acc = 0;
    for (var i = 0; i < arr.length; i++) {
      acc += arr[i];
      out[i] = acc / 1e6;
    }
    return out;
  }
  var LEN_BASE = [
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    13,
    15,
    17,
    19,
    23,
    27,
    31,
    35,
    43,
    51,
    59,
    67,
    83,
    99,
    115,
    131,
    163,
    195,
    227,
    258
  ];
  var LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  var DIST_BASE = [
    1,
    2,
    3,
    4,
    5,
    7,
    9,
    13,
    17,
    25,
    33,
    49,
    65,
    97,
    129,
    193,
    257,
    385,
    513,
    769,
    1025,
    1537,
    2049,
    3073,
    4097,
    6145,
    8193,
    12289,
    16385,
    24577
  ];
  var DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  var CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  function huffTable(lengths) {
    var bits = 0, n = lengths.length, i, len;
    for (i = 0; i < n; i++) if (lengths[i] > bits) bits = lengths[i];
    var count = new Uint16Array(16), next = new Uint16Array(16), code = 0;
    for (i = 0; i < n; i++) count[lengths[i]]++;
    count[0] = 0;
    for (len = 1; len <= 15; len++) {
      code = code + count[len - 1] << 1;
      next[len] = code;
    }
    var size = 1 << bits, table2 = new Int32Array(size);
    for (i = 0; i < n; i++) {
      len = lengths[i];
      if (!len) continue;
      var c = next[len]++, rev = 0;
      for (var b = 0; b < len; b++) {
        rev = rev << 1 | c & 1;
        c >>= 1;
      }
      for (var k = rev; k < size; k += 1 << len) table2[k] = i << 4 | len;
    }
    return { t: table2, bits, mask: size - 1 };
  }
  var FIXED = null;
  function fixedTables() {
    if (!FIXED) {
      var lit = new Uint8Array(288), dist = new Uint8Array(30).fill(5);
      lit.fill(8, 0, 144);
      lit.fill(9, 144, 256);
      lit.fill(7, 256, 280);
      lit.fill(8, 280, 288);
      FIXED = [huffTable(lit), huffTable(dist)];
    }
    return FIXED;
  }
  function inflate(src, out) {
    var pos = 0, buf = 0, cnt = 0, o = 0, i, s, r, n, e, len, final, type;
    var lt, lmask, dt, dmask, C, lens, hlit, hdist, hclen, cl, L2, D, from, end;
    var limit = src.length + 4;
    function bits(k) {
      while (cnt < k) {
        buf |= src[pos++] << cnt;
        cnt += 8;
      }
      var v = buf & (1 << k) - 1;
      buf >>>= k;
      cnt -= k;
      return v;
    }
    function sym(h) {
      while (cnt < h.bits) {
        buf |= src[pos++] << cnt;
        cnt += 8;
      }
      var x = h.t[buf & h.mask], k = x & 15;
      if (!k) throw new Error("payload: invalid Huffman code");
      buf >>>= k;
      cnt -= k;
      return x >> 4;
    }
    do {
      if (pos > limit) throw new Error("payload: the data ends early");
      final = bits(1);
      type = bits(2);
      if (type === 0) {
        buf = 0;
        pos -= cnt >> 3;
        cnt = 0;
        n = src[pos] | src[pos + 1] << 8;
        pos += 4;
        out.set(src.subarray(pos, pos + n), o);
        pos += n;
        o += n;
        continue;
      }
      if (type === 1) {
        L2 = fixedTables()[0];
        D = fixedTables()[1];
      } else if (type === 2) {
        hlit = bits(5) + 257;
        hdist = bits(5) + 1;
        hclen = bits(4) + 4;
        cl = new Uint8Array(19);
        for (i = 0; i < hclen; i++) cl[CL_ORDER[i]] = bits(3);
        C = huffTable(cl);
        lens = new Uint8Array(hlit + hdist);
        for (i = 0; i < hlit + hdist; ) {
          s = sym(C);
          if (s < 16) lens[i++] = s;
          else if (s === 16) {
            e = lens[i - 1];
            for (r = 3 + bits(2); r > 0; r--) lens[i++] = e;
          } else if (s === 17) {
            for (r = 3 + bits(3); r > 0; r--) lens[i++] = 0;
          } else {
            for (r = 11 + bits(7); r > 0; r--) lens[i++] = 0;
          }
        }
        L2 = huffTable(lens.subarray(0, hlit));
        D = huffTable(lens.subarray(hlit));
      } else throw new Error("payload: invalid block type");
      lt = L2.t;
      lmask = L2.mask;
      dt = D.t;
      dmask = D.mask;
      for (; ; ) {
        while (cnt < 15) {
          buf |= src[pos++] << cnt;
          cnt += 8;
        }
        if (pos > limit) throw new Error("payload: the data ends early");
        e = lt[buf & lmask];
        len = e & 15;
        if (!len) throw new Error("payload: invalid Huffman code");
        buf >>>= len;
        cnt -= len;
        s = e >> 4;
        if (s < 256) {
          out[o++] = s;
          continue;
        }
        if (s === 256) break;
        s -= 257;
        n = LEN_EXTRA[s];
        len = LEN_BASE[s];
        if (n) {
          while (cnt < n) {
            buf |= src[pos++] << cnt;
            cnt += 8;
          }
          len += buf & (1 << n) - 1;
          buf >>>= n;
          cnt -= n;
        }
        while (cnt < 15) {
          buf |= src[pos++] << cnt;
          cnt += 8;
        }
        e = dt[buf & dmask];
        r = e & 15;
        if (!r) throw new Error("payload: invalid Huffman code");
        buf >>>= r;
        cnt -= r;
        s = e >> 4;
        n = DIST_EXTRA[s];
        from = DIST_BASE[s];
        if (n) {
          while (cnt < n) {
            buf |= src[pos++] << cnt;
            cnt += 8;
          }
          from += buf & (1 << n) - 1;
          buf >>>= n;
          cnt -= n;
        }
        from = o - from;
        if (from < 0) throw new Error("payload: a match reaches before the start");
        for (end = o + len; o < end; ) out[o++] = out[from++];
      }
    } while (!final);
    return o;
  }
  function readPayload(text) {
    var obj = JSON.parse(text);
    if (typeof obj.deflate !== "string") return obj;
    var bin = atob(obj.deflate), src = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) src[i] = bin.charCodeAt(i);
    var out = new Uint8Array(obj.size), n = inflate(src, out);
    if (n !== obj.size) throw new Error("payload: " + n + " bytes inflated, " + obj.size + " expected");
    return JSON.parse(new TextDecoder("utf-8").decode(out));
  }

  // geo/static/src/atlas/datum.js
  var A = 6378245;
  var EE = 0.006693421622965943;
  var PI = Math.PI;
  function inChina(lon, lat) {
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
  }
  function wgs2gcj(lon, lat) {
    if (!inChina(lon, lat)) return [lon, lat];
    var x = lon - 105, y = lat - 35;
    var ang = (20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2 / 3;
    var rt = Math.sqrt(Math.abs(x));
    var dlat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * rt + ang;
    dlat += (20 * Math.sin(y * PI) + 40 * Math.sin(y / 3 * PI)) * 2 / 3;
    dlat += (160 * Math.sin(y / 12 * PI) + 320 * Math.sin(y * PI / 30)) * 2 / 3;
    var dlon = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * rt + ang;
    dlon += (20 * Math.sin(x * PI) + 40 * Math.sin(x / 3 * PI)) * 2 / 3;
    dlon += (150 * Math.sin(x / 12 * PI) + 300 * Math.sin(x / 30 * PI)) * 2 / 3;
    var rad = lat / 180 * PI, magic = 1 - EE * Math.sin(rad) * Math.sin(rad), sm = Math.sqrt(magic);
    dlat = dlat * 180 / (A * (1 - EE) / (magic * sm) * PI);
    dlon = dlon * 180 / (A / sm * Math.cos(rad) * PI);
    return [lon + dlon, lat + dlat];
  }

  // geo/static/src/atlas/mercator.js
  var PI2 = Math.PI;
  var MAX_LAT = 85.0511287798;
  function mercX(lon) {
    return (lon + 180) / 360;
  }
  function mercY(lat) {
    var s = Math.sin(Math.max(Math.min(lat, MAX_LAT), -MAX_LAT) * PI2 / 180);
    return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * PI2);
  }
  var EARTH_CIRCUMFERENCE = 40075016686e-3;
  function mercLat(y) {
    return Math.atan(Math.sinh(PI2 * (1 - 2 * y))) * 180 / PI2;
  }
  var WGS84_A = 6378137;
  var WGS84_E2 = 0.00669437999014;
  function groundScale(lat, scale) {
    var phi = lat * PI2 / 180, w = 1 - WGS84_E2 * Math.sin(phi) * Math.sin(phi), c = Math.cos(phi);
    var n = WGS84_A / Math.sqrt(w), mer = WGS84_A * (1 - WGS84_E2) / (w * Math.sqrt(w));
    return [scale / (2 * PI2 * n * c), scale / (2 * PI2 * mer * c)];
  }

  // geo/static/src/atlas/dom.js
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (k === "text") node.textContent = attrs[k];
        else if (k === "bi") bilingual(node, attrs[k]);
        else if (k === "className") node.className = attrs[k];
        else node.setAttribute(k, attrs[k]);
      }
    }
    (children || []).forEach(function(c) {
      if (c == null) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }
  var LATIN = /^([^A-Za-z]*?[\u3000-\u9fff\uff00-\uffef][^A-Za-z]*?)\s*([A-Za-z(].*)$/;
  function bilingual(node, text) {
    text = String(text == null ? "" : text);
    var m = LATIN.exec(text);
    if (m) {
      node.appendChild(document.createTextNode(m[1] + " "));
      var en = document.createElement("span");
      en.setAttribute("lang", "en");
      en.textContent = m[2];
      node.appendChild(en);
    } else if (/[A-Za-z]/.test(text) && !/[\u3000-\u9fff\uff00-\uffef]/.test(text)) {
      node.setAttribute("lang", "en");
      node.textContent = text;
    } else {
      node.textContent = text;
    }
  }

  // geo/static/src/atlas/locale.js
  var LANG = { code: "zh-CN", explicit: false, cat: null, all: {} };
  function chooseLanguage(locales, hash, prefs) {
    var m = /(?:^#|&)lang=([^&]*)/.exec(hash || "");
    var asked = m ? decodeURIComponent(m[1]) : null;
    if (asked && locales[asked]) return { code: asked, explicit: true };
    prefs = prefs || [];
    for (var k = 0; k < prefs.length; k++) {
      var pref = String(prefs[k]).toLowerCase();
      if (pref.indexOf("zh") === 0 && locales["zh-CN"]) return { code: "zh-CN", explicit: false };
      if (pref.indexOf("en") === 0 && locales.en) return { code: "en", explicit: false };
    }
    return { code: "zh-CN", explicit: false };
  }
  function deepMerge(target, source) {
    Object.keys(source || {}).forEach(function(k) {
      var v = source[k];
      if (v && typeof v === "object" && !Array.isArray(v) && target[k] && typeof target[k] === "object") deepMerge(target[k], v);
      else if (v != null) target[k] = v;
    });
    return target;
  }
  function nanguanLocale(locales) {
    var nav = window.navigator || {}, prefs = nav.languages && nav.languages.length ? nav.languages : [nav.language || ""];
    var choice = chooseLanguage(locales, window.location.hash, prefs);
    LANG.code = choice.code;
    LANG.explicit = choice.explicit;
    LANG.cat = locales[choice.code];
    LANG.all = locales;
    document.documentElement.setAttribute("lang", choice.code);
    if (window.L && L.drawLocal && LANG.cat.draw) deepMerge(L.drawLocal, LANG.cat.draw);
    if (window.L && L.Control && L.Control.Measure && LANG.cat.measure) {
      L.Control.Measure.prototype.options.localization = LANG.cat.measure.localization;
    }
    return LANG;
  }

  // geo/static/src/atlas/format.js
  function fmtNumber(v, digits) {
    return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: digits || 0 });
  }
  function fmtArea(m2) {
    if (m2 == null) return null;
    var ha = m2 / 1e4;
    var haText = ha >= 100 ? fmtNumber(ha, 0) : fmtNumber(ha, 2);
    if (LANG.code === "en") return fmtNumber(m2, 0) + " m² (" + haText + " ha)";
    return fmtNumber(m2, 0) + " 平方米（" + haText + " 公顷）";
  }
  function paren(text) {
    return LANG.code === "en" ? " (" + text + ")" : "（" + text + "）";
  }
  function fmtDistance(m) {
    var t = LANG.cat ? LANG.cat.page : { metres: "{n} m", kilometres: "{n} km" };
    return m >= 1e3 ? t.kilometres.replace("{n}", fmtNumber(m / 1e3, 1)) : t.metres.replace("{n}", fmtNumber(m, 0));
  }
  function publicText(text) {
    if (!text) return text;
    var parts = String(text).split(/(?<=[.;。；])\s+/);
    return parts.filter(function(p) {
      return !/`[^`]*`|(^|\s)--[a-z]|\b[a-z]+_[a-z_]+\b/.test(p);
    }).join(" ").trim() || null;
  }

  // geo/static/src/atlas/shapes.js
  var PI3 = Math.PI;
  var SHAPES = {
    circle: null,
    square: [[-1, -1], [1, -1], [1, 1], [-1, 1]],
    diamond: [[0, -1.3], [1.3, 0], [0, 1.3], [-1.3, 0]],
    triangle: [[0, -1.35], [1.25, 1], [-1.25, 1]],
    cross: [
      [-0.4, -1.2],
      [0.4, -1.2],
      [0.4, -0.4],
      [1.2, -0.4],
      [1.2, 0.4],
      [0.4, 0.4],
      [0.4, 1.2],
      [-0.4, 1.2],
      [-0.4, 0.4],
      [-1.2, 0.4],
      [-1.2, -0.4],
      [-0.4, -0.4]
    ],
    pentagon: [[0, -1.2], [1.15, -0.35], [0.7, 1.05], [-0.7, 1.05], [-1.15, -0.35]],
    house: [[0, -1.3], [1.2, -0.2], [1.2, 1.1], [-1.2, 1.1], [-1.2, -0.2]],
    hexagon: [[-0.6, -1.05], [0.6, -1.05], [1.2, 0], [0.6, 1.05], [-0.6, 1.05], [-1.2, 0]]
  };
  function shapePath(ctx, shape, x, y, r) {
    var pts = SHAPES[shape];
    if (!pts) {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * PI3);
      return;
    }
    ctx.moveTo(x + pts[0][0] * r, y + pts[0][1] * r);
    for (var i = 1; i < pts.length; i++) ctx.lineTo(x + pts[i][0] * r, y + pts[i][1] * r);
    ctx.closePath();
  }
  function shapeSvg(shape, color) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "-8 -8 16 16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "atlas-swatch-svg");
    var pts = SHAPES[shape], node;
    if (!pts) {
      node = document.createElementNS(ns, "circle");
      node.setAttribute("r", "6");
    } else {
      node = document.createElementNS(ns, "polygon");
      node.setAttribute("points", pts.map(function(p) {
        return (p[0] * 5.5).toFixed(2) + "," + (p[1] * 5.5).toFixed(2);
      }).join(" "));
    }
    node.setAttribute("fill", color);
    node.setAttribute("stroke", "#fff");
    node.setAttribute("stroke-width", "1.5");
    svg.appendChild(node);
    return svg;
  }

  // geo/static/src/atlas/canvas-layer.js
  var PI4 = Math.PI;
  var CanvasLayer = L.Layer.extend({
    getAttribution: function() {
      return this.style.attribution || null;
    },
    initialize: function(atlas, members, style) {
      this.atlas = atlas;
      this.members = members;
      this.style = style;
      this.screen = null;
    },
    onAdd: function(map) {
      this.canvas = L.DomUtil.create("canvas", "atlas-canvas leaflet-zoom-hide");
      this.canvas.style.pointerEvents = "none";
      map.getPane("overlayPane").appendChild(this.canvas);
      map.on("moveend zoomend resize viewreset", this.redraw, this);
      this.redraw();
    },
    onRemove: function(map) {
      map.off("moveend zoomend resize viewreset", this.redraw, this);
      L.DomUtil.remove(this.canvas);
      this.canvas = null;
      this.screen = null;
    },
    getLayers: function() {
      return this.members;
    },
    redraw: function() {
      if (!this._map || !this.canvas) return;
      var map = this._map, atlas = this.atlas, size = map.getSize(), pad = 0.3;
      var dpr = window.devicePixelRatio || 1;
      var cx0 = -Math.round(size.x * pad), cy0 = -Math.round(size.y * pad);
      var min = map.containerPointToLayerPoint([cx0, cy0]);
      var w = size.x - 2 * cx0, h = size.y - 2 * cy0;
      var canvas = this.canvas;
      L.DomUtil.setPosition(canvas, min);
      canvas.width = w * dpr;
      canvas.height = h * dpr;
      canvas.style.width = w + "px";
      canvas.style.height = h + "px";
      var ctx = canvas.getContext("2d");
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      var zoom = map.getZoom(), scale = 256 * Math.pow(2, zoom);
      var origin = map.getPixelOrigin();
      var paneOffset = map.containerPointToLayerPoint([0, 0]);
      var ox = origin.x + paneOffset.x, oy = origin.y + paneOffset.y;
      var style = this.style, members = this.members;
      var screen = this.screen = {
        x: new Float32Array(members.length),
        y: new Float32Array(members.length),
        r: new Float32Array(members.length),
        on: new Uint8Array(members.length)
      };
      var mx = atlas.mx, my = atlas.my;
      var dots = [], circles = [], polys = [], grown = [], n = members.length;
      for (var k = 0; k < n; k++) {
        var m = members[k];
        var x, y, r;
        if (m.poly !== void 0) {
          (m.radius ? grown : polys).push(k);
          continue;
        }
        x = mx[m.pt] * scale - ox;
        y = my[m.pt] * scale - oy;
        if (x < cx0 - 50 || y < cy0 - 50 || x > cx0 + w + 50 || y > cy0 + h + 50) {
          if (!m.radius) continue;
        }
        if (m.radius) {
          var mpp = EARTH_CIRCUMFERENCE * Math.cos(atlas.lat[m.pt] * PI4 / 180) / scale;
          r = m.radius / mpp;
          if (x + r < cx0 || y + r < cy0 || x - r > cx0 + w || y - r > cy0 + h) continue;
          circles.push(k);
        } else {
          r = style.dot;
          dots.push(k);
        }
        screen.x[k] = x;
        screen.y[k] = y;
        screen.r[k] = Math.max(r, style.dot);
        screen.on[k] = 1;
      }
      var cluster = this.style.clusterOver && dots.length + circles.length > this.style.clusterOver;
      this.clusters = null;
      if (cluster) {
        this.drawClusters(ctx, dots.concat(circles), cx0, cy0);
        return;
      }
      if (grown.length) this.drawGrown(ctx, grown, { scale, ox: ox + cx0, oy: oy + cy0, w, h, dpr });
      if (polys.length) {
        var tiny = [], bbox = atlas.bbox;
        for (var pass = 0; pass < 2; pass++) {
          ctx.beginPath();
          var inPass = 0;
          for (var q = 0; q < polys.length; q++) {
            var pk = polys[q], pm = members[pk];
            if (!!pm.schematic !== (pass === 1)) continue;
            var bb = bbox[pm.poly];
            var bx = bb[0] * scale - ox, by = bb[1] * scale - oy, ex = bb[2] * scale - ox, ey = bb[3] * scale - oy;
            if (ex < cx0 || ey < cy0 || bx > cx0 + w || by > cy0 + h) continue;
            screen.x[pk] = (bx + ex) / 2;
            screen.y[pk] = (by + ey) / 2;
            screen.r[pk] = Math.max(ex - bx, ey - by) / 2 + 2;
            if (ex - bx < 4 && ey - by < 4) {
              screen.on[pk] = 1;
              tiny.push(pk);
              continue;
            }
            screen.on[pk] = 2;
            inPass++;
            var rings = atlas.rings[pm.poly];
            for (var a = 0; a < rings.length; a++) {
              var ring = rings[a], lx = NaN, ly = NaN;
              for (var j = 0; j < ring.length; j += 2) {
                var px = ring[j] * scale - ox - cx0, py = ring[j + 1] * scale - oy - cy0;
                if (j === 0) {
                  ctx.moveTo(px, py);
                  lx = px;
                  ly = py;
                } else if (Math.abs(px - lx) + Math.abs(py - ly) >= 1 || j === ring.length - 2) {
                  ctx.lineTo(px, py);
                  lx = px;
                  ly = py;
                }
              }
              ctx.closePath();
            }
          }
          if (!inPass) continue;
          ctx.fillStyle = style.fill;
          ctx.globalAlpha = pass === 1 ? 0.15 : 0.3;
          ctx.fill("evenodd");
          ctx.globalAlpha = 1;
          ctx.strokeStyle = style.color;
          ctx.lineWidth = 1.5;
          if (pass === 1 && inPass < 1500) ctx.setLineDash([4, 4]);
          ctx.stroke();
          ctx.setLineDash([]);
        }
        if (tiny.length) {
          ctx.beginPath();
          for (var t2 = 0; t2 < tiny.length; t2++) ctx.rect(screen.x[tiny[t2]] - cx0 - 2, screen.y[tiny[t2]] - cy0 - 2, 4, 4);
          ctx.fillStyle = style.fill;
          ctx.fill();
        }
      }
      if (circles.length) {
        ctx.beginPath();
        for (var c = 0; c < circles.length; c++) {
          var ck = circles[c];
          ctx.moveTo(screen.x[ck] - cx0 + screen.r[ck], screen.y[ck] - cy0);
          ctx.arc(screen.x[ck] - cx0, screen.y[ck] - cy0, screen.r[ck], 0, 2 * PI4);
        }
        if (style.circleFill !== false) {
          ctx.globalAlpha = style.circleAlpha || 0.12;
          ctx.fillStyle = style.fill;
          ctx.fill();
        }
        ctx.globalAlpha = 1;
        ctx.setLineDash(style.dash || [6, 5]);
        ctx.lineWidth = style.circleWidth || 2;
        ctx.strokeStyle = style.color;
        ctx.stroke();
        ctx.setLineDash([]);
        if (style.centres) {
          ctx.beginPath();
          for (var c2 = 0; c2 < circles.length; c2++) {
            var c2k = circles[c2];
            shapePath(ctx, style.shape, screen.x[c2k] - cx0, screen.y[c2k] - cy0, 3.5);
          }
          ctx.fillStyle = "#fff";
          ctx.fill();
          ctx.lineWidth = 1.5;
          ctx.strokeStyle = style.color;
          ctx.stroke();
        }
      }
      if (dots.length) {
        ctx.beginPath();
        for (var d = 0; d < dots.length; d++) {
          var dk = dots[d];
          shapePath(ctx, style.shape, screen.x[dk] - cx0, screen.y[dk] - cy0, style.dot);
        }
        ctx.fillStyle = style.fill;
        ctx.fill();
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = "#fff";
        ctx.stroke();
      }
    },
    drawGrown: function(ctx, ks, v) {
      var atlas = this.atlas, members = this.members, style = this.style, byRadius = {}, radii = [];
      for (var t = 0; t < ks.length; t++) {
        var m = members[ks[t]], bb = atlas.bbox[m.poly];
        var lat = mercLat((bb[1] + bb[3]) / 2), k = groundScale(lat, v.scale), r = m.radius * k[1];
        var bx = bb[0] * v.scale - v.ox, by = bb[1] * v.scale - v.oy, ex = bb[2] * v.scale - v.ox, ey = bb[3] * v.scale - v.oy;
        if (ex + r < 0 || ey + r < 0 || bx - r > v.w || by - r > v.h) continue;
        var bins = byRadius[m.radius];
        if (!bins) {
          bins = byRadius[m.radius] = {};
          radii.push(m.radius);
        }
        var key = Math.round(r * 4), bin = bins[key] || (bins[key] = { k, polys: [] });
        bin.polys.push(m.poly);
      }
      if (!radii.length) return;
      var off = this.grownCanvas || (this.grownCanvas = document.createElement("canvas"));
      off.width = v.w * v.dpr;
      off.height = v.h * v.dpr;
      var octx = off.getContext("2d"), line = style.circleWidth || 1.5;
      radii.sort(function(a, b) {
        return b - a;
      });
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      for (var q = 0; q < radii.length; q++) {
        var radius = radii[q];
        octx.setTransform(1, 0, 0, 1, 0, 0);
        octx.globalCompositeOperation = "source-over";
        octx.clearRect(0, 0, off.width, off.height);
        this.grownPath(octx, byRadius[radius], v, radius, 0);
        ctx.globalAlpha = style.circleAlpha || 0.05;
        ctx.drawImage(off, 0, 0);
        octx.globalCompositeOperation = "destination-out";
        this.grownPath(octx, byRadius[radius], v, radius, line);
        octx.setTransform(1, 0, 0, 1, 0, 0);
        octx.globalCompositeOperation = "source-in";
        octx.fillStyle = style.color;
        octx.fillRect(0, 0, off.width, off.height);
        ctx.globalAlpha = 0.9;
        ctx.drawImage(off, 0, 0);
      }
      ctx.restore();
    },
    grownPath: function(octx, bins, v, radius, inset) {
      var atlas = this.atlas, style = this.style;
      octx.fillStyle = octx.strokeStyle = style.fill;
      octx.lineJoin = "round";
      octx.lineCap = "round";
      Object.keys(bins).forEach(function(key) {
        var bin = bins[key], kx = bin.k[0], ky = bin.k[1], width = 2 * (radius - inset / ky);
        octx.setTransform(v.dpr * kx, 0, 0, v.dpr * ky, 0, 0);
        octx.beginPath();
        for (var t = 0; t < bin.polys.length; t++) {
          var rings = atlas.rings[bin.polys[t]];
          for (var a = 0; a < rings.length; a++) {
            var ring = rings[a], lx = NaN, ly = NaN;
            for (var j = 0; j < ring.length; j += 2) {
              var px = ring[j] * v.scale - v.ox, py = ring[j + 1] * v.scale - v.oy;
              if (j === 0) {
                octx.moveTo(px / kx, py / ky);
                lx = px;
                ly = py;
              } else if (Math.abs(px - lx) + Math.abs(py - ly) >= 0.5 || j === ring.length - 2) {
                octx.lineTo(px / kx, py / ky);
                lx = px;
                ly = py;
              }
            }
            octx.closePath();
          }
        }
        octx.fill("nonzero");
        if (width > 0) {
          octx.lineWidth = width;
          octx.stroke();
        }
      });
    },
    drawClusters: function(ctx, ks, cx0, cy0) {
      var cell = 48, bins = /* @__PURE__ */ new Map(), screen = this.screen, list = [];
      for (var t = 0; t < ks.length; t++) {
        var k = ks[t], key = (Math.floor(screen.x[k] / cell) + 4096) * 8192 + Math.floor(screen.y[k] / cell) + 4096;
        var b = bins.get(key);
        if (!b) {
          b = { x: 0, y: 0, n: 0, first: k };
          bins.set(key, b);
          list.push(b);
        }
        b.x += screen.x[k];
        b.y += screen.y[k];
        b.n++;
        screen.on[k] = 0;
      }
      ctx.font = "bold 11px system-ui, sans-serif";
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      for (var u = 0; u < list.length; u++) {
        var bb = list[u];
        bb.x /= bb.n;
        bb.y /= bb.n;
        bb.r = bb.n === 1 ? this.style.dot : Math.min(8 + 3 * Math.log(bb.n) * 1.6, 24);
        ctx.beginPath();
        ctx.arc(bb.x - cx0, bb.y - cy0, bb.r, 0, 2 * PI4);
        ctx.globalAlpha = bb.n === 1 ? 1 : 0.8;
        ctx.fillStyle = this.style.fill;
        ctx.fill();
        ctx.globalAlpha = 1;
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = "#fff";
        ctx.stroke();
        if (bb.n > 1) {
          ctx.fillStyle = "#fff";
          ctx.fillText(bb.n > 999 ? Math.round(bb.n / 1e3) + "k" : String(bb.n), bb.x - cx0, bb.y - cy0);
        }
      }
      this.clusters = list;
    },
    near: function(x, y, px) {
      var out = [], s = this.screen;
      if (!s || this.clusters) return out;
      for (var k = 0; k < this.members.length; k++) {
        if (s.on[k] !== 1) continue;
        var dx = x - s.x[k], dy = y - s.y[k];
        if (dx * dx + dy * dy <= px * px) out.push(this.members[k]);
      }
      return out;
    },
    hit: function(x, y) {
      if (!this.screen) return null;
      if (this.clusters) {
        for (var u = this.clusters.length - 1; u >= 0; u--) {
          var b = this.clusters[u], dx = x - b.x, dy = y - b.y;
          if (dx * dx + dy * dy <= (b.r + 2) * (b.r + 2)) return b.n === 1 ? { member: this.members[b.first] } : { cluster: b };
        }
        return null;
      }
      var best = null, bestD = Infinity, s = this.screen;
      for (var k = 0; k < this.members.length; k++) {
        var on = s.on[k];
        if (!on) continue;
        var ddx = x - s.x[k], ddy = y - s.y[k], d2 = ddx * ddx + ddy * ddy;
        if (on === 2) {
          if (Math.abs(ddx) <= s.r[k] && Math.abs(ddy) <= s.r[k] && this.atlas.inPolygon(this.members[k].poly, x, y, this._map) && d2 < bestD) {
            best = k;
            bestD = d2;
          }
        } else if (d2 <= (s.r[k] + 3) * (s.r[k] + 3) && d2 < bestD) {
          best = k;
          bestD = d2;
        }
      }
      return best === null ? null : { member: this.members[best] };
    }
  });

  // geo/static/src/atlas/layers.js
  function Item(atlas, i, member) {
    this.atlas = atlas;
    this.i = i;
    this.member = member;
  }
  Item.prototype.getLatLng = function() {
    var a = this.atlas, m = this.member;
    if (m.poly !== void 0) return this.getBounds().getCenter();
    return L.latLng(a.project(a.lon[m.pt], a.lat[m.pt]));
  };
  Item.prototype.getBounds = function() {
    var a = this.atlas, m = this.member;
    if (m.poly === void 0) {
      var c = this.getLatLng();
      return m.radius ? c.toBounds(2 * m.radius) : L.latLngBounds(c, c);
    }
    var b = L.latLngBounds([]);
    a.polyLonLat[m.poly].forEach(function(poly) {
      var ring = poly[0];
      for (var j = 0; j < ring[0].length; j++) b.extend(a.project(ring[0][j], ring[1][j]));
    });
    return b;
  };
  var layers = {};
  layers.buildLayers = function() {
    var self = this, p = this.p, map = this.map, opts = this.opts;
    this.items = new Array(p.n);
    var members = {}, polyIndex = {}, k = 0;
    p.polygons.forEach(function(entry, q) {
      polyIndex[entry[0]] = q;
    });
    p.categories.forEach(function(c) {
      members[c] = [];
    });
    for (var i = 0; i < p.n; i++) {
      var kind = p.kind[i], m = null;
      if (kind === 1) {
        var precision = this.str("precision", i), unc = this.num("uncertainty_m", i);
        m = { i, pt: k++ };
        if (opts.approximate.indexOf(precision) >= 0 && unc) m.radius = unc;
      } else if (kind === 2) {
        m = { i, poly: polyIndex[i], schematic: this.str("outline", i) === "schematic" };
      }
      this.items[i] = m ? new Item(this, i, m) : null;
      if (m) members[this.cat(i)].push(m);
    }
    var hidden = this.hidden || {};
    this.groups = {};
    p.categories.forEach(function(c) {
      var st = opts.styles[c];
      var layer = new CanvasLayer(self, members[c], {
        color: st.color,
        fill: st.color,
        dot: 6,
        shape: st.shape,
        centres: true,
        clusterOver: opts.clusterOver,
        attribution: opts.placesAttribution
      });
      self.groups[c] = layer;
      if (!hidden[c]) layer.addTo(map);
      opts.control.addOverlay(layer, opts.labels[c] + " (" + members[c].length + ")");
    });
    this.buildRadii(members.park);
    this.buildPanel();
  };
  layers.reload = function(payload) {
    var self = this, map = this.map, control = this.opts.control, radiiOn = map.hasLayer(this.radiiGroup);
    this.hidden = {};
    Object.keys(this.groups).forEach(function(c) {
      var layer = self.groups[c];
      if (!map.hasLayer(layer)) self.hidden[c] = true;
      control.removeLayer(layer);
      map.removeLayer(layer);
    });
    control.removeLayer(this.radiiGroup);
    map.removeLayer(this.radiiGroup);
    var search2 = document.getElementById("atlas-search"), query = search2 ? search2.value : "";
    var focused = search2 && document.activeElement === search2;
    this.p = payload;
    this.S = payload.strings;
    this.searchCache = null;
    this.decode();
    this.reproject();
    this.buildLayers();
    if (radiiOn) this.radiiGroup.addTo(map);
    if (this.tableWrap) this.tableWrap.textContent = "";
    if (query) {
      search2 = document.getElementById("atlas-search");
      search2.value = query;
      search2.dispatchEvent(new Event("input"));
      if (focused) search2.focus();
    }
    this.hooks.forEach(function(hooks) {
      if (hooks.onReload) hooks.onReload();
    });
  };
  layers.indexOf = function(ident) {
    var ids = this.p.columns.id;
    for (var i = 0; i < this.p.n; i++) if (this.S[ids[i]] === ident) return i;
    return -1;
  };
  layers.hitAt = function(pt) {
    var cats = this.p.categories;
    for (var c = cats.length - 1; c >= 0; c--) {
      var layer = this.groups[cats[c]];
      if (!this.map.hasLayer(layer)) continue;
      var hit = layer.hit(pt.x, pt.y);
      if (hit) return hit;
    }
    return null;
  };
  layers.nearAt = function(pt) {
    var cats = this.p.categories, out = [];
    for (var c = cats.length - 1; c >= 0; c--) {
      var layer = this.groups[cats[c]];
      if (this.map.hasLayer(layer)) out = out.concat(layer.near(pt.x, pt.y, 9));
    }
    return out;
  };
  layers.openChoice = function(members, where) {
    var self = this, t = this.opts.text;
    var list = el("ul", { className: "atlas-choice" }, members.map(function(m) {
      var btn = el("button", { type: "button", className: "atlas-link", "data-atlas-id": self.str("id", m.i), text: self.str("name", m.i) });
      btn.addEventListener("click", function() {
        self.openPopup(m.i);
      });
      return el("li", null, [btn, " ", el("span", { className: "atlas-muted", text: self.opts.labels[self.cat(m.i)] })]);
    }));
    var box = el("div", { className: "atlas-popup" }, [el("h4", { text: t.placesHere.split("{n}").join(String(members.length)) }), list]);
    L.popup(this.popupOptions()).setLatLng(where).setContent(box).openOn(this.map);
  };
  layers.countLocated = function(c) {
    return this.groups[c].members.length;
  };
  layers.buildBoundary = function() {
    var b = this.opts.boundary;
    if (!b) return;
    this.boundaryRings = b.coordinates;
    this.boundary = L.polygon(this.projectBoundary(), {
      renderer: this.renderer,
      color: "#444",
      weight: 2,
      dashArray: "8 4",
      fill: false,
      interactive: false,
      attribution: this.opts.boundaryAttribution
    });
    this.boundary.addTo(this.map);
    this.opts.control.addOverlay(this.boundary, this.opts.boundaryLabel);
  };
  layers.projectBoundary = function() {
    var self = this;
    return this.boundaryRings.map(function(poly) {
      return poly.map(function(ring) {
        return ring.map(function(pt) {
          return self.project(pt[0], pt[1]);
        });
      });
    });
  };
  layers.buildRadii = function(parks) {
    var entries = [], self = this;
    (parks || []).forEach(function(m) {
      self.opts.radii.forEach(function(r) {
        if (m.pt !== void 0) entries.push({ i: m.i, pt: m.pt, radius: r });
        else if (m.poly !== void 0) entries.push({ i: m.i, poly: m.poly, radius: r });
      });
    });
    this.radii = new CanvasLayer(this, entries, {
      color: "#2e7d32",
      fill: "#66bb6a",
      dot: 0,
      circleAlpha: 0.05,
      dash: [3, 4],
      circleWidth: 1.5
    });
    this.radiiGroup = L.layerGroup([this.radii]);
    this.opts.control.addOverlay(this.radiiGroup, this.opts.radiiLabel);
  };
  layers.projectPolygons = function(group) {
    var self = this;
    group.eachLayer(function(poly) {
      poly.setLatLngs(poly.rings.map(function(rings) {
        return rings.map(function(ring) {
          return ring.map(function(pt) {
            return self.project(pt[0], pt[1]);
          });
        });
      }));
    });
  };
  layers.buildServiceAreas = function() {
    var self = this, areas = this.opts.serviceAreas || [], radii = {};
    this.serviceLayers = [];
    areas.forEach(function(a) {
      (radii[a.radius_m] = radii[a.radius_m] || []).push(a);
    });
    Object.keys(radii).sort(function(x, y) {
      return y - x;
    }).forEach(function(r, k) {
      var group = L.featureGroup();
      radii[r].forEach(function(a) {
        var poly = L.polygon([], {
          renderer: self.renderer,
          color: k ? "#1565c0" : "#5c6bc0",
          weight: 1,
          fillOpacity: 0.12,
          interactive: false
        });
        poly.rings = a.polygons;
        group.addLayer(poly);
      });
      self.serviceLayers.push(group);
      group.addTo(self.map);
      self.opts.control.addOverlay(group, self.opts.text.serviceArea.replace("{r}", Number(r).toLocaleString("zh-CN")));
    });
    this.projectServiceAreas();
  };
  layers.projectServiceAreas = function() {
    var self = this;
    (this.serviceLayers || []).forEach(function(group) {
      self.projectPolygons(group);
    });
  };
  layers.setDatum = function(datum) {
    if (datum === this.datum) return;
    this.datum = datum;
    this.reproject();
    var self = this;
    this.p.categories.forEach(function(c) {
      self.groups[c].redraw();
    });
    this.radii.redraw();
    if (this.boundary) this.boundary.setLatLngs(this.projectBoundary());
    this.projectServiceAreas();
    this.syncPrint();
    var note = document.getElementById("atlas-datum-note");
    if (note) note.textContent = datum === "gcj02" ? this.opts.text.datumGcj : this.opts.text.datumWgs;
  };

  // geo/static/src/atlas/url-state.js
  var STATE_KEYS = /(^#|&)(place|z|c|b|hide|show|lang|fs|fc|fq|fa|fu)=/;
  function parseHash(hash) {
    var state = {};
    (hash || "").replace(/^#/, "").split("&").forEach(function(kv) {
      var k = kv.split("=")[0], v = kv.slice(k.length + 1);
      if (k) state[k] = decodeURIComponent(v || "");
    });
    return state;
  }
  function isStateLink(hash) {
    return STATE_KEYS.test(hash || "");
  }
  function filtersFromState(state) {
    var list = function(v) {
      return v ? v.split(",").filter(function(x) {
        return x !== "";
      }) : null;
    };
    var f = { status: list(state.fs), cls: list(state.fc), quality: list(state.fq), min: null, max: null, unknownArea: state.fu !== "0" };
    if (state.fa) {
      var ends = state.fa.split("-"), lo = parseFloat(ends[0]), hi = parseFloat(ends[1]);
      f.min = isFinite(lo) ? lo : null;
      f.max = isFinite(hi) ? hi : null;
    }
    return f;
  }
  function filterParts(f) {
    var parts = [], enc = function(list) {
      return list.map(encodeURIComponent).join(",");
    };
    if (f.status) parts.push("fs=" + enc(f.status));
    if (f.cls) parts.push("fc=" + enc(f.cls));
    if (f.quality) parts.push("fq=" + enc(f.quality));
    if (f.min != null || f.max != null) parts.push("fa=" + (f.min == null ? "" : f.min) + "-" + (f.max == null ? "" : f.max));
    if (f.unknownArea === false) parts.push("fu=0");
    return parts;
  }
  var urlState = {};
  urlState.baseLayers = function() {
    var out = {};
    (this.opts.control._layers || []).forEach(function(l) {
      if (!l.overlay) out[l.name] = l.layer;
    });
    return out;
  };
  urlState.stateHash = function() {
    var map = this.map, c = map.getCenter(), parts = [], self = this;
    if (this.selected) parts.push("place=" + encodeURIComponent(this.selected));
    parts.push("z=" + map.getZoom(), "c=" + c.lat.toFixed(5) + "," + c.lng.toFixed(5));
    var bases = this.baseLayers();
    Object.keys(bases).forEach(function(name, k) {
      if (map.hasLayer(bases[name])) parts.push("b=" + k);
    });
    var hidden = this.p.categories.filter(function(c2) {
      return !map.hasLayer(self.groups[c2]);
    });
    if (hidden.length) parts.push("hide=" + hidden.join(","));
    return "#" + parts.concat(this.stateExtras()).join("&");
  };
  urlState.writeState = function(push) {
    if (this.applying) return;
    var hash = this.stateHash();
    if (hash === window.location.hash) return;
    if (push) window.history.pushState(null, "", hash);
    else window.history.replaceState(null, "", hash);
  };
  urlState.readState = function() {
    return parseHash(window.location.hash);
  };
  urlState.applyState = function(state) {
    var self = this, map = this.map;
    this.applying = true;
    try {
      var bases = this.baseLayers(), names = Object.keys(bases), want = names[Number(state.b)];
      if (want && !map.hasLayer(bases[want])) {
        names.forEach(function(n) {
          if (map.hasLayer(bases[n])) map.removeLayer(bases[n]);
        });
        map.addLayer(bases[want]);
        map.fire("baselayerchange", { layer: bases[want], name: want });
      }
      var hidden = (state.hide || "").split(",");
      this.p.categories.forEach(function(c2) {
        var off = hidden.indexOf(c2) >= 0, layer = self.groups[c2];
        if (off && map.hasLayer(layer)) map.removeLayer(layer);
        if (!off && !map.hasLayer(layer)) map.addLayer(layer);
      });
      var c = (state.c || "").split(",").map(Number);
      if (c.length === 2 && isFinite(c[0]) && isFinite(c[1]) && isFinite(Number(state.z))) {
        map.setView(c, Number(state.z), { animate: false });
      }
      this.applyStateExtras(state);
      var i = state.place ? this.indexOf(state.place) : -1;
      if (i >= 0) {
        this.selected = state.place;
        this.openPopup(i, true);
      } else {
        this.selected = null;
        map.closePopup();
      }
    } finally {
      this.applying = false;
    }
  };
  urlState.linkState = function() {
    var self = this, map = this.map;
    if (isStateLink(window.location.hash)) {
      var initial = this.readState();
      this.applyState(initial);
      if (window.document.readyState !== "complete") {
        window.addEventListener("load", function() {
          self.applyState(initial);
        }, { once: true });
      }
    }
    map.on("moveend zoomend baselayerchange overlayadd overlayremove", function() {
      self.writeState(false);
    });
    map.on("popupclose", function(e) {
      if (!self.applying && self.selected && e.popup === self.popup) {
        self.selected = null;
        self.writeState(true);
      }
    });
    window.addEventListener("popstate", function() {
      self.applyState(self.readState());
    });
  };
  urlState.stateExtras = function() {
    var map = this.map, parts = [], f = this.filters;
    var hidden = [], shown = [];
    if (this.radiiGroup && map.hasLayer(this.radiiGroup)) shown.push("radii");
    if (this.boundary && !map.hasLayer(this.boundary)) hidden.push("boundary");
    (this.serviceLayers || []).forEach(function(g, k) {
      if (!map.hasLayer(g)) hidden.push("walk" + k);
    });
    if (shown.length) parts.push("show=" + shown.join(","));
    if (hidden.length) parts.push("off=" + hidden.join(","));
    if (LANG.explicit) parts.push("lang=" + encodeURIComponent(LANG.code));
    if (this.filtersActive()) parts = parts.concat(filterParts(f));
    return parts;
  };
  urlState.applyStateExtras = function(state) {
    var map = this.map, shown = (state.show || "").split(","), off = (state.off || "").split(",");
    var toggle = function(layer, on) {
      if (!layer) return;
      if (on && !map.hasLayer(layer)) map.addLayer(layer);
      if (!on && map.hasLayer(layer)) map.removeLayer(layer);
    };
    toggle(this.radiiGroup, shown.indexOf("radii") >= 0);
    toggle(this.boundary, off.indexOf("boundary") < 0);
    (this.serviceLayers || []).forEach(function(g, k) {
      toggle(g, off.indexOf("walk" + k) < 0);
    });
    this.filters = filtersFromState(state);
    if (!this.filtersActive()) this.filters = null;
    if (this.filterBox && this.filtersActive()) this.filterBox.open = true;
    this.applyFilters(true);
  };

  // geo/static/src/atlas/popup.js
  var popup = {};
  popup.popupContent = function(i) {
    var node = this.placeContent(i);
    (this.hooks || []).forEach(function(hooks) {
      if (hooks.popup) node = hooks.popup(node, i) || node;
    });
    return node;
  };
  popup.placeContent = function(i) {
    var self = this, t = this.opts.text, c = this.cat(i);
    var rows = [];
    function row(label, value) {
      if (value != null && value !== "") rows.push(el("dt", { text: label }), el("dd", { text: String(value) }));
    }
    var cls = this.str("park_class", i);
    row(t.category, this.opts.labels[c]);
    if (cls) row(t.parkClass, this.classLabel(cls));
    var sourced = function(value, source) {
      return value == null ? null : value + paren(self.sourceLabel(source));
    };
    row(t.statedArea, sourced(fmtArea(this.num("stated_area_m2", i)), this.str("stated_area_source", i)));
    row(t.mappedArea, fmtArea(this.num("mapped_area_m2", i)));
    row(t.status, this.opts.statuses[this.str("status", i)] || this.str("status", i));
    if (this.str("status_source", i)) row(t.statusSource, this.sourceLabel(this.str("status_source", i)));
    row(t.address, this.str("address", i));
    var figures = this.str("figures", i);
    if (figures) {
      var obj = JSON.parse(figures), from = JSON.parse(this.str("figure_sources", i) || "{}");
      Object.keys(obj).forEach(function(key) {
        row(self.figureLabel(key), sourced(fmtNumber(obj[key], 2), from[key]));
      });
    }
    var precision = this.str("precision", i), unc = this.num("uncertainty_m", i);
    if (precision && precision !== "none") {
      row(t.precision, (this.opts.precisions[precision] || precision) + (unc != null ? (LANG.code === "en" ? " (" : "（") + t.within.replace("{m}", fmtDistance(unc)) + (LANG.code === "en" ? ")" : "）") : ""));
    } else {
      rows.push(el("dt", { text: t.precision }), el("dd", { className: "atlas-warn", text: t.unlocated }));
    }
    row(t.sources, this.str("sources", i));
    var outline = this.str("outline", i);
    if (outline) row(t.outline, this.opts.outlines[outline] || outline);
    var children = [
      el("h4", { text: this.str("name", i) || "" }),
      this.str("name_en", i) ? el("p", { className: "atlas-en", text: this.str("name_en", i) }) : null,
      el("dl", null, rows)
    ];
    var quote = this.str("quote", i);
    if (quote) {
      children.push(el("blockquote", { text: quote }));
      children.push(el("div", { className: "atlas-cite", text: "— " + (this.str("quote_source", i) || "") }));
    }
    var notes = publicText(this.str("notes", i)), where = this.str("location_source", i);
    if (notes) children.push(el("details", null, [el("summary", { bi: t.notes }), el("p", { text: notes })]));
    if (where) children.push(el("details", { className: "atlas-source-details" }, [
      el("summary", { bi: t.sourceDetails }),
      el("p", null, [el("strong", { text: t.locationSource + (LANG.code === "en" ? ": " : "：") }), where])
    ]));
    return el("div", { className: "atlas-popup", "data-atlas-id": this.str("id", i) || "" }, children);
  };
  popup.figureLabel = function(key) {
    return (this.opts.figureLabels || {})[key] || key.replace(/_/g, " ");
  };
  popup.sourceLabel = function(source) {
    var t = this.opts.text;
    return source === "report" ? t.report : t.source + (LANG.code === "en" ? ": " : "：") + (source || "?");
  };
  popup.openPopup = function(i, restoring) {
    var item = this.items[i];
    this.selected = this.str("id", i);
    if (!restoring) this.writeState(true);
    if (!item) {
      this.showDetails(i);
      return;
    }
    this.popup = L.popup(this.popupOptions()).setLatLng(item.getLatLng()).setContent(this.popupContent(i));
    this.popup.openOn(this.map);
  };
  popup.popupOptions = function() {
    var size = this.map.getSize(), side = 62, frame = 50;
    var controls = this.map.getContainer().querySelectorAll(".leaflet-top .leaflet-control");
    return {
      maxWidth: Math.max(160, Math.min(340, size.x - 2 * side - frame)),
      minWidth: Math.min(160, size.x - 2 * side - frame),
      maxHeight: Math.max(120, size.y - 120),
      autoPanPaddingTopLeft: L.point(controls.length ? side : 8, 10),
      autoPanPaddingBottomRight: L.point(controls.length ? side : 8, 48)
    };
  };
  popup.showDetails = function(i) {
    var self = this, t = this.opts.text, old = document.getElementById("atlas-details");
    if (old) old.remove();
    this.popup = null;
    this.map.closePopup();
    var close = el("button", { type: "button", id: "atlas-details-close", text: t.detailsClose });
    var box = el("section", {
      className: "atlas-details",
      id: "atlas-details",
      role: "region",
      tabindex: "-1",
      "aria-label": this.str("name", i) || ""
    }, [
      el("p", { className: "atlas-warn", bi: t.detailsNote }),
      this.popupContent(i),
      close
    ]);
    close.addEventListener("click", function() {
      box.remove();
      self.selected = null;
      self.writeState(true);
    });
    var body = document.getElementById("atlas-panel-body");
    body.insertBefore(box, document.getElementById("atlas-legend-title"));
    if (document.body.classList.contains("atlas-collapsed")) this.setCollapsed(false);
    if (this.isPhone() && this.sheetState() === "peek") this.setSheet("half");
    box.focus();
    if (box.scrollIntoView) box.scrollIntoView({ block: "nearest" });
    return box;
  };
  popup.focus = function(i) {
    var item = this.items[i], from = document.activeElement;
    if (item) {
      if (this.isPhone() && this.sheetState() !== "peek") this.setSheet("peek");
      var c = this.cat(i);
      if (!this.map.hasLayer(this.groups[c])) this.groups[c].addTo(this.map);
      if (item.member.poly !== void 0 || item.member.radius) this.map.fitBounds(item.getBounds(), { maxZoom: 16, animate: false });
      else this.map.setView(item.getLatLng(), Math.max(this.map.getZoom(), 15), { animate: false });
    }
    this.openPopup(i);
    this.returnFocus = from && from !== document.body ? from : null;
    var popup2 = item && this.popup && this.popup.getElement();
    var heading = popup2 && popup2.querySelector(".atlas-popup h4");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  };
  popup.closeSelection = function() {
    var details = document.getElementById("atlas-details");
    if (!(this.popup && this.popup.isOpen()) && !details) return false;
    this.map.closePopup();
    if (details) details.remove();
    this.selected = null;
    this.writeState(true);
    if (this.returnFocus && document.body.contains(this.returnFocus)) this.returnFocus.focus();
    return true;
  };

  // geo/static/src/atlas/search.js
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, "");
  }
  function inOrder(query, text) {
    var k = 0;
    for (var j = 0; j < text.length && k < query.length; j++) if (text[j] === query[k]) k++;
    return k === query.length;
  }
  function closeness(query, text) {
    var prev = new Array(text.length + 1).fill(0), cur = new Array(text.length + 1);
    for (var a = 1; a <= query.length; a++) {
      cur[0] = a;
      for (var b = 1; b <= text.length; b++) {
        cur[b] = Math.min(prev[b] + 1, cur[b - 1] + 1, prev[b - 1] + (query[a - 1] === text[b - 1] ? 0 : 1));
      }
      var swap = prev;
      prev = cur;
      cur = swap;
    }
    return Math.min.apply(null, prev);
  }
  function placeFields(place) {
    var names = [place.name, place.aliases, place.nameEn].filter(Boolean).map(fold);
    var others = [place.id, place.address, place.label, place.glossed].filter(Boolean).map(fold);
    var pinyin = (place.pinyin || "").split("|").filter(Boolean);
    return { names, others, pinyin };
  }
  function scoreFields(q, f) {
    var best = 0;
    f.names.forEach(function(n) {
      if (n === q) best = Math.max(best, 100);
      else if (n.indexOf(q) === 0) best = Math.max(best, 90);
      else if (n.indexOf(q) >= 0) best = Math.max(best, 80);
      else if (q.length >= 2 && inOrder(q, n)) best = Math.max(best, 60);
    });
    f.pinyin.forEach(function(p) {
      if (p === q) best = Math.max(best, 85);
      else if (q.length >= 2 && p.indexOf(q) >= 0) best = Math.max(best, 70);
      else if (q.length >= 6 && inOrder(q, p)) best = Math.max(best, 55);
    });
    f.others.forEach(function(o) {
      if (o.indexOf(q) >= 0) best = Math.max(best, o === q ? 75 : 65);
    });
    if (!best && q.length >= 3) {
      var allowed = q.length >= 6 ? 2 : 1;
      f.names.concat(f.pinyin).forEach(function(n) {
        var d = closeness(q, n);
        if (d <= allowed) best = Math.max(best, 50 - 10 * d);
      });
    }
    return best;
  }
  function rank(scored, max) {
    scored.sort(function(a, b) {
      return b[0] - a[0] || a[1] - b[1] || a[2] - b[2];
    });
    return scored.slice(0, max).map(function(r) {
      return r[2];
    });
  }
  var search = {};
  search.searchFields = function(i) {
    if (!this.searchCache) this.searchCache = [];
    var cached = this.searchCache[i];
    if (cached) return cached;
    return this.searchCache[i] = placeFields({
      name: this.str("name", i),
      aliases: this.str("aliases", i),
      nameEn: this.str("name_en", i),
      id: this.str("id", i),
      address: this.str("address", i),
      label: this.opts.labels[this.cat(i)],
      glossed: this.glossed(i),
      pinyin: this.str("pinyin", i)
    });
  };
  search.score = function(q, i) {
    return scoreFields(q, this.searchFields(i));
  };
  search.search = function(query) {
    var q = fold(query), scored = [];
    if (!q) return [];
    for (var i = 0; i < this.p.n; i++) {
      var s = this.score(q, i);
      if (s) scored.push([s, (this.str("name", i) || "").length, i]);
    }
    return rank(scored, this.opts.maxResults);
  };

  // geo/static/src/atlas/panel.js
  var panel = {};
  panel.buildPanel = function() {
    var self = this, t = this.opts.text, p = this.p;
    var box = el("aside", { className: "atlas-panel", id: "atlas-panel", "aria-label": t.panel });
    var body = el("div", { id: "atlas-panel-body" });
    var handle = el("button", {
      type: "button",
      className: "atlas-sheet-handle",
      id: "atlas-sheet-handle",
      "aria-controls": "atlas-panel-body",
      bi: t.sheetHandle
    });
    this.sheetHandle(handle);
    box.appendChild(handle);
    var toggle = el("button", {
      type: "button",
      className: "atlas-panel-toggle",
      id: "atlas-panel-toggle",
      "aria-controls": "atlas-panel-body"
    });
    toggle.addEventListener("click", function() {
      self.setCollapsed(!document.body.classList.contains("atlas-collapsed"));
    });
    box.appendChild(el("div", { className: "atlas-panel-head" }, [el("h1", { text: t.title }), toggle]));
    box.appendChild(body);
    body.appendChild(el("p", { className: "atlas-sub", bi: t.subtitle }));
    var input = el("input", {
      type: "search",
      id: "atlas-search",
      placeholder: t.searchPlaceholder,
      "aria-label": t.searchPlaceholder,
      "aria-controls": "atlas-results",
      autocomplete: "off"
    });
    var results = el("ul", { className: "atlas-results", id: "atlas-results", "aria-live": "polite", "aria-label": t.searchResults });
    var timer = null, delay = p.n > 2e4 ? 150 : 0;
    input.addEventListener("input", function() {
      clearTimeout(timer);
      if (delay) timer = setTimeout(function() {
        timer = null;
        showResults();
      }, delay);
      else showResults();
    });
    function showResults() {
      results.textContent = "";
      self.search(input.value).forEach(function(i2) {
        var located2 = !!self.items[i2];
        var btn = el("button", { type: "button", text: self.str("name", i2) });
        btn.addEventListener("click", function() {
          self.focus(i2);
        });
        results.appendChild(el("li", null, [btn, " ", el("span", {
          className: "atlas-muted",
          text: (self.str("name_en", i2) || "") + " · " + self.opts.labels[self.cat(i2)] + (located2 ? "" : " · " + t.unlocatedShort)
        })]));
      });
      if (input.value.trim() && !results.firstChild) results.appendChild(el("li", { className: "atlas-muted", text: t.noResults }));
      if (input.value.trim() && self.isPhone() && self.sheetState() === "peek") self.setSheet("half");
    }
    input.addEventListener("keydown", function(e) {
      if ((e.key === "Enter" || e.key === "ArrowDown") && timer) {
        clearTimeout(timer);
        timer = null;
        showResults();
      }
      var first = results.querySelector("button");
      if (e.key === "ArrowDown" && first) {
        e.preventDefault();
        first.focus();
      }
      if (e.key === "Enter" && first) {
        e.preventDefault();
        first.click();
      }
    });
    results.addEventListener("keydown", function(e) {
      var buttons = Array.prototype.slice.call(results.querySelectorAll("button")), k = buttons.indexOf(e.target);
      if (k < 0) return;
      if (e.key === "ArrowDown" && k + 1 < buttons.length) {
        e.preventDefault();
        buttons[k + 1].focus();
      }
      if (e.key === "ArrowUp") {
        e.preventDefault();
        (k ? buttons[k - 1] : input).focus();
      }
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        input.focus();
      }
    });
    body.appendChild(input);
    body.appendChild(results);
    body.appendChild(el("h3", { id: "atlas-legend-title", bi: t.legend }));
    var legend = el("ul", { className: "atlas-legend", id: "atlas-legend", "aria-labelledby": "atlas-legend-title" });
    p.categories.forEach(function(c) {
      var total = 0;
      for (var i2 = 0; i2 < p.n; i2++) if (p.category[i2] === p.categories.indexOf(c)) total++;
      legend.appendChild(el("li", { "data-category": c }, [
        shapeSvg(self.opts.styles[c].shape, self.opts.styles[c].color),
        el("span", { bi: self.opts.labels[c] }),
        el("span", { className: "atlas-count", text: self.countLocated(c) + " / " + total })
      ]));
    });
    body.appendChild(legend);
    body.appendChild(el("p", { className: "atlas-muted", bi: t.legendNote }));
    var located = [], unlocated = [];
    for (var i = 0; i < p.n; i++) (self.items[i] ? located : unlocated).push(i);
    body.appendChild(this.placeList("atlas-located", t.locatedTitle, t.locatedNote, located));
    var district = self.opts.districtFigures || [];
    if (district.length) {
      body.appendChild(el("section", { className: "atlas-district-box", "aria-labelledby": "atlas-district-title" }, [
        el("h3", { id: "atlas-district-title", bi: t.districtFigures }),
        el("p", { className: "atlas-muted", bi: t.districtFiguresNote }),
        el("ul", { className: "atlas-district", id: "atlas-district" }, district.map(function(f) {
          return el("li", { title: f.quote }, [
            el("span", { text: f.subject + " · " + self.figureLabel(f.key) + "：" }),
            el("strong", { text: fmtNumber(f.value, 2) }),
            el("span", { className: "atlas-muted", text: "（" + self.sourceLabel(f.source) + "）" })
          ]);
        }))
      ]));
    }
    body.appendChild(this.placeList("atlas-unlocated", t.unlocatedTitle, t.unlocatedNote, unlocated));
    var bar = el("div", { className: "atlas-toolbar" });
    var tableBtn = el("button", { type: "button", id: "atlas-table-open", bi: t.tableOpen });
    tableBtn.addEventListener("click", function() {
      self.openTable();
    });
    bar.appendChild(tableBtn);
    body.appendChild(bar);
    body.appendChild(el("p", {
      className: "atlas-datum-note",
      id: "atlas-datum-note",
      bi: self.datum === "gcj02" ? t.datumGcj : t.datumWgs
    }));
    var old = document.getElementById("atlas-panel");
    if (old) old.replaceWith(box);
    else document.body.appendChild(box);
    this.panel = box;
    this.buildReaderSections(body);
    this.setCollapsed(document.body.classList.contains("atlas-collapsed"));
    this.setSheet(this.sheetState());
  };
  panel.placeList = function(id, title, note, members) {
    var self = this, t = this.opts.text;
    var list = el("ul", { className: id, id });
    members.slice(0, this.opts.maxListed).forEach(function(i) {
      var btn = el("button", { type: "button", className: "atlas-link", text: self.str("name", i) });
      btn.addEventListener("click", function() {
        self.focus(i);
      });
      var area = self.num("stated_area_m2", i);
      list.appendChild(el("li", { "data-atlas-id": self.str("id", i) }, [btn, " ", el("span", {
        className: "atlas-muted",
        text: self.opts.labels[self.cat(i)] + (area != null ? " · " + fmtArea(area) : "") + (self.str("address", i) ? " · " + self.str("address", i) : "")
      })]));
    });
    if (members.length > this.opts.maxListed) list.appendChild(el("li", { className: "atlas-muted", text: "… +" + (members.length - this.opts.maxListed) + " · " + t.moreInSearch }));
    return el("section", { className: id + "-box", "aria-labelledby": id + "-title" }, [
      el("h3", { id: id + "-title", bi: title + " (" + members.length + ")" }),
      el("p", { className: "atlas-muted", bi: note }),
      list
    ]);
  };
  panel.isPhone = function() {
    return window.matchMedia("(max-width: 699px)").matches;
  };
  panel.resized = function() {
    var box = this.map.getContainer();
    if (!box.clientWidth || !box.clientHeight) return;
    this.map.invalidateSize({ pan: false });
  };
  panel.setCollapsed = function(collapsed) {
    var t = this.opts.text, toggle = document.getElementById("atlas-panel-toggle");
    document.body.classList.toggle("atlas-collapsed", collapsed);
    if (toggle) {
      toggle.textContent = collapsed ? "«" : "»";
      toggle.setAttribute("aria-expanded", String(!collapsed));
      toggle.setAttribute("aria-label", collapsed ? t.panelShow : t.panelHide);
      toggle.title = collapsed ? t.panelShow : t.panelHide;
    }
    this.resized();
  };
  panel.sheetState = function() {
    var c = document.body.classList;
    return c.contains("atlas-sheet-full") ? "full" : c.contains("atlas-sheet-half") ? "half" : "peek";
  };
  panel.setSheet = function(state) {
    var c = document.body.classList, handle = document.getElementById("atlas-sheet-handle"), t = this.opts.text;
    c.toggle("atlas-sheet-half", state === "half");
    c.toggle("atlas-sheet-full", state === "full");
    if (handle) {
      handle.setAttribute("aria-expanded", String(state !== "peek"));
      handle.setAttribute("aria-label", t.sheetHandle + " · " + t.sheetStates[state]);
      handle.setAttribute("data-state", state);
    }
    if (this.panel) this.panel.style.removeProperty("height");
    this.resized();
  };
  panel.sheetHandle = function(handle) {
    var self = this, start = null, moved = false;
    handle.addEventListener("click", function() {
      if (moved) {
        moved = false;
        return;
      }
      var next = { peek: "half", half: "full", full: "peek" };
      self.setSheet(next[self.sheetState()]);
    });
    handle.addEventListener("pointerdown", function(e) {
      start = { y: e.clientY, h: self.panel.getBoundingClientRect().height };
      moved = false;
      try {
        handle.setPointerCapture(e.pointerId);
      } catch {
      }
    });
    handle.addEventListener("pointermove", function(e) {
      if (!start) return;
      var h = start.h + (start.y - e.clientY);
      if (Math.abs(start.y - e.clientY) > 6) moved = true;
      if (moved) self.panel.style.height = Math.max(60, Math.min(window.innerHeight, h)) + "px";
    });
    function settle(e) {
      if (!start) return;
      var h = start.h + (start.y - e.clientY), vh = window.innerHeight;
      start = null;
      if (!moved) return;
      self.setSheet(h < vh * 0.3 ? "peek" : h < vh * 0.75 ? "half" : "full");
    }
    handle.addEventListener("pointerup", settle);
    handle.addEventListener("pointercancel", settle);
  };
  panel.layout = function() {
    var self = this, container = this.map.getContainer(), t = this.opts.text;
    document.body.classList.add("atlas-page");
    container.setAttribute("role", "main");
    container.setAttribute("aria-label", t.mapLabel);
    this.resized();
    if (window.ResizeObserver) new window.ResizeObserver(function() {
      self.resized();
    }).observe(container);
    var attribution = this.map.attributionControl && this.map.attributionControl.getContainer();
    if (attribution) {
      attribution.addEventListener("click", function(e) {
        if (!self.isPhone()) return;
        var open = attribution.classList.contains("atlas-attribution-open");
        if (!open) e.preventDefault();
        if (!open || e.target.tagName !== "A") {
          attribution.classList.toggle("atlas-attribution-open", !open);
          document.body.classList.toggle("atlas-attribution-expanded", !open);
        }
      });
    }
    var exportLink = document.getElementById("export");
    if (exportLink) {
      var Export = L.Control.extend({ options: { position: "topleft" }, onAdd: function() {
        var bar = el("div", { className: "leaflet-bar leaflet-control atlas-export" });
        exportLink.textContent = t.exportDrawn;
        exportLink.setAttribute("title", t.exportDrawnTitle);
        bar.appendChild(exportLink);
        bar.appendChild(el("p", { className: "atlas-toast", id: "atlas-export-note", role: "status", hidden: "hidden" }));
        return bar;
      } });
      new Export().addTo(this.map);
      this.guardExport(exportLink);
    }
    this.buildPrint();
  };

  // geo/static/src/atlas/print.js
  var print = {};
  print.buildPrint = function() {
    var self = this, header = el("header", { className: "atlas-print-only atlas-print-header" });
    document.body.insertBefore(header, document.body.firstChild);
    this.printHeader = header;
    var container = this.map.getContainer();
    var box = el("div", { className: "atlas-print-map", id: "atlas-print-map", "aria-hidden": "true" });
    container.parentNode.insertBefore(box, container.nextSibling);
    this.printMap = L.map(box, {
      zoomControl: false,
      dragging: false,
      touchZoom: false,
      scrollWheelZoom: false,
      doubleClickZoom: false,
      boxZoom: false,
      keyboard: false,
      inertia: false,
      fadeAnimation: false,
      zoomAnimation: false,
      markerZoomAnimation: false,
      zoomSnap: 0.25
    });
    L.control.scale({ imperial: false }).addTo(this.printMap);
    this.printMap.setView([43.75, 125.4], 11);
    this.map.on("baselayerchange overlayadd overlayremove", function() {
      self.syncPrint();
    });
    window.addEventListener("beforeprint", function() {
      self.printHeaderText();
    });
  };
  print.printHeaderText = function() {
    var t = this.opts.text, header = this.printHeader, located = 0;
    if (!header) return;
    for (var i = 0; i < this.p.n; i++) if (this.items[i]) located++;
    header.textContent = "";
    header.appendChild(el("p", { className: "atlas-print-title", text: t.title }));
    header.appendChild(el("p", { bi: t.subtitle }));
    header.appendChild(el("p", { text: t.printLine.replace("{date}", (/* @__PURE__ */ new Date()).toISOString().slice(0, 10)).replace("{located}", located).replace("{total}", this.p.n).replace("{report}", this.opts.report) }));
    var active = this.filterSummary();
    if (active) header.appendChild(el("p", { text: t.printFilters.replace("{filters}", active) }));
  };
  print.syncPrint = function() {
    var self = this, pm = this.printMap;
    if (!pm) return;
    (this.printLayers || []).forEach(function(layer) {
      pm.removeLayer(layer);
    });
    var layers2 = this.printLayers = [], bases = this.baseLayers();
    Object.keys(bases).forEach(function(name) {
      var base = bases[name];
      if (self.map.hasLayer(base) && base._url) layers2.push(L.tileLayer(base._url, L.extend({}, base.options)));
    });
    if (this.opts.boundary && (!this.boundary || this.map.hasLayer(this.boundary))) {
      this.boundaryRings = this.boundaryRings || this.opts.boundary.coordinates;
      layers2.push(L.polygon(this.projectBoundary(), {
        color: "#444",
        weight: 2,
        dashArray: "8 4",
        fill: false,
        interactive: false,
        attribution: this.opts.boundaryAttribution
      }));
    }
    var bounds = L.latLngBounds([]);
    this.p.categories.forEach(function(c) {
      var group = self.groups[c];
      if (!group || !self.map.hasLayer(group)) return;
      var st = self.opts.styles[c];
      layers2.push(new CanvasLayer(self, group.members, {
        color: st.color,
        fill: st.color,
        dot: 6,
        shape: st.shape,
        centres: true,
        attribution: self.opts.placesAttribution
      }));
      group.members.forEach(function(m) {
        var item = self.items[m.i];
        if (m.poly !== void 0 || m.radius) bounds.extend(item.getBounds());
        else bounds.extend(item.getLatLng());
      });
    });
    if (this.radii && this.map.hasLayer(this.radiiGroup)) {
      layers2.push(new CanvasLayer(this, this.radii.members, this.radii.style));
    }
    layers2.forEach(function(layer) {
      layer.addTo(pm);
    });
    if (!bounds.isValid() && this.opts.boundary) {
      this.opts.boundary.coordinates.forEach(function(poly) {
        poly[0].forEach(function(pt) {
          bounds.extend(self.project(pt[0], pt[1]));
        });
      });
    }
    pm.invalidateSize({ pan: false });
    if (bounds.isValid()) pm.fitBounds(bounds, { padding: [18, 18], animate: false, maxZoom: 16 });
    this.printHeaderText();
    this.buildPrintList();
    document.body.setAttribute("data-print-ready", "1");
  };
  print.buildPrintList = function() {
    var self = this, t = this.opts.text, old = document.getElementById("atlas-print-unlocated"), names = [];
    if (old) old.remove();
    for (var i = 0; i < this.p.n; i++) if (!this.items[i]) names.push(i);
    var body = document.getElementById("atlas-panel-body");
    if (!body || !names.length) return;
    var byCat = {};
    names.forEach(function(k) {
      (byCat[self.cat(k)] = byCat[self.cat(k)] || []).push(self.str("name", k) || "");
    });
    var list = el("ul", null, this.p.categories.filter(function(c) {
      return byCat[c];
    }).map(function(c) {
      return el("li", { "data-category": c }, [
        el("strong", { bi: self.opts.labels[c] + "（" + byCat[c].length + "）" }),
        "：" + byCat[c].join("、")
      ]);
    }));
    var box = el("section", { className: "atlas-print-only atlas-print-unlocated", id: "atlas-print-unlocated" }, [
      el("h3", { bi: t.printUnlocated.replace("{n}", names.length) }),
      list
    ]);
    var legendNote = document.getElementById("atlas-legend").nextSibling;
    body.insertBefore(box, legendNote ? legendNote.nextSibling : null);
  };
  print.locatedBounds = function() {
    var bounds = L.latLngBounds([]);
    for (var i = 0; i < this.p.n; i++) {
      var item = this.items[i];
      if (!item) continue;
      if (item.member.poly !== void 0 || item.member.radius) bounds.extend(item.getBounds());
      else bounds.extend(item.getLatLng());
    }
    return bounds.isValid() ? bounds : null;
  };

  // geo/static/src/atlas/table.js
  var table = {};
  table.buildTable = function() {
    var self = this, t = this.opts.text;
    var dialog = el("div", { className: "atlas-dialog", id: "atlas-table", role: "dialog", "aria-modal": "true", "aria-labelledby": "atlas-table-title" });
    dialog.hidden = true;
    var close = el("button", { type: "button", id: "atlas-table-close", text: t.tableClose });
    close.addEventListener("click", function() {
      self.closeTable();
    });
    dialog.appendChild(el("header", null, [el("h2", { id: "atlas-table-title", bi: t.tableTitle }), close]));
    this.tableWrap = el("div", { className: "atlas-table-wrap", tabindex: "0", "aria-labelledby": "atlas-table-title" });
    dialog.appendChild(this.tableWrap);
    dialog.addEventListener("keydown", function(e) {
      if (e.key !== "Tab") return;
      var focusable = dialog.querySelectorAll("button, [tabindex='0']");
      var first = focusable[0], last = focusable[focusable.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    });
    document.addEventListener("keydown", function(e) {
      if (e.key !== "Escape") return;
      if (!dialog.hidden) {
        self.closeTable();
        return;
      }
      self.closeSelection();
    });
    document.body.appendChild(dialog);
    this.dialog = dialog;
  };
  table.closeTable = function() {
    this.dialog.hidden = true;
    if (this.tableOpener && document.body.contains(this.tableOpener)) this.tableOpener.focus();
  };
  table.tableRows = function() {
    var self = this, t = this.opts.text, rows = [], n = Math.min(this.p.n, this.opts.maxTableRows);
    for (var i = 0; i < n; i++) {
      var precision = self.str("precision", i), unc = self.num("uncertainty_m", i), area = self.num("stated_area_m2", i);
      rows.push({
        i,
        sort: [
          self.str("name", i),
          self.str("name_en", i),
          self.opts.labels[self.cat(i)],
          self.str("park_class", i),
          self.str("status", i),
          area,
          self.items[i] ? unc == null ? 0 : unc : Infinity,
          self.str("address", i)
        ],
        cells: [
          self.str("name", i),
          self.str("name_en", i),
          self.opts.labels[self.cat(i)],
          self.str("park_class", i) && self.classLabel(self.str("park_class", i)),
          self.opts.statuses[self.str("status", i)] || self.str("status", i),
          area == null ? null : fmtArea(area) + paren(self.sourceLabel(self.str("stated_area_source", i))),
          self.items[i] ? (self.opts.precisions[precision] || precision) + (unc != null ? " ±" + fmtDistance(unc) : "") : t.unlocatedShort,
          self.str("address", i)
        ]
      });
    }
    return rows;
  };
  table.fillTable = function(rows) {
    var self = this, body = document.getElementById("atlas-table-body");
    body.textContent = "";
    rows.forEach(function(r) {
      body.appendChild(el("tr", null, r.cells.map(function(v, j) {
        if (j !== 0) return el("td", { className: j === 5 ? "num" : "", "data-label": self.opts.text.columns[j], text: v == null ? "" : v });
        var go = el("button", { type: "button", className: "atlas-link", "data-atlas-id": self.str("id", r.i), text: v || "" });
        go.addEventListener("click", function() {
          self.dialog.hidden = true;
          self.focus(r.i);
          self.returnFocus = self.tableOpener;
        });
        return el("th", { scope: "row" }, [go]);
      })));
    });
  };
  table.openTable = function() {
    var self = this, t = this.opts.text, p = this.p;
    this.tableOpener = document.activeElement;
    if (!this.tableWrap.firstChild) {
      var rows = this.tableRows(), state = { col: -1, dir: 1 };
      var heads = t.columns.map(function(h, col) {
        var btn = el("button", { type: "button", className: "atlas-sort", text: h });
        var th = el("th", { scope: "col", "aria-sort": "none" }, [btn]);
        btn.addEventListener("click", function() {
          state.dir = state.col === col ? -state.dir : 1;
          state.col = col;
          rows.sort(function(a, b) {
            var x = a.sort[col], y = b.sort[col];
            if (x == null && y == null) return 0;
            if (x == null) return 1;
            if (y == null) return -1;
            return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN")) * state.dir;
          });
          self.tableWrap.querySelectorAll("thead th").forEach(function(cell) {
            cell.setAttribute("aria-sort", "none");
          });
          th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
          self.fillTable(rows);
        });
        return th;
      });
      var caption = el("caption", { text: t.tableCaption.replace("{n}", rows.length).replace("{total}", p.n) });
      this.tableWrap.appendChild(el("table", { id: "atlas-table-grid" }, [
        caption,
        el("thead", null, [el("tr", null, heads)]),
        el("tbody", { id: "atlas-table-body" })
      ]));
      this.fillTable(rows);
    }
    this.dialog.hidden = false;
    document.getElementById("atlas-table-close").focus();
  };

  // geo/static/src/atlas/readers.js
  var readers = {};
  readers.applyLanguage = function() {
    var cat = LANG.cat, o = this.opts;
    if (!cat) return;
    o.text = deepMerge(deepMerge({}, o.text || {}), cat.page || {});
    o.statuses = cat.status || o.statuses;
    o.precisions = cat.precision || {};
    o.outlines = cat.outline || {};
    o.figureLabels = cat.figure || {};
    o.labels = cat.category || o.labels;
    o.radiiLabel = o.text.radiiLabel.split("{radii}").join(o.radii.map(function(r) {
      return fmtNumber(r, 0);
    }).join(" / "));
    o.boundaryLabel = o.text.boundaryLabel;
    o.boundaryAttribution = o.text.boundaryAttribution;
    o.placesAttribution = o.text.placesAttribution.replace("{report}", o.report || "");
    if (o.editor && cat.editor) o.editor.text = deepMerge(deepMerge({}, o.editor.text || {}), cat.editor);
  };
  readers.classLabel = function(cls) {
    var en = this.opts.parkClasses[cls];
    if (!en) return cls;
    return LANG.code === "en" ? en.charAt(0).toUpperCase() + en.slice(1) + " (" + cls + ")" : cls + "（" + en + "）";
  };
  readers.glossed = function(i) {
    var glossary = LANG.cat && LANG.cat.search && LANG.cat.search.glossary || {}, name = (this.str("name", i) || "") + (this.str("aliases", i) || "");
    var words = [];
    Object.keys(glossary).forEach(function(zh) {
      if (name.indexOf(zh) >= 0) words.push(glossary[zh]);
    });
    return words.join(" ");
  };
  readers.guardExport = function(link) {
    var self = this, original = link.onclick;
    link.onclick = function(e) {
      var drawn = 0;
      Object.keys(window).forEach(function(k) {
        if (/^drawnItems_/.test(k) && window[k] && window[k].getLayers) drawn += window[k].getLayers().length;
      });
      var note = document.getElementById("atlas-export-note");
      if (!drawn) {
        if (e) e.preventDefault();
        link.removeAttribute("href");
        if (note) {
          note.textContent = "";
          note.hidden = false;
          bilingual(note, self.opts.text.exportNothing);
          clearTimeout(self.exportTimer);
          self.exportTimer = setTimeout(function() {
            note.hidden = true;
          }, 8e3);
        }
        return false;
      }
      if (note) note.hidden = true;
      return original ? original.call(this, e) : true;
    };
  };
  readers.buildReaderSections = function(body) {
    var self = this;
    this.groupsAll = {};
    this.p.categories.forEach(function(c) {
      self.groupsAll[c] = self.groups[c].members.slice();
    });
    this.radiiAll = this.radii ? this.radii.members.slice() : [];
    this.buildLanguageSwitch();
    body.insertBefore(this.buildFilters(), document.getElementById("atlas-located-title").parentNode);
    var bar = body.querySelector(".atlas-toolbar");
    var downloads = this.buildDownloads();
    if (downloads) body.insertBefore(downloads, bar);
    this.applyFilters(true);
  };
  readers.buildLanguageSwitch = function() {
    var self = this, t = this.opts.text, head = this.panel.querySelector(".atlas-panel-head");
    var other = LANG.cat && LANG.cat.meta && LANG.cat.meta.other || (LANG.code === "en" ? "zh-CN" : "en");
    if (!LANG.all[other]) return;
    var btn = el("button", {
      type: "button",
      className: "atlas-lang",
      id: "atlas-lang",
      lang: other,
      title: t.languageSwitchTitle,
      "aria-label": t.languageSwitchTitle,
      text: t.languageSwitch
    });
    btn.addEventListener("click", function() {
      LANG.explicit = true;
      LANG.code = other;
      window.history.replaceState(null, "", self.stateHash());
      window.location.reload();
    });
    head.insertBefore(btn, head.querySelector(".atlas-panel-toggle"));
  };
  function fmtBytes(n) {
    return n >= 1048576 ? fmtNumber(n / 1048576, 1) + " MB" : n >= 1024 ? fmtNumber(n / 1024, 0) + " KB" : fmtNumber(n, 0) + " B";
  }
  readers.buildDownloads = function() {
    var t = this.opts.text, files = this.opts.downloads || [];
    if (!files.length) return null;
    var names = { geojson: "GeoJSON", csv: "CSV (Excel)", kml: "KML (Google Earth)", gpkg: "GeoPackage (QGIS)", parquet: "GeoParquet" };
    var list = el("ul", { className: "atlas-downloads", id: "atlas-downloads" }, files.map(function(f) {
      return el("li", null, [
        el("a", { href: f.href, download: "", "data-format": f.format, text: names[f.format] || f.format }),
        el("span", { className: "atlas-muted", text: f.bytes == null ? "" : " · " + fmtBytes(f.bytes) })
      ]);
    }));
    return el("section", { className: "atlas-downloads-box", "aria-labelledby": "atlas-downloads-title" }, [
      el("h3", { id: "atlas-downloads-title", bi: t.downloads }),
      el("p", { className: "atlas-muted", bi: t.downloadsNote.replace("{n}", this.p.n) }),
      list,
      el("p", {
        className: "atlas-muted",
        id: "atlas-licence",
        text: t.downloadsLicence.replace("{licence}", this.opts.licence || "").replace("{credit}", "nanguan-geo · " + (this.opts.report || ""))
      })
    ]);
  };

  // geo/static/src/atlas/filters.js
  var filters = {};
  function checkboxes(name, values, labels) {
    return values.map(function(v) {
      var id = "atlas-f-" + name + "-" + v.replace(/[^A-Za-z0-9_]/g, function(ch) {
        return ch.charCodeAt(0).toString(16);
      });
      var box = el("input", { type: "checkbox", id, value: v, "data-filter": name });
      box.checked = true;
      return el("label", { for: id, className: "atlas-check" }, [box, el("span", { bi: labels[v] || v })]);
    });
  }
  filters.buildFilters = function() {
    var self = this, t = this.opts.text, o = this.opts;
    var statuses = Object.keys(o.statuses), classes = Object.keys(o.parkClasses).concat(["none"]);
    var classLabels = {};
    classes.forEach(function(c) {
      classLabels[c] = c === "none" ? t.filterNone : self.classLabel(c);
    });
    var fieldset = function(legend, children) {
      return el("fieldset", null, [el("legend", { bi: legend })].concat(children));
    };
    var min = el("input", { type: "number", id: "atlas-f-min", min: "0", step: "any", inputmode: "decimal", "aria-label": t.filterArea + " " + t.filterAreaMin });
    var max = el("input", { type: "number", id: "atlas-f-max", min: "0", step: "any", inputmode: "decimal", "aria-label": t.filterArea + " " + t.filterAreaMax });
    var unknown = el("input", { type: "checkbox", id: "atlas-f-unknown-area" });
    unknown.checked = true;
    var reset = el("button", { type: "button", id: "atlas-f-reset", bi: t.filterReset });
    var count = el("p", { className: "atlas-muted", id: "atlas-filter-count", "aria-live": "polite" });
    var box = el("details", { className: "atlas-filters", id: "atlas-filters" }, [
      el("summary", { bi: t.filters }),
      fieldset(t.filterStatus, checkboxes("status", statuses, o.statuses)),
      fieldset(t.filterClass, checkboxes("class", classes, classLabels)),
      fieldset(t.filterQuality, checkboxes("quality", ["precise", "rough"], t.quality)),
      fieldset(t.filterArea, [
        el("label", { for: "atlas-f-min", className: "atlas-range" }, [el("span", { bi: t.filterAreaMin }), min]),
        el("label", { for: "atlas-f-max", className: "atlas-range" }, [el("span", { bi: t.filterAreaMax }), max]),
        el("label", { for: "atlas-f-unknown-area", className: "atlas-check" }, [unknown, el("span", { bi: t.filterAreaUnknown })])
      ]),
      reset,
      count
    ]);
    if (this.filters && this.filtersActive()) box.open = true;
    box.addEventListener("change", function() {
      self.filters = self.readFilterForm();
      self.applyFilters();
    });
    box.addEventListener("input", function(e) {
      if (e.target.type === "number") {
        self.filters = self.readFilterForm();
        self.applyFilters();
      }
    });
    reset.addEventListener("click", function() {
      self.filters = null;
      self.applyFilters();
    });
    this.filterBox = box;
    return box;
  };
  filters.readFilterForm = function() {
    var box = this.filterBox, f = { status: null, cls: null, quality: null, min: null, max: null, unknownArea: true };
    var keys = { status: "status", "class": "cls", quality: "quality" };
    Object.keys(keys).forEach(function(name) {
      var all = box.querySelectorAll("input[data-filter='" + name + "']"), on = [];
      all.forEach(function(b) {
        if (b.checked) on.push(b.value);
      });
      if (on.length < all.length) f[keys[name]] = on;
    });
    var min = parseFloat(box.querySelector("#atlas-f-min").value), max = parseFloat(box.querySelector("#atlas-f-max").value);
    f.min = isFinite(min) ? min : null;
    f.max = isFinite(max) ? max : null;
    f.unknownArea = box.querySelector("#atlas-f-unknown-area").checked;
    return f;
  };
  filters.writeFilterForm = function() {
    var box = this.filterBox, f = this.filters || {};
    if (!box) return;
    var keys = { status: "status", "class": "cls", quality: "quality" };
    Object.keys(keys).forEach(function(name) {
      box.querySelectorAll("input[data-filter='" + name + "']").forEach(function(b) {
        b.checked = !f[keys[name]] || f[keys[name]].indexOf(b.value) >= 0;
      });
    });
    box.querySelector("#atlas-f-min").value = f.min == null ? "" : String(f.min);
    box.querySelector("#atlas-f-max").value = f.max == null ? "" : String(f.max);
    box.querySelector("#atlas-f-unknown-area").checked = f.unknownArea !== false;
  };
  filters.filtersActive = function() {
    var f = this.filters;
    return !!f && !!(f.status || f.cls || f.quality || f.min != null || f.max != null || f.unknownArea === false);
  };
  filters.passes = function(i) {
    var f = this.filters;
    if (!f) return true;
    if (f.status && f.status.indexOf(this.str("status", i) || "unknown") < 0) return false;
    if (f.cls && this.cat(i) === "park" && f.cls.indexOf(this.str("park_class", i) || "none") < 0) return false;
    var unc = this.num("uncertainty_m", i);
    if (f.quality && f.quality.indexOf(unc != null && unc > this.opts.precisePrintM ? "rough" : "precise") < 0) return false;
    var area = this.num("stated_area_m2", i);
    if (area == null) area = this.num("mapped_area_m2", i);
    if (area == null) return f.unknownArea !== false;
    var ha = area / 1e4;
    return !(f.min != null && ha < f.min) && !(f.max != null && ha > f.max);
  };
  filters.applyFilters = function(quiet) {
    var self = this, shown = 0, total = 0;
    this.p.categories.forEach(function(c) {
      var all = self.groupsAll[c], layer = self.groups[c];
      layer.members = self.filters ? all.filter(function(m) {
        return self.passes(m.i);
      }) : all.slice();
      shown += layer.members.length;
      total += all.length;
      if (layer._map) layer.redraw();
    });
    if (this.radii) {
      this.radii.members = this.filters ? this.radiiAll.filter(function(m) {
        return self.passes(m.i);
      }) : this.radiiAll.slice();
      if (this.radii._map) this.radii.redraw();
    }
    this.writeFilterForm();
    var count = document.getElementById("atlas-filter-count");
    if (count) count.textContent = this.opts.text.filterCount.replace("{n}", shown).replace("{total}", total);
    this.syncPrint();
    if (!quiet) this.writeState(false);
  };
  filters.filterSummary = function() {
    if (!this.filtersActive()) return "";
    var f = this.filters, o = this.opts, t = o.text, self = this, parts = [];
    if (f.status) parts.push(f.status.map(function(v) {
      return o.statuses[v] || v;
    }).join("、"));
    if (f.cls) parts.push(f.cls.map(function(v) {
      return v === "none" ? t.filterNone : self.classLabel(v);
    }).join("、"));
    if (f.quality) parts.push(f.quality.map(function(v) {
      return t.quality[v];
    }).join("、"));
    if (f.min != null || f.max != null) parts.push((f.min == null ? "0" : f.min) + "–" + (f.max == null ? "∞" : f.max) + " ha");
    return parts.join(" · ");
  };

  // geo/static/src/atlas/core.js
  var EXTENSIONS = [];
  function registerExtension(extension) {
    if (!extension || typeof extension.attach !== "function") throw new TypeError("an extension needs attach(atlas, tools)");
    EXTENSIONS.push(extension);
  }
  function Atlas(map, opts) {
    var payload = readPayload(document.getElementById(opts.dataId).textContent);
    this.map = map;
    this.opts = opts;
    this.p = payload;
    this.S = payload.strings;
    this.datum = opts.startDatum || "wgs84";
    this.applyLanguage();
    this.build();
  }
  Atlas.prototype.str = function(col, i) {
    var k = this.p.columns[col][i];
    return k == null || k < 0 ? null : this.S[k];
  };
  Atlas.prototype.num = function(col, i) {
    var v = this.p.numbers[col][i];
    return v == null ? null : v;
  };
  Atlas.prototype.cat = function(i) {
    return this.p.categories[this.p.category[i]];
  };
  Atlas.prototype.project = function(lon, lat) {
    if (this.datum === "gcj02") {
      var g = wgs2gcj(lon, lat);
      return [g[1], g[0]];
    }
    return [lat, lon];
  };
  Atlas.prototype.decode = function() {
    var p = this.p;
    this.lon = decodeDeltas(p.points.x);
    this.lat = decodeDeltas(p.points.y);
    this.polyLonLat = p.polygons.map(function(entry) {
      return entry[1].map(function(poly) {
        return poly.map(function(ring) {
          return [decodeDeltas(ring[0]), decodeDeltas(ring[1])];
        });
      });
    });
  };
  Atlas.prototype.reproject = function() {
    var n = this.lon.length, gcj = this.datum === "gcj02";
    this.mx = new Float64Array(n);
    this.my = new Float64Array(n);
    for (var k = 0; k < n; k++) {
      var lon = this.lon[k], lat = this.lat[k];
      if (gcj) {
        var g = wgs2gcj(lon, lat);
        lon = g[0];
        lat = g[1];
      }
      this.mx[k] = mercX(lon);
      this.my[k] = mercY(lat);
    }
    var boxes = this.bbox = [];
    this.rings = this.polyLonLat.map(function(polys) {
      var flat = [], box = [Infinity, Infinity, -Infinity, -Infinity];
      boxes.push(box);
      polys.forEach(function(poly) {
        poly.forEach(function(ring) {
          var lons = ring[0], lats = ring[1], out = new Float64Array(lons.length * 2);
          for (var j = 0; j < lons.length; j++) {
            var x = lons[j], y = lats[j];
            if (gcj) {
              var g2 = wgs2gcj(x, y);
              x = g2[0];
              y = g2[1];
            }
            var u = out[2 * j] = mercX(x), v = out[2 * j + 1] = mercY(y);
            if (u < box[0]) box[0] = u;
            if (v < box[1]) box[1] = v;
            if (u > box[2]) box[2] = u;
            if (v > box[3]) box[3] = v;
          }
          flat.push(out);
        });
      });
      return flat;
    });
  };
  Atlas.prototype.inPolygon = function(polyIndex, x, y, map) {
    var scale = 256 * Math.pow(2, map.getZoom()), origin = map.getPixelOrigin();
    var pane = map.containerPointToLayerPoint([0, 0]);
    var ox = origin.x + pane.x, oy = origin.y + pane.y, inside = false, rings = this.rings[polyIndex];
    for (var a = 0; a < rings.length; a++) {
      var r = rings[a], n = r.length / 2;
      for (var i = 0, j = n - 1; i < n; j = i++) {
        var xi = r[2 * i] * scale - ox, yi = r[2 * i + 1] * scale - oy, xj = r[2 * j] * scale - ox, yj = r[2 * j + 1] * scale - oy;
        if (yi > y !== yj > y && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
      }
    }
    return inside;
  };
  Atlas.prototype.build = function() {
    var self = this, map = this.map, opts = this.opts;
    this.decode();
    this.reproject();
    this.layout();
    if (opts.boundary) {
      var bounds = L.latLngBounds([]);
      opts.boundary.coordinates.forEach(function(poly) {
        poly[0].forEach(function(pt) {
          bounds.extend([pt[1], pt[0]]);
        });
      });
      map.fitBounds(bounds, { animate: false });
    }
    this.renderer = L.canvas({ padding: 0.5 });
    this.buildLayers();
    this.buildBoundary();
    this.buildServiceAreas();
    this.buildTable();
    this.tooltip = L.tooltip({ sticky: false, direction: "top", offset: [0, -8] });
    this.busy = false;
    map.on("click", function(e) {
      if (self.busy) return;
      var hit = self.hitAt(e.containerPoint);
      if (!hit) return;
      if (hit.cluster) {
        map.setView(map.containerPointToLatLng([hit.cluster.x, hit.cluster.y]), Math.min(map.getZoom() + 2, map.getMaxZoom()));
        return;
      }
      var here = self.nearAt(e.containerPoint);
      if (here.length > 1) {
        self.openChoice(here, self.items[here[0].i].getLatLng());
        return;
      }
      self.openPopup(hit.member.i);
    });
    map.on("mousemove", function(e) {
      var hit = self.busy ? null : self.hitAt(e.containerPoint);
      map.getContainer().style.cursor = hit ? "pointer" : "";
      if (hit && hit.member) {
        self.tooltip.setContent(el("span", { text: self.str("name", hit.member.i) || "" }));
        self.tooltip.setLatLng(e.latlng);
        if (!map.hasLayer(self.tooltip)) self.tooltip.addTo(map);
      } else if (map.hasLayer(self.tooltip)) {
        map.removeLayer(self.tooltip);
      }
    });
    map.on("draw:drawstart draw:editstart draw:deletestart measurestart", function() {
      self.busy = true;
    });
    map.on("draw:drawstop draw:editstop draw:deletestop measurefinish", function() {
      self.busy = false;
    });
    map.on("baselayerchange", function(e) {
      self.setDatum(opts.gcjLayers.indexOf(e.name) >= 0 ? "gcj02" : "wgs84");
    });
    map.on("draw:created", function(e) {
      var layer = e.layer;
      layer.feature = layer.feature || { type: "Feature", properties: {} };
      layer.feature.properties.datum = self.datum;
    });
    this.attachExtensions();
    this.linkState();
  };
  Atlas.prototype.attachExtensions = function() {
    var self = this, tools = { fmtArea };
    this.extensions = {};
    this.hooks = [];
    EXTENSIONS.forEach(function(extension) {
      var hooks = extension.attach(self, tools);
      if (!hooks) return;
      self.hooks.push(hooks);
      if (extension.name) self.extensions[extension.name] = hooks;
    });
  };
  Object.assign(Atlas.prototype, layers, urlState, popup, search, panel, print, table, readers, filters);

  // geo/static/src/atlas/index.js
  function nanguanAtlas(map, opts) {
    return new Atlas(map, opts);
  }
  nanguanAtlas.registerExtension = registerExtension;
  window.nanguanAtlas = nanguanAtlas;
  window.nanguanLocale = nanguanLocale;
})();
