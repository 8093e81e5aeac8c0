import { Chart, Testing } from 'cdk8s';
import { ApiServer } from '../../lib/components/api-server';
import { ClientApp } from '../../lib/components/client-app';
import { IngressNginx } from '../../lib/components/ingress-nginx';
import { Postgres } from '../../lib/components/postgres';
import { Redis } from '../../lib/components/redis';
import { defaultObjects, find } from '../helpers';

const ingress = find(defaultObjects(), 'Ingress', 'ingress-service');

describe('IngressNginx', () => {
  test('is ingress-service for the nginx class, with the regex and rewrite annotations', () => {
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.metadata.annotations).toEqual({
      // What the validator must know of it (chart.ts annotateForValidator), besides the controller's.
      'accept-policy.multi-k8s.dev/ingress-tls': expect.stringMatching(/^TLS is not configurable yet/),
      'nginx.ingress.kubernetes.io/use-regex': 'true',
      'nginx.ingress.kubernetes.io/rewrite-target': '/$1',
    });
  });

  test('routes /?(.*) to the client on 3000 and /api/?(.*) to the server on 5000, as ImplementationSpecific', () => {
    const paths = ingress.spec.rules.flatMap((rule: any) => rule.http.paths);
    expect(ingress.spec.rules).toHaveLength(1);
    expect(ingress.spec.rules[0].host).toBeUndefined();
    expect(paths).toEqual(expect.arrayContaining([
      { path: '/?(.*)', pathType: 'ImplementationSpecific', backend: { service: { name: 'client-cluster-ip-service', port: { number: 3000 } } } },
      { path: '/api/?(.*)', pathType: 'ImplementationSpecific', backend: { service: { name: 'server-cluster-ip-service', port: { number: 5000 } } } },
    ]));
    expect(paths).toHaveLength(2);
  });

  test('takes its backends from the ClientApp and ApiServer it is given', () => {
    const chart = new Chart(Testing.app(), 'c');
    const client = new ClientApp(chart, 'Client', { image: 'c:1' });
    const server = new ApiServer(chart, 'Server', { image: 's:1', postgres: new Postgres(chart, 'Pg'), redis: new Redis(chart, 'Redis') });
    const ing = new IngressNginx(chart, 'Ingress', { client, server, className: 'nginx-internal' });
    const json = chart.toJson().find((o: any) => o.kind === 'Ingress');
    expect(json.spec.ingressClassName).toBe('nginx-internal');
    const backends = json.spec.rules[0].http.paths.map((p: any) => p.backend.service);
    expect(backends).toEqual(expect.arrayContaining([
      { name: client.service.name, port: { number: client.port } },
      { name: server.service.name, port: { number: server.port } },
    ]));
    expect(ing.ingress.name).toBe('ingress-service');
  });

  test('an invalid IngressClass name is refused with the allowed form', () => {
    const chart = new Chart(Testing.app(), 'c');
    const client = new ClientApp(chart, 'Client', { image: 'c:1' });
    const server = new ApiServer(chart, 'Server', { image: 's:1', postgres: new Postgres(chart, 'Pg'), redis: new Redis(chart, 'Redis') });
    expect(() => new IngressNginx(chart, 'Ingress', { client, server, className: 'Nginx_Class' }))
      .toThrow('IngressNginx className "Nginx_Class" is not a valid IngressClass name: allowed are lowercase a-z 0-9 - . (DNS subdomain)');
  });
});
