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
import { pruneAllowlist } from '../../lib/program/ownership';
import { renderCharts, summaryLines, synthesize, validateOptions } from '../../lib/program/synth';
import { formatProblem, POLICY_RULES, validateManifests } from '../../lib/validate';
import { describeWithCluster } from '../support/envtest';
import { config, find, SHA, tempDir, testApp } from '../helpers';

/**
 * README "Your own components": its code is this test's code. The component file and the main.ts
 * change are taken from the README, type checked with the project's compiler settings, run, and
 * their output judged by the validator and by a real API server; the printed summary in the
 * README is what the synth prints.
 */
const ROOT = path.join(__dirname, '..', '..');

function recipe(): { component: string; mainChange: string; printed: string } {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n### Your own components\n');
  expect(start).toBeGreaterThan(-1);
  const rest = readme.slice(start + 1);
  const end = rest.slice(4).search(/\n##+ /);
  const section = end < 0 ? rest : rest.slice(0, end + 4);
  const blocks = (lang: string) => [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
  const [component, main] = blocks('ts');
  const [printed] = blocks('text');
  expect(component).toContain('export class NightlyCount');
  // The one change to main.ts: buildApp(config) becomes buildApp(config, { extend: ... }).
  const change = /buildApp\(config, (\{ extend: .*?\})\)/.exec(main)?.[1];
  expect(change).toBeDefined();
  // The line the README changes is main.ts's, as it is today.
  const line = main.split('\n').find((l) => l.includes('buildApp(config, '))!;
  expect(fs.readFileSync(path.join(ROOT, 'main.ts'), 'utf8').split('\n')).toContain(line.replace(`buildApp(config, ${change})`, 'buildApp(config)'));
  return { component, mainChange: change!, printed };
}

// In a folder of this test's own under test/ (inside the project, so that its packages resolve;
// not under lib/, whose sources scripts/launch.js hashes while other tests run the synth), under
// a dot name that the project's compiler globs skip; removed after. The README's code lives in
// lib/components/, so its './x' imports are pointed there: the only change made to it.
const scratch = path.join(__dirname, `.readme-own-component-${process.pid}`);
const componentFile = path.join(scratch, 'nightly-count.ts');
const mainFile = path.join(scratch, 'main-options.ts');
const components = path.relative(scratch, path.join(ROOT, 'lib', 'components'));

beforeAll(() => {
  const { component, mainChange } = recipe();
  fs.mkdirSync(scratch, { recursive: true });
  fs.writeFileSync(componentFile, component.replace(/ from '\.\/([\w-]+)';/g, (_, name: string) => ` from '${components}/${name}';`));
  fs.writeFileSync(mainFile, [
    `import { NightlyCount } from './nightly-count';`,
    `import type { BuildOptions } from '${components}/../program/app';`,
    `export const options: BuildOptions = ${mainChange};`,
    // Kept used: the import is the README's.
    'export { NightlyCount };',
    '',
  ].join('\n'));
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** The README's options for buildApp, as main.ts passes them. */
function readmeOptions(): BuildOptions {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(mainFile) as { options: BuildOptions }).options;
}

function readmeCharts(env: NodeJS.ProcessEnv = {}) {
  return buildApp(config(env), readmeOptions());
}

describe('README "Your own components"', () => {
  test('its code type checks with the project\'s compiler settings', () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram([componentFile, mainFile], { ...parsed.options, noEmit: true });
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

describe('what does not know CronJobs yet, as the README says', () => {
  test('DEPLOYER=ci stops the build naming the table to add the kind to; the prune allowlist holds no CronJob', () => {
    expect(() => readmeCharts({ DEPLOYER: 'ci' })).toThrow('Deployer: no RBAC resource is known for batch/v1 CronJob: add it to RESOURCE_TYPES in lib/components/deployer.ts');
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
