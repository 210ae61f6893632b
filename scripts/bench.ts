/**
 * `npm run bench`: times `apimap map` on real trees from Debian's packages and prints wall
 * time (whole process, node start-up included; median of 7 runs, as this VM's speed varies
 * ±20% from one run to the next), the analysis time inside the process, peak memory (max RSS)
 * and how many modules were parsed. For Nova and Neutron it also times, in the same run,
 * building the live router of the installed package (Debian's /usr/bin/python3: Nova's
 * APIRouterV21, neutron-server's paste app through paste.deploy), the yardstick apimap must
 * stay well ahead of.
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
  /** The probe that builds the live router, and its input, given the unpacked tree. */
  live?: (tree: string) => { args: string[]; input?: string };
}

const SUBJECTS: Subject[] = [
  { name: "cinder", packages: ["python3-cinder", "cinder-common"] },
  { name: "glance", packages: ["python3-glance", "glance-common"] },
  {
    name: "nova",
    packages: ["python3-nova", "nova-common"],
    live: () => ({ args: [join(repo, "scripts", "probes", "nova_router.py"), "--build-only"] }),
  },
  {
    name: "neutron",
    packages: ["python3-neutron", "neutron-common", "python3-neutron-lib"],
    live: (root) => ({
      args: [join(repo, "scripts", "probes", "neutron_server.py")],
      input: JSON.stringify({
        core_plugin: "ml2",
        service_plugins: [],
        extension_drivers: [],
        paste: join(root, "usr", "share", "neutron-common", "api-paste.ini"),
        build_only: true,
      }),
    }),
  },
];
const RUNS = 7;
const LIVE_RUNS = 3;

/** Wall time of building the live router once, in Debian's Python. */
function live(subject: Subject, root: string): number {
  const probe = subject.live?.(root);
  if (!probe) return Number.NaN;
  const start = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/python3", probe.args, { input: probe.input, encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`live ${subject.name} exited ${r.status}: ${r.stderr}`);
  return wallMs;
}

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
  // Interleaved, so both sides see the same minutes of this machine.
  const runs: ReturnType<typeof once>[] = [];
  const lives: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(once(root));
    if (subject.live && i < LIVE_RUNS) lives.push(live(subject, root));
  }
  const last = runs[runs.length - 1];
  const wall = median(runs.map((r) => r.wallMs));
  const vsLive =
    lives.length > 0
      ? `; live router ${median(lives).toFixed(0)} ms (median of ${lives.length}): apimap ${(median(lives) / wall).toFixed(1)}× faster`
      : "";
  console.log(
    `${subject.name}: wall ${wall.toFixed(0)} ms (median of ${RUNS}, min ${Math.min(...runs.map((r) => r.wallMs)).toFixed(0)}), ` +
      `analysis ${median(runs.map((r) => r.analysisMs)).toFixed(0)} ms, ` +
      `peak RSS ${Math.max(...runs.map((r) => r.maxRssMb)).toFixed(0)} MB, ` +
      `${last?.modulesParsed} modules parsed, ${last?.endpoints} endpoints${vsLive}`,
  );
}
