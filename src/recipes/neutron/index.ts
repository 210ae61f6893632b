import type { CodeRef, TraceStep } from "../../model/map.js";
import type { Evaluator } from "../../python/evaluator.js";
import { qualname } from "../../python/refs.js";
import { type Instance, NONE, type Value } from "../../python/values.js";
import type { AppContext, EndpointDraft, Recipe } from "../types.js";
import { attr, extensionResources, loadExtensions, type NeutronExtension } from "./extensions.js";
import { legacyEndpoints } from "./legacy.js";
import { methodRef, pluginMethodName, pluginOf } from "./naming.js";
import { loadPlugins, type NeutronPlugin, strOf } from "./plugins.js";

/**
 * Neutron's v2.0 API, the way the second seed traces it: plugins by entry point and
 * configuration, extensions from their folders kept when a plugin supports them, and a generic
 * controller per collection that turns `POST /v2.0/networks` into `<plugin>.create_network`.
 * This recipe covers the pecan era (Pike on; the default from Queens), where
 * neutron.pecan_wsgi.startup builds one controller per collection.
 */
const recipe: Recipe = {
  name: "neutron",
  title: "Neutron plugins, extensions and the generic collection controller",
  usedBy: ["neutron"],

  applies(ctx) {
    return ctx.factorySpec.startsWith("neutron.api.v2.router:");
  },

  map(ctx) {
    const { ev } = ctx;
    // Pike added the pecan API (the default from Queens); before, APIRouter + ExtensionMiddleware.
    const pecan = ev.program.index.find("neutron.pecan_wsgi.startup") !== null;
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
      const extensions = loadExtensions(ctx, plugins);
      if (!pecan) return legacyEndpoints(ctx, plugins, extensions);
      const cols = collections(ctx, core, plugins, extensions);
      // Sub-resources are reached through their parent's collection: /routers/{router_id}/…
      const byResource = new Map(
        cols.filter((c) => !c.parent).map((c) => [c.resource.replaceAll("-", "_"), c.collection]),
      );
      return [...rootEndpoints(ctx), ...cols.flatMap((c) => endpoints(ctx, c, byResource))];
    } finally {
      ev.hooks = saved;
    }
  },
};

export default recipe;

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

/** One collection the pecan API serves, as neutron.pecan_wsgi.startup.initialize_all registers it. */
interface Collection {
  key: string;
  collection: string;
  resource: string;
  parent: string | null;
  prefix: string;
  memberActions: Map<string, string>;
  plugin: NeutronPlugin | null;
  /** A legacy controller served through ShimCollectionsController, when not a base.Controller. */
  shim: Instance | null;
  trace: TraceStep[];
}

function collections(
  ctx: AppContext,
  core: NeutronPlugin,
  plugins: NeutronPlugin[],
  extensions: NeutronExtension[],
): Collection[] {
  const { ev } = ctx;
  const out: Collection[] = [];
  const resources = ev.resolveDotted("neutron.pecan_wsgi.startup", ["RESOURCES"]);
  const where = resources.kind === "dict" ? resources.site : undefined;
  for (const [resource, collection] of resources.kind === "dict" ? resources.entries : []) {
    if (collection.kind !== "str") continue;
    out.push({
      key: collection.value,
      collection: collection.value,
      resource,
      parent: null,
      prefix: "",
      memberActions: new Map(),
      plugin: core,
      shim: null,
      trace: [
        {
          step: "collection",
          detail: `core resource ${resource} (${collection.value}) in startup.RESOURCES`,
          ...(where ?? core.source),
        },
      ],
    });
  }
  for (const ext of extensions) {
    for (const res of extensionResources(ev, ext, "get_resources")) {
      const collection = strOf(attr(ev, res, "collection"));
      if (!collection || collection === "extensions") continue;
      const parentValue = attr(ev, res, "parent");
      const parent =
        parentValue.kind === "dict" ? strOf(parentValue.entries.get("member_name") ?? NONE) : null;
      const key = parent ? `${parent}/${collection}` : collection;
      if (out.some((c) => c.key === key)) continue; // already has a pecan controller
      const controller = attr(ev, res, "controller");
      const legacy =
        controller.kind === "instance" &&
        controller.cls.name === "Controller" &&
        controller.cls.module === "neutron.api.v2.base";
      const memberActions = new Map(
        [...dictEntries(attr(ev, res, "member_actions"))].flatMap(([k, v]) =>
          v.kind === "str" ? [[k, v.value] as [string, string]] : [],
        ),
      );
      const trace: TraceStep[] = [
        { step: "extension", detail: `${qualname(ext.cls)} (alias ${ext.alias})`, ...ext.source },
        {
          step: "resource",
          detail: `ResourceExtension('${collection}')${parent ? ` under ${parent}` : ""}`,
          ...res.site,
        },
      ];
      if (legacy && controller.kind === "instance") {
        const plugin = pluginOf(plugins, arg(controller, 0, "plugin"));
        const resource = strOf(arg(controller, 2, "resource")) ?? collection;
        const prefix = (strOf(attr(ev, res, "path_prefix")) ?? "").replace(/^\/+|\/+$/g, "");
        out.push({
          key,
          collection,
          resource,
          parent,
          prefix,
          memberActions,
          plugin,
          shim: null,
          trace,
        });
      } else if (controller.kind === "instance") {
        out.push({
          key,
          collection,
          resource: collection,
          parent,
          prefix: "",
          memberActions,
          plugin: null,
          shim: controller,
          trace,
        });
      } else {
        ctx.diagnostics.warn(
          `neutron: the controller of ${collection} (${ext.alias}) is not known statically`,
          res.site,
        );
      }
    }
  }
  return out;
}

function endpoints(
  ctx: AppContext,
  c: Collection,
  byResource: Map<string, string>,
): EndpointDraft[] {
  const { ev } = ctx;
  const base = basePath(c, byResource);
  const routes: [string, string, string, string][] = [
    ["GET", base, "list", "index"],
    ["POST", base, "create", "create"],
    ["GET", `${base}/{id}`, "show", "show"],
    ["PUT", `${base}/{id}`, "update", "update"],
    ["DELETE", `${base}/{id}`, "delete", "delete"],
  ];
  for (const [action, method] of c.memberActions)
    routes.push([method, `${base}/{id}/${action}`, action, action]);
  return routes.map(([method, path, op, legacyName]) => {
    const draft: EndpointDraft = {
      method,
      path,
      action: null,
      handler: null,
      implementation: null,
      versions: null,
      trace: [...c.trace],
    };
    if (c.shim) {
      const h = methodRef(ev, c.shim.cls, legacyName);
      draft.handler = h;
      if (!h) draft.missing = true;
      else
        draft.trace.push({
          step: "handler",
          detail: `ShimCollectionsController → ${h.qualname}`,
          file: h.file,
          line: h.line,
        });
      return draft;
    }
    draft.handler = pecanHandler(ev, method, op, c.memberActions.has(op));
    const name = pluginMethodName(c, op);
    const impl = c.plugin ? methodRef(ev, c.plugin.cls, name) : null;
    draft.implementation = impl;
    if (c.plugin) draft.plugin = { class: qualname(c.plugin.cls), type: c.plugin.type };
    if (!impl) draft.missing = true;
    if (draft.handler)
      draft.trace.push({
        step: "handler",
        detail: `pecan ${draft.handler.qualname}`,
        file: draft.handler.file,
        line: draft.handler.line,
      });
    if (c.plugin) {
      const p = c.plugin;
      draft.trace.push({
        step: "plugin",
        detail: `${p.type} plugin ${p.provider} → ${qualname(p.cls)}`,
        ...p.source,
      });
    }
    draft.trace.push(
      impl
        ? {
            step: "implementation",
            detail: `${impl.qualname} (via ${c.plugin ? qualname(c.plugin.cls) : "?"})`,
            file: impl.file,
            line: impl.line,
          }
        : {
            step: "implementation",
            detail: `the plugin has no ${name}: the API answers 501/404`,
            ...(c.plugin?.source ?? ctx.source),
          },
    );
    return draft;
  });
}

function basePath(c: Collection, byResource: Map<string, string>): string {
  if (c.parent)
    return `/${byResource.get(c.parent) ?? `${c.parent}s`}/{${c.parent}_id}/${c.collection}`;
  return `${c.prefix ? `/${c.prefix}` : ""}/${c.collection}`;
}

const PECAN_HANDLERS: Record<string, [string, string]> = {
  "GET list": ["CollectionsController", "get"],
  "POST create": ["CollectionsController", "post"],
  "GET show": ["ItemController", "get"],
  "PUT update": ["ItemController", "put"],
  "DELETE delete": ["ItemController", "delete"],
};

function pecanHandler(
  ev: Evaluator,
  method: string,
  op: string,
  memberAction: boolean,
): CodeRef | null {
  const [cls, name] = memberAction
    ? ["MemberActionController", method === "PUT" ? "put" : "index"]
    : (PECAN_HANDLERS[`${method} ${op}`] ?? ["CollectionsController", "index"]);
  const v = ev.resolveDotted("neutron.pecan_wsgi.controllers.resource", [cls]);
  return v.kind === "class" ? methodRef(ev, v.decl, name) : null;
}

function arg(inst: Instance, index: number, name: string): Value {
  return inst.args.positional[index] ?? inst.args.keywords.get(name) ?? NONE;
}

function dictEntries(v: Value): Map<string, Value> {
  return v.kind === "dict" ? v.entries : new Map();
}

/**
 * What the pecan root serves besides the collections: `GET /v2.0/` (V2Controller.index, the
 * resource index) and the extensions list and show (ExtensionsController / ExtensionController).
 */
function rootEndpoints(ctx: AppContext): EndpointDraft[] {
  const { ev } = ctx;
  const out: EndpointDraft[] = [];
  const at = (module: string, cls: string, method: string) => {
    const v = ev.resolveDotted(module, [cls]);
    return v.kind === "class" ? methodRef(ev, v.decl, method) : null;
  };
  const routes: [string, string, CodeRef | null][] = [
    ["GET", "/", at("neutron.pecan_wsgi.controllers.root", "V2Controller", "index")],
    [
      "GET",
      "/extensions",
      at("neutron.pecan_wsgi.controllers.extensions", "ExtensionsController", "index"),
    ],
    [
      "GET",
      "/extensions/{id}",
      at("neutron.pecan_wsgi.controllers.extensions", "ExtensionController", "index"),
    ],
  ];
  for (const [method, path, handler] of routes) {
    if (!handler) continue;
    out.push({
      method,
      path,
      action: null,
      handler,
      implementation: null,
      versions: null,
      trace: [
        {
          step: "handler",
          detail: `pecan root: ${handler.qualname}`,
          file: handler.file,
          line: handler.line,
        },
      ],
    });
  }
  return out;
}
