import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { run as closePreview } from '../../lib/program/close-preview-command';
import { allowlistEntry, pruneAllowlist } from '../../lib/program/ownership';
import { KubeObject } from '../../lib/validate/problem';
import { COURSE_K8S, courseObjects, tempDir } from '../helpers';
import { captureOutput } from '../support/cli';
import {
  CLUSTER_SCOPED, deletePreviews, getLive, idOf, INSTANCE, kubectlName, kubectlPart, liveApp, mainApply, openedBy, outcomes, plan, previewsApply, readmeCommand, readmeCommands, readmeStep, readOutput, sh, shOk, synth, work, Work,
} from '../support/cluster/deploy';
import { Cluster, describeWithCluster, describeWithCrds } from '../support/envtest';

// Transitions between outputs as the README's deploy section runs them, on the real API server
// (test/support/envtest) with kubectl 1.32: `npm run synth`, `npm run plan` (in process: the code
// the launcher bundles), then the apply with prune the plan prints (`apply with: ...`), which is
// the README's own command for outputs without custom kinds (for previews, after `npm run
// open-preview -- dist &&`, which creates their Namespaces); `npm run close-preview`, as the plan
// prints it, for a preview that left the output. After each apply the live objects are read back: the app's are
// exactly the new output, what left it is gone, and everything else (the operator's Secret,
// another app's objects, other previews, the main environment) is as it was, to the
// resourceVersion. No Deployment or autoscaler controller runs: replicas are what the API stores.

/** The operator's Secret, as the README creates it, with a value that is no one's password. */
const secretCommand = (namespace?: string) => {
  const command = namespace
    ? readmeCommand('kubectl -n pr-13 create secret generic pgpassword').replace('-n pr-13', `-n ${namespace}`).replace('<a password>', 'not-a-real-password')
    : readmeCommands('kubectl create secret generic pgpassword --from-literal PGPASSWORD=<a password of your choice>')[0].replace('<a password of your choice>', 'not-a-real-password');
  expect(command).not.toContain('<');
  return command;
};

/** Another app in the same namespace, applied with kubectl (so it carries last-applied): one labelled as its own, one not labelled at all. */
const FOREIGN = `apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-settings
  labels: { app.kubernetes.io/part-of: shop, app.kubernetes.io/instance: prod }
data: { mode: live }
---
apiVersion: v1
kind: Service
metadata:
  name: legacy-api
spec:
  selector: { app: legacy }
  ports: [{ port: 80 }]
`;

/** The preview namespaces the tests' applies created. */
const previewNamespaces: string[] = [];

/** One test's deploy: its namespace (the kubeconfig's), its checkout, and what else it created. */
interface Site {
  readonly ns: string;
  readonly kubeconfig: string;
  readonly at: Work;
  /** Namespaces the test's objects may be in: the main one and its previews'. */
  readonly namespaces: Set<string>;
  /** Cluster-scoped objects of the outputs deployed so far, by idOf. */
  readonly clusterScoped: Set<string>;
}

/** The identity and version of everything not the app's that the test watches: its Secrets and the other app's objects. */
async function othersOf(cluster: Cluster, site: Site): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const namespace of site.namespaces) {
    const listed = JSON.parse(await cluster.kubectlOk(['get', 'secrets,configmaps,services', '-n', namespace, '-o', 'json']));
    for (const o of listed.items as KubeObject[]) {
      // The app's own Services, and what the API server makes in every namespace (kube-root-ca.crt), are not watched.
      if (o.metadata.labels?.['app.kubernetes.io/part-of'] === 'multi-k8s' || o.metadata.name === 'kube-root-ca.crt') continue;
      found[`${o.kind}/${namespace}/${o.metadata.name}`] = `${o.metadata.uid} ${o.metadata.resourceVersion}`;
    }
  }
  return found;
}

/** A namespace with the operator's Secret and another app's objects, as the README's reader has it before the first deploy. */
async function start(cluster: Cluster): Promise<Site> {
  const ns = await cluster.namespace('move');
  const site: Site = { ns, kubeconfig: cluster.kubeconfigFor(ns), at: work(tempDir()), namespaces: new Set([ns]), clusterScoped: new Set() };
  await shOk(secretCommand(), { kubeconfig: site.kubeconfig, cwd: site.at.dir });
  await cluster.kubectlOk(['apply', '-f', '-'], { kubeconfig: site.kubeconfig, input: FOREIGN });
  expect(Object.keys(await othersOf(cluster, site)).sort()).toEqual([`ConfigMap/${ns}/shop-settings`, `Secret/${ns}/pgpassword`, `Service/${ns}/legacy-api`]);
  return site;
}

/** Records the output's namespaces and cluster-scoped objects as the test's. */
function own(site: Site, output: readonly KubeObject[]): void {
  for (const o of output) {
    if (o.kind === 'Namespace') site.namespaces.add(o.metadata.name);
    if (CLUSTER_SCOPED.has(o.kind)) site.clusterScoped.add(idOf(o, site.ns));
  }
}

/** The live objects of the app that are this test's, by idOf. */
async function appObjects(cluster: Cluster, site: Site, outputs: readonly (readonly KubeObject[])[]): Promise<Map<string, KubeObject>> {
  // Every kind the chart can emit, and every kind of the outputs at hand (custom ones too).
  const kinds = [...new Set([...pruneAllowlist(), ...outputs.flat().map(allowlistEntry)])];
  return liveApp(cluster, kinds, (id) => {
    const [, namespace] = id.split('/');
    return namespace === '' ? site.clusterScoped.has(id) : site.namespaces.has(namespace);
  });
}

/** The first deploy: the README's apply (main environment, or previews with PREVIEWS set). */
async function firstDeploy(site: Site, env: NodeJS.ProcessEnv): Promise<KubeObject[]> {
  const output = synth(site.at, env);
  own(site, output);
  for (const namespace of output.filter((o) => o.kind === 'Namespace')) previewNamespaces.push(namespace.metadata.name);
  const command = env.PREVIEWS ? previewsApply() : mainApply();
  const result = await sh(command, { kubeconfig: site.kubeconfig, cwd: site.at.dir, env: { PREVIEWS: env.PREVIEWS } });
  expect({ command, code: result.code }).toEqual({ command, code: 0 });
  const applied = outcomes(result.stdout);
  // A preview's Namespace is created by open-preview before the apply (which then finds it as it is), everything else by the apply.
  const opened = openedBy(result.stderr);
  expect(opened).toEqual(output.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort());
  expect([...(applied.created ?? []), ...opened.map((name) => `namespace/${name}`)].sort()).toEqual(output.map(kubectlName).sort());
  expect(applied.unchanged ?? []).toEqual(opened.map((name) => `namespace/${name}`));
  return output;
}

interface Moved {
  readonly from: KubeObject[];
  readonly to: KubeObject[];
  /** `Kind/name` per word of kubectl apply's output. */
  readonly created: string[];
  readonly configured: string[];
  readonly pruned: string[];
  /** The command `npm run plan` printed and the test ran. */
  readonly command: string;
  /** The close command of the `! close` line, for a preview that left the output. */
  readonly close?: string;
}

/**
 * One transition as the README runs it: synth with the new settings, `npm run plan`, the apply it
 * prints. Then: the app's live objects are exactly the new output's; everything else watched is
 * as it was; the plan named exactly what kubectl created and pruned, and every change it made;
 * and `kubectl diff` with the same flags finds nothing left to change. `beside`: the live objects
 * of the other scope (the main environment beside previews), which must stay as they are.
 */
async function move(cluster: Cluster, site: Site, env: NodeJS.ProcessEnv, beside: readonly KubeObject[] = []): Promise<Moved> {
  const others = await othersOf(cluster, site);
  const to = synth(site.at, env);
  const from = readOutput(site.at.previous);
  own(site, to);
  for (const namespace of to.filter((o) => o.kind === 'Namespace')) previewNamespaces.push(namespace.metadata.name);
  const planned = plan(site.at.previous, site.at.dist);
  expect(planned.code).toBe(1);
  const command = planned.apply!;
  const run = { kubeconfig: site.kubeconfig, cwd: site.at.dir, env: { PREVIEWS: env.PREVIEWS } };
  const result = await sh(command, run);
  expect({ command, code: result.code }).toEqual({ command, code: 0 });
  const applied = outcomes(result.stdout);
  // A new preview's Namespace is created by the printed command's `npm run open-preview` (the apply then finds it unchanged): created, as the plan's `+` says.
  const opened = openedBy(result.stderr).map((name) => `namespace/${name}`);
  expect((applied.unchanged ?? []).filter((n) => opened.includes(n))).toEqual(opened);
  applied.created = [...(applied.created ?? []), ...opened];

  // kubectl names objects `kind.group/name`; the plan `Kind/name (namespace)`.
  const byName = new Map([...from, ...to].map((o) => [kubectlName(o), `${o.kind}/${o.metadata.name}`]));
  const words = (word: string) => (applied[word] ?? []).map((n) => byName.get(n) ?? n).sort();
  const lines = (sign: string) => planned.out.filter((l) => l.startsWith(`${sign} `)).map((l) => l.slice(2).replace(/( \(.*\))?(: .*)?$/, '')).sort();
  const moved: Moved = { from, to, created: words('created'), configured: words('configured'), pruned: words('pruned'), command };
  expect(lines('+')).toEqual(moved.created);
  expect(lines('-')).toEqual(moved.pruned);
  // kubectl also says "configured" for a disruption budget it did not change (apply.test.ts).
  expect(moved.configured.filter((n) => !n.startsWith('PodDisruptionBudget/'))).toEqual(lines('~').filter((n) => !n.startsWith('PodDisruptionBudget/')));

  const live = await appObjects(cluster, site, [from, to, ...(beside.length ? [beside] : [])]);
  expect([...live.keys()].sort()).toEqual([...to, ...beside].map((o) => idOf(o, site.ns)).sort());
  expect(await othersOf(cluster, site)).toEqual(others);
  const kubectlApply = env.PREVIEWS ? kubectlPart(command) : command;
  const diff = await sh(kubectlApply.replace(/^kubectl apply /, 'kubectl diff '), run);
  expect({ code: diff.code, out: diff.stdout + diff.stderr }).toEqual({ code: 0, out: '' });
  return moved;
}

describeWithCluster('transitions with a pruning apply, as the README runs them', (cluster) => {
  // Preview namespaces left at the end are deleted.
  afterAll(async () => deletePreviews(cluster(), previewNamespaces));

  test('the apply `npm run plan` prints for the default output is the README\'s, word for word', async () => {
    const at = work(tempDir());
    synth(at, { ENVIRONMENT: 'dev' });
    synth(at, { ENVIRONMENT: 'prod' });
    const printed = plan(at.previous, at.dist).apply!;
    const readme = mainApply().replace(/\\\n\s*/g, '');
    expect(printed.replace(at.dist, 'dist')).toBe(readme.replace(/\s+/g, ' '));
  });

  test('prod -> dev -> prod: the autoscalers and budgets go and come back; nothing else is touched', async () => {
    const site = await start(cluster());
    await firstDeploy(site, { ENVIRONMENT: 'prod' });
    const toDev = await move(cluster(), site, { ENVIRONMENT: 'dev' });
    expect(toDev.pruned).toEqual(toDev.from.filter((o) => /^(HorizontalPodAutoscaler|PodDisruptionBudget)$/.test(o.kind)).map((o) => `${o.kind}/${o.metadata.name}`).sort());
    expect(toDev.pruned).toHaveLength(5);
    const toProd = await move(cluster(), site, { ENVIRONMENT: 'prod' });
    expect(toProd.created.filter((n) => n.startsWith('HorizontalPodAutoscaler/'))).toEqual(['HorizontalPodAutoscaler/server-deployment', 'HorizontalPodAutoscaler/worker-deployment']);
  });

  describeWithCrds('with cert-manager\'s CRDs', ['cert-manager-v1.21.1'], (crds) => {
    beforeAll(async () => cluster().installCrds(crds['cert-manager-v1.21.1']));
    afterAll(async () => { await cluster().kubectl(['delete', 'clusterissuer', '-l', 'app.kubernetes.io/part-of=multi-k8s', '--ignore-not-found']); });

    test('TLS on -> off -> on: the Certificate and ClusterIssuer go with HTTPS and come back; routes and pods stay', async () => {
      const course = { HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };
      const site = await start(cluster());
      await firstDeployWithPlan(site, course);
      expect(await getLive(cluster(), 'clusterissuer', 'letsencrypt-prod')).toBeDefined();
      const toOff = await move(cluster(), site, { ...course, TLS: 'none' });
      // With them goes the NetworkPolicy that let the ingress controller reach cert-manager's solver.
      expect(toOff.pruned).toEqual(['Certificate/k8s-multi-com-tls', 'ClusterIssuer/letsencrypt-prod', 'NetworkPolicy/multi-k8s-acme-solver-allow-ingress-controller']);
      expect(await getLive(cluster(), 'clusterissuer', 'letsencrypt-prod')).toBeUndefined();
      const toOn = await move(cluster(), site, course);
      expect(toOn.created).toEqual(toOff.pruned);
      expect(toOn.pruned).toEqual([]);
    });
  });

  describeWithCrds('with Gateway API\'s CRDs', ['gateway-api-v1.6.1'], (crds) => {
    beforeAll(async () => cluster().installCrds(crds['gateway-api-v1.6.1']));

    test('ingress-nginx -> Gateway -> ingress-nginx: one route serves at a time, the other is pruned', async () => {
      const site = await start(cluster());
      await firstDeploy(site, {});
      const toGateway = await move(cluster(), site, { ROUTING: 'gateway' });
      expect(toGateway.pruned).toContain('Ingress/ingress-service');
      expect(toGateway.created).toEqual(expect.arrayContaining(['Gateway/multi-k8s', 'HTTPRoute/multi-k8s']));
      expect(await getLive(cluster(), 'ingress.networking.k8s.io', 'ingress-service', site.ns)).toBeUndefined();
      const back = await move(cluster(), site, {});
      expect(back.pruned).toEqual(expect.arrayContaining(['Gateway/multi-k8s', 'HTTPRoute/multi-k8s']));
      expect(await getLive(cluster(), 'ingress.networking.k8s.io', 'ingress-service', site.ns)).toBeDefined();
    });
  });

  test('the course\'s k8s/ -> this output, with the README\'s replicas step: the eleven are adopted by name, nothing is pruned, the server keeps its 3 pods', async () => {
    const site = await start(cluster());
    const others = await othersOf(cluster(), site);
    await shOk(`kubectl apply -f ${COURSE_K8S}`, { kubeconfig: site.kubeconfig, cwd: site.at.dir });
    const output = synth(site.at, { ENVIRONMENT: 'prod' });
    await shOk(readmeStep(), { kubeconfig: site.kubeconfig, cwd: site.at.dir });
    const applied = outcomes(await shOk(mainApply(), { kubeconfig: site.kubeconfig, cwd: site.at.dir }));
    expect(applied.pruned).toBeUndefined();
    expect(applied.configured).toEqual(courseObjects().map(kubectlName).sort());
    expect([...(await appObjects(cluster(), site, [output])).keys()].sort()).toEqual(output.map((o) => idOf(o, site.ns)).sort());
    expect(await othersOf(cluster(), site)).toEqual(others);
    expect((await getLive(cluster(), 'deployment.apps', 'server-deployment', site.ns))!.spec.replicas).toBe(3);
  });

  test('previews {a, b} -> {b} -> {b, c} beside the main environment: b is untouched, a leaves by its close command, c arrives; prod is never touched', async () => {
    // The close waits for the Namespace to go: the namespace and pvc-protection controllers' work.
    if (!cluster().hasControllerManager('previews added, dropped and closed beside the main environment')) return;
    // Preview namespaces are cluster-wide: names of this run's own.
    const tag = randomBytes(3).toString('hex');
    const [a, b, c] = ['a', 'b', 'c'].map((x) => `pr-${tag}-${x}`);
    const site = await start(cluster());
    const prod = await firstDeploy(site, { ENVIRONMENT: 'prod' });
    const versions = async (objects: readonly KubeObject[]) => Object.fromEntries([...(await appObjects(cluster(), site, [objects])).entries()]
      .filter(([id]) => objects.some((o) => idOf(o, site.ns) === id)).map(([id, o]) => [id, o.metadata.resourceVersion]));
    const mainBefore = await versions(prod);

    await firstDeploy(site, { PREVIEWS: `${a},${b}` });
    for (const name of [a, b]) await shOk(secretCommand(name), { kubeconfig: site.kubeconfig, cwd: site.at.dir });
    const secrets = async () => (await Promise.all([site.ns, a, b, c].map(async (n) => (await getLive(cluster(), 'secret', 'pgpassword', n)) ? n : undefined))).filter(Boolean);
    expect(await secrets()).toEqual([site.ns, a, b]);

    // {a, b} -> {b}: the apply owns b only, so a stays; the plan says how to close it.
    const toB = await moveWithout(cluster(), site, { PREVIEWS: b }, a, prod);
    expect(toB.pruned).toEqual([]);
    expect(toB.configured).toEqual([]);
    expect(toB.close).toBe(`npm run close-preview -- ${a}`);
    expect(await closeAndWait(cluster(), site, toB.close!)).toEqual({ code: 0, stdout: `namespace "${a}" deleted\n`, stderr: expect.stringContaining(`deleting namespace ${a} (uid `) });
    expect(await getLive(cluster(), 'namespace', a)).toBeUndefined();
    site.namespaces.delete(a);
    site.clusterScoped.delete(`Namespace//${a}`);
    expect(await secrets()).toEqual([site.ns, b]);

    // {b} -> {b, c}: c is created, b unchanged.
    const bc = await move(cluster(), site, { PREVIEWS: `${b},${c}` }, prod);
    expect(bc.configured).toEqual([]);
    expect(bc.pruned).toEqual([]);
    expect(bc.created).toEqual(bc.to.filter((o) => (o.metadata.namespace ?? o.metadata.name) === c).map((o) => `${o.kind}/${o.metadata.name}`).sort());
    expect(await versions(prod)).toEqual(mainBefore);

    // The main environment's apply beside them touches no preview.
    const previews = await versions(bc.to);
    synth(site.at, { ENVIRONMENT: 'prod' });
    const again = outcomes(await shOk(mainApply(), { kubeconfig: site.kubeconfig, cwd: site.at.dir }));
    expect(again.pruned).toBeUndefined();
    expect(again.created).toBeUndefined();
    expect(await versions(bc.to)).toEqual(previews);
    expect(await versions(prod)).toEqual(mainBefore);
  });

  test('a closed preview\'s command refuses a namespace this app did not create for it', async () => {
    const name = `pr-${randomBytes(3).toString('hex')}-shop`;
    cluster().deleteAfterwards(name);
    await cluster().kubectlOk(['create', 'namespace', name]);
    await cluster().kubectlOk(['label', 'namespace', name, 'app.kubernetes.io/part-of=shop', `${INSTANCE}=${name}`]);
    const closed = captureOutput(() => closePreview([name], { env: { ...process.env, KUBECONFIG: cluster().info.kubeconfig } }));
    expect(closed.code).toBe(1);
    expect((await getLive(cluster(), 'namespace', name))?.metadata.deletionTimestamp).toBeUndefined();
  });
});

/**
 * The close command as the plan's `! close` line prints it (`npm run close-preview -- NAME`), run
 * as the README's reader runs it, then waited for: close-preview sends the delete and returns
 * while the Namespace terminates; the namespace controller deletes the claim in it once the
 * pvc-protection controller has lifted the claim's `kubernetes.io/pvc-protection` finalizer, as it
 * does for a claim no pod uses (both run in the test server's kube-controller-manager).
 */
async function closeAndWait(cluster: Cluster, site: Site, command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const closed = await sh(command, { kubeconfig: site.kubeconfig, cwd: site.at.dir });
  const name = command.split(' ').pop()!;
  if (closed.code === 0) await cluster.kubectl(['wait', '--for=delete', `namespace/${name}`, '--timeout=90s']);
  return { code: closed.code, stdout: closed.stdout, stderr: closed.stderr };
}

/** A first deploy of an output with custom kinds: the apply `npm run plan` prints against an empty previous output. */
async function firstDeployWithPlan(site: Site, env: NodeJS.ProcessEnv): Promise<KubeObject[]> {
  const output = synth(site.at, env);
  own(site, output);
  const empty = path.join(tempDir(), 'empty');
  fs.mkdirSync(empty);
  const planned = plan(empty, site.at.dist);
  const applied = outcomes(await shOk(planned.apply!, { kubeconfig: site.kubeconfig, cwd: site.at.dir }));
  expect(applied.created).toEqual(output.map(kubectlName).sort());
  return output;
}

/** move(), for a preview that leaves the output: the plan warns with its close command, and its objects stay until it is closed. */
async function moveWithout(cluster: Cluster, site: Site, env: NodeJS.ProcessEnv, leaving: string, beside: readonly KubeObject[]): Promise<Moved> {
  const to = synth(site.at, env);
  const planned = plan(site.at.previous, site.at.dist);
  const close = planned.out.filter((l) => l.startsWith('! close '));
  expect(close).toEqual([expect.stringMatching(new RegExp(`^! close Namespace/${leaving}: .*\`npm run close-preview -- ${leaving}\`$`))]);
  const others = await othersOf(cluster, site);
  const applied = outcomes(await shOk(previewsApply(), { kubeconfig: site.kubeconfig, cwd: site.at.dir, env: { PREVIEWS: env.PREVIEWS } }));
  const live = await appObjects(cluster, site, [to, beside]);
  // The leaving preview's objects are all still there, beside the new output's and the main environment's.
  const from = readOutput(site.at.previous);
  expect([...live.keys()].sort()).toEqual([...to, ...beside, ...from.filter((o) => (o.metadata.namespace ?? o.metadata.name) === leaving)].map((o) => idOf(o, site.ns)).sort());
  expect(await othersOf(cluster, site)).toEqual(others);
  const words = (word: string) => (applied[word] ?? []).sort();
  return { from, to, created: words('created'), configured: words('configured'), pruned: words('pruned'), command: previewsApply(), close: close[0].match(/`([^`]+)`$/)![1] };
}
