import { createHash } from 'crypto';
import * as fs from 'fs';
import Module from 'module';
import * as os from 'os';
import * as path from 'path';
import { validateManifests } from '../../lib/validate';
import { definedApiVersions, hasSchema, isBuiltinGroup, judgedInWorker, kubernetesVersion, prefetchSchemas, servedByDefault, strictDefinitions, useCacheDir, validateSchema, withoutNulls } from '../../lib/validate/schema';
import { describeWithCluster } from '../support/envtest';
import { containerOf, courseObjects, defaultItems, expectOnly, find, NON_POLICY, renderedApp, tempDir, validateBroken } from '../helpers';

/** The validator cache a synth in this checkout uses (lib/validate/schema.ts). */
const PROJECT_CACHE = path.join('node_modules', '.cache', 'multi-k8s', 'validators');

const deployment = (objects: any[], name = 'server-deployment') => find(objects, 'Deployment', name);

describe('strict schema validation (Kubernetes 1.27 and 1.34)', () => {
  test('the synthesized app is clean', () => {
    const { items, options } = renderedApp();
    expect(validateManifests(items, options)).toEqual([]);
  });

  test('an unknown field is reported, for both versions at once', () => {
    const problems = validateBroken((o) => { containerOf(deployment(o)).imagePullPolicyy = 'Always'; }, NON_POLICY);
    expectOnly(problems, {
      check: 'schema', object: 'Deployment/server-deployment', path: 'spec.template.spec.containers[0].imagePullPolicyy',
      message: 'unknown field "imagePullPolicyy" (Kubernetes 1.27.0 and 1.34.0 schemas)',
    });
    expect(problems[0].file).toBe('dist/multi-k8s.k8s.yaml');
    expect(problems[0].allowed).toContain('only the fields the API defines here');
  });

  test('a field at the wrong level (mis-indented) is an unknown field', () => {
    expectOnly(validateBroken((o) => { deployment(o).spec.template.spec.image = 'x'; }, NON_POLICY), { check: 'schema', path: 'spec.template.spec.image', message: /^unknown field "image"/ });
  });

  test('a wrong type is reported with the allowed type', () => {
    const problems = validateBroken((o) => { deployment(o).spec.replicas = '3'; }, NON_POLICY);
    expectOnly(problems, { check: 'schema', path: 'spec.replicas', message: 'wrong type (Kubernetes 1.27.0 and 1.34.0 schemas)', allowed: 'type integer' });
  });

  test('int-or-string fields take either, and nothing else', () => {
    expectOnly(validateBroken((o) => { containerOf(deployment(o)).livenessProbe.httpGet.port = true; }, NON_POLICY), {
      check: 'schema', path: 'spec.template.spec.containers[0].livenessProbe.httpGet.port', allowed: 'type string or integer', message: /^wrong type/,
    });
  });

  test('a missing required field is reported', () => {
    expectOnly(validateBroken((o) => { delete containerOf(deployment(o)).name; }, NON_POLICY), {
      check: 'schema', path: 'spec.template.spec.containers[0].name', message: 'missing required field "name" (Kubernetes 1.27.0 and 1.34.0 schemas)',
    });
  });

  test('an int32 out of range is reported', () => {
    expectOnly(validateBroken((o) => { deployment(o).spec.progressDeadlineSeconds = 2 ** 31; }, NON_POLICY), {
      check: 'schema', path: 'spec.progressDeadlineSeconds', message: /^number out of range/, allowed: '<= 2147483647 (int32)',
    });
  });

  test('an apiVersion that no longer serves the kind is reported, naming the one that does', () => {
    const problems = validateBroken((o) => { find(o, 'Ingress', 'ingress-service').apiVersion = 'extensions/v1beta1'; }, NON_POLICY);
    expect(problems.filter((p) => p.check === 'schema')).toEqual([
      expect.objectContaining({ path: 'apiVersion', object: 'Ingress/ingress-service', message: 'extensions/v1beta1/Ingress is not served by Kubernetes 1.27.0 (removed or not yet added)', allowed: 'apiVersion networking.k8s.io/v1' }),
      expect.objectContaining({ path: 'apiVersion', message: 'extensions/v1beta1/Ingress is not served by Kubernetes 1.34.0 (removed or not yet added)' }),
    ]);
  });

  test('policy/v1beta1 PodDisruptionBudget, removed in 1.25, is refused by both versions', () => {
    const pdb = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'x' }, spec: { minAvailable: 1 } };
    expect(validateManifests([{ file: 'pdb.yaml', object: pdb }], { checks: ['schema'] }).map((p) => [p.message, p.allowed])).toEqual([
      ['policy/v1beta1/PodDisruptionBudget is not served by Kubernetes 1.27.0 (removed or not yet added)', 'apiVersion policy/v1'],
      ['policy/v1beta1/PodDisruptionBudget is not served by Kubernetes 1.34.0 (removed or not yet added)', 'apiVersion policy/v1'],
    ]);
  });

  test('quantities take a number or a string, and nothing else', () => {
    expect(validateBroken((o) => { containerOf(deployment(o)).resources.limits.cpu = 1; }, ['schema'])).toEqual([]);
    expectOnly(validateBroken((o) => { containerOf(deployment(o)).resources.limits.cpu = true; }, ['schema']), {
      check: 'schema', path: 'spec.template.spec.containers[0].resources.limits.cpu', allowed: 'type string or number', message: /^wrong type/,
    });
  });

  test('fields whose JSON name is not the binding\'s (x-kubernetes-*, $ref) are known by their JSON name', () => {
    const crd = (props: Record<string, unknown>) => ({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: props } } } }],
      },
    });
    const check = (props: Record<string, unknown>) => validateManifests([{ file: 'crd.yaml', object: crd(props) }], { checks: ['schema'] });
    expect(check({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { port: { 'x-kubernetes-int-or-string': true }, ref: { $ref: '#/x' } } })).toEqual([]);
    expect(check({ type: 'object', xKubernetesPreserveUnknownFields: true }).map((p) => p.message)).toEqual(['unknown field "xKubernetesPreserveUnknownFields" (Kubernetes 1.27.0 and 1.34.0 schemas)']);
  });

  test('an API removed after 1.27 is caught by the 1.34 schema alone', () => {
    const problems = validateManifests([{ file: 'apf.yaml', object: {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kind: 'PriorityLevelConfiguration', metadata: { name: 'x' },
    } }]);
    expect(problems.map((p) => [p.message, p.allowed])).toEqual([[
      'flowcontrol.apiserver.k8s.io/v1beta2/PriorityLevelConfiguration is not served by Kubernetes 1.34.0 (removed or not yet added)',
      'apiVersion flowcontrol.apiserver.k8s.io/v1',
    ]]);
  });

  test('an unknown kind is reported', () => {
    const problems = validateManifests([{ file: 'x.yaml', object: { apiVersion: 'v1', kind: 'Servcie', metadata: { name: 'x' } } }]);
    expect(problems.map((p) => p.message)).toEqual([
      'kind "Servcie" is not a built-in kind of Kubernetes 1.27.0',
      'kind "Servcie" is not a built-in kind of Kubernetes 1.34.0',
    ]);
  });

  test('the course\'s hand-written manifests pass the schema', () => {
    const items = courseObjects().map((object) => ({ file: 'k8s', object }));
    expect(validateManifests(items, renderedApp().options).filter((p) => p.check === 'schema')).toEqual([]);
  });

  test('the strict transform closes objects and bounds int32 and int64', () => {
    const defs = strictDefinitions({
      A: { type: 'object', properties: { n: { type: 'integer', format: 'int32' }, m: { type: 'integer', format: 'int64' } } },
      C: { type: 'object', additionalProperties: { type: 'string' } },
    });
    expect(defs).toEqual({
      A: {
        type: 'object', additionalProperties: false,
        properties: { n: { type: 'integer', minimum: -2147483648, maximum: 2147483647 }, m: { type: 'integer', minimum: -(2 ** 63), maximum: 2 ** 63 } },
      },
      C: { type: 'object', additionalProperties: { type: 'string' } },
    });
  });

  test('an int64 out of range is reported as int64', () => {
    const problems = validateBroken((o) => { deployment(o).spec.template.spec.terminationGracePeriodSeconds = 2 ** 64; }, NON_POLICY);
    expect(problems.filter((p) => p.check === 'schema')).toEqual([
      expect.objectContaining({ path: 'spec.template.spec.terminationGracePeriodSeconds', message: expect.stringMatching(/^number out of range/), allowed: '<= 9223372036854775807 (int64)' }),
    ]);
  });

  test('a JSON null is "not set": accepted for optional fields, missing for required ones', () => {
    const nulls = validateBroken((o) => {
      deployment(o).metadata.creationTimestamp = null;
      deployment(o).spec.template.metadata.creationTimestamp = null;
      containerOf(deployment(o)).resources = null;
      deployment(o).spec.template.spec.nodeSelector = null;
    }, NON_POLICY);
    expect(nulls.filter((p) => p.check === 'schema')).toEqual([]);
    expectOnly(validateBroken((o) => { containerOf(deployment(o)).name = null; }, ['schema']), {
      check: 'schema', path: 'spec.template.spec.containers[0].name', message: /^missing required field "name"/,
    });
  });

  test('withoutNulls copies only what holds a null', () => {
    const clean = { a: { b: 1 }, c: [1, 2] };
    expect(withoutNulls(clean)).toBe(clean);
    const dirty = { a: { b: null, keep: 1 }, c: [{ d: null }], e: clean };
    expect(withoutNulls(dirty)).toEqual({ a: { keep: 1 }, c: [{}], e: clean });
    expect(dirty.a.b).toBeNull();
  });

  test('hasSchema knows built-in kinds of either version and the bundled custom resources, nothing else', () => {
    expect(hasSchema('apps/v1', 'Deployment')).toBe(true);
    expect(hasSchema('flowcontrol.apiserver.k8s.io/v1beta2', 'PriorityLevelConfiguration')).toBe(true); // 1.27 only
    // A removed version of a built-in group is judged, so that the schema names it as removed.
    expect(hasSchema('extensions/v1beta1', 'Ingress')).toBe(true);
    expect(hasSchema('gateway.networking.k8s.io/v1', 'HTTPRoute')).toBe(true);
    expect(hasSchema('cert-manager.io/v1', 'ClusterIssuer')).toBe(true);
    expect(hasSchema('example.com/v1', 'Widget')).toBe(false);
  });

  test('the JSON name differs from the binding\'s TS name: hostPID, not hostPid', () => {
    expect(validateBroken((o) => { deployment(o).spec.template.spec.hostPID = false; }, NON_POLICY).filter((p) => p.check === 'schema')).toEqual([]);
    expectOnly(validateBroken((o) => { deployment(o).spec.template.spec.hostPid = false; }, ['schema']), {
      check: 'schema', path: 'spec.template.spec.hostPid', message: /^unknown field "hostPid"/,
    });
  });

  test('status and an embedded object\'s apiVersion/kind are allowed, as the API server allows them', () => {
    expect(validateBroken((o) => { deployment(o).status = { replicas: 1 }; }, ['schema'])).toEqual([]);
  });
});

describe('the validator cache', () => {
  const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'validator-cache-'));
  const service = () => find(renderedApp().items.map((i) => i.object), 'Service', 'redis-cluster-ip-service');
  // Two faults: a validator built cold reports every error, as a cached one does.
  const broken = () => ({ ...service(), spec: { ...service().spec, bogus: 1, other: 2 } });
  afterEach(() => useCacheDir());

  test('a cache folder that cannot be written only costs speed', () => {
    const dir = scratch();
    // A folder below a plain file can never be made (root ignores permission bits, not that).
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    try {
      useCacheDir(path.join(blocker, 'cache'));
      expect(validateSchema(service(), '1.27.0')).toEqual([]);
      expect(validateSchema(broken(), '1.27.0').map((f) => f.path)).toEqual(['spec.bogus', 'spec.other']);
      // The integer widths, read again each time: a port past int32 is still refused.
      const wide = { ...service(), spec: { ...service().spec, ports: [{ port: 2 ** 31 }] } };
      expect(validateSchema(wide, '1.27.0').map((f) => [f.path, f.allowed])).toEqual([['spec.ports[0].port', '<= 2147483647 (int32)']]);
      expect(fs.readdirSync(dir)).toEqual(['a-file']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ['truncated', (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ['corrupt', (text: string) => text.replace('function', 'funktion')],
    ['empty', () => ''],
  ])('a cache file that is %s is rebuilt, with the same verdict', (_name, damage) => {
    // Seeded with the project's integer widths (filled by this first check), the slow part to rebuild.
    expect(validateSchema(service(), '1.27.0')).toEqual([]);
    const dir = scratch();
    for (const f of fs.readdirSync(PROJECT_CACHE).filter((name) => name.startsWith('integer-formats-'))) fs.copyFileSync(path.join(PROJECT_CACHE, f), path.join(dir, f));
    try {
      useCacheDir(dir);
      const first = validateSchema(broken(), '1.27.0');
      expect(first.map((f) => f.path)).toEqual(['spec.bogus', 'spec.other']);
      const files = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('KubeServiceProps.js') || f.endsWith('gvk-index.json'));
      expect(files).toHaveLength(2);
      for (const f of files) fs.writeFileSync(path.join(dir, f), damage(fs.readFileSync(path.join(dir, f), 'utf8')));
      useCacheDir(dir);
      expect(validateSchema(broken(), '1.27.0')).toEqual(first);
      for (const f of files) expect(fs.readFileSync(path.join(dir, f), 'utf8')).toMatch(/^\/\/ sha256:[0-9a-f]{64}\n/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Scratch caches for the two describes below.
const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'validator-cache-foreign-'));
const service = () => find(renderedApp().items.map((i) => i.object), 'Service', 'redis-cluster-ip-service');
const hashed = (content: string) => `// sha256:${createHash('sha256').update(content).digest('hex')}\n${content}`;
const body = (text: string) => text.slice(text.indexOf('\n') + 1);
/** A scratch cache holding only the project's integer widths (the slow part to build), if it has them. */
const withWidths = () => {
  const dir = scratch();
  const widths = fs.existsSync(PROJECT_CACHE) ? fs.readdirSync(PROJECT_CACHE).filter((name) => name.startsWith('integer-formats-')) : [];
  for (const name of widths) fs.copyFileSync(path.join(PROJECT_CACHE, name), path.join(dir, name));
  return dir;
};
/**
 * A scratch cache holding the generated code and index of a Service's and a ConfigMap's
 * validators, built there (not the project's cache, which may hold anything: entries of other
 * versions, or of a mutant's run), without V8 data or bundled verdicts.
 */
const seeded = () => {
  const built = scratch();
  const dir = scratch();
  try {
    useCacheDir(built);
    expect(validateSchema(service(), '1.27.0')).toEqual([]);
    expect(validateSchema({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seed' }, data: { a: 'b' } }, '1.27.0')).toEqual([]);
    fs.cpSync(built, dir, { recursive: true, filter: (source) => !source.endsWith('.v8') && !path.basename(source).startsWith('bundled-') });
  } finally {
    useCacheDir();
    fs.rmSync(built, { recursive: true, force: true });
  }
  return dir;
};
const named = (dir: string, suffix: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f));
/** Runs `test` with a scratch cache made by `make` (withWidths or seeded), and removes it after. */
function inCache(make: () => string, test: (dir: string) => void): void {
  const dir = make();
  try {
    test(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The hash guards against files cut short or edited, not against content of the wrong kind: an
// entry whose hash holds is used as it is. These entries, foreign to their names (another kind's
// validator, another index, other integer widths), show which entries the validator reads, and
// that one whose hash does not hold, or whose hash line does not open the file, is built again.
describe('the validator cache: entries are read when their hash holds, and only then', () => {
  afterEach(() => useCacheDir());

  test('a validator entry: used when its hash holds; built again when the hash fails or its line does not open the file', () => {
    inCache(seeded, (dir) => {
      const services = named(dir, `${path.sep}KubeServiceProps.js`);
      expect(services.length).toBeGreaterThan(0);
      // The ConfigMap validator under the Service's name: a Service has no field of a ConfigMap's.
      const foreign = body(fs.readFileSync(path.join(path.dirname(services[0]), 'KubeConfigMapProps.js'), 'utf8'));
      const paths = () => { useCacheDir(dir); return validateSchema(service(), '1.27.0').map((f) => f.path); };
      for (const file of services) fs.writeFileSync(file, hashed(foreign));
      expect(paths()).toEqual(expect.arrayContaining(['spec']));
      for (const file of services) fs.writeFileSync(file, `// sha256:${'0'.repeat(64)}\n${foreign}`);
      expect(paths()).toEqual([]);
      // A hash line one character in, of what follows it: only a hash line at the start counts.
      for (const file of services) fs.writeFileSync(file, `#${hashed(`\n${foreign}`)}`.replace(/^#(.*)\n\n/, '#$1\n'));
      expect(paths()).toEqual([]);
      // Built again and written back.
      expect(services.filter((file) => body(fs.readFileSync(file, 'utf8')) !== foreign).map((file) => path.basename(path.dirname(file)))).toEqual([expect.stringMatching(/^v1\.27\.0-/)]);
    });
  });

  test('the index of served kinds: used when its hash holds', () => {
    inCache(seeded, (dir) => {
      const indexes = named(dir, 'gvk-index.json');
      expect(indexes.length).toBeGreaterThan(0);
      for (const file of indexes) fs.writeFileSync(file, hashed(JSON.stringify({ kinds: {}, servedVersions: {} })));
      useCacheDir(dir);
      expect(validateSchema(service(), '1.27.0').map((f) => f.path)).toEqual(['apiVersion']);
    });
  });

  test('the integer widths: used when their hash holds (none given: every number field takes a fraction)', () => {
    const dir = scratch();
    try {
      const widths = fs.readdirSync(PROJECT_CACHE).filter((name) => name.startsWith('integer-formats-'));
      expect(widths.length).toBeGreaterThan(0);
      for (const name of widths) fs.writeFileSync(path.join(dir, name), hashed('{}'));
      useCacheDir(dir);
      const half = { ...service(), spec: { ...service().spec, ports: [{ port: 0.5 }] } };
      expect(validateSchema(half, '1.27.0')).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('what was read is kept for the process: an index or a validator changed on disk after its first use is not seen until the cache is named again', () => {
    inCache(seeded, (dir) => {
      const services = named(dir, `${path.sep}KubeServiceProps.js`);
      const indexes = named(dir, 'gvk-index.json');
      expect(services.length).toBeGreaterThan(0);
      expect(indexes.length).toBeGreaterThan(0);
      useCacheDir(dir);
      expect(validateSchema(service(), '1.27.0')).toEqual([]);
      // The ConfigMap validator under the Service's name, then an index without kinds: neither is read now.
      const foreign = body(fs.readFileSync(path.join(path.dirname(services[0]), 'KubeConfigMapProps.js'), 'utf8'));
      for (const file of services) fs.writeFileSync(file, hashed(foreign));
      expect(validateSchema(service(), '1.27.0')).toEqual([]);
      for (const file of indexes) fs.writeFileSync(file, hashed(JSON.stringify({ kinds: {}, servedVersions: {} })));
      expect(validateSchema(service(), '1.27.0')).toEqual([]);
      useCacheDir(dir);
      expect(validateSchema(service(), '1.27.0').map((f) => f.path)).toEqual(['apiVersion']);
    });
  });

  test('a validator entry whose code exports no function is built again', () => {
    inCache(seeded, (dir) => {
      const services = named(dir, `${path.sep}KubeServiceProps.js`);
      expect(services.length).toBeGreaterThan(0);
      const code = 'exports.default = { validate: true };';
      for (const file of services) fs.writeFileSync(file, hashed(code));
      useCacheDir(dir);
      expect(validateSchema({ ...service(), spec: { ...service().spec, bogus: 1 } }, '1.27.0').map((f) => f.path)).toEqual(['spec.bogus']);
      expect(services.filter((file) => body(fs.readFileSync(file, 'utf8')) !== code).map((file) => path.basename(path.dirname(file)))).toEqual([expect.stringMatching(/^v1\.27\.0-/)]);
    });
  });

  test('an entry is UTF-8 text: bytes that are not fail the hash, even a hash of those very bytes', () => {
    inCache(seeded, (dir) => {
      const indexes = named(dir, 'gvk-index.json');
      expect(indexes.length).toBeGreaterThan(0);
      // An index without kinds, but for a byte (0xff) that UTF-8 never holds.
      const bytes = Buffer.concat([Buffer.from('{"kinds":{},"servedVersions":{},"note":"'), Buffer.from([0xff]), Buffer.from('"}')]);
      for (const file of indexes) fs.writeFileSync(file, Buffer.concat([Buffer.from(`// sha256:${createHash('sha256').update(bytes).digest('hex')}\n`), bytes]));
      useCacheDir(dir);
      expect(validateSchema(service(), '1.27.0')).toEqual([]);
    });
  });

  test('each version\'s entries are in a folder of its own, v<version>-<12 hex digits>, the digits a hash of the package read', () => {
    inCache(withWidths, (dir) => {
      useCacheDir(dir);
      expect(definedApiVersions('1.27.0')).toContain('apps/v1');
      expect(definedApiVersions('1.34.0')).toContain('apps/v1');
      const folders = fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
      expect(folders).toEqual([expect.stringMatching(/^v1\.27\.0-[0-9a-f]{12}$/), expect.stringMatching(/^v1\.34\.0-[0-9a-f]{12}$/)]);
      // cdk8s-plus-27 and cdk8s-plus-34: two packages, two hashes.
      expect(folders[0].slice(-12)).not.toBe(folders[1].slice(-12));
    });
  });

  test('an object without an apiVersion is judged, whatever the indexes of served kinds hold', () => {
    inCache(withWidths, (dir) => {
      useCacheDir(dir);
      expect(definedApiVersions('1.27.0')).toContain('v1');
      expect(definedApiVersions('1.34.0')).toContain('v1');
      const indexes = named(dir, 'gvk-index.json');
      expect(indexes).toHaveLength(2);
      // Neither version serves any kind now, the core group's included.
      for (const file of indexes) fs.writeFileSync(file, hashed(JSON.stringify({ kinds: {}, servedVersions: {} })));
      useCacheDir(dir);
      expect(hasSchema('v1', 'Widget')).toBe(false);
      expect(hasSchema('', 'Widget')).toBe(true);
    });
  });

  test('a kind whose generated code is the same in both versions (ConfigMap) is compiled once, for both', () => {
    const dir = withWidths();
    const compiled = jest.spyOn(Module, 'createRequire');
    try {
      useCacheDir(dir);
      const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 'b' } };
      expect(validateSchema(configMap, '1.27.0')).toEqual([]);
      expect(validateSchema(configMap, '1.34.0')).toEqual([]);
      const files = named(dir, `${path.sep}KubeConfigMapProps.js`);
      expect(files).toHaveLength(2);
      expect(fs.readFileSync(files[0], 'utf8')).toBe(fs.readFileSync(files[1], 'utf8'));
      expect(compiled.mock.calls.filter(([file]) => String(file).endsWith(`${path.sep}KubeConfigMapProps.js`))).toHaveLength(1);
    } finally {
      compiled.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the bundled custom resources\' verdicts, kept in the validator\'s cache', () => {
  afterEach(() => useCacheDir());
  const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'g' }], rulez: [] } };
  const paths = () => validateSchema(route, '1.27.0').map((f) => f.path);
  /** A scratch cache whose one kept verdict (the route's, found wrong once) is forged to "no finding", its hash holding. */
  const forgedVerdict = () => {
    const dir = tempDir();
    useCacheDir(dir);
    expect(paths()).toEqual(['spec.rulez']);
    const verdicts = fs.readdirSync(dir).filter((f) => f.startsWith('bundled-verdict-'));
    expect(verdicts).toHaveLength(1);
    const verdict = path.join(dir, verdicts[0]);
    fs.writeFileSync(verdict, `// sha256:${createHash('sha256').update('[]').digest('hex')}\n[]`);
    useCacheDir(dir);
    return { verdict };
  };

  test('a cached verdict is the verdict; a damaged one is judged again, the same', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-verdicts-'));
    useCacheDir(dir);
    expect(paths()).toEqual(['spec.rulez']);
    const verdicts = fs.readdirSync(dir).filter((f) => f.startsWith('bundled-verdict-'));
    expect(verdicts).toHaveLength(1);
    useCacheDir(dir);
    expect(paths()).toEqual(['spec.rulez']);
    fs.writeFileSync(path.join(dir, verdicts[0]), '// sha256:0000\n[]');
    useCacheDir(dir);
    expect(paths()).toEqual(['spec.rulez']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a kept verdict whose hash holds is the verdict, whatever it says', () => {
    forgedVerdict();
    expect(paths()).toEqual([]);
  });

  test('prefetchSchemas takes a custom object\'s kept verdict when called: that is the verdict, though the cache changes after', () => {
    const { verdict } = forgedVerdict();
    prefetchSchemas([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }, route]);
    fs.rmSync(verdict);
    expect(paths()).toEqual([]);
  });

  test('judgedInWorker: a custom resource of a bundled schema is; a built-in kind, or one without its apiVersion or kind, is not', () => {
    expect(judgedInWorker(route)).toBe(true);
    expect(judgedInWorker({ apiVersion: 'apps/v1', kind: 'Deployment' })).toBe(false);
    expect(judgedInWorker({ kind: 'HTTPRoute' })).toBe(false);
    expect(judgedInWorker({ apiVersion: 'gateway.networking.k8s.io/v1' })).toBe(false);
  });

  test('the cache is node_modules/.cache/multi-k8s/validators, beside the packages, unless named elsewhere', () => {
    const probe = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'default-cache-probe' }, spec: { parentRefs: [{ name: 'g' }], rulez: [] } };
    // The verdict's file is named after the object: learnt in a scratch cache.
    const dir = tempDir();
    useCacheDir(dir);
    expect(validateSchema(probe, '1.27.0').map((f) => f.path)).toEqual(['spec.rulez']);
    const verdicts = fs.readdirSync(dir).filter((f) => f.startsWith('bundled-verdict-'));
    expect(verdicts).toHaveLength(1);
    fs.rmSync(path.join(PROJECT_CACHE, verdicts[0]), { force: true });
    useCacheDir();
    expect(validateSchema(probe, '1.27.0').map((f) => f.path)).toEqual(['spec.rulez']);
    expect(fs.existsSync(path.join(PROJECT_CACHE, verdicts[0]))).toBe(true);
  });
});

describe('V8\'s compiled form of the generated validators, kept beside them', () => {
  afterEach(() => useCacheDir());

  test('is written once a validator has run, again when removed; a damaged one leaves the verdict as it was', () => {
    const verdict = () => validateManifests(defaultItems(), { checks: ['schema'] }).map((p) => p.message);
    // Seeded with the project's generated code (filled by this first check) without V8's data:
    // regenerating the code from the .jsii manifests is the cache tests' job above, and slow.
    expect(verdict()).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-v8-'));
    fs.cpSync(PROJECT_CACHE, dir, { recursive: true, filter: (source) => !source.endsWith('.v8') });
    expect(fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.v8'))).toEqual([]);
    useCacheDir(dir);
    expect(verdict()).toEqual([]);
    const v8 = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.v8'));
    expect(v8.length).toBeGreaterThan(0);
    for (const file of v8) fs.writeFileSync(path.join(dir, file), 'not V8 data');
    useCacheDir(dir);
    expect(verdict()).toEqual([]);
    for (const file of v8) fs.rmSync(path.join(dir, file));
    useCacheDir(dir);
    expect(verdict()).toEqual([]);
    for (const file of v8) expect(fs.existsSync(path.join(dir, file))).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('is named after its code\'s hash; kept while V8 takes it, written again when V8 refuses it', () => {
    const verdict = () => validateManifests(defaultItems(), { checks: ['schema'] }).map((p) => p.message);
    expect(verdict()).toEqual([]);
    const dir = tempDir();
    fs.cpSync(PROJECT_CACHE, dir, { recursive: true, filter: (source) => !source.endsWith('.v8') });
    useCacheDir(dir);
    expect(verdict()).toEqual([]);
    const v8 = fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.v8'));
    expect(v8.length).toBeGreaterThan(0);
    for (const file of v8) {
      // `<Kind>Props.js.<the first 16 hex digits of the SHA-256 of the code>.v8`, the code being the entry after its hash line.
      const [, code, hash] = /^(.*\.js)\.([0-9a-f]{16})\.v8$/.exec(file) ?? [];
      expect(code).toBeDefined();
      const text = fs.readFileSync(path.join(dir, code), 'utf8');
      expect(createHash('sha256').update(text.slice(text.indexOf('\n') + 1)).digest('hex').slice(0, 16)).toBe(hash);
    }
    // Each step in a copy of its own: V8 reuses what it compiled from the same file in this process, without reading the data.
    const copy = () => { const to = tempDir(); fs.cpSync(dir, to, { recursive: true }); return to; };
    // Taken: left as it is (its time, set back, stays so).
    const taken = copy();
    const past = new Date('2020-01-01T00:00:00Z');
    for (const file of v8) fs.utimesSync(path.join(taken, file), past, past);
    useCacheDir(taken);
    expect(verdict()).toEqual([]);
    for (const file of v8) expect(fs.statSync(path.join(taken, file)).mtime).toEqual(past);
    // Refused: written again.
    const refused = copy();
    for (const file of v8) fs.writeFileSync(path.join(refused, file), 'not V8 data');
    useCacheDir(refused);
    expect(verdict()).toEqual([]);
    expect(v8.filter((file) => fs.readFileSync(path.join(refused, file), 'latin1') === 'not V8 data')).toEqual([]);
  });
});

describe('validateSchema on its own', () => {
  const judge = (object: Record<string, unknown>, version: '1.27.0' | '1.34.0' = '1.27.0') => validateSchema({ metadata: { name: 'x' }, ...object }, version);
  const where = '(Kubernetes 1.27.0 schema)';

  test('a kind served by two apiVersions names both; a missing apiVersion or kind says what it is', () => {
    expect(judge({ apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler' })).toEqual([
      { path: 'apiVersion', message: 'autoscaling/v2beta2/HorizontalPodAutoscaler is not served by Kubernetes 1.27.0 (removed or not yet added)', allowed: 'apiVersion autoscaling/v1 or autoscaling/v2' },
    ]);
    expect(judge({ kind: 'Pod' })).toEqual([{ path: 'apiVersion', message: `missing: the API server cannot tell which API serves the object ${where}`, allowed: 'apiVersion v1' }]);
    expect(judge({ kind: 'HorizontalPodAutoscaler' })).toEqual([{ path: 'apiVersion', message: `missing: the API server cannot tell which API serves the object ${where}`, allowed: 'apiVersion autoscaling/v1 or autoscaling/v2' }]);
    expect(judge({ kind: 'Widget' })).toEqual([{ path: 'apiVersion', message: `missing: the API server cannot tell which API serves the object ${where}`, allowed: 'the apiVersion of its kind' }]);
    expect(judge({ apiVersion: 'v1' })).toEqual([{ path: 'kind', message: `missing: the API server cannot tell what the object is ${where}`, allowed: 'a kind, e.g. Deployment' }]);
    expect(() => validateSchema({ apiVersion: 'v1', kind: 'Pod' }, '1.99.0' as '1.27.0')).toThrow('no schemas for Kubernetes 1.99.0: allowed are 1.27.0, 1.34.0');
  });

  test('every finding in full: a required field, int32 and int64 bounds at both ends, keys holding / and ~', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', labels: { 'example.com/a~b': 5 } }, spec: { ports: [{ port: -(2 ** 31) - 1 }, { port: 2 ** 31 }] } };
    expect(judge(service)).toEqual([
      { path: 'metadata.labels.example.com/a~b', message: `wrong type ${where}`, allowed: 'type string' },
      { path: 'spec.ports[0].port', message: `number out of range ${where}`, allowed: '>= -2147483648 (int32)' },
      { path: 'spec.ports[1].port', message: `number out of range ${where}`, allowed: '<= 2147483647 (int32)' },
    ]);
    const pod = { apiVersion: 'v1', kind: 'Pod', spec: { activeDeadlineSeconds: -(2 ** 64), containers: [{ image: 'nginx' }] } };
    expect(judge(pod)).toEqual([
      { path: 'spec.containers[0].name', message: `missing required field "name" ${where}`, allowed: 'the field set' },
      { path: 'spec.activeDeadlineSeconds', message: `number out of range ${where}`, allowed: '>= -9223372036854775808 (int64)' },
    ]);
  });

  test('hasSchema: a removed group is judged; an object without apiVersion or kind, or with ones that are not text, is judged too', () => {
    expect(hasSchema('settings.k8s.io/v1alpha1', 'PodPreset')).toBe(true);
    expect(hasSchema('storagemigration.k8s.io/v1alpha1', 'StorageVersionMigration')).toBe(true); // 1.34's group alone
    expect(hasSchema('example.com/v1', '')).toBe(true);
    expect(hasSchema('', 'Widget')).toBe(true);
    expect(hasSchema(5 as unknown as string, 'Widget')).toBe(true);
    expect(hasSchema('example.com/v1', 5 as unknown as string)).toBe(true);
  });

  test('an apiVersion without a slash is of the core group (""), which both versions serve: judged, so that the schema names it', () => {
    expect(isBuiltinGroup('')).toBe(true);
    expect(isBuiltinGroup('apps')).toBe(true);
    expect(isBuiltinGroup('example.com')).toBe(false);
    expect(hasSchema('apps', 'Deployment')).toBe(true);
    expect(judge({ apiVersion: 'apps', kind: 'Deployment' })).toEqual([
      { path: 'apiVersion', message: 'apps/Deployment is not served by Kubernetes 1.27.0 (removed or not yet added)', allowed: 'apiVersion apps/v1' },
    ]);
  });
});

describe('strictDefinitions', () => {
  test('keeps properties named description, format or x-kubernetes-*, and an object\'s own additionalProperties schema; drops those keywords of a schema', () => {
    expect(strictDefinitions({
      D: {
        type: 'object', description: 'a thing', 'x-kubernetes-group-version-kind': [{}],
        properties: { description: { type: 'string', description: 'text' }, format: { type: 'string' }, 'x-kubernetes-preserve-unknown-fields': { type: 'boolean' } },
      },
      M: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
    })).toEqual({
      D: {
        type: 'object', additionalProperties: false,
        properties: { description: { type: 'string' }, format: { type: 'string' }, 'x-kubernetes-preserve-unknown-fields': { type: 'boolean' } },
      },
      M: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
    });
  });

  test('withoutNulls keeps every item of a list that holds a null', () => {
    expect(withoutNulls([{ a: null }, { b: 1 }])).toEqual([{}, { b: 1 }]);
  });
});

describe('target versions: which server judges', () => {
  test('a version is named by its minor, with or without v, or by a patch release; others are refused naming the allowed values', () => {
    expect(kubernetesVersion('1.34')).toBe('1.34.0');
    expect(kubernetesVersion('v1.27')).toBe('1.27.0');
    expect(kubernetesVersion('1.34.2')).toBe('1.34.0');
    expect(() => kubernetesVersion('1.30')).toThrow('Kubernetes version "1.30" has no schemas here: allowed are 1.27, 1.34');
    expect(() => kubernetesVersion('latest')).toThrow('allowed are 1.27, 1.34');
  });

  test('an alpha or beta API is not served unless the version serves it by default', () => {
    const claim = { apiVersion: 'resource.k8s.io/v1beta1', kind: 'ResourceClaim', metadata: { name: 'x' }, spec: {} };
    expect(validateSchema(claim, '1.34.0')).toEqual([{
      path: 'apiVersion',
      message: 'resource.k8s.io/v1beta1/ResourceClaim is an alpha or beta API that a Kubernetes 1.34.0 server serves only where its --runtime-config (or a feature gate) turns it on',
      allowed: 'apiVersion resource.k8s.io/v1',
    }]);
    expect(validateSchema({ ...claim, apiVersion: 'resource.k8s.io/v1' }, '1.34.0')).toEqual([]);
    // 1.27 kept its flowcontrol betas on (they predate KEP-3136).
    const level = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'PriorityLevelConfiguration', metadata: { name: 'x' }, spec: { type: 'Exempt' } };
    expect(validateSchema(level, '1.27.0')).toEqual([]);
    expect(servedByDefault('networking.k8s.io/v1alpha1', '1.27.0')).toBe(false);
    expect(servedByDefault('v1', '1.27.0')).toBe(true);
  });
});

describeWithCluster('target versions against a 1.34 server', (cluster) => {
  test('every apiVersion of the 1.34 definitions is served by default exactly when the server lists it', async () => {
    const served = (await cluster().kubectlOk(['api-versions'])).split('\n').map((line) => line.trim()).filter(Boolean);
    const defined = definedApiVersions('1.34.0');
    expect(defined.filter((v) => v.includes('beta')).length).toBeGreaterThan(3);
    // internal.apiserver.k8s.io/v1alpha1 (StorageVersion) is an alpha like the others: off.
    expect(defined.filter((v) => servedByDefault(v, '1.34.0'))).toEqual(defined.filter((v) => served.includes(v)));
  });

  test('the server answers 404 for a beta the validator calls unserved, and creates its GA version', async () => {
    const ns = await cluster().namespace('versions');
    const claim = { apiVersion: 'resource.k8s.io/v1beta1', kind: 'ResourceClaim', metadata: { name: 'x', namespace: ns }, spec: {} };
    const beta = await cluster().request('POST', `/apis/resource.k8s.io/v1beta1/namespaces/${ns}/resourceclaims?dryRun=All&fieldValidation=Strict`, claim);
    expect(beta.status).toBe(404);
    const ga = await cluster().request('POST', `/apis/resource.k8s.io/v1/namespaces/${ns}/resourceclaims?dryRun=All&fieldValidation=Strict`, { ...claim, apiVersion: 'resource.k8s.io/v1' });
    expect(ga.status).toBe(201);
    expect(validateSchema(claim, '1.34.0').map((f) => f.path)).toEqual(['apiVersion']);
  });
});

describe('target versions: how a version is written', () => {
  test('only the whole text, trimmed, names a version: a prefix, a suffix or a patch of two digits are read as such', () => {
    expect(kubernetesVersion(' 1.34 ')).toBe('1.34.0');
    expect(kubernetesVersion('1.34.12')).toBe('1.34.0');
    expect(() => kubernetesVersion('x1.34')).toThrow('Kubernetes version "x1.34" has no schemas here');
    expect(() => kubernetesVersion('1.34.2x')).toThrow('Kubernetes version "1.34.2x" has no schemas here');
    expect(() => kubernetesVersion('1.30')).toThrow(new Error('Kubernetes version "1.30" has no schemas here: allowed are 1.27, 1.34 (a patch release such as 1.34.2 is judged as its minor)'));
  });

  test('definedApiVersions lists each apiVersion of a version\'s definitions once, sorted', () => {
    const versions = definedApiVersions('1.27.0');
    expect(versions).toEqual([...new Set(versions)].sort());
    expect(versions).toEqual(expect.arrayContaining(['v1', 'apps/v1', 'admissionregistration.k8s.io/v1alpha1', 'flowcontrol.apiserver.k8s.io/v1beta3']));
    expect(versions).not.toContain('resource.k8s.io/v1');
  });

  test('an alpha API whose kind no version serves by default says how to judge it', () => {
    const policy = { apiVersion: 'admissionregistration.k8s.io/v1alpha1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'x' }, spec: {} };
    expect(validateSchema(policy, '1.27.0')).toEqual([{
      path: 'apiVersion',
      message: 'admissionregistration.k8s.io/v1alpha1/ValidatingAdmissionPolicy is an alpha or beta API that a Kubernetes 1.27.0 server serves only where its --runtime-config (or a feature gate) turns it on',
      allowed: 'an API served by default (or --kubernetes-version for a server that serves admissionregistration.k8s.io/v1alpha1)',
    }]);
  });

  test('strictDefinitions bounds int32 and int64 only: a format named like an Object method adds no bound', () => {
    expect(strictDefinitions({ S: { type: 'string', format: 'toString' }, C: { type: 'string', format: 'constructor' } })).toStrictEqual({ S: { type: 'string' }, C: { type: 'string' } });
  });

  test('an alpha or beta is a last part v<digits>alpha<digits> or v<digits>beta<digits>, whole; 1.27 serves the SelfSubjectReview beta by default', () => {
    expect(servedByDefault('example.com/v10beta1', '1.34.0')).toBe(false);
    expect(servedByDefault('example.com/v1alpha10', '1.34.0')).toBe(false);
    expect(servedByDefault('example.com/v1beta1x', '1.34.0')).toBe(true);
    // KEP-3325: authentication.k8s.io/v1beta1 on by default in 1.27.
    const review = { apiVersion: 'authentication.k8s.io/v1beta1', kind: 'SelfSubjectReview', metadata: { name: 'x' } };
    expect(validateSchema(review, '1.27.0')).toEqual([]);
    expect(servedByDefault('authentication.k8s.io/v1beta1', '1.34.0')).toBe(false);
  });
});

// Entries whose hash holds are used as they are (see above): these, foreign to their names, reach
// what the shipped definitions never make.
describe('the validator cache: what foreign entries make of the findings', () => {
  const temporaries = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));
  afterEach(() => useCacheDir());

  test('an ajv error of another keyword is told by its message, or its keyword; a refusal without errors is no finding', () => {
    inCache(seeded, (dir) => {
      const services = named(dir, `${path.sep}KubeServiceProps.js`);
      expect(services.length).toBeGreaterThan(0);
      const write = (code: string) => { for (const file of services) fs.writeFileSync(file, hashed(code)); useCacheDir(dir); };
      write('exports.default = function validate() { validate.errors = [{ instancePath: "/spec/type", keyword: "enum", params: {}, message: "must be equal to one of the allowed values" }, { instancePath: "/spec", keyword: "const", params: {} }]; return false; };');
      expect(validateSchema(service(), '1.27.0')).toEqual([
        { path: 'spec.type', message: 'must be equal to one of the allowed values (Kubernetes 1.27.0 schema)', allowed: 'what the schema defines' },
        { path: 'spec', message: 'const (Kubernetes 1.27.0 schema)', allowed: 'what the schema defines' },
      ]);
      write('exports.default = function validate() { validate.errors = null; return false; };');
      expect(validateSchema(service(), '1.27.0')).toEqual([]);
    });
  });

  test('an index naming an alpha or beta kind: the versions served by default are named, joined by "or"; none known, how to judge it', () => {
    inCache(seeded, (dir) => {
      const indexes = named(dir, 'gvk-index.json');
      expect(indexes.length).toBeGreaterThan(0);
      const index = {
        kinds: { 'example.k8s.io/v1beta1 Widget': 'KubeServiceProps', 'autoscaling/v2beta9 HorizontalPodAutoscaler': 'KubeServiceProps' },
        servedVersions: { HorizontalPodAutoscaler: ['autoscaling/v1', 'autoscaling/v2', 'autoscaling/v2beta9'] },
      };
      for (const file of indexes) fs.writeFileSync(file, hashed(JSON.stringify(index)));
      useCacheDir(dir);
      expect(validateSchema({ apiVersion: 'autoscaling/v2beta9', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' } }, '1.27.0').map((f) => f.allowed)).toEqual(['apiVersion autoscaling/v1 or autoscaling/v2']);
      expect(validateSchema({ apiVersion: 'example.k8s.io/v1beta1', kind: 'Widget', metadata: { name: 'x' } }, '1.27.0').map((f) => f.allowed)).toEqual(['an API served by default (or --kubernetes-version for a server that serves example.k8s.io/v1beta1)']);
    });
  });

  test('a cache entry that cannot replace what is in its place (a folder) leaves no temporary file behind', () => {
    inCache(seeded, (dir) => {
      const indexes = named(dir, 'gvk-index.json');
      expect(indexes.length).toBeGreaterThan(0);
      for (const file of indexes) { fs.rmSync(file); fs.mkdirSync(file); }
      useCacheDir(dir);
      expect(validateSchema(service(), '1.27.0')).toEqual([]);
      expect(temporaries(dir)).toEqual([]);
    });
  });

  test('V8\'s compiled form that cannot replace what is in its place (a folder) leaves no temporary file behind', () => {
    const verdict = () => validateManifests(defaultItems(), { checks: ['schema'] }).map((p) => p.message);
    inCache(seeded, (dir) => {
      useCacheDir(dir);
      expect(verdict()).toEqual([]);
      const v8 = named(dir, '.v8');
      expect(v8.length).toBeGreaterThan(0);
      for (const file of v8) { fs.rmSync(file); fs.mkdirSync(file); }
      useCacheDir(dir);
      expect(verdict()).toEqual([]);
      expect(temporaries(dir)).toEqual([]);
    });
  });
});
