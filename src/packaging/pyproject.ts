/**
 * `pyproject.toml` `[project]` metadata (PEP 621).
 */
import { parse } from "smol-toml";
import { parseEntryPointValue, type ReadOptions } from "./entrypoints.js";
import { readText } from "./read.js";
import { type EntryPoint, type PackageInfo, PackagingError } from "./types.js";

type Table = Record<string, unknown>;

function isTable(v: unknown): v is Table {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Read `[project] name, version`, `[project.scripts]` (the `console_scripts` group),
 * `[project.gui-scripts]` (`gui_scripts`) and `[project.entry-points."group"]`.
 * Returns null when there is no `[project]` name: pbr projects keep a pyproject.toml with
 * only `[build-system]`, their metadata being in setup.cfg.
 */
export function readPyproject(file: string, opts: ReadOptions = {}): PackageInfo | null {
  const displayFile = opts.displayFile ?? file;
  const text = readText(file, displayFile);
  let data: Table;
  try {
    data = parse(text) as Table;
  } catch (err) {
    const first = String((err as Error).message).split("\n")[0];
    throw new PackagingError(`${displayFile}: not valid TOML: ${first}`);
  }
  const project = data.project;
  if (!isTable(project) || typeof project.name !== "string" || project.name === "") return null;
  // smol-toml gives no positions; find lines in the text so SourceRefs point somewhere useful.
  const lines = new TomlLines(text);

  const entryPoints = new Map<string, EntryPoint[]>();
  const addGroup = (group: string, table: unknown, header: string[]) => {
    if (!isTable(table)) return;
    const headerLine = lines.table(header);
    const list = entryPoints.get(group) ?? [];
    for (const [name, value] of Object.entries(table)) {
      if (typeof value !== "string") continue;
      const line = lines.key(headerLine, name);
      list.push({
        group,
        name,
        value,
        ...parseEntryPointValue(value),
        source: { file: displayFile, line },
      });
    }
    entryPoints.set(group, list);
  };
  addGroup("console_scripts", project.scripts, ["project", "scripts"]);
  addGroup("gui_scripts", project["gui-scripts"], ["project", "gui-scripts"]);
  const groups = project["entry-points"];
  if (isTable(groups)) {
    for (const [group, table] of Object.entries(groups)) {
      addGroup(group, table, ["project", "entry-points", group]);
    }
  }
  const tool = isTable(data.tool) ? data.tool : {};
  const setuptools = isTable(tool.setuptools) ? tool.setuptools : {};
  const packages = Array.isArray(setuptools.packages) ? setuptools.packages : [];
  return {
    name: project.name,
    version: typeof project.version === "string" ? project.version : null,
    entryPoints,
    topLevel: packages.filter((p): p is string => typeof p === "string" && !p.includes(".")),
    source: { file: displayFile, line: lines.key(lines.table(["project"]), "name") },
  };
}

/** Rough line finding for TOML tables and keys (comments and strings are not parsed). */
class TomlLines {
  private readonly lines: string[];

  constructor(text: string) {
    this.lines = text.split(/\r\n|\r|\n/);
  }

  /** 1-based line of `[a.b."c"]`, or 1 when not found (e.g. an inline table). */
  table(keys: string[]): number {
    const want = keys.join("\0");
    const i = this.lines.findIndex((l) => {
      const m = /^\s*\[([^[\]]+)\]\s*(#.*)?$/.exec(l);
      return m !== null && splitDotted(m[1] ?? "").join("\0") === want;
    });
    return i + 1 || 1;
  }

  /** 1-based line of `key =` after the table header line, before the next header. */
  key(headerLine: number, key: string): number {
    for (let i = headerLine; i < this.lines.length; i++) {
      const l = this.lines[i] ?? "";
      if (/^\s*\[/.test(l)) break;
      const m = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=/.exec(l);
      if (m && unquote(m[1] ?? "") === key) return i + 1;
    }
    return headerLine;
  }
}

function splitDotted(s: string): string[] {
  const parts = s.match(/"(?:[^"\\]|\\.)*"|'[^']*'|[^.\s]+/g) ?? [];
  return parts.map(unquote);
}

function unquote(s: string): string {
  if (s.startsWith('"') && s.endsWith('"')) return JSON.parse(s) as string;
  if (s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1);
  return s;
}
