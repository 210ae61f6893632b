import { readFileSync } from "node:fs";
import type { DiagnosticSink, SourceRef } from "../model/diagnostics.js";
import { bindModule, type FunctionDecl, type ModuleScope } from "./binder.js";
import { type ModuleFile, ModuleIndex } from "./moduleIndex.js";
import {
  lineOf,
  OUTLINE_FROM,
  type ParsedFile,
  parsePython,
  type SyntaxNode,
  VALUES_FROM,
} from "./parse.js";
import { nodeSite } from "./syntaxMemo.js";

/** A module that was asked for: its file, syntax tree and declarations. */
export interface LoadedModule {
  file: ModuleFile;
  parsed: ParsedFile;
  scope: ModuleScope;
}

/**
 * The set of Python modules reachable from the search roots. Modules are parsed and bound
 * the first time something asks for them, and only once.
 */
export class Program {
  readonly index: ModuleIndex;
  private readonly loaded = new Map<string, LoadedModule | null>();
  /** Modules whose file could be read; a cheap measure of how lazy a run was. */
  parsedCount = 0;
  /** Time spent reading and parsing, and the bytes parsed, per module (for the benchmark). */
  readonly parseLog: { module: string; bytes: number; ms: number }[] = [];
  private readonly texts = new Map<string, string>();

  constructor(
    roots: readonly string[],
    readonly diagnostics: DiagnosticSink,
  ) {
    this.index = new ModuleIndex(roots);
  }

  module(name: string): LoadedModule | null {
    const hit = this.loaded.get(name);
    if (hit !== undefined) return hit;
    const file = this.index.find(name);
    let result: LoadedModule | null = null;
    if (file) {
      try {
        const start = performance.now();
        // A body is parsed with its def line: an error there was reported with the module.
        const reported = new Set<number>();
        const parsed = parsePython(this.sourceText(file.path), {
          outlineFrom: OUTLINE_FROM,
          valuesFrom: VALUES_FROM,
          onBodyParsed: ({ chars, ms, errors }) => {
            this.parseLog.push({ module: `${name} (a body)`, bytes: chars, ms });
            const line = errors.find((l) => !reported.has(l));
            if (line === undefined) return;
            reported.add(line);
            this.diagnostics.warn(
              `syntax error in ${name}; the function around it is partly unknown`,
              { file: file.relPath, line },
            );
          },
        });
        for (const line of parsed.errors) reported.add(line);
        this.parseLog.push({
          module: name,
          bytes: parsed.text.length,
          ms: performance.now() - start,
        });
        this.parsedCount++;
        if (parsed.renamedAsync) {
          this.diagnostics.add(
            "info",
            `${name} uses async as a name (Python < 3.7); read as _sync, which Python 3.7+ would reject`,
            { file: file.relPath },
          );
        }
        if (parsed.errors.length > 0) {
          this.diagnostics.warn(`syntax error in ${name}; declarations after it may be missing`, {
            file: file.relPath,
            line: parsed.errors[0],
          });
        }
        result = {
          file,
          parsed,
          scope: bindModule(
            parsed.tree.rootNode,
            name,
            file.isPackage,
            parsed.bodyOf,
            parsed.assignedValue,
            parsed.text,
          ),
        };
      } catch (err) {
        this.diagnostics.warn(`cannot read module ${name}: ${(err as Error).message}`, {
          file: file.relPath,
        });
      }
    }
    this.loaded.set(name, result);
    return result;
  }

  /**
   * A source file's text, read once per analysis: the parser, the option index, the subclass
   * index and the services' text checks all read the same files (Neutron's tree two or three
   * times over otherwise). Throws as readFileSync does.
   */
  sourceText(path: string): string {
    let text = this.texts.get(path);
    if (text === undefined) {
      text = readFileSync(path, "utf8");
      this.texts.set(path, text);
    }
    return text;
  }

  /**
   * `fn.body.text` ("" for none), without parsing a body its outlined module left out: for the
   * text checks that most bodies fail (does it register a consumer, make a client, send?).
   */
  bodyText(fn: FunctionDecl): string {
    return this.loaded.get(fn.module)?.parsed.unparsedBodyText(fn.node) ?? fn.body?.text ?? "";
  }

  /** File and line of a syntax node of a module, as the map reports it. */
  site(module: string, node: SyntaxNode): SourceRef {
    // Asked for every call and attribute the evaluator visits: one frozen object per node.
    return nodeSite(node, () => {
      const m = this.loaded.get(module);
      return Object.freeze({
        file: m?.file.relPath ?? module.replaceAll(".", "/"),
        line: lineOf(node),
      });
    });
  }
}
