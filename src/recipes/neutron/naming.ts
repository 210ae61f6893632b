import type { Value } from "../../python/values.js";
import type { NeutronPlugin } from "./plugins.js";

/** What the generic controller needs to name a plugin method. */
export interface PluginNaming {
  collection: string;
  resource: string;
  parent: string | null;
  memberActions: { has(action: string): boolean };
}

export /** The controller's plugin handler names (NeutronPecanController._plugin_handlers). */
function pluginMethodName(c: PluginNaming, op: string): string {
  if (c.memberActions.has(op)) return op;
  const parent = c.parent ? `_${c.parent}` : "";
  const collection = c.collection.replaceAll("-", "_");
  const resource = c.resource.replaceAll("-", "_");
  if (op === "list") return `get${parent}_${collection}`;
  if (op === "show") return `get${parent}_${resource}`;
  return `${op}${parent}_${resource}`;
}

/**
 * The object a generic controller calls: a loaded plugin (matched by object or class: some
 * extensions reach theirs through `Plugin.get_instance()`), or another object that plays the
 * part (ServiceTypeManager for /service-providers).
 */
export function pluginOf(plugins: NeutronPlugin[], v: Value): NeutronPlugin | null {
  if (v.kind !== "instance") return null;
  const loaded = plugins.find((p) => p.instance === v || p.cls === v.cls);
  if (loaded) return loaded;
  return {
    provider: v.cls.name,
    type: "none (not a plugin)",
    cls: v.cls,
    instance: v,
    source: v.site,
  };
}

export { methodRef } from "../../python/refs.js";
