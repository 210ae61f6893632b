/**
 * Following a PasteDeploy file from its roots down to the applications, without loading
 * anything: which `[app:]` serves which URL prefix, behind which filters.
 *
 * Sections are read as PasteDeploy reads them (context.ts); this file follows what they
 * name: `pipeline = f1 f2 app`, `[filter-app:]` `next`, `filter-with`, composites. Composites are opaque Python in PasteDeploy; apimap understands the two kinds OpenStack
 * uses (urlmap and auth-strategy pipeline choosers) and lets callers name others via hooks.
 */
import path from "node:path";
import { DiagnosticSink, type SourceRef } from "../model/diagnostics.js";
import { classifyBuiltin, joinMount, parsePathExpression } from "./composites.js";
import {
  APP_KINDS,
  findSections,
  type PasteConfig,
  type PasteSection,
  parseFactorySpec,
} from "./config.js";
import {
  type Context,
  type FilterRef,
  type LocalConf,
  type Located,
  plainConf,
  SCHEME_RE,
  SectionReader,
  sectionId,
} from "./context.js";
import type {
  CompositeKind,
  FactorySpec,
  PasteApp,
  PasteFilter,
  PasteHooks,
  PastePipeline,
  PasteResolution,
  PasteStep,
} from "./types.js";

/** One way on from an application section towards another. */
interface Edge {
  target: string;
  config: PasteConfig;
  line: number;
  /** Who names the target, for messages: `[composite:neutron]`. */
  from: string;
  filters: FilterRef[];
  /** urlmap path to add to the mount (normalised), or null. */
  path: string | null;
  choice: { key: string; isDefault: boolean } | null;
  pipeline: string | null;
  detail: string;
}

type Expansion =
  | { kind: "leaf"; context: Context & { kind: "factory" } }
  | { kind: "edges"; context: Context; edges: Edge[] };

interface WalkState {
  root: string;
  rootIsDefault: boolean;
  mount: string;
  filters: string[];
  choices: { key: string; isDefault: boolean }[];
  pipeline: string | null;
  via: PasteStep[];
  stack: string[];
}

interface AppRecord {
  app: PasteApp;
  rank: number;
}

/** Resolve every application reachable from the roots of a paste file. */
export function resolvePaste(config: PasteConfig, hooks: PasteHooks = {}): PasteResolution {
  return new Resolver(config, hooks).run();
}

class Resolver {
  private readonly sink = new DiagnosticSink();
  private readonly reader: SectionReader;
  private readonly expansions = new Map<string, Expansion | null>();
  private readonly apps = new Map<string, AppRecord>();
  private readonly filters = new Map<string, PasteFilter>();
  private defaultRoot: string | null = null;

  constructor(
    private readonly main: PasteConfig,
    private readonly hooks: PasteHooks,
  ) {
    this.reader = new SectionReader(main, this.sink);
  }

  run(): PasteResolution {
    const appSections = this.main.sections.filter((s) => APP_KINDS.includes(s.kind));
    // First pass: expand every application section, noting which ones others reference.
    for (const section of appSections) this.expand({ config: this.main, section });
    const roots = appSections.filter((s) => !this.reader.referenced.has(sectionId(this.main, s)));
    const rootNames = roots.map((s) => s.name);
    this.defaultRoot = this.chooseDefaultRoot(appSections, rootNames);

    // Walk the default root first so its applications come first in the map.
    const dflt = appSections.find((s) => s.name === this.defaultRoot);
    const order = dflt ? [dflt, ...roots.filter((s) => s !== dflt)] : roots;
    for (const section of order) {
      this.walkSection({ config: this.main, section }, section.source, {
        root: section.name,
        rootIsDefault: this.defaultRoot === null || this.defaultRoot === section.name,
        mount: "",
        filters: [],
        choices: [],
        pipeline: null,
        via: [],
        stack: [],
      });
    }
    return {
      apps: [...this.apps.values()].map((r) => r.app),
      filters: [...this.filters.values()],
      roots: rootNames,
      defaultRoot: this.defaultRoot,
      globalConf: { ...this.main.globalConf },
      diagnostics: this.sink.items,
    };
  }

  /**
   * The root a deployment loads when told nothing: the first of `hooks.defaultRoots` present,
   * else `main` (PasteDeploy's default name), else the root named like the file
   * (`glance-api-paste.ini` → `glance-api`, which is how Glance builds its app name). Else
   * null: then every root counts as default, each being a service of its own (Nova's
   * `osapi_compute` and `metadata`).
   */
  private chooseDefaultRoot(appSections: PasteSection[], roots: string[]): string | null {
    for (const name of this.hooks.defaultRoots ?? []) {
      if (appSections.some((s) => s.name === name)) return name;
    }
    if (roots.includes("main")) return "main";
    const base = path.posix.basename(this.main.displayFile).replace(/[-_]paste\.ini$|\.ini$/, "");
    if (roots.includes(base)) return base;
    return null;
  }

  // ---- composites -----------------------------------------------------------------------

  private classify(factory: FactorySpec, section: PasteSection): CompositeKind | null {
    return this.hooks.classifyComposite?.(factory, section.name) ?? classifyBuiltin(factory);
  }

  /** What an application section leads to; cached, null when it cannot be read. */
  private expand(located: Located): Expansion | null {
    const id = sectionId(located.config, located.section);
    if (this.expansions.has(id)) return this.expansions.get(id) ?? null;
    this.expansions.set(id, null); // guards `use` loops while expanding
    const context = this.reader.context(located, "app", [id]);
    const expansion = context ? this.edgesOf(located, context) : null;
    this.expansions.set(id, expansion);
    for (const edge of expansion?.kind === "edges" ? expansion.edges : []) {
      if (SCHEME_RE.test(edge.target)) continue;
      for (const s of findSections(edge.config, APP_KINDS, edge.target)) {
        this.reader.referenced.add(sectionId(edge.config, s));
      }
    }
    return expansion;
  }

  private edgesOf(located: Located, context: Context): Expansion {
    const { section } = located;
    // Names in a borrowed (`use = config:…`) section are looked up in its own file.
    const home = context.located.config;
    const file = home.displayFile;
    const from = `[${context.located.section.header}]`;
    const refs = (names: string[], line: number): FilterRef[] =>
      names.map((name) => ({ name, config: home, line, from }));
    const plain = { path: null, choice: null, pipeline: null, from };

    if (context.kind === "pipeline") {
      const filters = context.names.slice(0, -1);
      const app = context.names[context.names.length - 1] ?? "";
      const edge: Edge = {
        ...plain,
        target: app,
        config: home,
        line: context.line,
        filters: refs(filters, context.line),
        pipeline: context.located.section.name,
        detail: `pipeline ${context.located.section.name}: ${arrow(filters, app)}`,
      };
      return { kind: "edges", context, edges: [edge] };
    }
    if (context.kind === "filter-app") {
      const me = context.located.section;
      const filterRef: FilterRef = { name: me.name, config: home, line: me.source.line, from };
      if (context.filter) {
        filterRef.known = { key: sectionId(home, me), filter: context.filter };
      }
      const edge: Edge = {
        ...plain,
        target: context.next,
        config: home,
        line: context.line,
        filters: [filterRef],
        detail: `filter-app ${me.name}: ${arrow([me.name], context.next)}`,
      };
      return { kind: "edges", context, edges: [edge] };
    }

    const kind = this.classify(context.factory, section);
    const at = { file, line: section.source.line };
    if (!kind || kind.kind === "app") {
      if (section.kind === "composite" || context.factory.kind === "composite") {
        if (!kind) {
          this.sink.add(
            "info",
            `[${section.header}] composite factory ${context.factory.spec} is not understood; listed as one application, its settings not followed`,
            at,
          );
        }
        // Settings naming sections still count as references, so that what the composite
        // routes to is not taken for a root of its own.
        for (const { value } of context.local.values()) {
          for (const s of findSections(home, APP_KINDS, value)) {
            this.reader.referenced.add(sectionId(home, s));
          }
        }
      }
      return { kind: "leaf", context: context };
    }

    const edges: Edge[] = [];
    if (kind.kind === "urlmap") {
      for (const [key, { value, line }] of context.local) {
        const where = { file, line };
        if (key === "not_found_app") {
          edges.push({
            ...plain,
            target: value,
            config: home,
            line,
            filters: [],
            detail: `${section.kind} ${section.name} urlmap not_found_app → ${value}`,
          });
          continue;
        }
        const mount = parsePathExpression(key);
        if (mount === null) {
          this.sink.warn(
            `[${section.header}] urlmap key "${key}" is not a URL path; ignored`,
            where,
          );
          continue;
        }
        edges.push({
          ...plain,
          target: value,
          config: home,
          line,
          filters: [],
          path: mount,
          detail: `${section.kind} ${section.name} urlmap ${key} → ${value}`,
        });
      }
    } else {
      if (!context.local.has(kind.default)) {
        this.sink.warn(
          `[${section.header}] has no "${kind.default}" pipeline, the one chosen by default`,
          at,
        );
      }
      for (const [key, { value, line }] of context.local) {
        const names = value.split(/\s+/).filter((n) => n !== "");
        const app = names[names.length - 1];
        if (app === undefined) {
          this.sink.add("error", `[${section.header}] pipeline "${key}" is empty`, { file, line });
          continue;
        }
        const filters = names.slice(0, -1);
        edges.push({
          ...plain,
          target: app,
          config: home,
          line,
          filters: refs(filters, line),
          choice: { key, isDefault: key === kind.default },
          detail: `${section.kind} ${section.name} pipeline ${key}: ${arrow(filters, app)}`,
        });
      }
    }
    return { kind: "edges", context, edges };
  }

  // ---- walking ------------------------------------------------------------------------

  private walkTarget(
    target: string,
    config: PasteConfig,
    from: string,
    at: SourceRef,
    st: WalkState,
  ): void {
    const scheme = SCHEME_RE.exec(target);
    if (scheme?.[1] === "egg" || scheme?.[1] === "call") {
      const factory = parseFactorySpec(scheme[1], scheme[2] ?? "");
      this.record(target, target, factory, new Map(), at, st);
      return;
    }
    if (scheme && scheme[1] !== "config") {
      this.sink.add("error", `${target}: unknown scheme "${scheme[1]}:"`, at);
      return;
    }
    const located = scheme
      ? this.reader.lookupConfig(config, scheme[2] ?? "", "app", at)
      : this.reader.lookup(config, "app", target, at, from);
    if (located) this.walkSection(located, at, st);
  }

  private walkSection(located: Located, at: SourceRef, st: WalkState): void {
    const id = sectionId(located.config, located.section);
    const stack = [...st.stack, id];
    if (st.stack.includes(id)) {
      const names = stack.slice(stack.indexOf(id)).map((s) => `[${s.split("\0")[1]}]`);
      this.sink.add("error", `cycle: ${names.join(" → ")}`, at);
      return;
    }
    const expansion = this.expand(located);
    if (!expansion) return;
    const { context } = expansion;
    for (const ref of context.wrap) this.noteFilter(ref);
    const state: WalkState = {
      ...st,
      stack,
      filters: [...st.filters, ...context.wrap.map((f) => f.name)],
      via: [
        ...st.via,
        ...context.wrap.map((f) => ({
          detail: `${located.section.kind} ${located.section.name} filter-with = ${f.name}`,
          file: f.config.displayFile,
          line: f.line,
        })),
        ...context.steps,
      ],
    };
    if (expansion.kind === "leaf") {
      const { factory, local } = expansion.context;
      this.record(
        sectionId(located.config, located.section),
        located.section.name,
        factory,
        local,
        located.section.source,
        state,
      );
      return;
    }
    for (const edge of expansion.edges) {
      for (const ref of edge.filters) this.noteFilter(ref);
      const file = edge.config.displayFile;
      this.walkTarget(
        edge.target,
        edge.config,
        edge.from,
        { file, line: edge.line },
        {
          ...state,
          mount: edge.path === null ? state.mount : joinMount(state.mount, edge.path),
          filters: [...state.filters, ...edge.filters.map((f) => f.name)],
          choices: edge.choice ? [...state.choices, edge.choice] : state.choices,
          pipeline: state.pipeline ?? edge.pipeline,
          via: [...state.via, { detail: edge.detail, file, line: edge.line }],
        },
      );
    }
  }

  private noteFilter(ref: FilterRef): void {
    if (ref.known) {
      if (!this.filters.has(ref.known.key)) this.filters.set(ref.known.key, ref.known.filter);
      return;
    }
    const at = { file: ref.config.displayFile, line: ref.line };
    const scheme = SCHEME_RE.exec(ref.name);
    if (scheme?.[1] === "egg" || scheme?.[1] === "call") {
      if (this.filters.has(ref.name)) return;
      const factory = parseFactorySpec(scheme[1], scheme[2] ?? "");
      this.filters.set(ref.name, { name: ref.name, factory, localConf: {}, source: at });
      return;
    }
    if (scheme && scheme[1] !== "config") {
      this.sink.add("error", `filter ${ref.name}: unknown scheme "${scheme[1]}:"`, at);
      return;
    }
    const located = scheme
      ? this.reader.lookupConfig(ref.config, scheme[2] ?? "", "filter", at)
      : this.reader.lookup(ref.config, "filter", ref.name, at, ref.from);
    if (!located) return;
    const key = sectionId(located.config, located.section);
    if (this.filters.has(key)) return;
    const context = this.reader.context(located, "filter", [key]);
    if (context?.kind !== "factory") return;
    if (context.wrap.length > 0) {
      this.sink.add("info", `[${located.section.header}] filter-with on a filter is not followed`, {
        file: located.config.displayFile,
        line: located.section.source.line,
      });
    }
    this.filters.set(key, {
      name: ref.name,
      factory: context.factory,
      localConf: plainConf(context.local),
      source: located.section.source,
    });
  }

  /** Note that an application is reached at a mount through one more chain. */
  private record(
    key: string,
    name: string,
    factory: FactorySpec,
    local: LocalConf,
    source: SourceRef,
    st: WalkState,
  ): void {
    const chain: PastePipeline = {
      name:
        st.choices.length > 0 ? st.choices.map((c) => c.key).join("/") : (st.pipeline ?? st.root),
      filters: st.filters,
      default: st.rootIsDefault && st.choices.every((c) => c.isDefault),
      root: st.root,
    };
    // Which chain describes the app: the default one, else one from the default root, else
    // the first found (roots are walked in file order after the default one).
    const rank = chain.default ? 0 : st.root === this.defaultRoot ? 1 : 2;
    const mount = st.mount === "" ? "/" : st.mount;
    const recordKey = `${key}\0${mount}`;
    const existing = this.apps.get(recordKey);
    if (!existing) {
      this.apps.set(recordKey, {
        rank,
        app: {
          name,
          mount,
          factory,
          pipeline: chain.filters,
          pipelines: [chain],
          localConf: plainConf(local),
          source,
          via: st.via,
        },
      });
      return;
    }
    const { app } = existing;
    let entry = app.pipelines.find((p) => samePipeline(p, chain));
    if (!entry) {
      entry = chain;
      app.pipelines.push(chain);
    }
    if (rank < existing.rank) {
      existing.rank = rank;
      app.pipeline = entry.filters;
      app.via = st.via;
      app.pipelines = [entry, ...app.pipelines.filter((p) => p !== entry)];
    }
  }
}

function samePipeline(a: PastePipeline, b: PastePipeline): boolean {
  return a.root === b.root && a.name === b.name && a.filters.join(" ") === b.filters.join(" ");
}

function arrow(filters: string[], app: string): string {
  return filters.length > 0 ? `${filters.join(" ")} → ${app}` : `→ ${app}`;
}
