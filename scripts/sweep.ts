/**
 * `npm run sweep -- <project> --mirror <bare git repo> [--lib <bare git repo>] [--tags a,b]
 * [--since juno-eol] [--config FILE] [--all-plugins]`: map every release of a project from a fetched mirror and
 * print, per release, the endpoint count, the warnings, and the recall against that tree's own
 * API reference (`.. rest_method::` lines of api-ref/source) and `@wsgi.action('…')` names.
 *
 * Releases are the `*-eol` tags, oldest first, then master. Each is unpacked once with
 * `git archive` under .cache/sweep/ (git-ignored); a library mirror (`<project>-lib`) is
 * unpacked at the release's own tag, else at the version its requirements.txt asks for. CI
 * cannot fetch mirrors: the sweep is run by hand before a change to the evaluator or a recipe
 * lands (README, "Release sweep").
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cli = join(repo, "dist", "apimap.js");

interface Options {
  project: string;
  mirror: string;
  lib: string | null;
  tags: string[] | null;
  since: string | null;
  extra: string[];
}

function parseArgs(argv: string[]): Options {
  const [project, ...rest] = argv;
  if (!project) throw new Error("usage: sweep <project> --mirror DIR [--lib DIR] [--tags a,b]");
  const opts: Options = { project, mirror: "", lib: null, tags: null, since: null, extra: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    const next = () => rest[++i] ?? "";
    if (a === "--mirror") opts.mirror = next();
    else if (a === "--lib") opts.lib = next();
    else if (a === "--tags") opts.tags = next().split(",");
    else if (a === "--since") opts.since = next();
    else opts.extra.push(a);
  }
  if (!opts.mirror) throw new Error("--mirror is required (a bare git repository)");
  return opts;
}

function git(gitDir: string, ...args: string[]): string {
  const r = spawnSync("git", ["--git-dir", gitDir, ...args], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/**
 * `*-eol` tags in release order (series names are alphabetical until zed, then year.number),
 * then master; `since` drops the releases before it.
 */
function releases(gitDir: string, since: string | null): string[] {
  const tags = git(gitDir, "tag", "-l", "*-eol").split("\n").filter(Boolean);
  const key = (t: string) => (/^\d/.test(t) ? `~${t}` : t); // year-named series after zed
  const ordered = tags.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const from = since ? ordered.indexOf(since) : 0;
  return [...ordered.slice(Math.max(0, from)), "master"];
}

function unpack(gitDir: string, name: string, ref: string): string {
  const dir = join(repo, ".cache", "sweep", name, ref.replaceAll("/", "_"));
  if (existsSync(join(dir, ".unpacked"))) return dir;
  mkdirSync(dir, { recursive: true });
  const r = spawnSync("bash", [
    "-c",
    `git --git-dir "$0" archive "$1" | tar -x -C "$2" && touch "$2/.unpacked"`,
    gitDir,
    ref,
    dir,
  ]);
  if (r.status !== 0) throw new Error(`git archive ${ref}: ${r.stderr}`);
  return dir;
}

/**
 * The library for a release: its own `<series>-eol` tag, else the version the release's
 * requirements.txt asks for at least (`neutron-lib>=3.8.0` → tag 3.8.0), else none (releases
 * from before the library existed).
 */
function libraryRef(lib: string, libName: string, tree: string, tag: string): string | null {
  if (tag === "master") return "master";
  const tags = new Set(git(lib, "tag", "-l").split("\n").filter(Boolean));
  if (tags.has(tag)) return tag;
  const reqs = join(tree, "requirements.txt");
  if (!existsSync(reqs)) return null;
  const m = new RegExp(`^${libName}\\s*>=\\s*([\\d.]+)`, "m").exec(readFileSync(reqs, "utf8"));
  return m?.[1] && tags.has(m[1]) ? m[1] : null;
}

function filesUnder(dir: string, suffix: string, skip: RegExp): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (skip.test(`/${name}/`)) continue;
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, suffix, skip));
    else if (name.endsWith(suffix)) out.push(p);
  }
  return out;
}

/** `{server_id}` and `{id}` are the same slot; versions and project prefixes differ by tree. */
const shape = (path: string) =>
  path
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\/+$/, "")
    .toLowerCase();

/** (method, path) pairs the API reference documents. */
function apiRef(trees: string[]): Set<string> {
  const out = new Set<string>();
  for (const tree of trees) {
    for (const f of filesUnder(join(tree, "api-ref", "source"), ".inc", /^\/\./)) {
      for (const m of readFileSync(f, "utf8").matchAll(/^\.\. rest_method::\s+(\w+)\s+(\S+)/gm))
        out.add(`${m[1]?.toUpperCase()} ${shape(m[2] ?? "")}`);
    }
  }
  return out;
}

/** Body actions the code declares: `@wsgi.action('pause')`, outside tests. */
function actionNames(tree: string, project: string): Set<string> {
  const out = new Set<string>();
  for (const f of filesUnder(join(tree, project.replaceAll("-", "_")), ".py", /^\/tests?\/$/)) {
    for (const m of readFileSync(f, "utf8").matchAll(/@wsgi\.action\(\s*['"]([^'"]+)['"]/g))
      out.add(m[1] as string);
  }
  return out;
}

interface MapJson {
  endpoints: { method: string; path: string; action: string | null; missing?: boolean }[];
  diagnostics: { level: string; message: string }[];
}

/** A documented (method, path) is found when a mapped path ends with it, on a slash. */
function recall(documented: Set<string>, map: MapJson): [number, number, string[]] {
  const mapped = map.endpoints
    .filter((e) => !e.missing)
    .map((e) => ({ method: e.method, path: shape(e.path) }));
  const lost: string[] = [];
  let found = 0;
  for (const doc of documented) {
    const [method, path] = doc.split(" ") as [string, string];
    const hit = mapped.some(
      (e) =>
        (e.method === method || e.method === "*") &&
        (e.path === path || e.path.endsWith(path.startsWith("/") ? path : `/${path}`)),
    );
    if (hit) found++;
    else lost.push(doc);
  }
  return [found, documented.size, lost];
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const rows: string[] = [
    "| release | endpoints | warnings | api-ref recall | actions recall |",
    "|---|---|---|---|---|",
  ];
  const details: string[] = [];
  for (const tag of opts.tags ?? releases(opts.mirror, opts.since)) {
    const tree = unpack(opts.mirror, opts.project, tag);
    const roots = [tree];
    const libRef = opts.lib ? libraryRef(opts.lib, `${opts.project}-lib`, tree, tag) : null;
    if (opts.lib && libRef) roots.push(unpack(opts.lib, "lib", libRef));
    const r = spawnSync(
      process.execPath,
      [cli, "map", ...roots, "--format", "json", ...opts.extra],
      {
        encoding: "utf8",
        maxBuffer: 512 * 1024 * 1024,
      },
    );
    if (r.status !== 0) {
      rows.push(`| ${tag} | error: ${r.stderr.trim().split("\n")[0]} | | | |`);
      continue;
    }
    const map = JSON.parse(r.stdout) as MapJson;
    const warnings = map.diagnostics.filter((d) => d.level !== "info");
    const [found, documented, lost] = recall(apiRef(roots), map);
    const declared = actionNames(tree, opts.project);
    const mappedActions = new Set(map.endpoints.map((e) => e.action).filter(Boolean));
    const actionsFound = [...declared].filter((a) => mappedActions.has(a)).length;
    const pct = (a: number, b: number) =>
      b === 0 ? "–" : `${((100 * a) / b).toFixed(0)}% (${a}/${b})`;
    const label = libRef && libRef !== tag ? `${tag} (lib ${libRef})` : tag;
    rows.push(
      `| ${label} | ${map.endpoints.length} | ${warnings.length} | ${pct(found, documented)} | ${pct(actionsFound, declared.size)} |`,
    );
    if (warnings.length > 0 || lost.length > 0) {
      details.push(`${tag}:`);
      for (const w of warnings) details.push(`  warning: ${w.message}`);
      if (lost.length > 0) details.push(`  documented, not mapped: ${lost.sort().join(", ")}`);
    }
    console.error(`${tag}: done`);
  }
  console.log(rows.join("\n"));
  if (details.length > 0) console.log(`\n${details.join("\n")}`);
}

main();
