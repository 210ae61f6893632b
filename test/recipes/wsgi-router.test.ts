import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { analyze } from "../../src/analyze.js";
import type { ApiMap, Endpoint } from "../../src/model/map.js";
import { fixture } from "../support/paths.js";

const row = (e: Endpoint) =>
  `${e.method} ${e.path} ${e.handler ? `${e.handler.qualname}:${e.handler.line}` : "-"}`;

describe("recipe wsgi-router (fixtures/recipes/wsgi-router: a teapot service)", () => {
  let map: ApiMap;
  before(() => {
    map = analyze([fixture("recipes", "wsgi-router")]);
  });

  test("maps both apps with the recipe that understands each factory", () => {
    assert.deepEqual(
      map.apps.map((a) => [a.mount, a.name, a.recipe, a.pipeline.join(" ")]),
      [
        ["/", "versions", "wsgi-app", ""],
        ["/v1", "apiapp", "wsgi-router", "request_id"],
      ],
    );
  });

  test("every mapper call becomes an endpoint with the handler where it is defined", () => {
    const P = "teapot.api.pots.PotsController";
    const B = "teapot.api.wsgi.BaseController";
    assert.deepEqual(map.endpoints.filter((e) => e.app === "apiapp").map(row), [
      "* /v1 -", // Router.__init__: mapper.redirect("", "/")
      `GET /v1/cups ${P}.index:5`, // under an undecidable `if`: included, with an info diagnostic
      `GET /v1/kitchen/pots ${P}.index:5`, // submapper path_prefix
      `GET /v1/pots ${P}.index:5`,
      `POST /v1/pots ${P}.create:8`,
      `POST /v1/pots/black/{id} ${P}.pour:11`, // for loop + %-format
      `POST /v1/pots/green/{id} ${P}.pour:11`,
      `GET /v1/pots/{id} ${B}.show:36`, // inherited: reported where defined
      `GET /v1/pots/{id}/lid ${B}.default:39`, // Resource.dispatch falls back to default
      `GET /v1/saucers ${P}.index:5`, // mapper.resource
      `POST /v1/saucers ${P}.create:8`,
      `GET /v1/saucers/new ${B}.default:39`,
      `DELETE /v1/saucers/{id} ${B}.default:39`,
      `GET /v1/saucers/{id} ${B}.show:36`,
      `PUT /v1/saucers/{id} ${B}.default:39`,
      `GET /v1/saucers/{id}/edit ${B}.default:39`,
      "POST /v1/trays -", // TrayController has neither `stack` nor `default`
    ]);
  });

  test("what cannot be resolved is said, with file and line", () => {
    const warnings = map.diagnostics
      .filter((d) => d.level === "warning")
      .map((d) => `${d.message} @${d.file}:${d.line}`);
    assert.deepEqual(warnings, [
      "teapot.api.pots.TrayController has no method stack (route /trays) @teapot/api/router.py:32",
    ]);
    const infos = map.diagnostics
      .filter((d) => d.level === "info")
      .map((d) => `${d.message} @${d.file}:${d.line}`);
    for (const action of ["new", "update", "delete", "edit"]) {
      assert.ok(
        infos.some(
          (m) =>
            m.includes(
              `PotsController has no method ${action}; teapot.api.wsgi.Resource.dispatch falls back to default`,
            ) && m.endsWith("@teapot/api/router.py:31"),
        ),
        `no fallback note for ${action}: ${infos.join("\n")}`,
      );
    }
    assert.ok(
      infos.some(
        (m) =>
          m.includes("`wsgi.CONF.enable_cups` is not decidable") &&
          m.endsWith("@teapot/api/router.py:28"),
      ),
    );
  });

  test("the trace walks paste → route → resource → controller → handler", () => {
    const pour = map.endpoints.find((e) => e.path === "/v1/pots/green/{id}");
    assert.deepEqual(
      pour?.trace.map((t) => `${t.step} ${t.file}:${t.line}`),
      [
        "paste etc/teapot/api-paste.ini:4", // urlmap /v1
        "paste etc/teapot/api-paste.ini:7", // pipeline
        "paste etc/teapot/api-paste.ini:15", // [app:apiapp]
        "recipe etc/teapot/api-paste.ini:15",
        "route teapot/api/router.py:22",
        "resource teapot/api/pots.py:17",
        "controller teapot/api/pots.py:16",
        "handler teapot/api/pots.py:11",
      ],
    );
  });

  test("the versions app is one endpoint answered by the controller's __call__", () => {
    assert.deepEqual(map.endpoints.filter((e) => e.app === "versions").map(row), [
      "* / teapot.api.versions.Controller.__call__:8",
    ]);
  });
});
