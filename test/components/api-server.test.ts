import * as kplus from 'cdk8s-plus-27';
import { ApiServer, ApiServerProps } from '../../lib/components/api-server';
import { Postgres } from '../../lib/components/postgres';
import { Redis } from '../../lib/components/redis';
import { Scale } from '../../lib/components/scale';
import { containerOf, envOf, find, synthIn } from '../helpers';

/** The server with the real providers beside it, in a small chart. */
function server(props: Partial<ApiServerProps> = {}) {
  let construct!: ApiServer;
  let postgres!: Postgres;
  let redis!: Redis;
  const objects = synthIn((chart) => {
    postgres = new Postgres(chart, 'Postgres');
    redis = new Redis(chart, 'Redis');
    construct = new ApiServer(chart, 'Server', { image: 'acme/multi-server:abc', postgres, redis, ...props });
  });
  const deployment = find(objects, 'Deployment', 'server-deployment');
  return { construct, postgres, redis, objects, deployment, container: containerOf(deployment) };
}

describe('ApiServer', () => {
  test('is the course\'s server-deployment: 3 pods by default, of container server on port 5000, with the image given', () => {
    const { deployment, container } = server();
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.selector.matchLabels).toEqual({ component: 'server' });
    expect(container.name).toBe('server');
    expect(container.image).toBe('acme/multi-server:abc');
    expect(container.ports).toEqual([{ containerPort: 5000, name: 'http' }]);
  });

  test('server-cluster-ip-service routes 5000 to the server pods; host, port and selector are typed members', () => {
    const { objects, construct } = server();
    const service = find(objects, 'Service', 'server-cluster-ip-service');
    expect(service.spec.selector).toEqual({ component: 'server' });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 5000, targetPort: 5000 }]);
    expect([construct.host, construct.port, construct.podSelector]).toEqual(['server-cluster-ip-service', 5000, { component: 'server' }]);
  });

  test('gets exactly the env server/keys.js reads, every value a string, the password from the Secret', () => {
    expect(envOf(server().container)).toEqual({
      REDIS_HOST: 'redis-cluster-ip-service',
      REDIS_PORT: '6379',
      PGUSER: 'postgres',
      PGHOST: 'postgres-cluster-ip-service',
      PGPORT: '5432',
      PGDATABASE: 'postgres',
      PGPASSWORD: { secretKeyRef: { name: 'pgpassword', key: 'PGPASSWORD' } },
    });
  });

  test('its env is exactly what its providers hand it, and a scale of its own is honoured', () => {
    const readyCheck = { name: 'wait-for-db', image: 'db:1', command: ['db-ready'] };
    const objects = synthIn((chart) => new ApiServer(chart, 'Server', {
      image: 'x/multi-server:1',
      postgres: { clientEnv: { PGHOST: kplus.EnvValue.fromValue('db.example') }, readyCheck },
      redis: { clientEnv: { REDIS_HOST: kplus.EnvValue.fromValue('cache.example') } },
      scale: Scale.fixed(2),
    }));
    const deployment = find(objects, 'Deployment', 'server-deployment');
    expect(envOf(containerOf(deployment))).toEqual({ PGHOST: 'db.example', REDIS_HOST: 'cache.example' });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.initContainers.map((c: any) => [c.name, c.image, c.command])).toEqual([['wait-for-db', 'db:1', ['db-ready']]]);
  });

  test('autoscaled with availability: an autoscaler over the bounds, a disruption budget, no replicas of its own', () => {
    const { deployment, objects } = server({ scale: Scale.autoscaled({ min: 3, max: 6 }), availability: true });
    expect(deployment.spec.replicas).toBeUndefined();
    expect(find(objects, 'HorizontalPodAutoscaler', 'server-deployment').spec).toMatchObject({ minReplicas: 3, maxReplicas: 6 });
    expect(find(objects, 'PodDisruptionBudget', 'server-disruption-budget').spec.selector.matchLabels).toEqual({ component: 'server' });
  });

  test('runs as node (1000) with HOME and /tmp writable for npm', () => {
    const { deployment, container } = server();
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(container.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/home/node', '/tmp']);
  });

  test('probes GET / on 5000 (answers "Hi"); liveness is more patient than readiness', () => {
    const { container } = server();
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/', port: 5000, scheme: 'HTTP' });
    }
    const patience = (p: any) => p.periodSeconds * p.failureThreshold;
    expect(patience(container.livenessProbe)).toBeGreaterThan(patience(container.readinessProbe));
  });
});

describe('ApiServer start order', () => {
  test('starts only once postgres accepts connections: an init container runs the Postgres construct\'s ready check', () => {
    const { deployment, postgres } = server();
    const [init] = deployment.spec.template.spec.initContainers;
    expect(deployment.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual([postgres.readyCheck.name]);
    expect(init.image).toBe(postgres.readyCheck.image);
    expect(init.command).toEqual(postgres.readyCheck.command);
  });

  test('the init container is hardened like every container: restricted security context and its own small resources', () => {
    const { deployment, container } = server();
    const [init] = deployment.spec.template.spec.initContainers;
    expect(init.securityContext).toEqual(container.securityContext);
    expect(init.securityContext.capabilities).toEqual({ drop: ['ALL'] });
    expect(init.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } });
  });
});
