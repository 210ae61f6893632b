import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadPasteConfig, PasteError, parsePasteConfig } from "../../src/paste/config.js";
import { fixture } from "../support/paths.js";

const load = (name: string) =>
  loadPasteConfig(fixture("paste", name), { displayFile: `fixtures/paste/${name}` });

describe("loadPasteConfig", () => {
  test("types every section by its prefix, in file order", () => {
    const config = load("features.ini");
    assert.deepEqual(
      config.sections.map((s) => `${s.kind} ${s.name} :${s.source.line}`),
      [
        "composite main :8",
        "app versions :15",
        "pipeline kettle_v1 :26",
        "app kettleapi_v1 :32",
        "app kettleapi_base :37",
        "filter-app admin :42",
        "app admin_app :47",
        "app notfound :51",
        "filter request_id :54",
        "filter authtoken :57",
        "filter audit :61",
      ],
    );
    assert.equal(config.sections[0]?.source.file, "fixtures/paste/features.ini");
  });

  test("global_conf is [DEFAULT] with here and __file__, interpolated", () => {
    const config = load("features.ini");
    assert.deepEqual(config.globalConf, {
      here: "fixtures/paste",
      __file__: "fixtures/paste/features.ini",
      state_path: "fixtures/paste/state",
      debug: "false",
    });
    const here = loadPasteConfig(fixture("paste", "features.ini"), {
      displayFile: "features.ini",
      here: "/etc/kettle",
    });
    assert.equal(here.globalConf.state_path, "/etc/kettle/state");
    assert.equal(here.globalConf.__file__, "/etc/kettle/features.ini");
  });

  test("bare prefixes and PasteDeploy's alternative spellings", () => {
    const config = parsePasteConfig(
      "[app]\nuse = egg:X\n[application:a]\nuse = egg:Y\n[composit: c ]\nuse = egg:Z\n[loggers]\nkeys = root\n",
      "x.ini",
      { displayFile: "x.ini" },
    );
    assert.deepEqual(
      config.sections.map((s) => `${s.kind}:${s.name}`),
      ["app:main", "app:a", "composite:c"],
    );
  });

  test("keys keep their case (PasteDeploy's optionxform = str)", () => {
    const config = parsePasteConfig("[composite:x]\n/V2: App\n", "x.ini", { displayFile: "x.ini" });
    assert.equal(config.sections[0]?.ini.get("/V2")?.value, "App");
  });

  test("an unreadable file or a syntax error is a one-line PasteError", () => {
    assert.throws(() => load("no-such.ini"), {
      name: "PasteError",
      message: "fixtures/paste/no-such.ini: cannot read paste file (ENOENT)",
    });
    assert.throws(
      () => load("broken.ini"),
      (err) =>
        err instanceof PasteError &&
        err.message ===
          'fixtures/paste/broken.ini:6: expected "key = value", "key: value" or "[section]", got "this line has no delimiter"',
    );
  });
});
