import type { SourceRef } from "../../model/diagnostics.js";
import type { ClassDecl } from "../../python/binder.js";
import type { Evaluator } from "../../python/evaluator.js";
import { type Instance, truthy, type Value } from "../../python/values.js";
import type { AppContext } from "../types.js";
import { callMethod, type NeutronPlugin, strOf, supportedAliases } from "./plugins.js";

/** An API extension Neutron loaded: its alias, class and the file it came from. */
export interface NeutronExtension {
  alias: string;
  cls: ClassDecl;
  instance: Instance;
  source: SourceRef;
}

/**
 * ExtensionManager._load_all_extensions_from_path: every `.py` file of each extensions folder
 * (neutron/extensions, then `<service package>/extensions` of the service plugins), sorted, not
 * starting with `_`, whose class is the module name capitalised (`l3.py` → `L3`); then
 * PluginAwareExtensionManager keeps those a loaded plugin supports.
 */
export function loadExtensions(ctx: AppContext, plugins: NeutronPlugin[]): NeutronExtension[] {
  const { ev } = ctx;
  const supported = new Set<string>();
  for (const p of plugins) for (const a of supportedAliases(ev, p)) supported.add(a);

  const packages = ["neutron.extensions"];
  for (const p of plugins) {
    const top = p.cls.module.split(".")[0] as string;
    const pkg = `${top}.extensions`;
    if (!packages.includes(pkg) && ev.program.index.isPackageDir(pkg)) packages.push(pkg);
  }
  const extensions: NeutronExtension[] = [];
  const unsupported: string[] = [];
  for (const pkg of packages) {
    for (const mod of ev.program.index.submodules(pkg)) {
      const name = mod.name.slice(pkg.length + 1);
      if (name.startsWith("_") || mod.isPackage) continue;
      const cls = extensionClass(ev, mod.name, name);
      if (!cls) continue; // Neutron logs "Did not find expected name" and moves on
      const source = { file: mod.relPath, line: cls.line };
      const instance = ev.construct(cls, { positional: [], keywords: new Map() }, source);
      const alias = strOf(callMethod(ev, instance, "get_alias", source));
      if (alias === null) {
        ctx.diagnostics.warn(
          `neutron extension ${mod.name}.${cls.name}: its alias is not known statically`,
          source,
        );
        continue;
      }
      // PluginAwareExtensionManager._check_extension: a registered check decides alone.
      const check = customCheck(ev, cls, alias);
      if (check === false || (check === null && !supported.has(alias))) {
        unsupported.push(alias);
        continue;
      }
      if (!extensions.some((e) => e.alias === alias))
        extensions.push({ alias, cls, instance, source });
    }
  }
  if (unsupported.length > 0) {
    ctx.diagnostics.add(
      "info",
      `neutron: ${unsupported.length} extensions are not supported by the loaded plugins and are not served: ${unsupported.sort().join(", ")}`,
      ctx.source,
    );
  }
  return extensions;
}

/**
 * `extensions.register_custom_supported_check(ALIAS, lambda: …)` in an extension's class body
 * (Pike on: pagination, sorting, project-id, quota details): when registered, the function's
 * answer alone says whether the extension is supported, whatever the plugins claim. Null when
 * the class registers none; unknown answers count as supported (the extension may be served).
 */
function customCheck(ev: Evaluator, cls: ClassDecl, alias: string): boolean | null {
  const frame = { ...ev.moduleFrame(cls.module), classBody: cls };
  for (const stmt of cls.node.childForFieldName("body")?.namedChildren ?? []) {
    const call = stmt.type === "expression_statement" ? stmt.namedChildren[0] : null;
    if (call?.type !== "call") continue;
    if (
      !/(^|\.)register_custom_supported_check$/.test(call.childForFieldName("function")?.text ?? "")
    )
      continue;
    const args = ev.evalArgs(call.childForFieldName("arguments"), frame);
    const name = args.positional[0] ?? args.keywords.get("alias");
    const check = args.positional[1] ?? args.keywords.get("f");
    if (name?.kind !== "str" || name.value !== alias || !check) continue;
    const site = {
      file: ev.program.module(cls.module)?.file.relPath ?? cls.module,
      line: cls.line,
    };
    return truthy(ev.call(check, { positional: [], keywords: new Map() }, site)) !== false;
  }
  return null;
}

/** Zed uses `mod_name.capitalize()`; Juno–Pike `mod_name[0].upper() + mod_name[1:]`. */
function extensionClass(ev: Evaluator, module: string, name: string): ClassDecl | null {
  const capitalized = name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();
  const firstUpper = name.charAt(0).toUpperCase() + name.slice(1);
  for (const candidate of [capitalized, firstUpper]) {
    const loaded = ev.program.module(module);
    if (!loaded?.scope.names.has(candidate)) continue;
    const v = ev.moduleAttr(module, candidate);
    if (v.kind === "class") return v.decl;
  }
  return null;
}

/** `ext.get_resources()` / `get_pecan_resources()`: the ResourceExtension objects it returns. */
export function extensionResources(
  ev: Evaluator,
  ext: NeutronExtension,
  method: string,
): Instance[] {
  if (!ev.findMethod(ext.cls, method)) return [];
  const v = callMethod(ev, ext.instance, method, ext.source);
  const items = v.kind === "list" || v.kind === "tuple" ? v.items : [];
  return items.filter((x): x is Instance => x.kind === "instance");
}

export function attr(ev: Evaluator, obj: Instance, name: string): Value {
  return ev.getAttr(obj, name);
}
