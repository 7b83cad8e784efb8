// Bundle the page's ES modules (geo/static/src) into the two scripts the page inlines, geo/static/atlas.js
// and geo/static/editor.js: IIFEs, so the page still opens from file:// and needs no module loader.
// The bundles are kept in the repository (a fresh clone builds the map without Node); CI rebuilds them and
// checks they are unchanged (tests/test_js.py, .ci/run).
//
// They are minified: a shipped artefact, read by browsers, not people (the sources are geo/static/src). Each has a
// source map beside it (atlas.js.map, editor.js.map) for a debugger; the bundles do not name it (the page inlines
// them, so a relative sourceMappingURL would point beside the page, where no map is). Both are built in memory as
// if written to geo/static, then written to OUTDIR, so the map's paths are the same whichever folder is named.
//
//   node tools/build_js.mjs [OUTDIR]     (npm run build; OUTDIR defaults to geo/static)
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const home = path.join(root, "geo", "static");
const outdir = path.resolve(process.argv[2] || home);

const BUNDLES = [
  { entry: "geo/static/src/atlas/index.js", out: "atlas.js", what: "the page's atlas" },
  { entry: "geo/static/src/editor/index.js", out: "editor.js", what: "the editor of geo serve (after atlas.js)" },
];

await mkdir(outdir, { recursive: true });
for (const bundle of BUNDLES) {
  const banner =
    `/* GENERATED FILE, do not edit: ${bundle.what}, bundled and minified by \`npm run build\` ` +
    `(tools/build_js.mjs, esbuild ${esbuild.version}) from ${bundle.entry} and the modules it imports; ` +
    `source map: ${bundle.out}.map. Edit those and rebuild. */`;
  const built = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [bundle.entry],
    outfile: path.join(home, bundle.out),
    write: false,
    bundle: true,
    minify: true,
    sourcemap: "external",
    format: "iife",
    target: "es2020",
    charset: "utf8",
    legalComments: "none",
    banner: { js: banner },
    logLevel: "warning",
  });
  for (const file of built.outputFiles) {
    await writeFile(path.join(outdir, path.basename(file.path)), file.contents);
  }
}
