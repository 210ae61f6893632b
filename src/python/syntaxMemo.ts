import Parser from "tree-sitter";
import Python from "tree-sitter-python";
import { installNodeObjects } from "./nodeObjects.js";

/**
 * Remembered answers of tree-sitter's node accessors. Every `childForFieldName`, `namedChildren`,
 * `startIndex` … of the Node binding crosses into native code and builds new node objects; the
 * evaluator asks the same nodes the same questions many times (Nova's router runs
 * `create_route` 205 times). apimap never edits a tree, so each answer holds for the life of
 * the node object, which the binding keeps one per node while it is referenced.
 *
 * Installed once on the binding's SyntaxNode prototype, so all code keeps the tree-sitter API.
 * Lists and points are frozen: a caller that tried to change a shared answer would throw, not
 * corrupt it.
 */
const memo = Symbol("apimap.syntaxMemo");

interface Memo {
  fields?: Record<string, Parser.SyntaxNode | null>;
  namedChildren?: readonly Parser.SyntaxNode[];
  children?: readonly Parser.SyntaxNode[];
  parent?: Parser.SyntaxNode | null;
  startIndex?: number;
  endIndex?: number;
  startPosition?: Parser.Point;
  endPosition?: Parser.Point;
  type?: string;
  text?: string;
  /** What other layers remember about the node (Program: its SourceRef). */
  site?: unknown;
}

type Memoised = Parser.SyntaxNode & { [memo]?: Memo };

/** A slot on the node for one derived fact, kept as long as the node is. */
export function nodeSite<T>(node: Parser.SyntaxNode, make: () => T): T {
  const m = memoFor(node as Memoised);
  if (m.site === undefined) m.site = make();
  return m.site as T;
}

function memoFor(node: Memoised): Memo {
  let m = node[memo];
  if (!m) {
    // A symbol key: invisible to Object.keys, for-in and JSON, and cheaper than a WeakMap.
    m = {};
    node[memo] = m;
  }
  return m;
}

let installed = false;

export function installSyntaxMemo(): void {
  if (installed) return;
  installed = true;
  // Node objects first: what is remembered below is asked of them.
  installNodeObjects();
  const proto = (Parser as unknown as { SyntaxNode: { prototype: object } }).SyntaxNode.prototype;
  const getter = (name: string) => {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (!d?.get) throw new Error(`tree-sitter SyntaxNode has no ${name} getter`);
    return d.get;
  };
  const remember = <K extends keyof Memo>(name: K & string, freeze = false) => {
    const original = getter(name);
    Object.defineProperty(proto, name, {
      configurable: true,
      get(this: Memoised) {
        const m = memoFor(this);
        if (m[name] === undefined) {
          const value = original.call(this);
          m[name] = freeze ? Object.freeze(value) : value;
        }
        return m[name];
      },
    });
  };
  remember("namedChildren", true);
  remember("children", true);
  remember("parent");
  remember("startIndex");
  remember("endIndex");
  remember("startPosition", true);
  remember("endPosition", true);
  remember("text");
  // Named node types are already plain prototype values; anonymous ones ("def", "(") are not.
  remember("type");

  const childForFieldName = (proto as Parser.SyntaxNode).childForFieldName;
  Object.defineProperty(proto, "childForFieldName", {
    configurable: true,
    writable: true,
    value(this: Memoised, field: string) {
      const m = memoFor(this);
      m.fields ??= {};
      const fields = m.fields;
      let child = fields[field];
      if (child === undefined) {
        child = childForFieldName.call(this, field);
        fields[field] = child;
      }
      return child;
    },
  });

  if (startsTravelWithNodes(proto)) {
    // The most asked questions (every `text` asks for the start) answered without a trip.
    Object.defineProperty(proto, "startIndex", {
      configurable: true,
      get(this: Transferred) {
        return this[2] / 2;
      },
    });
    Object.defineProperty(proto, "startPosition", {
      configurable: true,
      get(this: Memoised & Transferred) {
        const m = memoFor(this);
        m.startPosition ??= Object.freeze({ row: this[3], column: this[4] / 2 });
        return m.startPosition;
      },
    });
  }
}

/**
 * The binding hands each node object tree-sitter's TSNode context with it: [2] the start byte,
 * [3] the start row and [4] the start column in bytes (UTF-16 text: two bytes a character),
 * the same numbers its native startIndex and startPosition divide and return.
 */
type Transferred = Parser.SyntaxNode & Record<2 | 3 | 4, number>;

/**
 * Whether the nodes carry their start as above: checked once against the native answers on a
 * sample with several lines, columns and a non-ASCII character; if a binding ever lays its
 * nodes out otherwise, the native getters stay.
 */
function startsTravelWithNodes(proto: object): boolean {
  const parser = new Parser();
  parser.setLanguage(Python as unknown as Parser.Language);
  const tree = parser.parse("class Ä(B):\n    def f(self, x='é'):\n        return  x.y(1)\n");
  const nodes = tree.rootNode.descendantsOfType(["identifier", "string", "call", "block"]);
  const native = (name: string) =>
    Object.getOwnPropertyDescriptor(proto, name)?.get as () => unknown;
  const index = native("startIndex");
  const position = native("startPosition");
  return (
    nodes.length > 8 &&
    nodes.every((n) => {
      const t = n as Transferred;
      const p = position.call(n) as Parser.Point;
      return index.call(n) === t[2] / 2 && p.row === t[3] && p.column === t[4] / 2;
    })
  );
}
