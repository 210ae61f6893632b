/**
 * Installed distribution metadata: `*.egg-info` (setuptools, what Debian packages ship) and
 * `*.dist-info` (wheels, pip).
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { type ReadOptions, readEntryPointsTxt } from "./entrypoints.js";
import { readText } from "./read.js";
import { type EntryPoint, type PackageInfo, PackagingError } from "./types.js";

export interface CoreMetadata {
  name: string | null;
  version: string | null;
  /** Line of the `Name:` header (1 when absent). */
  line: number;
}

/**
 * The `Name:` and `Version:` headers of a PKG-INFO or METADATA file (RFC 822 style headers
 * up to the first blank line; the description follows).
 */
export function readPkgInfo(file: string, opts: ReadOptions = {}): CoreMetadata {
  return parsePkgInfo(readText(file, opts.displayFile ?? file));
}

export function parsePkgInfo(text: string): CoreMetadata {
  const out: CoreMetadata = { name: null, version: null, line: 1 };
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] ?? "";
    if (l.trim() === "") break;
    const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(l);
    if (!m) continue;
    const header = (m[1] ?? "").toLowerCase();
    const value = (m[2] ?? "").trim();
    if (header === "name" && out.name === null) {
      out.name = value;
      out.line = i + 1;
    } else if (header === "version" && out.version === null) {
      out.version = value;
    }
  }
  return out;
}

/**
 * A `*.egg-info` / `*.dist-info` directory (or an old single-file `*.egg-info`, which is a
 * PKG-INFO): name, version, entry points and top-level packages. Null when it names no
 * distribution. `opts.displayFile` is how messages name the directory.
 */
export function readDistInfo(dir: string, opts: ReadOptions = {}): PackageInfo | null {
  const display = opts.displayFile ?? dir;
  if (!existsSync(dir)) throw new PackagingError(`${display}: cannot read (ENOENT)`);
  if (statSync(dir).isFile()) return fromMetadata(dir, display, new Map(), []);
  const metaName = existsSync(path.join(dir, "METADATA")) ? "METADATA" : "PKG-INFO";
  const metaFile = path.join(dir, metaName);
  if (!existsSync(metaFile)) return null;
  const epFile = path.join(dir, "entry_points.txt");
  const entryPoints = existsSync(epFile)
    ? readEntryPointsTxt(epFile, { ...opts, displayFile: path.join(display, "entry_points.txt") })
    : new Map<string, EntryPoint[]>();
  const topFile = path.join(dir, "top_level.txt");
  const topLevel = existsSync(topFile)
    ? readText(topFile, path.join(display, "top_level.txt"))
        .split(/\s+/)
        .filter((p) => p !== "")
    : [];
  return fromMetadata(metaFile, path.join(display, metaName), entryPoints, topLevel);
}

function fromMetadata(
  file: string,
  displayFile: string,
  entryPoints: Map<string, EntryPoint[]>,
  topLevel: string[],
): PackageInfo | null {
  const meta = readPkgInfo(file, { displayFile });
  if (!meta.name) return null;
  return {
    name: meta.name,
    version: meta.version,
    entryPoints,
    topLevel,
    source: { file: displayFile, line: meta.line },
  };
}
