import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, whether tests run from test/ via tsx or from dist/test/. */
export const REPO = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!dir.endsWith("/test") || dir.endsWith("/dist/test")) {
    const up = dirname(dir);
    if (up === dir) break;
    if (dir.endsWith("/dist/test")) {
      dir = dirname(dirname(dir));
      return dir;
    }
    dir = up;
  }
  return dirname(dir);
})();

export const fixture = (...parts: string[]) => join(REPO, "fixtures", ...parts);
export const repoPath = (...parts: string[]) => resolve(REPO, ...parts);

/** Debian's interpreter, where python3-routes, python3-glance … are installed by .ci/run. */
export const DEBIAN_PYTHON = "/usr/bin/python3";

export function runPython(
  args: string[],
  opts: { input?: string; env?: Record<string, string>; cwd?: string } = {},
) {
  const r = spawnSync(DEBIAN_PYTHON, args, {
    input: opts.input,
    env: { ...process.env, ...opts.env },
    cwd: opts.cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(`${DEBIAN_PYTHON} ${args.join(" ")} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}
