/**
 * RPC API versions as oslo.messaging compares them: `major.minor`, a client may send a
 * version when the cap (the oldest service's version, negotiated at run time) has the same
 * major and a minor at least as high; no cap means everything may be sent.
 */
export function parseVersion(v: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a) ?? [0, 0];
  const y = parseVersion(b) ?? [0, 0];
  return x[0] - y[0] || x[1] - y[1];
}

/** `RPCClient.can_send_version(version)` under a version cap (oslo_messaging utils). */
export function canSendVersion(cap: string | null, version: string): boolean {
  if (cap === null) return true;
  const c = parseVersion(cap);
  const v = parseVersion(version);
  if (!c || !v) return false;
  return c[0] === v[0] && v[1] <= c[1];
}

/**
 * Whether an endpoint whose target has version `served` accepts a message of version `sent`
 * (oslo.messaging's `version_is_compatible`): same major, minor not above the endpoint's.
 */
export function servesVersion(served: string | null, sent: string | null): boolean {
  if (served === null || sent === null) return true;
  return canSendVersion(served, sent);
}

/** A cap just below a version, for the run of the range under it: 3.8 → 3.7, 6.0 → 5.999. */
export function capBelow(version: string): string {
  const v = parseVersion(version);
  if (!v) return "0.0";
  return v[1] > 0 ? `${v[0]}.${v[1] - 1}` : `${v[0] - 1}.999`;
}
