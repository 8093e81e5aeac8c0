import { IngressControllerPeer, NetworkPolicies } from '../../lib/components/network-policies';
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
  return synthIn((chart) => new NetworkPolicies(chart, 'NetworkPolicies', { ...peers, ingressController: controller }));
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
