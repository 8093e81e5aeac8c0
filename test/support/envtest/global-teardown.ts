/**
 * jest's global teardown: stops every control plane of this run (each supervisor stops its
 * processes and removes its state once asked) and removes the run's folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isAlive } from './control-plane';

export default async function globalTeardown(): Promise<void> {
  const run = process.env.MULTI_K8S_ENVTEST_RUN;
  if (!run || !fs.existsSync(run)) return;
  const workers = fs.readdirSync(run).filter((name) => name.startsWith('worker-')).map((name) => path.join(run, name));
  for (const dir of workers) fs.writeFileSync(path.join(dir, 'stop'), '');
  const deadline = Date.now() + 30000;
  const running = (dir: string) => !fs.existsSync(path.join(dir, 'stopped')) && fs.existsSync(path.join(dir, 'supervisor.pid'))
    && isAlive(Number(fs.readFileSync(path.join(dir, 'supervisor.pid'), 'utf8')));
  while (workers.some(running) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const dir of workers) {
    // A supervisor that did not stop in time: end what it started by the pids it recorded.
    const ready = path.join(dir, 'ready.json');
    if (running(dir) && fs.existsSync(ready)) {
      for (const pid of JSON.parse(fs.readFileSync(ready, 'utf8')).pids as number[]) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      process.kill(Number(fs.readFileSync(path.join(dir, 'supervisor.pid'), 'utf8')), 'SIGKILL');
    }
  }
  fs.rmSync(run, { recursive: true, force: true });
}
