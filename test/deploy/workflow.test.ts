import { NAMESPACE_MARK } from '../../lib/program/ownership';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { buildApp } from '../../lib/program/app';
import { readConfig } from '../../lib/program/config';
import { synthesize } from '../../lib/program/synth';
import { SHA, tempDir } from '../helpers';
import { fakeKubectl } from '../support/fake-kubectl';
import { npmShim } from '../support/npm-shim';

const root = path.join(__dirname, '..', '..');
const workflow = parse(fs.readFileSync(path.join(root, '.github', 'workflows', 'deploy.yml'), 'utf8'));

interface Step { name?: string; run?: string; if?: string; env?: Record<string, string> }
const stepNamed = (job: string, name: string): Step => {
  const found = (workflow.jobs[job].steps as Step[]).filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one step "${name}" in ${job}, found ${found.length}`);
  return found[0];
};

interface Job { steps: (Step & { uses?: string; with?: Record<string, unknown> })[] }

/** The steps of a job before the one named, as their `uses` or `run` lines. */
const stepsBefore = (job: string, name: string): string[] => {
  const steps = (workflow.jobs[job] as Job).steps;
  return steps.slice(0, steps.findIndex((s) => s.name === name)).map((s) => s.uses ?? s.run ?? '');
};

/**
 * Runs a step's script with bash -eo pipefail (GitHub's default shell), with a stand-in kubectl
 * (test/support/fake-kubectl.ts) that answers from `namespaces` and logs every call, and
 * `npm run open-preview` and `npm run close-preview` running the commands' own code (test/support/npm-shim.ts).
 */
function runWithFakeKubectl(script: string, namespaces: Record<string, Record<string, any>>, env: Record<string, string>, cwd = tempDir()) {
  const kubectl = fakeKubectl({ namespaces });
  const result = spawnSync('bash', ['-eo', 'pipefail', '-c', script], {
    encoding: 'utf8', cwd, env: { ...kubectl.env, PATH: `${npmShim()}${path.delimiter}${kubectl.env.PATH}`, ...env },
  });
  return { status: result.status, calls: kubectl.calls().map((args) => args.join(' ')), stdout: result.stdout, stderr: result.stderr, deleteInput: kubectl.deleteInput() };
}

const UID = '0f1e2d3c-4b5a-4697-8877-665544332211';

/** A live Namespace of a preview as the API server returns it: this app's labels, and the mark when `marked`. */
function liveNamespace(name: string, marked: boolean): Record<string, any> {
  const labels = { 'app.kubernetes.io/part-of': 'multi-k8s', 'app.kubernetes.io/instance': name, ...(marked ? { [NAMESPACE_MARK]: UID } : {}) };
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, uid: UID, resourceVersion: '4242', labels }, status: { phase: 'Active' } };
}

describe('deploy workflow', () => {
  test('main\'s pushes publish prod and dev with the publishing script, one run at a time', () => {
    const job = workflow.jobs['publish-rendered'];
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(job.if).toBe('github.event_name == \'push\'');
    expect(job.permissions).toEqual({ contents: 'write' });
    expect(job.concurrency).toEqual({ group: 'publish-rendered', 'cancel-in-progress': false });
    expect(stepNamed('publish-rendered', 'Publish rendered/prod and rendered/dev').run)
      .toContain('node scripts/publish-rendered.js --source "$GITHUB_SHA" --environments prod,dev --remote origin');
  });

  test('no job or step condition reads the secrets context, which GitHub refuses there', () => {
    const conditions = Object.values(workflow.jobs as Record<string, { if?: string; steps?: Step[] }>)
      .flatMap((job) => [job.if, ...(job.steps ?? []).map((s) => s.if)]).filter((c): c is string => c !== undefined);
    expect(conditions.length).toBeGreaterThan(0);
    for (const condition of conditions) expect(condition).not.toMatch(/secrets\./);
  });

  test.each([['set', 'configured=true'], ['empty', 'configured=false']])('the cluster check says whether PREVIEW_KUBECONFIG is %s', (_case, expected) => {
    const check = (workflow.jobs.cluster.steps as Step[])[0];
    const output = path.join(tempDir(), 'output');
    const result = spawnSync('bash', ['-eo', 'pipefail', '-c', check.run!], { encoding: 'utf8', env: { ...process.env, GITHUB_OUTPUT: output, PREVIEW_KUBECONFIG: expected.endsWith('true') ? 'apiVersion: v1' : '' } });
    expect(result.status).toBe(0);
    expect(fs.readFileSync(output, 'utf8').trim()).toBe(expected);
  });

  test('the preview jobs run only when the check found credentials', () => {
    for (const job of ['preview', 'preview-remove']) {
      expect(workflow.jobs[job].needs).toBe('cluster');
      expect(workflow.jobs[job].if).toMatch(/^needs\.cluster\.outputs\.configured == 'true' && github\.event\.action [!=]= 'closed'$/);
    }
  });

  test('a preview is applied after npm run open-preview, in the same command: a namespace this app did not create stops the job before the apply', () => {
    const name = 'Create its namespace (or check that this app created it), then apply it';
    expect(stepNamed('preview', name).run).toBe('npm run open-preview -- dist && kubectl apply -f "dist/preview-$PREVIEW.k8s.yaml"');
    expect(stepsBefore('preview', name)).toEqual(expect.arrayContaining(['npm ci', 'PREVIEWS="$PREVIEW" GIT_SHA="${{ github.event.pull_request.head.sha }}" npm run synth']));
    // pr-7's namespace exists with this app's labels but without the mark (an earlier bare apply adopted it): nothing is created or applied.
    const work = tempDir();
    synthesize(buildApp(readConfig({ GIT_SHA: SHA, PREVIEWS: 'pr-7' }, () => undefined)), { outdir: path.join(work, 'dist') });
    const { status, calls, stderr } = runWithFakeKubectl(stepNamed('preview', name).run!, { 'pr-7': liveNamespace('pr-7', false) }, { PREVIEW: 'pr-7' }, work);
    expect(status).toBe(2);
    expect(stderr).toContain(`error: namespace pr-7 exists and this app did not create it (it has no label ${NAMESPACE_MARK})`);
    expect(calls.filter((c) => !c.startsWith('get namespace pr-7 '))).toEqual([]);
  });

  describe('removing a closed pull request\'s preview', () => {
    const name = 'Delete the preview\'s namespace, and only if this app created it';
    const script = stepNamed('preview-remove', name).run!;

    test('the project is checked out and installed first: npm run close-preview needs it', () => {
      const before = stepsBefore('preview-remove', name);
      expect(before.slice(0, 3)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'npm ci']);
      expect((workflow.jobs['preview-remove'] as Job).steps[1].with).toEqual({ 'node-version': 24, cache: 'npm', 'cache-dependency-path': '${{ env.PROGRAM_DIR }}/package-lock.json' });
      expect(before[3]).toContain('KUBECONFIG=$RUNNER_TEMP/kubeconfig');
    });

    test('deletes the namespace this app created for it through npm run close-preview, with its uid and resource version as preconditions', () => {
      const { status, calls, stdout, stderr, deleteInput } = runWithFakeKubectl(script, { 'pr-7': liveNamespace('pr-7', true), 'pr-8': liveNamespace('pr-8', true) }, { PREVIEW: 'pr-7' });
      expect({ status, stderr }).toEqual({ status: 0, stderr: expect.stringContaining(`deleting namespace pr-7 (uid ${UID})`) });
      expect(stdout).toContain('namespace "pr-7" deleted');
      expect(calls.filter((c) => c.startsWith('delete'))).toEqual(['delete --raw /api/v1/namespaces/pr-7 -f -']);
      expect(JSON.parse(deleteInput!)).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: UID, resourceVersion: '4242' } });
    });

    test('refuses, exit 1, a namespace of that name without the mark npm run open-preview gives, even with this app\'s labels (an apply adopted it)', () => {
      const { status, calls, stderr } = runWithFakeKubectl(script, { 'pr-7': liveNamespace('pr-7', false) }, { PREVIEW: 'pr-7' });
      expect(status).toBe(1);
      expect(stderr).toContain(`error: namespace pr-7 was not created by this app (it has no label ${NAMESPACE_MARK}; npm run open-preview sets it when it creates a preview's namespace): nothing was deleted`);
      expect(calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    });

    test('succeeds without deleting anything when the preview is already gone', () => {
      const { status, calls, stdout } = runWithFakeKubectl(script, {}, { PREVIEW: 'pr-7' });
      expect(status).toBe(0);
      expect(stdout).toContain('namespace pr-7 does not exist: nothing to remove');
      expect(calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    });
  });
});

const readWorkflow = (file: string) => parse(fs.readFileSync(file, 'utf8'));
const sourceWorkflow = (name: string) => readWorkflow(path.join(root, '.github', 'workflows', name));

/**
 * A workflow text's `${{ }}` expressions, replaced by the values given for them (GitHub's
 * evaluation, for the few expressions these workflows use); an expression without a value throws.
 */
function evaluate(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_match, expression: string) => {
    if (!(expression in values)) throw new Error(`no value given for the expression ${expression}`);
    return values[expression];
  });
}

/** Runs a `run` step as GitHub would: bash -eo pipefail in the job's working-directory, with the workflow's, job's and step's env. */
function runStep(repository: string, doc: any, job: string, stepName: string, values: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const step = (doc.jobs[job].steps as Step[]).find((s) => s.name === stepName);
  if (!step?.run) throw new Error(`no run step "${stepName}" in ${job}`);
  const envOf = (env: Record<string, unknown> | undefined) => Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, evaluate(String(v), values)]));
  const cwd = path.join(repository, doc.jobs[job].defaults?.run?.['working-directory'] ?? doc.defaults?.run?.['working-directory'] ?? '.');
  const env = { ...process.env, ...envOf(doc.env), ...envOf(doc.jobs[job].env), ...envOf(step.env), ...extraEnv };
  return spawnSync('bash', ['-eo', 'pipefail', '-c', evaluate(step.run, values)], { cwd, env, encoding: 'utf8' });
}

const git = (cwd: string, ...args: string[]) => {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

describe('the deploy workflow\'s image prefix', () => {
  const check = (prefix: string | undefined) => {
    const step = stepNamed('publish-rendered', 'The app\'s images');
    const env: Record<string, string> = { ...process.env as Record<string, string> };
    delete env.IMAGE_PREFIX;
    return spawnSync('bash', ['-eo', 'pipefail', '-c', step.run!], { encoding: 'utf8', env: { ...env, IMAGE_PREFIX: prefix ?? '' } });
  };

  test('is the repository variable IMAGE_PREFIX, in both jobs that synthesize, checked before their synth', () => {
    for (const [job, synthStep] of [['publish-rendered', 'Publish rendered/prod and rendered/dev'], ['preview', 'Synthesize the preview']]) {
      expect(workflow.jobs[job].env.IMAGE_PREFIX).toBe('${{ vars.IMAGE_PREFIX }}');
      const names = (workflow.jobs[job].steps as Step[]).map((s) => s.name);
      expect(names.indexOf('The app\'s images')).toBeGreaterThan(-1);
      expect(names.indexOf('The app\'s images')).toBeLessThan(names.indexOf(synthStep));
      expect(stepNamed(job, 'The app\'s images').run).toBe(stepNamed('publish-rendered', 'The app\'s images').run);
    }
  });

  test.each([['unset', undefined, 'IMAGE_PREFIX is not set: set the repository variable IMAGE_PREFIX'], ['the course\'s', 'stephengrider', 'IMAGE_PREFIX=stephengrider names the course\'s images'], ['the course\'s on Docker Hub', 'docker.io/stephengrider', 'IMAGE_PREFIX=docker.io/stephengrider names the course\'s images']])('stops the job with one line when %s', (_case, prefix, message) => {
    const r = check(prefix);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`::error::${message}`)]);
  });

  test('lets a prefix of the app\'s own registry through', () => {
    const r = check('ghcr.io/acme');
    expect({ status: r.status, stdout: r.stdout.trim() }).toEqual({ status: 0, stdout: 'images: ghcr.io/acme/multi-client, multi-server and multi-worker at the commit' });
  });
});

describe('the program beside the app: npm run install-workflows', () => {
  const ENTRIES = ['package.json', 'package-lock.json', 'scripts', 'lib', 'main.ts', 'tsconfig.json', 'cdk8s.yaml', 'node_modules', '.github'];

  /** An app repository as the course's: client/, server/, worker/ and this program as k8s/ (its entries linked), one commit. */
  function appRepository(): string {
    const repository = tempDir();
    git(repository, 'init', '-q', '-b', 'main');
    for (const app of ['client', 'server', 'worker']) {
      fs.mkdirSync(path.join(repository, app));
      fs.writeFileSync(path.join(repository, app, 'Dockerfile'), 'FROM node:alpine\n');
    }
    fs.mkdirSync(path.join(repository, 'k8s'));
    for (const entry of ENTRIES) fs.symlinkSync(path.join(root, entry), path.join(repository, 'k8s', entry));
    git(repository, 'add', '-A');
    git(repository, 'commit', '-q', '-m', 'the app');
    return repository;
  }

  const install = (repository: string, dir = '../.github/workflows') => spawnSync('npm', ['run', '--silent', 'install-workflows', '--', dir], { cwd: path.join(repository, 'k8s'), encoding: 'utf8' });
  const installed = (repository: string, name: string) => path.join(repository, '.github', 'workflows', name);

  test('writes both workflows where GitHub runs them, each the source with PROGRAM_DIR and working-directory k8s, the tests filtered to k8s/', () => {
    const repository = appRepository();
    const r = install(repository);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout.trim().split('\n')).toEqual([
      'wrote ../.github/workflows/k8s-manifests.yml (runs k8s/.github/workflows/manifests.yml with working-directory k8s)',
      'wrote ../.github/workflows/k8s-deploy.yml (runs k8s/.github/workflows/deploy.yml with working-directory k8s)',
    ]);
    const manifests = readWorkflow(installed(repository, 'k8s-manifests.yml'));
    const deploy = readWorkflow(installed(repository, 'k8s-deploy.yml'));
    const paths = ['k8s/**', '.github/workflows/k8s-manifests.yml'];
    const expectedManifests = sourceWorkflow('manifests.yml');
    expectedManifests.env.PROGRAM_DIR = 'k8s';
    expectedManifests.defaults.run['working-directory'] = 'k8s';
    expectedManifests.on = { push: { paths }, pull_request: { paths } };
    expect(manifests).toEqual(expectedManifests);
    const expectedDeploy = sourceWorkflow('deploy.yml');
    expectedDeploy.env.PROGRAM_DIR = 'k8s';
    expectedDeploy.defaults.run['working-directory'] = 'k8s';
    // Not filtered: each commit of main names its own images.
    expect(deploy).toEqual(expectedDeploy);
    // What the uses: steps (which ignore working-directory) are given lies in the program's folder.
    const setupNode = (manifests.jobs.manifests.steps as Job['steps']).find((s) => s.uses === 'actions/setup-node@v4')!;
    expect(fs.existsSync(path.join(repository, evaluate(String(setupNode.with!['cache-dependency-path']), { 'env.PROGRAM_DIR': 'k8s' })))).toBe(true);
  });

  test('the installed tests workflow\'s synth runs in k8s/ and its artifact path finds the manifests', () => {
    const repository = appRepository();
    expect(install(repository).status).toBe(0);
    const manifests = readWorkflow(installed(repository, 'k8s-manifests.yml'));
    const values = { 'github.event.pull_request.head.sha || github.sha': SHA, 'vars.IMAGE_PREFIX || \'stephengrider\'': 'ghcr.io/acme', 'env.PROGRAM_DIR': 'k8s' };
    const r = runStep(repository, manifests, 'manifests', 'Synthesize the manifests for this commit', values);
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
    const upload = (manifests.jobs.manifests.steps as Job['steps']).find((s) => s.uses === 'actions/upload-artifact@v4')!;
    const pattern = evaluate(String(upload.with!.path), values);
    expect(pattern).toBe('k8s/dist/*.yaml');
    const files = fs.readdirSync(path.join(repository, 'k8s', 'dist')).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    const all = files.map((f) => fs.readFileSync(path.join(repository, 'k8s', 'dist', f), 'utf8')).join('\n');
    expect(all).toContain(`image: ghcr.io/acme/multi-server:${SHA}`);
    expect(all).not.toContain('stephengrider/');
  }, 180_000);

  test('the installed deploy workflow publishes rendered/prod of the app\'s commit with the IMAGE_PREFIX variable\'s images', () => {
    const repository = appRepository();
    expect(install(repository).status).toBe(0);
    const origin = path.join(tempDir(), 'origin.git');
    git(repository, 'init', '-q', '--bare', origin);
    git(repository, 'remote', 'add', 'origin', origin);
    const head = git(repository, 'rev-parse', 'HEAD');
    const deploy = readWorkflow(installed(repository, 'k8s-deploy.yml'));
    const values = { 'vars.IMAGE_PREFIX': 'ghcr.io/acme' };
    const checked = runStep(repository, deploy, 'publish-rendered', 'The app\'s images', values);
    expect(checked.status).toBe(0);
    const r = runStep(repository, deploy, 'publish-rendered', 'Publish rendered/prod and rendered/dev', values, { GITHUB_SHA: head });
    expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
    const images = git(origin, 'grep', '-h', 'image: ', 'rendered/prod', '--').split('\n').map((l) => l.trim().replace(/^- /, ''));
    expect(images).toEqual(expect.arrayContaining([`image: ghcr.io/acme/multi-server:${head}`, `image: ghcr.io/acme/multi-client:${head}`, `image: ghcr.io/acme/multi-worker:${head}`]));
    expect(images.filter((l) => l.includes('stephengrider'))).toEqual([]);
  }, 180_000);

  test('runs again over its own unedited files; never overwrites a file it did not write or one edited since, and then writes nothing', () => {
    const repository = appRepository();
    expect(install(repository).status).toBe(0);
    const manifestsFile = installed(repository, 'k8s-manifests.yml');
    const deployFile = installed(repository, 'k8s-deploy.yml');
    const first = fs.readFileSync(manifestsFile, 'utf8');
    expect(install(repository).status).toBe(0);
    expect(fs.readFileSync(manifestsFile, 'utf8')).toBe(first);

    fs.rmSync(manifestsFile);
    fs.appendFileSync(deployFile, '# a local change\n');
    const edited = install(repository);
    expect(edited.status).toBe(1);
    expect(edited.stderr.trim().split('\n')).toEqual([
      `error: ${deployFile} was edited since npm run install-workflows wrote it: make the change in this program's .github/workflows, or remove the file, and run it again`,
      'nothing was written',
    ]);
    expect(fs.existsSync(manifestsFile)).toBe(false);

    fs.writeFileSync(deployFile, 'name: the app\'s own\n');
    const foreign = install(repository);
    expect(foreign.status).toBe(1);
    expect(foreign.stderr).toContain(`error: ${deployFile} was not written by npm run install-workflows: rename or remove it (or merge it by hand)`);
    expect(fs.readFileSync(deployFile, 'utf8')).toBe('name: the app\'s own\n');
    expect(fs.existsSync(manifestsFile)).toBe(false);
  });

  test.each([
    ['a folder that is not .github/workflows', '../workflows', 'DIR=../workflows is not a .github/workflows folder'],
    ['this program\'s own workflows', '.github/workflows', 'this program is the repository'],
  ])('refuses %s (exit 1)', (_case, dir, message) => {
    const repository = appRepository();
    const cwd = _case.startsWith('this') ? root : path.join(repository, 'k8s');
    const r = spawnSync('npm', ['run', '--silent', 'install-workflows', '--', dir], { cwd, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error: ${message}`);
  });

  test.each([[['--help']], [['-h']], [['../.github/workflows', '--help']]])('%j prints the usage with the exit codes on stdout, exit 0, and writes nothing', (args) => {
    const repository = appRepository();
    const r = spawnSync('npm', ['run', '--silent', 'install-workflows', '--', ...args], { cwd: path.join(repository, 'k8s'), encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toMatch(/^usage: npm run install-workflows -- DIR\n/);
    expect(r.stdout).toContain('Exit codes: 0 written (or this help), 1 ');
    expect(fs.existsSync(path.join(repository, '.github'))).toBe(false);
  });

  test.each([
    [[], 'error: name one DIR (none was given)'],
    [['../.github/workflows', 'x'], 'error: name one DIR (2 were given)'],
    [['--force', '../.github/workflows'], 'error: unknown option --force: allowed are -h, --help, -- (a DIR starting with - goes after --)'],
    [['--', '-x'], 'error: DIR=-x is not a .github/workflows folder'],
  ])('%j: one error line (then the usage where the command line is wrong), and nothing written', (args, message) => {
    const repository = appRepository();
    const r = spawnSync('npm', ['run', '--silent', 'install-workflows', '--', ...args], { cwd: path.join(repository, 'k8s'), encoding: 'utf8' });
    const usage = message.includes('DIR=') ? 1 : 2;
    expect(r.status).toBe(usage);
    expect(r.stderr.split('\n')[0]).toBe(usage === 2 ? message : `${message}: give the one of the repository this program lies in, e.g. ../.github/workflows`);
    if (usage === 2) expect(r.stderr.split('\n')[1]).toBe('usage: npm run install-workflows -- DIR');
    expect(fs.existsSync(path.join(repository, '.github'))).toBe(false);
  });
});
