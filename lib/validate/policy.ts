import { isIsolated, selectorIndexIn } from './network';
import { containersOf, isObject, namespaceOf, podTemplate, PodTemplate } from './pods';
import { podSecurityViolations, templateMetadata } from './pod-security';
import { Finding, KubeObject, Located, locate, objectId, Problem } from './problem';

/**
 * What the experts' checkers judge on every manifest: the Pod Security Standards' restricted
 * profile, and the kube-score, kube-linter and Polaris checks that apply to this kind of app.
 * Each finding names its rule, so that an exception can name it too.
 */

/** A finding the chart accepts on purpose, with the reason a reviewer reads. */
export interface PolicyException {
  /** The rule, e.g. `ingress-tls`. */
  readonly rule: string;
  /** `Kind/name` of the object, or `*` for every object. */
  readonly object: string;
  /** Why it is accepted. */
  readonly reason: string;
}

/** `policy exception [rule] Kind/name: reason`, as synth and validate list them. */
export function formatPolicyException(e: PolicyException): string {
  return `policy exception [${e.rule}] ${e.object}: ${e.reason}`;
}

export const POLICY_RULES = {
  'restricted': 'Pod Security Standards, restricted profile',
  'resources': 'CPU and memory requests and limits on every container (kube-score, Polaris)',
  'probes': 'a readiness probe on every container that serves a port; liveness differs from readiness (kube-score)',
  'image-tag': 'images pinned to a tag other than latest (kube-linter latest-tag, Polaris)',
  'read-only-root': 'a read-only root filesystem (kube-linter, Polaris)',
  'service-account': 'a ServiceAccount of its own, with no token mounted (kube-linter, Polaris)',
  'network-policy': 'every pod isolated by NetworkPolicies for ingress and egress (kube-score)',
  'disruption-budget': 'a PodDisruptionBudget for every workload of more than one pod (kube-score)',
  'spread': 'pods of a workload of more than one pod spread across nodes (kube-score, kube-linter)',
  'literal-secret': 'no secret value written into an env var (kube-linter env-var-secret)',
  'hpa-replicas': 'no replicas on a Deployment an autoscaler manages',
  'namespace-pod-security': 'namespaces enforce the restricted profile',
  'ingress-tls': 'TLS wherever hosts are set (Ingress, HTTPRoute, Gateway listener), and no Ingress or HTTPRoute for any host over plain HTTP',
} as const;
export type PolicyRule = keyof typeof POLICY_RULES;

type Rule = { rule: PolicyRule } & Finding;

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;

/**
 * The restricted Pod Security Standard, field by field: the same checks Pod Security admission
 * runs (pod-security.ts, from k8s.io/pod-security-admission), at the newest version. Here they
 * judge every pod template, whatever its namespace enforces.
 */
function restricted(template: PodTemplate, metadata: KubeObject | undefined): Rule[] {
  return podSecurityViolations(template, metadata, 'restricted').flatMap((v) => v.findings.map((f) => ({ rule: 'restricted' as const, ...f })));
}

function containerRules(template: PodTemplate): Rule[] {
  const out: Rule[] = [];
  const spec = template.spec;
  const at = template.specPath.join('.');
  if (spec.automountServiceAccountToken !== false) out.push({ rule: 'service-account', path: `${at}.automountServiceAccountToken`, message: 'the service account token is mounted', allowed: 'automountServiceAccountToken: false' });
  if (!spec.serviceAccountName || spec.serviceAccountName === 'default') out.push({ rule: 'service-account', path: `${at}.serviceAccountName`, message: 'runs as the namespace\'s default ServiceAccount', allowed: 'a ServiceAccount of its own' });
  for (const { container, path } of containersOf(template)) {
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory']) {
        if (container.resources?.[kind]?.[resource] === undefined) out.push({ rule: 'resources', path: `${path}.resources.${kind}.${resource}`, message: `no ${resource} ${kind.slice(0, -1)}`, allowed: `a ${resource} ${kind.slice(0, -1)}` });
      }
    }
    const image = String(container.image ?? '');
    const tag = /^[^@]*:([^/:@]+)$/.exec(image)?.[1];
    if (!image.includes('@') && (tag === undefined || tag === 'latest')) out.push({ rule: 'image-tag', path: `${path}.image`, message: `image "${image}" is not pinned to a tag`, allowed: 'a tag other than latest (the commit SHA), or a digest' });
    if (container.securityContext?.readOnlyRootFilesystem !== true) out.push({ rule: 'read-only-root', path: `${path}.securityContext.readOnlyRootFilesystem`, message: 'the root filesystem is writable', allowed: 'readOnlyRootFilesystem: true, with an emptyDir for each path the image writes' });
    const serves = Array.isArray(container.ports) && container.ports.length > 0;
    if (serves && !container.readinessProbe) out.push({ rule: 'probes', path: `${path}.readinessProbe`, message: 'serves a port without a readiness probe', allowed: 'a readiness probe' });
    if (container.livenessProbe && JSON.stringify(container.livenessProbe) === JSON.stringify(container.readinessProbe)) {
      out.push({ rule: 'probes', path: `${path}.livenessProbe`, message: 'the liveness probe is a copy of the readiness probe: a slow pod gets restarted instead of rested', allowed: 'a liveness probe more patient than readiness' });
    }
    (Array.isArray(container.env) ? container.env : []).forEach((env: KubeObject, i: number) => {
      if (typeof env?.name === 'string' && SECRET_NAME.test(env.name) && typeof env.value === 'string' && env.value !== '') {
        out.push({ rule: 'literal-secret', path: `${path}.env[${i}].value`, message: `${env.name} holds a literal value`, allowed: 'valueFrom.secretKeyRef' });
      }
    });
  }
  return out;
}

// The first autoscaler of each target (namespace, kind, name), once per list of objects: a lookup
// per workload over every object was quadratic in one namespace of 16,000 Deployments.
const autoscalerMaps = new WeakMap<readonly KubeObject[], Map<string, KubeObject>>();
function autoscalers(objects: readonly KubeObject[]): Map<string, KubeObject> {
  let map = autoscalerMaps.get(objects);
  if (map) return map;
  map = new Map();
  for (const o of objects) {
    if (o?.kind !== 'HorizontalPodAutoscaler') continue;
    const key = `${namespaceOf(o)}\0${String(o.spec?.scaleTargetRef?.kind)}\0${String(o.spec?.scaleTargetRef?.name)}`;
    if (!map.has(key)) map.set(key, o);
  }
  autoscalerMaps.set(objects, map);
  return map;
}

function scaleRules(object: KubeObject, template: PodTemplate, objects: readonly KubeObject[]): Rule[] {
  if (object.kind !== 'Deployment' && object.kind !== 'StatefulSet') return [];
  const out: Rule[] = [];
  const namespace = namespaceOf(object);
  const hpa = autoscalers(objects).get(`${namespace}\0${String(object.kind)}\0${String(object.metadata?.name)}`);
  if (hpa && object.spec?.replicas !== undefined) out.push({ rule: 'hpa-replicas', path: 'spec.replicas', message: `replicas is set, and ${objectId(hpa)} manages it: every apply resets the autoscaler's choice`, allowed: 'no replicas on an autoscaled Deployment' });
  const pods = hpa ? hpa.spec.minReplicas ?? 1 : object.spec?.replicas ?? 1;
  if (pods > 1) {
    const budget = selectorIndexIn(objects, namespace, (o) => (o.kind === 'PodDisruptionBudget' ? o.spec?.selector : undefined)).someMatching(template.labels);
    if (!budget) out.push({ rule: 'disruption-budget', path: 'metadata.name', message: `${pods} pods and no PodDisruptionBudget selects them`, allowed: 'a PodDisruptionBudget selecting the pods' });
    const spread = (Array.isArray(template.spec.topologySpreadConstraints) && template.spec.topologySpreadConstraints.length > 0) || template.spec.affinity?.podAntiAffinity;
    if (!spread) out.push({ rule: 'spread', path: `${template.specPath.join('.')}.topologySpreadConstraints`, message: `${pods} pods and nothing spreads them across nodes`, allowed: 'topologySpreadConstraints or podAntiAffinity on kubernetes.io/hostname' });
  }
  return out;
}

function networkRules(template: PodTemplate, namespace: string, policies: readonly KubeObject[]): Rule[] {
  const pod = { namespace, labels: template.labels };
  return (['Ingress', 'Egress'] as const)
    .filter((direction) => !isIsolated(policies, pod, direction))
    .map((direction) => ({ rule: 'network-policy' as const, path: `${template.specPath.slice(0, -1).join('.')}.metadata.labels`, message: `no NetworkPolicy isolates these pods for ${direction.toLowerCase()}`, allowed: 'a default-deny NetworkPolicy selecting the pods, and rules for what they need' }));
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';
const isGatewayApi = (object: KubeObject, kind: string) => object?.kind === kind && typeof object.apiVersion === 'string' && object.apiVersion.startsWith(`${GATEWAY_GROUP}/`);
const list = (value: unknown): any[] => (Array.isArray(value) ? value : []);

// k8s.io/api networking/v1 types.go IngressTLS.Hosts: "hosts included in the TLS certificate";
// a certificate's "*.example.com" covers one label more (RFC 6125 section 6.4.3), as ingress-nginx matches it.
// Two cases need no test of their own: a host without a dot (its slice from indexOf -1 is its
// last character, never the dot a wildcard's tail starts with), and a wildcard host such as
// "*.a.com" (the tail comparison then holds only for the identical tls host).
function covers(tlsHost: unknown, host: string): boolean {
  if (typeof tlsHost !== 'string') return false;
  return tlsHost === host || (tlsHost.startsWith('*.') && host.slice(host.indexOf('.')) === tlsHost.slice(1));
}

function ingressTls(ingress: KubeObject): Rule[] {
  const tls = list(ingress.spec?.tls);
  const rules = list(ingress.spec?.rules);
  const hosts = rules.map((rule, i) => ({ host: rule?.host, i })).filter((h): h is { host: string; i: number } => typeof h.host === 'string' && h.host !== '');
  if (hosts.length === 0) {
    return tls.length > 0 ? [] : [{ rule: 'ingress-tls', path: 'spec.tls', message: 'the Ingress serves plain HTTP', allowed: 'spec.tls with a certificate Secret' }];
  }
  // IngressTLS.SecretName is optional "to allow TLS routing based on SNI hostname alone": no certificate of the app's own.
  const certified = tls.filter((entry) => typeof entry?.secretName === 'string' && entry.secretName !== '');
  const seen = new Set<string>();
  const out: Rule[] = [];
  for (const { host, i } of hosts) {
    if (seen.has(host)) continue;
    seen.add(host);
    if (certified.some((entry) => list(entry.hosts).some((tlsHost) => covers(tlsHost, host)))) continue;
    out.push({ rule: 'ingress-tls', path: `spec.rules[${i}].host`, message: `host "${host}" is served without TLS: no spec.tls entry with a secretName lists it`, allowed: `"${host}" in the hosts of a spec.tls entry with a secretName` });
  }
  return out;
}

/**
 * An HTTPRoute that forwards to backends through a plain HTTP listener serves its hosts without
 * TLS. Which listeners a parentRef attaches to: sigs.k8s.io/gateway-api apis/v1/shared_types.go
 * ParentReference (group and kind default to gateway.networking.k8s.io Gateway, namespace to the
 * route's; sectionName names a listener, and "when unspecified, this will reference the entire
 * resource"; port narrows to the listeners on that port). A route attached to a Gateway that is
 * not among the inputs (a platform team's, shared) is not judged: its listeners are unknown here.
 * Listener hostnames are not intersected with the route's: a listener that serves HTTP counts.
 */
function routeTls(route: KubeObject, gateways: readonly KubeObject[]): Rule[] {
  const forwards = list(route.spec?.rules).some((rule) => list(rule?.backendRefs).length > 0);
  if (!forwards) return [];
  const hostnames = list(route.spec?.hostnames).filter((h): h is string => typeof h === 'string');
  const out: Rule[] = [];
  list(route.spec?.parentRefs).forEach((ref, i) => {
    if (!isObject(ref) || (ref.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (ref.kind ?? 'Gateway') !== 'Gateway') return;
    const namespace = typeof ref.namespace === 'string' ? ref.namespace : namespaceOf(route);
    const gateway = gateways.find((g) => g.metadata?.name === ref.name && namespaceOf(g) === namespace);
    if (!gateway) return;
    const plain = list(gateway.spec?.listeners).filter((l) => l?.protocol === 'HTTP'
      && (ref.sectionName === undefined || l.name === ref.sectionName) && (ref.port === undefined || l.port === ref.port));
    if (plain.length === 0) return;
    const through = `${objectId(gateway)} listener ${plain.map((l) => `"${String(l.name)}"`).join(', ')} (protocol HTTP)`;
    out.push({
      rule: 'ingress-tls',
      path: `spec.parentRefs[${i}]`,
      message: hostnames.length > 0
        ? `hostnames ${hostnames.join(', ')} are served over plain HTTP: ${through} forwards them to backends`
        : `the HTTPRoute serves plain HTTP on any host: ${through} forwards it to backends`,
      allowed: 'a sectionName naming an HTTPS listener; on HTTP listeners only a RequestRedirect to https',
    });
  });
  return out;
}

/**
 * sigs.k8s.io/gateway-api apis/v1/gateway_types.go Listener.TLS: "required if the Protocol field is
 * HTTPS"; the CRD's CEL rule (GatewayTLSConfig: "certificateRefs or options must be specified when
 * mode is Terminate") refuses only a tls block without either, and lets a listener without tls
 * through. A policy finding here, as this validator judges Gateways without the CRD too.
 */
function listenerTls(gateway: KubeObject): Rule[] {
  return list(gateway.spec?.listeners).flatMap((listener, i) => (listener?.protocol === 'HTTPS' && list(listener.tls?.certificateRefs).length === 0
    ? [{ rule: 'ingress-tls' as const, path: `spec.listeners[${i}].tls.certificateRefs`, message: `listener "${String(listener.name)}" serves HTTPS without a certificate`, allowed: 'tls.certificateRefs naming the certificate\'s Secret' }]
    : []));
}

/**
 * Policy problems of the objects, less those an exception accepts. `gateways`: the Gateways of
 * every namespace of the input, for routes attached across namespaces. @default the items' Gateways
 */
export function checkPolicy(items: readonly Located[], exceptions: readonly PolicyException[], gateways?: readonly KubeObject[], maxProblems = Infinity, accepts: (problem: Problem) => boolean = () => false): Problem[] {
  const objects = items.map((item) => item.object);
  const policies = objects.filter((o) => o?.kind === 'NetworkPolicy');
  const parents = gateways ?? gatewaysOf(objects);
  const problems: Problem[] = [];
  for (const item of items) {
    // A caller's budget (index.ts maxProblems): the objects after it are not judged.
    if (problems.length >= maxProblems) break;
    const object = item.object;
    const rules: Rule[] = [];
    const template = podTemplate(object);
    if (template) {
      rules.push(...restricted(template, templateMetadata(object, template)), ...containerRules(template), ...scaleRules(object, template, objects), ...networkRules(template, namespaceOf(object), policies));
    }
    if (object?.kind === 'Namespace' && object.metadata?.labels?.['pod-security.kubernetes.io/enforce'] !== 'restricted') {
      rules.push({ rule: 'namespace-pod-security', path: 'metadata.labels', message: 'the namespace does not enforce the restricted Pod Security profile', allowed: 'label pod-security.kubernetes.io/enforce: restricted' });
    }
    if (object?.kind === 'Ingress') rules.push(...ingressTls(object));
    if (isGatewayApi(object, 'HTTPRoute')) rules.push(...routeTls(object, parents));
    if (isGatewayApi(object, 'Gateway')) rules.push(...listenerTls(object));
    const id = objectId(object);
    const kept = rules.filter((r) => !exceptions.some((e) => e.rule === r.rule && (e.object === '*' || e.object === id)));
    // A problem the caller accepts (its own exceptions) is not one: it counts for no budget.
    for (const problem of locate(item, 'policy', kept.map(({ rule, path, message, allowed }) => ({ path, message: `[${rule}] ${message}`, allowed })))) if (!accepts(problem)) problems.push(problem);
  }
  return problems;
}

/** The Gateways (gateway.networking.k8s.io) among the objects. */
export function gatewaysOf(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter((o) => isGatewayApi(o, 'Gateway'));
}
