import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { Validation, ValidateOptions } from '../../lib/validate';
import { readManifests } from '../../lib/validate/load';

// What the CLI keeps of a file for the namespace checks must not hold the file's text: V8 keeps a
// substring of 13 or more characters (a URL, "networking.k8s.io/v1") as a slice of the string it
// was cut from, so a kept value held its whole file (50 MB of Pod+Service+NetworkPolicy sets kept
// all 50 MB). A file of a few small objects padded with 24 MB of comments is read; once collected,
// the heap holds far less than the text when the text is released, and more than it when it is not.

// A collection on demand (jest runs without --expose-gc): the flag set at run time, the function
// taken from a fresh context.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const set = (i: number) => [
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\n  namespace: one\n  labels:\n    app: app-${i}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      env:\n        - name: PEER\n          value: http://svc-${i + 1}:80\n`,
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-${i}\n  namespace: one\nspec:\n  podSelector:\n    matchLabels:\n      app: app-${i}-long-label-value\n  policyTypes: [Ingress]\n`,
].join('---\n');

function heapAfterReading(file: string, options: ValidateOptions = { maxProblems: 100_000 }): { heap: number; validation: Validation } {
  const validation = new Validation([], options);
  readManifests([file], { into: validation });
  gc();
  gc();
  return { heap: process.memoryUsage().heapUsed, validation };
}

describe('the objects kept for the namespace checks', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unsliced-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('do not hold the text of the file they were read from', () => {
    const padding = `# ${'x'.repeat(1 << 20)}\n`.repeat(24);
    const text = Array.from({ length: 20 }, (_, i) => set(i)).join('---\n') + padding;
    const file = path.join(dir, 'sets.yaml');
    fs.writeFileSync(file, text);
    // A first run loads the schemas and compiles the checks, which the measured run then reuses.
    heapAfterReading(file);
    gc();
    const before = process.memoryUsage().heapUsed;
    const { heap, validation } = heapAfterReading(file);
    const held = heap - before;
    // The kept objects are a few kilobytes; the text is 24 MiB.
    expect(held).toBeLessThan(8 << 20);
    // The validation still judges what it kept: the Pods' Service names no object of the file.
    const problems = validation.finish().problems.filter((p) => p.message.includes('names no Service'));
    expect(problems.map((p) => p.object)).toContain('Pod/pod-0');
  });

  it('do not hold it through a value of exactly 13 characters, the shortest that V8 keeps as a slice', () => {
    // Every other string of these objects is shorter (V8 copies those); each Pod's name is 13.
    const pod = (i: number) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${String(i).padStart(9, '0')}\n  namespace: one\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n`;
    expect(`pod-${String(0).padStart(9, '0')}`).toHaveLength(13);
    const text = Array.from({ length: 20 }, (_, i) => pod(i)).join('---\n') + `# ${'x'.repeat(1 << 20)}\n`.repeat(24);
    const file = path.join(dir, 'names.yaml');
    fs.writeFileSync(file, text);
    heapAfterReading(file);
    gc();
    const before = process.memoryUsage().heapUsed;
    const { heap, validation } = heapAfterReading(file);
    expect(heap - before).toBeLessThan(8 << 20);
    // The Pods were judged, and named whole.
    expect(new Set(validation.finish().problems.map((p) => p.object))).toContain('Pod/pod-000000019');
  });

  it('are let go once the problem budget is full: the namespace checks will not run', () => {
    // 6,000 Deployments (each kept whole for the links), then a file whose problems fill the
    // budget, then one more file: reading it (its mark) lets the Deployments go.
    const deployment = (i: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d-${i}\n  namespace: one\n  labels: {app: app-${i}, tier: backend-tier-${i}}\nspec:\n  selector: {matchLabels: {app: app-${i}}}\n  template:\n    metadata: {labels: {app: app-${i}, tier: backend-tier-${i}}}\n    spec:\n      containers:\n        - name: c\n          image: registry.example.com/team/image-${i}:1.2.3\n          env: [{name: PEER_URL, value: 'http://peer-${i}.one.svc.cluster.local:8080/path'}]\n`;
    const many = path.join(dir, 'many.yaml');
    fs.writeFileSync(many, Array.from({ length: 6000 }, (_, i) => deployment(i)).join('---\n'));
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, Array.from({ length: 5 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata: {name: s-${i}, namespace: one}\nspec: {ports: [{port: 0}]}\n`).join('---\n'));
    const last = path.join(dir, 'last.yaml');
    fs.writeFileSync(last, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: one}\n');
    const read = () => {
      const validation = new Validation([], { maxProblems: 3 });
      readManifests([many, bad, last], { into: validation });
      gc();
      gc();
      return { heap: process.memoryUsage().heapUsed, validation };
    };
    read();
    gc();
    const before = process.memoryUsage().heapUsed;
    const { heap, validation } = read();
    const held = heap - before;
    const result = validation.finish();
    expect(result.problems).toHaveLength(3);
    expect(result.stopped).toBeDefined();
    // 6,000 whole Deployments are about 8 MB.
    expect(held).toBeLessThan(2 << 20);
  });
});

// A problem's path must be one string, not a chain of the pieces it was joined from: V8 keeps a
// string grown by `+=` as one node per piece until its characters are read, so the path of a
// problem 400 levels deep held 400 nodes (about 16 KB), and the bench's 10,000 such problems
// 160 MB (problem.ts objectPath).
describe('the problems kept until the end of a run', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flat-paths-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('hold their paths as flat strings, however deep the object', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let d = 0; d < 400; d++) schema = { type: 'object', properties: { a: schema } };
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'deeps.example.com' },
      spec: { group: 'example.com', scope: 'Namespaced', names: { plural: 'deeps', singular: 'deep', kind: 'Deep', listKind: 'DeepList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: schema } } } }] },
    };
    const nested = `${'{"a":'.repeat(400)}1${'}'.repeat(400)}`;
    const file = path.join(dir, 'deep.json');
    fs.writeFileSync(file, Array.from({ length: 2000 }, (_, i) => `{"apiVersion":"example.com/v1","kind":"Deep","metadata":{"name":"d-${i}","namespace":"one"},"spec":${nested}}\n`).join(''));
    const options: ValidateOptions = { crds: [crd], maxProblems: 100_000, checks: ['schema'] };
    heapAfterReading(file, options);
    gc();
    const before = process.memoryUsage().heapUsed;
    const { heap, validation } = heapAfterReading(file, options);
    const problems = validation.finish().problems;
    // One problem per object, at the deepest value (a number where the schema wants a string).
    expect(problems).toHaveLength(2000);
    expect(problems[0].path).toBe(`spec${'.a'.repeat(400)}`);
    // 2,000 paths of 806 characters are about 1.6 MB flat; as chains of 400 nodes, 32 MB.
    expect(heap - before).toBeLessThan(8 << 20);
  });
});
