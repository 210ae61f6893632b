import type { SourceRef } from "../model/diagnostics.js";
import type { FunctionDecl } from "../python/binder.js";
import type { Evaluator, EvaluatorHooks } from "../python/evaluator.js";
import { type CallArgs, type Instance, NONE, type Value } from "../python/values.js";

/**
 * Controllers registered into a `wsgi.Resource` after it was made: Nova's `_create_controller`
 * calls `resource.register_actions(SubController())` (Pike on), older releases call
 * `register_extensions` for controller extensions. The real methods read class attributes a
 * metaclass builds at import time; we record the controllers and let dispatch.ts read their
 * decorators instead.
 */
export class ResourceRegistrations {
  private readonly actions = new WeakMap<Instance, Instance[]>();
  private readonly extensions = new WeakMap<Instance, Instance[]>();

  actionControllers(resource: Instance | null): Instance[] {
    return resource ? (this.actions.get(resource) ?? []) : [];
  }

  extensionControllers(resource: Instance | null): Instance[] {
    return resource ? (this.extensions.get(resource) ?? []) : [];
  }

  hooks(ev: Evaluator, next: EvaluatorHooks): EvaluatorHooks["methodCall"] {
    return (
      self: Instance,
      method: FunctionDecl,
      args: CallArgs,
      site: SourceRef,
    ): Value | undefined => {
      const table =
        method.name === "register_actions"
          ? this.actions
          : method.name === "register_extensions"
            ? this.extensions
            : null;
      const controller = args.positional[0];
      if (table && controller?.kind === "instance" && ev.inherits(self.cls, "Resource")) {
        const list = table.get(self) ?? [];
        list.push(controller);
        table.set(self, list);
        return NONE;
      }
      return next.methodCall?.(self, method, args, site);
    };
  }
}
