import { formatPlan, KubeObject, planChanges } from '../../lib/plan/plan';
import { lastApplied } from '../../lib/plan/rules';

// The dips are about what the Deployment, ReplicaSet, HPA and disruption controllers do later; the
// test API server runs none of them (common.md), so these rules are judged on objects alone.

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The plan's dip and data lines (replace lines are judged in plan.test.ts). */
function dips(before: readonly KubeObject[], after: readonly KubeObject[]): string[] {
  return formatPlan(planChanges(before, after)).filter((line) => /^! (dip|data) /.test(line));
}

function deployment(name: string, spec: KubeObject = {}, namespace?: string, labels: Record<string, string> = { component: name }): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, image: 'x:1' }] } }, ...spec },
  };
}

/** The same Deployment with another image: a change that by itself dips nothing. */
function newImage(object: KubeObject): KubeObject {
  const next = structuredClone(object);
  next.spec.template.spec.containers[0].image = 'x:2';
  return next;
}

function autoscaler(name: string, scaleTargetRef: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', name }, namespace?: string): KubeObject {
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { scaleTargetRef, minReplicas: 3, maxReplicas: 6 } };
}

const noAutoscaler = (pods: number, object = 'Deployment/server') => `! dip ${object}: replicas is no longer set and no autoscaler takes it: the Deployment drops from ${pods} pods to 1`;
const handed = (min: number) => `! dip Deployment/server: replicas goes to HorizontalPodAutoscaler/server: the apply removes the replicas the last apply set, so the Deployment drops to 1 pod until the autoscaler scales it back to ${min}; first run \`kubectl apply edit-last-applied deployment/server\` and delete its replicas line`;

describe('which autoscaler takes the replicas an apply removes', () => {
  const before = [deployment('server', { replicas: 3 })];

  test('the HorizontalPodAutoscaler of the same namespace whose scaleTargetRef is this Deployment', () => {
    expect(dips(before, [deployment('server'), autoscaler('server')])).toEqual([handed(3)]);
  });

  test.each<[string, KubeObject]>([
    ['one that scales a StatefulSet of the same name', autoscaler('server', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'server' })],
    ['one in another namespace', autoscaler('server', undefined, 'other')],
    ['another kind with a scaleTargetRef (a KEDA ScaledObject)', { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'server' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'server' } } }],
    ['one that scales another Deployment', autoscaler('worker')],
    ['one without metadata, scaling another Deployment', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', spec: { scaleTargetRef: { kind: 'Deployment', name: 'worker' }, maxReplicas: 2 } }],
    ['one without a scaleTargetRef', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'server' }, spec: { maxReplicas: 2 } }],
    ['one without a spec', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'server' } }],
  ])('not %s', (_, other) => {
    expect(dips(before, [deployment('server'), other])).toEqual([noAutoscaler(3)]);
  });

  test('a Deployment without metadata is no target of a named autoscaler, and gets no edit-last-applied command', () => {
    const nameless = (spec: KubeObject): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', spec });
    expect(dips([nameless({ replicas: 3 })], [nameless({}), autoscaler('server')])).toEqual([noAutoscaler(3, 'Deployment/"undefined"')]);
    // An autoscaler whose target has no name either takes it; `deployment/undefined` would edit another Deployment.
    const targetless = autoscaler('server', { kind: 'Deployment' });
    expect(dips([nameless({ replicas: 3 })], [nameless({}), targetless])).toEqual([
      '! dip Deployment/"undefined": replicas goes to HorizontalPodAutoscaler/server: the apply removes the replicas the last apply set, so the Deployment drops to 1 pod until the autoscaler scales it back to 3; first run (no kubectl command: the object has no name) and delete its replicas line',
    ]);
  });

  test('an autoscaler without metadata, in no namespace, takes a Deployment of no namespace', () => {
    const anonymous: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', spec: { scaleTargetRef: { kind: 'Deployment', name: 'server' }, minReplicas: 3, maxReplicas: 6 } };
    expect(dips(before, [deployment('server'), anonymous])).toEqual([handed(3).replace('HorizontalPodAutoscaler/server', 'HorizontalPodAutoscaler/"undefined"')]);
  });

  test('an autoscaler whose floor is 1 still takes 3 pods down to 1', () => {
    const floorOne = autoscaler('server');
    floorOne.spec.minReplicas = 1;
    expect(dips(before, [deployment('server'), floorOne])).toEqual([handed(1)]);
  });

  test('replicas: 1 dropped with no autoscaler: the default is 1 pod, so nothing dips', () => {
    expect(dips([deployment('server', { replicas: 1 })], [deployment('server')])).toEqual([]);
  });

  test('only an apps/v1 Deployment: a StatefulSet or another group\'s Deployment that loses replicas is not judged by these rules', () => {
    const statefulSet = (spec: KubeObject): KubeObject => ({ ...deployment('server', spec), kind: 'StatefulSet' });
    expect(dips([statefulSet({ replicas: 3 })], [statefulSet({})])).toEqual([]);
    const custom = (spec: KubeObject): KubeObject => ({ ...deployment('server', spec), apiVersion: 'example.com/v1' });
    expect(dips([custom({ replicas: 3 })], [custom({})])).toEqual([]);
  });
});

describe('Deployments of odd shapes', () => {
  const specless: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'server' } };

  test('a spec that goes whole takes its replicas with it', () => {
    expect(dips([deployment('server', { replicas: 3 })], [specless])).toEqual([noAutoscaler(3)]);
  });

  test('a spec that appears whole deletes nothing', () => {
    expect(dips([specless], [deployment('server', { replicas: 2 })])).toEqual([]);
  });

  test('an autoscaler that goes while the Deployment loses its spec: no replicas are set, so no count is named', () => {
    expect(dips([deployment('server'), autoscaler('server')], [specless])).toEqual([]);
  });
});

describe('the last-applied annotation', () => {
  const annotated = (value: unknown): KubeObject => ({ kind: 'Deployment', metadata: { name: 'server', annotations: { [LAST_APPLIED]: value } } });

  test.each<[string, KubeObject]>([
    ['no metadata', { kind: 'Deployment' }],
    ['no annotations', { kind: 'Deployment', metadata: { name: 'server' } }],
    ['text that is no JSON', annotated('{"kind":')],
    ['JSON that is no object', annotated('[{"kind":"Deployment"}]')],
    ['a list holding the manifest\'s text instead of text', annotated(['{"kind":"Deployment"}'])],
    ['a number', annotated(7)],
  ])('none read from %s', (_, object) => {
    expect(lastApplied(object)).toBeUndefined();
  });

  test('the manifest, parsed', () => {
    expect(lastApplied(annotated('{"kind":"Deployment","spec":{"replicas":2}}'))).toEqual({ kind: 'Deployment', spec: { replicas: 2 } });
  });

  /** As plan --cluster sees them: in a namespace, the server's replicas in the spec, the annotation holding a manifest. */
  const withApplied = (applied: KubeObject | undefined, replicas: number): KubeObject => ({
    ...deployment('server', { replicas }),
    metadata: { name: 'server', namespace: 'default', ...(applied ? { annotations: { [LAST_APPLIED]: JSON.stringify(applied) } } : {}) },
  });

  test('a live Deployment no apply made (no annotation): the apply deletes none of its replicas', () => {
    // A new image too, so that the pair is a change (the annotation alone is none, field-diff.ts).
    expect(dips([withApplied(undefined, 3)], [newImage(withApplied(deployment('server'), 3))])).toEqual([]);
    // Nor one whose last apply left replicas to an autoscaler.
    expect(dips([withApplied(deployment('server'), 3)], [newImage(withApplied(deployment('server'), 3))])).toEqual([]);
  });

  test('a manifest applied now without a spec deletes the replicas the last one set', () => {
    const last = deployment('server', { replicas: 3 });
    expect(dips([withApplied(last, 3)], [withApplied({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'server' } }, 1)]))
      .toEqual([noAutoscaler(3, 'Deployment/server (default)')]);
  });
});

describe('the rollout strategy', () => {
  const rising = (was: string, is: string) => `! dip Deployment/client: spec.strategy.rollingUpdate.maxUnavailable rises from ${was} to ${is}: a rollout may take more pods out at once`;
  const client = (strategy: KubeObject | undefined, replicas = 4) => deployment('client', { replicas, ...(strategy ? { strategy } : {}) });
  const rolling = (maxUnavailable: unknown, replicas = 4) => client({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable } }, replicas);

  test('becoming Recreate is named; staying Recreate is not, whatever else changes', () => {
    expect(dips([rolling(1)], [client({ type: 'Recreate' })])).toEqual(['! dip Deployment/client: the strategy becomes Recreate: every pod stops before the new ones start, on this and every later rollout']);
    expect(dips([client({ type: 'Recreate' })], [newImage(client({ type: 'Recreate' }))])).toEqual([]);
  });

  test('a Recreate Deployment\'s rollingUpdate block (the server refuses one beside Recreate) is not read', () => {
    expect(dips([client({ type: 'Recreate', rollingUpdate: { maxUnavailable: 0 } })], [client({ type: 'Recreate', rollingUpdate: { maxUnavailable: 2 } })])).toEqual([]);
  });

  test('a strategy or rollingUpdate left out is RollingUpdate with maxUnavailable 25%', () => {
    expect(dips([rolling(0)], [client(undefined)])).toEqual([rising('0', '25%')]);
    expect(dips([rolling(0)], [client({ type: 'RollingUpdate' })])).toEqual([rising('0', '25%')]);
    expect(dips([client({ type: 'RollingUpdate' })], [rolling('50%')])).toEqual([rising('25%', '50%')]);
  });

  test('a percentage is taken of the pods and rounded down, as the Deployment controller does', () => {
    // 10% of 3 pods is 0 pods; 34% of 3 is 1 (deployment_util.go ResolveFenceposts rounds maxUnavailable down).
    expect(dips([rolling(0, 3)], [rolling('10%', 3)])).toEqual([]);
    expect(dips([rolling(0, 3)], [rolling('34%', 3)])).toEqual([rising('0', '34%')]);
    // 50% of 4 pods is 2, more than 1; 50% of 4 is no more than 2.
    expect(dips([rolling(1)], [rolling('50%')])).toEqual([rising('1', '50%')]);
    expect(dips([rolling('50%')], [rolling(2)])).toEqual([]);
  });

  test('maxSurge counts too: when it and maxUnavailable both come to 0 pods, the controller takes 1 out', () => {
    // pkg/controller/deployment/util/deployment_util.go ResolveFenceposts: maxSurge rounded up, and
    // "If both fenceposts resolve to zero, then we should set maxUnavailable to 1".
    const fenced = (maxSurge: unknown, maxUnavailable: unknown) => client({ type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } }, 3);
    const floor = (surge: string, nowSurge: string, is: string) => `! dip Deployment/client: spec.strategy.rollingUpdate.maxSurge falls from ${surge} to ${nowSurge}: with maxUnavailable ${is}, 0 of 3 pods, a rollout takes 1 pod out at once (the Deployment controller's floor when both come to 0)`;
    // 25% of 3 pods is 0 out and 1 extra; maxSurge 0 leaves 0 and 0, so 1 goes out.
    expect(dips([client(undefined, 3)], [fenced(0, '25%')])).toEqual([floor('25%', '0', '25%')]);
    expect(dips([fenced(1, '10%')], [fenced('0%', '5%')])).toEqual([floor('1', '0%', '5%')]);
    // A Deployment that had no spec had the defaults.
    expect(dips([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'client' } }], [fenced(0, '25%')])).toEqual([floor('25%', '0', '25%')]);
    // maxUnavailable is still rounded down there: 10% of 3 is 0, no rise of its own.
    expect(dips([fenced(1, 0)], [fenced(0, '10%')])).toEqual([floor('1', '0', '10%')]);
    // 10% of 3 rounds up to 1 extra pod: nothing has to go out.
    expect(dips([fenced('10%', 0)], [fenced('10%', '10%')])).toEqual([]);
    // Already 1 out (both 0 before): 1 out after is no more.
    expect(dips([fenced(0, '10%')], [fenced(0, 1)])).toEqual([]);
    expect(dips([fenced(0, 1)], [fenced(0, 2)])).toEqual([rising('1', '2')]);
    // A maxSurge that is no count (the server refuses it): maxUnavailable alone is compared, no floor is guessed.
    expect(dips([fenced('abc', '10%')], [fenced(0, '10%')])).toEqual([]);
    expect(dips([fenced(0, '10%')], [fenced('abc', '10%')])).toEqual([]);
    expect(dips([fenced('abc', 0)], [fenced('abc', 1)])).toEqual([rising('0', '1')]);
    expect(dips([fenced('abc', 1)], [newImage(fenced('abc', 1))])).toEqual([]);
    expect(dips([fenced('abc', 0)], [fenced('abc', '10%')])).toEqual([]);
  });

  test('a Deployment that sets no replicas runs its autoscaler\'s minimum: the percentage is of those', () => {
    // 50% of 4 pods is 2, more than 1; of the 1 pod a Deployment without autoscaler runs, it is 0.
    const scaled = (maxUnavailable: unknown) => deployment('client', { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable } } });
    const floor: KubeObject = { ...autoscaler('client'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'client' }, minReplicas: 4, maxReplicas: 8 } };
    expect(dips([scaled(1), floor], [scaled('50%'), floor])).toEqual([rising('1', '50%')]);
    expect(dips([scaled(1)], [scaled('50%')])).toEqual([]);
  });

  test('a value that is neither a number nor a percentage counts as a rise whenever it differs', () => {
    expect(dips([rolling(1)], [rolling('abc')])).toEqual([rising('1', 'abc')]);
    expect(dips([rolling('abc')], [rolling(1)])).toEqual([rising('abc', '1')]);
    expect(dips([rolling(1)], [rolling('x50%')])).toEqual([rising('1', 'x50%')]);
    expect(dips([rolling(1)], [rolling('50%x')])).toEqual([rising('1', '50%x')]);
    // A list is no percentage, though its text is one.
    expect(dips([rolling(1)], [rolling(['50%'])])).toEqual([rising('1', '50%')]);
    expect(dips([rolling('abc')], [rolling('abd')])).toEqual([rising('abc', 'abd')]);
    expect(dips([rolling('abc')], [newImage(rolling('abc'))])).toEqual([]);
    // Two objects that read the same are no rise, though they are two objects ("rises from [object Object] to [object Object]" said nothing).
    expect(dips([rolling({})], [newImage(rolling({}))])).toEqual([]);
    expect(dips([rolling(['50%'])], [newImage(rolling(['50%']))])).toEqual([]);
  });
});

describe('an autoscaler that goes while the Deployment stays', () => {
  const gone = '! dip Deployment/server: HorizontalPodAutoscaler/server goes and replicas: 1 is set: the Deployment runs 1 pod(s) at once, wherever the autoscaler had it (3 to 6; `kubectl get hpa server` shows how many now)';
  const before = [deployment('server'), autoscaler('server')];

  test('the Deployment it scaled now sets replicas below the autoscaler\'s ceiling', () => {
    expect(dips(before, [deployment('server', { replicas: 1 })])).toEqual([gone]);
  });

  test('found by kind, name and namespace among the objects after', () => {
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'server' }, spec: { ports: [{ port: 80 }] } };
    const nameless: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 2 } };
    expect(dips(before, [service, deployment('server', { replicas: 1 })])).toEqual([gone]);
    expect(dips(before, [nameless, deployment('server', { replicas: 1 })])).toEqual([gone]);
    // The namesake in another namespace is another Deployment; this one sets no replicas.
    expect(dips([deployment('server', {}, 'a'), autoscaler('server', undefined, 'a')], [deployment('server', { replicas: 1 }, 'b'), deployment('server', {}, 'a')])).toEqual([]);
  });

  test('it must have scaled a Deployment that was there before', () => {
    // One that arrives as the autoscaler goes was never scaled by it.
    expect(dips([autoscaler('server')], [deployment('server', { replicas: 1 })])).toEqual([]);
    expect(dips([deployment('server', {}, 'b'), autoscaler('server', undefined, 'a')], [deployment('server', { replicas: 1 }, 'b')])).toEqual([]);
    // A nameless Deployment before the named one is passed over.
    const nameless: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', spec: {} };
    expect(dips([nameless, ...before], [nameless, deployment('server', { replicas: 1 })])).toEqual([gone]);
  });

  test.each<[string, KubeObject]>([
    ['scaled a StatefulSet', autoscaler('server', { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'server' })],
    ['had no scaleTargetRef', { ...autoscaler('server'), spec: { maxReplicas: 6 } }],
    ['had no spec', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'server' } }],
    ['was another kind (a KEDA ScaledObject)', { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'server' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'server' }, maxReplicaCount: 6 } }],
  ])('nothing when what went %s', (_, other) => {
    expect(dips([deployment('server'), other], [deployment('server', { replicas: 1 })])).toEqual([]);
  });

  test('replicas must be a number below the ceiling', () => {
    expect(dips(before, [deployment('server', { replicas: 6 })])).toEqual([]);
    expect(dips(before, [deployment('server', { replicas: '2' })])).toEqual([]);
    expect(dips(before, [deployment('server', { replicas: null })])).toEqual([]);
    expect(dips(before, [deployment('server', { replicas: 5 })])).toEqual([
      '! dip Deployment/server: HorizontalPodAutoscaler/server goes and replicas: 5 is set: the Deployment runs 5 pod(s) at once, wherever the autoscaler had it (3 to 6; `kubectl get hpa server` shows how many now)',
    ]);
  });

  test('without a name on either side: the names print as "undefined", no command names an object so, nothing throws', () => {
    const nameless = (spec: KubeObject): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', spec });
    const targetless: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'nameless' }, spec: { scaleTargetRef: { kind: 'Deployment' }, minReplicas: 1, maxReplicas: 4 } };
    expect(dips([nameless({}), targetless], [nameless({ replicas: 2 })])).toEqual([
      '! dip Deployment/"undefined": HorizontalPodAutoscaler/nameless goes and replicas: 2 is set: the Deployment runs 2 pod(s) at once, wherever the autoscaler had it (1 to 4; `kubectl get hpa nameless` shows how many now)',
    ]);
    // kubectl get hpa undefined would show another autoscaler, one named so.
    const anonymous: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', spec: { scaleTargetRef: { kind: 'Deployment', name: 'server' }, minReplicas: 3, maxReplicas: 6 } };
    expect(dips([deployment('server'), anonymous], [deployment('server', { replicas: 1 })])).toEqual([
      '! dip Deployment/server: HorizontalPodAutoscaler/"undefined" goes and replicas: 1 is set: the Deployment runs 1 pod(s) at once, wherever the autoscaler had it (3 to 6; (no kubectl command: the object has no name) shows how many now)',
    ]);
  });
});

describe('disruption budgets that loosen', () => {
  /** A budget named web; its selector matches component=web unless given (null: none). */
  const budget = (spec: KubeObject, namespace?: string, selector: KubeObject | null = { matchLabels: { component: 'web' } }): KubeObject => ({
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', ...(namespace ? { namespace } : {}) }, spec: { ...(selector ? { selector } : {}), ...spec },
  });
  const maxRising = (was: string, is: string, namespace = '') => `! dip PodDisruptionBudget/web${namespace}: maxUnavailable rises from ${was} to ${is}: a node drain may evict more pods at once`;

  test.each([[undefined, ''], ['shop', ' (shop)']])('a percentage is of the pods of the matching Deployments of its namespace (%s)', (namespace, shown) => {
    // 50% of 4 pods, rounded up, is 2: more than 1. Of 2 pods it is 1: no more.
    expect(dips([deployment('web', { replicas: 4 }, namespace), budget({ maxUnavailable: 1 }, namespace)], [deployment('web', { replicas: 4 }, namespace), budget({ maxUnavailable: '50%' }, namespace)]))
      .toEqual([maxRising('1', '50%', shown)]);
    expect(dips([deployment('web', { replicas: 2 }, namespace), budget({ maxUnavailable: 1 }, namespace)], [deployment('web', { replicas: 2 }, namespace), budget({ maxUnavailable: '50%' }, namespace)]))
      .toEqual([]);
  });

  test('Deployments of another namespace, of other labels or of some of the labels only are not counted', () => {
    const labels = { component: 'web', tier: 'front' };
    const others = [
      deployment('web', { replicas: 2 }, 'shop', labels),
      deployment('canary', { replicas: 2 }, 'shop', { component: 'web', tier: 'canary' }),
      deployment('api', { replicas: 2 }, 'shop', { component: 'api' }),
      deployment('web', { replicas: 2 }, 'other', labels),
    ];
    const loosened = (maxUnavailable: unknown) => budget({ maxUnavailable }, 'shop', { matchLabels: labels });
    expect(dips([...others, loosened(1)], [...others, loosened('50%')])).toEqual([]);
  });

  test('an empty selector covers every Deployment of the namespace, and nothing else', () => {
    // policy/v1 types.go PodDisruptionBudgetSpec.Selector: "an empty ({}) selector will select all pods within the namespace".
    const configMap: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'shop' }, data: {} };
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } };
    const alone = [deployment('web', { replicas: 2 }, 'shop'), configMap, service];
    expect(dips([...alone, budget({ maxUnavailable: 1 }, 'shop', {})], [...alone, budget({ maxUnavailable: '50%' }, 'shop', {})])).toEqual([]);
    const two = [...alone, deployment('api', { replicas: 2 }, 'shop')];
    expect(dips([...two, budget({ maxUnavailable: 1 }, 'shop', {})], [...two, budget({ maxUnavailable: '50%' }, 'shop', {})])).toEqual([maxRising('1', '50%', ' (shop)')]);
  });

  test('a budget without a selector covers no pods: its percentages are not of the namespace\'s Deployments', () => {
    // policy/v1 types.go PodDisruptionBudgetSpec.Selector: "A null selector will match no pods".
    const pods = deployment('web', { replicas: 4 });
    expect(dips([pods, budget({ maxUnavailable: 1 }, undefined, null)], [pods, budget({ maxUnavailable: '50%' }, undefined, null)])).toEqual([]);
    // Taken as 1 pod, as when no Deployment matches: 100% of it is 1, more than 0.
    expect(dips([pods, budget({ maxUnavailable: 0 }, undefined, null)], [pods, budget({ maxUnavailable: '100%' }, undefined, null)])).toEqual([maxRising('0', '100%')]);
  });

  test('Deployments of odd shapes are passed over, not thrown on', () => {
    const odd: KubeObject[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 9 } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b' }, spec: { replicas: 9 } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'c' }, spec: { replicas: 9, template: {} } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 9, template: { metadata: {} } } },
    ];
    const pods = deployment('web', { replicas: 4 });
    expect(dips([...odd, pods, budget({ maxUnavailable: 1 })], [...odd, pods, budget({ maxUnavailable: '50%' })])).toEqual([maxRising('1', '50%')]);
  });

  test('a budget without metadata is read in no namespace', () => {
    const anonymous = (maxUnavailable: unknown): KubeObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { maxUnavailable, selector: { matchLabels: { component: 'web' } } } });
    const pods = deployment('web', { replicas: 4 });
    expect(dips([pods, anonymous(1)], [pods, anonymous('50%')])).toEqual(['! dip PodDisruptionBudget/"undefined": maxUnavailable rises from 1 to 50%: a node drain may evict more pods at once']);
  });

  test('a budget\'s percentages are rounded up, as the disruption controller does', () => {
    // pkg/controller/disruption/disruption.go getExpectedPodCount: GetScaledValueFromIntOrPercent(..., true) for both fields.
    const pods = deployment('web', { replicas: 3 });
    expect(dips([pods, budget({ maxUnavailable: 0 })], [pods, budget({ maxUnavailable: '10%' })])).toEqual([maxRising('0', '10%')]);
    expect(dips([pods, budget({ minAvailable: 2 })], [pods, budget({ minAvailable: '34%' })])).toEqual([]);
    expect(dips([pods, budget({ minAvailable: 2 })], [pods, budget({ minAvailable: '33%' })])).toEqual(['! dip PodDisruptionBudget/web: minAvailable falls from 2 to 33%: a node drain may evict more pods at once']);
  });

  test('a switch from maxUnavailable to minAvailable is named, not read as a number gone', () => {
    const pods = deployment('web', { replicas: 3 });
    expect(dips([pods, budget({ maxUnavailable: 1 })], [pods, budget({ minAvailable: 2 })])).toEqual([
      '! dip PodDisruptionBudget/web: the budget switches between minAvailable and maxUnavailable: check that it allows no more evictions than before',
    ]);
  });

  test('only a PodDisruptionBudget: another kind\'s minAvailable is not a budget', () => {
    const quota = (minAvailable: number): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Quota', metadata: { name: 'web' }, spec: { minAvailable } });
    expect(dips([quota(2)], [quota(1)])).toEqual([]);
    const growing = (spec: KubeObject): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Quota', metadata: { name: 'web' }, spec });
    expect(dips([growing({})], [growing({ minAvailable: 1 })])).toEqual([]);
  });
});

describe('objects a pruning apply deletes', () => {
  test('a core claim: its data, with the command that keeps it', () => {
    const claim: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'shop' }, spec: {} };
    expect(dips([claim], [])).toEqual([
      '! data PersistentVolumeClaim/data (shop): a pruning apply deletes the claim, and its volume\'s data with it unless the volume\'s reclaim policy is Retain: back it up first, or keep the claim with `kubectl annotate pvc data -n shop kubectl.kubernetes.io/last-applied-configuration-`',
    ]);
  });

  test('another group\'s kind of that name holds no volume', () => {
    expect(dips([{ apiVersion: 'example.com/v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' } }], [])).toEqual([]);
  });

  test.each<[string, KubeObject]>([
    ['"undefined"', { apiVersion: 'v1', kind: 'PersistentVolumeClaim' }],
    ['', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: '', namespace: 'shop' } }],
    ['"7"', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 7 } }],
  ])('a claim without a name (shown %s) gets no command: `kubectl annotate pvc undefined` would unprotect another claim', (shown, claim) => {
    const namespace = claim.metadata?.namespace ? ` (${claim.metadata.namespace})` : '';
    expect(dips([claim], [])).toEqual([
      `! data PersistentVolumeClaim/${shown}${namespace}: a pruning apply deletes the claim, and its volume's data with it unless the volume's reclaim policy is Retain: back it up first, or keep the claim with (no kubectl command: the object has no name)`,
    ]);
  });

  test.each<[string, KubeObject | undefined, string]>([
    ['every label of its matchLabels', { selector: { matchLabels: { component: 'web', tier: 'front' } } }, 'component=web,tier=front'],
    ['"its pods" without matchLabels', { selector: { matchExpressions: [{ key: 'component', operator: 'Exists' }] } }, 'its pods'],
    ['"its pods" without a selector', { maxUnavailable: 1 }, 'its pods'],
    ['"its pods" without a spec', undefined, 'its pods'],
  ])('a budget that goes names %s', (_, spec, pods) => {
    const budget: KubeObject = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, ...(spec ? { spec } : {}) };
    expect(dips([budget], [])).toEqual([`! dip PodDisruptionBudget/web: the disruption budget goes: a node drain may evict every pod of ${pods} at once`]);
  });
});
