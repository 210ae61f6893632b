import type { SourceRef } from "../model/diagnostics.js";

/** One entry point: `name = module.path:Attr` in group `group` (`console_scripts` is a group too). */
export interface EntryPoint {
  group: string;
  name: string;
  /** As written, extras included: `nova.cmd.compute:main`. */
  value: string;
  /** `nova.cmd.compute`; null when the value is not `module[:attr] [extras]`. */
  module: string | null;
  /** `main`, `Obj.attr`; null when the value names a module only. */
  attr: string | null;
  source: SourceRef;
}

/** A Python distribution as its metadata describes it. */
export interface PackageInfo {
  /** The distribution name as written (`glance_store`, `python-novaclient`). */
  name: string;
  /** Null when not written down (pbr takes it from git tags; `dynamic` in pyproject). */
  version: string | null;
  /** Entry points by group, in file order. */
  entryPoints: Map<string, EntryPoint[]>;
  /**
   * Top-level import packages when the metadata says (pbr `[files] packages`, setuptools
   * `[options] packages`, `top_level.txt`); empty when it does not.
   */
  topLevel: string[];
  /** Where the name was read. */
  source: SourceRef;
}

/** A metadata file that cannot be read at all. `message` is one line naming the file. */
export class PackagingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PackagingError";
  }
}

/** PEP 503 normalised name: `Glance_Store` and `glance-store` are the same distribution. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
