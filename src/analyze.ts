import { existsSync } from "node:fs";
import { dirname, join, relative, resolve as resolvePath } from "node:path";
import { DiagnosticSink } from "./model/diagnostics.js";
import {
  type ApiMap,
  type AppEntry,
  type Endpoint,
  SCHEMA,
  sortApps,
  sortEndpoints,
  type TraceStep,
} from "./model/map.js";
import { ConfigDefaults, readConfigFile } from "./oslo/configDefaults.js";
import { importutilsExternal, importutilsFunction } from "./oslo/importutils.js";
import { periodicTasksBase } from "./oslo/periodicTasks.js";
import { loadPasteConfig } from "./paste/config.js";
import { findPasteFiles } from "./paste/find.js";
import { resolvePaste } from "./paste/resolve.js";
import type { CompositeKind, FactorySpec, PasteApp, PasteFilter } from "./paste/types.js";
import { type DetectedProject, detectProject } from "./project/detect.js";
import { Evaluator } from "./python/evaluator.js";
import { Program } from "./python/program.js";
import { SubclassIndex } from "./python/subclasses.js";
import { unknown, type Value } from "./python/values.js";
import { RECIPES } from "./recipes/index.js";
import type { AppContext, EndpointDraft } from "./recipes/types.js";
import { joinMount } from "./routes/path.js";
import { CallChains } from "./rpc/chains.js";
import { rpcMap } from "./rpc/clients.js";
import { MessagingModel } from "./rpc/messaging.js";
import { loadedPlugins } from "./rpc/plugins.js";
import { rpcServers, withServers } from "./rpc/servers.js";
import { type PasteSections, serviceInventory } from "./services/inventory.js";
import { stevedoreBase, stevedoreCall } from "./stevedore/extensionManager.js";
import { classifyComposite } from "./wsgi/composites.js";
import { loadStandardExtensions } from "./wsgi/standardExtensions.js";

export interface AnalyzeOptions {
  project?: string;
  paste?: string;
  /** An oslo.config file (nova.conf, neutron.conf): its settings replace option defaults. */
  config?: string;
  /** Neutron: the core plugin (alias or class path), the service plugins, or every one there is. */
  corePlugin?: string;
  servicePlugins?: string[];
  allPlugins?: boolean;
}

/** A problem with the input itself: the CLI prints its message on one line and exits 2. */
export class InputError extends Error {}

/**
 * The whole data flow of DESIGN.md: roots → project → paste → apps → recipes → endpoints.
 * Throws InputError for input that cannot be mapped at all; everything else is a diagnostic.
 */
export function analyze(roots: string[], opts: AnalyzeOptions = {}): ApiMap {
  return analyzeWithStats(roots, opts).map;
}

/** How much work a run did, for the benchmark; not part of the map. */
export interface RunStats {
  modulesParsed: number;
  /** Milliseconds spent reading and parsing Python, and the characters parsed. */
  parseMs: number;
  parsedChars: number;
  /** The modules parsed, largest parse time first. */
  parsed: { module: string; bytes: number; ms: number }[];
  /** Milliseconds per phase of the analysis (parsing included where it happened). */
  phases: Record<string, number>;
}

export function analyzeWithStats(
  roots: string[],
  opts: AnalyzeOptions = {},
): { map: ApiMap; stats: RunStats } {
  const start = performance.now();
  const diagnostics = new DiagnosticSink();
  const project = detectProject(roots, opts.project ? { project: opts.project } : {});
  const program = new Program(
    [...project.pythonRoots, ...companionRoots(project, roots)],
    diagnostics,
  );

  const ev = new Evaluator(program);
  const entryPoints = (group: string) =>
    project.packages.flatMap((p) => p.entryPoints.get(group) ?? []);
  const config = new ConfigDefaults(
    ev,
    packageDirs(project),
    opts.config ? readSettings(opts.config) : undefined,
  );
  ev.subclasses = new SubclassIndex(packageDirs(project, true), (path) => program.sourceText(path));
  const stevedore = stevedoreCall(ev, entryPoints, diagnostics);
  const messaging = new MessagingModel();
  const periodicTasks = periodicTasksBase(ev);
  const stevedoreHost = stevedoreBase(stevedore);
  // Models of the libraries OpenStack loads code with; each returns undefined when it does not apply.
  ev.hooks = {
    externalCall: (name, args, site) =>
      stevedore(name, args, site) ??
      importutilsExternal(ev, name, args, site) ??
      messaging.externalCall(name, args, site) ??
      // pecan.make_app(Root()) serves the root controller's exposed methods.
      (name === "pecan.make_app" ? args.positional[0] : undefined),
    externalAttr: (name) => config.attribute(name),
    functionCall: (fn, args, site) =>
      importutilsFunction(ev, fn, args, site) ??
      messaging.functionCall(fn, args, site) ??
      loadStandardExtensions(ev, fn, args, site),
    hostFor: (base, args, site, self) =>
      stevedoreHost(base) ?? periodicTasks(base, args, site, self),
  };

  const pasteFiles = opts.paste
    ? [resolvePath(opts.paste)]
    : project.configRoots.flatMap((r) => findPasteFiles(r, project.name));
  if (pasteFiles.length === 0) {
    throw new InputError(
      `no api-paste file found for ${project.name} under ${roots.join(", ")} (looked in etc/${project.name}/, etc/, usr/share/${project.name}-common/; give one with --paste)`,
    );
  }

  const apps: AppEntry[] = [];
  const endpoints: Endpoint[] = [];
  const drafts: DraftCache = new Map();
  const pasteSections: PasteSections = new Map();
  const base = commonBase(roots);
  // Paste first: the services need its sections, and the endpoints the services' RPC map.
  const resolved: { displayFile: string; apps: PasteApp[]; filters: PasteFilter[] }[] = [];
  for (const file of pasteFiles) {
    const displayFile = relative(base, file) || file;
    const config = loadPasteConfig(file, { displayFile });
    const resolution = resolvePaste(config, {
      classifyComposite: (factory: FactorySpec): CompositeKind | undefined =>
        classifyComposite(ev, factory),
    });
    for (const d of resolution.diagnostics) diagnostics.add(d.level, d.message, d);
    for (const app of resolution.apps) {
      for (const p of app.pipelines) {
        pasteSections.set(p.root, [...new Set([...(pasteSections.get(p.root) ?? []), app.mount])]);
      }
    }
    resolved.push({ displayFile, apps: resolution.apps, filters: resolution.filters });
  }
  const phases: Record<string, number> = {};
  let clock = start;
  let parsedSoFar = 0;
  const parseTime = () => program.parseLog.reduce((sum, p) => sum + p.ms, 0);
  const lap = (phase: string) => {
    const now = performance.now();
    const parsing = parseTime();
    phases[phase] = (phases[phase] ?? 0) + now - clock;
    phases[`${phase} (parsing)`] = (phases[`${phase} (parsing)`] ?? 0) + parsing - parsedSoFar;
    clock = now;
    parsedSoFar = parsing;
  };
  lap("project and paste");
  const { services: launched, started } = serviceInventory(
    ev,
    project.name,
    entryPoints,
    pasteSections,
    diagnostics,
  );
  lap("services");
  const servers = rpcServers(
    ev,
    messaging,
    { services: launched, started },
    () =>
      loadedPlugins(ev, entryPoints, {
        ...(opts.corePlugin ? { corePlugin: opts.corePlugin } : {}),
        ...(opts.servicePlugins ? { servicePlugins: opts.servicePlugins } : {}),
        ...(opts.allPlugins ? { allPlugins: true } : {}),
        configured: opts.config !== undefined,
      }),
    diagnostics,
  );
  const services = withServers(ev, launched, servers);
  lap("rpc servers");
  const rpc = rpcMap(ev, messaging, services, servers, diagnostics);
  lap("rpc");
  const chains = new CallChains(ev, rpc);
  for (const { displayFile, apps: pasteApps, filters } of resolved) {
    for (const app of pasteApps) {
      const mapped = mapApp(
        app,
        displayFile,
        { ev, diagnostics, entryPoints, options: opts, chains, filters },
        drafts,
      );
      apps.push(mapped.entry);
      endpoints.push(...mapped.endpoints);
      lap(`app ${app.mount}`);
    }
  }

  // Said once the code asked for the library: Juno's Neutron predates neutron-lib.
  for (const lib of COMPANIONS[project.name] ?? []) {
    if (ev.externalPackages.has(lib.replaceAll("-", "_"))) {
      diagnostics.warn(
        `${lib} is not on the search path: give its checkout (or site-packages) as another root; what ${project.name} takes from it stays Unknown`,
      );
    }
  }
  const map: ApiMap = {
    schema: SCHEMA,
    project: {
      name: project.name,
      version: project.version,
      roots: roots.map((r) => relative(process.cwd(), resolvePath(r)) || "."),
      config: opts.config ?? null,
    },
    services,
    apps: sortApps(apps),
    endpoints: sortEndpoints(dedupe(endpoints)),
    rpc,
    diagnostics: diagnostics.items,
  };
  const log = program.parseLog;
  const stats: RunStats = {
    modulesParsed: program.parsedCount,
    parseMs: log.reduce((sum, p) => sum + p.ms, 0),
    parsedChars: log.reduce((sum, p) => sum + p.bytes, 0),
    parsed: [...log].sort((a, b) => b.ms - a.ms),
    phases,
  };
  return { map, stats };
}

/** Recipe results per paste app section: an app mounted twice (Nova's /v2 and /v2.1) is mapped once. */
type DraftCache = Map<string, EndpointDraft[]>;

function mapApp(
  app: PasteApp,
  paste: string,
  run: Pick<AppContext, "ev" | "diagnostics" | "entryPoints" | "options" | "chains" | "filters">,
  cache: DraftCache,
) {
  const { ev, diagnostics } = run;
  const spec = app.factory.spec;
  const factory = evaluateFactory(ev, app.factory);
  const pasteTrace: TraceStep[] = app.via.map((s) => ({ step: "paste", ...s }));
  pasteTrace.push({
    step: "paste",
    detail: `[app:${app.name}] ${app.factory.kind}_factory = ${spec}`,
    file: app.source.file,
    line: app.source.line,
  });
  const ctx: AppContext = {
    name: app.name,
    mount: app.mount,
    factorySpec: spec,
    factory,
    localConf: app.localConf,
    source: app.source,
    pasteTrace,
    ...run,
  };
  const recipe = RECIPES.find((r) => r.applies(ctx));
  const entry: AppEntry = {
    name: app.name,
    paste,
    mount: app.mount,
    pipeline: app.pipeline,
    pipelines: app.pipelines.map((p) => ({ name: p.name, filters: p.filters, default: p.default })),
    factory: spec,
    recipe: recipe?.name ?? null,
    source: app.source,
  };
  if (!recipe) {
    const why = factory.kind === "unknown" ? `: ${factory.reason}` : "";
    diagnostics.warn(
      `app ${app.name}: no recipe understands the factory ${spec}${why}; its endpoints are not mapped`,
      app.source,
    );
    return { entry, endpoints: [] };
  }
  const key = `${paste}\0${app.name}`;
  const drafts = cache.get(key) ?? recipe.map(ctx);
  cache.set(key, drafts);
  const start = ctx.startedBy ? [ctx.startedBy] : pasteTrace;
  if (ctx.startedBy) {
    entry.pipeline = [];
    entry.pipelines = [];
  }
  const endpoints = drafts.map(
    (d): Endpoint => ({
      app: app.name,
      paste,
      mount: app.mount,
      ...d,
      path: joinMount(app.mount, d.path),
      // A redirect target is relative to the mount, as the path is.
      ...(d.redirect !== undefined
        ? { redirect: (app.mount === "/" ? "" : app.mount) + d.redirect }
        : {}),
      trace: [
        ...start,
        {
          step: "recipe",
          detail: `${recipe.name}: ${recipe.title}`,
          file: app.source.file,
          line: app.source.line,
        },
        ...d.trace,
      ],
    }),
  );
  return { entry, endpoints };
}

function evaluateFactory(ev: Evaluator, factory: FactorySpec): Value {
  if (!factory.module) return unknown(`factory ${factory.spec} names no Python module`);
  if (!ev.program.index.find(factory.module) && !ev.program.index.isPackageDir(factory.module)) {
    return unknown(`module ${factory.module} is not on the search path`);
  }
  return ev.resolveDotted(factory.module, factory.attr ? factory.attr.split(".") : []);
}

function readSettings(file: string): Map<string, Map<string, string>> {
  try {
    return readConfigFile(file);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new InputError(`cannot read configuration ${file}: ${message.replace(/^ENOENT: /, "")}`);
  }
}

/** Libraries a project cannot be read without (Neutron moved its API definitions to neutron-lib). */
const COMPANIONS: Record<string, string[]> = { neutron: ["neutron-lib"] };

/** A companion library's checkout lying beside a root (`../neutron-lib`) joins the search path. */
function companionRoots(project: DetectedProject, roots: string[]): string[] {
  const out: string[] = [];
  for (const lib of COMPANIONS[project.name] ?? []) {
    const pkg = lib.replaceAll("-", "_");
    if (project.pythonRoots.some((r) => existsSync(join(r, pkg, "__init__.py")))) continue;
    for (const root of roots) {
      for (const name of [lib, pkg]) {
        const candidate = join(dirname(resolvePath(root)), name);
        if (existsSync(join(candidate, pkg, "__init__.py")) && !out.includes(candidate))
          out.push(candidate);
      }
    }
  }
  return out;
}

/**
 * The main distribution's own package folders, where its configuration options are declared;
 * with `all`, those of every distribution found (neutron-lib's models subclass its classes too).
 */
function packageDirs(project: DetectedProject, all = false): string[] {
  const dists = all ? project.packages : project.packages.slice(0, 1);
  const names = dists.flatMap((p) =>
    p.topLevel.length ? p.topLevel : [p.name.replaceAll("-", "_")],
  );
  if (names.length === 0) names.push(project.name.replaceAll("-", "_"));
  return project.pythonRoots
    .flatMap((root) => names.map((n) => join(root, n)))
    .filter((d) => existsSync(d));
}

/**
 * Format-suffix twins of a route (`/x` and `/x.:(format)`) map to the same endpoint: list it
 * once, citing the plain route when there is one (Routes creates the formatted twin first).
 */
function dedupe(endpoints: Endpoint[]): Endpoint[] {
  const index = new Map<string, number>();
  const out: Endpoint[] = [];
  for (const e of endpoints) {
    const key = [
      e.app,
      e.paste,
      e.mount,
      e.method,
      e.path,
      e.action,
      e.handler?.qualname,
      e.versions?.min,
      e.versions?.max,
    ].join("\0");
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push(e);
    } else if (/format/.test(out[at]?.routePath ?? "") && !/format/.test(e.routePath ?? "")) {
      out[at] = e;
    }
  }
  return out;
}

function commonBase(roots: string[]): string {
  const first = roots[0];
  return first ? resolvePath(first) : dirname(".");
}
