import * as fs from 'fs';
import * as path from 'path';
import { courseObjects, defaultObjects } from '../helpers';
import { ApplyOutcome, Cluster } from '../support/cluster/cluster';
import { courseCluster } from '../support/cluster/course';
import { withoutNulls } from '../support/cluster/merge';
import { KubeObject } from '../../lib/validate/problem';

const chart = (environment: string) => defaultObjects({ ENVIRONMENT: environment });

/** Applies and fails with every refusal, by object and message, if any object is refused. */
function applyAccepted(cluster: Cluster, objects: readonly KubeObject[]): ApplyOutcome[] {
  const outcomes = cluster.apply(objects);
  expect(outcomes.filter((o) => !o.accepted).map((o) => `${o.id}: ${o.message}`)).toEqual([]);
  return outcomes;
}

/** Whether `live` holds every field `manifest` sets: the manifest plus what the API added. */
function holds(live: unknown, manifest: unknown, at = ''): string[] {
  // An empty `omitempty` list (externalIPs: []) is stored by leaving it out.
  if (live === undefined && Array.isArray(manifest) && manifest.length === 0) return [];
  if (Array.isArray(manifest)) {
    if (!Array.isArray(live) || live.length !== manifest.length) return [`${at}: ${JSON.stringify(live)} is not ${JSON.stringify(manifest)}`];
    return manifest.flatMap((m, i) => holds(live[i], m, `${at}[${i}]`));
  }
  if (manifest !== null && typeof manifest === 'object') {
    if (live === null || typeof live !== 'object') return [`${at}: missing`];
    return Object.entries(manifest).flatMap(([k, v]) => holds((live as Record<string, unknown>)[k], v, `${at}.${k}`));
  }
  // A zero int or false in a plain `omitempty` field (minReadySeconds, hostNetwork) is stored by leaving it out.
  if (live === undefined && (manifest === 0 || manifest === false)) return [];
  return live === manifest ? [] : [`${at}: ${JSON.stringify(live)} is not ${JSON.stringify(manifest)}`];
}

/** What must hold after any apply of the chart: each object as the manifest says, immutable fields as before. */
function expectChartHolds(cluster: Cluster, manifests: readonly KubeObject[], before: Cluster): void {
  for (const manifest of manifests) {
    const live = cluster.get(manifest.kind, manifest.metadata.name);
    // Replicas are the autoscaler's once the manifest leaves them out; checked on their own below.
    const { metadata: { annotations: _a, ...metadata }, ...rest } = withoutNulls(manifest);
    expect({ object: `${manifest.kind}/${manifest.metadata.name}`, differences: holds(live, { ...rest, metadata }) }).toEqual({ object: `${manifest.kind}/${manifest.metadata.name}`, differences: [] });
    const earlier = before.get(manifest.kind, manifest.metadata.name);
    if (!earlier) continue;
    if (manifest.kind === 'Deployment') expect(live.spec.selector).toEqual(earlier.spec.selector);
    if (manifest.kind === 'PersistentVolumeClaim') expect(live.spec).toEqual(earlier.spec);
    if (manifest.kind === 'Service') expect([live.spec.clusterIP, live.spec.clusterIPs]).toEqual([earlier.spec.clusterIP, earlier.spec.clusterIPs]);
  }
  for (const deployment of manifests.filter((m) => m.kind === 'Deployment')) {
    const strategy = cluster.get('Deployment', deployment.metadata.name).spec.strategy;
    // Exactly the manifest's strategy: nothing the course's defaulted RollingUpdate left behind.
    expect({ name: deployment.metadata.name, strategy }).toEqual({ name: deployment.metadata.name, strategy: withoutNulls(deployment.spec.strategy) });
  }
  expect(cluster.get('Ingress', 'ingress-service').spec.ingressClassName).toBe('nginx');
}

describe('kubectl apply -f dist over the course\'s running app', () => {
  test.each(['prod', 'dev'])('%s: every object is accepted and the course\'s immutable fields hold', (environment) => {
    const cluster = courseCluster();
    const before = cluster.clone();
    const outcomes = applyAccepted(cluster, chart(environment));
    // The course's eleven objects are updated in place, the rest created.
    expect(outcomes.filter((o) => o.action === 'configured')).toHaveLength(11);
    expectChartHolds(cluster, chart(environment), before);
  });

  test('the course\'s defaulted RollingUpdate leaves postgres and redis as plain Recreate', () => {
    const cluster = courseCluster();
    expect(cluster.get('Deployment', 'postgres-deployment').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    applyAccepted(cluster, chart('prod'));
    for (const name of ['postgres-deployment', 'redis-deployment']) expect(cluster.get('Deployment', name).spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('even a client that sends no $retainKeys can switch them to Recreate, thanks to rollingUpdate: null', () => {
    const noRetainKeys = { retainKeys: false };
    expect(courseCluster().apply(chart('prod'), noRetainKeys).filter((o) => !o.accepted)).toEqual([]);
    // Without the null, that client's apply is refused for both.
    const withoutTheNull = chart('prod').map((o) => (o.kind === 'Deployment' && o.spec.strategy.type === 'Recreate' ? { ...o, spec: { ...o.spec, strategy: { type: 'Recreate' } } } : o));
    const refused = courseCluster().apply(withoutTheNull, noRetainKeys).filter((o) => !o.accepted);
    expect(refused.map((o) => o.message)).toEqual(['postgres-deployment', 'redis-deployment'].map((name) => `Deployment.apps "${name}" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy \`type\` is 'Recreate'`));
  });

  test('the course\'s subPath mount goes: postgres mounts the claim\'s root, PGDATA points at the same directory', () => {
    const cluster = courseCluster();
    applyAccepted(cluster, chart('prod'));
    const postgres = cluster.get('Deployment', 'postgres-deployment').spec.template.spec.containers.find((c: KubeObject) => c.name === 'postgres');
    const data = postgres.volumeMounts.find((m: KubeObject) => m.mountPath === '/var/lib/postgresql/data');
    expect(data).toEqual({ name: 'postgres-storage', mountPath: '/var/lib/postgresql/data' });
    expect(postgres.env.find((e: KubeObject) => e.name === 'PGDATA').value).toBe('/var/lib/postgresql/data/postgres');
  });
});

describe('kubectl apply -f dist over its own output', () => {
  test.each(['prod', 'dev'])('%s applied twice: accepted, and the second apply stores nothing new and prints "unchanged" for every object', (environment) => {
    const cluster = new Cluster();
    applyAccepted(cluster, chart(environment));
    const first = cluster.objects();
    const again = applyAccepted(cluster, chart(environment));
    expect(cluster.objects()).toEqual(first);
    // No zero value or empty list the API server drops (minReadySeconds: 0, externalIPs: [], ...)
    // for kubectl to re-send: a repeated apply of an unchanged output changes nothing, visibly.
    expect(again.filter((o) => o.action !== 'unchanged').map((o) => `${o.id} ${o.action}`)).toEqual([]);
  });

  test.each([['prod', 'dev'], ['dev', 'prod']])('%s then %s: accepted, and the immutable fields hold', (from, to) => {
    const cluster = courseCluster();
    applyAccepted(cluster, chart(from));
    const before = cluster.clone();
    applyAccepted(cluster, chart(to));
    expectChartHolds(cluster, chart(to), before);
  });
});

describe('replicas handed to an autoscaler', () => {
  // Functions, so that the app renders inside each test (where mutation testing credits it).
  const autoscaled = () => chart('prod').filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => ({ name: o.spec.scaleTargetRef.name, min: o.spec.minReplicas }));
  const replicas = (cluster: Cluster) => Object.fromEntries(autoscaled().map(({ name }) => [name, cluster.get('Deployment', name).spec.replicas]));
  const floors = () => Object.fromEntries(autoscaled().map(({ name, min }) => [name, min]));

  test('prod over the course: the apply drops replicas, the server falls to 1 pod until its autoscaler acts', () => {
    const cluster = courseCluster();
    expect(replicas(cluster)).toEqual({ 'server-deployment': 3, 'worker-deployment': 1 });
    applyAccepted(cluster, chart('prod'));
    expect(replicas(cluster)).toEqual({ 'server-deployment': 1, 'worker-deployment': 1 });
    expect(cluster.runAutoscalers()).toEqual({ 'server-deployment': [1, 3] });
    expect(replicas(cluster)).toEqual(floors());
  });

  test('prod after dev after prod: dev\'s replicas: 1 was applied, so prod drops it and the autoscaled pods fall to 1', () => {
    const cluster = courseCluster();
    applyAccepted(cluster, chart('prod'));
    cluster.runAutoscalers();
    applyAccepted(cluster, chart('dev'));
    // prod's autoscalers are still there (an apply never deletes) and take the pods back up.
    cluster.runAutoscalers();
    expect(replicas(cluster)).toEqual(floors());
    applyAccepted(cluster, chart('prod'));
    expect(replicas(cluster)['server-deployment']).toBe(1);
  });

  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const step = [...readme.matchAll(/KUBE_EDITOR="sed -i\.bak '\/\^  replicas:\/d'" kubectl apply edit-last-applied deployment\/\$d/g)];
  const loop = readme.match(/for d in ([\w -]+); do/);

  test('the README\'s step names every Deployment prod autoscales and removes only replicas from last-applied', () => {
    expect(step).toHaveLength(1);
    expect(loop?.[1].trim().split(/\s+/).sort()).toEqual(autoscaled().map((a) => a.name).sort());
  });

  test.each([['the course', () => courseCluster()], ['dev', () => { const c = courseCluster(); c.apply(chart('prod')); c.runAutoscalers(); c.apply(chart('dev')); c.runAutoscalers(); return c; }]] as const)(
    'with the README\'s step first, prod over %s keeps every autoscaled Deployment at its floor', (_from, start) => {
      const cluster = start();
      for (const name of loop![1].trim().split(/\s+/)) {
        // What `sed -i.bak '/^  replicas:/d'` does to the YAML edit-last-applied shows: spec.replicas goes.
        cluster.editLastApplied('Deployment', name, (lastApplied) => delete lastApplied.spec.replicas);
      }
      applyAccepted(cluster, chart('prod'));
      for (const { name, min } of autoscaled()) expect(cluster.get('Deployment', name).spec.replicas).toBeGreaterThanOrEqual(min);
    });
});

test('the course fixture is what the API server stores: defaults and last-applied on each of the eleven objects', () => {
  const cluster = courseCluster();
  expect(cluster.objects()).toHaveLength(courseObjects().length);
  for (const o of cluster.objects()) expect(JSON.parse(o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).metadata.name).toBe(o.metadata.name);
  expect(cluster.get('PersistentVolumeClaim', 'database-persistent-volume-claim').spec).toMatchObject({ storageClassName: 'standard', volumeMode: 'Filesystem' });
  expect(cluster.get('Service', 'server-cluster-ip-service').spec).toMatchObject({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None' });
});
