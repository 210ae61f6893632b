import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap } from "../../src/model/map.js";
import { debianTree } from "../support/debian.js";

/**
 * Cinder from Debian's python3-cinder + cinder-common (Zed). The expected remote methods are
 * read from the rpcapi sources with a plain text scan — a different method from apimap's
 * (syntax tree + evaluation) — so the two can disagree.
 */
describe("cinder services and RPC (Debian python3-cinder, Zed)", () => {
  let tree: string;
  let map: ApiMap;

  before(() => {
    tree = debianTree("cinder", ["python3-cinder", "cinder-common"]);
    map = analyze([tree]);
  });

  test("volume, scheduler and backup are RPC services with their managers; the API is WSGI", () => {
    const rpc = map.services
      .filter((s) => s.kind === "rpc")
      .map((s) => [s.binary, s.topic, s.manager?.qualname]);
    assert.deepEqual(rpc, [
      ["cinder-backup", "backup", "cinder.backup.manager.BackupManager"],
      ["cinder-scheduler", "scheduler", "cinder.scheduler.manager.SchedulerManager"],
      ["cinder-volume", "volume", "cinder.volume.manager.VolumeManager"],
    ]);
    assert.deepEqual(
      map.services.find((s) => s.binary === "cinder-api")?.apps?.map((a) => a.name),
      ["osapi_volume"],
    );
  });

  for (const [service, module] of [
    ["cinder-volume", "volume"],
    ["cinder-scheduler", "scheduler"],
    ["cinder-backup", "backup"],
  ] as const) {
    test(`${service}: every method its rpcapi sends, each reaching the manager`, () => {
      const text = readFileSync(
        join(tree, "usr/lib/python3/dist-packages/cinder", module, "rpcapi.py"),
        "utf8",
      );
      const sent = new Set(
        [...text.matchAll(/\.(?:cast|call)\(\s*\w+,\s*['"](\w+)['"]/g)].map((m) => m[1] as string),
      );
      // `method = 'failover'` … `method = 'failover_host'` … `cctxt.cast(ctxt, method, …)`.
      for (const def of text.split(/\n {4}def /)) {
        if (!/\.(?:cast|call)\(\s*\w+,\s*method\b/.test(def)) continue;
        for (const m of def.matchAll(/\bmethod = ['"](\w+)['"]/g)) sent.add(m[1] as string);
      }
      const mapped = map.rpc.filter((r) => r.service === service);
      assert.deepEqual([...new Set(mapped.map((r) => r.method))].sort(), [...sent].sort());
      for (const r of mapped) {
        // failover_host went in Victoria; a client capped below 3.8 still sends it.
        if (r.method === "failover_host") {
          assert.equal(r.server, null);
          assert.equal(r.missing, true);
          continue;
        }
        assert.ok(r.server, `${r.client.qualname} sends ${r.method}: the manager has it`);
        assert.ok(r.server?.qualname.endsWith(`.${r.method}`));
      }
    });
  }

  test("fanout: every send of a client method that prepares with fanout=True, and only those", () => {
    // The rpcapi text: a method whose body passes `fanout=True` (to prepare or _get_cctxt).
    const fanout = new Set<string>();
    for (const module of ["volume", "scheduler", "backup"]) {
      const text = readFileSync(
        join(tree, "usr/lib/python3/dist-packages/cinder", module, "rpcapi.py"),
        "utf8",
      );
      for (const def of text.split(/\n {4}def /).slice(1)) {
        if (/fanout=True/.test(def)) fanout.add(`${module} ${def.slice(0, def.indexOf("("))}`);
      }
    }
    const mapped = new Set(
      map.rpc
        .filter((r) => r.fanout)
        .map((r) => {
          const [, module, , , method] = r.client.qualname.split(".");
          return `${module} ${method}`;
        }),
    );
    assert.deepEqual([...mapped].sort(), [...fanout].sort());
    for (const module of ["volume", "backup"]) {
      const publish = map.rpc.filter(
        (r) =>
          r.client.qualname ===
          `cinder.${module}.rpcapi.${module === "volume" ? "VolumeAPI" : "BackupAPI"}.publish_service_capabilities`,
      );
      assert.deepEqual(
        publish.map((r) => [r.method, r.mode, r.fanout]),
        [["publish_service_capabilities", "cast", true]],
      );
    }
  });

  test("failover: failover_host below 3.8, failover from 3.8 on, as can_send_version('3.8') decides", () => {
    const failover = map.rpc.filter(
      (r) => r.client.qualname === "cinder.volume.rpcapi.VolumeAPI.failover",
    );
    assert.deepEqual(
      failover.map((r) => [r.method, r.mode, r.version, r.negotiated]),
      [
        ["failover_host", "cast", "3.0", { min: null, max: "3.8" }],
        ["failover", "cast", "3.8", { min: "3.8", max: null }],
      ],
    );
    assert.equal(
      failover.find((r) => r.method === "failover")?.server?.qualname,
      "cinder.volume.manager.VolumeManager.failover",
    );
  });

  test("a method that does not depend on the negotiated version is one entry, without a range", () => {
    const extend = map.rpc.filter(
      (r) => r.client.qualname === "cinder.volume.rpcapi.VolumeAPI.extend_volume",
    );
    assert.equal(extend.length, 1);
    assert.equal(extend[0]?.negotiated, undefined);
  });
});
