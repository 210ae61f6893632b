import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parsePython } from "../../src/python/parse.js";

describe("parsing Python of every release", () => {
  test("`async` as a name (Python < 3.7) is read as _sync, at the same offsets", () => {
    const source =
      "def live_migrate(self, ctx, host, async=False):\n" +
      "    if async:\n" +
      "        return self.api.call(ctx, host, async=async)\n" +
      "    return None\n";
    const parsed = parsePython(source);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.renamedAsync, true);
    assert.equal(parsed.text.length, source.length);
    const params = parsed.tree.rootNode.namedChildren[0]?.childForFieldName("parameters");
    assert.equal(params?.text, "(self, ctx, host, _sync=False)");
    assert.equal(parsePython("def f(async=False):\n    return async\n").errors.length, 0);
  });

  test("prose about async in comments is no reason to rename", () => {
    const source = "# The attach is async, so we wait:\nx = 1  # async: yes\n";
    assert.equal(parsePython(source).renamedAsync, false);
  });

  test("coroutines keep their keywords", () => {
    const source = "async def main(loop):\n    async with loop as l:\n        await l.run()\n";
    const parsed = parsePython(source);
    assert.equal(parsed.renamedAsync, false);
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.text, source);
  });
});
