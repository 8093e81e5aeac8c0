import { KubeObject } from '../../lib/plan/objects';
import { appliedBy, CLUSTER_SCOPED_KINDS, parseSelector, pruneTargets, selectorMatches } from '../../lib/plan/prune';
import { pruneScope } from '../../lib/program/ownership';
import { courseObjects, defaultObjects } from '../helpers';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const names = (objects: readonly KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}${o.metadata.namespace ? ` (${o.metadata.namespace})` : ''}`).sort();

/** Objects as a client-side `kubectl apply` leaves them live: in a namespace, with the last-applied annotation. */
function appliedLive(objects: readonly KubeObject[], namespace = 'default'): KubeObject[] {
  return objects.map((o) => ({
    ...o,
    metadata: { ...o.metadata, ...(CLUSTER_SCOPED_KINDS.has(o.kind) || o.metadata.namespace ? {} : { namespace }), annotations: { ...o.metadata.annotations, [LAST_APPLIED]: JSON.stringify(o) } },
  }));
}

/** What the operator, the controllers and other apps put in the same cluster. */
const others: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pgpassword', namespace: 'default' } },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'server-deployment-7d9f', namespace: 'default', labels: { component: 'server', 'app.kubernetes.io/part-of': 'multi-k8s' } } },
  ...appliedLive([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'shop', labels: { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/instance': 'prod' } } }]),
  ...appliedLive([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x', labels: { 'app.kubernetes.io/instance': 'prod' } } }]),
];

describe('label selectors as kubectl parses them', () => {
  test.each([
    ['a=1', { a: '1' }, true], ['a==1', { a: '2' }, false], ['a!=1', {}, true], ['a!=1', { a: '1' }, false],
    ['a in (1,2),b', { a: '2', b: '' }, true], ['a in (1,2)', {}, false], ['a notin (1,2)', {}, true], ['!a', { a: 'x' }, false],
  ])('%s on %j: %s', (selector, labels, expected) => {
    expect(selectorMatches(parseSelector(selector), labels)).toBe(expected);
  });
});

describe('a pruning apply, modelled on kubectl\'s prune.go', () => {
  // A function, not a value: the scope renders the app (for its kinds), which must happen inside a test for
  // mutation testing to credit the tests that use it.
  const environment = () => pruneScope({ kind: 'environment' });

  test('every object of an output is sent by the apply with its own selector (-l skips the others)', () => {
    for (const env of [{}, { ENVIRONMENT: 'dev' }]) expect(appliedBy(defaultObjects(env), environment())).toHaveLength(defaultObjects(env).length);
    const previews = defaultObjects({ PREVIEWS: 'a,b' });
    expect(appliedBy(previews, pruneScope({ kind: 'previews', names: ['a', 'b'] }))).toHaveLength(previews.length);
  });

  test('prod -> dev deletes exactly prod\'s autoscalers and budgets, nothing of the operator, the controllers, other apps or previews', () => {
    const live = [...appliedLive(defaultObjects()), ...appliedLive(defaultObjects({ PREVIEWS: 'a' })), ...others];
    expect(names(pruneTargets(live, defaultObjects({ ENVIRONMENT: 'dev' }), { scope: environment() }))).toEqual([
      'HorizontalPodAutoscaler/server-deployment (default)',
      'HorizontalPodAutoscaler/worker-deployment (default)',
      'PodDisruptionBudget/client-disruption-budget (default)',
      'PodDisruptionBudget/server-disruption-budget (default)',
      'PodDisruptionBudget/worker-disruption-budget (default)',
    ]);
  });

  test('dev -> prod deletes nothing', () => {
    const live = [...appliedLive(defaultObjects({ ENVIRONMENT: 'dev' })), ...others];
    expect(pruneTargets(live, defaultObjects(), { scope: environment() })).toEqual([]);
  });

  test('the same environment in another namespace is out of reach of namespaced pruning', () => {
    const live = appliedLive(defaultObjects(), 'production');
    expect(pruneTargets(live, defaultObjects({ ENVIRONMENT: 'dev' }), { scope: environment(), namespace: 'staging' })).toEqual([]);
  });

  test('previews {a, b} -> an apply of {b} deletes nothing of a; a NetworkPolicy that leaves b goes', () => {
    const live = [...appliedLive(defaultObjects({ PREVIEWS: 'a,b' })), ...others];
    const onlyB = pruneScope({ kind: 'previews', names: ['b'] });
    expect(pruneTargets(live, defaultObjects({ PREVIEWS: 'b' }), { scope: onlyB })).toEqual([]);
    const withoutPolicy = defaultObjects({ PREVIEWS: 'b' }).filter((o) => o.metadata.name !== 'multi-k8s-worker-allow-egress-to-redis');
    expect(names(pruneTargets(live, withoutPolicy, { scope: onlyB }))).toEqual(['NetworkPolicy/multi-k8s-worker-allow-egress-to-redis (b)']);
  });

  test('the course\'s objects carry no ownership label: never pruned, and the first apply takes them over by name', () => {
    const live = [...appliedLive(courseObjects()), ...others];
    expect(pruneTargets(live, defaultObjects(), { scope: environment() })).toEqual([]);
  });

  test('a cluster-scoped object of the instance is pruned cluster-wide when it leaves the output', () => {
    const issuer: KubeObject = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'letsencrypt-prod', labels: { 'app.kubernetes.io/part-of': 'multi-k8s', 'app.kubernetes.io/instance': 'prod' } } };
    const scope = { ...environment(), allowlist: [...environment().allowlist, 'cert-manager.io/v1/ClusterIssuer'] };
    const live = [...appliedLive(defaultObjects()), ...appliedLive([issuer])];
    expect(names(pruneTargets(live, defaultObjects(), { scope }))).toEqual(['ClusterIssuer/letsencrypt-prod']);
    // Not listed, never pruned.
    expect(pruneTargets(live, defaultObjects(), { scope: environment() })).toEqual([]);
  });
});
