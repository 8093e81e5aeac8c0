import * as kplus from 'cdk8s-plus-27';
import { Scale } from '../../lib/components/scale';
import { Worker, WorkerProps } from '../../lib/components/worker';
import { containerOf, envOf, find, synthIn } from '../helpers';

const redis = { clientEnv: { REDIS_HOST: kplus.EnvValue.fromValue('cache'), REDIS_PORT: kplus.EnvValue.fromValue('6380') } };

function worker(props: Partial<WorkerProps> = {}) {
  let construct!: Worker;
  const objects = synthIn((chart) => { construct = new Worker(chart, 'Worker', { image: 'acme/multi-worker:abc', redis, ...props }); });
  const deployment = find(objects, 'Deployment', 'worker-deployment');
  return { construct, objects, deployment, container: containerOf(deployment) };
}

describe('Worker', () => {
  test('is the course\'s worker-deployment: 1 pod by default, container worker, no port and no Service', () => {
    const { deployment, container, objects } = worker();
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.selector.matchLabels).toEqual({ component: 'worker' });
    expect(container.name).toBe('worker');
    expect(container.image).toBe('acme/multi-worker:abc');
    expect(container.ports).toBeUndefined();
    expect(objects.filter((o) => o.kind === 'Service')).toEqual([]);
  });

  test('its env is exactly the Redis client env it is given', () => {
    expect(envOf(worker().container)).toEqual({ REDIS_HOST: 'cache', REDIS_PORT: '6380' });
  });

  test('has no probe: it serves nothing a probe could ask', () => {
    const { container } = worker();
    expect(container.livenessProbe).toBeUndefined();
    expect(container.readinessProbe).toBeUndefined();
    expect(container.startupProbe).toBeUndefined();
  });

  test('runs as node (1000) with HOME and /tmp writable for npm', () => {
    const { deployment, container } = worker();
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(container.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/home/node', '/tmp']);
  });

  test('autoscaled up to four pods with availability: an autoscaler, a disruption budget and a spread', () => {
    const { deployment, objects, construct } = worker({ scale: Scale.autoscaled({ min: 1, max: 4 }), availability: true });
    expect(deployment.spec.replicas).toBeUndefined();
    expect(find(objects, 'HorizontalPodAutoscaler', 'worker-deployment').spec).toMatchObject({ minReplicas: 1, maxReplicas: 4 });
    expect(find(objects, 'PodDisruptionBudget', 'worker-disruption-budget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { component: 'worker' } } });
    expect(deployment.spec.template.spec.topologySpreadConstraints.map((c: any) => c.labelSelector)).toEqual([{ matchLabels: construct.podSelector }]);
  });
});
