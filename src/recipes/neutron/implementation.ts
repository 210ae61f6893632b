import type { SourceRef } from "../../model/diagnostics.js";
import type { CodeRef, TraceStep } from "../../model/map.js";
import type { ClassDecl, FunctionDecl } from "../../python/binder.js";
import type { Evaluator } from "../../python/evaluator.js";
import { fileOf, functionRef, qualname } from "../../python/refs.js";
import { type Instance, noArgs, str, unknown, type Value } from "../../python/values.js";
import { escapeRegExp } from "../../routes/match.js";
import { type CallChains, type RpcHop, uniqueHops } from "../../rpc/chains.js";

/** One thing a handler asks of a plugin or driver, in the order the code asks. */
export interface PluginCall {
  self: Instance;
  /** The name asked for (`get_policy_bandwidth_limit_rules`, `edit`). */
  name: string;
  /** Where the object's class defines what runs; null when nothing answers the name. */
  ref: CodeRef | null;
  /** How a `__getattr__` proxy turned the name into the method that ran, if one did. */
  via: TraceStep | null;
  /** Made in a branch whose condition was not decidable: the request may not get there. */
  speculative?: boolean;
  /** The function that runs, when one does. */
  fn?: FunctionDecl;
}

/** Thrown when the handler asks a plugin for a name it lacks: Python raises AttributeError. */
class MissingAttribute {}

/**
 * Run a handler abstractly, the way Python would run it on this request, and note what it asks
 * of the watched objects (the loaded plugins, the objects the controller holds: its plugin, its
 * quota driver). Their methods are not run. A `__getattr__` on the object's class answers a name
 * its MRO lacks (QoSPluginBase maps `<verb>_policy_<rule_type>_rule(s)` onto
 * `<verb>_policy_rule(s)`), and the method its proxy calls is what runs; a name nothing answers
 * ends the request there, as the AttributeError would. Only the modules in `scope` run:
 * policy checks, notifications and other libraries call no plugin.
 */
export function recordCalls(
  ev: Evaluator,
  watched: Set<Instance>,
  scope: Set<string>,
  run: () => void,
): PluginCall[] {
  const calls: PluginCall[] = [];
  const saved = ev.hooks;
  let proxying: { name: string; via: TraceStep } | null = null;
  ev.hooks = {
    ...saved,
    methodCall: (self, method, args, site) => {
      if (!watched.has(self)) return saved.methodCall?.(self, method, args, site);
      const owner = ev.findMethod(self.cls, method.name)?.owner ?? method.owner;
      calls.push({
        self,
        name: proxying?.name ?? method.name,
        ref: owner ? functionRef(ev, owner, method) : null,
        fn: method,
        via: proxying
          ? { ...proxying.via, detail: `${proxying.via.detail} → ${method.name}` }
          : null,
        ...(ev.isSpeculative() ? { speculative: true } : {}),
      });
      return unknown(`${method.name}() of a plugin`, site);
    },
    functionCall: (fn, args, site) =>
      saved.functionCall?.(fn, args, site) ??
      // A proxy's own helpers run (QoSPluginBase's `_make_call`), wherever they are.
      (proxying || inScope(fn, scope)
        ? undefined
        : unknown(`${fn.qualname}() is not followed`, site)),
    attributeMissing: (obj, name, site) => {
      if (!watched.has(obj)) return saved.attributeMissing?.(obj, name, site);
      // `__getattr__` runs as Python runs it, its own calls on the object included.
      const recording = ev.hooks;
      ev.hooks = saved;
      let proxy: ReturnType<typeof proxyFor>;
      try {
        proxy = proxyFor(ev, obj, name);
      } finally {
        ev.hooks = recording;
      }
      if (proxy) {
        // What the proxy calls on the object is the method the name stands for.
        return {
          kind: "host",
          host: {
            label: `${obj.cls.name}.__getattr__(${name})`,
            call: (args, at) => {
              const outer = proxying;
              proxying = { name, via: proxy.via };
              try {
                return ev.call(proxy.value, args, at);
              } finally {
                proxying = outer;
              }
            },
          },
        };
      }
      if (name.startsWith("_")) return undefined;
      // In a branch that may not run, a missing name ends only that branch.
      if (ev.isSpeculative()) {
        calls.push({ self: obj, name, ref: null, via: null, speculative: true });
        return undefined;
      }
      calls.push({ self: obj, name, ref: null, via: null });
      throw new MissingAttribute();
    },
  };
  try {
    ev.program.diagnostics.quietly(run);
  } catch (e) {
    if (!(e instanceof MissingAttribute)) throw e;
  } finally {
    ev.hooks = saved;
  }
  return calls;
}

function inScope(fn: FunctionDecl, scope: Set<string>): boolean {
  return scope.has(fn.module);
}

/** `type(obj).__getattr__(obj, name)`, when the class defines one and it answers the name. */
function proxyFor(
  ev: Evaluator,
  obj: Instance,
  name: string,
): { value: Value; via: TraceStep } | null {
  const hook = ev.findMethod(obj.cls, "__getattr__");
  if (!hook) return null;
  const value = ev.callFunction(hook.decl, obj, { positional: [str(name)], keywords: new Map() });
  if (value.kind !== "function" && value.kind !== "partial") return null;
  return {
    value,
    via: {
      step: "proxy",
      detail: `${qualname(hook.owner)}.__getattr__('${name}')`,
      file: fileOf(ev, hook.owner),
      line: hook.decl.line,
    },
  };
}

/**
 * The plugin calls a controller's handler makes: the handler runs on its controller, the
 * loaded plugins and the objects the controller holds being watched. Its own modules (and its
 * classes') run; the rest is skipped.
 */
export function handlerCalls(
  ev: Evaluator,
  controller: Instance,
  action: string,
  handler: () => Value,
  plugins: Instance[],
  site: SourceRef,
): PluginCall[] {
  // Routes come in twins (`/routers` and `/routers.:(format)`): run each action once.
  return once(handlerRuns, controller, action, () =>
    runHandler(ev, controller, handler, plugins, site),
  );
}

function runHandler(
  ev: Evaluator,
  controller: Instance,
  handler: () => Value,
  plugins: Instance[],
  site: SourceRef,
): PluginCall[] {
  ev.initialise(controller, site);
  const watched = new Set(plugins);
  for (const v of controller.attrs.values())
    if (v.kind === "instance" && v !== controller) watched.add(v);
  const scope = new Set(moduleNames(ev, controller.cls));
  return recordCalls(ev, watched, scope, () => {
    ev.call(handler(), noArgs(), site);
  });
}

/** A result computed once per object and key. */
function once<K, V>(
  store: WeakMap<Instance, Map<K, V>>,
  obj: Instance,
  key: K,
  compute: () => V,
): V {
  let byKey = store.get(obj);
  if (!byKey) {
    byKey = new Map();
    store.set(obj, byKey);
  }
  const hit = byKey.get(key);
  if (hit !== undefined) return hit;
  const v = compute();
  byKey.set(key, v);
  return v;
}

const handlerRuns = new WeakMap<Instance, Map<string, PluginCall[]>>();

function moduleNames(ev: Evaluator, cls: ClassDecl): string[] {
  return ev.mro(cls).flatMap((r) => (r.kind === "class" ? [r.decl.module] : []));
}

/**
 * The call that is the handler's operation: the last one made on a plugin, else the last one
 * (a quota driver's). Earlier calls fetch what it checks (base.Controller reads the object
 * before it updates or deletes it); later ones on other objects notify (Juno's controller
 * casts to the DHCP agents itself); a name the plugin lacks is last because the request ends
 * there. Calls in undecidable branches count (base.Controller creates in bulk or one by one
 * depending on the body), the plain case being written last.
 */
export function operation(calls: PluginCall[], plugins: Instance[]): PluginCall | null {
  return [...calls].reverse().find((c) => plugins.includes(c.self)) ?? calls.at(-1) ?? null;
}

/** `getattr(plugin, name)` outside a handler: the method Python would reach, through a proxy. */
export function resolvePluginMethod(ev: Evaluator, plugin: Instance, name: string): PluginCall {
  const calls = recordCalls(ev, new Set([plugin]), new Set(moduleNames(ev, plugin.cls)), () => {
    const site = { file: fileOf(ev, plugin.cls), line: plugin.cls.line };
    ev.call(ev.getAttr(plugin, name, site), noArgs(), site);
  });
  return calls.at(-1) ?? { self: plugin, name, ref: null, via: null };
}

const rpcRuns = new WeakMap<Instance, Map<FunctionDecl, RpcHop[]>>();

/**
 * The RPC messages a plugin method sends to the agents (L3's `add_router_interface` →
 * `notify_router_interface_action` → `notify_routers_updated` →
 * `L3AgentNotifyAPI.routers_updated`): the method runs abstractly on the plugin and each call of
 * an RPC client method the RPC map knows is a hop. Only code that can lead to such a call runs
 * (see `Sends`); once per plugin and method.
 */
export function pluginRpc(
  ev: Evaluator,
  chains: CallChains,
  plugin: Instance,
  fn: FunctionDecl,
): RpcHop[] {
  return once(rpcRuns, plugin, fn, () => runForRpc(ev, chains, plugin, fn));
}

function runForRpc(
  ev: Evaluator,
  chains: CallChains,
  plugin: Instance,
  fn: FunctionDecl,
): RpcHop[] {
  const sends = Sends.of(ev, chains, plugin);
  if (!sends.mayReach(fn)) return [];
  const hops: RpcHop[] = [];
  const saved = ev.hooks;
  ev.hooks = {
    ...saved,
    methodCall: (self, method, args, site) => {
      const owner = ev.findMethod(self.cls, method.name)?.owner;
      const sent = owner ? chains.hopsOfClient(owner, method.name) : null;
      if (sent) {
        hops.push(...sent);
        return unknown(`${method.name}() sends over RPC`, site);
      }
      return saved.methodCall?.(self, method, args, site);
    },
    functionCall: (f, args, site) =>
      saved.functionCall?.(f, args, site) ??
      (sends.mayReach(f) || f.name === "__init__" || isProperty(f)
        ? undefined
        : unknown(`${f.qualname}() sends nothing`, site)),
  };
  try {
    ev.program.diagnostics.quietly(() => ev.callFunction(fn, plugin, noArgs()));
  } finally {
    ev.hooks = saved;
  }
  return uniqueHops(hops);
}

function isProperty(f: FunctionDecl): boolean {
  return f.decorators.some((d) => d.text === "@property");
}

/**
 * Which functions can lead to an RPC send, read off their text: a body that calls one of the
 * RPC map's client method names (`.routers_updated(`), or calls by name (`self.x(`,
 * `super(…).x(`, `l3plugin.x(`) a method of the plugin's classes that can. Cheap, and enough
 * to keep a plugin method's run to its notification path.
 */
class Sends {
  private static readonly byPlugin = new WeakMap<Instance, Sends>();
  private readonly known = new Map<FunctionDecl, boolean>();
  /** The plugin's definitions by name: the walk asks for the same names again and again. */
  private readonly defs = new Map<string, FunctionDecl[]>();
  private readonly clientNames: RegExp;

  private constructor(
    private readonly ev: Evaluator,
    private readonly plugin: Instance,
    names: string[],
  ) {
    this.clientNames = new RegExp(`\\.(?:${names.map(escapeRegExp).join("|") || "(?!)"})\\(`);
  }

  static of(ev: Evaluator, chains: CallChains, plugin: Instance): Sends {
    let s = Sends.byPlugin.get(plugin);
    if (!s) {
      s = new Sends(ev, plugin, chains.clientMethodNames());
      Sends.byPlugin.set(plugin, s);
    }
    return s;
  }

  mayReach(fn: FunctionDecl, depth = 6): boolean {
    const hit = this.known.get(fn);
    if (hit !== undefined) return hit;
    this.known.set(fn, false); // a cycle adds nothing
    // The text alone: a body the outline left out is not parsed for it.
    const text = fn.expression ? fn.expression.text : this.ev.program.bodyText(fn);
    let found = this.clientNames.test(text);
    if (!found && depth > 0) {
      for (const m of text.matchAll(CALL_BY_NAME)) {
        if (this.defsOf(m[1] as string).some((d) => d !== fn && this.mayReach(d, depth - 1))) {
          found = true;
          break;
        }
      }
    }
    this.known.set(fn, found);
    return found;
  }

  /** Every definition along the MRO counts: `super(…).x()` reaches the ones below. */
  private defsOf(name: string): FunctionDecl[] {
    let defs = this.defs.get(name);
    if (!defs) {
      defs = this.ev
        .mro(this.plugin.cls)
        .flatMap((r) => (r.kind === "class" ? (r.decl.methods.get(name) ?? []) : []));
      this.defs.set(name, defs);
    }
    return defs;
  }
}

/** `.name(`: a call of a method or function by name. */
const CALL_BY_NAME = /\.(\w+)\(/g;
