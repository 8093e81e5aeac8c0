import { changedPaths } from '../../lib/plan/field-diff';
import { KubeObject } from '../../lib/plan/objects';

// lib/plan/field-diff.ts on its own: which paths two versions of one object differ at. The plan's
// own tests (plan.test.ts) cover the paths of the app's objects; these take the odd shapes a
// folder compared by `npm run plan` may hold (hand-written or corrupt files).

const thing = (fields: KubeObject, kind = 'Thing'): KubeObject => ({ apiVersion: 'example.com/v1', kind, metadata: { name: 'x' }, ...fields });
const secret = (fields: KubeObject): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...fields });
const configMap = (fields: KubeObject): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, ...fields });
/** A Thing whose spec.items is the list. */
const items = (list: unknown[]): KubeObject => thing({ spec: { items: list } });

describe('the values of Secrets and ConfigMaps: only their keys are named', () => {
  test('an unchanged key is not named; a changed, added or removed one is, with "(value hidden)"', () => {
    expect(changedPaths(secret({ data: { SAME: 'YQ==', CHANGED: 'YQ==', GONE: 'YQ==' } }), secret({ data: { SAME: 'YQ==', CHANGED: 'Yg==', NEW: 'Yw==' } })))
      .toEqual(['data.CHANGED (value hidden)', 'data.GONE (value hidden)', 'data.NEW (value hidden)']);
  });

  test('a data field that appears is named key by key, as one that goes', () => {
    expect(changedPaths(secret({}), secret({ data: { B: 'YQ==', A: 'YQ==' } }))).toEqual(['data.A (value hidden)', 'data.B (value hidden)']);
    expect(changedPaths(secret({ stringData: { K: 'v' } }), secret({}))).toEqual(['stringData.K (value hidden)']);
  });

  test('binaryData of a ConfigMap is hidden too', () => {
    expect(changedPaths(configMap({ binaryData: { 'logo.png': 'AAE=' } }), configMap({ binaryData: { 'logo.png': 'AAI=' } }))).toEqual(['binaryData["logo.png"] (value hidden)']);
  });

  test('a data field that is not a map (a corrupt file) is one field, its values hidden; unchanged, it is no change', () => {
    expect(changedPaths(secret({ data: 'c2VjcmV0' }), secret({ data: 'b3RoZXI=' }))).toEqual(['data (values hidden)']);
    expect(changedPaths(secret({ data: 'c2VjcmV0' }), secret({ data: 'c2VjcmV0' }))).toEqual([]);
    expect(changedPaths(secret({ data: { K: 'c2VjcmV0' } }), secret({ data: 'c2VjcmV0' }))).toEqual(['data (values hidden)']);
    expect(changedPaths(secret({ data: 'c2VjcmV0' }), secret({ data: { K: 'c2VjcmV0' } }))).toEqual(['data (values hidden)']);
    expect(changedPaths(configMap({ data: [{ k: 'v' }] }), configMap({ data: [{ k: 'v' }] }))).toEqual([]);
    expect(changedPaths(configMap({ data: [{ k: 'v' }] }), configMap({ data: [{ k: 'w' }] }))).toEqual(['data (values hidden)']);
  });

  test('a value that is itself a map or list (a corrupt file) is compared by content, not by identity', () => {
    expect(changedPaths(configMap({ data: { k: { a: [1] } } }), configMap({ data: { k: { a: [1] } } }))).toEqual([]);
    expect(changedPaths(configMap({ data: { k: { a: [1] } } }), configMap({ data: { k: { a: [2] } } }))).toEqual(['data.k (value hidden)']);
  });

  test('another kind\'s data field is compared as any field; only a Secret or ConfigMap on both sides hides values', () => {
    expect(changedPaths(thing({ data: { k: 'a' } }), thing({ data: { k: 'b' } }))).toEqual(['data.k']);
    expect(changedPaths(thing({ type: 'a' }, 'Secret'), thing({ type: 'b' }, 'Secret'))).toEqual(['type']);
    // Two versions of one object never differ in kind in a plan (the kind is part of its identity);
    // called directly, a field is hidden only when both versions are of a kind that holds values.
    expect(changedPaths(thing({ data: { k: 'a' } }, 'Secret'), thing({ data: { k: 'b' } }))).toEqual(['data.k', 'kind']);
    expect(changedPaths(thing({ data: { k: 'a' } }), thing({ data: { k: 'b' } }, 'ConfigMap'))).toEqual(['data.k', 'kind']);
    expect(changedPaths(thing({ data: { k: 'a' } }, 'ConfigMap'), thing({ data: { k: 'b' } }, 'Secret'))).toEqual(['data.k (value hidden)', 'kind']);
  });
});

describe('metadata the API server and kubectl write', () => {
  test('selfLink, deletionTimestamp and deletionGracePeriodSeconds are no change', () => {
    const live = thing({ metadata: { name: 'x', selfLink: '/apis/x', deletionTimestamp: '2026-12-06T00:00:00Z', deletionGracePeriodSeconds: 30 } });
    expect(changedPaths(live, thing({}))).toEqual([]);
  });

  test('an annotation of one\'s own is a change beside kubectl\'s, and when it goes the annotations go', () => {
    const annotated = (annotations: Record<string, string>) => thing({ metadata: { name: 'x', annotations } });
    const lastApplied = { 'kubectl.kubernetes.io/last-applied-configuration': '{}' };
    expect(changedPaths(annotated({ ...lastApplied, note: 'a' }), annotated({ note: 'b' }))).toEqual(['metadata.annotations.note']);
    expect(changedPaths(annotated({ ...lastApplied, note: 'a' }), annotated(lastApplied))).toEqual(['metadata.annotations']);
    expect(changedPaths(annotated({ note: 'a' }), annotated({ note: 'a', 'deployment.kubernetes.io/revision': '2' }))).toEqual([]);
  });
});

describe('paths in a stable order', () => {
  test('top-level fields and nested ones are sorted, whatever order either version wrote them in', () => {
    const before: KubeObject = { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 'x' }, zeta: 1, alpha: 1, spec: { b: 1, a: 1 } };
    const after: KubeObject = { spec: { a: 2, b: 2 }, alpha: 2, zeta: 2, metadata: { name: 'x' }, kind: 'Thing', apiVersion: 'example.com/v1' };
    expect(changedPaths(before, after)).toEqual(['alpha', 'spec.a', 'spec.b', 'zeta']);
  });
});

describe('lists', () => {
  test('an empty list that gains a named item names the item', () => {
    expect(changedPaths(items([]), items([{ name: 'A', value: '1' }]))).toEqual(['spec.items[A]']);
    expect(changedPaths(items([{ name: 'A', value: '1' }]), items([]))).toEqual(['spec.items[A]']);
  });

  test('matched by a key only when both versions have it for every item; else by position, or whole', () => {
    // The names of one side do not key a list whose other side has none.
    expect(changedPaths(items([{ name: 'a' }, { name: 'b' }]), items([{ x: 1 }]))).toEqual(['spec.items']);
    // An item without the key, or two with the same one: by position.
    expect(changedPaths(items([{ name: 'a', v: 1 }, { v: 1 }]), items([{ name: 'a', v: 1 }, { v: 2 }]))).toEqual(['spec.items[1].v']);
    expect(changedPaths(items([{ name: 'a', v: 1 }, { name: 'a', v: 2 }]), items([{ name: 'a', v: 1 }, { name: 'a', v: 3 }]))).toEqual(['spec.items[1].v']);
    // A key that is neither text nor a number (a map) keys nothing.
    expect(changedPaths(items([{ name: { n: 1 }, v: 1 }]), items([{ name: { n: 1 }, v: 2 }]))).toEqual(['spec.items[0].v']);
  });

  test('a list of maps without a key: item by item at the same length, whole when the length changes', () => {
    expect(changedPaths(items([{ a: 1 }, { a: 2 }]), items([{ a: 1 }, { a: 3 }]))).toEqual(['spec.items[1].a']);
    expect(changedPaths(items([{ a: 1 }]), items([{ a: 1 }, { a: 2 }]))).toEqual(['spec.items']);
    expect(changedPaths(items([{ a: 1 }, { a: 2 }]), items([{ a: 1 }]))).toEqual(['spec.items']);
    expect(changedPaths(items([{ a: 1 }, { a: 2 }]), items([{ a: 1 }, { a: 2 }]))).toEqual([]);
  });

  test('a list mixing plain values and maps is one field; unchanged, no change', () => {
    expect(changedPaths(items([1, { a: 1 }]), items([1, { a: 2 }]))).toEqual(['spec.items']);
    expect(changedPaths(items([1, { a: 1 }]), items([1, { a: 1 }]))).toEqual([]);
  });

  test('a reorder is named only when both versions hold the same items', () => {
    expect(changedPaths(items([{ name: 'a' }, { name: 'b' }]), items([{ name: 'b' }, { name: 'c' }]))).toEqual(['spec.items[a]', 'spec.items[c]']);
    expect(changedPaths(items([{ name: 'a' }, { name: 'b' }]), items([{ name: 'b' }, { name: 'a' }]))).toEqual(['spec.items (order)']);
  });

  // The merge keys of k8s.io/api core/v1 types.go (patchMergeKey), each where no earlier key applies.
  test.each([
    ['mountPath', 'volumeMounts', [{ name: 'data', mountPath: '/a', readOnly: true }, { name: 'data', mountPath: '/b', readOnly: true }], (l: KubeObject[]) => { l[1].readOnly = false; }, ['spec.volumeMounts[/b].readOnly']],
    ['containerPort', 'ports', [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }], (l: KubeObject[]) => { l[1].protocol = 'UDP'; }, ['spec.ports[443].protocol']],
    ['port', 'ports', [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 8443 }], (l: KubeObject[]) => { l[0].targetPort = 9090; }, ['spec.ports[80].targetPort']],
    ['topologyKey', 'topologySpreadConstraints', [{ topologyKey: 'zone', maxSkew: 1 }, { topologyKey: 'host', maxSkew: 1 }], (l: KubeObject[]) => { l[1].maxSkew = 2; }, ['spec.topologySpreadConstraints[host].maxSkew']],
    ['ip', 'hostAliases', [{ ip: '10.0.0.1', hostnames: ['a'] }, { ip: '10.0.0.2', hostnames: ['b'] }], (l: KubeObject[]) => { l[0].hostnames = ['c']; }, ['spec.hostAliases[10.0.0.1].hostnames']],
  ])('items keyed by %s (%s)', (_key, field, list, change, expected) => {
    const after = structuredClone(list) as KubeObject[];
    change(after);
    expect(changedPaths(thing({ spec: { [field]: list } }), thing({ spec: { [field]: after } }))).toEqual(expected);
  });

  test('numbers key a list as text does: ports reordered', () => {
    const ports = [{ containerPort: 80 }, { containerPort: 443 }];
    expect(changedPaths(thing({ spec: { ports } }), thing({ spec: { ports: [...ports].reverse() } }))).toEqual(['spec.ports (order)']);
  });
});
