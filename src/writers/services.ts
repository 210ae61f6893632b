import type { ApiMap, RpcEntry } from "../model/map.js";

/** `apimap services`: what each binary is, one line each. */
export function writeServices(map: ApiMap): string {
  const rows = map.services.map((s) => {
    const consumed = [...new Set((s.consumes ?? []).map((c) => c.topic ?? "?"))];
    const topics = consumed.length > 0 ? `topics ${consumed.join(", ")}` : null;
    const what =
      s.kind === "rpc"
        ? s.reason && !s.manager
          ? `${s.reason}${topics && s.topic === null ? `: ${topics}` : ""}`
          : `${s.topic || !topics ? `topic ${s.topic ?? "?"}` : topics}  manager ${s.manager?.qualname ?? "?"}`
        : s.kind === "wsgi"
          ? `paste ${(s.apps ?? []).map((a) => `${a.name}${a.mounts.length ? ` (${a.mounts.join(", ")})` : ""}`).join(", ") || "?"}${topics ? `; RPC ${topics}` : ""}`
          : (s.reason ?? "");
    return [s.binary, s.kind, what, `${s.evidence.file}:${s.evidence.line}`];
  });
  const widths = [0, 1].map((i) => Math.max(0, ...rows.map((r) => (r[i] ?? "").length)));
  const lines = rows.map(
    (r) => `${r[0]?.padEnd(widths[0] ?? 0)}  ${r[1]?.padEnd(widths[1] ?? 0)}  ${r[2]}  ${r[3]}`,
  );
  return `${lines.join("\n")}\n\n${map.services.length} binaries: ${count(map, "wsgi")} wsgi, ${count(map, "rpc")} rpc, ${count(map, "other")} other\n`;
}

function count(map: ApiMap, kind: string): number {
  return map.services.filter((s) => s.kind === kind).length;
}

/** `apimap rpc`: every remote method, client → manager, grouped by service. */
export function writeRpc(map: ApiMap): string {
  const out: string[] = [];
  const groups = new Map<string | null, RpcEntry[]>();
  for (const r of map.rpc) groups.set(r.service, [...(groups.get(r.service) ?? []), r]);
  for (const [service, entries] of groups) {
    // One topic for the whole service (a manager's) goes in the heading; else on each line.
    const topics = new Set(entries.map((r) => r.topic));
    const shared = topics.size === 1 ? entries[0]?.topic : undefined;
    const heading = service ?? "no consumer in this configuration";
    out.push("", shared !== undefined ? `${heading}  (topic ${shared ?? "?"})` : heading);
    for (const r of entries) {
      const server = r.server
        ? `${r.server.qualname}  ${r.server.file}:${r.server.line}`
        : "missing on the server";
      const ns = r.namespace ? ` [${r.namespace}]` : "";
      const marks = [
        shared === undefined ? `@${r.topic ?? "?"}` : "",
        r.fanout ? "fanout" : "",
        r.negotiated ? caps(r.negotiated) : "",
      ].filter(Boolean);
      out.push(
        `  ${r.mode.padEnd(4)}  ${r.method}${ns}  v${r.version ?? "?"}${marks.map((m) => `  ${m}`).join("")}  ${r.client.qualname} → ${server}`,
      );
    }
  }
  const missing = map.rpc.filter((r) => r.missing).length;
  out.push(
    "",
    `${map.rpc.length} remote methods (${map.rpc.filter((r) => r.mode === "cast").length} cast, ${map.rpc.filter((r) => r.mode === "call").length} call, ${map.rpc.filter((r) => r.fanout).length} fanout), ${missing} missing on the server`,
  );
  return `${out.join("\n").replace(/^\n/, "")}\n`;
}

/** The negotiated version caps a variant is sent under, as a reader says it. */
function caps(n: { min: string | null; max: string | null }): string {
  if (n.min && n.max) return `caps ${n.min}–${n.max}`;
  if (n.min) return `caps ≥ ${n.min}`;
  return `caps < ${n.max}`;
}
