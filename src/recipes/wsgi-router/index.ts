import type { SourceRef } from "../../model/diagnostics.js";
import type { TraceStep } from "../../model/map.js";
import type { ClassDecl } from "../../python/binder.js";
import { qualname } from "../../python/refs.js";
import { describe, type Instance, type Value } from "../../python/values.js";
import type { RouteEntry } from "../../routes/mapper.js";
import { toTemplate } from "../../routes/path.js";
import { type ControllerInfo, unwrapController } from "../../wsgi/controllers.js";
import { dispatchTargets } from "../../wsgi/dispatch.js";
import { controllerValue, type PyObject, type RouteOrigin } from "../../wsgi/mapperObject.js";
import { type FactoryRun, runFactory } from "../factory.js";
import type { AppContext, EndpointDraft, Recipe } from "../types.js";

/**
 * A `wsgi.Router` subclass whose `__init__` builds a routes.Mapper with explicit
 * `mapper.connect` / `mapper.resource` calls: Glance's v1/v2 API and registry, Keystone
 * before Flask, Cinder's and Nova's older routers all start here.
 */
const recipe: Recipe = {
  name: "wsgi-router",
  title: "routes.Mapper built by a wsgi.Router subclass",
  usedBy: ["glance", "glance-registry"],

  applies(ctx) {
    const cls = factoryClass(ctx.factory);
    return cls !== null && ctx.ev.inherits(cls, "Router");
  },

  map(ctx) {
    const run = runFactory(ctx);
    const drafts: EndpointDraft[] = [];
    for (const mapper of run.mappers) {
      for (const p of mapper.problems) ctx.diagnostics.warn(p.message, p.site);
      for (const route of mapper.routes) drafts.push(...endpointsFor(ctx, run, route));
    }
    reportMissing(ctx, run.missing);
    if (run.mappers.length === 0) {
      ctx.diagnostics.warn(
        `${ctx.factorySpec}: the factory built no routes.Mapper (a configuration default may disable this API: see the info diagnostics; --config changes settings)`,
        ctx.source,
      );
    }
    return drafts;
  },
};

export default recipe;

function factoryClass(v: Value) {
  if (v.kind === "class") return v.decl;
  if (v.kind === "function" && v.self?.kind === "class") return v.self.decl;
  return null;
}

/** Adds what a recipe knows beyond the handler (Neutron: the plugin method behind it). */
export type DraftDecorator = (
  draft: EndpointDraft,
  controller: ControllerInfo,
  route: RouteEntry<PyObject>,
) => void;

/**
 * What a controller runs for an action, once per Resource object: Nova routes each controller
 * with and without `{project_id}`, and mounts the router twice.
 */
const targetCache = new WeakMap<object, Map<string, ReturnType<typeof dispatchTargets>>>();

function targetsOf(
  ctx: AppContext,
  run: FactoryRun,
  controller: ControllerInfo,
  cls: ClassDecl,
  action: string,
  actionControllers: Instance[],
): ReturnType<typeof dispatchTargets> {
  const key = controller.resourceInstance ?? controller.instance;
  const cached = key ? targetCache.get(key)?.get(action) : undefined;
  if (cached) return cached;
  const found = dispatchTargets(
    ctx.ev,
    { cls, resource: controller.resource },
    actionControllers,
    action,
    run.registrations.extensionControllers(controller.resourceInstance),
  );
  if (key) {
    const byAction = targetCache.get(key) ?? new Map();
    byAction.set(action, found);
    targetCache.set(key, byAction);
  }
  return found;
}

export function endpointsFor(
  ctx: AppContext,
  run: FactoryRun,
  route: RouteEntry<PyObject>,
  decorate?: DraftDecorator,
): EndpointDraft[] {
  const origin = route.origin as RouteOrigin | undefined;
  const site = origin ? declaredAt(ctx, origin) : undefined;
  // `.:(format)` / `{.format}` twins collapse onto one path; the run de-duplicates them.
  const { path } = toTemplate(route.routepath);
  // The route is declared where its ROUTE_LIST-style entry is written, else at the mapper call.
  const loops = loopSteps(origin);
  const trace: TraceStep[] = [
    ...loops,
    {
      step: loops.length > 0 ? "mapper" : "route",
      detail: routeDetail(route),
      file: site?.file ?? "",
      line: site?.line ?? 0,
    },
  ];
  const base = {
    path,
    action: null,
    implementation: null,
    versions: null,
    routePath: route.routepath,
  };
  if (route.redirect !== null) {
    const step = {
      step: "redirect",
      detail: `redirects to ${route.redirect}`,
      file: site?.file ?? "",
      line: site?.line ?? 0,
    };
    return [
      {
        ...base,
        method: methodsOf(route)[0] ?? "*",
        handler: null,
        redirect: route.redirect,
        trace: [...trace, step],
      },
    ];
  }
  const target = controllerValue(route.controller);
  const controller =
    target === null || typeof target === "string" ? null : unwrapController(ctx.ev, target);
  if (!controller?.cls) {
    const what =
      controller?.problem ?? `controller ${typeof target === "string" ? target : "missing"}`;
    ctx.diagnostics.warn(
      `cannot resolve the controller of route ${route.routepath}: ${what}`,
      site,
    );
    return methodsOf(route).map((method) => ({ ...base, method, handler: null, trace }));
  }
  trace.push(...controller.trace);
  const action = route.action ?? "__call__";
  const actionControllers = run.registrations.actionControllers(controller.resourceInstance);
  const { targets, note } = targetsOf(
    ctx,
    run,
    controller,
    controller.cls,
    action,
    actionControllers,
  );
  if (note) {
    // Body dispatch is how the API works; a fallback to `default` is worth a note.
    if (action !== "action")
      ctx.diagnostics.add("info", `${note} (route ${route.routepath})`, site);
    trace.push({ step: "dispatch", detail: note, file: site?.file ?? "", line: site?.line ?? 0 });
  }
  if (targets.length === 0) {
    // mapper.resource() generates every standard action; a controller without one answers 404.
    // Those are summarised per controller; a route written out by hand is a warning.
    if (route.memberName !== null) run.missing.add(`${qualname(controller.cls)}\0${action}`);
    else
      ctx.diagnostics.warn(
        `${qualname(controller.cls)} has no method ${action} (route ${route.routepath})`,
        site,
      );
  }
  const rejects = route.action === "reject" || controller.cls.name.startsWith("RejectMethod");
  const allowed = route.defaults.allowed_methods;
  const drafts: EndpointDraft[] = [];
  for (const method of methodsOf(route)) {
    // The generic `POST …/action` route is listed too; each body action follows it.
    if (action === "action") drafts.push({ ...base, method, handler: null, trace });
    if (targets.length === 0) {
      const draft: EndpointDraft = {
        ...base,
        method,
        handler: null,
        missing: true,
        trace: [...trace],
      };
      decorate?.(draft, controller, route);
      drafts.push(draft);
    }
    for (const t of targets) {
      const draft: EndpointDraft = {
        ...base,
        method,
        action: t.action,
        handler: t.handler,
        versions: t.versions,
        trace: [...trace, ...t.trace],
      };
      if (t.status !== undefined) draft.status = t.status;
      if (t.errors) draft.errors = t.errors;
      if (t.policies) draft.policies = t.policies;
      if (t.extensions) draft.extensions = t.extensions;
      // The object running the handler: the controller or the action controller defining it.
      const self = [controller.instance, ...actionControllers].find(
        (c) => c && ctx.ev.mro(c.cls).some((r) => r.kind === "class" && r.decl === t.owner),
      );
      const calls = self ? ctx.chains.callsOf(self, t.fn) : [];
      if (calls.length > 0) draft.calls = calls;
      if (rejects) {
        draft.rejects = true;
        if (typeof allowed === "string")
          draft.allowedMethods = allowed.split(",").map((m) => m.trim());
      }
      decorate?.(draft, controller, route);
      drafts.push(draft);
    }
  }
  return drafts;
}

function reportMissing(ctx: AppContext, missing: Set<string>): void {
  const byController = new Map<string, string[]>();
  for (const key of missing) {
    const [cls, action] = key.split("\0") as [string, string];
    byController.set(cls, [...(byController.get(cls) ?? []), action]);
  }
  for (const [cls, actions] of byController) {
    ctx.diagnostics.add(
      "info",
      `${cls} has no ${actions.sort().join(", ")}: the routes mapper.resource() generates for them answer 404 (listed with missing: true)`,
      ctx.source,
    );
  }
}

/**
 * Where the route was asked for: the mapper call, or — when that call is inside a method of a
 * routes.Mapper subclass (Nova's ProjectMapper.resource) — the call of that method.
 */
function declaredAt(ctx: AppContext, origin: RouteOrigin): SourceRef {
  let site = origin.call;
  for (let i = origin.stack.length - 1; i >= 0; i--) {
    const frame = origin.stack[i];
    const owner = frame?.fn.owner;
    if (!frame?.from || !owner || !ctx.ev.inherits(owner, "Mapper")) break;
    site = frame.from;
  }
  return site;
}

/** The loop entries a route was built in, e.g. its ROUTE_LIST line; only literals carry a line. */
function loopSteps(origin: RouteOrigin | undefined): TraceStep[] {
  const steps: TraceStep[] = [];
  for (const it of origin?.iterations ?? []) {
    const item = it.item;
    if ((item.kind === "tuple" || item.kind === "list") && item.site) {
      const head = item.items[0];
      const label = head?.kind === "str" ? `'${head.value}'` : describe(item);
      steps.push({ step: "route", detail: `${it.iterable} entry (${label}, …)`, ...item.site });
    } else if (item.kind === "instance") {
      // e.g. a ResourceExtension an extension's get_resources() returned.
      const head = item.args.positional[0];
      const label = head?.kind === "str" ? `'${head.value}', …` : "…";
      steps.push({
        step: "route",
        detail: `${qualname(item.cls)}(${label}) from ${it.iterable}`,
        ...item.site,
      });
    } else if (item.kind === "host" && item.host.provenance) {
      steps.push({ step: "plugin", ...item.host.provenance });
    }
  }
  return steps;
}

function methodsOf(route: RouteEntry<PyObject>): string[] {
  return route.methods && route.methods.length > 0 ? route.methods : ["*"];
}

function routeDetail(route: RouteEntry<PyObject>): string {
  const methods = route.methods?.join(",") ?? "any method";
  const action = route.action ? ` action=${route.action}` : "";
  return `mapper route ${route.routepath} (${methods})${action}`;
}
