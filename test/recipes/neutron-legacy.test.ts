import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap, Endpoint } from "../../src/model/map.js";
import { fixture } from "../support/paths.js";

// Every expected value below is read off the fixture's source by hand (grep -n), and the route
// table off the real Routes library's collection()/resource()/submapper(): never off apimap's
// own output.
const APP = "neutronapiapp_v2_0";
const BC = "neutron.api.v2.base.Controller";
const EC = "neutron.api.extensions.ExtensionController";
const QC = "neutron.extensions.quotasv2.QuotaSetsController";
const ML2 = "neutron.plugins.ml2.plugin.Ml2Plugin";
const DB = "neutron.db.db_base_plugin_v2.NeutronDbPluginV2";
const SG = "neutron.db.securitygroups_db.SecurityGroupDbMixin";
const L3DB = "neutron.db.l3_db.L3_NAT_db_mixin";
const L3P = "neutron.services.l3_router.l3_router_plugin.L3RouterPlugin";
const CORE = { class: ML2, type: "CORE" };
const L3 = { class: L3P, type: "L3_ROUTER_NAT" };

/** method, full path, handler:def line (or missing / -), → plugin method:def line. */
const row = (e: Endpoint) => {
  const handler = e.handler ? `${e.handler.qualname}:${e.handler.line}` : "-";
  const impl = e.implementation ? ` → ${e.implementation.qualname}:${e.implementation.line}` : "";
  return `${e.method} ${e.path} ${handler}${impl}${e.missing ? " missing" : ""}`;
};

const find = (map: ApiMap, method: string, path: string) => {
  const hits = map.endpoints.filter((e) => e.method === method && e.path === path);
  assert.equal(hits.length, 1, `${hits.length} endpoints ${method} ${path}`);
  return hits[0] as Endpoint;
};

const steps = (e: Endpoint) => e.trace.map((t) => `${t.step} ${t.file}:${t.line}`);

/** base.Controller's generic routes: handler line and plugin method (or null) per action. */
const generic = (
  base: string,
  impl: Record<"list" | "show" | "create" | "update" | "delete", string | null>,
  routes: "collection" | "resource" | "resource sharing member_actions",
) => {
  const at = (method: string, path: string, action: string, line: number, target: string | null) =>
    `${method} ${path} ${BC}.${action}:${line}${target ? ` → ${target}` : " missing"}`;
  const rows = [
    at("GET", base, "index", 77, impl.list),
    at("POST", base, "create", 84, impl.create),
    at("GET", `${base}/{id}`, "show", 80, impl.show),
    at("PUT", `${base}/{id}`, "update", 90, impl.update),
    at("DELETE", `${base}/{id}`, "delete", 94, impl.delete),
  ];
  // mapper.resource() (the extensions filter) also routes `new` and `edit`, which
  // base.Controller has no method for; mapper.collection() (the APIRouter) does not. It also
  // writes `edit: GET` into the member dict it is given: a controller built with that same
  // dict (resource_helper passes it to both) then answers `edit` through __getattr__, and the
  // plugin has no `edit`.
  if (routes === "resource")
    rows.push(`GET ${base}/new - missing`, `GET ${base}/{id}/edit - missing`);
  if (routes === "resource sharing member_actions")
    rows.push(
      `GET ${base}/new - missing`,
      `GET ${base}/{id}/edit ${BC}.__getattr__.<locals>._handle_action:53 missing`,
    );
  return rows;
};

describe("recipe neutron, Juno–Ocata (fixtures/recipes/neutron-legacy: APIRouter + extensions filter)", () => {
  let map: ApiMap;
  before(() => {
    map = analyze([fixture("recipes", "neutron-legacy")], { servicePlugins: ["router"] });
  });

  test("the /v2.0 app is the APIRouter behind the keystone pipeline, with the extensions filter", () => {
    assert.deepEqual(
      map.apps.map((a) => [a.mount, a.name, a.recipe, a.factory, a.pipeline.join(" ")]),
      [
        ["/", "neutronversions", "wsgi-app", "neutron.api.versions:Versions.factory", ""],
        [
          "/v2.0",
          APP,
          "neutron",
          "neutron.api.v2.router:APIRouter.factory",
          "request_id catch_errors authtoken keystonecontext extensions",
        ],
      ],
    );
    assert.deepEqual(map.project.name, "neutron");
    assert.deepEqual(map.project.version, "2014.2");
  });

  test("core collections, then every loaded extension's resources, each to its plugin method", () => {
    const expected = [
      // APIRouter: mapper.connect('index', '/', controller=Index(RESOURCES)), any method
      `* /v2.0/ neutron.api.v2.router.Index.__call__:30`,
      // APIRouter: mapper.collection() for each of RESOURCES, on the core plugin
      ...generic(
        "/v2.0/networks",
        {
          list: `${ML2}.get_networks:33`, // Ml2Plugin overrides these two
          create: `${ML2}.create_network:28`,
          show: `${DB}.get_network:27`,
          update: `${DB}.update_network:23`,
          delete: `${DB}.delete_network:33`,
        },
        "collection",
      ),
      ...generic(
        "/v2.0/subnets",
        {
          list: `${DB}.get_subnets:48`,
          create: `${DB}.create_subnet:36`,
          show: `${DB}.get_subnet:45`,
          update: `${DB}.update_subnet:41`,
          delete: `${DB}.delete_subnet:51`,
        },
        "collection",
      ),
      ...generic(
        "/v2.0/ports",
        {
          list: `${DB}.get_ports:66`,
          create: `${DB}.create_port:54`,
          show: `${DB}.get_port:63`,
          update: `${DB}.update_port:59`,
          delete: `${DB}.delete_port:69`,
        },
        "collection",
      ),
      // ExtensionManager.get_resources(): ResourceExtension('extensions', ExtensionController(self))
      `GET /v2.0/extensions ${EC}.index:64`,
      `POST /v2.0/extensions ${EC}.create:77`,
      "GET /v2.0/extensions/new - missing",
      `GET /v2.0/extensions/{id} ${EC}.show:68`,
      "PUT /v2.0/extensions/{id} - missing",
      `DELETE /v2.0/extensions/{id} ${EC}.delete:74`,
      "GET /v2.0/extensions/{id}/edit - missing",
      // l3.py (alias router, on L3RouterPlugin): resource_helper.build_resource_info
      ...generic(
        "/v2.0/routers",
        {
          list: `${L3DB}.get_routers:18`,
          create: `${L3DB}.create_router:9`,
          show: `${L3DB}.get_router:15`,
          update: `${L3DB}.update_router:12`,
          delete: `${L3DB}.delete_router:21`,
        },
        "resource sharing member_actions",
      ),
      // member actions: base.Controller.__getattr__ returns its _handle_action closure (def at
      // line 53), which calls the plugin method
      `PUT /v2.0/routers/{id}/add_router_interface ${BC}.__getattr__.<locals>._handle_action:53 → ${L3DB}.add_router_interface:24`,
      `PUT /v2.0/routers/{id}/remove_router_interface ${BC}.__getattr__.<locals>._handle_action:53 → ${L3DB}.remove_router_interface:27`,
      ...generic(
        "/v2.0/floatingips",
        {
          list: `${L3DB}.get_floatingips:39`,
          create: `${L3P}.create_floatingip:20`, // the service plugin overrides the mixin
          show: `${L3DB}.get_floatingip:36`,
          update: `${L3DB}.update_floatingip:33`,
          delete: `${L3DB}.delete_floatingip:42`,
        },
        "resource sharing member_actions",
      ),
      // quotasv2.py (alias quotas, on Ml2Plugin): its own controller, collection action tenant
      `GET /v2.0/quotas ${QC}.index:30`,
      `POST /v2.0/quotas ${QC}.create:27`,
      "GET /v2.0/quotas/new - missing",
      `GET /v2.0/quotas/tenant ${QC}.tenant:34`,
      `GET /v2.0/quotas/{id} ${QC}.show:38`,
      `PUT /v2.0/quotas/{id} ${QC}.update:43`,
      `DELETE /v2.0/quotas/{id} ${QC}.delete:47`,
      "GET /v2.0/quotas/{id}/edit - missing",
      // securitygroup.py (alias security-group, on Ml2Plugin through SecurityGroupDbMixin)
      ...generic(
        "/v2.0/security-groups",
        {
          list: `${SG}.get_security_groups:18`,
          create: `${SG}.create_security_group:9`,
          show: `${SG}.get_security_group:15`,
          update: `${SG}.update_security_group:12`,
          delete: `${SG}.delete_security_group:21`,
        },
        "resource",
      ),
      ...generic(
        "/v2.0/security-group-rules",
        {
          list: `${SG}.get_security_group_rules:31`,
          create: `${SG}.create_security_group_rule:25`,
          show: `${SG}.get_security_group_rule:28`,
          update: null, // rules are never updated: no update_security_group_rule anywhere
          delete: `${SG}.delete_security_group_rule:34`,
        },
        "resource",
      ),
    ];
    assert.deepEqual(
      map.endpoints
        .filter((e) => e.app === APP)
        .map(row)
        .sort(),
      expected.sort(),
    );
  });

  test("POST /v2.0/networks: base.Controller.create → Ml2Plugin.create_network", () => {
    const e = find(map, "POST", "/v2.0/networks");
    assert.deepEqual(
      [e.app, e.mount, e.handler, e.implementation, e.plugin, e.missing],
      [
        APP,
        "/v2.0",
        { qualname: `${BC}.create`, file: "neutron/api/v2/base.py", line: 84 },
        { qualname: `${ML2}.create_network`, file: "neutron/plugins/ml2/plugin.py", line: 28 },
        CORE,
        undefined,
      ],
    );
  });

  test("GET /v2.0/subnets: Ml2Plugin inherits get_subnets from NeutronDbPluginV2, not the abstract base", () => {
    const e = find(map, "GET", "/v2.0/subnets");
    assert.deepEqual(
      [e.handler?.qualname, e.implementation, e.plugin],
      [
        `${BC}.index`,
        { qualname: `${DB}.get_subnets`, file: "neutron/db/db_base_plugin_v2.py", line: 48 },
        CORE,
      ],
    );
  });

  test("GET /v2.0/security-groups: the core plugin's security group mixin", () => {
    const e = find(map, "GET", "/v2.0/security-groups");
    assert.deepEqual(
      [e.handler?.qualname, e.implementation, e.plugin],
      [
        `${BC}.index`,
        {
          qualname: `${SG}.get_security_groups`,
          file: "neutron/db/securitygroups_db.py",
          line: 18,
        },
        CORE,
      ],
    );
    const rule = find(map, "PUT", "/v2.0/security-group-rules/{id}");
    assert.deepEqual(
      [rule.handler?.qualname, rule.implementation, rule.plugin, rule.missing],
      [`${BC}.update`, null, CORE, true],
    );
  });

  test("routers and add_router_interface: the L3 service plugin's db mixin, type L3_ROUTER_NAT", () => {
    for (const [method, path, name, line] of [
      ["GET", "/v2.0/routers", "get_routers", 18],
      ["POST", "/v2.0/routers", "create_router", 9],
      ["GET", "/v2.0/routers/{id}", "get_router", 15],
      ["PUT", "/v2.0/routers/{id}", "update_router", 12],
      ["DELETE", "/v2.0/routers/{id}", "delete_router", 21],
      ["PUT", "/v2.0/routers/{id}/add_router_interface", "add_router_interface", 24],
      ["PUT", "/v2.0/routers/{id}/remove_router_interface", "remove_router_interface", 27],
    ] as const) {
      const e = find(map, method, path);
      assert.deepEqual(
        [e.implementation, e.plugin, e.missing],
        [{ qualname: `${L3DB}.${name}`, file: "neutron/db/l3_db.py", line }, L3, undefined],
        `${method} ${path}`,
      );
    }
    const add = find(map, "PUT", "/v2.0/routers/{id}/add_router_interface");
    assert.deepEqual(add.handler, {
      qualname: `${BC}.__getattr__.<locals>._handle_action`,
      file: "neutron/api/v2/base.py",
      line: 53,
    });
  });

  test("GET /v2.0/extensions: ExtensionController.index", () => {
    const e = find(map, "GET", "/v2.0/extensions");
    assert.deepEqual(
      [e.handler, e.implementation, e.plugin],
      [{ qualname: `${EC}.index`, file: "neutron/api/extensions.py", line: 64 }, null, undefined],
    );
  });

  test("unsupported, disabled and '_' extensions are not served", () => {
    const paths = map.endpoints.map((e) => e.path);
    // agent.py: no plugin supports 'agent'; metering.py: only the metering plugin, not enabled;
    // _template.py: skipped for its name, though its alias is supported.
    for (const prefix of ["/v2.0/agents", "/v2.0/metering", "/v2.0/templates"]) {
      assert.deepEqual(
        paths.filter((p) => p.startsWith(prefix)),
        [],
        prefix,
      );
    }
    assert.ok(!map.endpoints.some((e) => e.implementation?.qualname.includes("MeteringPlugin")));
    const infos = map.diagnostics.filter((d) => d.level === "info").map((d) => d.message);
    assert.ok(
      infos.includes("neutron plugins (flags): core ml2; service router"),
      infos.join("\n"),
    );
    assert.ok(
      infos.includes(
        "neutron: 2 extensions are not supported by the loaded plugins and are not served: agent, metering",
      ),
      infos.join("\n"),
    );
  });

  test("the trace of POST /v2.0/networks: paste → router → controller → plugin entry point → method", () => {
    const e = find(map, "POST", "/v2.0/networks");
    const s = steps(e);
    for (const step of [
      "paste etc/api-paste.ini:4", // urlmap /v2.0: neutronapi_v2_0
      "paste etc/api-paste.ini:9", // keystone = … (auth_strategy's default)
      "paste etc/api-paste.ini:29", // [app:neutronapiapp_v2_0]
      "route neutron/api/v2/router.py:68", // mapper.collection(collection, resource, …)
      "handler neutron/api/v2/base.py:84", // Controller.create
      "plugin setup.cfg:14", // ml2 = neutron.plugins.ml2.plugin:Ml2Plugin
      "implementation neutron/plugins/ml2/plugin.py:28", // Ml2Plugin.create_network
    ]) {
      assert.ok(s.includes(step), `${step} not in\n${s.join("\n")}`);
    }
    assert.deepEqual(
      e.trace.slice(-3).map((t) => t.step),
      ["handler", "plugin", "implementation"],
    );
    // The core routes are the APIRouter's, not the extensions filter's.
    assert.ok(!e.trace.some((t) => t.step === "filter"), s.join("\n"));
  });

  test("the trace of add_router_interface: the extensions filter, resource_helper's ResourceExtension", () => {
    const e = find(map, "PUT", "/v2.0/routers/{id}/add_router_interface");
    const s = steps(e);
    for (const step of [
      "filter etc/api-paste.ini:23", // [filter:extensions]
      "route neutron/api/v2/resource_helper.py:44", // extensions.ResourceExtension(collection_name, …)
      "mapper neutron/api/extensions.py:140", // ExtensionMiddleware: mapper.resource(…)
      "plugin setup.cfg:16", // router = …l3_router_plugin:L3RouterPlugin
      "implementation neutron/db/l3_db.py:24", // L3_NAT_db_mixin.add_router_interface
    ]) {
      assert.ok(s.includes(step), `${step} not in\n${s.join("\n")}`);
    }
  });

  test("handlers and plugin methods are reported in the file that defines them", () => {
    for (const e of map.endpoints) {
      for (const ref of [e.handler, e.implementation]) {
        if (!ref) continue;
        // Python's qualname of a closure: Class.method.<locals>.name.
        const outer = ref.qualname.split(".<locals>.")[0] as string;
        const module = outer.split(".").slice(0, -2).join("/");
        assert.equal(ref.file, `${module}.py`, row(e));
      }
    }
  });

  test("the versions app is one endpoint answered by Versions.__call__", () => {
    assert.deepEqual(map.endpoints.filter((e) => e.app === "neutronversions").map(row), [
      "* / neutron.api.versions.Versions.__call__:17",
    ]);
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

describe("recipe neutron, Juno–Ocata, default plugins (no service plugins)", () => {
  let map: ApiMap;
  before(() => {
    map = analyze([fixture("recipes", "neutron-legacy")]);
  });

  test("no L3 resources: the router extension is not supported by the core plugin alone", () => {
    const paths = map.endpoints.map((e) => e.path);
    assert.deepEqual(
      paths.filter((p) => p.startsWith("/v2.0/routers") || p.startsWith("/v2.0/floatingips")),
      [],
    );
    assert.ok(!map.endpoints.some((e) => e.plugin?.type === "L3_ROUTER_NAT"));
    const infos = map.diagnostics.filter((d) => d.level === "info").map((d) => d.message);
    assert.ok(
      infos.includes("neutron plugins (defaults): core ml2; service none"),
      infos.join("\n"),
    );
    const unsupported = infos.find((m) =>
      m.startsWith("neutron: 3 extensions are not supported by the loaded plugins"),
    );
    assert.ok(unsupported, infos.join("\n"));
    assert.deepEqual(unsupported.split(": ").at(-1)?.split(", "), ["agent", "metering", "router"]);
  });

  test("the core plugin's resources are unchanged", () => {
    assert.deepEqual(
      find(map, "POST", "/v2.0/networks").implementation?.qualname,
      `${ML2}.create_network`,
    );
    assert.deepEqual(find(map, "GET", "/v2.0/security-groups").plugin, CORE);
    assert.deepEqual(find(map, "GET", "/v2.0/extensions").handler?.qualname, `${EC}.index`);
  });

  test("no warnings", () => {
    assert.deepEqual(
      map.diagnostics
        .filter((d) => d.level !== "info")
        .map((d) => `${d.level} ${d.message} @${d.file}:${d.line}`),
      [],
    );
  });
});
