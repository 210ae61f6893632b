import type { Recipe } from "../types.js";

/**
 * An app whose factory lives in a library outside the roots (oslo.middleware's Healthcheck):
 * apimap cannot look inside, but the mount is still an endpoint and is listed as such.
 */
const recipe: Recipe = {
  name: "library-app",
  title: "an application served by a library outside the search path",
  usedBy: ["neutron /healthcheck", "nova healthcheck"],

  applies(ctx) {
    return (
      ctx.factory.kind === "external" ||
      (ctx.factory.kind === "unknown" && /not on the search path/.test(ctx.factory.reason))
    );
  },

  map(ctx) {
    ctx.diagnostics.add(
      "info",
      `app ${ctx.name}: ${ctx.factorySpec} is a library outside the search path; its mount is listed without a handler`,
      ctx.source,
    );
    return [
      {
        method: "*",
        path: "",
        action: null,
        handler: null,
        implementation: null,
        versions: null,
        trace: [
          { step: "library", detail: `${ctx.factorySpec} (not on the search path)`, ...ctx.source },
        ],
      },
    ];
  },
};

export default recipe;
