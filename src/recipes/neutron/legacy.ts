import type { TraceStep } from "../../model/map.js";
import { qualname } from "../../python/refs.js";
import type { Instance, Value } from "../../python/values.js";
import { iterableStrings, NONE } from "../../python/values.js";
import type { RouteEntry } from "../../routes/mapper.js";
import type { PyObject } from "../../wsgi/mapperObject.js";
import { captureMappers, type FactoryRun } from "../factory.js";
import type { AppContext, EndpointDraft } from "../types.js";
import { endpointsFor } from "../wsgi-router/index.js";
import type { NeutronExtension } from "./extensions.js";
import { methodRef, pluginMethodName, pluginOf } from "./naming.js";
import type { NeutronPlugin } from "./plugins.js";

/**
 * Juno–Ocata: the APIRouter maps the core RESOURCES with `mapper.collection`, and the
 * `extensions` filter (ExtensionMiddleware) maps every loaded extension's resources with
 * `mapper.resource`, both around neutron.api.v2.base.Controller. We run both constructors
 * abstractly — with NeutronManager and the extension manager answering from what this recipe
 * loaded — and read the plugin method off each generic controller, as the seed does by hand.
 */
export function legacyEndpoints(
  ctx: AppContext,
  plugins: NeutronPlugin[],
  extensions: NeutronExtension[],
): EndpointDraft[] {
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
    const router = captureMappers(ev, () => {
      const app = ev.call(
        ctx.factory,
        { positional: [{ kind: "dict", entries: new Map() }], keywords: new Map() },
        ctx.source,
      );
      if (app.kind === "instance") ev.initialise(app, ctx.source);
      return app;
    });
    const middleware = captureMappers(ev, () => {
      const factory = ev.resolveDotted("neutron.api.extensions", [
        "plugin_aware_extension_middleware_factory",
      ]);
      const filter = ev.call(
        factory,
        { positional: [{ kind: "dict", entries: new Map() }], keywords: new Map() },
        ctx.source,
      );
      const mw = ev.call(filter, { positional: [NONE], keywords: new Map() }, ctx.source);
      if (mw.kind === "instance") ev.initialise(mw, ctx.source);
      return mw;
    });
    // The extensions filter's own section: that is where paste puts ExtensionMiddleware in front.
    const filter = ctx.filters.find((f) =>
      f.factory.spec.endsWith(":plugin_aware_extension_middleware_factory"),
    );
    const step: TraceStep = {
      step: "filter",
      detail: `extensions filter${filter ? ` [filter:${filter.name}]` : ""}: ExtensionMiddleware routes extension resources`,
      ...(filter?.source ?? ctx.source),
    };
    return [...drafts(ctx, router, plugins, []), ...drafts(ctx, middleware, plugins, [step])];
  } finally {
    ev.hooks = saved;
  }
}

function drafts(
  ctx: AppContext,
  run: FactoryRun,
  plugins: NeutronPlugin[],
  prefix: TraceStep[],
): EndpointDraft[] {
  const out: EndpointDraft[] = [];
  for (const mapper of run.mappers) {
    for (const p of mapper.problems) ctx.diagnostics.warn(p.message, p.site);
    for (const route of mapper.routes) {
      for (const d of endpointsFor(ctx, run, route, (draft, controller) =>
        implementation(ctx, plugins, draft, controller.instance, route),
      )) {
        d.trace = [...prefix, ...d.trace];
        out.push(d);
      }
    }
  }
  return out;
}

/** For neutron.api.v2.base.Controller: the plugin method its `_plugin_handlers` name. */
function implementation(
  ctx: AppContext,
  plugins: NeutronPlugin[],
  draft: EndpointDraft,
  controller: Instance | null,
  route: RouteEntry<PyObject>,
): void {
  if (controller?.cls.name !== "Controller" || controller.cls.module !== "neutron.api.v2.base") {
    return;
  }
  const arg = (i: number, k: string) =>
    controller.args.positional[i] ?? controller.args.keywords.get(k) ?? NONE;
  const plugin = pluginOf(plugins, arg(0, "plugin"));
  const str = (v: Value) => (v.kind === "str" ? v.value : null);
  const collection = str(arg(1, "collection"));
  const resource = str(arg(2, "resource"));
  const parentValue = arg(6, "parent");
  const parent =
    parentValue.kind === "dict" ? str(parentValue.entries.get("member_name") ?? NONE) : null;
  const memberActions = arg(5, "member_actions");
  const action = route.action ?? "";
  const ops: Record<string, string> = {
    index: "list",
    show: "show",
    create: "create",
    update: "update",
    delete: "delete",
  };
  const isMemberAction = (iterableStrings(memberActions) ?? []).includes(action);
  const op = isMemberAction ? action : ops[action];
  if (!plugin || !collection || !resource || !op) return;
  // Member actions reach the plugin through base.Controller.__getattr__ → _handle_action.
  if (!draft.handler && isMemberAction) {
    draft.handler =
      methodRef(ctx.ev, controller.cls, "_handle_action") ??
      methodRef(ctx.ev, controller.cls, "__getattr__");
    if (draft.handler) {
      draft.trace.push({
        step: "handler",
        detail: `member action ${action} via base.Controller.__getattr__`,
        file: draft.handler.file,
        line: draft.handler.line,
      });
    }
  }
  const name = pluginMethodName(
    { collection, resource, parent, memberActions: new Set(isMemberAction ? [action] : []) },
    op,
  );
  const impl = methodRef(ctx.ev, plugin.cls, name);
  draft.implementation = impl;
  draft.plugin = { class: qualname(plugin.cls), type: plugin.type };
  if (impl && draft.handler) delete draft.missing;
  else draft.missing = true;
  draft.trace.push({
    step: "plugin",
    detail: `${plugin.type} plugin ${plugin.provider} → ${qualname(plugin.cls)}`,
    ...plugin.source,
  });
  draft.trace.push(
    impl
      ? {
          step: "implementation",
          detail: `${impl.qualname} (via ${qualname(plugin.cls)})`,
          file: impl.file,
          line: impl.line,
        }
      : {
          step: "implementation",
          detail: `the plugin has no ${name}: the API answers 501/404`,
          ...plugin.source,
        },
  );
}

/** A PluginAwareExtensionManager holding the extensions this recipe loaded (its __init__ lists folders). */
function extensionManager(
  ctx: AppContext,
  plugins: NeutronPlugin[],
  extensions: NeutronExtension[],
): Instance | null {
  const v = ctx.ev.resolveDotted("neutron.api.extensions", ["PluginAwareExtensionManager"]);
  if (v.kind !== "class") return null;
  const mgr = ctx.ev.construct(v.decl, { positional: [], keywords: new Map() }, ctx.source);
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
