import type { OperatorSecret } from './links';
import { isObject } from './pods';
import { POLICY_RULES } from './policy';
import type { PolicyException } from './policy';
import { Finding, KubeObject, objectId } from './problem';

/**
 * What an object says about itself to this validator, in annotations, in the manner of
 * kube-linter's `ignore-check.kube-linter.io/<check>`: each exception travels with the object it
 * is about, so that it applies to that object wherever it is validated, and to nothing else.
 *
 * - `accept-policy.multi-k8s.dev/<rule>: "<reason>"`: the object has this policy finding on purpose.
 * - `operator-secret.multi-k8s.dev/<secret>: "<KEY>[,<KEY>...]"`: the object's pods read these keys
 *   of a Secret the operator creates before applying, so no manifest holds it.
 */
export const ACCEPT_POLICY = 'accept-policy.multi-k8s.dev/';
export const OPERATOR_SECRET = 'operator-secret.multi-k8s.dev/';

// k8s.io/apimachinery pkg/util/validation/validation.go IsConfigMapKey: the keys a Secret may hold.
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

function annotationsOf(object: KubeObject): [string, unknown][] {
  const annotations = object?.metadata?.annotations;
  return isObject(annotations) ? Object.entries(annotations) : [];
}

/** The policy findings the object accepts, each with its reason. */
export function acceptedPolicies(object: KubeObject): PolicyException[] {
  return annotationsOf(object)
    .filter(([key, value]) => key.startsWith(ACCEPT_POLICY) && Object.hasOwn(POLICY_RULES, key.slice(ACCEPT_POLICY.length)) && typeof value === 'string' && value.trim() !== '')
    .map(([key, value]) => ({ rule: key.slice(ACCEPT_POLICY.length), object: objectId(object), reason: String(value) }));
}

/** The operator-created Secrets the object's pods read, by its own annotations. */
export function declaredOperatorSecrets(object: KubeObject): OperatorSecret[] {
  return annotationsOf(object)
    .filter(([key, value]) => key.startsWith(OPERATOR_SECRET) && typeof value === 'string' && value.split(',').every((k) => SECRET_KEY.test(k)))
    .map(([key, value]) => ({ name: key.slice(OPERATOR_SECRET.length), keys: String(value).split(',') }));
}

/** Annotations of this validator that it cannot honour: a typo must not pass for an exception. */
export function annotationFindings(object: KubeObject): Finding[] {
  const findings: Finding[] = [];
  for (const [key, value] of annotationsOf(object)) {
    const at = `metadata.annotations.${key}`;
    if (key.startsWith(ACCEPT_POLICY)) {
      const rule = key.slice(ACCEPT_POLICY.length);
      if (!Object.hasOwn(POLICY_RULES, rule)) findings.push({ path: at, message: `accepts the unknown policy rule "${rule}"`, allowed: `a rule of ${Object.keys(POLICY_RULES).join(', ')}` });
      else if (typeof value !== 'string' || value.trim() === '') findings.push({ path: at, message: 'accepts a policy finding without a reason', allowed: 'the reason, as the value' });
    } else if (key.startsWith(OPERATOR_SECRET)) {
      if (typeof value !== 'string' || !value.split(',').every((k) => SECRET_KEY.test(k))) {
        findings.push({ path: at, message: `value ${JSON.stringify(value)} is not a list of Secret keys`, allowed: 'KEY[,KEY...], each of letters, digits, "-", "_" and "."' });
      }
    }
  }
  return findings;
}
