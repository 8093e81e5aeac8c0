import { isObject, namespaceOf } from './pods';
import { KubeObject } from './problem';

/** A pod, as NetworkPolicies see it: its namespace and labels. */
export interface PodIdentity {
  /** Its namespace ('' for the namespace kubectl applies to). */
  readonly namespace: string;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
}

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };

/** Label selector semantics of the API: every matchLabels pair and every expression must hold. */
export function matchesSelector(selector: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!isObject(selector)) return false;
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const expressions = (selector.matchExpressions ?? []).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
  return pairs && expressions;
}

// A namespace outside the output carries the label every namespace gets from the API server.
function namespaceLabels(namespace: string): Record<string, string> {
  return { 'kubernetes.io/metadata.name': namespace };
}

function peerMatches(peer: KubeObject, policyNamespace: string, pod: PodIdentity): boolean {
  if (peer.ipBlock) return false;
  const inNamespace = peer.namespaceSelector
    ? matchesSelector(peer.namespaceSelector, namespaceLabels(pod.namespace))
    : pod.namespace === policyNamespace;
  const podOk = peer.podSelector ? matchesSelector(peer.podSelector, pod.labels) : true;
  return inNamespace && podOk;
}

function portMatches(ports: KubeObject[] | undefined, port: number, protocol: string): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port
    || (typeof p.endPort === 'number' && typeof p.port === 'number' && port >= p.port && port <= p.endPort)));
}

function policyTypes(policy: KubeObject): string[] {
  const spec = policy.spec ?? {};
  if (Array.isArray(spec.policyTypes)) return spec.policyTypes;
  return spec.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** The policies that isolate the pod in one direction. */
export function isolating(policies: readonly KubeObject[], pod: PodIdentity, direction: 'Ingress' | 'Egress'): KubeObject[] {
  return policies.filter((p) => namespaceOf(p) === pod.namespace && policyTypes(p).includes(direction) && matchesSelector(p.spec?.podSelector, pod.labels));
}

/**
 * Whether NetworkPolicies let `from` open a connection to `to` on a port: the destination's
 * ingress and the source's egress must each be unisolated or allowed by some rule.
 */
export function allowsConnection(policies: readonly KubeObject[], from: PodIdentity, to: PodIdentity, port: number, protocol = 'TCP'): boolean {
  const ingress = isolating(policies, to, 'Ingress');
  const ingressOk = ingress.length === 0 || ingress.some((p) => (p.spec.ingress ?? []).some((rule: KubeObject) =>
    (!rule.from || rule.from.some((peer: KubeObject) => peerMatches(peer, namespaceOf(p), from))) && portMatches(rule.ports, port, protocol)));
  const egress = isolating(policies, from, 'Egress');
  const egressOk = egress.length === 0 || egress.some((p) => (p.spec.egress ?? []).some((rule: KubeObject) =>
    (!rule.to || rule.to.some((peer: KubeObject) => peerMatches(peer, namespaceOf(p), to))) && portMatches(rule.ports, port, protocol)));
  return ingressOk && egressOk;
}
