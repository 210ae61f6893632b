import type { Diagnostic, SourceRef } from "./diagnostics.js";

/** The `apimap/1` contract (see DESIGN.md): keys are stable, new keys may be added. */
export const SCHEMA = "apimap/1";

/** A Python function or class, qualified where it is defined, with its file relative to its root. */
export interface CodeRef {
  qualname: string;
  file: string;
  line: number;
}

/** One step of how an endpoint was derived: the manual reasoning of the seeds, recorded. */
export interface TraceStep {
  step: string;
  detail: string;
  file: string;
  line: number;
}

export interface PipelineChoice {
  name: string;
  filters: string[];
  default: boolean;
}

export interface AppEntry {
  name: string;
  /** The paste file that declares the app (a tree can hold several: Glance's api, registry, glare). */
  paste: string;
  mount: string;
  /** Filters of the default chain, outermost first. */
  pipeline: string[];
  /** Every named chain that reaches this app (noauth, keystone, …). */
  pipelines: PipelineChoice[];
  factory: string;
  /** The recipe that mapped the app, or null when none understood its factory. */
  recipe: string | null;
  source: SourceRef;
}

export interface Endpoint {
  app: string;
  /** The paste file of `app`, so apps of the same name in two paste files stay apart. */
  paste: string;
  /** Where the app is mounted; an app section can be mounted at several prefixes. */
  mount: string;
  /** HTTP method, or "*" when the route has no method condition (it answers any method). */
  method: string;
  path: string;
  action: string | null;
  handler: CodeRef | null;
  implementation: CodeRef | null;
  versions: { min: string | null; max: string | null } | null;
  /** The route exists but no method answers it (the framework replies 404/501). */
  missing?: boolean;
  /** True for routes that exist only to answer 405 (Glance's reject_method_resource). */
  rejects?: boolean;
  /** Methods a rejecting route says are allowed. */
  allowedMethods?: string[];
  /** `@wsgi.response(code)`: the success status the handler answers with. */
  status?: number;
  /** `@wsgi.expected_errors(...)`: the error statuses the handler may answer with. */
  errors?: number[];
  /** Policy rules the handler checks with a constant name (`context.can(...)`). */
  policies?: string[];
  /** The service-API methods the handler calls, each with the RPC hops it makes (Nova). */
  calls?: {
    qualname: string;
    file: string;
    line: number;
    rpc: {
      client: CodeRef;
      method: string;
      mode: "call" | "cast";
      topic: string | null;
      server: CodeRef | null;
      service?: string | null;
      fanout?: boolean;
    }[];
  }[];
  /** Neutron: the plugin whose method `implementation` is, and its type (CORE, L3_ROUTER_NAT, …). */
  plugin?: { class: string; type: string };
  /**
   * Neutron: the plugin method name the generic controller asks for (`create_network`), also
   * when the plugin has none (`implementation` null, `missing` true) or a proxy answers it.
   */
  pluginMethod?: string;
  /**
   * The paste filter whose own router answered the request before the app saw it (Neutron's
   * `extensions` filter); absent when the app itself answered.
   */
  servedBy?: string;
  /** `@wsgi.extends` handlers that run alongside this one (Nova's controller extensions). */
  extensions?: CodeRef[];
  /** Target of a `mapper.redirect` route: the request is answered with a redirect, no handler runs. */
  redirect?: string;
  /** The routes path as declared, before the mount prefix and format suffix were applied. */
  routePath?: string;
  trace: TraceStep[];
}

/** A binary of the project: what its launch script starts (the first seed's first step). */
export interface ServiceEntry {
  binary: string;
  /** wsgi: serves a paste app; rpc: a service.Service with a manager; other: anything else. */
  kind: "wsgi" | "rpc" | "other";
  /** The entry point, `nova.cmd.compute:main`. */
  entry: string;
  /** The entry point's group: console_scripts or wsgi_scripts. */
  group: string;
  manager?: CodeRef | null;
  topic?: string | null;
  /** wsgi: the paste sections it loads (`osapi_compute`) and where they are mounted. */
  apps?: { name: string; mounts: string[] }[];
  /** Where the script starts it (`service.Service.create(...)`), or the entry point. */
  evidence: { file: string; line: number };
  /** For kind other: why; for an rpc entry without one manager: what serves it. */
  reason?: string;
  /**
   * What the binary serves on the message bus, found by running the code that registers its
   * RPC servers (`create_consumer(topic, endpoints, fanout)`): per topic, the endpoint classes
   * in dispatch order. neutron-server is `wsgi` and serves its plugins' RPC here too.
   */
  consumes?: {
    topic: string | null;
    fanout: boolean;
    endpoints: CodeRef[];
    source: SourceRef;
  }[];
  /** The topics of the RPC clients the binary makes while it starts (an agent's server topics). */
  sendsTo?: string[];
}

/** One remote method of an RPC client class and the manager method it reaches. */
export interface RpcEntry {
  /**
   * The binary whose RPC server handles the message; null when no binary consumes its topic
   * (in the configuration mapped: Neutron's q-l3-plugin needs the router service plugin).
   */
  service: string | null;
  /**
   * The topic sent to. Parts not known statically are written `{name}`
   * (`neutron-vo-{resource_type}-{version}`); null when nothing is known.
   */
  topic: string | null;
  /** The RPC namespace the client targets (`compute_task`), when not the manager's default. */
  namespace?: string;
  client: CodeRef;
  method: string;
  mode: "call" | "cast";
  /** The version it asks for first; `versions` when it falls back to older ones. */
  version: string | null;
  versions?: string[];
  fanout?: boolean;
  /** How `prepare(server=…)` routes it, as written. */
  routing?: string;
  /**
   * Set when what the client sends depends on the version negotiated at run time
   * (`can_send_version(…)`): the range of version caps in which this variant is sent, `min`
   * inclusive, `max` exclusive, null when open. Cinder's VolumeAPI.failover sends
   * `failover_host` under {min: null, max: "3.8"} and `failover` under {min: "3.8", max: null}.
   */
  negotiated?: { min: string | null; max: string | null };
  server: CodeRef | null;
  /** No method of that name on the server side. */
  missing?: boolean;
}

export interface ApiMap {
  schema: typeof SCHEMA;
  /** `config`: the oslo.config file whose settings were used; null means every option's default. */
  project: { name: string; version: string | null; roots: string[]; config: string | null };
  services: ServiceEntry[];
  apps: AppEntry[];
  endpoints: Endpoint[];
  rpc: RpcEntry[];
  diagnostics: Diagnostic[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Deterministic order: app, path, method, action (DESIGN.md). */
export function sortEndpoints(endpoints: Endpoint[]): Endpoint[] {
  return [...endpoints].sort(
    (a, b) =>
      cmp(a.app, b.app) ||
      cmp(a.paste, b.paste) ||
      cmp(a.path, b.path) ||
      cmp(a.method, b.method) ||
      cmp(a.action ?? "", b.action ?? "") ||
      cmp(a.handler?.qualname ?? "", b.handler?.qualname ?? ""),
  );
}

export function sortApps(apps: AppEntry[]): AppEntry[] {
  return [...apps].sort(
    (a, b) => cmp(a.paste, b.paste) || cmp(a.mount, b.mount) || cmp(a.name, b.name),
  );
}
