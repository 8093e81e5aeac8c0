import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ApiObject, Chart, Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { acceptFinding, acceptedFindings, POLICY_CHECKS } from '../../lib/components/accept-finding';
import { AppCronJob } from '../../lib/components/app-cron-job';
import type { MultiK8sChart } from '../../lib/components/chart';
import { ACCEPT_POLICY_ANNOTATION, OPERATOR_SECRET_ANNOTATION } from '../../lib/components/validator-annotations';
import { buildApp, BuildOptions } from '../../lib/program/app';
import { applyCommand, pruneAllowlist } from '../../lib/program/ownership';
import { renderCharts, summaryLines, synthesize, validateOptions } from '../../lib/program/synth';
import { formatProblem, POLICY_RULES, validateManifests } from '../../lib/validate';
import { describeWithCluster } from '../support/envtest';
import { OwnComponentScratch, ownComponentRecipe, writeOwnComponentScratch } from '../support/own-component-recipe';
import { config, find, SHA, tempDir, testApp } from '../helpers';

/**
 * README "Your own components": its code is this test's code. The component file and the main.ts
 * change are taken from the README, type checked with the project's compiler settings, run, and
 * their output judged by the validator and by a real API server; the printed summary in the
 * README is what the synth prints.
 */
const ROOT = path.join(__dirname, '..', '..');

function recipe(): { component: string; mainChange: string; printed: string } {
  const { component, mainChange, main, printed } = ownComponentRecipe();
  expect(component).toContain('export class NightlyCount');
  // The line the README changes is main.ts's, as it is today.
  const line = main.split('\n').find((l) => l.includes('buildApp(config, '))!;
  expect(fs.readFileSync(path.join(ROOT, 'main.ts'), 'utf8').split('\n')).toContain(line.replace(`buildApp(config, ${mainChange})`, 'buildApp(config)'));
  return { component, mainChange, printed };
}

// The README's code, in a scratch folder of this file's (test/support/own-component-recipe.ts), removed after.
let scratch: OwnComponentScratch;
beforeAll(() => {
  recipe();
  scratch = writeOwnComponentScratch('own');
});
afterAll(() => {
  scratch.remove();
});

/** The README's options for buildApp, as main.ts passes them. */
function readmeOptions(): BuildOptions {
  return scratch.options();
}

function readmeCharts(env: NodeJS.ProcessEnv = {}) {
  return buildApp(config(env), readmeOptions());
}

describe('README "Your own components"', () => {
  test('its code type checks with the project\'s compiler settings', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram([scratch.componentFile, scratch.mainFile], { ...parsed.options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  }, 60_000);

  test('adds the CronJob with postgres\'s connection from its provider, and the output validates clean with the accepted finding', () => {
    const charts = readmeCharts();
    const objects = charts[0].chart.toJson();
    const cronJob = find(objects, 'CronJob', 'values-count');
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    const container = pod.containers.find((c: { name: string }) => c.name === 'values-count');
    const postgres = charts[0].chart.postgres;
    const env = Object.fromEntries(container.env.map((e: { name: string }) => [e.name, e]));
    expect(env.PGHOST).toEqual({ name: 'PGHOST', value: 'postgres-cluster-ip-service' });
    expect(env.PGPORT).toEqual({ name: 'PGPORT', value: String(postgres.port) });
    expect(env.PGUSER).toEqual({ name: 'PGUSER', value: postgres.user });
    expect(env.PGDATABASE).toEqual({ name: 'PGDATABASE', value: postgres.database });
    expect(env.PGPASSWORD).toEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'pgpassword', key: 'PGPASSWORD' } } });
    expect(container.image).toBe(postgres.image);
    // The house defaults, from AppCronJob: none written in the README.
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.serviceAccountName).toBe('multi-k8s-values-count');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } });
    // The finding on purpose, and the Secret the operator creates, travel with the object.
    expect(cronJob.metadata.annotations).toEqual({
      [`${ACCEPT_POLICY_ANNOTATION}resources`]: expect.stringMatching(/^no CPU limit: /),
      [`${OPERATOR_SECRET_ANNOTATION}pgpassword`]: 'PGPASSWORD',
    });
    const problems = validateManifests(renderCharts(charts, 'dist'), validateOptions(charts)).map((p) => formatProblem(p));
    expect(problems).toEqual([]);
  });

  test('the synth prints the summary the README shows, the accepted finding listed as the chart\'s own are, and no warning', () => {
    const { printed } = recipe();
    const outdir = path.join(tempDir(), 'dist');
    const summary = synthesize(readmeCharts(), { outdir });
    expect(summary.warnings).toEqual([]);
    const lines = summaryLines(summary, 'dist').map((line) => line.split(SHA).join('<sha>'));
    expect(lines).toEqual(printed.trimEnd().split('\n'));
    expect(lines).toContain('  policy exception [resources] CronJob/values-count: no CPU limit: the nightly count may use idle CPU rather than be throttled; its CPU request and memory limit are set');
    expect(fs.readFileSync(path.join(outdir, 'multi-k8s.k8s.yaml'), 'utf8')).toContain('kind: CronJob');
  });

  test('every preview gets its own CronJob, in its namespace, validated clean', () => {
    const charts = readmeCharts({ PREVIEWS: 'pr-1,pr-2' });
    for (const { chart } of charts) {
      const cronJob = find(chart.toJson(), 'CronJob', 'values-count');
      expect(cronJob.metadata.namespace).toBe(chart.namespace);
    }
    expect(validateManifests(renderCharts(charts, 'dist'), validateOptions(charts)).map((p) => formatProblem(p))).toEqual([]);
  });
});

describe('the deployer and the pruning apply know the CronJob, as the README says', () => {
  test('DEPLOYER=ci grants the CronJob\'s kind like the app\'s; the printed apply lists it while an output at hand has it, the README\'s fixed one does not', () => {
    const objects = readmeCharts({ DEPLOYER: 'ci' }).flatMap(({ chart }) => chart.toJson());
    const role = find(objects, 'Role', 'multi-k8s-deployer');
    expect(role.rules.filter((r: { resources: string[] }) => r.resources.includes('cronjobs'))).toEqual([
      { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
    ]);
    const without = buildApp(config({ DEPLOYER: 'ci' })).flatMap(({ chart }) => chart.toJson());
    // The plan's `apply with:` line of the output that drops it lists it (the previous output has it).
    expect(applyCommand({ kind: 'environment' }, 'dist', [objects, without])).toContain(' --prune-allowlist=batch/v1/CronJob ');
    expect(applyCommand({ kind: 'environment' }, 'dist', [without])).not.toContain('CronJob');
    expect(pruneAllowlist('environment').filter((entry) => entry.endsWith('/CronJob'))).toEqual([]);
  });
});

describe('acceptFinding', () => {
  const cronIn = (chart: Chart) => {
    const job = new kplus.CronJob(chart, 'Count', { schedule: Cron.daily() });
    job.addContainer({ name: 'count', image: 'postgres:17.6' });
    return job;
  };

  test('every policy check of the validator may be named, and only those, as the README lists them', () => {
    expect([...POLICY_CHECKS].sort()).toEqual(Object.keys(POLICY_RULES).sort());
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').replace(/\n\s*/g, ' ');
    const listed = /`check` is typed as the validator's checks \(([^)]*)\)/.exec(readme)?.[1];
    expect(listed?.split(', ').map((c) => c.replace(/`/g, ''))).toEqual(Object.keys(POLICY_RULES));
    const chart = new Chart(testApp(), 'own');
    const job = cronIn(chart);
    // @ts-expect-error: a check the validator does not have does not compile.
    expect(() => acceptFinding(job, { check: 'probe', reason: 'r' })).toThrow(
      `acceptFinding check "probe" is not a policy check of the validator: allowed is one of ${Object.keys(POLICY_RULES).join(', ')}`,
    );
    expect(acceptedFindings(chart)).toEqual([]);
  });

  test('an empty reason, a construct that is not one object, and the same check twice are errors naming what is allowed', () => {
    const chart = new Chart(testApp(), 'own');
    const job = cronIn(chart);
    expect(() => acceptFinding(job, { check: 'resources', reason: '  ' })).toThrow('acceptFinding reason for [resources] on own/Count is empty: allowed is a sentence saying why the finding is there on purpose');
    expect(() => acceptFinding(chart, { check: 'resources', reason: 'r' })).toThrow(/^acceptFinding on own: it is not one Kubernetes object; allowed is an ApiObject or a cdk8s-plus resource/);
    acceptFinding(job, { check: 'resources', reason: 'first' });
    expect(() => acceptFinding(ApiObject.of(job), { check: 'resources', reason: 'second' })).toThrow(
      `acceptFinding [resources] on CronJob/${job.name} was already accepted (reason: "first"): allowed is one reason per check and object`,
    );
    expect(acceptedFindings(chart)).toEqual([{ rule: 'resources', object: `CronJob/${job.name}`, reason: 'first' }]);
  });

  test('an acceptance whose finding does not occur is a warning of the synth, and the output is still written', () => {
    const unused = (chart: MultiK8sChart) => {
      const task = new AppCronJob(chart, 'Count', {
        name: 'values-count', schedule: Cron.daily(), image: chart.postgres.image, runAs: { user: 999, group: 999 },
        command: ['psql', '--command', 'select 1'], env: chart.postgres.clientEnv, connectsTo: [chart.postgres],
      });
      acceptFinding(task.cronJob, { check: 'probes', reason: 'a job serves no port' });
    };
    const outdir = path.join(tempDir(), 'dist');
    const summary = synthesize(buildApp(config(), { extend: unused }), { outdir });
    expect(summary.warnings).toEqual([
      'policy exception [probes] CronJob/values-count: a job serves no port: the output has no [probes] finding on CronJob/values-count; the acceptance is not needed: remove it',
    ]);
    expect(summaryLines(summary, 'dist')).toContain('  policy exception [probes] CronJob/values-count: a job serves no port');
    expect(fs.readdirSync(outdir)).toContain('multi-k8s.k8s.yaml');
  });

  test('a finding not accepted still stops the synth, naming the check', () => {
    const bare = (chart: MultiK8sChart) => {
      const job = new kplus.CronJob(chart, 'Count', { schedule: Cron.daily() });
      job.addContainer({ name: 'count', image: chart.postgres.image, command: ['psql'], envVariables: { ...chart.postgres.clientEnv } });
    };
    const charts = buildApp(config(), { extend: bare });
    const lines = validateManifests(renderCharts(charts, 'dist'), validateOptions(charts)).map((p) => formatProblem(p));
    expect(lines.filter((l) => / \[(restricted|service-account|network-policy)\] /.test(l))).toHaveLength(5);
    expect(lines.some((l) => l.includes('-> Service/postgres-cluster-ip-service:5432: blocked by the ingress policies of the component=postgres pods'))).toBe(true);
  });
});

describeWithCluster('the README\'s own component on a real API server', (cluster) => {
  test('the output with the CronJob is accepted by a strict server-side dry run, in a namespace enforcing "restricted"', async () => {
    const ns = await cluster().namespace('own-component');
    await cluster().kubectlOk(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted']);
    const outdir = path.join(tempDir(), 'dist');
    synthesize(readmeCharts(), { outdir });
    const file = path.join(outdir, 'multi-k8s.k8s.yaml');
    const result = await cluster().kubectl(['apply', '--dry-run=server', '--validate=strict', '-n', ns, '-f', file]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('cronjob.batch/values-count created (server dry run)');
    expect(result.stdout).toContain(`networkpolicy.networking.k8s.io/multi-k8s-values-count-to-postgres-egress created (server dry run)`);
  }, 120_000);
});
