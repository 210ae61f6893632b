import { NONE, type Value } from "../../python/values.js";
import type { EndpointDraft, Recipe } from "../types.js";
import { loadExtensions } from "./extensions.js";
import { servingFramework } from "./framework.js";
import { pecanEndpoints } from "./pecan.js";
import { loadPlugins, type NeutronPlugin } from "./plugins.js";
import {
  apiRouter,
  extensionsFilter,
  type NeutronRouter,
  takenBy,
  withNeutronManager,
} from "./routers.js";

/**
 * Neutron's v2.0 API, the way the second seed traces it and neutron-server serves it: plugins by
 * entry point and configuration; extensions from their folders, kept when a plugin supports
 * them; the `extensions` filter's router first (every extension resource, on the generic
 * base.Controller or its own controller), then the app behind it — the routes-based APIRouter
 * or the pecan app, whichever the release and `web_framework` choose — for what is left.
 */
const recipe: Recipe = {
  name: "neutron",
  title: "Neutron plugins, extensions filter, and the APIRouter or pecan app behind it",
  usedBy: ["neutron"],

  applies(ctx) {
    return ctx.factorySpec.startsWith("neutron.api.v2.router:");
  },

  map(ctx) {
    const { ev } = ctx;
    const { plugins, configuration } = loadPlugins(ctx);
    ctx.diagnostics.add(
      "info",
      `neutron plugins (${configuration.from}): core ${configuration.core}; service ${configuration.service.join(", ") || "none"}`,
      ctx.source,
    );
    const core = plugins.find((p) => p.type === "CORE");
    if (!core) return [];
    const saved = ev.hooks;
    ev.hooks = {
      ...saved,
      functionCall: (fn, args, site) =>
        neutronFunction(plugins, fn.module, fn.name, args.positional) ??
        saved.functionCall?.(fn, args, site),
    };
    try {
      const { framework, trace } = servingFramework(ctx);
      ctx.diagnostics.add(
        "info",
        `neutron: /v2.0 is served by ${framework === "legacy" ? "the routes-based APIRouter" : framework === "pecan" ? "the pecan app behind the paste pipeline" : "pecan's own app (the paste pipeline is not used)"}`,
        trace[0] ?? ctx.source,
      );
      const extensions = loadExtensions(ctx, plugins);
      return withNeutronManager(ctx, plugins, extensions, () => {
        if (framework === "pecan-standalone") {
          ctx.startedBy = trace[0];
          return pecanEndpoints(ctx, core, plugins, extensions);
        }
        // The extensions filter sits in front of the app in every pipeline Neutron ships.
        const front = extensionsFilter(ctx, plugins);
        if (framework === "legacy")
          return [...(front?.drafts ?? []), ...behind(front, apiRouter(ctx, plugins).drafts)];
        // Pecan's endpoints are worked out only where the filter lets the request through.
        const reaches = (method: string, path: string) => !front || !takenBy(front, method, path);
        const app = withTrace(pecanEndpoints(ctx, core, plugins, extensions, reaches), trace);
        return [...(front?.drafts ?? []), ...app];
      });
    } finally {
      ev.hooks = saved;
    }
  },
};

export default recipe;

/** The app's endpoints the router in front does not take: first match wins. */
function behind(front: NeutronRouter | null, app: EndpointDraft[]): EndpointDraft[] {
  if (!front) return app;
  return app.filter((d) => !takenBy(front, d.method, d.path));
}

function withTrace(drafts: EndpointDraft[], steps: EndpointDraft["trace"]): EndpointDraft[] {
  for (const d of drafts) d.trace = [...steps, ...d.trace];
  return drafts;
}

/** Functions whose answer depends on the process state NeutronManager builds at start-up. */
function neutronFunction(
  plugins: NeutronPlugin[],
  module: string,
  name: string,
  args: Value[],
): Value | undefined {
  if (module === "neutron_lib.plugins.directory") {
    if (name === "get_plugin") {
      const alias = args[0]?.kind === "str" ? args[0].value : "CORE";
      return plugins.find((p) => p.type === alias)?.instance ?? NONE;
    }
    if (name === "get_plugins") {
      return { kind: "dict", entries: new Map(plugins.map((p) => [p.type, p.instance as Value])) };
    }
    if (name === "get_unique_plugins")
      return { kind: "list", items: plugins.map((p) => p.instance) };
  }
  // neutron.api.v2.resource.Resource wraps a controller in a WSGI function; keep the controller.
  if (module === "neutron.api.v2.resource" && name === "Resource") return args[0];
  return undefined;
}
