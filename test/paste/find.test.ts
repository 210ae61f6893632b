import assert from "node:assert/strict";
import { relative } from "node:path";
import { describe, test } from "node:test";
import { findPasteFiles } from "../../src/paste/find.js";
import { fixture } from "../support/paths.js";

const find = (layout: string, project: string) => {
  const root = fixture("paste", "layouts", layout);
  return findPasteFiles(root, project).map((f) => relative(root, f));
};

describe("findPasteFiles", () => {
  test("etc/<project>/api-paste.ini first, then other paste files there, sorted", () => {
    assert.deepEqual(find("nova", "nova"), [
      "etc/nova/api-paste.ini",
      "etc/nova/placement-paste.ini",
    ]);
  });

  test("Glance: etc/*paste*.ini, then Debian's usr/share/glance-common", () => {
    assert.deepEqual(find("glance", "glance"), [
      "etc/glance-api-paste.ini",
      "etc/glance-registry-paste.ini",
      "usr/share/glance-common/glance-api-paste.ini",
    ]);
  });

  test("nothing for another project or a missing root", () => {
    assert.deepEqual(find("nova", "cinder"), []);
    assert.deepEqual(find("no-such-layout", "nova"), []);
  });
});
