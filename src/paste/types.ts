import type { Diagnostic, SourceRef } from "../model/diagnostics.js";

/**
 * How a paste section names the Python object that builds it.
 * - "app", "composite", "filter", "filter_app": `paste.<kind>_factory = module.path:Obj.attr`
 * - "call": `use = call:module.path:function`
 * - "egg": `use = egg:Distribution#entry`; `spec` is `Distribution#entry` as written, to be
 *   looked up in that distribution's `paste.*_factory` entry points.
 */
export interface FactorySpec {
  kind: "app" | "composite" | "filter" | "filter_app" | "egg" | "call";
  /** `nova.api.openstack.compute:APIRouterV21.factory`, or `Paste#urlmap` for an egg. */
  spec: string;
  /** `nova.api.openstack.compute`; null for an egg. */
  module: string | null;
  /** `APIRouterV21.factory`; null for an egg or a bare module. */
  attr: string | null;
}

/** One hop from a root towards an application, for people reading the map. */
export interface PasteStep {
  /** e.g. `composite osapi_compute urlmap /v2.1/+ → openstack_compute_api_v21`. */
  detail: string;
  file: string;
  line: number;
}

/** One filter chain that reaches an application at a mount. */
export interface PastePipeline {
  /**
   * Which chain this is: the keys chosen at pipeline-choosing composites (`keystone`), joined
   * with "/"; else the outermost `[pipeline:]` on the way (`glance-api-keystone`); else the root.
   */
  name: string;
  /** Filter names as written in the paste file, outermost first. */
  filters: string[];
  /** True when the default root serves this chain with every default pipeline chosen. */
  default: boolean;
  /** The root section this chain starts from. */
  root: string;
}

export interface PasteApp {
  /** The section name (`osapi_compute_app_v21`), or the reference as written for `egg:`/`call:`. */
  name: string;
  /** Where the app is mounted: `/v2.1`, or `/` when no urlmap prefixes it. */
  mount: string;
  factory: FactorySpec;
  /** Filters of the preferred chain (see `pipelines`), outermost first. */
  pipeline: string[];
  /** Every chain reaching this app at this mount: preferred first, then in discovery order. */
  pipelines: PastePipeline[];
  /** PasteDeploy's local_conf: the section's own settings, interpolated, minus `use` etc. */
  localConf: Record<string, string>;
  /** The `[app:]` (or `[composite:]`) section header, or the `egg:`/`call:` reference. */
  source: SourceRef;
  /** How the preferred chain reaches the app from its root. */
  via: PasteStep[];
}

export interface PasteFilter {
  /** The name pipelines use (`authtoken`, `egg:Paste#cgitb`). */
  name: string;
  factory: FactorySpec;
  localConf: Record<string, string>;
  /** The `[filter:]` / `[filter-app:]` header, or the `egg:`/`call:` reference. */
  source: SourceRef;
}

export interface PasteResolution {
  apps: PasteApp[];
  /** Filters on some chain, in the order first met. */
  filters: PasteFilter[];
  /** Application sections nothing else references, in file order. */
  roots: string[];
  /** The root a deployment loads by default, or null when the file does not say (see resolve). */
  defaultRoot: string | null;
  /** PasteDeploy's global_conf: `[DEFAULT]` plus `here` and `__file__`, interpolated. */
  globalConf: Record<string, string>;
  diagnostics: Diagnostic[];
}

/**
 * What a composite factory does with its settings, as far as apimap needs to know.
 * - urlmap: every `/path = app` setting mounts an app (Paste's urlmap_factory and its
 *   wrappers: nova.api.openstack.urlmap, glance.api:root_app_factory, cinder.api:root_app_factory)
 * - pipelines: every setting is a whole pipeline `f1 f2 app`, one chosen by configuration
 *   (`[api] auth_strategy`, default `keystone`): nova.api.auth:pipeline_factory_v21,
 *   neutron.auth:pipeline_factory, cinder.api.middleware.auth:pipeline_factory
 * - app: an application apimap does not look inside.
 */
export type CompositeKind =
  | { kind: "urlmap" }
  | { kind: "pipelines"; default: string }
  | { kind: "app" };

export interface PasteHooks {
  /** Root names to treat as the default one, in order of preference (e.g. `["glance-api"]`). */
  defaultRoots?: readonly string[];
  /**
   * Say what a composite (or `use = call:`/`egg:`) factory does; return undefined to fall back
   * to apimap's built-in knowledge (see `classifyBuiltin` in resolve.ts).
   */
  classifyComposite?: (factory: FactorySpec, section: string) => CompositeKind | null | undefined;
}
