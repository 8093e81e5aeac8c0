import { checkLinks } from '../../lib/validate/links';
import { allowsConnection, blockingDirections, connectivityChecker, isIsolated, LabelIndex, labelIndex, matchesSelector, SelectorIndex, selectorIndexIn, selectorWork, SelectorWorkSpent } from '../../lib/validate/network';
import { podTemplate, selects } from '../../lib/validate/pods';
import { KubeObject } from '../../lib/validate/problem';
import { serviceReferences } from '../../lib/validate/service-refs';
import { containerOf, envIndex, expectOnly, find, NON_POLICY, validateBroken, validateBrokenAt } from '../helpers';
import { selectorStepsOf } from '../support/selector-work';

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
    [{ matchExpressions: [{ key: 'app', operator: 'In' }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn' }] }, true],
    [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [undefined, false],
    [null, false],
    ['app=web', false],
    [{ matchExpressions: [null] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }, null] }, false],
    [{ matchExpressions: 'tier' }, false],
    [{ matchExpressions: { key: 'tier', operator: 'Exists' } }, false],
  ])('%j -> %s', (selector, expected) => {
    expect(matchesSelector(selector as any, labels)).toBe(expected);
  });

  test('an In or NotIn without values has none: In fails and NotIn holds whatever the label\'s value', () => {
    for (const value of ['web', '', 'a b', 'Stryker was here']) {
      expect(matchesSelector({ matchExpressions: [{ key: 'app', operator: 'In' }] }, { app: value })).toBe(false);
      expect(matchesSelector({ matchExpressions: [{ key: 'app', operator: 'NotIn' }] }, { app: value })).toBe(true);
    }
  });

  test('selector work may reach its limit; one step past it stops with SelectorWorkSpent naming the limit', () => {
    const limit = selectorWork.steps + 2;
    selectorWork.limit = limit;
    try {
      expect(matchesSelector({}, labels)).toBe(true);
      expect(matchesSelector({}, labels)).toBe(true);
      expect(selectorWork.steps).toBe(limit);
      expect(() => matchesSelector({}, labels)).toThrow(new SelectorWorkSpent(`selector work over its limit of ${limit} steps`));
      expect(() => matchesSelector({}, labels)).toThrow(SelectorWorkSpent);
    } finally {
      selectorWork.limit = Infinity;
    }
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

  /** An ingress policy on every pod of namespace a that admits this one peer. */
  const from = (peer: object) => [policy({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [peer] }] })];

  test('a namespaceSelector: {} admits every namespace; one on the name label only the named one; an expression on other labels is given the benefit of the doubt', () => {
    expect(allowsConnection(from({ namespaceSelector: {} }), other, db, 1)).toBe(true);
    expect(allowsConnection(from({ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['c'] }] } }), other, db, 1)).toBe(false);
    expect(allowsConnection(from({ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['b'] }] } }), other, db, 1)).toBe(true);
    expect(allowsConnection(from({ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }), other, db, 1)).toBe(true);
    expect(allowsConnection(from({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'c', team: 'shop' } } }), other, db, 1)).toBe(true);
  });

  test('a peer with a namespaceSelector and a podSelector needs both; a podSelector alone, the policy\'s namespace', () => {
    const both = from({ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } });
    expect(allowsConnection(both, other, db, 1)).toBe(true);
    expect(allowsConnection(both, { namespace: 'b', labels: { app: 'api' } }, db, 1)).toBe(false);
    expect(allowsConnection(from({ podSelector: {} }), web, db, 1)).toBe(true);
    expect(allowsConnection(from({ podSelector: {} }), other, db, 1)).toBe(false);
  });

  test('ports: none listed is every port; the protocol defaults to TCP; a port left out is every port of its protocol; a quoted number is that number', () => {
    const ports = (list: object[]) => [policy({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: list }] })];
    expect(allowsConnection(ports([]), web, db, 9)).toBe(true);
    expect(allowsConnection(ports([{ port: 53 }]), web, db, 53, 'UDP')).toBe(false);
    expect(allowsConnection(ports([{ protocol: 'UDP', port: 53 }]), web, db, 53, 'UDP')).toBe(true);
    expect(allowsConnection(ports([{ protocol: 'UDP' }]), web, db, 9, 'UDP')).toBe(true);
    expect(allowsConnection(ports([{ protocol: 'UDP' }]), web, db, 9)).toBe(false);
    expect(allowsConnection(ports([{ port: null }]), web, db, 9)).toBe(true);
    expect(allowsConnection(ports([{ port: '5432' }]), web, db, 5432)).toBe(true);
    expect(allowsConnection(ports([{ port: 8000, endPort: 8080 }]), web, db, 8000)).toBe(true);
    expect(allowsConnection(ports([{ port: 8000, endPort: 8080 }]), web, db, 7999)).toBe(false);
    expect(allowsConnection(ports([{ port: 8000, endPort: '8080' }]), web, db, 8001)).toBe(false);
  });

  test('a policy port that is a number is that number, never a name, even where its text is not digits (a range from 7999.5, which the API refuses)', () => {
    const ports = (list: object[]) => [policy({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: list }] })];
    expect(allowsConnection(ports([{ port: 7999.5, endPort: 8080 }]), web, db, 8000)).toBe(true);
    expect(allowsConnection(ports([{ port: 7999.5, endPort: 8080 }]), web, db, 7999)).toBe(false);
  });

  test('an ingress policy of several rules allows what any one of them allows', () => {
    const policies = [policy({ podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 6379 }] }, { ports: [{ port: 5432 }] }] })];
    expect(allowsConnection(policies, web, db, 5432)).toBe(true);
    expect(allowsConnection(policies, web, db, 6379)).toBe(true);
    expect(allowsConnection(policies, web, db, 5433)).toBe(false);
  });

  test('policies of an empty rule list allow nothing, and cost no work per policy for each connection', () => {
    const denials = Array.from({ length: 50 }, () => policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] }));
    expect(selectorStepsOf(() => expect(blockingDirections(denials, web, db, 5432)).toEqual(['egress', 'ingress']))).toBeLessThan(5);
  });

  test('a policy of another namespace, or without a spec, isolates nothing', () => {
    expect(allowsConnection([policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, 'b')], web, db, 1)).toBe(true);
    expect(allowsConnection([{ kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' } }], web, db, 1)).toBe(true);
  });

  test('an egress rule without to reaches every peer; with to, only its peers', () => {
    const egress = (rule: object) => [policy({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [rule] })];
    expect(allowsConnection(egress({ ports: [{ port: 5432 }] }), web, db, 5432)).toBe(true);
    expect(allowsConnection(egress({ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }), web, db, 5432)).toBe(true);
    expect(allowsConnection(egress({ to: [{ podSelector: { matchLabels: { app: 'cache' } } }] }), web, db, 5432)).toBe(false);
    expect(allowsConnection(egress({ to: 'db' }), web, db, 5432)).toBe(false);
  });

  test('a policy without policyTypes isolates for ingress, and for egress too when it has egress rules', () => {
    expect(allowsConnection([policy({ podSelector: {} })], web, db, 1)).toBe(false);
    expect(allowsConnection([policy({ podSelector: { matchLabels: { app: 'db' } } })], db, web, 1)).toBe(true);
    expect(allowsConnection([policy({ podSelector: { matchLabels: { app: 'web' } }, egress: [] })], web, db, 1)).toBe(false);
    expect(allowsConnection([policy({ podSelector: { matchLabels: { app: 'db' } }, egress: [{}] })], web, db, 1)).toBe(false);
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
    const byName = (port: string) => [policy({ podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: [{ port }] }] })];
    expect(blockingDirections(byName('pg1'), web, db, { number: 5432, name: 'pg1' })).toEqual([]);
    expect(blockingDirections(byName('1pg'), web, db, { number: 5432, name: '1pg' })).toEqual([]);
  });

  test('both directions blocked are named, egress first', () => {
    const deny = [policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] })];
    expect(blockingDirections(deny, web, db, 5432)).toEqual(['egress', 'ingress']);
    expect(blockingDirections([policy({ podSelector: {}, policyTypes: ['Egress'] })], web, db, 5432)).toEqual(['egress']);
  });
});

// checkConnectivity through checkLinks, which hands it the references and templates of one
// namespace: a client web (app=web) wired to a Service db whose pods (app=db) every ingress is denied.
describe('connectivity on small inputs', () => {
  type Obj = Record<string, any>;
  const client = (env: Obj[], extra: Obj = {}): Obj => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'web', image: 'web:1', env }] } } }, ...extra,
  });
  const pods = (ports: (Obj | null)[], namespace = 'shop'): Obj => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'db', namespace },
    spec: { selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1', ports }] } } },
  });
  const service = (ports: Obj[], spec: Obj = {}): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'shop' }, spec: { selector: { app: 'db' }, ports, ...spec } });
  const denyIngress: Obj = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] } };
  /** The db pods' policy, admitting only this port (a number or a container port's name). */
  const allowBy = (port: unknown): Obj => ({ ...denyIngress, spec: { ...denyIngress.spec, ingress: [{ ports: [{ port }] }] } });
  const PG = [{ name: 'pg', containerPort: 6432 }];
  const DB = [{ name: 'DB_HOST', value: 'db' }];
  /** The connectivity problems of the objects, as `path: message (allowed)`. */
  const blocked = (objects: Obj[]) => checkLinks(objects.map((object) => ({ file: 'f.yaml', object })), [])
    .filter((p) => p.message.includes('blocked') || p.message.includes('resolve'))
    .map((p) => `${p.path}: ${p.message} (allowed: ${p.allowed})${p.severity ? ` [${p.severity}]` : ''}`);
  const line = (port: number, protocol = 'TCP', servicePort = 5432, from = 'app=web', path = 'env[0]') =>
    `spec.template.spec.containers[0].${path}.value: Deployment/web -> Service/db:${servicePort}: blocked by the ingress policies of the app=db pods (no rule allows ${protocol} ${port} from ${from}) (allowed: a NetworkPolicy rule for each blocked direction allowing ${protocol} ${port} between ${from} and app=db)`;

  test('a named targetPort is the container port of that name', () => {
    expect(blocked([client(DB), pods(PG), service([{ port: 5432, targetPort: 'pg' }]), denyIngress])).toEqual([line(6432)]);
  });

  test('a targetPort of digits is that number; without one, the Service port', () => {
    expect(blocked([client(DB), pods(PG), service([{ port: 5432, targetPort: '7000' }]), denyIngress])).toEqual([line(7000)]);
    expect(blocked([client(DB), pods(PG), service([{ port: 5432 }]), denyIngress])).toEqual([line(5432)]);
  });

  test('a named targetPort no container declares is not judged (the link check reports it)', () => {
    expect(blocked([client(DB), pods(PG), service([{ port: 5432, targetPort: 'postgres' }]), denyIngress])).toEqual([]);
  });

  test('a policy port naming the container port admits the connection by name; one naming another does not', () => {
    expect(blocked([client(DB), pods(PG), service([{ port: 5432, targetPort: 6432 }]), allowBy('pg')])).toEqual([]);
    expect(blocked([client(DB), pods(PG), service([{ port: 5432, targetPort: 6432 }]), allowBy('postgres')])).toEqual([line(6432)]);
  });

  test('the port in the value picks the Service port; a Service of several ports and no port given is not judged', () => {
    const two = service([{ name: 'a', port: 5432 }, { name: 'b', port: 5433, targetPort: 7000 }]);
    expect(blocked([client([{ name: 'DB_HOST', value: 'db:5433' }]), pods(PG), two, denyIngress])).toEqual([line(7000, 'TCP', 5433)]);
    expect(blocked([client([{ name: 'DB_HOST', value: 'db:5434' }]), pods(PG), two, denyIngress])).toEqual([]);
    expect(blocked([client(DB), pods(PG), two, denyIngress])).toEqual([]);
    expect(blocked([client([{ name: 'DB_HOST', value: 'db:5432' }]), pods(PG), service([null as unknown as Obj, { port: 5432 }]), denyIngress])).toEqual([line(5432)]);
  });

  test('the Service port\'s protocol is the connection\'s; one the API refuses is not judged', () => {
    expect(blocked([client(DB), pods(PG), service([{ port: 53, protocol: 'UDP' }]), denyIngress])).toEqual([line(53, 'UDP', 53)]);
    expect(blocked([client(DB), pods(PG), service([{ port: 53, protocol: 'SCTP' }]), denyIngress])).toEqual([line(53, 'SCTP', 53)]);
    expect(blocked([client(DB), pods(PG), service([{ port: 53, protocol: 'HTTP' }]), denyIngress])).toEqual([]);
  });

  test('an ExternalName Service, or one without a selector, has no pods to judge', () => {
    expect(blocked([client(DB), pods(PG), service([{ port: 5432 }], { type: 'ExternalName', externalName: 'db.example.com' }), denyIngress])).toEqual([]);
    expect(blocked([client(DB), pods(PG), service([{ port: 5432 }], { selector: undefined }), denyIngress])).toEqual([]);
  });

  test('a Service without metadata is found by no name: a host "undefined" names no Service, and no connection to it is judged', () => {
    const nameless: Obj = { apiVersion: 'v1', kind: 'Service', spec: { selector: { app: 'db' }, ports: [{ port: 5432 }] } };
    const bare = (object: Obj): Obj => ({ ...object, metadata: { name: object.metadata.name } }); // no namespace, as the Service has none
    const denyAll: Obj = { ...denyIngress, metadata: { name: 'deny' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
    const problems = checkLinks([bare(client([{ name: 'DB_URL', value: 'postgres://undefined:5432/app' }])), bare(pods(PG)), nameless, denyAll].map((object) => ({ file: 'f.yaml', object })), []);
    expect(problems.filter((p) => p.object === 'Deployment/web').map((p) => `${p.path}: ${p.message} (allowed: ${p.allowed})`)).toEqual([
      'spec.template.spec.containers[0].env[0].value: DB_URL="postgres://undefined:5432/app" names no Service in the output: the name will not resolve (allowed: a Service in the same namespace: none)',
    ]);
  });

  test('two variables naming the same Service port are one problem, at the first', () => {
    expect(blocked([client([...DB, { name: 'DB_URL', value: 'postgres://db:5432/app' }]), pods(PG), service([{ port: 5432 }]), denyIngress])).toEqual([line(5432)]);
  });

  test('pods of another namespace with the Service\'s labels are not its pods', () => {
    expect(blocked([client(DB), pods(PG, 'other'), service([{ port: 5432 }]), denyIngress])).toEqual([]);
  });

  test('the client pods are named by the selector\'s matchLabels, or a ReplicationController\'s selector, or else the template\'s labels', () => {
    const db = [pods(PG), service([{ port: 5432 }]), denyIngress];
    expect(blocked([client(DB, { spec: { ...client(DB).spec, selector: { matchLabels: { app: 'web' } } } }), ...db])).toEqual([line(5432)]);
    const rc = { ...client(DB), apiVersion: 'v1', kind: 'ReplicationController', spec: { ...client(DB).spec, selector: { app: 'web' } } };
    expect(blocked([rc, ...db]).map((l) => l.replace('ReplicationController/web', 'Deployment/web'))).toEqual([line(5432)]);
    const bare = { ...client(DB), spec: { ...client(DB).spec, selector: undefined } };
    expect(blocked([bare, ...db])).toEqual([line(5432, 'TCP', 5432, 'app=web,tier=front')]);
  });

  test('a targetPort name ending or starting with digits is a name; a numeric targetPort is named by the container port of that number', () => {
    const ports = [null, { name: 'metrics', containerPort: 9090 }, { name: 'pg1', containerPort: 6432 }, { name: '1pg', containerPort: 7000 }];
    expect(blocked([client(DB), pods(ports), service([{ port: 5432, targetPort: 'pg1' }]), denyIngress])).toEqual([line(6432)]);
    expect(blocked([client(DB), pods(ports), service([{ port: 5432, targetPort: '1pg' }]), denyIngress])).toEqual([line(7000)]);
    expect(blocked([client(DB), pods(ports), service([{ port: 5432, targetPort: 6432 }]), allowBy('metrics')])).toEqual([line(6432)]);
    expect(blocked([client(DB), pods(ports.slice(1)), service([{ port: 5432, targetPort: 6432 }]), allowBy('metrics')])).toEqual([line(6432)]);
  });

  test('client pods with an empty selector and no labels are "(all pods)"; a selector of expressions only names the template\'s labels', () => {
    const db = [pods(PG), service([{ port: 5432 }]), denyIngress];
    const spec = client(DB).spec;
    const empty = { ...client(DB), spec: { ...spec, selector: { matchLabels: {} }, template: { ...spec.template, metadata: { labels: {} } } } };
    expect(blocked([empty, ...db])).toEqual([line(5432, 'TCP', 5432, '(all pods)')]);
    const expressions = { ...client(DB), spec: { ...spec, selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] } } };
    expect(blocked([expressions, ...db])).toEqual([line(5432, 'TCP', 5432, 'app=web,tier=front')]);
  });

  test('a client whose egress is isolated without DNS gets one warning per workload; one allowed DNS gets none', () => {
    const egress = (rules: Obj[]): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web-egress', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: rules } });
    const toDb = { to: [{ podSelector: { matchLabels: { app: 'db' } } }] };
    const dns = { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] };
    const objects = (rules: Obj[]) => [client([...DB, { name: 'CACHE_HOST', value: 'db' }, { name: 'DB_URL', value: 'db:5432' }]), pods(PG), service([{ port: 5432 }]), egress(rules)];
    expect(blocked(objects([toDb]))).toEqual([
      'spec.template.spec.containers[0].env[0].value: Deployment/web -> Service/db:5432: the app=web pods cannot resolve the name: their egress policies allow no UDP 53 to the cluster DNS (kube-system, k8s-app=kube-dns) (allowed: an egress rule allowing UDP and TCP 53 to the cluster DNS) [warning]',
    ]);
    expect(blocked(objects([toDb, dns]))).toEqual([]);
  });

  test('the cluster DNS is the kube-dns pods of kube-system: egress to other pods, other namespaces, or pods labelled with kube-system\'s namespace label is no DNS; the warning is a link problem', () => {
    const egress = (to: Obj): Obj => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web-egress', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }, { to: [to], ports: [{ protocol: 'UDP', port: 53 }] }] } });
    const kubeSystem = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } };
    const warnings = (to: Obj) => checkLinks([client(DB), pods(PG), service([{ port: 5432 }]), egress(to)].map((object) => ({ file: 'f.yaml', object })), [])
      .filter((p) => p.message.includes('resolve')).map((p) => `${p.check} ${p.severity} ${p.object}`);
    expect(warnings({ ...kubeSystem, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } })).toEqual([]);
    expect(warnings(kubeSystem)).toEqual([]);
    expect(warnings({ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] } })).toEqual([]);
    const warned = ['link warning Deployment/web'];
    expect(warnings({ ...kubeSystem, podSelector: { matchLabels: { 'k8s-app': 'coredns' } } })).toEqual(warned);
    expect(warnings({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'default' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } })).toEqual(warned);
    // kubernetes.io/metadata.name is the label of the namespace (set by the API server), not of its pods.
    expect(warnings({ namespaceSelector: {}, podSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } })).toEqual(warned);
  });

  test('a targetPort of digits, or a number, is that port number, never a container port\'s name: ports named so (names the API refuses) are not it', () => {
    const odd = [{ name: '7000', containerPort: 9000 }, { name: 1.5, containerPort: 6432 }];
    expect(blocked([client(DB), pods(odd), service([{ port: 5432, targetPort: '7000' }]), denyIngress])).toEqual([line(7000)]);
    // Not a whole number: no port to judge.
    expect(blocked([client(DB), pods(odd), service([{ port: 5432, targetPort: 1.5 }]), denyIngress])).toEqual([]);
    // Container ports that are no list declare none: a name is found in none; a number is still that port.
    expect(blocked([client(DB), pods('pg' as any), service([{ port: 5432, targetPort: 'pg' }]), denyIngress])).toEqual([]);
    expect(blocked([client(DB), pods('pg' as any), service([{ port: 5432, targetPort: 6432 }]), denyIngress])).toEqual([line(6432)]);
  });

  test('a Service\'s selector is a plain map of labels: a key named matchLabels is a label too (here of one value object shared with the pods\' labels, as a YAML alias makes it)', () => {
    const shared = { app: 'db' };
    const db = pods(PG);
    db.spec.template.metadata.labels = { matchLabels: shared };
    const denyAll = { ...denyIngress, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
    expect(blocked([client(DB), db, service([{ port: 5432 }], { selector: { matchLabels: shared } }), denyAll])).toEqual([
      'spec.template.spec.containers[0].env[0].value: Deployment/web -> Service/db:5432: blocked by the ingress policies of the matchLabels=[object Object] pods (no rule allows TCP 5432 from app=web) (allowed: a NetworkPolicy rule for each blocked direction allowing TCP 5432 between app=web and matchLabels=[object Object])',
    ]);
  });

  /** connectivityChecker called as links.ts calls it, but on a list of templates of its own: the checker and the objects' references. */
  const direct = (objects: Obj[]) => {
    const items = objects.map((object) => ({ file: 'f.yaml', object }));
    const templates = items.flatMap((item) => {
      const template = podTemplate(item.object);
      return template ? [{ item, template }] : [];
    });
    const services = new Map(objects.filter((o) => o.kind === 'Service').map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
    return { judge: connectivityChecker(templates, objects.filter((o) => o.kind === 'NetworkPolicy')), refs: serviceReferences(templates, services) };
  };
  const PGHOST_LINE = 'link spec.template.spec.containers[0].env[0].value: Deployment/web -> Service/db:5432: blocked by the ingress policies of the app=db pods (no rule allows TCP 5432 from app=web)';

  test('connectivityChecker judges a reference on its own list of templates; a workload without a spec is named by its template\'s labels; a Service whose ports are no list serves none', () => {
    const objects = [client(DB), pods(PG), service([{ port: 5432 }]), denyIngress];
    const show = (problems: readonly { check: string; path: string; message: string }[]) => problems.map((p) => `${p.check} ${p.path}: ${p.message}`);
    const { judge, refs } = direct(objects);
    expect(refs.map((ref) => show(judge(ref)))).toEqual([[PGHOST_LINE]]);
    const [ref] = direct(objects).refs;
    const bare = { ...ref, item: { file: 'f.yaml', object: { ...ref.item.object, spec: undefined } } };
    expect(show(direct(objects).judge(bare))).toEqual([PGHOST_LINE.replace('from app=web', 'from app=web,tier=front')]);
    expect(direct(objects).judge({ ...ref, service: { ...ref.service, spec: { ...ref.service!.spec, ports: 'pg' } } })).toEqual([]);
  });

  test('clients of one combination of labels and port are judged once; after 4096 combinations the verdicts are forgotten (bounded memory)', () => {
    // The db pods admit 20 rules' peers, none of them web: judging a connection tries each rule.
    const rules = Array.from({ length: 20 }, (_, i) => ({ from: [{ podSelector: { matchLabels: { app: `peer-${i}` } } }] }));
    const { judge, refs: [ref] } = direct([client(DB), pods(PG), service([{ port: 5432 }]), { ...denyIngress, spec: { ...denyIngress.spec, ingress: rules } }]);
    let made = 0;
    /** The selector work of judging one more client workload, of labels app=web and n. */
    const work = (n: number) => {
      const object = { ...ref.item.object, metadata: { name: `web-${made++}`, namespace: 'shop' } };
      return selectorStepsOf(() => {
        const problems = judge({ ...ref, item: { file: 'f.yaml', object }, template: { ...ref.template, labels: { app: 'web', n: `${n}` } } });
        if (problems.length !== 1) throw new Error(`client ${n}: ${problems.length} problems`);
      });
    };
    expect(work(0)).toBeGreaterThanOrEqual(20);
    expect(work(0)).toBeLessThan(5);
    for (let n = 1; n < 4096; n++) work(n);
    expect(work(0)).toBeLessThan(5); // 4096 combinations are kept
    expect(work(4096)).toBeGreaterThanOrEqual(20); // one more clears them
    expect(work(0)).toBeGreaterThanOrEqual(20);
  });
});

// The indexes (SelectorIndex: which selectors of a list match a pod's labels; LabelIndex: which
// labelled entries a selector may match) must answer exactly as matchesSelector tried one by one,
// whatever the selectors' shapes (LabelSelector semantics: k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go
// LabelSelectorAsSelector, k8s.io/apimachinery/pkg/labels/selector.go Requirement.Matches). Readable cases for each way the indexes file a selector first,
// then seeded random ones over a few keys and values (so that matches are frequent).

type Sel = any;
/** Selector entries with names, so that a filter and the entries it was offered can be read. */
const named = (selectors: Record<string, Sel>) => Object.entries(selectors).map(([name, selector]) => ({ name, selector }));
const selectorIndex = (selectors: Record<string, Sel>) => new SelectorIndex(named(selectors), (e) => e.selector);
/** The names of the entries someMatching offers its filter when the filter accepts none (all the matching ones). */
function offered(index: SelectorIndex<{ name: string; selector: Sel }>, labels: Record<string, unknown>): string[] {
  const names: string[] = [];
  expect(index.someMatching(labels as any, (e) => { names.push(e.name); return false; })).toBe(false);
  return names.sort();
}
const notIn = (key: string, ...values: unknown[]) => ({ key, operator: 'NotIn', values });
const doesNotExist = (key: string) => ({ key, operator: 'DoesNotExist' });

describe('SelectorIndex: the selectors of a list that match a pod', () => {
  test('a matchLabels selector is found through its pair', () => {
    const index = selectorIndex({ web: { matchLabels: { app: 'web', tier: 'front' } } });
    expect(index.someMatching({ app: 'web', tier: 'front' })).toBe(true);
    expect(index.someMatching({ app: 'web' })).toBe(false);
    expect(index.someMatching({ app: 'db', tier: 'front' })).toBe(false);
  });

  test('an In selector is found through each of its values, and must also hold its other requirements', () => {
    const index = selectorIndex({ web: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }, { key: 'tier', operator: 'NotIn', values: ['back'] }] } });
    expect(index.someMatching({ app: 'api' })).toBe(true);
    expect(index.someMatching({ app: 'web', tier: 'front' })).toBe(true);
    expect(index.someMatching({ app: 'web', tier: 'back' })).toBe(false);
    expect(index.someMatching({ app: 'db' })).toBe(false);
    expect(index.someMatching({ tier: 'web' })).toBe(false);
    expect(offered(index, { app: 'api' })).toEqual(['web']);
  });

  test('an In selector of no values matches no pod; one of a number value matches the label of that number only', () => {
    expect(selectorIndex({ none: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] } }).someMatching({ app: 'web' })).toBe(false);
    const number = selectorIndex({ one: { matchExpressions: [{ key: 'n', operator: 'In', values: [1] }] } });
    expect(number.someMatching({ n: 1 } as any)).toBe(true);
    expect(number.someMatching({ n: '1' })).toBe(false);
  });

  test('an In selector of values alike as text (1 and \'1\') is offered once', () => {
    const index = selectorIndex({ one: { matchExpressions: [{ key: 'n', operator: 'In', values: [1, '1', '1'] }] } });
    expect(offered(index, { n: '1' })).toEqual(['one']);
    expect(offered(index, { n: 1 })).toEqual(['one']);
    expect(offered(index, { n: 'x' })).toEqual([]);
  });

  test('an Exists selector is found through its key', () => {
    const index = selectorIndex({ tiered: { matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'app', operator: 'DoesNotExist' }] } });
    expect(index.someMatching({ tier: 'front' })).toBe(true);
    expect(index.someMatching({ tier: 'front', app: 'web' })).toBe(false);
    expect(index.someMatching({ app: 'web' })).toBe(false);
    expect(offered(index, { tier: '' })).toEqual(['tiered']);
  });

  test('an empty selector matches every pod; a non-object selector none', () => {
    expect(selectorIndex({ all: {} }).someMatching({})).toBe(true);
    expect(selectorIndex({ all: { matchLabels: null, matchExpressions: null } }).someMatching({ app: 'web' })).toBe(true);
    expect(offered(selectorIndex({ all: { matchLabels: {} }, web: { matchLabels: { app: 'web' } } }), { app: 'web' })).toEqual(['all', 'web']);
    expect(selectorIndex({ text: 'app=web', none: null, list: [{ matchLabels: { app: 'web' } }] }).someMatching({ app: 'web' })).toBe(false);
  });

  test('a selector no index reads (a NotIn of a number, an unknown operator, matchLabels not a map) is tried for every pod', () => {
    const index = selectorIndex({ notOne: { matchExpressions: [notIn('n', 1)] } });
    expect(index.someMatching({ n: 1 } as any)).toBe(false);
    expect(index.someMatching({ n: '1' })).toBe(true);
    expect(offered(index, {})).toEqual(['notOne']);
    expect(selectorIndex({ equals: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] } }).someMatching({ app: 'web' })).toBe(false);
    // matchesSelector reads a list as a map of its indexes: [] requires nothing, ['web'] the label 0=web.
    expect(selectorIndex({ list: { matchLabels: [] } }).someMatching({ app: 'web' })).toBe(true);
    expect(selectorIndex({ list: { matchLabels: ['web'] } }).someMatching({ app: 'web' })).toBe(false);
    expect(selectorIndex({ list: { matchLabels: ['web'] } }).someMatching({ 0: 'web' })).toBe(true);
  });

  test('a NotIn-only selector excludes a pod holding one of its values, and no other', () => {
    const index = selectorIndex({ notWeb: { matchExpressions: [notIn('app', 'web', 'api')] } });
    expect(index.someMatching({ app: 'web' })).toBe(false);
    expect(index.someMatching({ app: 'api', tier: 'front' })).toBe(false);
    expect(index.someMatching({ app: 'db' })).toBe(true);
    expect(index.someMatching({ tier: 'web' })).toBe(true);
    expect(index.someMatching({})).toBe(true);
    expect(offered(index, { app: 'web' })).toEqual([]);
    expect(offered(index, { app: 'db' })).toEqual(['notWeb']);
  });

  test('a NotIn of no values, or null values, excludes no pod', () => {
    expect(selectorIndex({ empty: { matchExpressions: [notIn('app')] } }).someMatching({ app: 'web' })).toBe(true);
    expect(selectorIndex({ nothing: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: null }] } }).someMatching({ app: 'web' })).toBe(true);
  });

  test('a DoesNotExist-only selector excludes a pod holding its key, whatever the value', () => {
    const index = selectorIndex({ noTier: { matchExpressions: [doesNotExist('tier'), doesNotExist('tier')] } });
    expect(index.someMatching({ tier: '' })).toBe(false);
    expect(index.someMatching({ app: 'web', tier: null } as any)).toBe(false);
    expect(index.someMatching({ app: 'web' })).toBe(true);
    expect(offered(index, { app: 'web' })).toEqual(['noTier']);
  });

  test('of several one-key selectors, a pod matches when one of them does not exclude it', () => {
    const index = selectorIndex({ notWeb: { matchExpressions: [notIn('app', 'web')] }, notApi: { matchExpressions: [notIn('app', 'api'), notIn('app', 'db')] }, noTier: { matchExpressions: [doesNotExist('tier')] } });
    expect(index.someMatching({ app: 'web', tier: 'front' })).toBe(true);
    expect(offered(index, { app: 'web', tier: 'front' })).toEqual(['notApi']);
    expect(offered(index, { app: 'db', tier: 'front' })).toEqual(['notWeb']);
    expect(offered(index, { app: 'db' })).toEqual(['noTier', 'notWeb']);
    const two = selectorIndex({ notWeb: { matchExpressions: [notIn('app', 'web')] }, noTier: { matchExpressions: [doesNotExist('tier')] } });
    expect(two.someMatching({ app: 'web', tier: 'front' })).toBe(false);
    expect(two.someMatching({ app: 'web' })).toBe(true);
    expect(two.someMatching({ tier: 'front' })).toBe(true);
  });

  test('a non-string label is never among NotIn\'s (string) values', () => {
    expect(selectorIndex({ notOne: { matchExpressions: [notIn('n', '1')] } }).someMatching({ n: 1 } as any)).toBe(true);
    expect(offered(selectorIndex({ notOne: { matchExpressions: [notIn('n', '1')] } }), { n: 1 })).toEqual(['notOne']);
    expect(selectorIndex({ notOne: { matchExpressions: [notIn('n', '1'), doesNotExist('m')] } }).someMatching({ n: 1 } as any)).toBe(true);
    expect(offered(selectorIndex({ notOne: { matchExpressions: [notIn('n', '1'), doesNotExist('m')] } }), { n: 1, m: 'x' })).toEqual([]);
    expect(selectorIndex({ notNull: { matchExpressions: [notIn('n', 'null')] }, a: { matchExpressions: [notIn('n', 'x'), doesNotExist('m')] }, b: { matchExpressions: [doesNotExist('m'), notIn('m', 'y')] } })
      .someMatching({ n: null, m: 'x' } as any)).toBe(true);
  });

  test('NotIn and DoesNotExist of one key: a pod holding the key fails it, whatever the value', () => {
    const index = selectorIndex({ without: { matchExpressions: [notIn('app', 'web'), doesNotExist('app')] } });
    expect(index.someMatching({ app: 'db' })).toBe(false);
    expect(index.someMatching({ app: 'web' })).toBe(false);
    expect(index.someMatching({ tier: 'web' })).toBe(true);
  });

  test('NotIn and DoesNotExist of one key, beside a one-key selector: a pod holding the key and a NotIn value is excluded from the first once', () => {
    const index = selectorIndex({ without: { matchExpressions: [notIn('app', 'web'), doesNotExist('app')] }, notX: { matchExpressions: [notIn('app', 'x')] } });
    expect(index.someMatching({ app: 'web' })).toBe(true);
    expect(index.someMatching({ app: 'x' })).toBe(false);
    expect(offered(index, { app: 'web' })).toEqual(['notX']);
  });

  test('a NotIn/DoesNotExist selector of several keys fails when any of its keys excludes the pod', () => {
    const index = selectorIndex({ one: { matchExpressions: [notIn('app', 'web'), doesNotExist('tier')] } });
    expect(index.someMatching({ app: 'web' })).toBe(false);
    expect(index.someMatching({ tier: 'front' })).toBe(false);
    expect(index.someMatching({ app: 'web', tier: 'front' })).toBe(false);
    expect(index.someMatching({ app: 'db', zone: 'a' })).toBe(true);
    expect(offered(index, { app: 'db' })).toEqual(['one']);
    expect(offered(index, { app: 'web' })).toEqual([]);
  });

  test('of several such selectors, a pod excluded from each by different labels matches none; one left unexcluded matches', () => {
    const index = selectorIndex({ one: { matchExpressions: [notIn('app', 'web'), doesNotExist('tier')] }, two: { matchExpressions: [notIn('app', 'db'), doesNotExist('zone')] } });
    expect(index.someMatching({ app: 'web', zone: 'a' })).toBe(false);
    expect(index.someMatching({ app: 'web', tier: 'front', zone: 'a' })).toBe(false);
    expect(index.someMatching({ app: 'web', tier: 'front' })).toBe(true);
    expect(index.someMatching({ app: 'web' })).toBe(true);
    expect(index.someMatching({ tier: 'front', zone: 'a' })).toBe(false);
    expect(offered(index, { app: 'web', tier: 'front' })).toEqual(['two']);
    expect(offered(index, { zone: 'a' })).toEqual(['one']);
    expect(offered(index, {})).toEqual(['one', 'two']);
  });

  const work = selectorStepsOf;

  test('a pod every NotIn selector excludes costs a step per selector excluding it, with or without a filter, and none more', () => {
    const selectors = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`s${i}`, { matchExpressions: [notIn('app', 'web', `v${i}`)] }]));
    const several = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`s${i}`, { matchExpressions: [notIn('app', 'web'), doesNotExist(`k${i}`)] }]));
    for (const index of [selectorIndex(selectors), selectorIndex(several)]) {
      expect(work(() => expect(index.someMatching({ app: 'web' }, () => true)).toBe(false))).toBeLessThan(2 * 20);
      expect(work(() => expect(index.someMatching({ app: 'web' })).toBe(false))).toBeLessThan(20);
    }
  });

  test('with a filter, the answer is whether the filter accepts a matching entry; it is offered none other', () => {
    const index = selectorIndex({ all: {}, web: { matchLabels: { app: 'web' } }, notDb: { matchExpressions: [notIn('app', 'db')] }, noTier: { matchExpressions: [notIn('app', 'x'), doesNotExist('tier')] }, odd: { matchExpressions: [notIn('app', 1)] } });
    const accepts = (name: string) => (labels: Record<string, string>) => index.someMatching(labels, (e) => e.name === name);
    expect(['all', 'web', 'notDb', 'noTier', 'odd', 'none'].filter((name) => accepts(name)({ app: 'web' }))).toEqual(['all', 'web', 'notDb', 'noTier', 'odd']);
    expect(['all', 'web', 'notDb', 'noTier', 'odd'].filter((name) => accepts(name)({ app: 'db', tier: 'front' }))).toEqual(['all', 'odd']);
    expect(offered(index, { app: 'web', tier: 'front' })).toEqual(['all', 'notDb', 'odd', 'web']);
  });

  test('selectorIndexIn indexes the entries of one namespace; isIsolated counts the isolating policies of the pod\'s namespace', () => {
    const pdb = (namespace: string, selector: Sel) => ({ kind: 'PodDisruptionBudget', metadata: { name: 'b', namespace }, spec: { selector } });
    const budgets = [pdb('a', { matchExpressions: [notIn('app', 'web')] }), pdb('b', {})];
    expect(selectorIndexIn(budgets, 'a', (o) => o.spec.selector).someMatching({ app: 'web' })).toBe(false);
    expect(selectorIndexIn(budgets, 'a', (o) => o.spec.selector).someMatching({ app: 'db' })).toBe(true);
    expect(selectorIndexIn(budgets, 'b', (o) => o.spec.selector).someMatching({ app: 'web' })).toBe(true);
    const policy = (podSelector: Sel) => ({ kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' }, spec: { podSelector, policyTypes: ['Ingress'] } });
    const policies = [policy({ matchExpressions: [notIn('app', 'web'), doesNotExist('debug')] }), policy({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] })];
    expect(isIsolated(policies, { namespace: 'a', labels: { app: 'web' } }, 'Ingress')).toBe(false);
    expect(isIsolated(policies, { namespace: 'a', labels: { app: 'web', tier: 'db' } }, 'Ingress')).toBe(true);
    expect(isIsolated(policies, { namespace: 'a', labels: { app: 'api' } }, 'Ingress')).toBe(true);
    expect(isIsolated(policies, { namespace: 'a', labels: { app: 'api', debug: '' } }, 'Ingress')).toBe(false);
    expect(isIsolated(policies, { namespace: 'a', labels: { app: 'api' } }, 'Egress')).toBe(false);
    expect(isIsolated(policies, { namespace: 'b', labels: { app: 'api' } }, 'Ingress')).toBe(false);
  });
});

describe('LabelIndex: the labelled entries a selector may match', () => {
  const entries = () => [
    { name: 'web', labels: { app: 'web', tier: 'front' } },
    { name: 'api', labels: { app: 'api', tier: 'back' } },
    { name: 'db', labels: { app: 'db', tier: 'back', disk: 'ssd' } },
    { name: 'one', labels: { app: 1, tier: 'back' } as any },
    { name: 'bare', labels: {} },
  ];
  const index = () => new LabelIndex(entries(), (e) => e.labels);
  const names = (list: readonly { name: string }[]) => list.map((e) => e.name);

  test('a Service\'s plain map: the entries holding its rarest pair, in order; an empty map or a non-object, none', () => {
    expect(names(index().candidates({ tier: 'back', app: 'db' }, true))).toEqual(['db']);
    expect(names(index().candidates({ tier: 'back' }, true))).toEqual(['api', 'db', 'one']);
    expect(names(index().candidates({ app: 1 }, true))).toEqual(['one']);
    expect(names(index().candidates({ app: 'cache' }, true))).toEqual([]);
    expect(names(index().candidates({}, true))).toEqual([]);
    expect(names(index().candidates('app=web', true))).toEqual([]);
    expect(names(index().candidates(null))).toEqual([]);
  });

  test('a LabelSelector: by its pairs, Exists keys and In values (in order, each once); one requiring none of these, every entry', () => {
    const i = index();
    expect(names(i.candidates({ matchLabels: { tier: 'back' }, matchExpressions: [{ key: 'disk', operator: 'Exists' }] }))).toEqual(['db']);
    expect(names(i.candidates({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }))).toEqual(['web', 'api', 'db', 'one']);
    expect(names(i.candidates({ matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'web', 'db'] }] }))).toEqual(['web', 'db']);
    expect(names(i.candidates({ matchExpressions: [{ key: 'app', operator: 'In', values: ['1'] }, { key: 'tier', operator: 'Exists' }] }))).toEqual(['one']);
    expect(names(i.candidates({ matchExpressions: [{ key: 'app', operator: 'In', values: [] }, { key: 'tier', operator: 'Exists' }] }))).toEqual([]);
    expect(names(i.candidates({ matchExpressions: [{ key: 'app', operator: 'In', values: 'web' }] }))).toEqual(names(entries()));
    expect(names(i.candidates({ matchExpressions: [notIn('app', 'web'), doesNotExist('disk')] }))).toEqual(names(entries()));
    expect(names(i.candidates({ matchLabels: ['web'], matchExpressions: 'x' }))).toEqual(names(entries()));
    expect(names(i.candidates({}))).toEqual(names(entries()));
    expect(names(i.candidates({ matchLabels: { tier: 'back' } }, true))).toEqual([]); // a plain map of one key, matchLabels
  });

  test('an In of values alike as text (1 and \'1\') gives each entry once', () => {
    expect(names(index().candidates({ matchExpressions: [{ key: 'app', operator: 'In', values: [1, '1', 'db'] }] }))).toEqual(['db', 'one']);
  });

  test('matchesAny: an empty selector matches when there are entries; a non-object never', () => {
    expect(index().matchesAny({}, (e) => e.labels)).toBe(true);
    expect(new LabelIndex([], (e: { labels: Record<string, string> }) => e.labels).matchesAny({ matchLabels: null }, (e) => e.labels)).toBe(false);
    expect(index().matchesAny('app=web', (e) => e.labels)).toBe(false);
    expect(index().matchesAny({ matchLabels: { app: 'db' } }, (e) => e.labels)).toBe(true);
    expect(index().matchesAny({ matchLabels: { app: 'cache' } }, (e) => e.labels)).toBe(false);
    expect(index().matchesAny({ matchExpressions: [{ key: 'disk', operator: 'Exists' }, { key: 'app', operator: 'In', values: ['web', 'api'] }] }, (e) => e.labels)).toBe(false);
  });

  test('matchesAny: NotIn and DoesNotExist match every entry but those holding an excluded value or key', () => {
    const two = () => new LabelIndex([{ labels: { app: 'web', tier: 'front' } }, { labels: { app: 'db', tier: 'back' } }], (e) => e.labels as Record<string, string>);
    const any = (selector: Sel) => two().matchesAny(selector, (e) => e.labels);
    expect(any({ matchExpressions: [notIn('app', 'web', 'db')] })).toBe(false);
    expect(any({ matchExpressions: [notIn('app', 'web'), notIn('app', 'db')] })).toBe(false);
    expect(any({ matchExpressions: [notIn('app', 'web', 'api')] })).toBe(true);
    expect(any({ matchExpressions: [doesNotExist('tier')] })).toBe(false);
    expect(any({ matchExpressions: [doesNotExist('zone')] })).toBe(true);
    // Several excluded buckets, one entry in two of them: the union, not the sum, is what is excluded.
    expect(any({ matchExpressions: [notIn('app', 'web'), notIn('tier', 'front')] })).toBe(true);
    expect(any({ matchExpressions: [notIn('app', 'web'), doesNotExist('tier')] })).toBe(false);
    expect(any({ matchExpressions: [notIn('app', 'web'), notIn('tier', 'back')] })).toBe(false);
    expect(any({ matchExpressions: [doesNotExist('app'), doesNotExist('app')] })).toBe(false);
    const three = new LabelIndex<{ labels: Record<string, string> }>([{ labels: { app: 'web', tier: 'front' } }, { labels: { app: 'db' } }, { labels: { zone: 'a' } }], (e) => e.labels);
    expect(three.matchesAny({ matchExpressions: [notIn('app', 'web'), doesNotExist('tier'), doesNotExist('zone')] }, (e) => e.labels)).toBe(true);
    expect(three.matchesAny({ matchExpressions: [notIn('app', 'db'), doesNotExist('tier'), doesNotExist('zone')] }, (e) => e.labels)).toBe(false);
  });

  test('matchesAny counts a NotIn or DoesNotExist selector from the index\'s buckets: the work does not grow with the entries', () => {
    const many = new LabelIndex(Array.from({ length: 50 }, (_, i) => ({ labels: { app: 'web', n: `${i}` } })), (e) => e.labels);
    for (const selector of [{ matchExpressions: [notIn('app', 'web')] }, { matchExpressions: [doesNotExist('n')] }, { matchExpressions: [notIn('n', '1', '2', '3')] }]) {
      const steps = selectorStepsOf(() => expect(many.matchesAny(selector, (e) => e.labels)).toBe(selector.matchExpressions[0].key === 'n' && selector.matchExpressions[0].operator === 'NotIn'));
      expect(steps).toBeLessThan(5);
    }
  });

  test('matchesAny: a non-string label is never among NotIn\'s values; labelIndex keeps one index per list', () => {
    const list = [{ labels: { n: 1 } as any }, { labels: { n: '2' } }];
    const i = labelIndex(list, (e) => e.labels);
    expect(labelIndex(list, (e) => e.labels)).toBe(i);
    expect(i.matchesAny({ matchExpressions: [notIn('n', '1', '2')] }, (e) => e.labels)).toBe(true);
    expect(i.matchesAny({ matchExpressions: [notIn('n', '2'), doesNotExist('m')] }, (e) => e.labels)).toBe(true);
    expect(new LabelIndex([{ labels: { n: '2' } }], (e) => e.labels).matchesAny({ matchExpressions: [notIn('n', '2'), doesNotExist('m')] }, (e) => e.labels)).toBe(false);
  });
});

/** A tiny seeded generator (mulberry32): the same seed gives the same cases on every run. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const chance = (p: number) => next() < p;
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const KEYS = ['a', 'b', 'c'];
  const value = (): unknown => (chance(0.85) ? pick(['x', 'y', 'z']) : pick([1, '1', null, true, '']));
  const labels = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const key of [...KEYS, 'toString', '1']) if (chance(key.length === 1 && key !== '1' ? 0.5 : 0.05)) out[key] = value();
    return out;
  };
  const map = (): Record<string, unknown> => Object.fromEntries(Array.from({ length: 1 + int(2) }, () => [pick(KEYS), value()]));
  /** An expression of one of these operators, now and then one of an odd shape. */
  const expression = (operators: readonly string[], keys: readonly string[]): unknown => {
    if (chance(0.03)) return pick(['a', 5, {}]); // not an expression: matchesSelector's switch fails it
    const e: Record<string, unknown> = {};
    if (!chance(0.03)) e.key = chance(0.94) ? pick(keys) : pick([1, 'toString']);
    e.operator = chance(0.96) ? pick(operators) : pick(['in', 'Equals', undefined]);
    const r = next();
    if (r < 0.65) e.values = Array.from({ length: int(4) }, value);
    else if (r < 0.72) e.values = null;
    else if (r < 0.77) e.values = pick(['xy', 'z']); // a string: matchesSelector's includes() finds substrings
    return e;
  };
  const selector = ({ operators, keys }: { operators: readonly string[]; keys: readonly string[] }): unknown => {
    if (chance(0.04)) return pick([undefined, null, 'a=x', 5, [], [{}]]);
    const s: Record<string, unknown> = {};
    const r = next();
    if (r < 0.3) s.matchLabels = map();
    else if (r < 0.4) s.matchLabels = {};
    else if (r < 0.45) s.matchLabels = null;
    else if (r < 0.5) s.matchLabels = pick([[], ['x'], '', 'x', 5]);
    const q = next();
    if (q < 0.7) s.matchExpressions = Array.from({ length: 1 + int(3) }, () => expression(operators, keys));
    else if (q < 0.75) s.matchExpressions = [];
    else if (q < 0.8) s.matchExpressions = null;
    return s;
  };
  /**
   * The operators and expression keys of one list: all, or the inverted operators only (so that lists
   * of them alone are frequent); now and then a single key (so that one key's expressions meet).
   */
  const scope = () => ({
    operators: pick([['In', 'NotIn', 'Exists', 'DoesNotExist'], ['NotIn', 'DoesNotExist'], ['NotIn'], ['DoesNotExist'], ['In', 'Exists']]),
    keys: chance(0.25) ? ['a'] : KEYS,
  });
  return { int, chance, pick, labels, map, selector, scope };
}

const show = (value: unknown): string => JSON.stringify(value, (_, v) => (v === undefined ? '(undefined)' : v));

describe('the indexes answer as matchesSelector tried on every selector (seeded random selectors and labels)', () => {
  test.each([1, 2, 3])('SelectorIndex.someMatching, without and with a filter (seed %d)', (seed) => {
    const random = generator(seed);
    const mismatches: string[] = [];
    for (let list = 0; list < 250; list++) {
      const scope = random.scope();
      const entries = Array.from({ length: random.int(6) }, (_, i) => ({ name: `s${i}`, selector: random.selector(scope) as Sel }));
      const index = new SelectorIndex(entries, (e) => e.selector);
      const plain = new SelectorIndex(entries.map((e) => e.selector), (s) => s);
      for (let pod = 0; pod < 12; pod++) {
        const labels = random.labels() as Record<string, string>;
        const matching = entries.filter((e) => matchesSelector(e.selector, labels)).map((e) => e.name);
        const where = `selectors ${show(entries.map((e) => e.selector))}, labels ${show(labels)}`;
        const answer = index.someMatching(labels);
        if (answer !== matching.length > 0) mismatches.push(`someMatching ${answer}, expected ${!answer}: ${where}`);
        if (plain.someMatching(labels) !== answer) mismatches.push(`someMatching of the selectors themselves differs: ${where}`);
        const seen: string[] = [];
        const none = index.someMatching(labels, (e) => { seen.push(e.name); return false; });
        if (none || show(seen.sort()) !== show([...matching].sort())) mismatches.push(`offered ${show(seen)} (answer ${none}), expected each of ${show(matching)} once: ${where}`);
        const accepted = new Set(entries.filter(() => random.chance(0.3)).map((e) => e.name));
        const filtered = index.someMatching(labels, (e) => accepted.has(e.name));
        if (filtered !== matching.some((name) => accepted.has(name))) mismatches.push(`someMatching accepting ${show([...accepted])} ${filtered}: ${where}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  test.each([1, 2, 3])('LabelIndex.candidates and matchesAny (seed %d)', (seed) => {
    const random = generator(seed);
    const mismatches: string[] = [];
    for (let list = 0; list < 150; list++) {
      const entries = Array.from({ length: random.int(7) }, (_, i) => ({ i, labels: random.labels() as Record<string, string> }));
      const index = new LabelIndex(entries, (e) => e.labels);
      const scope = random.scope();
      for (let question = 0; question < 12; question++) {
        const selector = random.selector(scope) as Sel;
        const map = random.chance(0.1) ? random.pick([{}, null, 'a=x']) : random.map();
        const where = (s: unknown) => `selector ${show(s)}, labels ${show(entries.map((e) => e.labels))}`;
        const check = (s: unknown, plain: boolean, matches: (labels: Record<string, string>) => boolean) => {
          const found = index.candidates(s, plain).map((e) => e.i);
          const missing = entries.filter((e) => matches(e.labels) && !found.includes(e.i)).map((e) => e.i);
          const ordered = found.every((i, n) => n === 0 || found[n - 1] < i);
          if (missing.length || !ordered) mismatches.push(`candidates(plain ${plain}) ${show(found)} lack ${show(missing)} or are out of order: ${where(s)}`);
        };
        check(selector, false, (labels) => matchesSelector(selector, labels));
        check(map, true, (labels) => selects(map as Record<string, unknown>, labels));
        const any = index.matchesAny(selector, (e) => e.labels);
        if (any !== entries.some((e) => matchesSelector(selector, e.labels))) mismatches.push(`matchesAny ${any}, expected ${!any}: ${where(selector)}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
