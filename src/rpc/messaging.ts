import type { SourceRef } from "../model/diagnostics.js";
import type { FunctionDecl } from "../python/binder.js";
import { valuesEqual } from "../python/evaluator.js";
import { type CallArgs, type HostObject, NONE, unknown, type Value } from "../python/values.js";
import { canSendVersion } from "./versions.js";

/** The fields of an `oslo_messaging.Target` the map cares about, as evaluated. */
export interface TargetFields {
  topic: Value;
  namespace: Value;
  version: Value;
  server: Value;
  fanout: Value;
}

const FIELDS = ["topic", "namespace", "version", "server", "fanout"] as const;

/** A message a client sent while a method ran: `cctxt.cast(ctxt, 'name', …)`. */
export interface Sent {
  method: Value;
  mode: "call" | "cast";
  target: TargetFields;
  site: SourceRef;
}

/** Endpoints a process handed to an RPC server: `get_rpc_server(transport, target, endpoints)`. */
export interface Served {
  target: TargetFields;
  endpoints: Value;
  site: SourceRef;
}

/**
 * One abstract run of code that talks to the message bus: what it sent, which servers it
 * started, and the version cap the run assumes (`can_send_version` answers from it; null is
 * no cap, the newest release everywhere).
 */
export class BusRecording {
  readonly sent: Sent[] = [];
  readonly served: Served[] = [];
  /** The targets of the clients made: what a process sends to, before it sends anything. */
  readonly clients: TargetFields[] = [];
  /** Versions `can_send_version` was asked about: the boundaries of the negotiated ranges. */
  readonly asked = new Set<string>();
  /** The run stopped at its step budget: what it would have sent after is not known. */
  exhausted = false;

  constructor(readonly cap: string | null = null) {}

  canSend(version: string): boolean {
    this.asked.add(version);
    return canSendVersion(this.cap, version);
  }
}

/** oslo.messaging's public names, and the Juno-era `oslo.messaging` namespace package. */
const MESSAGING = /^oslo[._]messaging\.(?:rpc\.(?:client\.|server\.)?)?(\w+)$/;

/**
 * A model of oslo.messaging for the evaluator: `Target(...)` keeps its fields, `RPCClient`
 * and the projects' `rpc.get_client(target)` wrappers give a client whose `prepare(...)` merges
 * its arguments into the target and whose `call`/`cast` are recorded with the method name;
 * `get_rpc_server` and the projects' `rpc.get_server(target, endpoints)` record the endpoints.
 * The wrappers are modelled, not run: they check a transport that only exists at run time.
 */
export class MessagingModel {
  /** Where sends and servers go; outside a recording they are modelled but not kept. */
  recording: BusRecording | null = null;
  private readonly targets = new WeakMap<HostObject, TargetFields>();

  /** Run `fn` with what it sends and serves recorded into `recording`. */
  record<T>(recording: BusRecording, fn: () => T): T {
    const saved = this.recording;
    this.recording = recording;
    try {
      return fn();
    } finally {
      this.recording = saved;
    }
  }

  /** For the evaluator's externalCall hook. */
  externalCall(name: string, args: CallArgs, site: SourceRef): Value | undefined {
    const m = MESSAGING.exec(name);
    switch (m?.[1]) {
      case "Target":
        return targetValue(targetOf(args));
      case "RPCClient":
      case "get_rpc_client":
        return this.client(arg(args, 1, "target"));
      case "get_rpc_server":
        return this.server(arg(args, 1, "target"), arg(args, 2, "endpoints"), site);
      default:
        return undefined;
    }
  }

  /** For the evaluator's functionCall hook: `<project>.rpc.get_client(target, …)` / `get_server`. */
  functionCall(fn: FunctionDecl, args: CallArgs, site: SourceRef): Value | undefined {
    if (fn.owner || !/(?:^|\.)rpc$/.test(fn.module)) return undefined;
    if (fn.name === "get_client") return this.client(arg(args, 0, "target"));
    if (fn.name === "get_server")
      return this.server(arg(args, 0, "target"), arg(args, 1, "endpoints"), site);
    return undefined;
  }

  private client(target: Value | undefined): Value {
    const fields = fieldsOf(target);
    this.recording?.clients.push(fields);
    return { kind: "host", host: this.context(fields, false) };
  }

  private server(target: Value | undefined, endpoints: Value | undefined, site: SourceRef): Value {
    this.recording?.served.push({
      target: fieldsOf(target),
      endpoints: endpoints ?? unknown("no endpoints"),
      site,
    });
    return { kind: "host", host: { label: "oslo_messaging.RPCServer", getAttr: () => noop } };
  }

  /** A client, or what `client.prepare(...)` returns: both send, both answer can_send_version. */
  private context(target: TargetFields, prepared: boolean): HostObject {
    const send = (mode: "call" | "cast"): Value =>
      hostFn(`${mode}()`, (args, site) => {
        this.recording?.sent.push({
          method: arg(args, 1, "method") ?? unknown("no method name"),
          mode,
          target,
          site,
        });
        return mode === "call" ? unknown("the reply of an RPC call", site) : NONE;
      });
    const host: HostObject = {
      label: prepared ? "oslo_messaging call context" : "oslo_messaging.RPCClient",
      // Nova's ClientRouter returns either a new client or its default one, of the same target.
      sameAs: (other) => {
        const theirs = this.targets.get(other);
        if (!theirs) return null;
        const eq = FIELDS.map((f) => valuesEqual(target[f], theirs[f]));
        return eq.every((e) => e === true) ? true : eq.some((e) => e === false) ? false : null;
      },
      getAttr: (name) => {
        switch (name) {
          case "prepare":
            return hostFn("prepare()", (args) => {
              const merged = { ...target };
              for (const f of FIELDS) {
                const v = args.keywords.get(f);
                if (v) merged[f] = v;
              }
              return { kind: "host", host: this.context(merged, true) };
            });
          case "call":
          case "cast":
            return send(name);
          case "can_send_version":
            return hostFn("can_send_version()", (args) => {
              const v = arg(args, 0, "version");
              if (v?.kind !== "str") return unknown("can_send_version of an unknown version");
              const recording = this.recording;
              return recording
                ? { kind: "bool", value: recording.canSend(v.value) }
                : unknown("the negotiated version");
            });
          case "target":
            return targetValue(target);
          default:
            return undefined;
        }
      },
    };
    this.targets.set(host, target);
    return host;
  }
}

const noop: Value = { kind: "host", host: { label: "no-op", call: () => NONE } };

function hostFn(label: string, call: (args: CallArgs, site: SourceRef) => Value): Value {
  return { kind: "host", host: { label, call } };
}

function arg(args: CallArgs, index: number, name: string): Value | undefined {
  return args.keywords.get(name) ?? args.positional[index];
}

function targetOf(args: CallArgs): TargetFields {
  const none = NONE;
  const out: TargetFields = {
    topic: none,
    namespace: none,
    version: none,
    server: none,
    fanout: none,
  };
  // Target(exchange=None, topic=None, namespace=None, version=None, server=None, fanout=None, …)
  const order = ["exchange", "topic", "namespace", "version", "server", "fanout"];
  args.positional.forEach((v, i) => {
    const name = order[i];
    if (name && name !== "exchange") out[name as keyof TargetFields] = v;
  });
  for (const f of FIELDS) {
    const v = args.keywords.get(f);
    if (v) out[f] = v;
  }
  return out;
}

/** The fields of a modelled Target, whatever reached the client (Unknown fields otherwise). */
export function fieldsOf(v: Value | undefined): TargetFields {
  const host = v?.kind === "host" ? v.host : null;
  const field = (f: string) => host?.getAttr?.(f) ?? unknown(`the target's ${f}`);
  return {
    topic: field("topic"),
    namespace: field("namespace"),
    version: field("version"),
    server: field("server"),
    fanout: field("fanout"),
  };
}

function targetValue(fields: TargetFields): Value {
  return {
    kind: "host",
    host: {
      label: "oslo_messaging.Target",
      getAttr: (name) =>
        (FIELDS as readonly string[]).includes(name)
          ? fields[name as keyof TargetFields]
          : undefined,
    },
  };
}
