/**
 * Where a service keeps its PasteDeploy file, in a checkout, a release tarball, a system
 * install or an unpacked Debian package.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

const PASTE_RE = /paste.*\.ini$/;

/**
 * Candidate paste files under `root` for `project`, in order of preference:
 * 1. `etc/<project>/api-paste.ini` (Nova, Neutron, Cinder checkouts; /etc on a system);
 * 2. `etc/<project>/*paste*.ini`;
 * 3. `etc/*paste*.ini` (Glance keeps `etc/glance-api-paste.ini`, and `glance-registry-paste.ini`
 *    in older releases);
 * 4. `usr/share/<project>-common/*paste*.ini` (Debian ships Glance's there);
 * 5. `etc/<project>/*paste*.ini` again (the /etc of an unpacked package: the same place as 2).
 * Every existing file once, sorted by name within a tier.
 */
export function findPasteFiles(root: string, project: string): string[] {
  const etcProject = path.join(root, "etc", project);
  const tiers: string[][] = [
    isFile(path.join(etcProject, "api-paste.ini")) ? [path.join(etcProject, "api-paste.ini")] : [],
    pasteFilesIn(etcProject),
    pasteFilesIn(path.join(root, "etc")),
    pasteFilesIn(path.join(root, "usr", "share", `${project}-common`)),
    pasteFilesIn(etcProject),
  ];
  return [...new Set(tiers.flat())];
}

function pasteFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => PASTE_RE.test(n))
    .sort()
    .map((n) => path.join(dir, n))
    .filter(isFile);
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
