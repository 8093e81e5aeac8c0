import { containersOf, namespaceOf, podTemplate, selects } from '../../lib/validate/pods';

const spec = { containers: [{ name: 'app' }], initContainers: [{ name: 'init' }] };
const template = { metadata: { labels: { app: 'x' } }, spec };

describe('podTemplate', () => {
  test.each([
    ['Deployment', { spec: { template } }, ['spec', 'template', 'spec']],
    ['StatefulSet', { spec: { template } }, ['spec', 'template', 'spec']],
    ['DaemonSet', { spec: { template } }, ['spec', 'template', 'spec']],
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

  test('a kind without pods, or a workload without a template, has none', () => {
    expect(podTemplate({ kind: 'Service', spec: {} })).toBeUndefined();
    expect(podTemplate({ kind: 'Deployment', spec: {} })).toBeUndefined();
    expect(podTemplate({ kind: 'Deployment', spec: { template: { spec: 'x' } } })).toBeUndefined();
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
  });
});
