import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { ApiMap } from "../../src/model/map.js";
import { fixture, repoPath } from "../support/paths.js";

/** The built CLI, as users run it (`npm test` builds first). */
function apimap(...args: string[]) {
  const r = spawnSync(process.execPath, [repoPath("dist", "apimap.js"), ...args], {
    encoding: "utf8",
    cwd: repoPath(),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("apimap map on the bundled example (examples/kettle)", () => {
  test("the table lists every endpoint with its handler and a summary", () => {
    const r = apimap("map", "examples/kettle");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^kettle 1\.2\.0$/m);
    assert.match(
      r.stdout,
      /^ {2}POST +\/v1\/teas\/\{tea_id\}\/actions\/steep +kettle\.api\.v1\.tea_actions\.TeaActionsController\.steep +kettle\/api\/v1\/tea_actions\.py:41$/m,
    );
    assert.match(r.stdout, /^2 apps, 26 endpoints, 1 diagnostics \(0 warnings\)$/m);
  });

  test("json follows apimap/1 and is byte-for-byte deterministic", () => {
    const a = apimap("map", "examples/kettle", "--format", "json");
    const b = apimap("map", "examples/kettle", "--format", "json");
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
    const map = JSON.parse(a.stdout) as ApiMap;
    assert.equal(map.schema, "apimap/1");
    assert.deepEqual(Object.keys(map), [
      "schema",
      "project",
      "services",
      "apps",
      "endpoints",
      "rpc",
      "diagnostics",
    ]);
    assert.deepEqual(map.project, {
      name: "kettle",
      version: "1.2.0",
      roots: ["examples/kettle"],
      config: null,
    });
    // The example's README table, derived by hand from its code.
    const rows = map.endpoints.map(
      (e) => `${e.method} ${e.path} ${e.handler?.qualname ?? `redirect ${e.redirect}`}`,
    );
    for (const expected of [
      "* / kettle.api.versions.Controller.__call__",
      "GET /v1/teas/{tea_id} kettle.api.v1.base.BaseController.show",
      "PATCH /v1/teas/{tea_id} kettle.api.v1.teas.TeasController.update",
      "* /v1/teas kettle.common.wsgi.RejectMethodController.reject",
      "GET /v1/kettles/detail kettle.api.v1.kettles.KettlesController.detail",
      "POST /v1/kettles/{id}/boil kettle.api.v1.kettles.KettlesController.boil",
      "GET /v1/blends/green kettle.api.v1.blends.BlendsController.show_green",
      "GET /v1/brews/{brew_id} kettle.api.v1.brews.BrewsController.show",
      "* /v1 redirect /v1/",
    ]) {
      assert.ok(rows.includes(expected), `missing ${expected}`);
    }
    const sorted = [...map.endpoints].sort((x, y) =>
      x.path < y.path ? -1 : x.path > y.path ? 1 : 0,
    );
    assert.deepEqual(
      map.endpoints.filter((e) => e.app === "kettleapp_v1").map((e) => e.path),
      sorted.filter((e) => e.app === "kettleapp_v1").map((e) => e.path),
    );
    const app = map.apps.find((x) => x.name === "kettleapp_v1");
    assert.deepEqual(app?.pipeline, ["request_id", "faultwrap", "authtoken", "context"]);
    assert.deepEqual(
      app?.pipelines.map((p) => [p.name, p.default]),
      [
        ["keystone", true],
        ["noauth", false],
      ],
    );
  });

  test("--help documents the exit codes; --version prints the version", () => {
    const help = apimap("map", "--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--format <format>/);
    assert.match(apimap("--help").stdout, /Exit codes: 0 ok, 1 diagnostics .* 2 bad input/);
    const pkg = JSON.parse(readFileSync(repoPath("package.json"), "utf8")) as { version: string };
    assert.equal(apimap("--version").stdout, `${pkg.version}\n`);
  });
});

describe("bad input: one clear line and exit 2, or a partial map with diagnostics", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "a folder with no Python",
      ["map", fixture("bad-input", "no-python")],
      /not a Python source tree/,
    ],
    ["a root that does not exist", ["map", fixture("bad-input", "nope")], /no such directory/],
    [
      "a project with no paste file",
      ["map", fixture("bad-input", "no-paste")],
      /no api-paste file found for nopaste .*--paste/,
    ],
    [
      "a broken ini",
      ["map", fixture("bad-input", "broken-paste")],
      /api-paste\.ini:3: expected "key = value"/,
    ],
    [
      "a --paste file that does not exist",
      ["map", "examples/kettle", "--paste", "missing.ini"],
      /missing\.ini/,
    ],
    [
      "an unknown project",
      ["map", "examples/kettle", "--project", "nosuch"],
      /no distribution named "nosuch"/,
    ],
    [
      "an unknown format",
      ["map", "examples/kettle", "--format", "yaml"],
      /argument 'yaml' is invalid/,
    ],
  ];
  for (const [name, args, message] of cases) {
    test(name, () => {
      const r = apimap(...args);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, `one line expected:\n${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    });
  }

  test("a module with a syntax error: partial map, a diagnostic naming file and line, exit 0 (1 with --strict)", () => {
    const r = apimap("map", fixture("bad-input", "syntax-error"), "--format", "json");
    assert.equal(r.code, 0, r.stderr);
    const map = JSON.parse(r.stdout) as ApiMap;
    const paths = map.endpoints.map((e) => `${e.method} ${e.path}`);
    assert.ok(paths.includes("GET /v1/things"));
    assert.ok(paths.includes("GET /v2/widgets"), "routes before the error are kept");
    assert.ok(
      map.diagnostics.some(
        (d) =>
          d.message.startsWith("syntax error in syntaxerr.bad") &&
          d.file === "syntaxerr/bad.py" &&
          d.line === 9,
      ),
    );
    assert.equal(apimap("map", fixture("bad-input", "syntax-error"), "--strict").code, 1);
  });
});

describe("apimap services and rpc on the example", () => {
  test("the API is WSGI serving the kettle composite; the brewer is an RPC service with its manager", () => {
    const r = apimap("services", "examples/kettle", "--format", "json");
    assert.equal(r.code, 0, r.stderr);
    const services = JSON.parse(r.stdout) as ApiMap["services"];
    assert.deepEqual(
      services.map((s) => [
        s.binary,
        s.kind,
        s.topic ?? null,
        s.manager?.qualname ?? null,
        s.apps?.map((a) => a.name) ?? null,
      ]),
      [
        ["kettle-api", "wsgi", null, null, ["kettle"]],
        ["kettle-brewer", "rpc", "brewer", "kettle.brewer.manager.BrewerManager", null],
      ],
    );
  });
  test("the RPC map and the chain from POST …/actions/steep to BrewerManager.brew", () => {
    const r = apimap("map", "examples/kettle", "--format", "json");
    const map = JSON.parse(r.stdout) as ApiMap;
    assert.deepEqual(
      map.rpc.map((x) => [x.mode, x.method, x.version, x.server?.qualname]),
      [
        ["cast", "brew", "1.0", "kettle.brewer.manager.BrewerManager.brew"],
        ["call", "cool", "1.0", "kettle.brewer.manager.BrewerManager.cool"],
      ],
    );
    const steep = map.endpoints.find(
      (e) => e.method === "POST" && e.path === "/v1/teas/{tea_id}/actions/steep",
    );
    assert.deepEqual(
      steep?.calls?.map((c) => [c.qualname, c.rpc.map((h) => `${h.mode} ${h.server?.qualname}`)]),
      [["kettle.brewer.api.API.brew", ["cast kettle.brewer.manager.BrewerManager.brew"]]],
    );
    const text = apimap("rpc", "examples/kettle").stdout;
    assert.match(
      text,
      /^ {2}cast {2}brew {2}v1\.0 {2}kettle\.brewer\.rpcapi\.BrewerAPI\.brew → kettle\.brewer\.manager\.BrewerManager\.brew/m,
    );
  });
});

describe("apimap explain", () => {
  test("prints the trace of the endpoints a request reaches, specific routes first", () => {
    const r = apimap("explain", "post", "/v1/teas/42/actions/steep", "examples/kettle");
    assert.equal(r.code, 0, r.stderr);
    const blocks = r.stdout.trim().split("\n\n");
    assert.equal(blocks.length, 2);
    assert.match(
      blocks[0] as string,
      /^POST \/v1\/teas\/\{tea_id\}\/actions\/steep → kettle\.api\.v1\.tea_actions\.TeaActionsController\.steep \(kettle\/api\/v1\/tea_actions\.py:41\)/,
    );
    assert.match(blocks[0] as string, /^ +\d+\. paste +.*\(etc\/kettle\/api-paste\.ini:\d+\)$/m);
    assert.match(
      blocks[0] as string,
      /^ +\d+\. route +mapper route \/teas\/\{tea_id\}\/actions\/steep \(POST\) action=steep +\(kettle\/api\/v1\/router\.py:\d+\)$/m,
    );
    assert.match(blocks[1] as string, /^\* .*RejectMethodController\.reject/);
  });
  test("after the trace, what the handler's decorators and body say", () => {
    const r = apimap(
      "explain",
      "POST",
      "/v2.1/servers/1/action",
      fixture("recipes", "nova-v21-extensions"),
      "--action",
      "pause",
    );
    assert.equal(r.code, 0, r.stderr);
    const facts = r.stdout
      .trim()
      .split("\n")
      .filter((l) => /^ {6}\S/.test(l))
      .map((l) => l.trim().replace(/ +/, " "));
    assert.deepEqual(facts, [
      "versions 2.1 – latest",
      "answers 202; errors 404, 409",
      "policies os_compute_api:os-pause-server:pause",
    ]);
  });
  test("a request nothing answers is bad input", () => {
    const r = apimap("explain", "GET", "/nothing", "examples/kettle");
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "apimap: no endpoint of kettle answers GET /nothing\n");
  });
});
