import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parsePython, type SyntaxNode } from "../../src/python/parse.js";

describe("remembered node accessors", () => {
  const source = "def f(a, b=1):\n    return a + b\n\nx = f(1)\n";
  const { tree } = parsePython(source);
  const first = tree.rootNode.namedChildren[0];
  assert.ok(first);
  const fn: SyntaxNode = first;

  test("answer the binding's questions once, with the same nodes", () => {
    assert.equal(fn.namedChildren, fn.namedChildren);
    assert.equal(fn.childForFieldName("body"), fn.childForFieldName("body"));
    assert.equal(fn.childForFieldName("return_type"), null);
    assert.equal(fn.childForFieldName("name")?.text, "f");
    assert.equal(fn.childForFieldName("body")?.parent, fn);
    assert.deepEqual(
      tree.rootNode.namedChildren.map((n) => [n.type, n.startIndex, n.endIndex]),
      [
        ["function_definition", 0, source.indexOf("\n\n")],
        ["expression_statement", source.indexOf("x ="), source.length - 1],
      ],
    );
    assert.equal(fn.children[0]?.type, "def");
  });

  test("starts and names are those of the text, lines and non-ASCII characters included", () => {
    const text = "x = 'é'\nclass Ä(B):\n    y = Ä.z('ü', w)\nabé = a_1 + é2\n";
    const parsed = parsePython(text);
    for (const n of parsed.tree.rootNode.descendantsOfType(["identifier", "string", "call"])) {
      const before = text.slice(0, n.startIndex);
      assert.equal(n.startPosition.row, before.split("\n").length - 1, n.text);
      assert.equal(n.startPosition.column, n.startIndex - (before.lastIndexOf("\n") + 1), n.text);
      assert.equal(text.slice(n.startIndex, n.endIndex), n.text);
    }
    const w = parsed.tree.rootNode.descendantsOfType("identifier").find((n) => n.text === "w");
    assert.equal(w?.startIndex, text.indexOf(", w") + 2);
    // Names read from where they start: a non-ASCII letter after ASCII ones is still the name.
    const names = parsed.tree.rootNode.descendantsOfType("identifier").map((n) => n.text);
    assert.deepEqual(names.slice(-3), ["abé", "a_1", "é2"]);
  });

  test("a node is one object however it is reached", () => {
    const text =
      "class A(B):\n    def f(self):\n        if x:\n            return g(1)\n        else:\n            pass\n";
    const parsed = parsePython(text);
    const root = parsed.tree.rootNode;
    const call = root.descendantsOfType("call")[0];
    assert.ok(call);
    assert.equal(parsed.tree.rootNode, root);
    assert.equal(root.descendantForIndex(text.indexOf("g(1)"))?.parent, call);
    assert.equal(call.childForFieldName("function")?.parent, call);
    const ifStatement = root.descendantsOfType(["if_statement"])[0];
    assert.equal(ifStatement?.childrenForFieldName("alternative")[0]?.parent, ifStatement);
    const cls = root.namedChildren[0];
    assert.equal(cls?.parent, root);
    assert.equal(cls?.children.at(-1), cls?.childForFieldName("body"));
  });

  test("a shared list of children cannot be changed by a caller", () => {
    assert.throws(() => (fn.namedChildren as unknown as unknown[]).pop(), TypeError);
    assert.equal(fn.namedChildren.length, 3);
  });
});
