import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatTemplate } from "../../src/python/evaluator.js";
import { str } from "../../src/python/values.js";
import { topicsMatch } from "../../src/rpc/dispatch.js";
import { canSendVersion, capBelow, servesVersion } from "../../src/rpc/versions.js";

describe("rpc versions, as oslo.messaging compares them", () => {
  test("can_send_version: no cap sends anything; a cap sends its major up to its minor", () => {
    assert.equal(canSendVersion(null, "6.1"), true);
    assert.equal(canSendVersion("3.8", "3.8"), true);
    assert.equal(canSendVersion("3.10", "3.8"), true, "3.10 is above 3.8: minors are numbers");
    assert.equal(canSendVersion("3.7", "3.8"), false);
    assert.equal(canSendVersion("6.0", "5.2"), false, "another major");
  });

  test("the cap just below a version: the run of the range under it", () => {
    assert.equal(capBelow("3.8"), "3.7");
    assert.equal(capBelow("6.0"), "5.999");
    assert.equal(canSendVersion(capBelow("6.0"), "5.13"), true);
  });

  test("an endpoint serves its major up to its minor; no version is 1.0 on both sides", () => {
    assert.equal(servesVersion("1.9", "1.5"), true);
    assert.equal(servesVersion("1.4", "1.5"), false);
    assert.equal(servesVersion("2.0", "1.0"), false);
  });
});

describe("rpc topics: templates of formatted topics", () => {
  test("a %-format with unknown parts names them", () => {
    assert.equal(
      formatTemplate(
        "%s.%s",
        { kind: "tuple", items: [str("q-plugin"), { kind: "unknown", reason: "x" }] },
        ["topic", "host"],
      ),
      "q-plugin.{host}",
    );
    assert.equal(
      formatTemplate(
        "neutron-vo-%(resource_type)s-%(version)s",
        { kind: "dict", entries: new Map([["resource_type", str("Port")]]) },
        [],
      ),
      "neutron-vo-Port-{version}",
    );
  });

  test("a template matches the topics some string fits", () => {
    assert.equal(topicsMatch("neutron-vo-{resource_type}-{version}", "neutron-vo-Port-1.1"), true);
    assert.equal(topicsMatch("neutron-vo-{a}-{b}", "neutron-vo-{resource_type}-{version}"), true);
    assert.equal(
      topicsMatch("q-agent-notifier-port-update", "q-agent-notifier-port-update.{host}"),
      false,
    );
    assert.equal(topicsMatch("q-plugin", "q-l3-plugin"), false);
    assert.equal(topicsMatch(null, "q-plugin"), true, "an unknown topic may be any");
  });
});
