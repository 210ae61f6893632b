import type { SourceRef } from "../model/diagnostics.js";
import { type Evaluator, iterate, scalarText, valuesEqual } from "./evaluator.js";
import {
  type CallArgs,
  dictKey,
  keyValue,
  NONE,
  noArgs,
  str,
  unknown,
  type Value,
} from "./values.js";

/** Python builtins the evaluator models; anything else is an Unknown with the builtin's name. */
export const BUILTIN_NAMES = new Set([
  "dict",
  "list",
  "tuple",
  "set",
  "frozenset",
  "str",
  "len",
  "sorted",
  "getattr",
  "hasattr",
  "setattr",
  "isinstance",
  "super",
  "object",
  "Exception",
  "property",
  "staticmethod",
  "classmethod",
  "zip",
  "enumerate",
  "reversed",
  "int",
  "bool",
  "any",
  "all",
  "map",
  "filter",
  "iter",
  "next",
  "type",
  "print",
  "_",
]);

const STR_METHODS = new Set([
  "replace",
  "lower",
  "upper",
  "format",
  "join",
  "split",
  "strip",
  "rstrip",
  "lstrip",
  "startswith",
  "endswith",
  "capitalize",
  "title",
]);
const LIST_METHODS = new Set(["append", "extend", "insert", "copy", "index", "remove", "pop"]);
const DICT_METHODS = new Set([
  "iteritems",
  "itervalues",
  "iterkeys",
  "get",
  "items",
  "keys",
  "values",
  "copy",
  "update",
  "setdefault",
  "pop",
]);

export function builtinAttribute(obj: Value, name: string): Value | undefined {
  if (obj.kind === "str" && STR_METHODS.has(name))
    return { kind: "builtin", name: `str.${name}`, self: obj };
  if (obj.kind === "list" && LIST_METHODS.has(name))
    return { kind: "builtin", name: `list.${name}`, self: obj };
  if (
    (obj.kind === "tuple" || obj.kind === "set") &&
    (name === "copy" || name === "index" || name === "add" || name === "update")
  ) {
    return { kind: "builtin", name: `${obj.kind}.${name}`, self: obj };
  }
  if (obj.kind === "dict" && DICT_METHODS.has(name))
    return { kind: "builtin", name: `dict.${name}`, self: obj };
  return undefined;
}

export function callBuiltin(
  ev: Evaluator,
  callee: Extract<Value, { kind: "builtin" }>,
  args: CallArgs,
  site: SourceRef,
): Value {
  const [a, b] = args.positional;
  const self = callee.self;
  switch (callee.name) {
    case "dict": {
      const entries = new Map<string, Value>();
      if (a?.kind === "dict") for (const [k, v] of a.entries) entries.set(k, v);
      else if (a) {
        const pairs = iterate(a);
        for (const p of pairs ?? []) {
          const kv = iterate(p);
          const k = kv?.[0] ? dictKey(kv[0]) : null;
          if (k !== null && kv?.[1]) entries.set(k, kv[1]);
        }
      }
      for (const [k, v] of args.keywords) entries.set(k, v);
      return { kind: "dict", entries };
    }
    case "list":
    case "tuple":
    case "set":
    case "frozenset":
    case "sorted":
    case "reversed": {
      if (!a) return { kind: callee.name === "tuple" ? "tuple" : "list", items: [] };
      const items = iterate(a);
      if (!items) return unknown(`${callee.name}() of an unknown value`, site);
      let out = [...items];
      if (callee.name === "sorted") out = sortValues(out);
      if (callee.name === "reversed") out.reverse();
      const kind = callee.name === "tuple" ? "tuple" : callee.name.endsWith("set") ? "set" : "list";
      return { kind, items: out };
    }
    case "str":
      return a
        ? scalarText(a) !== null
          ? str(scalarText(a) as string)
          : unknown("str()", site)
        : str("");
    case "len": {
      const items = a ? iterate(a) : null;
      return items ? { kind: "num", value: items.length } : unknown("len()", site);
    }
    case "getattr": {
      if (!a || b?.kind !== "str") return unknown("getattr()", site);
      const v = args.positional[2] ? ev.probe(a, b.value, site) : ev.getAttr(a, b.value, site);
      // Of an object not known, exploring (src/rpc/): the attribute may well be there.
      if (a.kind === "unknown" && ev.mode.exploreUnknownLoops) return v;
      if (v.kind === "unknown" && args.positional[2]) return args.positional[2];
      return v;
    }
    case "setattr": {
      const value = args.positional[2];
      if (!a || b?.kind !== "str" || !value) return unknown("setattr()", site);
      if (a.kind === "instance") a.attrs.set(b.value, value);
      else if (a.kind === "class") ev.setClassAttr(a.decl, b.value, value);
      else if (a.kind === "function") {
        a.attrs ??= new Map();
        a.attrs.set(b.value, value);
      } else return unknown("setattr() on a value that keeps no attributes", site);
      return NONE;
    }
    case "hasattr": {
      if (!a || b?.kind !== "str") return unknown("hasattr()", site);
      const v = ev.probe(a, b.value, site);
      return v.kind === "unknown" ? unknown("hasattr()", site) : { kind: "bool", value: true };
    }
    case "zip": {
      const lists = args.positional.map(iterate);
      if (lists.some((l) => !l)) return unknown("zip()", site);
      const n = Math.min(...lists.map((l) => (l as Value[]).length));
      const items: Value[] = [];
      for (let i = 0; i < n; i++)
        items.push({ kind: "tuple", items: lists.map((l) => (l as Value[])[i] as Value) });
      return { kind: "list", items };
    }
    case "enumerate": {
      const items = a ? iterate(a) : null;
      if (!items) return unknown("enumerate()", site);
      return {
        kind: "list",
        items: items.map((v, i) => ({ kind: "tuple", items: [{ kind: "num", value: i }, v] })),
      };
    }
    case "isinstance":
      return a && b ? isInstance(ev, a, b, site) : unknown("isinstance()", site);
    case "_":
      return a ?? NONE; // gettext marker
    case "object.__init__":
      return NONE;
    case "object.__new__":
      // `super().__new__(cls)` in a singleton's __new__: a new object, its __init__ not run.
      return a?.kind === "class" ? ev.construct(a.decl, noArgs(), site) : unknown("__new__", site);
    case "type.__subclasses__":
      if (self?.kind !== "class") return unknown("__subclasses__()", site);
      return {
        kind: "list",
        items: ev.subclasses.direct(ev, self.decl).map((decl) => ({ kind: "class", decl })),
      };
  }
  return self
    ? callMethod(callee.name, self, args, site)
    : unknown(`builtin ${callee.name}()`, site);
}

function callMethod(name: string, self: Value, args: CallArgs, site: SourceRef): Value {
  const [a, b] = args.positional;
  if (self.kind === "str") {
    const s = self.value;
    const sa = a?.kind === "str" ? a.value : undefined;
    switch (name) {
      case "str.replace":
        return sa !== undefined && b?.kind === "str"
          ? str(s.split(sa).join(b.value))
          : unknown("str.replace", site);
      case "str.lower":
        return str(s.toLowerCase());
      case "str.upper":
        return str(s.toUpperCase());
      case "str.capitalize":
        return str(s.charAt(0).toUpperCase() + s.slice(1).toLowerCase());
      case "str.strip":
        return str(sa === undefined ? s.trim() : trimChars(s, sa, true, true));
      case "str.rstrip":
        return str(sa === undefined ? s.trimEnd() : trimChars(s, sa, false, true));
      case "str.lstrip":
        return str(sa === undefined ? s.trimStart() : trimChars(s, sa, true, false));
      case "str.startswith":
        return sa !== undefined ? { kind: "bool", value: s.startsWith(sa) } : unknown(name, site);
      case "str.endswith":
        return sa !== undefined ? { kind: "bool", value: s.endsWith(sa) } : unknown(name, site);
      case "str.split":
        return {
          kind: "list",
          items: (sa === undefined ? s.trim().split(/\s+/) : s.split(sa)).map(str),
        };
      case "str.join": {
        const items = a ? iterate(a) : null;
        const parts = items?.map(scalarText);
        return parts?.every((p) => p !== null) ? str(parts.join(s)) : unknown("str.join", site);
      }
      case "str.format": {
        const formatted = formatString(s, args);
        return formatted === null
          ? unknown("str.format with unknown arguments", site)
          : str(formatted);
      }
    }
  }
  if (self.kind === "list") {
    switch (name) {
      case "list.append":
        if (a) self.items.push(a);
        return NONE;
      case "list.insert":
        if (a?.kind === "num" && b) self.items.splice(a.value, 0, b);
        return NONE;
      case "list.extend": {
        const items = a ? iterate(a) : null;
        if (items) self.items.push(...items);
        return NONE;
      }
      case "list.copy":
        return { kind: "list", items: [...self.items] };
      case "list.remove": {
        const i = a ? self.items.findIndex((x) => valuesEqual(x, a) === true) : -1;
        if (i >= 0) self.items.splice(i, 1);
        return NONE;
      }
      case "list.pop": {
        const i =
          a?.kind === "num"
            ? a.value < 0
              ? self.items.length + a.value
              : a.value
            : self.items.length - 1;
        return self.items.splice(i, 1)[0] ?? unknown("pop from an empty list", site);
      }
      case "list.index": {
        const i = a ? self.items.findIndex((x) => valuesEqual(x, a) === true) : -1;
        return i >= 0 ? { kind: "num", value: i } : unknown("list.index", site);
      }
    }
  }
  if (self.kind === "set" && name === "set.add" && a) {
    if (!self.items.some((x) => valuesEqual(x, a) === true)) self.items.push(a);
    return NONE;
  }
  if (self.kind === "set" && (name === "set.discard" || name === "set.remove") && a) {
    const i = self.items.findIndex((x) => valuesEqual(x, a) === true);
    if (i >= 0) self.items.splice(i, 1);
    return NONE;
  }
  if (self.kind === "dict") {
    switch (name) {
      case "dict.get": {
        const k = a ? dictKey(a) : null;
        if (k === null) return unknown("dict.get with an unknown key", site);
        return self.entries.get(k) ?? b ?? NONE;
      }
      case "dict.iteritems": // Python 2 spellings, common before Newton
      case "dict.items":
        return {
          kind: "list",
          items: [...self.entries].map(([k, v]) => ({ kind: "tuple", items: [keyValue(k), v] })),
        };
      case "dict.iterkeys":
      case "dict.keys":
        return { kind: "list", items: [...self.entries.keys()].map(keyValue) };
      case "dict.itervalues":
      case "dict.values":
        return { kind: "list", items: [...self.entries.values()] };
      case "dict.copy":
        return { kind: "dict", entries: new Map(self.entries) };
      case "dict.update": {
        if (a?.kind === "dict") for (const [k, v] of a.entries) self.entries.set(k, v);
        for (const [k, v] of args.keywords) self.entries.set(k, v);
        return NONE;
      }
      case "dict.setdefault": {
        const k = a ? dictKey(a) : null;
        if (k === null) return unknown("dict.setdefault", site);
        if (!self.entries.has(k)) self.entries.set(k, b ?? NONE);
        return self.entries.get(k) ?? NONE;
      }
      case "dict.pop": {
        const k = a ? dictKey(a) : null;
        if (k === null) return unknown("dict.pop", site);
        const v = self.entries.get(k);
        self.entries.delete(k);
        return v ?? b ?? unknown(`missing key ${k}`, site);
      }
    }
  }
  return unknown(`${name}()`, site);
}

/** Python type names of the values we model, as `isinstance(x, str)` tests them. */
const TYPE_OF: Partial<Record<Value["kind"], string[]>> = {
  str: ["str", "six.string_types", "six.text_type", "basestring"],
  num: ["int", "float"],
  bool: ["bool", "int"],
  list: ["list"],
  tuple: ["tuple"],
  set: ["set", "frozenset"],
  dict: ["dict"],
};

function isInstance(ev: Evaluator, value: Value, types: Value, site: SourceRef): Value {
  const candidates = types.kind === "tuple" ? types.items : [types];
  const names = TYPE_OF[value.kind];
  let undecided = false;
  for (const t of candidates) {
    if (t.kind === "builtin" || t.kind === "external") {
      if (names?.includes(t.name)) return { kind: "bool", value: true };
      if (!names) undecided = true;
    } else if (t.kind === "class") {
      if (value.kind === "instance") {
        if (ev.mro(value.cls).some((r) => r.kind === "class" && r.decl === t.decl))
          return { kind: "bool", value: true };
      } else if (!names) undecided = true;
    } else undecided = true;
  }
  return undecided
    ? unknown("isinstance() of a value not known statically", site)
    : { kind: "bool", value: false };
}

function trimChars(s: string, chars: string, start: boolean, end: boolean): string {
  let i = 0;
  let j = s.length;
  while (start && i < j && chars.includes(s[i] as string)) i++;
  while (end && j > i && chars.includes(s[j - 1] as string)) j--;
  return s.slice(i, j);
}

function formatString(fmt: string, args: CallArgs): string | null {
  let auto = 0;
  let failed = false;
  const out = fmt.replace(
    /\{\{|\}\}|\{([^{}!:]*)(![rs])?(:[^{}]*)?\}/g,
    (m, field: string | undefined) => {
      if (m === "{{") return "{";
      if (m === "}}") return "}";
      const key = field ?? "";
      const v =
        key === ""
          ? args.positional[auto++]
          : /^\d+$/.test(key)
            ? args.positional[Number(key)]
            : args.keywords.get(key);
      const s = v ? scalarText(v) : null;
      if (s === null) failed = true;
      return s ?? "";
    },
  );
  return failed ? null : out;
}

function sortValues(items: Value[]): Value[] {
  return [...items].sort((x, y) => {
    const a = scalarText(x) ?? "";
    const b = scalarText(y) ?? "";
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
