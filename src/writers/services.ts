import type { ApiMap } from "../model/map.js";

/** `apimap services`: what each binary is, one line each. */
export function writeServices(map: ApiMap): string {
  const rows = map.services.map((s) => {
    const what =
      s.kind === "rpc"
        ? s.reason && !s.manager
          ? s.reason
          : `topic ${s.topic ?? "?"}  manager ${s.manager?.qualname ?? "?"}`
        : s.kind === "wsgi"
          ? `paste ${(s.apps ?? []).map((a) => `${a.name}${a.mounts.length ? ` (${a.mounts.join(", ")})` : ""}`).join(", ") || "?"}`
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
  let service: string | null = "";
  for (const r of map.rpc) {
    if (r.service !== service) {
      service = r.service;
      out.push(
        "",
        service === null
          ? "no consumer in this configuration"
          : `${service}  (topic ${r.topic ?? "?"})`,
      );
    }
    const server = r.server
      ? `${r.server.qualname}  ${r.server.file}:${r.server.line}`
      : "missing on the server";
    const ns = r.namespace ? ` [${r.namespace}]` : "";
    out.push(
      `  ${r.mode.padEnd(4)}  ${r.method}${ns}  v${r.version ?? "?"}  ${r.client.qualname} → ${server}`,
    );
  }
  const missing = map.rpc.filter((r) => r.missing).length;
  out.push(
    "",
    `${map.rpc.length} remote methods (${map.rpc.filter((r) => r.mode === "cast").length} cast, ${map.rpc.filter((r) => r.mode === "call").length} call), ${missing} missing on the server`,
  );
  return `${out.join("\n").replace(/^\n/, "")}\n`;
}
