import type { ClassDecl } from "./binder.js";
import { assignTarget, binaryOp, type Evaluator, iterate, valuesEqual } from "./evaluator.js";
import type { SyntaxNode } from "./parse.js";
import { dictKey, NONE, truthy, unknown, type Value } from "./values.js";

/** One activation: a module's top level, a function call, or a class body. */
export interface Frame {
  module: string;
  locals: Map<string, Value>;
  owner: ClassDecl | null;
  self?: Value;
  isModule?: boolean;
  classBody?: ClassDecl;
  enclosing?: Frame;
  /** Returns inside branches whose condition was unknown, when the function ran on past them. */
  possibleReturns?: Value[];
  /** Set for generator functions: what `yield` produced, in order (run eagerly to a list). */
  yielded?: Value[];
}

export class ReturnSignal {
  constructor(readonly value: Value) {}
}

/** `raise`: the path ends with an error, which is not a value the function returns. */
class RaiseSignal extends ReturnSignal {}

class BreakSignal {}
class ContinueSignal {}

/**
 * Runs statements abstractly. A condition that cannot be decided runs every branch, so
 * routes registered under a configuration switch are all listed (over-approximation is
 * visible in the map; silently dropping them would not be).
 */
export function executeBlock(ev: Evaluator, frame: Frame, stmts: SyntaxNode[]): void {
  for (const stmt of stmts) executeStatement(ev, frame, stmt);
}

function executeStatement(ev: Evaluator, frame: Frame, stmt: SyntaxNode): void {
  ev.steps++;
  switch (stmt.type) {
    case "expression_statement":
      for (const expr of stmt.namedChildren) executeExpression(ev, frame, expr);
      return;
    case "return_statement": {
      const expr = stmt.namedChildren[0];
      throw new ReturnSignal(expr ? ev.eval(expr, frame) : NONE);
    }
    case "if_statement":
      executeIf(ev, frame, stmt);
      return;
    case "for_statement":
      executeFor(ev, frame, stmt);
      return;
    case "with_statement":
      executeWith(ev, frame, stmt);
      return;
    case "try_statement":
      for (const child of stmt.namedChildren) {
        if (
          child.type === "block" ||
          child.type === "else_clause" ||
          child.type === "finally_clause"
        ) {
          executeBlock(ev, frame, blockOf(child));
        }
      }
      return;
    case "function_definition":
    case "decorated_definition":
      bindLocalDefinition(frame, stmt);
      return;
    case "raise_statement":
      // The path ends here; what it built so far still counts.
      throw new RaiseSignal(unknown("raised", ev.site(frame, stmt)));
    case "break_statement":
      throw new BreakSignal();
    case "continue_statement":
      throw new ContinueSignal();
    case "import_statement":
    case "import_from_statement":
      bindLocalImport(ev, frame, stmt);
      return;
    case "delete_statement":
      for (const target of stmt.namedChildren) deleteTarget(ev, frame, target);
      return;
    default:
      return; // pass, assert, global, del, while, comments …
  }
}

function blockOf(node: SyntaxNode): SyntaxNode[] {
  if (node.type === "block") return node.namedChildren;
  const block = node.namedChildren.find((c) => c.type === "block");
  return block?.namedChildren ?? [];
}

function executeExpression(ev: Evaluator, frame: Frame, expr: SyntaxNode): void {
  if (expr.type === "assignment") {
    const targets: SyntaxNode[] = [];
    let node: SyntaxNode | null = expr;
    while (node?.type === "assignment") {
      const left = node.childForFieldName("left");
      if (left) targets.push(left);
      node = node.childForFieldName("right");
    }
    if (!node) return; // annotation without value
    const value = ev.eval(node, frame);
    for (const t of targets) assignTarget(ev, frame, t, value);
    return;
  }
  if (expr.type === "augmented_assignment") {
    const left = expr.childForFieldName("left") as SyntaxNode;
    const op = (expr.childForFieldName("operator")?.text ?? "+=").slice(0, -1);
    const current = ev.eval(left, frame);
    const right = ev.eval(expr.childForFieldName("right") as SyntaxNode, frame);
    // In-place list extension keeps aliasing, as Python's `+=` on lists does.
    if (op === "+" && current.kind === "list") {
      const items = iterate(right);
      if (items) {
        current.items.push(...items);
        return;
      }
    }
    if (op === "|" && current.kind === "dict" && right.kind === "dict") {
      for (const [k, v] of right.entries) current.entries.set(k, v);
      return;
    }
    assignTarget(ev, frame, left, binaryOp(op, current, right) ?? unknown(`operator ${op}=`));
    return;
  }
  const value = ev.eval(expr, frame);
  // `Foo(x)` on its own line is run for its side effects (an extension registering itself).
  if (value.kind === "instance" && !value.initialised && expr.type === "call") ev.initialise(value);
}

function executeIf(ev: Evaluator, frame: Frame, stmt: SyntaxNode): void {
  const branches: { cond: SyntaxNode | null; body: SyntaxNode[] }[] = [];
  const cond = stmt.childForFieldName("condition");
  branches.push({ cond, body: blockOf(stmt.childForFieldName("consequence") as SyntaxNode) });
  for (const alt of stmt.childrenForFieldName("alternative")) {
    if (alt.type === "elif_clause") {
      branches.push({
        cond: alt.childForFieldName("condition"),
        body: blockOf(alt.childForFieldName("consequence") as SyntaxNode),
      });
    } else branches.push({ cond: null, body: blockOf(alt) });
  }
  let undecided = false;
  // Values returned inside branches taken without knowing the condition.
  const returned: Value[] = [];
  let allReturned = true;
  // Branches that raise end their path, but give no value and no early exit of a request
  // that goes on: what follows them is still the normal way through.
  let raisedOnly = true;
  const tolerant = (body: SyntaxNode[]) => {
    const r = runTolerant(ev, frame, body);
    if (r === "raised") return;
    raisedOnly = false;
    if (r) returned.push(r);
    else allReturned = false;
  };
  for (const branch of branches) {
    const t = branch.cond === null ? true : truthy(ev.eval(branch.cond, frame));
    // Say when configuration decided the way: the map depends on it (`--config` changes it).
    if (t !== null && branch.cond && /\bCONF\b/.test(branch.cond.text)) {
      ev.program.diagnostics.add(
        "info",
        `condition \`${branch.cond.text}\` is ${t ? "true" : "false"} with the configuration in use`,
        ev.site(frame, branch.cond),
      );
    }
    if (t === true) {
      if (!undecided) {
        executeBlock(ev, frame, branch.body);
        return;
      }
      tolerant(branch.body);
      break;
    }
    if (t === null) {
      undecided = true;
      // Code run for what it does takes every way by design; that says nothing of the map.
      if (!ev.mode.quiet)
        ev.program.diagnostics.add(
          "info",
          `condition \`${(branch.cond as SyntaxNode).text}\` is not decidable statically; its branch is included`,
          ev.site(frame, branch.cond as SyntaxNode),
        );
      tolerant(branch.body);
      if (branch === branches[branches.length - 1]) allReturned = false; // no else: may fall through
    }
  }
  if (!undecided) return;
  if (raisedOnly && allReturned && branches[branches.length - 1]?.cond === null)
    throw new RaiseSignal(unknown("raised", ev.site(frame, stmt)));
  // Every way through returned: the function ends here, with whatever the branches agree on.
  if (allReturned && returned.length > 0) throw new ReturnSignal(mergeValues(returned));
  frame.possibleReturns = [...(frame.possibleReturns ?? []), ...returned];
}

/** One value for several possible ones: kept when they agree, else Unknown. */
export function mergeValues(values: Value[]): Value {
  const [first, ...rest] = values;
  if (!first) return NONE;
  if (rest.every((v) => v === first || valuesEqual(v, first) === true)) return first;
  return unknown("depends on configuration (branches disagree)");
}

/**
 * Run a branch whose condition is unknown; a `return` inside it must not end the caller.
 * A name it rebinds to something unknown keeps its known value: the branch is typically a
 * configuration override (`if CONF.x: regex = CONF.x`) and the default is what we can state.
 */
function runTolerant(ev: Evaluator, frame: Frame, body: SyntaxNode[]): Value | "raised" | null {
  const before = new Map(frame.locals);
  let returned: Value | "raised" | null = null;
  ev.speculative++;
  try {
    executeBlock(ev, frame, body);
  } catch (e) {
    if (!(e instanceof ReturnSignal)) throw e;
    returned = e instanceof RaiseSignal ? "raised" : e.value;
  } finally {
    ev.speculative--;
  }
  // Exploring (src/rpc/), a branch taken by design may well be the way things go.
  if (ev.mode.exploreUnknownLoops) return returned;
  for (const [name, old] of before) {
    const now = frame.locals.get(name);
    if (
      now &&
      (now.kind === "unknown" || now.kind === "external") &&
      old.kind !== "unknown" &&
      old.kind !== "external"
    ) {
      frame.locals.set(name, old);
    }
  }
  return returned;
}

function deleteTarget(ev: Evaluator, frame: Frame, target: SyntaxNode): void {
  if (target.type === "expression_list") {
    for (const t of target.namedChildren) deleteTarget(ev, frame, t);
  } else if (target.type === "identifier") {
    frame.locals.delete(target.text);
  } else if (target.type === "subscript") {
    const obj = ev.eval(target.childForFieldName("value") as SyntaxNode, frame);
    const key = ev.eval(target.childForFieldName("subscript") as SyntaxNode, frame);
    const k = dictKey(key);
    if (obj.kind === "dict" && k !== null) obj.entries.delete(k);
  } else if (target.type === "attribute") {
    const obj = ev.eval(target.childForFieldName("object") as SyntaxNode, frame);
    const name = target.childForFieldName("attribute")?.text ?? "";
    if (obj.kind === "instance") obj.attrs.delete(name);
  }
}

function executeFor(ev: Evaluator, frame: Frame, stmt: SyntaxNode): void {
  const left = stmt.childForFieldName("left") as SyntaxNode;
  const iterable = ev.eval(stmt.childForFieldName("right") as SyntaxNode, frame);
  let items = iterate(iterable);
  const body = blockOf(stmt.childForFieldName("body") as SyntaxNode);
  // Code run for what it does once per item (an RPC client sending per resource type): one
  // pass with the item unknown.
  if (!items && ev.mode.exploreUnknownLoops)
    items = [unknown("an item of a loop not known statically")];
  if (!items) {
    if (!ev.mode.quiet)
      ev.program.diagnostics.add(
        "info",
        `loop over a value not known statically (${iterable.kind === "unknown" ? iterable.reason : iterable.kind}); its body was skipped`,
        ev.site(frame, stmt),
      );
    return;
  }
  const iterableText = (stmt.childForFieldName("right") as SyntaxNode).text;
  const site = ev.site(frame, stmt);
  let broke = false;
  for (const item of items) {
    assignTarget(ev, frame, left, item);
    ev.iterations.push({ iterable: iterableText, item, site });
    try {
      executeBlock(ev, frame, body);
    } catch (e) {
      if (e instanceof BreakSignal) {
        broke = true;
        break;
      }
      if (e instanceof ContinueSignal) continue;
      throw e;
    } finally {
      ev.iterations.pop();
    }
  }
  // `for … else`: the else block runs when the loop ended without `break`.
  const orelse = stmt.childForFieldName("alternative");
  if (!broke && orelse) executeBlock(ev, frame, blockOf(orelse));
}

function executeWith(ev: Evaluator, frame: Frame, stmt: SyntaxNode): void {
  const clause = stmt.namedChildren.find((c) => c.type === "with_clause");
  for (const item of clause?.namedChildren ?? []) {
    const valueNode = item.childForFieldName("value") ?? item.namedChildren[0];
    if (!valueNode) continue;
    // tree-sitter shapes `with a as b` as an as_pattern inside the item.
    if (valueNode.type === "as_pattern") {
      const value = ev.eval(valueNode.namedChildren[0] as SyntaxNode, frame);
      const alias = valueNode.childForFieldName("alias") ?? valueNode.namedChildren[1];
      const target = alias?.type === "as_pattern_target" ? alias.namedChildren[0] : alias;
      if (target) assignTarget(ev, frame, target, value);
    } else ev.eval(valueNode, frame);
  }
  executeBlock(ev, frame, blockOf(stmt.childForFieldName("body") as SyntaxNode));
}

function bindLocalDefinition(frame: Frame, stmt: SyntaxNode): void {
  const def = stmt.type === "decorated_definition" ? stmt.childForFieldName("definition") : stmt;
  if (def?.type !== "function_definition") return;
  const name = def.childForFieldName("name")?.text ?? "";
  frame.locals.set(name, {
    kind: "function",
    decl: {
      name,
      qualname: `<locals>.${name}`,
      module: frame.module,
      node: def,
      line: def.startPosition.row + 1,
      decorators:
        stmt.type === "decorated_definition"
          ? stmt.namedChildren.filter((c) => c.type === "decorator")
          : [],
      params: def.childForFieldName("parameters"),
      body: def.childForFieldName("body"),
      owner: frame.owner,
    },
    // A nested function sees its enclosing function's names (core_authorizer's `rule`).
    closure: frame,
  });
}

function bindLocalImport(ev: Evaluator, frame: Frame, stmt: SyntaxNode): void {
  if (stmt.type === "import_statement") {
    for (const item of stmt.namedChildren) {
      if (item.type === "dotted_name") {
        const top = item.text.split(".")[0] ?? item.text;
        frame.locals.set(top, ev.moduleRef(top));
      } else if (item.type === "aliased_import") {
        const name = item.childForFieldName("name")?.text ?? "";
        const alias = item.childForFieldName("alias")?.text ?? name;
        frame.locals.set(alias, ev.moduleRef(name));
      }
    }
    return;
  }
  const moduleNode = stmt.childForFieldName("module_name");
  if (!moduleNode || moduleNode.type === "relative_import") return;
  const mod = ev.moduleRef(moduleNode.text);
  for (const child of stmt.namedChildren) {
    if (child.startIndex === moduleNode.startIndex) continue;
    const nameNode = child.type === "aliased_import" ? child.childForFieldName("name") : child;
    const alias = child.type === "aliased_import" ? child.childForFieldName("alias") : child;
    if (nameNode && alias && nameNode.type === "dotted_name") {
      frame.locals.set(alias.text, ev.getAttr(mod, nameNode.text));
    }
  }
}
