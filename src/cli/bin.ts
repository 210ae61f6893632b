#!/usr/bin/env node
/**
 * The bin, dist/apimap.js: runs the CLI, bundled as CommonJS beside it (scripts/bundle.ts says
 * why), compiled with V8's code cache. A run spends a good part of its time compiling each
 * function it calls for the first time; the cache (apimap.cjs.cache, beside the bundle) holds
 * what earlier analyses compiled. V8 checks it against the bundle, Node's version and flags, and
 * compiles afresh when it does not match. An analysis that compiled more than the cache holds
 * (a first run, a project whose recipes the cache has not seen) writes it anew on exit; help and
 * the version compile next to nothing and leave it. The cache holds compiled code only: it
 * cannot change what a run prints.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

const bundle = fileURLToPath(new URL("./apimap.cjs", import.meta.url));
const cacheFile = `${bundle}.cache`;
/** The commands that analyse a tree. */
const ANALYSES = new Set(["map", "explain", "services", "rpc"]);

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/**
 * The code compiled so far, kept when it is more than the cache held (1% more: a run on a tree
 * the cache has seen compiles the same, give or take what V8 discarded). Written whole, then
 * renamed into place: a run reading the cache meanwhile sees one or the other.
 */
function updateCache(script: Script, held: number): void {
  const data = script.createCachedData();
  if (data.length <= held * 1.01) return;
  const temp = `${cacheFile}.${process.pid}`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, cacheFile);
  } catch {
    // A read-only install: runs go on compiling as they did.
    rmSync(temp, { force: true });
  }
}

const cachedData = readCache();
// CommonJS's wrapper, opened on the bundle's first line: stack traces keep the bundle's lines.
const script = new Script(
  `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, "utf8")}\n})`,
  { filename: bundle, ...(cachedData ? { cachedData } : {}) },
);
if (ANALYSES.has(process.argv[2] ?? "")) {
  const held = cachedData && !script.cachedDataRejected ? cachedData.length : 0;
  process.once("exit", () => updateCache(script, held));
}
const run = script.runInThisContext() as (...args: unknown[]) => void;
const module = { exports: {} };
run(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
