import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./paths.js";

/**
 * Unpack Debian packages into .cache/debian/NAME with scripts/fetch-debian.sh (apt-get download
 * + dpkg-deb -x; cached, git-ignored) and return the tree. A failure fails the test: these are
 * the real-tree tests, never skipped.
 */
export function debianTree(name: string, packages: string[]): string {
  const r = spawnSync("bash", [join(REPO, "scripts", "fetch-debian.sh"), name, ...packages], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`fetch-debian.sh ${name} failed:\n${r.stderr}`);
  return r.stdout.trim().split("\n").pop() as string;
}
