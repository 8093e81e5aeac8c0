import { closePreviewArgs } from '../../lib/program/ownership';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { tempDir } from '../helpers';

const root = path.join(__dirname, '..', '..');
const workflow = parse(fs.readFileSync(path.join(root, '.github', 'workflows', 'deploy.yml'), 'utf8'));

interface Step { name?: string; run?: string; if?: string; env?: Record<string, string> }
const stepNamed = (job: string, name: string): Step => {
  const found = (workflow.jobs[job].steps as Step[]).filter((s) => s.name === name);
  if (found.length !== 1) throw new Error(`expected one step "${name}" in ${job}, found ${found.length}`);
  return found[0];
};

/**
 * Runs a step's script with bash -eo pipefail (GitHub's default shell) and a stand-in kubectl
 * that answers from `namespaces` (name -> part-of label) and logs every call.
 */
function runWithFakeKubectl(script: string, namespaces: Record<string, string>, env: Record<string, string>) {
  const dir = tempDir();
  const log = path.join(dir, 'calls');
  // One file per namespace holding its part-of label: the stand-in is a shell script, quick to start.
  fs.mkdirSync(path.join(dir, 'ns'));
  for (const [name, owner] of Object.entries(namespaces)) fs.writeFileSync(path.join(dir, 'ns', name), owner);
  fs.writeFileSync(path.join(dir, 'kubectl'), `#!/bin/sh
echo "$*" >> '${log}'
if [ "$1 $2" = "get namespace" ]; then
  [ -f '${dir}/ns/'"$3" ] || exit 0
  case "$*" in *"-o name"*) printf 'namespace/%s' "$3" ;; *) cat '${dir}/ns/'"$3" ;; esac
fi
`, { mode: 0o755 });
  const result = spawnSync('bash', ['-eo', 'pipefail', '-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, ...env } });
  const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
  return { status: result.status, calls, stderr: result.stderr };
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

  describe('removing a closed pull request\'s preview', () => {
    const script = stepNamed('preview-remove', 'Delete the preview\'s namespace, and only if this app created it').run!;

    test('deletes the namespace this app created for it, with the same command as npm run close-preview', () => {
      const { status, calls } = runWithFakeKubectl(script, { 'pr-7': 'multi-k8s', 'pr-8': 'multi-k8s' }, { PREVIEW: 'pr-7' });
      expect(status).toBe(0);
      expect(calls.filter((c) => c.startsWith('delete'))).toEqual([
        closePreviewArgs('pr-7').join(' '),
      ]);
    });

    test('refuses a namespace of that name that this app did not create', () => {
      const { status, calls, stderr } = runWithFakeKubectl(script, { 'pr-7': 'someone-else' }, { PREVIEW: 'pr-7' });
      expect(status).toBe(1);
      expect(stderr).toContain('namespace pr-7 is not labelled app.kubernetes.io/part-of=multi-k8s: left as it is');
      expect(calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    });

    test('succeeds without deleting anything when the preview is already gone', () => {
      const { status, calls } = runWithFakeKubectl(script, {}, { PREVIEW: 'pr-7' });
      expect(status).toBe(0);
      expect(calls.filter((c) => c.startsWith('delete'))).toEqual([]);
    });
  });
});
