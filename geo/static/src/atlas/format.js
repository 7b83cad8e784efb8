// Numbers, areas and distances as a reader says them, in the page's language.
import { LANG } from "./locale.js";

function fmtNumber(v, digits) {
  return Number(v).toLocaleString("zh-CN", { maximumFractionDigits: digits || 0 });
}
function fmtArea(m2) {
  if (m2 == null) return null;
  var ha = m2 / 10000;
  var haText = ha >= 100 ? fmtNumber(ha, 0) : fmtNumber(ha, 2);
  if (LANG.code === "en") return fmtNumber(m2, 0) + " m² (" + haText + " ha)";
  return fmtNumber(m2, 0) + " 平方米（" + haText + " 公顷）";
}
function paren(text) {
  // "（报道）" in Chinese, " (the report)" in English.
  return LANG.code === "en" ? " (" + text + ")" : "（" + text + "）";
}
function fmtDistance(m) {
  // "±1.6 公里" / "±300 m": kilometres from 1,000 m on, as a reader says them.
  var t = LANG.cat ? LANG.cat.page : { metres: "{n} m", kilometres: "{n} km" };
  return m >= 1000 ? t.kilometres.replace("{n}", fmtNumber(m / 1000, 1)) : t.metres.replace("{n}", fmtNumber(m, 0));
}
function publicText(text) {
  // Notes are written for the data's maintainers too: sentences that name a command, an option or a field's
  // code (metadata.district_figures) are for them (the command line's help has them), not for the page's readers.
  if (!text) return text;
  var parts = String(text).split(/(?<=[.;。；])\s+/);
  return parts.filter(function (p) { return !/`[^`]*`|(^|\s)--[a-z]|\b[a-z]+_[a-z_]+\b/.test(p); }).join(" ").trim() || null;
}

export { fmtNumber, fmtArea, paren, fmtDistance, publicText };
