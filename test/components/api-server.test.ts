import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ApiServer } from '../../lib/components/api-server';
import { Scale } from '../../lib/components/scale';
import { containerOf, defaultChart, defaultObjects, envOf, find, podCount, SHA } from '../helpers';

const objects = defaultObjects();
const deployment = find(objects, 'Deployment', 'server-deployment');
const container = containerOf(deployment);

describe('ApiServer', () => {
  test('is the course\'s server-deployment: 3 pods (autoscaled 3-6) of container server on port 5000', () => {
    expect(podCount(objects, deployment)).toBe(3);
    expect(find(objects, 'HorizontalPodAutoscaler', 'server-deployment').spec).toMatchObject({ minReplicas: 3, maxReplicas: 6 });
    expect(find(objects, 'PodDisruptionBudget', 'server-disruption-budget').spec.selector.matchLabels).toEqual({ component: 'server' });
    expect(deployment.spec.selector.matchLabels).toEqual({ component: 'server' });
    expect(container.name).toBe('server');
    expect(container.image).toBe(`stephengrider/multi-server:${SHA}`);
    expect(container.ports).toEqual([{ containerPort: 5000, name: 'http' }]);
  });

  test('server-cluster-ip-service routes 5000 to the server pods', () => {
    const service = find(objects, 'Service', 'server-cluster-ip-service');
    expect(service.spec.selector).toEqual({ component: 'server' });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 5000, targetPort: 5000 }]);
  });

  test('gets exactly the env server/keys.js reads, every value a string, the password from the Secret', () => {
    expect(envOf(container)).toEqual({
      REDIS_HOST: 'redis-cluster-ip-service',
      REDIS_PORT: '6379',
      PGUSER: 'postgres',
      PGHOST: 'postgres-cluster-ip-service',
      PGPORT: '5432',
      PGDATABASE: 'postgres',
      PGPASSWORD: { secretKeyRef: { name: 'pgpassword', key: 'PGPASSWORD' } },
    });
  });

  test('derives the env from the Postgres and Redis constructs it is given, not from retyped strings', () => {
    const chart = defaultChart();
    const env = envOf(containerOf(find(chart.toJson(), 'Deployment', 'server-deployment')));
    expect(env.REDIS_HOST).toBe(chart.redis.host);
    expect(env.REDIS_PORT).toBe(String(chart.redis.port));
    expect(env.PGHOST).toBe(chart.postgres.host);
    expect(env.PGPORT).toBe(String(chart.postgres.port));
    expect(env.PGUSER).toBe(chart.postgres.user);
    expect(env.PGDATABASE).toBe(chart.postgres.database);
    expect(env.PGPASSWORD).toEqual({ secretKeyRef: { name: chart.postgres.passwordSecret.secret.name, key: chart.postgres.passwordSecret.key } });
  });

  test('runs as node (1000) with HOME and /tmp writable for npm', () => {
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(container.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/home/node', '/tmp']);
  });

  test('probes GET / on 5000 (answers "Hi"); liveness is not a copy of readiness', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/', port: 5000, scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/', port: 5000, scheme: 'HTTP' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/', port: 5000, scheme: 'HTTP' });
    expect(container.livenessProbe).not.toEqual(container.readinessProbe);
  });
});

describe('ApiServer with its own props', () => {
  test('its env is exactly what its providers hand it, and a scale of its own is honoured', () => {
    const chart = new Chart(Testing.app(), 'c');
    new ApiServer(chart, 'Server', {
      image: 'x/multi-server:1',
      postgres: { clientEnv: { PGHOST: kplus.EnvValue.fromValue('db.example') }, readyCheck: { name: 'wait-for-db', image: 'db:1', command: ['db-ready'] } },
      redis: { clientEnv: { REDIS_HOST: kplus.EnvValue.fromValue('cache.example') } },
      scale: Scale.fixed(2),
    });
    const deployment = chart.toJson().find((o: any) => o.kind === 'Deployment');
    expect(envOf(containerOf(deployment))).toEqual({ PGHOST: 'db.example', REDIS_HOST: 'cache.example' });
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.template.spec.initContainers.map((c: any) => [c.name, c.image, c.command])).toEqual([['wait-for-db', 'db:1', ['db-ready']]]);
  });
});

describe('ApiServer start order', () => {
  const server = find(objects, 'Deployment', 'server-deployment');
  const [init] = server.spec.template.spec.initContainers;

  test('starts only once postgres accepts connections: an init container runs the Postgres construct\'s ready check', () => {
    const { postgres } = defaultChart();
    expect(server.spec.template.spec.initContainers.map((c: any) => c.name)).toEqual([postgres.readyCheck.name]);
    expect(init.image).toBe(postgres.readyCheck.image);
    expect(init.command).toEqual(postgres.readyCheck.command);
  });

  test('the init container is hardened like every container: restricted security context and its own small resources', () => {
    const main = containerOf(server);
    expect(init.securityContext).toEqual(main.securityContext);
    expect(init.resources).toEqual({ requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } });
  });
});
