import type { SourceRef } from "../model/diagnostics.js";
import type { ClassDecl, FunctionDecl } from "./binder.js";

/**
 * Abstract values the evaluator computes. `unknown` is a value, not a failure: it carries
 * the reason, so a recipe can turn it into a diagnostic with file and line.
 */
export type Value =
  | { kind: "str"; value: string }
  | { kind: "num"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "list" | "tuple" | "set"; items: Value[]; site?: SourceRef }
  | {
      kind: "dict";
      entries: Map<string, Value>;
      site?: SourceRef;
      /** A `collections.defaultdict`'s default_factory: called for a key read before it is set. */
      factory?: Value;
    }
  | { kind: "module"; name: string }
  | { kind: "class"; decl: ClassDecl }
  | {
      kind: "function";
      decl: FunctionDecl;
      self?: Value;
      closure?: Closure;
      /** Attributes set on the function object (`setattr(fn, 'factory', …)`). */
      attrs?: Map<string, Value>;
    }
  | Instance
  | { kind: "partial"; fn: Value; args: CallArgs; site: SourceRef }
  | { kind: "super"; owner: ClassDecl; self: Value }
  | { kind: "builtin"; name: string; self?: Value }
  | { kind: "external"; name: string }
  | { kind: "host"; host: HostObject }
  | { kind: "unknown"; reason: string; site?: SourceRef; template?: string };

export interface Instance {
  kind: "instance";
  cls: ClassDecl;
  args: CallArgs;
  attrs: Map<string, Value>;
  /** Where it was constructed: a trace step for controllers. */
  site: SourceRef;
  initialised: boolean;
  /** Set when the class derives from a library class the analysis models (routes.Mapper). */
  host?: HostObject;
}

export interface CallArgs {
  positional: Value[];
  keywords: Map<string, Value>;
}

/** An object of the analysis itself that Python code talks to, such as a model of routes.Mapper. */
export interface HostObject {
  readonly label: string;
  getAttr?(name: string): Value | undefined;
  call?(args: CallArgs, site: SourceRef): Value;
  callMethod?(name: string, args: CallArgs, site: SourceRef): Value | undefined;
  /** `if obj:` where the object decides (a regular-expression match is true). */
  truthy?(): boolean;
  /** `for x in obj` / `list(obj)`, for host objects that are iterable (stevedore managers). */
  iterate?(): Value[];
  /** Whether two objects are the same thing (two RPC clients of one target), where it matters. */
  sameAs?(other: HostObject): boolean | null;
  /** Where the object comes from, for traces (a stevedore extension: its entry point). */
  provenance?: { detail: string; file: string; line: number };
}

export const NONE: Value = { kind: "none" };

export function str(value: string): Value {
  return { kind: "str", value };
}

export function unknown(reason: string, site?: SourceRef): Value {
  return site ? { kind: "unknown", reason, site } : { kind: "unknown", reason };
}

export function noArgs(): CallArgs {
  return { positional: [], keywords: new Map() };
}

export function isUnknown(v: Value): v is Extract<Value, { kind: "unknown" }> {
  return v.kind === "unknown";
}

/** Python truthiness where it can be decided; null when it cannot. */
export function truthy(v: Value): boolean | null {
  switch (v.kind) {
    case "str":
      return v.value.length > 0;
    case "num":
      return v.value !== 0;
    case "bool":
      return v.value;
    case "none":
      return false;
    case "list":
    case "tuple":
    case "set":
      return v.items.length > 0;
    case "dict":
      return v.entries.size > 0;
    case "module":
    case "class":
    case "function":
    case "instance":
    case "partial":
      return true;
    case "host":
      return v.host.truthy?.() ?? null;
    case "external":
      // oslo.config's global ConfigOpts object (`self.conf = conf or cfg.CONF`): an object.
      return /^oslo[._]config\.cfg\.CONF$/.test(v.name) ? true : null;
    default:
      return null;
  }
}

/**
 * The key under which code run for what it does (RunMode.exploreUnknownLoops) stores an entry
 * whose key is not known (`routers_by_host[agent.host] = …`): iterating the dict gives the
 * entry with an Unknown key, so a loop over it still runs.
 */
export const UNKNOWN_KEY = "\u0000unknown key";

/** A dict's key as a value: its string, or Unknown for UNKNOWN_KEY. */
export function keyValue(k: string): Value {
  return k === UNKNOWN_KEY ? unknown("a key not known statically") : str(k);
}

/** A dict key as the evaluator stores it; only str, int and bool keys are modelled. */
export function dictKey(v: Value): string | null {
  if (v.kind === "str") return v.value;
  if (v.kind === "num") return String(v.value);
  if (v.kind === "bool") return v.value ? "True" : "False";
  if (v.kind === "none") return "None";
  return null;
}

/**
 * Plain JSON-like data for consumers that do not care about abstract values. What has no plain
 * form (instances, classes, functions …) passes through `opaque`, itself by default.
 */
export function toPlain(v: Value, opaque: (v: Value) => unknown = (x) => x): unknown {
  switch (v.kind) {
    case "str":
    case "num":
    case "bool":
      return v.value;
    case "none":
      return null;
    case "list":
    case "tuple":
    case "set":
      return v.items.map((x) => toPlain(x, opaque));
    case "dict":
      return Object.fromEntries([...v.entries].map(([k, val]) => [k, toPlain(val, opaque)]));
    default:
      return opaque(v);
  }
}

/**
 * A string as far as it is known: its value, else the template of a %-format with unknown parts
 * (`q-agent-notifier-port-update.{host}`), else null.
 */
export function stringTemplate(v: Value): string | null {
  if (v.kind === "str") return v.value;
  if (v.kind === "unknown" && v.template) return v.template;
  return null;
}

/** Short human description, for diagnostics and traces. */
export function describe(v: Value): string {
  switch (v.kind) {
    case "str":
      return JSON.stringify(v.value);
    case "num":
    case "bool":
      return String(v.value);
    case "none":
      return "None";
    case "list":
    case "tuple":
    case "set":
      return `${v.kind}[${v.items.length}]`;
    case "dict":
      return `dict[${v.entries.size}]`;
    case "module":
      return `module ${v.name}`;
    case "class":
      return `class ${v.decl.module}.${v.decl.qualname}`;
    case "function":
      return `function ${v.decl.module}.${v.decl.qualname}`;
    case "instance":
      return `${v.cls.module}.${v.cls.qualname}()`;
    case "partial":
      return `partial(${describe(v.fn)})`;
    case "super":
      return "super()";
    case "builtin":
      return `builtin ${v.name}`;
    case "external":
      return v.name;
    case "host":
      return v.host.label;
    case "unknown":
      return `unknown (${v.reason})`;
  }
}

/** A `for` loop the evaluator is inside: which item of which iterable, for traces. */
export interface Iteration {
  /** The iterable as written, e.g. `ROUTE_LIST + custom_routes`. */
  iterable: string;
  item: Value;
  /** The loop statement. */
  site: SourceRef;
}

/** The strings of a list, tuple, set or dict's keys; null when the value is not such a collection. */
export function iterableStrings(v: Value): string[] | null {
  if (v.kind === "list" || v.kind === "tuple" || v.kind === "set") {
    return v.items.flatMap((x) => (x.kind === "str" ? [x.value] : []));
  }
  if (v.kind === "dict") return [...v.entries.keys()];
  return null;
}

/** The frame a nested `def` closes over (its enclosing function's names); opaque here. */
export interface Closure {
  readonly locals: Map<string, Value>;
}
