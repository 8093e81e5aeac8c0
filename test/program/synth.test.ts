import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { ConfigError, SETTINGS } from '../../lib/program/config';
import { run } from '../../main';
import { SYNTH_USAGE } from '../../lib/program/synth-command';
import { captureOutput } from '../support/cli';
import { OutputError } from '../../lib/program/output';
import { operatorSecrets, renderCharts, reportFailure, safeText, summaryLines, synthesize, unusedExceptions, validateOptions, ValidationError } from '../../lib/program/synth';
import { defaultCharts, defaultObjects, SHA, tempDir } from '../helpers';

/** The manifests a folder holds, as kubectl reads them. */
function readAll(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('synthesize', () => {
  test('a validator warning (the API server accepts it) is in the summary\'s warnings and writes the output; a problem writes nothing', () => {
    const outdir = path.join(tempDir(), 'dist');
    const charts = defaultCharts();
    // A cluster-scoped object with a namespace: the server drops the field, the validator warns.
    new ApiObject(charts[0].chart, 'odd-class', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'odd', namespace: 'default' }, value: 1000 } as never);
    const summary = synthesize(charts, { outdir });
    expect(summary.warnings).toEqual([expect.stringMatching(/: PriorityClass\/odd: metadata\.namespace: PriorityClass is cluster-scoped: the API server drops metadata\.namespace \(allowed: no metadata\.namespace\)$/)]);
    expect(readAll(outdir)['multi-k8s.k8s.yaml']).toContain('kind: PriorityClass');
    const broken = defaultCharts();
    new ApiObject(broken[0].chart, 'bad-class', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'bad' }, value: 'high' } as never);
    const elsewhere = path.join(tempDir(), 'dist');
    expect(() => synthesize(broken, { outdir: elsewhere })).toThrow(ValidationError);
    expect(fs.existsSync(elsewhere)).toBe(false);
  });

  test('writes the validated objects to one manifest file and summarises them', () => {
    const outdir = path.join(tempDir(), 'dist');
    const summary = synthesize(defaultCharts(), { outdir });
    expect(Object.keys(readAll(outdir))).toEqual(['multi-k8s.k8s.yaml']);
    const written = parseAllDocuments(fs.readFileSync(path.join(outdir, 'multi-k8s.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    expect(written).toEqual(defaultObjects());
    expect(summary.objects).toBe(written.length);
    expect(summary.images).toEqual([
      'postgres:17.6', 'redis:7.4.5',
      `stephengrider/multi-client:${SHA}`, `stephengrider/multi-server:${SHA}`, `stephengrider/multi-worker:${SHA}`,
    ]);
    expect(summaryLines(summary, 'dist')).toEqual([
      `wrote ${written.length} objects to dist/multi-k8s.k8s.yaml`,
      ...summary.images.map((image) => `  image ${image}`),
      '  policy exception [ingress-tls] Ingress/ingress-service: plain HTTP on any host, as the course serves it: a certificate needs host names (HOSTS and ACME_EMAIL give HTTPS from Let\'s Encrypt)',
    ]);
    expect(fs.statSync(outdir).mode & 0o777).toBe(0o777 & ~process.umask());
  });

  test('HOSTS and ACME_EMAIL write the course\'s final app by its names, with no policy exception', () => {
    const outdir = path.join(tempDir(), 'dist');
    const summary = synthesize(defaultCharts({ HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' }), { outdir });
    expect(fs.readdirSync(outdir).filter((f) => !f.startsWith('.'))).toEqual(['multi-k8s.k8s.yaml']);
    const written = parseAllDocuments(fs.readFileSync(path.join(outdir, 'multi-k8s.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    expect(summary.policyExceptions).toEqual([]);
    expect(summaryLines(summary, outdir).filter((line) => line.includes('policy exception'))).toEqual([]);

    const named = (kind: string, name: string) => {
      const found = written.filter((o) => o.kind === kind && o.metadata.name === name);
      expect(found).toHaveLength(1);
      return found[0];
    };
    expect(named('ClusterIssuer', 'letsencrypt-prod').spec.acme).toMatchObject({ email: 'ops@k8s-multi.com', server: 'https://acme-v02.api.letsencrypt.org/directory' });
    expect(named('Certificate', 'k8s-multi-com-tls').spec).toMatchObject({
      secretName: 'k8s-multi-com', dnsNames: ['k8s-multi.com', 'www.k8s-multi.com'], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' },
    });
    const ingress = named('Ingress', 'ingress-service');
    expect(ingress.spec.rules.map((r: { host: string }) => r.host)).toEqual(['k8s-multi.com', 'www.k8s-multi.com']);
    expect(ingress.spec.tls).toEqual([{ hosts: ['k8s-multi.com', 'www.k8s-multi.com'], secretName: 'k8s-multi-com' }]);
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('true');
    expect(Object.keys(ingress.metadata.annotations).filter((k) => k.startsWith('accept-policy.'))).toEqual([]);
  });

  test('the same inputs give byte-identical output', () => {
    const a = path.join(tempDir(), 'dist');
    const b = path.join(tempDir(), 'dist');
    synthesize(defaultCharts(), { outdir: a });
    synthesize(defaultCharts(), { outdir: b });
    expect(readAll(a)).toEqual(readAll(b));
  });

  test('a failed validation leaves the previous output exactly as it was, and no scratch folder behind', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    synthesize(defaultCharts(), { outdir });
    const before = readAll(outdir);
    const charts = defaultCharts();
    charts[0].chart.client.workload.deployment.metadata.addLabel('app.kubernetes.io/name', 'not a valid label value');
    expect(() => synthesize(charts, { outdir })).toThrow(ValidationError);
    expect(readAll(outdir)).toEqual(before);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-synth', 'dist']);
    expect(fs.readdirSync(path.join(parent, '.dist-synth'))).toEqual(['owned.json']);
  });

  test('the validation error lists every problem, one line each', () => {
    const charts = defaultCharts();
    charts[0].chart.client.workload.deployment.metadata.addLabel('bad key!', 'x');
    try {
      synthesize(charts, { outdir: path.join(tempDir(), 'dist') });
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const lines = (error as Error).message.split('\n');
      expect(lines[0]).toBe('validation found 1 problem(s); nothing was written:');
      expect(lines).toHaveLength(2);
      expect(lines[1].endsWith('/dist/multi-k8s.k8s.yaml: Deployment/client-deployment: metadata.labels.bad key!: label key "bad key!" is not a qualified name'
        + ' (allowed: an optional DNS subdomain prefix and "/", then at most 63 characters of A-Z a-z 0-9 - _ ., starting and ending with an alphanumeric)')).toBe(true);
    }
  });

  test('mirrors the manifests into the cdk8s CLI\'s scratch folder', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    const mirrorDir = path.join(parent, '.cdk8s.out');
    synthesize(defaultCharts(), { outdir, mirrorDir });
    expect(readAll(mirrorDir)).toEqual(readAll(outdir));
  });

  test('a mirror that cannot be written fails the synth before dist/ changes', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    synthesize(defaultCharts(), { outdir });
    const before = readAll(outdir);
    fs.writeFileSync(path.join(parent, 'a-file'), '');
    expect(() => synthesize(defaultCharts({ IMAGE_TAG: 'other' }), { outdir, mirrorDir: path.join(parent, 'a-file', '.cdk8s.out') }))
      .toThrow(/^cannot write the cdk8s CLI's folder ".*a-file\/\.cdk8s\.out": mkdir ".*a-file\/\.cdk8s\.out" failed: ENOTDIR/);
    expect(readAll(outdir)).toEqual(before);
  });

  test('no secret value from the environment reaches the output', () => {
    const secret = 's3cr3t-Value-that-must-not-leak';
    const outdir = path.join(tempDir(), 'dist');
    const env = { PGPASSWORD: secret, POSTGRES_PASSWORD: secret, PASSWORD: secret };
    const summary = synthesize(defaultCharts(env), { outdir });
    const text = Object.values(readAll(outdir)).join('\n');
    expect(text).not.toContain(secret);
    expect(summaryLines(summary, outdir).join('\n')).not.toContain(secret);
    expect(text).not.toMatch(/^kind: Secret$/m);
  });
});

test('what the synth hands the validator survives JSON, so mutation runs may judge a frozen copy (test/helpers.ts renderedApp)', () => {
  const handed = { items: renderCharts(defaultCharts(), 'dist'), options: validateOptions(defaultCharts()) };
  expect(JSON.parse(JSON.stringify(handed))).toStrictEqual(handed);
});

describe('reportFailure', () => {
  let errors: string[];
  beforeEach(() => {
    errors = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.join(' ')); });
  });
  afterEach(() => jest.restoreAllMocks());

  test('a configuration error prints its problems and says dist/ was kept', () => {
    expect(reportFailure(new ConfigError(['GIT_SHA="x" is not a commit SHA']), 'dist')).toBe(1);
    expect(errors).toEqual(['error: invalid configuration:\n  - GIT_SHA="x" is not a commit SHA', 'dist/ was left as it was.']);
  });

  test('an output error is one line naming the path and errno, no stack', () => {
    expect(reportFailure(new OutputError('cannot write "dist": mkdir "/x/dist" failed: EACCES (permission denied)'), 'dist')).toBe(1);
    expect(errors).toEqual(['error: cannot write "dist": mkdir "/x/dist" failed: EACCES (permission denied)', 'dist/ was left as it was.']);
  });

  test('an operating-system error from anywhere is one line too', () => {
    const error = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: 'ENOSPC', syscall: 'write', path: '/x/dist/a.yaml' });
    expect(reportFailure(error, 'dist')).toBe(1);
    expect(errors).toEqual(['error: write "/x/dist/a.yaml" failed: ENOSPC (no space left on device)', 'dist/ was left as it was.']);
  });

  test('control characters and credentials in a message are escaped and masked', () => {
    reportFailure(new ConfigError(['IMAGE_PREFIX="x" is bad \u001b[31mred\r']), 'dist');
    expect(errors[0]).toContain('\\u001b[31mred\\u000d');
    expect(safeText('pull from https://bob:hunter2@registry.example.com/app')).toBe('pull from https://bob:***@registry.example.com/app');
  });

  test('an unexpected error keeps its stack and still fails', () => {
    const error = new Error('boom');
    expect(reportFailure(error, 'dist')).toBe(1);
    expect(errors[0]).toContain('Error: boom');
  });
});

describe('npm run synth arguments', () => {
  /** Every entry under a folder with its bytes and modification time, to show a run touched nothing. */
  const state = (dir: string) => {
    const entries: Record<string, string> = {};
    const walk = (folder: string, prefix: string) => {
      for (const name of fs.readdirSync(folder).sort()) {
        const full = path.join(folder, name);
        const stats = fs.lstatSync(full);
        const key = `${prefix}${name}`;
        if (stats.isDirectory()) {
          entries[`${key}/`] = `dir ${stats.mtimeMs}`;
          walk(full, `${key}/`);
        } else entries[key] = `${stats.mtimeMs} ${fs.readFileSync(full).toString('base64')}`;
      }
    };
    walk(dir, '');
    return entries;
  };
  /** A folder after two real synths: dist/, .dist-previous/ and .dist-synth/ all hold something. */
  const synthesized = () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    synthesize(defaultCharts(), { outdir });
    synthesize(defaultCharts({ ENVIRONMENT: 'dev' }), { outdir });
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-previous', '.dist-synth', 'dist']);
    return { parent, outdir };
  };
  const lines = (entries: string[]) => entries.flatMap((entry) => entry.split('\n'));

  test.each([[['--help']], [['-h']], [['-h', '--help']]])('%j prints the usage and every setting with its default and allowed values on stdout, exit 0, and writes nothing', (flags) => {
    const { parent, outdir } = synthesized();
    const before = state(parent);
    // A setting that would fail the synth: --help reads none of them.
    const result = captureOutput(() => run(flags, { GIT_SHA: 'not-a-sha' }, outdir));
    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    const out = lines(result.out);
    expect(out[0]).toBe(SYNTH_USAGE);
    for (const setting of SETTINGS) {
      const at = out.indexOf(`  ${setting.name}`);
      expect({ setting: setting.name, at: at > 0 }).toEqual({ setting: setting.name, at: true });
      expect(out.slice(at + 1, at + 3)).toEqual([`      default: ${setting.default}`, `      allowed: ${setting.allowed}`]);
    }
    expect(state(parent)).toEqual(before);
  });

  test.each([[['--halp']], [['dist']], [['--help', 'extra']], [['-h', '']], [['\u001b[2Jx']]])('%j is an error line and the usage on stderr, exit 2, and writes nothing', (args) => {
    const { parent, outdir } = synthesized();
    const before = state(parent);
    const result = captureOutput(() => run(args, { GIT_SHA: SHA }, outdir));
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(lines(result.err)).toEqual([expect.stringMatching(/^error: unknown argument ".*": the synth takes no argument but --help \(-h\); its settings are environment variables$/), SYNTH_USAGE]);
    expect(result.err[0]).not.toContain('\u001b');
    expect(state(parent)).toEqual(before);
  });

  test('no argument synthesizes, with the settings\' warnings on stderr (npx cdk8s synth runs main so)', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    const result = captureOutput(() => run([], { GIT_SHA: SHA, ENVIRONMENT: 'dev', SERVER_REPLICAS_MAX: '8' }, outdir));
    expect(result.code).toBe(0);
    expect(result.err.filter((line) => line.startsWith('warning: '))).toEqual([
      expect.stringContaining('are course images at a tag Docker Hub does not have'),
      expect.stringContaining('carries node-postgres 7.4.3'),
      expect.stringContaining('SERVER_REPLICAS_MAX is set, but ENVIRONMENT=dev runs one pod of each component'),
    ]);
    expect(fs.readdirSync(outdir)).toContain('multi-k8s.k8s.yaml');
  });

  test('the built program (scripts/launch.js main, as npm run synth) answers --help and refuses an unknown argument, writing nothing', () => {
    const { parent } = synthesized();
    const before = state(parent);
    const launch = (args: string[]) => spawnSync(process.execPath, [path.join(__dirname, '..', '..', 'scripts', 'launch.js'), 'main', ...args], {
      cwd: parent, env: { ...process.env, GIT_SHA: SHA }, encoding: 'utf8', timeout: 240_000,
    });
    const help = launch(['--help']);
    expect({ status: help.status, first: help.stdout.split('\n')[0] }).toEqual({ status: 0, first: SYNTH_USAGE });
    expect(help.stdout).toContain('  CLIENT_IMAGE\n');
    const wrong = launch(['--nope']);
    expect({ status: wrong.status, stdout: wrong.stdout }).toEqual({ status: 2, stdout: '' });
    expect(wrong.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('compiling TypeScript'))).toEqual([expect.stringMatching(/^error: unknown argument "--nope"/), SYNTH_USAGE]);
    expect(state(parent)).toEqual(before);
  }, 300_000);
});

describe('issue 21 survivors (synth.ts)', () => {
  test('ValidationError: its name, and every problem on its own line', () => {
    const charts = defaultCharts();
    charts[0].chart.client.workload.deployment.metadata.addLabel('bad key!', 'x');
    charts[0].chart.client.workload.deployment.metadata.addLabel('other bad!', 'x');
    let caught: unknown;
    try {
      synthesize(charts, { outdir: path.join(tempDir(), 'dist') });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as Error).name).toBe('ValidationError');
    const lines = (caught as Error).message.split('\n');
    expect(lines[0]).toBe('validation found 2 problem(s); nothing was written:');
    expect(lines.slice(1).map((line) => line.replace(/^.*: Deployment\/client-deployment: /, '').split(':')[0])).toEqual(['metadata.labels.bad key!', 'metadata.labels.other bad!']);
  });

  test('operatorSecrets: each Secret once, its keys merged over the charts and sorted', () => {
    const charts = defaultCharts();
    const one = operatorSecrets(charts);
    expect(one.length).toBeGreaterThan(0);
    // Two charts that need the same Secrets: still each name once.
    expect(operatorSecrets([...charts, ...defaultCharts()])).toEqual(one);
    for (const secret of one) expect(secret.keys).toEqual([...secret.keys].sort());
    const chart = charts[0].chart as unknown as { requiredSecrets: { secret: { name: string }; key: string }[] };
    const name = one[0].name;
    chart.requiredSecrets.push({ secret: { name }, key: 'zz-last' }, { secret: { name }, key: 'AA-first' }, { secret: { name: 'another' }, key: 'k' });
    expect(operatorSecrets(charts)).toEqual([{ name, keys: ['AA-first', ...one[0].keys, 'zz-last'].sort() }, ...one.slice(1), { name: 'another', keys: ['k'] }]);
    expect(operatorSecrets(charts)[0].keys[0]).toBe('AA-first');
  });

  test('unusedExceptions: an acceptance the validator applied (rule, reason and one of its objects) is used; any other is named once', () => {
    const e = { rule: 'ingress-tls', object: 'Ingress/a', reason: 'why' };
    const applied = [{ rule: 'image-tag', object: 'Deployment/x', reason: 'other' }, { rule: 'ingress-tls', object: 'Ingress/b, Ingress/a', reason: 'why' }];
    expect(unusedExceptions([e, e], applied)).toEqual([]);
    const line = (x: typeof e) => `policy exception [${x.rule}] ${x.object}: ${x.reason}: the output has no [${x.rule}] finding on ${x.object}; the acceptance is not needed: remove it`;
    const otherRule = { ...e, rule: 'image-tag' };
    const otherReason = { ...e, reason: 'another reason' };
    const otherObject = { ...e, object: 'Ingress/c' };
    expect(unusedExceptions([otherRule, otherReason, otherObject, otherObject], applied)).toEqual([line(otherRule), line(otherReason), line(otherObject)]);
    expect(unusedExceptions([e], [])).toEqual([line(e)]);
    // A name is not matched by its characters: `Ingress/a` is not one of `I, n, g...`.
    expect(unusedExceptions([{ ...e, object: 'I' }], [{ ...e, object: 'Ingress/a' }])).toEqual([line({ ...e, object: 'I' })]);
  });

  test('a mirror folder whose parents do not exist is made, and a second synth into the same mirror works', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    const mirrorDir = path.join(parent, 'a', 'b', '.cdk8s.out');
    synthesize(defaultCharts(), { outdir, mirrorDir });
    synthesize(defaultCharts({ ENVIRONMENT: 'dev' }), { outdir, mirrorDir });
    expect(readAll(mirrorDir)).toEqual(readAll(outdir));
  });

  test('a mirror folder name Node refuses (a NUL byte) is not reported as an operating-system error: the error passes as it is, dist/ unchanged', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    synthesize(defaultCharts(), { outdir });
    const before = readAll(outdir);
    let caught: unknown;
    try {
      synthesize(defaultCharts({ ENVIRONMENT: 'dev' }), { outdir, mirrorDir: path.join(parent, 'bad\0name') });
    } catch (error) {
      caught = error;
    }
    expect(caught).not.toBeInstanceOf(OutputError);
    expect((caught as { code?: string }).code).toBe('ERR_INVALID_ARG_VALUE');
    expect(readAll(outdir)).toEqual(before);
  });

  test('the mirror named as the output folder itself is not written twice: dist/ gets the one atomic write', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    const summary = synthesize(defaultCharts(), { outdir, mirrorDir: path.join(parent, '.', 'dist') });
    expect(summary.files).toEqual(['multi-k8s.k8s.yaml']);
    expect(summary.warnings).toEqual([]);
    const again = synthesize(defaultCharts({ ENVIRONMENT: 'dev' }), { outdir, mirrorDir: outdir });
    expect(again.warnings).toEqual([]);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-previous', '.dist-synth', 'dist']);
  });

  test('images: only string values of an image key (a custom resource\'s object or number is not one)', () => {
    const charts = defaultCharts();
    // A custom resource of your own (the validator judges no schema it does not have) may hold anything under `image`.
    new ApiObject(charts[0].chart, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { image: { reference: 'busybox:1.37' }, list: [{ image: 7 }] } } as never);
    const outdir = path.join(tempDir(), 'dist');
    const summary = synthesize(charts, { outdir });
    expect(readAll(outdir)['multi-k8s.k8s.yaml']).toMatch(/reference: "?busybox:1\.37"?$/m);
    expect(summary.images).toEqual([
      'postgres:17.6', 'redis:7.4.5',
      `stephengrider/multi-client:${SHA}`, `stephengrider/multi-server:${SHA}`, `stephengrider/multi-worker:${SHA}`,
    ]);
  });
});
