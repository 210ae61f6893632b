import type { SourceRef } from "../model/diagnostics.js";
import type { Evaluator } from "../python/evaluator.js";
import { parameterNames } from "../python/signature.js";
import { type HostObject, type Instance, NONE, unknown, type Value } from "../python/values.js";

/** oslo.service's periodic task runner, and the copies projects kept before it (oslo-incubator). */
const PERIODIC_TASKS = /(?:^|\.)periodic_task\.PeriodicTasks$/;

/**
 * A model of oslo.service's `PeriodicTasks` base: `self.run_periodic_tasks(context)` runs the
 * object's methods decorated `@periodic_task.periodic_task(...)` (a Neutron agent's
 * `periodic_tasks()` syncs its state with the server that way). The methods run with their
 * arguments Unknown, once each, whatever their spacing.
 */
export function periodicTasksBase(
  ev: Evaluator,
): (base: string, args: unknown, site: SourceRef, self: Instance) => HostObject | undefined {
  return (base, _args, _site, self) => {
    if (!PERIODIC_TASKS.test(base)) return undefined;
    return {
      label: base,
      getAttr: (name) => (name === "run_periodic_tasks" ? runner(ev, self) : undefined),
    };
  };
}

function runner(ev: Evaluator, self: Instance): Value {
  return {
    kind: "host",
    host: {
      label: "run_periodic_tasks()",
      call: (_args, site) => {
        for (const ref of ev.mro(self.cls)) {
          if (ref.kind !== "class") continue;
          for (const defs of ref.decl.methods.values()) {
            const fn = defs[defs.length - 1];
            if (!fn?.decorators.some((d) => /periodic_task\b/.test(d.text))) continue;
            if (ev.findMethod(self.cls, fn.name)?.decl !== fn) continue; // overridden below
            const args = parameterNames(fn)
              .slice(1)
              .map((p) => unknown(`argument ${p}`));
            ev.callFunction(fn, self, { positional: args, keywords: new Map() }, site);
          }
        }
        return NONE;
      },
    },
  };
}
