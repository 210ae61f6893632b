import type { TraceStep } from "../../model/map.js";
import type { Instance, Value } from "../../python/values.js";
import { NONE, noArgs } from "../../python/values.js";
import { RouteMatcher } from "../../routes/match.js";
import { toTemplate } from "../../routes/path.js";
import type { PyObject } from "../../wsgi/mapperObject.js";
import { captureMappers, type FactoryRun } from "../factory.js";
import type { AppContext, EndpointDraft } from "../types.js";
import { endpointsFor } from "../wsgi-router/index.js";
import { decorateRoute } from "./controllers.js";
import type { NeutronExtension } from "./extensions.js";
import type { NeutronPlugin } from "./plugins.js";

/**
 * neutron-server's two routes.Mapper routers, run abstractly with NeutronManager and the
 * extension manager answering from what the recipe loaded:
 * - the `extensions` filter (ExtensionMiddleware, every release): every loaded extension's
 *   resources with `mapper.resource`, their collection actions and methods, action and
 *   request extensions. Its mapper is tried first; what it does not match goes on to the app.
 * - Juno–Ocata's APIRouter (the app): the core RESOURCES with `mapper.collection`.
 * Both wrap neutron.api.v2.base.Controller, whose plugin method the seed reads off by hand.
 */
export interface NeutronRouter {
  drafts: EndpointDraft[];
  /** Which requests the router takes (first match wins), for what lies behind it. */
  matcher: RouteMatcher<PyObject>;
}

export function withNeutronManager<T>(
  ctx: AppContext,
  plugins: NeutronPlugin[],
  extensions: NeutronExtension[],
  run: () => T,
): T {
  const { ev } = ctx;
  const extMgr = extensionManager(ctx, plugins, extensions);
  const saved = ev.hooks;
  ev.hooks = {
    ...saved,
    functionCall: (fn, args, site) => {
      if (fn.owner?.name === "NeutronManager") {
        if (fn.name === "get_plugin")
          return plugins.find((p) => p.type === "CORE")?.instance ?? NONE;
        if (fn.name === "get_service_plugins") {
          return {
            kind: "dict",
            entries: new Map(plugins.map((p) => [p.type, p.instance as Value])),
          };
        }
      }
      if (fn.owner?.name === "PluginAwareExtensionManager" && fn.name === "get_instance" && extMgr)
        return extMgr;
      return saved.functionCall?.(fn, args, site);
    },
  };
  try {
    return run();
  } finally {
    ev.hooks = saved;
  }
}

/** The legacy APIRouter the paste app factory builds (Juno–Ocata; Pike with web_framework=legacy). */
export function apiRouter(ctx: AppContext, plugins: NeutronPlugin[]): NeutronRouter {
  const { ev } = ctx;
  const run = captureMappers(ev, () => {
    const app = ev.call(
      ctx.factory,
      { positional: [{ kind: "dict", entries: new Map() }], keywords: new Map() },
      ctx.source,
    );
    if (app.kind === "instance") ev.initialise(app, ctx.source);
    return app;
  });
  return router(ctx, run, plugins, []);
}

/**
 * The `extensions` filter of the app's pipeline (plugin_aware_extension_middleware_factory), or
 * null when the pipeline has none (an operator's own paste file may leave it out).
 */
export function extensionsFilter(ctx: AppContext, plugins: NeutronPlugin[]): NeutronRouter | null {
  const filter = ctx.filters.find((f) =>
    f.factory.spec.endsWith(":plugin_aware_extension_middleware_factory"),
  );
  if (!filter) return null;
  const { ev } = ctx;
  const run = captureMappers(ev, () => {
    const factory = ev.resolveDotted("neutron.api.extensions", [
      "plugin_aware_extension_middleware_factory",
    ]);
    const make = ev.call(
      factory,
      { positional: [{ kind: "dict", entries: new Map() }], keywords: new Map() },
      ctx.source,
    );
    const mw = ev.call(make, { positional: [NONE], keywords: new Map() }, ctx.source);
    if (mw.kind === "instance") ev.initialise(mw, ctx.source);
    return mw;
  });
  const step: TraceStep = {
    step: "filter",
    detail: `[filter:${filter.name}] ExtensionMiddleware: its own routes.Mapper is tried before the app`,
    ...filter.source,
  };
  const r = router(ctx, run, plugins, [step]);
  for (const d of r.drafts) d.servedBy = filter.name;
  return r;
}

function router(
  ctx: AppContext,
  run: FactoryRun,
  plugins: NeutronPlugin[],
  prefix: TraceStep[],
): NeutronRouter {
  const drafts: EndpointDraft[] = [];
  const routes = run.mappers.flatMap((m) => m.routes);
  const matcher = new RouteMatcher(routes);
  for (const mapper of run.mappers) {
    for (const p of mapper.problems) ctx.diagnostics.warn(p.message, p.site);
    for (const route of mapper.routes) {
      for (const d of endpointsFor(ctx, run, route, (draft, controller) =>
        decorateRoute(ctx, plugins, draft, controller, route),
      )) {
        // First match wins inside the mapper too: a later `quotas` resource does not answer
        // what the first one took (its `.:(format)` twin collapses onto the same path).
        if (matcher.match(d.method === "*" ? "GET" : d.method, sampleUrl(d.path))?.route !== route)
          continue;
        d.trace = [...prefix, ...d.trace];
        drafts.push(d);
      }
    }
  }
  return { drafts, matcher };
}

/** A value no route requirement in Neutron rejects: a UUID, like the ids clients send. */
const SAMPLE = "5a3f8e2c-9b1d-4c6e-8f70-1a2b3c4d5e6f";

/**
 * Whether a router in front takes a request the app behind it declares: the app's path
 * template is filled with sample values and matched as Routes would.
 */
export function takenBy(front: NeutronRouter, method: string, path: string): boolean {
  return front.matcher.match(method === "*" ? "GET" : method, sampleUrl(path)) !== null;
}

function sampleUrl(path: string): string {
  return toTemplate(path).path.replace(/\{[^}]+\}/g, SAMPLE);
}

/** A PluginAwareExtensionManager holding the extensions this recipe loaded (its __init__ lists folders). */
function extensionManager(
  ctx: AppContext,
  plugins: NeutronPlugin[],
  extensions: NeutronExtension[],
): Instance | null {
  const v = ctx.ev.resolveDotted("neutron.api.extensions", ["PluginAwareExtensionManager"]);
  if (v.kind !== "class") return null;
  const mgr = ctx.ev.construct(v.decl, noArgs(), ctx.source);
  mgr.initialised = true;
  mgr.attrs.set("extensions", {
    kind: "dict",
    entries: new Map(extensions.map((e) => [e.alias, e.instance as Value])),
  });
  mgr.attrs.set("plugins", {
    kind: "dict",
    entries: new Map(plugins.map((p) => [p.type, p.instance as Value])),
  });
  mgr.attrs.set("path", NONE);
  return mgr;
}
