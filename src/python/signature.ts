import type { FunctionDecl } from "./binder.js";

/** The names of a function's parameters, `self` first for a method, `*args`/`**kw` left out. */
export function parameterNames(fn: FunctionDecl): string[] {
  const out: string[] = [];
  for (const p of fn.params?.namedChildren ?? []) {
    if (p.type === "identifier") out.push(p.text);
    else if (p.type === "default_parameter" || p.type === "typed_default_parameter")
      out.push(p.childForFieldName("name")?.text ?? "?");
    else if (p.type === "typed_parameter") out.push(p.namedChildren[0]?.text ?? "?");
  }
  return out;
}
