import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../helpers';
import { deletePreviews, getLive, mainApply, previewsApply } from '../support/cluster/deploy';
import { Cluster, describeWithCluster, describeWithCrds, run, Run } from '../support/envtest';
import { commandKey, commandsOf, README_PATH, readmeShCommands } from '../support/readme-commands';
import { GIT_IDENTITY, scratchProject, ScratchProject } from '../support/scratch-project';

// The README runs as written. Every command of its ```sh blocks (read when the test runs, so
// any section's edits count) is accounted for by exactly one of:
//  (a) run here, locally, in a scratch copy of the project (test/support/scratch-project.ts:
//      `npm run` through package.json's scripts and the launcher's bundles), with the variables
//      and the order the README gives, asserting the exit code the README states;
//  (b) run the same way against the real API server (test/support/envtest), kubectl included;
//  (c) NOT_RUN: commands that cannot run here, each with its reason.
// A README command in none of them fails, and so does an entry no longer in the README.
// Placeholders (`<a password of your choice>`, `<commit>`, ...) are filled in by the test; the
// password is random and never printed.

/** Commands that cannot run here, exactly as the README writes them, and why. */
const NOT_RUN: Record<string, string> = {
  'npm ci && npm test': 'npm ci reinstalls node_modules from the registry (network; the checkout\'s node_modules is shared by the work running beside this test) and npm test runs the whole suite, this file included; .ci/run runs both',
  'npm test               # tsc --noEmit and jest (swc transform), side by side; fails if either fails': 'the whole suite, this file included: .ci/run runs it',
  'npm test': 'the whole suite, this file included: .ci/run runs it',
  'npx cdk8s synth        # the same through the cdk8s CLI (set CDK8S_CHECK_UPGRADE=false offline)': 'the CLI runs the launcher, whose full type check of the project takes tens of seconds on 2 cores and judges the work in progress in this checkout; .ci/run runs it and compares its output with npm run synth\'s',
  'npm run bench          # times synth, validation and tests in scratch folders; never touches dist/ or tracked files': 'a measurement of minutes, not a check; it fails by itself if dist/ or a tracked file changed',
  '.ci/run                # everything CI checks, on this checkout, on Node 24 where node is older than 22 (see CI below)': 'the CI entry point: it runs npm ci and npm test (this file among them), not the other way round',
  'npm test -- PATH       # jest alone on a file, folder or pattern: no type check of the whole project (see below)': 'PATH stands for test files: run from inside this jest run, it would run them a second time beside it; the whole npm test is .ci/run\'s',
  'npm run mutate -- --room program   # mutation testing, one room (components, plan, program, scripts, validate); slow, not in CI: see docs/mutation.md': 'Stryker mutation testing: hours of CPU (docs/mutation.md)',
  'go install sigs.k8s.io/controller-runtime/tools/setup-envtest@release-0.22': 'downloads and builds setup-envtest with Go (network, no Go here); this machine\'s API server binaries come from ../shared/envtest',
  'export KUBEBUILDER_ASSETS=$(setup-envtest use 1.34.x -p path)': 'needs setup-envtest (the line above), which downloads the binaries',
  'minikube start --cpus 2 --memory 4g': 'starts a minikube cluster (a VM or container): no minikube here; the test API server stands in for the cluster in (b)',
  'minikube addons enable ingress': 'a minikube addon: no minikube here',
  'minikube addons enable metrics-server   # the autoscalers\' CPU figures; without it they hold their minimum': 'a minikube addon: no minikube here',
  'minikube tunnel   # in a second terminal: gives the Gateway\'s LoadBalancer Service an address': 'minikube\'s load balancer tunnel: no minikube here',
  'kubectl get pods -w            # every pod Running and READY 1/1; the server waits for postgres first': 'pods never run on the test API server (no scheduler, no kubelet), and -w never ends',
  'open "http://$(minikube ip)"   # xdg-open on Linux': 'opens a browser at minikube\'s address: no minikube, no browser here',
  'open "http://$(kubectl get gateway multi-k8s -o jsonpath=\'{.status.addresses[0].value}\')"': 'opens a browser at the Gateway\'s address, which only a running Gateway controller gives',
  'helm install eg oci://docker.io/envoyproxy/gateway-helm --version v1.9.1 -n envoy-gateway-system --create-namespace': 'helm pulls a chart from a registry (network, no helm here) and installs a controller that would need a kubelet to run',
  'kubectl wait --timeout=5m -n envoy-gateway-system deployment/envoy-gateway --for=condition=Available': 'waits for the helm-installed controller\'s Deployment to be Available: no Deployment controller or kubelet here, it could only time out',
  'helm install cert-manager oci://quay.io/jetstack/charts/cert-manager --version v1.21.1 \\\n  --namespace cert-manager --create-namespace --set crds.enabled=true --set config.enableGatewayAPI=true': 'helm pulls a chart from a registry (network, no helm here); its CRDs are installed from ../shared/crds for (b)',
  'helm upgrade --install ingress-nginx ingress-nginx --repo https://kubernetes.github.io/ingress-nginx \\\n  --namespace ingress-nginx --create-namespace': 'helm pulls a chart from a repository (network, no helm here)',
  'kubectl exec deploy/postgres-deployment -- cat /var/lib/postgresql/data/PG_VERSION   # e.g. 16': 'runs a process in a running pod: no kubelet here',
};

/** The README's `npm ci && COMMAND` lines: npm ci is not run (see NOT_RUN's first entry), the COMMAND is. */
const NPM_CI = 'npm ci && ';

/** A README command run by this test: its exact text, the exit code the README states, and what fills its placeholders. */
interface Step {
  /** The README's text, exactly; or `{ prefix }` for the one README command starting with it (the long applies deploy.ts names). */
  readonly command: string | (() => string);
  readonly exit: number;
  /** Placeholder -> value, besides the shared ones (PLACEHOLDERS). */
  readonly fill?: Record<string, string>;
  /** Variables the reader set before this command (not a README command: a change between two runs of a block). */
  readonly set?: Record<string, string>;
  /** Checked after the command, with what it printed. */
  readonly then?: (result: Run, at: Scene) => void | Promise<void>;
}

/** Where a scenario runs: its scratch copy, its environment (exports carry over), its kubeconfig. */
interface Scene {
  readonly project: ScratchProject;
  env: NodeJS.ProcessEnv;
  readonly password: string;
  /** Placeholders of this scene (the API server's address). */
  readonly fill: Record<string, string>;
}

/** The configuration variables (README, Configuration) and others a reader's shell would not have set: cleared for every scenario. */
const CLEARED = ['GIT_SHA', 'IMAGE_PREFIX', 'IMAGE_TAG', 'ENVIRONMENT', 'PREVIEWS', 'PREVIEW_DOMAIN', 'SERVER_REPLICAS_MIN', 'SERVER_REPLICAS_MAX',
  'WORKER_REPLICAS_MIN', 'WORKER_REPLICAS_MAX', 'INGRESS_CONTROLLER_NAMESPACE', 'INGRESS_CONTROLLER_LABELS', 'POSTGRES_IMAGE', 'DEPLOYER', 'DEPLOYER_NAMESPACE',
  'HOSTS', 'TLS', 'ACME_EMAIL', 'ROUTING', 'GATEWAY_CLASS', 'GATEWAY', 'GATEWAY_PROXY_NAMESPACE', 'GATEWAY_PROXY_LABELS', 'GATEWAY_PROXY_CIDRS',
  'PREVIEW_TLS_SECRET', 'CDK8S_OUTDIR', 'KUBECONFIG', 'CLIENT_IMAGE', 'SERVER_IMAGE', 'WORKER_IMAGE'];

function scene(kubeconfig: string): Scene {
  const project = scratchProject();
  const env: NodeJS.ProcessEnv = { ...process.env, ...GIT_IDENTITY, KUBECONFIG: kubeconfig, PATH: `${project.bin}:${process.env.PATH}`, CDK8S_CHECK_UPGRADE: 'false' };
  for (const name of CLEARED) if (name !== 'KUBECONFIG') delete env[name];
  return { project, env, password: randomBytes(12).toString('hex'), fill: {} };
}

/** The placeholders every scenario fills the same way. */
const PLACEHOLDERS = (at: Scene): Record<string, string> => ({
  '<a password of your choice>': at.password,
  '<a password>': at.password,
  '<you@example.com>': 'ops@example.com',
  '<your registry/owner>': 'ghcr.io/acme',
  '<commit>': at.project.head,
  ...at.fill,
});

/** The command as a step names it (a function reads the README, e.g. deploy.ts's mainApply). */
const textOf = (step: Step) => (typeof step.command === 'function' ? step.command() : step.command);

/** Runs one README command in the scene, as `sh` runs it, keeping what it exports for the next. */
async function runStep(at: Scene, step: Step): Promise<Run> {
  const written = textOf(step);
  if (step.set) at.env = { ...at.env, ...step.set };
  let command = written;
  for (const [placeholder, value] of Object.entries({ ...PLACEHOLDERS(at), ...step.fill })) command = command.split(placeholder).join(value);
  const left = command.match(/<[a-z][^<>\n]*>/);
  if (left) throw new Error(`${written}\nhas a placeholder the test does not fill: ${left[0]}`);
  // The command, then its exit code kept and the shell's variables written out (an `export` carries to the next command).
  const envFile = path.join(tempDir(), 'env.json');
  const script = `${command}\n__status=$?\nnode -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.env))' ${envFile}\nexit $__status\n`;
  const result = await run('sh', ['-c', script], { cwd: at.project.dir, env: at.env, timeoutMs: 180_000 });
  if (fs.existsSync(envFile)) at.env = JSON.parse(fs.readFileSync(envFile, 'utf8'));
  const hidden = (text: string) => text.split(at.password).join('***');
  if (result.code !== step.exit) {
    throw new Error(`README command (as written):\n${written}\nexited ${result.code}, the README says ${step.exit}; it printed:\n${hidden(result.stdout)}\n${hidden(result.stderr)}`);
  }
  await step.then?.(result, at);
  return result;
}

async function runSteps(at: Scene, steps: readonly Step[]): Promise<void> {
  for (const step of steps) await runStep(at, step);
}

const SYNTH = 'npm run synth                # writes dist/; the output it replaced is kept in .dist-previous/';
const PLAN = 'npm run plan                 # what changed since that output: exit 0 none, 1 changes, 2 nothing to compare with yet';
const PLAN_CLUSTER = 'npm run plan -- --cluster    # what the apply below changes in the cluster, deletions included: exit 0 none, 1 changes';
const SECRET = 'kubectl create secret generic pgpassword --from-literal PGPASSWORD=<a password of your choice>';
const APPLY = 'kubectl apply -f dist';
const STEP = 'for d in server-deployment worker-deployment; do\n  KUBE_EDITOR="sed -i.bak \'/^  replicas:/d\'" kubectl apply edit-last-applied deployment/$d\ndone';
const dist = (at: Scene) => path.join(at.project.dir, 'dist');
const manifests = (at: Scene) => fs.readdirSync(dist(at)).filter((f) => f.endsWith('.yaml')).map((f) => fs.readFileSync(path.join(dist(at), f), 'utf8')).join('\n');

/** The local scenarios (a). */
const LOCAL: Record<string, Step[]> = {
  'On a fresh machine: set up and synthesize (npm ci not run)': [
    { command: `${NPM_CI}npm run synth`, exit: 0, then: (_r, at) => expect(fs.readdirSync(dist(at))).toEqual(['multi-k8s.k8s.yaml']) },
  ],
  'Development: synth, validate, plan (a first synth of ENVIRONMENT=dev before, so plan has an output to compare with)': [
    { command: 'npm run synth          # compiles lib/ and main.ts when they changed (full type check), then synthesizes into dist/', exit: 0 },
    { command: 'npm run validate -- dist', exit: 0 },
    { command: 'npm run plan           # what changed between two outputs, or between the output and the cluster', exit: 1, then: (r) => expect(r.stdout).toMatch(/^\+ HorizontalPodAutoscaler\/server-deployment$/m) },
  ],
  'Validation: the app\'s output, any folders and files, the course\'s k8s/, warnings': [
    { command: SYNTH, exit: 0 },
    { command: 'npm run validate -- dist', exit: 0 },
    {
      command: 'npm run validate -- path/to/k8s other/file.yaml   # folders are searched recursively',
      exit: 0,
      fill: { 'path/to/k8s': 'folders/k8s', 'other/file.yaml': 'other/file.yaml' },
      then: (r) => expect(r.stderr).toMatch(/^\d+ objects from 2 file\(s\): no problems/m),
    },
    {
      command: 'npm run validate -- --checks schema,api,link --operator-secret pgpassword=PGPASSWORD test/fixtures/course-k8s   # exit 0: the course\'s k8s/ passes the API checks',
      exit: 0,
      then: (r) => expect(r.stderr).toMatch(/^11 objects from 11 file\(s\): no problems$/m),
    },
    { command: 'npm run validate -- test/fixtures/course-k8s   # exit 1: the policy findings, one line each', exit: 1, then: (r) => expect(r.stdout).toMatch(/\[[a-z-]+\]/) },
    {
      command: 'npm run validate -- test/fixtures/warnings     # exit 0: a warning is printed and does not fail the run',
      exit: 0,
      then: (r) => {
        expect(r.stdout).toMatch(/: warning: /);
        expect(r.stderr).toMatch(/no problems; 1 warning\(s\)$/m);
      },
    },
    { command: 'npm run validate -- --fail-on-warnings test/fixtures/warnings   # exit 1', exit: 1, then: (r) => expect(r.stderr).toMatch(/1 warning\(s\) \(--fail-on-warnings\)$/m) },
  ],
  'Where this program lives: the workflows into the app\'s repository (this copy is its k8s/), twice': [
    {
      command: 'npm run install-workflows -- ../.github/workflows',
      exit: 0,
      then: (_r, at) => expect(fs.readdirSync(path.join(path.dirname(at.project.dir), '.github', 'workflows')).sort()).toEqual(['k8s-deploy.yml', 'k8s-manifests.yml']),
    },
    // Again after an update of this program: it replaces its own unedited copies.
    { command: 'npm run install-workflows -- ../.github/workflows   # from k8s/ in the app\'s repository (see Where this program lives)', exit: 0 },
  ],
  'Migrating: keep postgres\' major': [
    { command: 'export POSTGRES_IMAGE=postgres:16        # the same major; any minor of it reads the data', exit: 0 },
    { command: SYNTH, exit: 0, then: (_r, at) => expect(manifests(at)).toMatch(/image: postgres:16\n/) },
  ],
  'GitOps: publish the rendered branches, then roll one back': [
    { command: 'node scripts/publish-rendered.js --remote origin                  # HEAD\'s prod and dev output', exit: 0, then: (r) => expect(r.stdout).toMatch(/^created: rendered\/prod [0-9a-f]{12}: output of /m) },
    { command: 'node scripts/publish-rendered.js --source <commit> --environments prod --remote origin', exit: 0, then: (r) => expect(r.stdout).toMatch(/^skipped: rendered\/prod already has /m) },
    { command: 'node scripts/publish-rendered.js --dir some/folder --branch rendered/custom   # a folder as it is', exit: 0, then: (r) => expect(r.stdout).toMatch(/^created: rendered\/custom /m) },
    { command: 'git fetch origin rendered/prod', exit: 0 },
    { command: 'git switch -c rollback origin/rendered/prod', exit: 0 },
    { command: 'git revert --no-edit HEAD            # or the commit of the deploy to undo', exit: 0 },
    {
      command: 'git push origin rollback:rendered/prod',
      exit: 0,
      then: (_r, at) => {
        // The rollback is on the remote's branch: its tip reverts the deploy.
        const remote = execFileSync('git', ['--git-dir', path.join(path.dirname(at.project.dir), 'origin.git'), 'log', '--format=%s', '-n', '1', 'rendered/prod'], { env: at.env, encoding: 'utf8' });
        expect(remote).toMatch(/^Revert "prod: render /);
      },
    },
  ],
};

/** What a local scenario needs before its first command: a previous output, the README's example folders, a remote. */
async function prepareLocal(name: string, at: Scene): Promise<void> {
  const sh = async (command: string) => {
    const result = await run('sh', ['-c', command], { cwd: at.project.dir, env: at.env, timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`${command}: ${result.stderr}`);
  };
  if (name.startsWith('Development')) await sh('ENVIRONMENT=dev npm run synth');
  if (name.startsWith('Validation')) {
    // A folder with a manifest one level down (folders are searched recursively) and a file.
    fs.mkdirSync(path.join(at.project.dir, 'folders', 'k8s', 'nested'), { recursive: true });
    fs.writeFileSync(path.join(at.project.dir, 'folders', 'k8s', 'nested', 'levels.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: levels\ndata:\n  LEVEL: debug\n');
    fs.mkdirSync(path.join(at.project.dir, 'other'));
    fs.writeFileSync(path.join(at.project.dir, 'other', 'file.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  LEVEL: info\n');
  }
  if (name.startsWith('GitOps')) {
    const remote = path.join(path.dirname(at.project.dir), 'origin.git');
    await sh(`git init -q --bare -b main ${remote} && git remote add origin ${remote} && git push -q origin main`);
    fs.mkdirSync(path.join(at.project.dir, 'some', 'folder'), { recursive: true });
    fs.writeFileSync(path.join(at.project.dir, 'some', 'folder', 'config.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: custom\n');
  }
}

const secretValue = async (cluster: Cluster, name: string, namespace: string) => {
  const secret = await getLive(cluster, 'secret', name, namespace);
  return secret ? Buffer.from(secret.data.PGPASSWORD, 'base64').toString('utf8') : undefined;
};

/** The cluster scenarios (b): each gets a fresh namespace as its kubeconfig's context, and a fresh scratch copy. */
interface ClusterScenario {
  readonly crds?: string[];
  readonly steps: (cluster: () => Cluster, ns: string) => Step[];
  readonly cleanup?: (cluster: Cluster) => Promise<void>;
}
const ON_CLUSTER: Record<string, ClusterScenario> = {
  'Synth, plan, apply with prune: a first deploy, then a change to dev': {
    steps: (cluster, ns) => [
      { command: `${SECRET}   # once`, exit: 0, then: async (_r, at) => expect(await secretValue(cluster(), 'pgpassword', ns)).toBe(at.password) },
      { command: SYNTH, exit: 0 },
      // A first synth replaced nothing: nothing to compare with yet (the README says exit 2).
      { command: PLAN, exit: 2, then: (r) => expect(r.stderr).toMatch(/^error: no previous output to compare with/m) },
      { command: PLAN_CLUSTER, exit: 1, then: (r) => expect(r.stdout).toMatch(/^\+ Deployment\/server-deployment/m) },
      { command: mainApply, exit: 0 },
      { command: PLAN_CLUSTER, exit: 0 },
      { command: 'kubectl get ingress ingress-service   # the controller\'s external IP', exit: 0 },
      { command: STEP, exit: 0 },
      { command: SYNTH, exit: 0, set: { ENVIRONMENT: 'dev' } },
      { command: PLAN, exit: 1, then: (r) => expect(r.stdout).toMatch(/^- HorizontalPodAutoscaler\/server-deployment$/m) },
      { command: PLAN_CLUSTER, exit: 1, then: (r) => expect(r.stdout).toMatch(/^- HorizontalPodAutoscaler\/server-deployment/m) },
      { command: mainApply, exit: 0, then: (r) => expect(r.stdout).toMatch(/^horizontalpodautoscaler\.autoscaling\/server-deployment pruned$/m) },
      { command: PLAN_CLUSTER, exit: 0 },
    ],
  },
  'Previews: open, apply, a Secret, close': {
    steps: (cluster): Step[] => [
      { command: 'export PREVIEWS=pr-12,pr-13', exit: 0 },
      { command: 'npm run synth', exit: 0 },
      { command: previewsApply, exit: 0, then: (r) => expect(r.stderr).toMatch(/^namespace pr-13: created for the preview/m) },
      { command: 'kubectl -n pr-13 create secret generic pgpassword --from-literal PGPASSWORD=<a password>   # once, for the new pr-13', exit: 0, then: async (_r, at) => expect(await secretValue(cluster(), 'pgpassword', 'pr-13')).toBe(at.password) },
      { command: 'npm run open-preview -- [DIR]   # creates (or checks) the previews\' namespaces before their apply; refuses one this app did not create', exit: 0, fill: { '[DIR]': 'dist' }, then: (r) => expect(r.stderr).toMatch(/^namespace pr-12: this app's preview/m) },
      { command: 'npm run close-preview -- pr-12', exit: 0, then: (r) => expect(r.stdout).toBe('namespace "pr-12" deleted\n') },
      { command: 'npm run close-preview -- NAME   # deletes one preview\'s namespace, and only this app\'s', exit: 0, fill: { NAME: 'pr-13' } },
    ],
    cleanup: (cluster) => deletePreviews(cluster, ['pr-12', 'pr-13']),
  },
  'minikube, first run (minikube itself not run)': {
    steps: () => [
      { command: SECRET, exit: 0 },
      {
        command: `${NPM_CI}CLIENT_IMAGE=stephengrider/multi-client:latest SERVER_IMAGE=cygnetops/multi-server-pgfix-5-11:latest WORKER_IMAGE=stephengrider/multi-worker:latest npm run synth`,
        exit: 0,
        then: (_r, at) => expect(manifests(at)).toContain('image: cygnetops/multi-server-pgfix-5-11:latest\n'),
      },
      { command: 'kubectl apply -f dist          # the first time there is nothing to prune; then synth, plan, apply with prune (above)', exit: 0, then: (r) => expect(r.stdout).toMatch(/^deployment\.apps\/server-deployment created$/m) },
    ],
  },
  'minikube through Gateway API: the GatewayClass, then the app (Envoy Gateway itself not run)': {
    crds: ['gateway-api-v1.6.1'],
    steps: () => [
      { command: 'kubectl apply -f - <<\'YAML\'\napiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: eg\nspec:\n  controllerName: gateway.envoyproxy.io/gatewayclass-controller\nYAML', exit: 0 },
      { command: SECRET, exit: 0 },
      {
        command: 'CLIENT_IMAGE=stephengrider/multi-client:latest SERVER_IMAGE=cygnetops/multi-server-pgfix-5-11:latest WORKER_IMAGE=stephengrider/multi-worker:latest ROUTING=gateway npm run synth',
        exit: 0,
        then: (_r, at) => expect(manifests(at)).toContain('image: cygnetops/multi-server-pgfix-5-11:latest\n'),
      },
      { command: APPLY, exit: 0, then: (r) => expect(r.stdout).toMatch(/^httproute\.gateway\.networking\.k8s\.io\/multi-k8s created$/m) },
    ],
    cleanup: async (cluster) => { await cluster.kubectl(['delete', 'gatewayclass', 'eg', '--ignore-not-found']); },
  },
  'HTTPS on GKE through a Gateway (helm and DNS not run)': {
    crds: ['gateway-api-v1.6.1', 'cert-manager-v1.21.1'],
    steps: () => [
      { command: SECRET, exit: 0 },
      { command: 'HOSTS=k8s-multi.com,www.k8s-multi.com ACME_EMAIL=<you@example.com> ROUTING=gateway \\\n  GATEWAY_CLASS=gke-l7-global-external-managed GIT_SHA=$(git rev-parse HEAD) IMAGE_PREFIX=<your registry/owner> npm run synth', exit: 0 },
      { command: APPLY, exit: 0, then: (r) => expect(r.stdout).toMatch(/^certificate\.cert-manager\.io\/k8s-multi-com-tls created$/m) },
      // No Gateway controller runs here: the address is empty, the command succeeds.
      { command: 'kubectl get gateway multi-k8s -o jsonpath=\'{.status.addresses[0].value}\'   # the load balancer\'s address', exit: 0 },
    ],
    cleanup: async (cluster) => { await cluster.kubectl(['delete', 'clusterissuer', 'letsencrypt-prod', '--ignore-not-found']); },
  },
  'HTTPS on GKE through ingress-nginx (helm and DNS not run)': {
    crds: ['cert-manager-v1.21.1'],
    steps: () => [
      { command: SECRET, exit: 0 },
      { command: 'HOSTS=k8s-multi.com,www.k8s-multi.com ACME_EMAIL=<you@example.com> GIT_SHA=$(git rev-parse HEAD) \\\n  IMAGE_PREFIX=<your registry/owner> npm run synth', exit: 0 },
      { command: APPLY, exit: 0, then: (r) => expect(r.stdout).toMatch(/^ingress\.networking\.k8s\.io\/ingress-service created$/m) },
      { command: 'kubectl get ingress ingress-service   # the controller\'s external IP', exit: 0 },
    ],
    cleanup: async (cluster) => { await cluster.kubectl(['delete', 'clusterissuer', 'letsencrypt-prod', '--ignore-not-found']); },
  },
  'GitOps, Syncing the branch: the namespace and its Secret; then A deployer with least privilege: the admin\'s apply, a token, the CI kubeconfig': {
    steps: (cluster) => [
      { command: 'kubectl create namespace multi-k8s', exit: 0 },
      { command: 'kubectl -n multi-k8s create secret generic pgpassword --from-literal PGPASSWORD=<a password of your choice>', exit: 0, then: async (_r, at) => expect(await secretValue(cluster(), 'pgpassword', 'multi-k8s')).toBe(at.password) },
      {
        command: 'DEPLOYER=ci npm run synth && kubectl apply -n multi-k8s -f dist',
        exit: 0,
        then: (r) => expect(r.stdout).toMatch(/^role\.rbac\.authorization\.k8s\.io\/multi-k8s-deployer created$/m),
      },
      { command: 'kubectl -n multi-k8s create token multi-k8s-deployer --duration=1h   # the API server may cap the duration', exit: 0, then: (r) => expect(/^ey[\w-]+\.[\w-]+\.[\w-]+\n?$/.test(r.stdout)).toBe(true) }, // a JWT, never printed
      { command: 'kubectl config set-cluster prod --server=https://<api-server> --certificate-authority=ca.crt --embed-certs --kubeconfig=ci.kubeconfig', exit: 0 },
      { command: 'kubectl config set-credentials multi-k8s-deployer --token="$(kubectl -n multi-k8s create token multi-k8s-deployer --duration=24h)" --kubeconfig=ci.kubeconfig', exit: 0 },
      { command: 'kubectl config set-context ci --cluster=prod --user=multi-k8s-deployer --namespace=multi-k8s --kubeconfig=ci.kubeconfig', exit: 0 },
      {
        command: 'kubectl config use-context ci --kubeconfig=ci.kubeconfig',
        exit: 0,
        then: async (_r, at) => {
          // The kubeconfig works, as the deployer: it reads its Deployments and not the Secret.
          const as = (args: string[]) => run('kubectl', ['--kubeconfig=ci.kubeconfig', ...args], { cwd: at.project.dir, env: { ...at.env, KUBECONFIG: '' } });
          expect((await as(['get', 'deployments', '-o', 'name'])).stdout).toMatch(/^deployment\.apps\/server-deployment$/m);
          expect((await as(['get', 'secret', 'pgpassword'])).stderr).toMatch(/forbidden/);
        },
      },
    ],
    cleanup: async (cluster) => { await cluster.kubectl(['delete', 'namespace', 'multi-k8s', '--wait=false', '--ignore-not-found']); },
  },
};

/** Every step of every scenario, listed without a cluster. */
function allSteps(): Step[] {
  return [...Object.values(LOCAL).flat(), ...Object.values(ON_CLUSTER).flatMap((s) => s.steps(() => { throw new Error('no cluster while listing'); }, 'ns'))];
}

/** The texts of every README command a scenario runs. */
function runTexts(): string[] {
  return allSteps().map(textOf);
}

describe('how a README command is read from its block', () => {
  test('a command spans its continuation lines, a here-document, a loop; comments and blank lines are not commands', () => {
    const block = ['# a comment', '', 'a \\', '  --flag   # kept', 'b &&', '  c', 'd <<\'END\'', 'for x in y; do', 'END', 'for i in 1 2; do', '  echo $i', 'done', 'e | ', '  f', 'g'];
    expect(commandsOf(block)).toEqual(['a \\\n  --flag   # kept', 'b &&\n  c', 'd <<\'END\'\nfor x in y; do\nEND', 'for i in 1 2; do\n  echo $i\ndone', 'e | \n  f', 'g']);
  });

  test('a command\'s key leaves out its comments, not a # inside quotes or a word', () => {
    expect(commandKey('npm run plan    # what changed')).toBe('npm run plan');
    expect(commandKey('a \\   # note\n  b')).toBe('a \\\n  b');
    expect(commandKey('echo \'#1\' "x # y" a#b   # c')).toBe('echo \'#1\' "x # y" a#b');
    expect(commandKey('# all of it')).toBe('');
  });

  test('the blocks are the sh ones, indented ones (in a list) included, each under its heading', () => {
    const markdown = '# A\n```sh\none\n```\n## B\n```text\nnot a command\n```\n1. step:\n\n   ```sh\n   two \\\n     more\n   ```\n';
    expect(readmeShCommands(markdown)).toEqual([{ text: 'one', section: 'A', block: 0 }, { text: 'two \\\n  more', section: 'B', block: 1 }]);
  });
});

describe('every command of the README is run here, against the API server, or listed with its reason', () => {
  const readme = () => readmeShCommands(fs.readFileSync(README_PATH, 'utf8'));

  test('each README command is accounted for by exactly one of: run by this test, or NOT_RUN', () => {
    // Compared without comments: a comment edited in any section changes nothing that runs.
    const run = new Set(runTexts().map(commandKey));
    const notRun = new Set(Object.keys(NOT_RUN).map(commandKey));
    const unaccounted = readme().filter((c) => !run.has(commandKey(c.text)) && !notRun.has(commandKey(c.text)));
    expect(unaccounted.map((c) => `[${c.section}] ${c.text}`)).toEqual([]);
    const both = readme().filter((c) => run.has(commandKey(c.text)) && notRun.has(commandKey(c.text)));
    expect(both.map((c) => c.text)).toEqual([]);
  });

  test('each entry of NOT_RUN and each command a scenario runs is in the README, word for word but for comments', () => {
    const texts = new Set(readme().map((c) => commandKey(c.text)));
    expect(Object.keys(NOT_RUN).filter((text) => !texts.has(commandKey(text)))).toEqual([]);
    expect(runTexts().filter((text) => !texts.has(commandKey(text)))).toEqual([]);
  });

  test('where the README\'s comment on a command states exit codes, the code the test expects is among them', () => {
    const byKey = new Map(readme().map((c) => [commandKey(c.text), c.text]));
    const disagreements = allSteps().flatMap((step) => {
      const text = byKey.get(commandKey(textOf(step))) ?? '';
      const comment = text.split('\n').map((line, i) => line.slice(commandKey(text).split('\n')[i].length)).join(' ');
      const stated = /\bexit\b(.*)$/.exec(comment)?.[1];
      if (stated === undefined) return [];
      const codes = [...stated.matchAll(/\b(\d+)\b/g)].map((m) => Number(m[1]));
      return codes.includes(step.exit) ? [] : [`${text}: the test expects exit ${step.exit}`];
    });
    expect(disagreements).toEqual([]);
    // The comments that state codes are there (the Validation and plan lines): this check judges something.
    expect(readme().filter((c) => /#.*\bexit \d/.test(c.text)).length).toBeGreaterThanOrEqual(5);
  });

  test('the only part of a command left out is `npm ci`, and every other command in NOT_RUN names its reason', () => {
    for (const [text, why] of Object.entries(NOT_RUN)) expect({ text, why: why.length > 20 }).toEqual({ text, why: true });
    const withCi = runTexts().filter((text) => text.includes('npm ci'));
    expect(withCi.every((text) => text.startsWith(NPM_CI) && !text.slice(NPM_CI.length).includes('npm ci'))).toBe(true);
  });
});

describe('README commands run here, locally, in a scratch copy of the project', () => {
  test.each(Object.keys(LOCAL))('%s', async (name) => {
    const at = scene('/nonexistent/kubeconfig');
    await prepareLocal(name, at);
    await runSteps(at, LOCAL[name].map((step) => ({ ...step, command: stripNpmCi(textOf(step)) })));
  }, 300_000);
});

/** `npm ci && X` runs as X (npm ci: see NOT_RUN). */
function stripNpmCi(text: string): string {
  return text.startsWith(NPM_CI) ? text.slice(NPM_CI.length) : text;
}

describe('each command\'s help, as a reader asks for it: usage on stdout, exit 0, nothing run or written', () => {
  test.each([
    ['npm run plan -- --help', /^usage: npm run plan -- /],
    ['npm run plan -- -h', /^usage: npm run plan -- /],
    ['npm run open-preview -- --help', /^usage: npm run open-preview -- /],
    ['npm run close-preview -- -h', /^usage: npm run close-preview -- /],
    ['npm run validate -- --help', /^usage: npm run validate -- /],
    ['node scripts/publish-rendered.js --help', /^usage: node scripts\/publish-rendered\.js /],
  ])('%s', async (command, usage) => {
    const at = scene('/nonexistent/kubeconfig');
    // kubectl and git, should either run, leave a mark.
    const calls = path.join(tempDir(), 'calls');
    const bin = path.join(tempDir(), 'bin');
    fs.mkdirSync(bin);
    for (const tool of ['kubectl', 'git']) fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho ${tool} "$*" >> ${calls}\nexit 1\n`, { mode: 0o755 });
    const before = fs.readdirSync(at.project.dir).sort();
    const result = await run('sh', ['-c', command], { cwd: at.project.dir, env: { ...at.env, PATH: `${at.project.bin}:${bin}:${process.env.PATH}` } });
    expect({ code: result.code, stderr: result.stderr, calls: fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8') : '' }).toEqual({ code: 0, stderr: '', calls: '' });
    expect(result.stdout).toMatch(usage);
    expect(result.stdout).toMatch(/exit|Exit/);
    expect(fs.readdirSync(at.project.dir).sort()).toEqual(before);
  });

  test.each([
    ['npm run plan -- --frobnicate', /^error: unknown option --frobnicate: /],
    ['npm run open-preview -- dist --force', /^error: unknown option --force: /],
    ['npm run close-preview -- --all', /^error: unknown option --all: /],
    ['node scripts/publish-rendered.js --remote', /^error: --remote needs a value: nothing follows it$/],
  ])('%s: one error line, then the usage, exit 2', async (command, message) => {
    const at = scene('/nonexistent/kubeconfig');
    const result = await run('sh', ['-c', command], { cwd: at.project.dir, env: at.env });
    const [first, second] = result.stderr.split('\n');
    expect({ code: result.code, stdout: result.stdout }).toEqual({ code: 2, stdout: '' });
    expect(first).toMatch(message);
    expect(second).toMatch(/^usage: /);
  });
});

describeWithCluster('README commands run against the real API server', (cluster) => {
  for (const [name, scenario] of Object.entries(ON_CLUSTER)) {
    const body = () => {
      afterAll(async () => { await scenario.cleanup?.(cluster()); });
      test(name, async () => {
        const ns = await cluster().namespace('readme');
        const at = scene(cluster().kubeconfigFor(ns));
        // The README's kubeconfig for CI names the server and its CA file: this server's.
        fs.copyFileSync(cluster().info.caFile, path.join(at.project.dir, 'ca.crt'));
        at.fill['<api-server>'] = new URL(cluster().info.url).host;
        await runSteps(at, scenario.steps(cluster, ns).map((step) => ({ ...step, command: stripNpmCi(textOf(step)) })));
      }, 600_000);
    };
    if (scenario.crds) {
      describeWithCrds(name, scenario.crds, (folders) => {
        beforeAll(async () => { for (const folder of Object.values(folders)) await cluster().installCrds(folder); }, 120_000);
        body();
      });
    } else {
      describe(name, body);
    }
  }
});
