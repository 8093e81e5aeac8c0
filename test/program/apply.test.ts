import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { KubeObject } from '../../lib/validate/problem';
import { COURSE_K8S, courseObjects, tempDir } from '../helpers';
import { deletePreviews, getLive, kubectlName, kubectlPart, LAST_APPLIED, mainApply, openedBy, outcomes, plan, readmeStep, sh, shOk, synth, work, Work } from '../support/cluster/deploy';
import { Cluster, describeWithCluster, describeWithCrds } from '../support/envtest';

// `kubectl apply` of this output on a real API server (test/support/envtest: kube-apiserver
// v1.34.2, kubectl 1.32), over the course's eleven objects as `kubectl apply -f k8s` left them,
// and over itself. The commands are the README's, run through `sh` in a folder holding `dist/`
// with a kubeconfig whose context names the test's namespace. No Deployment controller runs
// (no ReplicaSets, no pods) and no autoscaler controller: what is checked is what the API server
// stores.

/** The course's eleven objects, as `kubectl apply` names them. */
const courseNames = () => courseObjects().map(kubectlName).sort();

interface Deployed {
  readonly ns: string;
  readonly kubeconfig: string;
  readonly at: Work;
}

/** A fresh namespace with the course's `kubectl apply -f k8s` done in it. */
async function courseDeployed(cluster: Cluster): Promise<Deployed> {
  const ns = await cluster.namespace('course');
  const kubeconfig = cluster.kubeconfigFor(ns);
  const at = work(tempDir());
  const applied = outcomes(await shOk(`kubectl apply -f ${COURSE_K8S}`, { kubeconfig, cwd: at.dir }));
  expect(applied.created).toEqual(courseNames());
  return { ns, kubeconfig, at };
}

/** The README's pruning apply of work/dist; fails with what kubectl printed if it is refused. */
async function readmeApply(d: Deployed): Promise<Record<string, string[]>> {
  return outcomes(await shOk(mainApply(), { kubeconfig: d.kubeconfig, cwd: d.at.dir }));
}

/** What the README's apply would still change, by `kubectl diff` with the same prune flags: exit 0 is nothing. */
async function diffAfter(d: Deployed): Promise<{ code: number; stdout: string }> {
  const diff = mainApply().replace(/^kubectl apply /, 'kubectl diff ');
  const result = await sh(diff, { kubeconfig: d.kubeconfig, cwd: d.at.dir });
  return { code: result.code, stdout: result.stdout + result.stderr };
}

/** The fields the API server never lets an update change, and the object's identity, per course object. */
async function identities(cluster: Cluster, ns: string): Promise<Record<string, unknown>> {
  const kept: Record<string, unknown> = {};
  const listed = JSON.parse(await cluster.kubectlOk(['get', '-n', ns, ...courseNames(), '-o', 'json']));
  for (const live of listed.items as KubeObject[]) {
    kept[`${live.kind}/${live.metadata.name}`] = {
      // The same uid: updated in place, never deleted and re-created.
      uid: live.metadata.uid,
      ...(live.kind === 'Deployment' ? { selector: live.spec.selector } : {}),
      ...(live.kind === 'Service' ? { clusterIP: live.spec.clusterIP, clusterIPs: live.spec.clusterIPs } : {}),
      ...(live.kind === 'PersistentVolumeClaim' ? { spec: live.spec } : {}),
    };
  }
  expect(Object.keys(kept)).toHaveLength(courseNames().length);
  return kept;
}

const deployment = (cluster: Cluster, ns: string, name: string) => getLive(cluster, 'deployment.apps', name, ns) as Promise<KubeObject>;

describeWithCluster('kubectl apply -f dist over the course\'s running app', (cluster) => {
  test.each(['prod', 'dev'])('%s: accepted in place (no replacement), the eleven configured, the rest created; immutable fields hold', async (environment) => {
    const d = await courseDeployed(cluster());
    const before = await identities(cluster(), d.ns);
    const output = synth(d.at, { ENVIRONMENT: environment });
    const applied = await readmeApply(d);
    expect(applied.configured).toEqual(courseNames());
    expect(applied.created).toEqual(output.map(kubectlName).filter((n) => !courseNames().includes(n)).sort());
    expect(applied.pruned).toBeUndefined();
    expect(await identities(cluster(), d.ns)).toEqual(before);
    // The server holds what the output says: an apply now would change nothing.
    expect(await diffAfter(d)).toEqual({ code: 0, stdout: '' });
    // Exactly the output's strategy: the rollingUpdate the server had defaulted on the course's
    // Deployments is gone, by the $retainKeys kubectl sends for a strategy.
    for (const o of output.filter((x) => x.kind === 'Deployment')) {
      expect({ name: o.metadata.name, strategy: (await deployment(cluster(), d.ns, o.metadata.name)).spec.strategy }).toEqual({ name: o.metadata.name, strategy: o.spec.strategy });
    }
  });

  test('postgres and redis switch from the defaulted RollingUpdate to plain Recreate', async () => {
    const d = await courseDeployed(cluster());
    for (const name of ['postgres-deployment', 'redis-deployment']) {
      expect((await deployment(cluster(), d.ns, name)).spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    }
    synth(d.at, { ENVIRONMENT: 'prod' });
    await readmeApply(d);
    for (const name of ['postgres-deployment', 'redis-deployment']) expect((await deployment(cluster(), d.ns, name)).spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('the course\'s subPath mount goes: postgres mounts the claim\'s root, PGDATA points at the same directory', async () => {
    const d = await courseDeployed(cluster());
    const course = (await deployment(cluster(), d.ns, 'postgres-deployment')).spec.template.spec.containers[0];
    expect(course.volumeMounts).toEqual([{ name: 'postgres-storage', mountPath: '/var/lib/postgresql/data', subPath: 'postgres' }]);
    synth(d.at, { ENVIRONMENT: 'prod' });
    await readmeApply(d);
    const postgres = (await deployment(cluster(), d.ns, 'postgres-deployment')).spec.template.spec.containers.find((c: KubeObject) => c.name === 'postgres');
    expect(postgres.volumeMounts.find((m: KubeObject) => m.mountPath === '/var/lib/postgresql/data')).toEqual({ name: 'postgres-storage', mountPath: '/var/lib/postgresql/data' });
    expect(postgres.env.find((e: KubeObject) => e.name === 'PGDATA').value).toBe('/var/lib/postgresql/data/postgres');
  });

  test.each([['prod', 'dev'], ['dev', 'prod']])('%s then %s over the course: accepted in place, immutable fields hold', async (from, to) => {
    const d = await courseDeployed(cluster());
    const before = await identities(cluster(), d.ns);
    synth(d.at, { ENVIRONMENT: from });
    await readmeApply(d);
    synth(d.at, { ENVIRONMENT: to });
    await readmeApply(d);
    expect(await identities(cluster(), d.ns)).toEqual(before);
    expect(await diffAfter(d)).toEqual({ code: 0, stdout: '' });
  });
});

describeWithCluster('kubectl apply -f dist over its own output', (cluster) => {
  test.each(['prod', 'dev'])('%s applied twice: the server stores nothing new, and kubectl says "unchanged" for every object but the disruption budgets', async (environment) => {
    const ns = await cluster().namespace('twice');
    const d: Deployed = { ns, kubeconfig: cluster().kubeconfigFor(ns), at: work(tempDir()) };
    const output = synth(d.at, { ENVIRONMENT: environment });
    expect((await readmeApply(d)).created).toEqual(output.map(kubectlName).sort());
    const versions = async () => Object.fromEntries(await Promise.all(output.map(async (o) => [kubectlName(o), (await getLive(cluster(), o.kind, o.metadata.name, ns))!.metadata.resourceVersion])));
    const first = await versions();
    const again = await readmeApply(d);
    // kubectl prints "configured" whenever its patch is not empty. A PodDisruptionBudget's
    // spec.selector is the one field of k8s.io/api with patchStrategy "replace"
    // (k8s.io/api policy/v1 types.go), which kubectl's three-way patch always re-sends whole
    // (k8s.io/apimachinery pkg/util/strategicpatch/patch.go handleMapDiff): every PDB applied
    // with `kubectl apply` is "configured" every time, with nothing changed (below). No manifest
    // can avoid it. Every other object, the Recreate Deployments included, is "unchanged".
    const budgets = output.filter((o) => o.kind === 'PodDisruptionBudget').map(kubectlName).sort();
    expect(again).toEqual({ unchanged: output.map(kubectlName).filter((n) => !budgets.includes(n)).sort(), ...(budgets.length ? { configured: budgets } : {}) });
    expect(await versions()).toEqual(first);
    expect(await diffAfter(d)).toEqual({ code: 0, stdout: '' });
  });

  test('the budgets\' "configured" is kubectl\'s: the Kubernetes docs\' own budget is "configured" on every apply too, and stored unchanged', async () => {
    const ns = await cluster().namespace('pdb');
    // https://kubernetes.io/docs/tasks/run-application/configure-pdb/ (zookeeper, minAvailable: 2).
    const docs = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: zk-pdb\nspec:\n  minAvailable: 2\n  selector:\n    matchLabels:\n      app: zookeeper\n';
    await cluster().kubectlOk(['apply', '-n', ns, '-f', '-'], { input: docs });
    const version = async () => (await getLive(cluster(), 'pdb', 'zk-pdb', ns))!.metadata.resourceVersion;
    const before = await version();
    expect((await cluster().kubectlOk(['apply', '-n', ns, '-f', '-'], { input: docs })).trim()).toBe('poddisruptionbudget.policy/zk-pdb configured');
    expect(await version()).toBe(before);
  });
});

describeWithCluster('replicas handed to an autoscaler', (cluster) => {
  const step = readmeStep;
  const autoscaled = (output: readonly KubeObject[]) => output.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.spec.scaleTargetRef.name).sort();
  const replicas = async (ns: string, names: readonly string[]) => Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await deployment(cluster(), ns, n)).spec.replicas])));

  test('the README\'s step names every Deployment prod autoscales, and removes only replicas from last-applied', async () => {
    const d = await courseDeployed(cluster());
    const output = synth(d.at, { ENVIRONMENT: 'prod' });
    expect(step().match(/^for d in ([\w -]+); do/)![1].trim().split(/\s+/).sort()).toEqual(autoscaled(output));
    const lastApplied = async (name: string) => JSON.parse((await deployment(cluster(), d.ns, name)).metadata.annotations[LAST_APPLIED]);
    const before = await lastApplied('server-deployment');
    await shOk(step(), { kubeconfig: d.kubeconfig, cwd: d.at.dir });
    const { replicas: _dropped, ...rest } = before.spec;
    expect(await lastApplied('server-deployment')).toEqual({ ...before, spec: rest });
    // Only the annotation: the live count is still the course's.
    expect(await replicas(d.ns, ['server-deployment'])).toEqual({ 'server-deployment': 3 });
  });

  test('prod over the course without the step: the apply deletes replicas, the server falls from 3 pods to 1 until its autoscaler acts', async () => {
    const d = await courseDeployed(cluster());
    const output = synth(d.at, { ENVIRONMENT: 'prod' });
    expect(await replicas(d.ns, autoscaled(output))).toEqual({ 'server-deployment': 3, 'worker-deployment': 1 });
    await readmeApply(d);
    expect(await replicas(d.ns, autoscaled(output))).toEqual({ 'server-deployment': 1, 'worker-deployment': 1 });
  });

  test.each([
    ['the course', async (d: Deployed) => d],
    ['dev', async (d: Deployed) => { synth(d.at, { ENVIRONMENT: 'dev' }); await readmeApply(d); return d; }],
  ] as const)('with the README\'s step first, prod over %s leaves every autoscaled Deployment\'s replicas as they were', async (_from, start) => {
    const d = await start(await courseDeployed(cluster()));
    const names = ['server-deployment', 'worker-deployment'];
    const before = await replicas(d.ns, names);
    await shOk(step(), { kubeconfig: d.kubeconfig, cwd: d.at.dir });
    expect(autoscaled(synth(d.at, { ENVIRONMENT: 'prod' }))).toEqual(names);
    await readmeApply(d);
    // From here the autoscaler holds them within [minReplicas, maxReplicas]; no autoscaler
    // controller runs on the test server, so that part is the autoscaler's documented behaviour,
    // not shown here.
    expect(await replicas(d.ns, names)).toEqual(before);
  });
});

describeWithCluster('the HTTPS, Gateway and preview outputs', (cluster) => describeWithCrds('with their CRDs installed', ['cert-manager-v1.21.1', 'gateway-api-v1.6.1'], (crds) => {
  beforeAll(async () => {
    for (const folder of Object.values(crds)) await cluster().installCrds(folder);
  });
  const previewNamespaces: string[] = [];
  afterAll(async () => {
    await cluster().kubectl(['delete', 'clusterissuer', '-l', 'app.kubernetes.io/part-of=multi-k8s', '--ignore-not-found']);
    await deletePreviews(cluster(), previewNamespaces);
  });

  const https = { HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };
  test.each([
    ['HTTPS through ingress-nginx', https],
    ['HTTPS from Let\'s Encrypt staging', { ...https, TLS: 'letsencrypt-staging' }],
    ['HTTPS through a Gateway', { ...https, ROUTING: 'gateway' }],
    ['plain HTTP through a Gateway', { ROUTING: 'gateway' }],
    // A preview's namespace is cluster-wide: a name of this run's, deleted afterwards.
    ['a preview routed through a shared Gateway', { PREVIEWS: `pr-${randomBytes(3).toString('hex')}-gw`, ROUTING: 'gateway', GATEWAY: 'infra/shared' }],
    ['a preview with the operator\'s wildcard certificate', { PREVIEWS: `pr-${randomBytes(3).toString('hex')}-tls`, PREVIEW_TLS_SECRET: 'preview-wildcard-tls' }],
  ])('%s: accepted as `npm run plan` prints the apply, nothing left to change, and "unchanged" on the second apply but for the budgets', async (_what, env: NodeJS.ProcessEnv) => {
    const ns = await cluster().namespace('variant');
    const d: Deployed = { ns, kubeconfig: cluster().kubeconfigFor(ns), at: work(tempDir()) };
    const output = synth(d.at, env);
    if (env.PREVIEWS) previewNamespaces.push(env.PREVIEWS);
    // The first apply: the command `npm run plan` prints for the output (custom kinds in its allowlist).
    const empty = path.join(tempDir(), 'empty');
    fs.mkdirSync(empty);
    const command = plan(empty, d.at.dist).apply!;
    // A preview's apply opens its namespace first (npm run open-preview): created there, not by kubectl.
    const apply = env.PREVIEWS ? kubectlPart(command) : command;
    const first = await sh(command, { kubeconfig: d.kubeconfig, cwd: d.at.dir });
    expect(first.code).toBe(0);
    const created = [...(outcomes(first.stdout).created ?? []), ...openedBy(first.stderr).map((name) => `namespace/${name}`)].sort();
    expect(created).toEqual(output.map(kubectlName).sort());
    const diff = await sh(apply.replace(/^kubectl apply /, 'kubectl diff '), { kubeconfig: d.kubeconfig, cwd: d.at.dir });
    expect({ code: diff.code, out: diff.stdout + diff.stderr }).toEqual({ code: 0, out: '' });
    const again = outcomes(await shOk(command, { kubeconfig: d.kubeconfig, cwd: d.at.dir }));
    const budgets = output.filter((o) => o.kind === 'PodDisruptionBudget').map(kubectlName).sort();
    expect(again).toEqual({ unchanged: output.map(kubectlName).filter((n) => !budgets.includes(n)).sort(), ...(budgets.length ? { configured: budgets } : {}) });
  });
}));
