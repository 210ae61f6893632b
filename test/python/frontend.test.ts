import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { DiagnosticSink } from "../../src/model/diagnostics.js";
import { ConfigDefaults } from "../../src/oslo/configDefaults.js";
import { Evaluator } from "../../src/python/evaluator.js";
import { ModuleIndex } from "../../src/python/moduleIndex.js";
import { Program } from "../../src/python/program.js";
import { toPlain, type Value } from "../../src/python/values.js";
import { fixture, runPython } from "../support/paths.js";

const ROOTS = [fixture("python", "root1"), fixture("python", "root2")];

function setup() {
  const diagnostics = new DiagnosticSink();
  const program = new Program(ROOTS, diagnostics);
  return { diagnostics, program, ev: new Evaluator(program) };
}

function classOf(v: Value) {
  assert.equal(v.kind, "class", `expected a class, got ${v.kind}`);
  return (v as Extract<Value, { kind: "class" }>).decl;
}

describe("module index", () => {
  const index = new ModuleIndex(ROOTS);
  test("finds packages, modules and PEP 420 namespace folders over several roots", () => {
    assert.equal(index.find("pkg")?.relPath, "pkg/__init__.py");
    assert.equal(index.find("pkg")?.isPackage, true);
    assert.equal(index.find("pkg.rel.mod")?.relPath, "pkg/rel/mod.py");
    assert.equal(index.find("nspkg"), null);
    assert.equal(index.isPackageDir("nspkg"), true);
    assert.equal(index.find("nspkg.inner.mod")?.relPath, "nspkg/inner/mod.py");
    assert.equal(index.find("extra")?.root, ROOTS[1]);
    assert.equal(index.find("no.such.module"), null);
  });
  test("lists submodules sorted, without __init__", () => {
    assert.deepEqual(
      index.submodules("pkg").map((m) => m.name),
      ["pkg.broken", "pkg.conf", "pkg.consts", "pkg.opaque", "pkg.rel", "pkg.selfimp", "pkg.sub"],
    );
  });
  test("maps a file back to its dotted name", () => {
    assert.equal(
      index.moduleForFile(fixture("python", "root1", "pkg", "rel", "__init__.py")),
      "pkg.rel",
    );
  });
});

describe("imports", () => {
  test("absolute, relative, aliased imports and re-exports resolve to the defining class", () => {
    const { ev } = setup();
    assert.equal(classOf(ev.resolveDotted("pkg", ["Alias"])).qualname, "Thing");
    assert.equal(classOf(ev.resolveDotted("pkg.rel.mod", ["THING"])).module, "pkg.sub");
    assert.equal(classOf(ev.resolveDotted("pkg.rel.mod", ["SUB_BASE"])).name, "Base");
    assert.deepEqual(toPlain(ev.resolveDotted("pkg.rel.mod", ["NAME"])), "sibling!");
    assert.equal(classOf(ev.resolveDotted("extra", ["Child"])).module, "extra");
  });
  test("`from pkg import sub` in pkg's own __init__ means the submodule, without a cycle", () => {
    const { ev } = setup();
    assert.equal(
      classOf(ev.resolveDotted("pkg.selfimp.user", ["RESOURCE"])).module,
      "pkg.selfimp.wsgi",
    );
    assert.equal(classOf(ev.resolveDotted("pkg.selfimp", ["MAPPER"])).name, "Mapper");
  });
  test("names from modules outside the roots are external, not errors", () => {
    const { ev } = setup();
    const v = ev.resolveDotted("pkg.opaque", ["STRATEGY"]);
    assert.equal(v.kind, "external");
    assert.equal((v as { name: string }).name, "oslo_config.cfg.CONF.auth_strategy");
  });
  test("an undefined name is an Unknown with a reason", () => {
    const { ev } = setup();
    const v = ev.resolveDotted("pkg.opaque", ["MISSING"]);
    assert.equal(v.kind, "unknown");
    assert.match((v as { reason: string }).reason, /undefined_name/);
  });
});

describe("classes", () => {
  test("method lookup follows the C3 MRO to where a method is defined; the last def wins", () => {
    const { ev } = setup();
    const diamond = classOf(ev.resolveDotted("pkg.sub", ["Diamond"]));
    assert.equal(ev.findMethod(diamond, "put")?.owner.name, "Left");
    assert.equal(ev.findMethod(diamond, "get")?.owner.name, "Right");
    const thing = classOf(ev.resolveDotted("pkg.sub", ["Thing"]));
    const get = ev.findMethod(thing, "get");
    assert.equal(get?.owner.name, "Thing");
    assert.equal(get?.decl.line, 37);
    assert.equal(ev.findMethod(thing, "put")?.owner.name, "Base");
    assert.equal(ev.findMethod(thing, "missing"), null);
  });
  test("the MRO equals CPython's __mro__", () => {
    const { ev } = setup();
    const names = ["Diamond", "Thing", "Left"];
    const expected = JSON.parse(
      runPython(
        [
          "-c",
          `import json, pkg.sub as s; print(json.dumps([[c.__name__ for c in getattr(s, n).__mro__] for n in ${JSON.stringify(names)}]))`,
        ],
        { cwd: ROOTS[0], env: { PYTHONDONTWRITEBYTECODE: "1" } },
      ),
    );
    const actual = names.map((n) =>
      ev
        .mro(classOf(ev.resolveDotted("pkg.sub", [n])))
        .map((r) => (r.kind === "class" ? r.decl.name : r.name)),
    );
    // CPython ends with `object`, which is implicit for us.
    assert.deepEqual(
      actual,
      expected.map((l: string[]) => l.filter((n) => n !== "object")),
    );
  });
});

describe("evaluator", () => {
  const NAMES = [
    "VERSION",
    "BASE_MAP",
    "EXTENDED",
    "NAMES",
    "PLURALS",
    "PATHS",
    "FORMATTED",
    "JOINED",
    "SHOUT",
    "CHOSEN",
    "MEMBERS",
    "SLICE",
    "LISTS",
    "FSTR",
  ];
  test("module-level constants equal what CPython computes", () => {
    const { ev } = setup();
    const script = `import json, pkg, pkg.sub as s
names = ${JSON.stringify(NAMES)}
print(json.dumps({n: getattr(pkg if n == "VERSION" else s, n) for n in names}))`;
    const expected = JSON.parse(
      runPython(["-c", script], { cwd: ROOTS[0], env: { PYTHONDONTWRITEBYTECODE: "1" } }),
    );
    const actual = Object.fromEntries(
      NAMES.map((n) => [n, toPlain(ev.resolveDotted(n === "VERSION" ? "pkg" : "pkg.sub", [n]))]),
    );
    assert.deepEqual(actual, expected);
  });
  test("functools.partial keeps the function and its bound arguments; calling it runs the function", () => {
    const { ev } = setup();
    const partial = ev.resolveDotted("pkg.sub", ["PARTIAL"]);
    assert.equal(partial.kind, "partial");
    const called = ev.resolveDotted("pkg.sub", ["CALLED"]);
    assert.equal(called.kind, "tuple");
    const first = (called as { items: Value[] }).items[0] as Value;
    assert.equal(classOf(first).name, "Thing");
  });
});

describe("bad input", () => {
  test("a syntax error is a diagnostic; declarations before and after it survive", () => {
    const { ev, diagnostics } = setup();
    assert.deepEqual(toPlain(ev.resolveDotted("pkg.broken", ["GOOD"])), "before");
    const after = classOf(ev.resolveDotted("pkg.broken", ["After"]));
    assert.equal(after.methods.get("method")?.[0]?.line, 9);
    const d = diagnostics.items.find((x) => x.message.includes("syntax error in pkg.broken"));
    assert.ok(d, "expected a syntax-error diagnostic");
    assert.equal(d.file, "pkg/broken.py");
    assert.equal(d.line, 4);
  });
});

describe("oslo.config defaults", () => {
  const optionsOf = (tree: string) => {
    const root = fixture("oslo", tree);
    const ev = new Evaluator(new Program([root], new DiagnosticSink()));
    const config = new ConfigDefaults(ev, [join(root, "svc")]);
    ev.hooks = { externalAttr: (name) => config.attribute(name) };
    return (name: string) => ev.resolveDotted("svc.use", [name]);
  };
  test("a conf/ package that registers its options is the whole registry", () => {
    const get = optionsOf("registry");
    assert.equal(toPlain(get("LISTEN")), "0.0.0.0");
    // Not looked for elsewhere: a name conf/ lacks is a library's, whose default is unknown.
    assert.equal(get("STRAY").kind, "external");
  });
  test("options outside a conf/ package that registers nothing are found in the rest of the tree", () => {
    const get = optionsOf("scattered");
    assert.equal(toPlain(get("LISTEN")), "0.0.0.0");
    assert.equal(toPlain(get("STRAY")), "found");
  });
  test("a group registered by name only (group='cells') is a group, not the option of that name", () => {
    assert.equal(toPlain(optionsOf("scattered")("CELLS_ON")), false);
  });
  const conf = (settings?: Map<string, Map<string, string>>) => {
    const { ev } = setup();
    const config = new ConfigDefaults(ev, [fixture("python", "root1", "pkg")], settings);
    ev.hooks = { externalAttr: (name) => config.attribute(name) };
    return (name: string) => toPlain(ev.resolveDotted("pkg.conf", [name]));
  };
  test("CONF.<option> is the declared default, so configuration switches are decided", () => {
    const get = conf();
    assert.equal(get("STRATEGY"), "keystone");
    assert.equal(get("ENABLED"), false);
    assert.deepEqual(get("EXTENSIONS"), ["a", "b"]);
    assert.equal(get("CHOSEN"), "keystone");
  });
  test("a configuration file's settings replace the defaults, converted by option type", () => {
    const get = conf(
      new Map([
        [
          "DEFAULT",
          new Map([
            ["auth_strategy", "noauth"],
            ["extensions", "x, y"],
          ]),
        ],
        ["api", new Map([["enabled", "True"]])],
      ]),
    );
    assert.equal(get("STRATEGY"), "noauth");
    assert.equal(get("ENABLED"), true);
    assert.deepEqual(get("EXTENSIONS"), ["x", "y"]);
    assert.equal(get("CHOSEN"), "noauth");
  });
});
