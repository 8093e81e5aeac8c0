import { checkLinks } from '../../lib/validate/links';
import { LabelIndex, labelIndex, SelectorIndex, selectorIndexIn } from '../../lib/validate/network';
import { checkPolicy } from '../../lib/validate/policy';
import { KubeObject, Located } from '../../lib/validate/problem';
import { selectorStepsOf } from '../support/selector-work';

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

const work = selectorStepsOf;

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

// The paths of the indexes (network.ts SelectorIndex: which selectors match a pod; LabelIndex: which
// labelled entries a selector matches). How a selector is filed decides the work of a question, not
// its answer (test/validate/network.test.ts checks the answers against matchesSelector): filed under a
// pair, a key or the values of an In (found through the pod's labels), counted (empty, or NotIn and
// DoesNotExist alone: never tried), or tried against every pod with matchesSelector. A step is a label
// of the pod looked up, a matchesSelector call, or an index entry visited.
describe('the work of each path of the selector indexes', () => {
  test('SelectorIndex: an empty selector, however spelled, is counted as matching every pod: no step, no matchesSelector call', () => {
    const pod = { app: 'web', tier: 'front' };
    for (const selector of [{}, { matchLabels: null }, { matchLabels: {} }, { matchExpressions: null }, { matchExpressions: [] }, { matchLabels: null, matchExpressions: null }]) {
      const index = new SelectorIndex([selector], (s) => s);
      expect([selector, work(() => expect(index.someMatching(pod)).toBe(true))]).toEqual([selector, 0]);
    }
  });

  test('SelectorIndex: a NotIn of no values (absent or null) excludes no pod, whatever its value: a step per label, never tried', () => {
    for (const expression of [{ key: 'app', operator: 'NotIn' }, { key: 'app', operator: 'NotIn', values: null }]) {
      const index = new SelectorIndex([{ matchExpressions: [expression] }], (s) => s);
      for (const value of ['web', '', 'null', 'undefined', 'Stryker was here']) {
        // One step: the pod's one label looked up in the index (a matchesSelector call would be a second).
        expect([expression, value, work(() => expect(index.someMatching({ app: value })).toBe(true))]).toEqual([expression, value, 1]);
      }
      expect(index.someMatching({ app: 'web' }, () => true)).toBe(true);
    }
  });

  test('SelectorIndex: an In selector is filed under its values, an Exists one under its key: a pod without them costs a step per label, no matchesSelector call', () => {
    const inWebOrApi = new SelectorIndex([{ matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }], (s) => s);
    expect(work(() => expect(inWebOrApi.someMatching({ tier: 'front', zone: 'a' })).toBe(false))).toBe(2);
    // Found through its pair: the label looked up, then the selector tried once.
    expect(work(() => expect(inWebOrApi.someMatching({ app: 'api' })).toBe(true))).toBe(2);
    const tiered = new SelectorIndex([{ matchExpressions: [{ key: 'tier', operator: 'Exists' }, { key: 'app', operator: 'NotIn', values: ['db'] }] }], (s) => s);
    expect(work(() => expect(tiered.someMatching({ app: 'web' })).toBe(false))).toBe(1);
    expect(work(() => expect(tiered.someMatching({ app: 'web', tier: 'front' })).toBe(true))).toBe(3);
    // A selector no index reads (an unknown operator) is tried for every pod: a matchesSelector call more.
    const unknown = new SelectorIndex([{ matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] }], (s) => s);
    expect(work(() => expect(unknown.someMatching({ tier: 'front', zone: 'a' })).toBe(false))).toBe(3);
  });

  test('SelectorIndex: a selector holding a null expression is filed by its other expressions (matchesSelector fails it)', () => {
    const index = new SelectorIndex([{ matchExpressions: [null, { key: 'app', operator: 'In', values: ['web'] }] }], (s) => s);
    expect(work(() => expect(index.someMatching({ tier: 'front' })).toBe(false))).toBe(1);
  });

  test('SelectorIndex: one-key NotIn or DoesNotExist selectors are counted from their buckets: a pod excluded by all costs a step per label, not per selector', () => {
    const selectors = [
      ...Array.from({ length: 10 }, (_, i) => ({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web', `v${i}`] }] })),
      ...Array.from({ length: 10 }, () => ({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] })),
    ];
    const index = new SelectorIndex(selectors, (s) => s);
    expect(work(() => expect(index.someMatching({ app: 'web', tier: 'front' })).toBe(false))).toBe(2);
    expect(work(() => expect(index.someMatching({ app: 'db', tier: 'front' })).toBe(true))).toBe(2);
  });

  test('selectorIndexIn and labelIndex build an index once per list (and namespace, and way of reading selectors)', () => {
    const pdb = (namespace: string, app: string): KubeObject => ({ kind: 'PodDisruptionBudget', metadata: { name: app, namespace }, spec: { selector: { matchLabels: { app } } } });
    const budgets = [pdb('a', 'web'), pdb('b', 'db')];
    const selector = (o: KubeObject) => o.spec.selector;
    const a = selectorIndexIn(budgets, 'a', selector);
    expect(selectorIndexIn(budgets, 'a', selector)).toBe(a);
    expect(selectorIndexIn(budgets, 'b', selector)).toBe(selectorIndexIn(budgets, 'b', selector));
    expect(selectorIndexIn(budgets, 'b', selector)).not.toBe(a);
    const templates = [{ labels: { app: 'web' } }];
    expect(labelIndex(templates, (t) => t.labels)).toBe(labelIndex(templates, (t) => t.labels));
  });

  test('LabelIndex reads each entry\'s labels twice (its pairs; its pairs of text values, on first use), however many questions', () => {
    let reads = 0;
    const entries = [{ labels: { app: 'web' } }, { labels: { app: 'db' } }, { labels: { app: 'api' } }];
    const index = new LabelIndex(entries, (e) => { reads++; return e.labels; });
    expect(reads).toBe(3);
    for (const app of ['web', 'db', 'api', 'cache']) expect(index.matchesAny({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: [app] }] }, (e) => e.labels)).toBe(true);
    expect(reads).toBe(6);
  });

  test('LabelIndex.candidates: of buckets of one size, the first requirement\'s (matchLabels in their order, then expressions); matchesAny tries that one', () => {
    const entries: { name: string; labels: Record<string, string> }[] = [{ name: 'front', labels: { tier: 'front' } }, { name: 'web-front', labels: { app: 'web', tier: 'front' } }, { name: 'web', labels: { app: 'web' } }];
    const index = new LabelIndex(entries, (e) => e.labels);
    const names = (selector: unknown) => index.candidates(selector).map((e) => e.name);
    expect(names({ matchLabels: { app: 'web', tier: 'front' } })).toEqual(['web-front', 'web']);
    expect(names({ matchLabels: { tier: 'front', app: 'web' } })).toEqual(['front', 'web-front']);
    expect(names({ matchExpressions: [{ key: 'app', operator: 'Exists' }, { key: 'tier', operator: 'In', values: ['front'] }] })).toEqual(['web-front', 'web']);
    // A null expression requires nothing the index reads: the others choose.
    expect(names({ matchExpressions: [null, { key: 'tier', operator: 'Exists' }] })).toEqual(['front', 'web-front']);
    // web-front, the first of app=web, matches: one matchesSelector call.
    expect(work(() => expect(index.matchesAny({ matchLabels: { app: 'web', tier: 'front' } }, (e) => e.labels)).toBe(true))).toBe(1);
  });

  test('LabelIndex.matchesAny: an empty selector, however spelled, matches when there are entries: no step', () => {
    const index = new LabelIndex([{ labels: { app: 'web' } }, { labels: { app: 'db' } }], (e) => e.labels);
    for (const selector of [{}, { matchLabels: null }, { matchLabels: {} }, { matchExpressions: null }, { matchExpressions: [] }, { matchLabels: null, matchExpressions: null }]) {
      expect([selector, work(() => expect(index.matchesAny(selector, (e) => e.labels)).toBe(true))]).toEqual([selector, 0]);
    }
  });

  test('LabelIndex.matchesAny: a NotIn of no values (absent or null) excludes no entry: counted, no step', () => {
    const index = new LabelIndex([{ labels: { app: 'web' } }, { labels: { app: 'db' } }], (e) => e.labels);
    for (const expression of [{ key: 'app', operator: 'NotIn' }, { key: 'app', operator: 'NotIn', values: null }]) {
      expect([expression, work(() => expect(index.matchesAny({ matchExpressions: [expression] }, (e) => e.labels)).toBe(true))]).toEqual([expression, 0]);
    }
  });

  test('LabelIndex.matchesAny: a NotIn of one key is counted from its values\' buckets: a step per value, not per entry excluded', () => {
    const index = new LabelIndex([...['web', 'web', 'web', 'db', 'db', 'db', 'api'].map((app) => ({ labels: { app } }))], (e) => e.labels);
    const notIn = (...values: string[]) => ({ matchExpressions: [{ key: 'app', operator: 'NotIn', values }] });
    expect(work(() => expect(index.matchesAny(notIn('web', 'db'), (e) => e.labels)).toBe(true))).toBe(2);
    expect(work(() => expect(index.matchesAny(notIn('web', 'db', 'api'), (e) => e.labels)).toBe(false))).toBe(3);
  });

  test('LabelIndex.matchesAny: a selector whose matchLabels is not a map is tried entry by entry, as matchesSelector reads it (no pairs)', () => {
    const index = new LabelIndex([{ labels: { app: 'web' } }, { labels: { app: 'db' } }, { labels: { app: 'api' } }], (e) => e.labels);
    for (const matchLabels of [[], 5]) {
      // web fails the NotIn, db matches: two matchesSelector calls.
      const selector = { matchLabels, matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] };
      expect([matchLabels, work(() => expect(index.matchesAny(selector, (e) => e.labels)).toBe(true))]).toEqual([matchLabels, 2]);
    }
  });

  test('LabelIndex.matchesAny: NotIn values are compared as matchesSelector does (a number is not its text); an expression key not text is tried', () => {
    const index = new LabelIndex([{ labels: { app: '1' } }], (e) => e.labels);
    expect(index.matchesAny({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web', 1] }] }, (e) => e.labels)).toBe(true);
    expect(index.matchesAny({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: [1] }] }, (e) => e.labels)).toBe(true);
    const numbered = new LabelIndex([{ labels: { 1: 'x' } }, { labels: { 1: 'y' } }], (e) => e.labels);
    expect(numbered.matchesAny({ matchExpressions: [{ key: 1, operator: 'DoesNotExist' }] }, (e) => e.labels)).toBe(false);
    // Values that are text, not a list: matchesSelector's includes() finds a substring among them.
    const we = new LabelIndex([{ labels: { app: 'we' } }], (e) => e.labels);
    expect(we.matchesAny({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: 'web' }] }, (e) => e.labels)).toBe(false);
  });

  test('LabelIndex.candidates: a selector not a map, or an empty plain map, has no candidate', () => {
    const index = new LabelIndex([{ labels: { app: 'web' } }], (e) => e.labels);
    for (const [selector, plain] of [[null, false], ['app=web', false], [['app=web'], true], [{}, true]] as const) {
      expect([selector, index.candidates(selector, plain).length]).toEqual([selector, 0]);
    }
  });
});
