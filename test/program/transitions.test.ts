import * as fs from 'fs';
import * as path from 'path';
import { planChanges } from '../../lib/plan/plan';
import { appliedBy, pruneTargets } from '../../lib/plan/prune';
import { closePreviewArgs, pruneScope, scopeOfObjects } from '../../lib/program/ownership';
import { KubeObject } from '../../lib/validate/problem';
import { defaultObjects } from '../helpers';
import { Cluster, LAST_APPLIED } from '../support/cluster/cluster';
import { courseCluster } from '../support/cluster/course';

// Transitions between outputs as the README's deploy section runs them: synth, plan, then
// `kubectl apply -f dist --prune -l <selector> --prune-allowlist=...` (lib/program/ownership.ts),
// the replicas handover step before an autoscaler takes over, and `npm run close-preview` for a
// preview that left the output. Each is played on the cluster model (test/support/cluster) with
// kubectl's prune rules (lib/plan/prune.ts).

const SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pgpassword' }, type: 'Opaque', data: { PGPASSWORD: Buffer.from('not-a-real-password').toString('base64') } };
/** Another app in the same namespace: applied with kubectl (so it carries last-applied), labelled as its own. */
const FOREIGN = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-settings', labels: { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/instance': 'prod' } }, data: { mode: 'live' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy-api' }, spec: { selector: { app: 'legacy' }, ports: [{ port: 80 }] } },
];

const id = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
const isApp = (o: KubeObject) => o.metadata?.labels?.['app.kubernetes.io/part-of'] === 'multi-k8s';
const appIds = (cluster: Cluster) => cluster.objects().filter(isApp).map(id).sort();
const othersOf = (cluster: Cluster) => cluster.objects().filter((o) => !isApp(o)).sort((a, b) => id(a).localeCompare(id(b)));
/** The objects as the model keys them: namespaced ones without a namespace go to kubectl's `default`. */
const outputIds = (objects: readonly KubeObject[]) => objects.map((o) => (o.kind === 'Namespace' ? `Namespace/default/${o.metadata.name}` : id(o))).sort();

interface Deploy {
  /** Ids of objects created, changed and deleted by the apply and its prune. */
  readonly created: string[];
  readonly configured: string[];
  readonly deleted: string[];
}

/** The README's step before an apply hands replicas to an autoscaler: `replicas` leaves last-applied. */
function handOverReplicas(cluster: Cluster, output: readonly KubeObject[]): void {
  for (const deployment of output.filter((o) => o.kind === 'Deployment' && o.spec.replicas === undefined)) {
    const live = cluster.get('Deployment', deployment.metadata.name, deployment.metadata.namespace);
    const lastApplied = live?.metadata.annotations?.[LAST_APPLIED];
    if (lastApplied && JSON.parse(lastApplied).spec?.replicas !== undefined) {
      cluster.editLastApplied('Deployment', deployment.metadata.name, (config) => delete config.spec.replicas);
    }
  }
}

/** `kubectl apply -f dist --prune -l ... --prune-allowlist=...` as the README has it for this output. */
function deploy(cluster: Cluster, output: readonly KubeObject[], previous: readonly KubeObject[] = []): Deploy {
  // `npm run plan` prints this apply: custom kinds of the previous output and this one join the allowlist.
  const scope = pruneScope(scopeOfObjects(output), [previous, output]);
  const outcomes = cluster.apply(appliedBy(output, scope));
  expect(outcomes.filter((o) => !o.accepted).map((o) => `${o.id}: ${o.message}`)).toEqual([]);
  const byAction = (action: string) => outcomes.filter((o) => o.action === action).map((o) => o.id);
  const targets = pruneTargets(cluster.objects(), output, { scope, namespace: 'default' });
  const deleted = cluster.delete(targets);
  const toId = (modelId: string) => { const [, kind, ns, name] = modelId.split('/'); return `${kind}/${ns || 'default'}/${name}`; };
  return { created: byAction('created').map(toId).sort(), configured: byAction('configured').map(toId).sort(), deleted: deleted.map(toId).sort() };
}

/** `npm run close-preview -- NAME`: kubectl deletes the Namespace the labels select, and the namespace controller everything in it. */
function closePreview(cluster: Cluster, name: string): string[] {
  const [, , , selector, , field] = closePreviewArgs(name);
  const namespace = cluster.get('Namespace', name);
  const labels = namespace?.metadata.labels ?? {};
  const matches = selector.split(',').every((pair) => { const [k, v] = pair.split('='); return labels[k] === v; }) && field === `metadata.name=${name}`;
  return matches ? cluster.delete([namespace]).map((modelId) => { const [, kind, ns, n] = modelId.split('/'); return `${kind}/${ns || 'default'}/${n}`; }).sort() : [];
}

/** What `npm run plan -- OLD NEW` reports, as ids per change. */
function planned(before: readonly KubeObject[], after: readonly KubeObject[]) {
  const plan = planChanges(before, after);
  const ids = (change: string) => plan.changes.filter((c) => c.change === change).map((c) => c.object);
  return { added: ids('+'), removed: ids('-'), changed: ids('~'), warnings: plan.warnings };
}

/** Live replicas of the app's Deployments, by name and namespace. */
const replicasOf = (cluster: Cluster) => Object.fromEntries(cluster.objects().filter((o) => o.kind === 'Deployment' && isApp(o)).map((o) => [id(o), o.spec.replicas]));

function startCluster(): Cluster {
  const cluster = new Cluster();
  expect(cluster.create(SECRET).accepted).toBe(true);
  expect(cluster.apply(FOREIGN).every((o) => o.accepted)).toBe(true);
  return cluster;
}

/**
 * One transition: plan, handover, apply with prune. Asserts that afterwards the app's live
 * objects are exactly the new output, that everything else is as it was, that no Deployment went
 * below the fewer of its pods before and its new floor, and that the plan named exactly the
 * objects the apply created, changed and deleted.
 */
function transition(cluster: Cluster, from: readonly KubeObject[], to: readonly KubeObject[]): Deploy {
  const others = othersOf(cluster);
  const before = replicasOf(cluster);
  const plan = planned(from, to);
  handOverReplicas(cluster, to);
  const result = deploy(cluster, to, from);
  expect(appIds(cluster)).toEqual(outputIds(to));
  expect(othersOf(cluster)).toEqual(others);
  for (const [deployment, replicas] of Object.entries(replicasOf(cluster))) {
    const manifest = to.find((o) => id(o) === deployment || (o.kind === 'Deployment' && `Deployment/default/${o.metadata.name}` === deployment))!;
    const hpa = to.find((o) => o.kind === 'HorizontalPodAutoscaler' && o.spec.scaleTargetRef.name === manifest.metadata.name && o.metadata.namespace === manifest.metadata.namespace);
    const floor = hpa ? hpa.spec.minReplicas : manifest.spec.replicas;
    expect({ deployment, replicas: replicas >= Math.min(before[deployment] ?? floor, floor) }).toEqual({ deployment, replicas: true });
  }
  // The plan names objects `Kind/name (namespace)`; compare by kind and name within this output.
  const short = (ids: string[]) => ids.map((i) => { const [kind, , name] = i.split('/'); return `${kind}/${name}`; }).sort();
  const planShort = (names: string[]) => names.map((n) => n.replace(/ \(.*\)$/, '')).sort();
  expect(planShort(plan.added)).toEqual(short(result.created));
  expect(planShort(plan.removed)).toEqual(short(result.deleted));
  expect(planShort(plan.changed)).toEqual(short(result.configured));
  return result;
}

describe('transitions with a pruning apply, as the README runs them', () => {
  // Rendered inside each test (test/helpers.ts): mutation testing credits the tests that use them.
  const prod = () => defaultObjects({ ENVIRONMENT: 'prod' });
  const dev = () => defaultObjects({ ENVIRONMENT: 'dev' });

  test('prod -> dev -> prod: the autoscalers and budgets go and come back; nothing else is touched', () => {
    const cluster = startCluster();
    deploy(cluster, prod());
    cluster.runAutoscalers();
    const toDev = transition(cluster, prod(), dev());
    expect(toDev.deleted.filter((i) => /^(HorizontalPodAutoscaler|PodDisruptionBudget)\//.test(i))).toHaveLength(5);
    expect(replicasOf(cluster)['Deployment/default/server-deployment']).toBe(1);
    const toProd = transition(cluster, dev(), prod());
    expect(toProd.created.filter((i) => i.startsWith('HorizontalPodAutoscaler/')).sort()).toEqual(['HorizontalPodAutoscaler/default/server-deployment', 'HorizontalPodAutoscaler/default/worker-deployment']);
    // The autoscaler takes the server from dev's one pod back to its floor of three.
    expect(cluster.runAutoscalers()).toEqual({ 'server-deployment': [1, 3] });
  });

  test('TLS on -> off -> on: the Certificate and ClusterIssuer go with HTTPS and come back; routes and pods stay', () => {
    const course = { HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };
    const on = defaultObjects(course);
    const off = defaultObjects({ ...course, TLS: 'none' });
    const cluster = startCluster();
    deploy(cluster, on);
    expect(cluster.get('ClusterIssuer', 'letsencrypt-prod')).toBeDefined();
    const toOff = transition(cluster, on, off);
    expect(toOff.deleted).toEqual(expect.arrayContaining(['Certificate/default/k8s-multi-com-tls', 'ClusterIssuer/default/letsencrypt-prod']));
    expect(toOff.deleted.filter((i) => /^(Deployment|Service|PersistentVolumeClaim)\//.test(i))).toEqual([]);
    const toOn = transition(cluster, off, on);
    expect(toOn.created).toEqual(expect.arrayContaining(['Certificate/default/k8s-multi-com-tls', 'ClusterIssuer/default/letsencrypt-prod']));
  });

  test('ingress-nginx -> Gateway -> ingress-nginx: one route serves at a time, the other is pruned', () => {
    const ingress = defaultObjects();
    const gateway = defaultObjects({ ROUTING: 'gateway' });
    const cluster = startCluster();
    deploy(cluster, ingress);
    const toGateway = transition(cluster, ingress, gateway);
    expect(toGateway.deleted).toContain('Ingress/default/ingress-service');
    expect(toGateway.created).toEqual(expect.arrayContaining(['Gateway/default/multi-k8s', 'HTTPRoute/default/multi-k8s']));
    expect(cluster.get('Ingress', 'ingress-service')).toBeUndefined();
    const back = transition(cluster, gateway, ingress);
    expect(back.deleted).toEqual(expect.arrayContaining(['Gateway/default/multi-k8s', 'HTTPRoute/default/multi-k8s']));
    expect(cluster.get('Ingress', 'ingress-service')).toBeDefined();
  });

  test('the course\'s k8s/ -> this output: the eleven objects are adopted by name, nothing is pruned, the server keeps its 3 pods', () => {
    const cluster = courseCluster();
    const course = cluster.objects();
    expect(cluster.create(SECRET).accepted).toBe(true);
    const others = othersOf(cluster).filter((o) => o.kind === 'Secret');
    handOverReplicas(cluster, prod());
    const result = deploy(cluster, prod());
    expect(result.deleted).toEqual([]);
    expect(result.configured).toEqual(course.map(id).sort());
    expect(appIds(cluster)).toEqual(outputIds(prod()));
    expect(othersOf(cluster)).toEqual(others);
    expect(replicasOf(cluster)['Deployment/default/server-deployment']).toBe(3);
  });

  test('previews {a, b} -> {b} -> {b, c}: b is untouched, a leaves by its close command, c arrives; the main environment is never touched', () => {
    const previews = (names: string) => defaultObjects({ PREVIEWS: names });
    const cluster = startCluster();
    deploy(cluster, prod());
    const main = cluster.objects().filter((o) => isApp(o) && o.metadata.labels['app.kubernetes.io/instance'] === 'prod');
    const ab = previews('a,b');
    deploy(cluster, ab);
    for (const name of ['a', 'b']) expect(cluster.create({ ...SECRET, metadata: { name: 'pgpassword', namespace: name } }).accepted).toBe(true);
    const secrets = () => cluster.objects().filter((o) => o.kind === 'Secret').map(id).sort();

    // {a, b} -> {b}: the apply owns b only, so a stays until the plan's close line is followed.
    const b = previews('b');
    const plan = planChanges(ab, b, { closeCommand: (ns) => closePreviewArgs(ns.metadata.name).join(' ') });
    expect(plan.warnings.filter((w) => w.kind === 'close').map((w) => w.object)).toEqual(['Namespace/a']);
    const applied = deploy(cluster, b);
    expect(applied.deleted).toEqual([]);
    expect(applied.configured).toEqual([]);
    const closed = closePreview(cluster, 'a');
    expect(closed).toContain('Namespace/default/a');
    expect(closed).toContain('Secret/a/pgpassword');
    expect(closed.filter((i) => !i.startsWith('Namespace/')).every((i) => i.split('/')[1] === 'a')).toBe(true);
    expect(secrets()).toEqual(['Secret/b/pgpassword', 'Secret/default/pgpassword']);

    // {b} -> {b, c}: c is created, b unchanged.
    const bc = previews('b,c');
    const result = deploy(cluster, bc);
    expect(result.configured).toEqual([]);
    expect(result.deleted).toEqual([]);
    expect(new Set(result.created.map((i) => i.split('/')[1]))).toEqual(new Set(['default', 'c']));
    expect(cluster.objects().filter((o) => isApp(o) && o.metadata.labels['app.kubernetes.io/instance'] === 'prod')).toEqual(main);
    const previewIds = cluster.objects().filter((o) => isApp(o) && o.metadata.labels['app.kubernetes.io/instance'] !== 'prod').map(id).sort();
    expect(previewIds).toEqual(outputIds(bc));
  });

  test('a closed preview\'s command refuses a namespace this app did not create for it', () => {
    const cluster = startCluster();
    cluster.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a', labels: { 'app.kubernetes.io/part-of': 'shop' } } }]);
    expect(closePreview(cluster, 'a')).toEqual([]);
    expect(cluster.get('Namespace', 'a')).toBeDefined();
  });

  test('the README runs the same apply this test plays', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const { selector, allowlist } = pruneScope(scopeOfObjects(prod()));
    expect(readme).toContain(`--prune -l '${selector}'`);
    for (const kind of allowlist) expect(readme).toContain(`--prune-allowlist=${kind}`);
  });
});
