import { createRequire } from "node:module";
import { dirname } from "node:path";
import Parser from "tree-sitter";
import Python from "tree-sitter-python";

/**
 * Node objects made by apimap instead of the binding's cache. The tree-sitter binding gives each
 * node object it hands out a weak reference and a finalizer in native code, so that asking for
 * the same node again returns the same object; with a 64-bit id built from BigInts on the way.
 * That bookkeeping cost Neutron's map ~60 ms (63k nodes; Nova's ~50), the garbage collector's
 * work on the finalizers included. Here each tree keeps its node objects in a plain map by id,
 * for as long as the tree lives: the same object for the same node, as before, for every
 * accessor apimap uses (namedChildren, children, parent, childForFieldName,
 * childrenForFieldName, descendantsOfType, descendantForIndex, rootNode).
 *
 * The native accessors and the transfer buffer they fill are the binding's own (node-tree-sitter
 * 0.25: `NodeMethods`, six numbers a node: its id's two halves, then its context). Installed
 * only when a sample parse gives the same nodes both ways; otherwise the binding's stay.
 */
interface Binding {
  NodeMethods: Record<string, (tree: Parser.Tree, ...args: unknown[]) => unknown>;
  nodeTransferArray: Uint32Array;
}

type Marshalled = number | Parser.SyntaxNode | null;
type NodeClass = new (tree: Parser.Tree) => Parser.SyntaxNode;
type Fields = Parser.SyntaxNode & Record<0 | 1 | 2 | 3 | 4 | 5, number>;

const FIELDS = 6;
const ERROR_TYPE_ID = 0xffff;
const objects = Symbol("apimap.nodeObjects");
/** The native accessors used below. */
const NATIVE = [
  "namedChildren",
  "children",
  "parent",
  "childForFieldName",
  "childrenForFieldName",
  "descendantsOfType",
  "descendantForIndex",
];

/** The native module the binding wraps: Node loads a native module once, whoever asks. */
function loadBinding(): Binding | null {
  try {
    const fromTreeSitter = createRequire(createRequire(import.meta.url).resolve("tree-sitter"));
    const entry = fromTreeSitter.resolve("tree-sitter");
    const binding = fromTreeSitter("node-gyp-build")(dirname(entry)) as Binding;
    const methods = binding.NodeMethods ?? {};
    return binding.nodeTransferArray instanceof Uint32Array &&
      NATIVE.every((m) => typeof methods[m] === "function")
      ? binding
      : null;
  } catch {
    return null;
  }
}

export function installNodeObjects(): void {
  const binding = loadBinding();
  if (!binding) return;
  const native = binding.NodeMethods;
  const SyntaxNodeClass = (Parser as unknown as { SyntaxNode: NodeClass }).SyntaxNode;
  const tree = (n: Parser.SyntaxNode) => n.tree;

  const marshal = (node: Parser.SyntaxNode) => {
    const buffer = binding.nodeTransferArray;
    const fields = node as Fields;
    for (let i = 0; i < FIELDS; i++) buffer[i] = fields[i as 0];
  };

  /** The object for a node the binding transferred at `offset`, made once per tree. */
  const nodeAt = (value: Marshalled, t: Parser.Tree, offset: number): Parser.SyntaxNode | null => {
    // An object (or null) is one the binding's own cache answered: the tree's root.
    if (typeof value === "object") return value;
    const buffer = binding.nodeTransferArray;
    const low = buffer[offset] as number;
    const high = buffer[offset + 1] as number;
    if (low === 0 && high === 0) return null;
    const id = high * 0x100000000 + low;
    const known = objectsOf(t);
    const hit = known.get(id);
    if (hit) return hit;
    // The binding's class for the node's type, as it makes them (`tree.language`, set by parse).
    const { language } = t as unknown as { language: { nodeSubclasses: NodeClass[] } };
    const Class =
      value === ERROR_TYPE_ID ? SyntaxNodeClass : (language.nodeSubclasses[value] as NodeClass);
    const node = new Class(t) as Fields;
    for (let i = 0; i < FIELDS; i++) node[i as 0] = buffer[offset + i] as number;
    known.set(id, node);
    return node;
  };

  const nodesAt = (values: Marshalled[], t: Parser.Tree): Parser.SyntaxNode[] => {
    let offset = 0;
    for (let i = 0; i < values.length; i++) {
      const node = nodeAt(values[i] as Marshalled, t, offset);
      if (node !== values[i]) {
        values[i] = node;
        offset += FIELDS;
      }
    }
    return values as Parser.SyntaxNode[];
  };

  const one =
    (method: string) =>
    (node: Parser.SyntaxNode, ...args: unknown[]) => {
      marshal(node);
      return nodeAt(native[method]?.(tree(node), ...args) as Marshalled, tree(node), 0);
    };
  const many =
    (method: string) =>
    (node: Parser.SyntaxNode, ...args: unknown[]) => {
      marshal(node);
      return nodesAt(native[method]?.(tree(node), ...args) as Marshalled[], tree(node));
    };
  const accessors = {
    namedChildren: many("namedChildren"),
    children: many("children"),
    parent: one("parent"),
    childForFieldName: one("childForFieldName"),
    childrenForFieldName: many("childrenForFieldName"),
    descendantsOfType: (node: Parser.SyntaxNode, types: string | string[]) =>
      many("descendantsOfType")(node, typeof types === "string" ? [types] : types),
    descendantForIndex: (node: Parser.SyntaxNode, start: number, end?: number) =>
      one("descendantForIndex")(node, start, end ?? start),
  };
  if (!sameNodes(accessors)) return;

  const proto = SyntaxNodeClass.prototype;
  for (const name of ["namedChildren", "children", "parent"] as const) {
    const get = accessors[name];
    Object.defineProperty(proto, name, {
      configurable: true,
      get(this: Parser.SyntaxNode) {
        return get(this);
      },
    });
  }
  for (const name of [
    "childForFieldName",
    "childrenForFieldName",
    "descendantsOfType",
    "descendantForIndex",
  ] as const) {
    const method = accessors[name] as (node: Parser.SyntaxNode, ...args: unknown[]) => unknown;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value(this: Parser.SyntaxNode, ...args: unknown[]) {
        return method(this, ...args);
      },
    });
  }
  // The root comes from the binding (its native getter is not reachable): kept as the tree's.
  const treeProto = (Parser as unknown as { Tree: { prototype: object } }).Tree.prototype;
  const root = Object.getOwnPropertyDescriptor(treeProto, "rootNode")?.get;
  if (!root) return;
  Object.defineProperty(treeProto, "rootNode", {
    configurable: true,
    get(this: Parser.Tree) {
      const node = root.call(this) as Fields;
      const known = objectsOf(this);
      const id = node[1] * 0x100000000 + node[0];
      const hit = known.get(id);
      if (hit) return hit;
      known.set(id, node);
      return node;
    },
  });
}

function objectsOf(tree: Parser.Tree): Map<number, Parser.SyntaxNode> {
  const holder = tree as Parser.Tree & { [objects]?: Map<number, Parser.SyntaxNode> };
  let known = holder[objects];
  if (!known) {
    known = new Map();
    holder[objects] = known;
  }
  return known;
}

/**
 * Whether the accessors give the nodes the binding's do (type and extent, in order) on a
 * sample of each, and the same object for the same node.
 */
function sameNodes(accessors: {
  namedChildren: (n: Parser.SyntaxNode) => Parser.SyntaxNode[];
  children: (n: Parser.SyntaxNode) => Parser.SyntaxNode[];
  parent: (n: Parser.SyntaxNode) => Parser.SyntaxNode | null;
  childForFieldName: (n: Parser.SyntaxNode, f: string) => Parser.SyntaxNode | null;
  childrenForFieldName: (n: Parser.SyntaxNode, f: string) => Parser.SyntaxNode[];
  descendantsOfType: (n: Parser.SyntaxNode, t: string | string[]) => Parser.SyntaxNode[];
  descendantForIndex: (n: Parser.SyntaxNode, s: number, e?: number) => Parser.SyntaxNode | null;
}): boolean {
  const parser = new Parser();
  parser.setLanguage(Python as unknown as Parser.Language);
  const source =
    "class Ä(B):\n    def f(self, x=1):\n        if x:\n            return x.y('é')\n        elif y: pass\n        else: pass\n";
  const ours = parser.parse(source).rootNode;
  const theirs = parser.parse(source).rootNode;
  const key = (n: Parser.SyntaxNode | null | undefined) =>
    n ? `${n.type}@${n.startIndex}-${n.endIndex}` : "-";
  const keys = (ns: readonly Parser.SyntaxNode[]) => ns.map(key).join(",");
  const calls = accessors.descendantsOfType(ours, "call");
  const ifs = accessors.descendantsOfType(ours, ["if_statement"]);
  const checks: [string, string][] = [
    [keys(accessors.namedChildren(ours)), keys(theirs.namedChildren)],
    [keys(calls), keys(theirs.descendantsOfType("call"))],
    [
      keys(accessors.children(calls[0] as Parser.SyntaxNode)),
      keys((theirs.descendantsOfType("call")[0] as Parser.SyntaxNode).children),
    ],
    [
      key(accessors.childForFieldName(calls[0] as Parser.SyntaxNode, "function")),
      key(theirs.descendantsOfType("call")[0]?.childForFieldName("function")),
    ],
    [
      keys(accessors.childrenForFieldName(ifs[0] as Parser.SyntaxNode, "alternative")),
      keys(theirs.descendantsOfType("if_statement")[0]?.childrenForFieldName("alternative") ?? []),
    ],
    [
      key(accessors.parent(calls[0] as Parser.SyntaxNode)),
      key(theirs.descendantsOfType("call")[0]?.parent),
    ],
    [key(accessors.descendantForIndex(ours, 30)), key(theirs.descendantForIndex(30))],
  ];
  const call = calls[0] as Parser.SyntaxNode;
  const sameObject =
    accessors.descendantsOfType(ours, "call")[0] === call &&
    accessors.parent(accessors.childForFieldName(call, "function") as Parser.SyntaxNode) === call;
  return sameObject && calls.length === 1 && checks.every(([a, b]) => a === b);
}
