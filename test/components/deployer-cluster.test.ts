/**
 * The deployer on a real API server: an admin applies the output once (the README's "Applying it,
 * once, as an admin"), then every command the README gives CI runs as the deployer's
 * ServiceAccount, impersonated (`as:` in the kubeconfig, which is `kubectl --as` for every
 * command, including those `npm run plan`, `npm run open-preview` and `npm run close-preview` run), and once with a token
 * of it in the kubeconfig the README's "A token for CI" builds: the RBAC authorizer and its
 * escalation check judge each request, nothing is modelled.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DEPLOYER_NAME } from '../../lib/components/deployer';
import { BUILTIN_RESOURCE_TYPES, RESOURCE_TYPES, ResourceType } from '../../lib/components/resource-types';
import { diffArgs } from '../../lib/plan/kubectl';
import { buildApp, BuildOptions } from '../../lib/program/app';
import { run as closePreview } from '../../lib/program/close-preview-command';
import { readConfig } from '../../lib/program/config';
import { applyCommand, NAMESPACE_MARK, planApplyCommand, pruneScope, scopeOfObjects } from '../../lib/program/ownership';
import { run as plan } from '../../lib/program/plan-command';
import { synthesize } from '../../lib/program/synth';
import { loadManifests } from '../../lib/validate/load';
import { KubeObject } from '../../lib/validate/problem';
import { SHA, tempDir } from '../helpers';
import { captureOutput } from '../support/cli';
import { Cluster, describeWithCluster, describeWithCrds, run, Run } from '../support/envtest';
import { npmShim } from '../support/npm-shim';
import { OwnComponentScratch, writeOwnComponentScratch } from '../support/own-component-recipe';

const README_TEXT = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const HTTPS = { HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', TLS: 'letsencrypt-staging' };
/** The cluster-scoped objects the outputs here can hold besides Namespaces, removed after each test: the worker's server outlives this file. */
const ISSUER = 'clusterissuer.cert-manager.io/letsencrypt-staging';

/** `DEPLOYER=ci npm run synth` (with env) in a folder of the test's: its `dist/` and the objects written. */
function synth(work: string, env: NodeJS.ProcessEnv, options: BuildOptions = {}): KubeObject[] {
  const config = readConfig({ GIT_SHA: SHA, DEPLOYER: 'ci', ...env }, () => undefined);
  const outdir = path.join(work, 'dist');
  synthesize(buildApp(config, options), { outdir });
  return loadManifests([outdir]).map((item) => item.object);
}

/** The deployer's ServiceAccount of a namespace, as the API server names its user. */
const deployerUser = (namespace: string) => `system:serviceaccount:${namespace}:${DEPLOYER_NAME}`;

/**
 * A kubeconfig as the README builds CI's (context namespace set), whose every request
 * impersonates the deployer of `account`: kubeconfig's `as` is what `kubectl --as` sets.
 */
function deployerKubeconfig(cluster: Cluster, namespace: string, account: string): string {
  const admin = fs.readFileSync(cluster.kubeconfigFor(namespace), 'utf8');
  const file = path.join(tempDir(), 'deployer.kubeconfig');
  fs.writeFileSync(file, admin.replace('- name: admin\n  user:\n', `- name: admin\n  user:\n    as: ${deployerUser(account)}\n`), { mode: 0o600 });
  expect(fs.readFileSync(file, 'utf8')).toContain(`as: ${deployerUser(account)}`);
  return file;
}

/** A command line as the README writes it, through sh, in the project folder `work` (`npm run open-preview` as test/support/npm-shim.ts runs it). */
function sh(command: string, work: string, kubeconfig: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return run('sh', ['-c', command], { cwd: work, env: { ...process.env, ...env, KUBECONFIG: kubeconfig, PATH: `${npmShim()}:${process.env.PATH}` }, timeoutMs: 90000 });
}

/** What `npm run open-preview` prints on stderr for each preview Namespace: created now, or found carrying this app's mark. */
const openedLine = (name: string, created: boolean) => new RegExp(`^namespace ${name}: ${created ? 'created for the preview' : 'this app\'s preview'} \\(${NAMESPACE_MARK}=[0-9a-f-]{36}\\)$`);

/** The README's admin step for previews, `npm run open-preview -- dist && kubectl apply -f dist`, in `work`: it must succeed, having created each preview's Namespace. */
async function adminOpensAndApplies(cluster: Cluster, work: string, names: readonly string[]): Promise<void> {
  const applied = await sh('npm run open-preview -- dist && kubectl apply -f dist', work, cluster.info.kubeconfig);
  expect({ code: applied.code, stderr: applied.stderr.trim().split('\n') }).toEqual({ code: 0, stderr: names.map((name) => expect.stringMatching(openedLine(name, true))) });
}

/** `npm run plan -- ARGS` in process, with kubectl's environment. */
function planWith(args: string[], kubeconfig?: string) {
  return captureOutput(() => plan(args, kubeconfig ? { env: { ...process.env, KUBECONFIG: kubeconfig } } : {}));
}

/** kubectl's verdict of a request it was refused: the API server's "forbidden" and no success. */
function expectForbidden(result: Run, what: string): void {
  expect({ what, code: result.code, stderr: result.stderr }).toEqual({ what, code: 1, stderr: expect.stringMatching(/forbidden/i) });
}

/** The objects `kubectl apply --prune` says it deleted, as `kind/name` (kubectl prints `kind.group/name pruned`). */
function prunedBy(applied: Run): string[] {
  return applied.stdout.split('\n').filter((line) => line.endsWith(' pruned')).map((line) => {
    const [resource, name] = line.slice(0, -' pruned'.length).split('/');
    return `${resource.split('.')[0]}/${name}`;
  }).sort();
}

/** The plan's removals, as `kind/name` in kubectl's lowercase kinds. */
function removalsOf(lines: readonly string[]): string[] {
  return lines.filter((line) => line.startsWith('- ')).map((line) => {
    const [kind, rest] = line.slice(2).split('/');
    return `${kind.toLowerCase()}/${rest.split(' ')[0]}`;
  }).sort();
}

describeWithCluster('the deployer on a real API server (its ServiceAccount impersonated, or its token in the README\'s CI kubeconfig) runs the README\'s deploy commands', (cluster) => describeWithCrds('with the Gateway API and cert-manager CRDs its settings need', ['gateway-api-v1.6.1', 'cert-manager-v1.21.1'], (crds) => {
  beforeAll(async () => {
    for (const folder of Object.values(crds)) await cluster().installCrds(folder);
  }, 120000);

  test('its table of kinds (lib/components/resource-types.ts) is the server\'s discovery: each entry served as written, each kind an output can hold listed', async () => {
    const get = async (url: string) => {
      const response = await cluster().request('GET', url);
      expect({ url, status: response.status }).toEqual({ url, status: 200 });
      return JSON.parse(response.body);
    };
    const crdList = (await get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).items as { spec: { group: string; scope: string; names: { kind: string; plural: string } } }[];
    const crdGroups = new Set(crdList.map((crd) => crd.spec.group));
    // Every version of every group: a kind served by one version only is still one an output can hold.
    const versions: { group: string; url: string }[] = [{ group: '', url: '/api/v1' }];
    for (const group of (await get('/apis')).groups as { name: string; versions: { groupVersion: string }[] }[]) {
      if (crdGroups.has(group.name)) continue;
      for (const version of group.versions) versions.push({ group: group.name, url: `/apis/${version.groupVersion}` });
    }
    const served: Record<string, ResourceType> = {};
    for (const { group, url } of versions) {
      for (const resource of (await get(url)).resources as { name: string; kind: string; namespaced: boolean; verbs: string[] }[]) {
        // What kubectl apply and its prune do to an object of the kind: create, get, patch, list, delete. Subresources (pods/log) are no kind of their own.
        if (resource.name.includes('/') || !['create', 'get', 'patch', 'list', 'delete'].every((verb) => resource.verbs.includes(verb))) continue;
        served[`${group}/${resource.kind}`] = { group, resource: resource.name, clusterScoped: !resource.namespaced };
      }
    }
    expect(Object.keys(served)).toContain('batch/CronJob');
    expect(BUILTIN_RESOURCE_TYPES).toEqual(served);
    // The kinds of the CRDs the settings use, as the installed CRDs name them.
    const fromCrds = Object.fromEntries(crdList.map((crd) => [`${crd.spec.group}/${crd.spec.names.kind}`, { group: crd.spec.group, resource: crd.spec.names.plural, clusterScoped: crd.spec.scope === 'Cluster' }]));
    const custom = Object.entries(RESOURCE_TYPES).filter(([key]) => !(key in BUILTIN_RESOURCE_TYPES));
    expect(custom.length).toBeGreaterThan(0);
    for (const [key, type] of custom) expect({ key, type: fromCrds[key] }).toEqual({ key, type });
  });

  describe('a CronJob of your own (README "Your own components"), the README\'s code', () => {
    let scratch: OwnComponentScratch;
    beforeAll(() => {
      scratch = writeOwnComponentScratch('deployer');
    });
    afterAll(() => scratch.remove());

    test('once applied by an admin, the deployer\'s apply with prune (listing CronJobs), diff with prune and plan --cluster succeed; the output without it: the plan lists its removal, and the printed apply prunes it', async () => {
      const ns = await cluster().namespace('own');
      const work = tempDir();
      const objects = synth(work, {}, scratch.options());
      expect(objects.filter((o) => o.kind === 'CronJob').map((o) => o.metadata.name)).toEqual(['values-count']);
      await cluster().kubectlOk(['apply', '-n', ns, '-f', 'dist'], { cwd: work });
      const kubeconfig = deployerKubeconfig(cluster(), ns, ns);
      const line = applyCommand(scopeOfObjects(objects), 'dist', [objects]);
      expect(line).toContain(' --prune-allowlist=batch/v1/CronJob ');
      await expectDeployerCommandsSucceed(work, objects, kubeconfig, line);
      // Its Jobs are the CronJob controller's to create: the deployer cannot.
      expectForbidden(await cluster().kubectl(['-n', ns, 'create', 'job', 'by-hand', '--from=cronjob/values-count'], { kubeconfig }), 'create a Job');

      // Taken out of main.ts: a kind lost is the admin's to apply (the new Role no longer lists CronJobs).
      const without = tempDir();
      synth(without, {});
      const planned = planWith([path.join(work, 'dist'), path.join(without, 'dist')]);
      const removals = removalsOf(planned.out);
      expect(removals).toEqual(expect.arrayContaining(['cronjob/values-count', 'serviceaccount/multi-k8s-values-count']));
      const printed = planned.err.find((l) => l.startsWith('apply with: '))!.slice('apply with: '.length);
      expect(printed).toContain(' --prune-allowlist=batch/v1/CronJob ');
      const applied = await sh(printed, without, cluster().kubeconfigFor(ns));
      expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
      expect(prunedBy(applied)).toEqual(removals);
      expect(await cluster().kubectlOk(['-n', ns, 'get', 'cronjobs', '-o', 'name'])).toBe('');
    });
  });

  /** Removes what an output leaves outside namespaces: the deployer's ClusterRole and binding (the README's admin step), the ClusterIssuer. */
  async function removeClusterScoped(account: string): Promise<void> {
    await cluster().kubectlOk(['delete', '--ignore-not-found', `clusterrolebinding/${DEPLOYER_NAME}-${account}`, `clusterrole/${DEPLOYER_NAME}-${account}`]);
    await cluster().kubectlOk(['delete', '--ignore-not-found', ISSUER]);
  }

  /** Requests outside the deployer's job, each refused by the API server. */
  async function expectOutsideItsJob(kubeconfig: string, own: string): Promise<void> {
    const other = await cluster().namespace('other');
    await cluster().kubectlOk(['-n', own, 'create', 'secret', 'generic', 'pgpassword', '--from-literal', 'PGPASSWORD=not-for-ci']);
    await cluster().kubectlOk(['-n', other, 'create', 'configmap', 'theirs', '--from-literal', 'k=v']);
    const as = { kubeconfig };
    const attempts: [string, string[]][] = [
      ['read the pgpassword Secret', ['-n', own, 'get', 'secret', 'pgpassword', '-o', 'yaml']],
      ['list the Secrets', ['-n', own, 'get', 'secrets']],
      ['mint its own token', ['-n', own, 'create', 'token', DEPLOYER_NAME]],
      ['read another namespace', ['-n', other, 'get', 'configmap', 'theirs']],
      ['create in another namespace', ['-n', other, 'create', 'deployment', 'intruder', '--image=nginx']],
      ['delete in another namespace', ['-n', other, 'delete', 'configmap', 'theirs']],
      ['delete a Namespace it did not create', ['delete', 'namespace', other]],
      ['create a Namespace', ['create', 'namespace', `made-by-ci-${randomBytes(3).toString('hex')}`]],
      ['grant itself more', ['-n', own, 'create', 'rolebinding', 'wider', '--clusterrole=admin', `--serviceaccount=${own}:${DEPLOYER_NAME}`]],
    ];
    // Independent requests: asked at once.
    const results = await Promise.all(attempts.map(([, args]) => cluster().kubectl(args, as)));
    attempts.forEach(([what], i) => expectForbidden(results[i], what));
    // Still there, unchanged, for the admin.
    expect(await cluster().kubectlOk(['-n', other, 'get', 'configmap', 'theirs', '-o', 'jsonpath={.data.k}'])).toBe('v');
  }

  /** The deployer's apply with prune, `kubectl diff --prune` and `npm run plan -- --cluster` of an applied output: each succeeds, and finds nothing to change. */
  async function expectDeployerCommandsSucceed(work: string, objects: KubeObject[], kubeconfig: string, applyLine: string, env: NodeJS.ProcessEnv = {}, stderr: unknown = ''): Promise<void> {
    const applied = await sh(applyLine, work, kubeconfig, env);
    expect({ command: 'apply with prune', code: applied.code, stderr: applied.stderr.trim() }).toEqual({ command: 'apply with prune', code: 0, stderr });
    expect(prunedBy(applied)).toEqual([]);
    const diff = await cluster().kubectl(diffArgs('dist', pruneScope(scopeOfObjects(objects), [objects])), { kubeconfig, cwd: work });
    expect({ command: 'diff with prune', code: diff.code, stderr: diff.stderr, stdout: diff.stdout }).toEqual({ command: 'diff with prune', code: 0, stderr: '', stdout: '' });
    const planned = planWith(['--cluster', path.join(work, 'dist')], kubeconfig);
    expect({ command: 'plan --cluster', ...planned }).toEqual({ command: 'plan --cluster', code: 0, out: [], err: ['plan: no differences'] });
  }

  describe('the main environment: once applied by an admin, CI deploys as the deployer', () => {
    // Requests outside its job are tried where its grants differ in kind: a Role only (prod), a
    // ClusterRole too (Let's Encrypt; previews below). Routing changes only the Role's app kinds.
    test.each([
      ['prod', true, {}],
      ['dev', false, { ENVIRONMENT: 'dev' }],
      ['prod through a Gateway of its own', false, { ROUTING: 'gateway' }],
      ['prod through a shared Gateway', false, { ROUTING: 'gateway', GATEWAY: 'infra/shared' }],
      ['prod with Let\'s Encrypt', true, HTTPS],
      ['dev with Let\'s Encrypt through a Gateway', false, { ENVIRONMENT: 'dev', ROUTING: 'gateway', ...HTTPS }],
    ])('%s: the README\'s apply with prune, diff with prune and plan --cluster succeed (requests outside its job tried: %s)', async (_name, outside, settings) => {
      const ns = await cluster().namespace('deploy');
      try {
        const work = tempDir();
        const env: NodeJS.ProcessEnv = { ...settings, ...('HOSTS' in settings ? { DEPLOYER_NAMESPACE: ns } : {}) };
        const objects = synth(work, env);
        // The README: `DEPLOYER=ci npm run synth && kubectl apply -n multi-k8s -f dist`, as an admin.
        await cluster().kubectlOk(['apply', '-n', ns, '-f', 'dist'], { cwd: work });
        const kubeconfig = deployerKubeconfig(cluster(), ns, ns);
        const line = applyCommand(scopeOfObjects(objects), 'dist', [objects]);
        if (!('ROUTING' in settings || 'HOSTS' in settings)) {
          // Without custom kinds, the printed apply is the README's own (held to it by test/program/ownership.test.ts).
          expect(line).toBe(applyCommand({ kind: 'environment' }));
        }
        await expectDeployerCommandsSucceed(work, objects, kubeconfig, line);
        if (outside) await expectOutsideItsJob(kubeconfig, ns);
        if ('HOSTS' in settings) {
          // The ClusterIssuer is shared by the cluster's apps: re-applied, never deleted by CI.
          expectForbidden(await cluster().kubectl(['delete', ISSUER], { kubeconfig }), 'delete the ClusterIssuer');
          expectForbidden(await cluster().kubectl(['get', 'clusterissuer.cert-manager.io/letsencrypt-prod'], { kubeconfig }), 'read another ClusterIssuer');
        }
      } finally {
        await removeClusterScoped(ns);
      }
    });

    test('prod, as CI runs it: the README\'s kubeconfig from a token of the ServiceAccount (no impersonation) deploys, and reads no Secret', async () => {
      const ns = await cluster().namespace('token');
      const work = tempDir();
      const objects = synth(work, {});
      await cluster().kubectlOk(['apply', '-n', ns, '-f', 'dist'], { cwd: work });
      await cluster().kubectlOk(['-n', ns, 'create', 'secret', 'generic', 'pgpassword', '--from-literal', 'PGPASSWORD=not-for-ci']);
      // The README's "A token for CI" lines, for this server and namespace, run by the admin.
      const recipe = README_TEXT.split('\n').filter((line) => line.startsWith('kubectl config ')).map((line) => line
        .replace('https://<api-server>', cluster().info.url).replace('--certificate-authority=ca.crt', `--certificate-authority=${cluster().info.caFile}`)
        .replace(/-n multi-k8s /g, `-n ${ns} `).replace('--namespace=multi-k8s', `--namespace=${ns}`));
      expect(recipe.map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual(['kubectl config set-cluster', 'kubectl config set-credentials', 'kubectl config set-context', 'kubectl config use-context']);
      for (const line of recipe) {
        const result = await sh(line, work, cluster().info.kubeconfig);
        expect({ line, code: result.code, stderr: result.stderr }).toEqual({ line, code: 0, stderr: '' });
      }
      const kubeconfig = path.join(work, 'ci.kubeconfig');
      expect(fs.readFileSync(kubeconfig, 'utf8')).not.toMatch(/client-certificate|as:/);
      expect(await cluster().kubectlOk(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { kubeconfig })).toBe(deployerUser(ns));
      await expectDeployerCommandsSucceed(work, objects, kubeconfig, applyCommand({ kind: 'environment' }));
      expectForbidden(await cluster().kubectl(['get', 'secret', 'pgpassword', '-o', 'yaml'], { kubeconfig }), 'read the pgpassword Secret');
    });

    test('prod to dev, deployed by the deployer: the plan\'s removals are exactly what the printed apply prunes (prod\'s autoscalers and budgets)', async () => {
      const ns = await cluster().namespace('switch');
      const prod = tempDir();
      const dev = tempDir();
      synth(prod, {});
      synth(dev, { ENVIRONMENT: 'dev' });
      await cluster().kubectlOk(['apply', '-n', ns, '-f', 'dist'], { cwd: prod });
      const kubeconfig = deployerKubeconfig(cluster(), ns, ns);
      const planned = planWith([path.join(prod, 'dist'), path.join(dev, 'dist')]);
      expect(planned.code).toBe(1);
      const removals = removalsOf(planned.out);
      expect(removals.length).toBeGreaterThan(0);
      const line = planned.err.find((l) => l.startsWith('apply with: '))!.slice('apply with: '.length);
      const applied = await sh(line, dev, kubeconfig);
      expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
      expect(prunedBy(applied)).toEqual(removals);
      expect(await cluster().kubectlOk(['-n', ns, 'get', 'hpa,pdb', '-o', 'name'])).toBe('');
      // And dev, as it now is, is the deployer's to keep deploying.
      const objects = loadManifests([path.join(dev, 'dist')]).map((item) => item.object);
      await expectDeployerCommandsSucceed(dev, objects, kubeconfig, applyCommand({ kind: 'environment' }));
    });
  });

  test('dev to prod gains a kind: the deployer\'s apply is refused by the escalation check, not widened; the admin\'s goes through', async () => {
    const ns = await cluster().namespace('gain');
    const dev = tempDir();
    const prod = tempDir();
    synth(dev, { ENVIRONMENT: 'dev' });
    const objects = synth(prod, {});
    await cluster().kubectlOk(['apply', '-n', ns, '-f', 'dist'], { cwd: dev });
    const kubeconfig = deployerKubeconfig(cluster(), ns, ns);
    const refused = await sh(applyCommand(scopeOfObjects(objects), 'dist', [objects]), prod, kubeconfig);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/attempting to grant RBAC permissions not currently held/);
    expect(await cluster().kubectlOk(['-n', ns, 'get', 'role', DEPLOYER_NAME, '-o', 'jsonpath={.rules[?(@.resources[0]=="horizontalpodautoscalers")].verbs}'])).toBe('["list","delete"]');
    await cluster().kubectlOk(['apply', '-n', ns, '-f', 'dist'], { cwd: prod });
    await expectDeployerCommandsSucceed(prod, objects, kubeconfig, applyCommand({ kind: 'environment' }));
  });

  describe('previews: set up by an admin, then deployed and closed by their own deployer', () => {
    test.each([
      ['a preview', true, {}],
      ['a preview through a Gateway', false, { ROUTING: 'gateway' }],
      ['a preview with the operator\'s wildcard certificate', false, { PREVIEW_TLS_SECRET: 'wildcard' }],
    ])('%s: the README\'s preview apply, diff with prune and plan --cluster succeed; close-preview closes it, and no other preview (requests outside its job tried: %s)', async (_name, outside, settings) => {
      // The closed Namespace finishes deleting only by the namespace and pvc-protection controllers' work.
      if (!cluster().hasControllerManager('a preview\'s deployer closing it')) return;
      const name = `pv-${randomBytes(4).toString('hex')}`;
      cluster().deleteAfterwards(name);
      try {
        const work = tempDir();
        const objects = synth(work, { PREVIEWS: name, ...settings });
        await adminOpensAndApplies(cluster(), work, [name]);
        const kubeconfig = deployerKubeconfig(cluster(), name, name);
        // The README's command, with $PREVIEWS for the shell to expand: open-preview (as the deployer,
        // a read of its own Namespace by name) finds it marked, then the apply.
        const line = planApplyCommand({ kind: 'previews', names: ['$PREVIEWS'] });
        expect(line).toBe(`npm run open-preview -- dist && ${applyCommand({ kind: 'previews', names: ['$PREVIEWS'] })}`);
        await expectDeployerCommandsSucceed(work, objects, kubeconfig, line, { PREVIEWS: name }, expect.stringMatching(openedLine(name, false)));
        if (outside) await expectOutsideItsJob(kubeconfig, name);

        // Another preview's Namespace, made by this app (the admin's open-preview: it carries the mark).
        // Its deployer may not even read it: close-preview stops at the read (exit 2), deleting nothing.
        const other = `pv-${randomBytes(4).toString('hex')}`;
        cluster().deleteAfterwards(other);
        const otherWork = tempDir();
        synth(otherWork, { PREVIEWS: other });
        const opened = await sh('npm run open-preview -- dist', otherWork, cluster().info.kubeconfig);
        expect({ code: opened.code, stderr: opened.stderr.trim() }).toEqual({ code: 0, stderr: expect.stringMatching(openedLine(other, true)) });
        const refused = captureOutput(() => closePreview([other], { env: { ...process.env, KUBECONFIG: kubeconfig } }));
        expect(refused).toEqual({ code: 2, out: [], err: [expect.stringMatching(new RegExp(`^error: kubectl get namespace ${other} failed: .*namespaces "${other}" is forbidden`))] });
        const kept = JSON.parse((await cluster().request('GET', `/api/v1/namespaces/${other}`)).body);
        expect({ phase: kept.status?.phase, deleting: kept.metadata?.deletionTimestamp }).toEqual({ phase: 'Active', deleting: undefined });

        // Its own: `npm run close-preview -- NAME`, as the deployer: read by name, compared, deleted with preconditions.
        const uid = await cluster().kubectlOk(['get', 'namespace', name, '-o', 'jsonpath={.metadata.uid}']);
        const closed = captureOutput(() => closePreview([name], { env: { ...process.env, KUBECONFIG: kubeconfig } }));
        expect(closed).toEqual({ code: 0, out: [`namespace "${name}" deleted`], err: [`deleting namespace ${name} (uid ${uid}) and everything in it`] });
        const gone = JSON.parse((await cluster().request('GET', `/api/v1/namespaces/${name}`)).body || '{}');
        expect(gone.status?.phase === 'Terminating' || gone.code === 404).toBe(true);
      } finally {
        await removeClusterScoped(name);
      }
    });
  });

  describe('the plan\'s removals are what the printed apply deletes, when the scope changes', () => {
    test('the main environment to previews: the plan lists no removal, and the previews\' apply prunes nothing of the main environment', async () => {
      const ns = await cluster().namespace('scope');
      const name = `pv-${randomBytes(4).toString('hex')}`;
      cluster().deleteAfterwards(name);
      const main = tempDir();
      const previews = tempDir();
      const mainObjects = synth(main, {});
      synth(previews, { PREVIEWS: name });
      const admin = cluster().kubeconfigFor(ns);
      await sh(applyCommand({ kind: 'environment' }), main, admin).then((r) => expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' }));
      const before = (await cluster().kubectlOk(['-n', ns, 'get', 'deploy,svc,pvc,sa,netpol,ingress,hpa,pdb', '-l', 'app.kubernetes.io/part-of=multi-k8s', '-o', 'name'])).split('\n').filter(Boolean).sort();
      const planned = planWith([path.join(main, 'dist'), path.join(previews, 'dist')]);
      expect(removalsOf(planned.out)).toEqual([]);
      expect(planned.out.filter((line) => line.startsWith('! data'))).toEqual([]);
      const line = planned.err.find((l) => l.startsWith('apply with: '))!.slice('apply with: '.length);
      expect(line).toMatch(/^npm run open-preview -- \S+ && kubectl apply /);
      const applied = await sh(line, previews, admin);
      expect({ code: applied.code, stderr: applied.stderr.trim() }).toEqual({ code: 0, stderr: expect.stringMatching(openedLine(name, true)) });
      expect(prunedBy(applied)).toEqual([]);
      const after = (await cluster().kubectlOk(['-n', ns, 'get', 'deploy,svc,pvc,sa,netpol,ingress,hpa,pdb', '-l', 'app.kubernetes.io/part-of=multi-k8s', '-o', 'name'])).split('\n').filter(Boolean).sort();
      expect(after).toEqual(before);
      expect(before.length).toBeGreaterThan(0);
      expect(planned.err[0]).toMatch(new RegExp(`; ${mainObjects.length} object\\(s\\) of the old output left as they are \\(outside the apply's scope\\)$`));
      await removeClusterScoped(name);
    });

    test('Let\'s Encrypt and the Gateway turned off: the plan\'s removals (custom kinds, a ClusterIssuer among them) are exactly what the printed apply prunes', async () => {
      const ns = await cluster().namespace('off');
      const on = tempDir();
      const off = tempDir();
      // An admin's deploy (no deployer: a kind gained or lost is the admin's to apply).
      synth(on, { DEPLOYER: undefined, ROUTING: 'gateway', ...HTTPS });
      synth(off, { DEPLOYER: undefined });
      const admin = cluster().kubeconfigFor(ns);
      try {
        await cluster().kubectlOk(['apply', '-f', 'dist'], { cwd: on, kubeconfig: admin });
        const planned = planWith([path.join(on, 'dist'), path.join(off, 'dist')]);
        const removals = removalsOf(planned.out);
        expect(removals).toEqual(expect.arrayContaining(['clusterissuer/letsencrypt-staging', 'gateway/multi-k8s', 'httproute/multi-k8s']));
        const line = planned.err.find((l) => l.startsWith('apply with: '))!.slice('apply with: '.length);
        const applied = await sh(line, off, admin);
        expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
        expect(prunedBy(applied)).toEqual(removals);
      } finally {
        await cluster().kubectlOk(['delete', '--ignore-not-found', ISSUER]);
      }
    });

    test('a preview dropped from PREVIEWS: the plan lists no removal but its close, and the apply prunes nothing of it', async () => {
      const [a, b] = [`pv-${randomBytes(4).toString('hex')}`, `pv-${randomBytes(4).toString('hex')}`];
      cluster().deleteAfterwards(a);
      cluster().deleteAfterwards(b);
      const both = tempDir();
      const one = tempDir();
      synth(both, { PREVIEWS: `${a},${b}` });
      synth(one, { PREVIEWS: a });
      const admin = cluster().kubeconfigFor('default');
      // The README's previews apply, as printed: open-preview first.
      const readmeApply = planApplyCommand({ kind: 'previews', names: ['$PREVIEWS'] });
      await sh(readmeApply, both, admin, { PREVIEWS: `${a},${b}` }).then((r) => expect({ code: r.code, stderr: r.stderr.trim().split('\n') })
        .toEqual({ code: 0, stderr: [a, b].sort().map((n) => expect.stringMatching(openedLine(n, true))) }));
      const planned = planWith([path.join(both, 'dist'), path.join(one, 'dist')]);
      expect(removalsOf(planned.out)).toEqual([]);
      expect(planned.out).toEqual([expect.stringMatching(new RegExp(`^! close Namespace/${b}: .*\`npm run close-preview -- ${b}\`$`))]);
      const applied = await sh(readmeApply, one, admin, { PREVIEWS: a });
      expect({ code: applied.code, stderr: applied.stderr.trim() }).toEqual({ code: 0, stderr: expect.stringMatching(openedLine(a, false)) });
      expect(prunedBy(applied)).toEqual([]);
      expect(await cluster().kubectlOk(['-n', b, 'get', 'deploy', '-o', 'name'])).toContain('deployment.apps/server-deployment');
      for (const account of [a, b]) await removeClusterScoped(account);
    });
  });
}));
