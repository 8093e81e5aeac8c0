import * as kplus from 'cdk8s-plus-27';
import { Chart } from 'cdk8s';
import { ApiServer } from '../../lib/components/api-server';
import { ClientApp } from '../../lib/components/client-app';
import { IngressNginx } from '../../lib/components/ingress-nginx';
import { Postgres } from '../../lib/components/postgres';
import { Redis } from '../../lib/components/redis';
import { ProvidedCertificate } from '../../lib/components/tls';
import { defaultObjects, find, synthIn, testApp } from '../helpers';

/** The Ingress in front of a real client and server, in a small chart. */
function ingressFor(props: { className?: string; hosts?: string[] } = {}) {
  const objects = synthIn((chart) => {
    const client = new ClientApp(chart, 'Client', { image: 'c:1' });
    const server = new ApiServer(chart, 'Server', { image: 's:1', postgres: new Postgres(chart, 'Pg'), redis: new Redis(chart, 'Redis') });
    new IngressNginx(chart, 'Ingress', { client, server, ...props });
  });
  return find(objects, 'Ingress', 'ingress-service');
}

describe('IngressNginx', () => {
  test('is ingress-service for the nginx class, with the regex and rewrite annotations', () => {
    const ingress = ingressFor();
    expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/use-regex': 'true',
      'nginx.ingress.kubernetes.io/rewrite-target': '/$1',
    });
  });

  test('routes /?(.*) to the client on 3000 and /api/?(.*) to the server on 5000, as ImplementationSpecific, for any host', () => {
    const ingress = ingressFor();
    const paths = ingress.spec.rules.flatMap((rule: any) => rule.http.paths);
    expect(ingress.spec.rules.map((rule: any) => rule.host)).toEqual([undefined]);
    expect(paths).toEqual(expect.arrayContaining([
      { path: '/?(.*)', pathType: 'ImplementationSpecific', backend: { service: { name: 'client-cluster-ip-service', port: { number: 3000 } } } },
      { path: '/api/?(.*)', pathType: 'ImplementationSpecific', backend: { service: { name: 'server-cluster-ip-service', port: { number: 5000 } } } },
    ]));
    expect(paths).toHaveLength(2);
  });

  test('with a host, both paths answer for that host only', () => {
    const ingress = ingressFor({ hosts: ['pr-1.preview.example.com'] });
    expect(ingress.spec.rules.map((rule: any) => [rule.host, rule.http.paths.map((p: any) => p.path).sort()])).toEqual([
      ['pr-1.preview.example.com', ['/?(.*)', '/api/?(.*)']],
    ]);
  });

  test('takes its backends from the ClientApp and ApiServer it is given', () => {
    const chart = new Chart(testApp(), 'c');
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
    const chart = new Chart(testApp(), 'c');
    const client = new ClientApp(chart, 'Client', { image: 'c:1' });
    const server = new ApiServer(chart, 'Server', { image: 's:1', postgres: new Postgres(chart, 'Pg'), redis: new Redis(chart, 'Redis') });
    expect(() => new IngressNginx(chart, 'Ingress', { client, server, className: 'Nginx_Class' }))
      .toThrow('IngressNginx className "Nginx_Class" is not a valid IngressClass name: allowed are lowercase a-z 0-9 - . (DNS subdomain)');
  });

  describe('with HOSTS (Let\'s Encrypt on)', () => {
    const tls = () => find(defaultObjects({ HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' }), 'Ingress', 'ingress-service');

    test('one rule per host, each with the course\'s two regex paths', () => {
      expect(tls().spec.rules.map((rule: any) => rule.host)).toEqual(['k8s-multi.com', 'www.k8s-multi.com']);
      for (const rule of tls().spec.rules) {
        expect(rule.http.paths.map((p: any) => [p.path, p.pathType, p.backend.service.name])).toEqual([
          ['/?(.*)', 'ImplementationSpecific', 'client-cluster-ip-service'],
          ['/api/?(.*)', 'ImplementationSpecific', 'server-cluster-ip-service'],
        ]);
      }
    });

    test('serves the Certificate\'s Secret for every host and redirects plain HTTP, as the course\'s Ingress', () => {
      expect(tls().spec.tls).toEqual([{ hosts: ['k8s-multi.com', 'www.k8s-multi.com'], secretName: 'k8s-multi-com' }]);
      expect(tls().metadata.annotations).toEqual({
        'nginx.ingress.kubernetes.io/use-regex': 'true',
        'nginx.ingress.kubernetes.io/rewrite-target': '/$1',
        'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
      });
    });

    test('a wildcard host ("*." first, as the API server allows) is served with a wildcard certificate', () => {
      const chart = new Chart(testApp(), 'c');
      const client = new ClientApp(chart, 'Client', { image: 'c:1' });
      const server = new ApiServer(chart, 'Server', { image: 's:1', postgres: new Postgres(chart, 'Pg'), redis: new Redis(chart, 'Redis') });
      new IngressNginx(chart, 'Ingress', { client, server, hosts: ['*.preview.example.com'], tls: new ProvidedCertificate('wildcard-tls', ['*.preview.example.com']) });
      const ingress = find(chart.toJson(), 'Ingress', 'ingress-service');
      expect(ingress.spec.rules.map((rule: any) => rule.host)).toEqual(['*.preview.example.com']);
      expect(ingress.spec.tls).toEqual([{ hosts: ['*.preview.example.com'], secretName: 'wildcard-tls' }]);
    });

    test('a preview with PREVIEW_TLS_SECRET serves its host with the operator\'s wildcard Secret', () => {
      const preview = find(defaultObjects({ PREVIEWS: 'pr-1', PREVIEW_DOMAIN: 'preview.example.com', PREVIEW_TLS_SECRET: 'preview-wildcard' }), 'Ingress', 'ingress-service');
      expect(preview.spec.tls).toEqual([{ hosts: ['pr-1.preview.example.com'], secretName: 'preview-wildcard' }]);
      expect(preview.metadata.annotations['nginx.ingress.kubernetes.io/ssl-redirect']).toBe('true');
    });

    test.each([
      [{ hosts: ['a.example.com', 'b.example.com'], tls: new ProvidedCertificate('a-tls', ['a.example.com']) }, 'IngressNginx host "b.example.com" is not among the certificate\'s hosts (a.example.com)'],
      [{ hosts: [], tls: new ProvidedCertificate('a-tls', ['a.example.com']) }, 'IngressNginx host "*" is not among the certificate\'s hosts'],
      [{ hosts: ['Bad_Host'] }, 'IngressNginx host "Bad_Host" is not a host name'],
      // Every host of the certificate is listed, comma-separated, so the operator sees what it covers.
      [{ hosts: ['b.example.com'], tls: new ProvidedCertificate('a-tls', ['a.example.com', 'c.example.com']) }, 'IngressNginx host "b.example.com" is not among the certificate\'s hosts (a.example.com, c.example.com): allowed are only hosts the certificate covers'],
      // A "*." counts only as the first label.
      [{ hosts: ['example.*.'] }, 'IngressNginx host "example.*." is not a host name'],
    ])('refuses %j', (props, message) => {
      const chart = new Chart(testApp(), 'c');
      const client = new ClientApp(chart, 'Client', { image: 'c:1' });
      const server = new ApiServer(chart, 'Server', { image: 's:1', postgres: new Postgres(chart, 'Pg'), redis: new Redis(chart, 'Redis') });
      expect(() => new IngressNginx(chart, 'Ingress', { client, server, ...props })).toThrow(message);
    });
  });
});

describe('IngressNginx with endpoints of their own', () => {
  test('each backend uses the port its endpoint names, even when its Service has several', () => {
    const chart = new Chart(testApp(), 'c');
    const endpoint = (name: string, port: number) => ({
      host: name, port, podSelector: { app: name },
      service: new kplus.Service(chart, name, { metadata: { name }, ports: [{ name: 'metrics', port: 9090 }, { name: 'http', port }] }),
    });
    new IngressNginx(chart, 'Ingress', { client: endpoint('front', 8080), server: endpoint('back', 8081) });
    const ingress = chart.toJson().find((o: any) => o.kind === 'Ingress');
    const backends = Object.fromEntries(ingress.spec.rules[0].http.paths.map((p: any) => [p.path, p.backend.service]));
    expect(backends).toEqual({ '/?(.*)': { name: 'front', port: { number: 8080 } }, '/api/?(.*)': { name: 'back', port: { number: 8081 } } });
  });
});
