import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap, RpcEntry } from "../../src/model/map.js";
import { fixture } from "../support/paths.js";

const row = (r: RpcEntry) =>
  [
    r.service ?? "-",
    r.client.qualname.replace("neutronish.", ""),
    `${r.mode} ${r.method}`,
    r.topic ?? "?",
    r.namespace ?? "-",
    `v${r.version ?? "?"}`,
    r.fanout ? "fanout" : "-",
    r.routing ?? "-",
    r.negotiated ? `[${r.negotiated.min ?? ""},${r.negotiated.max ?? ""})` : "-",
    r.server ? `${r.server.qualname.replace("neutronish.", "")}:${r.server.line}` : "missing",
  ].join(" ");

/**
 * fixtures/rpc/agent-endpoints: a Neutron-shaped project (neutronish) — a server whose plugin
 * registers its RPC callbacks in start_rpc_listeners, a DHCP agent served through
 * Service.create, an L2 agent that registers its own consumers in setup_rpc, agent → server
 * clients with namespaces and a version-dependent method, server → agent notifiers with
 * fanout, host routing and a formatted topic, and a half-written client.
 */
describe("rpc: processes that register their own consumers (fixtures/rpc/agent-endpoints)", () => {
  let map: ApiMap;
  before(() => {
    map = analyze([fixture("rpc", "agent-endpoints")]);
  });

  test("services: the server is WSGI and serves its plugin's RPC; the agents are RPC services", () => {
    const byName = new Map(map.services.map((s) => [s.binary, s]));
    assert.equal(byName.get("neutronish-server")?.kind, "wsgi");
    assert.equal(byName.get("neutronish-dhcp-agent")?.kind, "rpc");
    assert.equal(
      byName.get("neutronish-dhcp-agent")?.manager?.qualname,
      "neutronish.agents.dhcp.DhcpAgent",
    );
    assert.equal(byName.get("neutronish-l2-agent")?.kind, "rpc");
    assert.equal(
      byName.get("neutronish-l2-agent")?.manager?.qualname,
      "neutronish.agents.l2.L2Agent",
    );
    assert.equal(byName.get("neutronish-status")?.kind, "other");
    const consumes = map.services.flatMap((s) =>
      (s.consumes ?? []).map(
        (c) =>
          `${s.binary} ${c.topic}${c.fanout ? " fanout" : ""} ${c.endpoints.map((e) => e.qualname.replace("neutronish.", "")).join(",")}`,
      ),
    );
    assert.deepEqual(consumes, [
      "neutronish-dhcp-agent dhcp_agent agents.dhcp.DhcpAgent",
      "neutronish-l2-agent q-agent-notifier-port-update fanout agents.l2.L2Agent",
      "neutronish-l2-agent q-agent-notifier-network-delete fanout agents.l2.L2Agent",
      // `'%s.%s' % (topic, host)`: what is known of the topic, the host a placeholder.
      "neutronish-l2-agent q-agent-notifier-network-delete.{host} agents.l2.L2Agent",
      // The resource versions are configuration read at run time.
      "neutronish-l2-agent neutronish-vo-Port-{version} fanout agents.l2.L2Agent",
      "neutronish-l2-agent neutronish-vo-Network-{version} fanout agents.l2.L2Agent",
      // The endpoints in the order the plugin gives them: the dispatcher tries them in turn.
      "neutronish-server q-plugin callbacks.PluginCallbacks,callbacks.SecurityGroupCallbacks",
      "neutronish-server q-reports callbacks.ReportsCallbacks",
    ]);
    // The agent's clients, made while it sets up.
    assert.deepEqual(byName.get("neutronish-l2-agent")?.sendsTo, ["q-plugin", "q-reports"]);
  });

  test("every message: agent → server by namespace and version, server → agents by topic, fanout and routing", () => {
    assert.deepEqual(map.rpc.map(row), [
      "neutronish-dhcp-agent notifier.DhcpNotifier.network_added_to_agent cast network_create_end dhcp_agent - v1.0 - host - agents.dhcp.DhcpAgent.network_create_end:12",
      // One method, two messages: to one host, or (no host) to every agent.
      "neutronish-l2-agent notifier.AgentNotifier.network_delete cast network_delete q-agent-notifier-network-delete - v1.0 - host - agents.l2.L2Agent.network_delete:43",
      "neutronish-l2-agent notifier.AgentNotifier.network_delete cast network_delete q-agent-notifier-network-delete - v1.0 fanout - - agents.l2.L2Agent.network_delete:43",
      // Fanout prepared in a helper; the endpoint method where the MRO defines it.
      "neutronish-l2-agent notifier.AgentNotifier.port_update cast port_update q-agent-notifier-port-update - v1.0 fanout - - agents.l2.BaseCallbacks.port_update:10",
      // A topic template reaches the consumers whose topics fit it.
      "neutronish-l2-agent notifier.AgentNotifier.push cast push neutronish-vo-{resource_type}-{version} - v1.0 fanout - - agents.l2.L2Agent.push:46",
      "neutronish-server agent_api.PluginApi.get_device call get_device q-plugin - v1.0 - - - callbacks.PluginCallbacks.get_device:9",
      // Through the client's own public method.
      "neutronish-server agent_api.PluginApi.get_devices call get_device q-plugin - v1.0 - - - callbacks.PluginCallbacks.get_device:9",
      // can_send_version('1.1'): the new name from 1.1 on, the old one (gone from the server) below.
      "neutronish-server agent_api.PluginApi.update_device call update_device q-plugin - v1.1 - - [1.1,) callbacks.PluginCallbacks.update_device:12",
      "neutronish-server agent_api.PluginApi.update_device call update_device_status q-plugin - v1.0 - - [,1.1) missing",
      // In the secgroup namespace no endpoint has it; the default-namespace one is not asked.
      "neutronish-server agent_api.SecurityGroupApi.members_for_devices call members_for_devices q-plugin secgroup v1.2 - - - missing",
      "neutronish-server agent_api.SecurityGroupApi.rules_for_devices call rules_for_devices q-plugin secgroup v1.2 - - - callbacks.SecurityGroupCallbacks.rules_for_devices:19",
      // `method = cctxt.call if use_call else cctxt.cast`: both.
      "neutronish-server agent_api.StateApi.report_state call report_state q-reports state v? - - - callbacks.BaseReports.report_state:24",
      "neutronish-server agent_api.StateApi.report_state cast report_state q-reports state v? - - - callbacks.BaseReports.report_state:24",
    ]);
  });

  test("a half-written client: a partial map, and diagnostics that say where", () => {
    const levels = map.diagnostics.map((d) => `${d.level} ${d.file}:${d.line} ${d.message}`);
    assert.ok(
      levels.includes(
        "warning neutronish/broken_api.py:18 syntax error in neutronish.broken_api; declarations after it may be missing",
      ),
    );
    assert.ok(
      levels.includes(
        "info neutronish/broken_api.py:15 neutronish.broken_api.HalfWrittenApi.dynamic sends a message whose method name is not known statically",
      ),
    );
    assert.equal(map.rpc.filter((r) => r.client.qualname.includes("HalfWrittenApi")).length, 0);
  });
});
