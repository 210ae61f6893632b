/**
 * Reading a PasteDeploy file (`api-paste.ini`) into typed sections, the way
 * `paste.deploy.loadwsgi.ConfigLoader` sees it. No Python is run.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  type IniDocument,
  type IniSection,
  IniSyntaxError,
  interpolate,
  parseIni,
} from "../ini/configparser.js";
import type { Diagnostic, SourceRef } from "../model/diagnostics.js";
import type { FactorySpec } from "./types.js";

/** A paste file that cannot be used at all. `message` is one line naming the file. */
export class PasteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasteError";
  }
}

/** Section kinds, by header prefix (PasteDeploy also accepts `application`, `composit`). */
export type PasteSectionKind =
  | "app"
  | "composite"
  | "pipeline"
  | "filter-app"
  | "filter"
  | "server";

const PREFIXES: ReadonlyMap<string, PasteSectionKind> = new Map([
  ["app", "app"],
  ["application", "app"],
  ["composite", "composite"],
  ["composit", "composite"],
  ["pipeline", "pipeline"],
  ["filter-app", "filter-app"],
  ["filter", "filter"],
  ["server", "server"],
]);

/** Kinds PasteDeploy looks in when it loads an application / a filter by name. */
export const APP_KINDS: readonly PasteSectionKind[] = [
  "app",
  "composite",
  "pipeline",
  "filter-app",
];
export const FILTER_KINDS: readonly PasteSectionKind[] = ["filter"];

export interface PasteSection {
  kind: PasteSectionKind;
  /** The name after the prefix, stripped; a bare `[app]` header is named `main`. */
  name: string;
  /** The header as written: `composite:osapi_compute`. */
  header: string;
  ini: IniSection;
  source: SourceRef;
}

export interface PasteConfig {
  /** The path that was read. */
  file: string;
  /** How messages and SourceRefs name the file. */
  displayFile: string;
  /** The value of `%(here)s`. */
  here: string;
  ini: IniDocument;
  /** Sections PasteDeploy knows (others, such as `[loggers]`, are left out), in file order. */
  sections: PasteSection[];
  /** PasteDeploy's global_conf: `here`, `__file__` and `[DEFAULT]`, interpolated. */
  globalConf: Record<string, string>;
  /** Raw defaults used for `%(name)s` interpolation (before interpolation). */
  rawDefaults: Map<string, string>;
  diagnostics: Diagnostic[];
}

export interface LoadPasteOptions {
  /** How to name the file in messages (a path relative to the analysed tree). */
  displayFile: string;
  /**
   * The value of `%(here)s` and the directory of `__file__`. PasteDeploy uses the file's
   * absolute directory; the default here is the directory of `displayFile`, so that maps do
   * not depend on where the analysed tree happens to sit on this machine.
   */
  here?: string;
}

/** Read and parse a paste file. Throws `PasteError` when it is unreadable or not valid ini. */
export function loadPasteConfig(file: string, opts: LoadPasteOptions): PasteConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new PasteError(`${opts.displayFile}: cannot read paste file (${code})`);
  }
  return parsePasteConfig(text, file, opts);
}

/** Parse paste file text (see `loadPasteConfig`). */
export function parsePasteConfig(text: string, file: string, opts: LoadPasteOptions): PasteConfig {
  const displayFile = opts.displayFile;
  let ini: IniDocument;
  try {
    // PasteDeploy sets optionxform = str: keys keep their case.
    ini = parseIni(text, displayFile, { lowercaseKeys: false });
  } catch (err) {
    if (err instanceof IniSyntaxError) throw new PasteError(err.message);
    throw err;
  }
  const diagnostics: Diagnostic[] = [...ini.warnings];
  const here = opts.here ?? path.posix.dirname(displayFile.split(path.sep).join("/"));
  const rawDefaults = new Map<string, string>([
    ["here", here],
    ["__file__", path.posix.join(here, path.posix.basename(displayFile))],
  ]);
  for (const o of ini.defaults?.options ?? []) rawDefaults.set(o.key, o.value);
  const globalConf: Record<string, string> = {};
  for (const [key, value] of rawDefaults) {
    const line = ini.defaults?.get(key)?.line;
    globalConf[key] = interpolateOr(value, rawDefaults, diagnostics, {
      file: displayFile,
      line: line ?? 1,
      what: `[DEFAULT] ${key}`,
    });
  }
  const sections: PasteSection[] = [];
  for (const s of ini.sections) {
    const colon = s.name.indexOf(":");
    const prefix = colon < 0 ? s.name : s.name.slice(0, colon);
    const kind = PREFIXES.get(prefix);
    if (!kind) continue;
    const name = colon < 0 ? "main" : s.name.slice(colon + 1).trim();
    sections.push({
      kind,
      name,
      header: s.name,
      ini: s,
      source: { file: displayFile, line: s.line },
    });
  }
  return { file, displayFile, here, ini, sections, globalConf, rawDefaults, diagnostics };
}

/** Interpolate `%(name)s`; on failure record a warning and keep the value as written. */
export function interpolateOr(
  value: string,
  vars: ReadonlyMap<string, string>,
  diagnostics: Diagnostic[],
  where: { file: string; line: number; what: string },
): string {
  try {
    return interpolate(value, vars);
  } catch (err) {
    diagnostics.push({
      level: "warning",
      message: `${where.what}: ${(err as Error).message}; value kept as written`,
      file: where.file,
      line: where.line,
    });
    return value;
  }
}

/** Sections of the given kinds named `name`, as PasteDeploy's find_config_section looks. */
export function findSections(
  config: PasteConfig,
  kinds: readonly PasteSectionKind[],
  name: string,
): PasteSection[] {
  return config.sections.filter((s) => kinds.includes(s.kind) && s.name === name);
}

/** `module.path:Obj.attr` (PasteDeploy's import_string / pkg_resources syntax). */
export function parseFactorySpec(kind: FactorySpec["kind"], spec: string): FactorySpec {
  const text = spec.trim();
  if (kind === "egg") return { kind, spec: text, module: null, attr: null };
  const colon = text.indexOf(":");
  if (colon < 0) return { kind, spec: text, module: text, attr: null };
  return {
    kind,
    spec: text,
    module: text.slice(0, colon).trim(),
    attr: text.slice(colon + 1).trim() || null,
  };
}
