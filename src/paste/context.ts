/**
 * Reading one paste section the way PasteDeploy's `ConfigLoader.get_context` does: local
 * settings, `use = …` borrowing, explicit `paste.*_factory` settings, `[pipeline:]` and
 * `[filter-app:]` sections, and `config:` references to other files. Nothing is imported.
 */
import path from "node:path";
import type { Diagnostic, DiagnosticSink, SourceRef } from "../model/diagnostics.js";
import {
  APP_KINDS,
  FILTER_KINDS,
  findSections,
  interpolateOr,
  loadPasteConfig,
  type PasteConfig,
  PasteError,
  type PasteSection,
  parseFactorySpec,
} from "./config.js";
import type { FactorySpec, PasteFilter, PasteStep } from "./types.js";

export type LocalConf = Map<string, { value: string; line: number }>;

export interface Located {
  config: PasteConfig;
  section: PasteSection;
}

/** A filter named on a chain, looked up lazily (or already known, for `[filter-app:]`). */
export interface FilterRef {
  name: string;
  config: PasteConfig;
  line: number;
  /** Who names it, for messages: `[pipeline:glance-api]`. */
  from: string;
  known?: { key: string; filter: PasteFilter };
}

/** What one section (after `use` indirections) is, as PasteDeploy's LoaderContext. */
export type Context = { located: Located; steps: PasteStep[]; wrap: FilterRef[] } & (
  | { kind: "factory"; factory: FactorySpec; local: LocalConf }
  | { kind: "pipeline"; names: string[]; line: number }
  | { kind: "filter-app"; filter: PasteFilter | null; next: string; line: number }
);

export const SCHEME_RE = /^([a-zA-Z]+):(.*)$/s;

/** What sections say, with the files they pull in; diagnostics go to the shared sink. */
export class SectionReader {
  /** Sections some other section names (by `sectionId`): they are not roots. */
  readonly referenced = new Set<string>();
  private readonly configs = new Map<string, PasteConfig>();

  constructor(
    main: PasteConfig,
    private readonly sink: DiagnosticSink,
  ) {
    this.configs.set(path.resolve(main.file), main);
    this.absorb(main.diagnostics);
  }

  /** local_conf as PasteDeploy builds it: own options minus global ones, interpolated. */
  private localConf({ config, section }: Located): LocalConf {
    const vars = new Map(config.rawDefaults);
    for (const o of section.ini.options) vars.set(o.key, o.value);
    const local: LocalConf = new Map();
    const diags: Diagnostic[] = [];
    for (const o of section.ini.options) {
      const where = {
        file: config.displayFile,
        line: o.line,
        what: `[${section.header}] ${o.key}`,
      };
      if (o.key.startsWith("set ")) continue; // adds to global_conf for what this loads; not mapped
      if (o.key.startsWith("get ")) {
        const name = o.key.slice(4).trim();
        const from = interpolateOr(o.value, vars, diags, where);
        const value = config.globalConf[from];
        if (value === undefined) {
          this.sink.warn(`[${section.header}] ${o.key}: no "${from}" in [DEFAULT]`, where);
        } else local.set(name, { value, line: o.line });
        continue;
      }
      // PasteDeploy skips any option also in [DEFAULT] ("it's a global option").
      if (Object.hasOwn(config.globalConf, o.key)) continue;
      local.set(o.key, { value: interpolateOr(o.value, vars, diags, where), line: o.line });
    }
    this.absorb(diags);
    return local;
  }

  /**
   * What a section is, loaded as an application or a filter; null (after a diagnostic) when
   * it cannot be read. `useStack` holds the sections already borrowing, to stop `use` loops.
   */
  context(located: Located, type: "app" | "filter", useStack: string[]): Context | null {
    const { config, section } = located;
    const local = this.localConf(located);
    const wrap: FilterRef[] = [];
    const filterWith = local.get("filter-with");
    if (filterWith && (section.kind === "app" || section.kind === "filter")) {
      local.delete("filter-with");
      wrap.push({
        name: filterWith.value,
        config,
        line: filterWith.line,
        from: `[${section.header}] filter-with`,
      });
    }
    local.delete("require"); // pkg_resources.require(): nothing to map
    const base = { located, steps: [] as PasteStep[], wrap };
    const at = { file: config.displayFile, line: section.source.line };

    if (section.kind === "pipeline") {
      const p = local.get("pipeline");
      if (!p) {
        this.sink.add("error", `[${section.header}] has no "pipeline" setting`, at);
        return null;
      }
      local.delete("pipeline");
      if (local.size > 0) {
        this.sink.warn(
          `[${section.header}] has settings a pipeline may not have: ${[...local.keys()].join(", ")}`,
          at,
        );
      }
      const names = p.value.split(/\s+/).filter((n) => n !== "");
      if (names.length === 0) {
        this.sink.add("error", `[${section.header}] pipeline is empty`, { ...at, line: p.line });
        return null;
      }
      return { ...base, kind: "pipeline", names, line: p.line };
    }
    if (section.kind === "filter-app") {
      const next = local.get("next");
      if (!next) {
        this.sink.add("error", `[${section.header}] has no "next" setting`, at);
        return null;
      }
      local.delete("next");
      const f = local.has("use")
        ? this.fromUse(located, "filter", local, useStack)
        : this.fromExplicit(located, "filter", local);
      const filter =
        f?.kind === "factory"
          ? {
              name: section.name,
              factory: f.factory,
              localConf: Object.fromEntries([...f.local].map(([k, v]) => [k, v.value])),
              source: section.source,
            }
          : null;
      return { ...base, kind: "filter-app", filter, next: next.value, line: next.line };
    }
    const ctx = local.has("use")
      ? this.fromUse(located, type, local, useStack)
      : this.fromExplicit(located, type, local);
    if (ctx) ctx.wrap.unshift(...wrap);
    return ctx;
  }

  /** `use = egg:…`, `use = call:…`, `use = config:…#name` or `use = other_section`. */
  private fromUse(
    located: Located,
    type: "app" | "filter",
    local: LocalConf,
    useStack: string[],
  ): Context | null {
    const { config, section } = located;
    const use = local.get("use");
    if (!use) return null;
    local.delete("use");
    const at = { file: config.displayFile, line: use.line };
    const scheme = SCHEME_RE.exec(use.value);
    const base = { located, steps: [] as PasteStep[], wrap: [] as FilterRef[] };
    if (scheme && (scheme[1] === "egg" || scheme[1] === "call")) {
      const factory = parseFactorySpec(scheme[1], scheme[2] ?? "");
      return { ...base, kind: "factory", factory, local };
    }
    let target: Located | null;
    if (scheme?.[1] === "config") {
      target = this.lookupConfig(config, scheme[2] ?? "", type, at);
    } else if (scheme) {
      this.sink.add(
        "error",
        `[${section.header}] use = ${use.value}: unknown scheme "${scheme[1]}:"`,
        at,
      );
      return null;
    } else {
      target = this.lookup(config, type, use.value, at, `[${section.header}] use`);
    }
    if (!target) return null;
    const id = sectionId(target.config, target.section);
    // A section borrowing from itself is broken, not referenced: it stays a root.
    if (id !== sectionId(config, section)) this.referenced.add(id);
    if (useStack.includes(id)) {
      this.sink.add("error", `[${section.header}] use = ${use.value}: refers back to itself`, at);
      return null;
    }
    const used = this.context(target, type, [...useStack, id]);
    if (!used) return null;
    used.steps.unshift({
      detail: `${section.kind} ${section.name} use = ${use.value}`,
      file: config.displayFile,
      line: use.line,
    });
    if (used.kind === "factory") {
      // _context_from_use: the used section's settings, then this section's on top.
      for (const [k, v] of local) used.local.set(k, v);
      return { ...used, located };
    }
    return used;
  }

  /** `paste.app_factory = …` / `paste.composite_factory = …` / `paste.filter_factory = …`. */
  private fromExplicit(located: Located, type: "app" | "filter", local: LocalConf): Context | null {
    const { config, section } = located;
    // PasteDeploy's egg_protocols: for an app either protocol (but not both); for a filter
    // the first of filter_factory, filter_app_factory.
    const groups: [string, FactorySpec["kind"]][][] =
      type === "app"
        ? [
            [["paste.app_factory", "app"]],
            [
              ["paste.composite_factory", "composite"],
              ["paste.composit_factory", "composite"],
            ],
          ]
        : [
            [
              ["paste.filter_factory", "filter"],
              ["paste.filter_app_factory", "filter_app"],
            ],
          ];
    const found: [string, FactorySpec["kind"]][] = [];
    for (const group of groups) {
      const hit = group.find(([key]) => local.has(key));
      if (hit) found.push(hit);
    }
    const at = { file: config.displayFile, line: section.source.line };
    const [first] = found;
    if (!first) {
      const wanted = type === "app" ? "paste.app_factory" : "paste.filter_factory";
      this.sink.add("error", `[${section.header}] names no factory: no "use" or "${wanted}"`, at);
      return null;
    }
    if (found.length > 1) {
      this.sink.warn(
        `[${section.header}] names several factories (${found.map(([k]) => k).join(", ")}); using ${first[0]}`,
        at,
      );
    }
    const spec = local.get(first[0])?.value ?? "";
    for (const [key] of groups.flat()) local.delete(key);
    const factory = parseFactorySpec(first[1], spec);
    return { located, steps: [], wrap: [], kind: "factory", factory, local };
  }

  /** A section of the wanted type by name; a diagnostic (and null) when there is none. */
  lookup(
    config: PasteConfig,
    type: "app" | "filter",
    name: string,
    at: SourceRef,
    from: string,
  ): Located | null {
    const kinds = type === "app" ? APP_KINDS : FILTER_KINDS;
    const found = findSections(config, kinds, name);
    const [first] = found;
    if (!first) {
      const wanted =
        type === "app" ? "[app:], [composite:], [pipeline:] or [filter-app:]" : "[filter:]";
      this.sink.add(
        "error",
        `${from} refers to "${name}", but no ${wanted} section has that name`,
        at,
      );
      return null;
    }
    if (found.length > 1) {
      this.sink.warn(
        `${from}: "${name}" is ambiguous (${found.map((s) => `[${s.header}]`).join(", ")}); PasteDeploy refuses this, using the first`,
        at,
      );
    }
    return { config, section: first };
  }

  /** `config:relative/file.ini#name` (name defaults to `main`), relative to `config`. */
  lookupConfig(
    config: PasteConfig,
    rest: string,
    type: "app" | "filter",
    at: SourceRef,
  ): Located | null {
    const hash = rest.indexOf("#");
    const rel = (hash < 0 ? rest : rest.slice(0, hash)).trim();
    const name = hash < 0 ? "main" : rest.slice(hash + 1).trim();
    const file = path.resolve(path.dirname(config.file), rel);
    let other = this.configs.get(file);
    if (!other) {
      try {
        const displayFile = path.posix.join(path.posix.dirname(config.displayFile), rel);
        other = loadPasteConfig(file, { displayFile });
      } catch (err) {
        if (!(err instanceof PasteError)) throw err;
        this.sink.add("error", `config:${rest}: ${err.message}`, at);
        return null;
      }
      this.configs.set(file, other);
      this.absorb(other.diagnostics);
    }
    return this.lookup(other, type, name, at, `config:${rest}`);
  }

  /** Pass on diagnostics gathered elsewhere (parse warnings, interpolation problems). */
  absorb(diags: readonly Diagnostic[]): void {
    for (const d of diags) this.sink.add(d.level, d.message, d);
  }
}

export function sectionId(config: PasteConfig, section: PasteSection): string {
  return `${path.resolve(config.file)}\0${section.header}`;
}

export function plainConf(local: LocalConf): Record<string, string> {
  return Object.fromEntries([...local].map(([k, v]) => [k, v.value]));
}
