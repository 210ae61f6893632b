import type { ApiMap } from "../model/map.js";

/** The `apimap/1` document; key order is fixed by construction, so output is byte-stable. */
export function writeJson(map: ApiMap): string {
  return `${JSON.stringify(map, null, 2)}\n`;
}
