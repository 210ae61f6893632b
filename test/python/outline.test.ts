import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { logicalLines, outline } from "../../src/python/outline.js";
import { parsePython, type SyntaxNode } from "../../src/python/parse.js";

const SOURCE = `import os

X = {'a': 1,
     'b': 2}


class Manager(base.Manager):
    """A docstring with def fake(self): inside and a quote ' in it."""

    target = messaging.Target(version='5.0')

    @wrap_exception()
    @reverts_task_state
    def pause(self, context,
              instance):
        s = """
def not_a_def():
"""
        if instance:
            return self._do(context, \\
                            instance)
# a comment at column 0 inside the body
        return None

    def one_liner(self): return 1

    class Inner(object):
        def deep(self):
            def nested():
                return 2
            return nested()


def module_function(a, b=(1, 2)):
    return a


if os.name == 'nt':
    def guarded():
        return 3
`;

function defNamed(root: SyntaxNode, name: string): SyntaxNode {
  const found = root
    .descendantsOfType("function_definition")
    .find((d) => d.childForFieldName("name")?.text === name);
  assert.ok(found, `def ${name}`);
  return found;
}

describe("python outline", () => {
  test("logical lines join brackets, strings and backslash continuations", () => {
    const lines = logicalLines(SOURCE);
    assert.ok(lines);
    const starts = lines.map((l) => SOURCE.slice(l.start, SOURCE.indexOf("\n", l.start)));
    assert.ok(starts.includes("X = {'a': 1,"));
    assert.ok(
      !starts.some((s) => s.startsWith("'b': 2}")),
      "a bracket continuation is no new line",
    );
    assert.ok(!starts.some((s) => s.startsWith("def not_a_def")), "a string's lines are no lines");
    assert.ok(!starts.some((s) => s.trim().startsWith("instance):")));
  });

  test("outlines module functions and methods reached through classes, not guarded or one-line defs", () => {
    const shape = outline(SOURCE);
    assert.ok(shape);
    const names = shape.defs.map((d) => /def (\w+)/.exec(SOURCE.slice(d.defStart))?.[1]);
    assert.deepEqual(names, ["pause", "deep", "module_function"]);
    const pause = shape.defs[0];
    assert.ok(pause);
    assert.equal(SOURCE.slice(pause.start).split("\n")[0], "    @wrap_exception()");
    assert.equal(pause.enclosing.length, 1);
    assert.equal(shape.skeleton.length, SOURCE.length);
  });

  test("an outlined parse has the full parse's declarations, and bodies parse on demand at the same offsets", () => {
    const full = parsePython(SOURCE);
    const lazy = parsePython(SOURCE, { outlineFrom: 0 });
    assert.deepEqual(lazy.errors, []);
    for (const name of ["pause", "deep", "module_function", "one_liner", "guarded"]) {
      const a = defNamed(full.tree.rootNode, name);
      const b = defNamed(lazy.tree.rootNode, name);
      assert.equal(b.startIndex, a.startIndex, name);
      assert.equal(
        b.childForFieldName("parameters")?.text,
        a.childForFieldName("parameters")?.text,
      );
      const bodyA = full.bodyOf(a);
      const bodyB = lazy.bodyOf(b);
      assert.ok(bodyA && bodyB);
      assert.equal(bodyB.text, bodyA.text, name);
      assert.equal(bodyB.startIndex, bodyA.startIndex, name);
      assert.equal(bodyB.startPosition.row, bodyA.startPosition.row, name);
    }
    // Inside an outlined body: the node at an offset comes from the body's own parse.
    const offset = SOURCE.indexOf("_do(");
    assert.equal(lazy.nodeAt(offset)?.text, "_do");
    assert.equal(lazy.nodeAt(SOURCE.indexOf("messaging.Target"))?.text, "messaging");
  });

  test("an unparsed body's text is read off the file as its node will say it, CRLF and trailing blanks too", () => {
    const crlf = SOURCE.replace(/\n/g, "\r\n");
    const blanks = SOURCE.replace("return a\n", "return a   \t\n");
    for (const text of [SOURCE, crlf, blanks]) {
      const full = parsePython(text);
      const lazy = parsePython(text, { outlineFrom: 0 });
      for (const name of ["pause", "deep", "module_function"]) {
        const def = defNamed(lazy.tree.rootNode, name);
        const read = lazy.unparsedBodyText(def);
        assert.equal(read, full.bodyOf(defNamed(full.tree.rootNode, name))?.text, name);
        lazy.bodyOf(def);
        assert.equal(lazy.unparsedBodyText(def), undefined, "once parsed, the node answers");
      }
      // Not outlined: a one-line def, a guarded one.
      for (const name of ["one_liner", "guarded"])
        assert.equal(lazy.unparsedBodyText(defNamed(lazy.tree.rootNode, name)), undefined, name);
    }
  });

  test("a large module-level value is left out and parsed when asked for", () => {
    const rule = (i: number) =>
      `    policy.RuleDefault(name='os:rule:${i}', check_str='role:admin'),\n`;
    const text = [
      "from oslo_policy import policy\n\n",
      "BASE = 'os:rule:%s'\n\n",
      `rules = [\n${Array.from({ length: 60 }, (_, i) => rule(i)).join("")}]\n\n`,
      "a = b = [1]\n\n",
      "def list_rules():\n    return rules\n",
    ].join("");
    const shape = outline(text, { bodies: false });
    assert.ok(shape);
    assert.deepEqual(shape.defs, []);
    assert.deepEqual(
      shape.values.map((v) => text.slice(v.start, v.valueStart)),
      ["rules = "],
      "only the large value; short ones and chained assignments stay",
    );
    const full = parsePython(text);
    const lazy = parsePython(text, { valuesFrom: 0 });
    assert.deepEqual(lazy.errors, []);
    const assignments = (root: SyntaxNode) =>
      root.namedChildren
        .filter((s) => s.type === "expression_statement")
        .map((s) => s.namedChildren[0] as SyntaxNode);
    const [want, got] = [full, lazy].map((p) =>
      assignments(p.tree.rootNode).map((a) => {
        const right = a.childForFieldName("right") as SyntaxNode;
        return p.assignedValue(a, right).text;
      }),
    );
    assert.deepEqual(got, want);
    // An option-style lookup by offset lands in the value's own parse.
    const offset = text.indexOf("'os:rule:7'");
    let call = lazy.nodeAt(offset);
    while (call && call.type !== "call") call = call.parent;
    assert.equal(call?.text, "policy.RuleDefault(name='os:rule:7', check_str='role:admin')");
  });

  test("a syntax error inside an outlined body is reported when the body is parsed", () => {
    const text =
      "class A(object):\n    def f(self):\n        return (1,\n\n    def g(self):\n        return 2\n";
    const told: number[][] = [];
    const parsed = parsePython(text, { outlineFrom: 0, onBodyParsed: (b) => told.push(b.errors) });
    // The scanner cannot follow an unclosed bracket: the module is parsed whole.
    assert.equal(outline(text), null);
    assert.ok(parsed.errors.length > 0);
    const ok = "class A(object):\n    def f(self):\n        x = = 2\n";
    const lazy = parsePython(ok, { outlineFrom: 0, onBodyParsed: (b) => told.push(b.errors) });
    assert.deepEqual(lazy.errors, []);
    lazy.bodyOf(defNamed(lazy.tree.rootNode, "f"));
    assert.equal(told.length, 1);
    assert.ok((told[0] ?? []).length > 0, "the body's error lines");
  });
});
