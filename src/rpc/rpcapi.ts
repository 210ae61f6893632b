import type { DiagnosticSink } from "../model/diagnostics.js";
import type { RpcEntry, ServiceEntry } from "../model/map.js";
import type { ClassDecl, FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import type { SyntaxNode } from "../python/parse.js";
import { descendantsOf } from "../python/parse.js";
import { fileOf, qualname } from "../python/refs.js";
import { noArgs, type Value } from "../python/values.js";
import { type ClientCall, clientCalls, routingIn, versionsIn } from "./census.js";
import { type EntryParts, rpcEntry } from "./entries.js";
import type { MessagingModel } from "./messaging.js";
import { type ClientSend, type RunNotes, sendsOf } from "./sends.js";

/**
 * Nova's and Cinder's RPC: for each RPC service, the client classes of `<manager
 * package>.rpcapi` (Nova's compute/rpcapi.py, Cinder's volume/rpcapi.py …), each method that
 * sends, and the manager method the remote name reaches — on the manager itself, or on the
 * endpoint class whose `target` has the client's namespace (ComputeTaskAPI →
 * ComputeTaskManager). What a method sends comes from running it (sends.ts): the name, call
 * or cast, fanout, and one entry per variant when it depends on the negotiated version; a
 * send the run does not reach is still listed from the method's text (census.ts).
 */
export function rpcapiEntries(
  ev: Evaluator,
  model: MessagingModel,
  services: ServiceEntry[],
  diagnostics: DiagnosticSink,
): RpcEntry[] {
  const out: RpcEntry[] = [];
  for (const service of services) {
    if (service.kind !== "rpc" || !service.manager) continue;
    const managerModule = moduleOf(service.manager.qualname);
    const manager = classAt(ev, service.manager.qualname);
    if (!manager) continue;
    const rpcapi = `${managerModule.split(".").slice(0, -1).join(".")}.rpcapi`;
    const loaded = ev.program.module(rpcapi);
    if (!loaded) continue;
    const reached = new Set<string>();
    for (const client of loaded.scope.classes) {
      const namespace = targetKwarg(ev, client, "namespace", true);
      const server = namespace ? (endpointFor(ev, manager, namespace) ?? manager) : manager;
      const census = clientCalls(ev, client);
      const object = ev.construct(client, noArgs(), {
        file: fileOf(ev, client),
        line: client.line,
      });
      for (const defs of client.methods.values()) {
        const fn = defs[defs.length - 1] as FunctionDecl;
        const written = census.filter((c) => c.fn === fn);
        // Private helpers are run from the public methods that call them.
        const notes: RunNotes = { unnamed: [], exhausted: false };
        const sent = fn.name.startsWith("_") ? [] : sendsOf(ev, model, object, fn, notes);
        for (const site of notes.unnamed) {
          diagnostics.add(
            "info",
            `${qualname(client)}.${fn.name} sends a message whose method name is not known statically`,
            site,
          );
        }
        if (notes.exhausted)
          diagnostics.add(
            "info",
            `${qualname(client)}.${fn.name} was run to its step budget: what it sends after that is not listed`,
            { file: fileOf(ev, client), line: fn.line },
          );
        for (const parts of partsOf(fn, written, sent)) {
          const target = ev.findMethod(server, parts.method);
          if (target) reached.add(`${target.owner.qualname}.${parts.method}`);
          else {
            diagnostics.add(
              "info",
              `${qualname(client)}.${fn.name} ${parts.mode}s ${parts.method}, which ${qualname(server)} does not define`,
              { file: fileOf(ev, client), line: parts.line },
            );
          }
          out.push(
            rpcEntry(ev, {
              ...parts,
              service: service.binary,
              topic: service.topic ?? null,
              namespace,
              owner: client,
              fn,
              handler: target,
            }),
          );
        }
      }
    }
    const uncalled = [...manager.methods.keys()].filter(
      (m) => !m.startsWith("_") && !reached.has(`${manager.qualname}.${m}`),
    );
    if (uncalled.length > 0) {
      diagnostics.add(
        "info",
        `${qualname(manager)}: ${uncalled.length} public methods no ${rpcapi} client calls: ${uncalled.sort().join(", ")}`,
        { file: fileOf(ev, manager), line: manager.line },
      );
    }
  }
  return out;
}

type Parts = Pick<
  EntryParts,
  "method" | "mode" | "version" | "versions" | "fanout" | "routing" | "negotiated"
> & { line: number };

/**
 * A method's entries: what running it sent, and what its text sends that the run did not reach.
 * An entry that does not depend on the negotiated version keeps the versions its text names
 * (`'5.1'` before its `'5.0'` fallback), as before runs.
 */
function partsOf(fn: FunctionDecl, written: ClientCall[], sent: ClientSend[]): Parts[] {
  const versions = versionsIn(fn);
  const routing = routingIn(fn);
  const out: Parts[] = sent.map((s) => ({
    method: s.method,
    mode: s.mode,
    version: s.negotiated ? s.version : (versions[0] ?? s.version),
    ...(s.negotiated ? {} : { versions }),
    fanout: s.fanout,
    routing,
    negotiated: s.negotiated,
    line: s.site.line,
  }));
  for (const c of written) {
    if (sent.some((s) => s.method === c.method && s.mode === c.mode)) continue;
    out.push({
      method: c.method,
      mode: c.mode,
      version: c.versions[0] ?? null,
      versions: c.versions,
      fanout: c.fanout,
      routing: c.server,
      negotiated: null,
      line: c.line,
    });
  }
  return out;
}

function keyword(call: SyntaxNode, name: string): SyntaxNode | null {
  for (const a of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (a.type === "keyword_argument" && a.childForFieldName("name")?.text === name)
      return a.childForFieldName("value");
  }
  return null;
}

/** `messaging.Target(namespace=…)` in the client's `__init__` (or a class attribute). */
function targetKwarg(ev: Evaluator, cls: ClassDecl, name: string, inInit: boolean): string | null {
  const nodes: SyntaxNode[] = [];
  if (inInit)
    for (const fn of cls.methods.get("__init__") ?? [])
      nodes.push(...descendantsOf(fn.body, "call"));
  for (const b of cls.attributes.get("target") ?? [])
    if (b.kind === "assign") nodes.push(...descendantsOf(b.value, "call"), b.value);
  for (const n of nodes) {
    if (n.type !== "call" || !/Target$/.test(n.childForFieldName("function")?.text ?? "")) continue;
    const v = keyword(n, name);
    if (!v) continue;
    const value = ev.eval(v, ev.moduleFrame(cls.module));
    if (value.kind === "str") return value.value;
  }
  return null;
}

/** The class beside the manager that serves a namespace (`target = Target(namespace=…)`). */
function endpointFor(ev: Evaluator, manager: ClassDecl, namespace: string): ClassDecl | null {
  const loaded = ev.program.module(manager.module);
  return (
    loaded?.scope.classes.find((c) => targetKwarg(ev, c, "namespace", false) === namespace) ?? null
  );
}

function classAt(ev: Evaluator, dotted: string): ClassDecl | null {
  const v: Value = ev.resolveDotted(moduleOf(dotted), [dotted.slice(dotted.lastIndexOf(".") + 1)]);
  return v.kind === "class" ? v.decl : null;
}

function moduleOf(dotted: string): string {
  return dotted.slice(0, dotted.lastIndexOf("."));
}
