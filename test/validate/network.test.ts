import { checkLinks } from '../../lib/validate/links';
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
});
