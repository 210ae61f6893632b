import type { CodeRef, TraceStep } from "../model/map.js";
import type { ClassDecl, FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import { descendantsOf } from "../python/parse.js";
import { functionRef, qualname } from "../python/refs.js";
import type { Instance, Value } from "../python/values.js";
import { dispatchFallback } from "./controllers.js";
import {
  decoratorArgs,
  decoratorCalls,
  decoratorName,
  findDecorator,
  strOf,
} from "./decorators.js";

/** One function a routed request can run, with what its decorators say about it. */
export interface DispatchTarget {
  /** The request body's key for `POST …/action` routes; null otherwise. */
  action: string | null;
  handler: CodeRef;
  versions: { min: string | null; max: string | null } | null;
  status?: number;
  errors?: number[];
  policies?: string[];
  /** `@wsgi.extends` methods of controller extensions that run alongside the handler. */
  extensions?: CodeRef[];
  trace: TraceStep[];
  /** The handler's declaration and the class defining it, for callers that look inside. */
  fn: FunctionDecl;
  owner: ClassDecl;
}

/**
 * What OpenStack's `wsgi.Resource` runs for a route's `action`, as Nova (and Cinder, Manila)
 * implement it: a method of the controller; for `action == "action"` the method that
 * `@wsgi.action("<body key>")` marks on the controller or any registered action controller;
 * for microversioned methods (`@wsgi.Controller.api_version`), every definition of the name.
 */
export function dispatchTargets(
  ev: Evaluator,
  controller: { cls: ClassDecl; resource: ClassDecl | null },
  actionControllers: Instance[],
  routeAction: string,
  extensionControllers: Instance[] = [],
): { targets: DispatchTarget[]; note: string | null } {
  const found = findTargets(ev, controller, actionControllers, routeAction);
  const floor = controller.resource ? versionFloor(ev, controller.resource) : null;
  if (floor) {
    for (const t of found.targets) t.versions ??= { min: floor, max: null };
  }
  if (extensionControllers.length === 0) return found;
  const extended = wsgiExtensions(ev, extensionControllers);
  for (const t of found.targets) {
    // `@wsgi.extends` extends the method of its own name; `@wsgi.extends(action='x')` a body action.
    const key = t.action === null ? `method:${routeAction}` : `action:${t.action}`;
    const refs = extended.get(key);
    if (refs) t.extensions = refs;
  }
  return found;
}

function findTargets(
  ev: Evaluator,
  controller: { cls: ClassDecl; resource: ClassDecl | null },
  actionControllers: Instance[],
  routeAction: string,
): { targets: DispatchTarget[]; note: string | null } {
  const controllers = [controller.cls, ...actionControllers.map((c) => c.cls)];
  // Resource.register_actions: later controllers override earlier keys, like dict.update.
  const actions = new Map<string, { cls: ClassDecl; method: string; decorator: number }>();
  for (const cls of controllers) {
    for (const [key, found] of wsgiActions(ev, cls)) actions.set(key, { cls, ...found });
  }

  if (routeAction === "action" && !ev.findMethod(controller.cls, "action")) {
    const targets: DispatchTarget[] = [];
    for (const [key, { cls, method, decorator }] of [...actions].sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      const step: TraceStep = {
        step: "action",
        detail: `@wsgi.action('${key}') on ${qualname(cls)}.${method}`,
        ...where(ev, cls, decorator),
      };
      for (const t of variants(ev, cls, method))
        targets.push({ ...t, action: key, trace: [step, ...t.trace] });
    }
    return { targets, note: `dispatches on the request body's key to ${targets.length} actions` };
  }

  const own = variants(ev, controller.cls, routeAction);
  if (own.length > 0) return { targets: own, note: null };
  // `@wsgi.action('create')` can also stand in for a standard method (Resource._get_method).
  const overloaded = actions.get(routeAction);
  if (overloaded) return { targets: variants(ev, overloaded.cls, overloaded.method), note: null };
  const fallback = dispatchFallback(ev, controller.resource);
  if (fallback) {
    const targets = variants(ev, controller.cls, fallback);
    if (targets.length > 0) {
      const note = `${qualname(controller.cls)} has no method ${routeAction}; ${qualname(controller.resource as ClassDecl)}.dispatch falls back to ${fallback}`;
      return { targets, note };
    }
  }
  return { targets: [], note: null };
}

/** Resource.register_extensions: what each `@wsgi.extends` method of the extensions extends. */
function wsgiExtensions(ev: Evaluator, controllers: Instance[]): Map<string, CodeRef[]> {
  const out = new Map<string, CodeRef[]>();
  for (const c of controllers) {
    for (const ref of ev.mro(c.cls)) {
      if (ref.kind !== "class") continue;
      for (const [name, defs] of ref.decl.methods) {
        const fn = defs[defs.length - 1] as FunctionDecl;
        const d = findDecorator(fn, "extends");
        if (!d) continue;
        const action = strOf(decoratorArgs(ev, fn, d).keywords.get("action"));
        const key = action ? `action:${action}` : `method:${name}`;
        out.set(key, [...(out.get(key) ?? []), functionRef(ev, ref.decl, fn)]);
      }
    }
  }
  return out;
}

/** ControllerMetaclass: body keys → method names, from base classes first, then the class. */
// Per class: every route of a controller asks again.
const actionsCache = new WeakMap<ClassDecl, Map<string, { method: string; decorator: number }>>();

function wsgiActions(
  ev: Evaluator,
  cls: ClassDecl,
): Map<string, { method: string; decorator: number }> {
  const hit = actionsCache.get(cls);
  if (hit) return hit;
  const out = new Map<string, { method: string; decorator: number }>();
  actionsCache.set(cls, out);
  const mro = ev.mro(cls).filter((r) => r.kind === "class");
  for (const ref of [...mro].reverse()) {
    if (ref.kind !== "class") continue;
    for (const [name, defs] of ref.decl.methods) {
      for (const fn of defs) {
        const d = findDecorator(fn, "action");
        if (!d) continue;
        const key = strOf(decoratorArgs(ev, fn, d).positional[0]);
        if (key !== null) out.set(key, { method: name, decorator: d.line });
      }
    }
  }
  return out;
}

/** Every definition of `name` the controller can run: one per microversion range. */
function variants(ev: Evaluator, cls: ClassDecl, name: string): DispatchTarget[] {
  const found = ev.findMethod(cls, name);
  if (!found) return [];
  const defs = found.owner.methods.get(name) ?? [];
  const versioned = defs.filter((fn) => findDecorator(fn, "api_version"));
  const chosen = versioned.length > 0 ? versioned : [found.decl];
  return chosen.map((fn) => {
    const handler = functionRef(ev, found.owner, fn);
    return {
      action: null,
      handler,
      fn,
      owner: found.owner,
      ...described(ev, fn),
      trace: [
        {
          step: "handler",
          detail: `${qualname(found.owner)}.${name}`,
          file: handler.file,
          line: handler.line,
        },
      ],
    };
  });
}

type Facts = Pick<DispatchTarget, "versions" | "status" | "errors" | "policies">;
// The same handler serves many routes (with and without {project_id}, /v2 and /v2.1).
const factsCache = new WeakMap<FunctionDecl, Facts>();

/** What a handler's decorators and body say: versions, status, errors, policies. */
function described(ev: Evaluator, fn: FunctionDecl): Facts {
  const hit = factsCache.get(fn);
  if (hit) return hit;
  const out: Facts = { versions: versionsOf(ev, fn) };
  const status = statusOf(ev, fn);
  if (status !== null) out.status = status;
  const errors = errorsOf(ev, fn);
  if (errors.length > 0) out.errors = errors;
  const policies = policiesOf(ev, fn);
  if (policies.length > 0) out.policies = policies;
  factsCache.set(fn, out);
  return out;
}

function where(ev: Evaluator, cls: ClassDecl, line: number) {
  return { file: ev.program.module(cls.module)?.file.relPath ?? cls.module, line };
}

function versionsOf(ev: Evaluator, fn: FunctionDecl): DispatchTarget["versions"] {
  const d = findDecorator(fn, "api_version");
  if (!d) return null;
  const args = decoratorArgs(ev, fn, d);
  const min = strOf(args.positional[0] ?? args.keywords.get("min_ver"));
  const max = strOf(args.positional[1] ?? args.keywords.get("max_ver"));
  return { min, max };
}

const floorCache = new WeakMap<ClassDecl, string | null>();

/**
 * The lowest microversion a Resource serves, for handlers without `api_version`: a Resource
 * with `support_api_request_version = True` parses the version header of every request, and
 * one without the header gets the default, `_MIN_API_VERSION` of the api_version_request
 * module (Nova "2.1" since Kilo's ResourceV21, Cinder "3.0"). Null for a Resource without
 * microversions (Nova's legacy v2 before Pike, Juno's v3).
 */
function versionFloor(ev: Evaluator, resource: ClassDecl): string | null {
  const hit = floorCache.get(resource);
  if (hit !== undefined) return hit;
  let floor: string | null = null;
  const supports = ev.classAttr(resource, "support_api_request_version");
  if (supports?.kind === "bool" && supports.value) {
    for (const ref of ev.mro(resource)) {
      if (ref.kind !== "class" || floor) continue;
      const scope = ev.program.module(ref.decl.module)?.scope;
      for (const bindings of scope?.names.values() ?? []) {
        for (const b of bindings) {
          const module =
            b.kind === "from" ? `${b.module}.${b.name}` : b.kind === "import" ? b.module : "";
          if (!module.endsWith("api_version_request")) continue;
          const min = ev.resolveDotted(module, ["_MIN_API_VERSION"]);
          if (min.kind === "str") floor = min.value;
        }
      }
    }
  }
  floorCache.set(resource, floor);
  return floor;
}

function statusOf(ev: Evaluator, fn: FunctionDecl): number | null {
  const d = findDecorator(fn, "response");
  const v = d ? decoratorArgs(ev, fn, d).positional[0] : undefined;
  return v?.kind === "num" ? v.value : null;
}

function errorsOf(ev: Evaluator, fn: FunctionDecl): number[] {
  const d = decoratorCalls(fn).find((x) => decoratorName(x) === "expected_errors");
  const v = d ? decoratorArgs(ev, fn, d).positional[0] : undefined;
  const items: Value[] = v?.kind === "tuple" || v?.kind === "list" ? v.items : v ? [v] : [];
  return items.flatMap((x) => (x.kind === "num" ? [x.value] : []));
}

const POLICY_CALLS = new Set(["can", "authorize", "enforce"]);
/** A call whose callee text ends in one of those names, before the tree is asked. */
const POLICY_CALL_TEXT = /^[\w.]*\b(?:can|authorize|enforce)\s*\(/;

/**
 * Policy rules checked with a constant name: `context.can(name, …)` (Pike on) directly, or
 * through the project's helpers — Juno's `authorize(context, 'pause')` builds
 * `compute_extension:admin_actions:pause` in an `extension_authorizer` closure — by running
 * the helper call abstractly and recording the rule that reaches `enforce`.
 */
function policiesOf(ev: Evaluator, fn: FunctionDecl): string[] {
  const out = new Set<string>();
  const frame = ev.moduleFrame(fn.module);
  const ruleIn = (args: Value[]) => {
    for (const v of args) {
      if (v.kind === "str" && v.value.includes(":")) return v.value;
    }
    return null;
  };
  // descendantsOf walks the tree natively (and once), far cheaper than visiting nodes from JS.
  for (const node of descendantsOf(fn.body, "call")) {
    if (!POLICY_CALL_TEXT.test(node.text)) continue; // most calls: no need to ask the tree
    const callee = node.childForFieldName("function");
    const name =
      callee?.type === "attribute" ? callee.childForFieldName("attribute")?.text : callee?.text;
    if (!name || !POLICY_CALLS.has(name)) continue;
    const direct = (node.childForFieldName("arguments")?.namedChildren ?? [])
      .filter((a) => a.type !== "keyword_argument")
      .map((a) => ev.eval(a, frame));
    const rule = ruleIn(direct);
    if (rule) {
      out.add(rule);
      continue;
    }
    const saved = ev.hooks;
    ev.hooks = {
      ...saved,
      functionCall: (called, args, site) => {
        if (POLICY_CALLS.has(called.name)) {
          const found = ruleIn(args.positional);
          if (found) out.add(found);
        }
        return saved.functionCall?.(called, args, site);
      },
    };
    try {
      ev.eval(node, frame);
    } finally {
      ev.hooks = saved;
    }
  }
  return [...out];
}
