import type { SourceRef } from "../model/diagnostics.js";
import type { Evaluator } from "../python/evaluator.js";
import { type CallArgs, str, type Value } from "../python/values.js";
import { MapperObject, ROUTES_MAPPER_NAMES } from "../wsgi/mapperObject.js";
import { ResourceRegistrations } from "../wsgi/resource.js";
import type { AppContext } from "./types.js";

/** The result of calling a paste factory abstractly, with every routes.Mapper it built. */
export interface FactoryRun {
  app: Value;
  mappers: MapperObject[];
  /** Controllers registered into wsgi.Resource objects while the factory ran. */
  registrations: ResourceRegistrations;
  /** `controller\0action` pairs of generated routes no method answers (filled by recipes). */
  missing: Set<string>;
}

/**
 * Call the app factory as PasteDeploy would, `factory(global_conf, **local_conf)`, and run
 * the app's constructor eagerly: that is where OpenStack routers fill their mapper.
 */
export function runFactory(ctx: AppContext): FactoryRun {
  const { ev } = ctx;
  return captureMappers(ev, () => {
    const localConf = new Map<string, Value>(
      Object.entries(ctx.localConf).map(([k, v]) => [k, str(v)]),
    );
    const args: CallArgs = {
      positional: [{ kind: "dict", entries: new Map() }],
      keywords: localConf,
    };
    const app = ev.call(ctx.factory, args, ctx.source);
    if (app.kind === "instance") ev.initialise(app, ctx.source);
    return app;
  });
}

/** Run some Python abstractly and collect every routes.Mapper it builds and fills. */
export function captureMappers(ev: Evaluator, run: () => Value): FactoryRun {
  const mappers: MapperObject[] = [];
  const registrations = new ResourceRegistrations();
  const saved = ev.hooks;
  const explicitOf = (args: CallArgs) => {
    const e = args.keywords.get("explicit");
    return e?.kind === "bool" ? e.value : undefined;
  };
  const newMapper = (site: SourceRef, args: CallArgs) => {
    const m = new MapperObject(site, explicitOf(args), () => ({
      iterations: ev.iterations,
      stack: ev.callStack,
    }));
    mappers.push(m);
    return m;
  };
  ev.hooks = {
    ...saved,
    methodCall: registrations.hooks(ev, saved),
    externalCall: (name, args, site) => {
      // `routes.Mapper.resource(self, …)`: an unbound call on a subclass instance (Nova's ProjectMapper).
      const dot = name.lastIndexOf(".");
      const self = args.positional[0];
      if (ROUTES_MAPPER_NAMES.has(name.slice(0, dot)) && self?.kind === "instance" && self.host) {
        const method = self.host.getAttr?.(name.slice(dot + 1));
        if (method?.kind === "host" && method.host.call) {
          return method.host.call(
            { positional: args.positional.slice(1), keywords: args.keywords },
            site,
          );
        }
      }
      if (!ROUTES_MAPPER_NAMES.has(name)) return saved.externalCall?.(name, args, site);
      return { kind: "host", host: newMapper(site, args) };
    },
    hostFor: (base, args, site, self) =>
      ROUTES_MAPPER_NAMES.has(base)
        ? newMapper(site, args)
        : saved.hostFor?.(base, args, site, self),
  };
  try {
    const app = run();
    return { app, mappers, registrations, missing: new Set() };
  } finally {
    ev.hooks = saved;
  }
}
