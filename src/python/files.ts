import { type Dirent, readdirSync } from "node:fs";
import { join } from "node:path";

/** Every `.py` file below a package folder, tests and hidden folders left out. */
export function* pythonFiles(dir: string): Generator<string> {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (e.name === "tests" || e.name.startsWith(".")) continue;
      yield* pythonFiles(join(dir, e.name));
    } else if (e.name.endsWith(".py")) yield join(dir, e.name);
  }
}
