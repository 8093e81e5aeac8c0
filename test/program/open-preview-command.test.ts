import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { run } from '../../lib/program/open-preview-command';
import { defaultObjects, inEmptyFolder, tempDir } from '../helpers';
import { captureOutput } from '../support/cli';
import { fakeKubectl } from '../support/fake-kubectl';

// What open-preview does with a cluster (creates and marks a new preview's Namespace, refuses one
// this app did not create) is tested on the real API server: test/program/preview-namespace-cluster.test.ts.
// Here: what it refuses before kubectl runs (a kubectl that cannot run would say so instead).

const NO_KUBECTL = { kubectl: '/nonexistent/kubectl' };
const USAGE_START = /^usage: npm run open-preview -- \[DIR\]\n/;

function output(objects: Record<string, any>[]): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'out.k8s.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  return dir;
}

describe('npm run open-preview', () => {
  test.each([
    [['a', 'b'], 'error: one folder at most: 2 were given (a b)'],
    [['--', 'a', '-b'], 'error: one folder at most: 2 were given (a -b)'],
    [['--force'], 'error: unknown option --force: allowed are -h, --help, -- (an operand starting with - goes after --)'],
    [['dist', '--dry-run'], 'error: unknown option --dry-run: allowed are -h, --help, -- (an operand starting with - goes after --)'],
  ])('refuses %j: one error line, then the usage, exit 2, kubectl never runs', (args, message) => {
    const kubectl = fakeKubectl();
    expect(captureOutput(() => run(args, { env: kubectl.env }))).toEqual({ code: 2, out: [], err: [message, expect.stringMatching(USAGE_START)] });
    expect(kubectl.calls()).toEqual([]);
  });

  test.each([[['--help']], [['-h']], [['dist', '--help']], [['--force', '-h']]])('%j prints the usage on stdout, exit 0, reads nothing, kubectl never runs, nothing written', (args) => {
    const kubectl = fakeKubectl();
    const { result, dir } = inEmptyFolder(() => captureOutput(() => run(args, { env: kubectl.env })));
    expect(result).toEqual({ code: 0, out: [expect.stringMatching(USAGE_START)], err: [] });
    for (const part of [/DIR +the synthesized previews \(PREVIEWS=\.\.\. npm run synth\) \(default: dist\)/, /-h, --help +print this help and exit 0/, /-- +ends the options/,
      /Exit codes: 0 every preview Namespace is this app's \(created now or before\), 2 otherwise/]) {
      expect(result.out[0]).toMatch(part);
    }
    expect(kubectl.calls()).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('after --, a folder may start with -', () => {
    const parent = tempDir();
    fs.mkdirSync(path.join(parent, '-previews'));
    fs.writeFileSync(path.join(parent, '-previews', 'out.k8s.yaml'), defaultObjects({ PREVIEWS: 'pr-12' }).map((o) => stringify(o)).join('---\n'));
    const cwd = process.cwd();
    try {
      process.chdir(parent);
      // Read as a folder: its preview Namespace reaches kubectl (here one that cannot run).
      expect(captureOutput(() => run(['--', '-previews'], NO_KUBECTL)).err).toEqual(['error: kubectl was not found on PATH: install kubectl 1.27 or newer']);
    } finally {
      process.chdir(cwd);
    }
  });

  test('an output of the main environment holds no preview Namespace: exit 2, one line, kubectl never runs', () => {
    const dir = output(defaultObjects());
    expect(captureOutput(() => run([dir], NO_KUBECTL))).toEqual({
      code: 2, out: [], err: [`error: ${dir} holds no preview Namespace of multi-k8s: synthesize previews first (PREVIEWS=pr-12 npm run synth), then npm run open-preview -- [DIR]`],
    });
  });

  test('a Namespace of another app in the folder is not this app\'s to create', () => {
    const dir = output([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x', labels: { 'app.kubernetes.io/part-of': 'other' } } }]);
    expect(captureOutput(() => run([dir], NO_KUBECTL)).code).toBe(2);
  });

  test('previews: kubectl is asked (here it cannot run: one line, exit 2)', () => {
    const dir = output(defaultObjects({ PREVIEWS: 'pr-12' }));
    expect(captureOutput(() => run([dir], NO_KUBECTL))).toEqual({ code: 2, out: [], err: ['error: kubectl was not found on PATH: install kubectl 1.27 or newer'] });
  });

  test('a folder that does not exist: one escaped line, exit 2', () => {
    const result = captureOutput(() => run(['/nonexistent/a\u001b[2J'], NO_KUBECTL));
    expect(result.code).toBe(2);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).not.toMatch(/[\u0000-\u001f]/);
  });
});
