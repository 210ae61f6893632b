/**
 * What composite factories do with their settings, as far as apimap knows without hooks, and
 * how urlmap keys become mounts.
 */
import type { CompositeKind, FactorySpec } from "./types.js";

/**
 * What apimap knows about composite factories without help. Hooks come first; these are the
 * names OpenStack services share:
 * - `egg:Paste#urlmap`, and any `*:urlmap_factory` / `*:root_app_factory` (Nova's own urlmap,
 *   Glance's and Cinder's root_app_factory, which only drop disabled versions then call
 *   Paste's urlmap_factory);
 * - `*:pipeline_factory*` (Nova's pipeline_factory_v21, Neutron's and Cinder's
 *   pipeline_factory), which pick `local_conf[CONF.auth_strategy]`, default `keystone`.
 */
export function classifyBuiltin(factory: FactorySpec): CompositeKind | null {
  if (factory.kind === "egg") {
    const [dist = "", entry = "main"] = factory.spec.split("#");
    return dist.toLowerCase() === "paste" && entry.trim() === "urlmap" ? { kind: "urlmap" } : null;
  }
  if (factory.kind !== "composite" && factory.kind !== "call") return null;
  const last = factory.attr?.split(".").pop() ?? "";
  if (last === "urlmap_factory" || last === "root_app_factory") return { kind: "urlmap" };
  if (last.startsWith("pipeline_factory")) return { kind: "pipelines", default: "keystone" };
  return null;
}

/**
 * paste.urlmap.parse_path_expression, then URLMap.normalize_url: `domain x port y /path`,
 * `//` collapsed, trailing `/` dropped. Nova's urlmap also accepts `/v2.1/+` ("something must
 * follow"), mounted at `/v2.1`. The domain and port are not part of the mount. Null when the
 * key is not a path expression.
 */
export function parsePathExpression(key: string): string | null {
  const parts = key.split(/\s+/).filter((p) => p !== "");
  let found: string | null = null;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? "";
    if (part === "domain" || part === "port") {
      i++;
      continue;
    }
    if (found !== null || !part.startsWith("/")) return null;
    found = part;
  }
  const p = (found ?? "").replace(/\/\+$/, "");
  return p.replace(/\/\/+/g, "/").replace(/\/+$/, "");
}

export function joinMount(outer: string, inner: string): string {
  return `${outer}${inner}`.replace(/\/\/+/g, "/").replace(/\/+$/, "");
}
