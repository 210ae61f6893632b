import type { DiagnosticSink, SourceRef } from "../model/diagnostics.js";
import type { EntryPoint } from "../packaging/types.js";
import type { Evaluator } from "../python/evaluator.js";
import {
  type CallArgs,
  type HostObject,
  NONE,
  str,
  truthy,
  unknown,
  type Value,
} from "../python/values.js";

/** The stevedore classes OpenStack loads plugins with, under the names code reaches them by. */
const MANAGERS: Record<string, "extension" | "enabled" | "named" | "driver"> = {
  "stevedore.ExtensionManager": "extension",
  "stevedore.extension.ExtensionManager": "extension",
  "stevedore.EnabledExtensionManager": "enabled",
  "stevedore.enabled.EnabledExtensionManager": "enabled",
  "stevedore.NamedExtensionManager": "named",
  "stevedore.named.NamedExtensionManager": "named",
  "stevedore.DriverManager": "driver",
  "stevedore.driver.DriverManager": "driver",
};

/** Every entry point of a group, over all distributions on the path, in file order. */
export type EntryPointLookup = (group: string) => EntryPoint[];

/**
 * A model of stevedore: a manager reads the entry points of its namespace from the project's
 * packaging (setup.cfg, entry_points.txt …) instead of importlib.metadata, loads each plugin
 * class statically, and — with `invoke_on_load` — instantiates it with `invoke_args/kwds`.
 * Nova's v2.1 API (Liberty–Ocata) is built this way from `nova.api.v21.extensions`.
 */
export function stevedoreCall(
  ev: Evaluator,
  entryPoints: EntryPointLookup,
  diagnostics: DiagnosticSink,
): (name: string, args: CallArgs, site: SourceRef) => Value | undefined {
  return (name, args, site) => {
    const kind = MANAGERS[name];
    if (!kind) return undefined;
    const arg = (index: number, key: string) => args.positional[index] ?? args.keywords.get(key);
    const namespace = arg(0, "namespace");
    if (namespace?.kind !== "str") {
      diagnostics.warn(`${name}: the namespace is not known statically`, site);
      return unknown(`${name} with an unknown namespace`, site);
    }
    const invoke =
      truthy(args.keywords.get("invoke_on_load") ?? { kind: "bool", value: false }) === true;
    const invokeArgs = args.keywords.get("invoke_args");
    const invokeKwds = args.keywords.get("invoke_kwds");
    const callArgs: CallArgs = {
      positional:
        invokeArgs?.kind === "tuple" || invokeArgs?.kind === "list" ? [...invokeArgs.items] : [],
      keywords: invokeKwds?.kind === "dict" ? new Map(invokeKwds.entries) : new Map(),
    };
    let selected = entryPoints(namespace.value);
    if (kind === "named" || kind === "driver") {
      const names = arg(1, kind === "named" ? "names" : "name");
      const wanted =
        names?.kind === "str"
          ? [names.value]
          : names?.kind === "list" || names?.kind === "tuple"
            ? names.items.flatMap((n) => (n.kind === "str" ? [n.value] : []))
            : null;
      if (wanted === null) {
        // A quiet run (the RPC map exploring constructors) may reach a manager it does not need.
        if (!ev.mode.quiet)
          diagnostics.warn(
            `${name}(${namespace.value}): which plugins are named is not known statically`,
            site,
          );
      } else if (
        truthy(args.keywords.get("name_order") ?? { kind: "bool", value: false }) === true
      ) {
        // name_order=True: the configured order, not the entry points' order.
        selected = wanted.flatMap((n) => selected.filter((e) => e.name === n));
      } else selected = selected.filter((e) => wanted.includes(e.name));
    }
    if (selected.length === 0 && entryPoints(namespace.value).length === 0) {
      diagnostics.warn(
        `stevedore namespace ${namespace.value} has no entry points in the project's packaging`,
        site,
      );
    }
    const checkFunc = kind === "enabled" ? arg(1, "check_func") : undefined;
    const extensions: Value[] = [];
    const undecided: string[] = [];
    for (const ep of selected) {
      const plugin = ep.module
        ? ev.resolveDotted(ep.module, ep.attr ? ep.attr.split(".") : [])
        : unknown(`entry point ${ep.value}`);
      const obj = invoke ? ev.call(plugin, callArgs, ep.source) : NONE;
      const ext = extensionObject(ep, plugin, obj);
      if (checkFunc) {
        const ok = truthy(ev.call(checkFunc, { positional: [ext], keywords: new Map() }, site));
        if (ok === false) continue;
        if (ok === null) undecided.push(ep.name);
      }
      extensions.push(ext);
    }
    if (undecided.length > 0) {
      diagnostics.add(
        "info",
        `stevedore ${namespace.value}: check_func is not decidable statically for ${undecided.length} of ${selected.length} plugins (configuration); they are loaded`,
        site,
      );
    }
    return managerObject(ev, namespace.value, extensions, invoke);
  };
}

/** stevedore.extension.Extension: name, entry_point, plugin, obj. */
function extensionObject(ep: EntryPoint, plugin: Value, obj: Value): Value {
  const host: HostObject = {
    label: `stevedore Extension ${ep.name}`,
    provenance: { detail: `entry point [${ep.group}] ${ep.name} = ${ep.value}`, ...ep.source },
    getAttr: (name) => {
      switch (name) {
        case "name":
          return str(ep.name);
        case "plugin":
          return plugin;
        case "obj":
          return obj;
        case "entry_point_target":
          return str(ep.value);
        default:
          return undefined;
      }
    },
  };
  return { kind: "host", host };
}

function managerObject(
  ev: Evaluator,
  namespace: string,
  extensions: Value[],
  invoked: boolean,
): Value {
  const label = `stevedore manager ${namespace}`;
  const method = (name: string, fn: (args: CallArgs, site: SourceRef) => Value): Value => ({
    kind: "host",
    host: { label: `${label}.${name}`, call: fn },
  });
  const host: HostObject = {
    label,
    iterate: () => extensions,
    getAttr: (name) => {
      switch (name) {
        case "extensions":
          return { kind: "list", items: extensions };
        case "names":
          return method("names", () => ({
            kind: "list",
            items: extensions.map((e) => ev.getAttr(e, "name")),
          }));
        case "map":
          return method("map", (args, site) => {
            const [fn, ...rest] = args.positional;
            if (!fn) return unknown("map() without a function", site);
            const items = extensions.map((e) =>
              ev.call(fn, { positional: [e, ...rest], keywords: args.keywords }, site),
            );
            return { kind: "list", items };
          });
        case "driver":
          // DriverManager.driver: the object when invoked on load, else the plugin itself.
          return extensions[0] ? ev.getAttr(extensions[0], invoked ? "obj" : "plugin") : undefined;
        default:
          return undefined;
      }
    },
  };
  return { kind: "host", host };
}

/**
 * A project class deriving from a stevedore manager (ML2's `ExtensionManager(NamedExtensionManager)`):
 * its `super().__init__(namespace, …)` builds the modelled manager, which then answers the
 * inherited attributes and iteration.
 */
export function stevedoreBase(
  create: (name: string, args: CallArgs, site: SourceRef) => Value | undefined,
): (base: string) => HostObject | undefined {
  return (base) => {
    if (!MANAGERS[base]) return undefined;
    let built: HostObject | null = null;
    const host: HostObject = {
      label: `${base} (subclassed)`,
      iterate: () => built?.iterate?.() ?? [],
      getAttr: (name) => {
        if (name === "__init__") {
          return {
            kind: "host",
            host: {
              label: `${base}.__init__`,
              call: (args, site) => {
                const manager = create(base, args, site);
                if (manager?.kind === "host") built = manager.host;
                return NONE;
              },
            },
          };
        }
        return built?.getAttr?.(name);
      },
    };
    return host;
  };
}
