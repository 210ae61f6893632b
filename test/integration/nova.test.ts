import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap, Endpoint } from "../../src/model/map.js";
import { debianTree } from "../support/debian.js";
import { repoPath, runPython } from "../support/paths.js";

interface LiveDispatch {
  path: string;
  method: string | null;
  action: string | null;
  handler: { qualname: string; file: string; line: number } | null;
  min: string | null;
  max: string | null;
}

const handlerKey = (h: { qualname: string; file: string; line: number } | null) =>
  h ? `${h.qualname} ${h.file}:${h.line}` : "-";

/**
 * Nova from Debian's python3-nova + nova-common (Zed, ROUTE_LIST era), against what the live
 * APIRouterV21 of the installed python3-nova dispatches to, dumped by scripts/probes/nova_router.py:
 * one record per (route, method, body action, microversion variant).
 */
describe("nova (Debian python3-nova, Zed)", () => {
  let map: ApiMap;
  let live: LiveDispatch[];
  let v21: Endpoint[];
  let tree: string;

  before(() => {
    tree = debianTree("nova", ["python3-nova", "nova-common"]);
    map = analyze([tree]);
    live = JSON.parse(runPython([repoPath("scripts", "probes", "nova_router.py")]));
    v21 = map.endpoints.filter((e) => e.app === "osapi_compute_app_v21" && e.mount === "/v2.1");
  });

  test("the bin's JSON through a pipe is the whole map (4 MB: the exit waits for stdout)", () => {
    const r = spawnSync(
      process.execPath,
      [repoPath("dist", "apimap.js"), "map", tree, "--format", "json"],
      {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const piped = JSON.parse(r.stdout) as ApiMap;
    assert.equal(piped.endpoints.length, map.endpoints.length);
    assert.deepEqual(piped.endpoints, map.endpoints);
    assert.deepEqual(piped.rpc, map.rpc);
  });

  test("paste: /v2.1 and the legacy /v2 serve the same router through pipeline_factory_v21", () => {
    const apps = map.apps.map((a) => `${a.mount} ${a.name} ${a.recipe}`);
    assert.ok(apps.includes("/v2.1 osapi_compute_app_v21 wsgi-router"));
    assert.ok(apps.includes("/v2 osapi_compute_app_v21 wsgi-router"));
    assert.ok(apps.includes("/ metaapp wsgi-app"), "the metadata API (nova-api-metadata)");
    const app = map.apps.find((a) => a.name === "osapi_compute_app_v21" && a.mount === "/v2.1");
    assert.deepEqual(
      app?.pipelines.map((p) => `${p.name}${p.default ? "*" : ""}`),
      ["keystone*", "noauth2"],
    );
    assert.ok(app?.pipeline.includes("authtoken"));
  });

  test("every (method, route, action, handler, version range) the live router dispatches to is mapped, and nothing else", () => {
    const expected = live
      .map((r) => {
        const versions = r.min === null && r.max === null ? "-" : `${r.min}-${r.max ?? ""}`;
        return `${r.method ?? "*"} ${r.path} ${r.action ?? "-"} ${handlerKey(r.handler)} ${versions}`;
      })
      .sort();
    // The generic `POST …/action` routes are listed too (handler null); the live dump lists only their actions.
    const generic = v21.filter((e) => e.handler === null && e.redirect === undefined);
    assert.ok(generic.every((e) => e.routePath?.endsWith("/action")));
    const actual = v21
      .filter((e) => !generic.includes(e))
      .map((e) => {
        const versions = e.versions ? `${e.versions.min}-${e.versions.max ?? ""}` : "-";
        return `${e.method} ${e.routePath} ${e.action ?? "-"} ${handlerKey(e.handler)} ${versions}`;
      })
      .sort();
    const missing = expected.filter((x) => !actual.includes(x));
    const extra = actual.filter((x) => !expected.includes(x));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    assert.equal(actual.length, expected.length);
    assert.ok(expected.length > 600, `${expected.length} live dispatch targets`);
  });

  test('the seed\'s example: POST /v2.1/servers/{id}/action with {"pause": null}', () => {
    const pause = v21.find((e) => e.path === "/v2.1/servers/{id}/action" && e.action === "pause");
    assert.equal(
      pause?.handler?.qualname,
      "nova.api.openstack.compute.pause_server.PauseServerController._pause",
    );
    assert.equal(pause?.status, 202);
    assert.deepEqual(pause?.errors, [404, 409, 501]);
    assert.deepEqual(pause?.policies, ["os_compute_api:os-pause-server:pause"]);
    const steps = pause?.trace.map((t) => `${t.step} ${t.file}`);
    assert.ok(
      steps?.includes("route nova/api/openstack/compute/routes.py"),
      "cites the ROUTE_LIST entry",
    );
    assert.ok(
      steps?.includes("action nova/api/openstack/compute/pause_server.py"),
      "cites @wsgi.action('pause')",
    );
  });

  test("microversioned methods give one endpoint per definition", () => {
    const shows = v21.filter(
      (e) => e.method === "GET" && e.path === "/v2.1/servers/{id}" && e.handler,
    );
    assert.ok(shows.length >= 1);
    const versioned = v21.filter((e) => e.versions !== null);
    assert.ok(versioned.length > 100);
    assert.ok(versioned.every((e) => /^2\.\d+$/.test(e.versions?.min ?? "")));
  });

  test("the map has no warnings", () => {
    assert.deepEqual(
      map.diagnostics.filter((d) => d.level !== "info"),
      [],
    );
  });
});

describe("nova services and RPC (Debian python3-nova, Zed)", () => {
  let map: ApiMap;
  let live: { client: string; method: string; server: string; exists: boolean }[];

  before(() => {
    map = analyze([debianTree("nova", ["python3-nova", "nova-common"])]);
    live = JSON.parse(runPython([repoPath("scripts", "probes", "nova_rpc.py")]));
  });

  test("the launch scripts: compute, conductor and scheduler are RPC services with their managers; the API is WSGI", () => {
    const byName = new Map(map.services.map((s) => [s.binary, s]));
    for (const [binary, topic, manager] of [
      ["nova-compute", "compute", "nova.compute.manager.ComputeManager"],
      ["nova-conductor", "conductor", "nova.conductor.manager.ConductorManager"],
      ["nova-scheduler", "scheduler", "nova.scheduler.manager.SchedulerManager"],
    ] as const) {
      const s = byName.get(binary);
      assert.equal(s?.kind, "rpc", binary);
      assert.equal(s?.topic, topic);
      assert.equal(s?.manager?.qualname, manager);
      assert.match(s?.evidence.file ?? "", /^nova\/cmd\//);
    }
    const api = byName.get("nova-api");
    assert.equal(api?.kind, "wsgi");
    assert.deepEqual(
      api?.apps?.map((a) => a.name),
      ["osapi_compute", "metadata"],
    );
    assert.equal(byName.get("nova-manage")?.kind, "other");
  });

  test("every remote method of ComputeAPI, ConductorAPI, ComputeTaskAPI and SchedulerAPI, and the manager method it reaches", () => {
    const expected = [...new Set(live.map((r) => `${r.client} ${r.method}`))].sort();
    const actual = [...new Set(map.rpc.map((r) => `${r.client.qualname} ${r.method}`))].sort();
    assert.deepEqual(actual, expected);
    assert.ok(
      live.every((r) => r.exists),
      "the live server classes define every method the clients send",
    );
    const serverOf = new Map(live.map((r) => [`${r.client} ${r.method}`, r.server]));
    for (const r of map.rpc) {
      const server = serverOf.get(`${r.client.qualname} ${r.method}`) as string;
      assert.ok(r.server, `${r.client.qualname} → ${r.method} has a server method`);
      // Where it is defined: on the live server class or one of its bases.
      assert.ok(r.server?.qualname.endsWith(`.${r.method}`));
      if (!r.server?.qualname.startsWith(server)) {
        assert.ok(
          r.server?.qualname.startsWith("nova.manager."),
          `${r.server?.qualname} is not on ${server}`,
        );
      }
    }
    assert.equal(map.rpc.find((r) => r.method === "pause_instance")?.mode, "cast");
  });

  test("the seed's chain: POST /servers/{id}/action pause → API.pause → ComputeAPI.pause_instance (cast) → ComputeManager.pause_instance", () => {
    const pause = map.endpoints.find(
      (e) => e.mount === "/v2.1" && e.path === "/v2.1/servers/{id}/action" && e.action === "pause",
    );
    assert.deepEqual(
      pause?.calls?.map((c) => [
        c.qualname,
        c.rpc.map((h) => `${h.mode} ${h.topic} ${h.client.qualname} → ${h.server?.qualname}`),
      ]),
      [
        [
          "nova.compute.api.API.pause",
          [
            "cast compute nova.compute.rpcapi.ComputeAPI.pause_instance → nova.compute.manager.ComputeManager.pause_instance",
          ],
        ],
      ],
    );
    const resize = map.endpoints.find(
      (e) => e.mount === "/v2.1" && e.path === "/v2.1/servers/{id}/action" && e.action === "resize",
    );
    const hops = resize?.calls?.flatMap((c) => c.rpc.map((h) => h.server?.qualname));
    assert.ok(
      hops?.includes("nova.conductor.manager.ComputeTaskManager.migrate_server"),
      "through conductor's ComputeTaskAPI",
    );
    const lock = map.endpoints.find(
      (e) => e.mount === "/v2.1" && e.path === "/v2.1/servers/{id}/action" && e.action === "lock",
    );
    assert.deepEqual(
      lock?.calls?.map((c) => [c.qualname, c.rpc.length]),
      [["nova.compute.api.API.lock", 0]],
    );
  });
});
