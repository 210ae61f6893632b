import type { SourceRef } from "../model/diagnostics.js";
import type { FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import { type CallArgs, unknown, type Value } from "../python/values.js";

/**
 * oslo.utils' importutils (and the copy older releases keep in `<project>/openstack/common/`):
 * loading a class by its dotted name is how configuration picks plugins, so a constant
 * string is resolved statically instead of being an Unknown.
 */
export function importutilsCall(
  ev: Evaluator,
  name: string,
  args: CallArgs,
  site: SourceRef,
): Value | undefined {
  const [first, ...rest] = args.positional;
  if (first?.kind !== "str") return undefined;
  const dotted = first.value;
  switch (name) {
    case "import_module":
      return ev.moduleRef(dotted);
    case "import_class":
    case "import_object":
    case "import_object_ns": {
      const dot = dotted.lastIndexOf(".");
      if (dot < 0) return unknown(`import_class(${JSON.stringify(dotted)})`, site);
      const cls = ev.resolveDotted(dotted.slice(0, dot), [dotted.slice(dot + 1)]);
      if (name === "import_class") return cls;
      return ev.call(cls, { positional: rest, keywords: args.keywords }, site);
    }
    default:
      return undefined;
  }
}

/** `importutils.import_class(...)` reached through the project's own copy of importutils. */
export function importutilsFunction(
  ev: Evaluator,
  fn: FunctionDecl,
  args: CallArgs,
  site: SourceRef,
) {
  if (!fn.module.endsWith("importutils") || fn.owner) return undefined;
  return importutilsCall(ev, fn.name, args, site);
}

/** `oslo_utils.importutils.import_class(...)` and the pre-Liberty `oslo.utils` spelling. */
export function importutilsExternal(ev: Evaluator, name: string, args: CallArgs, site: SourceRef) {
  const m = /^(?:oslo_utils|oslo\.utils)\.importutils\.(\w+)$/.exec(name);
  return m ? importutilsCall(ev, m[1] as string, args, site) : undefined;
}
