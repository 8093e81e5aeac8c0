import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { Cron } from 'cdk8s';
import { AppCronJob } from '../../lib/components/app-cron-job';
import type { MultiK8sChart } from '../../lib/components/chart';
import { diffArgs, dryRunArgs } from '../../lib/plan/kubectl';
import { buildApp } from '../../lib/program/app';
import { pruneScope } from '../../lib/program/ownership';
import { run } from '../../lib/program/plan-command';
import { keepPreviousOutput } from '../../lib/program/previous-output';
import { config, defaultObjects, find, tempDir } from '../helpers';
import { captureOutput } from '../support/cli';
import { fakeKubectl } from '../support/fake-kubectl';

type Objects = Record<string, any>[];

function writeOutput(dir: string, objects: Objects): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'multi-k8s.k8s.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  return dir;
}

/** Runs `npm run plan` in process; returns its exit code, stdout lines and stderr lines. */
function plan(args: string[], kubectl = {}) {
  return captureOutput(() => run(args, kubectl));
}

describe('npm run plan OLD_DIR NEW_DIR', () => {
  test('exit 0 and no object line when the outputs are the same', () => {
    const dir = tempDir();
    const old = writeOutput(path.join(dir, 'old'), defaultObjects());
    const next = writeOutput(path.join(dir, 'new'), defaultObjects());
    expect(plan([old, next])).toEqual({ code: 0, out: [], err: ['plan: no differences'] });
  });

  test('exit 1 with one line per object and the warnings after them', () => {
    const dir = tempDir();
    const old = writeOutput(path.join(dir, 'old'), defaultObjects());
    const changed = defaultObjects();
    find(changed, 'Deployment', 'server-deployment').spec.template.spec.containers[0].image = 'stephengrider/multi-server:v2';
    const next = writeOutput(path.join(dir, 'new'), changed.filter((o) => o.kind !== 'PodDisruptionBudget' || o.metadata.name !== 'client-disruption-budget'));
    const result = plan([old, next]);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([
      '~ Deployment/server-deployment: spec.template.spec.containers[server].image',
      '- PodDisruptionBudget/client-disruption-budget',
      '! dip PodDisruptionBudget/client-disruption-budget: the disruption budget goes: a node drain may evict every pod of component=web at once',
    ]);
    expect(result.err).toEqual(['plan: 0 to add, 1 to change, 1 to remove; 1 warning(s)', expect.stringMatching(/^apply with: kubectl apply -f \S+ --prune -l 'app\.kubernetes\.io\/part-of=multi-k8s,app\.kubernetes\.io\/instance in \(dev,prod\)' --prune-allowlist=apps\/v1\/Deployment /)]);
  });

  test('a removed claim is named as data a prune deletes', () => {
    const dir = tempDir();
    const old = writeOutput(path.join(dir, 'old'), defaultObjects());
    const next = writeOutput(path.join(dir, 'new'), defaultObjects().filter((o) => o.kind !== 'PersistentVolumeClaim'));
    expect(plan([old, next]).out).toContain('! data PersistentVolumeClaim/database-persistent-volume-claim: a pruning apply deletes the claim, and its volume\'s data with it unless the volume\'s reclaim policy is Retain: back it up first, or keep the claim with `kubectl annotate pvc database-persistent-volume-claim kubectl.kubernetes.io/last-applied-configuration-`');
  });

  test('a changed Secret prints its key, never its value', () => {
    const dir = tempDir();
    const secret = (value: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'extra' }, stringData: { TOKEN: value } });
    const old = writeOutput(path.join(dir, 'old'), [secret('first-secret-value')]);
    const next = writeOutput(path.join(dir, 'new'), [secret('second-secret-value')]);
    const result = plan([old, next]);
    expect(result.out).toEqual(['~ Secret/extra: stringData.TOKEN (value hidden)']);
    expect([...result.out, ...result.err].join('\n')).not.toMatch(/first-secret-value|second-secret-value/);
  });

  test('without OLD_DIR it compares with the output synth kept, and NEW_DIR defaults to dist', () => {
    const dir = tempDir();
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      writeOutput('dist', defaultObjects());
      // What synth does before it swaps a changed output in.
      keepPreviousOutput('dist', new Map([['multi-k8s.k8s.yaml', 'changed']]));
      writeOutput('dist', defaultObjects({ ENVIRONMENT: 'dev' }));
      const result = plan([]);
      expect(result.code).toBe(1);
      expect(result.out).toContain('- HorizontalPodAutoscaler/server-deployment');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('npm run plan\'s command line', () => {
  /** Runs plan in an empty folder with a fake kubectl: what it printed, what it ran, what it wrote. */
  function inEmptyFolder(args: string[]) {
    const cwd = process.cwd();
    const dir = tempDir();
    const kubectl = fakeKubectl();
    try {
      process.chdir(dir);
      const result = plan(args, { env: kubectl.env });
      return { ...result, calls: kubectl.calls(), files: fs.readdirSync(dir) };
    } finally {
      process.chdir(cwd);
    }
  }

  test.each([[['--help']], [['-h']], [['--cluster', '--help']], [['a', '-h', '--frobnicate']]])('%j prints the usage on stdout, exit 0, reads nothing, runs no kubectl, writes nothing', (args) => {
    const result = inEmptyFolder(args);
    expect(result).toEqual({ code: 0, out: [expect.stringMatching(/^usage: npm run plan -- \[OLD_DIR \[NEW_DIR\]\]\n/)], err: [], calls: [], files: [] });
    // Every operand and option with its default, and the exit codes.
    for (const part of [/OLD_DIR +the output to compare with \(default: \.dist-previous/, /NEW_DIR +the output to apply \(default: dist\)/, /--cluster +compare NEW_DIR with the cluster[\s\S]*\(default: off\)/,
      /-h, --help +print this help and exit 0/, /-- +ends the options/, /Exit codes \(as kubectl diff\): 0 no difference, 1 differences, 2 an error/]) {
      expect(result.out[0]).toMatch(part);
    }
  });

  test.each([
    [['--frobnicate'], 'error: unknown option --frobnicate: allowed are --cluster, -h, --help, -- (an operand starting with - goes after --)'],
    [['--cluster', '--cluster'], 'error: --cluster is given twice: give it once'],
    [['a', 'b', 'c'], 'error: too many folders (a b c): at most two (OLD_DIR NEW_DIR)'],
    [['--cluster', 'a', 'b'], 'error: too many folders (a b): at most one with --cluster (NEW_DIR)'],
    [['--', 'a', '-b', 'c'], 'error: too many folders (a -b c): at most two (OLD_DIR NEW_DIR)'],
  ])('%j: one error line, then the usage, exit 2, no kubectl', (args, message) => {
    const result = inEmptyFolder(args);
    expect(result).toEqual({ code: 2, out: [], err: [message, expect.stringMatching(/^usage: npm run plan -- /)], calls: [], files: [] });
  });

  test('after --, an argument starting with - is a folder', () => {
    const dir = tempDir();
    const old = writeOutput(path.join(dir, '-old'), defaultObjects());
    const next = writeOutput(path.join(dir, 'new'), defaultObjects());
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      expect(plan(['--', '-old', next])).toEqual({ code: 0, out: [], err: ['plan: no differences'] });
      expect(plan(['-old', next]).err[0]).toMatch(/^error: unknown option -old/);
    } finally {
      process.chdir(cwd);
    }
    expect(fs.existsSync(old)).toBe(true);
  });
});

describe('npm run plan errors: exit 2, one line, no stack', () => {
  test.each([
    [['/no/such/old', '/no/such/new'], /^error: \/no\/such\/old: no such file or directory \(ENOENT\)$/],
  ])('%j', (args, message) => {
    const result = plan(args);
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(message);
  });

  test('no previous output kept yet', () => {
    const cwd = process.cwd();
    try {
      process.chdir(tempDir());
      const result = plan([]);
      expect(result).toEqual({ code: 2, out: [], err: [expect.stringMatching(/^error: no previous output to compare with: npm run synth keeps it in \.dist-previous\/ once an output changes; or name OLD_DIR/)] });
    } finally {
      process.chdir(cwd);
    }
  });

  test('a YAML syntax error names the file and line', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'bad'));
    fs.writeFileSync(path.join(dir, 'bad', 'x.yaml'), 'kind: [unclosed\n');
    const result = plan([path.join(dir, 'bad'), writeOutput(path.join(dir, 'new'), defaultObjects())]);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(/^error: .*x\.yaml: line \d+ column \d+: YAML syntax error/)]);
  });
});

describe('npm run plan -- --cluster (a fake kubectl on PATH)', () => {
  const dist = () => writeOutput(path.join(tempDir(), 'dist'), defaultObjects());
  const live = (objects: Objects) => objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'default', uid: 'u-1', resourceVersion: '42', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } }, status: { observedGeneration: 1 } }));

  test('runs kubectl diff with the apply\'s prune flags, then the apply as a server-side dry run', () => {
    const dir = dist();
    const kubectl = fakeKubectl({ live: live(defaultObjects()), merged: live(defaultObjects()) });
    const result = plan(['--cluster', dir], { env: kubectl.env });
    const scope = pruneScope({ kind: 'environment' });
    expect(kubectl.calls()).toEqual([diffArgs(dir, scope), dryRunArgs(dir, scope)]);
    expect(kubectl.calls()[0]).toEqual(['diff', '-f', dir, '--prune', '-l', 'app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance in (dev,prod)',
      ...scope.allowlist.map((kind) => `--prune-allowlist=${kind}`)]);
    expect(kubectl.calls()[1].slice(0, 4)).toEqual(['apply', '-f', dir, '--dry-run=server']);
    expect(result).toEqual({ code: 0, out: [], err: ['plan: no differences'] });
  });

  test('a previews output diffs with a selector of exactly its previews', () => {
    const dir = writeOutput(path.join(tempDir(), 'dist'), defaultObjects({ PREVIEWS: 'pr-12' }));
    const kubectl = fakeKubectl();
    plan(['--cluster', dir], { env: kubectl.env });
    expect(kubectl.calls()[0]).toContain('app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance in (pr-12)');
  });

  test('live objects to be pruned, created and changed: one line each, exit 1', () => {
    const before = live(defaultObjects());
    const after = live(defaultObjects({ ENVIRONMENT: 'dev' }));
    const kubectl = fakeKubectl({ live: before, merged: after });
    const result = plan(['--cluster', dist()], { env: kubectl.env });
    expect(result.code).toBe(1);
    expect(result.out).toEqual(expect.arrayContaining([
      '- HorizontalPodAutoscaler/server-deployment (default)',
      expect.stringMatching(/^~ Deployment\/server-deployment \(default\): .*spec\.replicas/),
      expect.stringMatching(/^! dip Deployment\/server-deployment \(default\): HorizontalPodAutoscaler\/server-deployment goes/),
    ]));
    const created = fakeKubectl({ live: [], merged: live(defaultObjects()).slice(0, 1) });
    expect(plan(['--cluster', dist()], { env: created.env }).out).toEqual(['+ PersistentVolumeClaim/database-persistent-volume-claim (default)']);
  });

  test('replicas the last apply set and this output does not: named with the edit-last-applied step, though kubectl diff shows the live annotation and the defaulted 1', () => {
    // As kubectl diff writes them after `kubectl apply -f k8s/` (the course's server at 3 replicas):
    // its dry-run patch leaves the annotation as it was and the server defaults replicas to 1.
    const course = structuredClone(find(defaultObjects(), 'Deployment', 'server-deployment'));
    course.spec.replicas = 3;
    const annotated = (o: Objects[number], replicas: number) => ({
      ...o, metadata: { ...o.metadata, namespace: 'default', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(course) } }, spec: { ...o.spec, replicas },
    });
    const merged = [annotated(find(defaultObjects(), 'Deployment', 'server-deployment'), 1), ...live(defaultObjects().filter((o) => o.kind === 'HorizontalPodAutoscaler'))];
    const kubectl = fakeKubectl({ live: [annotated(course, 3)], merged });
    const result = plan(['--cluster', dist()], { env: kubectl.env });
    expect(result.out.filter((l) => l.includes('edit-last-applied'))).toEqual([
      '! dip Deployment/server-deployment (default): replicas goes to HorizontalPodAutoscaler/server-deployment: the apply removes the replicas the last apply set, so the Deployment drops to 1 pod until the autoscaler scales it back to 3; first run `kubectl apply edit-last-applied deployment/server-deployment -n default` and delete its replicas line',
    ]);
  });

  test('a namespace not found: diffed again without its objects only if the output creates it, and only once', () => {
    const dir = writeOutput(path.join(tempDir(), 'dist'), defaultObjects({ PREVIEWS: 'pr-12' }));
    // This fake refuses every diff alike: the second refusal of pr-12 is an error, not a third try.
    const own = fakeKubectl({ diffError: 'Error from server (NotFound): namespaces "pr-12" not found' });
    expect(plan(['--cluster', dir], { env: own.env })).toEqual({ code: 2, out: [], err: ['error: kubectl diff failed: Error from server (NotFound): namespaces "pr-12" not found'] });
    expect(own.calls().map((args) => args[0])).toEqual(['diff', 'diff']);
    expect(own.calls()[1][2]).not.toBe(dir);
    const other = fakeKubectl({ diffError: 'Error from server (NotFound): namespaces "pr-13" not found' });
    expect(plan(['--cluster', dir], { env: other.env }).err).toEqual(['error: kubectl diff failed: Error from server (NotFound): namespaces "pr-13" not found']);
    expect(other.calls()).toHaveLength(1);
  });

  test('kubectl diff failing is exit 2 with its message on one line', () => {
    const kubectl = fakeKubectl({ diffError: 'error: You must be logged in to the server (Unauthorized)' });
    expect(plan(['--cluster', dist()], { env: kubectl.env })).toEqual({ code: 2, out: [], err: ['error: kubectl diff failed: error: You must be logged in to the server (Unauthorized)'] });
  });

  test('the server refusing the dry run is exit 2 with its reason', () => {
    const kubectl = fakeKubectl({ dryRunError: 'The Deployment "postgres-deployment" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"db"}}: field is immutable' });
    const result = plan(['--cluster', dist()], { env: kubectl.env });
    expect(result).toEqual({
      code: 2,
      out: ['! replace Deployment/postgres-deployment: the API server refuses to change spec.selector in place: run `kubectl delete deployment postgres-deployment`, then apply'],
      err: ['error: the server refuses the apply (kubectl apply --dry-run=server): The Deployment "postgres-deployment" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"db"}}: field is immutable'],
    });
  });

  test('a refusal in a preview names the preview\'s namespace in the command', () => {
    const dir = writeOutput(path.join(tempDir(), 'dist'), defaultObjects({ PREVIEWS: 'pr-12' }));
    const kubectl = fakeKubectl({ diffError: 'The StatefulSet "db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than \'replicas\' are forbidden' });
    expect(plan(['--cluster', dir], { env: kubectl.env }).out).toEqual([
      '! replace StatefulSet/db (pr-12): the API server refuses to change spec in place: run `kubectl delete statefulset db -n pr-12 --cascade=orphan`, then apply (the pods keep running and the new StatefulSet adopts them)',
    ]);
  });

  test('no kubectl on PATH is exit 2 naming the version needed', () => {
    const result = plan(['--cluster', dist()], { env: { ...process.env, PATH: tempDir() } });
    expect(result).toEqual({ code: 2, out: [], err: ['error: kubectl was not found on PATH: install kubectl 1.27 or newer'] });
  });

  test('an output without ownership labels is refused before kubectl runs', () => {
    const dir = writeOutput(path.join(tempDir(), 'k8s'), [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 1 }] } }]);
    const kubectl = fakeKubectl();
    const result = plan(['--cluster', dir], { env: kubectl.env });
    expect(result.code).toBe(2);
    expect(result.err).toEqual(['error: Service/x has no app.kubernetes.io/instance label of multi-k8s: synthesize the output with this version (npm run synth)']);
    expect(kubectl.calls()).toEqual([]);
  });
});

describe('npm run plan: the apply it prints', () => {
  test('lists the custom kinds of either output, so turning HTTPS off prunes its Certificate and issuer', () => {
    const dir = tempDir();
    const withTls = writeOutput(path.join(dir, 'tls'), defaultObjects({ HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' }));
    const without = writeOutput(path.join(dir, 'plain'), defaultObjects());
    const off = plan([withTls, without]);
    expect(off.code).toBe(1);
    const line = off.err.find((l) => l.startsWith('apply with: '))!;
    expect(line).toContain('--prune-allowlist=cert-manager.io/v1/Certificate');
    expect(line).toContain('--prune-allowlist=cert-manager.io/v1/ClusterIssuer');
    // Between two outputs without custom resources, no custom kind: kubectl refuses one the cluster does not know.
    const same = plan([without, writeOutput(path.join(dir, 'dev'), defaultObjects({ ENVIRONMENT: 'dev' }))]);
    expect(same.err.find((l) => l.startsWith('apply with: '))).not.toMatch(/cert-manager|gateway\.networking/);
  });

  test('lists the kind of a component of your own while either output has it, so taking a CronJob out prunes it (README "Your own components")', () => {
    const nightly = (chart: MultiK8sChart) => new AppCronJob(chart, 'Nightly', {
      name: 'values-count', schedule: Cron.daily(), image: chart.postgres.image, runAs: { user: 999, group: 999 },
      command: ['psql', '--command', 'select 1'], env: chart.postgres.clientEnv, connectsTo: [chart.postgres],
    });
    for (const env of [{}, { PREVIEWS: 'pr-12' }]) {
      const dir = tempDir();
      const withJob = writeOutput(path.join(dir, 'with'), buildApp(config(env), { extend: nightly }).flatMap(({ chart }) => chart.toJson()));
      const without = writeOutput(path.join(dir, 'without'), defaultObjects(env));
      const at = 'PREVIEWS' in env ? ' (pr-12)' : '';
      const out = plan([withJob, without]);
      expect({ env, code: out.code, removed: out.out.filter((line) => line.startsWith('- ')) }).toEqual({ env, code: 1, removed: [
        `- CronJob/values-count${at}`,
        `- NetworkPolicy/multi-k8s-values-count-to-postgres-egress${at}`,
        `- NetworkPolicy/multi-k8s-values-count-to-postgres-ingress${at}`,
        `- ServiceAccount/multi-k8s-values-count${at}`,
      ] });
      expect(out.err.find((l) => l.startsWith('apply with: '))).toContain(' --prune-allowlist=batch/v1/CronJob ');
      // Added back: listed too (the new output has it).
      expect(plan([without, withJob]).err.find((l) => l.startsWith('apply with: '))).toContain(' --prune-allowlist=batch/v1/CronJob ');
      // Between two outputs without it, no CronJob is listed: the README's apply is the plan's.
      expect(plan([without, writeOutput(path.join(dir, 'again'), defaultObjects({ ...env, IMAGE_TAG: 'v2' }))]).err.find((l) => l.startsWith('apply with: '))).not.toContain('CronJob');
    }
  });
});

describe('npm run plan: removals are what the printed apply deletes, in its scope', () => {
  const apply = (err: string[]) => err.find((line) => line.startsWith('apply with: '));

  test('the main environment to previews: no removal and no `! data` (the previews\' apply never touches the main environment); the objects left are counted', () => {
    const dir = tempDir();
    const main = writeOutput(path.join(dir, 'main'), defaultObjects());
    const previews = writeOutput(path.join(dir, 'previews'), defaultObjects({ PREVIEWS: 'pr-12' }));
    const result = plan([main, previews]);
    expect(result.code).toBe(1);
    expect(result.out.filter((line) => line.startsWith('- ') || line.startsWith('! data'))).toEqual([]);
    expect(result.out.filter((line) => line.startsWith('+ ')).length).toBe(defaultObjects({ PREVIEWS: 'pr-12' }).length);
    expect(result.err[0]).toBe(`plan: ${defaultObjects({ PREVIEWS: 'pr-12' }).length} to add, 0 to change, 0 to remove; 0 warning(s); ${defaultObjects().length} object(s) of the old output left as they are (outside the apply's scope)`);
    expect(apply(result.err)).toContain('instance in (pr-12)');
    // The previews' apply opens their Namespaces first, in the same command: alone it would adopt one that exists.
    expect(apply(result.err)).toMatch(new RegExp(`^apply with: npm run open-preview -- ${previews} && kubectl apply -f ${previews} --prune `));
  });

  test('a preview dropped from PREVIEWS: no removal, its close line, and its objects counted as left', () => {
    const dir = tempDir();
    const both = writeOutput(path.join(dir, 'both'), defaultObjects({ PREVIEWS: 'pr-12,pr-13' }));
    const one = writeOutput(path.join(dir, 'one'), defaultObjects({ PREVIEWS: 'pr-12' }));
    const result = plan([both, one]);
    expect(result.out).toEqual([
      '! close Namespace/pr-13: left the output; a pruning apply leaves other previews alone, so close it with `npm run close-preview -- pr-13`',
    ]);
    expect(result.err[0]).toBe(`plan: no differences; ${defaultObjects({ PREVIEWS: 'pr-13' }).length} object(s) of the old output left as they are (outside the apply's scope)`);
    expect(result.code).toBe(0);
  });

  test('prod to dev: the autoscalers and budgets are removals, as the apply prunes them', () => {
    const dir = tempDir();
    const result = plan([writeOutput(path.join(dir, 'prod'), defaultObjects()), writeOutput(path.join(dir, 'dev'), defaultObjects({ ENVIRONMENT: 'dev' }))]);
    const removed = result.out.filter((line) => line.startsWith('- '));
    expect(removed).toEqual(defaultObjects().filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'PodDisruptionBudget').map((o) => `- ${o.kind}/${o.metadata.name}`).sort());
    expect(result.err[0]).toMatch(/to remove; \d+ warning\(s\)$/);
  });
});

describe('npm run plan -- --cluster: the prune allowlist and the namespace it names (issue 21 survivors)', () => {
  const allowlisted = (calls: string[][]) => calls[0].filter((arg) => arg.startsWith('--prune-allowlist=cert-manager.io/'));
  const CERT_MANAGER = ['--prune-allowlist=cert-manager.io/v1/Certificate', '--prune-allowlist=cert-manager.io/v1/ClusterIssuer'];

  test('the new output\'s custom kinds are in the diff\'s allowlist when no previous output is kept', () => {
    const dir = writeOutput(path.join(tempDir(), 'dist'), defaultObjects({ HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' }));
    const kubectl = fakeKubectl();
    plan(['--cluster', dir], { env: kubectl.env });
    expect(allowlisted(kubectl.calls()).sort()).toEqual(CERT_MANAGER);
  });

  test('the kept previous output\'s custom kinds too: the live Certificate of an output that dropped HTTPS is one to prune', () => {
    const root = tempDir();
    const dir = writeOutput(path.join(root, 'dist'), defaultObjects());
    const without = fakeKubectl();
    plan(['--cluster', dir], { env: without.env });
    expect(allowlisted(without.calls())).toEqual([]);
    // Where synth keeps the output before the last change: .dist-previous beside dist.
    writeOutput(path.join(root, '.dist-previous'), defaultObjects({ HOSTS: 'k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' }));
    const kubectl = fakeKubectl();
    plan(['--cluster', dir], { env: kubectl.env });
    expect(allowlisted(kubectl.calls()).sort()).toEqual(CERT_MANAGER);
  });

  test('a refusal in an output of two previews names no one preview: the command says -n <preview>, quoted for the shell', () => {
    const dir = writeOutput(path.join(tempDir(), 'dist'), defaultObjects({ PREVIEWS: 'pr-12,pr-13' }));
    const kubectl = fakeKubectl({ diffError: 'The StatefulSet "db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than \'replicas\' are forbidden' });
    expect(plan(['--cluster', dir], { env: kubectl.env }).out).toEqual([
      "! replace StatefulSet/db (<preview>): the API server refuses to change spec in place: run `kubectl delete statefulset db -n '<preview>' --cascade=orphan`, then apply (the pods keep running and the new StatefulSet adopts them)",
    ]);
  });
});

describe('npm run plan: a bug is shown as itself, never taken for "not this app\'s output" (issue 21 survivors)', () => {
  // A stand-in for a bug in ownership.ts: only its OwnershipError means "an output this app did
  // not label"; any other error is a bug, printed with its stack (as console.error(error)), exit 2.
  test.each([['prunedByApply'], ['planApplyCommand']] as const)('an error of %s that is not an OwnershipError: printed as itself, exit 2, no plan', (name) => {
    const dir = tempDir();
    const old = writeOutput(path.join(dir, 'old'), defaultObjects());
    const next = writeOutput(path.join(dir, 'new'), defaultObjects({ ENVIRONMENT: 'dev' }));
    // ESM-style exports cannot be spied on: plan-command is loaded afresh with an ownership module whose `name` throws.
    let calls = 0;
    let isolatedRun: typeof run = run;
    jest.isolateModules(() => {
      // Loaded whole first (ownership.ts and app.ts import each other), then stood in for.
      const actual = require('../../lib/program/ownership');
      jest.doMock('../../lib/program/ownership', () => ({
        ...actual,
        [name]: () => { calls += 1; throw new RangeError(`a bug in ${name}`); },
      }));
      isolatedRun = require('../../lib/program/plan-command').run;
    });
    jest.dontMock('../../lib/program/ownership');
    expect(isolatedRun).not.toBe(run);
    expect(captureOutput(() => isolatedRun([old, next]))).toEqual({ code: 2, out: [], err: [`RangeError: a bug in ${name}`] });
    expect(calls).toBe(1);
  });
});
