/*
 * The page's entry (bundled by tools/build_js.mjs into geo/static/atlas.js, an IIFE the page inlines).
 * The page's script calls the two functions it declares, in this order:
 *   nanguanLocale(locales)   picks the language before Leaflet's draw and measure controls are made
 *   nanguanAtlas(map, opts)  makes the atlas of a folium map (core.js)
 * and an extension (the editor bundle) attaches with nanguanAtlas.registerExtension({name, attach}).
 */
import { Atlas, registerExtension } from "./core.js";
import { nanguanLocale } from "./locale.js";

function nanguanAtlas(map, opts) {
  return new Atlas(map, opts);
}
nanguanAtlas.registerExtension = registerExtension;

window.nanguanAtlas = nanguanAtlas;
window.nanguanLocale = nanguanLocale;
