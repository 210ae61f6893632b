import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseIni } from "../ini/configparser.js";
import type { Evaluator } from "../python/evaluator.js";
import { pythonFiles } from "../python/files.js";
import type { SyntaxNode } from "../python/parse.js";
import { NONE, unknown, type Value } from "../python/values.js";

/** Names under which code reaches oslo.config's global configuration object. */
const CONF_NAMES = ["oslo_config.cfg.CONF.", "oslo.config.cfg.CONF."];

interface OptionDecl {
  /** `StrOpt`, `BoolOpt`, `ListOpt` …: how a configured string becomes a value. */
  type: string;
  /** Absolute file and character offset of the `XxxOpt(` call. */
  path: string;
  offset: number;
  /** The file's text mentions this group name, a hint when names repeat across groups. */
  text: string;
}

/**
 * oslo.config as the analysis sees it: `CONF.<group>.<option>` is the option's *default*
 * (apimap maps the configuration a fresh deployment has). Options are found by their
 * declarations, `cfg.StrOpt('name', default=…)`, in the project's own packages; the
 * registration calls that put them into groups run at import time, which we do not, so a
 * name declared in several groups with different defaults stays Unknown.
 */
export class ConfigDefaults {
  private index: Map<string, OptionDecl[]> | null = null;
  private fullyIndexed = false;
  private groupNames = new Set<string>();
  private readonly cache = new Map<string, Value>();

  constructor(
    private readonly ev: Evaluator,
    private readonly packageDirs: string[],
    /** Settings from a configuration file the user gave: group → option → raw string. */
    private readonly settings: Map<string, Map<string, string>> = new Map(),
  ) {}

  /** For the evaluator's externalAttr hook: a default for `oslo_config.cfg.CONF.x.y`, if known. */
  attribute(dotted: string): Value | undefined {
    const prefix = CONF_NAMES.find((p) => dotted.startsWith(p));
    if (!prefix) return undefined;
    const parts = dotted.slice(prefix.length).split(".");
    // `CONF.conductor` is the group when one of that name is declared, not an option.
    if (parts.length === 1) {
      const name = parts[0] as string;
      if (this.groups(false).has(name)) return undefined;
      // Not an option of the conf/ package: look for a group of that name in the whole tree
      // before taking it for an option declared elsewhere.
      if (!this.declarations(false).has(name) && this.groups(true).has(name)) return undefined;
      return this.option(null, name);
    }
    if (parts.length === 2) return this.option(parts[0] as string, parts[1] as string);
    return undefined;
  }

  private option(group: string | null, name: string): Value | undefined {
    const key = `${group ?? ""}.${name}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    let decls = this.declarations(false).get(name) ?? this.declarations(true).get(name) ?? [];
    const configured = this.settings.get(group ?? "DEFAULT")?.get(name);
    if (configured !== undefined) {
      const value = convert(configured, decls[0]?.type ?? "StrOpt");
      this.cache.set(key, value);
      return value;
    }
    if (decls.length === 0) return undefined; // a group name, or an option of a library
    if (group && decls.length > 1) {
      // Prefer files that declare the group (`OptGroup('conductor'`, `group='conductor'`), then
      // files that merely mention it.
      const declares = new RegExp(
        `(?:OptGroup\\(\\s*(?:name\\s*=\\s*)?|group\\s*=\\s*)['"]${group}['"]`,
      );
      const strict = decls.filter((d) => declares.test(d.text));
      const loose = decls.filter((d) => d.text.includes(group));
      if (strict.length > 0) decls = strict;
      else if (loose.length > 0) decls = loose;
    }
    const values = decls.map((d) => this.defaultOf(d));
    const [first, ...rest] = values;
    const value =
      first && rest.every((v) => sameValue(v, first))
        ? first
        : unknown(`option ${name} is declared with different defaults`);
    this.cache.set(key, value);
    return value;
  }

  private defaultOf(decl: OptionDecl): Value {
    const moduleName = this.ev.program.index.moduleForFile(decl.path);
    const loaded = moduleName ? this.ev.program.module(moduleName) : null;
    if (!loaded || !moduleName) return unknown(`option declared in ${decl.path}`);
    let node: SyntaxNode | null = loaded.parsed.nodeAt(decl.offset);
    while (node && node.type !== "call") node = node.parent;
    if (!node) return unknown("option declaration not found");
    for (const arg of node.childForFieldName("arguments")?.namedChildren ?? []) {
      if (arg.type === "keyword_argument" && arg.childForFieldName("name")?.text === "default") {
        return this.ev.eval(
          arg.childForFieldName("value") as SyntaxNode,
          this.ev.moduleFrame(moduleName),
        );
      }
    }
    return NONE;
  }

  private groups(full: boolean): Set<string> {
    this.declarations(full);
    return this.groupNames;
  }

  /**
   * Every `XxxOpt('name'` in the project's packages (tests excluded), by option dest name.
   * Projects that keep their options in a `conf/` package (Nova, Neutron since Newton) are
   * answered from there first. The rest of the tree is read only for a name not found there,
   * and not at all when `conf/__init__.py` registers the options itself (Nova since Newton):
   * its package is then the whole registry, and a name missing from it belongs to a library.
   */
  private declarations(full: boolean): Map<string, OptionDecl[]> {
    if (this.index && (!full || this.fullyIndexed)) return this.index;
    const confDirs = this.packageDirs.map((d) => join(d, "conf")).filter((d) => existsSync(d));
    if (!this.index) {
      const index = new Map<string, OptionDecl[]>();
      for (const dir of confDirs) for (const path of pythonFiles(dir)) this.indexFile(path, index);
      this.index = index;
      this.fullyIndexed = confDirs.length > 0 && confDirs.every(registersOptions);
      if (!full || this.fullyIndexed) return index;
    }
    for (const dir of this.packageDirs) {
      for (const path of pythonFiles(dir)) {
        if (!confDirs.some((c) => path.startsWith(`${c}/`))) this.indexFile(path, this.index);
      }
    }
    this.fullyIndexed = true;
    return this.index;
  }

  private indexFile(path: string, index: Map<string, OptionDecl[]>): void {
    const text = this.ev.program.sourceText(path);
    if (!text.includes("Opt")) return;
    // Groups: `OptGroup('cells')`, or just a name that options are registered or imported under
    // (Juno's `CONF.register_opts(cells_opts, group='cells')`).
    for (const g of text.matchAll(
      /(?:OptGroup\(\s*(?:name\s*=\s*)?|\bgroup\s*=\s*)['"]([A-Za-z0-9_-]+)['"]/g,
    )) {
      this.groupNames.add((g[1] as string).replaceAll("-", "_"));
    }
    for (const m of text.matchAll(
      /\b([A-Z]\w*Opt)\(\s*(?:name\s*=\s*)?['"]([A-Za-z0-9_-]+)['"]/g,
    )) {
      // oslo.config exposes `foo-bar` as the attribute `foo_bar`.
      const dest = (m[2] as string).replaceAll("-", "_");
      const list = index.get(dest) ?? [];
      list.push({
        type: m[1] as string,
        path,
        offset: (m.index ?? 0) + m[0].indexOf("Opt(") + 3,
        text,
      });
      index.set(dest, list);
    }
  }
}

/** A conf package whose `__init__` registers its modules' options on the global CONF. */
function registersOptions(confDir: string): boolean {
  try {
    return readFileSync(join(confDir, "__init__.py"), "utf8").includes("register_opts(");
  } catch {
    return false;
  }
}

/** oslo.config's parsing of a setting, by option type. */
function convert(raw: string, type: string): Value {
  const text = raw.trim();
  if (type === "BoolOpt") return { kind: "bool", value: /^(true|1|yes|on)$/i.test(text) };
  if (type === "IntOpt" || type === "PortOpt" || type === "FloatOpt") {
    const n = Number(text);
    return Number.isNaN(n) ? unknown(`${type} setting ${text}`) : { kind: "num", value: n };
  }
  if (type === "ListOpt") {
    return {
      kind: "list",
      items: text === "" ? [] : text.split(",").map((x) => ({ kind: "str", value: x.trim() })),
    };
  }
  if (type === "MultiStrOpt") {
    return { kind: "list", items: text.split("\n").map((x) => ({ kind: "str", value: x.trim() })) };
  }
  return { kind: "str", value: text };
}

/** `[group] option = value` settings of an oslo.config file. */
export function readConfigFile(file: string): Map<string, Map<string, string>> {
  const doc = parseIni(readFileSync(file, "utf8"), file);
  const out = new Map<string, Map<string, string>>();
  for (const section of [...(doc.defaults ? [doc.defaults] : []), ...doc.sections]) {
    const options = out.get(section.name) ?? new Map<string, string>();
    for (const o of section.options) options.set(o.key, o.value);
    out.set(section.name, options);
  }
  return out;
}

function sameValue(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "str" || a.kind === "num" || a.kind === "bool")
    return a.value === (b as typeof a).value;
  if (a.kind === "none") return true;
  if (a.kind === "list" || a.kind === "tuple") {
    const items = (b as typeof a).items;
    return (
      a.items.length === items.length && a.items.every((x, i) => sameValue(x, items[i] as Value))
    );
  }
  return false;
}
