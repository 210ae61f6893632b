import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** A Python module found on the search path. */
export interface ModuleFile {
  name: string;
  /** Absolute path of the .py file (`__init__.py` for a package). */
  path: string;
  /** Path relative to the search root it was found in, as the map reports files. */
  relPath: string;
  root: string;
  isPackage: boolean;
}

/**
 * Dotted module name ⇄ file over several search roots, like PYTHONPATH.
 * Lookups hit the file system lazily and are cached; nothing is scanned up front.
 */
export class ModuleIndex {
  private readonly cache = new Map<string, ModuleFile | null>();
  private readonly packageDirs = new Map<string, boolean>();

  constructor(readonly roots: readonly string[]) {}

  find(name: string): ModuleFile | null {
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit;
    const found = this.lookup(name);
    this.cache.set(name, found);
    return found;
  }

  /** True when `name` is a folder on the path, with or without `__init__.py` (PEP 420 namespaces). */
  isPackageDir(name: string): boolean {
    // Asked for every `from x import y` the evaluator follows: one stat per name, not per ask.
    let hit = this.packageDirs.get(name);
    if (hit === undefined) {
      const parts = name.split(".");
      hit = this.roots.some((root) => isDir(join(root, ...parts)));
      this.packageDirs.set(name, hit);
    }
    return hit;
  }

  /** Direct submodules of a package, sorted by name (how Nova's contrib and Neutron's extension folders are walked). */
  submodules(pkg: string): ModuleFile[] {
    const parts = pkg.split(".");
    const names = new Set<string>();
    for (const root of this.roots) {
      const dir = join(root, ...parts);
      if (!isDir(dir)) continue;
      for (const entry of readdirSync(dir)) {
        if (entry.endsWith(".py") && entry !== "__init__.py") names.add(entry.slice(0, -3));
        else if (existsSync(join(dir, entry, "__init__.py"))) names.add(entry);
      }
    }
    return [...names]
      .sort()
      .map((n) => this.find(`${pkg}.${n}`))
      .filter((m): m is ModuleFile => m !== null);
  }

  /** Which module a file belongs to, when it lies under one of the roots. */
  moduleForFile(path: string): string | null {
    for (const root of this.roots) {
      const rel = relative(root, path);
      if (rel.startsWith("..") || !rel.endsWith(".py")) continue;
      const parts = rel.slice(0, -3).split("/");
      if (parts[parts.length - 1] === "__init__") parts.pop();
      return parts.join(".");
    }
    return null;
  }

  private lookup(name: string): ModuleFile | null {
    const parts = name.split(".");
    for (const root of this.roots) {
      const base = join(root, ...parts);
      const init = join(base, "__init__.py");
      if (existsSync(init)) return this.entry(name, init, root, true);
      const file = `${base}.py`;
      if (existsSync(file)) return this.entry(name, file, root, false);
    }
    return null;
  }

  private entry(name: string, path: string, root: string, isPackage: boolean): ModuleFile {
    return { name, path, relPath: relative(root, path), root, isPackage };
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
