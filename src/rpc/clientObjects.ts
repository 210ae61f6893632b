import type { ClassDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import type { SyntaxNode } from "../python/parse.js";
import { parameterNames } from "../python/signature.js";
import { type CallArgs, type Instance, noArgs, type Value } from "../python/values.js";

/** Making an RPC client: oslo.messaging's, or a project's `rpc.get_client(target)`. */
const MAKES_CLIENT = /\b(?:get_client|RPCClient|get_rpc_client)\(/;

/**
 * The RPC client objects of a tree: every class of the project (and its libraries) whose
 * constructor makes an RPC client — `__init__` or, for a singleton, `__new__`, its own or
 * inherited — made once per distinct set of arguments the code constructs it (or a subclass
 * of it) with: `PluginApi(topics.PLUGIN)`, `L3PluginApi(topics.L3PLUGIN, host)`. A class
 * nobody constructs with arguments is made with none (its defaults). Tests are not searched.
 */
export function clientObjects(ev: Evaluator, skip: (module: string) => boolean): Instance[] {
  const families = clientClasses(ev);
  const classes = [...families.keys()].filter((c) => !skip(c.module));
  const names = [...new Set(classes.flatMap((c) => families.get(c) ?? []).map((c) => c.name))];
  const mentions = ev.subclasses.mentionsOf(names);
  const out: Instance[] = [];
  for (const cls of classes) {
    const family = families.get(cls) ?? [cls];
    // A constructor without parameters is made one way, wherever it is called.
    const made = takesArguments(ev, cls)
      ? constructions(
          ev,
          family,
          family.flatMap((c) => mentions.get(c.name) ?? []),
        )
      : [];
    if (made.length === 0) made.push(noArgs());
    const site = {
      file: ev.program.module(cls.module)?.file.relPath ?? cls.module,
      line: cls.line,
    };
    for (const args of made)
      out.push(ev.withMode({ ownNew: true }, () => ev.construct(cls, args, site)));
  }
  return out;
}

const found = new WeakMap<Evaluator, Map<ClassDecl, ClassDecl[]>>();

/**
 * The classes whose constructor makes an RPC client, each with its subclasses (the classes
 * whose objects are clients of theirs): found once per evaluator, from the project's files.
 */
export function clientClasses(ev: Evaluator): Map<ClassDecl, ClassDecl[]> {
  const hit = found.get(ev);
  if (hit) return hit;
  const out = new Map<ClassDecl, ClassDecl[]>();
  for (const file of ev.subclasses.filesMatching(MAKES_CLIENT)) {
    const module = ev.program.index.moduleForFile(file.path);
    for (const cls of (module ? ev.program.module(module)?.scope.classes : null) ?? [])
      if (makesClient(ev, cls)) out.set(cls, descendants(ev, cls));
  }
  found.set(ev, out);
  return out;
}

/** Whether the class's constructor (`__init__`, else `__new__`) has parameters besides self. */
function takesArguments(ev: Evaluator, cls: ClassDecl): boolean {
  const ctor = ev.findMethod(cls, "__init__") ?? ev.findMethod(cls, "__new__");
  return !ctor || parameterNames(ctor.decl).length > 1 || /\*/.test(ctor.decl.params?.text ?? "");
}

/** A constructor along the MRO makes a client: the class's own, or a base's it calls. */
function makesClient(ev: Evaluator, cls: ClassDecl): boolean {
  return ev.mro(cls).some((ref) => {
    if (ref.kind !== "class") return false;
    return ["__init__", "__new__"].some((name) =>
      (ref.decl.methods.get(name) ?? []).some((d) => MAKES_CLIENT.test(ev.program.bodyText(d))),
    );
  });
}

/**
 * The distinct arguments a class is constructed with across the tree, by it or a subclass,
 * evaluated where the call is written (a function's parameters stay Unknown).
 */
function constructions(
  ev: Evaluator,
  family: ClassDecl[],
  mentions: { path: string; text: string; index: number }[],
): CallArgs[] {
  const out: CallArgs[] = [];
  const seen = new Set<string>();
  for (const m of mentions) {
    // `ResourcesPushRpcApi()`: no arguments, nothing to read in that module.
    if (/^\s*\)/.test(m.text.slice(m.text.indexOf("(", m.index) + 1, m.index + 400))) {
      if (!seen.has("")) {
        seen.add("");
        out.push(noArgs());
      }
      continue;
    }
    // `class OVSPluginApi(agent_rpc.CacheBackedPluginApi):` names it without making one.
    if (/\bclass\s+\w+\s*\([^)]*$/.test(m.text.slice(Math.max(0, m.index - 200), m.index)))
      continue;
    const module = ev.program.index.moduleForFile(m.path);
    const loaded = module ? ev.program.module(module) : null;
    if (!module || !loaded) continue;
    const call = callAt(loaded.parsed.nodeAt(m.index));
    if (!call) continue;
    const frame = ev.moduleFrame(module);
    const callee = ev.eval(call.childForFieldName("function") as SyntaxNode, frame);
    if (callee.kind !== "class" || !family.includes(callee.decl)) continue;
    const args = ev.evalArgs(call.childForFieldName("arguments"), frame);
    const key = argsKey(args);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(args);
  }
  return out;
}

/** A class and its subclasses, transitively, among the project's classes. */
function descendants(ev: Evaluator, cls: ClassDecl): ClassDecl[] {
  const out = [cls];
  for (let i = 0; i < out.length; i++) {
    for (const sub of ev.subclasses.direct(ev, out[i] as ClassDecl)) {
      if (!out.includes(sub)) out.push(sub);
    }
  }
  return out;
}

/** The call whose callee ends at a mention of a class name. */
function callAt(node: SyntaxNode | null): SyntaxNode | null {
  for (let n = node; n; n = n.parent) {
    if (n.type === "call") return n;
    if (n.type !== "identifier" && n.type !== "attribute") return null;
  }
  return null;
}

/** Arguments as far as they are known: constructions that differ only in Unknowns are one. */
function argsKey(args: CallArgs): string {
  const text = (v: Value) =>
    v.kind === "str" || v.kind === "num" || v.kind === "bool" ? JSON.stringify(v.value) : v.kind;
  return [
    ...args.positional.map(text),
    ...[...args.keywords].map(([k, v]) => `${k}=${text(v)}`),
  ].join(",");
}
