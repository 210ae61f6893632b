import { readFileSync } from "node:fs";
import Parser from "tree-sitter";
import Python from "tree-sitter-python";

export type SyntaxNode = Parser.SyntaxNode;
export type Tree = Parser.Tree;

/** A parsed Python file. `errors` lists the lines tree-sitter could not parse; the tree is still usable. */
export interface ParsedFile {
  text: string;
  tree: Tree;
  errors: number[];
}

let parser: Parser | undefined;

function sharedParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Python as unknown as Parser.Language);
  }
  return parser;
}

/** tree-sitter's node binding reads strings in chunks; large files need a callback input. */
function parseText(text: string): Tree {
  const p = sharedParser();
  if (text.length < 32 * 1024) return p.parse(text);
  return p.parse((index: number) => text.slice(index, index + 16 * 1024));
}

export function parsePython(text: string): ParsedFile {
  const tree = parseText(text);
  const errors: number[] = [];
  if (tree.rootNode.hasError) collectErrors(tree.rootNode, errors);
  return { text, tree, errors };
}

export function parsePythonFile(path: string): ParsedFile {
  return parsePython(readFileSync(path, "utf8"));
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
