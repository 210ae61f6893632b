import type { SourceRef } from "../model/diagnostics.js";
import type { Binding, ClassDecl, FunctionDecl } from "./binder.js";
import { BUILTIN_NAMES, builtinAttribute, callBuiltin } from "./builtins.js";
import { type ClassRef, c3, findMethod } from "./classes.js";
import type { SyntaxNode } from "./parse.js";
import { descendantsOf } from "./parse.js";
import type { Program } from "./program.js";
import { reCall } from "./reModule.js";
import { executeBlock, type Frame, mergeValues, ReturnSignal } from "./statements.js";
import { SubclassIndex } from "./subclasses.js";
import {
  type CallArgs,
  dictKey,
  type HostObject,
  type Instance,
  type Iteration,
  isUnknown,
  keyValue,
  NONE,
  noArgs,
  str,
  truthy,
  UNKNOWN_KEY,
  unknown,
  type Value,
} from "./values.js";

/** What a recipe can intercept: calls to names outside the roots (e.g. `routes.Mapper()`). */
export interface EvaluatorHooks {
  externalCall?(name: string, args: CallArgs, site: SourceRef): Value | undefined;
  /** Framework knowledge that replaces a function of the analysed code (importutils, …). */
  functionCall?(fn: FunctionDecl, args: CallArgs, site: SourceRef): Value | undefined;
  /** Told of every `Cls(...)` the code makes (services: which WSGIService a script starts). */
  onConstruct?(cls: ClassDecl, args: CallArgs, site: SourceRef): void;
  /** A value for a dotted name outside the roots (`oslo_config.cfg.CONF.auth_strategy`). */
  externalAttr?(name: string): Value | undefined;
  /** Framework knowledge that replaces a method's body (e.g. `Resource.register_actions`). */
  methodCall?(
    self: Instance,
    method: FunctionDecl,
    args: CallArgs,
    site: SourceRef,
  ): Value | undefined;
  /**
   * `obj.name` where neither the instance nor its class has `name` (Python would raise
   * AttributeError or call `__getattr__`): a value to use instead, or undefined.
   */
  attributeMissing?(obj: Instance, name: string, site?: SourceRef): Value | undefined;
  /** A model for an external base class, so `class APIMapper(routes.Mapper)` instances work. */
  hostFor?(
    externalBase: string,
    args: CallArgs,
    site: SourceRef,
    self: Instance,
  ): HostObject | undefined;
}

const MAX_DEPTH = 12;
const STEP_BUDGET = 2_000_000;

/**
 * Lazily evaluates Python expressions to abstract values (Pyright's evaluator stage): names are
 * followed across modules, functions are interpreted on demand with their arguments bound,
 * and anything it cannot model becomes an explicit Unknown with a reason.
 */
export class Evaluator {
  private readonly moduleValues = new Map<string, Map<string, Value>>();
  private readonly inProgress = new Set<string>();
  private readonly mroCache = new Map<ClassDecl, ClassRef[]>();
  private readonly classAttrCache = new Map<ClassDecl, Map<string, Value>>();
  private readonly classAttrsInProgress = new Set<string>();
  /** Exploring: each object's properties, computed once. */
  private readonly properties = new WeakMap<Instance, Map<string, Value>>();
  /** Classes whose `__new__` is running: its `object.__new__(cls)` makes a plain object. */
  private readonly constructing = new Set<ClassDecl>();
  depth = 0;
  steps = 0;
  /** Loops being executed, outermost first. */
  readonly iterations: Iteration[] = [];
  /** Functions being executed, outermost first, each with the site it was called from. */
  readonly callStack: { fn: FunctionDecl; from: SourceRef | undefined }[] = [];
  hooks: EvaluatorHooks = {};
  /** Top-level packages the code imported that are not on the search path. */
  readonly externalPackages = new Set<string>();
  /** Where `__subclasses__()` looks: the project's own package folders. */
  subclasses = new SubclassIndex([]);
  /** How many branches deep the run is whose condition was not decidable (they may not run). */
  speculative = 0;
  /** The frames of the functions being executed, outermost first. */
  private readonly frames: Frame[] = [];

  /**
   * Whether the code running now may not run at all for a given input: it is inside a branch
   * whose condition was not decidable, or after an undecidable `if …: return` of a function
   * still running.
   */
  isSpeculative(): boolean {
    return this.speculative > 0 || this.frames.some((f) => (f.possibleReturns?.length ?? 0) > 0);
  }
  /** True inside `getattr(o, n, default)` and `hasattr`, where a miss is not an error. */
  private probing = false;
  /** How code is run; the default runs it as the REST recipes need (see RunMode). */
  mode: RunMode = {};
  /** Conditions `mode.conditionalChoice` decided since the mode was set. */
  choicesMade = 0;

  /** Run `fn` under a mode, the previous one restored after. */
  withMode<T>(mode: RunMode, fn: () => T): T {
    const saved = { mode: this.mode, made: this.choicesMade };
    this.mode = mode;
    this.choicesMade = 0;
    try {
      return fn();
    } finally {
      this.mode = saved.mode;
      this.choicesMade = saved.made;
    }
  }

  constructor(readonly program: Program) {}

  /**
   * Run `fn` with a budget of its own: what it evaluates stops at `steps` (Unknowns from there
   * on) and does not count against the run's budget.
   */
  /** Whether the steps of the current budget are spent (what follows is Unknown). */
  exhausted(): boolean {
    return this.steps > STEP_BUDGET;
  }

  budgeted<T>(steps: number, fn: () => T): T {
    const saved = this.steps;
    this.steps = Math.max(0, STEP_BUDGET - steps);
    try {
      return fn();
    } finally {
      this.steps = saved;
    }
  }

  // ---- modules and names ------------------------------------------------------------------

  /** The value a module-level name has after the module ran, mutations included. */
  moduleAttr(module: string, name: string): Value {
    let cache = this.moduleValues.get(module);
    if (!cache) {
      cache = new Map();
      this.moduleValues.set(module, cache);
    }
    const hit = cache.get(name);
    if (hit) return hit;
    const key = `${module}\0${name}`;
    if (this.inProgress.has(key)) return unknown(`circular definition of ${module}.${name}`);
    this.inProgress.add(key);
    try {
      const value = this.computeModuleAttr(module, name);
      cache.set(name, value);
      return value;
    } finally {
      this.inProgress.delete(key);
    }
  }

  private computeModuleAttr(module: string, name: string): Value {
    const loaded = this.program.module(module);
    if (!loaded) {
      return this.program.index.isPackageDir(module)
        ? this.submoduleOr(module, name)
        : { kind: "external", name: `${module}.${name}` };
    }
    const bindings = loaded.scope.names.get(name);
    const binding = bindings ? pickBinding(bindings) : undefined;
    if (!binding) {
      if (name === "__name__") return str(module);
      if (name === "__package__")
        return str(loaded.scope.isPackage ? module : module.split(".").slice(0, -1).join("."));
      if (name === "__path__" && loaded.scope.isPackage)
        return { kind: "list", items: [str(module)] };
      for (const star of loaded.scope.names.get("*") ?? []) {
        if (star.kind !== "star") continue;
        const v = this.moduleAttr(star.module, name);
        if (!isUnknown(v) && v.kind !== "external") return v;
      }
      const shimmed = this.replacedModuleAttr(module, name);
      if (shimmed) return shimmed;
      return this.submoduleOr(module, name);
    }
    let value = this.evalBinding(module, binding);
    const mutations = loaded.scope.mutations.get(name);
    if (mutations && bindingNode(binding)) {
      const after = bindingNode(binding)?.endIndex ?? 0;
      const frame = this.moduleFrame(module);
      frame.locals.set(name, value);
      for (const stmt of mutations) {
        if (stmt.startIndex < after) continue;
        executeBlock(this, frame, [stmt]);
      }
      value = frame.locals.get(name) ?? value;
    }
    return value;
  }

  /**
   * `sys.modules[__name__] = _DeprecateSubset(globals(), lib_constants)`: Neutron's migration
   * shim (Mitaka–Newton) replaces the module by an object that answers the names moved to
   * neutron-lib from the module it is given. A name the module lacks is looked up there.
   */
  private replacedModuleAttr(module: string, name: string): Value | null {
    const loaded = this.program.module(module);
    for (const stmt of loaded?.scope.mutations.get("sys") ?? []) {
      const assignment = stmt.namedChildren[0];
      if (assignment?.type !== "assignment") continue;
      if (assignment.childForFieldName("left")?.text.replace(/\s/g, "") !== "sys.modules[__name__]")
        continue;
      const right = assignment.childForFieldName("right");
      if (right?.type !== "call") continue;
      const frame = this.moduleFrame(module);
      for (const arg of right.childForFieldName("arguments")?.namedChildren ?? []) {
        const target = this.eval(arg, frame);
        if (target.kind !== "module" || target.name === module) continue;
        const v = this.moduleAttr(target.name, name);
        if (!isUnknown(v)) return v;
      }
    }
    return null;
  }

  private submoduleOr(module: string, name: string): Value {
    const sub = `${module}.${name}`;
    if (this.program.index.find(sub) || this.program.index.isPackageDir(sub)) {
      return { kind: "module", name: sub };
    }
    return unknown(`${module} has no name ${name}`);
  }

  private evalBinding(module: string, b: Binding): Value {
    switch (b.kind) {
      case "class":
        return { kind: "class", decl: b.decl };
      case "function":
        return { kind: "function", decl: b.decl };
      case "import":
        return this.moduleRef(b.module);
      case "from": {
        // `from pkg import name`: an attribute of pkg, else its submodule.
        const sub = `${b.module}.${b.name}`;
        const loaded = this.program.module(b.module);
        const isSubmodule =
          this.program.index.find(sub) !== null || this.program.index.isPackageDir(sub);
        const own = loaded?.scope.names.get(b.name);
        // A package attribute defined in its __init__ wins; an import there (often of the
        // very submodule, `from nova.api.openstack import wsgi`) means the submodule.
        const definedThere = own?.some(
          (x) => x.kind === "class" || x.kind === "function" || x.kind === "assign",
        );
        if (own && (definedThere || !isSubmodule)) return this.moduleAttr(b.module, b.name);
        if (isSubmodule) return { kind: "module", name: sub };
        if (!loaded && !this.program.index.isPackageDir(b.module)) {
          this.externalPackages.add(b.module.split(".")[0] as string);
        }
        if (!loaded) return { kind: "external", name: sub };
        return this.moduleAttr(b.module, b.name);
      }
      case "star":
        return unknown("star import");
      case "assign": {
        const frame = this.moduleFrame(module);
        const v = this.eval(b.value, frame);
        if (b.index === undefined) return v;
        if (v.kind === "tuple" || v.kind === "list") return v.items[b.index] ?? unknown("unpack");
        return unknown("unpacking of a non-sequence");
      }
    }
  }

  moduleRef(name: string): Value {
    if (this.program.index.find(name) || this.program.index.isPackageDir(name)) {
      return { kind: "module", name };
    }
    this.externalPackages.add(name.split(".")[0] as string);
    return { kind: "external", name };
  }

  moduleFrame(module: string): Frame {
    return { module, locals: new Map(), owner: null, isModule: true };
  }

  /** Resolve a dotted path such as `nova.api.openstack.compute:APIRouterV21.factory`. */
  resolveDotted(moduleName: string, attrPath: string[]): Value {
    let v: Value = this.moduleRef(moduleName);
    for (const part of attrPath) v = this.getAttr(v, part);
    return v;
  }

  lookupName(name: string, frame: Frame): Value {
    const local = frame.locals.get(name);
    if (local) return local;
    // Inside a class body, earlier class attributes are plain names.
    if (frame.classBody?.attributes.has(name)) {
      const v = this.classAttr(frame.classBody, name);
      if (v) return v;
    }
    if (frame.enclosing) {
      const outer = this.lookupName(name, frame.enclosing);
      if (!(isUnknown(outer) && outer.reason.startsWith("name "))) return outer;
    }
    const loaded = this.program.module(frame.module);
    if (loaded?.scope.names.has(name) || loaded?.scope.names.has("*")) {
      // Exploring (src/rpc/): a global that functions rebind (`global _TRACKER`) holds what
      // the process did at run time — a cache, a registry — not its initial value.
      if (this.mode.exploreUnknownLoops && !frame.isModule && runtimeGlobals(loaded).has(name))
        return unknown(`${name} is set at run time`);
      const v = this.moduleAttr(frame.module, name);
      if (!(isUnknown(v) && v.reason.includes("has no name"))) return v;
    }
    if (BUILTIN_NAMES.has(name)) return { kind: "builtin", name };
    if (name === "__name__" || name === "__package__" || name === "__path__")
      return this.moduleAttr(frame.module, name);
    return unknown(`name ${name} is not defined`);
  }

  // ---- classes ----------------------------------------------------------------------------

  mro(cls: ClassDecl): ClassRef[] {
    const hit = this.mroCache.get(cls);
    if (hit) return hit;
    const result = c3(cls, (c) => this.basesOf(c));
    this.mroCache.set(cls, result);
    return result;
  }

  basesOf(cls: ClassDecl): ClassRef[] {
    const frame = this.moduleFrame(cls.module);
    // `object` is implicit at the end of every MRO, as in Python 3.
    const bases = cls.bases.filter((node) => node.text !== "object");
    return bases.map((node): ClassRef => {
      const v = this.eval(node, frame);
      if (v.kind === "class") return { kind: "class", decl: v.decl };
      if (v.kind === "external") return { kind: "external", name: v.name };
      return { kind: "external", name: node.text };
    });
  }

  /** True when a class or any base is named `name` (matching a simple or dotted external name). */
  inherits(cls: ClassDecl, name: string): boolean {
    return this.mro(cls).some((r) =>
      r.kind === "class" ? r.decl.name === name : r.name.split(".").pop() === name,
    );
  }

  findMethod(cls: ClassDecl, name: string): { owner: ClassDecl; decl: FunctionDecl } | null {
    return findMethod(this.mro(cls), name);
  }

  /** Assignment to a class attribute at run time (`cls._instance = …`). */
  setClassAttr(cls: ClassDecl, name: string, value: Value): void {
    let cache = this.classAttrCache.get(cls);
    if (!cache) {
      cache = new Map();
      this.classAttrCache.set(cls, cache);
    }
    cache.set(name, value);
  }

  /** A class attribute (not a method) along the MRO, evaluated in its class body. */
  classAttr(cls: ClassDecl, name: string): Value | undefined {
    for (const ref of this.mro(cls)) {
      if (ref.kind !== "class") continue;
      const decl = ref.decl;
      let cache = this.classAttrCache.get(decl);
      if (!cache) {
        cache = new Map();
        this.classAttrCache.set(decl, cache);
      }
      const hit = cache.get(name);
      if (hit) return hit;
      const bindings = decl.attributes.get(name);
      const methods = decl.methods.get(name);
      if (methods?.length) return undefined; // a method shadows inherited attributes
      const b = bindings ? pickBinding(bindings) : undefined;
      if (!b) continue;
      // `x = f(x)` in a class body reads the x of the enclosing scope: the class's own x is not
      // bound yet. Asked again while it is being worked out, the attribute is not there.
      const key = `${decl.module}.${decl.qualname}\0${name}`;
      if (this.classAttrsInProgress.has(key)) return undefined;
      this.classAttrsInProgress.add(key);
      try {
        const frame: Frame = { ...this.moduleFrame(decl.module), classBody: decl };
        const value =
          b.kind === "assign" ? this.evalInFrame(b, frame) : this.evalBinding(decl.module, b);
        cache.set(name, value);
        return value;
      } finally {
        this.classAttrsInProgress.delete(key);
      }
    }
    return undefined;
  }

  private evalInFrame(b: Extract<Binding, { kind: "assign" }>, frame: Frame): Value {
    const v = this.eval(b.value, frame);
    if (b.index === undefined) return v;
    if (v.kind === "tuple" || v.kind === "list") return v.items[b.index] ?? unknown("unpack");
    return unknown("unpacking of a non-sequence");
  }

  // ---- attributes -------------------------------------------------------------------------

  getAttr(obj: Value, name: string, site?: SourceRef): Value {
    switch (obj.kind) {
      case "module":
        return this.moduleAttr(obj.name, name);
      case "external": {
        const dotted = `${obj.name}.${name}`;
        return this.hooks.externalAttr?.(dotted) ?? { kind: "external", name: dotted };
      }
      case "class": {
        const m = this.findMethod(obj.decl, name);
        const attr = this.classAttr(obj.decl, name);
        if (attr) return attr;
        if (m) return { kind: "function", decl: m.decl, self: obj };
        if (name === "__name__") return str(obj.decl.name);
        if (name === "__qualname__") return str(obj.decl.qualname);
        if (name === "__module__") return str(obj.decl.module);
        if (name === "__subclasses__")
          return { kind: "builtin", name: "type.__subclasses__", self: obj };
        return unknown(`${obj.decl.qualname} has no attribute ${name}`, site);
      }
      case "instance":
        return this.instanceAttr(obj, name, site);
      case "super":
        return this.superAttr(obj, name, site);
      case "host":
        return obj.host.getAttr?.(name) ?? unknown(`${obj.host.label}.${name}`, site);
      case "unknown":
        return obj;
      case "function":
        return obj.attrs?.get(name) ?? unknown(`attribute ${name} of a function`, site);
      default:
        return builtinAttribute(obj, name) ?? unknown(`attribute ${name} of ${obj.kind}`, site);
    }
  }

  private instanceAttr(obj: Instance, name: string, site?: SourceRef): Value {
    const own = obj.attrs.get(name);
    if (own) return own;
    const m = this.findMethod(obj.cls, name);
    if (m) {
      if (m.decl.decorators.some((d) => d.text === "@property")) {
        if (!this.mode.exploreUnknownLoops) return this.callFunction(m.decl, obj, noArgs(), site);
        // Exploring, a property is what it was the first time (Nova's `router`, a singleton
        // its process keeps in a global): runs of every client method read it again and again.
        let known = this.properties.get(obj);
        if (!known) {
          known = new Map();
          this.properties.set(obj, known);
        }
        const hit = known.get(name);
        if (hit) return hit;
        const v = this.callFunction(m.decl, obj, noArgs(), site);
        known.set(name, v);
        return v;
      }
      return { kind: "function", decl: m.decl, self: obj };
    }
    const attr = this.classAttr(obj.cls, name);
    if (attr) return attr;
    const hosted = obj.host?.getAttr?.(name);
    if (hosted) return hosted;
    // Attributes set in __init__ are only computed when someone asks for one.
    if (!obj.initialised && this.mode.attributesOnDemand) {
      const v = this.attributeOnDemand(obj, name);
      obj.attrs.set(name, v);
      return v;
    }
    if (!obj.initialised) {
      this.initialise(obj, site);
      const after = obj.attrs.get(name);
      if (after) return after;
    }
    const hooked = this.probing ? undefined : this.hooks.attributeMissing?.(obj, name, site);
    if (hooked) return hooked;
    return unknown(`${obj.cls.qualname} instance has no attribute ${name}`, site);
  }

  /**
   * `getattr(obj, name, default)` / `hasattr(obj, name)`: a missing attribute is an answer
   * there, not an AttributeError, so `attributeMissing` is not told.
   */
  probe(obj: Value, name: string, site?: SourceRef): Value {
    const was = this.probing;
    this.probing = true;
    try {
      return this.getAttr(obj, name, site);
    } finally {
      this.probing = was;
    }
  }

  /**
   * `self.<name>` from the `self.<name> = …` its class's `__init__` writes (the last one; the
   * most derived class first), evaluated with the constructor's arguments and the locals the
   * right-hand side names — without running the rest of the constructor.
   */
  private attributeOnDemand(obj: Instance, name: string): Value {
    // The object's arguments are the most derived constructor's; a base constructor's are what
    // the one before passes to `super().__init__(…)`.
    let args: CallArgs | null = obj.args;
    let previous: { init: FunctionDecl; frame: Frame } | null = null;
    for (const ref of this.mro(obj.cls)) {
      if (ref.kind !== "class") continue;
      const init = ref.decl.methods.get("__init__")?.at(-1);
      if (!init) continue;
      if (previous) args = this.superInitArgs(previous.init, previous.frame);
      const frame = this.callFrame(init, obj, args ?? noArgs());
      let right: SyntaxNode | null = null;
      for (const a of descendantsOf(init.body, "assignment")) {
        if (a.childForFieldName("left")?.text === `self.${name}`)
          right = a.childForFieldName("right");
      }
      if (right) return this.evalBefore(init, right, frame);
      previous = { init, frame };
    }
    return unknown(`${obj.cls.qualname}.${name}, not set in its constructor`);
  }

  /** What a constructor passes to its base's: `super(…).__init__(host, topic, manager=…)`. */
  private superInitArgs(init: FunctionDecl, frame: Frame): CallArgs | null {
    for (const call of descendantsOf(init.body, "call")) {
      const fn = call.childForFieldName("function");
      if (fn?.type !== "attribute" || fn.childForFieldName("attribute")?.text !== "__init__")
        continue;
      const args = call.childForFieldName("arguments");
      if (!args) return noArgs();
      return this.evalArgs(args, this.frameBefore(init, args, frame));
    }
    return null;
  }

  /**
   * `node` evaluated in `frame` with the local variables it names bound to the last value
   * assigned to each before it in `fn` (`manager = LinuxBridgeManager(...)` before
   * `CommonAgentLoop(manager, ...)`), the rest of the function not run.
   */
  evalBefore(fn: FunctionDecl, node: SyntaxNode, frame: Frame): Value {
    return this.eval(node, this.frameBefore(fn, node, frame));
  }

  /** The frame evalBefore evaluates `node` in: `frame` and the locals `node` names. */
  frameBefore(fn: FunctionDecl, node: SyntaxNode, frame: Frame, depth = 3): Frame {
    const locals = new Map(frame.locals);
    const inner: Frame = { ...frame, locals };
    for (const id of node.type === "identifier" ? [node] : descendantsOf(node, "identifier")) {
      if (locals.has(id.text) || id.parent?.type === "keyword_argument") continue;
      let last: SyntaxNode | null = null;
      for (const a of descendantsOf(fn.body, "assignment")) {
        if (a.startIndex >= node.startIndex) break;
        if (a.childForFieldName("left")?.text === id.text) last = a.childForFieldName("right");
      }
      if (last && depth > 0)
        locals.set(id.text, this.eval(last, this.frameBefore(fn, last, inner, depth - 1)));
    }
    return inner;
  }

  private superAttr(obj: Extract<Value, { kind: "super" }>, name: string, site?: SourceRef): Value {
    const self = obj.self;
    const cls = self.kind === "instance" ? self.cls : self.kind === "class" ? self.decl : obj.owner;
    const mro = this.mro(cls);
    const at = mro.findIndex((r) => r.kind === "class" && r.decl === obj.owner);
    const rest = mro.slice(at + 1);
    const m = findMethod(rest, name);
    if (m) return { kind: "function", decl: m.decl, self };
    const hosted = self.kind === "instance" ? self.host?.getAttr?.(name) : undefined;
    if (hosted) return hosted;
    const ext = rest.find((r) => r.kind === "external");
    if (ext && ext.kind === "external") return { kind: "external", name: `${ext.name}.${name}` };
    if (name === "__init__") return { kind: "builtin", name: "object.__init__" };
    if (name === "__new__") return { kind: "builtin", name: "object.__new__" };
    return unknown(`super() has no attribute ${name}`, site);
  }

  /** Run `__init__` on an instance made elsewhere (lazily, or eagerly when a recipe asks). */
  initialise(obj: Instance, site?: SourceRef): void {
    if (obj.initialised) return;
    obj.initialised = true;
    if (this.mode.slice && !this.mode.slice(obj.cls)) return;
    const init = this.findMethod(obj.cls, "__init__");
    if (init) this.callFunction(init.decl, obj, obj.args, site);
  }

  // ---- calls ------------------------------------------------------------------------------

  call(callee: Value, args: CallArgs, site: SourceRef): Value {
    switch (callee.kind) {
      case "class":
        return this.construct(callee.decl, args, site);
      case "function": {
        if (callee.self?.kind === "instance") {
          const replaced = this.hooks.methodCall?.(callee.self, callee.decl, args, site);
          if (replaced) return replaced;
          if (this.mode.slice && !this.mode.slice(callee.self.cls))
            return unknown(`${callee.decl.qualname}() is outside what is run`, site);
        }
        const modelled = this.hooks.functionCall?.(callee.decl, args, site);
        if (modelled) return modelled;
        return this.callFunction(
          callee.decl,
          callee.self,
          args,
          site,
          callee.closure as Frame | undefined,
        );
      }
      case "partial": {
        const merged: CallArgs = {
          positional: [...callee.args.positional, ...args.positional],
          keywords: new Map([...callee.args.keywords, ...args.keywords]),
        };
        return this.call(callee.fn, merged, site);
      }
      case "builtin":
        return callBuiltin(this, callee, args, site);
      case "host":
        return callee.host.call?.(args, site) ?? unknown(`call of ${callee.host.label}`, site);
      case "external": {
        const hooked = this.hooks.externalCall?.(callee.name, args, site);
        if (hooked) return hooked;
        return externalCall(callee.name, args, site);
      }
      case "instance": {
        const m = this.findMethod(callee.cls, "__call__");
        if (m) return this.callFunction(m.decl, callee, args, site);
        return unknown(`${callee.cls.qualname} is not callable`, site);
      }
      case "unknown":
        return callee;
      default:
        return unknown(`call of ${callee.kind}`, site);
    }
  }

  /** `Cls(...)`: an instance whose `__init__` runs only when an attribute needs it. */
  construct(cls: ClassDecl, args: CallArgs, site: SourceRef): Instance {
    // A class with a `__new__` of its own (a singleton keeping `cls._instance`) gets the object
    // it returns, as in Python, under RunMode.ownNew; a `__new__` that cannot be followed leaves
    // a plain new object.
    const created = this.mode.ownNew ? this.findMethod(cls, "__new__") : null;
    if (created && !this.constructing.has(cls)) {
      this.constructing.add(cls);
      try {
        const v = this.callFunction(created.decl, { kind: "class", decl: cls }, args, site);
        if (v.kind === "instance") return v;
      } finally {
        this.constructing.delete(cls);
      }
    }
    this.hooks.onConstruct?.(cls, args, site);
    const inst: Instance = {
      kind: "instance",
      cls,
      args,
      attrs: new Map(),
      site,
      initialised: false,
    };
    if (this.hooks.hostFor) {
      for (const ref of this.mro(cls)) {
        if (ref.kind !== "external") continue;
        const host = this.hooks.hostFor(ref.name, args, site, inst);
        if (host) {
          inst.host = host;
          break;
        }
      }
    }
    if (this.mode.eager?.(cls)) this.initialise(inst, site);
    return inst;
  }

  callFunction(
    decl: FunctionDecl,
    self: Value | undefined,
    args: CallArgs,
    site?: SourceRef,
    closure?: Frame,
  ): Value {
    if (this.depth >= MAX_DEPTH) return unknown(`call depth limit at ${decl.qualname}`, site);
    if (this.steps > STEP_BUDGET) return unknown("evaluation budget exhausted", site);
    // Exploring, every branch of a recursive function recurses: once is what it does.
    if (
      (this.mode.exploreUnknownLoops || this.mode.slice) &&
      this.callStack.some((c) => c.fn === decl)
    )
      return unknown(`${decl.qualname} again (recursion)`, site);
    const frame = this.callFrame(decl, self, args, closure);
    if (decl.expression) return this.eval(decl.expression, frame);
    if (!decl.body) return NONE;
    // A generator runs to completion at once; callers iterate the list of what it yielded.
    if (isGenerator(decl)) frame.yielded = [];
    this.depth++;
    this.callStack.push({ fn: decl, from: site });
    this.frames.push(frame);
    try {
      executeBlock(this, frame, decl.body.namedChildren);
      if (frame.yielded) return { kind: "list", items: frame.yielded };
      // Fell off the end: None, unless a branch we could not decide may have returned.
      return frame.possibleReturns?.length ? mergeValues([...frame.possibleReturns, NONE]) : NONE;
    } catch (e) {
      if (!(e instanceof ReturnSignal)) throw e;
      if (frame.yielded) return { kind: "list", items: frame.yielded };
      // An earlier `if …: return a` that may have run: the function returns a or this.
      return frame.possibleReturns?.length
        ? mergeValues([...frame.possibleReturns, e.value])
        : e.value;
    } finally {
      this.depth--;
      this.callStack.pop();
      this.frames.pop();
    }
  }

  /** The frame a call of `decl` runs in: its parameters bound to the arguments and defaults. */
  callFrame(decl: FunctionDecl, self: Value | undefined, args: CallArgs, closure?: Frame): Frame {
    const isStatic = decl.decorators.some((d) => d.text === "@staticmethod");
    const isClassMethod = decl.decorators.some((d) => d.text === "@classmethod");
    let receiver = self;
    if (isClassMethod && self?.kind === "instance") receiver = { kind: "class", decl: self.cls };
    const frame: Frame = {
      module: decl.module,
      locals: new Map(),
      owner: decl.owner,
      self: receiver,
      ...(closure ? { enclosing: closure } : {}),
    };
    this.bindParameters(decl, frame, isStatic ? undefined : receiver, args);
    return frame;
  }

  private bindParameters(
    decl: FunctionDecl,
    frame: Frame,
    self: Value | undefined,
    args: CallArgs,
  ) {
    const positional = self ? [self, ...args.positional] : [...args.positional];
    const keywords = new Map(args.keywords);
    const defaultsFrame = this.moduleFrame(decl.module);
    for (const p of decl.params?.namedChildren ?? []) {
      if (p.type === "identifier") {
        frame.locals.set(p.text, positional.shift() ?? takeKeyword(keywords, p.text));
      } else if (p.type === "default_parameter" || p.type === "typed_default_parameter") {
        const name = p.childForFieldName("name")?.text ?? "";
        const given = positional.length > 0 ? positional.shift() : keywords.get(name);
        keywords.delete(name);
        const dflt = p.childForFieldName("value");
        frame.locals.set(name, given ?? (dflt ? this.eval(dflt, defaultsFrame) : NONE));
      } else if (p.type === "typed_parameter") {
        const name = p.namedChildren[0]?.text ?? "";
        frame.locals.set(name, positional.shift() ?? takeKeyword(keywords, name));
      } else if (p.type === "list_splat_pattern") {
        const name = p.namedChildren[0]?.text ?? "args";
        frame.locals.set(name, { kind: "tuple", items: positional.splice(0) });
      } else if (p.type === "dictionary_splat_pattern") {
        const name = p.namedChildren[0]?.text ?? "kwargs";
        frame.locals.set(name, { kind: "dict", entries: new Map(keywords) });
        keywords.clear();
      }
    }
  }

  // ---- expressions ------------------------------------------------------------------------

  eval(node: SyntaxNode, frame: Frame): Value {
    this.steps++;
    switch (node.type) {
      case "identifier":
        return this.lookupName(node.text, frame);
      case "string":
        return evalString(node, this, frame);
      case "concatenated_string": {
        let out = "";
        for (const part of node.namedChildren) {
          const v = this.eval(part, frame);
          if (v.kind !== "str") return unknown("string concatenation with an unknown part");
          out += v.value;
        }
        return str(out);
      }
      case "integer":
        return { kind: "num", value: Number(node.text.replaceAll("_", "")) };
      case "float":
        return { kind: "num", value: Number(node.text.replaceAll("_", "")) };
      case "true":
        return { kind: "bool", value: true };
      case "false":
        return { kind: "bool", value: false };
      case "none":
        return NONE;
      case "parenthesized_expression":
        return node.namedChildren[0] ? this.eval(node.namedChildren[0], frame) : NONE;
      case "list":
      case "tuple":
      case "set":
        // Literals remember where they are written: a ROUTE_LIST entry is cited by its line.
        return {
          kind: node.type,
          items: this.evalItems(node.namedChildren, frame),
          site: this.site(frame, node),
        };
      case "expression_list":
        return { kind: "tuple", items: this.evalItems(node.namedChildren, frame) };
      case "dictionary":
        return this.evalDict(node, frame);
      case "attribute": {
        const obj = node.childForFieldName("object");
        const attr = node.childForFieldName("attribute");
        if (!obj || !attr) return unknown("malformed attribute");
        return this.getAttr(this.eval(obj, frame), attr.text, this.site(frame, node));
      }
      case "call":
        return this.evalCall(node, frame);
      case "subscript":
        return this.evalSubscript(node, frame);
      case "binary_operator":
        return this.evalBinary(node, frame);
      case "boolean_operator": {
        const left = this.eval(node.childForFieldName("left") as SyntaxNode, frame);
        const op = node.childForFieldName("operator")?.text ?? node.children[1]?.text;
        const t = truthy(left);
        if (t === null) {
          // `unknown or True` is true and `unknown and False` false, whatever the unknown is:
          // the right operand stands for the truth of both (Neutron's
          // `context.is_admin or … or self._resource not in ('port', 'subnet')`).
          const right = this.eval(node.childForFieldName("right") as SyntaxNode, frame);
          if (truthy(right) === (op === "or")) return right;
          return unknown("boolean operator on an unknown value");
        }
        if (op === "and")
          return t ? this.eval(node.childForFieldName("right") as SyntaxNode, frame) : left;
        return t ? left : this.eval(node.childForFieldName("right") as SyntaxNode, frame);
      }
      case "unary_operator": {
        const v = this.eval(node.childForFieldName("argument") as SyntaxNode, frame);
        const op = node.childForFieldName("operator")?.text ?? node.children[0]?.text;
        if (v.kind !== "num") return unknown(`unary ${op} on ${v.kind}`);
        return { kind: "num", value: op === "-" ? -v.value : op === "~" ? ~v.value : v.value };
      }
      case "not_operator": {
        const t = truthy(this.eval(node.childForFieldName("argument") as SyntaxNode, frame));
        return t === null ? unknown("not of an unknown value") : { kind: "bool", value: !t };
      }
      case "comparison_operator":
        return evalComparison(node, this, frame);
      case "conditional_expression": {
        const [a, cond, b] = node.namedChildren;
        if (!a || !cond || !b) return unknown("malformed conditional");
        const t = truthy(this.eval(cond, frame));
        if (t === null && this.mode.conditionalChoice) {
          this.choicesMade++;
          return this.eval(this.mode.conditionalChoice === "then" ? a : b, frame);
        }
        if (t === null)
          return unknown("condition not decidable statically", this.site(frame, node));
        return this.eval(t ? a : b, frame);
      }
      case "list_comprehension":
      case "set_comprehension":
      case "generator_expression":
      case "dictionary_comprehension":
        return evalComprehension(node, this, frame);
      case "lambda":
        // QoSPluginBase._call_proxy_method returns `lambda *args, **kwargs: _make_call(…)`.
        return {
          kind: "function",
          decl: {
            name: "<lambda>",
            qualname: "<lambda>",
            module: frame.module,
            node,
            line: node.startPosition.row + 1,
            decorators: [],
            params: node.childForFieldName("parameters"),
            body: null,
            expression: node.childForFieldName("body") ?? undefined,
            owner: frame.owner,
          },
          closure: frame,
        };
      case "yield": {
        const target = frameWithYield(frame);
        const inner = node.namedChildren[0];
        if (!target || !inner) return NONE;
        const v = this.eval(inner, frame);
        // `yield from x` yields every item of x.
        if (node.children[1]?.text === "from") target.yielded?.push(...(iterate(v) ?? [v]));
        else target.yielded?.push(v);
        return NONE;
      }
      case "keyword_argument":
        return unknown("keyword argument outside a call");
      default:
        return unknown(`expression ${node.type}`, this.site(frame, node));
    }
  }

  private evalItems(nodes: SyntaxNode[], frame: Frame): Value[] {
    const out: Value[] = [];
    for (const n of nodes) {
      if (n.type === "comment") continue;
      if (n.type === "list_splat") {
        const v = this.eval(n.namedChildren[0] as SyntaxNode, frame);
        const items = iterate(v);
        if (items) out.push(...items);
        else out.push(unknown("splat of an unknown value"));
      } else out.push(this.eval(n, frame));
    }
    return out;
  }

  private evalDict(node: SyntaxNode, frame: Frame): Value {
    const entries = new Map<string, Value>();
    const site = this.site(frame, node);
    for (const pair of node.namedChildren) {
      if (pair.type === "pair") {
        const k = this.eval(pair.childForFieldName("key") as SyntaxNode, frame);
        const key = dictKey(k);
        if (key === null) continue;
        entries.set(key, this.eval(pair.childForFieldName("value") as SyntaxNode, frame));
      } else if (pair.type === "dictionary_splat") {
        const v = this.eval(pair.namedChildren[0] as SyntaxNode, frame);
        if (v.kind === "dict") for (const [k, val] of v.entries) entries.set(k, val);
      }
    }
    return { kind: "dict", entries, site };
  }

  evalArgs(list: SyntaxNode | null, frame: Frame): CallArgs {
    const args = noArgs();
    for (const a of list?.namedChildren ?? []) {
      if (a.type === "keyword_argument") {
        const name = a.childForFieldName("name")?.text ?? "";
        args.keywords.set(name, this.eval(a.childForFieldName("value") as SyntaxNode, frame));
      } else if (a.type === "list_splat") {
        const v = this.eval(a.namedChildren[0] as SyntaxNode, frame);
        const items = iterate(v);
        if (items) args.positional.push(...items);
      } else if (a.type === "dictionary_splat") {
        const v = this.eval(a.namedChildren[0] as SyntaxNode, frame);
        if (v.kind === "dict") for (const [k, val] of v.entries) args.keywords.set(k, val);
      } else if (a.type !== "comment") {
        args.positional.push(this.eval(a, frame));
      }
    }
    return args;
  }

  private evalCall(node: SyntaxNode, frame: Frame): Value {
    const fnNode = node.childForFieldName("function") as SyntaxNode;
    const site = this.site(frame, node);
    // `super()` without arguments means the enclosing class and `self`.
    if (fnNode.type === "identifier" && fnNode.text === "super" && frame.owner) {
      const argNodes = node.childForFieldName("arguments")?.namedChildren ?? [];
      if (argNodes.length === 0 && frame.self)
        return { kind: "super", owner: frame.owner, self: frame.self };
      if (argNodes.length === 2) {
        const cls = this.eval(argNodes[0] as SyntaxNode, frame);
        const self = this.eval(argNodes[1] as SyntaxNode, frame);
        if (cls.kind === "class") return { kind: "super", owner: cls.decl, self };
      }
    }
    const callee = this.eval(fnNode, frame);
    const argsNode = node.childForFieldName("arguments");
    // A generator argument, `f(x for x in y)`, is a single positional argument.
    const args =
      argsNode?.type === "generator_expression"
        ? { positional: [this.eval(argsNode, frame)], keywords: new Map<string, Value>() }
        : this.evalArgs(argsNode, frame);
    return this.call(callee, args, site);
  }

  private evalSubscript(node: SyntaxNode, frame: Frame): Value {
    const value = this.eval(node.childForFieldName("value") as SyntaxNode, frame);
    const subNode = node.childForFieldName("subscript");
    if (!subNode) return unknown("subscript");
    if (subNode.type === "slice") {
      if (value.kind !== "list" && value.kind !== "tuple" && value.kind !== "str") {
        return unknown("slice of an unknown value");
      }
      // Children are `start? : stop? (: step?)?`; position relative to the colons says which.
      const bounds: (number | undefined)[] = [undefined, undefined, undefined];
      let slot = 0;
      for (const child of subNode.children) {
        if (child.type === ":") slot++;
        else if (child.isNamed) {
          const v = this.eval(child, frame);
          if (v.kind !== "num") return unknown("slice with an unknown bound");
          bounds[slot] = v.value;
        }
      }
      if (bounds[2] !== undefined) return unknown("slice with a step");
      if (value.kind === "str") return str(value.value.slice(bounds[0], bounds[1]));
      return { kind: value.kind, items: value.items.slice(bounds[0], bounds[1]) };
    }
    const key = this.eval(subNode, frame);
    if (value.kind === "dict") {
      const k = dictKey(key) ?? (this.mode.exploreUnknownLoops ? UNKNOWN_KEY : null);
      // `by_type[t].append(x)` on a defaultdict: the missing entry is made by its factory. Under
      // a key not known, the entry is made (a loop over the dict runs) but what it holds was
      // built at run time: the read is Unknown.
      if (k !== null && !value.entries.has(k) && value.factory) {
        const made = this.call(value.factory, noArgs(), this.site(frame, node));
        value.entries.set(k, made);
        return k === UNKNOWN_KEY ? unknown("an entry built at run time") : made;
      }
      if (k === UNKNOWN_KEY) return value.entries.get(k) ?? unknown("a key not known statically");
    }
    return (
      subscript(value, key) ?? unknown("subscript of an unknown value", this.site(frame, node))
    );
  }

  private evalBinary(node: SyntaxNode, frame: Frame): Value {
    const l = this.eval(node.childForFieldName("left") as SyntaxNode, frame);
    const r = this.eval(node.childForFieldName("right") as SyntaxNode, frame);
    const op = node.childForFieldName("operator")?.text ?? "";
    const out = binaryOp(op, l, r) ?? unknown(`operator ${op} on ${l.kind} and ${r.kind}`);
    // `'%s.%s' % (topic, host)`: what is known of the string, with a {name} for each unknown part.
    if (op === "%" && l.kind === "str" && out.kind === "unknown") {
      const right = node.childForFieldName("right") as SyntaxNode;
      return { ...out, template: formatTemplate(l.value, r, placeholderNames(right)) };
    }
    return out;
  }

  site(frame: Frame, node: SyntaxNode): SourceRef {
    return this.program.site(frame.module, node);
  }
}

export type { Frame } from "./statements.js";

const runtimeGlobalsCache = new WeakMap<object, Set<string>>();

/** The module-level names a function of the module rebinds: `global _CACHE` then `_CACHE = …`. */
function runtimeGlobals(loaded: { parsed: { text: string } }): Set<string> {
  let names = runtimeGlobalsCache.get(loaded);
  if (!names) {
    names = new Set();
    for (const m of loaded.parsed.text.matchAll(/^[ \t]+global[ \t]+([\w, \t]+)$/gm))
      for (const n of (m[1] as string).split(",")) names.add(n.trim());
    runtimeGlobalsCache.set(loaded, names);
  }
  return names;
}

/**
 * How code is run when an analysis runs it for one purpose (src/rpc/ runs clients for what
 * they send, servers for what they consume), instead of as the REST recipes need.
 */
export interface RunMode {
  /** A loop over a value not known statically runs once, its item Unknown, instead of not at all. */
  exploreUnknownLoops?: boolean;
  /**
   * Which side of `a if cond else b` to take when `cond` is not decidable, instead of an
   * Unknown (`rpc_method = cctxt.cast if cast else cctxt.call`); run once per side.
   */
  conditionalChoice?: "then" | "else";
  /**
   * The classes that matter: objects of other classes are left alone — their constructors and
   * methods are not run.
   */
  slice?: (cls: ClassDecl) => boolean;
  /** Classes whose objects are made as Python makes them, `__init__` first (not when read). */
  eager?: (cls: ClassDecl) => boolean;
  /** No info diagnostics for undecidable conditions and loops: they are taken by design. */
  quiet?: boolean;
  /**
   * `Cls(...)` calls a `__new__` of the class's own (Neutron's ResourcesPullRpcApi singleton
   * makes its client there). Not by default: the REST recipes were built without it.
   */
  ownNew?: boolean;
  /**
   * An object not yet initialised answers `self.x` from the `self.x = …` of its constructor
   * alone (attributeOnDemand), instead of running the constructor.
   */
  attributesOnDemand?: boolean;
}

const generatorCache = new WeakMap<FunctionDecl, boolean>();

/** A function is a generator when `yield` occurs in its own body (not in nested functions). */
function isGenerator(decl: FunctionDecl): boolean {
  const hit = generatorCache.get(decl);
  if (hit !== undefined) return hit;
  // Most bodies never say `yield`: their text answers without a walk of the tree.
  const found =
    !!decl.body?.text.includes("yield") &&
    descendantsOf(decl.body, "yield").some((y) => {
      for (let n = y.parent; n; n = n.parent) {
        // The body may come from its own parse (an outlined module): compare by position.
        if (n.type === "function_definition" || n.type === "lambda")
          return n.startIndex === decl.node.startIndex;
      }
      return false;
    });
  generatorCache.set(decl, found);
  return found;
}

function frameWithYield(frame: Frame): Frame | undefined {
  return frame.yielded ? frame : undefined;
}

function takeKeyword(keywords: Map<string, Value>, name: string): Value {
  const v = keywords.get(name);
  keywords.delete(name);
  return v ?? unknown(`missing argument ${name}`);
}

/** The binding Python would see after the module ran: the last one outside an `except` fallback. */
function pickBinding(bindings: Binding[]): Binding | undefined {
  for (let i = bindings.length - 1; i >= 0; i--) {
    const b = bindings[i] as Binding;
    if (!b.fallback) return b;
  }
  return bindings[bindings.length - 1];
}

function bindingNode(b: Binding): SyntaxNode | null {
  return b.kind === "class" || b.kind === "function" ? b.decl.node : b.node;
}

function externalCall(name: string, args: CallArgs, site: SourceRef): Value {
  const re = reCall(name, args, site);
  if (re) return re;
  if (name === "functools.partial" && args.positional[0]) {
    const [fn, ...rest] = args.positional;
    return { kind: "partial", fn, args: { positional: rest, keywords: args.keywords }, site };
  }
  if ((name === "copy.deepcopy" || name === "copy.copy") && args.positional[0]) {
    return deepCopy(args.positional[0]);
  }
  // The standard library's plain containers and iterator helpers.
  if (name === "itertools.chain" || name === "itertools.chain.from_iterable") {
    const parts = name.endsWith("from_iterable")
      ? (iterate(args.positional[0] ?? NONE) ?? [])
      : args.positional;
    const items: Value[] = [];
    for (const p of parts) {
      const got = iterate(p);
      if (!got) return unknown(`${name}() of an unknown iterable`, site);
      items.push(...got);
    }
    return { kind: "list", items };
  }
  if (name === "itertools.islice") {
    // islice(iterable, stop) / islice(iterable, start, stop[, step]), None bounds open.
    const items = iterate(args.positional[0] ?? NONE);
    const bounds = args.positional
      .slice(1)
      .map((b) => (b.kind === "num" ? b.value : b.kind === "none" ? null : NaN));
    const [start, stop, step] =
      bounds.length === 1 ? [0, bounds[0], 1] : [bounds[0] ?? 0, bounds[1], bounds[2] ?? 1];
    if (!items || [start, stop, step].some((b) => Number.isNaN(b)) || !step)
      return unknown(`${name}() of an unknown iterable`, site);
    const picked = items
      .slice(start ?? 0, stop ?? undefined)
      .filter((_x, i) => i % (step as number) === 0);
    return { kind: "list", items: picked };
  }
  if (name === "collections.OrderedDict" || name === "collections.defaultdict") {
    const src = name === "collections.OrderedDict" ? args.positional[0] : args.positional[1];
    const factory = name === "collections.defaultdict" ? args.positional[0] : undefined;
    return {
      kind: "dict",
      entries: src?.kind === "dict" ? new Map(src.entries) : new Map(),
      ...(factory && factory.kind !== "none" ? { factory } : {}),
    };
  }
  const six = /^six\.(iteritems|itervalues|iterkeys)$/.exec(name);
  if (six && args.positional[0]?.kind === "dict") {
    const d = args.positional[0];
    if (six[1] === "iterkeys") return { kind: "list", items: [...d.entries.keys()].map(str) };
    if (six[1] === "itervalues") return { kind: "list", items: [...d.entries.values()] };
    return {
      kind: "list",
      items: [...d.entries].map(([k, v]) => ({ kind: "tuple", items: [str(k), v] })),
    };
  }
  return unknown(`result of ${name}()`, site);
}

export function deepCopy(v: Value): Value {
  switch (v.kind) {
    case "list":
    case "tuple":
    case "set":
      return { kind: v.kind, items: v.items.map(deepCopy) };
    case "dict":
      return { kind: "dict", entries: new Map([...v.entries].map(([k, x]) => [k, deepCopy(x)])) };
    default:
      return v;
  }
}

/** Items of an iterable value, or null when not known. */
export function iterate(v: Value): Value[] | null {
  switch (v.kind) {
    case "list":
    case "tuple":
    case "set":
      return v.items;
    case "dict":
      return [...v.entries.keys()].map(keyValue);
    case "str":
      return [...v.value].map(str);
    case "host":
      return v.host.iterate?.() ?? null;
    case "instance":
      return v.host?.iterate?.() ?? null;
    default:
      return null;
  }
}

export function subscript(value: Value, key: Value): Value | undefined {
  if (value.kind === "dict") {
    const k = dictKey(key);
    return k === null ? undefined : (value.entries.get(k) ?? unknown(`missing key ${k}`));
  }
  if ((value.kind === "list" || value.kind === "tuple") && key.kind === "num") {
    const i = key.value < 0 ? value.items.length + key.value : key.value;
    return value.items[i] ?? unknown("index out of range");
  }
  if (value.kind === "str" && key.kind === "num") {
    const i = key.value < 0 ? value.value.length + key.value : key.value;
    return str(value.value[i] ?? "");
  }
  return undefined;
}

export function binaryOp(op: string, l: Value, r: Value): Value | undefined {
  if (op === "+") {
    if (l.kind === "str" && r.kind === "str") return str(l.value + r.value);
    if (l.kind === "num" && r.kind === "num") return { kind: "num", value: l.value + r.value };
    if ((l.kind === "list" || l.kind === "tuple") && l.kind === r.kind) {
      return { kind: l.kind, items: [...l.items, ...r.items] };
    }
  }
  if (op === "-" && l.kind === "num" && r.kind === "num")
    return { kind: "num", value: l.value - r.value };
  if (op === "*") {
    if (l.kind === "num" && r.kind === "num") return { kind: "num", value: l.value * r.value };
    if (l.kind === "str" && r.kind === "num") return str(l.value.repeat(r.value));
  }
  if (op === "%" && l.kind === "str") return percentFormat(l.value, r);
  if (op === "|" && l.kind === "dict" && r.kind === "dict") {
    return { kind: "dict", entries: new Map([...l.entries, ...r.entries]) };
  }
  return undefined;
}

/** Python's `"..." % args` for %s/%d/%(name)s, the forms OpenStack uses to build paths. */
export function percentFormat(fmt: string, args: Value): Value {
  const positional = args.kind === "tuple" ? [...args.items] : [args];
  let failed = false;
  const out = fmt.replace(
    /%(\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?([sdrif%])/g,
    (_m, _g, key, conv) => {
      if (conv === "%") return "%";
      let v: Value | undefined;
      if (key !== undefined) v = args.kind === "dict" ? args.entries.get(key) : undefined;
      else v = positional.shift();
      const s = v ? scalarText(v) : null;
      if (s === null) failed = true;
      return s ?? "";
    },
  );
  return failed ? unknown("%-format with an unknown argument") : str(out);
}

/**
 * A %-format with unknown arguments as a template: known parts are written out, unknown ones
 * become `{name}` (the key of `%(name)s`, else the argument as written: `host`, `self.topic` →
 * `topic`), an argument that is itself a template is inlined.
 */
export function formatTemplate(fmt: string, args: Value, names: string[]): string {
  const positional = args.kind === "tuple" ? [...args.items] : [args];
  let index = 0;
  return fmt.replace(/%(\(([^)]*)\))?[-#0 +]*\d*(?:\.\d+)?([sdrif%])/g, (_m, _g, key, conv) => {
    if (conv === "%") return "%";
    const v =
      key !== undefined
        ? args.kind === "dict"
          ? args.entries.get(key)
          : undefined
        : positional.shift();
    const name = key ?? names[index] ?? "?";
    if (key === undefined) index++;
    const s = v ? scalarText(v) : null;
    if (s !== null) return s;
    if (v?.kind === "unknown" && v.template) return v.template;
    return `{${name}}`;
  });
}

/** Placeholder names for the arguments of a %-format, from how they are written. */
function placeholderNames(right: SyntaxNode): string[] {
  const items =
    right.type === "tuple" || right.type === "parenthesized_expression"
      ? right.namedChildren
      : [right];
  return items.map((n) => {
    const text =
      n.type === "attribute" ? (n.childForFieldName("attribute")?.text ?? n.text) : n.text;
    return /^\w+$/.test(text) ? text : "?";
  });
}

export function scalarText(v: Value): string | null {
  if (v.kind === "str") return v.value;
  if (v.kind === "num") return String(v.value);
  if (v.kind === "bool") return v.value ? "True" : "False";
  if (v.kind === "none") return "None";
  return null;
}

const PLAIN_STRING = /^([rRbBuU]{0,2})('''|"""|'|")/;

function evalString(node: SyntaxNode, ev: Evaluator, frame: Frame): Value {
  // Most literals are plain: read them from the text, without visiting their parts.
  const text = node.text;
  const plain = PLAIN_STRING.exec(text);
  if (plain) {
    const [opening, prefix = "", quote = ""] = plain;
    const body = text.slice(opening.length, text.length - quote.length);
    return str(/r/i.test(prefix) ? body : unescapePython(body));
  }
  const start = node.namedChildren.find((c) => c.type === "string_start")?.text ?? '"';
  const prefix = start.replace(/['"]/g, "").toLowerCase();
  let out = "";
  for (const part of node.namedChildren) {
    if (part.type === "string_content") {
      out += prefix.includes("r") ? part.text : unescapePython(part.text);
    } else if (part.type === "escape_sequence") {
      out += prefix.includes("r") ? part.text : unescapePython(part.text);
    } else if (part.type === "interpolation") {
      const expr = part.namedChildren[0];
      const v = expr ? ev.eval(expr, frame) : unknown("f-string");
      const s = scalarText(v);
      if (s === null) return unknown("f-string with an unknown part", ev.site(frame, node));
      out += s;
    }
  }
  return str(out);
}

function unescapePython(s: string): string {
  return s.replace(/\\(.)/gs, (_m, c: string) => {
    switch (c) {
      case "n":
        return "\n";
      case "t":
        return "\t";
      case "\\":
        return "\\";
      case "'":
        return "'";
      case '"':
        return '"';
      case "\n":
        return "";
      default:
        return `\\${c}`;
    }
  });
}

function evalComparison(node: SyntaxNode, ev: Evaluator, frame: Frame): Value {
  const operands = node.namedChildren.map((n) => ev.eval(n, frame));
  const ops = node.children.filter((c) => !c.isNamed).map((c) => c.text);
  // Chained comparisons are rare in the code we read; model the first pair.
  const [l, r] = operands;
  const op = ops.join(" ");
  if (!l || !r) return unknown("comparison");
  const eq = valuesEqual(l, r);
  switch (op) {
    case "==":
      return eq === null ? unknown("comparison of unknown values") : { kind: "bool", value: eq };
    case "!=":
      return eq === null ? unknown("comparison of unknown values") : { kind: "bool", value: !eq };
    case "in":
    case "not in": {
      const items = r.kind === "dict" ? [...r.entries.keys()].map(str) : iterate(r);
      if (!items) return unknown("membership in an unknown value");
      if (l.kind === "str" && r.kind === "str") {
        return { kind: "bool", value: r.value.includes(l.value) === (op === "in") };
      }
      const found = items.some((i) => valuesEqual(i, l) === true);
      // `method_name not in VALID_METHOD_NAMES` with the name unknown: not decided either way.
      if (!found && (l.kind === "unknown" || l.kind === "external"))
        return unknown("membership of an unknown value");
      return { kind: "bool", value: found === (op === "in") };
    }
    case "is":
    case "is not": {
      if (eq === null) return unknown("identity of unknown values");
      return { kind: "bool", value: eq === (op === "is") };
    }
    default:
      return unknown(`comparison ${op}`);
  }
}

export function valuesEqual(a: Value, b: Value): boolean | null {
  if (
    a.kind === "unknown" ||
    b.kind === "unknown" ||
    a.kind === "external" ||
    b.kind === "external"
  ) {
    return null;
  }
  if (a.kind === "none" || b.kind === "none") return a.kind === b.kind;
  if ((a.kind === "str" || a.kind === "num" || a.kind === "bool") && a.kind === b.kind) {
    return a.value === (b as typeof a).value;
  }
  if (a.kind === "class" && b.kind === "class") return a.decl === b.decl;
  if (a.kind === "host" && b.kind === "host" && a.host.sameAs) return a.host.sameAs(b.host);
  return a === b ? true : null;
}

function evalComprehension(node: SyntaxNode, ev: Evaluator, frame: Frame): Value {
  const body = node.namedChildren[0];
  const clauses = node.namedChildren.slice(1);
  if (!body) return unknown("comprehension");
  const results: Value[] = [];
  const entries = new Map<string, Value>();
  const local: Frame = { ...frame, locals: new Map(frame.locals), enclosing: undefined };
  let failed: string | null = null;
  const run = (i: number) => {
    if (failed) return;
    const clause = clauses[i];
    if (!clause) {
      if (body.type === "pair") {
        const k = dictKey(ev.eval(body.childForFieldName("key") as SyntaxNode, local));
        if (k !== null)
          entries.set(k, ev.eval(body.childForFieldName("value") as SyntaxNode, local));
      } else results.push(ev.eval(body, local));
      return;
    }
    if (clause.type === "for_in_clause") {
      const left = clause.childForFieldName("left") as SyntaxNode;
      const items = iterate(ev.eval(clause.childForFieldName("right") as SyntaxNode, local));
      if (!items) {
        // Exploring (src/rpc/): the element runs once for what it does; the value stays unknown.
        if (ev.mode.exploreUnknownLoops) {
          assignTarget(ev, local, left, unknown("an item of an iterable not known statically"));
          run(i + 1);
        }
        failed = "comprehension over an unknown iterable";
        return;
      }
      for (const item of items) {
        assignTarget(ev, local, left, item);
        run(i + 1);
      }
    } else if (clause.type === "if_clause") {
      const t = truthy(ev.eval(clause.namedChildren[0] as SyntaxNode, local));
      if (t === null) failed = "comprehension filter not decidable";
      else if (t) run(i + 1);
    }
  };
  run(0);
  if (failed) return unknown(failed, ev.site(frame, node));
  if (node.type === "dictionary_comprehension") return { kind: "dict", entries };
  return { kind: node.type === "set_comprehension" ? "set" : "list", items: results };
}

/** Bind a simple target (`x`, `(a, b)`) in a frame; used by `for` and comprehensions. */
export function assignTarget(ev: Evaluator, frame: Frame, target: SyntaxNode, value: Value): void {
  if (target.type === "identifier") {
    frame.locals.set(target.text, value);
    return;
  }
  if (
    target.type === "pattern_list" ||
    target.type === "tuple_pattern" ||
    target.type === "list_pattern" ||
    target.type === "tuple" ||
    target.type === "expression_list"
  ) {
    const items = iterate(value);
    target.namedChildren.forEach((t, i) => {
      assignTarget(ev, frame, t, items?.[i] ?? unknown("unpacking of an unknown value"));
    });
    return;
  }
  if (target.type === "parenthesized_expression" && target.namedChildren[0]) {
    assignTarget(ev, frame, target.namedChildren[0], value);
    return;
  }
  if (target.type === "attribute") {
    const obj = ev.eval(target.childForFieldName("object") as SyntaxNode, frame);
    const name = target.childForFieldName("attribute")?.text ?? "";
    if (obj.kind === "instance") obj.attrs.set(name, value);
    // `cls._instance = cls()`: a singleton kept on the class.
    else if (obj.kind === "class") ev.setClassAttr(obj.decl, name, value);
    return;
  }
  if (target.type === "subscript") {
    const obj = ev.eval(target.childForFieldName("value") as SyntaxNode, frame);
    const key = ev.eval(target.childForFieldName("subscript") as SyntaxNode, frame);
    if (obj.kind === "dict") {
      const k = dictKey(key) ?? (ev.mode.exploreUnknownLoops ? UNKNOWN_KEY : null);
      if (k !== null) obj.entries.set(k, value);
    } else if (obj.kind === "list" && key.kind === "num") obj.items[key.value] = value;
  }
}
