import { checkApiRules } from '../../../lib/validate/api-rules';
import { KubeObject } from '../../../lib/validate/problem';

// core ValidateResourceQuota and ValidateLimitRange: their values are quantities the API server
// must decode (issue 18: they were not checked at all).
const findings = (object: KubeObject) => checkApiRules(object).map((f) => `${f.path}: ${f.message}`);
const quota = (hard: KubeObject) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'team', namespace: 'shop' }, spec: { hard } });
const limits = (limit: KubeObject) => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'shop' }, spec: { limits: [{ type: 'Container', ...limit }] } });

describe('ResourceQuota rules', () => {
  test.each([
    ['a hard limit that is no quantity', { 'requests.cpu': 'lots' }, ['spec.hard.requests.cpu: "lots" is not a quantity']],
    ['a negative hard limit', { pods: '-1' }, ['spec.hard.pods: -1 is negative']],
    ['a fraction of a counted object', { pods: '1500m' }, ['spec.hard.pods: 1500m pods is not a whole number']],
    ['sound limits', { pods: '10', 'requests.cpu': '500m', 'limits.memory': '2Gi', 'count/deployments.apps': '5' }, []],
  ])('%s', (_what, hard, expected) => {
    expect(findings(quota(hard))).toEqual(expected);
  });

  test('a quota without hard limits has nothing to judge', () => {
    expect(findings({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'team', namespace: 'shop' }, spec: {} })).toEqual([]);
  });
});

describe('LimitRange rules', () => {
  test.each([
    ['a max that is no quantity', { max: { memory: '1GB!' } }, ['spec.limits[0].max.memory: "1GB!" is not a quantity']],
    // ValidateLimitRange compares the values but refuses no sign (the real server accepts -100m).
    ['a negative default', { default: { cpu: '-100m' } }, []],
    ['a default above the max', { max: { cpu: '1' }, default: { cpu: '2' } }, ['spec.limits[0].default.cpu: default 2 of cpu is greater than max 1']],
    ['a min above the defaultRequest', { min: { memory: '1Gi' }, defaultRequest: { memory: '512Mi' } }, ['spec.limits[0].min.memory: min 1Gi of memory is greater than defaultRequest 512Mi']],
    ['sound values in order', { min: { cpu: '100m' }, defaultRequest: { cpu: '200m' }, default: { cpu: '500m' }, max: { cpu: '1' }, maxLimitRequestRatio: { cpu: '4' } }, []],
  ])('%s', (_what, limit, expected) => {
    expect(findings(limits(limit))).toEqual(expected);
  });
});

test('a LimitRange without a name is accepted: the API server names it (PrepareForCreate)', () => {
  expect(checkApiRules({ apiVersion: 'v1', kind: 'LimitRange', metadata: { namespace: 'shop' }, spec: { limits: [] } })).toEqual([]);
  expect(checkApiRules({ apiVersion: 'v1', kind: 'LimitRange', spec: { limits: [] } })).toEqual([]);
});

describe('ResourceQuota counted objects', () => {
  test('a fraction of a counted object is reported in full', () => {
    expect(checkApiRules(quota({ services: '2500m' }))).toEqual([{ path: 'spec.hard.services', message: '2500m services is not a whole number', allowed: 'a whole number of objects' }]);
  });

  // ValidateResourceQuantityValue would add "must be an integer" to these too: one problem is told.
  test.each([
    ['no quantity', { pods: 'lots' }, ['spec.hard.pods: "lots" is not a quantity']],
    ['a negative fraction', { pods: '-1500m' }, ['spec.hard.pods: -1500m is negative']],
  ])('a counted object\'s hard limit that is %s is told once', (_what, hard, expected) => {
    expect(findings(quota(hard))).toEqual(expected);
  });
});

describe('LimitRange order: min <= defaultRequest <= default <= max', () => {
  test.each([
    ['min above max', { min: { cpu: '2' }, max: { cpu: '1' } }, { path: 'spec.limits[0].min.cpu', message: 'min 2 of cpu is greater than max 1', allowed: 'min <= max' }],
    ['defaultRequest above max', { defaultRequest: { cpu: '2' }, max: { cpu: '1' } }, { path: 'spec.limits[0].defaultRequest.cpu', message: 'defaultRequest 2 of cpu is greater than max 1', allowed: 'defaultRequest <= max' }],
    ['defaultRequest above default', { defaultRequest: { memory: '2Gi' }, default: { memory: '1Gi' } }, { path: 'spec.limits[0].defaultRequest.memory', message: 'defaultRequest 2Gi of memory is greater than default 1Gi', allowed: 'defaultRequest <= default' }],
    ['min above default', { min: { memory: '2Gi' }, default: { memory: '1Gi' } }, { path: 'spec.limits[0].min.memory', message: 'min 2Gi of memory is greater than default 1Gi', allowed: 'min <= default' }],
  ])('%s is reported in full', (_what, limit, expected) => {
    expect(checkApiRules(limits(limit))).toEqual([expected]);
  });

  test('equal values are in order (ValidateLimitRange refuses only Cmp > 0)', () => {
    expect(findings(limits({ min: { cpu: '1' }, defaultRequest: { cpu: '1000m' }, default: { cpu: '1' }, max: { cpu: '1000m' } }))).toEqual([]);
  });

  test('limits that are no objects are left to the schema', () => {
    expect(findings({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'shop' }, spec: { limits: [null, 'Container'] } })).toEqual([]);
  });
});

// k8s.io/kubernetes pkg/apis/core/helper integerResources, which ValidateResourceQuantityValue
// holds to whole numbers ("must be an integer"); other resources take fractions.
describe('ResourceQuota: each counted object is a whole number', () => {
  test.each([
    'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims',
    'services.nodeports', 'services.loadbalancers',
  ])('%s: 1500m is refused, 2 is accepted', (resource) => {
    expect(findings(quota({ [resource]: '1500m' }))).toEqual([`spec.hard.${resource}: 1500m ${resource} is not a whole number`]);
    expect(findings(quota({ [resource]: '2' }))).toEqual([]);
  });

  test('a resource that is no counted object takes a fraction', () => {
    expect(findings(quota({ 'requests.cpu': '1500m', 'limits.memory': '1500m' }))).toEqual([]);
  });
});

// ValidateLimitRange: maxLimitRequestRatio is a ResourceList like max, min, default and
// defaultRequest: each value must decode as a quantity.
test('a LimitRange maxLimitRequestRatio that is no quantity is refused', () => {
  expect(findings(limits({ maxLimitRequestRatio: { cpu: 'four' } }))).toEqual(['spec.limits[0].maxLimitRequestRatio.cpu: "four" is not a quantity']);
});

// pkg/apis/core/helper IsIntegerResourceName holds extended resources to whole numbers too
// (IsExtendedResourceName: a name with "/" outside *kubernetes.io/, not starting with
// "requests.", that is a qualified name behind "requests."): object counts and devices.
describe('ResourceQuota: extended resources are whole numbers', () => {
  test.each(['count/deployments.apps', 'example.com/gpu'])('%s: 1500m is refused, 2 is accepted', (resource) => {
    expect(findings(quota({ [resource]: '1500m' }))).toEqual([`spec.hard.${resource}: 1500m ${resource} is not a whole number`]);
    expect(findings(quota({ [resource]: '2' }))).toEqual([]);
  });

  test.each([
    ['a native resource of kubernetes.io', 'kubernetes.io/widgets'],
    ['a request of a device ("requests." is no extended resource)', 'requests.example.com/gpu'],
    ['a name without "/"', 'hugepages-2Mi'],
    ['a name that is no qualified name behind "requests."', 'example.com/gpu cards'],
  ])('%s takes a fraction', (_what, resource) => {
    expect(findings(quota({ [resource]: '1500m' }))).toEqual([]);
  });
});
