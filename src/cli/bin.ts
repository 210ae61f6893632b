#!/usr/bin/env node
/**
 * The bin, dist/apimap.js: runs the CLI, bundled as CommonJS beside it (scripts/bundle.ts
 * says why).
 */
import { createRequire } from "node:module";

createRequire(import.meta.url)("./apimap.cjs");
