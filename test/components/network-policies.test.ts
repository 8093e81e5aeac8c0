import { Chart, Testing } from 'cdk8s';
import { ApiServer } from '../../lib/components/api-server';
import { ClientApp } from '../../lib/components/client-app';
import { NetworkPolicies } from '../../lib/components/network-policies';
import { Postgres } from '../../lib/components/postgres';
import { Redis } from '../../lib/components/redis';
import { Worker } from '../../lib/components/worker';
import { allowsConnection, PodIdentity } from '../../lib/validate/network';
import { defaultObjects, find } from '../helpers';

const objects = defaultObjects();
const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
const pod = (deployment: string): PodIdentity => ({ namespace: '', labels: find(objects, 'Deployment', deployment).spec.template.metadata.labels });
const client = pod('client-deployment');
const server = pod('server-deployment');
const worker = pod('worker-deployment');
const postgres = pod('postgres-deployment');
const redis = pod('redis-deployment');
const controller: PodIdentity = { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } };
const outsider: PodIdentity = { namespace: 'default', labels: { app: 'something-else' } };
const dns: PodIdentity = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const app = { client, server, worker, postgres, redis };

describe('NetworkPolicies', () => {
  test('have readable names', () => {
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'multi-k8s-allow-dns-egress', 'multi-k8s-client-allow-ingress-controller', 'multi-k8s-default-deny-all', 'multi-k8s-postgres-allow-server',
      'multi-k8s-redis-allow-server-and-worker', 'multi-k8s-server-allow-egress-to-stores', 'multi-k8s-server-allow-ingress-controller',
      'multi-k8s-worker-allow-egress-to-redis',
    ]);
    expect(policies.every((p) => !p.metadata.name.includes('undefined'))).toBe(true);
  });

  test('deny by default, in both directions, for every pod of the app', () => {
    const deny = find(objects, 'NetworkPolicy', 'multi-k8s-default-deny-all');
    expect(deny.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/part-of': 'multi-k8s' } });
    expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test.each([
    ['the ingress controller', controller, 'client', client, 3000],
    ['the ingress controller', controller, 'server', server, 5000],
    ['server', server, 'postgres', postgres, 5432],
    ['server', server, 'redis', redis, 6379],
    ['worker', worker, 'redis', redis, 6379],
  ])('%s reaches %s on %d', (_a, from, _b, to, port) => {
    expect(allowsConnection(policies, from, to, port)).toBe(true);
  });

  test.each(Object.entries(app))('%s reaches cluster DNS on 53, UDP and TCP', (_name, from) => {
    expect(allowsConnection(policies, from, dns, 53, 'UDP')).toBe(true);
    expect(allowsConnection(policies, from, dns, 53, 'TCP')).toBe(true);
    expect(allowsConnection(policies, from, { ...dns, namespace: 'default' }, 53, 'UDP')).toBe(false);
  });

  const allowed = new Set(['client>3000<controller', 'server>5000<controller', 'postgres>5432<server', 'redis>6379<server', 'redis>6379<worker']);
  const sources: [string, PodIdentity][] = [...Object.entries(app), ['controller', controller], ['outsider', outsider]];
  const ports = [3000, 5000, 5432, 6379, 80, 443];
  test.each(Object.entries(app))('nothing else reaches %s, on any port', (toName, to) => {
    for (const [fromName, from] of sources) {
      for (const port of ports) {
        expect([fromName, port, allowsConnection(policies, from, to, port)]).toEqual([fromName, port, allowed.has(`${toName}>${port}<${fromName}`)]);
      }
    }
  });

  test('the worker cannot reach postgres; nothing outside reaches postgres or redis', () => {
    expect(allowsConnection(policies, worker, postgres, 5432)).toBe(false);
    expect(allowsConnection(policies, controller, postgres, 5432)).toBe(false);
    expect(allowsConnection(policies, outsider, redis, 6379)).toBe(false);
    expect(allowsConnection(policies, client, redis, 6379)).toBe(false);
  });

  test('the app reaches nothing outside it but DNS', () => {
    for (const from of Object.values(app)) {
      expect(allowsConnection(policies, from, outsider, 443)).toBe(false);
      expect(allowsConnection(policies, from, controller, 80)).toBe(false);
    }
  });
});

describe('NetworkPolicies with a Gateway and TLS', () => {
  const COURSE = { HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };
  const policiesOf = (env: NodeJS.ProcessEnv) => defaultObjects(env).filter((o) => o.kind === 'NetworkPolicy');
  const envoy: PodIdentity = { namespace: 'envoy-gateway-system', labels: { 'gateway.envoyproxy.io/owning-gateway-name': 'multi-k8s', 'app.kubernetes.io/name': 'envoy' } };
  const solver: PodIdentity = { namespace: '', labels: { 'acme.cert-manager.io/http01-solver': 'true', 'acme.cert-manager.io/http-domain': '1234' } };

  test('ROUTING=gateway (Envoy Gateway): its proxies reach the client and server; the ingress controller no longer does', () => {
    const gatewayPolicies = policiesOf({ ROUTING: 'gateway' });
    expect(allowsConnection(gatewayPolicies, envoy, client, 3000)).toBe(true);
    expect(allowsConnection(gatewayPolicies, envoy, server, 5000)).toBe(true);
    expect(allowsConnection(gatewayPolicies, envoy, postgres, 5432)).toBe(false);
    expect(allowsConnection(gatewayPolicies, controller, client, 3000)).toBe(false);
    expect(allowsConnection(gatewayPolicies, { ...envoy, namespace: 'default' }, client, 3000)).toBe(false);
    expect(gatewayPolicies.map((p) => p.metadata.name)).toEqual(expect.arrayContaining(['multi-k8s-client-allow-gateway', 'multi-k8s-server-allow-gateway']));
  });

  test('another class: the Gateway\'s proxies in the app\'s own namespace, by the Gateway API label', () => {
    const istio = policiesOf({ ROUTING: 'gateway', GATEWAY_CLASS: 'istio' });
    const proxy: PodIdentity = { namespace: '', labels: { 'gateway.networking.k8s.io/gateway-name': 'multi-k8s' } };
    expect(allowsConnection(istio, proxy, client, 3000)).toBe(true);
    expect(allowsConnection(istio, { ...proxy, namespace: 'istio-system' }, client, 3000)).toBe(false);
    expect(allowsConnection(istio, envoy, client, 3000)).toBe(false);
  });

  test('a GKE global external class is admitted by the Google Front End ranges, as ipBlocks', () => {
    const gke = policiesOf({ ROUTING: 'gateway', GATEWAY_CLASS: 'gke-l7-global-external-managed' });
    for (const name of ['multi-k8s-client-allow-gateway', 'multi-k8s-server-allow-gateway']) {
      expect(find(gke, 'NetworkPolicy', name).spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '35.191.0.0/16' } }, { ipBlock: { cidr: '130.211.0.0/22' } }]);
    }
  });

  test.each([
    ['the ingress controller', {}, controller],
    ['the Gateway\'s proxies', { ROUTING: 'gateway' }, envoy],
  ])('with TLS, %s reaches cert-manager\'s HTTP-01 solver on 8089, and nothing else does', (_name, env, entry) => {
    const tls = policiesOf({ ...COURSE, ...env });
    expect(allowsConnection(tls, entry, solver, 8089)).toBe(true);
    expect(allowsConnection(tls, outsider, solver, 8089)).toBe(false);
    expect(allowsConnection(tls, client, solver, 8089)).toBe(false);
    expect(allowsConnection(tls, entry, solver, 8080)).toBe(false);
  });

  test('without Let\'s Encrypt there is no solver policy', () => {
    expect(policies.filter((p) => p.metadata.name.includes('acme'))).toEqual([]);
    expect(policiesOf({ PREVIEWS: 'pr-1', PREVIEW_TLS_SECRET: 'wild' }).filter((p) => p.metadata.name.includes('acme'))).toEqual([]);
  });

  test('an entry that names neither pods nor CIDRs is refused: it would admit nothing', () => {
    const chart = new Chart(Testing.app(), 'c');
    const pg = new Postgres(chart, 'Pg');
    const rd = new Redis(chart, 'Redis');
    const parts = {
      client: new ClientApp(chart, 'Client', { image: 'c:1' }),
      server: new ApiServer(chart, 'Server', { image: 's:1', postgres: pg, redis: rd }),
      worker: new Worker(chart, 'Worker', { image: 'w:1', redis: rd }),
      postgres: pg,
      redis: rd,
    };
    expect(() => new NetworkPolicies(chart, 'Np', { ...parts, entry: { name: 'gateway', cidrs: [] } }))
      .toThrow('NetworkPolicies entry "gateway" names neither pods nor CIDRs: allowed is at least one of them');
  });
});
