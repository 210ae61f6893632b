import type { SourceRef } from "../model/diagnostics.js";
import type { CallArgs, HostObject, Value } from "./values.js";
import { NONE, str, unknown } from "./values.js";

/**
 * The part of Python's `re` that code deciding names uses: `re.compile`, `match`, `search`,
 * `fullmatch` and a match's `group`/`groups`/`groupdict` (QoSPluginBase.__getattr__ turns
 * `get_policy_bandwidth_limit_rules` into `get_policy_rules` with them). Flags are not modelled:
 * a call with flags is Unknown.
 */
export function reCall(name: string, args: CallArgs, site: SourceRef): Value | undefined {
  const op = /^re\.(compile|match|search|fullmatch)$/.exec(name)?.[1];
  if (!op) return undefined;
  const [pattern, text, flags] = args.positional;
  if (flags || args.keywords.has("flags")) return unknown(`${name}() with flags`, site);
  const compiled = patternOf(pattern);
  if (!compiled) return unknown(`${name}() of an unknown pattern`, site);
  if (op === "compile") return { kind: "host", host: compiled };
  return compiled.run(op, text, site);
}

interface Pattern extends HostObject {
  run(op: string, text: Value | undefined, site: SourceRef): Value;
}

const PATTERNS = new WeakMap<HostObject, Pattern>();

function patternOf(v: Value | undefined): Pattern | null {
  if (v?.kind === "host") return PATTERNS.get(v.host) ?? null;
  if (v?.kind !== "str") return null;
  let regexp: RegExp;
  try {
    regexp = new RegExp(pythonRegExp(v.value));
  } catch {
    return null;
  }
  const source = v.value;
  const pattern: Pattern = {
    label: `re.compile(${JSON.stringify(source)})`,
    run(op, text, site) {
      if (text?.kind !== "str") return unknown(`re ${op}() of an unknown string`, site);
      const anchored =
        op === "search"
          ? regexp
          : new RegExp(op === "match" ? `^(?:${regexp.source})` : `^(?:${regexp.source})$`);
      const m = anchored.exec(text.value);
      return m ? { kind: "host", host: matchObject(m, source) } : NONE;
    },
    getAttr(name) {
      if (name === "pattern") return str(source);
      if (name !== "match" && name !== "search" && name !== "fullmatch") return undefined;
      return {
        kind: "host",
        host: {
          label: `${pattern.label}.${name}`,
          call: (args, site) => pattern.run(name, args.positional[0], site),
        },
      };
    },
  };
  PATTERNS.set(pattern, pattern);
  return pattern;
}

function matchObject(m: RegExpExecArray, source: string): HostObject {
  const group = (key: Value | undefined): Value => {
    const k = key === undefined ? 0 : key.kind === "num" ? key.value : key;
    const got = typeof k === "number" ? m[k] : k.kind === "str" ? m.groups?.[k.value] : undefined;
    return got === undefined ? NONE : str(got);
  };
  const method = (name: string, call: HostObject["call"]): Value => ({
    kind: "host",
    host: { label: `re.Match.${name}`, ...(call ? { call } : {}) },
  });
  return {
    label: `re.Match(${JSON.stringify(source)})`,
    truthy: () => true,
    getAttr(name) {
      if (name === "group") {
        return method("group", (args) =>
          args.positional.length > 1
            ? { kind: "tuple", items: args.positional.map(group) }
            : group(args.positional[0]),
        );
      }
      if (name === "groups")
        return method("groups", () => ({
          kind: "tuple",
          items: m.slice(1).map((g) => (g === undefined ? NONE : str(g))),
        }));
      if (name === "groupdict")
        return method("groupdict", () => ({
          kind: "dict",
          entries: new Map(
            Object.entries(m.groups ?? {}).map(([k, g]) => [k, g === undefined ? NONE : str(g)]),
          ),
        }));
      return undefined;
    },
  };
}

/** The few spellings where Python's `re` and JavaScript regular expressions differ. */
export function pythonRegExp(source: string): string {
  return source
    .replace(/\(\?P<(\w+)>/g, "(?<$1>")
    .replace(/\(\?P=(\w+)\)/g, "\\k<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\Z/g, "$");
}
