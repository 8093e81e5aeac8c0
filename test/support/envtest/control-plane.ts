/**
 * A real Kubernetes control plane for tests: etcd and kube-apiserver (and kube-controller-manager
 * where the folder has one) from a folder in the layout of controller-runtime's envtest
 * (`KUBEBUILDER_ASSETS`: the binaries `kube-apiserver` and `etcd`).
 *
 * The flags follow envtest's defaults (controller-runtime pkg/internal/testing/controlplane/
 * apiserver.go), with two changes a real cluster has and envtest leaves out:
 * - the ServiceAccount admission plugin stays on (envtest turns it off because nothing creates a
 *   namespace's `default` ServiceAccount): here kube-controller-manager's serviceaccount
 *   controller creates them, or, where the folder has no controller manager (setup-envtest's
 *   bundles), the supervisor does, as that controller would (see supervisor.ts);
 * - kube-controller-manager, when present, runs the controllers a test of deletion needs: the
 *   namespace controller (a deleted namespace goes away), the garbage collector (owner
 *   references), the pvc-protection controller (a claim no pod uses can go), and the root CA
 *   publisher.
 * Everything listens on 127.0.0.1 only.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as path from 'path';

/** Where a started control plane is and how to reach it; written to disk as JSON for the tests. */
export interface ControlPlaneInfo {
  /** The API server's URL, https://127.0.0.1:PORT. */
  readonly url: string;
  /** An admin kubeconfig (client certificate in group system:masters). */
  readonly kubeconfig: string;
  /** The CA that signed the server's certificate, and the admin's client certificate and key. */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  /** The server's version, as /version reports it (e.g. v1.34.2). */
  readonly version: string;
  /** Whether kube-controller-manager runs (namespace deletion finishes, owner references are collected). */
  readonly controllerManager: boolean;
  /** The process ids of what was started, for a clean-up by another process. */
  readonly pids: readonly number[];
}

/** The binaries a folder must have to run a control plane. */
export const REQUIRED_BINARIES = ['etcd', 'kube-apiserver'] as const;

/** Whether a process of this pid exists (EPERM: it does, as another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Which required binaries a folder lacks (not there, or not executable). */
export function missingBinaries(assets: string): string[] {
  return REQUIRED_BINARIES.filter((name) => !isExecutable(path.join(assets, name)));
}

export interface StartOptions {
  /** The folder of binaries (KUBEBUILDER_ASSETS). */
  readonly assets: string;
  /** A folder of this control plane's own: certificates, etcd's data, logs. It must exist and be empty. */
  readonly dir: string;
  /** How long to wait for the server to be ready. @default 90000 */
  readonly timeoutMs?: number;
}

/** A started control plane, with its child processes. */
export interface ControlPlane extends ControlPlaneInfo {
  readonly processes: readonly ChildProcess[];
  readonly dir: string;
}

function openssl(dir: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.error) throw new Error(`openssl could not run (${result.error.message}): install it (Debian: apt-get install openssl)`);
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.trim()}`);
}

/**
 * A CA, the server's certificate (for 127.0.0.1 and the in-cluster names), an admin client
 * certificate (O=system:masters, which RBAC lets do anything) and the service account signing
 * key pair. EC keys: an RSA key takes openssl a second on this machine.
 */
function makeCertificates(pki: string): void {
  fs.mkdirSync(pki, { mode: 0o700 });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(pki, ['req', '-x509', ...ec, '-days', '2', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=multi-k8s-test-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
  const sign = (name: string, subject: string, extensions: string[]): void => {
    openssl(pki, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
    fs.writeFileSync(path.join(pki, `${name}.ext`), extensions.join('\n') + '\n');
    openssl(pki, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-out', `${name}.crt`, '-extfile', `${name}.ext`]);
  };
  const leaf = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment'];
  sign('apiserver', '/CN=kube-apiserver', [...leaf, 'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local']);
  sign('admin', '/O=system:masters/CN=multi-k8s-test-admin', [...leaf, 'extendedKeyUsage=clientAuth']);
  openssl(pki, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'sa.key']);
  openssl(pki, ['ec', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
}

/** A free port on 127.0.0.1 (taken and given back: racy, as envtest's own choice is). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function kubeconfigText(url: string, pki: string): string {
  const b64 = (file: string) => fs.readFileSync(path.join(pki, file)).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: envtest',
    '  cluster:',
    `    server: ${url}`,
    `    certificate-authority-data: ${b64('ca.crt')}`,
    'users:',
    '- name: admin',
    '  user:',
    `    client-certificate-data: ${b64('admin.crt')}`,
    `    client-key-data: ${b64('admin.key')}`,
    'contexts:',
    '- name: envtest',
    '  context:',
    '    cluster: envtest',
    '    user: admin',
    '    namespace: default',
    'current-context: envtest',
    '',
  ].join('\n');
}

/** What the API server answered: the status code (0 if it could not be reached) and the body. */
export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** A request with the admin's certificate; a JSON body is sent as such. */
export function adminRequest(info: Pick<ControlPlaneInfo, 'url' | 'caFile' | 'certFile' | 'keyFile'>, method: string, urlPath: string, body?: unknown, timeoutMs = 5000): Promise<Answer> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = https.request(`${info.url}${urlPath}`, {
      method,
      ca: fs.readFileSync(info.caFile), cert: fs.readFileSync(info.certFile), key: fs.readFileSync(info.keyFile), timeout: timeoutMs,
      headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => resolve({ status: 0, body: error.message }));
    request.end(payload);
  });
}

function startProcess(binary: string, args: string[], log: string): ChildProcess {
  const out = fs.openSync(log, 'a');
  const child = spawn(binary, args, { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return child;
}

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Stops the processes (SIGTERM, then SIGKILL after graceMs) and waits for them to exit. */
export async function stopProcesses(processes: readonly ChildProcess[], graceMs = 15000): Promise<void> {
  // In reverse order of start: the controller manager and the API server before etcd.
  for (const child of [...processes].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Starts etcd, kube-apiserver and (where the folder has it) kube-controller-manager; resolves once the server is ready. */
export async function startControlPlane(options: StartOptions): Promise<ControlPlane> {
  const { assets, dir } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 90000);
  const missing = missingBinaries(assets);
  if (missing.length > 0) throw new Error(`${assets} has no executable ${missing.join(' or ')}`);
  const pki = path.join(dir, 'pki');
  makeCertificates(pki);
  const etcdPort = await freePort();
  let apiPort = await freePort();
  while (apiPort === etcdPort) apiPort = await freePort();
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const url = `https://127.0.0.1:${apiPort}`;
  const kubeconfig = path.join(dir, 'admin.kubeconfig');
  fs.writeFileSync(kubeconfig, kubeconfigText(url, pki), { mode: 0o600 });
  const info = { url, caFile: path.join(pki, 'ca.crt'), certFile: path.join(pki, 'admin.crt'), keyFile: path.join(pki, 'admin.key') };

  const processes: ChildProcess[] = [];
  const fail = async (why: string, log: string): Promise<never> => {
    await stopProcesses(processes, 2000);
    throw new Error(`${why}; the end of ${log}:\n${logTail(path.join(dir, log))}`);
  };
  const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

  processes.push(startProcess(path.join(assets, 'etcd'), [
    `--data-dir=${path.join(dir, 'etcd-data')}`,
    `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
    '--listen-peer-urls=http://127.0.0.1:0',
    // Throw-away data: envtest passes this flag too when etcd has it.
    '--unsafe-no-fsync=true',
  ], path.join(dir, 'etcd.log')));

  const controllerManager = isExecutable(path.join(assets, 'kube-controller-manager'));
  processes.push(startProcess(path.join(assets, 'kube-apiserver'), [
    `--etcd-servers=${etcdUrl}`,
    '--bind-address=127.0.0.1', `--secure-port=${apiPort}`, '--advertise-address=127.0.0.1',
    `--tls-cert-file=${path.join(pki, 'apiserver.crt')}`, `--tls-private-key-file=${path.join(pki, 'apiserver.key')}`,
    `--client-ca-file=${info.caFile}`,
    `--service-account-issuer=${url}/`,
    `--service-account-key-file=${path.join(pki, 'sa.pub')}`,
    `--service-account-signing-key-file=${path.join(pki, 'sa.key')}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--authorization-mode=RBAC',
    '--allow-privileged=true',
  ], path.join(dir, 'kube-apiserver.log')));

  for (;;) {
    if (exited(processes[0])) return fail('etcd exited', 'etcd.log');
    if (exited(processes[1])) return fail('kube-apiserver exited', 'kube-apiserver.log');
    if ((await adminRequest(info, 'GET', '/readyz', undefined, 2000)).status === 200) break;
    if (Date.now() > deadline) return fail('kube-apiserver was not ready in time', 'kube-apiserver.log');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  if (controllerManager) {
    processes.push(startProcess(path.join(assets, 'kube-controller-manager'), [
      `--kubeconfig=${kubeconfig}`,
      // The pvc-protection controller lifts a claim's kubernetes.io/pvc-protection finalizer (put
      // there by the API server's admission) once no pod uses it: without it a namespace holding
      // a claim, such as a closed preview's, would stay Terminating.
      '--controllers=namespace-controller,garbage-collector-controller,serviceaccount-controller,root-ca-certificate-publisher-controller,persistentvolumeclaim-protection-controller',
      `--root-ca-file=${info.caFile}`,
      '--bind-address=127.0.0.1', '--secure-port=0', '--leader-elect=false',
    ], path.join(dir, 'kube-controller-manager.log')));
  }
  const version = JSON.parse((await adminRequest(info, 'GET', '/version')).body).gitVersion as string;
  return { ...info, kubeconfig, version, controllerManager, processes, dir, pids: processes.map((child) => child.pid!) };
}
