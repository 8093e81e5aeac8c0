import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Redis, REDIS_IMAGE, RedisProps } from '../../lib/components/redis';
import { containerOf, envOf, find, synthIn } from '../helpers';

function redis(props?: RedisProps) {
  let construct!: Redis;
  const objects = synthIn((chart) => { construct = new Redis(chart, 'Redis', props); });
  const deployment = find(objects, 'Deployment', 'redis-deployment');
  return { construct, objects, deployment, container: containerOf(deployment) };
}

describe('Redis', () => {
  test('is the course\'s redis-deployment: one pod of container redis, replaced by Recreate, official image at a pinned version', () => {
    const { deployment, container } = redis();
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.spec.selector.matchLabels).toEqual({ component: 'redis' });
    expect(container.name).toBe('redis');
    expect(container.image).toBe(REDIS_IMAGE);
    expect(REDIS_IMAGE).toMatch(/^redis:\d+\.\d+\.\d+$/);
    expect(container.ports).toEqual([{ containerPort: 6379, name: 'redis' }]);
  });

  test('redis-cluster-ip-service routes 6379; host, port and pod selector are typed members', () => {
    const { construct, objects } = redis();
    const service = find(objects, 'Service', 'redis-cluster-ip-service');
    expect(service.spec.selector).toEqual({ component: 'redis' });
    expect(service.spec.ports).toEqual([{ name: 'redis', port: 6379, targetPort: 6379 }]);
    expect(construct.host).toBe('redis-cluster-ip-service');
    expect(construct.port).toBe(6379);
    expect(construct.podSelector).toEqual({ component: 'redis' });
  });

  test('its client env is REDIS_HOST and REDIS_PORT of its own Service, as the course\'s keys.js reads them', () => {
    const { construct } = redis();
    const env = Object.fromEntries(Object.entries(construct.clientEnv).map(([k, v]) => [k, v.value]));
    expect(env).toEqual({ REDIS_HOST: construct.host, REDIS_PORT: String(construct.port) });
  });

  test('runs as the image\'s redis user 999 with /data writable for its snapshots', () => {
    const { deployment, container } = redis();
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsUser: 999, runAsGroup: 999, fsGroup: 999 });
    expect(container.volumeMounts).toEqual([{ mountPath: '/data', name: 'data' }]);
    expect(envOf(container)).toEqual({});
  });

  test('probes with redis-cli ping; liveness is more patient than readiness', () => {
    const { container } = redis();
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      expect(probe.exec.command).toEqual(['redis-cli', 'ping']);
    }
    const patience = (p: any) => p.periodSeconds * p.failureThreshold;
    expect(patience(container.livenessProbe)).toBeGreaterThan(patience(container.readinessProbe));
    expect(patience(container.startupProbe)).toBeGreaterThanOrEqual(60);
  });

  test('another image and other resources are used as given', () => {
    const resources = { cpu: { request: kplus.Cpu.millis(20), limit: kplus.Cpu.millis(40) }, memory: { request: Size.mebibytes(10), limit: Size.mebibytes(20) } };
    const { container } = redis({ image: 'redis:8.0.1', resources });
    expect(container.image).toBe('redis:8.0.1');
    expect(container.resources).toEqual({ requests: { cpu: '20m', memory: '10Mi' }, limits: { cpu: '40m', memory: '20Mi' } });
  });
});
