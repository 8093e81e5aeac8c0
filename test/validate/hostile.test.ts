// The validator as a CI gate for manifests of strangers (issue 19): output that cannot lie or
// leak, one bad input costing one line, and no stack overflow on many objects. The size and time
// cases are benchmark rows (scripts/bench.js --only validate), not timed tests.
import * as fs from 'fs';
import * as path from 'path';
import { validate } from '../../lib/validate';
import { readManifests } from '../../lib/validate/load';
import { withoutNullFields } from '../../lib/validate/nulls';
import { tempDir } from '../helpers';
import { runCli, write } from '../support/cli';

const deployment = (name: string, env: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${JSON.stringify(name)}
  namespace: app
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env:
            - name: DATABASE_URL
              value: ${JSON.stringify(env)}
`;

describe('output that cannot lie or leak', () => {
  test('a name with a newline and an escape sequence is escaped: no forged line, no terminal escape', () => {
    const dir = tempDir();
    write(dir, 'a.yaml', deployment('web\nforged.yaml: Deployment/x: fine\u001b[2J', 'x'));
    const { out, err } = runCli(['--checks', 'api', dir]);
    const lines = [...out, ...err];
    expect(lines.some((line) => line.includes('Deployment/web\\nforged.yaml: Deployment/x: fine\\u001b[2J'))).toBe(true);
    expect(lines.some((line) => line.startsWith('forged.yaml'))).toBe(false);
    expect(lines.join('\n')).not.toContain('\u001b');
  });

  test('a file name with a newline is escaped in its error line', () => {
    const dir = tempDir();
    write(dir, 'bad\nerror: all good.yaml', 'a: [');
    const { err, code } = runCli([dir]);
    expect(code).toBe(2);
    expect(err.some((line) => line.includes('bad\\nerror: all good.yaml'))).toBe(true);
    expect(err.some((line) => line.startsWith('error: all good'))).toBe(false);
  });

  test('an env value with user:password@ is masked in every line', () => {
    const dir = tempDir();
    write(dir, 'a.yaml', deployment('web', 'postgres://admin:Hunter2Secret@postgres-missing:5432/app'));
    const { out, err } = runCli(['--checks', 'link', dir]);
    const text = [...out, ...err].join('\n');
    expect(text).toContain('postgres://admin:***@postgres-missing');
    expect(text).not.toContain('Hunter2Secret');
  });

  test('a problem line listing many names is shortened, saying how many were left out', () => {
    const dir = tempDir();
    const services = Array.from({ length: 500 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: app\nspec:\n  selector:\n    app: nothing-${i}\n  ports:\n    - port: 80\n`).join('---\n');
    write(dir, 'svc.yaml', services);
    write(dir, 'web.yaml', deployment('web', 'http://missing-service-name:80'));
    const { out } = runCli(['--checks', 'link', dir]);
    expect(out.length).toBeGreaterThan(0);
    for (const line of out) expect(line.length).toBeLessThan(3000);
    expect(out.some((line) => /\.\.\. and 4\d\d more/.test(line))).toBe(true);
  });
});

describe('many objects: no stack overflow', () => {
  test('a List of 150,000 items is read (a spread of its items overflowed the stack)', () => {
    const dir = tempDir();
    const items = Array.from({ length: 150_000 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c-${i}` } }));
    fs.writeFileSync(path.join(dir, 'list.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const result = readManifests([dir]);
    expect(result.errors).toEqual([]);
    expect(result.items).toHaveLength(150_000);
  });

  test('150,000 problems in one namespace are reported (a spread of them overflowed the stack)', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', namespace: 'app' } };
    const items = Array.from({ length: 150_001 }, (_, i) => ({ file: `f-${i}.yaml`, object }));
    const { problems } = validate(items, { checks: ['link'] });
    expect(problems).toHaveLength(150_000);
    expect(problems[0].message).toContain('defined twice');
  });
});

const crd = (versions: unknown) => JSON.stringify({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' }, versions },
});
const widgetVersion = (spec: unknown) => ({ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } });

describe('one bad input is one line', () => {
  test('a CRD whose spec.versions is a map is a problem of its own; every other input is still judged', () => {
    const dir = tempDir();
    write(dir, 'crd.json', crd({ v1: widgetVersion({ type: 'object' }) }));
    write(dir, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
    const { out, err, code } = runCli(['--checks', 'schema,api', dir]);
    expect(err.join('\n')).not.toContain('the validator failed');
    expect(out.some((line) => line.includes('crd.json: CustomResourceDefinition/widgets.example.com: spec.versions'))).toBe(true);
    expect(out.some((line) => line.includes('cm.yaml: ConfigMap/Bad_Name: metadata.name'))).toBe(true);
    expect(code).toBe(1);
  });

  test('the same CRD given with --crd stops nothing: the inputs are judged', () => {
    const dir = tempDir();
    const crdFile = write(tempDir(), 'crd.json', crd({ v1: widgetVersion({ type: 'object' }) }));
    write(dir, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n');
    const { err, code } = runCli(['--crd', crdFile, dir]);
    expect(err.join('\n')).not.toContain('the validator failed');
    expect(err[err.length - 1]).toBe('1 objects from 1 file(s): no problems');
    expect(code).toBe(0);
  });

  test('a CRD version entry that is not an object, or a schema that is a list, is no crash', () => {
    const dir = tempDir();
    write(dir, 'crd.json', crd(['v1', null, { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: ['not', 'a', 'schema'] } }]));
    write(dir, 'w.yaml', 'apiVersion: example.com/v2\nkind: Widget\nmetadata:\n  name: w\n');
    const { err, code } = runCli(['--checks', 'schema,api', dir]);
    expect(err.join('\n')).not.toContain('the validator failed');
    expect(code).toBe(1);
  });
});

describe('problem lines are bounded', () => {
  test('a value outside a 5,000-value enum names 20 of them and how many more', () => {
    const dir = tempDir();
    const values = Array.from({ length: 5000 }, (_, i) => `value-${i}`);
    write(dir, 'crd.json', crd([widgetVersion({ type: 'object', properties: { color: { type: 'string', enum: values } } })]));
    write(dir, 'w.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: app\nspec:\n  color: mauve\n');
    const { out, code } = runCli(['--checks', 'schema', dir]);
    expect(code).toBe(1);
    expect(out).toEqual([expect.stringContaining('w.yaml: Widget/w: spec.color: value not allowed (CustomResourceDefinition) (allowed: one of "value-0", "value-1",')]);
    expect(out[0]).toContain('"value-19", ... and 4980 more)');
  });
});

describe('a budget of problems', () => {
  const objects = (n: number) => Array.from({ length: n }, (_, i) => ({ file: 'a.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `Bad_${i}` } } }));

  test('maxProblems stops judging and says how many objects were left unjudged', () => {
    const { problems, stopped } = validate(objects(30), { checks: ['api'], maxProblems: 10 });
    expect(problems).toHaveLength(10);
    expect(stopped).toEqual({ notJudged: 20 });
  });

  test('under the budget nothing is said', () => {
    const { problems, stopped } = validate(objects(5), { checks: ['api'], maxProblems: 10 });
    expect(problems).toHaveLength(5);
    expect(stopped).toBeUndefined();
  });
});

describe('YAML aliases are not multiplied', () => {
  test('a part shared by aliases stays one part, and an object without nulls is not copied', () => {
    const shared = { a: '1', b: null };
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', labels: shared, annotations: shared } };
    const [read] = withoutNullFields([{ file: 'a.yaml', object }]);
    expect(read.object.metadata.labels).toEqual({ a: '1' });
    // One copy for both uses: a copy per use multiplied a document by its aliases (1.3 GB for 50 MB).
    expect(read.object.metadata.labels).toBe(read.object.metadata.annotations);
    expect(object.metadata.labels).toEqual({ a: '1', b: null });
    const clean = { file: 'b.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y' } } };
    expect(withoutNullFields([clean])[0]).toBe(clean);
  });

  test('the problem budget holds within one object of many problems', () => {
    const env = Array.from({ length: 50 }, (_, i) => ({ name: `bad name ${i}`, value: 'x' }));
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', env }] } };
    const { problems, stopped } = validate([{ file: 'p.yaml', object: pod }], { checks: ['api'], maxProblems: 10 });
    expect(problems).toHaveLength(10);
    expect(stopped).toEqual({ notJudged: 1 });
  });
});
