import * as fs from 'fs';
import * as path from 'path';
import { Problem, SELECTOR_WORK, validate } from '../../lib/validate';
import { selectorWork } from '../../lib/validate/network';
import { KubeObject, Located } from '../../lib/validate/problem';
import { selectorStepsOf } from '../support/selector-work';

// Some namespaces need selector work quadratic in their size whatever the index: NetworkPolicies
// that select every pod, each with rules that allow no connection, make every connection try
// every rule. index.ts gives each namespace's link and policy checks a limit of work
// (SELECTOR_WORK: a floor plus steps per object); past it that check stops for the namespace with
// one problem line, and every other check still runs.

const pod = (i: number, n: number, namespace: string | undefined): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}`, ...(namespace === undefined ? {} : { namespace }), labels: { app: `app-${i}` } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27', ports: [{ containerPort: 80 }], env: [{ name: 'PEER', value: `http://svc-${(i + 1) % n}:80` }] }] },
});
const service = (i: number, namespace: string | undefined): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}`, ...(namespace === undefined ? {} : { namespace }) },
  spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 80 }] },
});
/** Selects every pod; its rules allow every pod, but only on a port no connection uses. */
const everyPodPolicy = (i: number, namespace: string | undefined): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${i}`, ...(namespace === undefined ? {} : { namespace }) },
  spec: {
    podSelector: {}, policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 9000 + i }] }],
    egress: [{ to: [{ podSelector: {} }], ports: [{ port: 9000 + i }] }],
  },
});
/** Selects its own pod and allows the connection the pod before it makes (the usual shape). */
const ownPolicy = (i: number, namespace: string | undefined): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${i}`, ...(namespace === undefined ? {} : { namespace }) },
  spec: {
    podSelector: { matchLabels: { app: `app-${i}` } }, policyTypes: ['Ingress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { app: `app-${i - 1}` } } }] }],
  },
});

function sets(n: number, policy: (i: number, namespace: string | undefined) => KubeObject, namespace: string | undefined): Located[] {
  return Array.from({ length: n }, (_, i) => [pod(i, n, namespace), service(i, namespace), policy(i, namespace)]).flat().map((object) => ({ file: 'f.yaml', object }));
}

function judged(items: Located[]) {
  let problems: Problem[] = [];
  const steps = selectorStepsOf(() => ({ problems } = validate(items, { checks: ['link', 'policy'] })));
  return { problems, steps };
}

const STOPPED = /^the (link|policy) checks of namespace .* were stopped/;

describe('the selector work of a namespace has a limit', () => {
  const saved = { ...SELECTOR_WORK };
  afterEach(() => Object.assign(SELECTOR_WORK, saved));

  test('policies that select every pod with rules allowing no connection: the link checks stop with one line, the policy checks still judge', () => {
    Object.assign(SELECTOR_WORK, { floor: 10_000, perObject: 10 });
    const { problems, steps } = judged(sets(100, everyPodPolicy, 'one'));
    const stopped = problems.filter((p) => STOPPED.test(p.message));
    expect(stopped).toEqual([{
      file: 'f.yaml', object: 'Pod/pod-0', check: 'link', path: '',
      message: 'the link checks of namespace "one" were stopped, and none of their findings there is reported: its label selectors took more than 13,000 steps to judge (300 objects)',
      allowed: 'at most 10,000 steps, plus 10 per object of the namespace: fewer NetworkPolicies or budgets whose selectors match most pods, or the namespace\'s objects validated in parts',
    }]);
    // Judged in full, every connection would try all 100 policies' rules both ways: 20,000 steps and more.
    expect(steps).toBeLessThan(2 * 13_000 + 1_000);
    // The policy family ran to its end: each pod still lacks its memory limit.
    expect(problems.filter((p) => p.check === 'policy' && p.message.startsWith('[resources] no memory limit')).map((p) => p.object)).toHaveLength(100);
    // The limit is off again once the checks are done.
    expect(selectorWork.limit).toBe(Infinity);
  });

  test('the same namespace below the limit is judged in full: each connection blocked, and no stop', () => {
    Object.assign(SELECTOR_WORK, { floor: 1_000_000, perObject: 10 });
    const { problems } = judged(sets(100, everyPodPolicy, 'one'));
    expect(problems.filter((p) => STOPPED.test(p.message))).toEqual([]);
    expect(problems.filter((p) => p.check === 'link' && / -> Service\/svc-\d+:80: blocked by the egress policies/.test(p.message))).toHaveLength(100);
  });

  test('objects without a namespace are named as the namespace kubectl applies to', () => {
    Object.assign(SELECTOR_WORK, { floor: 1_000, perObject: 1 });
    const { problems } = judged(sets(40, everyPodPolicy, undefined));
    expect(problems.filter((p) => STOPPED.test(p.message)).map((p) => p.message)).toEqual([
      'the link checks of namespace (the namespace kubectl applies to) were stopped, and none of their findings there is reported: its label selectors took more than 1,120 steps to judge (120 objects)',
    ]);
  });

  test('with the shipped limit, 1,300 such sets in one namespace stop, and the work stays within it', () => {
    const { problems, steps } = judged(sets(1300, everyPodPolicy, 'one'));
    const limit = SELECTOR_WORK.floor + SELECTOR_WORK.perObject * 3900;
    expect(problems.filter((p) => STOPPED.test(p.message)).map((p) => p.check)).toEqual(['link']);
    expect(steps).toBeLessThan(limit + 100_000);
  });

  test('with the shipped limit, an ordinary namespace (each policy selecting its own pod) takes a few steps an object and never stops', () => {
    const { problems, steps } = judged(sets(2000, ownPolicy, 'one'));
    expect(problems.filter((p) => STOPPED.test(p.message))).toEqual([]);
    expect(steps / 6000).toBeLessThan(10);
    // Judged: pod-0's ingress allows only app--1, so the connection from the last pod to pod-0 is blocked.
    expect(problems.filter((p) => p.check === 'link' && p.message.startsWith('Pod/pod-1999 -> Service/svc-0:80: blocked by the ingress policies'))).toHaveLength(1);
  });

  test('NotIn selectors of two keys that exclude every pod by both: the policy checks stop too, and the link checks', () => {
    Object.assign(SELECTOR_WORK, { floor: 2_000, perObject: 10 });
    // Every pod holds tier=web and zone: each of the 100 policies excludes it twice, and the index
    // lists those exclusions pod by pod (100 x 100).
    const excludedTwice = (i: number, namespace: string | undefined): KubeObject => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${i}`, ...(namespace === undefined ? {} : { namespace }) },
      spec: { podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }, { key: 'zone', operator: 'DoesNotExist' }] }, policyTypes: ['Ingress'] },
    });
    const items = sets(100, excludedTwice, 'one').map((item) => (item.object.kind === 'Pod'
      ? { ...item, object: { ...item.object, metadata: { ...item.object.metadata, labels: { ...item.object.metadata.labels, tier: 'web', zone: 'a' } } } }
      : item));
    const { problems } = judged(items);
    expect(problems.filter((p) => STOPPED.test(p.message)).map((p) => p.check).sort()).toEqual(['link', 'policy']);
  });

  test('the README and the usage state the shipped limit', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`more than ${SELECTOR_WORK.floor.toLocaleString('en-US')} steps plus ${SELECTOR_WORK.perObject} per object to judge`);
  });
});
