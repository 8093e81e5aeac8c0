import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProblem, formatSkipped, validate, Validation, ValidateOptions } from '../../lib/validate';
import { run } from '../../lib/validate/cli';
import { readManifests } from '../../lib/validate/load';
import { KubeObject, Located } from '../../lib/validate/problem';

// The CLI judges one file at a time (index.ts Validation), keeping of each object only what the
// namespace checks read, where validate() is given every object at once. The verdicts must be the
// same, budget included: the files below put a CRD and a Namespace after the objects they judge,
// and an early problem (a version the CRD does not serve) after problems already judged.

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { color: { type: 'string' } } } } } } }],
  },
};
const container = (env: KubeObject[] = []) => ({ name: 'c', image: 'nginx', ports: [{ containerPort: 80, name: 'http' }], env });
const files: Record<string, KubeObject[]> = {
  'a.yaml': [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'secure', labels: { app: 'p1' } }, spec: { containers: [container()] } },
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'secure' }, spec: { color: 5 } },
    { apiVersion: 'other.example.com/v1', kind: 'Gadget', metadata: { name: 'g1', namespace: 'secure' }, spec: { deep: { deeper: [1, 2] } } },
  ],
  'b.yaml': [
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd1', namespace: 'secure' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'd1' } }, template: { metadata: { labels: { app: 'd1' } }, spec: { containers: [container([{ name: 'DB', value: 'db:5432' }, { name: 'K', valueFrom: { configMapKeyRef: { name: 'cm', key: 'present' } } }, { name: 'G', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k' } } }])] } } },
    },
    // Judged in the worker thread (schema/bundled.ts): objects of such kinds may wait for more (Validation.add).
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r1', namespace: 'secure' }, spec: { parentRefs: [{ name: 5 }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'secure' }, spec: { selector: { app: 'd1' }, ports: [{ port: 80, targetPort: 'web' }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'secure' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: 'secure' }, spec: { minAvailable: 1, selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['d1', 'p1'] }] } } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r2', namespace: 'secure' }, spec: { parentRefs: [{ name: 'gw' }], hostnames: ['Not A Host'], rules: [{ backendRefs: [{ name: 'gone', port: 80 }] }] } },
  ],
  'c.yaml': [
    crd,
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'secure', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w2', namespace: 'secure' }, spec: {} },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'secure' }, data: { present: 'x', 'bad key!': 'y' }, extra: [[[1]]] },
  ],
};

const located = (file: string) => files[file].map((object) => ({ file, object: structuredClone(object) }));
const all = (): Located[] => Object.keys(files).flatMap(located);

// Objects of a file found unusable after they were judged (the CLI undoes them: load.ts ObjectSink).
const junk = (): Located[] => [
  { file: 'junk.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'junk', namespace: 'secure' }, extra: 1, more: 2, third: 3 } },
  ...located('b.yaml').map((item) => ({ ...item, file: 'junk.yaml' })),
  { file: 'junk.yaml', object: { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w9', namespace: 'secure' }, spec: {} } },
  { file: 'junk.yaml', object: { apiVersion: 'other.example.com/v1', kind: 'Gadget', metadata: { name: 'g9', namespace: 'secure' } } },
  // Last: still waiting to be judged (Validation.add) when the undo comes.
  { file: 'junk.yaml', object: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r9', namespace: 'secure' }, spec: { parentRefs: [{ name: 9 }] } } },
];

/** The files fed as the CLI feeds them: a document at a time, or a file at a time; with or without a file undone before each. */
function streamed(options: ValidateOptions, { perObject = false, undone = false } = {}) {
  const validation = new Validation(all(), options);
  for (const file of Object.keys(files)) {
    if (undone) {
      const undo = validation.mark();
      for (const item of junk()) validation.add([item]);
      undo();
    }
    validation.mark();
    if (perObject) for (const item of located(file)) validation.add([item]);
    else validation.add(located(file));
  }
  return validation.finish();
}

function shown(result: ReturnType<typeof validate>) {
  return { problems: result.problems.map((p) => formatProblem(p)), skipped: result.skipped.map((s) => formatSkipped(s)), exceptions: result.exceptions, stopped: result.stopped };
}

describe('a validation fed one file at a time', () => {
  const whole = validate(all());

  test('the files hold problems of every family, early ones included, and a skipped kind', () => {
    const checks = new Set(whole.problems.map((p) => p.check));
    expect([...checks].sort()).toEqual(['admission', 'api', 'link', 'policy', 'schema']);
    expect(whole.problems.some((p) => p.message.includes('is not a version its CustomResourceDefinition serves'))).toBe(true);
    expect(whole.problems.filter((p) => /^ConfigMap "\w+" is not in the output/.test(p.message)).map((p) => p.message)).toEqual([expect.stringContaining('ConfigMap "gone"')]);
    expect(whole.skipped.map(formatSkipped)).toEqual([expect.stringContaining('Gadget/g1: skipped')]);
  });

  test('gives validate()\'s verdict, without a budget and with every budget up to all problems', () => {
    expect(shown(streamed({}))).toEqual(shown(whole));
    for (let max = 0; max <= whole.problems.length + 1; max++) {
      expect({ max, ...shown(streamed({ maxProblems: max })) }).toEqual({ max, ...shown(validate(all(), { maxProblems: max })) });
    }
  });

  test('the same fed an object at a time, and with objects judged and then undone before each file (budgets filled by them included)', () => {
    for (const way of [{ perObject: true }, { undone: true }, { perObject: true, undone: true }]) {
      expect({ ...way, ...shown(streamed({}, way)) }).toEqual({ ...way, ...shown(whole) });
      for (let max = 0; max <= whole.problems.length + 1; max++) {
        expect({ max, ...way, ...shown(streamed({ maxProblems: max }, way)) }).toEqual({ max, ...way, ...shown(validate(all(), { maxProblems: max })) });
      }
    }
  });

  test('an undo after the budget filled brings back what the namespace checks read', () => {
    const service: Located = { file: 's.yaml', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } } };
    const validation = new Validation([], { maxProblems: 2 });
    validation.mark();
    validation.add([service]);
    const undo = validation.mark();
    validation.add([{ file: 'bad.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, extra: 1, more: 2, third: 3 } }]);
    undo();
    const result = validation.finish();
    expect(result.problems.map((p) => `${p.object}: ${p.message}`)).toEqual(['Service/s: selector {"app":"x"} selects no pod template in the output']);
    expect(result.stopped).toBeUndefined();
  });

  test('an older mark undone after a newer one let the kept objects go, or after finish(), is refused with an error that says so', () => {
    const service: Located = { file: 's.yaml', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } } };
    const bad: Located = { file: 'bad.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, extra: 1, more: 2, third: 3 } };
    const message = 'Validation: this mark can no longer be undone: the objects kept since were let go by a later mark (the problem budget was full) or by finish(); undo only the latest mark, before finish()';
    const validation = new Validation([], { maxProblems: 2 });
    validation.add([service]);
    const older = validation.mark();
    validation.add([service, bad]);
    const newer = validation.mark();
    newer();
    expect(() => older()).toThrow(message);
    // The run is as the newer mark left it.
    expect(validation.finish().stopped).toBeDefined();

    const finished = new Validation([], {});
    finished.add([service]);
    const undo = finished.mark();
    finished.add([service]);
    finished.finish();
    expect(() => undo()).toThrow(message);
  });

  test('keeps of an object only what the namespace checks read', () => {
    const validation = new Validation(all(), {});
    for (const file of Object.keys(files)) validation.add(located(file));
    const kept = new Map((validation as unknown as { known: Located[] }).known.map((item) => [item.object.metadata.name, item.object]));
    expect(Object.keys(kept.get('w1')!).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    // A ConfigMap is looked up by name only.
    expect(Object.keys(kept.get('cm')!).sort()).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(kept.get('d1')!.spec.template.spec.containers).toHaveLength(1);
  });
});

describe('readManifests, one file at a time', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'streaming-'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n');
    fs.writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n---\n- not an object\n');
    fs.writeFileSync(path.join(dir, 'c.yaml'), 'key: [unclosed\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('hands each document\'s objects to `into`, keeps none, and counts them', () => {
    const batches: string[][] = [];
    const marks: number[] = [];
    const into = { add: (items: Located[]) => { batches.push(items.map((item) => item.object.metadata.name)); }, mark: () => { marks.push(batches.length); return () => { throw new Error('no file here needs undoing'); }; } };
    const result = readManifests([dir], { into });
    expect(batches).toEqual([['a'], ['ns1'], ['b']]);
    // One mark as each file starts (c.yaml's syntax error comes before any object of it).
    expect(marks).toEqual([0, 2, 3]);
    expect(result.items).toEqual([]);
    expect(result.objects).toBe(3);
    expect(result.files).toBe(3);
    expect(result.errors.map((e) => path.basename(e.path))).toEqual(['b.yaml', 'c.yaml']);
    expect(readManifests([dir])).toEqual({ ...result, items: expect.any(Array) });
  });

  test('a file found unusable after some of its documents were handed over is taken back: its one error line, none of its objects', () => {
    const late = fs.mkdtempSync(path.join(os.tmpdir(), 'streaming-late-'));
    try {
      const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
      fs.writeFileSync(path.join(late, 'a-good.yaml'), cm('g'));
      // YAML: two documents, then a syntax error in the third.
      fs.writeFileSync(path.join(late, 'b-yaml.yaml'), `${cm('y1')}---\n${cm('y2')}---\nkey: [unclosed\n`);
      // JSON: two values, then text that is not JSON (kubectl refuses the file).
      fs.writeFileSync(path.join(late, 'c-json.json'), `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j1"}}\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j2"}}\n---\n`);
      const added: string[] = [];
      const undone: string[][] = [];
      const into = {
        add: (items: Located[]) => { for (const item of items) added.push(item.object.metadata.name); },
        mark: () => {
          const at = added.length;
          return () => { undone.push(added.splice(at)); };
        },
      };
      const result = readManifests([late], { into });
      expect(undone).toEqual([['y1', 'y2'], ['j1', 'j2']]);
      expect(added).toEqual(['g']);
      expect(result.objects).toBe(1);
      expect(result.errors.map((e) => `${path.basename(e.path)}: ${e.message}`)).toEqual([
        'b-yaml.yaml: line 12 column 1: YAML syntax error: unexpected end of the stream within a flow collection',
        'c-json.json: line 3 column 1: JSON syntax error: not JSON after 2 JSON objects (kubectl reads a file that begins with { as a stream of JSON values; a YAML document may follow only the first)',
      ]);
      // Kept in `items` instead: the same.
      const kept = readManifests([late]);
      expect(kept.items.map((item) => item.object.metadata.name)).toEqual(['g']);
      expect({ ...kept, items: [] }).toEqual({ ...result, items: [] });
      // The CLI: the file's error line, no problem of its objects, one object counted.
      const out: string[] = [];
      const err: string[] = [];
      const log = jest.spyOn(console, 'log').mockImplementation((line: string) => { out.push(line); });
      const error = jest.spyOn(console, 'error').mockImplementation((line: string) => { err.push(line); });
      try {
        expect(run([late, '--fail-on-unknown'])).toBe(2);
      } finally {
        log.mockRestore();
        error.mockRestore();
      }
      expect(out).toEqual([]);
      expect(err.at(-1)).toBe('1 objects from 3 file(s): no problems; 2 input(s) could not be used');
    } finally {
      fs.rmSync(late, { recursive: true, force: true });
    }
  });

  test('`only` parses the files whose text it accepts', () => {
    const result = readManifests([dir], { only: (text) => text.includes('Namespace') });
    expect(result.items.map((item) => item.object.metadata.name)).toEqual(['a', 'ns1']);
    expect(result.errors).toEqual([]);
  });
});

describe('the CLI reads the inputs that judge others first, however they are spelled', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'streaming-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // The Pod comes first; the Namespace enforcing `restricted` after it, its kind written with a
  // YAML escape (\x4E is N) or a double-quoted line break, so the text never says "Namespace".
  test.each([
    ['kind: Namespace', 'plain'],
    ['kind: "\\x4Eamespace"', 'hex-escape'],
    ['kind: "\\u004Eamespace"', 'unicode-escape'],
    ['kind: "Name\\\n  space"', 'escaped-line-break'],
  ])('%s', (kind, name) => {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'a.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: secure\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n');
    fs.writeFileSync(path.join(folder, 'b.yaml'), `apiVersion: v1\n${kind}\nmetadata:\n  name: secure\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n`);
    const lines: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void lines.push(...String(text).split('\n')));
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(run([folder, '--checks', 'admission'])).toBe(1);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    expect(lines).toEqual([expect.stringMatching(/a\.yaml: Pod\/p: .*violates PodSecurity "restricted:latest"/)]);
  });
});
