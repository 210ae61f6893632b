import { readFileSync } from "node:fs";
import type { ClassDecl } from "./binder.js";
import type { Evaluator } from "./evaluator.js";
import { pythonFiles } from "./files.js";

/**
 * `Base.__subclasses__()`: the direct subclasses of a class, among the classes of the project's
 * own packages. Python knows them because every module defining one was imported; we find the
 * candidate files by the base's name and check their classes' bases with the evaluator.
 */
export class SubclassIndex {
  private files: { path: string; text: string }[] | null = null;
  private readonly cache = new Map<ClassDecl, ClassDecl[]>();

  constructor(private readonly packageDirs: string[]) {}

  direct(ev: Evaluator, base: ClassDecl): ClassDecl[] {
    const hit = this.cache.get(base);
    if (hit) return hit;
    const out: ClassDecl[] = [];
    const mention = new RegExp(`\\bclass\\s+\\w+\\s*\\([^)]*\\b${base.name}\\b`);
    for (const file of this.sources()) {
      if (!file.text.includes(base.name) || !mention.test(file.text)) continue;
      const name = ev.program.index.moduleForFile(file.path);
      const loaded = name ? ev.program.module(name) : null;
      for (const cls of loaded?.scope.classes ?? []) {
        if (ev.basesOf(cls).some((r) => r.kind === "class" && r.decl === base)) out.push(cls);
      }
    }
    this.cache.set(base, out);
    return out;
  }

  private sources(): { path: string; text: string }[] {
    if (this.files) return this.files;
    const files = this.packageDirs.flatMap((dir) =>
      [...pythonFiles(dir)].map((path) => ({ path, text: readFileSync(path, "utf8") })),
    );
    this.files = files;
    return files;
  }
}
