import type { ApiMap, Endpoint } from "../model/map.js";

/** For people: one line per endpoint, grouped by app, then a summary line. */
export function writeTable(map: ApiMap): string {
  const out: string[] = [];
  const version = map.project.version ? ` ${map.project.version}` : "";
  out.push(`${map.project.name}${version}`);
  const severalPasteFiles = new Set(map.apps.map((a) => a.paste)).size > 1;
  let paste = "";
  for (const app of map.apps) {
    if (severalPasteFiles && app.paste !== paste) {
      paste = app.paste;
      out.push("", `# ${paste}`);
    }
    const endpoints = map.endpoints.filter(
      (e) => e.app === app.name && e.paste === app.paste && e.mount === app.mount,
    );
    out.push("");
    const recipe = app.recipe ? ` [${app.recipe}]` : " [no recipe]";
    out.push(`${app.name}  ${app.mount}  ${app.factory}${recipe}`);
    if (app.pipeline.length > 0) out.push(`  pipeline: ${app.pipeline.join(" → ")}`);
    const rows = endpoints.map(row);
    const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((r) => (r[i] ?? "").length)));
    for (const r of rows) {
      out.push(
        `  ${r
          .map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c))
          .join("  ")
          .trimEnd()}`,
      );
    }
  }
  const warnings = map.diagnostics.filter((d) => d.level !== "info").length;
  out.push("");
  out.push(
    `${map.apps.length} apps, ${map.endpoints.length} endpoints, ${map.diagnostics.length} diagnostics (${warnings} warnings)`,
  );
  for (const d of map.diagnostics) {
    if (d.level === "info") continue;
    const where = d.file ? ` (${d.file}${d.line ? `:${d.line}` : ""})` : "";
    out.push(`  ${d.level}: ${d.message}${where}`);
  }
  return `${out.join("\n")}\n`;
}

function row(e: Endpoint): string[] {
  const path = e.action ? `${e.path} [${e.action}]` : e.path;
  const handler = e.handler
    ? e.handler.qualname
    : e.redirect !== undefined
      ? `redirect → ${e.redirect}`
      : "?";
  const where = e.handler ? `${e.handler.file}:${e.handler.line}` : "";
  const flags = [e.rejects ? "(405)" : "", e.versions ? versionText(e.versions) : ""]
    .filter(Boolean)
    .join(" ");
  return [e.method, path, handler, [where, flags].filter(Boolean).join(" ")];
}

function versionText(v: { min: string | null; max: string | null }): string {
  return `[${v.min ?? ""}–${v.max ?? ""}]`;
}
