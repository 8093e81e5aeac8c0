import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ConfigError } from '../../lib/program/config';
import { renderCharts, replaceFolder, reportFailure, summaryLines, synthesize, validateOptions, ValidationError } from '../../lib/program/synth';
import { defaultCharts, defaultObjects, SHA, tempDir } from '../helpers';

function readAll(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('synthesize', () => {
  test('writes the validated objects to one manifest file and summarises them', () => {
    const outdir = path.join(tempDir(), 'dist');
    const summary = synthesize(defaultCharts(), { outdir });
    expect(fs.readdirSync(outdir)).toEqual(['multi-k8s.k8s.yaml']);
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
      '  policy exception [ingress-tls] Ingress/ingress-service: TLS is not configurable yet: the course serves plain HTTP; terminate TLS in front of ingress-nginx until it is',
    ]);
    expect(fs.statSync(outdir).mode & 0o777).toBe(0o777 & ~process.umask());
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
    expect(fs.readdirSync(parent)).toEqual(['dist']);
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

describe('replaceFolder', () => {
  test('creates the folder when there was none', () => {
    const outdir = path.join(tempDir(), 'nested', 'dist');
    replaceFolder(outdir, new Map([['a.yaml', 'a: 1\n']]));
    expect(readAll(outdir)).toEqual({ 'a.yaml': 'a: 1\n' });
  });

  test('drops files of the previous output that the new one does not have', () => {
    const outdir = path.join(tempDir(), 'dist');
    replaceFolder(outdir, new Map([['old.yaml', 'x: 1\n']]));
    replaceFolder(outdir, new Map([['new.yaml', 'y: 2\n']]));
    expect(readAll(outdir)).toEqual({ 'new.yaml': 'y: 2\n' });
  });
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

  test('an unexpected error keeps its stack and still fails', () => {
    const error = new Error('boom');
    expect(reportFailure(error, 'dist')).toBe(1);
    expect(errors[0]).toContain('Error: boom');
  });
});
