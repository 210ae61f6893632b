import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap, Endpoint } from "../../src/model/map.js";
import { fixture } from "../support/paths.js";

// Every expected value below is read off the fixture's source by hand (grep -n), and the route
// table off the real Routes library's resource(): never off apimap's own output.
const C = "cuppa.api.openstack.compute";
const FILE = "cuppa/api/openstack/compute";
const SC = `${C}.servers.Controller`;
const FC = `${C}.flavors.Controller`;
const AA = `${C}.contrib.admin_actions.AdminActionsController`;
const KC = `${C}.contrib.keypairs.KeypairController`;
const DC = `${C}.contrib.server_diagnostics.ServerDiagnosticsController`;
const EC = "cuppa.api.openstack.extensions.ExtensionsController";

/** method, full path, body action, handler:def line (or missing / -). */
const row = (e: Endpoint) => {
  const handler = e.handler
    ? `${e.handler.qualname}:${e.handler.line}`
    : e.missing
      ? "missing"
      : "-";
  const versions = e.versions ? ` ${e.versions.min ?? ""}..${e.versions.max ?? ""}` : "";
  return `${e.method} ${e.path} ${e.action ?? "-"} ${handler}${versions}`;
};

const find = (map: ApiMap, method: string, path: string, action: string | null = null) => {
  const hits = map.endpoints.filter(
    (e) => e.method === method && e.path === path && e.action === action && e.handler !== null,
  );
  assert.ok(hits.length > 0, `no endpoint ${method} ${path} ${action ?? ""}`);
  return hits;
};

/** The routes `mapper.resource()` generates for a controller that has only some methods. */
const resource = (
  base: string,
  cls: string,
  lines: Partial<Record<"index" | "create" | "show" | "update" | "delete", number>>,
) => {
  const at = (action: keyof typeof lines) =>
    lines[action] === undefined ? "missing" : `${cls}.${action}:${lines[action]}`;
  return [
    `GET ${base} - ${at("index")}`,
    `POST ${base} - ${at("create")}`,
    `GET ${base}/new - missing`,
    `GET ${base}/{id} - ${at("show")}`,
    `PUT ${base}/{id} - ${at("update")}`,
    `DELETE ${base}/{id} - ${at("delete")}`,
    `GET ${base}/{id}/edit - missing`,
  ];
};

describe("recipe nova v2 (fixtures/recipes/nova-v2-contrib: osapi_compute_extension contrib)", () => {
  let map: ApiMap;
  before(() => {
    map = analyze([fixture("recipes", "nova-v2-contrib")]);
  });

  test("the /v2 app is the APIRouter behind the keystone pipeline by default", () => {
    assert.deepEqual(
      map.apps.map((a) => [a.mount, a.name, a.recipe, a.factory, a.pipeline.join(" ")]),
      [
        [
          "/v2",
          "cuppa_app_v2",
          "wsgi-router",
          "cuppa.api.openstack.compute:APIRouter.factory",
          "faultwrap authtoken keystonecontext",
        ],
      ],
    );
  });

  test("core routes, then the contrib extensions' resources and actions", () => {
    // Juno–Kilo's ProjectMapper routes resources under `{project_id}/` only (the routes
    // without it came with Mitaka's optional project id).
    const P = "/v2/{project_id}";
    const expected = [
      "* /v2 - -", // mapper.redirect("", "/")
      `GET /v2/ - ${C}.versions.VersionV2.show:7`, // mapper.connect("versions", "/", …)
      // core: mapper.resource("server", "servers", collection={'detail': 'GET'},
      // member={'action': 'POST'})
      ...resource(`${P}/servers`, SC, { index: 15, create: 24, show: 21, update: 29, delete: 33 }),
      `GET ${P}/servers/detail - ${SC}.detail:18`,
      `POST ${P}/servers/{id}/action - -`, // the generic body-dispatched route itself
      `POST ${P}/servers/{id}/action pause ${AA}._pause:17`, // contrib/admin_actions.py
      `POST ${P}/servers/{id}/action reboot ${SC}._action_reboot:38`,
      `POST ${P}/servers/{id}/action unpause ${AA}._unpause:26`,
      // core: mapper.resource("flavor", "flavors", collection={'detail': 'GET'})
      ...resource(`${P}/flavors`, FC, { index: 11, show: 17 }),
      `GET ${P}/flavors/detail - ${FC}.detail:14`,
      // ExtensionManager.get_resources(): ResourceExtension('extensions', ExtensionsController(self))
      ...resource(`${P}/extensions`, EC, { index: 51, create: 67, show: 57, delete: 64 }),
      // contrib/keypairs.py: ResourceExtension('os-keypairs', KeypairController())
      ...resource(`${P}/os-keypairs`, KC, { index: 11, create: 17, show: 14, delete: 22 }),
      // contrib/server_diagnostics.py: a child of servers
      ...resource(`${P}/servers/{server_id}/diagnostics`, DC, { index: 9 }),
    ];
    assert.deepEqual(map.endpoints.map(row).sort(), expected.sort());
    const redirect = map.endpoints.find((e) => e.method === "*" && e.path === "/v2");
    assert.equal(redirect?.redirect, "/v2/");
  });

  test("GET /v2/{project_id}/os-keypairs: a contrib module found by walking the package", () => {
    assert.deepEqual(
      find(map, "GET", "/v2/{project_id}/os-keypairs").map((e) => [
        e.app,
        e.mount,
        e.handler,
        e.versions,
      ]),
      [
        [
          "cuppa_app_v2",
          "/v2",
          { qualname: `${KC}.index`, file: `${FILE}/contrib/keypairs.py`, line: 11 },
          null,
        ],
      ],
    );
  });

  test("POST /v2/{project_id}/servers/{id}/action {pause}: Admin_actions' ControllerExtension", () => {
    assert.deepEqual(
      find(map, "POST", "/v2/{project_id}/servers/{id}/action", "pause").map((e) => [
        e.handler,
        e.versions,
      ]),
      [[{ qualname: `${AA}._pause`, file: `${FILE}/contrib/admin_actions.py`, line: 17 }, null]],
    );
    const reboot = find(map, "POST", "/v2/{project_id}/servers/{id}/action", "reboot");
    assert.deepEqual(
      reboot.map((e) => [e.handler?.file, e.status]),
      [[`${FILE}/servers.py`, 202]],
    );
    const del = find(map, "DELETE", "/v2/{project_id}/servers/{id}");
    assert.deepEqual(
      del.map((e) => [e.handler?.line, e.status]),
      [[33, 204]],
    );
  });

  test("the pause policy is the rule extension_authorizer composes", () => {
    // authorize(context, 'pause') → extension_authorizer('compute', 'admin_actions:pause')
    // → core_authorizer('compute_extension', …) → policy.enforce(context, rule, target)
    const [pause] = find(map, "POST", "/v2/{project_id}/servers/{id}/action", "pause");
    assert.deepEqual(pause?.policies, ["compute_extension:admin_actions:pause"]);
  });

  test("handlers are reported in the file that defines them", () => {
    for (const e of map.endpoints) {
      if (!e.handler) continue;
      const module = e.handler.qualname.split(".").slice(0, -2).join("/");
      assert.equal(e.handler.file, `${module}.py`, row(e));
    }
  });

  test("the trace of an action: paste → core resource → wsgi.Resource → @wsgi.action", () => {
    const [pause] = find(map, "POST", "/v2/{project_id}/servers/{id}/action", "pause");
    // `route`/`mapper` (which call made the route: see the next test) and `dispatch` left out.
    assert.deepEqual(
      pause?.trace
        .filter((t) => !["route", "mapper", "dispatch"].includes(t.step))
        .map((t) => `${t.step} ${t.file}:${t.line}`),
      [
        "paste etc/cuppa/api-paste.ini:7", // /v2: cuppa_api_v2
        "paste etc/cuppa/api-paste.ini:12", // keystone = … (auth_strategy's default)
        "paste etc/cuppa/api-paste.ini:26", // [app:cuppa_app_v2]
        "recipe etc/cuppa/api-paste.ini:26",
        `resource ${FILE}/servers.py:44`, // wsgi.Resource(Controller(ext_mgr))
        `controller ${FILE}/servers.py:44`,
        `action ${FILE}/contrib/admin_actions.py:16`, // @wsgi.action('pause')
        `handler ${FILE}/contrib/admin_actions.py:17`,
      ],
    );
  });

  test("a core route is traced to the router's mapper.resource() call, not ProjectMapper's", () => {
    const [pause] = find(map, "POST", "/v2/{project_id}/servers/{id}/action", "pause");
    const routeSteps = pause?.trace.filter((t) => t.step === "route" || t.step === "mapper");
    assert.deepEqual(
      routeSteps?.map((t) => `${t.step} ${t.file}:${t.line}`),
      [`route ${FILE}/__init__.py:25`], // mapper.resource("server", "servers", …)
    );
  });

  test("an extension route is traced to the ResourceExtension its descriptor returned", () => {
    const [keypairs] = find(map, "GET", "/v2/{project_id}/os-keypairs");
    const steps = keypairs?.trace.map((t) => `${t.step} ${t.file}:${t.line}`) ?? [];
    for (const step of [
      `route ${FILE}/contrib/keypairs.py:37`, // extensions.ResourceExtension('os-keypairs', …)
      "resource cuppa/api/openstack/__init__.py:85", // wsgi.Resource(resource.controller, …)
      `controller ${FILE}/contrib/keypairs.py:37`, // KeypairController()
      `handler ${FILE}/contrib/keypairs.py:11`,
    ]) {
      assert.ok(steps.includes(step), `${step} not in\n${steps.join("\n")}`);
    }
  });

  test("nothing in the fixture is beyond static reach: no warnings", () => {
    assert.deepEqual(
      map.diagnostics
        .filter((d) => d.level !== "info")
        .map((d) => `${d.level} ${d.message} @${d.file}:${d.line}`),
      [],
    );
  });
});
