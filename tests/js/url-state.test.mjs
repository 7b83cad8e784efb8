// The link's state: parsing the hash, the filters both ways, and the language the link asks for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseHash, isStateLink, filtersFromState, filterParts } from "../../geo/static/src/atlas/url-state.js";
import { chooseLanguage } from "../../geo/static/src/atlas/locale.js";

test("parseHash decodes each value and keeps keys without one", () => {
  assert.deepEqual(parseHash("#place=nanguan-park&z=13&c=43.86000,125.33000&b=1"),
                   { place: "nanguan-park", z: "13", c: "43.86000,125.33000", b: "1" });
  assert.deepEqual(parseHash("#fs=%E5%BB%BA%E8%AE%BE%E4%B8%AD,open&lang=en"), { fs: "建设中,open", lang: "en" });
  assert.deepEqual(parseHash("#hide="), { hide: "" });
  assert.deepEqual(parseHash("#a=b=c"), { a: "b=c" });
  assert.deepEqual(parseHash(""), {});
  assert.deepEqual(parseHash(undefined), {});
});

test("isStateLink tells the page's state from other things in the hash", () => {
  assert.ok(isStateLink("#z=12&c=43.8,125.3"));
  assert.ok(isStateLink("#token=abc&place=x"));
  assert.ok(isStateLink("#lang=en"));
  assert.ok(!isStateLink("#token=abc"));
  assert.ok(!isStateLink("#zz=1"));
  assert.ok(!isStateLink(""));
});

test("filters survive a round trip through the link", () => {
  const f = { status: ["open", "建设中"], cls: ["综合公园", "none"], quality: ["precise"], min: 0.5, max: null,
              unknownArea: false };
  const parts = filterParts(f);
  assert.deepEqual(parts, ["fs=open,%E5%BB%BA%E8%AE%BE%E4%B8%AD", "fc=%E7%BB%BC%E5%90%88%E5%85%AC%E5%9B%AD,none",
                           "fq=precise", "fa=0.5-", "fu=0"]);
  assert.deepEqual(filtersFromState(parseHash("#" + parts.join("&"))), f);
});

test("no filter in the link is no filter, and a bad area range is ignored", () => {
  assert.deepEqual(filtersFromState({}), { status: null, cls: null, quality: null, min: null, max: null, unknownArea: true });
  assert.deepEqual(filterParts(filtersFromState({})), []);
  const f = filtersFromState(parseHash("#fa=abc-2"));
  assert.equal(f.min, null);
  assert.equal(f.max, 2);
});

test("the language: the link's lang= first, then the browser's, then Chinese", () => {
  const locales = { "zh-CN": {}, en: {} };
  assert.deepEqual(chooseLanguage(locales, "#z=3&lang=en", ["zh-CN"]), { code: "en", explicit: true });
  assert.deepEqual(chooseLanguage(locales, "#lang=fr", ["en-GB"]), { code: "en", explicit: false });
  assert.deepEqual(chooseLanguage(locales, "", ["de", "zh-TW", "en"]), { code: "zh-CN", explicit: false });
  assert.deepEqual(chooseLanguage(locales, "", []), { code: "zh-CN", explicit: false });
  assert.deepEqual(chooseLanguage({ "zh-CN": {} }, "#lang=en", ["en"]), { code: "zh-CN", explicit: false });
});
