import type { CodeRef } from "../../model/map.js";
import type { Evaluator } from "../../python/evaluator.js";
import { fileOf, qualname } from "../../python/refs.js";
import { type Instance, iterableStrings, NONE, str, type Value } from "../../python/values.js";
import type { RouteEntry } from "../../routes/mapper.js";
import type { ControllerInfo } from "../../wsgi/controllers.js";
import type { PyObject } from "../../wsgi/mapperObject.js";
import type { AppContext, EndpointDraft } from "../types.js";
import {
  handlerCalls,
  operation,
  type PluginCall,
  pluginRpc,
  resolvePluginMethod,
} from "./implementation.js";
import { pluginMethodName, pluginOf } from "./naming.js";
import type { NeutronPlugin } from "./plugins.js";

const GENERIC_OPS: Record<string, string> = {
  index: "list",
  show: "show",
  create: "create",
  update: "update",
  delete: "delete",
};

/**
 * What a routes-dispatched controller runs behind its handler:
 * - neutron.api.v2.base.Controller, the generic controller of the seed: the plugin method its
 *   `_plugin_handlers` name (`create_network`), or for a member action the method of that name,
 *   reached through `__getattr__`'s `_handle_action` closure;
 * - any other controller (TaggingController, QuotaSetsController, the agent schedulers' …):
 *   the plugin or driver method its handler calls, found by running the handler.
 */
export function decorateRoute(
  ctx: AppContext,
  plugins: NeutronPlugin[],
  draft: EndpointDraft,
  controller: ControllerInfo,
  route: RouteEntry<PyObject>,
): void {
  const instance = controller.instance;
  if (!instance) return;
  if (isGenericController(instance)) {
    genericController(ctx, plugins, draft, instance, route.action ?? "");
    return;
  }
  if (!draft.handler) return;
  const action = route.action ?? "";
  const calls = handlerCalls(
    ctx.ev,
    instance,
    action,
    () => ctx.ev.getAttr(instance, action),
    pluginObjects(plugins),
    instance.site,
  );
  const op = operation(calls, pluginObjects(plugins));
  const plugin = op ? pluginOf(plugins, op.self) : null;
  if (op && plugin) applyPluginMethod(ctx, draft, plugin, op, route.action ?? "");
}

export function isGenericController(v: Instance): boolean {
  return v.cls.name === "Controller" && v.cls.module === "neutron.api.v2.base";
}

const pluginObjects = (plugins: NeutronPlugin[]) => plugins.map((p) => p.instance);

/**
 * The seed's generic controller: its handler runs on the request (base.Controller.update reads
 * the object with `get_<resource>` first, then calls `update_<resource>`); when that cannot be
 * followed, the plugin method its `_plugin_handlers` name is used.
 */
function genericController(
  ctx: AppContext,
  plugins: NeutronPlugin[],
  draft: EndpointDraft,
  controller: Instance,
  action: string,
): void {
  const { ev } = ctx;
  const arg = (i: number, k: string) =>
    controller.args.positional[i] ?? controller.args.keywords.get(k) ?? NONE;
  const plugin = pluginOf(plugins, arg(0, "plugin"));
  const text = (v: Value) => (v.kind === "str" ? v.value : null);
  const collection = text(arg(1, "collection"));
  const resource = text(arg(2, "resource"));
  const parentValue = arg(6, "parent");
  const parent =
    parentValue.kind === "dict" ? text(parentValue.entries.get("member_name") ?? NONE) : null;
  ev.initialise(controller);
  // `mapper.resource` may have added `edit` to the shared dict since the controller was made.
  const members = iterableStrings(
    controller.attrs.get("_member_actions") ?? arg(5, "member_actions"),
  );
  const isMemberAction = (members ?? []).includes(action);
  const op = isMemberAction ? action : GENERIC_OPS[action];
  if (!plugin || !collection || !resource || !op) return;
  let handler: Value | null = ev.findMethod(controller.cls, action)
    ? ev.getAttr(controller, action)
    : null;
  if (isMemberAction) {
    const closure = memberActionHandler(ev, controller, action);
    if (closure) {
      handler = closure.fn;
      draft.handler = closure.ref;
      delete draft.missing;
      draft.trace.push({
        step: "handler",
        detail: `member action ${action}: base.Controller.__getattr__ returns _handle_action`,
        file: closure.ref.file,
        line: closure.ref.line,
      });
    }
  }
  const calls = handler
    ? handlerCalls(
        ev,
        controller,
        action,
        () => handler as Value,
        pluginObjects(plugins),
        controller.site,
      )
    : [];
  const ran = operation(calls, pluginObjects(plugins));
  if (ran) {
    applyPluginMethod(ctx, draft, pluginOf(plugins, ran.self) ?? plugin, ran, action);
    return;
  }
  const name = pluginMethodName(
    { collection, resource, parent, memberActions: new Set(isMemberAction ? [action] : []) },
    op,
  );
  applyPluginMethod(ctx, draft, plugin, resolvePluginMethod(ev, plugin.instance, name), action);
}

/** The plugin method on an endpoint: implementation, plugin and the trace steps saying so. */
export function applyPluginMethod(
  ctx: AppContext,
  draft: EndpointDraft,
  plugin: NeutronPlugin,
  call: PluginCall,
  handlerName: string,
): void {
  draft.implementation = call.ref;
  draft.pluginMethod = call.name;
  draft.plugin = { class: qualname(plugin.cls), type: plugin.type };
  // What the plugin method sends to the agents: REST → plugin → RPC, as Nova's calls show.
  const hops = call.ref && call.fn ? pluginRpc(ctx.ev, ctx.chains, call.self, call.fn) : [];
  if (call.ref && hops.length > 0) draft.calls = [{ ...call.ref, rpc: hops }];
  if (call.ref && draft.handler) delete draft.missing;
  else draft.missing = true;
  draft.trace.push({
    step: "plugin",
    detail: `${plugin.type} plugin ${plugin.provider} → ${qualname(plugin.cls)}`,
    ...plugin.source,
  });
  if (call.via) draft.trace.push(call.via);
  draft.trace.push(
    call.ref
      ? {
          step: "implementation",
          detail: `${handlerName} calls ${call.name}: ${call.ref.qualname}`,
          file: call.ref.file,
          line: call.ref.line,
        }
      : {
          step: "implementation",
          detail: `${handlerName} asks ${qualname(call.self.cls)} for ${call.name}, which it does not have: the request fails there`,
          file: fileOf(ctx.ev, call.self.cls),
          line: call.self.cls.line,
        },
  );
}

/**
 * `base.Controller.__getattr__(action)` returns a `_handle_action` closure for member actions:
 * run it to find the closure's `def`, named as Python names it.
 */
function memberActionHandler(
  ev: Evaluator,
  controller: Instance,
  action: string,
): { fn: Value; ref: CodeRef } | null {
  const hook = ev.findMethod(controller.cls, "__getattr__");
  if (!hook) return null;
  ev.initialise(controller);
  const fn = ev.callFunction(hook.decl, controller, {
    positional: [str(action)],
    keywords: new Map(),
  });
  if (fn.kind !== "function" || !fn.closure) return null;
  return {
    fn,
    ref: {
      qualname: `${qualname(hook.owner)}.__getattr__.<locals>.${fn.decl.name}`,
      file: fileOf(ev, hook.owner),
      line: fn.decl.line,
    },
  };
}
