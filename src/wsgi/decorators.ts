import type { FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import type { SyntaxNode } from "../python/parse.js";
import { type CallArgs, noArgs, type Value } from "../python/values.js";

/** A decorator as written: `@wsgi.Controller.api_version("2.1", "2.37")` → callee + arguments. */
export interface DecoratorCall {
  /** The callee as written: `wsgi.Controller.api_version`, `wsgi.action`, `property`. */
  callee: string;
  node: SyntaxNode;
  args: SyntaxNode | null;
  line: number;
}

const cache = new WeakMap<FunctionDecl, DecoratorCall[]>();

export function decoratorCalls(fn: FunctionDecl): DecoratorCall[] {
  const hit = cache.get(fn);
  if (hit) return hit;
  const calls = fn.decorators.map((d) => {
    const expr = d.namedChildren[0] ?? d;
    const isCall = expr.type === "call";
    const callee = isCall ? (expr.childForFieldName("function")?.text ?? "") : expr.text;
    return {
      callee,
      node: expr,
      args: isCall ? expr.childForFieldName("arguments") : null,
      line: d.startPosition.row + 1,
    };
  });
  cache.set(fn, calls);
  return calls;
}

/** The last segment of a decorator's callee: `api_version`, `action`, `expected_errors`. */
export function decoratorName(d: DecoratorCall): string {
  return d.callee.split(".").pop() ?? d.callee;
}

/** Arguments of a decorator call, evaluated in the module the function is defined in. */
export function decoratorArgs(ev: Evaluator, fn: FunctionDecl, d: DecoratorCall): CallArgs {
  if (!d.args) return noArgs();
  return ev.evalArgs(d.args, ev.moduleFrame(fn.module));
}

export function findDecorator(fn: FunctionDecl, name: string): DecoratorCall | undefined {
  return decoratorCalls(fn).find((d) => decoratorName(d) === name);
}

export function strOf(v: Value | undefined): string | null {
  return v?.kind === "str" ? v.value : null;
}
