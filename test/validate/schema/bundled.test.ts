import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { useCacheDir } from '../../../lib/validate/schema';
import { bundledGroups, bundledKinds, isBundled, prefetchBundled, validateBundled } from '../../../lib/validate/schema/bundled';

// The kind index and the verdicts live in the validator's cache, which hides this code once warm:
// each test here starts from an empty cache folder of its own.
describe('bundled schemas, from a cold cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-bundled-'));
    useCacheDir(dir);
  });
  afterEach(() => {
    useCacheDir();
    fs.rmSync(dir, { recursive: true, force: true });
  });

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
    useCacheDir(dir);
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
    // Kept as verdicts in the cache: read back the same.
    useCacheDir(dir);
    expect(validateBundled(route('b'))).toEqual(expected);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('bundled-verdict-'))).toHaveLength(2);
  });
});
