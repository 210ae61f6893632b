import type { CodeRef, TraceStep } from "../../model/map.js";
import type { ClassDecl } from "../../python/binder.js";
import type { Evaluator } from "../../python/evaluator.js";
import { methodRef, qualname } from "../../python/refs.js";
import { type Instance, NONE, type Value } from "../../python/values.js";
import type { AppContext, EndpointDraft } from "../types.js";
import { applyPluginMethod, isGenericController } from "./controllers.js";
import { attr, extensionResources, type NeutronExtension } from "./extensions.js";
import { handlerCalls, operation, resolvePluginMethod } from "./implementation.js";
import { pluginMethodName, pluginOf } from "./naming.js";
import { type NeutronPlugin, strOf } from "./plugins.js";

/**
 * The pecan API (Newton on; the default from Pike): neutron.pecan_wsgi.startup.initialize_all
 * builds one CollectionsController per core resource and per extension resource whose
 * controller is the generic base.Controller, and a ShimCollectionsController around any other
 * controller; V2Controller serves the resource index and the extensions list.
 */
export function pecanEndpoints(
  ctx: AppContext,
  core: NeutronPlugin,
  plugins: NeutronPlugin[],
  extensions: NeutronExtension[],
  /** Whether pecan gets the request at all (a router in front may take it first). */
  reaches: (method: string, path: string) => boolean = () => true,
): EndpointDraft[] {
  const cols = collections(ctx, core, plugins, extensions);
  const tops = cols.filter((c) => !c.parent);
  const { spellings, prefixOptional } = lookupRules(ctx.ev);
  // V2Controller._lookup drops a known path prefix (`qos`) when one comes first, so a prefixed
  // collection answers with and without it; a sub-resource hangs off each of its parent's paths
  // (pecan finds it through the parent's ItemController: without a parent, it is not served).
  const bases = (c: Collection): string[] => {
    if (!c.parent) {
      // NeutronManager.get_controller_for_resource tries `_` as `-`, then `-` as `_`: either
      // spelling of a collection name reaches its controller.
      const names = [...new Set(spellings(c.collection))];
      return names.flatMap((n) =>
        c.prefix ? [`/${c.prefix}/${n}`, ...(prefixOptional ? [`/${n}`] : [])] : [`/${n}`],
      );
    }
    return tops
      .filter((t) => t.resource.replaceAll("-", "_") === c.parent)
      .flatMap((t) => bases(t).map((b) => `${b}/{${c.parent}_id}/${c.collection}`));
  };
  return [
    ...rootEndpoints(ctx).filter((d) => reaches(d.method, d.path)),
    ...cols.flatMap((c) => bases(c).flatMap((base) => endpoints(ctx, c, base, plugins, reaches))),
  ];
}

/**
 * How pecan finds a collection's controller from the URL, read off the release's code:
 * NeutronManager.get_controller_for_resource tries `_` as `-` and then `-` as `_` (Newton on;
 * Mitaka only the latter), and V2Controller._lookup drops a known path prefix (`qos`) when one
 * comes first (Newton on), so a prefixed collection also answers without it.
 */
function lookupRules(ev: Evaluator): {
  spellings: (name: string) => string[];
  prefixOptional: boolean;
} {
  const body = (module: string, cls: string, method: string) => {
    const c = ev.resolveDotted(module, [cls]);
    return c.kind === "class" ? (ev.findMethod(c.decl, method)?.decl.body?.text ?? "") : "";
  };
  const lookup = body("neutron.manager", "NeutronManager", "get_controller_for_resource");
  const toDash = /replace\(\s*['"]_['"]\s*,\s*['"]-['"]\s*\)/.test(lookup);
  const toUnderscore = /replace\(\s*['"]-['"]\s*,\s*['"]_['"]\s*\)/.test(lookup);
  return {
    spellings: (name) => [
      name,
      ...(toDash && name.includes("_") ? [name.replaceAll("_", "-")] : []),
      ...(toUnderscore && name.includes("-") ? [name.replaceAll("-", "_")] : []),
    ],
    prefixOptional: body("neutron.pecan_wsgi.controllers.root", "V2Controller", "_lookup").includes(
      "path_prefix",
    ),
  };
}

/** One collection the pecan API serves, as initialize_all registers it. */
interface Collection {
  key: string;
  collection: string;
  resource: string;
  parent: string | null;
  prefix: string;
  memberActions: Map<string, string>;
  /** `GET /<collection>/<action>` and the like: ResourceExtension.collection_actions. */
  collectionActions: Map<string, string>;
  /** Methods on the collection path itself (`PUT /networks/{id}/tags`): collection_methods. */
  collectionMethods: Map<string, string>;
  plugin: NeutronPlugin | null;
  /** A legacy controller served through ShimCollectionsController, when not a base.Controller. */
  shim: Instance | null;
  trace: TraceStep[];
}

/** initialize_all's core resources: startup.RESOURCES (Pike on), router.RESOURCES before. */
function coreResources(ev: Evaluator): Value {
  const own = ev.resolveDotted("neutron.pecan_wsgi.startup", ["RESOURCES"]);
  return own.kind === "dict" ? own : ev.resolveDotted("neutron.api.v2.router", ["RESOURCES"]);
}

function collections(
  ctx: AppContext,
  core: NeutronPlugin,
  plugins: NeutronPlugin[],
  extensions: NeutronExtension[],
): Collection[] {
  const { ev } = ctx;
  const out: Collection[] = [];
  const resources = coreResources(ev);
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
      collectionActions: new Map(),
      collectionMethods: new Map(),
      plugin: core,
      shim: null,
      trace: [
        {
          step: "collection",
          detail: `core resource ${resource} (${collection.value}) in RESOURCES`,
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
      const strings = (name: string) =>
        new Map(
          [...dictEntries(attr(ev, res, name))].flatMap(([k, v]) =>
            v.kind === "str" ? [[k, v.value] as [string, string]] : [],
          ),
        );
      const memberActions = strings("member_actions");
      const collectionActions = strings("collection_actions");
      const collectionMethods = strings("collection_methods");
      const trace: TraceStep[] = [
        { step: "extension", detail: `${qualname(ext.cls)} (alias ${ext.alias})`, ...ext.source },
        {
          step: "resource",
          detail: `ResourceExtension('${collection}')${parent ? ` under ${parent}` : ""}`,
          ...res.site,
        },
      ];
      if (controller.kind === "instance" && isGenericController(controller)) {
        out.push({
          key,
          collection,
          resource: strOf(arg(controller, 2, "resource")) ?? collection,
          parent,
          prefix: (strOf(attr(ev, res, "path_prefix")) ?? "").replace(/^\/+|\/+$/g, ""),
          memberActions,
          collectionActions,
          collectionMethods,
          plugin: pluginOf(plugins, arg(controller, 0, "plugin")),
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
          collectionActions,
          collectionMethods,
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

/** The routes pecan gives one collection at one of its paths. */
function endpoints(
  ctx: AppContext,
  c: Collection,
  base: string,
  plugins: NeutronPlugin[],
  reaches: (method: string, path: string) => boolean,
): EndpointDraft[] {
  const { ev } = ctx;
  // [HTTP method, path, controller operation, legacy controller method]
  const routes: [string, string, string, string][] = [
    ["GET", base, "list", [...c.collectionMethods].find(([, m]) => m === "GET")?.[0] ?? "index"],
    ["POST", base, "create", "create"],
    ["GET", `${base}/{id}`, "show", "show"],
    ["PUT", `${base}/{id}`, "update", "update"],
    ["DELETE", `${base}/{id}`, "delete", "delete"],
  ];
  for (const [action, method] of c.memberActions)
    routes.push([method, `${base}/{id}/${action}`, action, action]);
  for (const [action, method] of c.collectionActions)
    routes.push([method, `${base}/${action}`, action, action]);
  for (const [action, method] of c.collectionMethods)
    if (method !== "GET" && method !== "POST") routes.push([method, base, action, action]);
  const reached = routes.filter(([method, path]) => reaches(method, path));
  return reached.map(([method, path, op, legacyName]) => {
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
      const shimClass =
        path === base
          ? "ShimCollectionsController"
          : c.memberActions.has(op)
            ? "ShimMemberActionController"
            : "ShimItemController";
      shimEndpoint(ctx, draft, c.shim, shimClass, method, legacyName, plugins);
      return draft;
    }
    draft.handler = pecanHandler(ev, method, op, c.memberActions.has(op));
    if (draft.handler)
      draft.trace.push({
        step: "handler",
        detail: `pecan ${draft.handler.qualname}`,
        file: draft.handler.file,
        line: draft.handler.line,
      });
    if (!c.plugin) {
      draft.missing = true;
      return draft;
    }
    const prefetch =
      (method === "PUT" || method === "DELETE") && !c.memberActions.has(op)
        ? policyHookFetch(ctx, c, c.plugin)
        : null;
    if (prefetch) {
      draft.trace.push(prefetch.step);
      applyPluginMethod(ctx, draft, c.plugin, prefetch.call, "PolicyHook");
      return draft;
    }
    const name = pluginMethodName(c, op);
    applyPluginMethod(ctx, draft, c.plugin, resolvePluginMethod(ev, c.plugin.instance, name), op);
    return draft;
  });
}

/**
 * Pecan's PolicyHook runs before the handler of a PUT or DELETE on an item: `fetch_resource`
 * reads the item with the controller's `plugin_shower` (`get_<resource>`) to check the policy
 * on it. A plugin without that method fails the request there, before the handler runs.
 */
function policyHookFetch(
  ctx: AppContext,
  c: Collection,
  plugin: NeutronPlugin,
): { call: ReturnType<typeof resolvePluginMethod>; step: TraceStep } | null {
  const { ev } = ctx;
  const fetch = ev.resolveDotted("neutron.pecan_wsgi.hooks.policy_enforcement", ["fetch_resource"]);
  if (fetch.kind !== "function") return null;
  const call = resolvePluginMethod(ev, plugin.instance, pluginMethodName(c, "show"));
  if (call.ref) return null;
  return {
    call,
    step: {
      step: "hook",
      detail: `pecan PolicyHook: fetch_resource reads the item with ${call.name} before the handler`,
      file: ev.program.module(fetch.decl.module)?.file.relPath ?? fetch.decl.module,
      line: fetch.decl.line,
    },
  };
}

/**
 * A legacy controller behind pecan: ShimCollectionsController (the collection path),
 * ShimItemController (an item) or ShimMemberActionController is the handler pecan dispatches
 * to; it calls the legacy controller's method, whose plugin calls are found by running it.
 */
function shimEndpoint(
  ctx: AppContext,
  draft: EndpointDraft,
  legacy: Instance,
  shimClass: string,
  method: string,
  legacyName: string,
  plugins: NeutronPlugin[],
): void {
  const { ev } = ctx;
  const shim = ev.resolveDotted("neutron.pecan_wsgi.controllers.utils", [shimClass]);
  const name = shim.kind === "class" ? genericHandler(ev, shim.decl, "index", method) : null;
  draft.handler = shim.kind === "class" && name ? methodRef(ev, shim.decl, name) : null;
  const target = ev.findMethod(legacy.cls, legacyName);
  if (!draft.handler || !target) {
    draft.missing = true;
    return;
  }
  draft.trace.push({
    step: "handler",
    detail: `pecan ${draft.handler.qualname} → ${qualname(legacy.cls)}.${legacyName}`,
    file: draft.handler.file,
    line: draft.handler.line,
  });
  const instances = plugins.map((p) => p.instance);
  const calls = handlerCalls(
    ev,
    legacy,
    legacyName,
    () => ev.getAttr(legacy, legacyName),
    instances,
    legacy.site,
  );
  const op = operation(calls, instances);
  const plugin = op ? pluginOf(plugins, op.self) : null;
  if (op && plugin) applyPluginMethod(ctx, draft, plugin, op, legacyName);
}

/** The pecan controller class and its generic method for each operation. */
const PECAN_CONTROLLERS: Record<string, string> = {
  list: "CollectionsController",
  create: "CollectionsController",
  show: "ItemController",
  update: "ItemController",
  delete: "ItemController",
};

function pecanHandler(
  ev: Evaluator,
  method: string,
  op: string,
  memberAction: boolean,
): CodeRef | null {
  const name = memberAction ? "MemberActionController" : (PECAN_CONTROLLERS[op] ?? "");
  const v = ev.resolveDotted("neutron.pecan_wsgi.controllers.resource", [name]);
  if (v.kind !== "class") return null;
  const fn = genericHandler(ev, v.decl, "index", method);
  return fn ? methodRef(ev, v.decl, fn) : null;
}

/**
 * Pecan's generic controllers: `@expose(generic=True) def index` answers every HTTP method
 * that no `@index.when(method='PUT')` (Neutron: `@utils.when(index, method=…)`,
 * `@utils.when_delete(index)`) hands to another function.
 */
function genericHandler(
  ev: Evaluator,
  cls: ClassDecl,
  generic: string,
  method: string,
): string | null {
  for (const ref of ev.mro(cls)) {
    if (ref.kind !== "class") continue;
    for (const [name, defs] of ref.decl.methods) {
      for (const d of defs.at(-1)?.decorators ?? []) {
        const [on, verb] = whenOf(d.text);
        if (on === generic && verb === method) return name;
      }
    }
  }
  return ev.findMethod(cls, generic) ? generic : null;
}

/** `@utils.when(index, method='PUT')`, `@utils.when_delete(index)`, `@index.when(method='PUT')`. */
function whenOf(decorator: string): [string | undefined, string | undefined] {
  const helper =
    /^@\s*[\w.]*?\bwhen(?:_(\w+))?\(\s*(\w+)\s*(?:,\s*method\s*=\s*['"](\w+)['"])?\s*[,)]/.exec(
      decorator,
    );
  if (helper) return [helper[2], (helper[3] ?? helper[1])?.toUpperCase()];
  const native = /^@\s*(\w+)\.when\(\s*method\s*=\s*['"](\w+)['"]/.exec(decorator);
  return native ? [native[1], native[2]?.toUpperCase()] : [undefined, undefined];
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
