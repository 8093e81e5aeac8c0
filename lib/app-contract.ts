import type { PolicyException } from './validate/policy';

/**
 * What the app asks of the operator and of the validator, kept apart from the constructs so
 * that `npm run validate` knows it without loading cdk8s.
 */

/** The Secret the operator creates before the first apply (README: "Deploying"). */
export const PGPASSWORD_SECRET = { name: 'pgpassword', key: 'PGPASSWORD' } as const;

/** Policy findings the app's output has on purpose, each with its reason. */
export const APP_POLICY_EXCEPTIONS: readonly PolicyException[] = [{
  rule: 'ingress-tls',
  object: 'Ingress/ingress-service',
  reason: 'TLS is not configurable yet: the course serves plain HTTP; terminate TLS in front of ingress-nginx until it is',
}];
