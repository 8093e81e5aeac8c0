import { EntryPeer, IngressControllerPeer, NetworkPolicies } from '../../lib/components/network-policies';
import { allowsConnection, PodIdentity } from '../../lib/validate/network';
import { find, synthIn } from '../helpers';

// The components as NetworkPolicies sees them: pod selectors and ports (the app's own, so that the
// facts below read as the app's; the providers' members are tested in their own files).
const peers = {
  client: { podSelector: { component: 'web' }, port: 3000 },
  server: { podSelector: { component: 'server' }, port: 5000 },
  worker: { podSelector: { component: 'worker' } },
  postgres: { podSelector: { component: 'postgres' }, port: 5432 },
  redis: { podSelector: { component: 'redis' }, port: 6379 },
};
const ingressController: IngressControllerPeer = { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } };

function policies(controller: IngressControllerPeer = ingressController) {
  return synthIn((chart) => new NetworkPolicies(chart, 'NetworkPolicies', { ...peers, entry: { name: 'ingress-controller', pods: controller } }));
}

/** A pod of the app: its component label and the app's part-of label. */
const appPod = (component: string): PodIdentity => ({ namespace: '', labels: { component, 'app.kubernetes.io/part-of': 'multi-k8s' } });
const pods: Record<string, PodIdentity> = {
  client: appPod('web'), server: appPod('server'), worker: appPod('worker'), postgres: appPod('postgres'), redis: appPod('redis'),
  controller: { namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  outsider: { namespace: 'default', labels: { app: 'something-else' } },
  dns: { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
};
const APP = ['client', 'server', 'worker', 'postgres', 'redis'];

describe('NetworkPolicies', () => {
  test('have readable names', () => {
    expect(policies().map((p) => p.metadata.name).sort()).toEqual([
      'multi-k8s-allow-dns-egress', 'multi-k8s-client-allow-ingress-controller', 'multi-k8s-default-deny-all', 'multi-k8s-postgres-allow-server',
      'multi-k8s-redis-allow-server-and-worker', 'multi-k8s-server-allow-egress-to-stores', 'multi-k8s-server-allow-ingress-controller',
      'multi-k8s-worker-allow-egress-to-redis',
    ]);
  });

  test('deny by default, in both directions, for every pod of the app', () => {
    const deny = find(policies(), 'NetworkPolicy', 'multi-k8s-default-deny-all');
    expect(deny.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/part-of': 'multi-k8s' } });
    expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test.each([
    ['controller', 'client', 3000],
    ['controller', 'server', 5000],
    ['server', 'postgres', 5432],
    ['server', 'redis', 6379],
    ['worker', 'redis', 6379],
  ])('%s reaches %s on %d', (from, to, port) => {
    expect(allowsConnection(policies(), pods[from], pods[to], port)).toBe(true);
  });

  test.each(APP)('%s reaches cluster DNS on 53, UDP and TCP, and no other DNS', (from) => {
    const all = policies();
    expect(allowsConnection(all, pods[from], pods.dns, 53, 'UDP')).toBe(true);
    expect(allowsConnection(all, pods[from], pods.dns, 53, 'TCP')).toBe(true);
    expect(allowsConnection(all, pods[from], { ...pods.dns, namespace: 'default' }, 53, 'UDP')).toBe(false);
  });

  const allowed = new Set(['client>3000<controller', 'server>5000<controller', 'postgres>5432<server', 'redis>6379<server', 'redis>6379<worker']);
  test.each(APP)('nothing else reaches %s, on any port', (to) => {
    const all = policies();
    for (const from of [...APP, 'controller', 'outsider']) {
      for (const port of [3000, 5000, 5432, 6379, 80, 443]) {
        expect([from, port, allowsConnection(all, pods[from], pods[to], port)]).toEqual([from, port, allowed.has(`${to}>${port}<${from}`)]);
      }
    }
  });

  test('the app reaches nothing outside it but DNS', () => {
    const all = policies();
    for (const from of APP) {
      expect(allowsConnection(all, pods[from], pods.outsider, 443)).toBe(false);
      expect(allowsConnection(all, pods[from], pods.controller, 80)).toBe(false);
    }
  });

  test('another ingress controller (namespace and labels) is the one admitted, and ingress-nginx no longer', () => {
    const traefik = { namespace: 'traefik', labels: { 'app.kubernetes.io/name': 'traefik' } };
    const all = policies({ namespace: traefik.namespace, podLabels: traefik.labels });
    expect(allowsConnection(all, traefik, pods.client, 3000)).toBe(true);
    expect(allowsConnection(all, traefik, pods.server, 5000)).toBe(true);
    expect(allowsConnection(all, pods.controller, pods.client, 3000)).toBe(false);
  });
});

describe('NetworkPolicies with a Gateway and TLS', () => {
  const envoy: PodIdentity = { namespace: 'envoy-gateway-system', labels: { 'gateway.envoyproxy.io/owning-gateway-name': 'multi-k8s', 'app.kubernetes.io/name': 'envoy' } };
  const solver: PodIdentity = { namespace: '', labels: { 'acme.cert-manager.io/http01-solver': 'true', 'acme.cert-manager.io/http-domain': '1234' } };
  const envoyEntry: EntryPeer = { name: 'gateway', pods: { namespace: 'envoy-gateway-system', podLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'multi-k8s' } } };
  const withEntry = (entry: EntryPeer, acmeSolver = false) => synthIn((chart) => new NetworkPolicies(chart, 'NetworkPolicies', { ...peers, entry, acmeSolver }));

  test('a Gateway\'s proxies (Envoy Gateway) reach the client and server; the ingress controller no longer does', () => {
    const all = withEntry(envoyEntry);
    expect(allowsConnection(all, envoy, pods.client, 3000)).toBe(true);
    expect(allowsConnection(all, envoy, pods.server, 5000)).toBe(true);
    expect(allowsConnection(all, envoy, pods.postgres, 5432)).toBe(false);
    expect(allowsConnection(all, pods.controller, pods.client, 3000)).toBe(false);
    expect(allowsConnection(all, { ...envoy, namespace: 'default' }, pods.client, 3000)).toBe(false);
    expect(all.map((p) => p.metadata.name)).toEqual(expect.arrayContaining(['multi-k8s-client-allow-gateway', 'multi-k8s-server-allow-gateway']));
  });

  test('proxies in the app\'s own namespace, by the Gateway API label (no namespace given)', () => {
    const all = withEntry({ name: 'gateway', pods: { podLabels: { 'gateway.networking.k8s.io/gateway-name': 'multi-k8s' } } });
    const proxy: PodIdentity = { namespace: '', labels: { 'gateway.networking.k8s.io/gateway-name': 'multi-k8s' } };
    expect(allowsConnection(all, proxy, pods.client, 3000)).toBe(true);
    expect(allowsConnection(all, { ...proxy, namespace: 'istio-system' }, pods.client, 3000)).toBe(false);
  });

  test('a load balancer that reaches pods directly is admitted by its source ranges, as ipBlocks', () => {
    const all = withEntry({ name: 'gateway', cidrs: ['35.191.0.0/16', '130.211.0.0/22'] });
    for (const name of ['multi-k8s-client-allow-gateway', 'multi-k8s-server-allow-gateway']) {
      expect(find(all, 'NetworkPolicy', name).spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '35.191.0.0/16' } }, { ipBlock: { cidr: '130.211.0.0/22' } }]);
    }
  });

  test.each([
    ['the ingress controller', { name: 'ingress-controller', pods: ingressController } as EntryPeer, pods.controller],
    ['the Gateway\'s proxies', envoyEntry, envoy],
  ])('with the ACME solver, %s reaches cert-manager\'s HTTP-01 solver on 8089, and nothing else does', (_name, entry, from) => {
    const all = withEntry(entry, true);
    expect(allowsConnection(all, from, solver, 8089)).toBe(true);
    expect(allowsConnection(all, pods.outsider, solver, 8089)).toBe(false);
    expect(allowsConnection(all, pods.client, solver, 8089)).toBe(false);
    expect(allowsConnection(all, from, solver, 8080)).toBe(false);
  });

  test('without the ACME solver there is no solver policy', () => {
    expect(withEntry(envoyEntry).filter((p) => p.metadata.name.includes('acme'))).toEqual([]);
  });

  test('an entry that names neither pods nor CIDRs is refused: it would admit nothing', () => {
    expect(() => withEntry({ name: 'gateway', cidrs: [] })).toThrow('NetworkPolicies entry "gateway" names neither pods nor CIDRs: allowed is at least one of them');
    // Neither field given at all (not an empty list): the same refusal, not a TypeError.
    expect(() => withEntry({ name: 'gateway' })).toThrow('NetworkPolicies entry "gateway" names neither pods nor CIDRs: allowed is at least one of them');
  });
});
