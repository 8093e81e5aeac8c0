import { KubeObject, objectId } from '../../../lib/validate/problem';
import type { Case } from './judge';

/**
 * Deterministic mistakes and near-misses made from valid objects: each rule finds the fields it
 * applies to (by name, walking the object) and makes one case per field and variant. The same
 * inputs always give the same cases, in the same order.
 */

type Segment = string | number;
interface Node {
  readonly path: readonly Segment[];
  readonly parent: any;
  readonly key: Segment;
  readonly value: unknown;
}

function* walk(value: unknown, path: Segment[] = [], parent: any = undefined, key: Segment = ''): Generator<Node> {
  if (path.length > 0) yield { path, parent, key, value };
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* walk(value[i], [...path, i], value, i);
  else if (value && typeof value === 'object') for (const k of Object.keys(value)) yield* walk((value as any)[k], [...path, k], value, k);
}

const parentKey = (node: Node, up = 1): Segment | undefined => node.path[node.path.length - 1 - up];
const inMap = (node: Node, name: string) => parentKey(node) === name && typeof node.key === 'string';
const isItemOf = (node: Node, name: string) => typeof parentKey(node) === 'number' && parentKey(node, 2) === name;

/** A rule: which fields, and what to put there (a value, or `undefined` to delete the field). */
interface Rule {
  readonly name: string;
  readonly at: (node: Node) => boolean;
  /** Values to put there, `DELETE`, a keyword of variantValue, or a function of the old value. */
  readonly variants: readonly unknown[];
  /** The variants apply to the field's parent object (to set a sibling field). @default false */
  readonly sibling?: boolean;
}

const DELETE = Symbol('delete');
const LONG = (n: number) => 'a'.repeat(n);
const PORT_FIELDS = ['containerPort', 'port', 'targetPort', 'hostPort', 'nodePort'];
const COUNT_FIELDS = ['replicas', 'minReadySeconds', 'revisionHistoryLimit', 'terminationGracePeriodSeconds', 'periodSeconds', 'timeoutSeconds',
  'failureThreshold', 'initialDelaySeconds', 'backoffLimit', 'minReplicas', 'maxReplicas', 'averageUtilization', 'successfulJobsHistoryLimit', 'runAsUser', 'fsGroup'];
const BOOLEAN_FIELDS = ['readOnlyRootFilesystem', 'runAsNonRoot', 'allowPrivilegeEscalation', 'automountServiceAccountToken', 'privileged'];
const isQuantity = (node: Node) => (['requests', 'limits', 'capacity', 'hard'].includes(String(parentKey(node))) && typeof node.key === 'string') || node.key === 'sizeLimit';

const RULES: readonly Rule[] = [
  { name: 'port', at: (n) => PORT_FIELDS.includes(String(n.key)) && typeof n.value === 'number', variants: [0, -1, 65536, 1.5, 'str:'] },
  { name: 'object name', at: (n) => n.path.length === 2 && n.path[0] === 'metadata' && n.key === 'name', variants: ['Bad_Name', 'UPPER', LONG(64), LONG(254), '-lead', 'has.dot', '9digit', 'a:b', DELETE] },
  { name: 'item name', at: (n) => n.key === 'name' && typeof n.value === 'string' && ['containers', 'initContainers', 'volumes', 'volumeMounts'].some((l) => isItemOf(n, l)), variants: ['Bad_Name', LONG(64), '', DELETE] },
  { name: 'port name', at: (n) => n.key === 'name' && typeof n.value === 'string' && isItemOf(n, 'ports'), variants: ['x--y', LONG(16), 'HTTP', '8080', ''] },
  { name: 'label value', at: (n) => (inMap(n, 'labels') || inMap(n, 'matchLabels') || inMap(n, 'selector')) && typeof n.value === 'string', variants: [LONG(64), 'has space', '-lead', '', 5] },
  { name: 'annotation', at: (n) => inMap(n, 'annotations') && n.path.length === 3, variants: [7, LONG(262145)] },
  { name: 'quantity', at: (n) => isQuantity(n) && (typeof n.value === 'string' || typeof n.value === 'number'), variants: ['1.5.5', '-1', '1Gb', '0.5Gi', '1e3', '1E', '1e', '+1', '.5', '5.', ' 1', '1 Gi', 'Inf', '0x10', 1.5, '100m', '1e-3'] },
  { name: 'enum', at: (n) => ['imagePullPolicy', 'restartPolicy', 'protocol', 'dnsPolicy', 'operator', 'pathType', 'policyTypes'].includes(String(n.key)) || (n.key === 'type' && n.path.length === 2), variants: ['lowercase', 'Sometimes'] },
  { name: 'count', at: (n) => COUNT_FIELDS.includes(String(n.key)) && typeof n.value === 'number', variants: [-1, 'str:', 1.5, 2147483648] },
  { name: 'boolean', at: (n) => BOOLEAN_FIELDS.includes(String(n.key)) && typeof n.value === 'boolean', variants: ['true', 1] },
  { name: 'required', at: (n) => ['image', 'selector', 'template', 'containers', 'spec', 'metadata', 'roleRef', 'rules', 'subjects'].includes(String(n.key)) && (n.path.length <= 2 || n.key === 'image'), variants: [DELETE] },
  { name: 'duplicate item', at: (n) => ['ports', 'containers', 'volumes', 'env', 'volumeMounts', 'accessModes'].includes(String(n.key)) && Array.isArray(n.value) && n.value.length > 0, variants: ['dup:'] },
  { name: 'secret value', at: (n) => (inMap(n, 'data') || inMap(n, 'binaryData')) && n.path.length === 2, variants: ['abc', 'aGVs bG8=', 'aGVsbG8', 'aGVsbG8=\n', '***', 'aGk=', 'aGVsbG8=\r\n', 'aGVsbG8=='] },
  { name: 'string type', at: (n) => ['image', 'value', 'mountPath', 'claimName'].includes(String(n.key)) && typeof n.value === 'string', variants: [5, true] },
  { name: 'list type', at: (n) => ['command', 'args', 'verbs'].includes(String(n.key)) && Array.isArray(n.value), variants: ['just-a-string'] },
  { name: 'unknown field', at: (n) => n.key === 'spec' && n.path.length === 1, variants: ['unknown:'] },
  // Keys of label maps: prefixes and names at and past their limits.
  { name: 'label key', at: (n) => (n.key === 'labels' || n.key === 'matchLabels') && isMap(n.value), variants: [
    withKey('Example.com/app'), withKey('example.com/App_1'), withKey('a/b/c'), withKey('/app'), withKey('example.com/'), withKey(`${LONG(254)}/x`), withKey(`${LONG(253)}/x`),
    withKey(LONG(63)), withKey(LONG(64)), withKey('-app'), withKey('app.'),
  ] },
  { name: 'annotation key', at: (n) => n.key === 'annotations' && n.path.length === 2 && isMap(n.value), variants: [withKey('Example.COM/Owner'), withKey('bad key'), withKey('kubernetes.io/'), withKey(`${LONG(64)}`)] },
  // Names other objects are referred by.
  { name: 'reference name', at: (n) => ['serviceAccountName', 'claimName', 'secretName', 'hostname', 'subdomain', 'priorityClassName', 'storageClassName', 'ingressClassName'].includes(String(n.key)) && typeof n.value === 'string', variants: ['Bad_Name', 'a.b', LONG(64), ''] },
  { name: 'referenced object name', at: (n) => n.key === 'name' && ['configMap', 'secretKeyRef', 'configMapKeyRef', 'service', 'scaleTargetRef', 'configMapRef', 'secretRef'].includes(String(parentKey(n))), variants: ['Bad_Name', 'a.b', ''] },
  // Selectors: operators and values.
  { name: 'selector expression', at: (n) => n.key === 'matchLabels' && isMap(n.value), variants: [
    () => ({ k: 'drop:', matchExpressions: [{ key: 'app', operator: 'in', values: ['x'] }] }),
    () => ({ k: 'drop:', matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }),
    () => ({ k: 'drop:', matchExpressions: [{ key: 'app', operator: 'Exists', values: ['x'] }] }),
  ], sibling: true },
  // Cron schedules and time zones.
  { name: 'schedule', at: (n) => n.key === 'schedule' && typeof n.value === 'string', variants: ['*/0 * * * *', '60 * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 7', '0 0 * * 8', '@every 1h', '@every 1x', '@weekly', '@fortnightly', 'CRON_TZ=UTC 0 * * * *', '* * * *', '* * * * * *', '0 0 * * MON-FRI', '0 0 1-31/2 * *', '0 0 ? * *', 'H 0 * * *'] },
  { name: 'time zone', at: (n) => n.key === 'schedule' && typeof n.value === 'string', variants: [zone('Europe/Paris'), zone('Local'), zone('UTC'), zone('Mars/Olympus'), zone(''), zone('Etc/GMT+5'), zone('europe/paris'), zone('America/Argentina/Buenos_Aires')], sibling: true },
  // Percentages and int-or-strings.
  { name: 'int or percent', at: (n) => ['maxUnavailable', 'maxSurge', 'minAvailable'].includes(String(n.key)), variants: ['150%', '-1%', '1.5%', '10', 'ten', -1, '0%', '100%', 0] },
  // Probe handlers and timings.
  { name: 'probe', at: (n) => ['readinessProbe', 'livenessProbe', 'startupProbe'].includes(String(n.key)) && isMap(n.value), variants: [
    (old: any) => ({ ...old, exec: { command: ['true'] } }),
    () => ({ tcpSocket: { port: 'Bad_Name' } }),
    () => ({ httpGet: { port: 0 } }),
    () => ({ grpc: { port: 8080, service: '' } }),
    (old: any) => ({ ...old, successThreshold: 2 }),
    (old: any) => ({ ...old, terminationGracePeriodSeconds: 0 }),
    () => ({}),
  ] },
  // Container resources by name.
  { name: 'resource name', at: (n) => ['requests', 'limits'].includes(String(n.key)) && isMap(n.value) && n.path.includes('resources') && !n.path.includes('volumeClaimTemplates'), variants: [withKey('gpu', '1'), withKey('nvidia.com/gpu', '1'), withKey('hugepages-2Mi', '2Mi'), withKey('example.com/foo', '500m'), withKey('memory ', '1Mi'), withKey('requests.cpu', '1')] },
  // Container-level strings with spaces around them, or in the wrong case.
  { name: 'padded enum', at: (n) => ['imagePullPolicy', 'protocol', 'pathType'].includes(String(n.key)) && typeof n.value === 'string', variants: [(old: any) => ` ${old}`, (old: any) => String(old).toUpperCase()] },
  // Network policy blocks and ports.
  { name: 'network peer', at: (n) => (n.key === 'from' || n.key === 'to') && Array.isArray(n.value), variants: [
    [{ ipBlock: { cidr: '10.0.0.0/33' } }], [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/8'] } }], [{ ipBlock: { cidr: '10.0.0.0/8', except: ['192.168.0.0/16'] } }],
    [{ ipBlock: { cidr: '10.0.0.1/8' } }], [{ ipBlock: { cidr: 'fd00::/8' } }], [{}], [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }],
  ] },
  // Pod spec fields, set on every pod spec (a template's spec, or a Pod's).
  { name: 'pod field', at: isPodSpec, variants: [
    set({ tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }), set({ tolerations: [{ operator: 'Equal', value: 'v' }] }), set({ tolerations: [{ key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }] }),
    set({ tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: -1 }] }),
    set({ topologySpreadConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }] }), set({ topologySpreadConstraints: [{ maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'DoNotSchedule' }] }),
    set({ topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 0 }] }),
    set({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } }, topologyKey: '' }] } } }),
    set({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }),
    set({ nodeSelector: { 'kubernetes.io/os': 'has space' } }), set({ dnsPolicy: 'None' }), set({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'] } }),
    set({ dnsConfig: { nameservers: ['not-an-ip'] } }), set({ hostAliases: [{ ip: '10.0.0.1', hostnames: ['Bad_Host'] }] }), set({ hostAliases: [{ ip: 'x', hostnames: ['a'] }] }),
    set({ activeDeadlineSeconds: 0 }), set({ priority: 5 }), set({ securityContext: { sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }, { name: 'bad name', value: '1' }] } }),
    set({ securityContext: { seccompProfile: { type: 'Localhost' } } }), set({ securityContext: { seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'x.json' } } }),
    set({ hostNetwork: true }), set({ shareProcessNamespace: true, hostPID: true }), set({ os: { name: 'windows' } }), set({ os: { name: 'plan9' } }),
    set({ schedulerName: 'Bad Scheduler' }), set({ runtimeClassName: 'Bad_Class' }), set({ preemptionPolicy: 'Sometimes' }), set({ enableServiceLinks: 'yes' }),
  ] },
  // Container fields, set on each pod spec's first container.
  { name: 'container field', at: (n) => isItemOf(n, 'containers') && n.path[n.path.length - 1] === 0 && isMap(n.value), variants: [
    set({ lifecycle: { preStop: { exec: { command: [] } } } }), set({ lifecycle: { preStop: { sleep: { seconds: 5 } } } }), set({ lifecycle: { postStart: { httpGet: { port: 'Bad_Name' } } } }),
    set({ securityContext: { capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } } }), set({ securityContext: { procMount: 'Unmasked' } }), set({ securityContext: { procMount: 'Sometimes' } }),
    set({ securityContext: { seLinuxOptions: { level: 's0:c123,c456' } } }), set({ securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } } }),
    set({ securityContext: { appArmorProfile: { type: 'Localhost' } } }), set({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } } }),
    set({ terminationMessagePath: 'relative/path' }), set({ workingDir: 'relative' }), set({ stdinOnce: true }), set({ tty: true }),
    set({ volumeMounts: [{ name: 'nowhere', mountPath: '/x' }] }), set({ env: [{ name: '', value: 'x' }] }), set({ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.nowhere' } } }] }),
    set({ env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.labels[\'app\']' } } }] }), set({ env: [{ name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }] }),
    set({ env: [{ name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '3m' } } }] }), set({ envFrom: [{ configMapRef: { name: 'Bad_Name' } }] }), set({ envFrom: [{ prefix: '1_', configMapRef: { name: 'c' } }] }),
    set({ resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }, { resourceName: 'cpu', restartPolicy: 'NotRequired' }] }), set({ ports: [{ containerPort: 80, hostIP: 'not-an-ip', hostPort: 80 }] }),
  ] },
  // Volumes of every kind of source, bad and good.
  { name: 'volume source', at: (n) => n.key === 'volumes' && Array.isArray(n.value), variants: [
    add({ name: 'h', hostPath: { path: '/x', type: 'Sometimes' } }), add({ name: 'h', hostPath: { path: '/x', type: 'DirectoryOrCreate' } }), add({ name: 'h', hostPath: { path: 'relative' } }),
    add({ name: 'c', configMap: { name: 'c', items: [{ key: 'k', path: '../x' }] } }), add({ name: 'c', configMap: { name: 'c', defaultMode: 1000 } }), add({ name: 'c', configMap: { name: 'c', defaultMode: 511 } }),
    add({ name: 's', secret: { secretName: 's', items: [{ key: 'k', path: '/abs' }] } }), add({ name: 'd', downwardAPI: { items: [{ path: 'x', fieldRef: { fieldPath: 'spec.nodeName' } }] } }),
    add({ name: 'd', downwardAPI: { items: [{ path: 'x', fieldRef: { fieldPath: 'metadata.labels' } }] } }), add({ name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 60 } }] } }),
    add({ name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 600 } }] } }), add({ name: 'e', emptyDir: { medium: 'Disk' } }), add({ name: 'e', emptyDir: { medium: 'Memory' } }),
    add({ name: 'n', nfs: { server: '', path: '/x' } }), add({ name: 'n', nfs: { server: 'nfs', path: 'x' } }), add({ name: 'g', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } }),
    add({ name: 'g', ephemeral: { volumeClaimTemplate: { metadata: { name: 'x' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } }),
    add({ name: 'i', image: { reference: 'nginx:1.27', pullPolicy: 'IfNotPresent' } }), add({ name: 'c', csi: { driver: 'Bad Driver' } }),
  ] },
  // ObjectMeta fields an exported or hand-written object may carry.
  { name: 'metadata field', at: (n) => n.path.length === 1 && n.key === 'metadata' && isMap(n.value), variants: [
    set({ finalizers: ['example.com/cleanup'] }), set({ finalizers: ['bad finalizer'] }), set({ finalizers: ['example.com/a', 'example.com/a'] }), set({ finalizers: ['kubernetes'] }),
    set({ ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '6c1f1c1e-8f3d-4d7e-9a55-3b7c1f0a2b11' }] }),
    set({ ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: '' }] }), set({ ownerReferences: [{ apiVersion: '', kind: 'ConfigMap', name: 'owner', uid: 'x' }] }),
    set({ ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'owner', uid: 'x' }] }),
    set({ ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'a', uid: 'x', controller: true }, { apiVersion: 'v1', kind: 'ConfigMap', name: 'b', uid: 'y', controller: true }] }),
    set({ generateName: 'web-' }), set({ generateName: 'Web_' }), set({ generation: -1 }), set({ deletionGracePeriodSeconds: 30 }), set({ deletionTimestamp: '2024-01-01T00:00:00Z' }),
    set({ managedFields: [{ manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: {} }] }), set({ managedFields: [{ manager: 'kubectl', operation: 'Sometimes' }] }),
    set({ selfLink: '/api/v1/x' }), set({ creationTimestamp: 'yesterday' }), set({ labels: { 'kubernetes.io/metadata.name': 'other' } }),
  ] },
  // Each kind's own spec fields, set on the object's spec (by kind).
  { name: 'Service field', at: specOf('Service'), variants: [
    set({ externalName: 'db.example.com' }), set({ type: 'ExternalName', externalName: 'db.example.com' }), set({ type: 'ExternalName', externalName: 'Bad_Name.example.com' }),
    set({ externalIPs: ['10.0.0.1', '10.0.0.1'] }), set({ externalIPs: ['0.0.0.0'] }), set({ externalIPs: ['127.0.0.1'] }), set({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }),
    set({ publishNotReadyAddresses: 'yes' }), set({ ipFamilies: ['IPv4', 'IPv4'] }), set({ clusterIPs: ['None'] }), set({ clusterIP: 'None', clusterIPs: ['None'] }),
    set({ healthCheckNodePort: 30000 }), set({ loadBalancerClass: 'Bad Class' }), set({ loadBalancerClass: 'example.com/lb' }), set({ trafficDistribution: 'PreferClose' }), set({ trafficDistribution: 'Nearest' }),
    set({ internalTrafficPolicy: 'Local' }), set({ ports: [{ name: 'a', port: 80, appProtocol: 'Bad Protocol' }] }), set({ ports: [{ name: 'a', port: 80, appProtocol: 'kubernetes.io/h2c' }] }),
  ] },
  { name: 'Ingress field', at: specOf('Ingress'), variants: [
    set({ rules: [{ host: '*.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } }] } }] }),
    set({ rules: [{ host: 'a.*.example.com' }] }), set({ rules: [{ host: '10.0.0.1' }] }), set({ rules: [{ host: 'Example.com' }] }), set({ rules: [{ host: 'example.com:80' }] }),
    set({ rules: [{ http: { paths: [{ path: '/a', pathType: 'Exact', backend: { service: { name: 's', port: { name: 'http', number: 80 } } } }] } }] }),
    set({ rules: [{ http: { paths: [{ path: '/a', pathType: 'Exact', backend: { service: { name: 's', port: {} } } }] } }] }),
    set({ rules: [{ http: { paths: [{ path: '/a', pathType: 'Exact', backend: { resource: { kind: 'Bucket', name: 'b' }, service: { name: 's', port: { number: 80 } } } }] } }] }),
    set({ rules: [{ http: { paths: [{ path: '/a', pathType: 'ImplementationSpecific', backend: { resource: { apiGroup: 'example.com', kind: 'Bucket', name: 'b' } } }] } }] }),
    set({ tls: [{ hosts: ['*.example.com'], secretName: 'Bad_Name' }] }), set({ ingressClassName: 'Bad_Class' }), set({ defaultBackend: { service: { name: 'Bad_Name', port: { number: 80 } } } }),
  ] },
  { name: 'autoscaler field', at: specOf('HorizontalPodAutoscaler'), variants: [
    set({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } }] }),
    set({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Value', value: '1' } } }] }),
    set({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '0' } } }] }),
    set({ metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'Utilization', averageUtilization: 50 } } }] }),
    set({ metrics: [{ type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'has space' } } }, target: { type: 'Value', value: '10' } } }] }),
    set({ metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: '', target: { type: 'Utilization', averageUtilization: 50 } } }] }),
    set({ behavior: { scaleDown: { stabilizationWindowSeconds: 3601 } } }), set({ behavior: { scaleDown: { selectPolicy: 'Sometimes' } } }),
    set({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 60 }] } } }), set({ behavior: { scaleUp: { policies: [{ type: 'Percent', value: 100, periodSeconds: 1801 }] } } }),
    set({ behavior: { scaleUp: { tolerance: '0.1' } } }), set({ minReplicas: 0 }), set({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a/b' } }),
  ] },
  { name: 'NetworkPolicy field', at: specOf('NetworkPolicy'), variants: [
    set({ policyTypes: ['Ingress', 'Ingress'] }), set({ policyTypes: ['Egress', 'Ingress', 'Egress'] }), set({ ingress: [{ ports: [{ port: 80, endPort: 79 }] }] }), set({ ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] }),
    set({ ingress: [{ ports: [{ endPort: 90 }] }] }), set({ ingress: [{ ports: [{ protocol: 'SCTP', port: 1, endPort: 65535 }] }] }), set({ egress: [{ to: [{ namespaceSelector: { matchLabels: { a: 'has space' } } }] }] }),
  ] },
  { name: 'disruption budget field', at: specOf('PodDisruptionBudget'), variants: [
    set({ minAvailable: '50%', maxUnavailable: 1 }), set({ unhealthyPodEvictionPolicy: 'Never' }), set({ unhealthyPodEvictionPolicy: 'AlwaysAllow' }), set({ selector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] } }),
  ] },
  { name: 'Job field', at: specOf('Job'), variants: [
    set({ completionMode: 'Indexed', completions: 3, parallelism: 100001 }), set({ completionMode: 'Indexed' }), set({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1, maxFailedIndexes: 4 }),
    set({ successPolicy: { rules: [{ succeededCount: 1 }] } }), set({ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{ succeededIndexes: '0-1' }] } }), set({ completionMode: 'Indexed', completions: 3, successPolicy: { rules: [{ succeededIndexes: '5' }] } }),
    set({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } }] } }), set({ podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1, 1] } }] } }),
    set({ podFailurePolicy: { rules: [{ action: 'Count', onExitCodes: { operator: 'NotIn', values: [1] } }] } }), set({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'Maybe' }] }] } }),
    set({ podFailurePolicy: { rules: [{ action: 'Ignore' }] } }), set({ managedBy: 'kubernetes.io/job-controller' }), set({ managedBy: 'example.com/queue' }), set({ managedBy: 'Bad Manager' }), set({ suspend: true }),
  ] },
  { name: 'StatefulSet field', at: specOf('StatefulSet'), variants: [
    set({ serviceName: 'Bad_Name' }), set({ serviceName: '' }), set({ ordinals: { start: -1 } }), set({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } }), set({ minReadySeconds: -1 }), set({ revisionHistoryLimit: -1 }),
  ] },
  { name: 'CronJob field', at: specOf('CronJob'), variants: [
    set({ startingDeadlineSeconds: -1 }), set({ concurrencyPolicy: 'Sometimes' }), set({ successfulJobsHistoryLimit: -1 }), set({ suspend: 'yes' }), set({ jobTemplate: { spec: { template: { spec: { containers: [{ name: 'a', image: 'b' }], restartPolicy: 'Always' } } } } }),
  ] },
  { name: 'RBAC rules', at: (n) => n.key === 'rules' && n.path.length === 1 && Array.isArray(n.value), variants: [
    [{ apiGroups: [''], resources: ['pods'], verbs: [] }], [{ apiGroups: [''], resources: ['pods'], verbs: ['*'], nonResourceURLs: ['/healthz'] }], [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }],
    [{ apiGroups: [''], resources: ['pods'], resourceNames: ['a/b'], verbs: ['get'] }], [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], [{ resources: ['pods'], verbs: ['get'] }],
  ] },
  { name: 'RBAC subjects', at: (n) => n.key === 'subjects' && n.path.length === 1 && Array.isArray(n.value), variants: [
    [{ kind: 'ServiceAccount', name: 'Bad_Name', namespace: 'shop' }], [{ kind: 'User', name: '' }], [{ kind: 'Group', name: 'system:masters', apiGroup: '' }], [{ kind: 'Robot', name: 'r' }],
    [{ kind: 'ServiceAccount', name: 'a', namespace: 'Bad_NS' }], [{ kind: 'ServiceAccount', name: 'a', apiGroup: 'rbac.authorization.k8s.io', namespace: 'shop' }], [],
  ] },
  { name: 'Secret type', at: (n) => n.path.length === 1 && n.key === 'type' && typeof n.value === 'string', variants: ['kubernetes.io/tls', 'kubernetes.io/basic-auth', 'kubernetes.io/ssh-auth', 'kubernetes.io/dockerconfigjson', 'kubernetes.io/service-account-token', 'bootstrap.kubernetes.io/token', 'example.com/custom', 'Bad Type', ''] },
  { name: 'ConfigMap keys', at: (n) => n.path.length === 1 && (n.key === 'data' || n.key === 'stringData') && isMap(n.value), variants: [withKey('a b'), withKey('..data'), withKey('.'), withKey('a/b'), withKey('.hidden'), withKey('_x'), withKey(LONG(253)), withKey(LONG(254))] },
];

// The spec of an object of a kind.
function specOf(kind: string): (n: Node) => boolean {
  return (n) => n.path.length === 1 && n.key === 'spec' && isMap(n.value) && (n.parent as KubeObject)?.kind === kind;
}

// A pod spec: a template's or a Pod's spec (it holds containers).
function isPodSpec(n: Node): boolean {
  return (n.key === 'spec' && isMap(n.value) && Array.isArray((n.value as any).containers));
}

/** A variant that sets fields of an object. */
function set(fields: Record<string, unknown>): (old: unknown) => unknown {
  return (old) => ({ ...(old as object), ...structuredClone(fields) });
}

/** A variant that adds an item to a list. */
function add(item: unknown): (old: unknown) => unknown {
  return (old) => [...(old as unknown[]), structuredClone(item)];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A variant that adds a key to a map. */
function withKey(key: string, value: unknown = 'x'): (old: unknown) => unknown {
  return (old) => ({ ...(old as object), [key]: value });
}

/** A variant that sets the CronJob's timeZone beside its schedule (applied to the parent). */
function zone(timeZone: string): (old: unknown) => unknown {
  return (parent) => ({ ...(parent as object), timeZone });
}

function variantValue(variant: unknown, old: unknown): unknown {
  if (typeof variant === 'function') return variant(old);
  if (variant === 'str:') return String(old);
  if (variant === 'lowercase') return typeof old === 'string' ? old.toLowerCase() : old;
  if (variant === 'dup:') return Array.isArray(old) ? [...old, structuredClone(old[0])] : old;
  if (variant === 'unknown:') return { ...(old as object), replicaz: 1 };
  return variant;
}

function show(variant: unknown): string {
  if (variant === DELETE) return 'deleted';
  const text = JSON.stringify(variant) ?? String(variant);
  return text.length > 40 ? `${text.slice(0, 20)}... (${text.length} characters)` : text;
}

/** The mutations of each object, at most `perRule` fields per rule and object. */
export function mutations(objects: readonly KubeObject[], perRule = 2): Case[] {
  const cases: Case[] = [];
  const seen = new Set<string>();
  for (const object of objects) {
    const nodes = [...walk(object)];
    for (const rule of RULES) {
      const matching = nodes.filter((n) => rule.at(n)).slice(0, perRule);
      for (const node of matching) {
        for (const [v, variant] of rule.variants.entries()) {
          const copy = structuredClone(object);
          // A sibling rule changes the field's parent: its own parent holds it.
          const path = rule.sibling ? node.path.slice(0, -1) : node.path;
          if (path.length === 0) continue;
          let parent: any = copy;
          for (const segment of path.slice(0, -1)) parent = parent[segment];
          const field = path[path.length - 1];
          if (rule.sibling && typeof variant === 'function') {
            const changed = variant(parent[field]) as Record<string, unknown>;
            // `k: 'drop:'` marks a variant that replaces the sibling it was found by (matchLabels by matchExpressions).
            if (changed && changed.k === 'drop:') {
              const { k: _drop, ...rest } = changed;
              delete parent[field][node.key];
              Object.assign(parent[field], rest);
            } else parent[field] = changed;
            const text = JSON.stringify(copy);
            if (seen.has(text)) continue;
            seen.add(text);
            cases.push({ label: `mutation of ${objectId(object)}: ${rule.name} ${path.join('.')} #${v + 1}`, object: copy });
            continue;
          }
          const value = variantValue(variant, parent[node.key]);
          if (variant === DELETE) {
            if (Array.isArray(parent)) continue;
            delete parent[node.key];
          } else {
            if (value === parent[node.key]) continue;
            parent[node.key] = value;
          }
          const key = JSON.stringify(copy);
          if (seen.has(key)) continue;
          seen.add(key);
          cases.push({ label: `mutation of ${objectId(object)}: ${rule.name} ${node.path.join('.')} = ${typeof variant === 'function' ? `#${v + 1}` : show(variant)}`, object: copy });
        }
      }
    }
  }
  return cases;
}
