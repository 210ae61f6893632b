/**
 * Faithful model of route-table construction by the Python Routes library (2.5.1):
 * `routes.Mapper.connect/resource/collection/submapper/redirect` and `routes.mapper.SubMapper`.
 * URL matching and generation are out of scope; the table (`Mapper.routes`) mirrors
 * `mapper.matchlist` route for route, in the same order, with the same names and routepaths.
 *
 * Python semantics that matter are kept on purpose: kwargs merging and duplicate-argument
 * errors, truthiness (`name or ...`), dict sharing (a `requirements` dict passed once is the same
 * object in every route it reaches, and inline `{name:regex}` parts write into it), and
 * `str()`-ing of default values. Python exceptions surface as {@link PyError}.
 */
import {
  bindArgs,
  concat,
  get,
  hasKey,
  isNone,
  isPlainObject,
  KwArgs,
  kw,
  mergeKw,
  type Param,
  PyError,
  type PyKwargs,
  pop,
  pyStr,
  requireStr,
  splitArgs,
  truthy,
  typeName,
} from "./pyargs.js";
import { type BuiltRoute, buildRoute } from "./route.js";

export type { PyKwargs } from "./pyargs.js";
export { KwArgs, kw, PyError } from "./pyargs.js";

export interface RouteEntry<C> {
  /** Route name as Routes stores it (e.g. "entries", "formatted_entry"), null when unnamed. */
  name: string | null;
  /** Exactly `Route.routepath`, e.g. "/entries{.format}", "/messages/:(id).:(format)". */
  routepath: string;
  /** `conditions['method']` as a list (a bare string becomes a one-element list); null if none. */
  methods: string[] | null;
  /** `defaults['controller']`: the opaque object passed in, or a string; null when absent. */
  controller: C | string | null;
  action: string | null;
  /**
   * `Route.reqs`. This is the live dict Routes keeps: when one `requirements` dict reaches several
   * routes (resource, submapper kwargs), they share it and inline `{x:regex}` parts of any of
   * them are written into it, so all of them see those entries.
   */
  requirements: Record<string, string>;
  /**
   * Remaining `Route.defaults` (not controller/action), as Routes stores them: non-None values
   * other than strings and opaque objects are `str()`-ed (`body_reject=True` → "True").
   */
  defaults: Record<string, unknown>;
  /** The same keys as `defaults` with the values as passed (`body_reject: true`). */
  rawDefaults: Record<string, unknown>;
  /** The full conditions dict (method, sub_domain, function → opaque), shared, not copied. */
  conditions: Record<string, unknown> | null;
  /** Destination path for `mapper.redirect` routes, else null. */
  redirect: string | null;
  /** Status for redirect routes (default "302 Found"), else null. */
  redirectStatus: string | null;
  /** `_member_name`/`_collection_name`/`_parent_resource` that `Mapper.resource` attaches. */
  memberName: string | null;
  collectionName: string | null;
  parentResource: Record<string, unknown> | null;
  /** The innermost `Mapper.withOrigin` tag active when the route was created. */
  origin?: unknown;
}

export const COLLECTION_ACTIONS: readonly string[] = ["index", "create", "new"];
export const MEMBER_ACTIONS: readonly string[] = ["show", "update", "delete", "edit"];

/** The id requirement `Mapper.resource` puts on member routes (Python: '[^\\/]+(?<!\\\\)'). */
export const RESOURCE_ID_REGEXP = String.raw`[^\/]+(?<!\\)`;

type Parent<C> = Mapper<C> | SubMapper<C>;

function stripSlashes(name: unknown): string {
  let s = requireStr(name, "startswith");
  if (s.startsWith("/")) s = s.slice(1);
  if (s.endsWith("/")) s = s.slice(0, -1);
  return s;
}

/** `''.join((a, b))` */
function joinStr(a: unknown, b: unknown): string {
  for (const [i, v] of [a, b].entries()) {
    if (typeof v !== "string") {
      throw new PyError(
        "TypeError",
        `sequence item ${i}: expected str instance, ${typeName(v)} found`,
      );
    }
  }
  return `${a}${b}`;
}

function asMapping(v: unknown): PyKwargs {
  if (!isPlainObject(v)) {
    throw new PyError("TypeError", `argument after ** must be a mapping, not ${typeName(v)}`);
  }
  return v;
}

/** `d[key]` on a dict argument. */
function subscript(d: unknown, key: string): unknown {
  if (!isPlainObject(d)) {
    throw new PyError("TypeError", `'${typeName(d)}' object is not subscriptable`);
  }
  if (!hasKey(d, key)) throw new PyError("KeyError", `'${key}'`);
  return d[key];
}

/** Python iteration over a value used as a list of names. */
function iterate(v: unknown): unknown[] {
  if (typeof v === "string") return [...v];
  if (Array.isArray(v)) return v;
  if (isPlainObject(v)) return Object.keys(v);
  throw new PyError("TypeError", `'${typeName(v)}' object is not iterable`);
}

/** `_kwargs_with_conditions`: link/action add `conditions={'method': method}` (a bare string). */
function kwargsWithConditions(kwargs: PyKwargs, method: unknown): PyKwargs {
  if (truthy(method) && !hasKey(kwargs, "conditions")) return { ...kwargs, conditions: { method } };
  return kwargs;
}

function toMethods(conditions: Record<string, unknown> | null): string[] | null {
  if (!isPlainObject(conditions)) return null;
  const m = conditions.method;
  if (isNone(m)) return null;
  if (typeof m === "string") return [m];
  if (Array.isArray(m)) return m.map((x) => pyStr(x));
  return null;
}

function strOrNull(v: unknown): string | null {
  if (isNone(v)) return null;
  return typeof v === "string" ? v : pyStr(v);
}

/** SubMapperParent.collection */
function collectionOf<C>(self: Parent<C>, positional: unknown[], kwargs: PyKwargs): SubMapper<C> {
  const { bound: b, kwargs: rest } = bindArgs(
    "collection",
    [
      { name: "collection_name" },
      { name: "resource_name" },
      { name: "path_prefix", default: null },
      { name: "member_prefix", default: "/{id}" },
      { name: "controller", default: null },
      { name: "collection_actions", default: COLLECTION_ACTIONS },
      { name: "member_actions", default: MEMBER_ACTIONS },
      { name: "member_options", default: null },
    ],
    positional,
    kwargs,
  );
  let controller = b.controller;
  if (isNone(controller))
    controller = truthy(b.resource_name) ? b.resource_name : b.collection_name;

  const cn = b.collection_name;
  const pre = b.path_prefix;
  let pathPrefix: string;
  if (isNone(pre)) pathPrefix = isNone(cn) ? "" : `/${pyStr(cn)}`;
  else pathPrefix = isNone(cn) ? pyStr(pre) : `${pyStr(pre)}/${pyStr(cn)}`;

  const collection = SubMapper.create<C>(
    self,
    [],
    mergeKw(
      "SubMapper",
      {
        collection_name: cn,
        resource_name: b.resource_name,
        path_prefix: pathPrefix,
        controller,
        actions: b.collection_actions,
      },
      rest,
    ),
  );
  const memberOptions = truthy(b.member_options) ? asMapping(b.member_options) : {};
  collection.member = SubMapper.create<C>(
    collection,
    [],
    mergeKw(
      "SubMapper",
      { path_prefix: b.member_prefix, actions: b.member_actions },
      memberOptions,
    ),
  );
  return collection;
}

const SUBMAPPER_METHODS = [
  "connect",
  "link",
  "new",
  "edit",
  "action",
  "index",
  "show",
  "create",
  "update",
  "delete",
  "add_actions",
  "submapper",
  "collection",
] as const;
const SUBMAPPER_DATA = ["kwargs", "obj", "collection_name", "resource_name", "formatted", "member"];
const MAPPER_UNMODELLED = [
  "extend",
  "make_route",
  "match",
  "routematch",
  "generate",
  "create_regs",
];

/**
 * `getattr(target, name)(*positional, **kwargs)` for the modelled Routes methods, so that an
 * evaluator of Python source can replay calls by name. Returns what Python returns (a SubMapper
 * for submapper/collection, otherwise undefined for None). Unknown names raise AttributeError;
 * real Mapper methods outside route-table construction (match, generate, ...) raise
 * PyError("NotModelled") so callers can report them instead of guessing.
 */
export function callMethod<C>(
  target: Parent<C>,
  name: string,
  positional: unknown[] = [],
  kwargs: PyKwargs = {},
): unknown {
  const kwc = { ...kwargs };
  if (target instanceof Mapper) {
    switch (name) {
      case "connect":
        target.pyConnect(positional, kwc);
        return undefined;
      case "resource":
        target.pyResource(positional, kwc);
        return undefined;
      case "collection":
        return collectionOf(target, positional, kwc);
      case "submapper":
        return target.pySubmapper(positional, kwc);
      case "redirect":
        target.pyRedirect(positional, kwc);
        return undefined;
    }
    if (MAPPER_UNMODELLED.includes(name)) {
      throw new PyError("NotModelled", `Mapper.${name} is not modelled`);
    }
    throw new PyError("AttributeError", `'Mapper' object has no attribute '${name}'`);
  }
  switch (name) {
    case "connect":
      target.pyConnect(positional, kwc);
      return undefined;
    case "link":
      target.pyLink(positional, kwc);
      return undefined;
    case "new":
      target.pyLink([], mergeKw("link", { rel: "new" }, noPositional("new", positional, kwc)));
      return undefined;
    case "edit":
      target.pyLink([], mergeKw("link", { rel: "edit" }, noPositional("edit", positional, kwc)));
      return undefined;
    case "action":
      target.pyAction(positional, kwc);
      return undefined;
    case "index":
    case "show": {
      const { bound, kwargs: rest } = bindArgs(
        name,
        [{ name: "name", default: null }],
        positional,
        kwc,
      );
      const dflt = name === "index" ? target.collectionName : target.resourceName;
      const n = truthy(bound.name) ? bound.name : dflt;
      target.pyAction([], mergeKw("action", { name: n, action: name, method: "GET" }, rest));
      return undefined;
    }
    case "create":
    case "update":
    case "delete": {
      const method = { create: "POST", update: "PUT", delete: "DELETE" }[name];
      const rest = noPositional(name, positional, kwc);
      target.pyAction([], mergeKw("action", { action: name, method }, rest));
      return undefined;
    }
    case "add_actions": {
      const { bound, kwargs: rest } = bindArgs(name, [{ name: "actions" }], positional, kwc);
      target.addActions(bound.actions, rest);
      return undefined;
    }
    case "submapper":
      return SubMapper.create(target, [], noPositional("submapper", positional, kwc));
    case "collection":
      return collectionOf(target, positional, kwc);
  }
  if (SUBMAPPER_DATA.includes(name)) {
    throw new PyError("TypeError", `SubMapper.${name} is not callable`);
  }
  throw new PyError("AttributeError", `'SubMapper' object has no attribute '${name}'`);
}

function noPositional(fn: string, positional: unknown[], kwargs: PyKwargs): PyKwargs {
  return bindArgs(fn, [], positional, kwargs).kwargs;
}

/** Trailing argument of resource/collection/submapper/redirect: a plain dict or kw({...}). */
function kwOf(kwargs: PyKwargs | KwArgs | undefined): PyKwargs {
  if (kwargs === undefined) return {};
  return kwargs instanceof KwArgs ? { ...kwargs.values } : { ...kwargs };
}

export interface MapperOptions {
  /** Python default is True: no implicit controller='content'/action='index'/id=None defaults. */
  explicit?: boolean;
  /** `mapper.minimization`; when true, connect strips a leading '/' from routepaths. */
  minimization?: boolean;
}

export class Mapper<C = unknown> {
  /** In `mapper.matchlist` order. */
  readonly routes: RouteEntry<C>[] = [];
  explicit: boolean;
  minimization: boolean;
  private readonly origins: unknown[] = [];

  constructor(options: MapperOptions = {}) {
    this.explicit = options.explicit ?? true;
    this.minimization = options.minimization ?? false;
  }

  /** Python `connect(*args, **kwargs)`: pass kwargs last as `kw({...})`. */
  connect(...args: unknown[]): void {
    const { positional, kwargs } = splitArgs(args, false);
    this.pyConnect(positional, kwargs);
  }

  resource(memberName: string, collectionName: string, kwargs?: PyKwargs | KwArgs): void {
    this.pyResource([memberName, collectionName], kwOf(kwargs));
  }

  /** `SubMapperParent.collection`; the returned submapper has `.member`. */
  collection(
    collectionName: string | null,
    resourceName: string | null,
    kwargs?: PyKwargs | KwArgs,
  ): SubMapper<C> {
    return collectionOf(this, [collectionName, resourceName], kwOf(kwargs));
  }

  submapper(kwargs?: PyKwargs | KwArgs): SubMapper<C> {
    return this.pySubmapper([], kwOf(kwargs));
  }

  redirect(matchPath: string, destinationPath: string, kwargs?: PyKwargs | KwArgs): void {
    this.pyRedirect([matchPath, destinationPath], kwOf(kwargs));
  }

  /** Tags every route created while `fn` runs (innermost call wins). */
  withOrigin<T>(origin: unknown, fn: () => T): T {
    this.origins.push(origin);
    try {
      return fn();
    } finally {
      this.origins.pop();
    }
  }

  /** @internal `Mapper.connect`; returns the entry (also for static routes, which are not listed). */
  pyConnect(positional: unknown[], kwargs: PyKwargs): RouteEntry<C> {
    const kargs = { ...kwargs };
    const args = positional.length > 1 ? positional : [null, ...positional];
    if (!hasKey(kargs, "_explicit")) kargs._explicit = this.explicit;
    if (!hasKey(kargs, "_minimize")) kargs._minimize = this.minimization;
    const { bound, kwargs: rest } = bindArgs(
      "Route",
      [{ name: "name" }, { name: "routepath" }],
      args,
      kargs,
    );
    const built = buildRoute(bound.name, bound.routepath, rest);
    const entry = this.toEntry(built);
    if (!built.isStatic) this.routes.push(entry);
    return entry;
  }

  private toEntry(built: BuiltRoute): RouteEntry<C> {
    const { controller, action, ...defaults } = built.defaults;
    const { controller: _c, action: _a, ...rawDefaults } = built.rawDefaults;
    const entry: RouteEntry<C> = {
      name: strOrNull(built.name),
      routepath: built.routepath,
      methods: toMethods(built.conditions),
      controller: isNone(controller) ? null : (controller as C | string),
      action: typeof action === "string" ? action : null,
      requirements: built.reqs as Record<string, string>,
      defaults,
      rawDefaults,
      conditions: built.conditions,
      redirect: null,
      redirectStatus: null,
      memberName: strOrNull(built.memberName),
      collectionName: strOrNull(built.collectionName),
      parentResource: isPlainObject(built.parentResource) ? built.parentResource : null,
    };
    if (this.origins.length > 0) entry.origin = this.origins[this.origins.length - 1];
    return entry;
  }

  /** @internal */
  pySubmapper(positional: unknown[], kwargs: PyKwargs): SubMapper<C> {
    return SubMapper.create(this, [], noPositional("submapper", positional, kwargs));
  }

  /** @internal `Mapper.redirect(match_path, destination_path, *args, **kwargs)` */
  pyRedirect(positional: unknown[], kwargs: PyKwargs): void {
    const { bound, kwargs: kwa } = bindArgs(
      "redirect",
      [{ name: "match_path" }, { name: "destination_path" }],
      positional,
      kwargs,
      true,
    );
    const bothArgs = ["_encoding", "_explicit", "_minimize"];
    const genArgs = ["_filter"];
    const status = pop(kwa, "_redirect_code", "302 Found");
    const genDict: PyKwargs = {};
    for (const key of [...bothArgs, ...genArgs]) if (hasKey(kwa, key)) genDict[key] = kwa[key];
    genDict._static = true;
    const matchDict: PyKwargs = {};
    for (const [k, v] of Object.entries(kwa)) if (!genArgs.includes(k)) matchDict[k] = v;

    this.pyConnect([bound.match_path], matchDict);
    // Python takes matchlist[-1], which is not the new route if that one was static.
    const matchRoute = this.routes[this.routes.length - 1];
    if (matchRoute === undefined) throw new PyError("IndexError", "list index out of range");
    const gen = this.pyConnect(["_redirect_", bound.destination_path], genDict);
    matchRoute.redirect = gen.routepath;
    matchRoute.redirectStatus = strOrNull(status);
  }

  /** @internal `Mapper.resource(member_name, collection_name, **kwargs)` */
  pyResource(positional: unknown[], kwargsIn: PyKwargs): void {
    const { bound, kwargs } = bindArgs(
      "resource",
      [{ name: "member_name" }, { name: "collection_name" }],
      positional,
      kwargsIn,
    );
    const memberName = bound.member_name;
    const collectionName = bound.collection_name;
    const collection = pop(kwargs, "collection", {});
    const member = pop(kwargs, "member", {});
    const newActions = pop(kwargs, "new", {});
    let pathPrefix = pop(kwargs, "path_prefix", null);
    let namePrefix = pop(kwargs, "name_prefix", null);
    const parentResource = pop(kwargs, "parent_resource", null);

    // Explicit prefixes win even when "", parent_resource only fills in missing ones.
    if (!isNone(parentResource)) {
      if (isNone(pathPrefix)) {
        pathPrefix = `${pyStr(subscript(parentResource, "collection_name"))}/:${pyStr(
          subscript(parentResource, "member_name"),
        )}_id`;
      }
      if (isNone(namePrefix)) namePrefix = `${pyStr(subscript(parentResource, "member_name"))}_`;
    } else {
      if (isNone(pathPrefix)) pathPrefix = "";
      if (isNone(namePrefix)) namePrefix = "";
    }

    // Routes writes into the caller's member/new dicts; a copy gives the same table without
    // surprising TS callers.
    if (!isPlainObject(member)) {
      throw new PyError(
        "TypeError",
        `'${typeName(member)}' object does not support item assignment`,
      );
    }
    // Spread-then-assign keeps an existing 'edit' key in place, like `member['edit'] = 'GET'`.
    const memberD: PyKwargs = { ...member, edit: "GET" };
    if (!isPlainObject(newActions)) {
      throw new PyError(
        "AttributeError",
        `'${typeName(newActions)}' object has no attribute 'update'`,
      );
    }
    const newD: PyKwargs = { ...newActions, new: "GET" };

    // Keys become actions grouped under their upper-cased method, in first-seen order.
    const swap = (dct: unknown): Map<string, string[]> => {
      if (!isPlainObject(dct)) {
        throw new PyError("AttributeError", `'${typeName(dct)}' object has no attribute 'items'`);
      }
      const out = new Map<string, string[]>();
      for (const [key, val] of Object.entries(dct)) {
        const m = requireStr(val, "upper").toUpperCase();
        const lst = out.get(m) ?? [];
        lst.push(key);
        out.set(m, lst);
      }
      return out;
    };
    const collectionMethods = swap(collection);
    const memberMethods = swap(memberD);
    const newMethods = swap(newD);
    const setdefault = (m: Map<string, string[]>, key: string): string[] => {
      let lst = m.get(key);
      if (lst === undefined) {
        lst = [];
        m.set(key, lst);
      }
      return lst;
    };
    setdefault(collectionMethods, "POST").unshift("create");
    setdefault(memberMethods, "PUT").unshift("update");
    setdefault(memberMethods, "DELETE").unshift("delete");

    const controller = stripSlashes(collectionName);
    const pp = `/${stripSlashes(pathPrefix)}`;
    const path = pp !== "/" ? `${pp}/${controller}` : `/${controller}`;
    const collectionPath = path;
    const newPath = `${path}/new`;
    const memberPath = `${path}/:(id)`;

    const options: PyKwargs = {
      controller: get(kwargs, "controller", controller),
      _member_name: memberName,
      _collection_name: collectionName,
      _parent_resource: parentResource,
      _filter: get(kwargs, "_filter", null),
    };
    if (hasKey(kwargs, "requirements")) options.requirements = kwargs.requirements;

    // Python's requirements_for reads the enclosing loop variable `method`, not its argument;
    // since every method was upper-cased the 'any' test never fires, but keep the shape.
    let method = "";
    const requirementsFor = (meth: string): PyKwargs => {
      const opts = { ...options };
      if (method !== "any") opts.conditions = { method: [meth.toUpperCase()] };
      return opts;
    };
    const connect = (args: unknown[], opts: PyKwargs) => this.pyConnect(args, { ...opts });

    for (const [m, lst] of collectionMethods) {
      method = m;
      const popped = method !== "GET" ? lst.shift() : undefined;
      const primary = truthy(popped) ? popped : null;
      const routeOptions = requirementsFor(method);
      for (const action of lst) {
        routeOptions.action = action;
        const routeName = `${pyStr(namePrefix)}${action}_${pyStr(collectionName)}`;
        connect([`formatted_${routeName}`, `${collectionPath}/${action}.:(format)`], routeOptions);
        connect([routeName, `${collectionPath}/${action}`], routeOptions);
      }
      if (primary !== null) {
        routeOptions.action = primary;
        connect([`${collectionPath}.:(format)`], routeOptions);
        connect([collectionPath], routeOptions);
      }
    }

    const index = () => ({ action: "index", conditions: { method: ["GET"] } });
    connect(
      [concat("formatted_", namePrefix, collectionName), `${collectionPath}.:(format)`],
      mergeKw("connect", index(), options),
    );
    connect(
      [concat(namePrefix, collectionName), collectionPath],
      mergeKw("connect", index(), options),
    );

    for (const [m, lst] of newMethods) {
      method = m;
      const routeOptions = requirementsFor(method);
      for (const action of lst) {
        let name = concat("new_", memberName);
        routeOptions.action = action;
        let actionPath: string;
        let formattedPath: string;
        if (action === "new") {
          actionPath = newPath;
          formattedPath = `${newPath}.:(format)`;
        } else {
          actionPath = `${newPath}/${action}`;
          name = concat(action, "_", name);
          formattedPath = `${newPath}/${action}.:(format)`;
        }
        connect([concat("formatted_", namePrefix, name), formattedPath], routeOptions);
        connect([concat(namePrefix, name), actionPath], routeOptions);
      }
    }

    for (const [m, lst] of memberMethods) {
      method = m;
      const routeOptions = requirementsFor(method);
      // One dict per method group, shared by that group's routes.
      routeOptions.requirements = { id: RESOURCE_ID_REGEXP };
      const primary = !["POST", "GET", "any"].includes(method) ? lst.shift() : undefined;
      for (const action of lst) {
        routeOptions.action = action;
        const suffix = `${pyStr(namePrefix)}${action}_${pyStr(memberName)}`;
        connect([`formatted_${suffix}`, `${memberPath}/${action}.:(format)`], routeOptions);
        connect([suffix, `${memberPath}/${action}`], routeOptions);
      }
      if (truthy(primary)) {
        routeOptions.action = primary;
        connect([`${memberPath}.:(format)`], routeOptions);
        connect([memberPath], routeOptions);
      }
    }

    const showOptions = requirementsFor("GET");
    showOptions.action = "show";
    showOptions.requirements = { id: RESOURCE_ID_REGEXP };
    connect([concat("formatted_", namePrefix, memberName), `${memberPath}.:(format)`], showOptions);
    connect([concat(namePrefix, memberName), memberPath], showOptions);
  }
}

const SUBMAPPER_PARAMS: Param[] = [
  { name: "resource_name", default: null },
  { name: "collection_name", default: null },
  { name: "actions", default: null },
  { name: "formatted", default: null },
];

/**
 * `routes.mapper.SubMapper`. Python's `with m.submapper(...) as s:` is just calls on the
 * returned object. Methods take Python-style arguments: positional ones, then optionally a
 * trailing kwargs object (`kw({...})`, or a plain object for every method except `connect`).
 */
export class SubMapper<C = unknown> {
  readonly kwargs: PyKwargs;
  readonly obj: Parent<C>;
  collectionName: unknown;
  resourceName: unknown;
  formatted: unknown;
  /** Set by `collection()`: the submapper for member routes (path_prefix member_prefix). */
  member: SubMapper<C> | null = null;

  /** `SubMapper(obj, resource_name=None, collection_name=None, actions=None, formatted=None, **kwargs)`. */
  constructor(obj: Parent<C>, ...args: unknown[]) {
    const { positional, kwargs } = splitArgs(args, true);
    const { bound, kwargs: rest } = bindArgs("SubMapper", SUBMAPPER_PARAMS, positional, kwargs);
    this.kwargs = rest;
    this.obj = obj;
    this.collectionName = bound.collection_name;
    let resourceName = bound.resource_name;
    if (!truthy(resourceName) && obj instanceof SubMapper) resourceName = obj.resourceName;
    if (!truthy(resourceName)) resourceName = get(rest, "controller", null);
    this.resourceName = truthy(resourceName) ? resourceName : null;
    if (!isNone(bound.formatted)) {
      this.formatted = bound.formatted;
    } else {
      const inherited = obj instanceof SubMapper ? obj.formatted : null;
      this.formatted = isNone(inherited) ? true : inherited;
    }
    this.addActions(truthy(bound.actions) ? bound.actions : [], { ...rest });
  }

  /** @internal */
  static create<C>(obj: Parent<C>, positional: unknown[], kwargs: PyKwargs): SubMapper<C> {
    return new SubMapper<C>(obj, ...positional, kw(kwargs));
  }

  /** `connect(routename, path=None, **kwargs)`; kwargs as a trailing `kw({...})`. */
  connect(...args: unknown[]): void {
    const { positional, kwargs } = splitArgs(args, false);
    this.pyConnect(positional, kwargs);
  }

  /** `link(rel=None, name=None, action=None, method='GET', formatted=None, **kwargs)` */
  link(...args: unknown[]): void {
    this.invoke("link", args);
  }

  /** `new(**kwargs)` = `link(rel='new', ...)` */
  new(...args: unknown[]): void {
    this.invoke("new", args);
  }

  /** `edit(**kwargs)` = `link(rel='edit', ...)` */
  edit(...args: unknown[]): void {
    this.invoke("edit", args);
  }

  /** `action(name=None, action=None, method='GET', formatted=None, **kwargs)` */
  action(...args: unknown[]): void {
    this.invoke("action", args);
  }

  index(...args: unknown[]): void {
    this.invoke("index", args);
  }

  show(...args: unknown[]): void {
    this.invoke("show", args);
  }

  create(...args: unknown[]): void {
    this.invoke("create", args);
  }

  update(...args: unknown[]): void {
    this.invoke("update", args);
  }

  delete(...args: unknown[]): void {
    this.invoke("delete", args);
  }

  submapper(kwargs?: PyKwargs | KwArgs): SubMapper<C> {
    return SubMapper.create(this, [], kwOf(kwargs));
  }

  collection(
    collectionName: string | null,
    resourceName: string | null,
    kwargs?: PyKwargs | KwArgs,
  ): SubMapper<C> {
    return collectionOf(this, [collectionName, resourceName], kwOf(kwargs));
  }

  private invoke(name: (typeof SUBMAPPER_METHODS)[number], args: unknown[]): unknown {
    const { positional, kwargs } = splitArgs(args, true);
    return callMethod(this, name, positional, kwargs);
  }

  /** @internal `add_actions(actions, **kwargs)`: `getattr(self, action)(**kwargs)` for each. */
  addActions(actions: unknown, kwargs: PyKwargs): void {
    for (const action of iterate(actions)) {
      if (typeof action !== "string") {
        throw new PyError("TypeError", "attribute name must be string");
      }
      callMethod(this, action, [], { ...kwargs });
    }
  }

  /** @internal */
  pyConnect(positional: unknown[], kwargsIn: PyKwargs): void {
    const { bound, kwargs } = bindArgs(
      "connect",
      [{ name: "routename" }, { name: "path", default: null }],
      positional,
      kwargsIn,
    );
    const routename = bound.routename;
    const path = bound.path;
    const newkargs: PyKwargs = {};
    let newName = routename;
    let newPath = path;
    for (const [key, value] of Object.entries(this.kwargs)) {
      if (key === "path_prefix") {
        // With one argument, that argument is the path, yet it also stays the route name.
        newPath = isNone(path) ? joinStr(value, routename) : joinStr(value, path);
      } else if (key === "name_prefix") {
        newName = isNone(path) ? null : joinStr(value, routename);
      } else if (hasKey(kwargs, key)) {
        // Only prefixes concatenate; dicts merge (submapper's first), everything else overrides.
        newkargs[key] = isPlainObject(value)
          ? { ...value, ...asMapping(kwargs[key]) }
          : kwargs[key];
      } else {
        newkargs[key] = value;
      }
    }
    for (const key of Object.keys(kwargs)) {
      if (!hasKey(this.kwargs, key)) newkargs[key] = kwargs[key];
    }
    this.obj.pyConnect([newName, newPath], newkargs);
  }

  /** @internal */
  pyLink(positional: unknown[], kwargsIn: PyKwargs): void {
    const { bound: b, kwargs } = bindArgs(
      "link",
      [
        { name: "rel", default: null },
        { name: "name", default: null },
        { name: "action", default: null },
        { name: "method", default: "GET" },
        { name: "formatted", default: null },
      ],
      positional,
      kwargsIn,
    );
    const suffix = this.suffix(b.formatted);
    const name = truthy(b.name) ? b.name : concat(b.rel, "_", this.resourceName);
    const path = concat("/", truthy(b.rel) ? b.rel : b.name, suffix);
    const action = truthy(b.action) ? b.action : truthy(b.rel) ? b.rel : b.name;
    this.pyConnect(
      [name, path],
      mergeKw("connect", { action }, kwargsWithConditions(kwargs, b.method)),
    );
  }

  /** @internal */
  pyAction(positional: unknown[], kwargsIn: PyKwargs): void {
    const { bound: b, kwargs } = bindArgs(
      "action",
      [
        { name: "name", default: null },
        { name: "action", default: null },
        { name: "method", default: "GET" },
        { name: "formatted", default: null },
      ],
      positional,
      kwargsIn,
    );
    const suffix = this.suffix(b.formatted);
    const name = truthy(b.name) ? b.name : concat(b.action, "_", this.resourceName);
    const action = truthy(b.action) ? b.action : b.name;
    this.pyConnect(
      [name, suffix],
      mergeKw("connect", { action }, kwargsWithConditions(kwargs, b.method)),
    );
  }

  private suffix(formatted: unknown): string {
    return truthy(formatted) || (isNone(formatted) && truthy(this.formatted)) ? "{.format}" : "";
  }
}
