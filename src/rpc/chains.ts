import type { CodeRef, RpcEntry } from "../model/map.js";
import type { ClassDecl, FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import { descendantsOf, type SyntaxNode } from "../python/parse.js";
import { functionRef } from "../python/refs.js";
import type { Instance } from "../python/values.js";

/** A method of a service API the handler calls (`compute.api.API.pause`) and its RPC hops. */
export interface ServiceCall extends CodeRef {
  rpc: RpcHop[];
}

export interface RpcHop {
  client: CodeRef;
  method: string;
  mode: "call" | "cast";
  topic: string | null;
  server: CodeRef | null;
  /** The binary that handles it (several for a fanout Neutron's agents consume). */
  service?: string | null;
  fanout?: boolean;
}

/**
 * One level of call resolution, enough for Nova's pattern: the handler calls
 * `self.compute_api.pause(...)`, whose type comes from `__init__` (`self.compute_api =
 * compute.API()`); `API.pause` calls `self.compute_rpcapi.pause_instance(...)`, a method of an
 * RPC client class, which casts to the manager.
 */
export class CallChains {
  private readonly byClient = new Map<string, RpcEntry[]>();
  private readonly cache = new Map<FunctionDecl, ServiceCall[]>();
  /** Many handlers call the same service-API method (`compute_api.get`): its hops, once. */
  private readonly hopsCache = new WeakMap<Instance, Map<FunctionDecl, RpcHop[]>[]>();

  constructor(
    private readonly ev: Evaluator,
    rpc: RpcEntry[],
  ) {
    for (const r of rpc)
      this.byClient.set(r.client.qualname, [...(this.byClient.get(r.client.qualname) ?? []), r]);
  }

  /** The service-API calls of a handler run by `self` (the controller instance). */
  callsOf(self: Instance, handler: FunctionDecl): ServiceCall[] {
    const hit = this.cache.get(handler);
    if (hit) return hit;
    const out: ServiceCall[] = [];
    for (const { target, method } of withHelpers(this.ev, self, handler, selfCalls)) {
      const found = this.ev.findMethod(target.cls, method);
      if (!found) continue;
      const ref = functionRef(this.ev, found.owner, found.decl);
      if (out.some((c) => c.qualname === ref.qualname)) continue;
      out.push({ ...ref, rpc: this.rpcFrom(target, found.decl, 2) });
    }
    this.cache.set(handler, out);
    return out;
  }

  /**
   * The RPC hops a service-API method makes: its calls of RPC client methods, or — through an
   * intermediate API object such as conductor.api.ComputeTaskAPI — theirs, `depth` levels down.
   */
  private rpcFrom(self: Instance, fn: FunctionDecl, depth: number): RpcHop[] {
    let byDepth = this.hopsCache.get(self);
    if (!byDepth) {
      byDepth = [];
      this.hopsCache.set(self, byDepth);
    }
    const known = byDepth[depth] ?? new Map<FunctionDecl, RpcHop[]>();
    byDepth[depth] = known;
    const hit = known.get(fn);
    if (hit) return hit;
    const hops = this.hopsOf(self, fn, depth);
    known.set(fn, hops);
    return hops;
  }

  /** The names of the RPC client methods the map knows (`routers_updated`, `port_update` …). */
  clientMethodNames(): string[] {
    return [...new Set([...this.byClient.keys()].map((q) => q.slice(q.lastIndexOf(".") + 1)))];
  }

  /**
   * The hops a call of an RPC client method makes (`L3AgentNotifyAPI.routers_updated`), or null
   * when the method is not one: for callers that find the calls themselves (Neutron's plugins).
   */
  hopsOfClient(owner: ClassDecl, method: string): RpcHop[] | null {
    const entries = this.byClient.get(`${owner.module}.${owner.qualname}.${method}`);
    return entries ? entries.map(hopOf) : null;
  }

  private hopsOf(self: Instance, fn: FunctionDecl, depth: number): RpcHop[] {
    const hops: RpcHop[] = [];
    for (const inner of withHelpers(this.ev, self, fn, selfCalls)) {
      const m = this.ev.findMethod(inner.target.cls, inner.method);
      if (!m) continue;
      const entries = this.hopsOfClient(m.owner, inner.method);
      if (entries) {
        hops.push(...entries);
      } else if (depth > 1) {
        hops.push(...this.rpcFrom(inner.target, m.decl, depth - 1));
      }
    }
    return uniqueHops(hops);
  }
}

/**
 * One hop per message and server: the variants of a method (negotiated versions) are one hop;
 * a fanout reaching several agents is one per agent.
 */
export function uniqueHops(hops: RpcHop[]): RpcHop[] {
  return hops.filter(
    (h, i) =>
      hops.findIndex(
        (x) =>
          x.client.qualname === h.client.qualname &&
          x.method === h.method &&
          x.server?.qualname === h.server?.qualname,
      ) === i,
  );
}

function hopOf(r: RpcEntry): RpcHop {
  return {
    client: r.client,
    method: r.method,
    mode: r.mode,
    topic: r.topic,
    server: r.server,
    ...(r.service !== undefined ? { service: r.service } : {}),
    ...(r.fanout ? { fanout: true } : {}),
  };
}

/**
 * The calls of a function and of the object's own helpers it calls (`self._reboot(...)`),
 * one level down: API.reboot does its RPC in `_reboot`.
 */
function withHelpers(
  ev: Evaluator,
  self: Instance,
  fn: FunctionDecl,
  find: (ev: Evaluator, self: Instance, fn: FunctionDecl) => { target: Instance; method: string }[],
): { target: Instance; method: string }[] {
  const out = find(ev, self, fn);
  for (const call of callsOnSelf(fn)) {
    const callee = call.childForFieldName("function");
    if (callee?.type !== "attribute" || callee.childForFieldName("object")?.text !== "self")
      continue;
    const helper = ev.findMethod(self.cls, callee.childForFieldName("attribute")?.text ?? "");
    if (helper && helper.decl !== fn) out.push(...find(ev, self, helper.decl));
  }
  return out;
}

/** The calls in a function whose text starts with `self.`: a text test, cheaper than the tree. */
function callsOnSelf(fn: FunctionDecl): SyntaxNode[] {
  return descendantsOf(fn.body, "call").filter((call) => call.text.startsWith("self."));
}

/** `self.<attr>.<method>(…)` calls in a function, with what `self.<attr>` is. */
function selfCalls(
  ev: Evaluator,
  self: Instance,
  fn: FunctionDecl,
): { target: Instance; method: string }[] {
  const out: { target: Instance; method: string }[] = [];
  for (const call of callsOnSelf(fn)) {
    const callee = call.childForFieldName("function");
    if (callee?.type !== "attribute") continue;
    const obj = callee.childForFieldName("object");
    if (obj?.type !== "attribute" || obj.childForFieldName("object")?.text !== "self") continue;
    const attr = obj.childForFieldName("attribute")?.text;
    const method = callee.childForFieldName("attribute")?.text;
    if (!attr || !method) continue;
    const target = attrOf(ev, self, attr);
    if (target) out.push({ target, method });
  }
  return out;
}

const attrCache = new WeakMap<ClassDecl, Map<string, Instance | null>>();

/**
 * What `self.<attr>` is, from the `self.<attr> = Cls(...)` assignment in `__init__` (along the
 * MRO), without running the constructor: controllers' constructors do far more than that.
 */
function attrOf(ev: Evaluator, self: Instance, attr: string): Instance | null {
  const own = self.attrs.get(attr);
  if (own?.kind === "instance") return own;
  let cache = attrCache.get(self.cls);
  if (!cache) {
    cache = new Map();
    attrCache.set(self.cls, cache);
  }
  if (cache.has(attr)) return cache.get(attr) ?? null;
  let found: Instance | null = null;
  for (const ref of ev.mro(self.cls)) {
    if (ref.kind !== "class" || found) continue;
    for (const init of ref.decl.methods.get("__init__") ?? []) {
      for (const a of descendantsOf(init.body, "assignment")) {
        if (a.childForFieldName("left")?.text !== `self.${attr}`) continue;
        let right = a.childForFieldName("right");
        // `self.api = api or compute.API()`: the constructor is the fallback.
        while (right?.type === "boolean_operator") right = right.childForFieldName("right");
        if (right?.type !== "call") continue;
        const v = ev.eval(right, ev.moduleFrame(init.module));
        if (v.kind === "instance") found = v;
      }
    }
  }
  cache.set(attr, found);
  return found;
}
