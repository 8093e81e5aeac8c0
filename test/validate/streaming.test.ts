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

describe('Validation: what the context sets, the waiting batch, and the problem budget', () => {
  // One schema problem per unknown field (one version: no two to merge).
  const typos = (name: string, n: number, namespace = 'n'): Located => ({ file: `${name}.yaml`, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, ...Object.fromEntries(Array.from({ length: n }, (_, i) => [`dta${i}`, {}])) } });
  const schemaOnly = (maxProblems: number): ValidateOptions => ({ maxProblems, checks: ['schema'], kubernetesVersions: ['1.34'] });
  const fed = (options: ValidateOptions, ...batches: Located[][]) => {
    const validation = new Validation(batches.flat(), options);
    for (const batch of batches) validation.add(batch);
    const { problems, stopped } = validation.finish();
    return { problems: problems.map((p) => `${p.object} ${p.path}: ${p.message}`), stopped };
  };
  const pod = (namespace: string): Located => ({ file: 'p.yaml', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } });
  const restricted = { 'pod-security.kubernetes.io/enforce': 'restricted' };

  test('only a v1 Namespace with a name sets the Pod Security policy of its namespace: not another kind of that name, nor a custom kind called Namespace', () => {
    const configMap: Located = { file: 'c.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'secure', labels: restricted } } };
    expect(fed({ checks: ['admission'] }, [configMap, pod('secure')])).toEqual({ problems: [], stopped: undefined });
    const namespaceCrd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'namespaces.example.com' },
      spec: { group: 'example.com', scope: 'Cluster', names: { plural: 'namespaces', singular: 'namespace', kind: 'Namespace', listKind: 'NamespaceList' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }] },
    };
    const custom: Located = { file: 'n.yaml', object: { apiVersion: 'example.com/v1', kind: 'Namespace', metadata: { name: 'secure', labels: restricted } } };
    expect(fed({ checks: ['admission'], crds: [namespaceCrd] }, [custom, pod('secure')])).toEqual({ problems: [], stopped: undefined });
    // The real one does.
    const namespace: Located = { file: 'n.yaml', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'secure', labels: restricted } } };
    expect(fed({ checks: ['admission'] }, [namespace, pod('secure')]).problems).toEqual([expect.stringMatching(/^Pod\/p .*violates PodSecurity "restricted:latest"/)]);
  });

  test('a Namespace without metadata, or without a name, is judged like any object: no crash', () => {
    const bare: Located = { file: 'n.yaml', object: { apiVersion: 'v1', kind: 'Namespace' } };
    const nameless: Located = { file: 'm.yaml', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: restricted } } };
    const result = fed({ checks: ['admission'] }, [bare, nameless, pod('')]);
    expect(result).toEqual({ problems: [], stopped: undefined });
  });

  test('the admission checks run only when asked for', () => {
    const namespace: Located = { file: 'n.yaml', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'secure', labels: restricted } } };
    expect(fed({ checks: ['schema', 'api', 'link'] }, [namespace, pod('secure')])).toEqual({ problems: [], stopped: undefined });
  });

  test('the API rules are those of the targeted versions: a rule 1.32 relaxed is no problem when only 1.34 is targeted', () => {
    const item: Located = { file: 'p.yaml', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', env: [{ name: '1st', value: 'x' }] }] } } };
    expect(fed({ checks: ['api'], kubernetesVersions: ['1.34'] }, [item])).toEqual({ problems: [], stopped: undefined });
    expect(fed({ checks: ['api'], kubernetesVersions: ['1.27'] }, [item]).problems).toEqual(['Pod/p spec.containers[0].env[0].name: environment variable name "1st" is not valid before Kubernetes 1.32']);
  });

  test('a budget filled exactly by the last object judged, every object judged whole, is no stop', () => {
    // The second object (ordinal 1) fills it: nothing of it was cut.
    expect(fed(schemaOnly(2), [typos('a', 0), typos('b', 2)])).toEqual({
      problems: ['ConfigMap/b dta0: unknown field "dta0" (Kubernetes 1.34.0 schema)', 'ConfigMap/b dta1: unknown field "dta1" (Kubernetes 1.34.0 schema)'],
      stopped: undefined,
    });
  });

  test('an object cut short by the budget after one that fitted counts as judged, the ones after it not', () => {
    expect(fed(schemaOnly(2), [typos('a', 1), typos('b', 3), typos('c', 1)])).toEqual({
      problems: ['ConfigMap/a dta0: unknown field "dta0" (Kubernetes 1.34.0 schema)', 'ConfigMap/b dta0: unknown field "dta0" (Kubernetes 1.34.0 schema)'],
      stopped: { notJudged: 1 },
    });
  });

  test('objects of the batch after the one that filled the budget are not judged: their lists are left as given', () => {
    const containers = [{ name: 'c', image: 'nginx:1.27' }];
    const item: Located = { file: 'p.yaml', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: { containers } } };
    const validation = new Validation([], schemaOnly(1));
    validation.add([typos('a', 1), item]);
    validation.finish();
    expect(item.object.spec.containers).toBe(containers);
  });

  test('a budget filled by the namespace checks: the namespaces judged whole before count as judged, the one that filled it not', () => {
    const service = (name: string, namespace: string): Located => ({ file: `${name}.yaml`, object: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } } });
    // Namespace a: two objects without link problems; b: one Service with one (the budget).
    const items = [typos('c1', 0, 'a'), typos('c2', 0, 'a'), service('s', 'b')];
    expect(fed({ checks: ['link'], maxProblems: 1 }, items)).toEqual({
      problems: ['Service/s spec.selector: selector {"app":"x"} selects no pod template in the output'],
      stopped: { notJudged: 1 },
    });
    // Without a budget, the same problem and no stop.
    expect(fed({ checks: ['link'] }, items)).toEqual({ problems: ['Service/s spec.selector: selector {"app":"x"} selects no pod template in the output'], stopped: undefined });
  });

  test('the namespace checks stop at the budget left after the per-object checks, within one object\'s findings', () => {
    const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n', annotations: { 'accept-policy.multi-k8s.dev/nope': 'r', 'accept-policy.multi-k8s.dev/nada': 'r' } }, dta0: {} };
    expect(fed({ checks: ['schema', 'policy'], kubernetesVersions: ['1.34'], maxProblems: 2 }, [{ file: 'c.yaml', object }])).toEqual({
      problems: ['ConfigMap/c dta0: unknown field "dta0" (Kubernetes 1.34.0 schema)', 'ConfigMap/c metadata.annotations.accept-policy.multi-k8s.dev/nope: accepts the unknown policy rule "nope"'],
      stopped: { notJudged: 1 },
    });
  });

  test('the namespace checks read a custom kind named like a built-in one whole, fields its CRD does not define included', () => {
    const serviceCrd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'services.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'services', singular: 'service', kind: 'Service', listKind: 'ServiceList' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { other: { type: 'string' } } } } }] },
    };
    const service: Located = { file: 's.yaml', object: { apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { selector: { app: 'x' } } } };
    expect(fed({ checks: ['schema', 'link'], kubernetesVersions: ['1.34'], crds: [serviceCrd] }, [service]).problems).toEqual([
      'Service/s spec: unknown field "spec" (CustomResourceDefinition)',
      'Service/s spec.selector: selector {"app":"x"} selects no pod template in the output',
    ]);
  });

  test('an object kept for the namespace checks leaves out the top-level fields the API does not have', () => {
    const validation = new Validation([], { kubernetesVersions: ['1.34'] });
    validation.add([{ file: 's.yaml', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { ports: [{ port: 80 }] }, extra: 1 } }]);
    const kept = (validation as unknown as { known: Located[] }).known.map((item) => Object.keys(item.object).sort());
    expect(kept).toEqual([['apiVersion', 'kind', 'metadata', 'spec']]);
  });

  test('findings an exception accepts take none of the budget: a budget is no reason to report fewer problems, nor to say none', () => {
    const rules = ['restricted', 'service-account', 'resources', 'read-only-root', 'network-policy'];
    const accepting = Object.fromEntries(rules.map((rule) => [`accept-policy.multi-k8s.dev/${rule}`, 'on purpose']));
    const items = [{ ...pod('n'), object: { ...pod('n').object, metadata: { name: 'a', namespace: 'n', annotations: accepting } } }, { ...pod('n'), object: { ...pod('n').object, metadata: { name: 'b', namespace: 'n' } } }];
    const all = fed({ checks: ['policy'] }, items);
    expect(all.problems).toHaveLength(13);
    expect(all.problems.every((p) => p.startsWith('Pod/b '))).toBe(true);
    for (const maxProblems of [1, 5]) {
      expect({ maxProblems, ...fed({ checks: ['policy'], maxProblems }, items) }).toEqual({ maxProblems, problems: all.problems.slice(0, maxProblems), stopped: { notJudged: 2 } });
    }
  });

  test('the problems held while judging stay within the budget, however many one object has', () => {
    const validation = new Validation([], { ...schemaOnly(10), failOnUnknown: true });
    // An early problem (a kind without a schema), then 4 problems, then an object of 50.
    validation.add([{ file: 'w.yaml', object: { apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w' } } }]);
    validation.add([typos('a', 4)]);
    validation.add([typos('b', 50)]);
    expect((validation as unknown as { judgedProblems: unknown[] }).judgedProblems).toHaveLength(9);
    const { problems, stopped } = validation.finish();
    expect(problems.map((p) => `${p.object} ${p.path}`)).toEqual(['Widget/w kind', 'ConfigMap/a dta0', 'ConfigMap/a dta1', 'ConfigMap/a dta2', 'ConfigMap/a dta3', 'ConfigMap/b dta0', 'ConfigMap/b dta1', 'ConfigMap/b dta2', 'ConfigMap/b dta3', 'ConfigMap/b dta4']);
    expect(stopped).toEqual({ notJudged: 1 });
  });

  test('objects judged in the worker thread wait for more, up to 16; a batch of others is judged at once with them', () => {
    const route = (name: string): Located => ({ file: `${name}.yaml`, object: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: 'n' }, spec: { parentRefs: [{ name: 'gw' }] } } });
    const waiting = (validation: Validation) => (validation as unknown as { waiting: Located[] }).waiting.map((item) => item.object.metadata.name);
    const validation = new Validation([], {});
    validation.add([route('r1')]);
    expect(waiting(validation)).toEqual(['r1']);
    // A batch with one of them waits too.
    validation.add([typos('c', 0), route('r2')]);
    expect(waiting(validation)).toEqual(['r1', 'c', 'r2']);
    validation.add([typos('d', 0)]);
    expect(waiting(validation)).toEqual([]);
    for (let i = 0; i < 15; i++) validation.add([route(`s${i}`)]);
    expect(waiting(validation)).toHaveLength(15);
    validation.add([route('s15')]);
    expect(waiting(validation)).toEqual([]);
    expect(validation.finish().problems).toEqual([]);
  });
});
