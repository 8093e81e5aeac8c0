import { APP_OPERATOR_SECRETS, APP_POLICY_EXCEPTIONS } from '../../lib/program/app-contract';
import { validateOptions } from '../../lib/program/synth';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../lib/program/validate-command';
import { loadManifests } from '../../lib/validate/load';
import { COURSE_K8S, defaultCharts, tempDir } from '../helpers';

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { out.push(args.join(' ')); });
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { err.push(args.join(' ')); });
});
afterEach(() => jest.restoreAllMocks());

function write(dir: string, file: string, text: string): string {
  const full = path.join(dir, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return full;
}

describe('npm run validate', () => {
  test('a folder of hand-written manifests that the API server accepts exits 0 without the policy checks', () => {
    expect(run(['--checks', 'schema,api,link', COURSE_K8S])).toBe(0);
    expect(out).toEqual([]);
    expect(err).toEqual(['11 objects from 11 file(s): no problems']);
  });

  test('the course\'s manifests fail the policy checks, one line per finding, naming the rule', () => {
    expect(run([COURSE_K8S])).toBe(1);
    expect(err[0]).toMatch(/^policy exception \[ingress-tls\] Ingress\/ingress-service: plain HTTP on any host, as the course serves it/);
    expect(out.length).toBeGreaterThan(50);
    expect(out.every((line) => / \[[a-z-]+\] /.test(line))).toBe(true);
    expect(out).toContainEqual(expect.stringContaining('Deployment/postgres-deployment: spec.template.spec.containers[0].securityContext.runAsNonRoot: [restricted] runAsNonRoot is not true'));
    expect(out).toContainEqual(expect.stringContaining('Deployment/redis-deployment: spec.template.metadata.labels: [network-policy] no NetworkPolicy isolates these pods for ingress'));
  });

  test('problems exit 1, one line each: file, kind/name, field path, what is wrong, what is allowed', () => {
    const dir = tempDir();
    write(dir, 'svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPrt: 8080\n');
    expect(run([dir])).toBe(1);
    expect(out).toEqual([
      `${path.join(dir, 'svc.yaml')}: Service/web: spec.ports[0].targetPrt: unknown field "targetPrt" (Kubernetes 1.27.0 and 1.36.0 schemas) (allowed: only the fields the API defines here (check spelling and indentation))`,
      `${path.join(dir, 'svc.yaml')}: Service/web: spec.selector: selector {"app":"web"} selects no pod template in the output (allowed: labels of a workload's pods; the output has no pod templates in this namespace)`,
    ]);
    expect(err).toEqual([expect.stringMatching(/^policy exception \[ingress-tls\] /), '2 problem(s) in 1 objects from 1 file(s)']);
  });

  test('multi-document files, nested folders and kind: List are read', () => {
    const dir = tempDir();
    const courseFiles = fs.readdirSync(COURSE_K8S).sort();
    const [first, ...rest] = courseFiles.map((f) => fs.readFileSync(path.join(COURSE_K8S, f), 'utf8'));
    write(dir, 'a/one.yaml', first);
    write(dir, 'b/c/many.yml', rest.slice(0, 5).join('---\n'));
    write(dir, 'list.yaml', `apiVersion: v1\nkind: List\nitems:\n${rest.slice(5).map((text) => `  - ${text.trimEnd().split('\n').join('\n    ')}`).join('\n')}\n`);
    write(dir, 'README.md', 'not a manifest');
    expect(loadManifests([dir]).map((i) => path.relative(dir, i.file))).toEqual([
      'a/one.yaml', ...Array(5).fill('b/c/many.yml'), ...Array(5).fill('list.yaml'),
    ]);
    expect(run(['--checks', 'schema,api,link', dir])).toBe(0);
  });

  test('a YAML syntax error exits 2 naming file and line', () => {
    const dir = tempDir();
    const file = write(dir, 'broken.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   labels: {}\n');
    expect(run([dir])).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:9: YAML syntax error: `));
  });

  test('a missing path exits 2', () => {
    expect(run(['/no/such/folder'])).toBe(2);
    expect(err).toEqual(['error: /no/such/folder: no such file or directory']);
  });

  test('a folder without manifests exits 2', () => {
    expect(run([tempDir()])).toBe(2);
    expect(err[0]).toMatch(/^error: no Kubernetes objects found in /);
  });

  test('a document that is not an object exits 2', () => {
    const dir = tempDir();
    write(dir, 'x.yaml', '- a\n- b\n');
    expect(run([dir])).toBe(2);
    expect(err[0]).toBe(`error: ${path.join(dir, 'x.yaml')}: a document is a list, not a Kubernetes object`);
  });

  test('--operator-secret replaces the default list of Secrets created outside the manifests', () => {
    expect(run(['--checks', 'link', '--operator-secret', 'other=KEY', COURSE_K8S])).toBe(1);
    expect(out).toHaveLength(2);
    expect(out[0]).toContain('Secret "pgpassword" is neither in the output nor required from the operator (allowed: a Secret in the output or one the operator creates: other (KEY))');
    expect(run(['--checks', 'link', '--operator-secret', 'pgpassword=PGPASSWORD,OTHER', COURSE_K8S])).toBe(0);
  });

  test('bad usage exits 2 with the usage text', () => {
    expect(run([])).toBe(2);
    expect(run(['--operator-secret', 'no-equals', COURSE_K8S])).toBe(2);
    expect(run(['--frobnicate', COURSE_K8S])).toBe(2);
    expect(run(['--checks', 'schema,style', COURSE_K8S])).toBe(2);
    expect(err.every((line) => line.includes('usage: npm run validate'))).toBe(true);
    expect(run(['--help'])).toBe(0);
    expect(out[0]).toContain('Exit 0: clean; 1: problems, one per line; 2: unreadable input.');
  });
});

describe('the app contract npm run validate is told', () => {
  test('is what the chart itself declares: its operator Secrets and its policy exceptions', () => {
    const options = validateOptions(defaultCharts());
    expect(APP_OPERATOR_SECRETS).toEqual(options.operatorSecrets);
    expect(APP_POLICY_EXCEPTIONS).toEqual(options.policyExceptions);
  });
});
