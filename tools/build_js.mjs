// Bundle the page's ES modules (geo/static/src) into the two scripts the page inlines, geo/static/atlas.js
// and geo/static/editor.js: IIFEs, so the page still opens from file:// and needs no module loader.
// The bundles are kept in the repository (a fresh clone builds the map without Node); CI rebuilds them and
// checks they are unchanged (tests/test_js_bundle.py, .ci/run).
//
//   node tools/build_js.mjs [OUTDIR]     (npm run build; OUTDIR defaults to geo/static)
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outdir = path.resolve(process.argv[2] || path.join(root, "geo", "static"));

const BUNDLES = [
  { entry: "geo/static/src/atlas/index.js", out: "atlas.js", what: "the page's atlas" },
  { entry: "geo/static/src/editor/index.js", out: "editor.js", what: "the editor of geo serve (after atlas.js)" },
];

for (const bundle of BUNDLES) {
  const banner =
    `/* GENERATED FILE, do not edit: ${bundle.what}, bundled by \`npm run build\` (tools/build_js.mjs, ` +
    `esbuild ${esbuild.version}) from ${bundle.entry} and the modules it imports. Edit those and rebuild. */`;
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [bundle.entry],
    outfile: path.join(outdir, bundle.out),
    bundle: true,
    format: "iife",
    target: "es2020",
    charset: "utf8",
    legalComments: "none",
    banner: { js: banner },
    logLevel: "warning",
  });
}
