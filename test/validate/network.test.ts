import { allowsConnection, matchesSelector } from '../../lib/validate/network';

describe('matchesSelector', () => {
  const labels = { app: 'web', tier: 'front' };
  test.each([
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'api' } }, false],
    [{}, true],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['front'] }] }, false],
  ])('%j -> %s', (selector, expected) => {
    expect(matchesSelector(selector as any, labels)).toBe(expected);
  });
});

describe('allowsConnection', () => {
  const web = { namespace: 'a', labels: { app: 'web' } };
  const db = { namespace: 'a', labels: { app: 'db' } };
  const other = { namespace: 'b', labels: { app: 'web' } };
  const policy = (spec: object, namespace = 'a') => ({ kind: 'NetworkPolicy', metadata: { name: 'p', namespace }, spec });

  test('no policy allows everything', () => {
    expect(allowsConnection([], web, db, 5432)).toBe(true);
  });

  test('an ingress policy allows only its peers and ports, in its own namespace unless a namespaceSelector says otherwise', () => {
    const policies = [policy({ podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] })];
    expect(allowsConnection(policies, web, db, 5432)).toBe(true);
    expect(allowsConnection(policies, web, db, 5433)).toBe(false);
    expect(allowsConnection(policies, web, db, 5432, 'UDP')).toBe(false);
    expect(allowsConnection(policies, other, db, 5432)).toBe(false);
    const wide = [policy({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }] }] })];
    expect(allowsConnection(wide, other, db, 1)).toBe(true);
    expect(allowsConnection(wide, web, db, 1)).toBe(false);
  });

  test('port ranges and ipBlock peers', () => {
    const policies = [policy({ podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }, { ports: [{ port: 8000, endPort: 8080 }] }] })];
    expect(allowsConnection(policies, web, db, 8080)).toBe(true);
    expect(allowsConnection(policies, web, db, 8081)).toBe(false);
  });

  test('a policy without policyTypes isolates for ingress, and for egress too when it has egress rules', () => {
    expect(allowsConnection([policy({ podSelector: {} })], web, db, 1)).toBe(false);
    expect(allowsConnection([policy({ podSelector: { matchLabels: { app: 'db' } } })], db, web, 1)).toBe(true);
    expect(allowsConnection([policy({ podSelector: { matchLabels: { app: 'web' } }, egress: [] })], web, db, 1)).toBe(false);
  });
});
