import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Binding, bindModule, type ModuleScope } from "../../src/python/binder.js";
import { parsePython } from "../../src/python/parse.js";

/** Imports and definitions written every way Python allows, plainly or not. */
const SOURCE = `import os
import os.path, sys as system
import a.b.c as abc
from . import sibling
from .. import cousin as c2
from ..pkg.sub import (
    one,
    two as deux,  # a comment: read from the tree
)
from .rel import x, y as why
from . rel2 import z
from.rel3 import w
from pkg import (m, n,)
from pkg import *
from pkg . spaced import q
from pkg import a \\
    , b
from __future__ import annotations
"""A docstring."""
CONSTANT = 1
chained = other = {'a': 1}
typed: int = 2
CONSTANT == 3
CONSTANT += 1
chained['b'] = 2
spaced   =   [1,
    2]
try:
    from fast import codec
except ImportError:
    from slow import codec


class Plain(Base):
    def method(self): pass

    async def coro(self): pass

    def  spaced (self): pass


class  Bare:
    x = 1


def function(a, b=1):
    return a


async def coroutine():
    return 1
`;

function bound(text?: string): ModuleScope {
  const parsed = parsePython(SOURCE);
  return bindModule(
    parsed.tree.rootNode,
    "top.pkg.mod",
    false,
    parsed.bodyOf,
    parsed.assignedValue,
    text,
  );
}

function described(scope: ModuleScope) {
  const one = (b: Binding): string => {
    const fallback = b.fallback ? " (fallback)" : "";
    if (b.kind === "class" || b.kind === "function") return `${b.kind} ${b.decl.qualname}`;
    if (b.kind === "assign") return `assign ${b.value.type} @${b.value.startIndex}${fallback}`;
    if (b.kind === "from") return `from ${b.module} import ${b.name}${fallback}`;
    return `${b.kind} ${b.module}${fallback}`;
  };
  return {
    names: [...scope.names].map(([name, bindings]) => [name, bindings.map(one)]),
    classes: scope.classes.map((c) => [
      c.qualname,
      [...c.methods.keys()],
      [...c.attributes.keys()],
    ]),
    functions: scope.functions.map((f) => f.qualname),
    mutations: [...scope.mutations].map(([name, stmts]) => [name, stmts.map((n) => n.startIndex)]),
  };
}

describe("binder", () => {
  test("imports and names read off the text bind as the tree binds them", () => {
    const fromText = described(bound(SOURCE));
    assert.deepEqual(fromText, described(bound()));
    const names = new Map(fromText.names as [string, string[]][]);
    assert.deepEqual(names.get("abc"), ["import a.b.c"]);
    assert.deepEqual(names.get("sibling"), ["from top.pkg import sibling"]);
    assert.deepEqual(names.get("c2"), ["from top import cousin"]);
    assert.deepEqual(names.get("deux"), ["from top.pkg.sub import two"]);
    assert.deepEqual(names.get("codec"), [
      "from fast import codec",
      "from slow import codec (fallback)",
    ]);
    assert.deepEqual(names.get("chained"), [`assign dictionary @${SOURCE.indexOf("{'a'")}`]);
    assert.equal(names.get("other"), undefined, "a chain binds its first name, as before");
    assert.deepEqual(names.get("typed"), [`assign integer @${SOURCE.indexOf("int = 2") + 6}`]);
    assert.deepEqual(names.get("spaced"), [`assign list @${SOURCE.indexOf("[1,")}`]);
    assert.deepEqual(
      (fromText.mutations as [string, number[]][]).map(([name]) => name),
      ["CONSTANT", "chained"],
    );
    assert.deepEqual(fromText.functions, ["function", "coroutine"]);
    assert.deepEqual(fromText.classes, [
      ["Plain", ["method", "coro", "spaced"], []],
      ["Bare", [], ["x"]],
    ]);
  });
});
