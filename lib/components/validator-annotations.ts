import type { SecretKeyReference } from './postgres';

/** A policy finding the chart's output has on purpose, with its reason. */
export interface AcceptedPolicyFinding {
  /** The policy rule, e.g. `ingress-tls`. */
  readonly rule: string;
  /** `Kind/name` of the object, or `*` for every object. */
  readonly object: string;
  /** Why it is accepted. */
  readonly reason: string;
}

// The validator's annotations (lib/validate/annotations.ts; a test holds these equal to it).
export const ACCEPT_POLICY_ANNOTATION = 'accept-policy.multi-k8s.dev/';
export const OPERATOR_SECRET_ANNOTATION = 'operator-secret.multi-k8s.dev/';

/**
 * Writes on each object what the validator must know about it: `accept-policy...` on an object
 * with an accepted policy finding (`*`: every object with containers), `operator-secret...` on
 * each object whose pods read a Secret the operator creates. They travel with the object, so
 * `npm run validate -- dist` judges the output as the synth did, and no other folder gets them.
 */
export function annotateForValidator(objects: any[], requiredSecrets: readonly SecretKeyReference[], accepted: readonly AcceptedPolicyFinding[]): any[] {
  for (const object of objects) {
    const annotations: Record<string, string> = {};
    const id = `${object.kind}/${object.metadata?.name}`;
    const reads = secretsRead(object);
    for (const e of accepted) {
      if (e.object === id || (e.object === '*' && reads.hasContainers)) annotations[`${ACCEPT_POLICY_ANNOTATION}${e.rule}`] = e.reason;
    }
    const keys = new Map<string, Set<string>>();
    for (const { secret, key } of requiredSecrets) {
      const read = reads.secrets.get(secret.name);
      if (read && (read.has(key) || read.has('*'))) keys.set(secret.name, (keys.get(secret.name) ?? new Set()).add(key));
    }
    for (const [name, set] of keys) annotations[`${OPERATOR_SECRET_ANNOTATION}${name}`] = [...set].sort().join(',');
    if (Object.keys(annotations).length === 0) continue;
    const merged = { ...object.metadata.annotations, ...annotations };
    object.metadata = sortedKeys({ ...object.metadata, annotations: sortedKeys(merged) });
  }
  return objects;
}

/** The Secret keys an object's pods read (`*`: the whole Secret), and whether it has containers. */
function secretsRead(object: unknown): { secrets: Map<string, Set<string>>; hasContainers: boolean } {
  const secrets = new Map<string, Set<string>>();
  let hasContainers = false;
  const add = (name: unknown, key: string) => {
    if (typeof name === 'string') secrets.set(name, (secrets.get(name) ?? new Set()).add(key));
  };
  const visit = (node: any): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      if (Array.isArray(node.containers)) hasContainers = true;
      if (node.secretKeyRef) add(node.secretKeyRef.name, String(node.secretKeyRef.key));
      if (node.secretRef) add(node.secretRef.name, '*');
      if (node.secret?.secretName) add(node.secret.secretName, '*');
      Object.values(node).forEach(visit);
    }
  };
  visit(object);
  return { secrets, hasContainers };
}

function sortedKeys<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as T;
}
