/**
 * `setup.cfg` as pbr and setuptools read it: configparser with keys lower-cased.
 */
import { type IniDocument, IniSyntaxError, parseIni } from "../ini/configparser.js";
import { parseEntryPointLine, type ReadOptions } from "./entrypoints.js";
import { readText } from "./read.js";
import { type EntryPoint, type PackageInfo, PackagingError } from "./types.js";

/**
 * Read `[metadata] name` / `version` and the entry points of a setup.cfg. pbr projects write
 * them under `[entry_points]`, setuptools ones under `[options.entry_points]`; in both each
 * option is a group whose value holds one `name = module:attr` per line.
 * Returns null when the file names no distribution (a setup.cfg holding only tool settings,
 * the metadata being in setup.py or pyproject.toml).
 */
export function readSetupCfg(file: string, opts: ReadOptions = {}): PackageInfo | null {
  const displayFile = opts.displayFile ?? file;
  let ini: IniDocument;
  try {
    ini = parseIni(readText(file, displayFile), displayFile, { lowercaseKeys: true });
  } catch (err) {
    if (err instanceof IniSyntaxError) throw new PackagingError(err.message);
    throw err;
  }
  for (const w of ini.warnings) opts.diagnostics?.add(w.level, w.message, w);
  const name = ini.get("metadata")?.get("name");
  if (!name || name.value === "") return null;

  const entryPoints = new Map<string, EntryPoint[]>();
  for (const sectionName of ["entry_points", "options.entry_points"]) {
    for (const option of ini.get(sectionName)?.options ?? []) {
      const group = option.key;
      const list = entryPoints.get(group) ?? [];
      option.value.split("\n").forEach((text, i) => {
        const line = text.trim();
        if (line === "") return;
        const source = { file: displayFile, line: option.valueLines[i] ?? option.line };
        const ep = parseEntryPointLine(group, line, source, opts.diagnostics);
        if (ep) list.push(ep);
      });
      entryPoints.set(group, list);
    }
  }
  // pbr: [files] packages; setuptools: [options] packages (unless it is `find:`).
  const packages = ini.get("files")?.get("packages") ?? ini.get("options")?.get("packages");
  const topLevel = (packages?.value ?? "")
    .split(/[\s,]+/)
    .filter((p) => p !== "" && !p.endsWith(":"));
  return {
    name: name.value,
    version: ini.get("metadata")?.get("version")?.value || null,
    entryPoints,
    topLevel,
    source: { file: displayFile, line: name.line },
  };
}
