import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { run } from '../../lib/program/open-preview-command';
import { defaultObjects, tempDir } from '../helpers';
import { captureOutput } from '../support/cli';

// What open-preview does with a cluster (creates and marks a new preview's Namespace, refuses one
// this app did not create) is tested on the real API server: test/program/preview-namespace-cluster.test.ts.
// Here: what it refuses before kubectl runs (a kubectl that cannot run would say so instead).

const NO_KUBECTL = { kubectl: '/nonexistent/kubectl' };
const USAGE = 'usage: npm run open-preview -- [DIR]  (DIR: the synthesized previews, default dist)';

function output(objects: Record<string, any>[]): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'out.k8s.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  return dir;
}

describe('npm run open-preview', () => {
  test.each([[['a', 'b']], [['--force']]])('refuses %j: exit 2, one line', (args) => {
    expect(captureOutput(() => run(args, NO_KUBECTL))).toEqual({ code: 2, out: [], err: [`error: ${USAGE}`] });
  });

  test('an output of the main environment holds no preview Namespace: exit 2, one line, kubectl never runs', () => {
    const dir = output(defaultObjects());
    expect(captureOutput(() => run([dir], NO_KUBECTL))).toEqual({
      code: 2, out: [], err: [`error: ${dir} holds no preview Namespace of multi-k8s: synthesize previews first (PREVIEWS=pr-12 npm run synth); ${USAGE}`],
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
