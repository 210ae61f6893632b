/**
 * Model of `routes.route.Route.__init__` (Routes 2.5.1): the parts that decide the stored
 * routepath, requirements, conditions and defaults. Matching and generation are not modelled.
 */
import {
  get,
  hasKey,
  isNone,
  isPlainObject,
  PyError,
  type PyKwargs,
  pop,
  pyStr,
  truthy,
  typeName,
} from "./pyargs.js";

/** A dynamic part: `:` for `:id`/`:(id)`/`{id}`, `.` for `{.format}`, `*` for `*path`. */
export interface PathVar {
  type: string;
  name: string;
}
export type PathPart = string | PathVar;

const DONE_CHARS = ["/", ",", ";", ".", "#"];

export interface PathKeysOptions {
  /** Static routes only treat `{` as a variable start. */
  isStatic?: boolean;
  /** Receives inline `{name:regex}` requirements; Routes mutates the route's reqs dict in place. */
  reqs?: Record<string, unknown> | null;
  /** Keep a `-` that ends a `:name` variable; Routes drops it (a quirk), templates should not. */
  keepDash?: boolean;
}

/** Port of `Route._pathkeys`, including its quirks (escapes, `-` terminator, first `:` splits regex). */
export function pathKeys(routepath: string, opts: PathKeysOptions = {}): PathPart[] {
  const isStatic = opts.isStatic ?? false;
  let collecting = false;
  let escaping = false;
  let current = "";
  let doneOn: string[] = [];
  let varType = "";
  let justStarted = false;
  const routelist: PathPart[] = [];
  for (const char of routepath) {
    if (escaping) {
      current += ["\\", ":", "*", "{", "}"].includes(char) ? char : `\\${char}`;
      escaping = false;
    } else if (char === "\\") {
      escaping = true;
    } else if (
      (!collecting && !isStatic && (char === ":" || char === "*" || char === "{")) ||
      (!collecting && char === "{")
    ) {
      justStarted = true;
      collecting = true;
      varType = char;
      if (char === "{") {
        doneOn = ["}"];
        justStarted = false;
      }
      if (current.length > 0) {
        routelist.push(current);
        current = "";
      }
    } else if (collecting && justStarted) {
      justStarted = false;
      if (char === "(") {
        doneOn = [")"];
      } else {
        current = char;
        doneOn = [...DONE_CHARS, "-"];
      }
    } else if (collecting && !doneOn.includes(char)) {
      current += char;
    } else if (collecting) {
      collecting = false;
      if (varType === "{") {
        if (current.length === 0) throw new PyError("IndexError", "string index out of range");
        if (current.startsWith(".")) {
          varType = ".";
          current = current.slice(1);
        } else {
          varType = ":";
        }
        const parts = current.split(":");
        if (parts.length > 1) {
          current = parts[0] ?? "";
          if (opts.reqs) opts.reqs[current] = parts[1];
        }
      }
      routelist.push({ type: varType, name: current });
      if (DONE_CHARS.includes(char)) routelist.push(char);
      else if (opts.keepDash && char === "-") routelist.push(char);
      doneOn = [];
      varType = "";
      current = "";
    } else {
      current += char;
    }
  }
  if (collecting) routelist.push({ type: varType, name: current });
  else if (current) routelist.push(current);
  return routelist;
}

/** The state of a constructed Route that the route table exposes. */
export interface BuiltRoute {
  name: unknown;
  routepath: string;
  isStatic: boolean;
  conditions: Record<string, unknown> | null;
  /** The very dict passed as `requirements=` (shared, and mutated by inline regexes), or a fresh one. */
  reqs: Record<string, unknown>;
  /** Route.defaults: values stringified like `make_unicode` (None stays None). */
  defaults: Record<string, unknown>;
  /** The same keys as `defaults`, before stringification. */
  rawDefaults: Record<string, unknown>;
  memberName: unknown;
  collectionName: unknown;
  parentResource: unknown;
}

/**
 * `Route.make_unicode`: strings and callables are kept, other values become `str(value)`.
 * Opaque objects (controllers: class instances, functions) count as callables here, because
 * OpenStack controllers are callable WSGI apps.
 */
export function makeUnicode(v: unknown): unknown {
  if (typeof v === "string" || typeof v === "function") return v;
  if (v !== null && typeof v === "object" && !Array.isArray(v) && !isPlainObject(v)) return v;
  return pyStr(v);
}

const RESERVED_KEYS = ["requirements"];

/** `Route(name, routepath, **kargs)`; `kargs` is owned by the route (Python's fresh `**` dict). */
export function buildRoute(name: unknown, routepath: unknown, kargs: PyKwargs): BuiltRoute {
  let minimization = pop(kargs, "_minimize", false);
  pop(kargs, "_encoding", "utf-8");
  const reqs = get(kargs, "requirements", {});
  const isStatic = truthy(pop(kargs, "_static", false));
  pop(kargs, "_filter", null);
  pop(kargs, "_absolute", false);
  const memberName = pop(kargs, "_member_name", null);
  const collectionName = pop(kargs, "_collection_name", null);
  const parentResource = pop(kargs, "_parent_resource", null);
  const conditions = pop(kargs, "conditions", null);
  const explicit = pop(kargs, "_explicit", false);

  if (isStatic) {
    if (typeof routepath !== "string") {
      throw new PyError("TypeError", `argument of type '${typeName(routepath)}' is not iterable`);
    }
    minimization = false;
  }
  if (typeof routepath !== "string") {
    throw new PyError(
      "AttributeError",
      `'${typeName(routepath)}' object has no attribute 'startswith'`,
    );
  }
  let path = routepath;
  if (path.startsWith("/") && truthy(minimization)) path = path.slice(1);

  if (!isPlainObject(reqs)) {
    // Python fails on the first inline `{name:regex}` store, else when iterating the requirements.
    const inline: Record<string, unknown> = {};
    pathKeys(path, { isStatic, reqs: inline });
    if (Object.keys(inline).length > 0) {
      throw new PyError("TypeError", `'${typeName(reqs)}' object does not support item assignment`);
    }
    throw new PyError("AttributeError", `'${typeName(reqs)}' object has no attribute 'items'`);
  }
  const routelist = pathKeys(path, { isStatic, reqs });
  const routekeys = new Set(
    routelist.filter((p): p is PathVar => typeof p !== "string").map((p) => p.name),
  );
  // Route compiles every requirement; a non-string one fails there.
  for (const v of Object.values(reqs)) {
    if (typeof v !== "string") {
      throw new PyError("TypeError", `can only concatenate str (not "${typeName(v)}") to str`);
    }
  }

  // Route._defaults
  const karg = { ...kargs };
  if (!routekeys.has("controller") && !hasKey(karg, "controller") && !truthy(explicit)) {
    karg.controller = "content";
  }
  if (!routekeys.has("action") && !hasKey(karg, "action") && !truthy(explicit)) {
    karg.action = "index";
  }
  const defaults: Record<string, unknown> = {};
  const rawDefaults: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(karg)) {
    if (RESERVED_KEYS.includes(key)) continue;
    rawDefaults[key] = value;
    defaults[key] = isNone(value) ? null : makeUnicode(value);
  }
  if (routekeys.has("action") && !hasKey(defaults, "action") && !truthy(explicit)) {
    defaults.action = "index";
    rawDefaults.action = "index";
  }
  if (routekeys.has("id") && !hasKey(defaults, "id") && !truthy(explicit)) {
    defaults.id = null;
    rawDefaults.id = null;
  }

  return {
    name,
    routepath: path,
    isStatic,
    conditions: isNone(conditions) ? null : (conditions as Record<string, unknown>),
    reqs,
    defaults,
    rawDefaults,
    memberName,
    collectionName,
    parentResource,
  };
}
