import type { DiagnosticSink } from "../model/diagnostics.js";
import type { RpcEntry, ServiceEntry } from "../model/map.js";
import type { ClassDecl, FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import type { SyntaxNode } from "../python/parse.js";
import { descendantsOf } from "../python/parse.js";
import { fileOf, functionRef, qualname } from "../python/refs.js";
import type { Value } from "../python/values.js";

/** One remote method of an RPC client class, as its body calls it. */
interface ClientCall {
  fn: FunctionDecl;
  mode: "call" | "cast";
  method: string;
  versions: string[];
  fanout: boolean;
  server: string | null;
  line: number;
}

/**
 * The RPC map: for each RPC service, the client classes of `<manager package>.rpcapi` (Nova's
 * compute/rpcapi.py, Cinder's volume/rpcapi.py …), each method that `prepare()`s a client and
 * `call`s or `cast`s a method name, and the manager method that name reaches — on the manager
 * itself, or on the endpoint class whose `target` has the client's namespace (ComputeTaskAPI →
 * ComputeTaskManager).
 */
export function rpcMap(
  ev: Evaluator,
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
      for (const call of clientCalls(ev, client)) {
        const target = ev.findMethod(server, call.method);
        if (target) reached.add(`${target.owner.qualname}.${call.method}`);
        else {
          diagnostics.add(
            "info",
            `${qualname(client)}.${call.fn.name} ${call.mode}s ${call.method}, which ${qualname(server)} does not define`,
            {
              file: fileOf(ev, client),
              line: call.line,
            },
          );
        }
        out.push({
          service: service.binary,
          topic: service.topic ?? null,
          ...(namespace ? { namespace } : {}),
          client: {
            qualname: `${qualname(client)}.${call.fn.name}`,
            file: fileOf(ev, client),
            line: call.fn.line,
          },
          method: call.method,
          mode: call.mode,
          version: call.versions[0] ?? null,
          ...(call.versions.length > 1 ? { versions: call.versions } : {}),
          ...(call.fanout ? { fanout: true } : {}),
          ...(call.server ? { routing: call.server } : {}),
          server: target ? functionRef(ev, target.owner, target.decl) : null,
          ...(target ? {} : { missing: true }),
        });
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

/** The client methods of a class: `<client>.call(ctxt, 'name', …)` / `.cast(…)` in its body. */
export function clientCalls(ev: Evaluator, cls: ClassDecl): ClientCall[] {
  const out: ClientCall[] = [];
  for (const [name, defs] of cls.methods) {
    const fn = defs[defs.length - 1] as FunctionDecl;
    const frame = ev.moduleFrame(fn.module);
    const calls = descendantsOf(fn.body, "call");
    const prepares = calls.filter((c) => attrName(c) === "prepare");
    // `rpc_method = cctxt.cast if cast else cctxt.call` then `rpc_method(ctxt, 'name', …)`.
    const aliases = new Map<string, "call" | "cast">();
    for (const a of descendantsOf(fn.body, "assignment")) {
      const left = a.childForFieldName("left");
      const m = /\.(cast|call)\b/.exec(a.childForFieldName("right")?.text ?? "");
      if (left?.type === "identifier" && m) aliases.set(left.text, m[1] as "call" | "cast");
    }
    for (const call of calls) {
      const callee = call.childForFieldName("function");
      const mode = callee?.type === "identifier" ? aliases.get(callee.text) : attrName(call);
      if (mode !== "call" && mode !== "cast") continue;
      const args =
        call
          .childForFieldName("arguments")
          ?.namedChildren.filter((a) => a.type !== "keyword_argument" && a.type !== "comment") ??
        [];
      if (args.length < 2 || !args[1]) continue;
      const methodName = ev.eval(args[1], frame);
      if (methodName.kind !== "str") continue;
      out.push({
        fn,
        mode,
        method: methodName.value,
        versions: versionsIn(fn),
        fanout: prepares.some((p) => keyword(p, "fanout")?.text === "True"),
        server:
          prepares.map((p) => keyword(p, "server")?.text ?? null).find((x) => x !== null) ?? null,
        line: call.startPosition.row + 1,
      });
    }
    void name;
  }
  return out;
}

function attrName(call: SyntaxNode): string | null {
  const fn = call.childForFieldName("function");
  return fn?.type === "attribute" ? (fn.childForFieldName("attribute")?.text ?? null) : null;
}

function keyword(call: SyntaxNode, name: string): SyntaxNode | null {
  for (const a of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (a.type === "keyword_argument" && a.childForFieldName("name")?.text === name)
      return a.childForFieldName("value");
  }
  return null;
}

/** Version strings the method asks for, preferred first (`'5.1'` before its `'5.0'` fallback). */
function versionsIn(fn: FunctionDecl): string[] {
  const out: string[] = [];
  for (const s of descendantsOf(fn.body, "string")) {
    const text = s.text.replace(/^[rbuRBU]*['"]|['"]$/g, "");
    if (/^\d+\.\d+$/.test(text) && !out.includes(text)) out.push(text);
  }
  return out;
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
