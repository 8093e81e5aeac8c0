import { find, NON_POLICY, validateBroken } from '../helpers';
import { nullFieldPaths, withoutNullFields } from '../../lib/validate/nulls';
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
});
