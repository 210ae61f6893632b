import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DiagnosticSink } from "../../src/model/diagnostics.js";
import {
  parseEntryPointsTxt,
  parseEntryPointValue,
  readEntryPointsTxt,
} from "../../src/packaging/entrypoints.js";
import { parsePkgInfo, readDistInfo, readPkgInfo } from "../../src/packaging/metadata.js";
import { readPyproject } from "../../src/packaging/pyproject.js";
import { readSetupCfg } from "../../src/packaging/setupcfg.js";
import type { PackageInfo } from "../../src/packaging/types.js";
import { normalizeName } from "../../src/packaging/types.js";
import { fixture } from "../support/paths.js";

const groups = (info: PackageInfo | null) =>
  Object.fromEntries(
    [...(info?.entryPoints ?? [])].map(([g, eps]) => [
      g,
      eps.map((e) => `${e.name} = ${e.value} @${e.source.line}`),
    ]),
  );
const DP = "debian-tree/usr/lib/python3/dist-packages";

describe("readSetupCfg (pbr)", () => {
  const file = fixture("packaging", "pbr-checkout", "setup.cfg");
  const info = readSetupCfg(file, { displayFile: "pbr-checkout/setup.cfg" });

  test("name, no version (pbr takes it from git), [files] packages", () => {
    assert.equal(info?.name, "kettle");
    assert.equal(info?.version, null);
    assert.deepEqual(info?.topLevel, ["kettle"]);
    assert.deepEqual(info?.source, { file: "pbr-checkout/setup.cfg", line: 2 });
  });

  test("[entry_points]: one group per option, one entry point per line, comments skipped", () => {
    assert.deepEqual(groups(info), {
      console_scripts: [
        "kettle-api = kettle.cmd.api:main @18",
        "kettle-manage = kettle.cmd.manage:main @19",
      ],
      wsgi_scripts: ["kettle-api-wsgi = kettle.api.wsgi:init_application @22"],
      "oslo.config.opts": ["kettle.conf = kettle.conf.opts:list_opts @25"],
      "oslo.policy.policies": ["kettle = kettle.policies:list_rules @27"],
    });
    const api = info?.entryPoints.get("console_scripts")?.[0];
    assert.deepEqual(api, {
      group: "console_scripts",
      name: "kettle-api",
      value: "kettle.cmd.api:main",
      module: "kettle.cmd.api",
      attr: "main",
      source: { file: "pbr-checkout/setup.cfg", line: 18 },
    });
  });

  test("null when no [metadata] name; one-line errors for bad files", () => {
    assert.equal(readSetupCfg(fixture("paste", "features.ini")), null);
    assert.throws(
      () =>
        readSetupCfg(fixture("packaging", "broken-cfg", "setup.cfg"), { displayFile: "setup.cfg" }),
      {
        name: "PackagingError",
        message:
          'setup.cfg:3: expected "key = value", "key: value" or "[section]", got "this line is not an option"',
      },
    );
    assert.throws(
      () => readSetupCfg(fixture("packaging", "nope.cfg"), { displayFile: "nope.cfg" }),
      {
        message: "nope.cfg: cannot read (ENOENT)",
      },
    );
  });
});

describe("readPyproject", () => {
  const info = readPyproject(fixture("packaging", "pyproject-only", "pyproject.toml"), {
    displayFile: "pyproject.toml",
  });

  test("[project] name and version", () => {
    assert.equal(info?.name, "teapot");
    assert.equal(info?.version, "1.2.0");
    assert.deepEqual(info?.source, { file: "pyproject.toml", line: 6 });
  });

  test("scripts are console_scripts; entry-points tables with quoted names; extras parsed off", () => {
    assert.deepEqual(groups(info), {
      console_scripts: ["teapot-api = teapot.cmd:main @11"],
      "oslo.config.opts": ["teapot = teapot.opts:list_opts @14"],
      "paste.app_factory": ["main = teapot.wsgi:app_factory [server] @17"],
    });
    const app = info?.entryPoints.get("paste.app_factory")?.[0];
    assert.equal(app?.module, "teapot.wsgi");
    assert.equal(app?.attr, "app_factory");
  });

  test("null for a pbr pyproject.toml with only [build-system]", () => {
    assert.equal(readPyproject(fixture("packaging", "pbr-checkout", "pyproject.toml")), null);
  });

  test("invalid TOML is a one-line PackagingError", () => {
    assert.throws(
      () => readPyproject(fixture("paste", "features.ini"), { displayFile: "features.ini" }),
      (err) =>
        err instanceof Error &&
        err.name === "PackagingError" &&
        err.message.startsWith("features.ini: not valid TOML: ") &&
        !err.message.includes("\n"),
    );
  });
});

describe("installed metadata: egg-info, dist-info, entry_points.txt, PKG-INFO", () => {
  test("an egg-info directory (Debian's python3-glance)", () => {
    const dir = fixture("packaging", DP, "glance-29.0.0.egg-info");
    const info = readDistInfo(dir, { displayFile: "glance-29.0.0.egg-info" });
    assert.equal(info?.name, "glance");
    assert.equal(info?.version, "29.0.0");
    assert.deepEqual(info?.topLevel, ["glance"]);
    assert.deepEqual(info?.source, { file: "glance-29.0.0.egg-info/PKG-INFO", line: 2 });
    assert.deepEqual(groups(info), {
      console_scripts: [
        "glance-api = glance.cmd.api:main @2",
        "glance-manage = glance.cmd.manage:main @3",
      ],
      "oslo.config.opts": ["glance.api = glance.opts:list_api_opts @6"],
      wsgi_scripts: ["glance-wsgi-api = glance.common.wsgi_app:init_app @9"],
    });
    assert.equal(
      info?.entryPoints.get("console_scripts")?.[0]?.source.file,
      "glance-29.0.0.egg-info/entry_points.txt",
    );
  });

  test("a dist-info directory and an old single-file egg-info", () => {
    const store = readDistInfo(fixture("packaging", DP, "glance_store-4.8.1.dist-info"));
    assert.equal(store?.name, "glance_store");
    assert.equal(store?.version, "4.8.1");
    assert.deepEqual(
      [...(store?.entryPoints.keys() ?? [])],
      ["glance_store.drivers", "oslo.config.opts"],
    );
    const castellan = readDistInfo(fixture("packaging", DP, "castellan-5.0.0.egg-info"));
    assert.deepEqual(
      [castellan?.name, castellan?.version, castellan?.entryPoints.size],
      ["castellan", "5.0.0", 0],
    );
    assert.throws(
      () => readDistInfo(fixture("packaging", "x.dist-info"), { displayFile: "x.dist-info" }),
      {
        message: "x.dist-info: cannot read (ENOENT)",
      },
    );
  });

  test("PKG-INFO headers stop at the first blank line", () => {
    const meta = readPkgInfo(fixture("packaging", DP, "glance-29.0.0.egg-info", "PKG-INFO"));
    assert.deepEqual(meta, { name: "glance", version: "29.0.0", line: 2 });
    assert.deepEqual(parsePkgInfo("Summary: x\n\nName: body"), {
      name: null,
      version: null,
      line: 1,
    });
  });

  test("entry_points.txt splits on the first = only; odd lines are warnings", () => {
    const sink = new DiagnosticSink();
    const eps = parseEntryPointsTxt(
      "stray = x:y\n[a.group]\n# comment\nname: with colon = pkg.mod:Obj.attr\nno equals sign\n",
      "entry_points.txt",
      sink,
    );
    assert.deepEqual(
      [...eps].map(([g, l]) => [g, l.map((e) => [e.name, e.module, e.attr])]),
      [["a.group", [["name: with colon", "pkg.mod", "Obj.attr"]]]],
    );
    assert.deepEqual(
      sink.items.map((d) => `${d.line} ${d.message}`),
      [
        "1 entry point outside any [group]: stray = x:y",
        '5 entry point in [a.group] is not "name = module:attr": no equals sign',
      ],
    );
    const fromFile = readEntryPointsTxt(
      fixture("packaging", DP, "glance_store-4.8.1.dist-info", "entry_points.txt"),
    );
    assert.equal(
      fromFile.get("glance_store.drivers")?.[1]?.value,
      "glance_store._drivers.http:Store",
    );
  });

  test("entry point values and names", () => {
    assert.deepEqual(parseEntryPointValue("nova.cmd.compute:main"), {
      module: "nova.cmd.compute",
      attr: "main",
    });
    assert.deepEqual(parseEntryPointValue("nova.api"), { module: "nova.api", attr: null });
    assert.deepEqual(parseEntryPointValue("a.b : C.d [x, y]"), { module: "a.b", attr: "C.d" });
    assert.deepEqual(parseEntryPointValue("not a value!"), { module: null, attr: null });
    assert.equal(normalizeName("Glance_Store"), normalizeName("glance-store"));
  });
});
