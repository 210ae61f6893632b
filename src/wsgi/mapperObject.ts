import type { SourceRef } from "../model/diagnostics.js";
import type { FunctionDecl } from "../python/binder.js";
import {
  type CallArgs,
  describe,
  type HostObject,
  type Iteration,
  NONE,
  str,
  toPlain,
  unknown,
  type Value,
} from "../python/values.js";
import { callMethod, Mapper, type RouteEntry } from "../routes/mapper.js";
import type { PyKwargs } from "../routes/pyargs.js";

/** Names under which OpenStack code reaches the Routes library's Mapper class. */
export const ROUTES_MAPPER_NAMES = new Set(["routes.Mapper", "routes.mapper.Mapper"]);

/** Where a route came from: the mapper call, and the loops (ROUTE_LIST …) it ran inside. */
export interface RouteOrigin {
  call: SourceRef;
  iterations: Iteration[];
  /** The Python functions that were running, outermost first, and where each was called. */
  stack: { fn: FunctionDecl; from: SourceRef | undefined }[];
}

/**
 * routes.Mapper as Python code sees it during abstract interpretation: each call is applied
 * to our model of the library, tagged with the call site so the trace can cite it.
 */
export class MapperObject implements HostObject {
  readonly label: string;
  readonly mapper: Mapper<PyObject>;
  /** Problems met while applying calls (bad arguments the real library would reject). */
  readonly problems: { message: string; site: SourceRef }[] = [];

  /** `explicit` as the Python call passed it; Routes 2.x defaults to True when absent. */
  constructor(
    site: SourceRef,
    explicit: boolean | undefined,
    /** The loops and calls the evaluator is in when a call arrives. */
    readonly context: () => Pick<RouteOrigin, "iterations" | "stack"> = () => ({
      iterations: [],
      stack: [],
    }),
  ) {
    this.label = `routes.Mapper (${site.file}:${site.line})`;
    this.mapper = new Mapper<PyObject>(explicit === undefined ? {} : { explicit });
  }

  get routes(): RouteEntry<PyObject>[] {
    return this.mapper.routes;
  }

  getAttr(name: string): Value | undefined {
    return bindTarget(this, this.mapper, name, this.label);
  }
}

function bindTarget(owner: MapperObject, target: object, name: string, label: string): Value {
  const host: HostObject = {
    label: `${label}.${name}`,
    call: (args: CallArgs, site: SourceRef): Value => {
      const positional = args.positional.map(toRoutesArg);
      const kwargs = plainKwargs(args.keywords);
      try {
        const { iterations, stack } = owner.context();
        const origin: RouteOrigin = { call: site, iterations: [...iterations], stack: [...stack] };
        const result = owner.mapper.withOrigin(origin, () =>
          callMethod(target as Mapper<PyObject>, name, positional, kwargs),
        );
        if (name === "resource") writeBackResourceDicts(args.keywords);
        if (result && typeof result === "object") return wrap(owner, result, `${label}.${name}()`);
        return NONE;
      } catch (e) {
        const shown = args.positional.map(describe).join(", ");
        owner.problems.push({ message: `mapper.${name}(${shown}): ${(e as Error).message}`, site });
        return unknown(`${name}() failed: ${(e as Error).message}`, site);
      }
    },
  };
  return { kind: "host", host };
}

/**
 * `Mapper.resource` writes into the dicts it is given: `member['edit'] = 'GET'` and
 * `new.update({'new': 'GET'})`. Neutron passes its ResourceExtensions' member_actions, which
 * its base.Controllers share, so after the extensions filter is built every such controller
 * answers an `edit` member action (through `__getattr__`). Mirror that on the Python values.
 */
function writeBackResourceDicts(keywords: Map<string, Value>): void {
  const member = keywords.get("member");
  if (member?.kind === "dict") member.entries.set("edit", str("GET"));
  const created = keywords.get("new");
  if (created?.kind === "dict") created.entries.set("new", str("GET"));
}

/** A SubMapper returned by `collection()` / `submapper()`: the same calls, one level down. */
function wrap(owner: MapperObject, target: object, label: string): Value {
  const host: HostObject = {
    label,
    getAttr: (name) => bindTarget(owner, target, name, label),
  };
  return { kind: "host", host };
}

/**
 * A Python object the Routes model must not look into (a controller): Routes keeps such
 * objects as they are, while plain dicts are arguments it reads.
 */
export class PyObject {
  constructor(readonly value: Value) {}
}

function plainKwargs(keywords: Map<string, Value>): PyKwargs {
  const out: PyKwargs = {};
  for (const [k, v] of keywords) out[k] = toRoutesArg(v);
  return out;
}

function toRoutesArg(v: Value): unknown {
  return toPlain(v, (x) => new PyObject(x));
}

/** The abstract value a route's controller default holds, or a string controller name. */
export function controllerValue(controller: unknown): Value | string | null {
  if (controller instanceof PyObject) return controller.value;
  if (typeof controller === "string") return controller;
  return null;
}
