import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { buildApp } from '../../lib/program/app';
import { readConfig } from '../../lib/program/config';
import { closePreviewCommand, NAMESPACE_MARK, planApplyCommand, scopeOfObjects } from '../../lib/program/ownership';
import { renderCharts } from '../../lib/program/synth';
import { SHA, tempDir } from '../helpers';
import { describeWithCluster, Run, run } from '../support/envtest';
import { npmShim } from '../support/npm-shim';

// A preview named after a namespace that exists (cert-manager's here, forced past the name check
// of lib/program/config.ts, which refuses it) on the real API server: every preview command, as
// printed or as the README runs it, leaves that namespace and what is in it as they were. And a
// preview of a fresh name goes through the same commands: opened, applied, re-applied, closed.

const ROOT = path.resolve(__dirname, '../..');

/** Writes the preview output of `names` as `npm run synth` lays it out (one file per preview), the name check skipped. */
function previewOutput(names: string[], env: NodeJS.ProcessEnv = {}): string {
  const dir = tempDir();
  const config = { ...readConfig({ GIT_SHA: SHA, PREVIEWS: 'placeholder', ...env }, () => undefined), previews: names };
  const byFile = new Map<string, unknown[]>();
  for (const item of renderCharts(buildApp(config), dir)) byFile.set(item.file, [...(byFile.get(item.file) ?? []), item.object]);
  for (const [file, objects] of byFile) fs.writeFileSync(file, objects.map((o) => yaml.dump(o)).join('---\n'));
  return dir;
}

function objectsOf(dir: string): Record<string, any>[] {
  return fs.readdirSync(dir).flatMap((file) => yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, any>[]);
}

describeWithCluster('a preview never takes a namespace this app did not create', (cluster) => {
  let bin: string;
  let kubeconfig: string;
  const sh = (command: string): Promise<Run> => run('sh', ['-c', command], {
    cwd: ROOT, timeoutMs: 120000, env: { ...process.env, KUBECONFIG: kubeconfig, PATH: `${bin}:${process.env.PATH}` },
  });
  const namespaceOf = async (name: string) => {
    const answer = await cluster().request('GET', `/api/v1/namespaces/${name}`);
    return answer.status === 200 ? JSON.parse(answer.body) : undefined;
  };

  beforeAll(async () => {
    bin = npmShim();
    const scratch = await cluster().namespace('preview-ns');
    kubeconfig = cluster().kubeconfigFor(scratch);
  });

  test('cert-manager, forced past the name check: its namespace and ConfigMap survive open, the printed apply, plan --cluster and close', async () => {
    expect(() => readConfig({ GIT_SHA: SHA, PREVIEWS: 'cert-manager' }, () => undefined)).toThrow(/PREVIEWS has "cert-manager", the namespace of a tool the README uses/);
    const created = await cluster().request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cert-manager' } });
    expect(created.status).toBe(201);
    cluster().deleteAfterwards('cert-manager');
    const keep = await cluster().request('POST', '/api/v1/namespaces/cert-manager/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep' }, data: { a: 'b' } });
    expect(keep.status).toBe(201);
    const before = await namespaceOf('cert-manager');

    const dir = previewOutput(['cert-manager']);
    const objects = objectsOf(dir);
    const printed = planApplyCommand(scopeOfObjects(objects), dir, [objects]);
    const unchanged = async () => {
      const now = await namespaceOf('cert-manager');
      expect({ labels: now?.metadata.labels, annotations: now?.metadata.annotations, uid: now?.metadata.uid, phase: now?.status.phase })
        .toEqual({ labels: before.metadata.labels, annotations: before.metadata.annotations, uid: before.metadata.uid, phase: 'Active' });
      expect((await cluster().request('GET', '/api/v1/namespaces/cert-manager/configmaps/keep')).status).toBe(200);
    };

    const opened = await sh(`npm run open-preview -- ${dir}`);
    expect(opened.code).toBe(2);
    expect(opened.stderr).toContain(`error: namespace cert-manager exists and this app did not create it (it has no label ${NAMESPACE_MARK})`);
    await unchanged();

    // The apply `npm run plan` prints for previews: opening refuses, so kubectl apply never runs.
    const applied = await sh(printed);
    expect(applied.code).toBe(2);
    expect(applied.stdout).not.toContain('configured');
    await unchanged();

    const planned = await sh(`npm run plan -- --cluster ${dir}`);
    expect([0, 1, 2]).toContain(planned.code);
    await unchanged();

    const closed = await sh('npm run close-preview -- cert-manager');
    expect({ code: closed.code, last: closed.stderr.trim().split('\n').pop() }).toEqual({
      code: 1, last: `error: namespace cert-manager was not created by this app (it has no label ${NAMESPACE_MARK}; npm run open-preview sets it when it creates a preview's namespace): nothing was deleted`,
    });
    await unchanged();
    const kubectlClose = await sh(closePreviewCommand('cert-manager'));
    expect(kubectlClose.code).toBe(0);
    await unchanged();

    // Someone runs the bare `kubectl apply` (without opening first): it adopts the namespace, labels
    // and all. Neither close deletes it, and opening still refuses it: the mark is not a label an apply sets.
    const bare = await sh(`kubectl apply -f ${dir}`);
    expect(bare.code).toBe(0);
    const adopted = await namespaceOf('cert-manager');
    expect(adopted.metadata.labels['app.kubernetes.io/instance']).toBe('cert-manager');
    expect(adopted.metadata.labels[NAMESPACE_MARK]).toBeUndefined();
    expect((await sh('npm run close-preview -- cert-manager')).code).toBe(1);
    expect((await sh(closePreviewCommand('cert-manager'))).stdout).not.toContain('deleted');
    expect((await sh(`npm run open-preview -- ${dir}`)).code).toBe(2);
    expect((await namespaceOf('cert-manager'))?.status.phase).toBe('Active');
    expect((await cluster().request('GET', '/api/v1/namespaces/cert-manager/configmaps/keep')).status).toBe(200);
  }, 300000);

  test('a mark copied from another namespace (another uid) is no mark', async () => {
    const name = `copied-${randomBytes(3).toString('hex')}`;
    cluster().deleteAfterwards(name);
    const labels = { 'app.kubernetes.io/part-of': 'multi-k8s', 'app.kubernetes.io/instance': name, [NAMESPACE_MARK]: '6a1f0c52-1111-4222-8333-944455556666' };
    expect((await cluster().request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } })).status).toBe(201);
    const closed = await sh(`npm run close-preview -- ${name}`);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain(`its label ${NAMESPACE_MARK}=6a1f0c52-1111-4222-8333-944455556666 is not its uid`);
    expect((await namespaceOf(name))?.status.phase).toBe('Active');
    expect((await sh(`npm run open-preview -- ${previewOutput([name])}`)).code).toBe(2);
  }, 120000);

  test('the delete carries the uid it checked: the API server refuses it for another uid (409), and the namespace stays', async () => {
    const name = await cluster().namespace('precondition');
    const body = JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: '6a1f0c52-1111-4222-8333-944455556666' } });
    const refused = await cluster().kubectl(['delete', '--raw', `/api/v1/namespaces/${name}`, '-f', '-'], { input: body });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/Precondition failed: UID in precondition/);
    expect((await namespaceOf(name))?.status.phase).toBe('Active');
  });

  test('a fresh preview: opened (created and marked), applied as printed, re-applied, closed', async () => {
    const name = `pv-${randomBytes(3).toString('hex')}`;
    cluster().deleteAfterwards(name);
    const dir = previewOutput([name]);
    const objects = objectsOf(dir);
    const printed = planApplyCommand(scopeOfObjects(objects), dir, [objects]);
    expect(printed.startsWith(`npm run open-preview -- ${dir} && kubectl apply -f ${dir} --prune`)).toBe(true);

    const first = await sh(printed);
    expect({ code: first.code, stderr: first.stderr.split('\n').filter((l) => l.startsWith('namespace') || l.includes('rror')) })
      .toEqual({ code: 0, stderr: [expect.stringMatching(new RegExp(`^namespace ${name}: created for the preview \\(${NAMESPACE_MARK}=[0-9a-f-]{36}\\)$`))] });
    // kubectl's apply found the Namespace with its last-applied annotation (create --save-config): no warning.
    expect(first.stderr).not.toContain('missing the kubectl.kubernetes.io/last-applied-configuration');
    const live = await namespaceOf(name);
    expect(live.metadata.labels[NAMESPACE_MARK]).toBe(live.metadata.uid);
    expect(live.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');

    const again = await sh(printed);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`namespace ${name}: this app's preview (${NAMESPACE_MARK}=${live.metadata.uid})`);
    expect((await namespaceOf(name)).metadata.labels[NAMESPACE_MARK]).toBe(live.metadata.uid);

    const closed = await sh(`npm run close-preview -- ${name}`);
    expect({ code: closed.code, stdout: closed.stdout.trim().split('\n').pop() }).toEqual({ code: 0, stdout: `namespace "${name}" deleted` });
    const after = await namespaceOf(name);
    expect(after === undefined || after.status.phase === 'Terminating').toBe(true);
  }, 300000);

  test('a preview\'s own deployer (DEPLOYER=ci) opens, applies and closes its preview with its rights; another preview of this app it cannot close', async () => {
    const name = `pv-${randomBytes(3).toString('hex')}`;
    cluster().deleteAfterwards(name);
    const dir = previewOutput([name], { DEPLOYER: 'ci' });
    const objects = objectsOf(dir);
    // The admin sets the preview up, as the README says: opened, then applied with its RBAC.
    expect((await sh(planApplyCommand(scopeOfObjects(objects), dir, [objects]))).code).toBe(0);
    const admin = fs.readFileSync(cluster().kubeconfigFor(name), 'utf8');
    const deployer = path.join(tempDir(), 'deployer.kubeconfig');
    fs.writeFileSync(deployer, admin.replace('- name: admin\n  user:\n', `- name: admin\n  user:\n    as: system:serviceaccount:${name}:multi-k8s-deployer\n`), { mode: 0o600 });
    expect(fs.readFileSync(deployer, 'utf8')).toContain(`as: system:serviceaccount:${name}:multi-k8s-deployer`);
    const asDeployer = (command: string) => run('sh', ['-c', command], { cwd: ROOT, timeoutMs: 120000, env: { ...process.env, KUBECONFIG: deployer, PATH: `${bin}:${process.env.PATH}` } });

    const applied = await asDeployer(planApplyCommand(scopeOfObjects(objects), dir, [objects]));
    expect({ code: applied.code, errors: applied.stderr.split('\n').filter((l) => /rror|forbidden/i.test(l)) }).toEqual({ code: 0, errors: [] });
    expect(applied.stderr).toContain(`namespace ${name}: this app's preview`);

    // Another preview of this app: the deployer may not even read its Namespace, so nothing is deleted.
    const other = `pv-${randomBytes(3).toString('hex')}`;
    cluster().deleteAfterwards(other);
    expect((await sh(`npm run open-preview -- ${previewOutput([other])}`)).code).toBe(0);
    const refused = await asDeployer(`npm run close-preview -- ${other}`);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^error: kubectl get namespace ${other} failed: .*forbidden`, 'im'));
    expect((await namespaceOf(other))?.status.phase).toBe('Active');

    const closed = await asDeployer(`npm run close-preview -- ${name}`);
    expect({ code: closed.code, stdout: closed.stdout.trim() }).toEqual({ code: 0, stdout: `namespace "${name}" deleted` });
  }, 300000);

  test('the README\'s kubectl-only close deletes a namespace open-preview made, and only with its mark', async () => {
    const name = `pv-${randomBytes(3).toString('hex')}`;
    cluster().deleteAfterwards(name);
    expect((await sh(`npm run open-preview -- ${previewOutput([name])}`)).code).toBe(0);
    const closed = await sh(closePreviewCommand(name));
    expect({ code: closed.code, stdout: closed.stdout.trim() }).toEqual({ code: 0, stdout: `namespace "${name}" deleted` });
    const after = await namespaceOf(name);
    expect(after === undefined || after.status.phase === 'Terminating').toBe(true);
  }, 120000);
});
