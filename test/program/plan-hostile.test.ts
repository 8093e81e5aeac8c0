import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { stringify } from 'yaml';
import { shellCommand, shellWord, shown } from '../../lib/plan/text';
import { run } from '../../lib/program/plan-command';
import { safeLine } from '../../lib/program/printing';
import { run as closePreview } from '../../lib/program/close-preview-command';
import { run as openPreview } from '../../lib/program/open-preview-command';
import { tempDir } from '../helpers';
import { captureOutput } from '../support/cli';

// `npm run plan` compares any two folders, so object names, namespaces, field names and folder
// names are anyone's. What it prints must be one line per line (no forged `+ ...` line), hold no
// terminal escape, show no password, and each command it suggests must run exactly the command
// shown, with the hostile name as one argument and nothing else executed.

const CANARY = path.join(tempDir(), 'canary');
const HOSTILE = [
  `web$(touch ${CANARY})`,
  `web\`touch ${CANARY}\``,
  `web'; touch ${CANARY}; echo '`,
  `web"; touch ${CANARY}; echo "`,
  'web\n+ Deployment/forged',
  'web\u001b[2J\u001b]0;title\u0007',
  'web\u009b31m',
  'web\u202eevil',
  'web\\n$HOME',
  'bob:hunter2@registry.example.com',
  'x'.repeat(5000),
];
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function writeOutput(dir: string, objects: Record<string, any>[]): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'out.k8s.yaml'), objects.map((o) => stringify(o)).join('---\n'));
  return dir;
}

/** Objects of every kind whose change makes the plan suggest a command with the object's name in it. */
function outputs(name: string, namespace: string): { before: Record<string, any>[]; after: Record<string, any>[] } {
  const meta = { name, namespace, labels: { 'app.kubernetes.io/part-of': 'multi-k8s', 'app.kubernetes.io/instance': 'prod' } };
  const set = (size: string) => ({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta,
    spec: { serviceName: 'db', template: { spec: { containers: [{ name: 'db', image: 'a' }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: size } } } }] },
  });
  const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
  const deployment = (replicas?: number) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta,
    spec: { ...(replicas ? { replicas } : {}), selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: `c${name}`, image: 'a' }] } } },
  });
  const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 2, maxReplicas: 4 } };
  const service = (clusterIP: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { clusterIP, ports: [{ port: 80 }] } });
  return {
    before: [set('1Gi'), claim, deployment(3), service('10.0.0.7'), { ...hpa, metadata: { ...meta, name: 'other' }, spec: { ...hpa.spec, scaleTargetRef: { ...hpa.spec.scaleTargetRef, name: 'gone' } } }],
    after: [set('2Gi'), deployment(), hpa, service('None')],
  };
}

/** The words a command line gives its program, as bash splits and expands it, with `kubectl` and `npm` recording instead of running. */
function wordsOf(command: string, cwd: string): string[] {
  const script = `kubectl() { printf '%s\\0' kubectl "$@"; }; npm() { printf '%s\\0' npm "$@"; }; ${command}`;
  const result = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/nonexistent-home' } });
  expect(result.status).toBe(0);
  return result.stdout.split('\0').slice(0, -1);
}

describe('npm run plan with hostile names', () => {
  afterEach(() => expect(fs.existsSync(CANARY)).toBe(false));

  test.each(HOSTILE.map((name) => [JSON.stringify(name).slice(0, 60), name]))('%s: lines hold no control character and no password; each suggested command runs only itself', (_label, name) => {
    const dir = tempDir();
    const { before, after } = outputs(name, `ns-${name}`);
    const result = captureOutput(() => run([writeOutput(path.join(dir, 'old'), before), writeOutput(path.join(dir, 'new'), after)]));
    expect(result.code).toBe(1);
    const lines = [...result.out, ...result.err];
    for (const line of lines) {
      expect(line).not.toMatch(CONTROL);
      expect(line).not.toContain('\n');
      expect(line).not.toContain('hunter2');
      // A long name is shortened: no line carries the 5000 characters.
      expect(line.length).toBeLessThan(2000);
    }
    // No line was forged: each starts as the plan's lines do.
    for (const line of result.out) expect(line).toMatch(/^[-+~!] /);
    const commands = lines.flatMap((line) => [...line.matchAll(/`(kubectl [^`]*)`/g)].map((m) => m[1]));
    // The delete, the edit-last-applied, the annotate of the claim and the get of the autoscaler;
    // for a name longer than Kubernetes allows, a note that says so instead of each.
    if (name.length > 253) {
      expect(commands).toEqual([]);
      expect(lines.filter((line) => line.includes('(no kubectl command: a name of 5000 characters, longer than Kubernetes allows)')).length).toBeGreaterThanOrEqual(3);
    } else expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const command of commands) {
      // dash (POSIX sh) parses it too.
      expect(spawnSync('sh', ['-n', '-c', command]).status).toBe(0);
      const words = wordsOf(command, dir);
      const plain = !CONTROL.test(name) && !name.includes('hunter2') && name.length < 200;
      // The name reaches kubectl as one word, whole (shortened or masked names are printed, not run: there is no such object).
      if (plain) expect(words.some((w) => w === name || w === `deployment/${name}`)).toBe(true);
      expect(words[0]).toBe('kubectl');
    }
  });

  test('a folder named like a command: the apply line quotes it', () => {
    const dir = tempDir();
    const hostileDir = path.join(dir, `new $(touch ${CANARY})`);
    const objects = (image: string) => [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'app.kubernetes.io/part-of': 'multi-k8s', 'app.kubernetes.io/instance': 'pr-1' } }, data: { image } }];
    const result = captureOutput(() => run([writeOutput(path.join(dir, 'old'), objects('a')), writeOutput(hostileDir, objects('b'))]));
    const line = result.err.find((l) => l.startsWith('apply with: '))!;
    const words = wordsOf(line.slice('apply with: '.length), dir);
    expect(words.slice(0, 4)).toEqual(['npm', 'run', 'open-preview', '--']);
    expect(words[4]).toBe(hostileDir);
    expect(words.filter((w) => w === hostileDir)).toHaveLength(2);
  });
});

describe('quoting and showing, alone', () => {
  test.each(HOSTILE.map((name) => [JSON.stringify(name).slice(0, 60), name]))('%s: bash reads back exactly the word', (_label, name) => {
    // Masking is the printing's (lib/program/printing.ts), the command layer's: the name itself is plain.
    if (name.includes('hunter2')) return expect(safeLine(`+ ConfigMap/${shown(name)}`)).toBe('+ ConfigMap/bob:***@registry.example.com');
    const printed = shellCommand(['kubectl', 'get', name]);
    expect(printed).not.toMatch(CONTROL);
    expect(wordsOf(printed, tempDir())).toEqual(['kubectl', 'get', name]);
  });

  test('plain words stay as they are; a long name is shortened and says its length', () => {
    expect(shellWord('server-deployment')).toBe('server-deployment');
    expect(shown('server-deployment')).toBe('server-deployment');
    expect(shown('x'.repeat(5000))).toMatch(/^x+…x+ \(5000 characters\)$/);
    expect(shown('a\nb')).toBe('"a\\nb"');
  });
});

describe('open-preview and close-preview echo no raw name', () => {
  test.each([['a\u001b[2J\nforged'], ['pr-1$(id)']])('close-preview %j: one escaped line, exit 2, kubectl never runs', (name) => {
    const result = captureOutput(() => closePreview([name], { kubectl: '/nonexistent/kubectl' }));
    expect(result.code).toBe(2);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).not.toMatch(CONTROL);
    expect(result.err[0]).toMatch(/^error: .* is not a preview name: allowed is a DNS label/);
  });

  test('open-preview of a folder with a hostile name that does not exist: one escaped line, exit 2', () => {
    const result = captureOutput(() => openPreview([`/nonexistent/d\u001b[2J\nforged`], { kubectl: '/nonexistent/kubectl' }));
    expect(result.code).toBe(2);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).not.toMatch(CONTROL);
  });
});
