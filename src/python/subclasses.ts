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
  /** Per name, the files with a `class X(… name …)` statement: one pass over every file. */
  private byBaseName: Map<string, number[]> | null = null;
  private readonly cache = new Map<ClassDecl, ClassDecl[]>();

  constructor(
    private readonly packageDirs: string[],
    private readonly read: (path: string) => string = (path) => readFileSync(path, "utf8"),
  ) {}

  direct(ev: Evaluator, base: ClassDecl): ClassDecl[] {
    const hit = this.cache.get(base);
    if (hit) return hit;
    const out: ClassDecl[] = [];
    const sources = this.sources();
    for (const i of this.candidates(base.name)) {
      const file = sources[i] as { path: string };
      const name = ev.program.index.moduleForFile(file.path);
      const loaded = name ? ev.program.module(name) : null;
      for (const cls of loaded?.scope.classes ?? []) {
        if (ev.basesOf(cls).some((r) => r.kind === "class" && r.decl === base)) out.push(cls);
      }
    }
    this.cache.set(base, out);
    return out;
  }

  /** The project's source files whose text matches, with their text (read once, kept). */
  filesMatching(re: RegExp): { path: string; text: string }[] {
    return this.sources().filter((f) => re.test(f.text));
  }

  /**
   * Every `Name(` of the given names in the project's files, in one pass: where classes are
   * constructed (or functions called) by name.
   */
  mentionsOf(names: string[]): Map<string, { path: string; text: string; index: number }[]> {
    const out = new Map<string, { path: string; text: string; index: number }[]>();
    if (names.length === 0) return out;
    const re = new RegExp(`\\b(${names.join("|")})\\(`, "g");
    for (const file of this.sources()) {
      for (const m of file.text.matchAll(re)) {
        const name = m[1] as string;
        const list = out.get(name) ?? [];
        list.push({ path: file.path, text: file.text, index: m.index as number });
        out.set(name, list);
      }
    }
    return out;
  }

  /** Files with a class statement naming `name` between its parentheses. */
  private candidates(name: string): number[] {
    if (!this.byBaseName) {
      const index = new Map<string, number[]>();
      this.sources().forEach((file, i) => {
        for (const m of file.text.matchAll(/\bclass\s+\w+\s*\(([^)]*)/g)) {
          for (const id of new Set((m[1] as string).match(/\b[A-Za-z_]\w*\b/g) ?? [])) {
            const list = index.get(id) ?? [];
            if (list[list.length - 1] !== i) list.push(i);
            index.set(id, list);
          }
        }
      });
      this.byBaseName = index;
    }
    return this.byBaseName.get(name) ?? [];
  }

  private sources(): { path: string; text: string }[] {
    if (this.files) return this.files;
    const files = this.packageDirs.flatMap((dir) =>
      [...pythonFiles(dir)].map((path) => ({ path, text: this.read(path) })),
    );
    this.files = files;
    return files;
  }
}
