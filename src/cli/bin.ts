#!/usr/bin/env node
/**
 * The bin, dist/apimap.js: runs the CLI, bundled as CommonJS beside it (scripts/bundle.ts says
 * why), compiled with V8's code cache when the build made one (apimap.cjs.cache, beside the
 * bundle): a run otherwise spends a good part of its time compiling each function it calls for
 * the first time. V8 checks the cache against the bundle, Node's version and flags, and
 * compiles afresh when it does not match. The cache holds compiled code only: it cannot change
 * what a run prints.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

const bundle = fileURLToPath(new URL("./apimap.cjs", import.meta.url));
const cacheFile = `${bundle}.cache`;

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** What the run compiled, the cache's functions included. Written whole, then renamed. */
function writeCache(script: Script): void {
  const temp = `${cacheFile}.${process.pid}`;
  writeFileSync(temp, script.createCachedData());
  renameSync(temp, cacheFile);
}

const cachedData = readCache();
// CommonJS's wrapper, opened on the bundle's first line: stack traces keep the bundle's lines.
const script = new Script(
  `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, "utf8")}\n})`,
  { filename: bundle, ...(cachedData ? { cachedData } : {}) },
);
// The build runs the CLI on the fixtures with APIMAP_CODE_CACHE=write, each run adding what it
// compiled to the cache.
if (process.env.APIMAP_CODE_CACHE === "write") process.once("exit", () => writeCache(script));
const run = script.runInThisContext() as (...args: unknown[]) => void;
const module = { exports: {} };
run(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
