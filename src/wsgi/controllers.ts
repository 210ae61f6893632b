import type { TraceStep } from "../model/map.js";
import type { ClassDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import { qualname } from "../python/refs.js";
import { describe, type Instance, type Value } from "../python/values.js";

/** The controller object behind a route, once OpenStack's `wsgi.Resource` wrapper is removed. */
export interface ControllerInfo {
  instance: Instance | null;
  cls: ClassDecl | null;
  /** The wsgi.Resource class that wrapped it, if any: its dispatch rules apply. */
  resource: ClassDecl | null;
  /** The wsgi.Resource object itself, where controllers may have been registered. */
  resourceInstance: Instance | null;
  trace: TraceStep[];
  problem: string | null;
}

/**
 * Every OpenStack project wraps controllers in a `wsgi.Resource(controller, …)` that
 * dispatches the route's `action` to a method of the controller; see through it.
 */
export function unwrapController(ev: Evaluator, value: Value): ControllerInfo {
  const trace: TraceStep[] = [];
  let v = value;
  let resource: ClassDecl | null = null;
  let resourceInstance: Instance | null = null;
  for (let i = 0; i < 3 && v.kind === "instance" && isResource(ev, v.cls); i++) {
    resource = v.cls;
    resourceInstance = v;
    trace.push({
      step: "resource",
      detail: `${qualname(v.cls)} wraps the controller`,
      file: v.site.file,
      line: v.site.line,
    });
    const inner = storedController(ev, v);
    // Nova's Resource(None): with no controller, `_get_method` looks the action up on the
    // Resource subclass itself (nova.api.openstack.compute.versions.Versions).
    if (!inner || inner.kind === "none") {
      return { instance: v, cls: v.cls, resource, resourceInstance, trace, problem: null };
    }
    v = inner;
  }
  if (v.kind === "instance") {
    trace.push({
      step: "controller",
      detail: `${qualname(v.cls)}() created`,
      file: v.site.file,
      line: v.site.line,
    });
    return { instance: v, cls: v.cls, resource, resourceInstance, trace, problem: null };
  }
  const base = { instance: null, resource, resourceInstance, trace };
  if (v.kind === "class") return { ...base, cls: v.decl, problem: null };
  return { ...base, cls: null, problem: `controller is ${describe(v)}` };
}

/**
 * What `Resource.__init__(self, controller)` stored. For the Resource class itself that is its
 * first argument; a subclass with its own `__init__` (Juno's ExtensionsController passes None
 * up) is run to see what it really stores.
 */
function storedController(ev: Evaluator, resource: Instance): Value | undefined {
  const init = ev.findMethod(resource.cls, "__init__");
  if (init && init.owner.name !== "Resource") {
    ev.initialise(resource);
    const stored = resource.attrs.get("controller");
    if (stored) return stored;
  }
  return resource.args.positional[0] ?? resource.args.keywords.get("controller");
}

function isResource(ev: Evaluator, cls: ClassDecl): boolean {
  return cls.name === "Resource" || ev.inherits(cls, "Resource");
}

/**
 * Glance's `Resource.dispatch` calls `getattr(controller, action)` and, on AttributeError,
 * the controller's `default` method; a route naming a missing action lands there.
 */
export function dispatchFallback(ev: Evaluator, resource: ClassDecl | null): string | null {
  if (!resource) return null;
  const dispatch = ev.findMethod(resource, "dispatch");
  const body = dispatch?.decl.body?.text ?? "";
  return /AttributeError/.test(body) && /['"]default['"]/.test(body) ? "default" : null;
}
