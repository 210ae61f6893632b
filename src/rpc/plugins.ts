import type { EntryPoint } from "../packaging/types.js";
import type { ClassDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import { iterableStrings, type Value } from "../python/values.js";

/** Which plugins the server loads: the options of the command line, as for the REST map. */
export interface PluginChoice {
  corePlugin?: string;
  servicePlugins?: string[];
  allPlugins?: boolean;
  /** An oslo.config file was given: its `core_plugin` and `service_plugins` count. */
  configured: boolean;
}

const CONF: Value = { kind: "external", name: "oslo_config.cfg.CONF" };

/**
 * The plugin classes NeutronManager loads (neutron/manager.py), for what their RPC listeners
 * serve: the core plugin and the service plugins the configuration names (aliases of the
 * `neutron.core_plugins` / `neutron.service_plugins` entry points, or class paths), plus the
 * release's DEFAULT_SERVICE_PLUGINS (Newton on) and each plugin's `required_service_plugins`.
 * The same choice as the REST map's, made from the same options.
 */
export function loadedPlugins(
  ev: Evaluator,
  entryPoints: (group: string) => EntryPoint[],
  choice: PluginChoice,
): ClassDecl[] {
  const str = (v: Value) => (v.kind === "str" ? v.value : null);
  const fromConfig = choice.configured && !choice.corePlugin && !choice.servicePlugins;
  const core =
    choice.corePlugin ?? (fromConfig ? str(ev.getAttr(CONF, "core_plugin")) : null) ?? "ml2";
  let service =
    choice.servicePlugins ??
    (fromConfig ? (iterableStrings(ev.getAttr(CONF, "service_plugins")) ?? []) : []);
  if (choice.allPlugins) service = entryPoints("neutron.service_plugins").map((e) => e.name);
  const out: ClassDecl[] = [];
  const corePlugin = pluginClass(ev, entryPoints, "neutron.core_plugins", core);
  if (!corePlugin) return out;
  out.push(corePlugin);
  const defaults = ev.resolveDotted("neutron.plugins.common.constants", [
    "DEFAULT_SERVICE_PLUGINS",
  ]);
  const seen = new Set<string>();
  const add = (provider: string) => {
    if (!provider || seen.has(provider)) return;
    seen.add(provider);
    const cls = pluginClass(ev, entryPoints, "neutron.service_plugins", provider);
    if (!cls) return;
    for (const req of iterableStrings(ev.classAttr(cls, "required_service_plugins") ?? NO) ?? [])
      add(req);
    if (!out.includes(cls)) out.push(cls);
  };
  for (const p of [...service, ...(defaults.kind === "dict" ? defaults.entries.keys() : [])])
    add(p);
  return out;
}

const NO: Value = { kind: "none" };

/** `load_class_by_alias_or_classname`: an entry point alias, else a dotted class path. */
function pluginClass(
  ev: Evaluator,
  entryPoints: (group: string) => EntryPoint[],
  group: string,
  provider: string,
): ClassDecl | null {
  const ep = entryPoints(group).find((e) => e.name === provider);
  const dotted = ep?.module && ep.attr ? `${ep.module}.${ep.attr}` : provider.replace(":", ".");
  const dot = dotted.lastIndexOf(".");
  if (dot < 0) return null;
  const v = ev.resolveDotted(dotted.slice(0, dot), [dotted.slice(dot + 1)]);
  return v.kind === "class" ? v.decl : null;
}
