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
      expect((workflow.jobs['preview-remove'] as Job).steps[1].with).toEqual({ 'node-version': 20, cache: 'npm' });
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
