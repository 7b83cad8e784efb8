/*
 * The editor's entry (bundled by tools/build_js.mjs into geo/static/editor.js, placed after atlas.js by the page
 * that `geo serve` makes): it registers itself with the atlas through the atlas's declared extension interface,
 * and attaches to an atlas made with an `editor` option.
 */
import { Editor } from "./core.js";

window.nanguanAtlas.registerExtension({
  name: "editor",
  attach: function (atlas, tools) {
    return atlas.opts.editor ? new Editor(atlas, atlas.opts.editor, tools) : null;
  }
});
