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
