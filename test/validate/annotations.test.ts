import { acceptedPolicies, annotationFindings, declaredOperatorSecrets } from '../../lib/validate/annotations';
import { POLICY_RULES } from '../../lib/validate/policy';

/** A Deployment named web with these annotations. */
const web = (annotations: unknown) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', annotations } });
const RULES = `a rule of ${Object.keys(POLICY_RULES).join(', ')}`;
const KEYS = 'KEY[,KEY...], each of letters, digits, "-", "_" and "."';

describe('accept-policy.multi-k8s.dev/<rule>: an object accepts one of its policy findings, with a reason', () => {
  test('each known rule with a reason is accepted for that object', () => {
    expect(acceptedPolicies(web({ 'accept-policy.multi-k8s.dev/ingress-tls': 'TLS ends at the load balancer', 'accept-policy.multi-k8s.dev/spread': ' one node ' }))).toEqual([
      { rule: 'ingress-tls', object: 'Deployment/web', reason: 'TLS ends at the load balancer' },
      { rule: 'spread', object: 'Deployment/web', reason: ' one node ' },
    ]);
    expect(annotationFindings(web({ 'accept-policy.multi-k8s.dev/ingress-tls': 'reason' }))).toEqual([]);
  });

  test('a null object accepts nothing', () => {
    expect(acceptedPolicies(null as unknown as ReturnType<typeof web>)).toEqual([]);
  });

  test.each([
    ['an unknown rule', 'accept-policy.multi-k8s.dev/ingres-tls', 'reason', 'accepts the unknown policy rule "ingres-tls"', RULES],
    ['a property every object has, as the rule', 'accept-policy.multi-k8s.dev/toString', 'reason', 'accepts the unknown policy rule "toString"', RULES],
    ['no rule', 'accept-policy.multi-k8s.dev/', 'reason', 'accepts the unknown policy rule ""', RULES],
    ['an empty reason', 'accept-policy.multi-k8s.dev/spread', '', 'accepts a policy finding without a reason', 'the reason, as the value'],
    ['a reason of spaces', 'accept-policy.multi-k8s.dev/spread', '   ', 'accepts a policy finding without a reason', 'the reason, as the value'],
    ['a reason that is not text', 'accept-policy.multi-k8s.dev/spread', true, 'accepts a policy finding without a reason', 'the reason, as the value'],
  ])('%s is a finding, and accepts nothing', (_what, key, value, message, allowed) => {
    const object = web({ [key]: value });
    expect(acceptedPolicies(object)).toEqual([]);
    expect(annotationFindings(object)).toEqual([{ path: `metadata.annotations.${key}`, message, allowed }]);
  });
});

describe('operator-secret.multi-k8s.dev/<secret>: an object declares the keys it reads of a Secret the operator creates', () => {
  test('a list of Secret keys is declared for that Secret', () => {
    const object = web({ 'operator-secret.multi-k8s.dev/db': 'PASSWORD,user.name,tls-key_2' });
    expect(declaredOperatorSecrets(object)).toEqual([{ name: 'db', keys: ['PASSWORD', 'user.name', 'tls-key_2'] }]);
    expect(annotationFindings(object)).toEqual([]);
  });

  test.each([
    ['an empty list', ''],
    ['an empty key after a comma', 'A,'],
    ['a key with a space', 'A B'],
    ['a key with a slash', 'a/b'],
    ['a value that is not text', 5],
  ])('%s is a finding, and declares nothing', (_what, value) => {
    const object = web({ 'operator-secret.multi-k8s.dev/db': value });
    expect(declaredOperatorSecrets(object)).toEqual([]);
    expect(annotationFindings(object)).toEqual([{ path: 'metadata.annotations.operator-secret.multi-k8s.dev/db', message: `value ${JSON.stringify(value)} is not a list of Secret keys`, allowed: KEYS }]);
  });
});

describe('other annotations', () => {
  test('are none of this validator\'s business, under any prefix that only resembles its own', () => {
    const object = web({ 'example.com/accept-policy.multi-k8s.dev/spread': '', 'x-operator-secret.multi-k8s.dev/db': ' ', 'kubernetes.io/change-cause': 'deploy' });
    expect(acceptedPolicies(object)).toEqual([]);
    expect(declaredOperatorSecrets(object)).toEqual([]);
    expect(annotationFindings(object)).toEqual([]);
  });

  test.each([['none', undefined], ['a list', ['accept-policy.multi-k8s.dev/spread']], ['null', null]])('annotations that are %s declare nothing', (_what, annotations) => {
    expect(acceptedPolicies(web(annotations))).toEqual([]);
    expect(declaredOperatorSecrets(web(annotations))).toEqual([]);
    expect(annotationFindings(web(annotations))).toEqual([]);
    expect(acceptedPolicies({ kind: 'Pod' })).toEqual([]);
  });
});
