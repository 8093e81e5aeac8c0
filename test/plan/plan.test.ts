import { changedPaths } from '../../lib/plan/field-diff';
import { formatPlan, KubeObject, planChanges, planExitCode } from '../../lib/plan/plan';
import { closeCommandOf } from '../../lib/program/ownership';
import { courseObjects, defaultObjects, find } from '../helpers';

const clone = (objects: readonly KubeObject[]) => structuredClone(objects) as KubeObject[];
const lines = (before: readonly KubeObject[], after: readonly KubeObject[]) => formatPlan(planChanges(before, after, { closeCommand: closeCommandOf }));
const warnings = (before: readonly KubeObject[], after: readonly KubeObject[]) => lines(before, after).filter((l) => l.startsWith('! '));

function deployment(name: string, spec: KubeObject = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
    spec: { selector: { matchLabels: { component: name } }, template: { metadata: { labels: { component: name } }, spec: { containers: [{ name, image: 'x:1' }] } }, ...spec },
  };
}

function autoscaler(name: string, min: number, max: number): KubeObject {
  return { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: min, maxReplicas: max } };
}

describe('field paths', () => {
  test('containers and env are matched by name, so a changed image names its container', () => {
    const before = deployment('server');
    const after = structuredClone(before);
    after.spec.template.spec.containers[0].image = 'x:2';
    expect(changedPaths(before, after)).toEqual(['spec.template.spec.containers[server].image']);
  });

  test('a list item that appears is one path under its name; a reordered list says so', () => {
    const before = deployment('server');
    before.spec.template.spec.containers[0].env = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }];
    const added = structuredClone(before);
    added.spec.template.spec.containers[0].env.push({ name: 'C', value: '3' });
    expect(changedPaths(before, added)).toEqual(['spec.template.spec.containers[server].env[C]']);
    const reordered = structuredClone(before);
    reordered.spec.template.spec.containers[0].env.reverse();
    expect(changedPaths(before, reordered)).toEqual(['spec.template.spec.containers[server].env (order)']);
  });

  test('label keys with dots and slashes are quoted; a subtree that appears is one path', () => {
    const before = deployment('server');
    const after = structuredClone(before);
    after.metadata.labels = { 'app.kubernetes.io/instance': 'prod' };
    after.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } };
    expect(changedPaths(before, after)).toEqual(['metadata.labels', 'spec.strategy']);
    const relabelled = structuredClone(after);
    relabelled.metadata.labels['app.kubernetes.io/instance'] = 'dev';
    expect(changedPaths(after, relabelled)).toEqual(['metadata.labels["app.kubernetes.io/instance"]']);
  });

  test('what the API server writes itself (status, uid, resourceVersion, the last-applied annotation) is no change', () => {
    const manifest = deployment('server');
    const live = structuredClone(manifest);
    live.metadata = { ...live.metadata, uid: 'u', resourceVersion: '7', generation: 3, creationTimestamp: 't', managedFields: [{}], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '4' } };
    live.status = { replicas: 3 };
    expect(changedPaths(live, manifest)).toEqual([]);
  });

  test('a plain list (container args) is one field', () => {
    const before = deployment('server');
    before.spec.template.spec.containers[0].args = ['a', 'b'];
    const after = structuredClone(before);
    after.spec.template.spec.containers[0].args = ['a', 'c'];
    expect(changedPaths(before, after)).toEqual(['spec.template.spec.containers[server].args']);
  });
});

describe('secret values are never printed', () => {
  const secret = (data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pgpassword' }, data });

  test('a changed, added or removed Secret key prints its name and "(value hidden)", never the value', () => {
    const before = [secret({ PGPASSWORD: 'b2xkLXNlY3JldA==', OLDKEY: 'Z29uZS12YWx1ZQ==' })];
    const after = [secret({ PGPASSWORD: 'bmV3LXNlY3JldA==', NEWKEY: 'YWRkZWQtdmFsdWU=' })];
    const output = lines(before, after).join('\n');
    expect(output).toBe('~ Secret/pgpassword: data.NEWKEY (value hidden), data.OLDKEY (value hidden), data.PGPASSWORD (value hidden)');
    for (const value of ['b2xkLXNlY3JldA==', 'bmV3LXNlY3JldA==', 'Z29uZS12YWx1ZQ==', 'YWRkZWQtdmFsdWU=']) expect(output).not.toContain(value);
  });

  test('ConfigMap values are hidden the same way; kubectl diff\'s masks compare as values', () => {
    const configMap = (value: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { 'app.conf': value } });
    expect(lines([configMap('*** (before)')], [configMap('*** (after)')])).toEqual(['~ ConfigMap/settings: data["app.conf"] (value hidden)']);
  });
});

describe('object lines', () => {
  test('one line per object added (+), removed (-) or changed (~), in a stable order', () => {
    const before = [deployment('server'), deployment('worker'), autoscaler('worker', 1, 4)];
    const after = [deployment('server', { replicas: 2 }), deployment('client'), autoscaler('worker', 1, 4)];
    expect(lines(before, after).filter((l) => !l.startsWith('!'))).toEqual([
      '+ Deployment/client',
      '~ Deployment/server: spec.replicas',
      '- Deployment/worker',
    ]);
  });

  test('objects are the same by group, kind, namespace and name: a new API version is a change, another namespace another object', () => {
    const before = [{ ...autoscaler('server', 3, 6), apiVersion: 'autoscaling/v1' }, { ...deployment('server'), metadata: { name: 'server', namespace: 'pr-1' } }];
    const after = [autoscaler('server', 3, 6), { ...deployment('server'), metadata: { name: 'server', namespace: 'pr-2' } }];
    expect(lines(before, after)).toEqual([
      '- Deployment/server (pr-1)',
      '+ Deployment/server (pr-2)',
      '~ HorizontalPodAutoscaler/server: apiVersion',
    ]);
  });

  test('exit code 0 when nothing differs, 1 when something does', () => {
    const objects = defaultObjects();
    expect(planExitCode(planChanges(objects, clone(objects)))).toBe(0);
    expect(formatPlan(planChanges(objects, clone(objects)))).toEqual([]);
    expect(planExitCode(planChanges(objects, defaultObjects({ ENVIRONMENT: 'dev' })))).toBe(1);
  });
});

describe('changes an apply cannot make in place', () => {
  test('a Deployment selector: delete and re-create', () => {
    const before = [deployment('postgres')];
    const after = clone(before);
    after[0].spec.selector.matchLabels = { app: 'postgres' };
    expect(warnings(before, after)).toEqual([
      '! replace Deployment/postgres: spec.selector is immutable: run `kubectl delete deployment postgres`, then apply (its pods stop until the new ones are ready)',
    ]);
  });

  test('the namespace goes into the command', () => {
    const before = [{ ...deployment('postgres'), metadata: { name: 'postgres', namespace: 'pr-12' } }];
    const after = clone(before);
    after[0].spec.selector.matchLabels = { app: 'postgres' };
    expect(warnings(before, after)[0]).toContain('`kubectl delete deployment postgres -n pr-12`');
  });

  const claim = (spec: KubeObject): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, ...spec } });

  test('a claim: another access mode or a smaller size needs a new claim; a larger size does not', () => {
    expect(warnings([claim({})], [claim({ accessModes: ['ReadWriteMany'] })])).toEqual([
      '! replace PersistentVolumeClaim/data: spec.accessModes cannot change on a claim: copy its data out, run `kubectl delete persistentvolumeclaim data` (its volume and data go too unless the volume\'s reclaim policy is Retain), then apply and restore',
    ]);
    expect(warnings([claim({})], [claim({ resources: { requests: { storage: '1Gi' } } })])[0]).toContain('spec.resources.requests.storage (smaller) cannot change on a claim');
    expect(warnings([claim({})], [claim({ resources: { requests: { storage: '5Gi' } } })])).toEqual([]);
  });

  test('a claim that names the default volumeMode (the course\'s did not) changes nothing live', () => {
    expect(warnings([claim({})], [claim({ volumeMode: 'Filesystem' })])).toEqual([]);
    expect(warnings([claim({})], [claim({ volumeMode: 'Block' })])[0]).toContain('spec.volumeMode cannot change on a claim');
  });

  test('a Service clusterIP: delete and re-create; its type alone changes in place', () => {
    const service = (spec: KubeObject): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { ports: [{ port: 5432 }], ...spec } });
    expect(warnings([service({ clusterIP: '10.0.0.7' })], [service({ clusterIP: 'None' })])).toEqual([
      '! replace Service/db: spec.clusterIP is immutable once assigned: run `kubectl delete service db`, then apply (the Service is unreachable in between and gets a new address)',
    ]);
    expect(warnings([service({ type: 'ClusterIP' })], [service({ type: 'NodePort' })])).toEqual([]);
  });

  test('a StatefulSet\'s volumeClaimTemplates: re-create it, orphaning its pods; its template changes in place', () => {
    const set = (size: string, image: string): KubeObject => ({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
      spec: { serviceName: 'db', template: { spec: { containers: [{ name: 'db', image }] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: size } } } }] },
    });
    expect(warnings([set('1Gi', 'a')], [set('2Gi', 'a')])).toEqual([
      '! replace StatefulSet/db: spec.volumeClaimTemplates cannot change on a StatefulSet: run `kubectl delete statefulset db --cascade=orphan`, then apply (the pods keep running and the new StatefulSet adopts them; existing claims keep their size)',
    ]);
    expect(warnings([set('1Gi', 'a')], [set('1Gi', 'b')])).toEqual([]);
  });

  test('a Job\'s template: delete it and apply again', () => {
    const job = (image: string): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template: { spec: { containers: [{ name: 'm', image }] } } } });
    expect(warnings([job('a')], [job('b')])).toEqual(['! replace Job/migrate: spec.template cannot change on a Job: run `kubectl delete job migrate`, then apply (the Job runs again)']);
  });

  test('an immutable Secret\'s data: delete and re-create, without printing a value', () => {
    const secret = (value: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, immutable: true, data: { KEY: value } });
    const output = warnings([secret('c2VjcmV0LW9uZQ==')], [secret('c2VjcmV0LXR3bw==')]);
    expect(output).toEqual(['! replace Secret/s: data cannot change: the Secret is immutable; run `kubectl delete secret s`, then apply (pods read the new values when they restart: `kubectl rollout restart` their Deployments)']);
  });
});

describe('changes that dip capacity', () => {
  test('replicas handed to an autoscaler: the Deployment drops to 1 pod unless the last-applied replicas goes first', () => {
    const before = [deployment('server', { replicas: 3 })];
    const after = [deployment('server'), autoscaler('server', 3, 6)];
    expect(warnings(before, after)).toEqual([
      '! dip Deployment/server: replicas goes to HorizontalPodAutoscaler/server: the apply removes the replicas the last apply set, so the Deployment drops to 1 pod until the autoscaler scales it back to 3; first run `kubectl apply edit-last-applied deployment/server` and delete its replicas line',
    ]);
  });

  describe('live objects against the server\'s dry run of the apply (--cluster): the annotations say what the apply deletes', () => {
    /** As kubectl diff shows it: live with the last apply's manifest in the annotation, or the dry run with this one's, the replicas the server holds. */
    const withApplied = (object: KubeObject, applied: KubeObject | undefined, replicas: number): KubeObject => ({
      ...object,
      metadata: { ...object.metadata, namespace: 'default', ...(applied ? { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) } } : {}) },
      spec: { ...object.spec, replicas },
    });

    test('replicas the last apply set and this one does not: the dry run shows 1, the dip and its edit-last-applied step are named', () => {
      const live = withApplied(deployment('server', { replicas: 3 }), deployment('server', { replicas: 3 }), 3);
      const merged = withApplied(deployment('server'), deployment('server'), 1);
      const hpa = { ...autoscaler('server', 3, 6), metadata: { name: 'server', namespace: 'default' } };
      expect(warnings([live], [merged, hpa])).toEqual([
        '! dip Deployment/server (default): replicas goes to HorizontalPodAutoscaler/server: the apply removes the replicas the last apply set, so the Deployment drops to 1 pod until the autoscaler scales it back to 3; first run `kubectl apply edit-last-applied deployment/server -n default` and delete its replicas line',
      ]);
      expect(warnings([live], [merged])).toEqual(['! dip Deployment/server (default): replicas is no longer set and no autoscaler takes it: the Deployment drops from 3 pods to 1']);
    });

    test('replicas the last apply did not set (an autoscaler scaled it, or kubectl create made it): the apply keeps them, no dip', () => {
      // The server keeps what the patch does not touch: the dry run shows the live count.
      const scaled = withApplied(deployment('server'), deployment('server'), 5);
      expect(warnings([scaled], [withApplied(deployment('server'), deployment('server'), 5)])).toEqual([]);
      const created = withApplied(deployment('server', { replicas: 3 }), undefined, 3);
      expect(warnings([created], [withApplied(deployment('server'), deployment('server'), 3)])).toEqual([]);
    });

    test('replicas this apply sets too: no dip, whatever the count', () => {
      const live = withApplied(deployment('server', { replicas: 3 }), deployment('server', { replicas: 3 }), 3);
      expect(warnings([live], [withApplied(deployment('server', { replicas: 2 }), deployment('server', { replicas: 2 }), 2)])).toEqual([]);
    });
  });

  test('a single pod handed to an autoscaler of one is no dip', () => {
    expect(warnings([deployment('worker', { replicas: 1 })], [deployment('worker'), autoscaler('worker', 1, 4)])).toEqual([]);
  });

  test('replicas dropped with no autoscaler: down to 1 pod', () => {
    expect(warnings([deployment('client', { replicas: 3 })], [deployment('client')])).toEqual([
      '! dip Deployment/client: replicas is no longer set and no autoscaler takes it: the Deployment drops from 3 pods to 1',
    ]);
  });

  test('an autoscaler removed while replicas appear: the Deployment runs that many at once', () => {
    const before = [deployment('server'), autoscaler('server', 3, 6)];
    const after = [deployment('server', { replicas: 1 })];
    expect(warnings(before, after)).toEqual([
      '! dip Deployment/server: HorizontalPodAutoscaler/server goes and replicas: 1 is set: the Deployment runs 1 pod(s) at once, wherever the autoscaler had it (3 to 6; `kubectl get hpa server` shows how many now)',
    ]);
  });

  test('a disruption budget removed', () => {
    const budget: KubeObject = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { maxUnavailable: 1, selector: { matchLabels: { component: 'web' } } } };
    expect(warnings([budget], [])).toEqual(['! dip PodDisruptionBudget/web: the disruption budget goes: a node drain may evict every pod of component=web at once']);
    const looser = structuredClone(budget);
    looser.spec.maxUnavailable = 2;
    expect(warnings([budget], [looser])).toEqual(['! dip PodDisruptionBudget/web: maxUnavailable rises from 1 to 2: a node drain may evict more pods at once']);
  });

  test('a budget\'s minAvailable: falling is a dip; rising lets fewer pods go, so it says nothing; a switch to maxUnavailable is named', () => {
    const budget = (spec: KubeObject): KubeObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { selector: { matchLabels: { component: 'web' } }, ...spec } });
    const pods = deployment('web', { replicas: 3 });
    expect(warnings([pods, budget({ minAvailable: 2 })], [pods, budget({ minAvailable: 1 })])).toEqual(['! dip PodDisruptionBudget/web: minAvailable falls from 2 to 1: a node drain may evict more pods at once']);
    expect(warnings([pods, budget({ minAvailable: 1 })], [pods, budget({ minAvailable: 2 })])).toEqual([]);
    expect(warnings([pods, budget({ minAvailable: '34%' })], [pods, budget({ minAvailable: 2 })])).toEqual([]); // 34% of 3, rounded up, is 2
    expect(warnings([pods, budget({ minAvailable: 2 })], [pods, budget({ maxUnavailable: 1 })])).toEqual([
      '! dip PodDisruptionBudget/web: the budget switches between minAvailable and maxUnavailable: check that it allows no more evictions than before',
    ]);
  });

  test('only a Service\'s clusterIP is immutable: another core kind carrying spec.clusterIP is not told to be re-created', () => {
    const controller = (clusterIP: string): KubeObject => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'db' }, spec: { clusterIP, replicas: 1 } });
    expect(warnings([controller('10.0.0.7')], [controller('10.0.0.8')])).toEqual([]);
  });

  test('a rollout that may take more pods out: maxUnavailable raised (from its 25% default too), or Recreate', () => {
    const rolling = (maxUnavailable: unknown) => deployment('client', { replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable } } });
    expect(warnings([rolling(0)], [rolling(1)])).toEqual(['! dip Deployment/client: spec.strategy.rollingUpdate.maxUnavailable rises from 0 to 1: a rollout may take more pods out at once']);
    expect(warnings([deployment('client', { replicas: 3 })], [rolling('50%')])).toEqual(['! dip Deployment/client: spec.strategy.rollingUpdate.maxUnavailable rises from 25% to 50%: a rollout may take more pods out at once']);
    expect(warnings([rolling(1)], [rolling(0)])).toEqual([]);
    // 25% of 3 pods, rounded down, is 0: the course's default to an explicit 0 takes nothing more out.
    expect(warnings([deployment('client', { replicas: 3 })], [rolling(0)])).toEqual([]);
    expect(warnings([rolling(0)], [deployment('client', { replicas: 3, strategy: { type: 'Recreate' } })])).toEqual([
      '! dip Deployment/client: the strategy becomes Recreate: every pod stops before the new ones start, on this and every later rollout',
    ]);
  });
});

describe('the app\'s own transitions', () => {
  test('prod -> dev: the autoscalers and budgets go, each named with its dip', () => {
    const output = lines(defaultObjects(), defaultObjects({ ENVIRONMENT: 'dev' }));
    expect(output).toEqual(expect.arrayContaining([
      '- HorizontalPodAutoscaler/server-deployment',
      '- HorizontalPodAutoscaler/worker-deployment',
      '- PodDisruptionBudget/client-disruption-budget',
      expect.stringMatching(/^~ Deployment\/server-deployment: .*spec\.replicas/),
      expect.stringMatching(/^! dip Deployment\/server-deployment: HorizontalPodAutoscaler\/server-deployment goes and replicas: 1 is set/),
      '! dip PodDisruptionBudget/client-disruption-budget: the disruption budget goes: a node drain may evict every pod of component=web at once',
    ]));
    expect(output.filter((l) => l.startsWith('! replace'))).toEqual([]);
  });

  test('dev -> prod: replicas handed to the server\'s autoscaler is named with the edit-last-applied step', () => {
    const output = warnings(defaultObjects({ ENVIRONMENT: 'dev' }), defaultObjects());
    // dev ran one server pod; the autoscaler's floor is 3, so the Deployment sits at 1 until it acts.
    expect(output).toContain('! dip Deployment/server-deployment: replicas goes to HorizontalPodAutoscaler/server-deployment: the apply removes the replicas the last apply set, so the Deployment drops to 1 pod until the autoscaler scales it back to 3; first run `kubectl apply edit-last-applied deployment/server-deployment` and delete its replicas line');
  });

  test('the course\'s k8s/ -> this output: nothing needs re-creating; the server\'s 3 replicas go to its autoscaler', () => {
    const output = lines(courseObjects(), defaultObjects());
    expect(output.filter((l) => l.startsWith('! replace'))).toEqual([]);
    expect(output).toContain('! dip Deployment/server-deployment: replicas goes to HorizontalPodAutoscaler/server-deployment: the apply removes the replicas the last apply set, so the Deployment drops to 1 pod until the autoscaler scales it back to 3; first run `kubectl apply edit-last-applied deployment/server-deployment` and delete its replicas line');
    expect(output.filter((l) => l.startsWith('- '))).toEqual([]);
  });

  test('previews {a, b} -> {b}: a\'s objects are listed as removed, and a close line names the command', () => {
    const output = lines(defaultObjects({ PREVIEWS: 'a,b' }), defaultObjects({ PREVIEWS: 'b' }));
    expect(output).toContain('- Namespace/a');
    expect(output).toContain('- Deployment/server-deployment (a)');
    expect(output.filter((l) => l.includes('(b)'))).toEqual([]);
    // Closing a's namespace removes its claim and pods with it: one close line, not a line per object.
    expect(output.filter((l) => l.startsWith('! ') && !l.startsWith('! close'))).toEqual([]);
    expect(output.filter((l) => l.startsWith('! close'))).toEqual([
      '! close Namespace/a: left the output; a pruning apply leaves other previews alone, so close it with `npm run close-preview -- a`',
    ]);
  });

  test('a Namespace that is not one of the app\'s previews gets no close line', () => {
    const foreign: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-x', labels: { 'app.kubernetes.io/part-of': 'other-app', 'app.kubernetes.io/instance': 'team-x' } } };
    expect(lines([foreign], [])).toEqual(['- Namespace/team-x']);
    const client = find(defaultObjects(), 'Deployment', 'client-deployment');
    expect(lines([client], [client])).toEqual([]);
  });
});

describe('removals the apply does not make', () => {
  const claim: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: {} };
  const budget: KubeObject = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { component: 'web' } } } };

  test('an object the apply does not delete is neither a removal nor warned about, but kept', () => {
    const plan = planChanges([claim, budget, deployment('server')], [deployment('server')], { pruned: (o) => o.kind === 'PodDisruptionBudget' });
    expect(formatPlan(plan)).toEqual([
      '- PodDisruptionBudget/web',
      '! dip PodDisruptionBudget/web: the disruption budget goes: a node drain may evict every pod of component=web at once',
    ]);
    expect(plan.kept).toEqual(['PersistentVolumeClaim/data']);
  });

  test('with nothing deleted, the plan is no difference (exit 0), and the close line of a preview that left stays', () => {
    const before = defaultObjects({ PREVIEWS: 'pr-1,pr-2' });
    const after = defaultObjects({ PREVIEWS: 'pr-1' });
    const plan = planChanges(before, after, { closeCommand: closeCommandOf, pruned: () => false });
    expect(planExitCode(plan)).toBe(0);
    expect(formatPlan(plan)).toEqual([expect.stringMatching(/^! close Namespace\/pr-2: left the output/)]);
    expect(plan.kept).toHaveLength(before.length - after.length);
  });

  test('without the option, everything that left is a removal', () => {
    expect(planChanges([claim], []).changes).toEqual([{ change: '-', object: 'PersistentVolumeClaim/data', paths: [] }]);
    expect(planChanges([claim], []).kept).toEqual([]);
  });
});
