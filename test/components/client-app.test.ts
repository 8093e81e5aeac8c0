import { containerOf, defaultChart, defaultObjects, find, SHA } from '../helpers';

const objects = defaultObjects();
const deployment = find(objects, 'Deployment', 'client-deployment');
const container = containerOf(deployment);

describe('ClientApp', () => {
  test('is the course\'s client-deployment: 3 replicas of container client on port 3000', () => {
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.selector.matchLabels).toEqual({ component: 'web' });
    expect(container.name).toBe('client');
    expect(container.image).toBe(`stephengrider/multi-client:${SHA}`);
    expect(container.ports).toEqual([{ containerPort: 3000, name: 'http' }]);
  });

  test('client-cluster-ip-service routes 3000 to the client pods', () => {
    const service = find(objects, 'Service', 'client-cluster-ip-service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual({ component: 'web' });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 3000 }]);
    expect(defaultChart().client.service.name).toBe('client-cluster-ip-service');
    expect(defaultChart().client.port).toBe(3000);
  });

  test('runs as the nginx image\'s user 101 with its cache and pid directories writable', () => {
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101, fsGroup: 101 });
    expect(container.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/var/cache/nginx', '/var/run']);
  });

  test('probes GET / on 3000; liveness is more patient than readiness', () => {
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/', port: 3000, scheme: 'HTTP' });
    }
    expect(container.livenessProbe).not.toEqual(container.readinessProbe);
    const patience = (p: any) => p.periodSeconds * p.failureThreshold;
    expect(patience(container.livenessProbe)).toBeGreaterThan(patience(container.readinessProbe));
  });
});
