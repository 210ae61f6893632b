/**
 * Entry point values and `entry_points.txt`, as importlib.metadata reads them.
 */
import type { DiagnosticSink, SourceRef } from "../model/diagnostics.js";
import { readText } from "./read.js";
import type { EntryPoint } from "./types.js";

// importlib.metadata.EntryPoint.pattern: module, optional `:attr`, optional `[extras]`.
const VALUE_RE = /^([\w.]+)\s*(?::\s*([\w.]+)\s*)?(?:\[.*\]\s*)?$/;

/** Split `module.path:Attr.attr [extra]` into module and attribute. */
export function parseEntryPointValue(value: string): {
  module: string | null;
  attr: string | null;
} {
  const m = VALUE_RE.exec(value.trim());
  if (!m) return { module: null, attr: null };
  return { module: m[1] ?? null, attr: m[2] ?? null };
}

/**
 * One `name = value` line of an entry point group. Returns null (after a warning) when the
 * line has no `=`, which setuptools would refuse.
 */
export function parseEntryPointLine(
  group: string,
  line: string,
  source: SourceRef,
  diagnostics?: DiagnosticSink,
): EntryPoint | null {
  const eq = line.indexOf("=");
  if (eq < 0) {
    diagnostics?.warn(`entry point in [${group}] is not "name = module:attr": ${line}`, source);
    return null;
  }
  const name = line.slice(0, eq).trim();
  const value = line.slice(eq + 1).trim();
  const parsed = parseEntryPointValue(value);
  if (parsed.module === null) {
    diagnostics?.warn(`entry point ${name} in [${group}]: "${value}" is not module:attr`, source);
  }
  return { group, name, value, ...parsed, source };
}

export interface ReadOptions {
  /** How messages and SourceRefs name the file (default: the path given). */
  displayFile?: string;
  diagnostics?: DiagnosticSink;
}

/**
 * `*.egg-info/entry_points.txt` or `*.dist-info/entry_points.txt`: `[group]` headers, then
 * `name = value` lines. importlib.metadata splits on the first `=` only (values hold `:`),
 * so this is read with its own small parser rather than configparser.
 */
export function readEntryPointsTxt(
  file: string,
  opts: ReadOptions = {},
): Map<string, EntryPoint[]> {
  const displayFile = opts.displayFile ?? file;
  return parseEntryPointsTxt(readText(file, displayFile), displayFile, opts.diagnostics);
}

export function parseEntryPointsTxt(
  text: string,
  displayFile: string,
  diagnostics?: DiagnosticSink,
): Map<string, EntryPoint[]> {
  const groups = new Map<string, EntryPoint[]>();
  let group: string | null = null;
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = raw.trim();
    const source = { file: displayFile, line: index + 1 };
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      group = (header[1] ?? "").trim();
      if (!groups.has(group)) groups.set(group, []);
      return;
    }
    if (group === null) {
      diagnostics?.warn(`entry point outside any [group]: ${line}`, source);
      return;
    }
    const ep = parseEntryPointLine(group, line, source, diagnostics);
    if (ep) groups.get(group)?.push(ep);
  });
  return groups;
}
