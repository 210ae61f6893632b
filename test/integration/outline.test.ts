import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pythonFiles } from "../../src/python/files.js";
import { outline } from "../../src/python/outline.js";
import { parsePython, type SyntaxNode } from "../../src/python/parse.js";
import { debianTree } from "../support/debian.js";

/**
 * The outline scanner against tree-sitter on every non-test module of Nova, Neutron, neutron-lib,
 * Cinder and Glance (Zed):
 * each function body and module-level value a skeleton parse leaves out must come back, parsed
 * on demand, as the full parse has it, at the same offsets and lines, and the skeleton must
 * parse as cleanly as the whole file.
 */
const TREES: [string, string[], string][] = [
  ["nova", ["python3-nova", "nova-common"], "nova"],
  ["neutron", ["python3-neutron", "neutron-common", "python3-neutron-lib"], "neutron"],
  ["neutron", ["python3-neutron", "neutron-common", "python3-neutron-lib"], "neutron_lib"],
  ["cinder", ["python3-cinder", "cinder-common"], "cinder"],
  ["glance", ["python3-glance", "glance-common"], "glance"],
];

describe("outline against full parses (Debian Zed trees)", () => {
  for (const [name, packages, pkg] of TREES) {
    test(`${pkg}: every outlined body and value equals the full parse's`, () => {
      const root = join(debianTree(name, packages), "usr/lib/python3/dist-packages", pkg);
      let files = 0;
      let bodies = 0;
      let values = 0;
      const unscanned: string[] = [];
      for (const path of pythonFiles(root)) {
        if (path.includes("/tests/")) continue;
        const text = readFileSync(path, "utf8");
        const shape = outline(text);
        files++;
        if (!shape) {
          unscanned.push(path);
          continue;
        }
        const full = parsePython(text);
        const lazy = parsePython(text, { outlineFrom: 0 });
        if (full.errors.length === 0) assert.deepEqual(lazy.errors, [], path);
        const fullDefs = new Map(defs(full.tree.rootNode).map((d) => [d.startIndex, d]));
        const lazyDefs = defs(lazy.tree.rootNode);
        for (const d of shape.defs) {
          const def = lazyDefs.find(
            (x) => x.startIndex >= d.defStart && x.startIndex < d.bodyStart,
          );
          assert.ok(def, `${path}: outlined def at ${d.defStart} is in the skeleton`);
          const expected = fullDefs.get(def.startIndex);
          assert.ok(expected, `${path}: def at ${def.startIndex} is in the full parse`);
          const body = lazy.bodyOf(def);
          const want = expected.childForFieldName("body");
          assert.ok(body && want, path);
          assert.deepEqual(statements(body), statements(want), path);
          assert.equal(body.startPosition.row, want.startPosition.row, path);
          bodies++;
        }
        for (const v of shape.values) {
          const statement = full.tree.rootNode.descendantForIndex(v.valueStart);
          let a: SyntaxNode | null = statement;
          while (a && !(a.type === "assignment" && a.startIndex === v.start)) a = a.parent;
          assert.ok(a, `${path}: value at ${v.valueStart} is an assignment`);
          const skeletonStmt = lazy.tree.rootNode.descendantForIndex(v.start);
          let s: SyntaxNode | null = skeletonStmt;
          while (s && !(s.type === "assignment" && s.startIndex === v.start)) s = s.parent;
          assert.ok(s, `${path}: value at ${v.valueStart} is in the skeleton`);
          const right = s.childForFieldName("right") as SyntaxNode;
          assert.equal(lazy.assignedValue(s, right).text, a.childForFieldName("right")?.text, path);
          values++;
        }
      }
      assert.ok(files > 100, `${pkg}: ${files} modules`);
      assert.ok(bodies > 500, `${pkg}: ${bodies} bodies`);
      assert.ok(values > 5, `${pkg}: ${values} values`);
      // The scanner gives up only on text it cannot follow; a whole parse then takes over.
      assert.ok(unscanned.length <= files / 100, `unscanned: ${unscanned.join(", ")}`);
    });
  }
});

/**
 * A block as its syntax tree and statement offsets. Comments are left out: tree-sitter files a
 * comment after a block's last statement under that block, a body parsed alone ends before it.
 */
function statements(block: SyntaxNode): string[] {
  return [
    block.toString().replaceAll(" (comment)", ""),
    ...block.namedChildren.filter((s) => s.type !== "comment").map((s) => `${s.startIndex}`),
  ];
}

/** Function definitions reached through classes alone, as the outline chooses them. */
function defs(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (block: SyntaxNode) => {
    for (const stmt of block.namedChildren) {
      const node =
        stmt.type === "decorated_definition" ? stmt.childForFieldName("definition") : stmt;
      if (node?.type === "function_definition") out.push(node);
      else if (node?.type === "class_definition") {
        const body = node.childForFieldName("body");
        if (body) visit(body);
      }
    }
  };
  visit(root);
  return out;
}
