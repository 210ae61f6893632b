import type { DiagnosticSink } from "../model/diagnostics.js";
import type { RpcEntry, ServiceEntry } from "../model/map.js";
import type { Evaluator } from "../python/evaluator.js";
import { busEntries } from "./busClients.js";
import type { MessagingModel } from "./messaging.js";
import { rpcapiEntries } from "./rpcapi.js";
import type { RpcServer } from "./servers.js";

export { type ClientCall, clientCalls } from "./census.js";

/**
 * The RPC map: every remote method a client sends, call or cast, and the server method it
 * reaches. Two ways the projects wire it: a service's manager served on its topic with its
 * client beside it in `<manager package>.rpcapi` (Nova, Cinder: rpcapi.ts), and processes that
 * register their own consumers, reached by every client of the tree that sends to their topics
 * (Neutron's server and agents: busClients.ts).
 */
export function rpcMap(
  ev: Evaluator,
  model: MessagingModel,
  services: ServiceEntry[],
  servers: Map<string, RpcServer>,
  diagnostics: DiagnosticSink,
): RpcEntry[] {
  const byManager = rpcapiEntries(ev, model, services, diagnostics);
  // The rpcapi modules are the first way's; the second does not list them again.
  const rpcapiModules = new Set(byManager.map((e) => moduleOf(e.client.qualname)));
  const onBus = busEntries(ev, model, servers, (m) => rpcapiModules.has(m), diagnostics);
  return [...byManager, ...onBus];
}

function moduleOf(method: string): string {
  return method.split(".").slice(0, -2).join(".");
}
