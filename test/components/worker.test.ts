import { containerOf, defaultObjects, envOf, find, podCount, SHA } from '../helpers';

const objects = defaultObjects();
const deployment = find(objects, 'Deployment', 'worker-deployment');
const container = containerOf(deployment);

describe('Worker', () => {
  test('is the course\'s worker-deployment: 1 pod, scaled alone on CPU up to 4, container worker, no port, no Service', () => {
    expect(deployment.spec.replicas).toBeUndefined();
    expect(podCount(objects, deployment)).toBe(1);
    expect(find(objects, 'HorizontalPodAutoscaler', 'worker-deployment').spec).toMatchObject({ minReplicas: 1, maxReplicas: 4 });
    // It may run four pods, so a drain must take them one at a time, and they spread across nodes.
    expect(find(objects, 'PodDisruptionBudget', 'worker-disruption-budget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { component: 'worker' } } });
    expect(deployment.spec.template.spec.topologySpreadConstraints[0].labelSelector).toEqual({ matchLabels: { component: 'worker' } });
    expect(deployment.spec.selector.matchLabels).toEqual({ component: 'worker' });
    expect(container.name).toBe('worker');
    expect(container.image).toBe(`stephengrider/multi-worker:${SHA}`);
    expect(container.ports).toBeUndefined();
    expect(objects.filter((o) => o.kind === 'Service' && o.spec.selector?.component === 'worker')).toEqual([]);
  });

  test('gets exactly the env worker/keys.js reads', () => {
    expect(envOf(container)).toEqual({ REDIS_HOST: 'redis-cluster-ip-service', REDIS_PORT: '6379' });
  });

  test('has no probe: it serves nothing a probe could ask', () => {
    expect(container.livenessProbe).toBeUndefined();
    expect(container.readinessProbe).toBeUndefined();
    expect(container.startupProbe).toBeUndefined();
  });

  test('runs as node (1000) with HOME and /tmp writable for npm', () => {
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(container.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/home/node', '/tmp']);
  });
});
