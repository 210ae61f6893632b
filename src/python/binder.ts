import { lineOf, type SyntaxNode } from "./parse.js";

/**
 * Declarations of one module, bound without evaluating anything (Pyright's binder stage):
 * what each top-level name may refer to, in statement order, and the classes and functions
 * with their decorators and lines.
 */
export type Binding = (
  | { kind: "import"; module: string; node: SyntaxNode }
  | { kind: "from"; module: string; name: string; node: SyntaxNode }
  | { kind: "star"; module: string; node: SyntaxNode }
  | { kind: "class"; decl: ClassDecl }
  | { kind: "function"; decl: FunctionDecl }
  | { kind: "assign"; value: SyntaxNode; node: SyntaxNode; index?: number }
) & {
  /** Made inside an `except` clause: a fallback, bound only when the `try` failed. */
  fallback?: true;
};

export interface FunctionDecl {
  name: string;
  qualname: string;
  module: string;
  node: SyntaxNode;
  /** Line of the `def`, not of its first decorator. */
  line: number;
  decorators: SyntaxNode[];
  params: SyntaxNode | null;
  body: SyntaxNode | null;
  /** A lambda's expression, evaluated for its value (a lambda has no body block). */
  expression?: SyntaxNode;
  /** Class the function is a method of, if any. */
  owner: ClassDecl | null;
}

export interface ClassDecl {
  name: string;
  qualname: string;
  module: string;
  node: SyntaxNode;
  line: number;
  decorators: SyntaxNode[];
  bases: SyntaxNode[];
  /** Every `def` of a name, in order: microversioned controllers define one name several times. */
  methods: Map<string, FunctionDecl[]>;
  attributes: Map<string, Binding[]>;
}

export interface ModuleScope {
  name: string;
  isPackage: boolean;
  names: Map<string, Binding[]>;
  /** Statements that mutate a module-level name after it is bound (`X.update(...)`, `X += ...`, `X[k] = v`). */
  mutations: Map<string, SyntaxNode[]>;
  classes: ClassDecl[];
  functions: FunctionDecl[];
}

/**
 * `bodyOf` gives a function's body and `assignedValue` an assignment's value: from an outline tree
 * (parse.ts) they are parsed only when something reads `FunctionDecl.body` or the binding's
 * `value`.
 */
export function bindModule(
  root: SyntaxNode,
  name: string,
  isPackage: boolean,
  bodyOf: (def: SyntaxNode) => SyntaxNode | null = (def) => def.childForFieldName("body"),
  assignedValue: (assignment: SyntaxNode, right: SyntaxNode) => SyntaxNode = (_a, right) => right,
  text?: string,
): ModuleScope {
  const scope: ModuleScope = {
    name,
    isPackage,
    names: new Map(),
    mutations: new Map(),
    classes: [],
    functions: [],
  };
  const pkg = isPackage ? name : name.split(".").slice(0, -1).join(".");
  const add = (key: string, b: Binding) => push(scope.names, key, b);
  bindBlock(root, {
    module: name,
    pkg,
    prefix: "",
    owner: null,
    add,
    bodyOf,
    assignedValue,
    ...(text !== undefined ? { text } : {}),
    onClass: (c) => scope.classes.push(c),
    onFunction: (f) => scope.functions.push(f),
    onMutation: (key, node) => push(scope.mutations, key, node),
  });
  return scope;
}

interface BindContext {
  module: string;
  pkg: string;
  prefix: string;
  owner: ClassDecl | null;
  add(name: string, b: Binding): void;
  /** Inside an `except` clause, at any depth: what is bound here is a fallback. */
  fallback?: true;
  /**
   * The module's text, at the tree's offsets: imports and definition names written plainly are
   * read off it instead of asking the tree node by node (most of what binding a module costs).
   */
  text?: string;
  bodyOf(def: SyntaxNode): SyntaxNode | null;
  assignedValue(assignment: SyntaxNode, right: SyntaxNode): SyntaxNode;
  onClass(c: ClassDecl): void;
  onFunction(f: FunctionDecl): void;
  onMutation(name: string, node: SyntaxNode): void;
}

/** A definition's decorators, found when asked for (most never are). */
type Decorators = () => SyntaxNode[];

const NO_DECORATORS: Decorators = () => [];

function bindBlock(block: SyntaxNode, ctx: BindContext): void {
  for (const stmt of block.namedChildren) bindStatement(stmt, ctx, NO_DECORATORS);
}

function bindStatement(stmt: SyntaxNode, ctx: BindContext, decorators: Decorators): void {
  switch (stmt.type) {
    case "import_statement":
      if (!bindPlainImport(stmt, ctx))
        for (const item of stmt.namedChildren) bindImport(item, stmt, ctx);
      return;
    case "import_from_statement":
      if (!bindPlainImport(stmt, ctx)) bindFromImport(stmt, ctx);
      return;
    case "decorated_definition": {
      const decs = () => stmt.namedChildren.filter((c) => c.type === "decorator");
      const def = stmt.childForFieldName("definition");
      if (def) bindStatement(def, ctx, decs);
      return;
    }
    case "class_definition": {
      const decl = bindClass(stmt, ctx, decorators);
      ctx.add(decl.name, { kind: "class", decl });
      ctx.onClass(decl);
      return;
    }
    case "function_definition": {
      const decl = functionDecl(stmt, ctx, decorators);
      ctx.add(decl.name, { kind: "function", decl });
      ctx.onFunction(decl);
      return;
    }
    case "expression_statement":
      if (!bindPlainStatement(stmt, ctx))
        for (const expr of stmt.namedChildren) bindExpression(expr, stmt, ctx);
      return;
    // Conditional and guarded definitions (`try: import x except ImportError: ...`) bind in order.
    case "if_statement":
    case "try_statement":
    case "with_statement":
    case "elif_clause":
    case "else_clause":
    case "except_clause":
    case "finally_clause":
    case "block":
      for (const child of stmt.namedChildren) {
        if (child.type === "block" || child.type.endsWith("_clause"))
          bindBlockLike(child, child.type === "except_clause" ? asFallback(ctx) : ctx);
      }
      return;
    default:
      return;
  }
}

/** The context inside an `except` clause: its bindings are marked as fallbacks. */
function asFallback(ctx: BindContext): BindContext {
  return {
    ...ctx,
    fallback: true,
    add: (name, b) => {
      b.fallback = true;
      ctx.add(name, b);
    },
  };
}

function bindBlockLike(node: SyntaxNode, ctx: BindContext): void {
  if (node.type === "block") bindBlock(node, ctx);
  else for (const child of node.namedChildren) if (child.type === "block") bindBlock(child, ctx);
}

function bindExpression(expr: SyntaxNode, stmt: SyntaxNode, ctx: BindContext): void {
  if (expr.type === "assignment") {
    const left = expr.childForFieldName("left");
    let right = expr.childForFieldName("right");
    // Chained `a = b = value`: the innermost right-hand side is the value.
    while (right?.type === "assignment") right = right.childForFieldName("right");
    if (!left || !right) return;
    if (left.type === "identifier") ctx.add(left.text, assigned(ctx, expr, right, stmt));
    else if (left.type === "pattern_list" || left.type === "tuple_pattern") {
      left.namedChildren.forEach((target, index) => {
        if (target.type === "identifier")
          ctx.add(target.text, assigned(ctx, expr, right, stmt, index));
      });
    } else if (left.type === "subscript" || left.type === "attribute") {
      const base = leftmostName(left);
      if (base) ctx.onMutation(base, stmt);
    }
    return;
  }
  if (expr.type === "augmented_assignment") {
    const left = expr.childForFieldName("left");
    const base = left ? leftmostName(left) : null;
    if (base) ctx.onMutation(base, stmt);
    return;
  }
  if (expr.type === "call") {
    const fn = expr.childForFieldName("function");
    if (fn?.type === "attribute") {
      const base = leftmostName(fn.childForFieldName("object"));
      if (base) ctx.onMutation(base, stmt);
    }
    // `setattr(APIRouter, 'factory', _factory)`: Neutron's router module (Queens on).
    if (fn?.type === "identifier" && fn.text === "setattr") {
      const target = expr.childForFieldName("arguments")?.namedChildren[0];
      if (target?.type === "identifier") ctx.onMutation(target.text, stmt);
    }
  }
}

/** `NAME = …` (not `==`, no annotation, subscript or attribute target). */
const PLAIN_ASSIGNMENT = /([A-Za-z_]\w*)[ \t]*=(?!=)/y;

/**
 * The commonest statements bound from the text where they start, parsed without error: a
 * docstring (a statement that starts with a string binds nothing) and `NAME = value`, whose
 * value node is found when read. False for the rest, which bindExpression reads off the tree.
 */
function bindPlainStatement(stmt: SyntaxNode, ctx: BindContext): boolean {
  if (ctx.text === undefined) return false;
  const first = ctx.text.charCodeAt(stmt.startIndex);
  const isString = first === 34 || first === 39; // " '
  PLAIN_ASSIGNMENT.lastIndex = stmt.startIndex;
  const name = isString ? null : PLAIN_ASSIGNMENT.exec(ctx.text)?.[1];
  if ((!isString && !name) || stmt.hasError) return false;
  if (name) ctx.add(name, assignedLater(ctx, stmt));
  return true;
}

/** As `assigned`, its assignment and value nodes found in the statement when first read. */
function assignedLater(ctx: BindContext, stmt: SyntaxNode): Binding {
  let value: SyntaxNode | undefined;
  return {
    kind: "assign",
    node: stmt,
    get value() {
      if (value === undefined) {
        const assignment = stmt.namedChildren[0] as SyntaxNode;
        let right = assignment.childForFieldName("right") as SyntaxNode;
        // Chained `a = b = value`: the innermost right-hand side is the value.
        while (right.type === "assignment") right = right.childForFieldName("right") as SyntaxNode;
        value = ctx.assignedValue(assignment, right);
      }
      return value;
    },
  };
}

/** An assignment binding whose value node is asked for when read (outlined modules). */
function assigned(
  ctx: BindContext,
  assignment: SyntaxNode,
  right: SyntaxNode,
  stmt: SyntaxNode,
  index?: number,
): Binding {
  let value: SyntaxNode | undefined;
  return {
    kind: "assign",
    node: stmt,
    ...(index === undefined ? {} : { index }),
    get value() {
      value ??= ctx.assignedValue(assignment, right);
      return value;
    },
  };
}

function leftmostName(node: SyntaxNode | null): string | null {
  let n = node;
  while (n && (n.type === "attribute" || n.type === "subscript")) {
    n = n.type === "attribute" ? n.childForFieldName("object") : n.childForFieldName("value");
  }
  return n?.type === "identifier" ? n.text : null;
}

/** `import a.b, c as d` or `from ..a import (b, c as d)`, as plainly written. */
const PLAIN_IMPORT =
  /^(?:from[ \t]+(\.*)[ \t]*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)?[ \t]+)?import[ \t]+(?:(\*)|\(([^()#\\]*)\)|([^()#\\\n]*))$/;
const PLAIN_NAME = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:\s+as\s+([A-Za-z_]\w*))?$/;

/**
 * An import statement bound from its text when it is written plainly (no comment, backslash or
 * spaces inside a dotted name; ASCII names) and parsed without error: the bindings the tree
 * gives (bindImport, bindFromImport), without materialising a node per name. False otherwise.
 */
function bindPlainImport(stmt: SyntaxNode, ctx: BindContext): boolean {
  if (ctx.text === undefined) return false;
  const m = PLAIN_IMPORT.exec(ctx.text.slice(stmt.startIndex, stmt.endIndex));
  if (!m || stmt.hasError) return false;
  const [, dots, from, star, inParens, bare] = m;
  const isFrom = stmt.type === "import_from_statement";
  if (isFrom !== (dots !== undefined)) return false;
  const names: [string, string | undefined][] = [];
  if (!star) {
    const items = (inParens ?? bare ?? "").split(",").map((s) => s.trim());
    // A trailing comma only inside parentheses.
    if (inParens !== undefined && items.length > 1 && items[items.length - 1] === "") items.pop();
    for (const item of items) {
      const n = PLAIN_NAME.exec(item);
      if (!n) return false;
      names.push([n[1] as string, n[2]]);
    }
  } else if (!isFrom) return false;
  if (!isFrom) {
    for (const [name, alias] of names) {
      // `import a.b.c` binds `a`; attribute access then walks submodules.
      const top = name.split(".")[0] ?? name;
      ctx.add(alias ?? top, { kind: "import", module: alias ? name : top, node: stmt });
    }
    return true;
  }
  const module = relativeTo(dots as string, from ?? "", ctx.pkg);
  if (star) ctx.add("*", { kind: "star", module, node: stmt });
  for (const [name, alias] of names)
    ctx.add(alias ?? name, { kind: "from", module, name, node: stmt });
  return true;
}

function bindImport(item: SyntaxNode, stmt: SyntaxNode, ctx: BindContext): void {
  if (item.type === "dotted_name") {
    // `import a.b.c` binds `a`; attribute access then walks submodules.
    const top = item.text.split(".")[0] ?? item.text;
    ctx.add(top, { kind: "import", module: top, node: stmt });
  } else if (item.type === "aliased_import") {
    const name = item.childForFieldName("name");
    const alias = item.childForFieldName("alias");
    if (name && alias) ctx.add(alias.text, { kind: "import", module: name.text, node: stmt });
  }
}

function bindFromImport(stmt: SyntaxNode, ctx: BindContext): void {
  const moduleNode = stmt.childForFieldName("module_name");
  if (!moduleNode) return;
  const module = resolveRelative(moduleNode, ctx.pkg);
  for (const child of stmt.namedChildren) {
    if (child.startIndex === moduleNode.startIndex) continue;
    if (child.type === "wildcard_import") {
      ctx.add("*", { kind: "star", module, node: stmt });
    } else if (child.type === "dotted_name") {
      ctx.add(child.text, { kind: "from", module, name: child.text, node: stmt });
    } else if (child.type === "aliased_import") {
      const name = child.childForFieldName("name");
      const alias = child.childForFieldName("alias");
      if (name && alias) ctx.add(alias.text, { kind: "from", module, name: name.text, node: stmt });
    }
  }
}

/** `from ..x import y` inside package `a.b.c` → `a.b.x`. */
function resolveRelative(node: SyntaxNode, pkg: string): string {
  if (node.type !== "relative_import") return node.text;
  const prefix = node.namedChildren.find((c) => c.type === "import_prefix")?.text ?? node.text;
  const rest = node.namedChildren.find((c) => c.type === "dotted_name")?.text ?? "";
  return relativeTo(prefix, rest, pkg);
}

/** A module named with leading dots (none: absolute), from inside package `pkg`. */
function relativeTo(prefix: string, rest: string, pkg: string): string {
  if (prefix === "") return rest;
  const parts = pkg ? pkg.split(".") : [];
  const base = parts.slice(0, Math.max(0, parts.length - (prefix.length - 1)));
  return [...base, ...(rest ? [rest] : [])].join(".");
}

/** `def name(` and `class name(` / `class name:` as they start a definition's node. */
const DEF_NAME = /(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(/y;
const CLASS_NAME = /class[ \t]+([A-Za-z_]\w*)[ \t]*[(:]/y;

/** A definition's name, read off the text where it is written plainly, else from the tree. */
function nameOf(node: SyntaxNode, header: RegExp, ctx: BindContext): string {
  if (ctx.text !== undefined) {
    header.lastIndex = node.startIndex;
    const m = header.exec(ctx.text);
    if (m) return m[1] as string;
  }
  return node.childForFieldName("name")?.text ?? "<anonymous>";
}

/**
 * A def's declaration. What only some readers need — its line, parameters, decorators and body
 * — is read off the tree when first asked for: binding a module walks every method of every
 * class it looks into, and each answer is a trip into the parser's tree.
 */
function functionDecl(node: SyntaxNode, ctx: BindContext, decorators: Decorators): FunctionDecl {
  const name = nameOf(node, DEF_NAME, ctx);
  let line: number | undefined;
  let params: SyntaxNode | null | undefined;
  let decs: SyntaxNode[] | undefined;
  let body: SyntaxNode | null | undefined;
  return {
    name,
    qualname: ctx.prefix ? `${ctx.prefix}.${name}` : name,
    module: ctx.module,
    node,
    get line() {
      line ??= lineOf(node);
      return line;
    },
    get decorators() {
      decs ??= decorators();
      return decs;
    },
    get params() {
      if (params === undefined) params = node.childForFieldName("parameters");
      return params;
    },
    get body() {
      if (body === undefined) body = ctx.bodyOf(node);
      return body;
    },
    owner: ctx.owner,
  };
}

function bindClass(node: SyntaxNode, ctx: BindContext, decorators: Decorators): ClassDecl {
  const name = nameOf(node, CLASS_NAME, ctx);
  const qualname = ctx.prefix ? `${ctx.prefix}.${name}` : name;
  // The class body is bound when its methods or attributes are first asked for: most classes
  // of a module are never looked into (an agent module's dozen helpers, a plugin's mixins'
  // siblings), and walking their bodies costs more than parsing them. Binding reads the tree
  // only, so when it happens changes nothing. Its line, decorators and bases likewise.
  let members: Pick<ClassDecl, "methods" | "attributes"> | undefined;
  const bound = () => {
    members ??= bindMembers(decl, node, ctx);
    return members;
  };
  let line: number | undefined;
  let decs: SyntaxNode[] | undefined;
  let bases: SyntaxNode[] | undefined;
  const decl: ClassDecl = {
    name,
    qualname,
    module: ctx.module,
    node,
    get line() {
      line ??= lineOf(node);
      return line;
    },
    get decorators() {
      decs ??= decorators();
      return decs;
    },
    get bases() {
      bases ??= (node.childForFieldName("superclasses")?.namedChildren ?? []).filter(
        (c) => c.type !== "keyword_argument",
      );
      return bases;
    },
    get methods() {
      return bound().methods;
    },
    get attributes() {
      return bound().attributes;
    },
  };
  return decl;
}

/** A class body's methods and attributes, in order (nested classes are attributes). */
function bindMembers(
  decl: ClassDecl,
  node: SyntaxNode,
  ctx: BindContext,
): Pick<ClassDecl, "methods" | "attributes"> {
  const members: Pick<ClassDecl, "methods" | "attributes"> = {
    methods: new Map(),
    attributes: new Map(),
  };
  const body = node.childForFieldName("body");
  if (!body) return members;
  const inner: BindContext = {
    ...ctx,
    prefix: decl.qualname,
    owner: decl,
    add: (key, b) => {
      // A class defined in an `except` clause has fallback members too.
      if (ctx.fallback) b.fallback = true;
      if (b.kind === "function") push(members.methods, key, b.decl);
      else push(members.attributes, key, b);
    },
    onClass: () => {},
    onFunction: () => {},
    onMutation: () => {},
  };
  bindBlock(body, inner);
  return members;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
