import type { CodeRef } from "../model/map.js";
import type { ClassDecl, FunctionDecl } from "./binder.js";
import type { Evaluator } from "./evaluator.js";

/** `nova.compute.manager.ComputeManager`: a class as the map names it. */
export function qualname(cls: ClassDecl): string {
  return `${cls.module}.${cls.qualname}`;
}

/** The file of a class's module, relative to its search root. */
export function fileOf(ev: Evaluator, cls: ClassDecl): string {
  return ev.program.module(cls.module)?.file.relPath ?? cls.module;
}

/** A class as a CodeRef. */
export function classRef(ev: Evaluator, cls: ClassDecl): CodeRef {
  return { qualname: qualname(cls), file: fileOf(ev, cls), line: cls.line };
}

/** A method as a CodeRef, qualified by the class that defines it. */
export function functionRef(ev: Evaluator, owner: ClassDecl, fn: FunctionDecl): CodeRef {
  return { qualname: `${owner.module}.${fn.qualname}`, file: fileOf(ev, owner), line: fn.line };
}

/** Where `cls.<name>` is really defined (MRO), as a CodeRef; null when no class defines it. */
export function methodRef(ev: Evaluator, cls: ClassDecl, name: string): CodeRef | null {
  const found = ev.findMethod(cls, name);
  return found ? functionRef(ev, found.owner, found.decl) : null;
}
