import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clusterSupport, describeWithCluster, supervisorScript } from '.';
import { isAlive } from './control-plane';

const pod = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36' }], ...extra },
});

describeWithCluster('the test control plane', (cluster) => {
  it('is a real kube-apiserver of Kubernetes 1.34 that kubectl reaches', async () => {
    expect(cluster().info.version).toMatch(/^v1\.34\./);
    const version = JSON.parse(await cluster().kubectlOk(['get', '--raw', '/version']));
    expect(version.gitVersion).toBe(cluster().info.version);
  });

  it('runs ServiceAccount admission: a Pod gets its namespace\'s default account, and an unknown account is refused', async () => {
    const ns = await cluster().namespace('sa');
    const created = JSON.parse(await cluster().kubectlOk(['create', '-n', ns, '--dry-run=server', '-o', 'json', '-f', '-'], { input: pod('p') }));
    expect(created.spec.serviceAccountName).toBe('default');
    const refused = await cluster().kubectl(['create', '-n', ns, '--dry-run=server', '-f', '-'], { input: pod('q', { serviceAccountName: 'nobody' }) });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('serviceaccount "nobody" not found');
  });

  it('authorizes with RBAC: a ServiceAccount without a binding may not read Secrets, the admin may', async () => {
    const ns = await cluster().namespace('rbac');
    const as = `system:serviceaccount:${ns}:default`;
    expect((await cluster().kubectl(['auth', 'can-i', 'list', 'secrets', '-n', ns], { as })).stdout.trim()).toBe('no');
    expect((await cluster().kubectl(['auth', 'can-i', 'list', 'secrets', '-n', ns])).stdout.trim()).toBe('yes');
    const forbidden = await cluster().kubectl(['get', 'secrets', '-n', ns], { as });
    expect(forbidden.stderr).toContain('Forbidden');
  });

  it('enforces PodSecurity by namespace label', async () => {
    const ns = await cluster().namespace('pss', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    const refused = await cluster().kubectl(['create', '-n', ns, '--dry-run=server', '-f', '-'], { input: pod('p') });
    expect(refused.stderr).toContain('violates PodSecurity "restricted:latest"');
  });

  it('finishes a namespace\'s deletion where kube-controller-manager runs (the namespace controller)', async () => {
    if (!cluster().hasControllerManager('that a deleted namespace goes away')) return;
    const ns = await cluster().namespace('gone');
    await cluster().kubectlOk(['create', 'configmap', 'c', '-n', ns]);
    await cluster().kubectlOk(['delete', 'namespace', ns, '--wait=true', '--timeout=60s']);
    expect((await cluster().request('GET', `/api/v1/namespaces/${ns}`)).status).toBe(404);
  });
});

describeWithCluster('a control plane whose test run was killed', () => {
  it('stops its processes and removes its folders when the watched process is gone', async () => {
    const found = clusterSupport();
    if (!found.ok) throw new Error(found.why);
    const run = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-envtest-killed-'));
    try {
      // A stand-in for jest's main process, killed as Ctrl-C would end a run.
      const parent = spawn('sleep', ['300'], { stdio: 'ignore' });
      const worker = path.join(run, 'worker-x');
      fs.mkdirSync(worker);
      const supervisor = spawn(process.execPath, [supervisorScript(run), worker, found.assets, String(parent.pid)], { stdio: 'ignore' });
      const deadline = Date.now() + 90000;
      while (!fs.existsSync(path.join(worker, 'ready.json'))) {
        if (fs.existsSync(path.join(worker, 'failed.txt')) || Date.now() > deadline) throw new Error(fs.readFileSync(path.join(worker, 'failed.txt'), 'utf8'));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const pids = JSON.parse(fs.readFileSync(path.join(worker, 'ready.json'), 'utf8')).pids as number[];
      expect(pids.length).toBeGreaterThanOrEqual(2);
      const exited = new Promise((resolve) => supervisor.once('exit', resolve));
      parent.kill('SIGKILL');
      await exited;
      const running = pids.filter(isAlive);
      expect(running).toEqual([]);
      // The run's teardown will never come: the supervisor removes the worker's folder and, being the last, the run's.
      expect(fs.existsSync(run)).toBe(false);
    } finally {
      fs.rmSync(run, { recursive: true, force: true });
    }
  });
});
