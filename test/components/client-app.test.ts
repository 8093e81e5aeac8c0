import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ClientApp, ClientAppProps } from '../../lib/components/client-app';
import { Scale } from '../../lib/components/scale';
import { containerOf, find, synthIn } from '../helpers';

function client(props: Partial<ClientAppProps> = {}) {
  let construct!: ClientApp;
  const objects = synthIn((chart) => { construct = new ClientApp(chart, 'Client', { image: 'acme/multi-client:abc', ...props }); });
  const deployment = find(objects, 'Deployment', 'client-deployment');
  return { construct, objects, deployment, container: containerOf(deployment) };
}

describe('ClientApp', () => {
  test('is the course\'s client-deployment: 3 pods by default, of container client on port 3000, with the image given', () => {
    const { deployment, container } = client();
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.selector.matchLabels).toEqual({ component: 'web' });
    expect(container.name).toBe('client');
    expect(container.image).toBe('acme/multi-client:abc');
    expect(container.ports).toEqual([{ containerPort: 3000, name: 'http' }]);
  });

  test('client-cluster-ip-service routes 3000 to the client pods; host, port and Service are typed members', () => {
    const { construct, objects } = client();
    const service = find(objects, 'Service', 'client-cluster-ip-service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual({ component: 'web' });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 3000 }]);
    expect([construct.service.name, construct.host, construct.port]).toEqual(['client-cluster-ip-service', 'client-cluster-ip-service', 3000]);
    expect(construct.podSelector).toEqual({ component: 'web' });
  });

  test('runs as the nginx image\'s user 101 with its cache and pid directories writable', () => {
    const { deployment, container } = client();
    expect(deployment.spec.template.spec.securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101, fsGroup: 101 });
    expect(container.volumeMounts.map((m: any) => m.mountPath).sort()).toEqual(['/var/cache/nginx', '/var/run']);
  });

  test('probes GET / on 3000; liveness is more patient than readiness', () => {
    const { container } = client();
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/', port: 3000, scheme: 'HTTP' });
    }
    const patience = (p: any) => p.periodSeconds * p.failureThreshold;
    expect(patience(container.livenessProbe)).toBeGreaterThan(patience(container.readinessProbe));
    expect(patience(container.startupProbe)).toBeGreaterThanOrEqual(30);
  });

  test('its own scale, availability and resources are honoured', () => {
    const resources = { cpu: { request: kplus.Cpu.millis(20), limit: kplus.Cpu.millis(40) }, memory: { request: Size.mebibytes(10), limit: Size.mebibytes(20) } };
    const { deployment, container, objects } = client({ scale: Scale.fixed(2), availability: true, resources });
    expect(deployment.spec.replicas).toBe(2);
    expect(find(objects, 'PodDisruptionBudget', 'client-disruption-budget').spec.selector).toEqual({ matchLabels: { component: 'web' } });
    expect(container.resources).toEqual({ requests: { cpu: '20m', memory: '10Mi' }, limits: { cpu: '40m', memory: '20Mi' } });
  });
});
