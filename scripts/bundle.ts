/**
 * `npm run build`, after tsc: the bin. The CLI is bundled as CommonJS, its packages left
 * external (dist/apimap.cjs), and the bin, dist/apimap.js, runs it as a script: Node 20's ES
 * module loader takes ~40 ms longer than `require` to bring in the CommonJS packages the CLI
 * uses (tree-sitter, commander), on every run. Then V8's code cache for the bundle
 * (dist/apimap.cjs.cache): what mapping the example and the fixtures of each recipe compiles,
 * most of what any map compiles (~40 ms of a Neutron map).
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { buildSync } from "esbuild";

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  logLevel: "warning",
} as const;

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
