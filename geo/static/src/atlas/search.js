// ---- forgiving search: names, English names, aliases, addresses and category names; pinyin with or without
// tones or spaces; partial words (动物园 finds 长春动植物公园); one or two wrong characters (万像城 finds 万象城).
function fold(text) {
  // Lower case, tone marks and other accents removed, spaces dropped: "Wàn Xiàng Chéng" -> "wanxiangcheng".
  return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, "");
}
function inOrder(query, text) {
  // Every character of the query, in order, somewhere in the text.
  var k = 0;
  for (var j = 0; j < text.length && k < query.length; j++) if (text[j] === query[k]) k++;
  return k === query.length;
}
function closeness(query, text) {
  // Fewest edits (insert, delete, change) between the query and any stretch of the text.
  var prev = new Array(text.length + 1).fill(0), cur = new Array(text.length + 1);
  for (var a = 1; a <= query.length; a++) {
    cur[0] = a;
    for (var b = 1; b <= text.length; b++) {
      cur[b] = Math.min(prev[b] + 1, cur[b - 1] + 1, prev[b - 1] + (query[a - 1] === text[b - 1] ? 0 : 1));
    }
    var swap = prev; prev = cur; cur = swap;
  }
  return Math.min.apply(null, prev);
}

function placeFields(place) {
  // A place's searchable text, folded once: names (name, aliases, English name), its pinyin readings
  // ("|"-separated, already folded by geo build), and the others (id, address, category, English glosses).
  var names = [place.name, place.aliases, place.nameEn].filter(Boolean).map(fold);
  var others = [place.id, place.address, place.label, place.glossed].filter(Boolean).map(fold);
  var pinyin = (place.pinyin || "").split("|").filter(Boolean);
  return { names: names, others: others, pinyin: pinyin };
}

function scoreFields(q, f) {
  // How well a folded query matches a place's folded fields ({names, pinyin, others}): higher is better, 0 is no
  // match. Names first (exact, prefix, inside, in order), then pinyin, then the other fields, then near misses.
  var best = 0;
  f.names.forEach(function (n) {
    if (n === q) best = Math.max(best, 100);
    else if (n.indexOf(q) === 0) best = Math.max(best, 90);
    else if (n.indexOf(q) >= 0) best = Math.max(best, 80);
    else if (q.length >= 2 && inOrder(q, n)) best = Math.max(best, 60);
  });
  f.pinyin.forEach(function (p) {
    if (p === q) best = Math.max(best, 85);
    else if (q.length >= 2 && p.indexOf(q) >= 0) best = Math.max(best, 70);
    else if (q.length >= 6 && inOrder(q, p)) best = Math.max(best, 55);  // dongwuyuan: 长春动植物公园
  });
  f.others.forEach(function (o) { if (o.indexOf(q) >= 0) best = Math.max(best, o === q ? 75 : 65); });
  if (!best && q.length >= 3) {
    var allowed = q.length >= 6 ? 2 : 1;
    f.names.concat(f.pinyin).forEach(function (n) {
      var d = closeness(q, n);
      if (d <= allowed) best = Math.max(best, 50 - 10 * d);
    });
  }
  return best;
}

function rank(scored, max) {
  // [score, name length, index] triples -> the best `max` indices: higher score, then shorter name, then data order.
  scored.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1] || a[2] - b[2]; });
  return scored.slice(0, max).map(function (r) { return r[2]; });
}

export const search = {};

search.searchFields = function (i) {
  if (!this.searchCache) this.searchCache = [];
  var cached = this.searchCache[i];
  if (cached) return cached;
  return (this.searchCache[i] = placeFields({
    name: this.str("name", i), aliases: this.str("aliases", i), nameEn: this.str("name_en", i), id: this.str("id", i),
    address: this.str("address", i), label: this.opts.labels[this.cat(i)], glossed: this.glossed(i),
    pinyin: this.str("pinyin", i)
  }));
};

search.score = function (q, i) {
  // Higher is better; 0 is no match.
  return scoreFields(q, this.searchFields(i));
};

search.search = function (query) {
  var q = fold(query), scored = [];
  if (!q) return [];
  for (var i = 0; i < this.p.n; i++) {
    var s = this.score(q, i);
    if (s) scored.push([s, (this.str("name", i) || "").length, i]);
  }
  return rank(scored, this.opts.maxResults);
};

export { fold, inOrder, closeness, placeFields, scoreFields, rank };
