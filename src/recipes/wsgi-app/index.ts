import type { SourceRef } from "../../model/diagnostics.js";
import type { ClassDecl } from "../../python/binder.js";
import type { Evaluator } from "../../python/evaluator.js";
import { classRef, methodRef as handlerFor, qualname } from "../../python/refs.js";
import { unwrapController } from "../../wsgi/controllers.js";
import { dispatchTargets } from "../../wsgi/dispatch.js";
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
    // A Resource that picks its own action (Nova's versions apps override get_action_args).
    const actions = selfSelectedActions(ctx.ev, controller.cls);
    if (actions.length > 0) {
      return actions.flatMap((action) => {
        const { targets } = dispatchTargets(
          ctx.ev,
          { cls: controller.cls as ClassDecl, resource: controller.resource },
          [],
          action,
        );
        return targets.map((t) => ({
          method: "*",
          path: "",
          action: null,
          handler: t.handler,
          implementation: null,
          versions: t.versions,
          ...(t.status !== undefined ? { status: t.status } : {}),
          trace: [
            ...controller.trace,
            {
              step: "dispatch",
              detail: `get_action_args selects action ${action}`,
              ...actions.site,
            },
            ...t.trace,
          ],
        }));
      });
    }
    const handler =
      handlerFor(ctx.ev, controller.cls, "__call__") ??
      // A pecan root controller (pecan.make_app(Root())) answers `/` with its exposed index.
      handlerFor(ctx.ev, controller.cls, "index") ??
      classRef(ctx.ev, controller.cls);
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

/**
 * The action names a controller's own `get_action_args` can return: the string values it
 * gives the key "action" (`args['action'] = 'index'`, `return {'action': 'index'}`).
 */
function selfSelectedActions(ev: Evaluator, cls: ClassDecl): string[] & { site: SourceRef } {
  const found = ev.findMethod(cls, "get_action_args");
  const names: string[] = [];
  const site = { file: "", line: 0 };
  if (found?.owner === cls || (found && found.owner.name !== "Resource")) {
    const file = ev.program.module(found.owner.module)?.file.relPath ?? found.owner.module;
    Object.assign(site, { file, line: found.decl.line });
    const text = found.decl.body?.text ?? "";
    for (const m of text.matchAll(/['"]action['"]\s*[\]:]\s*=?\s*['"]([A-Za-z_]\w*)['"]/g)) {
      if (m[1] && !names.includes(m[1])) names.push(m[1]);
    }
  }
  return Object.assign(names, { site });
}
