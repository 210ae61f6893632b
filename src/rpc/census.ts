import type { ClassDecl, FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import type { SyntaxNode } from "../python/parse.js";
import { descendantsOf } from "../python/parse.js";

/** One remote method of an RPC client class, as its body calls it. */
export interface ClientCall {
  fn: FunctionDecl;
  mode: "call" | "cast";
  method: string;
  versions: string[];
  fanout: boolean;
  server: string | null;
  line: number;
}

/**
 * The client methods of a class, read from the text: `<client>.call(ctxt, 'name', …)` /
 * `.cast(…)` in its body, with a literal (or module constant) method name. Running the methods
 * (sends.ts) says more; this scan is what is left when a send is not reached that way.
 */
export function clientCalls(ev: Evaluator, cls: ClassDecl): ClientCall[] {
  return [...cls.methods.values()].flatMap((defs) =>
    callsIn(ev, defs[defs.length - 1] as FunctionDecl),
  );
}

/** The sends one function's text makes, as clientCalls reads them. */
export function callsIn(ev: Evaluator, fn: FunctionDecl): ClientCall[] {
  const out: ClientCall[] = [];
  // A send is `….call(…)`, `….cast(…)` or a name given one of them: a body whose text says
  // neither word sends nothing, and is not parsed to find that out.
  if (!SEND_WORD.test(ev.program.bodyText(fn))) return out;
  {
    const frame = ev.moduleFrame(fn.module);
    const calls = descendantsOf(fn.body, "call");
    const prepares = calls.filter((c) => attrName(c) === "prepare");
    // `rpc_method = cctxt.cast if cast else cctxt.call` then `rpc_method(ctxt, 'name', …)`.
    const aliases = new Map<string, ("call" | "cast")[]>();
    for (const a of descendantsOf(fn.body, "assignment")) {
      const left = a.childForFieldName("left");
      const modes = [
        ...(a.childForFieldName("right")?.text ?? "").matchAll(/\.(cast|call)\b/g),
      ].map((m) => m[1] as "call" | "cast");
      if (left?.type === "identifier" && modes.length > 0)
        aliases.set(left.text, [...new Set(modes)]);
    }
    for (const call of calls) {
      const callee = call.childForFieldName("function");
      const mode = callee?.type === "identifier" ? aliases.get(callee.text) : [attrName(call)];
      const modes = (mode ?? []).filter((m): m is "call" | "cast" => m === "call" || m === "cast");
      if (modes.length === 0) continue;
      const args =
        call
          .childForFieldName("arguments")
          ?.namedChildren.filter((a) => a.type !== "keyword_argument" && a.type !== "comment") ??
        [];
      if (args.length < 2 || !args[1]) continue;
      const methodName = ev.eval(args[1], frame);
      if (methodName.kind !== "str") continue;
      for (const m of modes) {
        out.push({
          fn,
          mode: m,
          method: methodName.value,
          versions: versionsIn(fn),
          // `prepare(fanout=True)`, or a helper given it: Cinder's `_get_cctxt(fanout=True)`.
          fanout: calls.some((c) => keyword(c, "fanout")?.text === "True"),
          server:
            prepares.map((p) => keyword(p, "server")?.text ?? null).find((x) => x !== null) ?? null,
          line: call.startPosition.row + 1,
        });
      }
    }
  }
  return out;
}

const SEND_WORD = /\b(?:call|cast)\b/;

/** How `prepare(server=…)` routes a method's messages, as written; null when it does not. */
export function routingIn(fn: FunctionDecl): string | null {
  for (const p of descendantsOf(fn.body, "call")) {
    if (attrName(p) !== "prepare") continue;
    const server = keyword(p, "server");
    if (server) return server.text;
  }
  return null;
}

/**
 * How the message sent at `site` is routed, as written: the `server=` of the last `prepare`
 * before the send, in whichever of the functions (a method and its helpers) holds it. The
 * l2population notifier prepares `server=host` in one helper and a fanout in another.
 */
export function routingAt(
  ev: Evaluator,
  fns: FunctionDecl[],
  site: { file: string; line: number },
): string | null {
  for (const fn of fns) {
    if (ev.program.module(fn.module)?.file.relPath !== site.file) continue;
    const body = fn.body;
    if (!body || site.line < body.startPosition.row + 1 || site.line > body.endPosition.row + 1)
      continue;
    let server: string | null = null;
    for (const p of descendantsOf(body, "call")) {
      if (attrName(p) !== "prepare" || p.startPosition.row + 1 > site.line) continue;
      server = keyword(p, "server")?.text ?? null;
    }
    return server;
  }
  return null;
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
export function versionsIn(fn: FunctionDecl): string[] {
  const out: string[] = [];
  for (const s of descendantsOf(fn.body, "string")) {
    const text = s.text.replace(/^[rbuRBU]*['"]|['"]$/g, "");
    if (/^\d+\.\d+$/.test(text) && !out.includes(text)) out.push(text);
  }
  return out;
}
