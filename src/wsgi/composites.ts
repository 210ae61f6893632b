import type { CompositeKind, FactorySpec } from "../paste/types.js";
import type { Evaluator } from "../python/evaluator.js";

/**
 * Decide what a project's own composite factory does by reading it: a function that hands
 * its settings to Paste's `urlmap_factory` mounts apps (glance.api:root_app_factory); one
 * that picks `local_conf[CONF.auth_strategy]` chooses a pipeline (nova, neutron, cinder),
 * whose default strategy is keystone.
 */
export function classifyComposite(ev: Evaluator, factory: FactorySpec): CompositeKind | undefined {
  if (!factory.module || !factory.attr) return undefined;
  const v = ev.resolveDotted(factory.module, factory.attr.split("."));
  if (v.kind !== "function") return undefined;
  const body = v.decl.body?.text ?? "";
  if (/\burlmap_factory\b|\burlmap\.URLMap\b/.test(body)) return { kind: "urlmap" };
  if (/\bauth_strategy\b/.test(body)) return { kind: "pipelines", default: "keystone" };
  return undefined;
}
