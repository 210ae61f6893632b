import type { DiagnosticSink, SourceRef } from "../model/diagnostics.js";
import type { ServiceEntry } from "../model/map.js";
import type { ClassDecl, FunctionDecl } from "../python/binder.js";
import { type Evaluator, iterate } from "../python/evaluator.js";
import { classRef } from "../python/refs.js";
import { parameterNames } from "../python/signature.js";
import { type Instance, stringTemplate, truthy, unknown, type Value } from "../python/values.js";
import { registersConsumers, type ServiceInventory, type Started } from "../services/inventory.js";
import { clientClasses } from "./clientObjects.js";
import { BusRecording, fieldsOf, type MessagingModel, type TargetFields } from "./messaging.js";

/** A class whose objects an RPC server dispatches to, with its `target` namespace and version. */
export interface Endpoint {
  cls: ClassDecl;
  namespace: string | null;
  /** The endpoint's version; oslo.messaging takes 1.0 when its target has none. */
  version: string;
}

/** Endpoints a process serves on a topic (`create_consumer(topic, endpoints, fanout)`). */
export interface Consumer {
  /** The topic, or a template (`q-agent-notifier-port-update.{host}`); null when unknown. */
  topic: string | null;
  fanout: boolean;
  endpoints: Endpoint[];
  site: SourceRef;
}

/** What one binary serves on the bus, and the topics of the clients it makes. */
export interface RpcServer {
  consumers: Consumer[];
  clientTopics: string[];
}

/** Steps one root of a process may take while it is run for its consumers. */
const ROOT_BUDGET = 150_000;

/**
 * What each binary serves, found by running, with the oslo.messaging model recording every RPC
 * server started, the code that registers them: the `Service` object a script creates (its
 * manager on its topic, Neutron's agents), an agent object that calls `create_consumer(s)`
 * itself (the OVS and Linux bridge agents), and the loaded plugins' RPC listener methods
 * (neutron-server's RPC workers). Objects are made as Python makes them, `__init__` first:
 * the L3 agent and the agents' resource caches register consumers in constructors.
 */
export function rpcServers(
  ev: Evaluator,
  model: MessagingModel,
  inventory: ServiceInventory,
  plugins: () => ClassDecl[],
  diagnostics: DiagnosticSink,
): Map<string, RpcServer> {
  const out = new Map<string, RpcServer>();
  for (const [binary, started] of inventory.started) {
    const roots = started.flatMap((s) => rootsOf(ev, s, plugins));
    if (roots.length === 0) continue;
    const recording = new BusRecording();
    for (const root of roots) {
      record(ev, model, recording, root);
    }
    out.set(binary, {
      consumers: consumersOf(ev, recording, diagnostics),
      clientTopics: [
        ...new Set(recording.clients.flatMap((t) => stringTemplate(t.topic) ?? [])),
      ].sort(),
    });
  }
  return out;
}

/** Something to run for the consumers it registers: an object and the methods that do it. */
interface Root {
  object: () => Value;
  methods: (self: Instance) => FunctionDecl[];
  /** Plugins are long made when the RPC workers start: their constructors are not run. */
  constructed: boolean;
}

function rootsOf(ev: Evaluator, s: Started, plugins: () => ClassDecl[]): Root[] {
  switch (s.kind) {
    case "rpc": {
      const create = s.create;
      const owner = create?.kind === "function" ? create.decl.owner : null;
      if (!create || !owner || !registersConsumers(ev, owner)) return [];
      return [
        {
          object: () => ev.call(create, s.args, s.site),
          methods: (self) => registering(ev, self.cls),
          constructed: false,
        },
      ];
    }
    case "object": {
      const object = s.object as Instance;
      // An agent that serves runs what registers its consumers; one that only uses RPC (the
      // metadata agent) what its script calls on it, for the clients it makes.
      const methods = (self: Instance) =>
        s.serves
          ? registering(ev, self.cls)
          : (s.calls ?? []).flatMap((n) => ev.findMethod(self.cls, n)?.decl ?? []);
      return [{ object: () => object, methods, constructed: false }];
    }
    case "rpc-workers": {
      const names = listenerMethods(ev, s.serviceModule);
      return plugins().map((cls) => ({
        object: () => ({
          kind: "instance",
          cls,
          args: { positional: [], keywords: new Map() },
          attrs: new Map(),
          site: s.site,
          initialised: true,
        }),
        methods: () => names.flatMap((n) => ev.findMethod(cls, n)?.decl ?? []),
        constructed: true,
      }));
    }
    default:
      return [];
  }
}

function record(ev: Evaluator, model: MessagingModel, recording: BusRecording, root: Root) {
  const slice = (cls: ClassDecl) => usesRpc(ev, cls);
  const eager = (cls: ClassDecl) => constructorRegisters(ev, cls, registersText(ev));
  model.record(recording, () =>
    ev.budgeted(ROOT_BUDGET, () => {
      const object = ev.withMode({ slice, eager, quiet: true, ownNew: true }, () => root.object());
      if (object.kind !== "instance") return;
      const methods = root.methods(object);
      // An object whose own methods register (setup_rpc) answers what they read of it from its
      // constructor's assignments; one that registers in its constructor (the L3 agent) is made.
      if (!root.constructed && methods.length === 0)
        ev.withMode({ slice, eager, quiet: true, ownNew: true }, () => ev.initialise(object));
      ev.withMode({ slice, eager, attributesOnDemand: true, quiet: true, ownNew: true }, () => {
        for (const fn of methods) {
          const args = parameterNames(fn)
            .slice(1)
            .map((p) => unknown(`argument ${p}`));
          ev.callFunction(fn, object, { positional: args, keywords: new Map() });
        }
      });
    }),
  );
}

/**
 * The methods along a class's MRO, other than `__init__` (run when the object is made), whose
 * body registers consumers: `setup_rpc`, `_setup_rpc`, neutron-lib's `Service.start`.
 */
function registering(ev: Evaluator, cls: ClassDecl): FunctionDecl[] {
  const out: FunctionDecl[] = [];
  for (const ref of ev.mro(cls)) {
    if (ref.kind !== "class") continue;
    for (const [name, defs] of ref.decl.methods) {
      const fn = defs[defs.length - 1] as FunctionDecl;
      if (name !== "__init__" && CONSUMER.test(ev.program.bodyText(fn))) out.push(fn);
    }
  }
  return out;
}

const CONSUMER = /\bcreate_consumers?\(/;

/**
 * Constructors worth running for what they register: classes whose module, or a base's, has
 * anything to do with RPC. A Linux bridge or an OVS database connection an agent makes on the
 * way is left unmade until something reads it.
 */
function usesRpc(ev: Evaluator, cls: ClassDecl): boolean {
  return ev
    .mro(cls)
    .some(
      (ref) =>
        ref.kind === "class" &&
        RPC_TEXT.test(ev.program.module(ref.decl.module)?.parsed.text ?? ""),
    );
}

const constructorText = new WeakMap<ClassDecl, boolean>();

/**
 * Whether making an object registers consumers or makes an RPC client: its constructors along
 * the MRO, and the methods of its own they call (`self._init_rpc_listeners()`), say so. Other
 * objects are made when something reads them, as usual: an agent's firewall driver, its bridges.
 */
function constructorRegisters(ev: Evaluator, cls: ClassDecl, registers: RegExp): boolean {
  const hit = constructorText.get(cls);
  if (hit !== undefined) return hit;
  let found = false;
  for (const ref of ev.mro(cls)) {
    if (ref.kind !== "class" || found) continue;
    for (const init of ref.decl.methods.get("__init__") ?? []) {
      const text = ev.program.bodyText(init);
      const helpers = [...text.matchAll(/\bself\.(\w+)\(/g)].flatMap((m) => {
        const helper = ev.findMethod(cls, m[1] as string)?.decl;
        return helper ? [ev.program.bodyText(helper)] : [];
      });
      if ([text, ...helpers].some((t) => registers.test(t))) found = true;
    }
  }
  constructorText.set(cls, found);
  return found;
}

const registersCache = new WeakMap<Evaluator, RegExp>();

/**
 * What a constructor that registers consumers or makes an RPC client says: create_consumer,
 * get_client, a Connection, or the name of a class whose constructor makes a client
 * (`DhcpPluginApi(topics.PLUGIN, …)` in the DHCP agent's).
 */
function registersText(ev: Evaluator): RegExp {
  let re = registersCache.get(ev);
  if (!re) {
    const names = [...clientClasses(ev).values()].flat().map((c) => c.name);
    re = new RegExp(
      `\\bcreate_consumers?\\(|\\b(?:get_client|RPCClient|get_rpc_client)\\(|\\bConnection\\(${names.length ? `|\\b(?:${[...new Set(names)].join("|")})\\(` : ""}`,
    );
    registersCache.set(ev, re);
  }
  return re;
}

const RPC_TEXT = /_rpc\b|\brpc\.|create_consumers?\(|\b(?:get_client|RPCClient|get_rpc_client)\(/;

/**
 * The plugin methods Neutron's RPC workers call: `RpcWorker.start_listeners_method`
 * (`start_rpc_listeners`, and `start_rpc_state_reports_listener` of the reports worker, Pike
 * on); before that the worker called `start_rpc_listeners()` by name.
 */
function listenerMethods(ev: Evaluator, module: string): string[] {
  const loaded = ev.program.module(module);
  const names = new Set<string>();
  for (const cls of loaded?.scope.classes ?? []) {
    const v = ev.classAttr(cls, "start_listeners_method");
    if (v?.kind === "str") names.add(v.value);
  }
  if (names.size === 0 && loaded) {
    for (const m of ev.program.sourceText(loaded.file.path).matchAll(/\.(start_rpc_\w+)\(/g))
      names.add(m[1] as string);
  }
  return [...names];
}

function consumersOf(
  ev: Evaluator,
  recording: BusRecording,
  diagnostics: DiagnosticSink,
): Consumer[] {
  const out: Consumer[] = [];
  for (const served of recording.served) {
    const endpoints: Endpoint[] = [];
    for (const e of iterate(served.endpoints) ?? []) {
      if (e.kind === "instance") endpoints.push(endpointOf(ev, e.cls));
      else if (e.kind === "class") endpoints.push(endpointOf(ev, e.decl));
    }
    if (endpoints.length === 0) {
      diagnostics.add(
        "info",
        "an RPC server whose endpoints are not known statically",
        served.site,
      );
      continue;
    }
    const consumer: Consumer = {
      topic: stringTemplate(served.target.topic),
      fanout: truthy(served.target.fanout) === true,
      endpoints,
      site: served.site,
    };
    if (consumer.topic === null)
      diagnostics.add("info", "an RPC server on a topic not known statically", served.site);
    const key = consumerKey(consumer);
    if (!out.some((c) => consumerKey(c) === key)) out.push(consumer);
  }
  return out;
}

function consumerKey(c: Consumer): string {
  return [c.topic, c.fanout, ...c.endpoints.map((e) => `${e.cls.module}.${e.cls.qualname}`)].join(
    "\0",
  );
}

/** An endpoint class and its `target = oslo_messaging.Target(namespace=…, version=…)`. */
function endpointOf(ev: Evaluator, cls: ClassDecl): Endpoint {
  const target: TargetFields = fieldsOf(ev.classAttr(cls, "target"));
  return {
    cls,
    namespace: target.namespace.kind === "str" ? target.namespace.value : null,
    version: target.version.kind === "str" ? target.version.value : "1.0",
  };
}

/**
 * The services, with what each serves on the bus (`consumes`) and the topics of the clients it
 * makes (`sendsTo`). A binary that only makes RPC clients (the metadata agent) is an RPC
 * process too, one that consumes no topic.
 */
export function withServers(
  ev: Evaluator,
  services: ServiceEntry[],
  servers: Map<string, RpcServer>,
): ServiceEntry[] {
  return services.map((s) => {
    const server = servers.get(s.binary);
    if (!server || (server.consumers.length === 0 && server.clientTopics.length === 0)) return s;
    const out: ServiceEntry = {
      ...s,
      consumes: server.consumers.map((c) => ({
        topic: c.topic,
        fanout: c.fanout,
        endpoints: c.endpoints.map((e) => classRef(ev, e.cls)),
        source: c.site,
      })),
      sendsTo: server.clientTopics,
    };
    if (s.kind === "other" && server.consumers.length === 0) {
      out.kind = "rpc";
      out.reason = `an RPC client only: it consumes no topic, it sends to ${server.clientTopics.join(", ")}`;
      out.manager = null;
      out.topic = null;
    }
    return out;
  });
}
