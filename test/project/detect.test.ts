import assert from "node:assert/strict";
import { relative } from "node:path";
import { describe, test } from "node:test";
import { detectProject, ProjectError } from "../../src/project/detect.js";
import { fixture, REPO } from "../support/paths.js";

const rel = (dirs: string[]) => dirs.map((d) => relative(REPO, d));
const F = "fixtures/packaging";

describe("detectProject", () => {
  test("a pbr checkout: setup.cfg beside the package folder", () => {
    const p = detectProject([fixture("packaging", "pbr-checkout")]);
    assert.equal(p.name, "kettle");
    assert.equal(p.version, null);
    assert.deepEqual(
      p.packages.map((x) => x.name),
      ["kettle"],
    );
    assert.deepEqual(rel(p.pythonRoots), [`${F}/pbr-checkout`]);
    assert.deepEqual(rel(p.configRoots), [`${F}/pbr-checkout`]);
    assert.ok(p.packages[0]?.entryPoints.has("wsgi_scripts"));
  });

  test("a pyproject-only project with a src/ layout", () => {
    const p = detectProject([fixture("packaging", "pyproject-only")]);
    assert.deepEqual([p.name, p.version], ["teapot", "1.2.0"]);
    assert.deepEqual(rel(p.pythonRoots), [`${F}/pyproject-only/src`]);
  });

  test("an unpacked Debian tree: the service with a paste file is chosen over libraries", () => {
    const p = detectProject([fixture("packaging", "debian-tree")]);
    assert.deepEqual([p.name, p.version], ["glance", "29.0.0"]);
    assert.deepEqual(
      p.packages.map((x) => x.name),
      ["glance", "castellan", "glance_store"],
    );
    assert.deepEqual(rel(p.pythonRoots), [`${F}/debian-tree/usr/lib/python3/dist-packages`]);
    assert.equal(
      p.packages[0]?.source.file,
      "usr/lib/python3/dist-packages/glance-29.0.0.egg-info/PKG-INFO",
    );
  });

  test("--project picks another distribution of the tree, by normalised name", () => {
    const p = detectProject([fixture("packaging", "debian-tree")], { project: "Glance-Store" });
    assert.deepEqual([p.name, p.version], ["glance_store", "4.8.1"]);
    assert.deepEqual(
      p.packages.map((x) => x.name),
      ["glance_store", "castellan", "glance"],
    );
  });

  test("a site-packages folder given directly; several roots search together", () => {
    const site = fixture("packaging", "debian-tree", "usr", "lib", "python3", "dist-packages");
    const alone = detectProject([site]);
    // No paste file under the site-packages folder: the first distribution found.
    assert.equal(alone.name, "castellan");
    const both = detectProject([fixture("packaging", "pbr-checkout"), site]);
    assert.equal(both.name, "kettle");
    assert.deepEqual(rel(both.pythonRoots), [
      `${F}/pbr-checkout`,
      `${F}/debian-tree/usr/lib/python3/dist-packages`,
    ]);
    assert.deepEqual(rel(both.configRoots), [
      `${F}/pbr-checkout`,
      `${F}/debian-tree/usr/lib/python3/dist-packages`,
    ]);
    assert.equal(both.packages.length, 4);
  });

  test("a folder of Python code without metadata is named by --project or its folder", () => {
    const root = fixture("packaging", "bare-python");
    const p = detectProject([root]);
    assert.deepEqual([p.name, p.version, p.packages.length], ["bare-python", null, 0]);
    assert.deepEqual(rel(p.pythonRoots), [`${F}/bare-python`]);
    assert.equal(detectProject([root], { project: "kettle" }).name, "kettle");
  });

  test("roots that cannot be mapped are one-line ProjectErrors", () => {
    const missing = fixture("packaging", "no-such-root");
    assert.throws(() => detectProject([missing]), {
      name: "ProjectError",
      message: `${missing}: no such directory`,
    });
    const notPython = fixture("packaging", "not-python");
    assert.throws(() => detectProject([notPython]), {
      message: `${notPython}: not a Python source tree (no setup.cfg, pyproject.toml, *.egg-info or *.py found)`,
    });
    const tree = fixture("packaging", "debian-tree");
    assert.throws(() => detectProject([tree], { project: "nova" }), {
      message: `no distribution named "nova" in ${tree} (found: castellan, glance, glance_store)`,
    });
    const broken = fixture("packaging", "broken-cfg");
    assert.throws(
      () => detectProject([broken]),
      (err) =>
        err instanceof ProjectError &&
        err.message ===
          `${broken}/setup.cfg:3: expected "key = value", "key: value" or "[section]", got "this line is not an option"`,
    );
  });
});
