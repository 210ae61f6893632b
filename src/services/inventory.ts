import type { DiagnosticSink, SourceRef } from "../model/diagnostics.js";
import type { ServiceEntry } from "../model/map.js";
import type { EntryPoint } from "../packaging/types.js";
import type { ClassDecl, FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import { iterate } from "../python/evaluator.js";
import type { SyntaxNode } from "../python/parse.js";
import { descendantsOf } from "../python/parse.js";
import { classRef } from "../python/refs.js";
import type { Frame } from "../python/statements.js";
import { type CallArgs, type Instance, NONE, noArgs, type Value } from "../python/values.js";

/** The paste files' top-level sections (what WSGIService(name) loads) with their apps' mounts. */
export type PasteSections = Map<string, string[]>;

/** Something a launch script starts, as its main() and the helpers it calls show. */
export interface Started {
  /**
   * rpc: `Service.create(…)`; wsgi: a paste app; rpc-workers: Neutron's RPC workers over the
   * loaded plugins (`start_rpc_workers`, `start_all_workers`); object: an object of a class
   * that registers RPC consumers itself (Neutron's L2 agents).
   */
  kind: "rpc" | "wsgi" | "rpc-workers" | "object";
  args: CallArgs;
  site: SourceRef;
  /** The module defining service.Service, where SERVICE_MANAGERS lives. */
  serviceModule: string;
  /** For an object: the object, constructed with the arguments main() gives it. */
  object?: Instance;
  /** For an object: whether its class registers consumers itself (else it only uses RPC). */
  serves?: boolean;
  /** For an object: the methods main() calls on it (`proxy.run()`). */
  calls?: string[];
  /** For rpc: the `Service.create` that was called (the rpc step calls it for the object). */
  create?: Value;
}

/** The services and, per binary, what its launch path starts (for the RPC servers). */
export interface ServiceInventory {
  services: ServiceEntry[];
  started: Map<string, Started[]>;
}

/**
 * Decide each binary's type the way the first seed does: run its `main()` abstractly and see
 * what it starts — `service.Service.create(binary=…, topic=…)` is an RPC service whose manager
 * comes from the argument, SERVICE_MANAGERS[binary] or the `<topic>_manager` option;
 * `service.WSGIService('<paste app>')` (or a wsgi_scripts entry) serves a paste app.
 */
export function serviceInventory(
  ev: Evaluator,
  project: string,
  entryPoints: (group: string) => EntryPoint[],
  paste: PasteSections,
  diagnostics: DiagnosticSink,
): ServiceInventory {
  const out: ServiceEntry[] = [];
  const started = new Map<string, Started[]>();
  for (const group of ["console_scripts", "wsgi_scripts"]) {
    for (const ep of entryPoints(group)) {
      if (!ep.module?.startsWith(`${project.replaceAll("-", "_")}.`)) {
        out.push(other(ep, group, `runs ${ep.value}, outside ${project}`));
        continue;
      }
      const found: Started[] = [];
      const entry = inspectScript(ev, project, ep, group, paste, diagnostics, found);
      out.push(entry);
      if (found.length > 0) started.set(entry.binary, found);
    }
  }
  return {
    services: out.sort((a, b) => (a.binary < b.binary ? -1 : a.binary > b.binary ? 1 : 0)),
    started,
  };
}

function other(ep: EntryPoint, group: string, reason: string): ServiceEntry {
  return { binary: ep.name, kind: "other", entry: ep.value, group, evidence: ep.source, reason };
}

function inspectScript(
  ev: Evaluator,
  project: string,
  ep: EntryPoint,
  group: string,
  paste: PasteSections,
  diagnostics: DiagnosticSink,
  found: Started[],
): ServiceEntry {
  // Most scripts (nova-manage, nova-status, proxies) start no service: a look at the file's
  // text says so without parsing a module of thousands of lines.
  const file = ev.program.index.find(ep.module as string);
  if (group === "console_scripts" && file && !SCRIPT.test(ev.program.sourceText(file.path))) {
    return other(ep, group, "its module starts neither a service.Service nor a WSGIService");
  }
  const main = ev.resolveDotted(ep.module as string, (ep.attr ?? "main").split("."));
  if (main.kind !== "function")
    return other(ep, group, `${ep.value} is not a function apimap can read`);
  // Following the launch path evaluates what main() passes along (the plugins a server loads):
  // an exploration, quiet about what it cannot tell on the way.
  const started = ev.withMode({ ...ev.mode, quiet: true }, () =>
    launches(ev, main.decl, ev.callFrame(main.decl, undefined, noArgs()), 0, new Set()),
  );
  found.push(...started);
  const names: string[] = [];
  // A WSGI script's entry returns the application; its name is a string it passes on.
  if (group === "wsgi_scripts") names.push(...stringsIn(ev, main, paste));
  const rpcs = started.filter((s) => s.kind === "rpc");
  const binaries = [...new Set(rpcs.map((r) => binaryOf(ep, r)))];
  if (binaries.length > 1) {
    // nova-all: one process running several services; each has its own script too.
    return {
      ...other(ep, group, `starts several services in one process: ${binaries.join(", ")}`),
      evidence: rpcs[0]?.site ?? ep.source,
    };
  }
  const rpc = rpcs[0];
  if (rpc) return rpcService(ev, project, ep, group, rpc, diagnostics);
  const workers = started.find((s) => s.kind === "rpc-workers");
  const object = started.find((s) => s.kind === "object" && s.serves)?.object;
  if (object && !workers && !started.some((s) => s.kind === "wsgi")) {
    // An agent that is its own RPC server: the object's class is what serves.
    return {
      binary: ep.name,
      kind: "rpc",
      entry: ep.value,
      group,
      manager: classRef(ev, object.cls),
      topic: null,
      evidence: object.site,
    };
  }
  if (workers && !started.some((s) => s.kind === "wsgi")) {
    return {
      binary: ep.name,
      kind: "rpc",
      entry: ep.value,
      group,
      manager: null,
      topic: null,
      evidence: workers.site,
      reason: "RPC workers serving the loaded plugins' start_rpc_listeners (topics per plugin)",
    };
  }
  const wsgi = started.filter((s) => s.kind === "wsgi");
  for (const w of wsgi) {
    const name =
      w.args.keywords.get("app_name") ?? w.args.positional[0] ?? w.args.keywords.get("name");
    if (name?.kind === "str") names.push(name.value);
  }
  if (names.length > 0 || group === "wsgi_scripts") {
    const site = wsgi[0]?.site ?? ep.source;
    return {
      binary: ep.name,
      kind: "wsgi",
      entry: ep.value,
      group,
      apps: [...new Set(names)].map((name) => ({ name, mounts: paste.get(name) ?? [] })),
      evidence: site,
    };
  }
  return other(ep, group, "its main() starts neither a service.Service nor a WSGIService");
}

/** `Service.create(binary=…, topic=…, manager=…)`'s argument, by keyword or position. */
function argOf(rpc: Started, name: string, index: number): Value | undefined {
  return rpc.args.keywords.get(name) ?? rpc.args.positional[index];
}

/** The binary a started service calls itself, else the script's own name. */
function binaryOf(ep: EntryPoint, rpc: Started): string {
  const v = argOf(rpc, "binary", 1);
  return v?.kind === "str" ? v.value : ep.name;
}

function rpcService(
  ev: Evaluator,
  project: string,
  ep: EntryPoint,
  group: string,
  rpc: Started,
  diagnostics: DiagnosticSink,
): ServiceEntry {
  const kw = (name: string, index: number) => argOf(rpc, name, index);
  const binary = binaryOf(ep, rpc);
  const topicArg = kw("topic", 2);
  const prefix = `${project}-`;
  const topic =
    topicArg?.kind === "str"
      ? topicArg.value
      : binary.slice(binary.lastIndexOf(prefix) + prefix.length);
  let managerValue = kw("manager", 3);
  let how = "the manager argument";
  if (!managerValue || managerValue.kind === "none") {
    const table = ev.moduleAttr(rpc.serviceModule, "SERVICE_MANAGERS");
    managerValue = table.kind === "dict" ? table.entries.get(binary) : undefined;
    how = "SERVICE_MANAGERS";
  }
  if (!managerValue || managerValue.kind === "none" || managerValue.kind === "unknown") {
    // Juno's nova and Cinder: the `<topic>_manager` option names the class.
    managerValue = ev.getAttr(
      { kind: "external", name: "oslo_config.cfg.CONF" },
      `${topic}_manager`,
    );
    how = `the ${topic}_manager option`;
  }
  const manager = managerClass(ev, managerValue);
  if (!manager)
    diagnostics.warn(`${binary}: its manager class is not known statically (${how})`, rpc.site);
  return {
    binary,
    kind: "rpc",
    entry: ep.value,
    group,
    manager: manager ? classRef(ev, manager) : null,
    topic,
    evidence: rpc.site,
  };
}

function managerClass(ev: Evaluator, v: Value | undefined): ClassDecl | null {
  if (v?.kind === "class") return v.decl;
  if (v?.kind !== "str") return null;
  const dot = v.value.lastIndexOf(".");
  const cls = ev.resolveDotted(v.value.slice(0, dot), [v.value.slice(dot + 1)]);
  return cls.kind === "class" ? cls.decl : null;
}

/** How deep launch helpers are followed: the OVS agent starts five calls below its script. */
const HELPER_DEPTH = 6;

/**
 * What a launch script starts: the `Service.create(…)` and `WSGIService(…)` calls written in
 * its main(), their arguments evaluated — through the `for api in CONF.enabled_apis:` loop
 * around them, if any — and the objects it makes of classes that register RPC consumers. The
 * rest of main (configuration parsing, logging) is not run.
 */
function launches(
  ev: Evaluator,
  main: FunctionDecl,
  frame: Frame,
  depth: number,
  seen: Set<FunctionDecl>,
): Started[] {
  const out: Started[] = [];
  if (seen.has(main)) return out;
  seen.add(main);
  // The start can sit in helpers: Cinder's `_launch_services_posix()` → `_launch_service()`,
  // Neutron's agents `dhcp_agent.main()`, neutron-server `boot_server(eventlet_wsgi_server)`
  // (a function passed along), the OVS agent's os-ken application. Follow project functions
  // whose module mentions a launch, their parameters bound to what the call passes.
  if (depth < HELPER_DEPTH) {
    for (const call of descendantsOf(main.body, "call")) {
      const callee = call.childForFieldName("function");
      const argNodes = call.childForFieldName("arguments")?.namedChildren ?? [];
      for (const node of [callee, ...argNodes]) {
        if (node?.type !== "identifier" && node?.type !== "attribute") continue;
        // `config.parse_args`: a module whose text starts nothing is not parsed to find out.
        const owner = node.type === "attribute" ? node.childForFieldName("object") : null;
        if (owner?.type === "identifier") {
          const m = ev.eval(owner, frame);
          if (m.kind === "module" && !mentionsLaunch(ev, m.name)) continue;
        }
        const helper = ev.eval(node, frame);
        if (helper.kind === "external" && OS_KEN_RUN_APPS.test(helper.name) && node === callee) {
          out.push(...osKenApps(ev, call, frame, depth, seen));
          continue;
        }
        if (
          helper.kind !== "function" ||
          helper.decl === main ||
          !mentionsLaunch(ev, helper.decl.module)
        )
          continue;
        // The helper's parameters are bound to what the call passes (the caller's locals not
        // followed: they cost more than the parameters they rarely decide); a function passed
        // along (`hub.spawn(main_wrapper, …)`) gets its defaults.
        const args =
          node === callee ? ev.evalArgs(call.childForFieldName("arguments"), frame) : noArgs();
        const inner = ev.callFrame(helper.decl, helper.self, args);
        out.push(...launches(ev, helper.decl, inner, depth + 1, seen));
      }
    }
  }
  for (const call of descendantsOf(main.body, "call")) {
    const text = call.childForFieldName("function")?.text ?? "";
    if (!LAUNCH_CALL.test(text)) {
      const object = CLASS_CALL.test(text) ? rpcObject(ev, main, call, frame) : null;
      if (object) out.push(object);
      continue;
    }
    const callee = ev.eval(call.childForFieldName("function") as SyntaxNode, frame);
    const site = ev.site(frame, call);
    if (callee.kind === "function" && callee.decl.name === "load_paste_app") {
      // Glance: server.start(config.load_paste_app('glance-api'), …).
      const args = ev.evalArgs(call.childForFieldName("arguments"), frame);
      const name = args.positional[0] ?? args.keywords.get("app_name");
      if (name) out.push(wsgiStart(name, site, callee.decl.module));
      continue;
    }
    if (
      callee.kind === "function" &&
      (callee.decl.name === "start_rpc_workers" || callee.decl.name === "start_all_workers")
    ) {
      // Neutron: RPC workers that run the loaded plugins' start_rpc_listeners, alone
      // (neutron-rpc-server) or beside the API (neutron-server).
      out.push({ kind: "rpc-workers", args: noArgs(), site, serviceModule: callee.decl.module });
      continue;
    }
    if (callee.kind === "function" && callee.decl.name === "serve_wsgi") {
      // Neutron: serve_wsgi(NeutronApiService) → NeutronApiService.create(app_name='neutron').
      const served = ev.evalArgs(call.childForFieldName("arguments"), frame).positional[0];
      const create = served?.kind === "class" ? ev.findMethod(served.decl, "create") : null;
      const name = create ? defaultOf(ev, create.decl, "app_name") : undefined;
      if (name) out.push(wsgiStart(name, site, callee.decl.module));
      continue;
    }
    const rpc =
      callee.kind === "function" &&
      callee.decl.name === "create" &&
      callee.decl.owner?.name === "Service";
    const wsgi = callee.kind === "class" && callee.decl.name === "WSGIService";
    if (!rpc && !wsgi) continue;
    const serviceModule =
      callee.kind === "function" || callee.kind === "class" ? callee.decl.module : main.module;
    for (const bindings of loopBindings(ev, main, call, frame)) {
      const args = ev.evalArgs(call.childForFieldName("arguments"), {
        ...frame,
        locals: new Map([...frame.locals, ...bindings]),
      });
      out.push({ kind: rpc ? "rpc" : "wsgi", args, site, serviceModule, create: callee });
    }
  }
  return out;
}

const LAUNCH_CALL =
  /(?:^|\.)(?:Service\.create|WSGIService|serve_wsgi|load_paste_app|start_rpc_workers|start_all_workers)$/;
/** A call of a CapWords name: a class being instantiated, by Python's naming convention. */
const CLASS_CALL = /(?:^|\.)[A-Z]\w*$/;
/** os-ken (Rocky on; Ryu before) runs the applications of the modules it is given. */
const OS_KEN_RUN_APPS = /^(?:os_ken|ryu)\.base\.app_manager\.AppManager\.run_apps$/;

/**
 * `app_manager.AppManager.run_apps(['…ovs_oskenapp'])`: os-ken imports each module and starts
 * its application classes; the OVS agent's main loop runs from the application's `start()`.
 */
function osKenApps(
  ev: Evaluator,
  call: SyntaxNode,
  frame: Frame,
  depth: number,
  seen: Set<FunctionDecl>,
): Started[] {
  const out: Started[] = [];
  const modules = iterate(
    ev.evalArgs(call.childForFieldName("arguments"), frame).positional[0] ?? NONE,
  );
  for (const m of modules ?? []) {
    if (m.kind !== "str") continue;
    for (const cls of ev.program.module(m.value)?.scope.classes ?? []) {
      const start = cls.methods.get("start")?.at(-1);
      if (!start) continue;
      const self = ev.construct(cls, noArgs(), ev.site(frame, call));
      out.push(...launches(ev, start, ev.callFrame(start, self, noArgs()), depth + 1, seen));
    }
  }
  return out;
}

/**
 * `agent = OVSNeutronAgent(bridge_classes, ext_mgr, cfg.CONF)`: an object of a class that
 * registers RPC consumers itself (a method of its MRO calls `create_consumer(s)`), or that uses
 * RPC (`agent_rpc.…`, `n_rpc.…`: the metadata agent's proxy), made with the arguments the launch
 * path gives it; with the methods the function then calls on it (`proxy.run()`).
 */
function rpcObject(
  ev: Evaluator,
  fn: FunctionDecl,
  call: SyntaxNode,
  frame: Frame,
): Started | null {
  const callee = ev.eval(call.childForFieldName("function") as SyntaxNode, frame);
  if (callee.kind !== "class") return null;
  // Written where RPC is used: a class whose module says nothing of it is not followed into
  // its bases (most of what a script makes: configuration parsers, bridges, managers).
  const text = ev.program.module(callee.decl.module)?.parsed.text ?? "";
  if (!CONSUMER.test(text) && !USES_RPC.test(text)) return null;
  const serves = registersConsumers(ev, callee.decl);
  if (!serves && !mentions(ev, callee.decl, USES_RPC)) return null;
  const site = ev.site(frame, call);
  const object = ev.evalBefore(fn, call, frame);
  if (object.kind !== "instance") return null;
  const left = call.parent?.type === "assignment" ? call.parent.childForFieldName("left") : null;
  const calls = left?.type === "identifier" ? methodsCalledOn(fn, left.text) : [];
  return {
    kind: "object",
    args: object.args,
    site,
    serviceModule: fn.module,
    object,
    serves,
    calls,
  };
}

/** `name.method(...)` calls in a function: what it does with an object it made. */
function methodsCalledOn(fn: FunctionDecl, name: string): string[] {
  const out = new Set<string>();
  for (const call of descendantsOf(fn.body, "call")) {
    const callee = call.childForFieldName("function");
    if (callee?.type === "attribute" && callee.childForFieldName("object")?.text === name)
      out.add(callee.childForFieldName("attribute")?.text ?? "");
  }
  return [...out].filter(Boolean);
}

/** Whether a class's MRO has a method that registers RPC consumers. */
export function registersConsumers(ev: Evaluator, cls: ClassDecl): boolean {
  return mentions(ev, cls, CONSUMER);
}

/** Whether a method along a class's MRO matches, its module's text tested first. */
function mentions(ev: Evaluator, cls: ClassDecl, re: RegExp): boolean {
  return ev.mro(cls).some((ref) => {
    if (ref.kind !== "class") return false;
    const file = ev.program.module(ref.decl.module)?.file.path;
    if (!file) return false;
    const text = ev.program.sourceText(file);
    return (
      re.test(text) &&
      [...ref.decl.methods.values()].some((defs) =>
        defs.some((d) => re.test(ev.program.bodyText(d))),
      )
    );
  });
}

const CONSUMER = /\bcreate_consumers?\(/;
/** Code that uses Neutron's RPC modules (`agent_rpc.PluginReportStateAPI`, `n_rpc.get_client`). */
const USES_RPC = /\w_rpc\.\w/;

/** A paste app a script serves, found other than through a WSGIService(name) call. */
function wsgiStart(name: Value, site: SourceRef, serviceModule: string): Started {
  return { kind: "wsgi", args: { positional: [name], keywords: new Map() }, site, serviceModule };
}

/**
 * Text that starts something: a service, an app, RPC workers or consumers, oslo.service's
 * `service.launch(conf, agent)`, os-ken applications, a daemon object run (`proxy.run()`, the
 * metadata agent), another main.
 */
const LAUNCH =
  /Service\.create|WSGIService|serve_wsgi|load_paste_app|start_rpc_workers|start_all_workers|create_consumers?\(|\blaunch(?:_service)?\(|run_apps|\.(?:run|daemon_loop)\(\)|\.main\(/;
/** What a script's own module says when it starts anything (its helpers say more: LAUNCH). */
const SCRIPT =
  /Service\.create|WSGIService|serve_wsgi|load_paste_app|start_rpc_workers|boot_server|\.main\(/;
const launchText = new Map<string, boolean>();

/** Whether a module's source mentions a launch at all: a text test, before any parsing. */
function mentionsLaunch(ev: Evaluator, module: string): boolean {
  const file = ev.program.index.find(module);
  if (!file) return false;
  const hit = launchText.get(file.path);
  if (hit !== undefined) return hit;
  const found = LAUNCH.test(ev.program.sourceText(file.path));
  launchText.set(file.path, found);
  return found;
}

/** A parameter's default value, evaluated (`def create(cls, app_name='neutron')`). */
function defaultOf(ev: Evaluator, fn: FunctionDecl, name: string): Value | undefined {
  for (const p of fn.params?.namedChildren ?? []) {
    if (p.type === "default_parameter" && p.childForFieldName("name")?.text === name) {
      return ev.eval(p.childForFieldName("value") as SyntaxNode, ev.moduleFrame(fn.module));
    }
  }
  return undefined;
}

/** One set of loop-variable values per iteration of the `for` loops around a call in main(). */
function loopBindings(
  ev: Evaluator,
  main: FunctionDecl,
  call: SyntaxNode,
  frame: Frame,
): Map<string, Value>[] {
  let sets: Map<string, Value>[] = [new Map()];
  const loops: SyntaxNode[] = [];
  for (let n = call.parent; n && n.startIndex !== main.node.startIndex; n = n.parent)
    if (n.type === "for_statement") loops.unshift(n);
  for (const loop of loops) {
    const left = loop.childForFieldName("left");
    const items = iterate(ev.eval(loop.childForFieldName("right") as SyntaxNode, frame));
    if (left?.type !== "identifier" || !items) continue;
    sets = sets.flatMap((s) => items.map((item) => new Map([...s, [left.text, item]])));
  }
  return sets;
}

/** Paste section names a wsgi script's function mentions (`NAME = 'osapi_compute'`). */
function stringsIn(
  ev: Evaluator,
  fn: Extract<Value, { kind: "function" }>,
  paste: PasteSections,
): string[] {
  const frame = ev.moduleFrame(fn.decl.module);
  const out: string[] = [];
  for (const node of descendantsOf(fn.decl.body, ["identifier", "string"])) {
    const v = node.type === "identifier" ? ev.lookupName(node.text, frame) : ev.eval(node, frame);
    if (v.kind === "str" && paste.has(v.value)) out.push(v.value);
  }
  return out;
}
