import { validateManifests } from '../../lib/validate';
import { KubeObject } from '../../lib/validate/problem';
import { Chart } from 'cdk8s';
import { certificateNames, LetsEncryptCertificate, ProvidedCertificate } from '../../lib/components/tls';
import { defaultObjects, find, testApp } from '../helpers';

const COURSE = { HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };
// Rendered inside each test (test/helpers.ts): mutation testing credits the tests that use it.
const objects = () => defaultObjects(COURSE);

describe('LetsEncryptCertificate', () => {
  test('the course\'s names: ClusterIssuer letsencrypt-prod, Certificate k8s-multi-com-tls into Secret k8s-multi-com', () => {
    const issuer = find(objects(), 'ClusterIssuer', 'letsencrypt-prod');
    expect(issuer.apiVersion).toBe('cert-manager.io/v1');
    expect(issuer.spec.acme).toEqual({
      server: 'https://acme-v02.api.letsencrypt.org/directory',
      email: 'ops@k8s-multi.com',
      privateKeySecretRef: { name: 'letsencrypt-prod' },
      solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }],
    });
    const certificate = find(objects(), 'Certificate', 'k8s-multi-com-tls');
    expect(certificate.apiVersion).toBe('cert-manager.io/v1');
    expect(certificate.spec).toEqual({
      secretName: 'k8s-multi-com',
      issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'letsencrypt-prod' },
      dnsNames: ['k8s-multi.com', 'www.k8s-multi.com'],
    });
  });

  test('TLS=letsencrypt-staging uses the staging directory and its own ClusterIssuer', () => {
    const staging = find(defaultObjects({ ...COURSE, TLS: 'letsencrypt-staging' }), 'ClusterIssuer', 'letsencrypt-staging');
    expect(staging.spec.acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
    expect(find(defaultObjects({ ...COURSE, TLS: 'letsencrypt-staging' }), 'Certificate', 'k8s-multi-com-tls').spec.issuerRef.name).toBe('letsencrypt-staging');
  });

  test('with ROUTING=gateway, HTTP-01 is solved through the chart\'s Gateway, on its HTTP listener', () => {
    const issuer = find(defaultObjects({ ...COURSE, ROUTING: 'gateway' }), 'ClusterIssuer', 'letsencrypt-prod');
    expect(issuer.spec.acme.solvers).toEqual([{
      http01: { gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'multi-k8s', sectionName: 'http' }] } },
    }]);
  });

  test('the ClusterIssuer is cluster-scoped: no namespace even in a chart that has one; the Certificate is in the chart\'s', () => {
    const chart = new Chart(testApp(), 'c', { namespace: 'shop' });
    new LetsEncryptCertificate(chart, 'Tls', { hosts: ['shop.example.com'], email: 'o@example.com', solver: { gateway: { name: 'gw', namespace: 'shop', sectionName: 'http' } } });
    const json = chart.toJson();
    expect(json.find((o: any) => o.kind === 'ClusterIssuer').metadata.namespace).toBeUndefined();
    expect(json.find((o: any) => o.kind === 'Certificate').metadata).toMatchObject({ name: 'shop-example-com-tls', namespace: 'shop' });
    expect(json.find((o: any) => o.kind === 'ClusterIssuer').spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs[0].namespace).toBe('shop');
  });

  test('without a server it is Let\'s Encrypt production', () => {
    const chart = new Chart(testApp(), 'c');
    const tls = new LetsEncryptCertificate(chart, 'Tls', { hosts: ['shop.example.com'], email: 'o@example.com', solver: { ingressClassName: 'nginx' } });
    expect(tls.issuerName).toBe('letsencrypt-prod');
    const issuer = find(chart.toJson(), 'ClusterIssuer', 'letsencrypt-prod');
    expect(issuer.spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
  });

  test('names come from the first host', () => {
    expect(certificateNames(['app.example.com', 'k8s-multi.com'])).toEqual({ certificate: 'app-example-com-tls', secret: 'app-example-com' });
  });

  test.each([
    [[], 'LetsEncryptCertificate hosts is empty: allowed are one or more DNS names'],
    [['*.example.com'], 'LetsEncryptCertificate host "*.example.com" is not a DNS name: allowed are lowercase a-z 0-9 - . (no wildcard: HTTP-01 cannot issue one)'],
    [[`${'a'.repeat(61)}.${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.com`], 'is too long to name the Certificate'],
  ])('refuses hosts %j', (hosts, message) => {
    const chart = new Chart(testApp(), 'c');
    expect(() => new LetsEncryptCertificate(chart, 'Tls', { hosts, email: 'o@example.com', solver: { ingressClassName: 'nginx' } })).toThrow(message);
  });

  test('its objects pass the validator\'s cert-manager schemas (@kubernetes-models/cert-manager)', () => {
    const schema = (list: KubeObject[]) => validateManifests(list.map((object) => ({ file: 'x.yaml', object })), { checks: ['schema'] });
    expect(schema([find(objects(), 'ClusterIssuer', 'letsencrypt-prod'), find(objects(), 'Certificate', 'k8s-multi-com-tls')])).toEqual([]);
    const broken = structuredClone(find(objects(), 'Certificate', 'k8s-multi-com-tls'));
    delete broken.spec.secretName;
    expect(schema([broken]).map((p) => p.path)).toEqual(['spec.secretName']);
  });
});

describe('ProvidedCertificate', () => {
  test('is the operator\'s Secret for the hosts; a bad Secret name is refused', () => {
    expect(new ProvidedCertificate('wildcard-tls', ['pr-1.preview.example.com'])).toEqual({ secretName: 'wildcard-tls', hosts: ['pr-1.preview.example.com'] });
    expect(() => new ProvidedCertificate('Wild_Card', ['a.example.com'])).toThrow('ProvidedCertificate secretName "Wild_Card" is not a Secret name');
  });
});
