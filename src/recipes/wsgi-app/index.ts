import { classRef, handlerFor, qualname, unwrapController } from "../../wsgi/controllers.js";
import { runFactory } from "../factory.js";
import type { Recipe } from "../types.js";

/**
 * A factory that returns a plain WSGI application with no router: the whole mount is one
 * endpoint whose handler is the controller's `__call__` (Glance's and Neutron's versions apps).
 * It is the fallback for any factory we can call; others claim the factory first.
 */
const recipe: Recipe = {
  name: "wsgi-app",
  title: "a single WSGI application answering its whole mount",
  usedBy: ["glance versions", "nova versions", "neutron versions"],

  applies(ctx) {
    return ctx.factory.kind === "function" || ctx.factory.kind === "class";
  },

  map(ctx) {
    const run = runFactory(ctx);
    const controller = unwrapController(ctx.ev, run.app);
    if (!controller.cls) {
      ctx.diagnostics.warn(
        `${ctx.factorySpec}: cannot tell what the app factory returns (${controller.problem})`,
        ctx.source,
      );
      return [];
    }
    const handler =
      handlerFor(ctx.ev, controller.cls, "__call__") ?? classRef(ctx.ev, controller.cls);
    return [
      {
        method: "*",
        path: "",
        action: null,
        handler,
        implementation: null,
        versions: null,
        trace: [
          ...controller.trace,
          {
            step: "handler",
            detail: `${qualname(controller.cls)}.__call__ answers every request`,
            file: handler.file,
            line: handler.line,
          },
        ],
      },
    ];
  },
};

export default recipe;
