import type { DiagnosticSink } from "../model/diagnostics.js";
import type { RpcEntry } from "../model/map.js";
import type { FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import { fileOf } from "../python/refs.js";
import { clientCalls, routingAt } from "./census.js";
import { clientObjects } from "./clientObjects.js";
import { dispatch, type Handler, topicsMatch } from "./dispatch.js";
import { dedupeEntries, type EntryParts, rpcEntry, sortEntries } from "./entries.js";
import type { MessagingModel } from "./messaging.js";
import { type ClientSend, privateHelpers, publicMethods, type RunNotes, sendsOf } from "./sends.js";
import type { RpcServer } from "./servers.js";

/**
 * RPC between processes that register their own consumers (Neutron's agents and server): every
 * RPC client object of the tree (clientObjects.ts), each public method run for what it sends
 * (sends.ts), and each message matched to the processes consuming its topic (servers.ts) and,
 * there, to the endpoint method oslo.messaging's dispatcher would call. A message to a topic
 * nobody consumes in this configuration is listed with no service; one whose topic is not known
 * statically reaches whichever process has an endpoint for it.
 */
export function busEntries(
  ev: Evaluator,
  model: MessagingModel,
  servers: Map<string, RpcServer>,
  skip: (module: string) => boolean,
  diagnostics: DiagnosticSink,
): RpcEntry[] {
  if (![...servers.values()].some((s) => s.consumers.length > 0)) return [];
  const out: RpcEntry[] = [];
  const objects = clientObjects(ev, skip);
  for (const object of objects) {
    const census = clientCalls(ev, object.cls);
    for (const { owner, fn } of publicMethods(ev, object.cls)) {
      const notes: RunNotes = { unnamed: [], exhausted: false };
      const sent = sendsOf(ev, model, object, fn, notes);
      for (const site of notes.unnamed) {
        diagnostics.add(
          "info",
          `${owner.module}.${fn.qualname} sends a message whose method name is not known statically`,
          site,
        );
      }
      if (notes.exhausted)
        diagnostics.add(
          "info",
          `${owner.module}.${fn.qualname} was run to its step budget: what it sends after that is not listed`,
          { file: fileOf(ev, owner), line: fn.line },
        );
      const helpers = privateHelpers(ev, object.cls, fn);
      for (const send of [...sent, ...unreached(fn, census, sent, object)]) {
        for (const m of matches(ev, servers, send)) {
          out.push(
            rpcEntry(ev, {
              ...m,
              topic: send.topic,
              namespace: send.namespace,
              owner,
              fn,
              method: send.method,
              mode: send.mode,
              version: send.version,
              fanout: send.fanout,
              routing: routingAt(ev, [fn, ...helpers], send.site),
              negotiated: send.negotiated,
            }),
          );
        }
      }
      for (const c of census.filter(
        (c) => c.fn === fn && !sent.some((s) => s.method === c.method),
      )) {
        diagnostics.add(
          "info",
          `${owner.module}.${fn.qualname} ${c.mode}s ${c.method} where running it did not reach`,
          { file: fileOf(ev, owner), line: c.line },
        );
      }
    }
  }
  return sortEntries(dedupeEntries(out));
}

/** Sends the method's own text makes that running it did not reach (inside a `while`, …). */
function unreached(
  fn: FunctionDecl,
  census: ReturnType<typeof clientCalls>,
  sent: ClientSend[],
  object: { site: { file: string; line: number } },
): ClientSend[] {
  return census
    .filter((c) => c.fn === fn && !sent.some((s) => s.method === c.method && s.mode === c.mode))
    .map((c) => ({
      method: c.method,
      mode: c.mode,
      topic: null,
      namespace: null,
      version: c.versions[0] ?? null,
      fanout: c.fanout,
      negotiated: null,
      site: { file: object.site.file, line: c.line },
    }));
}

/** The processes a message reaches and what handles it there, one per process. */
function matches(
  ev: Evaluator,
  servers: Map<string, RpcServer>,
  send: ClientSend,
): Pick<EntryParts, "service" | "handler">[] {
  const out: Pick<EntryParts, "service" | "handler">[] = [];
  let consumed = false;
  for (const [binary, server] of servers) {
    let handler: Handler | null = null;
    let onTopic = false;
    for (const consumer of server.consumers) {
      if (!topicsMatch(send.topic, consumer.topic)) continue;
      onTopic = true;
      const r = dispatch(ev, consumer.endpoints, send.namespace, send.version, send.method);
      if ("decl" in r) {
        handler = r;
        break;
      }
    }
    if (handler) out.push({ service: binary, handler });
    // A known topic this process consumes, but no endpoint there has the method.
    else if (onTopic && send.topic !== null) out.push({ service: binary, handler: null });
    consumed ||= onTopic;
  }
  if (!consumed && send.topic !== null) out.push({ service: null, handler: null });
  if (out.length === 0) out.push({ service: null, handler: null });
  return out;
}
