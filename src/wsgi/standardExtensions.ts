import type { SourceRef } from "../model/diagnostics.js";
import type { FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import { type CallArgs, NONE, str, type Value } from "../python/values.js";

/**
 * `load_standard_extensions(ext_mgr, logger, path, package, ext_list=None)` of Nova's legacy
 * v2 API (Juno–Kilo `nova/api/openstack/extensions.py`, also Cinder's): it walks the contrib
 * package with os.walk and calls `ext_mgr.load_extension("<package>.<module>.<Module>")` for
 * every module, the class named after the file with its first letter capitalised. We walk the
 * package through the module index instead of the file system API.
 */
export function loadStandardExtensions(
  ev: Evaluator,
  fn: FunctionDecl,
  args: CallArgs,
  site: SourceRef,
): Value | undefined {
  if (fn.name !== "load_standard_extensions" || fn.owner || !fn.module.endsWith(".extensions"))
    return undefined;
  const [extMgr, , , pkg] = args.positional;
  const packageName = pkg ?? args.keywords.get("package");
  if (!extMgr || packageName?.kind !== "str") return undefined;
  const extList = args.positional[4] ?? args.keywords.get("ext_list");
  const wanted =
    extList?.kind === "list"
      ? extList.items.flatMap((v) => (v.kind === "str" ? [v.value] : []))
      : null;
  const load = ev.getAttr(extMgr, "load_extension", site);
  for (const mod of ev.program.index.submodules(packageName.value)) {
    if (mod.isPackage) continue; // subpackages delegate to their own `extension()`; none in Nova's contrib
    const root = mod.name.slice(packageName.value.length + 1);
    const classname = root.charAt(0).toUpperCase() + root.slice(1);
    if (wanted && !wanted.includes(classname)) continue;
    ev.call(load, { positional: [str(`${mod.name}.${classname}`)], keywords: new Map() }, site);
  }
  return NONE;
}
