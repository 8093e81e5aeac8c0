/**
 * The real API server for tests that need a cluster's judgement.
 *
 *   describeWithCluster('apply over the course', (cluster) => {
 *     it('...', async () => {
 *       const ns = await cluster().namespace('course');
 *       const result = await cluster().kubectl(['apply', '-n', ns, '-f', file]);
 *     });
 *   });
 *
 * One control plane per jest worker (kube-apiserver + etcd, and kube-controller-manager where the
 * folder has it), started by the first test file of that worker that needs it and shared by the
 * worker's later files; each file works in namespaces of its own, which are deleted after it.
 * The binaries come from KUBEBUILDER_ASSETS (controller-runtime envtest's layout): in this
 * project's CI from ../shared/envtest (scripts/test.sh unpacks it), on GitHub from setup-envtest.
 * Without them, the tests are skipped with one line saying how to get them; with
 * MULTI_K8S_REQUIRE_CLUSTER=1 (set by .ci/run where ../shared/envtest exists) they fail instead.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { adminRequest, Answer, ControlPlaneInfo, missingBinaries } from './control-plane';

/** How to get the binaries, for the skip line and the errors. */
export const HOW_TO_GET = 'set KUBEBUILDER_ASSETS to a folder holding kube-apiserver and etcd: '
  + '`export KUBEBUILDER_ASSETS=$(bash ../shared/envtest/k8s-1.34.2-linux-amd64/unpack.sh)` on this project\'s machines, '
  + '`export KUBEBUILDER_ASSETS=$(setup-envtest use 1.34.x -p path)` elsewhere (controller-runtime\'s setup-envtest)';

/** The oldest kubectl the README's commands are written for. */
const KUBECTL_MIN_MINOR = 27;

/** Whether this machine can run the cluster tests, and if not, why. */
export type Support = { readonly ok: true; readonly assets: string } | { readonly ok: false; readonly why: string };

let support: Support | undefined;

/** Checks the binaries, kubectl and openssl once per test file. */
export function clusterSupport(env: NodeJS.ProcessEnv = process.env): Support {
  if (support && env === process.env) return support;
  const assets = env.KUBEBUILDER_ASSETS;
  let result: Support;
  if (!assets) {
    result = { ok: false, why: `KUBEBUILDER_ASSETS is not set: ${HOW_TO_GET}` };
  } else if (missingBinaries(assets).length > 0) {
    result = { ok: false, why: `KUBEBUILDER_ASSETS=${assets} has no executable ${missingBinaries(assets).join(' or ')}: ${HOW_TO_GET}` };
  } else {
    const kubectl = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
    const minor = kubectl.status === 0 ? Number.parseInt(JSON.parse(kubectl.stdout).clientVersion.minor, 10) : NaN;
    const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
    if (!(minor >= KUBECTL_MIN_MINOR)) result = { ok: false, why: `kubectl 1.${KUBECTL_MIN_MINOR} or newer must be on PATH (${kubectl.error ? 'none found' : `found 1.${minor}`})` };
    else if (openssl.status !== 0) result = { ok: false, why: 'openssl must be on PATH (Debian: apt-get install openssl)' };
    else result = { ok: true, assets };
  }
  if (env === process.env) support = result;
  return result;
}

/** What a command printed, and how it ended. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface KubectlOptions {
  /** Standard input. @default nothing */
  readonly input?: string;
  /** Impersonate this user (`--as`), e.g. system:serviceaccount:NS:NAME. @default the admin */
  readonly as?: string;
  /** The working folder. @default the project's root */
  readonly cwd?: string;
  /** A kubeconfig other than the admin's (e.g. one whose context names a namespace). @default the admin's */
  readonly kubeconfig?: string;
  /** More environment variables. @default none */
  readonly env?: NodeJS.ProcessEnv;
  /** How long before the command is killed and the test fails. @default 60000 */
  readonly timeoutMs?: number;
}

/** Runs a command to its end, with a time limit; never throws for a non-zero exit. */
export function run(command: string, args: readonly string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
    child.stderr!.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not end in ${options.timeoutMs ?? 60000} ms; it printed:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60000);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin!.end(options.input ?? '');
  });
}

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The definitions laid beside the checkout on this project's machines (Gateway API, cert-manager, Argo CD, Flux), or undefined. */
export function sharedCrds(name: string): string | undefined {
  const folder = path.join(ROOT, '..', 'shared', 'crds', name);
  return fs.existsSync(folder) ? folder : undefined;
}

/**
 * A describe block (inside describeWithCluster or not) whose tests need CRDs of ../shared/crds.
 * Nothing of them is committed, so elsewhere (a GitHub runner) the block is skipped with one line;
 * where MULTI_K8S_REQUIRE_SHARED_CRDS=1 (.ci/run, beside ../shared/crds) a missing one fails.
 * The body gets each named folder.
 */
export function describeWithCrds(name: string, crds: readonly string[], body: (folders: Record<string, string>) => void): void {
  const missing = crds.filter((crd) => sharedCrds(crd) === undefined);
  if (missing.length > 0 && process.env.MULTI_K8S_REQUIRE_SHARED_CRDS !== '1') {
    process.stderr.write(`skipped "${name}": no ${missing.map((crd) => `../shared/crds/${crd}`).join(', ')} beside the checkout\n`);
    describe.skip(name, () => body({}));
    return;
  }
  describe(name, () => {
    if (missing.length > 0) throw new Error(`MULTI_K8S_REQUIRE_SHARED_CRDS=1 and ../shared/crds lacks ${missing.join(', ')}`);
    body(Object.fromEntries(crds.map((crd) => [crd, sharedCrds(crd)!])));
  });
}

/** A real API server, shared by the test files of one jest worker. */
export class Cluster {
  private readonly namespaces: string[] = [];
  private readonly files: string[] = [];

  constructor(
    /** Where the server is and the admin's credentials. */
    readonly info: ControlPlaneInfo,
  ) {}

  /** kubectl with the admin's kubeconfig (or options.kubeconfig), as the README's commands run. */
  kubectl(args: readonly string[], options: KubectlOptions = {}): Promise<Run> {
    const full = options.as ? [`--as=${options.as}`, ...args] : [...args];
    return run('kubectl', full, {
      input: options.input,
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
      env: { ...process.env, ...options.env, KUBECONFIG: options.kubeconfig ?? this.info.kubeconfig },
    });
  }

  /** kubectl that must succeed: its standard output, or an error with what it printed. */
  async kubectlOk(args: readonly string[], options: KubectlOptions = {}): Promise<string> {
    const result = await this.kubectl(args, options);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
    return result.stdout;
  }

  /** A request to the API server as the admin; a body is sent as JSON. */
  request(method: string, urlPath: string, body?: unknown): Promise<Answer> {
    return adminRequest(this.info, method, urlPath, body, 30000);
  }

  /**
   * A new namespace of this test file's (a unique name starting with prefix), with its `default`
   * ServiceAccount in place; deleted after the file's tests.
   */
  async namespace(prefix = 't', labels: Record<string, string> = {}): Promise<string> {
    const name = `${prefix}-${randomBytes(4).toString('hex')}`;
    const created = await this.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    if (created.status !== 201) throw new Error(`could not create namespace ${name}: ${created.body}`);
    this.namespaces.push(name);
    await this.waitFor(`the default ServiceAccount of ${name}`, async () => (await this.request('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`)).status === 200);
    return name;
  }

  /** Deletes a namespace (of this file's or one a test made) when the file's tests are done. */
  deleteAfterwards(namespace: string): void {
    this.namespaces.push(namespace);
  }

  /** A kubeconfig whose context's namespace is `namespace` (the admin's credentials), for commands run as the README writes them. */
  kubeconfigFor(namespace: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-kubeconfig-'));
    const file = path.join(dir, 'kubeconfig');
    fs.writeFileSync(file, fs.readFileSync(this.info.kubeconfig, 'utf8').replace('    namespace: default\n', `    namespace: ${namespace}\n`), { mode: 0o600 });
    this.files.push(dir);
    return file;
  }

  /**
   * Installs the CustomResourceDefinitions of a folder (server-side apply, as their projects
   * document) and waits until each is Established. Idempotent: the worker's server keeps them for
   * later files. The shared definitions are read where they lie (../shared/crds), never copied.
   */
  async installCrds(folder: string): Promise<void> {
    const names = (await this.kubectlOk(['apply', '--server-side', '--force-conflicts', '-f', folder, '-o', 'name']))
      .split('\n').filter((line) => line.startsWith('customresourcedefinition')).map((line) => line.slice(line.indexOf('/') + 1));
    // Polled here, not with `kubectl wait --for=condition=Established`: right after the create,
    // before the server has written any condition, kubectl 1.32's wait fails
    // (".status.conditions accessor error: <nil>") instead of waiting.
    for (const name of names) {
      await this.waitFor(`CustomResourceDefinition ${name} to be Established`, async () => {
        const answer = await this.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
        if (answer.status !== 200) return false;
        const conditions = (JSON.parse(answer.body).status?.conditions ?? []) as { type: string; status: string }[];
        return conditions.some((c) => c.type === 'Established' && c.status === 'True');
      }, 60000);
    }
  }

  /**
   * Whether kube-controller-manager runs (namespace deletion finishes, owner references are
   * collected). setup-envtest's bundles have none: a test that needs it calls this first and
   * returns early when it is false, after one line saying what went unchecked; where
   * MULTI_K8S_REQUIRE_CONTROLLER_MANAGER=1 (.ci/run, whose ../shared/envtest has one) a missing
   * controller manager fails the test instead.
   */
  hasControllerManager(unchecked: string): boolean {
    if (this.info.controllerManager) return true;
    if (process.env.MULTI_K8S_REQUIRE_CONTROLLER_MANAGER === '1') throw new Error(`MULTI_K8S_REQUIRE_CONTROLLER_MANAGER=1 and KUBEBUILDER_ASSETS has no kube-controller-manager: cannot check ${unchecked}`);
    process.stderr.write(`not checked (no kube-controller-manager in KUBEBUILDER_ASSETS): ${unchecked}\n`);
    return false;
  }

  /** Polls until check() holds; fails after timeoutMs with what it waited for. */
  async waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Deletes the file's namespaces (without waiting for them to go) and its kubeconfigs. */
  async cleanUp(): Promise<void> {
    for (const name of this.namespaces.splice(0)) await this.request('DELETE', `/api/v1/namespaces/${name}`);
    for (const dir of this.files.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** This worker's folder in the run's folder (made by jest's global setup). */
function workerDir(): string {
  const run = process.env.MULTI_K8S_ENVTEST_RUN;
  if (!run) throw new Error('MULTI_K8S_ENVTEST_RUN is not set: jest was run without test/support/envtest/global-setup.ts (package.json\'s jest.globalSetup)');
  return path.join(run, `worker-${process.env.JEST_WORKER_ID ?? '1'}`);
}

/** The bundled supervisor (esbuild, a devDependency), written once into a run's folder. */
export function supervisorScript(run: string): string {
  const out = path.join(run, 'supervisor.js');
  if (!fs.existsSync(out)) {
    const partial = `${out}.${process.pid}`;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const esbuild = require('esbuild') as typeof import('esbuild');
    esbuild.buildSync({ entryPoints: [path.join(__dirname, 'supervisor.ts')], bundle: true, platform: 'node', target: 'node20', outfile: partial, logLevel: 'error' });
    fs.renameSync(partial, out);
  }
  return out;
}

/** This worker's control plane: started by the first file that asks, then shared. */
async function acquire(assets: string): Promise<ControlPlaneInfo> {
  const dir = workerDir();
  const ready = path.join(dir, 'ready.json');
  const failed = path.join(dir, 'failed.txt');
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    const child = spawn(process.execPath, [supervisorScript(path.dirname(dir)), dir, assets, process.env.MULTI_K8S_ENVTEST_PARENT ?? String(process.pid)], {
      detached: true, stdio: 'ignore',
    });
    fs.writeFileSync(path.join(dir, 'supervisor.pid'), String(child.pid));
    child.unref();
  }
  const deadline = Date.now() + 120000;
  for (;;) {
    if (fs.existsSync(failed)) throw new Error(`the test control plane could not start: ${fs.readFileSync(failed, 'utf8')}`);
    if (fs.existsSync(ready)) return JSON.parse(fs.readFileSync(ready, 'utf8'));
    if (Date.now() > deadline) throw new Error(`the test control plane was not ready in 120 s (its files: ${dir})`);
    await sleep(100);
  }
}

/** The one line a skipped file prints. */
function announceSkip(name: string, why: string): void {
  process.stderr.write(`skipped "${name}" (needs a real API server): ${why}\n`);
}

/**
 * A describe block whose tests run against the worker's real API server. The callback gets a
 * function returning the Cluster (valid inside tests and hooks). Without the binaries the block
 * is skipped with one line, or fails where MULTI_K8S_REQUIRE_CLUSTER=1.
 */
export function describeWithCluster(name: string, body: (cluster: () => Cluster) => void): void {
  const found = clusterSupport();
  const required = process.env.MULTI_K8S_REQUIRE_CLUSTER === '1';
  if (!found.ok && !required) {
    announceSkip(name, found.why);
    describe.skip(name, () => body(() => { throw new Error('no cluster'); }));
    return;
  }
  describe(name, () => {
    let cluster: Cluster | undefined;
    jest.setTimeout(120000);
    beforeAll(async () => {
      if (!found.ok) throw new Error(`MULTI_K8S_REQUIRE_CLUSTER=1 and no API server can run here: ${found.why}`);
      cluster = new Cluster(await acquire(found.assets));
    }, 150000);
    afterAll(async () => { await cluster?.cleanUp(); });
    body(() => {
      if (!cluster) throw new Error('the cluster is not started (its beforeAll failed; see above)');
      return cluster;
    });
  });
}
