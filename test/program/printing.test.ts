import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Cron } from 'cdk8s';
import { acceptFinding } from '../../lib/components/accept-finding';
import { AppCronJob } from '../../lib/components/app-cron-job';
import type { MultiK8sChart } from '../../lib/components/chart';
import { buildApp } from '../../lib/program/app';
import { run as closePreview } from '../../lib/program/close-preview-command';
import { ConfigError, readConfig } from '../../lib/program/config';
import { firstLine, run as openPreview } from '../../lib/program/open-preview-command';
import { NAMESPACE_MARK } from '../../lib/program/ownership';
import { safeLine, safeText } from '../../lib/program/printing';
import { reportFailure, summaryLines, synthesize, SynthSummary, ValidationError } from '../../lib/program/synth';
import { config, SHA, tempDir } from '../helpers';
import { captureOutput } from '../support/cli';
import { fakeKubectl } from '../support/fake-kubectl';

/**
 * Issue 19 point 5, the synth's part: every name, path and value the synth, open-preview and
 * close-preview echo reaches the terminal with its control characters escaped, the password of
 * any `user:password@` masked and a long value shortened. Each test feeds a hostile value through
 * the real print site and reads what was printed.
 */

// C0 and C1 controls, DEL, line and paragraph separators, bidirectional overrides and isolates.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A newline, an escape sequence that clears the screen, C1 CSI, a bidi override and a line separator. */
const HOSTILE = 'x\n\u001b[2J\u009b31m\u202eevil\u2028end';
const CREDENTIALS = 'https://bob:hunter2@registry.example.com/app';

/** Every printed line, split where the terminal would break it: no control character left in any. */
function expectClean(lines: readonly string[]): string[] {
  const split = lines.flatMap((line) => line.split('\n'));
  for (const line of split) expect(line).not.toMatch(CONTROL);
  expect(split.join('\n')).not.toContain('hunter2');
  return split;
}

describe('safeLine and safeText', () => {
  test('a line: every control character written as \\uXXXX, the password masked', () => {
    expect(safeLine(`a ${HOSTILE} ${CREDENTIALS}`)).toBe('a x\\u000a\\u001b[2J\\u009b31m\\u202eevil\\u2028end https://bob:***@registry.example.com/app');
  });

  test('a message of several lines keeps the line breaks between them, and escapes a carriage return inside one', () => {
    expect(safeText('error: invalid configuration:\n  - A="\u001b[31m"\r\n  - B')).toBe('error: invalid configuration:\n  - A="\\u001b[31m"\\u000d\n  - B');
  });
});

describe('the synth\'s error lines', () => {
  const failure = (error: unknown) => captureOutput(() => reportFailure(error, 'dist'));

  test('an IMAGE_TAG with a newline and an escape sequence: one escaped line per problem, then the line saying dist/ is unchanged', () => {
    let error: unknown;
    try {
      readConfig({ GIT_SHA: SHA, IMAGE_TAG: `v1${HOSTILE}` }, () => undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { code, err } = failure(error);
    expect(code).toBe(1);
    const lines = expectClean(err);
    expect(lines).toEqual([
      'error: invalid configuration:',
      expect.stringMatching(/^ {2}- IMAGE_TAG="v1x\\n\\u001b\[2J.*" is not a valid image tag: allowed are 1 to 128 of A-Z a-z 0-9 _ \. -, not starting with \. or -$/),
      'dist/ was left as it was.',
    ]);
  });

  test('a 100,000-character IMAGE_TAG holding a password is shortened, the password masked', () => {
    let error: unknown;
    try {
      readConfig({ GIT_SHA: SHA, IMAGE_TAG: `${CREDENTIALS}${'\u001b'.repeat(100_000)}` }, () => undefined);
    } catch (e) {
      error = e;
    }
    const lines = expectClean(failure(error).err);
    const problem = lines.find((line) => line.includes('IMAGE_TAG='))!;
    expect(problem.length).toBeLessThan(400);
    expect(problem).toContain('bob:***@registry.example.com');
  });

  test('a GATEWAY value with control characters is escaped in its error line', () => {
    let error: unknown;
    try {
      readConfig({ GIT_SHA: SHA, ROUTING: 'gateway', GATEWAY: `infra/${HOSTILE}` }, () => undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = expectClean(failure(error).err);
    expect(lines.some((line) => line.includes('GATEWAY="infra/x\\n\\u001b[2J'))).toBe(true);
  });

  test('invalid manifests of a component of your own, its name holding a newline and an escape sequence: one escaped line per problem', () => {
    const extend = (chart: MultiK8sChart) => new ApiObject(chart, 'Bad', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bad${HOSTILE}` }, data: { key: CREDENTIALS } });
    let error: unknown;
    try {
      synthesize(buildApp(config(), { extend }), { outdir: path.join(tempDir(), 'dist') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const lines = expectClean(failure(error).err);
    const problems = (error as ValidationError).problems.length;
    expect(problems).toBeGreaterThan(0);
    expect(lines).toHaveLength(problems + 2);
    expect(lines[0]).toBe(`error: validation found ${problems} problem(s); nothing was written:`);
    expect(lines.slice(1, -1).every((line) => line.includes('ConfigMap/badx\\n\\u001b[2J'))).toBe(true);
  });

  test('a manifest in dist/ the synth did not write, named with a newline and an escape sequence: one escaped line naming it', () => {
    const outdir = path.join(tempDir(), 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'evil\n\u001b[31m\u009b.yaml'), 'kind: ConfigMap\n');
    let error: unknown;
    try {
      synthesize(buildApp(config()), { outdir });
    } catch (e) {
      error = e;
    }
    const { err } = failure(error);
    const lines = expectClean(err);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error: .*evil\\n\\u001b\[31m\\u009b\.yaml.* was not written by a synth of this project/);
  });

  test('the cdk8s CLI\'s folder (CDK8S_OUTDIR) that cannot be written, named with control characters', () => {
    const root = tempDir();
    fs.writeFileSync(path.join(root, 'file'), '');
    const mirrorDir = path.join(root, 'file', `out${HOSTILE}`);
    let error: unknown;
    try {
      synthesize(buildApp(config()), { outdir: path.join(root, 'dist'), mirrorDir });
    } catch (e) {
      error = e;
    }
    const lines = expectClean(failure(error).err);
    expect(lines[0]).toMatch(/^error: cannot write the cdk8s CLI's folder ".*outx\\n\\u001b\[2J.*": mkdir .* failed: ENOTDIR/);
  });
});

describe('the synth\'s summary and warning lines', () => {
  test('files, images and a policy exception\'s reason are escaped, masked and shortened', () => {
    const summary: SynthSummary = {
      files: [`preview${HOSTILE}.k8s.yaml`],
      objects: 3,
      images: [`registry.example.com/app${HOSTILE}`, `bob:hunter2@registry.example.com/app:1${'\u001b'.repeat(5000)}`],
      policyExceptions: [{ rule: 'resources', object: 'CronJob/count', reason: `why ${HOSTILE} ${CREDENTIALS} ${'long '.repeat(4000)}` }],
      warnings: [],
    };
    const lines = expectClean(summaryLines(summary, 'dist'));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('wrote 3 objects to dist/previewx\\n\\u001b[2J\\u009b31m\\u202eevil\\u2028end.k8s.yaml');
    expect(lines[1]).toBe('  image registry.example.com/appx\\n\\u001b[2J\\u009b31m\\u202eevil\\u2028end');
    // Each value at most 1,000 characters as echoed, saying how many were left out.
    expect(lines[2]).toMatch(/^ {2}image bob:\*\*\*@registry\.example\.com\/app:1(\\u001b)+\.\.\. \(\d+ more characters\)$/);
    expect(lines[3]).toMatch(/^ {2}policy exception \[resources\] CronJob\/count: why x\\n\\u001b\[2J\\u009b31m\\u202eevil\\u2028end https:\/\/bob:\*\*\*@registry\.example\.com\/app (long )+.*\.\.\. \(\d+ more characters\)$/);
    expect(lines[3].length).toBeLessThan(10_100);
  });

  test('30 preview files: the line names 20, then how many more', () => {
    const files = Array.from({ length: 30 }, (_, i) => `preview-pr-${i}.k8s.yaml`);
    const [line] = summaryLines({ files, objects: 900, images: [], policyExceptions: [], warnings: [] }, 'dist');
    expect(line).toBe(`wrote 900 objects to ${files.slice(0, 20).map((f) => `dist/${f}`).join(', ')}, ... and 10 more`);
  });

  test('a hostile reason given to acceptFinding: the synth\'s exception and unused-acceptance lines, as main.ts prints them', () => {
    const reason = `because ${HOSTILE} ${CREDENTIALS}`;
    const extend = (chart: MultiK8sChart) => {
      const task = new AppCronJob(chart, 'Count', {
        name: 'values-count', schedule: Cron.daily(), image: chart.postgres.image, runAs: { user: 999, group: 999 },
        command: ['psql', '--command', 'select 1'], env: chart.postgres.clientEnv, connectsTo: [chart.postgres],
      });
      acceptFinding(task.cronJob, { check: 'probes', reason });
    };
    const summary = synthesize(buildApp(config(), { extend }), { outdir: path.join(tempDir(), 'dist') });
    const printed = expectClean([...summary.warnings.map((w) => safeText(`warning: ${w}`)), ...summaryLines(summary, 'dist')]);
    const escaped = 'because x\\n\\u001b[2J\\u009b31m\\u202eevil\\u2028end https://bob:***@registry.example.com/app';
    expect(printed).toContain(`  policy exception [probes] CronJob/values-count: ${escaped}`);
    expect(printed).toContain(`warning: policy exception [probes] CronJob/values-count: ${escaped}: the output has no [probes] finding on CronJob/values-count; the acceptance is not needed: remove it`);
  });
});

describe('open-preview and close-preview', () => {
  const hostileUid = `uid${HOSTILE}`;
  const marked = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pr-1', uid: hostileUid, resourceVersion: '7', labels: { [NAMESPACE_MARK]: hostileUid } } };

  test('close-preview names the uid kubectl printed escaped', () => {
    const kubectl = fakeKubectl({ namespaces: { 'pr-1': marked } });
    const { code, out, err } = captureOutput(() => closePreview(['pr-1'], { env: kubectl.env }));
    expect(code).toBe(0);
    expect(expectClean([...err, ...out])).toEqual([
      'deleting namespace pr-1 (uid "uidx\\n\\u001b[2J\\u009b31m\\u202eevil\\u2028end") and everything in it',
      'namespace "pr-1" deleted',
    ]);
  });

  test('open-preview names an existing preview\'s uid escaped', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'preview-pr-1.k8s.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: pr-1\n  labels:\n    app.kubernetes.io/part-of: multi-k8s\n');
    const kubectl = fakeKubectl({ namespaces: { 'pr-1': marked } });
    const { code, err } = captureOutput(() => openPreview([dir], { env: kubectl.env }));
    expect(code).toBe(0);
    expect(expectClean(err)).toEqual([`namespace pr-1: this app's preview (${NAMESPACE_MARK}="uidx\\n\\u001b[2J\\u009b31m\\u202eevil\\u2028end")`]);
  });

  test('a DIR that cannot be read, long and with control characters, is one escaped, shortened line', () => {
    const dir = path.join(tempDir(), `missing${HOSTILE}${'d'.repeat(5000)}`);
    const { code, err } = captureOutput(() => openPreview([dir], { kubectl: '/nonexistent/kubectl' }));
    expect(code).toBe(2);
    const lines = expectClean(err);
    expect(lines[0]).toMatch(/^error: ".*missingx\\n\\u001b\[2J.*d+…d+" \(\d+ characters\): /);
    expect(lines[0].length).toBeLessThan(1_300);
  });

  test('too many folders: the usage error names 20 of them, then how many more', () => {
    const dirs = Array.from({ length: 30 }, (_, i) => `d${i}`);
    const { code, err } = captureOutput(() => openPreview(dirs, { kubectl: '/nonexistent/kubectl' }));
    expect(code).toBe(2);
    expect(err[0]).toBe(`error: one folder at most: 30 were given (${dirs.slice(0, 20).join(' ')} ... and 10 more)`);
  });

  test('kubectl\'s error line is shortened to 1,000 characters, its password masked before the cut', () => {
    // The cut at 1,000 would fall inside the password: masked first, none of it shows.
    const straddling = firstLine(`\n  ${'a'.repeat(990)} ${CREDENTIALS} ${'b'.repeat(5000)}\nsecond line`);
    expect(straddling).not.toContain('hunter');
    expect(straddling).toMatch(/^a{990} https:\/\/b\.\.\. \(\d+ more characters\)$/);
    const line = firstLine(`${'a'.repeat(900)} ${CREDENTIALS} ${'b'.repeat(5000)}`);
    expect(line).toMatch(/^a{900} https:\/\/bob:\*\*\*@registry\.example\.com\/app b+\.\.\. \(\d+ more characters\)$/);
    expect(line.length).toBeLessThan(1_050);
  });
});
