import type { ClassDecl, FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import type { Endpoint } from "./servers.js";
import { servesVersion } from "./versions.js";

/** Where a message is handled: the endpoint object and the method, where its MRO defines it. */
export interface Handler {
  endpoint: Endpoint;
  owner: ClassDecl;
  decl: FunctionDecl;
}

/**
 * oslo.messaging's RPCDispatcher: the first endpoint, in the order they were given to the
 * server, whose target accepts the message's namespace and whose version can serve the
 * message's (same major, minor not above; 1.0 when either has none), and that has the method
 * — a public one (DefaultRPCAccessPolicy, Ocata on). With Neutron's namespaces all None
 * (neutron-lib 1.x on), the order decides between RpcCallbacks, DhcpRpcCallback … on q-plugin.
 */
export function dispatch(
  ev: Evaluator,
  endpoints: Endpoint[],
  namespace: string | null,
  version: string | null,
  method: string,
): Handler | { unsupported: boolean } {
  let compatible = false;
  for (const endpoint of endpoints) {
    if (endpoint.namespace !== namespace) continue;
    if (!servesVersion(endpoint.version, version ?? "1.0")) continue;
    compatible = true;
    if (method.startsWith("_")) continue;
    const found = ev.findMethod(endpoint.cls, method);
    if (found) return { endpoint, owner: found.owner, decl: found.decl };
  }
  return { unsupported: !compatible };
}

/**
 * Whether a message on topic `sent` reaches a server consuming `consumed`. Either may be a
 * template whose `{…}` parts are not known statically (`neutron-vo-{resource_type}-{version}`,
 * `q-agent-notifier-port-update.{node_name}`): they match when some string fits both.
 */
export function topicsMatch(sent: string | null, consumed: string | null): boolean {
  if (sent === null || consumed === null) return true;
  if (sent === consumed) return true;
  return fits(sent, consumed) || fits(consumed, sent);
}

/** Whether the template `pattern` matches `text`, `text`'s own placeholders taken literally. */
function fits(pattern: string, text: string): boolean {
  if (!pattern.includes("{")) return false;
  const re = pattern
    .split(/\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".+");
  return new RegExp(`^${re}$`).test(text);
}
