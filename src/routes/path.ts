/** Turning Routes routepaths into user-facing URL templates. */
import { type PathPart, pathKeys } from "./route.js";

/**
 * How a routepath ends:
 * - "none": no format extension;
 * - "optional": `{.format}` — the one route serves both `/x` and `/x.json`;
 * - "required": `.:(format)`, `.:format` or `.{format}` — the route only matches with an
 *   extension; Routes users (Mapper.resource, Neutron) pair it with a base route of the same path.
 */
export type FormatSuffix = "none" | "optional" | "required";

export interface UrlTemplate {
  /** The path with every variable as `{name}` and the format suffix removed. */
  path: string;
  format: FormatSuffix;
  /** True when format is "required": the route is the format twin of a base route; callers usually fold it. */
  formatVariant: boolean;
  /** Variable names in path order, the format variable excluded. */
  params: string[];
}

/**
 * `:(id)`, `:id`, `{id}`, `{id:regex}` and `*path` all become `{id}`/`{path}`; a trailing
 * format variable is removed and reported in `format`. Other `{.ext}` variables become `.{ext}`.
 * A routepath without a leading '/' is returned without one (Routes would not match it unless
 * minimization is on); see {@link joinMount} to anchor it.
 */
export function toTemplate(routepath: string): UrlTemplate {
  const parts: PathPart[] = pathKeys(routepath, { keepDash: true });
  let format: FormatSuffix = "none";
  const last = parts[parts.length - 1];
  if (last !== undefined && typeof last !== "string" && last.name === "format") {
    const prev = parts[parts.length - 2];
    if (last.type === ".") {
      parts.pop();
      format = "optional";
    } else if (typeof prev === "string" && prev.endsWith(".")) {
      parts.pop();
      parts.pop();
      const before = prev.slice(0, -1);
      if (before) parts.push(before);
      format = "required";
    }
  }
  let path = "";
  const params: string[] = [];
  for (const part of parts) {
    if (typeof part === "string") {
      path += part;
    } else {
      params.push(part.name);
      path += part.type === "." ? `.{${part.name}}` : `{${part.name}}`;
    }
  }
  return { path, format, formatVariant: format === "required", params };
}

/**
 * Joins a mount point (e.g. a paste urlmap prefix) and a route path: "/v2" + "/images" →
 * "/v2/images", "/" + "/images" → "/images". A root route ("" or "/") under a mount is reported
 * as the mount itself ("/v2"), and as "/" when there is no mount. Missing slashes are added.
 */
export function joinMount(mount: string, path: string): string {
  let m = mount.replace(/\/+$/, "");
  if (m !== "" && !m.startsWith("/")) m = `/${m}`;
  // Under a urlmap mount, `/v2` reaches the route "" and `/v2/` the route "/": they differ.
  if (path === "") return m === "" ? "/" : m;
  if (path === "/") return `${m}/`;
  return m + (path.startsWith("/") ? path : `/${path}`);
}
