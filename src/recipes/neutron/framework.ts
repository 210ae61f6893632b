import type { TraceStep } from "../../model/map.js";
import type { Evaluator } from "../../python/evaluator.js";
import { type CallArgs, unknown, type Value } from "../../python/values.js";
import type { AppContext } from "../types.js";

/**
 * Which framework answers /v2.0, decided by running the code that decides it:
 * - `legacy`: the paste app is the routes-based APIRouter (Juno–Ocata by default; Pike with
 *   `web_framework = legacy`, chosen in APIRouter.factory);
 * - `pecan`: the paste app factory returns the pecan app (Pike by default, Queens on), behind
 *   the same pipeline, `extensions` filter included;
 * - `pecan-standalone`: neutron-server never loads the paste file; it builds pecan's own app
 *   (Mitaka–Ocata with `web_framework = pecan`, chosen in neutron/cmd/eventlet/server).
 */
export type NeutronFramework = "legacy" | "pecan" | "pecan-standalone";

export function servingFramework(ctx: AppContext): {
  framework: NeutronFramework;
  trace: TraceStep[];
} {
  const made = runUntilBuilt(ctx.ev, () =>
    ctx.ev.call(
      ctx.factory,
      { positional: [{ kind: "dict", entries: new Map() }], keywords: new Map() },
      ctx.source,
    ),
  );
  if (made.builds === "pecan") {
    return {
      framework: "pecan",
      trace: [
        {
          step: "factory",
          detail: `${ctx.factorySpec} returns the pecan app (${made.detail})`,
          ...made.site,
        },
      ],
    };
  }
  // The factory builds the APIRouter; Mitaka–Ocata's server may not use the paste app at all.
  const launch = launchPath(ctx);
  if (launch?.builds === "pecan") {
    return {
      framework: "pecan-standalone",
      trace: [
        {
          step: "server",
          detail: `neutron-server builds the pecan app itself (${launch.detail}); the paste pipeline is not used`,
          ...launch.site,
        },
      ],
    };
  }
  return { framework: "legacy", trace: [] };
}

interface Built {
  builds: "pecan" | "paste" | null;
  detail: string;
  site: { file: string; line: number };
}

/**
 * Run some code abstractly until it builds an app: a call of `pecan.make_app`, or of a
 * project's `load_paste_app`. Everything after that is skipped (it would start the plugins).
 */
function runUntilBuilt(ev: Evaluator, run: () => Value): Built {
  let built: Built = { builds: null, detail: "", site: { file: "", line: 0 } };
  const saved = ev.hooks;
  const stop = (): Value => unknown("after the app was built");
  ev.hooks = {
    ...saved,
    externalCall: (name, args: CallArgs, site) => {
      if (built.builds) return stop();
      if (name === "pecan.make_app") {
        built = { builds: "pecan", detail: "pecan.make_app", site };
        return stop();
      }
      return saved.externalCall?.(name, args, site);
    },
    functionCall: (fn, args, site) => {
      if (built.builds) return stop();
      if (fn.name === "load_paste_app") {
        built = { builds: "paste", detail: `${fn.module}.load_paste_app`, site };
        return stop();
      }
      return saved.functionCall?.(fn, args, site);
    },
  };
  try {
    run();
  } finally {
    ev.hooks = saved;
  }
  return built;
}

/**
 * What neutron-server's console script builds (Mitaka–Ocata choose between the paste app and
 * pecan's own app by `web_framework` there); null when the tree has no such script.
 */
function launchPath(ctx: AppContext): (Built & { builds: "pecan" | "paste" }) | null {
  const ep = ctx.entryPoints("console_scripts").find((e) => e.name === "neutron-server");
  if (!ep?.module) return null;
  const main = ctx.ev.resolveDotted(ep.module, (ep.attr ?? "main").split("."));
  if (main.kind !== "function") return null;
  const built = runUntilBuilt(ctx.ev, () =>
    ctx.ev.call(main, { positional: [], keywords: new Map() }, ep.source),
  );
  return built.builds ? (built as Built & { builds: "pecan" | "paste" }) : null;
}
