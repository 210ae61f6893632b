import type { SourceRef } from "../../model/diagnostics.js";
import type { TraceStep } from "../../model/map.js";
import type { ClassDecl } from "../../python/binder.js";
import type { Value } from "../../python/values.js";
import type { RouteEntry } from "../../routes/mapper.js";
import { toTemplate } from "../../routes/path.js";
import {
  dispatchFallback,
  handlerFor,
  qualname,
  unwrapController,
} from "../../wsgi/controllers.js";
import { controllerValue, type PyObject } from "../../wsgi/mapperObject.js";
import { runFactory } from "../factory.js";
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
      for (const route of mapper.routes) drafts.push(...endpointsFor(ctx, route));
    }
    if (run.mappers.length === 0) {
      ctx.diagnostics.warn(
        `${ctx.factorySpec}: no routes.Mapper was built by the factory`,
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

function endpointsFor(ctx: AppContext, route: RouteEntry<PyObject>): EndpointDraft[] {
  const site = route.origin as SourceRef | undefined;
  // `.:(format)` / `{.format}` twins collapse onto one path; the run de-duplicates them.
  const { path } = toTemplate(route.routepath);
  const trace: TraceStep[] = [
    {
      step: "route",
      detail: routeDetail(route),
      file: site?.file ?? "",
      line: site?.line ?? 0,
    },
  ];
  if (route.redirect !== null) {
    return [
      {
        method: methodsOf(route)[0] ?? "*",
        path,
        action: null,
        handler: null,
        implementation: null,
        versions: null,
        redirect: route.redirect,
        routePath: route.routepath,
        trace: [
          ...trace,
          {
            step: "redirect",
            detail: `redirects to ${route.redirect}`,
            file: site?.file ?? "",
            line: site?.line ?? 0,
          },
        ],
      },
    ];
  }
  const target = controllerValue(route.controller);
  const controller =
    target === null || typeof target === "string" ? null : unwrapController(ctx.ev, target);
  let handler = null;
  if (controller?.cls) {
    trace.push(...controller.trace);
    const action = route.action ?? "__call__";
    handler = handlerFor(ctx.ev, controller.cls, action);
    const fallback = handler ? null : dispatchFallback(ctx.ev, controller.resource);
    if (fallback) {
      handler = handlerFor(ctx.ev, controller.cls, fallback);
      const note = `${qualname(controller.cls)} has no method ${action}; ${qualname(controller.resource as ClassDecl)}.dispatch falls back to ${fallback}`;
      ctx.diagnostics.add("info", `${note} (route ${route.routepath})`, site);
      trace.push({ step: "fallback", detail: note, file: site?.file ?? "", line: site?.line ?? 0 });
    }
    if (handler) {
      trace.push({
        step: "handler",
        detail: `${qualname(controller.cls)}.${fallback ?? action}`,
        file: handler.file,
        line: handler.line,
      });
    } else {
      ctx.diagnostics.warn(
        `${qualname(controller.cls)} has no method ${action} (route ${route.routepath})`,
        site,
      );
    }
  } else {
    const what =
      controller?.problem ?? `controller ${typeof target === "string" ? target : "missing"}`;
    ctx.diagnostics.warn(
      `cannot resolve the controller of route ${route.routepath}: ${what}`,
      site,
    );
  }
  const rejects =
    route.action === "reject" || (controller?.cls?.name ?? "").startsWith("RejectMethod");
  const allowed = route.defaults.allowed_methods;
  return methodsOf(route).map((method) => {
    const draft: EndpointDraft = {
      method,
      path,
      action: null,
      handler,
      implementation: null,
      versions: null,
      routePath: route.routepath,
      trace,
    };
    if (rejects) {
      draft.rejects = true;
      if (typeof allowed === "string")
        draft.allowedMethods = allowed.split(",").map((m) => m.trim());
    }
    return draft;
  });
}

function methodsOf(route: RouteEntry<PyObject>): string[] {
  return route.methods && route.methods.length > 0 ? route.methods : ["*"];
}

function routeDetail(route: RouteEntry<PyObject>): string {
  const methods = route.methods?.join(",") ?? "any method";
  const action = route.action ? ` action=${route.action}` : "";
  return `mapper route ${route.routepath} (${methods})${action}`;
}
