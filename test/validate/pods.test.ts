import { containersOf, isObject, namespaceOf, podTemplate, selects } from '../../lib/validate/pods';
import { KubeObject } from '../../lib/validate/problem';

const spec = { containers: [{ name: 'app' }], initContainers: [{ name: 'init' }] };
const template = { metadata: { labels: { app: 'x' } }, spec };

describe('podTemplate', () => {
  test.each([
    ['Deployment', { spec: { template } }, ['spec', 'template', 'spec']],
    ['StatefulSet', { spec: { template } }, ['spec', 'template', 'spec']],
    ['DaemonSet', { spec: { template } }, ['spec', 'template', 'spec']],
    ['ReplicaSet', { spec: { template } }, ['spec', 'template', 'spec']],
    ['ReplicationController', { spec: { template } }, ['spec', 'template', 'spec']],
    ['Job', { spec: { template } }, ['spec', 'template', 'spec']],
    ['CronJob', { spec: { jobTemplate: { spec: { template } } } }, ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
    ['Pod', { metadata: { labels: { app: 'x' } }, spec }, ['spec']],
  ])('finds the pods of a %s', (kind, body, specPath) => {
    const found = podTemplate({ kind, ...body });
    expect(found).toEqual({ labels: { app: 'x' }, spec, specPath });
    expect(containersOf(found!).map((c) => c.path)).toEqual([`${specPath.join('.')}.initContainers[0]`, `${specPath.join('.')}.containers[0]`]);
  });

  test('a custom resource that reuses a workload kind in another group has no pod template we know of', () => {
    expect(podTemplate({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Deployment', spec: { template } })).toBeUndefined();
    expect(podTemplate({ apiVersion: 'apps/v1', kind: 'Deployment', spec: { template } })).toBeDefined();
    expect(podTemplate({ apiVersion: 'v1', kind: 'constructor', spec: { template } })).toBeUndefined();
  });

  test('a null object has no pod template and the context\'s namespace', () => {
    expect(podTemplate(null as unknown as KubeObject)).toBeUndefined();
    expect(namespaceOf(null as unknown as KubeObject)).toBe('');
  });

  test('a kind without pods, or a workload without a template, has none', () => {
    expect(podTemplate({ kind: 'Service', spec: {} })).toBeUndefined();
    expect(podTemplate({ kind: 'Deployment', spec: {} })).toBeUndefined();
    expect(podTemplate({ kind: 'Deployment', spec: { template: { spec: 'x' } } })).toBeUndefined();
  });
  // The groups serving each workload kind (k8s.io/kubernetes pkg/apis/<group>): a kind under
  // another group's apiVersion is a custom resource.
  test.each([
    ['Pod', ['v1'], ['apps/v1']],
    ['ReplicationController', ['v1'], ['apps/v1']],
    ['Deployment', ['apps/v1', 'extensions/v1beta1'], ['v1', 'batch/v1']],
    ['ReplicaSet', ['apps/v1', 'extensions/v1beta1'], ['v1']],
    ['DaemonSet', ['apps/v1', 'extensions/v1beta1'], ['v1']],
    ['StatefulSet', ['apps/v1'], ['extensions/v1beta1', 'v1']],
    ['Job', ['batch/v1'], ['v1', 'apps/v1']],
    ['CronJob', ['batch/v1'], ['v1', 'apps/v1']],
  ])('a %s has pods under %j, and none under %j', (kind, served, other) => {
    const body = kind === 'Pod' ? { spec } : kind === 'CronJob' ? { spec: { jobTemplate: { spec: { template } } } } : { spec: { template } };
    for (const apiVersion of served) expect(podTemplate({ apiVersion, kind, ...body })).toBeDefined();
    for (const apiVersion of other) expect(podTemplate({ apiVersion, kind, ...body })).toBeUndefined();
  });

  test('pods without labels, or with labels that are not a map, have none; a Pod without a spec has no template', () => {
    expect(podTemplate({ kind: 'Pod', spec })?.labels).toEqual({});
    expect(podTemplate({ kind: 'Deployment', spec: { template: { spec } } })?.labels).toEqual({});
    expect(podTemplate({ kind: 'Deployment', spec: { template: { metadata: { labels: ['app'] }, spec } } })?.labels).toEqual({});
    // A bare Pod's too: a string has a `length` matchesSelector would see as a label key.
    expect(podTemplate({ kind: 'Pod', metadata: { labels: 'ab' }, spec })?.labels).toEqual({});
    expect(podTemplate({ kind: 'Pod', metadata: { labels: ['app'] }, spec })?.labels).toEqual({});
    expect(podTemplate({ kind: 'Pod', spec: null })).toBeUndefined();
    expect(podTemplate({ kind: 'CronJob', spec: { jobTemplate: 'x' } })).toBeUndefined();
    expect(podTemplate({ kind: 'Deployment', spec: { template: ['x'] } })).toBeUndefined();
  });

  test('containers that are not a list, or entries that are not objects, are left out', () => {
    const found = podTemplate({ kind: 'Pod', spec: { containers: [null, { name: 'app' }, ['x']], initContainers: 'init' } });
    expect(containersOf(found!)).toEqual([{ container: { name: 'app' }, path: 'spec.containers[1]' }]);
  });
});

describe('selects and namespaceOf', () => {
  test('a selector selects pods carrying all its labels; an empty one selects nothing', () => {
    expect(selects({ app: 'x' }, { app: 'x', tier: 'y' })).toBe(true);
    expect(selects({ app: 'x', tier: 'z' }, { app: 'x', tier: 'y' })).toBe(false);
    expect(selects({}, { app: 'x' })).toBe(false);
    expect(selects(undefined, { app: 'x' })).toBe(false);
  });

  test('an object without a namespace lands in the one kubectl applies to', () => {
    expect(namespaceOf({ metadata: { namespace: 'a' } })).toBe('a');
    expect(namespaceOf({ metadata: {} })).toBe('');
    expect(namespaceOf({ metadata: { namespace: 5 } })).toBe('');
    expect(namespaceOf({})).toBe('');
  });
});

test.each([[{}, true], [{ a: 1 }, true], [[], false], [null, false], ['x', false], [undefined, false]])('isObject(%j) is %s', (value, is) => {
  expect(isObject(value)).toBe(is);
});
