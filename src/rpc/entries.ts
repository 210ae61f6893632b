import type { RpcEntry } from "../model/map.js";
import type { ClassDecl, FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import { functionRef } from "../python/refs.js";
import type { Negotiated } from "./sends.js";

/** What an RpcEntry is made of, before it is written in the map's terms. */
export interface EntryParts {
  service: string | null;
  topic: string | null;
  namespace: string | null;
  /** The client method and the class that defines it. */
  owner: ClassDecl;
  fn: FunctionDecl;
  method: string;
  mode: "call" | "cast";
  version: string | null;
  versions?: string[];
  fanout: boolean;
  routing: string | null;
  negotiated: Negotiated | null;
  handler: { owner: ClassDecl; decl: FunctionDecl } | null;
}

export function rpcEntry(ev: Evaluator, p: EntryParts): RpcEntry {
  return {
    service: p.service,
    topic: p.topic,
    ...(p.namespace ? { namespace: p.namespace } : {}),
    client: functionRef(ev, p.owner, p.fn),
    method: p.method,
    mode: p.mode,
    version: p.version,
    ...(p.versions && p.versions.length > 1 ? { versions: p.versions } : {}),
    ...(p.fanout ? { fanout: true } : {}),
    ...(p.routing ? { routing: p.routing } : {}),
    ...(p.negotiated ? { negotiated: p.negotiated } : {}),
    server: p.handler ? functionRef(ev, p.handler.owner, p.handler.decl) : null,
    ...(p.handler ? {} : { missing: true }),
  };
}

/** Deterministic order: service, client method, remote method, mode; variants as sent, oldest first. */
export function sortEntries(entries: RpcEntry[]): RpcEntry[] {
  const key = (e: RpcEntry) =>
    [e.service ?? "~", e.client.qualname, e.method, e.mode, e.topic ?? "", e.fanout ? 1 : 0].join(
      "\0",
    );
  return entries
    .map((e) => ({ e, k: key(e) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map((x) => x.e);
}

/** One entry per distinct content: the same client method reached from several objects. */
export function dedupeEntries(entries: RpcEntry[]): RpcEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    const k = JSON.stringify(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
