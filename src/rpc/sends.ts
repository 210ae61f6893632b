import type { SourceRef } from "../model/diagnostics.js";
import type { ClassDecl, FunctionDecl } from "../python/binder.js";
import type { Evaluator } from "../python/evaluator.js";
import { parameterNames } from "../python/signature.js";
import { type Instance, stringTemplate, truthy, unknown, type Value } from "../python/values.js";
import { callsIn } from "./census.js";
import { BusRecording, type MessagingModel, type Sent } from "./messaging.js";
import { capBelow, compareVersions } from "./versions.js";

/** A range of negotiated version caps: min inclusive, max exclusive, null when open. */
export interface Negotiated {
  min: string | null;
  max: string | null;
}

/** A message a client method sends, as running it abstractly shows. */
export interface ClientSend {
  method: string;
  mode: "call" | "cast";
  /** The topic, or a template of it (`neutron-vo-{resource_type}-{version}`); null when unknown. */
  topic: string | null;
  namespace: string | null;
  version: string | null;
  fanout: boolean;
  /** The caps under which this is what is sent; null when it does not depend on them. */
  negotiated: Negotiated | null;
  site: SourceRef;
}

/** What a run could not say in its sends: where a message's name is unknown, a budget spent. */
export interface RunNotes {
  unnamed: SourceRef[];
  exhausted: boolean;
}

/** At most this many negotiated ranges per method: the runs stop looking for more. */
const MAX_VERSIONS = 8;

/**
 * What a client method sends: the method is run abstractly on a client object, once with no
 * version cap and, when it asks `can_send_version(v)`, once more per range of caps those
 * versions delimit (below the lowest, between each two). Ranges that send the same messages
 * are merged; a method that never asks gives one set of sends with `negotiated: null`.
 */
export function sendsOf(
  ev: Evaluator,
  model: MessagingModel,
  client: Instance,
  fn: FunctionDecl,
  notes?: RunNotes,
): ClientSend[] {
  const sends = runSends(ev, model, client, fn, notes);
  // A send a private helper writes that running the method did not reach (it sits in a loop
  // over what the method builds from its arguments: ResourcesPushRpcApi.push → _push): the
  // helper run on its own says what it sends.
  for (const helper of privateHelpers(ev, client.cls, fn)) {
    const written = callsIn(ev, helper).filter(
      (c) => !sends.some((s) => s.method === c.method && s.mode === c.mode),
    );
    if (written.length === 0) continue;
    const own = helperSends(ev, model, client, helper);
    for (const c of written)
      sends.push(...own.filter((s) => s.method === c.method && s.mode === c.mode));
  }
  return sends;
}

const helperRuns = new WeakMap<Instance, Map<FunctionDecl, ClientSend[]>>();

function helperSends(
  ev: Evaluator,
  model: MessagingModel,
  client: Instance,
  helper: FunctionDecl,
): ClientSend[] {
  let runs = helperRuns.get(client);
  if (!runs) {
    runs = new Map();
    helperRuns.set(client, runs);
  }
  let out = runs.get(helper);
  if (!out) {
    out = runSends(ev, model, client, helper);
    runs.set(helper, out);
  }
  return out;
}

/** The private methods a method calls on `self`, and theirs, three levels down. */
export function privateHelpers(ev: Evaluator, cls: ClassDecl, fn: FunctionDecl): FunctionDecl[] {
  const out: FunctionDecl[] = [];
  const visit = (f: FunctionDecl, depth: number) => {
    if (depth === 0) return;
    for (const m of ev.program.bodyText(f).matchAll(/\bself\.(_\w+)\(/g)) {
      const found = ev.findMethod(cls, m[1] as string)?.decl;
      if (!found || found === fn || out.includes(found)) continue;
      out.push(found);
      visit(found, depth - 1);
    }
  };
  visit(fn, 3);
  return out;
}

/** What running a method sends, per range of negotiated versions when it asks. */
function runSends(
  ev: Evaluator,
  model: MessagingModel,
  client: Instance,
  fn: FunctionDecl,
  notes?: RunNotes,
): ClientSend[] {
  const top = run(ev, model, client, fn, null);
  // Messages whose method name the run could not tell: said, not listed.
  for (const s of top.sent)
    if (
      s.method.kind !== "str" &&
      !notes?.unnamed.some((u) => u.line === s.site.line && u.file === s.site.file)
    )
      notes?.unnamed.push(s.site);
  if (notes && top.exhausted) notes.exhausted = true;
  if (top.asked.size === 0) return signatures(top.sent).map((s) => ({ ...s, negotiated: null }));
  // Ranges from the versions asked, refined until no run asks about a new one.
  const asked = new Set(top.asked);
  const runs = new Map<string, BusRecording>();
  for (let round = 0; round < MAX_VERSIONS; round++) {
    const sorted = [...asked].sort(compareVersions);
    let grew = false;
    for (const cap of [capBelow(sorted[0] as string), ...sorted.slice(0, -1)]) {
      if (runs.has(cap)) continue;
      const r = run(ev, model, client, fn, cap);
      runs.set(cap, r);
      for (const v of r.asked) {
        if (!asked.has(v)) {
          asked.add(v);
          grew = true;
        }
      }
    }
    if (!grew || asked.size >= MAX_VERSIONS) break;
  }
  const sorted = [...asked].sort(compareVersions);
  // One range per asked version and one below them all; the top one ran without a cap.
  const ranges: { range: Negotiated; sends: Omit<ClientSend, "negotiated">[] }[] = [];
  const below = runs.get(capBelow(sorted[0] as string));
  ranges.push({
    range: { min: null, max: sorted[0] ?? null },
    sends: signatures(below?.sent ?? []),
  });
  sorted.forEach((v, i) => {
    const r = i === sorted.length - 1 ? top : runs.get(v);
    ranges.push({
      range: { min: v, max: sorted[i + 1] ?? null },
      sends: signatures(r?.sent ?? []),
    });
  });
  // Adjacent ranges sending the same are one (the newer range's topic is kept: Cinder's
  // volume API addresses `cinder-volume.<host>` from 3.6 on, the same methods either way).
  const merged: typeof ranges = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && sameSends(last.sends, r.sends))
      merged[merged.length - 1] = {
        range: { min: last.range.min, max: r.range.max },
        sends: r.sends,
      };
    else merged.push({ range: { ...r.range }, sends: r.sends });
  }
  if (merged.length === 1) return (merged[0]?.sends ?? []).map((s) => ({ ...s, negotiated: null }));
  return merged.flatMap((m) => m.sends.map((s) => ({ ...s, negotiated: m.range })));
}

function run(
  ev: Evaluator,
  model: MessagingModel,
  client: Instance,
  fn: FunctionDecl,
  cap: string | null,
): BusRecording {
  const recording = new BusRecording(cap);
  // Every argument unknown, defaults too: a branch on one (`if host:`) is taken both ways; an
  // undecidable `x if c else y` once each way.
  const params = parameterNames(fn).slice(1);
  const args = () => ({
    positional: params.map((p) => unknown(`argument ${p}`)),
    keywords: new Map<string, Value>(),
  });
  const mode = (choice: "then" | "else") => ({
    exploreUnknownLoops: true,
    conditionalChoice: choice,
    quiet: true,
    ownNew: true,
  });
  // Each run on a budget of its own: a method that builds a large object to send (Nova's
  // legacy request spec) stops there rather than taking the analysis's budget.
  const once = (choice: "then" | "else") =>
    ev.budgeted(RUN_BUDGET, () =>
      ev.withMode(mode(choice), () => {
        ev.callFunction(fn, client, args());
        if (ev.exhausted()) recording.exhausted = true;
        return ev.choicesMade;
      }),
    );
  model.record(recording, () => {
    if (once("then") > 0) once("else");
  });
  return recording;
}

/** Steps a client method may take in one run. */
const RUN_BUDGET = 25_000;

/** The sends of a run with a known method name, once each, in the order sent. */
function signatures(sent: Sent[]): Omit<ClientSend, "negotiated">[] {
  const out: Omit<ClientSend, "negotiated">[] = [];
  for (const s of sent) {
    if (s.method.kind !== "str") continue;
    const sig = {
      method: s.method.value,
      mode: s.mode,
      topic: stringTemplate(s.target.topic),
      namespace: strOrNull(s.target.namespace),
      version: strOrNull(s.target.version),
      fanout: truthy(s.target.fanout) === true,
      site: s.site,
    };
    if (!out.some((o) => key(o) === key(sig) && o.topic === sig.topic)) out.push(sig);
  }
  return out;
}

function strOrNull(v: Value): string | null {
  return v.kind === "str" ? v.value : null;
}

/** What makes two sends different messages: a variant differs in one of these. */
function key(s: Omit<ClientSend, "negotiated">): string {
  return [s.method, s.mode, s.namespace, s.version, s.fanout].join("\0");
}

function sameSends(a: Omit<ClientSend, "negotiated">[], b: Omit<ClientSend, "negotiated">[]) {
  const keys = (x: Omit<ClientSend, "negotiated">[]) => [...new Set(x.map(key))].sort().join("\n");
  return keys(a) === keys(b);
}

/** The class a method is run on must be constructed; its public methods are the client API. */
export function publicMethods(
  ev: Evaluator,
  cls: ClassDecl,
): { owner: ClassDecl; fn: FunctionDecl }[] {
  const out: { owner: ClassDecl; fn: FunctionDecl }[] = [];
  const seen = new Set<string>();
  for (const ref of ev.mro(cls)) {
    if (ref.kind !== "class") continue;
    for (const [name, defs] of ref.decl.methods) {
      if (name.startsWith("_") || seen.has(name)) continue;
      seen.add(name);
      const fn = defs[defs.length - 1] as FunctionDecl;
      out.push({ owner: ref.decl, fn });
    }
  }
  return out;
}
