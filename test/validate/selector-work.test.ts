import { checkLinks } from '../../lib/validate/links';
import { selectorWork } from '../../lib/validate/network';
import { checkPolicy } from '../../lib/validate/policy';
import { KubeObject, Located } from '../../lib/validate/problem';

// Selectors that need no label pair (empty; NotIn or DoesNotExist alone) were tried against every
// pod: n pods and n such selectors in one namespace cost n x n. These tests count the selector
// work (network.ts selectorWork: selectors tried and index entries visited), not time: doubling
// the namespace must about double the work, where trying each pair would quadruple it.

const deployment = (i: number): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `web-${i}`, namespace: 'one' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: `app-${i}` } },
    template: {
      metadata: { labels: { app: `app-${i}`, tier: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }], env: [{ name: 'PEER', value: `http://svc-${i + 1}:80` }] }] },
    },
  },
});
const service = (i: number): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, namespace: 'one' },
  spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 80 }] },
});
const policy = (i: number, podSelector: KubeObject): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${i}`, namespace: 'one' },
  spec: { podSelector, policyTypes: ['Ingress', 'Egress'] },
});
const budget = (i: number, selector: KubeObject): KubeObject => ({
  apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: `pdb-${i}`, namespace: 'one' }, spec: { minAvailable: 1, selector },
});

const EMPTY = {};
const NOT_IN_EVERY_POD = { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] };
const NOT_IN_NO_POD = { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] };
const WITHOUT_TIER = { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] };
const TWO_KEYS = { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }, { key: 'zone', operator: 'DoesNotExist' }] };

/** n Deployments (each wired to the next's Service), n Services, and n policies or budgets of one selector. */
function namespace(n: number, make: (i: number) => KubeObject): Located[] {
  const objects = Array.from({ length: n }, (_, i) => [deployment(i), service(i), make(i)]).flat();
  return objects.map((object) => ({ file: 'f.yaml', object }));
}

function work(run: () => unknown): number {
  const before = selectorWork.steps;
  run();
  return selectorWork.steps - before;
}

const messages = (problems: { message: string }[], pattern: RegExp) => problems.filter((p) => pattern.test(p.message)).length;

describe.each([
  ['empty', EMPTY],
  ['NotIn every pod holds', NOT_IN_EVERY_POD],
  ['NotIn no pod holds', NOT_IN_NO_POD],
  ['DoesNotExist', WITHOUT_TIER],
  ['NotIn and DoesNotExist on two keys', TWO_KEYS],
])('NetworkPolicies whose podSelector is %s, one per pod', (_, selector) => {
  // Which pods the selectors isolate: every one, or (excluded by the expression) none.
  const isolatesAll = selector === EMPTY || selector === NOT_IN_NO_POD;

  test('policy: judging every pod for isolation is linear in the namespace', () => {
    const small = namespace(200, (i) => policy(i, selector));
    const large = namespace(400, (i) => policy(i, selector));
    let problems: ReturnType<typeof checkPolicy> = [];
    const a = work(() => checkPolicy(small, []));
    const b = work(() => (problems = checkPolicy(large, [])));
    expect(messages(problems, /no NetworkPolicy isolates these pods/)).toBe(isolatesAll ? 0 : 800);
    expect(b / a).toBeLessThan(2.5);
    expect(b).toBeLessThan(40 * 400);
  });

  test('connectivity: judging every connection is linear in the namespace', () => {
    const small = namespace(200, (i) => policy(i, selector));
    const large = namespace(400, (i) => policy(i, selector));
    let problems: ReturnType<typeof checkLinks> = [];
    const a = work(() => checkLinks(small, []));
    const b = work(() => (problems = checkLinks(large, [])));
    // The last Deployment names a Service that is not there: 399 connections.
    expect(messages(problems, /: blocked by the egress policies .*; and blocked by the ingress policies/)).toBe(isolatesAll ? 399 : 0);
    expect(b / a).toBeLessThan(2.5);
    expect(b).toBeLessThan(40 * 400);
  });
});

describe.each([
  ['empty', EMPTY, true],
  ['NotIn every pod holds', NOT_IN_EVERY_POD, false],
  ['NotIn no pod holds', NOT_IN_NO_POD, true],
  ['DoesNotExist', WITHOUT_TIER, false],
  ['NotIn and DoesNotExist on two keys', TWO_KEYS, false],
])('PodDisruptionBudgets whose selector is %s, one per pod', (_, selector, selects) => {
  test('links: whether each budget selects a pod is linear in the namespace', () => {
    const small = namespace(200, (i) => budget(i, selector));
    const large = namespace(400, (i) => budget(i, selector));
    let problems: ReturnType<typeof checkLinks> = [];
    const a = work(() => checkLinks(small, []));
    const b = work(() => (problems = checkLinks(large, [])));
    expect(messages(problems, /selects no pod template in the output: the budget protects nothing/)).toBe(selects ? 0 : 400);
    expect(b / a).toBeLessThan(2.5);
    expect(b).toBeLessThan(40 * 400);
  });

  test('policy: whether a budget covers each workload is linear in the namespace', () => {
    const small = namespace(200, (i) => budget(i, selector));
    const large = namespace(400, (i) => budget(i, selector));
    let problems: ReturnType<typeof checkPolicy> = [];
    const a = work(() => checkPolicy(small, []));
    const b = work(() => (problems = checkPolicy(large, [])));
    expect(messages(problems, /no PodDisruptionBudget selects them/)).toBe(selects ? 0 : 400);
    expect(b / a).toBeLessThan(2.5);
    expect(b).toBeLessThan(40 * 400);
  });
});
