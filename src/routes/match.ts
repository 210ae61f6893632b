/**
 * URL matching as Routes 2.5.1 does it (`Mapper._match` → `Route.match`), for the question a
 * filter in front of an app raises: which requests does its mapper take before the app sees
 * them? Only non-minimized routes are modelled (Routes' default, and what OpenStack uses).
 */
import { pythonRegExp } from "../python/reModule.js";
import type { RouteEntry } from "./mapper.js";
import { pathKeys } from "./route.js";

export interface RouteMatch<C> {
  route: RouteEntry<C>;
  /** The route's variables as matched (`id`, `format`), defaults filled in; null when absent. */
  params: Record<string, string | null>;
}

interface Compiled<C> {
  route: RouteEntry<C>;
  regexp: RegExp | null;
  /** Variable names by group number: Python allows names that JavaScript groups do not. */
  names: string[];
  /** The static text before the first variable, trailing slashes stripped: Routes' bucket key. */
  prefix: string;
}

/**
 * A mapper's routes ready to match. Routes does not try `matchlist` in order: it buckets the
 * routes by their static prefix and tries the longest prefix that the URL starts with first
 * (`_prefix2routes`, `_prefix_lens`); within a bucket the order is the mapper's.
 */
export class RouteMatcher<C> {
  private readonly buckets = new Map<string, Compiled<C>[]>();
  private readonly prefixLengths: number[];

  constructor(routes: readonly RouteEntry<C>[]) {
    for (const route of routes) {
      const compiled = compile(route);
      const bucket = this.buckets.get(compiled.prefix) ?? [];
      bucket.push(compiled);
      this.buckets.set(compiled.prefix, bucket);
    }
    this.prefixLengths = [...new Set([...this.buckets.keys()].map((p) => p.length))].sort(
      (a, b) => b - a,
    );
  }

  /** The first route that takes `method url`, or null when the request falls through. */
  match(method: string, url: string): RouteMatch<C> | null {
    for (const length of this.prefixLengths) {
      for (const c of this.buckets.get(url.slice(0, length)) ?? []) {
        const m = c.regexp?.exec(url);
        if (!m) continue;
        const methods = c.route.methods;
        if (methods && !methods.includes(method)) continue;
        const params: Record<string, string | null> = {};
        c.names.forEach((k, i) => {
          const v = m.groups?.[`v${i}`];
          const dflt = c.route.defaults[k];
          params[k] = !v && typeof dflt === "string" && dflt ? dflt : (v ?? null);
        });
        return { route: c.route, params };
      }
    }
    return null;
  }
}

/** `Route.buildfullreg` for a non-minimized route, as a JavaScript RegExp. */
function compile<C>(route: RouteEntry<C>): Compiled<C> {
  const parts = pathKeys(route.routepath);
  let prefix = "";
  for (const p of parts) {
    if (typeof p !== "string") break;
    prefix += p;
  }
  prefix = prefix.replace(/\/+$/, "");
  let source = "";
  const names: string[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      source += escapeRegExp(part);
      continue;
    }
    const req = route.requirements[part.name];
    const pattern =
      typeof req === "string" && req
        ? pythonRegExp(req)
        : part.type === ":"
          ? "[^/]+?"
          : part.type === "."
            ? "[^/.]+?"
            : ".+?";
    const group = `(?<v${names.length}>${pattern})`;
    names.push(part.name);
    source += part.type === "." ? `(?:\\.${group})??` : group;
  }
  let regexp: RegExp | null;
  try {
    regexp = new RegExp(`^${source}$`);
  } catch {
    regexp = null; // a requirement JavaScript cannot read: the route never matches here
  }
  return { route, regexp, names, prefix };
}

/** A literal string as a regular expression matching exactly it. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
