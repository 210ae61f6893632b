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
      const mapped = map.rpc.filter((r) => r.service === service);
      assert.deepEqual([...new Set(mapped.map((r) => r.method))].sort(), [...sent].sort());
      for (const r of mapped) {
        assert.ok(r.server, `${r.client.qualname} sends ${r.method}: the manager has it`);
        assert.ok(r.server?.qualname.endsWith(`.${r.method}`));
      }
    });
  }
});
