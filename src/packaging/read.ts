import { readFileSync } from "node:fs";
import { PackagingError } from "./types.js";

/** A file's text, or a one-line PackagingError naming it. */
export function readText(file: string, displayFile: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new PackagingError(`${displayFile}: cannot read (${code})`);
  }
}
