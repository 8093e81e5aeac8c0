import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { validateManifests } from '../../../lib/validate';
import { useCacheDir } from '../../../lib/validate/schema';
import { bundledGroups, bundledKinds, isBundled, prefetchBundled, useBundledCache, validateBundled } from '../../../lib/validate/schema/bundled';
import { tempDir } from '../../helpers';

// The kind index and the verdicts live in the validator's cache, which hides this code once warm:
// each test here starts from an empty cache folder of its own, whose path the returned function gives.
function coldCache(): () => string {
  let dir = '';
  beforeEach(() => {
    dir = tempDir();
    useCacheDir(dir);
  });
  afterEach(() => useCacheDir());
  return () => dir;
}

describe('bundled schemas, from a cold cache', () => {
  const cacheDir = coldCache();

  test('the kind index names each top-level kind of both packages with its validator and package; the groups are their folders', () => {
    const kinds = bundledKinds();
    expect(kinds.get('gateway.networking.k8s.io/v1 HTTPRoute')).toEqual({
      file: expect.stringMatching(/@kubernetes-models\/gateway-api\/_schemas\/IoK8sSigsGatewayApiApisV1HTTPRoute\.js$/),
      source: '@kubernetes-models/gateway-api@2.0.0',
    });
    expect(kinds.get('cert-manager.io/v1 Certificate')?.source).toBe('@kubernetes-models/cert-manager@6.0.0');
    expect([...kinds.keys()].every((key) => /^[a-z0-9.-]+\/v\w+ [A-Z]\w+$/.test(key))).toBe(true);
    expect([...kinds.values()].every((kind) => fs.existsSync(kind.file))).toBe(true);
    expect([...bundledGroups()].sort()).toEqual(expect.arrayContaining(['acme.cert-manager.io', 'cert-manager.io', 'gateway.networking.k8s.io']));
    expect([...bundledGroups()].every((group) => group.includes('.'))).toBe(true);
    // The index is kept: read again, it is the same.
    useCacheDir(cacheDir());
    expect(new Map(bundledKinds())).toEqual(kinds);
  });

  test('isBundled wants a group/version apiVersion of a bundled group and a kind of it', () => {
    expect(isBundled('gateway.networking.k8s.io/v1', 'HTTPRoute')).toBe(true);
    expect(isBundled('gateway.networking.k8s.io/v1', 'Widget')).toBe(false);
    expect(isBundled('/v1', 'HTTPRoute')).toBe(false);
    expect(isBundled('v1', 'Pod')).toBe(false);
  });

  test('an object of another kind has no verdict here; a prefetched one gets the same verdict as one asked directly', () => {
    expect(validateBundled({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([]);
    const route = (name: string) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, labels: { 'example.com/a~b': 5 } }, spec: { parentRefs: [{ name: 'gw' }] } });
    const expected = [{ path: 'metadata.labels.example.com/a~b', message: 'wrong type (@kubernetes-models/gateway-api@2.0.0 schema)', allowed: 'type string' }];
    prefetchBundled([route('a'), { apiVersion: 'example.com/v1', kind: 'Widget' }]);
    expect(validateBundled(route('a'))).toEqual(expected);
    expect(validateBundled(route('b'))).toEqual(expected);
    // Kept as verdicts in the cache: read back the same, prefetched or not.
    useCacheDir(cacheDir());
    prefetchBundled([route('a')]);
    expect(validateBundled(route('a'))).toEqual(expected);
    expect(validateBundled(route('b'))).toEqual(expected);
    expect(fs.readdirSync(cacheDir()).filter((f) => f.startsWith('bundled-verdict-'))).toHaveLength(2);
  });
});

/**
 * A cache held in memory that gives `verdict` (ajv's errors, as JSON) for every verdict key, no kind
 * index (so the packages are scanned), and counts the verdicts read.
 */
function forgedCache(verdict: string) {
  const counts = { verdictReads: 0, writes: 0 };
  useBundledCache({
    read: (key) => {
      if (!key.startsWith('bundled-verdict-')) return undefined;
      counts.verdictReads++;
      return verdict;
    },
    write: () => { counts.writes++; },
  });
  return counts;
}

describe('bundled verdicts the cache gives, and no cache', () => {
  afterEach(() => useCacheDir());
  const GATEWAY_API = '(@kubernetes-models/gateway-api@2.0.0 schema)';

  test('a cached verdict is trusted as it is, not judged again: each kind of error\'s finding in full', () => {
    const errors = [
      { instancePath: '/spec/a', keyword: 'format', params: { format: 'int64' } },
      { instancePath: '/spec/b', keyword: 'format', params: { format: 'date-time' } },
      { instancePath: '/spec/c', keyword: 'minProperties', params: { limit: 1 } },
      { instancePath: '/spec/d', keyword: 'const', params: { allowedValue: 'x' }, message: 'must be equal to constant' },
      { instancePath: '/spec/f', keyword: 'if', params: {} },
      // A oneOf of types whose forms come as string, then number: named sorted.
      { instancePath: '/spec/e', keyword: 'type', params: { type: 'string' } },
      { instancePath: '/spec/e', keyword: 'type', params: { type: 'number' } },
      { instancePath: '/spec/e', keyword: 'oneOf', params: { passingSchemas: null } },
    ];
    const counts = forgedCache(JSON.stringify(errors));
    // A valid HTTPRoute: judged afresh, it would have no finding.
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'gw' }] } };
    expect(validateBundled(route)).toEqual([
      { path: 'spec.a', message: `outside int64: the API server stores it (it checks no integer format), but the controller, reading the field as a Go int64, cannot decode the object ${GATEWAY_API}`, allowed: '-9223372036854775808 to 9223372036854775807', severity: 'warning' },
      { path: 'spec.b', message: `value is not a valid date-time ${GATEWAY_API}`, allowed: 'a date-time' },
      { path: 'spec.c', message: `minProperties 1 not met ${GATEWAY_API}`, allowed: '>= 1 fields' },
      { path: 'spec.d', message: `must be equal to constant ${GATEWAY_API}`, allowed: 'what the schema defines' },
      { path: 'spec.f', message: `if ${GATEWAY_API}`, allowed: 'what the schema defines' },
      { path: 'spec.e', message: `wrong type ${GATEWAY_API}`, allowed: 'type number or string' },
    ]);
    expect(counts).toEqual({ verdictReads: 1, writes: 1 }); // the kind index written; the verdict read, not written
  });

  test('without a cache, the kinds are scanned and each object judged', () => {
    useBundledCache(undefined);
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', labels: { a: 5 } }, spec: { parentRefs: [{ name: 'gw' }] } };
    expect(validateBundled(route)).toEqual([{ path: 'metadata.labels.a', message: `wrong type ${GATEWAY_API}`, allowed: 'type string' }]);
  });

  test('verdicts kept in memory: up to 1,001, then all are dropped and asked of the cache again', () => {
    const counts = forgedCache('[]');
    const route = (i: number) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: `r${i}` } });
    const reads = (i: number) => {
      const before = counts.verdictReads;
      expect(validateBundled(route(i))).toEqual([]);
      return counts.verdictReads - before;
    };
    expect(reads(0)).toBe(1);
    expect(reads(0)).toBe(0);
    let total = 0;
    for (let i = 1; i <= 1000; i++) total += reads(i);
    expect(total).toBe(1000);
    expect(reads(0)).toBe(0); // 1,001 kept
    expect(reads(1001)).toBe(1); // the 1,002nd drops them all
    expect(reads(0)).toBe(1);
    expect(reads(1001)).toBe(0);
  });
});

/** A cache held in memory: what it holds, and the keys read and written. */
function memoryCache(held: Record<string, string> = {}) {
  const store = new Map(Object.entries(held));
  const reads: string[] = [];
  const writes: string[] = [];
  useBundledCache({
    read: (key) => { reads.push(key); return store.get(key); },
    write: (key, content) => { writes.push(key); store.set(key, content); },
  });
  return { store, reads, writes };
}

describe('the bundled kind index and verdicts in a cache of their own', () => {
  afterEach(() => useCacheDir());
  const VERSIONS = '@kubernetes-models/gateway-api@2.0.0 @kubernetes-models/cert-manager@6.0.0';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const INDEX_KEY = `bundled-kinds-${sha256(VERSIONS).slice(0, 16)}.json`;
  const ROUTE_KIND = 'gateway.networking.k8s.io/v1 HTTPRoute';

  test('the keys name the packages\' versions: the index under a hash of them, a verdict under a hash of them, the validator file and the object', () => {
    const cache = memoryCache();
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'gw' }] } };
    expect(validateBundled(route)).toEqual([]);
    const file = bundledKinds().get(ROUTE_KIND)?.file ?? '';
    expect(cache.writes).toEqual([INDEX_KEY, `bundled-verdict-${sha256(`${VERSIONS}\0${path.basename(file)}\0${JSON.stringify(route)}`)}.json`]);
  });

  test('a kind index the cache holds is read once and trusted while its validators\' files exist', () => {
    memoryCache();
    const file = bundledKinds().get(ROUTE_KIND)?.file ?? '';
    const index = (entries: [string, string][]) => JSON.stringify(entries.map(([kind, f]) => [kind, { file: f, source: 'example@1' }]));
    // An index naming a file that exists: trusted as it is, and read once.
    let cache = memoryCache({ [INDEX_KEY]: index([['example.com/v1 Widget', file]]) });
    expect([...bundledKinds()]).toEqual([['example.com/v1 Widget', { file, source: 'example@1' }]]);
    expect(bundledKinds().has(ROUTE_KIND)).toBe(false);
    expect(cache.reads).toEqual([INDEX_KEY]);
    expect(cache.writes).toEqual([]);
    // An index naming a file that is gone, beside one that exists: the packages are scanned again.
    cache = memoryCache({ [INDEX_KEY]: index([['example.com/v1 Widget', file], ['example.com/v1 Gone', `${file}.gone`]]) });
    expect(bundledKinds().has('example.com/v1 Widget')).toBe(false);
    expect(bundledKinds().get(ROUTE_KIND)?.file).toBe(file);
    expect(cache.writes).toEqual([INDEX_KEY]);
    // A damaged index too.
    cache = memoryCache({ [INDEX_KEY]: '[[' });
    expect(bundledKinds().get(ROUTE_KIND)?.file).toBe(file);
    expect(cache.writes).toEqual([INDEX_KEY]);
  });

  test('isBundled of a group the packages do not model, or of an apiVersion without a group, reads no kind index', () => {
    const cache = memoryCache();
    expect(isBundled('v1', 'Pod')).toBe(false);
    expect(isBundled('example.com/v1', 'Widget')).toBe(false);
    // No slash: not a group, though all but its last character names one.
    expect(isBundled('cert-manager.io1', 'Certificate')).toBe(false);
    expect(cache.reads).toEqual([]);
    expect(isBundled('cert-manager.io/v1', 'Certificate')).toBe(true);
    expect(cache.reads).toEqual([INDEX_KEY]);
  });

  test('a prefetched verdict is the one given after, though the cache changed in between; an object not bundled is skipped', () => {
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'gw' }] } };
    const missing = [{ instancePath: '/spec', keyword: 'required', params: { missingProperty: 'x' } }];
    let verdict = JSON.stringify(missing);
    let verdictReads = 0;
    useBundledCache({
      read: (key) => {
        if (!key.startsWith('bundled-verdict-')) return undefined;
        verdictReads++;
        return verdict;
      },
      write: () => undefined,
    });
    prefetchBundled([{ apiVersion: 'example.com/v1', kind: 'Widget' }, route]);
    expect(verdictReads).toBe(1);
    verdict = '[]';
    expect(validateBundled(route)).toEqual([{ path: 'spec.x', message: 'missing required field "x" (@kubernetes-models/gateway-api@2.0.0 schema)', allowed: 'the field set' }]);
    expect(verdictReads).toBe(1);
  });

  test('an error other than a type at the path of a oneOf of types keeps its own finding', () => {
    const errors = [
      { instancePath: '/spec/e', keyword: 'type', params: { type: 'string' } },
      { instancePath: '/spec/e', keyword: 'type', params: { type: 'number' } },
      { instancePath: '/spec/e', keyword: 'oneOf', params: { passingSchemas: null } },
      { instancePath: '/spec/e', keyword: 'pattern', params: { pattern: '^x$' } },
    ];
    useBundledCache({ read: (key) => (key.startsWith('bundled-verdict-') ? JSON.stringify(errors) : undefined), write: () => undefined });
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' } };
    expect(validateBundled(route)).toEqual([
      { path: 'spec.e', message: 'wrong type (@kubernetes-models/gateway-api@2.0.0 schema)', allowed: 'type number or string' },
      { path: 'spec.e', message: 'value does not match the pattern (@kubernetes-models/gateway-api@2.0.0 schema)', allowed: 'a string matching ^x$' },
    ]);
  });
});

describe('bundled schemas of Gateway API and cert-manager (no CRD given), judged cold', () => {
  coldCache();

  const httpRoute = (pathType: string) => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'app' },
    spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: pathType, value: '/api' } }], backendRefs: [{ name: 'server', port: 5000 }] }] },
  });

  test('a valid HTTPRoute passes; a bad enum value is reported once, not per Kubernetes version', () => {
    expect(validateManifests([{ file: 'r.yaml', object: httpRoute('PathPrefix') }], { checks: ['schema'] })).toEqual([]);
    const problems = validateManifests([{ file: 'r.yaml', object: httpRoute('Prefix') }], { checks: ['schema'] });
    expect(problems.map((p) => [p.path, p.message, p.allowed])).toEqual([
      ['spec.rules[0].matches[0].path.type', 'value not allowed (@kubernetes-models/gateway-api@2.0.0 schema)', 'one of "Exact", "PathPrefix", "RegularExpression"'],
    ]);
  });

  test('unknown fields are reported at any depth; free-form fields stay open', () => {
    const route: any = httpRoute('PathPrefix');
    route.spec.rules[0].matches[0].path.prefix = '/api';
    route.spec.hostname = 'k8s-multi.com';
    route.metadata.labelz = { a: 'b' };
    route.metadata.labels = { anything: 'goes' };
    route.spec.parentRefs = [{ nam: 'gw' }]; // nothing known in it: still judged
    const problems = validateManifests([{ file: 'r.yaml', object: route }], { checks: ['schema'] });
    expect(problems.map((p) => [p.path, p.message]).sort()).toEqual([
      ['metadata.labelz', 'unknown field "labelz" (@kubernetes-models/gateway-api@2.0.0 schema)'],
      ['spec.parentRefs[0].nam', 'unknown field "nam" (@kubernetes-models/gateway-api@2.0.0 schema)'],
      ['spec.parentRefs[0].name', 'missing required field "name" (@kubernetes-models/gateway-api@2.0.0 schema)'],
      ['spec.hostname', 'unknown field "hostname" (@kubernetes-models/gateway-api@2.0.0 schema)'],
      ['spec.rules[0].matches[0].path.prefix', 'unknown field "prefix" (@kubernetes-models/gateway-api@2.0.0 schema)'],
    ].sort());
    expect(problems.find((p) => p.path === 'spec.hostname')?.allowed).toBe('only the fields the API defines here (check spelling and indentation; a field newer than the package is judged right with --crd and the cluster\'s CRD)');
  });

  test('a ClusterIssuer\'s free-form webhook config stays open, while a typo beside it is caught', () => {
    const issuer = {
      apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt-prod' },
      spec: { acme: {
        server: 'https://acme-v02.api.letsencrypt.org/directory', email: 'ops@k8s-multi.com', privateKeySecretRef: { name: 'letsencrypt-prod' },
        solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }, { dns01: { webhook: { groupName: 'acme.example.com', solverName: 's', config: { any: { deep: 1 } } } } }],
      } },
    };
    expect(validateManifests([{ file: 'i.yaml', object: issuer }], { checks: ['schema'] })).toEqual([]);
    (issuer.spec.acme.solvers[0].http01 as any).ingress.clas = 'nginx';
    expect(validateManifests([{ file: 'i.yaml', object: issuer }], { checks: ['schema'] }).map((p) => p.path)).toEqual(['spec.acme.solvers[0].http01.ingress.clas']);
  });

  const GATEWAY_API = '(@kubernetes-models/gateway-api@2.0.0 schema)';
  test.each([
    ['a hostname off the pattern', (r: any) => { r.spec.hostnames = ['UPPER.example.com']; }, 'spec.hostnames[0]', `value does not match the pattern ${GATEWAY_API}`, 'a string matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'],
    ['port 0', (r: any) => { r.spec.rules[0].backendRefs[0].port = 0; }, 'spec.rules[0].backendRefs[0].port', `minimum 1 not met ${GATEWAY_API}`, '>= 1'],
    ['port 70000', (r: any) => { r.spec.rules[0].backendRefs[0].port = 70000; }, 'spec.rules[0].backendRefs[0].port', `maximum 65535 not met ${GATEWAY_API}`, '<= 65535'],
    ['a name of 254 characters', (r: any) => { r.spec.parentRefs[0].name = 'a'.repeat(254); }, 'spec.parentRefs[0].name', `maxLength 253 not met ${GATEWAY_API}`, '<= 253 characters'],
    ['an empty name', (r: any) => { r.spec.parentRefs[0].name = ''; }, 'spec.parentRefs[0].name', `minLength 1 not met ${GATEWAY_API}`, '>= 1 characters'],
    ['17 hostnames', (r: any) => { r.spec.hostnames = Array.from({ length: 17 }, (_, i) => `h${i}.example.com`); }, 'spec.hostnames', `maxItems 16 not met ${GATEWAY_API}`, '<= 16 items'],
    ['a port that is text', (r: any) => { r.spec.rules[0].backendRefs[0].port = 'x'; }, 'spec.rules[0].backendRefs[0].port', `wrong type ${GATEWAY_API}`, 'type integer'],
  ])('an HTTPRoute with %s: the bundled schema\'s finding in full', (_name, change, path, message, allowed) => {
    const route: any = httpRoute('PathPrefix');
    change(route);
    expect(validateManifests([{ file: 'r.yaml', object: route }], { checks: ['schema'] }).map((p) => [p.path, p.message, p.allowed])).toEqual([[path, message, allowed]]);
  });

  test('a Gateway without listeners, and a ClusterIssuer\'s caBundle that is not base64', () => {
    const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { gatewayClassName: 'nginx', listeners: [] } };
    const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'vault' }, spec: { vault: { server: 'https://vault', path: 'pki/sign/x', caBundle: 'not base64!', auth: { tokenSecretRef: { name: 't', key: 'k' } } } } };
    expect(validateManifests([{ file: 'g.yaml', object: gateway }, { file: 'i.yaml', object: issuer }], { checks: ['schema'] }).map((p) => [p.path, p.message, p.allowed])).toEqual([
      ['spec.listeners', `minItems 1 not met ${GATEWAY_API}`, '>= 1 items'],
      ['spec.vault.caBundle', 'value is not a valid byte (@kubernetes-models/cert-manager@6.0.0 schema)', 'base64 data'],
    ]);
  });

  test('a Quantity that is neither text nor a number is one "wrong type" naming both forms', () => {
    const issuer = {
      apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' },
      spec: { acme: { server: 'https://acme', privateKeySecretRef: { name: 'k' }, solvers: [{ http01: { ingress: { podTemplate: { spec: { resources: { requests: { cpu: true } } } } } } }] } },
    };
    expect(validateManifests([{ file: 'i.yaml', object: issuer }], { checks: ['schema'] }).map((p) => [p.path, p.message, p.allowed])).toEqual([
      ['spec.acme.solvers[0].http01.ingress.podTemplate.spec.resources.requests.cpu', 'wrong type (@kubernetes-models/cert-manager@6.0.0 schema)', 'type number or string'],
    ]);
  });

  test('a Gateway\'s infrastructure labels over maxProperties', () => {
    const labels = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`l${i}`, 'x']));
    const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { gatewayClassName: 'nginx', listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }], infrastructure: { labels } } };
    expect(validateManifests([{ file: 'g.yaml', object: gateway }], { checks: ['schema'] }).map((p) => [p.path, p.message, p.allowed])).toEqual([
      ['spec.infrastructure.labels', `maxProperties 8 not met ${GATEWAY_API}`, '<= 8 fields'],
    ]);
  });

  test('a Certificate\'s revisionHistoryLimit past int32 is a warning: the API server stores it, cert-manager could not decode it', () => {
    const certificate = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { secretName: 's', dnsNames: ['k8s-multi.com'], issuerRef: { name: 'i' }, revisionHistoryLimit: 2 ** 31 } };
    expect(validateManifests([{ file: 'c.yaml', object: certificate }], { checks: ['schema'] }).map((p) => [p.path, p.severity, p.allowed])).toEqual([
      ['spec.revisionHistoryLimit', 'warning', '-2147483648 to 2147483647'],
    ]);
  });

  test('an unknown field under a map key holding ~ and / is reported at that key', () => {
    const policy = {
      apiVersion: 'policy.cert-manager.io/v1alpha1', kind: 'CertificateRequestPolicy', metadata: { name: 'p' },
      spec: { selector: { issuerRef: {} }, plugins: { 'example.com/a~b': { values: { k: 'v' }, valuez: {} } } },
    };
    expect(validateManifests([{ file: 'p.yaml', object: policy }], { checks: ['schema'] }).map((p) => [p.path, p.message])).toEqual([
      ['spec.plugins.example.com/a~b.valuez', 'unknown field "valuez" (@kubernetes-models/cert-manager@6.0.0 schema)'],
    ]);
  });

  test('a cert-manager Certificate missing its issuerRef is reported', () => {
    const certificate = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { secretName: 's', dnsNames: ['k8s-multi.com'] } };
    expect(validateManifests([{ file: 'c.yaml', object: certificate }], { checks: ['schema'] }).map((p) => [p.path, p.message, p.allowed])).toEqual([
      ['spec.issuerRef', 'missing required field "issuerRef" (@kubernetes-models/cert-manager@6.0.0 schema)', 'the field set'],
    ]);
  });
});
