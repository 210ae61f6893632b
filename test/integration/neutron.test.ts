import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap, CodeRef, Endpoint } from "../../src/model/map.js";
import { debianTree } from "../support/debian.js";
import { repoPath, runPython } from "../support/paths.js";

/** One request the live neutron-server answered (scripts/probes/neutron_server.py). */
interface LiveEntry {
  method: string;
  path: string;
  served_by: "extensions" | "pecan" | null;
  status: number | null;
  handler: CodeRef | null;
  handler_ran: boolean;
  plugin_calls: { name: string; defined: CodeRef | null; class: string }[];
}

const ALL_SERVICE_PLUGINS = [
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

/**
 * Classes of extension modules are named by the module Neutron loads them under
 * (`tagging.TaggingController`): compare file, line and Class.method, which both agree on.
 */
const short = (r: CodeRef | null | undefined) =>
  r ? `${r.file}:${r.line}:${r.qualname.split(".").slice(-2).join(".")}` : "-";

/** Who answered, with which handler: compared for every pair. */
const liveRoute = (e: LiveEntry) =>
  `${e.served_by === "extensions" ? "extensions filter" : "app"} ${short(e.handler)}`;
const mapRoute = (e: Endpoint) =>
  `${e.servedBy ? `${e.servedBy} filter` : "app"} ${short(e.handler)}`;

/** What the handler reached: the last plugin call, or the name the plugin lacked. */
const liveImpl = (e: LiveEntry) => {
  const last = e.plugin_calls.at(-1);
  return last ? (last.defined ? short(last.defined) : `no ${last.name}`) : "-";
};
const mapImpl = (e: Endpoint) =>
  e.implementation
    ? short(e.implementation)
    : e.pluginMethod && e.handler
      ? `no ${e.pluginMethod}`
      : "-";

/**
 * Where the live handler never ran and nothing was asked of a plugin (a pecan hook failed the
 * request first: the query-parameters hook on a shim), no plugin call can be observed: those
 * pairs are compared on their router and handler only, and listed.
 */
const unobservable = (e: LiveEntry) =>
  e.handler !== null && !e.handler_ran && e.plugin_calls.length === 0;

interface Comparison {
  pairs: number;
  agree: number;
  disagreements: string[];
  unobservable: string[];
}

function compare(live: LiveEntry[], map: ApiMap): Comparison {
  const mapped = new Map(
    map.endpoints
      .filter((e) => e.app === "neutronapiapp_v2_0")
      .map((e) => [`${e.method} ${e.path}`, e] as const),
  );
  const served = new Map(live.map((e) => [`${e.method} ${e.path}`, e] as const));
  const keys = [...new Set([...mapped.keys(), ...served.keys()])].sort();
  const out: Comparison = { pairs: keys.length, agree: 0, disagreements: [], unobservable: [] };
  for (const key of keys) {
    const l = served.get(key);
    const m = mapped.get(key);
    if (!l || !m) {
      out.disagreements.push(`${key}: ${l ? "not in the map" : "in the map, not served"}`);
      continue;
    }
    const skipImpl = unobservable(l);
    const want = `${liveRoute(l)}${skipImpl ? "" : ` → ${liveImpl(l)}`}`;
    const got = `${mapRoute(m)}${skipImpl ? "" : ` → ${mapImpl(m)}`}`;
    if (skipImpl) out.unobservable.push(`${key} (${l.status}, ${short(l.handler)})`);
    if (want === got) out.agree++;
    else out.disagreements.push(`${key}\n    live: ${want}\n    map:  ${got}`);
  }
  return out;
}

function run(tree: string, servicePlugins: string[], extensionDrivers: string[]) {
  const config = join(tmpdir(), `apimap-neutron-${process.pid}-${servicePlugins.length}.conf`);
  writeFileSync(
    config,
    `[DEFAULT]\ncore_plugin = ml2\nservice_plugins = ${servicePlugins.join(",")}\n\n[ml2]\nextension_drivers = ${extensionDrivers.join(",")}\n`,
  );
  const map = analyze([tree], { config });
  const input = JSON.stringify({
    core_plugin: "ml2",
    service_plugins: servicePlugins,
    extension_drivers: extensionDrivers,
    paste: join(tree, "usr/share/neutron-common/api-paste.ini"),
  });
  const live = JSON.parse(
    runPython([repoPath("scripts", "probes", "neutron_server.py")], { input }),
  ) as LiveEntry[];
  return { map, live };
}

/**
 * Neutron from Debian's python3-neutron + neutron-common + python3-neutron-lib (Zed), against
 * the installed neutron-server as it really starts: the shipped api-paste.ini loaded with
 * paste.deploy, one real request per (method, path) through the whole pipeline — the
 * `extensions` filter's router first, pecan behind it — with every plugin and driver spied
 * (scripts/probes/neutron_server.py).
 */
describe("neutron (Debian python3-neutron, Zed) against the live neutron-server", () => {
  let tree: string;
  before(() => {
    tree = debianTree("neutron", ["python3-neutron", "neutron-common", "python3-neutron-lib"]);
  });

  for (const [label, service, drivers] of [
    [
      "every in-tree service plugin Debian ships, ML2 dns/port_security/qos",
      ALL_SERVICE_PLUGINS,
      ["dns", "port_security", "qos"],
    ],
    ["ML2 + router", ["router"], []],
  ] as const) {
    test(`${label}: ≥ 99% of the live (method, path) pairs answered by the same router, handler and plugin method, nothing extra`, (t) => {
      const { map, live } = run(tree, [...service], [...drivers]);
      const c = compare(live, map);
      const share = c.agree / c.pairs;
      t.diagnostic(
        `${c.agree}/${c.pairs} pairs agree (${(100 * share).toFixed(1)}%); ${c.unobservable.length} compared on the handler only`,
      );
      assert.ok(live.length > 250, `${live.length} live pairs`);
      assert.ok(
        share >= 0.99,
        `${c.agree}/${c.pairs} agree (${(100 * share).toFixed(1)}%):\n${c.disagreements.join("\n")}`,
      );
      // Pairs compared on their handler only must stay few, or they would hide regressions.
      assert.ok(c.unobservable.length <= 10, c.unobservable.join("\n"));
      // Both routers answer: the extensions filter most extension resources, pecan the rest.
      assert.ok(live.some((e) => e.served_by === "pecan"));
      assert.ok(live.some((e) => e.served_by === "extensions"));
    });
  }

  describe("the seeds' examples and the issue's", () => {
    let map: ApiMap;
    before(() => {
      const config = join(tmpdir(), `apimap-neutron-examples-${process.pid}.conf`);
      writeFileSync(
        config,
        `[DEFAULT]\ncore_plugin = ml2\nservice_plugins = ${ALL_SERVICE_PLUGINS.join(",")}\n\n[ml2]\nextension_drivers = dns,port_security,qos\n`,
      );
      map = analyze([tree], { config });
    });
    const find = (method: string, path: string) => {
      const hits = map.endpoints.filter((e) => e.method === method && e.path === path);
      assert.equal(hits.length, 1, `${hits.length} endpoints ${method} ${path}`);
      return hits[0] as Endpoint;
    };

    test("networks on Ml2Plugin, subnets where NeutronDbPluginV2 defines them: pecan, behind the filter", () => {
      const post = find("POST", "/v2.0/networks");
      assert.equal(
        post.implementation?.qualname,
        "neutron.plugins.ml2.plugin.Ml2Plugin.create_network",
      );
      assert.equal(post.servedBy, undefined);
      assert.equal(
        find("GET", "/v2.0/subnets").implementation?.qualname,
        "neutron.db.db_base_plugin_v2.NeutronDbPluginV2.get_subnets",
      );
      assert.deepEqual(post.trace.map((t) => t.step).slice(-3), [
        "handler",
        "plugin",
        "implementation",
      ]);
    });

    test("routers: the extensions filter answers, base.Controller's _handle_action reaches the L3 plugin", () => {
      const add = find("PUT", "/v2.0/routers/{id}/add_router_interface");
      assert.equal(add.servedBy, "extensions");
      assert.equal(
        add.handler?.qualname,
        "neutron.api.v2.base.Controller.__getattr__.<locals>._handle_action",
      );
      assert.match(add.implementation?.qualname ?? "", /\.add_router_interface$/);
      assert.deepEqual(add.plugin, {
        class: "neutron.services.l3_router.l3_router_plugin.L3RouterPlugin",
        type: "L3_ROUTER_NAT",
      });
      assert.ok(
        add.trace.some((t) => t.step === "filter" && t.detail.includes("[filter:extensions]")),
      );
    });

    test("REST → plugin → RPC: adding a router interface casts routers_updated to the L3 agents", () => {
      const add = find("PUT", "/v2.0/routers/{id}/add_router_interface");
      const hops = (add.calls ?? []).flatMap((c) => c.rpc);
      const hop = hops.find(
        (h) =>
          h.client.qualname ===
          "neutron.api.rpc.agentnotifiers.l3_rpc_agent_api.L3AgentNotifyAPI.routers_updated",
      );
      assert.ok(hop, JSON.stringify(add.calls));
      assert.equal(hop.mode, "cast");
      assert.equal(hop.server?.qualname, "neutron.agent.l3.agent.L3NATAgent.routers_updated");
      assert.equal(add.calls?.[0]?.qualname, add.implementation?.qualname);
    });

    test("tags: PUT and DELETE on the collection too, each to its TagPlugin method", () => {
      for (const [method, path, name] of [
        ["PUT", "/v2.0/networks/{network_id}/tags", "update_tags"],
        ["DELETE", "/v2.0/networks/{network_id}/tags", "delete_tags"],
        ["GET", "/v2.0/networks/{network_id}/tags", "get_tags"],
        ["PUT", "/v2.0/networks/{network_id}/tags/{id}", "update_tag"],
      ] as const) {
        assert.equal(
          find(method, path).implementation?.qualname,
          `neutron.services.tag.tag_plugin.TagPlugin.${name}`,
          `${method} ${path}`,
        );
      }
    });

    test("QoS rules reach QoSPlugin through QoSPluginBase.__getattr__", () => {
      const e = find("GET", "/v2.0/qos/policies/{policy_id}/bandwidth_limit_rules");
      assert.equal(e.pluginMethod, "get_policy_bandwidth_limit_rules");
      assert.equal(
        e.implementation?.qualname,
        "neutron.services.qos.qos_plugin.QoSPlugin.get_policy_rules",
      );
      assert.ok(e.trace.some((t) => t.step === "proxy" && t.detail.includes("__getattr__")));
      assert.equal(
        find("PUT", "/v2.0/qos/alias-dscp-marking-rules/{id}").implementation?.qualname,
        "neutron.services.qos.qos_plugin.QoSPlugin.update_rule",
      );
    });

    test("quotas: the configured quota driver's methods", () => {
      assert.match(
        find("GET", "/v2.0/quotas/{id}/default").implementation?.qualname ?? "",
        /\.get_default_quotas$/,
      );
      assert.match(
        find("GET", "/v2.0/quotas/{id}/details").implementation?.qualname ?? "",
        /\.get_detailed_project_quotas$/,
      );
    });

    test("a method the plugin does not have is named and said missing, not borrowed", () => {
      const e = find("GET", "/v2.0/auto-allocated-topology");
      assert.equal(e.implementation, null);
      assert.equal(e.pluginMethod, "get_auto_allocated_topologies");
      assert.equal(e.missing, true);
    });

    test("the map states the plugin configuration and the framework it used", () => {
      const messages = map.diagnostics.map((d) => d.message);
      assert.ok(
        messages.some((m) =>
          m.startsWith("neutron plugins (config): core ml2; service router, metering"),
        ),
      );
      assert.ok(
        messages.includes("neutron: /v2.0 is served by the pecan app behind the paste pipeline"),
      );
    });
  });
});
