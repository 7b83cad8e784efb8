// ---- language: one text catalogue (geo/locale/*.json) for the page, its tools and the editor
var LANG = { code: "zh-CN", explicit: false, cat: null, all: {} };
function chooseLanguage(locales, hash, prefs) {
  // The link's lang= first, then the browser's languages in order (prefs), then Chinese (the page's own language).
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
  Object.keys(source || {}).forEach(function (k) {
    var v = source[k];
    if (v && typeof v === "object" && !Array.isArray(v) && target[k] && typeof target[k] === "object") deepMerge(target[k], v);
    else if (v != null) target[k] = v;
  });
  return target;
}
function nanguanLocale(locales) {
  // Runs first in the page's script: the draw and measure tools read their words when they are made.
  var nav = window.navigator || {}, prefs = nav.languages && nav.languages.length ? nav.languages : [nav.language || ""];
  var choice = chooseLanguage(locales, window.location.hash, prefs);
  LANG.code = choice.code; LANG.explicit = choice.explicit; LANG.cat = locales[choice.code]; LANG.all = locales;
  document.documentElement.setAttribute("lang", choice.code);
  if (window.L && L.drawLocal && LANG.cat.draw) deepMerge(L.drawLocal, LANG.cat.draw);
  if (window.L && L.Control && L.Control.Measure && LANG.cat.measure) {
    L.Control.Measure.prototype.options.localization = LANG.cat.measure.localization;
  }
  return LANG;
}

export { LANG, chooseLanguage, deepMerge, nanguanLocale };
