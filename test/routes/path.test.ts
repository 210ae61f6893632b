import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Mapper } from "../../src/routes/mapper.js";
import { joinMount, toTemplate } from "../../src/routes/path.js";

describe("toTemplate", () => {
  const cases: Array<[string, string, string, string[]]> = [
    // routepath, path, format, params
    ["/messages", "/messages", "none", []],
    ["/messages/:(id)", "/messages/{id}", "none", ["id"]],
    ["/messages/:id", "/messages/{id}", "none", ["id"]],
    ["/messages/{id}", "/messages/{id}", "none", ["id"]],
    ["/servers/{id:\\d+}/ips", "/servers/{id}/ips", "none", ["id"]],
    ["/x/{n:\\d{2}}", "/x/{n}}", "none", ["n"]], // Routes ends the variable at the first '}'
    ["/entries{.format}", "/entries", "optional", []],
    ["/entries/{id}{.format}", "/entries/{id}", "optional", ["id"]],
    ["/messages.:(format)", "/messages", "required", []],
    ["/messages/:(id).:(format)", "/messages/{id}", "required", ["id"]],
    ["/messages/:(id)/edit.:(format)", "/messages/{id}/edit", "required", ["id"]],
    ["/v2.0/extensions/{alias}.:(format)", "/v2.0/extensions/{alias}", "required", ["alias"]],
    ["/a/:id.:format", "/a/{id}", "required", ["id"]],
    ["/a/{id}.{format}", "/a/{id}", "required", ["id"]],
    ["/files/*path", "/files/{path}", "none", ["path"]],
    ["/v/:id-:rev.json", "/v/{id}-{rev}.json", "none", ["id", "rev"]],
    ["/a\\:b/:(id)", "/a:b/{id}", "none", ["id"]],
    ["/f/{name}{.ext}/x", "/f/{name}.{ext}/x", "none", ["name", "ext"]],
    ["/format/:(format)", "/format/{format}", "none", ["format"]],
    ["", "", "none", []],
    ["/", "/", "none", []],
  ];
  for (const [routepath, path, format, params] of cases) {
    test(routepath || "(empty)", () => {
      const t = toTemplate(routepath);
      assert.deepEqual(t, { path, format, formatVariant: format === "required", params });
    });
  }

  test("every resource route folds onto its base path", () => {
    const m = new Mapper();
    m.resource("message", "messages", { member: { mark: "POST" } });
    const bases = new Set(m.routes.map((r) => toTemplate(r.routepath).path));
    assert.deepEqual([...bases].sort(), [
      "/messages",
      "/messages/new",
      "/messages/{id}",
      "/messages/{id}/edit",
      "/messages/{id}/mark",
    ]);
    const variants = m.routes.filter((r) => toTemplate(r.routepath).formatVariant);
    assert.equal(variants.length * 2, m.routes.length);
  });
});

describe("joinMount", () => {
  const cases: Array<[string, string, string]> = [
    ["/v2", "/images", "/v2/images"],
    ["/", "/images", "/images"],
    ["", "/images", "/images"],
    ["/v2/", "/images", "/v2/images"],
    ["/v2", "images", "/v2/images"],
    ["v2", "/images", "/v2/images"],
    ["/v2", "", "/v2"],
    ["/v2", "/", "/v2/"], // urlmap: /v2 reaches route "", /v2/ reaches route "/"
    ["/", "/", "/"],
    ["", "", "/"],
    ["/", "", "/"],
    ["/v2", "/images/{id}", "/v2/images/{id}"],
  ];
  for (const [mount, path, want] of cases) {
    test(`${JSON.stringify(mount)} + ${JSON.stringify(path)}`, () => {
      assert.equal(joinMount(mount, path), want);
    });
  }
});
