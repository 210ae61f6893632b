/**
 * What the roots given on the command line hold: which Python distribution to map, and where
 * its code and configuration are. A root may be
 * - a checkout or release tarball: `setup.cfg` / `pyproject.toml` beside the package folder;
 * - a system tree or unpacked Debian package: `usr/lib/python3/dist-packages/` with
 *   `*.egg-info` metadata, often for several distributions (glance and glance_store);
 * - a site-packages folder itself, holding `*.dist-info` / `*.egg-info`;
 * - a plain folder of Python code with no metadata at all.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { type Diagnostic, DiagnosticSink } from "../model/diagnostics.js";
import { readDistInfo } from "../packaging/metadata.js";
import { readPyproject } from "../packaging/pyproject.js";
import { readSetupCfg } from "../packaging/setupcfg.js";
import { normalizeName, type PackageInfo, PackagingError } from "../packaging/types.js";
import { findPasteFiles } from "../paste/find.js";

/** Roots that cannot be analysed. `message` is one line naming the root. */
export class ProjectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProjectError";
  }
}

export interface DetectOptions {
  /** The distribution to map when the roots hold several (`glance`, not `glance_store`). */
  project?: string;
}

export interface DetectedProject {
  /** The distribution name (or, with no metadata at all, `opts.project` / the root's name). */
  name: string;
  version: string | null;
  /** Every distribution found, the one mapped first. */
  packages: PackageInfo[];
  /** Absolute directories to import from, like PYTHONPATH, the mapped distribution's first. */
  pythonRoots: string[];
  /** Absolute roots in which to look for `etc/` files (paste, policy): the roots given. */
  configRoots: string[];
  /** Metadata that could only partly be read. */
  diagnostics: Diagnostic[];
}

interface Candidate {
  info: PackageInfo;
  pythonRoot: string;
  /** From a checkout's own setup.cfg / pyproject.toml rather than installed metadata. */
  checkout: boolean;
}

export function detectProject(roots: string[], opts: DetectOptions = {}): DetectedProject {
  const sink = new DiagnosticSink();
  const candidates: Candidate[] = [];
  const pythonRoots: string[] = [];
  for (const root of roots) {
    const found = scanRoot(root, sink);
    candidates.push(...found.candidates);
    pythonRoots.push(...found.pythonRoots);
  }
  const configRoots = [...new Set(roots.map((r) => path.resolve(r)))];
  const unique = dedupe(candidates);
  const main = chooseMain(unique, roots, configRoots, opts);
  const packages = main ? [main.info, ...unique.filter((c) => c !== main).map((c) => c.info)] : [];
  const orderedRoots = main ? [main.pythonRoot, ...pythonRoots] : pythonRoots;
  return {
    name: main?.info.name ?? opts.project ?? path.basename(configRoots[0] ?? "."),
    version: main?.info.version ?? null,
    packages,
    pythonRoots: [...new Set(orderedRoots)],
    configRoots,
    diagnostics: sink.items,
  };
}

/**
 * The distribution to map. Asked for by name: that one. Otherwise, in order:
 * 1. a checkout's own setup.cfg / pyproject.toml: a checkout is the project being worked on,
 *    whatever else is installed next to it;
 * 2. a distribution named like an OpenStack service whose paste file is in the roots
 *    (`etc/glance/…`, `usr/share/glance-common/…`): that is a service with a REST API, and
 *    it tells `glance` from the `glance_store` library unpacked beside it;
 * 3. the first one found.
 */
function chooseMain(
  candidates: Candidate[],
  roots: string[],
  configRoots: string[],
  opts: DetectOptions,
): Candidate | null {
  if (opts.project !== undefined) {
    const want = normalizeName(opts.project);
    const hit = candidates.find((c) => normalizeName(c.info.name) === want);
    // With no metadata at all there is nothing to check the name against: take it as given.
    if (hit || candidates.length === 0) return hit ?? null;
    const names = candidates.map((c) => c.info.name).join(", ");
    throw new ProjectError(
      `no distribution named "${opts.project}" in ${roots.join(", ")} (found: ${names})`,
    );
  }
  const checkout = candidates.find((c) => c.checkout);
  if (checkout) return checkout;
  const withPaste = candidates.find((c) =>
    configRoots.some((r) => findPasteFiles(r, c.info.name.toLowerCase()).length > 0),
  );
  return withPaste ?? candidates[0] ?? null;
}

/** One distribution per name; the first found wins (a checkout over its stale egg-info). */
function dedupe(candidates: Candidate[]): Candidate[] {
  const byName = new Map<string, Candidate>();
  for (const c of candidates) {
    const key = normalizeName(c.info.name);
    const first = byName.get(key);
    if (!first) byName.set(key, c);
    // pbr checkouts have no version in setup.cfg; `setup.py egg_info` wrote one beside it.
    else if (first.info.version === null && c.info.version !== null) {
      first.info.version = c.info.version;
    }
  }
  return [...byName.values()];
}

function scanRoot(
  root: string,
  sink: DiagnosticSink,
): { candidates: Candidate[]; pythonRoots: string[] } {
  const abs = path.resolve(root);
  if (!isDir(abs)) throw new ProjectError(`${root}: no such directory`);
  const candidates: Candidate[] = [];
  const pythonRoots: string[] = [];
  // Files are reported relative to the root they were found in, like every other SourceRef.
  const display = (p: string) => path.relative(abs, p) || path.basename(p);

  // A checkout or release tarball.
  const setupCfg = path.join(abs, "setup.cfg");
  const pyproject = path.join(abs, "pyproject.toml");
  if (existsSync(setupCfg) || existsSync(pyproject)) {
    const info = withRootInErrors(root, () => readCheckout(setupCfg, pyproject, display, sink));
    const pythonRoot = checkoutPythonRoot(abs, info);
    pythonRoots.push(pythonRoot);
    if (info) candidates.push({ info, pythonRoot, checkout: true });
  }
  // A system tree or unpacked package, or a site-packages folder itself.
  for (const site of [...siteDirsIn(abs), ...(hasDistInfo(abs) ? [abs] : [])]) {
    pythonRoots.push(site);
    for (const entry of listDir(site).filter(isDistInfoName)) {
      const dir = path.join(site, entry);
      try {
        const info = readDistInfo(dir, { displayFile: display(dir), diagnostics: sink });
        if (info) candidates.push({ info, pythonRoot: site, checkout: false });
      } catch (err) {
        if (!(err instanceof PackagingError)) throw err;
        sink.warn(err.message, { file: display(dir) });
      }
    }
  }
  if (pythonRoots.length === 0) {
    if (!hasPythonNearTop(abs, 2)) {
      throw new ProjectError(
        `${root}: not a Python source tree (no setup.cfg, pyproject.toml, *.egg-info or *.py found)`,
      );
    }
    pythonRoots.push(abs);
  }
  return { candidates, pythonRoots };
}

/**
 * A checkout's metadata: pyproject.toml `[project]` when it has one (newer OpenStack projects
 * moved there), else setup.cfg (pbr). Entry points from both, since pbr still reads setup.cfg's.
 */
function readCheckout(
  setupCfg: string,
  pyproject: string,
  display: (p: string) => string,
  sink: DiagnosticSink,
): PackageInfo | null {
  try {
    const fromToml = existsSync(pyproject)
      ? readPyproject(pyproject, { displayFile: display(pyproject), diagnostics: sink })
      : null;
    const fromCfg = existsSync(setupCfg)
      ? readSetupCfg(setupCfg, { displayFile: display(setupCfg), diagnostics: sink })
      : null;
    if (!fromToml || !fromCfg) return fromToml ?? fromCfg;
    const entryPoints = new Map(fromToml.entryPoints);
    for (const [group, eps] of fromCfg.entryPoints) {
      const have = entryPoints.get(group) ?? [];
      const names = new Set(have.map((e) => e.name));
      entryPoints.set(group, [...have, ...eps.filter((e) => !names.has(e.name))]);
    }
    return {
      ...fromToml,
      version: fromToml.version ?? fromCfg.version,
      entryPoints,
      topLevel: fromToml.topLevel.length > 0 ? fromToml.topLevel : fromCfg.topLevel,
    };
  } catch (err) {
    if (err instanceof PackagingError) throw new ProjectError(err.message);
    throw err;
  }
}

/** The checkout itself, or its `src/` when the packages live there (the "src layout"). */
function checkoutPythonRoot(abs: string, info: PackageInfo | null): string {
  const guesses = [...(info?.topLevel ?? []), ...(info ? [info.name.replace(/[-.]/g, "_")] : [])];
  if (guesses.some((p) => isPackage(path.join(abs, p)))) return abs;
  const src = path.join(abs, "src");
  if (isDir(src)) {
    if (guesses.some((p) => isPackage(path.join(src, p)))) return src;
    if (!listDir(abs).some((e) => isPackage(path.join(abs, e)))) {
      if (listDir(src).some((e) => isPackage(path.join(src, e)))) return src;
    }
  }
  return abs;
}

/**
 * Python search roots inside a system-like tree: Debian's `usr/lib/python3/dist-packages`
 * first, then `lib/python3.X/{dist,site}-packages` (or `lib64/…`) under `usr/local`, `usr`
 * and the root itself (a virtualenv).
 */
function siteDirsIn(abs: string): string[] {
  const found = [path.join(abs, "usr/lib/python3/dist-packages")].filter(isDir);
  for (const prefix of ["usr/local", "usr", ""]) {
    for (const lib of ["lib", "lib64"]) {
      const libDir = path.join(abs, prefix, lib);
      for (const py of listDir(libDir).filter((n) => /^python3(\.\d+)?$/.test(n))) {
        for (const site of ["dist-packages", "site-packages"]) {
          const dir = path.join(libDir, py, site);
          if (isDir(dir) && !found.includes(dir)) found.push(dir);
        }
      }
    }
  }
  return found;
}

function isDistInfoName(name: string): boolean {
  return name.endsWith(".egg-info") || name.endsWith(".dist-info");
}

function hasDistInfo(dir: string): boolean {
  return listDir(dir).some(isDistInfoName);
}

function hasPythonNearTop(dir: string, depth: number): boolean {
  const entries = listDir(dir);
  if (entries.some((e) => e.endsWith(".py") && !isDir(path.join(dir, e)))) return true;
  if (depth === 0) return false;
  return entries
    .filter((e) => !e.startsWith(".") && e !== "node_modules")
    .some((e) => isDir(path.join(dir, e)) && hasPythonNearTop(path.join(dir, e), depth - 1));
}

function isPackage(dir: string): boolean {
  return existsSync(path.join(dir, "__init__.py"));
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Sources are relative to their root; an error message names the root too, so it stands alone. */
function withRootInErrors<T>(root: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ProjectError)
      throw new ProjectError(`${root.replace(/\/+$/, "")}/${err.message}`);
    throw err;
  }
}
