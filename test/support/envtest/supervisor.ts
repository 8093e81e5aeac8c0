/**
 * Runs one control plane for one jest worker, as a process of its own, and owns its clean-up.
 *
 * Started (bundled by esbuild, detached) by the first test file of a worker that needs a cluster;
 * usage: node supervisor.js WORKER_DIR ASSETS WATCH_PID. It writes WORKER_DIR/ready.json (a
 * ControlPlaneInfo) once the server is ready, or WORKER_DIR/failed.txt. It stops everything and
 * removes WORKER_DIR/state when WORKER_DIR/stop appears (jest's global teardown), when WATCH_PID
 * (jest's main process) is gone (a run killed with Ctrl-C or SIGKILL, which skips the teardown),
 * or on SIGTERM/SIGINT: no stray processes or folders, however the run ends.
 */
import * as fs from 'fs';
import * as path from 'path';
import { adminRequest, ControlPlane, ControlPlaneInfo, isAlive, startControlPlane, stopProcesses } from './control-plane';

const [workerDir, assets, watchPidText] = process.argv.slice(2);
const watchPid = Number(watchPidText);
const stateDir = path.join(workerDir, 'state');
let plane: ControlPlane | undefined;
let stopping = false;

function writeAtomically(file: string, text: string): void {
  fs.writeFileSync(`${file}.partial`, text);
  fs.renameSync(`${file}.partial`, file);
}

/**
 * Stops the control plane and removes its state. With `orphaned` (jest's main process is gone, so
 * its global teardown will never run) the worker's folder goes too, and the run's folder with the
 * last worker's.
 */
async function stop(code: number, orphaned = false): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (plane) await stopProcesses(plane.processes, 5000);
    fs.rmSync(stateDir, { recursive: true, force: true });
    if (orphaned) {
      fs.rmSync(workerDir, { recursive: true, force: true });
      const run = path.dirname(workerDir);
      if (!fs.readdirSync(run).some((name) => name.startsWith('worker-'))) fs.rmSync(run, { recursive: true, force: true });
    } else {
      fs.writeFileSync(path.join(workerDir, 'stopped'), '');
    }
  }
  process.exit(code);
}

/**
 * Without kube-controller-manager (setup-envtest's bundles have none), a namespace's `default`
 * ServiceAccount is made here, as its serviceaccount controller does
 * (pkg/controller/serviceaccount/serviceaccounts_controller.go: every namespace not terminating
 * gets the ServiceAccounts of the controller's list, which is `default` alone).
 */
async function makeDefaultServiceAccounts(info: ControlPlaneInfo): Promise<void> {
  const namespaces = await adminRequest(info, 'GET', '/api/v1/namespaces');
  if (namespaces.status !== 200) return;
  const accounts = await adminRequest(info, 'GET', '/api/v1/serviceaccounts?fieldSelector=metadata.name%3Ddefault');
  if (accounts.status !== 200) return;
  const have = new Set((JSON.parse(accounts.body).items as { metadata: { namespace: string } }[]).map((a) => a.metadata.namespace));
  for (const ns of JSON.parse(namespaces.body).items as { metadata: { name: string }; status?: { phase?: string } }[]) {
    if (have.has(ns.metadata.name) || ns.status?.phase === 'Terminating') continue;
    await adminRequest(info, 'POST', `/api/v1/namespaces/${ns.metadata.name}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } });
  }
}

async function main(): Promise<void> {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void stop(0));
  fs.mkdirSync(stateDir);
  try {
    plane = await startControlPlane({ assets, dir: stateDir });
    // Ready for tests once `default` has its ServiceAccount (ServiceAccount admission refuses a Pod without one).
    const deadline = Date.now() + 60000;
    while ((await adminRequest(plane, 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status !== 200) {
      if (!plane.controllerManager) await makeDefaultServiceAccounts(plane);
      if (Date.now() > deadline) throw new Error('the default ServiceAccount of namespace default did not appear in 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    writeAtomically(path.join(workerDir, 'failed.txt'), (error as Error).message);
    await stop(1);
  }
  const { processes: _processes, dir: _dir, ...info } = plane!;
  writeAtomically(path.join(workerDir, 'ready.json'), JSON.stringify(info));
  for (;;) {
    if (fs.existsSync(path.join(workerDir, 'stop'))) await stop(0);
    if (!isAlive(watchPid)) await stop(0, true);
    if (plane!.processes.some((child) => child.exitCode !== null || child.signalCode !== null)) {
      writeAtomically(path.join(workerDir, 'failed.txt'), 'a control plane process exited during the run');
      await stop(1);
    }
    if (!plane!.controllerManager) await makeDefaultServiceAccounts(plane!);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

void main();
