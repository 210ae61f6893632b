import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap, CodeRef } from "../../src/model/map.js";
import { debianTree } from "../support/debian.js";
import { repoPath, runPython } from "../support/paths.js";

interface LiveEntry {
  method: string;
  path: string;
  controller: string;
  implementation: CodeRef | null;
  handler?: CodeRef | null;
}

const SERVICE_PLUGINS = [
  "router",
  "metering",
  "qos",
  "tag",
  "flavors",
  "auto_allocate",
  "segments",
  "network_ip_availability",
  "network_segment_range",
  "revisions",
  "timestamp",
  "log",
  "port_forwarding",
  "conntrack_helper",
  "local_ip",
  "ndp_proxy",
];
const EXTENSION_DRIVERS = ["dns", "port_security", "qos"];

/**
 * The live probe names classes of extension modules by the name Neutron loads them under
 * (`tagging.TaggingController`); compare file, line and Class.method, which both agree on.
 */
const key = (r: CodeRef | null | undefined) => {
  if (!r) return "-";
  const parts = r.qualname.split(".");
  return `${r.file}:${r.line}:${parts.slice(-2).join(".")}`;
};

/**
 * Neutron from Debian's python3-neutron + python3-neutron-lib (Zed, pecan), against the live
 * app of the installed python3-neutron built with the same configuration (probe:
 * scripts/probes/neutron_pecan.py, sqlite database, fake message bus).
 */
describe("neutron (Debian python3-neutron, Zed)", () => {
  let map: ApiMap;
  let live: LiveEntry[];

  before(() => {
    const tree = debianTree("neutron", [
      "python3-neutron",
      "neutron-common",
      "python3-neutron-lib",
    ]);
    const config = join(tmpdir(), `apimap-neutron-${process.pid}.conf`);
    writeFileSync(
      config,
      `[DEFAULT]\ncore_plugin = ml2\nservice_plugins = ${SERVICE_PLUGINS.join(",")}\n\n[ml2]\nextension_drivers = ${EXTENSION_DRIVERS.join(",")}\n`,
    );
    map = analyze([tree], { config });
    const input = JSON.stringify({
      core_plugin: "ml2",
      service_plugins: SERVICE_PLUGINS,
      extension_drivers: EXTENSION_DRIVERS,
    });
    live = JSON.parse(runPython([repoPath("scripts", "probes", "neutron_pecan.py")], { input }));
  });

  test("every (method, path) the live app serves reaches the same plugin method, and nothing else", () => {
    const expected = live
      .map((r) =>
        r.controller.startsWith("Shim") || r.controller === "Root"
          ? `${r.method} ${r.path} handler ${key(r.handler)}`
          : `${r.method} ${r.path} plugin ${key(r.implementation)}`,
      )
      .sort();
    const actual = map.endpoints
      .filter((e) => e.app === "neutronapiapp_v2_0")
      .map((e) =>
        e.plugin ||
        (e.handler?.file.includes("pecan_wsgi") &&
          !e.trace.some((t) => t.detail.startsWith("pecan root")))
          ? `${e.method} ${e.path} plugin ${key(e.implementation)}`
          : `${e.method} ${e.path} handler ${key(e.handler)}`,
      )
      .sort();
    const missing = expected.filter((x) => !actual.includes(x));
    const extra = actual.filter((x) => !expected.includes(x));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    assert.ok(expected.length > 250, `${expected.length} live (method, path) pairs`);
  });

  test("the seed's examples: networks on Ml2Plugin, subnets where NeutronDbPluginV2 defines them, routers on the L3 plugin", () => {
    const find = (method: string, path: string) =>
      map.endpoints.find((e) => e.method === method && e.path === path);
    assert.equal(
      find("POST", "/v2.0/networks")?.implementation?.qualname,
      "neutron.plugins.ml2.plugin.Ml2Plugin.create_network",
    );
    assert.equal(
      find("GET", "/v2.0/networks")?.implementation?.qualname,
      "neutron.plugins.ml2.plugin.Ml2Plugin.get_networks",
    );
    assert.equal(
      find("GET", "/v2.0/subnets")?.implementation?.qualname,
      "neutron.db.db_base_plugin_v2.NeutronDbPluginV2.get_subnets",
    );
    const add = find("PUT", "/v2.0/routers/{id}/add_router_interface");
    assert.match(add?.implementation?.qualname ?? "", /\.add_router_interface$/);
    assert.deepEqual(add?.plugin, {
      class: "neutron.services.l3_router.l3_router_plugin.L3RouterPlugin",
      type: "L3_ROUTER_NAT",
    });
    const steps = find("POST", "/v2.0/networks")?.trace.map((t) => t.step);
    assert.deepEqual(steps?.slice(-3), ["handler", "plugin", "implementation"]);
  });

  test("the map states the plugin configuration it used", () => {
    assert.ok(
      map.diagnostics.some((d) =>
        d.message.startsWith("neutron plugins (config): core ml2; service router, metering"),
      ),
    );
  });
});
