import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap, CodeRef, RpcEntry } from "../../src/model/map.js";
import { debianTree } from "../support/debian.js";
import { repoPath, runPython } from "../support/paths.js";

interface LiveConsumer {
  service: string;
  topic: string;
  fanout: boolean;
  endpoints: string[];
}

interface LiveSend {
  client: CodeRef;
  method: string;
  mode: "call" | "cast";
  topic: string | null;
  namespace: string | null;
  version: string | null;
  fanout: boolean;
  servers: { service: string; handler: CodeRef | null }[];
}

interface Live {
  consumers: LiveConsumer[];
  sends: LiveSend[];
  clients: string[];
  raised: string[];
}

const CONFIG = {
  service_plugins: ["router", "metering", "qos"],
  mechanism_drivers: ["openvswitch", "l2population"],
  extension_drivers: ["qos"],
};

/** A live topic as apimap writes it: a concrete one may be an instance of a template. */
function sameTopic(live: string | null, mapped: string | null): boolean {
  if (live === mapped) return true;
  if (live === null || mapped === null || !mapped.includes("{")) return false;
  const re = mapped
    .split(/\{[^}]*\}/)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".+");
  return new RegExp(`^${re}$`).test(live);
}

const handlerKey = (h: CodeRef | null | undefined) =>
  h ? `${h.qualname} ${h.file}:${h.line}` : "missing";

/**
 * Neutron's RPC from Debian's python3-neutron + python3-neutron-lib (Zed), against what the
 * installed python3-neutron really registers and sends (scripts/probes/neutron_rpc.py): the
 * server's plugins and each agent set up their RPC with a recording connection; every public
 * method of every client object they made is called with mock arguments; each message is
 * dispatched, as oslo.messaging does, to the endpoints of the processes consuming its topic.
 */
describe("neutron RPC (Debian python3-neutron, Zed)", () => {
  let map: ApiMap;
  let live: Live;

  before(() => {
    const tree = debianTree("neutron", [
      "python3-neutron",
      "neutron-common",
      "python3-neutron-lib",
    ]);
    const config = join(tmpdir(), `apimap-neutron-rpc-${process.pid}.conf`);
    writeFileSync(
      config,
      `[DEFAULT]\ncore_plugin = ml2\nservice_plugins = ${CONFIG.service_plugins.join(",")}\n\n[ml2]\nmechanism_drivers = ${CONFIG.mechanism_drivers.join(",")}\nextension_drivers = ${CONFIG.extension_drivers.join(",")}\n`,
    );
    map = analyze([tree], { config });
    live = JSON.parse(
      runPython([repoPath("scripts", "probes", "neutron_rpc.py")], {
        input: JSON.stringify(CONFIG),
      }),
    );
  });

  test("the agents are RPC services, neutron-server is WSGI that also serves RPC", () => {
    const kinds = new Map(map.services.map((s) => [s.binary, s]));
    for (const binary of [
      "neutron-dhcp-agent",
      "neutron-l3-agent",
      "neutron-metering-agent",
      "neutron-openvswitch-agent",
      "neutron-linuxbridge-agent",
      "neutron-macvtap-agent",
      "neutron-sriov-nic-agent",
      "neutron-metadata-agent",
    ]) {
      assert.equal(kinds.get(binary)?.kind, "rpc", binary);
    }
    assert.equal(kinds.get("neutron-server")?.kind, "wsgi");
    assert.equal(
      kinds.get("neutron-l3-agent")?.manager?.qualname,
      "neutron.agent.l3.agent.L3NATAgentWithStateReport",
      "main(manager=…)'s default, as the script calls it",
    );
    assert.equal(kinds.get("neutron-dhcp-agent")?.topic, "dhcp_agent");
    // The metadata agent makes clients and consumes nothing.
    const metadata = kinds.get("neutron-metadata-agent");
    assert.deepEqual(metadata?.consumes, []);
    assert.deepEqual(metadata?.sendsTo, ["q-plugin", "q-reports-plugin"]);
  });

  test("every consumer the live processes register (service, topic, fanout, endpoints in order), and nothing else", () => {
    const liveKeys = new Set(
      live.consumers.map((c) => [c.service, c.topic, c.fanout, c.endpoints.join(",")].join(" ")),
    );
    const mapped: string[] = [];
    for (const s of map.services) {
      if (s.binary === "neutron-rpc-server") continue; // the same plugins as neutron-server
      for (const c of s.consumes ?? []) {
        mapped.push(
          [s.binary, c.topic, c.fanout, c.endpoints.map((e) => e.qualname).join(",")].join(" "),
        );
      }
    }
    // A template (the resource cache's neutron-vo-{resource_type}-{version}) stands for the
    // live topics it matches.
    const covered = [...liveKeys].filter((k) => {
      const [service, topic, fanout, endpoints] = k.split(" ");
      return mapped.some((m) => {
        const [ms, mt, mf, me] = m.split(" ");
        return (
          ms === service &&
          mf === fanout &&
          me === endpoints &&
          sameTopic(topic ?? null, mt ?? null)
        );
      });
    });
    const unmatched = mapped.filter(
      (m) =>
        ![...liveKeys].some((k) => {
          const [service, topic, fanout, endpoints] = k.split(" ");
          const [ms, mt, mf, me] = m.split(" ");
          return (
            ms === service &&
            mf === fanout &&
            me === endpoints &&
            sameTopic(topic ?? null, mt ?? null)
          );
        }),
    );
    assert.deepEqual(
      { missing: [...liveKeys].filter((k) => !covered.includes(k)), extra: unmatched },
      { missing: [], extra: [] },
    );
    assert.ok(liveKeys.size >= 30, `${liveKeys.size} live consumers`);
    const server = (b: string) =>
      JSON.stringify(map.services.find((s) => s.binary === b)?.consumes);
    assert.equal(server("neutron-rpc-server"), server("neutron-server"));
  });

  test("every message a live client method sends reaches the same endpoint method, and nothing else", () => {
    const key = (
      client: string,
      s: {
        method: string;
        mode: string;
        version: string | null;
        fanout?: boolean;
        namespace?: string | null;
      },
      topic: string | null,
      service: string | null,
      handler: CodeRef | null | undefined,
    ) =>
      `${client} ${s.method} ${s.mode} v${s.version} ${s.fanout ? "fanout" : "-"} ${s.namespace ?? "-"} ${topic ?? "?"} → ${service ?? "none"} ${handlerKey(handler)}`;
    const exercised = new Set(live.sends.map((s) => s.client.qualname));
    const expected = new Set<string>();
    for (const s of live.sends) {
      const servers = s.servers.length > 0 ? s.servers : [{ service: null, handler: null }];
      for (const v of servers)
        expected.add(key(s.client.qualname, s, s.topic, v.service, v.handler));
    }
    const mappedEntries = map.rpc.filter(
      (r) => r.service !== "neutron-rpc-server" && exercised.has(r.client.qualname),
    );
    // The mapped topic stands for the live one it matches (a template for the resource topics).
    const actual = new Set(
      mappedEntries.map((r: RpcEntry) => {
        const liveTopic = live.sends.find(
          (s) =>
            s.client.qualname === r.client.qualname &&
            s.method === r.method &&
            sameTopic(s.topic, r.topic),
        )?.topic;
        return key(r.client.qualname, r, liveTopic ?? r.topic, r.service, r.server);
      }),
    );
    const missing = [...expected].filter((x) => !actual.has(x)).sort();
    const extra = [...actual].filter((x) => !expected.has(x)).sort();
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] });
    assert.ok(
      expected.size >= 90,
      `${expected.size} live (client method, message, server) triples`,
    );
    // What the live run could not exercise: methods that raise on mock arguments before they
    // send (a resource type is validated first), and clients no configured process makes.
    const notExercised = [...new Set(map.rpc.map((r) => r.client.qualname))].filter(
      (c) => !exercised.has(c),
    );
    assert.ok(notExercised.length <= 10, `not exercised live: ${notExercised.join(", ")}`);
  });

  test("the brief's examples: agent → server, server → agents, fanout everywhere", () => {
    const find = (client: string, service: string | null) =>
      map.rpc.filter((r) => r.client.qualname === client && r.service === service);
    const up = find("neutron.agent.rpc.PluginApi.update_device_up", "neutron-server");
    assert.deepEqual(
      up.map((r) => [r.topic, r.mode, r.version, r.server?.qualname]),
      [["q-plugin", "call", "1.9", "neutron.plugins.ml2.rpc.RpcCallbacks.update_device_up"]],
    );
    const portUpdate = map.rpc.filter(
      (r) => r.client.qualname === "neutron.plugins.ml2.rpc.AgentNotifierApi.port_update",
    );
    assert.deepEqual(
      portUpdate.map((r) => [r.service, r.topic, r.fanout]).sort(),
      [
        ["neutron-linuxbridge-agent", "q-agent-notifier-port-update", true],
        ["neutron-macvtap-agent", "q-agent-notifier-port-update", true],
        ["neutron-sriov-nic-agent", "q-agent-notifier-port-update", true],
      ],
      "the OVS agent has the port updates from its resource cache, not this topic",
    );
    const push = find(
      "neutron.api.rpc.handlers.resources_rpc.ResourcesPushRpcApi.push",
      "neutron-openvswitch-agent",
    );
    assert.deepEqual(
      push.map((r) => [r.topic, r.fanout, r.server?.qualname]),
      [
        [
          "neutron-vo-{resource_type}-{version}",
          true,
          "neutron.api.rpc.handlers.resources_rpc.ResourcesPushRpcCallback.push",
        ],
      ],
    );
    const dhcp = find(
      "neutron.api.rpc.agentnotifiers.dhcp_rpc_agent_api.DhcpAgentNotifyAPI.network_removed_from_agent",
      "neutron-dhcp-agent",
    );
    assert.deepEqual(
      dhcp.map((r) => [r.method, r.topic, r.routing, r.server?.qualname]),
      [
        [
          "network_delete_end",
          "dhcp_agent",
          "host",
          "neutron.agent.dhcp.agent.DhcpAgent.network_delete_end",
        ],
      ],
    );
    // Nobody consumes the ML2 port-delete topic in Zed: listed, with no service.
    const portDelete = map.rpc.filter(
      (r) => r.client.qualname === "neutron.plugins.ml2.rpc.AgentNotifierApi.port_delete",
    );
    assert.deepEqual(
      portDelete.map((r) => [r.service, r.missing]),
      [[null, true]],
    );
  });
});
