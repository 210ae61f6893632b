import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { classifyBuiltin, parsePathExpression } from "../../src/paste/composites.js";
import { loadPasteConfig, parsePasteConfig } from "../../src/paste/config.js";
import { resolvePaste } from "../../src/paste/resolve.js";
import type { PasteApp, PasteHooks, PasteResolution } from "../../src/paste/types.js";
import { fixture } from "../support/paths.js";

const resolve = (name: string, hooks: PasteHooks = {}): PasteResolution =>
  resolvePaste(
    loadPasteConfig(fixture("paste", name), { displayFile: `fixtures/paste/${name}` }),
    hooks,
  );
const row = (a: PasteApp) => `${a.mount} ${a.name} ${a.factory.kind}:${a.factory.spec}`;
const app = (r: PasteResolution, name: string, mount: string) => {
  const found = r.apps.find((a) => a.name === name && a.mount === mount);
  assert.ok(found, `${name} at ${mount}`);
  return found;
};
const diag = (r: PasteResolution) => r.diagnostics.map((d) => `${d.level} ${d.line}: ${d.message}`);

describe("resolvePaste: nova-like urlmap + pipeline_factory_v21", () => {
  const r = resolve("nova-api-paste.ini");

  test("roots are the unreferenced composites; no default one is named", () => {
    assert.deepEqual(r.roots, ["metadata", "osapi_compute"]);
    assert.equal(r.defaultRoot, null);
    assert.deepEqual(r.diagnostics, []);
  });

  test("one app per (section, mount); Nova's /v2.1/+ mounts at /v2.1", () => {
    assert.deepEqual(r.apps.map(row), [
      "/ metaapp app:nova.api.metadata.handler:MetadataRequestHandler.factory",
      "/ oscomputeversionapp app:nova.api.openstack.compute.versions:Versions.factory",
      "/v2 oscomputeversionapp_v2 app:nova.api.openstack.compute.versions:VersionsV2.factory",
      "/v2.1 oscomputeversionapp_v2 app:nova.api.openstack.compute.versions:VersionsV2.factory",
      "/v2 osapi_compute_app_v21 app:nova.api.openstack.compute:APIRouterV21.factory",
      "/v2.1 osapi_compute_app_v21 app:nova.api.openstack.compute:APIRouterV21.factory",
    ]);
  });

  test("the keystone pipeline is the default chain; noauth2 is listed too", () => {
    const v21 = app(r, "osapi_compute_app_v21", "/v2.1");
    const keystone =
      "cors http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit osprofiler authtoken keystonecontext";
    assert.equal(v21.pipeline.join(" "), keystone);
    assert.deepEqual(
      v21.pipelines.map((p) => `${p.root} ${p.name} ${p.default} | ${p.filters.join(" ")}`),
      [
        `osapi_compute keystone true | ${keystone}`,
        "osapi_compute noauth2 false | cors http_proxy_to_wsgi compute_req_id faultwrap request_log sizelimit osprofiler noauth2",
      ],
    );
    assert.deepEqual(v21.factory, {
      kind: "app",
      spec: "nova.api.openstack.compute:APIRouterV21.factory",
      module: "nova.api.openstack.compute",
      attr: "APIRouterV21.factory",
    });
    assert.deepEqual(v21.source, { file: "fixtures/paste/nova-api-paste.ini", line: 63 });
    assert.deepEqual(v21.via, [
      {
        detail: "composite osapi_compute urlmap /v2.1/+ → openstack_compute_api_v21",
        file: "fixtures/paste/nova-api-paste.ini",
        line: 26,
      },
      {
        detail: `composite openstack_compute_api_v21 pipeline keystone: ${keystone} → osapi_compute_app_v21`,
        file: "fixtures/paste/nova-api-paste.ini",
        line: 30,
      },
    ]);
    assert.equal(app(r, "osapi_compute_app_v21", "/v2").pipeline.at(-1), "legacy_v2_compatible");
  });

  test("plain pipelines are named after their section", () => {
    const versions = app(r, "oscomputeversionapp_v2", "/v2.1");
    assert.deepEqual(
      versions.pipelines.map((p) => [p.name, p.default]),
      [["oscomputeversion_v2", true]],
    );
    assert.deepEqual(app(r, "metaapp", "/").pipeline, ["cors", "http_proxy_to_wsgi"]);
  });

  test("filters on some chain, with their factories and local settings", () => {
    const cors = r.filters.find((f) => f.name === "cors");
    assert.deepEqual(cors, {
      name: "cors",
      factory: {
        kind: "filter",
        spec: "oslo_middleware.cors:filter_factory",
        module: "oslo_middleware.cors",
        attr: "filter_factory",
      },
      localConf: { oslo_config_project: "nova" },
      source: { file: "fixtures/paste/nova-api-paste.ini", line: 85 },
    });
    assert.deepEqual(
      r.filters.map((f) => f.name),
      [
        "cors",
        "http_proxy_to_wsgi",
        "faultwrap",
        "request_log",
        "compute_req_id",
        "legacy_v2_compatible",
        "sizelimit",
        "osprofiler",
        "authtoken",
        "keystonecontext",
        "noauth2",
      ],
    );
  });

  test("defaultRoots picks the service whose chains are the default ones", () => {
    const osapi = resolve("nova-api-paste.ini", { defaultRoots: ["nope", "osapi_compute"] });
    assert.equal(osapi.defaultRoot, "osapi_compute");
    assert.equal(osapi.apps[0]?.name, "oscomputeversionapp");
    assert.deepEqual(
      app(osapi, "metaapp", "/").pipelines.map((p) => p.default),
      [false],
    );
  });
});

describe("resolvePaste: glance-like pipelines around a composite_factory rootapp", () => {
  const r = resolve("glance-api-paste.ini");

  test("every pipeline is a root; glance-api (named like the file) is the default", () => {
    assert.deepEqual(r.roots, ["glance-api", "glance-api-caching", "glance-api-keystone"]);
    assert.equal(r.defaultRoot, "glance-api");
    assert.deepEqual(r.diagnostics, []);
  });

  test("glance.api:root_app_factory is a urlmap: / and /v2", () => {
    assert.deepEqual(r.apps.map(row), [
      "/ apiversions app:glance.api.versions:create_resource",
      "/v2 apiv2app app:glance.api.v2.router:API.factory",
    ]);
  });

  test("each root's chain is listed; the default root's is the app's pipeline", () => {
    const v2 = app(r, "apiv2app", "/v2");
    assert.deepEqual(v2.pipeline, [
      "cors",
      "healthcheck",
      "http_proxy_to_wsgi",
      "versionnegotiation",
      "osprofiler",
      "unauthenticated-context",
    ]);
    assert.deepEqual(
      v2.pipelines.map((p) => `${p.name} ${p.default} ${p.filters.slice(5).join(" ")}`),
      [
        "glance-api true unauthenticated-context",
        "glance-api-caching false unauthenticated-context cache",
        "glance-api-keystone false authtoken context",
      ],
    );
    assert.deepEqual(
      v2.via.map((s) => `${s.line} ${s.detail}`),
      [
        "3 pipeline glance-api: cors healthcheck http_proxy_to_wsgi versionnegotiation osprofiler unauthenticated-context → rootapp",
        "16 composite rootapp urlmap /v2 → apiv2app",
      ],
    );
  });

  test("a default root from hooks changes which chain is preferred", () => {
    const keystone = resolve("glance-api-paste.ini", { defaultRoots: ["glance-api-keystone"] });
    const v2 = app(keystone, "apiv2app", "/v2");
    assert.equal(v2.pipelines[0]?.name, "glance-api-keystone");
    assert.ok(v2.pipeline.includes("authtoken"));
    assert.equal(v2.via[0]?.line, 11);
  });

  test("a hook can say what a composite factory does", () => {
    const opaque = resolve("glance-api-paste.ini", {
      classifyComposite: (f) =>
        f.spec === "glance.api:root_app_factory" ? { kind: "app" } : undefined,
    });
    assert.deepEqual(opaque.apps.map(row), ["/ rootapp composite:glance.api:root_app_factory"]);
    // Its settings are not followed, so apiversions and apiv2app are neither apps nor roots.
    assert.deepEqual(opaque.apps[0]?.localConf, { "/": "apiversions", "/v2": "apiv2app" });
    assert.deepEqual(opaque.roots, ["glance-api", "glance-api-caching", "glance-api-keystone"]);
  });
});

describe("resolvePaste: neutron-like call: pipeline factory with an extensions filter", () => {
  const r = resolve("neutron-api-paste.ini");

  test("apps, mounts and the keystone chain", () => {
    assert.deepEqual(r.roots, ["neutron"]);
    assert.deepEqual(r.apps.map(row), [
      "/ neutronversions app:neutron.pecan_wsgi.app:versions_factory",
      "/healthcheck healthcheck app:oslo_middleware:Healthcheck.app_factory",
      "/v2.0 neutronapiapp_v2_0 app:neutron.api.v2.router:APIRouter.factory",
    ]);
    const api = app(r, "neutronapiapp_v2_0", "/v2.0");
    assert.deepEqual(
      api.pipelines.map((p) => `${p.name} ${p.default} ${p.filters.at(-1)}`),
      ["keystone true extensions", "noauth false extensions"],
    );
    assert.deepEqual(api.via.at(-1), {
      detail:
        "composite neutronapi_v2_0 pipeline keystone: cors http_proxy_to_wsgi request_id catch_errors osprofiler authtoken keystonecontext extensions → neutronapiapp_v2_0",
      file: "fixtures/paste/neutron-api-paste.ini",
      line: 10,
    });
  });

  test("the extensions filter factory is reported (it adds routes in Neutron)", () => {
    const ext = r.filters.find((f) => f.name === "extensions");
    assert.equal(
      ext?.factory.spec,
      "neutron.api.extensions:plugin_aware_extension_middleware_factory",
    );
    assert.equal(ext?.factory.attr, "plugin_aware_extension_middleware_factory");
  });

  test("an app and a filter may share a name: app:healthcheck is looked up as an app", () => {
    const hc = app(r, "healthcheck", "/healthcheck");
    assert.deepEqual(hc.localConf, {
      backends: "disable_by_file",
      disable_by_file_path: "/var/lib/neutron/healthcheck_disable",
    });
    assert.deepEqual(hc.pipelines, [
      { name: "neutron", filters: [], default: true, root: "neutron" },
    ]);
  });
});

describe("resolvePaste: features (DEFAULT, %(here)s, continuation, use, filter-app, config:)", () => {
  const r = resolve("features.ini");

  test("root main is the default; not_found_app is reached too", () => {
    assert.deepEqual(r.roots, ["main"]);
    assert.equal(r.defaultRoot, "main");
    assert.deepEqual(r.apps.map(row), [
      "/ versions app:kettle.api.versions:Versions.factory",
      "/v1 kettleapi_v1 app:kettle.api.v1.router:APIRouter.factory",
      "/admin admin_app app:kettle.api.admin:AdminApp.factory",
      "/ notfound call:kettle.api.errors:not_found_factory",
    ]);
    assert.deepEqual(r.diagnostics, []);
  });

  test("local_conf: own settings, minus [DEFAULT] ones, continuation joined", () => {
    assert.deepEqual(app(r, "versions", "/").localConf, { allowed_versions: "\nv1\n\nv1.1" });
  });

  test("use = another section: its settings under ours, interpolated; get reads [DEFAULT]", () => {
    const v1 = app(r, "kettleapi_v1", "/v1");
    assert.deepEqual(v1.localConf, {
      policy_file: "fixtures/paste/state/policy.yaml",
      quota: "100%",
      log_debug: "false",
    });
    assert.deepEqual(v1.source, { file: "fixtures/paste/features.ini", line: 32 });
    assert.deepEqual(v1.pipeline, ["egg:Paste#cgitb", "request_id", "authtoken"]);
    assert.deepEqual(
      v1.via.map((s) => `${s.line} ${s.detail}`),
      [
        "11 composite main urlmap /v1 → kettle_v1",
        "27 pipeline kettle_v1: egg:Paste#cgitb request_id authtoken → kettleapi_v1",
        "33 app kettleapi_v1 use = kettleapi_base",
      ],
    );
  });

  test("filter-app and filter-with wrap the app; config: borrows from another file", () => {
    const admin = app(r, "admin_app", "/admin");
    assert.deepEqual(admin.pipeline, ["admin", "audit"]);
    assert.deepEqual(admin.localConf, { admin_root: "fixtures/paste/admin" });
    assert.deepEqual(
      admin.via.map((s) => `${s.file}:${s.line} ${s.detail}`),
      [
        "fixtures/paste/features.ini:12 composite main urlmap /admin/ → admin",
        "fixtures/paste/features.ini:44 filter-app admin: admin → admin_app",
        "fixtures/paste/features.ini:49 app admin_app filter-with = audit",
        "fixtures/paste/features.ini:48 app admin_app use = config:shared.ini#admin",
      ],
    );
  });

  test("filters from egg:, use = egg:, explicit factories, filter-app and config:", () => {
    // A filter's source is the section the pipeline names, even when it borrows its factory.
    assert.deepEqual(
      r.filters.map(
        (f) =>
          `${f.name} ${f.factory.kind}:${f.factory.spec} ${f.source.file}:${f.source.line} ${JSON.stringify(f.localConf)}`,
      ),
      [
        "egg:Paste#cgitb egg:Paste#cgitb fixtures/paste/features.ini:27 {}",
        "request_id egg:oslo.middleware#request_id fixtures/paste/features.ini:54 {}",
        'authtoken filter:keystonemiddleware.auth_token:filter_factory fixtures/paste/features.ini:57 {"signing_dir":"fixtures/paste/keystone-signing"}',
        'admin egg:PasteDeploy#prefix fixtures/paste/features.ini:42 {"prefix":"/admin"}',
        "audit filter:kettle.api.audit:AuditMiddleware.factory fixtures/paste/features.ini:61 {}",
      ],
    );
  });
});

describe("resolvePaste: mistakes are diagnostics, the rest still resolves", () => {
  const r = resolve("missing-section.ini");

  test("what could be resolved is", () => {
    assert.deepEqual(r.roots, ["main", "orphan"]);
    assert.deepEqual(r.apps.map(row), [
      "/ versionsapp app:kettle.api.versions:Versions.factory",
      "/v1 apiapp app:kettle.api.v1.router:APIRouter.factory",
      "/v4 custom composite:kettle.api:custom_factory",
    ]);
    assert.deepEqual(app(r, "versionsapp", "/").pipeline, ["missing_filter"]);
  });

  test("missing sections, unknown schemes, cycles and unknown composites, with lines", () => {
    assert.deepEqual(diag(r), [
      'warning 10: [composite:main] urlmap key "extra_setting" is not a URL path; ignored',
      "info 34: [composite:custom] composite factory kettle.api:custom_factory is not understood; listed as one application, its settings not followed",
      'error 39: [app:weird] use = svn:kettle#trunk: unknown scheme "svn:"',
      'error 41: [app:orphan] names no factory: no "use" or "paste.app_factory"',
      'error 13: [pipeline:versions] refers to "missing_filter", but no [filter:] section has that name',
      'error 6: [composite:main] refers to "nowhere", but no [app:], [composite:], [pipeline:] or [filter-app:] section has that name',
      "error 32: cycle: [pipeline:loop_a] → [composite:loop_b] → [pipeline:loop_a]",
    ]);
    assert.ok(r.diagnostics.every((d) => d.file === "fixtures/paste/missing-section.ini"));
  });
});

describe("urlmap keys and built-in composite knowledge", () => {
  test("parsePathExpression follows paste.urlmap, plus Nova's /+", () => {
    assert.equal(parsePathExpression("/"), "");
    assert.equal(parsePathExpression("/v2.1/"), "/v2.1");
    assert.equal(parsePathExpression("//v2//x"), "/v2/x");
    assert.equal(parsePathExpression("/v2.1/+"), "/v2.1");
    assert.equal(parsePathExpression("domain example.com port 80 /v1"), "/v1");
    assert.equal(parsePathExpression("not_found_app"), null);
    assert.equal(parsePathExpression("/a /b"), null);
  });

  test("classifyBuiltin knows Paste's urlmap and OpenStack's factory names", () => {
    const spec = (kind: "egg" | "call" | "composite" | "app", s: string) => {
      const [module, attr] = s.split(":");
      return {
        kind,
        spec: s,
        module: kind === "egg" ? null : (module ?? null),
        attr: attr ?? null,
      };
    };
    assert.deepEqual(classifyBuiltin(spec("egg", "Paste#urlmap")), { kind: "urlmap" });
    assert.equal(classifyBuiltin(spec("egg", "Paste#cgitb")), null);
    assert.deepEqual(classifyBuiltin(spec("call", "nova.api.openstack.urlmap:urlmap_factory")), {
      kind: "urlmap",
    });
    assert.deepEqual(classifyBuiltin(spec("composite", "cinder.api:root_app_factory")), {
      kind: "urlmap",
    });
    assert.deepEqual(classifyBuiltin(spec("call", "nova.api.auth:pipeline_factory_v21")), {
      kind: "pipelines",
      default: "keystone",
    });
    assert.equal(classifyBuiltin(spec("app", "x.y:urlmap_factory")), null);
    assert.equal(classifyBuiltin(spec("composite", "kettle.api:custom_factory")), null);
  });
});

describe("resolvePaste: smaller mistakes", () => {
  const text = [
    "[composite:main]",
    "use = call:kettle.auth:pipeline_factory",
    "noauth = a apiapp",
    "",
    "[app:apiapp]",
    "paste.app_factory = kettle.api:App.factory",
    "bad = %(nope)s",
    "",
    "[filter:a]",
    "paste.filter_factory = kettle.api:Filter.factory",
    "",
    "[app:selfish]",
    "use = selfish",
    "",
    "[app:elsewhere]",
    "use = config:no-such.ini#x",
  ].join("\n");
  const r = resolvePaste(
    parsePasteConfig(text, fixture("paste", "inline.ini"), { displayFile: "inline.ini" }),
  );

  test("each is reported where it is written", () => {
    assert.deepEqual(diag(r), [
      'warning 1: [composite:main] has no "keystone" pipeline, the one chosen by default',
      'warning 7: [app:apiapp] bad: %(nope)s: no option named "nope"; value kept as written',
      "error 13: [app:selfish] use = selfish: refers back to itself",
      "error 16: config:no-such.ini#x: no-such.ini: cannot read paste file (ENOENT)",
    ]);
  });

  test("a chooser without its default pipeline still lists the others, none default", () => {
    assert.deepEqual(r.roots, ["main", "selfish", "elsewhere"]);
    const api = app(r, "apiapp", "/");
    assert.deepEqual(api.pipelines, [
      { name: "noauth", filters: ["a"], default: false, root: "main" },
    ]);
    assert.deepEqual(api.pipeline, ["a"]);
    assert.deepEqual(api.localConf, { bad: "%(nope)s" });
  });
});
