import { allowsConnection, blockingDirections, matchesSelector } from '../../lib/validate/network';
import { KubeObject } from '../../lib/validate/problem';
import { containerOf, envIndex, expectOnly, find, NON_POLICY, validateBroken, validateBrokenAt } from '../helpers';

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

  test('a namespace selector on labels the manifests cannot show is given the benefit of the doubt', () => {
    const policies = [policy({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'shop' } } }] }] })];
    expect(allowsConnection(policies, other, db, 1)).toBe(true);
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

describe('connectivity: the NetworkPolicies allow every connection the pods are wired to make', () => {
  const policy = (o: KubeObject[], name: string) => find(o, 'NetworkPolicy', `multi-k8s-${name}`);
  const drop = (o: KubeObject[], name: string) => { o.splice(o.indexOf(policy(o, name)), 1); };
  // The connection to postgres is found at the env var that names its host.
  const PGHOST = (o: KubeObject[]) => `spec.template.spec.containers[0].env[${envIndex(containerOf(find(o, 'Deployment', 'server-deployment')), 'PGHOST')}].value`;

  test('the app\'s own output passes', () => {
    expect(validateBroken(() => undefined, ['link'])).toEqual([]);
  });

  test('removing the ingress rule at postgres reports that one hop', () => {
    const { problems, path } = validateBrokenAt((o) => drop(o, 'postgres-allow-server'), PGHOST, NON_POLICY);
    expectOnly(problems, {
      check: 'link', object: 'Deployment/server-deployment', path,
      message: 'Deployment/server-deployment -> Service/postgres-cluster-ip-service:5432: blocked by the ingress policies of the component=postgres pods (no rule allows TCP 5432 from component=server)',
    });
  });

  test('removing the server\'s egress rule to postgres reports that one hop', () => {
    const { problems, path } = validateBrokenAt((o) => { policy(o, 'server-allow-egress-to-stores').spec.egress.splice(0, 1); }, PGHOST, NON_POLICY);
    expectOnly(problems, {
      check: 'link', object: 'Deployment/server-deployment', path,
      message: 'Deployment/server-deployment -> Service/postgres-cluster-ip-service:5432: blocked by the egress policies of the component=server pods (no rule allows TCP 5432 to component=postgres)',
    });
  });

  test('a rule on the wrong port blocks the connection', () => {
    expectOnly(validateBroken((o) => { policy(o, 'worker-allow-egress-to-redis').spec.egress[0].ports[0].port = 6380; }, NON_POLICY), {
      check: 'link', object: 'Deployment/worker-deployment',
      message: 'Deployment/worker-deployment -> Service/redis-cluster-ip-service:6379: blocked by the egress policies of the component=worker pods (no rule allows TCP 6379 to component=redis)',
    });
  });

  test('a policy that isolates a pod the app connects to is caught, for each client', () => {
    const problems = validateBroken((o) => {
      for (const p of o.filter((x) => x.kind === 'NetworkPolicy')) o.splice(o.indexOf(p), 1);
      o.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'lock-redis' }, spec: { podSelector: { matchLabels: { component: 'redis' } }, policyTypes: ['Ingress'] } });
    }, NON_POLICY);
    expect(problems.map((p) => `${p.object}: ${p.message}`).sort()).toEqual([
      'Deployment/server-deployment: Deployment/server-deployment -> Service/redis-cluster-ip-service:6379: blocked by the ingress policies of the component=redis pods (no rule allows TCP 6379 from component=server)',
      'Deployment/worker-deployment: Deployment/worker-deployment -> Service/redis-cluster-ip-service:6379: blocked by the ingress policies of the component=redis pods (no rule allows TCP 6379 from component=worker)',
    ]);
  });

  test('without DNS egress the clients cannot resolve the Service names: a warning per workload', () => {
    const problems = validateBroken((o) => drop(o, 'allow-dns-egress'), NON_POLICY);
    expect(problems.map((p) => `${p.severity} ${p.object}`).sort()).toEqual(['warning Deployment/server-deployment', 'warning Deployment/worker-deployment']);
    expect(problems[0].message).toMatch(/cannot resolve the name: their egress policies allow no UDP 53 to the cluster DNS/);
  });

  test('blocked in both directions is one line naming both', () => {
    const problems = validateBroken((o) => { drop(o, 'postgres-allow-server'); policy(o, 'server-allow-egress-to-stores').spec.egress.splice(0, 1); }, NON_POLICY);
    expect(problems.map((p) => p.message)).toEqual([
      'Deployment/server-deployment -> Service/postgres-cluster-ip-service:5432: blocked by the egress policies of the component=server pods (no rule allows TCP 5432 to component=postgres); and blocked by the ingress policies of the component=postgres pods (no rule allows TCP 5432 from component=server)',
    ]);
  });
});

describe('blockingDirections', () => {
  const web = { namespace: 'a', labels: { app: 'web' } };
  const db = { namespace: 'a', labels: { app: 'db' } };
  const policy = (spec: object) => ({ kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec });

  test('a named policy port matches the destination container\'s port name', () => {
    const policies = [policy({ podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port: 'postgres' }] }] })];
    expect(blockingDirections(policies, web, db, { number: 5432, name: 'postgres' })).toEqual([]);
    expect(blockingDirections(policies, web, db, { number: 5432 })).toEqual(['ingress']);
  });
});
