/**
 * jest's global setup: a folder for this run's control planes (one a worker, started only by a
 * test file that needs one; see index.ts), and the pid their supervisors watch, so that a run
 * killed before its teardown still leaves nothing running.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export default function globalSetup(): void {
  process.env.MULTI_K8S_ENVTEST_RUN = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-envtest-'));
  process.env.MULTI_K8S_ENVTEST_PARENT = String(process.pid);
}
