import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  callMethod,
  kw,
  Mapper,
  PyError,
  type RouteEntry,
  SubMapper,
} from "../../src/routes/mapper.js";
import { RouteMatcher } from "../../src/routes/match.js";
import { CASES, type Call, type Case } from "./cases.js";

/** The probe lives in the source tree; this file may run from it or from a compiled copy (dist/). */
function findProbe(): string {
  const rel = "scripts/probes/routes_table.py";
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(resolve(dir, rel))) return resolve(dir, rel);
    const up = dirname(dir);
    if (up === dir) return resolve(process.cwd(), rel);
    dir = up;
  }
}
const PROBE = findProbe();
const PYTHON = "/usr/bin/python3";

type Outcome = { name: string; routes: unknown[] } | { name: string; error: string };

interface ProbeOutput {
  routes_version: string | null;
  cases: Array<{
    name: string;
    routes?: unknown[];
    error?: string;
    message?: string;
    matches?: { route: number | null; params: Record<string, string> | null }[];
  }>;
}

let probeCache: ProbeOutput | undefined;

/** Runs the real library once for all cases; a missing python3-routes is a failure, never a skip. */
function probe(): ProbeOutput {
  if (probeCache) return probeCache;
  const check = spawnSync(PYTHON, ["-c", "import routes"], { encoding: "utf8" });
  if (check.error || check.status !== 0) {
    assert.fail(
      `${PYTHON} cannot import routes (${check.error?.message ?? check.stderr.trim()}); ` +
        "install python3-routes (apt-get install python3-routes) to run the differential tests",
    );
  }
  const run = spawnSync(PYTHON, [PROBE], {
    input: JSON.stringify(CASES),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.status, 0, `probe failed: ${run.stderr}`);
  probeCache = JSON.parse(run.stdout) as ProbeOutput;
  return probeCache;
}

function apply(target: Mapper<string> | SubMapper<string>, calls: Call[]): void {
  for (const call of calls) {
    if (call.op === "member") {
      const member = target instanceof SubMapper ? target.member : null;
      if (member === null) throw new PyError("AttributeError", "no member submapper");
      apply(member, call.calls ?? []);
      continue;
    }
    // Fresh copies, as Python gets from parsing its own JSON.
    const result = callMethod(
      target,
      call.op,
      structuredClone(call.args ?? []),
      structuredClone(call.kwargs ?? {}),
    );
    if (call.calls?.length) apply(result as SubMapper<string>, call.calls);
  }
}

/** The probe's per-route shape. */
function snapshot(r: RouteEntry<string>): unknown {
  return {
    name: r.name,
    routepath: r.routepath,
    methods: r.methods,
    conditions: r.conditions,
    controller: r.controller,
    action: r.action,
    requirements: r.requirements,
    defaults: r.defaults,
    redirect: r.redirect,
    redirect_status: r.redirectStatus,
    member_name: r.memberName,
    collection_name: r.collectionName,
    parent_resource: r.parentResource,
  };
}

function model(c: Case): Outcome {
  const mapper = new Mapper<string>(c.mapper ?? {});
  try {
    apply(mapper, c.calls);
  } catch (e) {
    if (e instanceof PyError) return { name: c.name, error: e.pyType };
    throw e;
  }
  // Snapshot only after all calls: shared requirement dicts may change after a route is made.
  return JSON.parse(JSON.stringify({ name: c.name, routes: mapper.routes.map(snapshot) }));
}

function expected(i: number): Outcome {
  const got = probe().cases[i];
  assert.ok(got, `probe returned no result for case ${i}`);
  if (got.error !== undefined) return { name: got.name, error: got.error };
  return { name: got.name, routes: got.routes ?? [] };
}

describe("Routes differential (real library vs model)", () => {
  test("python3-routes is importable and is 2.5.1", () => {
    assert.equal(probe().routes_version, "2.5.1");
  });

  test("has at least 25 cases with unique names", () => {
    assert.ok(CASES.length >= 25);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  });

  CASES.forEach((c, i) => {
    test(c.name, () => {
      assert.deepEqual(model(c), expected(i));
    });
  });
});

describe("Routes matching differential (real Mapper.routematch vs RouteMatcher)", () => {
  const withRequests = CASES.map((c, i) => [c, i] as const).filter(([c]) => c.requests);

  test("at least 4 cases send requests", () => {
    assert.ok(withRequests.length >= 4);
  });

  for (const [c, i] of withRequests) {
    test(`${c.name}: every request takes the same route with the same params`, () => {
      const mapper = new Mapper<string>(c.mapper ?? {});
      apply(mapper, c.calls);
      const matcher = new RouteMatcher(mapper.routes);
      const got = (c.requests ?? []).map(([method, url]) => {
        const m = matcher.match(method, url);
        return {
          request: `${method} ${url}`,
          route: m ? mapper.routes.indexOf(m.route) : null,
          params: m ? m.params : null,
        };
      });
      const want = (probe().cases[i]?.matches ?? []).map((m, j) => ({
        request: (c.requests ?? [])[j]?.join(" "),
        ...m,
      }));
      assert.deepEqual(got, want);
    });
  }
});

describe("typed API", () => {
  test("Neutron extension idiom through the typed API matches the probe", () => {
    const m = new Mapper<string>();
    for (const action of ["index", "show"]) {
      const sub = m.submapper({
        controller: "ext_ctl",
        action,
        path_prefix: "/v2.0",
        conditions: { method: ["GET"] },
      });
      const path = action === "index" ? "/extensions" : "/extensions/{alias}";
      sub.connect(path);
      sub.connect(`${path}.:(format)`);
    }
    const i = CASES.findIndex((c) => c.name === "Neutron extension submapper idiom");
    const got = JSON.parse(JSON.stringify(m.routes.map(snapshot)));
    assert.deepEqual({ name: CASES[i]?.name, routes: got }, expected(i));
  });

  test("collection + member links via typed methods", () => {
    const m = new Mapper<string>();
    const c = m.collection("entries", "entry");
    c.link("recent", { name: "recent_entries" });
    c.member?.link("ping", kw({ method: "POST" }));
    const byName = new Map(m.routes.map((r) => [r.name, r]));
    assert.equal(byName.get("recent_entries")?.routepath, "/entries/recent{.format}");
    assert.deepEqual(byName.get("ping_entry")?.methods, ["POST"]);
    assert.deepEqual(byName.get("ping_entry")?.conditions, { method: "POST" });
    assert.equal(byName.get("entry")?.routepath, "/entries/{id}{.format}");
  });

  test("opaque controllers are kept by identity, other defaults are str()-ed", () => {
    class Ctl {}
    const ctl = new Ctl();
    const m = new Mapper<Ctl>();
    m.connect("/x", kw({ controller: ctl, action: "go", body_reject: true }));
    m.resource("thing", "things", { controller: ctl });
    const [first] = m.routes;
    assert.equal(first?.controller, ctl);
    assert.deepEqual(first?.defaults, { body_reject: "True" });
    assert.deepEqual(first?.rawDefaults, { body_reject: true });
    assert.ok(m.routes.every((r) => r.controller === ctl));
  });

  test("withOrigin tags routes created inside, innermost wins, and restores", () => {
    const m = new Mapper<string>();
    m.connect("/before", kw({ controller: "a" }));
    m.withOrigin("outer", () => {
      m.connect("/outer", kw({ controller: "a" }));
      m.withOrigin("inner", () => m.resource("x", "xs"));
      m.submapper({ path_prefix: "/s", controller: "s" }).connect("n", "/t");
    });
    assert.throws(() =>
      m.withOrigin("boom", () => {
        throw new Error("x");
      }),
    );
    m.connect("/after", kw({ controller: "a" }));
    const origins = m.routes.map((r) => r.origin);
    assert.equal(origins[0], undefined);
    assert.equal(origins[1], "outer");
    assert.ok(origins.slice(2, -2).every((o) => o === "inner"));
    assert.equal(origins[origins.length - 2], "outer");
    assert.equal(origins[origins.length - 1], undefined);
  });

  test("Mapper defaults to explicit=True like Routes 2.5.1", () => {
    const m = new Mapper();
    m.connect("/a/:id");
    assert.deepEqual(m.routes[0]?.defaults, {});
    const n = new Mapper({ explicit: false });
    n.connect("/a/:id");
    assert.deepEqual(n.routes[0]?.defaults, { id: null });
    assert.equal(n.routes[0]?.controller, "content");
  });

  test("Python errors surface as PyError with the Python type", () => {
    const m = new Mapper();
    assert.throws(
      () => m.submapper({ controller: "c" }).connect("/x"),
      (e: unknown) => e instanceof PyError && e.pyType === "AttributeError",
    );
  });
});
