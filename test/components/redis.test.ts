import { REDIS_IMAGE } from '../../lib/components/redis';
import { containerOf, defaultChart, defaultObjects, find } from '../helpers';

const objects = defaultObjects();
const deployment = find(objects, 'Deployment', 'redis-deployment');
const container = containerOf(deployment);

describe('Redis', () => {
  test('is the course\'s redis-deployment: 1 replica of container redis, official image at a pinned version', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.selector.matchLabels).toEqual({ component: 'redis' });
    expect(container.name).toBe('redis');
    expect(container.image).toBe(REDIS_IMAGE);
    expect(REDIS_IMAGE).toMatch(/^redis:\d+\.\d+\.\d+$/);
    expect(container.ports).toEqual([{ containerPort: 6379, name: 'redis' }]);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate', rollingUpdate: null });
  });

  test('redis-cluster-ip-service routes 6379; host and port are typed members', () => {
    const service = find(objects, 'Service', 'redis-cluster-ip-service');
    expect(service.spec.selector).toEqual({ component: 'redis' });
    expect(service.spec.ports).toEqual([{ name: 'redis', port: 6379, targetPort: 6379 }]);
    const redis = defaultChart().redis;
    expect(redis.host).toBe('redis-cluster-ip-service');
    expect(redis.port).toBe(6379);
  });

  test('runs as the image\'s redis user 999 with /data writable for its snapshots', () => {
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(container.volumeMounts).toEqual([{ mountPath: '/data', name: 'data' }]);
  });

  test('probes with redis-cli ping; liveness is more patient than readiness', () => {
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      expect(probe.exec.command).toEqual(['redis-cli', 'ping']);
    }
    expect(container.livenessProbe.periodSeconds * container.livenessProbe.failureThreshold)
      .toBeGreaterThan(container.readinessProbe.periodSeconds * container.readinessProbe.failureThreshold);
  });
});
