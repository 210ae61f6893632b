/**
 * `npm run build`, after tsc: the bin. The CLI is bundled as CommonJS (dist/apimap.cjs) with
 * the packages it uses, all but the native parser, and the bin, dist/apimap.js, runs it as a
 * script: Node 20's ES module loader takes ~40 ms longer than `require` to bring in CommonJS
 * packages. Then V8's code cache for the bundle (dist/apimap.cjs.cache): what mapping the
 * example and the fixtures of each recipe compiles, most of what any map compiles (~40 ms of a
 * Neutron map; commander alone took ~10 ms to compile at each start).
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { type BuildOptions, buildSync } from "esbuild";

const common: BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  // Only the native parser stays outside: the rest is compiled with the bundle and its cache.
  external: ["tree-sitter", "tree-sitter-python"],
  logLevel: "warning",
};

buildSync({
  ...common,
  entryPoints: ["dist/src/cli/main.js"],
  format: "cjs",
  outfile: "dist/apimap.cjs",
  // The CLI finds package.json (its version) from its own URL: the bundle's, in CommonJS. The
  // banner goes first, so it says "use strict" itself: the modules it bundles were strict.
  define: { "import.meta.url": "importMetaUrl" },
  banner: {
    js: '"use strict";\nconst importMetaUrl = require("node:url").pathToFileURL(__filename).href;',
  },
});

buildSync({
  ...common,
  entryPoints: ["dist/src/cli/bin.js"],
  format: "esm",
  outfile: "dist/apimap.js",
});

rmSync("dist/apimap.cjs.cache", { force: true });
for (const tree of [
  "examples/kettle",
  "fixtures/recipes/nova-v21-extensions",
  "fixtures/recipes/neutron-legacy",
  "fixtures/recipes/neutron-pecan",
  "fixtures/rpc/agent-endpoints",
]) {
  spawnSync(process.execPath, ["dist/apimap.js", "map", tree], {
    env: { ...process.env, APIMAP_CODE_CACHE: "write" },
    stdio: "ignore",
  });
}
