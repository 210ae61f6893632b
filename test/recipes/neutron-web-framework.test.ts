import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap, Endpoint } from "../../src/model/map.js";
import { fixture } from "../support/paths.js";

// Every expected value below is read off the fixture's source by hand (grep -n): which
// framework serves /v2.0 off neutron-server's own code (cmd/eventlet/server/__init__.py),
// never off apimap's output.
const ROOT = fixture("recipes", "neutron-web-framework");
const APP = "neutronapiapp_v2_0";
const BC = "neutron.api.v2.base.Controller";
const EC = "neutron.api.extensions.ExtensionController";
const RES = "neutron.pecan_wsgi.controllers.resource";
const ML2 = "neutron.plugins.ml2.plugin.Ml2Plugin";

/** method, full path, who answers (`extensions` filter or the `app`), handler:line → plugin method:line. */
const row = (e: Endpoint) => {
  const handler = e.handler ? `${e.handler.qualname}:${e.handler.line}` : "-";
  const impl = e.implementation ? ` → ${e.implementation.qualname}:${e.implementation.line}` : "";
  return `${e.method} ${e.path} ${e.servedBy ?? "app"} ${handler}${impl}${e.missing ? " missing" : ""}`;
};
const rows = (map: ApiMap) =>
  map.endpoints
    .filter((e) => e.app === APP)
    .map(row)
    .sort();

const find = (map: ApiMap, method: string, path: string) => {
  const hits = map.endpoints.filter((e) => e.method === method && e.path === path);
  assert.equal(hits.length, 1, `${hits.length} endpoints ${method} ${path}`);
  return hits[0] as Endpoint;
};

const framework = (map: ApiMap) => {
  const d = map.diagnostics.find((x) => x.message.startsWith("neutron: /v2.0 is served by"));
  return [d?.message, d?.file, d?.line];
};
const warnings = (map: ApiMap) =>
  map.diagnostics
    .filter((d) => d.level !== "info")
    .map((d) => `${d.level} ${d.message} @${d.file}:${d.line}`);

/** Ml2Plugin's methods for one collection: [list, create, show, update, delete] def lines. */
const PLUGIN = {
  networks: ["networks", "network", 17, 8, 14, 11, 20],
  ports: ["ports", "port", 32, 23, 29, 26, 35],
  "security-groups": ["security_groups", "security_group", 47, 38, 44, 41, 50],
} as const;

/** The five generic routes of a collection; handlers [GET, POST, GET id, PUT, DELETE]. */
const generic = (
  collection: keyof typeof PLUGIN,
  by: string,
  handlers: readonly [string, string, string, string, string],
) => {
  const [plural, single, list, create, show, update, del] = PLUGIN[collection];
  const base = `/v2.0/${collection}`;
  const impl = (name: string, line: number) => ` → ${ML2}.${name}:${line}`;
  return [
    `GET ${base} ${by} ${handlers[0]}${impl(`get_${plural}`, list)}`,
    `POST ${base} ${by} ${handlers[1]}${impl(`create_${single}`, create)}`,
    `GET ${base}/{id} ${by} ${handlers[2]}${impl(`get_${single}`, show)}`,
    `PUT ${base}/{id} ${by} ${handlers[3]}${impl(`update_${single}`, update)}`,
    `DELETE ${base}/{id} ${by} ${handlers[4]}${impl(`delete_${single}`, del)}`,
  ];
};

// base.py: index 24, create 30, show 27, update 33, delete 37
const BASE = [
  `${BC}.index:24`,
  `${BC}.create:30`,
  `${BC}.show:27`,
  `${BC}.update:33`,
  `${BC}.delete:37`,
] as const;
// pecan resource.py: CollectionsController.index 44 / .post 50 (when POST); ItemController.index
// 16 (GET has no `when`), .put 21, .delete 27
const PECAN = [
  `${RES}.CollectionsController.index:44`,
  `${RES}.CollectionsController.post:50`,
  `${RES}.ItemController.index:16`,
  `${RES}.ItemController.put:21`,
  `${RES}.ItemController.delete:27`,
] as const;

describe("recipe neutron, Newton, web_framework = legacy (its default, common/config.py:16)", () => {
  let map: ApiMap;
  before(() => {
    map = analyze([ROOT]);
  });

  test("neutron-server runs wsgi_eventlet, which loads the paste app: the routes-based APIRouter", () => {
    assert.deepEqual(framework(map), [
      "neutron: /v2.0 is served by the routes-based APIRouter",
      "etc/api-paste.ini",
      25, // [app:neutronapiapp_v2_0]
    ]);
    const decided = map.diagnostics.find((d) => d.message.includes("web_framework"));
    assert.deepEqual(
      [decided?.message, decided?.file, decided?.line],
      [
        "condition `cfg.CONF.web_framework == 'legacy'` is true with the configuration in use",
        "neutron/cmd/eventlet/server/__init__.py",
        15,
      ],
    );
  });

  test("the APIRouter's core collections behind the extensions filter's resources", () => {
    assert.deepEqual(
      rows(map),
      [
        // router.py:45 mapper.connect('index', '/', controller=Index(RESOURCES)), any method
        `* /v2.0/ app neutron.api.v2.router.Index.__call__:28`,
        // router.py:48 mapper.collection for each of RESOURCES
        ...generic("networks", "app", BASE),
        ...generic("ports", "app", BASE),
        // the filter: mapper.resource (extensions.py:39) for ResourceExtension('extensions', …)
        `GET /v2.0/extensions extensions ${EC}.index:22`,
        "POST /v2.0/extensions extensions - missing",
        "GET /v2.0/extensions/new extensions - missing",
        `GET /v2.0/extensions/{id} extensions ${EC}.show:25`,
        "PUT /v2.0/extensions/{id} extensions - missing",
        "DELETE /v2.0/extensions/{id} extensions - missing",
        "GET /v2.0/extensions/{id}/edit extensions - missing",
        // … and for securitygroup.py's, on Ml2Plugin
        ...generic("security-groups", "extensions", BASE),
        "GET /v2.0/security-groups/new extensions - missing",
        "GET /v2.0/security-groups/{id}/edit extensions - missing",
      ].sort(),
    );
    assert.ok(
      !map.endpoints.some((e) => e.trace.some((t) => t.step === "server")),
      "no server step when the paste app is what serves",
    );
    assert.deepEqual(warnings(map), []);
  });
});

describe("recipe neutron, Newton, web_framework = pecan (--config)", () => {
  let map: ApiMap;
  before(() => {
    const dir = mkdtempSync(join(tmpdir(), "apimap-neutron-web-framework-"));
    const config = join(dir, "neutron.conf");
    writeFileSync(config, "[DEFAULT]\nweb_framework = pecan\n");
    map = analyze([ROOT], { config });
  });

  test("neutron-server runs wsgi_pecan, which builds pecan's own app (app.py:10)", () => {
    assert.deepEqual(framework(map), [
      "neutron: /v2.0 is served by pecan's own app (the paste pipeline is not used)",
      "neutron/pecan_wsgi/app.py",
      10, // pecan.make_app(root.V2Controller(), …)
    ]);
    assert.ok(
      map.diagnostics.some(
        (d) =>
          d.message ===
            "condition `cfg.CONF.web_framework == 'legacy'` is false with the configuration in use" &&
          d.line === 15,
      ),
    );
  });

  test("pecan serves everything, extension resources included: there is no extensions filter", () => {
    assert.deepEqual(
      rows(map),
      [
        // root.py: V2Controller.index (15); pecan's extensions.py: ExtensionsController.index
        // (16), ExtensionController.index (27)
        "GET /v2.0/ app neutron.pecan_wsgi.controllers.root.V2Controller.index:15",
        "GET /v2.0/extensions app neutron.pecan_wsgi.controllers.extensions.ExtensionsController.index:16",
        "GET /v2.0/extensions/{id} app neutron.pecan_wsgi.controllers.extensions.ExtensionController.index:27",
        // startup.py: router.RESOURCES (router.py:14), then the extension resources
        ...generic("networks", "app", PECAN),
        ...generic("ports", "app", PECAN),
        ...generic("security-groups", "app", PECAN),
      ].sort(),
    );
    assert.ok(!map.endpoints.some((e) => e.trace.some((t) => t.step === "filter")));
    assert.deepEqual(warnings(map), []);
  });

  test("the trace starts where neutron-server builds the app, not at the paste file's pipeline", () => {
    const e = find(map, "POST", "/v2.0/networks");
    // The trace begins with `server`, at the make_app call, in place of the paste steps.
    const recipe = e.trace.findIndex((t) => t.step === "recipe");
    assert.equal(
      `${e.trace[0]?.step} ${e.trace[0]?.file}:${e.trace[0]?.line}`,
      "server neutron/pecan_wsgi/app.py:10",
    );
    assert.equal(recipe, 1);
    assert.deepEqual(
      e.trace.slice(recipe + 1).map((t) => `${t.step} ${t.file}:${t.line}`),
      [
        "collection neutron/api/v2/router.py:14", // RESOURCES
        "handler neutron/pecan_wsgi/controllers/resource.py:50",
        "plugin setup.cfg:14", // ml2 = neutron.plugins.ml2.plugin:Ml2Plugin
        "implementation neutron/plugins/ml2/plugin.py:8",
      ],
    );
  });

  test("no paste step: neutron-server never reads api-paste.ini (FAILS: recipe bug)", () => {
    // wsgi_pecan.pecan_wsgi_server → pecan_app.setup_app: no urlmap, no keystone pipeline, no
    // [app:neutronapiapp_v2_0]. The trace's first step says where the app starts: `server`.
    const e = find(map, "POST", "/v2.0/networks");
    assert.deepEqual(
      [e.trace[0]?.step, e.trace.filter((t) => t.step === "paste").length],
      ["server", 0],
      e.trace.map((t) => `${t.step} ${t.file}:${t.line}`).join("\n"),
    );
  });
});
