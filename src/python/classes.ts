import type { ClassDecl, FunctionDecl } from "./binder.js";

/** A base class is one of ours (declared in a module on the path) or a name we cannot see into. */
export type ClassRef = { kind: "class"; decl: ClassDecl } | { kind: "external"; name: string };

/**
 * C3 linearisation, as Python computes `__mro__`, so a method is reported where it is
 * defined (Ml2Plugin.get_subnets lives in NeutronDbPluginV2). External bases end a chain.
 */
export function c3(cls: ClassDecl, basesOf: (c: ClassDecl) => ClassRef[]): ClassRef[] {
  const seen = new Set<ClassDecl>();
  const visit = (c: ClassDecl): ClassRef[] => {
    if (seen.has(c)) return [{ kind: "class", decl: c }]; // inheritance cycle in broken code
    seen.add(c);
    const bases = basesOf(c);
    const lists = bases.map((b) => (b.kind === "class" ? visit(b.decl) : [b]));
    seen.delete(c);
    return [{ kind: "class", decl: c }, ...merge([...lists, bases])];
  };
  return visit(cls);
}

function key(r: ClassRef): unknown {
  return r.kind === "class" ? r.decl : `external:${r.name}`;
}

function merge(seqs: ClassRef[][]): ClassRef[] {
  const lists = seqs.map((s) => [...s]).filter((s) => s.length > 0);
  const out: ClassRef[] = [];
  while (lists.length > 0) {
    let head: ClassRef | undefined;
    for (const list of lists) {
      const candidate = list[0];
      if (!candidate) continue;
      const k = key(candidate);
      if (!lists.some((l) => l.slice(1).some((x) => key(x) === k))) {
        head = candidate;
        break;
      }
    }
    // Python raises TypeError on an inconsistent hierarchy; we fall back to depth-first order.
    head ??= lists[0]?.[0];
    if (!head) break;
    const k = key(head);
    out.push(head);
    for (const list of lists) if (list[0] && key(list[0]) === k) list.shift();
    for (let i = lists.length - 1; i >= 0; i--) if (lists[i]?.length === 0) lists.splice(i, 1);
  }
  return out;
}

/** Where a method is really defined along an MRO; the last `def` of that name in the class wins. */
export function findMethod(
  mro: ClassRef[],
  name: string,
): { owner: ClassDecl; decl: FunctionDecl } | null {
  for (const ref of mro) {
    if (ref.kind !== "class") continue;
    const defs = ref.decl.methods.get(name);
    const last = defs?.[defs.length - 1];
    if (!last) continue;
    // `@x.setter def x(…)` after `@property def x(…)`: reading x runs the property's getter.
    const getter = defs?.find((d) => d.decorators.some((dec) => dec.text === "@property"));
    if (getter && last.decorators.some((dec) => /^@\w+\.(setter|deleter)$/.test(dec.text)))
      return { owner: ref.decl, decl: getter };
    return { owner: ref.decl, decl: last };
  }
  return null;
}
