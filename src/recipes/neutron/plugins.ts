import type { SourceRef } from "../../model/diagnostics.js";
import type { ClassDecl } from "../../python/binder.js";
import type { Evaluator } from "../../python/evaluator.js";
import { type CallArgs, type Instance, iterableStrings, type Value } from "../../python/values.js";
import type { AppContext } from "../types.js";

/** A loaded Neutron plugin: the core plugin (type CORE) or a service plugin. */
export interface NeutronPlugin {
  /** What configuration named it: an entry-point alias (`ml2`, `router`) or a class path. */
  provider: string;
  /** `CORE`, or the service type its `get_plugin_type()` returns (`L3_ROUTER_NAT`, `QOS`, …). */
  type: string;
  cls: ClassDecl;
  instance: Instance;
  /** How it was chosen, for the trace. */
  source: SourceRef;
}

/** How the plugin set was chosen, stated in the map. */
export interface PluginConfiguration {
  core: string;
  service: string[];
  from: "flags" | "config" | "defaults";
}

const DEFAULT_CORE = "ml2";

/**
 * NeutronManager's plugin loading (neutron/manager.py): the core plugin and the service plugins
 * named by configuration, each by alias in the `neutron.core_plugins` / `neutron.service_plugins`
 * entry points or as a class path; plus the release's DEFAULT_SERVICE_PLUGINS (Newton on) and
 * every plugin's `required_service_plugins`.
 */
export function loadPlugins(ctx: AppContext): {
  plugins: NeutronPlugin[];
  configuration: PluginConfiguration;
} {
  const { ev } = ctx;
  const opts = ctx.options;
  const confCore = strOf(
    ev.getAttr({ kind: "external", name: "oslo_config.cfg.CONF" }, "core_plugin"),
  );
  const confService = iterableStrings(
    ev.getAttr({ kind: "external", name: "oslo_config.cfg.CONF" }, "service_plugins"),
  );
  const from: PluginConfiguration["from"] =
    opts.corePlugin || opts.servicePlugins || opts.allPlugins
      ? "flags"
      : opts.config
        ? "config"
        : "defaults";
  const core = opts.corePlugin ?? confCore ?? DEFAULT_CORE;
  let service = opts.servicePlugins ?? (from === "config" ? (confService ?? []) : []);
  if (opts.allPlugins) service = ctx.entryPoints("neutron.service_plugins").map((e) => e.name);

  const plugins: NeutronPlugin[] = [];
  const corePlugin = load(ctx, "neutron.core_plugins", core, "CORE");
  if (!corePlugin) return { plugins, configuration: { core, service, from } };
  plugins.push(corePlugin);

  // Newton on: services every deployment gets when the core plugin keeps its own datastore.
  const defaults = ev.resolveDotted("neutron.plugins.common.constants", [
    "DEFAULT_SERVICE_PLUGINS",
  ]);
  const providers = [...service, ...(defaults.kind === "dict" ? [...defaults.entries.keys()] : [])];
  const seen = new Set<string>();
  const add = (provider: string) => {
    if (!provider || seen.has(provider)) return;
    seen.add(provider);
    const cls = pluginClass(ctx, "neutron.service_plugins", provider);
    for (const req of cls
      ? (iterableStrings(ev.classAttr(cls, "required_service_plugins") ?? { kind: "none" }) ?? [])
      : []) {
      add(req);
    }
    const plugin = load(ctx, "neutron.service_plugins", provider, null);
    if (plugin) plugins.push(plugin);
  };
  for (const p of providers) add(p);
  return { plugins, configuration: { core, service: [...seen], from } };
}

function load(
  ctx: AppContext,
  group: string,
  provider: string,
  type: string | null,
): NeutronPlugin | null {
  const cls = pluginClass(ctx, group, provider);
  if (!cls) {
    ctx.diagnostics.warn(
      `neutron plugin ${provider}: not found in the ${group} entry points nor as a class path`,
      ctx.source,
    );
    return null;
  }
  const ep = ctx.entryPoints(group).find((e) => e.name === provider);
  const source = ep?.source ?? ctx.source;
  const instance = ctx.ev.construct(cls, { positional: [], keywords: new Map() }, source);
  const pluginType =
    type ?? strOf(callMethod(ctx.ev, instance, "get_plugin_type", source)) ?? provider;
  return { provider, type: pluginType, cls, instance, source };
}

/** `runtime.load_class_by_alias_or_classname`: an entry point alias, else a dotted class path. */
function pluginClass(ctx: AppContext, group: string, provider: string): ClassDecl | null {
  const ep = ctx.entryPoints(group).find((e) => e.name === provider);
  const dotted = ep?.module && ep.attr ? `${ep.module}.${ep.attr}` : provider.replace(":", ".");
  const dot = dotted.lastIndexOf(".");
  if (dot < 0) return null;
  const v = ctx.ev.resolveDotted(dotted.slice(0, dot), [dotted.slice(dot + 1)]);
  return v.kind === "class" ? v.decl : null;
}

/**
 * `supported_extension_aliases` the way PluginAwareExtensionManager reads it: from the plugin
 * object (ML2 computes it in a property from its extension drivers) and every class of its MRO.
 */
export function supportedAliases(ev: Evaluator, plugin: NeutronPlugin): Set<string> {
  const out = new Set<string>();
  // The property reads what the plugin's constructor sets (ML2's extension and mechanism
  // managers): those attributes alone, not the whole constructor.
  const aliases = ev.withMode({ attributesOnDemand: true }, () =>
    ev.getAttr(plugin.instance, "supported_extension_aliases"),
  );
  for (const a of iterableStrings(aliases) ?? []) out.add(a);
  for (const ref of ev.mro(plugin.cls)) {
    if (ref.kind !== "class") continue;
    for (const a of iterableStrings(
      ev.classAttr(ref.decl, "supported_extension_aliases") ?? { kind: "none" },
    ) ?? []) {
      out.add(a);
    }
  }
  return out;
}

export function callMethod(
  ev: Evaluator,
  self: Value,
  name: string,
  site: SourceRef,
  args?: CallArgs,
): Value {
  return ev.call(
    ev.getAttr(self, name, site),
    args ?? { positional: [], keywords: new Map() },
    site,
  );
}

export function strOf(v: Value): string | null {
  return v.kind === "str" ? v.value : null;
}
