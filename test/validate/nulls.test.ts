import { find, NON_POLICY, validateBroken } from '../helpers';
import { knownNullFree, newNullScope, nullFieldPaths, withoutNullFields, withoutNullValues } from '../../lib/validate/nulls';
import { validateManifests } from '../../lib/validate';

describe('withoutNullFields', () => {
  test('drops fields set to null at any depth, as the API server decodes them, and leaves the input alone', () => {
    const object = { kind: 'Deployment', metadata: { name: 'a', creationTimestamp: null }, spec: { strategy: { type: 'Recreate', rollingUpdate: null } } };
    const [item] = withoutNullFields([{ file: 'f.yaml', object }]);
    expect(item).toEqual({ file: 'f.yaml', object: { kind: 'Deployment', metadata: { name: 'a' }, spec: { strategy: { type: 'Recreate' } } } });
    expect(object.spec.strategy.rollingUpdate).toBeNull();
  });

  test('the copies are plain objects: each field can be changed and deleted, as the checks may', () => {
    const [item] = withoutNullFields([{ file: 'f.yaml', object: { kind: 'Service', metadata: { name: 'a', gone: null } } }]);
    item.object.metadata.name = 'b';
    delete item.object.kind;
    expect(item.object).toEqual({ metadata: { name: 'b' } });
  });

  test('keeps a null item of a list: it decodes to an empty item, not to nothing', () => {
    const [item] = withoutNullFields([{ file: 'f.yaml', object: { spec: { containers: [null, { name: 'x', image: null }] } } }]);
    expect(item.object.spec.containers).toEqual([null, { name: 'x' }]);
  });

  test('copies only the branches that hold a null: the others, lists included, are the input\'s own', () => {
    const labels = { app: 'web' };
    const ports = [{ port: 80 }, { port: 443 }];
    const object = { metadata: { name: 'a', labels, creationTimestamp: null }, spec: { ports } };
    const result = withoutNullValues(object);
    expect(result).toEqual({ metadata: { name: 'a', labels: { app: 'web' } }, spec: { ports: [{ port: 80 }, { port: 443 }] } });
    expect(result.metadata.labels).toBe(labels);
    expect(result.spec.ports).toBe(ports);
  });

  test('a list whose items each hold a null is copied whole, every item without its nulls', () => {
    const result = withoutNullValues({ list: [{ a: null, b: 1 }, { c: null, d: 2 }, { e: 3 }] });
    expect(result).toEqual({ list: [{ b: 1 }, { d: 2 }, { e: 3 }] });
  });

  test('a part shared by aliases is copied once, and the copy is shared as the part was', () => {
    const shared = { a: null, b: 1 };
    const result = withoutNullValues({ x: shared, y: shared, list: [shared, shared] });
    expect(result.x).toEqual({ b: 1 });
    expect(result.y).toBe(result.x);
    expect(result.list[0]).toBe(result.x);
    expect(result.list[1]).toBe(result.x);
  });

  test('a copy without nulls is known to be free of them', () => {
    const result = withoutNullValues({ metadata: { name: 'a', gone: null } });
    expect(result).toEqual({ metadata: { name: 'a' } });
    expect(knownNullFree(result)).toBe(true);
    expect(knownNullFree({ metadata: { name: 'b', gone: null } })).toBe(false);
  });

  test('a null field past the quick scan\'s bound of nodes is still dropped', () => {
    const empty = {};
    const object = { many: new Array(1_000_001).fill(empty), late: { name: 'x', gone: null } };
    const result = withoutNullValues(object);
    expect(result.late).toEqual({ name: 'x' });
    expect(object.late.gone).toBeNull();
  });

  test('a value that is not an object, null included, is returned as it is', () => {
    expect(withoutNullValues(null)).toBeNull();
    expect(withoutNullValues(undefined)).toBeUndefined();
    expect(withoutNullValues('text')).toBe('text');
    expect(withoutNullValues(5)).toBe(5);
    expect(withoutNullValues(true)).toBe(true);
  });

  test('an object whose every field is null loses them all, alone or as a list item', () => {
    expect(withoutNullValues({ gone: null })).toEqual({});
    expect(withoutNullValues([{ a: null, b: null }, 1])).toEqual([{}, 1]);
    const [item] = withoutNullFields([{ file: 'f.yaml', object: { metadata: null } }]);
    expect(item.object).toEqual({});
  });

  test('parts shared by aliases, expanding past the quick scan\'s bound, are each read a bounded number of times', () => {
    // 23 levels of a node whose two fields are the same next node: 2^23 paths, 24 nodes. Each
    // field is a getter that counts its reads.
    let reads = 0;
    let node: object = { name: 'leaf' };
    for (let level = 0; level < 23; level++) {
      const next = node;
      node = {};
      for (const key of ['a', 'b']) Object.defineProperty(node, key, { enumerable: true, get: () => { reads++; return next; } });
    }
    expect(withoutNullValues(node)).toBe(node);
    // The quick scan stops at its bound of 1,000,000 nodes; the walk after it reads each shared node once.
    expect(reads).toBeGreaterThan(0);
    expect(reads).toBeLessThan(1_100_000);
  });

  test('a value with no null field is read once, field by field, and returned as it is', () => {
    // Each field a getter that counts its reads; the list a Proxy that counts reads of its items.
    const reads = new Map<string, number>();
    const count = (key: string) => reads.set(key, (reads.get(key) ?? 0) + 1);
    const counted = (fields: Record<string, unknown>) => {
      const object = {};
      for (const [key, value] of Object.entries(fields)) Object.defineProperty(object, key, { enumerable: true, get: () => { count(key); return value; } });
      return object;
    };
    const ports = new Proxy([null, counted({ port: 80 })], {
      get: (target, key, receiver) => {
        if (typeof key === 'string' && /^\d+$/.test(key)) count(`[${key}]`);
        return Reflect.get(target, key, receiver);
      },
    });
    const object = counted({ kind: 'Service', metadata: counted({ name: 'a' }), spec: counted({ ports }) });
    expect(withoutNullValues(object)).toBe(object);
    expect(Object.fromEntries(reads)).toEqual({ 'kind': 1, 'metadata': 1, 'name': 1, 'spec': 1, 'ports': 1, '[0]': 1, '[1]': 1, 'port': 1 });
  });

  test('within a validation an object is walked for nulls once, though its inputs are read twice (for the CRDs and namespaces they hold, then judged); a new validation walks it again', () => {
    let reads = 0;
    const object = { kind: 'ConfigMap', metadata: { name: 'a' } };
    Object.defineProperty(object, 'data', { enumerable: true, get: () => { reads += 1; return { k: 'v' }; } });
    const items = [{ file: 'a.yaml', object }];
    newNullScope();
    expect(withoutNullFields(items)).toEqual(items);
    expect(withoutNullFields(items)).toEqual(items);
    expect(reads).toBe(1);
    newNullScope();
    expect(knownNullFree(object)).toBe(false);
    withoutNullFields(items);
    expect([reads, knownNullFree(object)]).toEqual([2, true]);
  });

  test('the quick scan visits up to 1,000,000 nodes, then leaves the question to the copying walk', () => {
    // The root, a list, and its items (one empty object shared): the field holding the list counts its reads.
    const scan = (nodes: number) => {
      let reads = 0;
      const list = new Array(nodes - 2).fill({});
      const object = Object.defineProperty({}, 'many', { enumerable: true, get: () => { reads++; return list; } });
      expect(withoutNullValues(object)).toBe(object);
      return reads;
    };
    expect(scan(1_000_000)).toBe(1);
    expect(scan(1_000_001)).toBe(2);
  });

  test('a field named __proto__ stays a plain field', () => {
    const [item] = withoutNullFields([{ file: 'f.yaml', object: JSON.parse('{"metadata":{"__proto__":{"polluted":1},"name":null}}') }]);
    expect(Object.getPrototypeOf(item.object.metadata)).toBe(Object.prototype);
    expect(Object.keys(item.object.metadata)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('validateManifests reads null as the API server does', () => {
  test('rollingUpdate: null on a Recreate Deployment and creationTimestamp: null pass', () => {
    const problems = validateBroken((objects) => {
      for (const o of objects) o.metadata.creationTimestamp = null;
      find(objects, 'Deployment', 'server-deployment').spec.strategy = { type: 'Recreate', rollingUpdate: null };
    }, NON_POLICY);
    expect(problems).toEqual([]);
  });

  test('an object validated, then given a null field, is read afresh: the null is "not set", not a wrong type', () => {
    const hpa: any = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3 },
    };
    const validate = () => validateManifests([{ file: 'h.yaml', object: hpa }], { checks: ['schema'], kubernetesVersions: ['1.34'] });
    expect(validate()).toEqual([]);
    hpa.spec.behavior = null;
    expect(validate()).toEqual([]);
    expect(hpa.spec.behavior).toBeNull();
  });

  test('a rollingUpdate that is set on a Recreate Deployment is still refused', () => {
    const problems = validateBroken((objects) => {
      find(objects, 'Deployment', 'postgres-deployment').spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } };
    }, NON_POLICY);
    expect(problems.map((p) => [p.object, p.path])).toEqual([['Deployment/postgres-deployment', 'spec.strategy.rollingUpdate']]);
  });
});

describe('null fields the kind does not have', () => {
  const hpa = (spec: Record<string, unknown>) => ({
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3, ...spec },
  });
  const schemaProblems = (object: Record<string, unknown>) => validateManifests([{ file: 'h.yaml', object }], { checks: ['schema'], kubernetesVersions: ['1.34'] });

  test('are unknown fields, as the server\'s strict decoding names them; a known field set to null is "not set"', () => {
    const unknown = schemaProblems(hpa({ targetCPUUtilizationPercentage: null }));
    expect(unknown).toEqual([expect.objectContaining({ check: 'schema', path: 'spec.targetCPUUtilizationPercentage', message: expect.stringMatching(/^unknown field "targetCPUUtilizationPercentage"/) })]);
    expect(schemaProblems(hpa({ behavior: null, metrics: null }))).toEqual([]);
    // Deeper, and inside a list item.
    const nested = schemaProblems(hpa({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80, targetAverageUtilization: null } } }] }));
    expect(nested.map((p) => p.path)).toEqual(['spec.metrics[0].resource.target.targetAverageUtilization']);
  });

  test('nullFieldPaths names each null field once, not null list items, and stops at its limit', () => {
    const shared = { a: null };
    expect(nullFieldPaths({ x: null, y: [null, { z: null }], s1: shared, s2: shared })).toEqual([['x'], ['y', 1, 'z'], ['s1', 'a']]);
    expect(nullFieldPaths({ a: null, b: null, c: null }, 2)).toEqual([['a'], ['b']]);
    expect(nullFieldPaths('text')).toEqual([]);
  });

  test('nullFieldPaths skips values that are not objects, undefined included', () => {
    expect(nullFieldPaths(undefined)).toEqual([]);
    expect(nullFieldPaths({ a: undefined, b: null, c: [undefined, 1, 'x', true] })).toEqual([['b']]);
  });

  test('nullFieldPaths reads a list\'s items, not past its end', () => {
    // A list that answers for the index past its end (a Proxy: no manifest holds one, but the walk must not ask).
    const list = new Proxy([{ name: 'a' }], { get: (target, key, receiver) => (key === '1' ? { past: null } : Reflect.get(target, key, receiver)) });
    expect(nullFieldPaths({ list, x: null })).toEqual([['x']]);
  });
});
