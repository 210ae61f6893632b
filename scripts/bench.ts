/**
 * `npm run bench`: times `apimap map` on real trees from Debian's packages and prints wall
 * time (whole process, node start-up included; median of 7 runs, as this VM's speed varies
 * ±20% from one run to the next), the analysis time inside the process, peak memory (max RSS)
 * and how many modules were parsed.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
// The bundled bin, as `apimap` runs once installed.
const cli = join(repo, "dist", "apimap.js");

interface Subject {
  name: string;
  packages: string[];
}

const SUBJECTS: Subject[] = [
  { name: "cinder", packages: ["python3-cinder", "cinder-common"] },
  { name: "glance", packages: ["python3-glance", "glance-common"] },
  { name: "nova", packages: ["python3-nova", "nova-common"] },
  { name: "neutron", packages: ["python3-neutron", "neutron-common", "python3-neutron-lib"] },
];
const RUNS = 7;

function tree(subject: Subject): string {
  const r = spawnSync(
    "bash",
    [join(repo, "scripts", "fetch-debian.sh"), subject.name, ...subject.packages],
    {
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`fetch-debian.sh ${subject.name}: ${r.stderr}`);
  return r.stdout.trim().split("\n").pop() as string;
}

function once(root: string) {
  const start = process.hrtime.bigint();
  // APIMAP_STATS makes the CLI report its own analysis time and peak RSS on stderr.
  const r = spawnSync(process.execPath, [cli, "map", root, "--format", "json"], {
    encoding: "utf8",
    env: { ...process.env, APIMAP_STATS: "1" },
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`apimap map ${root} exited ${r.status}: ${r.stderr}`);
  const stats = JSON.parse(r.stderr.trim().split("\n").pop() as string) as {
    analysisMs: number;
    maxRssMb: number;
    modulesParsed: number;
  };
  const endpoints = (JSON.parse(r.stdout) as { endpoints: unknown[] }).endpoints.length;
  return { wallMs, endpoints, ...stats };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

for (const subject of SUBJECTS) {
  const root = tree(subject);
  const runs = Array.from({ length: RUNS }, () => once(root));
  const last = runs[runs.length - 1];
  console.log(
    `${subject.name}: wall ${median(runs.map((r) => r.wallMs)).toFixed(0)} ms (median of ${RUNS}, min ${Math.min(...runs.map((r) => r.wallMs)).toFixed(0)}), ` +
      `analysis ${median(runs.map((r) => r.analysisMs)).toFixed(0)} ms, ` +
      `peak RSS ${Math.max(...runs.map((r) => r.maxRssMb)).toFixed(0)} MB, ` +
      `${last?.modulesParsed} modules parsed, ${last?.endpoints} endpoints`,
  );
}
