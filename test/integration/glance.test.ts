import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap } from "../../src/model/map.js";
import { debianTree } from "../support/debian.js";
import { repoPath, runPython } from "../support/paths.js";

interface LiveRoute {
  path: string;
  methods: string[] | null;
  action: string | null;
  redirect: boolean;
  handler: { qualname: string; file: string; line: number } | null;
}

/**
 * Glance from Debian's python3-glance + glance-common, against the live router of the
 * installed python3-glance (same version), dumped by scripts/probes/glance_router.py.
 */
describe("glance (Debian python3-glance, Zed)", () => {
  let map: ApiMap;
  let live: LiveRoute[];

  before(() => {
    const tree = debianTree("glance", ["python3-glance", "glance-common"]);
    map = analyze([tree]);
    live = JSON.parse(runPython([repoPath("scripts", "probes", "glance_router.py")]));
  });

  test("finds the project and both apps under the paste file's mounts", () => {
    assert.equal(map.project.name, "glance");
    assert.match(map.project.version ?? "", /^25\./);
    const apps = map.apps.map((a) => `${a.mount} ${a.name} ${a.recipe}`);
    assert.deepEqual(apps, ["/ apiversions wsgi-app", "/v2 apiv2app wsgi-router"]);
    const v2 = map.apps.find((a) => a.name === "apiv2app");
    assert.deepEqual(v2?.pipeline, [
      "cors",
      "healthcheck",
      "http_proxy_to_wsgi",
      "versionnegotiation",
      "osprofiler",
      "unauthenticated-context",
    ]);
    assert.ok(
      v2?.pipelines.some(
        (p) => p.name === "glance-api-keystone" && p.filters.includes("authtoken"),
      ),
    );
  });

  test("every live v2 route is mapped to the same handler, and nothing else is", () => {
    assert.ok(live.length > 100, `the live router has ${live.length} routes`);
    // Glance spells every parameter {name}; the comparison key uses the routepath as the live router has it.
    for (const r of live) assert.doesNotMatch(r.path, /:/);
    const expected = live
      .flatMap((r) =>
        (r.methods ?? ["*"]).map((m) => {
          const h = r.handler ? `${r.handler.qualname} ${r.handler.file}:${r.handler.line}` : "-";
          return `${m} /v2${r.path} ${h}`;
        }),
      )
      .sort();
    const actual = map.endpoints
      .filter((e) => e.app === "apiv2app")
      .map((e) => {
        const h = e.handler ? `${e.handler.qualname} ${e.handler.file}:${e.handler.line}` : "-";
        return `${e.method} /v2${e.routePath} ${h}`;
      })
      .sort();
    const missing = expected.filter((x) => !actual.includes(x));
    const extra = actual.filter((x) => !expected.includes(x));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    assert.equal(actual.length, expected.length);
  });

  test("405 responders are listed and marked as rejecting", () => {
    const rejects = map.endpoints.filter((e) => e.rejects);
    assert.equal(rejects.length, live.filter((r) => r.action === "reject").length);
    const images = rejects.find((e) => e.path === "/v2/images");
    assert.equal(images?.method, "*");
    assert.deepEqual(images?.allowedMethods, ["GET", "POST"]);
    assert.equal(images?.handler?.qualname, "glance.common.wsgi.RejectMethodController.reject");
  });

  test("the seed's example: POST /v2/images → ImagesController.create, with its trace", () => {
    const create = map.endpoints.find((e) => e.method === "POST" && e.path === "/v2/images");
    assert.equal(create?.handler?.qualname, "glance.api.v2.images.ImagesController.create");
    const steps = create?.trace.map((t) => t.step);
    assert.deepEqual(steps?.slice(-4), ["route", "resource", "controller", "handler"]);
    assert.ok(steps?.includes("paste"));
    const route = create?.trace.find((t) => t.step === "route");
    assert.equal(route?.file, "glance/api/v2/router.py");
    const controller = create?.trace.find((t) => t.step === "controller");
    assert.equal(controller?.file, "glance/api/v2/images.py");
  });

  test("the map has no warnings", () => {
    assert.deepEqual(
      map.diagnostics.filter((d) => d.level !== "info"),
      [],
    );
  });
});
