function decodeDeltas(arr) {
  var out = new Array(arr.length), acc = 0;
  for (var i = 0; i < arr.length; i++) { acc += arr[i]; out[i] = acc / 1e6; }
  return out;
}

// ---- the payload arrives as raw DEFLATE (RFC 1951) of its JSON, in base64 (geo.render.pack_payload):
// a quarter of the bytes. Inflated here, synchronously, with canonical-Huffman lookup tables.
var LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
                227, 258];
var LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
var DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                 4097, 6145, 8193, 12289, 16385, 24577];
var DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
var CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function huffTable(lengths) {
  // Indexed by the next `bits` input bits (least significant first): (symbol << 4) | code length; 0 = no code.
  var bits = 0, n = lengths.length, i, len;
  for (i = 0; i < n; i++) if (lengths[i] > bits) bits = lengths[i];
  var count = new Uint16Array(16), next = new Uint16Array(16), code = 0;
  for (i = 0; i < n; i++) count[lengths[i]]++;
  count[0] = 0;
  for (len = 1; len <= 15; len++) { code = (code + count[len - 1]) << 1; next[len] = code; }
  var size = 1 << bits, table = new Int32Array(size);
  for (i = 0; i < n; i++) {
    len = lengths[i];
    if (!len) continue;
    var c = next[len]++, rev = 0;
    for (var b = 0; b < len; b++) { rev = (rev << 1) | (c & 1); c >>= 1; }
    for (var k = rev; k < size; k += 1 << len) table[k] = (i << 4) | len;
  }
  return { t: table, bits: bits, mask: size - 1 };
}

var FIXED = null;
function fixedTables() {
  if (!FIXED) {
    var lit = new Uint8Array(288), dist = new Uint8Array(30).fill(5);
    lit.fill(8, 0, 144); lit.fill(9, 144, 256); lit.fill(7, 256, 280); lit.fill(8, 280, 288);
    FIXED = [huffTable(lit), huffTable(dist)];
  }
  return FIXED;
}

function inflate(src, out) {
  // Inflate raw DEFLATE `src` (Uint8Array) into `out` (Uint8Array of the known size); returns the bytes written.
  // The bit reader lives in locals of this one function (no calls per symbol): reading past the end gives zeros.
  var pos = 0, buf = 0, cnt = 0, o = 0, i, s, r, n, e, len, final, type;
  var lt, lmask, dt, dmask, C, lens, hlit, hdist, hclen, cl, L, D, from, end;
  // Past the end the reader reads zeros; a few bytes of that are its look-ahead, more is a cut-short input
  // (which, read as zeros, could otherwise decode forever).
  var limit = src.length + 4;
  function bits(k) {
    while (cnt < k) { buf |= src[pos++] << cnt; cnt += 8; }
    var v = buf & ((1 << k) - 1);
    buf >>>= k; cnt -= k;
    return v;
  }
  function sym(h) {
    while (cnt < h.bits) { buf |= src[pos++] << cnt; cnt += 8; }
    var x = h.t[buf & h.mask], k = x & 15;
    if (!k) throw new Error("payload: invalid Huffman code");
    buf >>>= k; cnt -= k;
    return x >> 4;
  }
  do {
    if (pos > limit) throw new Error("payload: the data ends early");
    final = bits(1);
    type = bits(2);
    if (type === 0) {
      buf = 0; pos -= cnt >> 3; cnt = 0;  // to the byte boundary; give back whole bytes already read
      n = src[pos] | (src[pos + 1] << 8);
      pos += 4;
      out.set(src.subarray(pos, pos + n), o); pos += n; o += n;
      continue;
    }
    if (type === 1) { L = fixedTables()[0]; D = fixedTables()[1]; }
    else if (type === 2) {
      hlit = bits(5) + 257; hdist = bits(5) + 1; hclen = bits(4) + 4; cl = new Uint8Array(19);
      for (i = 0; i < hclen; i++) cl[CL_ORDER[i]] = bits(3);
      C = huffTable(cl); lens = new Uint8Array(hlit + hdist);
      for (i = 0; i < hlit + hdist;) {
        s = sym(C);
        if (s < 16) lens[i++] = s;
        else if (s === 16) { e = lens[i - 1]; for (r = 3 + bits(2); r > 0; r--) lens[i++] = e; }
        else if (s === 17) { for (r = 3 + bits(3); r > 0; r--) lens[i++] = 0; }
        else { for (r = 11 + bits(7); r > 0; r--) lens[i++] = 0; }
      }
      L = huffTable(lens.subarray(0, hlit)); D = huffTable(lens.subarray(hlit));
    } else throw new Error("payload: invalid block type");
    lt = L.t; lmask = L.mask; dt = D.t; dmask = D.mask;
    for (;;) {
      while (cnt < 15) { buf |= src[pos++] << cnt; cnt += 8; }
      if (pos > limit) throw new Error("payload: the data ends early");
      e = lt[buf & lmask]; len = e & 15;
      if (!len) throw new Error("payload: invalid Huffman code");
      buf >>>= len; cnt -= len; s = e >> 4;
      if (s < 256) { out[o++] = s; continue; }
      if (s === 256) break;
      s -= 257; n = LEN_EXTRA[s]; len = LEN_BASE[s];
      if (n) {
        while (cnt < n) { buf |= src[pos++] << cnt; cnt += 8; }
        len += buf & ((1 << n) - 1); buf >>>= n; cnt -= n;
      }
      while (cnt < 15) { buf |= src[pos++] << cnt; cnt += 8; }
      e = dt[buf & dmask]; r = e & 15;
      if (!r) throw new Error("payload: invalid Huffman code");
      buf >>>= r; cnt -= r; s = e >> 4; n = DIST_EXTRA[s]; from = DIST_BASE[s];
      if (n) {
        while (cnt < n) { buf |= src[pos++] << cnt; cnt += 8; }
        from += buf & ((1 << n) - 1); buf >>>= n; cnt -= n;
      }
      from = o - from;
      if (from < 0) throw new Error("payload: a match reaches before the start");
      for (end = o + len; o < end;) out[o++] = out[from++];
    }
  } while (!final);
  return o;
}

function readPayload(text) {
  // The page's payload: packed ({deflate, size}) or, from the editor's live updates, plain JSON.
  var obj = JSON.parse(text);
  if (typeof obj.deflate !== "string") return obj;
  var bin = atob(obj.deflate), src = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) src[i] = bin.charCodeAt(i);
  var out = new Uint8Array(obj.size), n = inflate(src, out);
  if (n !== obj.size) throw new Error("payload: " + n + " bytes inflated, " + obj.size + " expected");
  return JSON.parse(new TextDecoder("utf-8").decode(out));
}

export { decodeDeltas, inflate, readPayload };
