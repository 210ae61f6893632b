import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import { type OutlinedDef, type OutlinedValue, outline } from "./outline.js";
import { installSyntaxMemo } from "./syntaxMemo.js";

installSyntaxMemo();

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

/**
 * A parsed Python file. `errors` lists the lines tree-sitter could not parse; the tree is still
 * usable. The tree may be an outline (see outline.ts): ask `bodyOf` for a function's body and
 * `nodeAt` for the node at an offset, never the tree itself, when the answer may lie in a body.
 */
export interface ParsedFile {
  text: string;
  tree: Tree;
  errors: number[];
  /** `async` was a name in this file (Python < 3.7) and is read as `_sync`. */
  renamedAsync: boolean;
  bodyOf(def: SyntaxNode): SyntaxNode | null;
  /**
   * The text of `bodyOf(def)` while that body is left out and not yet parsed, read off the
   * file; undefined once it is in a tree (ask the node then).
   */
  unparsedBodyText(def: SyntaxNode): string | undefined;
  /** The value of a module-level `NAME = value`, parsed on first request when left out. */
  assignedValue(assignment: SyntaxNode, right: SyntaxNode): SyntaxNode;
  nodeAt(offset: number): SyntaxNode | null;
}

export interface ParseOptions {
  /** Parse files at least this long as an outline, their function bodies on demand. */
  outlineFrom?: number;
  /** Below outlineFrom, files at least this long still leave large module-level values out. */
  valuesFrom?: number;
  /** Told of each body parsed on demand: its size, the time taken and any syntax errors. */
  onBodyParsed?: (body: { chars: number; ms: number; errors: number[] }) => void;
}

let parser: Parser | undefined;

function sharedParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as unknown as Parser.Language);
  }
  return parser;
}

/**
 * tree-sitter's node binding reads strings in chunks; large files need a callback input. Node
 * text is then read from `source` (the original text, which a skeleton matches offset for
 * offset) in one slice, not chunk by chunk through the callback.
 */
function parseText(text: string, includedRanges?: Parser.Range[], source = text): Tree {
  const p = sharedParser();
  const input =
    text.length < 32 * 1024 ? text : (index: number) => text.slice(index, index + 16 * 1024);
  const tree = includedRanges ? p.parse(input, undefined, { includedRanges }) : p.parse(input);
  tree.getText = (n) =>
    (n.type === "identifier" ? identifierAt(source, n.startIndex) : null) ??
    source.substring(n.startIndex, n.endIndex);
  return tree;
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * An ASCII identifier's text, read from where it starts (the evaluator reads ~18k of them on
 * Neutron; its end is a trip into the parser): the word there, when what follows it is an
 * ASCII character, which cannot continue it. Null otherwise (a non-ASCII name): ask the node.
 */
function identifierAt(source: string, start: number): string | null {
  WORD.lastIndex = start;
  const m = WORD.exec(source);
  if (!m) return null;
  const next = source.charCodeAt(start + m[0].length);
  return Number.isNaN(next) || next < 128 ? m[0] : null;
}

/** Past this size a module is outlined by default: Nova's API modules stay whole, its managers do not. */
export const OUTLINE_FROM = 16 * 1024;
/** Past this size a module's large values are left out: Nova's policy rule lists. */
export const VALUES_FROM = 4 * 1024;

/**
 * `async` used as a name, legal before Python 3.7 (Newton's `live_migrate(..., async=False)`),
 * which tree-sitter reads as the keyword and fails on: a parameter or keyword argument, or a
 * test of one. Prose in comments ("the attach is async, so …") does not count.
 */
const ASYNC_AS_NAME =
  /[(,][ \t\r\n]*async[ \t]*=(?!=)|\bif[ \t]+(?:not[ \t]+)?async[ \t]*:|=[ \t]*async[ \t]*[,)]/;
/** Every such name: not the keyword of a coroutine, not a quoted 'async'. */
const ASYNC_NAME = /(?<!['"])\basync\b(?!['"])(?!\s+(?:def|with|for)\b)/g;

export function parsePython(source: string, opts: ParseOptions = {}): ParsedFile {
  // Renamed `_sync`, same length: offsets, lines and columns stay those of the file.
  const renamedAsync = source.includes("async") && ASYNC_AS_NAME.test(source);
  const text = renamedAsync ? source.replace(ASYNC_NAME, "_sync") : source;
  const scanned =
    text.length >= (opts.outlineFrom ?? Number.POSITIVE_INFINITY)
      ? outline(text)
      : text.length >= (opts.valuesFrom ?? Number.POSITIVE_INFINITY)
        ? outline(text, { bodies: false })
        : null;
  const shape = scanned && scanned.gaps.length > 0 ? scanned : null;
  const lines = shape ? lineStarts(text) : [];
  const tree = shape
    ? parseText(shape.skeleton, withoutGaps(lines, shape.gaps, text.length), text)
    : parseText(text);
  const errors = errorLines(tree);
  if (!shape) {
    return {
      text,
      tree,
      errors,
      renamedAsync,
      bodyOf: (def) => def.childForFieldName("body"),
      unparsedBodyText: () => undefined,
      assignedValue: (_assignment, right) => right,
      nodeAt: (offset) => tree.rootNode.descendantForIndex(offset),
    };
  }
  // A part left out of the skeleton, parsed alone over `ranges` (at the file's own offsets), and
  // the node of it that `isPart` picks, climbing from `anchor`; once per part.
  const parts = new Map<object, SyntaxNode | null>();
  const parsePart = (
    key: object,
    ranges: Parser.Range[],
    anchor: number,
    isPart: (n: SyntaxNode) => boolean,
  ): SyntaxNode | null => {
    const hit = parts.get(key);
    if (hit !== undefined) return hit;
    const start = performance.now();
    const t = parseText(text, ranges);
    const chars = ranges.reduce((sum, r) => sum + r.endIndex - r.startIndex, 0);
    opts.onBodyParsed?.({ chars, ms: performance.now() - start, errors: errorLines(t) });
    let node: SyntaxNode | null = t.rootNode.descendantForIndex(anchor);
    while (node && !isPart(node)) node = node.parent;
    parts.set(key, node);
    return node;
  };
  // The def with the headers of the classes around it; not a def nested at its body's start.
  const fullDef = (d: OutlinedDef): SyntaxNode | null =>
    parsePart(
      d,
      [
        ...d.enclosing.map((e) => range(lines, e.start, e.end + 1)),
        range(lines, d.start, d.bodyEnd),
      ],
      d.bodyStart,
      (n) =>
        n.type === "function_definition" &&
        n.startIndex >= d.defStart &&
        n.startIndex < d.bodyStart,
    );
  // The statement alone: module level, so nothing encloses it.
  const fullValue = (v: OutlinedValue): SyntaxNode | null =>
    parsePart(
      v,
      [range(lines, v.start, v.end)],
      v.valueStart,
      (n) => n.type === "assignment" && n.startIndex === v.start,
    )?.childForFieldName("right") ?? null;
  const byDefStart = new Map(shape.defs.map((d) => [d.defStart, d]));
  // The outlined def a skeleton def node stands for (the node fullDef would pick, by position).
  const outlinedDef = (def: SyntaxNode): OutlinedDef | undefined => {
    if (def.type !== "function_definition") return undefined;
    const d = byDefStart.get(lineStartOf(lines, def.startIndex));
    return d && def.startIndex < d.bodyStart ? d : undefined;
  };
  const byValueStart = new Map(shape.values.map((v) => [v.start, v]));
  const defAt = (offset: number): OutlinedDef | undefined =>
    shape.defs.find((d) => d.bodyStart <= offset && offset < d.bodyEnd);
  const valueAt = (offset: number): OutlinedValue | undefined =>
    shape.values.find((v) => v.valueStart <= offset && offset < v.end);
  return {
    text,
    tree,
    errors,
    renamedAsync,
    bodyOf: (def) => {
      const d = byDefStart.get(lineStartOf(lines, def.startIndex));
      return d ? (fullDef(d)?.childForFieldName("body") ?? null) : def.childForFieldName("body");
    },
    // A body's node spans its lines, from its first statement to the end of its last one: the
    // outline's lines without the blanks that end the last (a CRLF file's `\r`). Checked
    // against the parsed bodies of every outlined def of the releases the tests read.
    unparsedBodyText: (def) => {
      const d = outlinedDef(def);
      return d && !parts.has(d) ? text.slice(d.bodyStart, endOfCode(text, d.bodyEnd)) : undefined;
    },
    assignedValue: (assignment, right) => {
      const v = byValueStart.get(assignment.startIndex);
      return v && right.startIndex === v.valueStart ? (fullValue(v) ?? right) : right;
    },
    nodeAt: (offset) => {
      const d = defAt(offset);
      const v = d ? undefined : valueAt(offset);
      const root = d ? fullDef(d) : v ? fullValue(v) : tree.rootNode;
      return root ? root.descendantForIndex(offset) : null;
    },
  };
}

/** Where the blanks (spaces, tabs, form feeds, a CRLF's `\r`) before `end` start. */
function endOfCode(text: string, end: number): number {
  let at = end;
  for (let c = text.charCodeAt(at - 1); c === 32 || c === 9 || c === 12 || c === 13; ) {
    at--;
    c = text.charCodeAt(at - 1);
  }
  return at;
}

/** The whole text but each left-out body or value after its `0` placeholder. */
function withoutGaps(
  starts: number[],
  gaps: { at: number; end: number }[],
  length: number,
): Parser.Range[] {
  const ranges: Parser.Range[] = [];
  let from = 0;
  for (const g of gaps) {
    ranges.push(range(starts, from, g.at + 1));
    from = g.end;
  }
  ranges.push(range(starts, from, length));
  return ranges;
}

function errorLines(tree: Tree): number[] {
  const errors: number[] = [];
  if (tree.rootNode.hasError) collectErrors(tree.rootNode, errors);
  return errors;
}

function collectErrors(node: SyntaxNode, out: number[]): void {
  if (out.length >= 5) return;
  if (node.type === "ERROR" || node.isMissing) {
    out.push(node.startPosition.row + 1);
    return;
  }
  for (const child of node.children)
    if (child.hasError || child.isMissing) collectErrors(child, out);
}

/** Offsets where each line starts, for turning offsets into tree-sitter points. */
function lineStarts(text: string): number[] {
  // split() runs natively; an indexOf loop over a large module runs before the JIT has warmed.
  const lines = text.split("\n");
  const starts = new Array<number>(lines.length);
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    starts[i] = at;
    at += (lines[i] as string).length + 1;
  }
  return starts;
}

function rowOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function lineStartOf(starts: number[], offset: number): number {
  return starts[rowOf(starts, offset)] as number;
}

function range(starts: number[], start: number, end: number): Parser.Range {
  const point = (offset: number) => {
    const row = rowOf(starts, offset);
    return { row, column: offset - (starts[row] as number) };
  };
  return { startIndex: start, endIndex: end, startPosition: point(start), endPosition: point(end) };
}

/** 1-based line of a node, as every SourceRef uses. */
export function lineOf(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

const descendantCache = new WeakMap<Tree, Map<string, SyntaxNode[]>>();

/**
 * `node.descendantsOfType(types)`, remembered per tree: recipes ask the same function bodies
 * for their calls many times (every route of a controller), and each walk builds new node
 * objects in the binding.
 */
export function descendantsOf(
  node: SyntaxNode | null | undefined,
  types: string | string[],
): SyntaxNode[] {
  if (!node) return [];
  let cache = descendantCache.get(node.tree);
  if (!cache) {
    cache = new Map();
    descendantCache.set(node.tree, cache);
  }
  const key = `${node.startIndex}:${node.endIndex}:${node.type}:${types}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const found = node.descendantsOfType(types);
  cache.set(key, found);
  return found;
}
