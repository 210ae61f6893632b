/**
 * Just enough Python calling-convention and value semantics to model Routes faithfully:
 * keyword arguments, argument binding errors, truthiness and `str()`.
 */

/** Python keyword arguments. Values: string, number, boolean, null, arrays, dicts, or opaque objects. */
export type PyKwargs = Record<string, unknown>;

/** A trailing `**kwargs` argument; wrap with {@link kw} so it cannot be mistaken for a positional dict. */
export class KwArgs {
  constructor(readonly values: PyKwargs) {}
}

/** Marks `obj` as the keyword arguments of a call, e.g. `m.connect("/x", kw({ action: "index" }))`. */
export function kw(obj: PyKwargs): KwArgs {
  return new KwArgs(obj);
}

/** An exception the real library (or Python itself) would raise; `pyType` is the Python class name. */
export class PyError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(`${pyType}: ${message}`);
    this.name = "PyError";
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Splits `(...positional, kwargs?)`. A trailing KwArgs always counts as kwargs; a trailing plain
 * object does too when `plainObjectIsKw` (safe where no Python parameter takes a dict positionally).
 * The kwargs are copied at the top level, as `**kwargs` does in Python.
 */
export function splitArgs(
  args: readonly unknown[],
  plainObjectIsKw: boolean,
): { positional: unknown[]; kwargs: PyKwargs } {
  const last = args[args.length - 1];
  if (last instanceof KwArgs) return { positional: args.slice(0, -1), kwargs: { ...last.values } };
  if (plainObjectIsKw && args.length > 0 && isPlainObject(last)) {
    return { positional: args.slice(0, -1), kwargs: { ...last } };
  }
  return { positional: [...args], kwargs: {} };
}

export function hasKey(obj: object, key: string): boolean {
  return Object.hasOwn(obj, key);
}

/** dict.pop(key, default) */
export function pop(obj: PyKwargs, key: string, dflt: unknown): unknown {
  if (!hasKey(obj, key)) return dflt;
  const v = obj[key];
  delete obj[key];
  return v;
}

/** dict.get(key, default) */
export function get(obj: PyKwargs, key: string, dflt: unknown): unknown {
  return hasKey(obj, key) ? obj[key] : dflt;
}

/** Merges `f(a=..., **rest)` style keyword arguments, raising TypeError on duplicates as Python does. */
export function mergeKw(fn: string, ...parts: PyKwargs[]): PyKwargs {
  const out: PyKwargs = {};
  for (const part of parts) {
    for (const [k, v] of Object.entries(part)) {
      if (hasKey(out, k)) {
        throw new PyError("TypeError", `${fn}() got multiple values for keyword argument '${k}'`);
      }
      out[k] = v;
    }
  }
  return out;
}

export interface Param {
  name: string;
  /** Absent means the parameter is required. */
  default?: unknown;
}

/**
 * Binds positional and keyword arguments to `params` like a Python call; what is left of the
 * keywords becomes `**kwargs` (always present on the Routes functions modelled here).
 */
export function bindArgs(
  fn: string,
  params: readonly Param[],
  positional: readonly unknown[],
  kwargs: PyKwargs,
  varargs = false,
): { bound: Record<string, unknown>; rest: unknown[]; kwargs: PyKwargs } {
  const left: PyKwargs = { ...kwargs };
  const bound: Record<string, unknown> = {};
  if (!varargs && positional.length > params.length) {
    throw new PyError(
      "TypeError",
      `${fn}() takes ${params.length} positional arguments but ${positional.length} were given`,
    );
  }
  params.forEach((p, i) => {
    if (i < positional.length) {
      if (hasKey(left, p.name)) {
        throw new PyError("TypeError", `${fn}() got multiple values for argument '${p.name}'`);
      }
      bound[p.name] = positional[i];
    } else if (hasKey(left, p.name)) {
      bound[p.name] = left[p.name];
      delete left[p.name];
    } else if ("default" in p) {
      bound[p.name] = p.default;
    } else {
      throw new PyError("TypeError", `${fn}() missing required positional argument: '${p.name}'`);
    }
  });
  return { bound, rest: positional.slice(params.length), kwargs: left };
}

export function isNone(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** Python truthiness for the value kinds that reach Routes. */
export function truthy(v: unknown): boolean {
  if (isNone(v) || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

export function typeName(v: unknown): string {
  if (isNone(v)) return "NoneType";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (Array.isArray(v)) return "list";
  if (isPlainObject(v)) return "dict";
  return "object";
}

/** Python `a + b` for strings: anything else is a TypeError (e.g. `None + '_'`). */
export function concat(...parts: unknown[]): string {
  let out = "";
  for (const p of parts) {
    if (typeof p !== "string") {
      throw new PyError("TypeError", `can only concatenate str (not "${typeName(p)}") to str`);
    }
    out += p;
  }
  return out;
}

export function requireStr(v: unknown, what: string): string {
  if (typeof v !== "string") {
    throw new PyError("AttributeError", `'${typeName(v)}' object has no attribute '${what}'`);
  }
  return v;
}

function reprStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else {
      const code = ch.codePointAt(0) ?? 0;
      if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
      else out += ch;
    }
  }
  return out + quote;
}

function reprNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  return String(n);
}

/** Python `repr()` for JSON-like values. */
export function pyRepr(v: unknown): string {
  if (isNone(v)) return "None";
  if (typeof v === "string") return reprStr(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return reprNumber(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (isPlainObject(v)) {
    return `{${Object.entries(v)
      .map(([k, x]) => `${reprStr(k)}: ${pyRepr(x)}`)
      .join(", ")}}`;
  }
  return String(v);
}

/** Python `str()` for JSON-like values. */
export function pyStr(v: unknown): string {
  return typeof v === "string" ? v : pyRepr(v);
}
