import type { ApiMap, Endpoint } from "../model/map.js";

/** Endpoints a request would reach: same method (or a route for any method), path matching the template. */
export function findEndpoints(
  map: ApiMap,
  method: string,
  path: string,
  action?: string,
): Endpoint[] {
  const m = method.toUpperCase();
  const found = map.endpoints.filter(
    (e) =>
      (e.method === m || e.method === "*") &&
      templateMatches(e.path, path) &&
      (action === undefined || e.action === action),
  );
  // A literal route (`/servers/detail`) wins over a template that also matches (`/servers/{id}`).
  const exact = found.filter((e) => e.path === path);
  const matched = exact.length > 0 ? exact : found;
  // Routes for any method (Glance's 405 responders) only answer when no specific route does.
  return [...matched.filter((e) => e.method !== "*"), ...matched.filter((e) => e.method === "*")];
}

/** `/v2/images/{image_id}` matches itself and `/v2/images/42`. */
export function templateMatches(template: string, path: string): boolean {
  if (template === path) return true;
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith("{") ? "[^/]+" : part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${pattern}$`).test(path);
}

/** The trace of each endpoint, one numbered step per line: the reasoning behind the map. */
export function writeExplain(endpoints: Endpoint[]): string {
  const out: string[] = [];
  for (const e of endpoints) {
    const action = e.action ? ` [${e.action}]` : "";
    const handler = e.handler
      ? `${e.handler.qualname} (${e.handler.file}:${e.handler.line})`
      : "no handler resolved";
    out.push(`${e.method} ${e.path}${action} → ${handler}`);
    e.trace.forEach((t, i) => {
      out.push(
        `  ${String(i + 1).padStart(2)}. ${t.step.padEnd(10)} ${t.detail}  (${t.file}:${t.line})`,
      );
    });
    for (const [label, value] of facts(e)) out.push(`      ${label.padEnd(10)} ${value}`);
    out.push("");
  }
  return out.join("\n");
}

/** What the map says about the handler beyond how it was reached, one labelled line each. */
function facts(e: Endpoint): [string, string][] {
  const out: [string, string][] = [];
  if (e.servedBy) out.push(["served by", `the [filter:${e.servedBy}] router, before the app`]);
  if (e.versions)
    out.push(["versions", `${e.versions.min ?? "?"} – ${e.versions.max ?? "latest"}`]);
  const answers = [
    ...(e.status !== undefined ? [`${e.status}`] : []),
    ...(e.errors?.length ? [`errors ${e.errors.join(", ")}`] : []),
  ];
  if (answers.length > 0) out.push(["answers", answers.join("; ")]);
  if (e.policies?.length) out.push(["policies", e.policies.join(", ")]);
  for (const x of e.extensions ?? []) out.push(["extended", `${x.qualname} (${x.file}:${x.line})`]);
  if (e.implementation)
    out.push([
      "implements",
      `${e.implementation.qualname} (${e.implementation.file}:${e.implementation.line})`,
    ]);
  else if (e.pluginMethod && e.plugin)
    out.push(["implements", `nothing: ${e.plugin.class} has no ${e.pluginMethod}`]);
  for (const c of e.calls ?? []) {
    out.push(["calls", `${c.qualname} (${c.file}:${c.line})`]);
    for (const h of c.rpc) {
      const server = h.server
        ? `${h.server.qualname} (${h.server.file}:${h.server.line})`
        : "no server method";
      const fanout = h.fanout ? " fanout" : "";
      out.push(["", `  ${h.mode}${fanout} ${h.client.qualname} → ${server}`]);
    }
  }
  return out;
}
