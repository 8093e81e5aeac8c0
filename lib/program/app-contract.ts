import { PGPASSWORD_SECRET } from '../components/postgres';
import type { PolicyException } from '../validate';

/**
 * What `npm run validate` is told about this app's own output without building it (which would
 * load cdk8s): the Secret the operator creates and the policy findings the chart accepts. A test
 * holds these equal to what the chart itself declares.
 */
export const APP_OPERATOR_SECRETS = [{ name: PGPASSWORD_SECRET.name, keys: [PGPASSWORD_SECRET.key] }];

/** Policy findings the app's output has on purpose, each with its reason (the chart's own list). */
export const APP_POLICY_EXCEPTIONS: readonly PolicyException[] = [{
  rule: 'ingress-tls',
  object: 'Ingress/ingress-service',
  // The chart's PLAIN_HTTP_ANY_HOST, written out: importing the chart would load cdk8s.
  reason: 'plain HTTP on any host, as the course serves it: a certificate needs host names (HOSTS and ACME_EMAIL give HTTPS from Let\'s Encrypt)',
}];
