// ESLint (flat config): the recommended rules over the page's sources, the build script and the JS tests.
// The bundles geo/static/atlas.js and editor.js are generated (npm run build) and not linted.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "geo/static/atlas.js", "geo/static/editor.js", "site/", "dist/", "build/"] },
  js.configs.recommended,
  {
    files: ["geo/static/src/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      // Leaflet and its plugins are loaded by the page before the bundles, as the global L.
      globals: { ...globals.browser, L: "readonly" },
    },
  },
  {
    files: ["tests/js/**/*.mjs", "tools/**/*.mjs", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
