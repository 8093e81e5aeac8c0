import { isDnsLabel, isDnsSubdomain, isLabelValue, labelKeyProblem } from './names';
import { containersOf, isObject, podTemplate, selects } from './pods';
import { Finding, KubeObject, objectPath } from './problem';
import { parseQuantity, QUANTITY_SYNTAX } from './quantity';

/**
 * What the API server checks beyond the OpenAPI schema (k8s.io/apimachinery validation and
 * pkg/apis/*\/validation), and the kubelet checks that would stop a pod at start, for every
 * field this project emits and the common ones a hand-written manifest has.
 */

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

const SUBDOMAIN_RULE = 'a DNS-1123 subdomain: at most 253 characters of a-z 0-9 - ., starting and ending with a-z or 0-9';
const LABEL_RULE = 'a DNS-1123 label: at most 63 characters of a-z 0-9 -, starting and ending with a-z or 0-9';
const SERVICE_NAME_RULE = 'a DNS-1035 label: at most 63 characters of a-z 0-9 -, starting with a-z, ending with a-z or 0-9';
const PORT_NAME_RULE = 'an IANA service name: at most 15 characters of a-z 0-9 -, with at least one letter, no -- and no - at either end';

/** Kinds whose names must be DNS labels rather than subdomains. */
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'IngressClass',
  'PriorityClass', 'CustomResourceDefinition', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
]);

export function checkApiRules(object: KubeObject): Finding[] {
  const findings: Finding[] = [];
  const add = (path: string, message: string, allowed: string) => findings.push({ path, message, allowed });

  checkMetadata(object, add);
  checkEnums(object, add);
  const template = podTemplate(object);
  if (template) {
    checkLabels(template.labels, objectPath([...template.specPath.slice(0, -1), 'metadata', 'labels']), add);
    checkPodSpec(template.spec, template.specPath, add);
  }
  switch (object.kind) {
    case 'Deployment': checkDeployment(object, add); break;
    case 'Service': checkService(object, add); break;
    case 'PersistentVolumeClaim': checkClaim(object, add); break;
    case 'Ingress': checkIngress(object, add); break;
    default: break;
  }
  return findings;
}

type Add = (path: string, message: string, allowed: string) => void;

/**
 * Fields whose values the API server checks against a fixed set. The OpenAPI definitions cdk8s
 * publishes carry no enums, so the sets are listed here, from the API's validation code.
 * Matched on the end of the field path, with list indexes written as [].
 */
const ENUMS: readonly { readonly suffix: string; readonly values: readonly string[]; readonly kinds?: readonly string[] }[] = [
  { suffix: '.imagePullPolicy', values: ['Always', 'IfNotPresent', 'Never'] },
  { suffix: '.ports[].protocol', values: ['TCP', 'UDP', 'SCTP'] },
  { suffix: '.terminationMessagePolicy', values: ['File', 'FallbackToLogsOnError'] },
  { suffix: '.httpGet.scheme', values: ['HTTP', 'HTTPS'] },
  { suffix: '.seccompProfile.type', values: ['RuntimeDefault', 'Localhost', 'Unconfined'] },
  { suffix: '.securityContext.fsGroupChangePolicy', values: ['OnRootMismatch', 'Always'] },
  { suffix: '.dnsPolicy', values: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] },
  { suffix: '.restartPolicy', values: ['Always', 'OnFailure', 'Never'] },
  { suffix: '.matchExpressions[].operator', values: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  { suffix: 'spec.strategy.type', values: ['Recreate', 'RollingUpdate'], kinds: ['Deployment'] },
  { suffix: 'spec.type', values: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], kinds: ['Service'] },
  { suffix: 'spec.sessionAffinity', values: ['ClientIP', 'None'], kinds: ['Service'] },
  { suffix: 'spec.externalTrafficPolicy', values: ['Cluster', 'Local'], kinds: ['Service'] },
  { suffix: 'spec.volumeMode', values: ['Filesystem', 'Block'], kinds: ['PersistentVolumeClaim'] },
  { suffix: 'spec.policyTypes[]', values: ['Ingress', 'Egress'], kinds: ['NetworkPolicy'] },
];

function checkEnums(object: KubeObject, add: Add): void {
  const walk = (node: unknown, segments: (string | number)[], shape: string) => {
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...segments, i], `${shape}[]`));
    else if (isObject(node)) for (const [key, child] of Object.entries(node)) walk(child, [...segments, key], shape ? `${shape}.${key}` : key);
    else if (typeof node === 'string') {
      // `.x` matches the end of any path; `spec.x` matches that path exactly.
      const rule = ENUMS.find((e) => (e.suffix.startsWith('.') ? shape.endsWith(e.suffix) : shape === e.suffix)
        && (!e.kinds || e.kinds.includes(object.kind)));
      if (rule && !rule.values.includes(node)) add(objectPath(segments), `"${node}" is not a supported value`, `one of ${rule.values.join(', ')}`);
    }
  };
  walk(object, [], '');
}

function checkMetadata(object: KubeObject, add: Add): void {
  const metadata = object.metadata;
  if (!isObject(metadata)) return;
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    if (!metadata.generateName) add('metadata.name', 'the object has no name', `${SUBDOMAIN_RULE}`);
  } else if (object.kind === 'Service') {
    if (name.length > 63 || !DNS1035_LABEL.test(name)) add('metadata.name', `"${name}" is not a valid Service name`, SERVICE_NAME_RULE);
  } else if (LABEL_NAMED_KINDS.has(object.kind)) {
    if (!isDnsLabel(name)) add('metadata.name', `"${name}" is not a valid ${object.kind} name`, LABEL_RULE);
  } else if (!isDnsSubdomain(name)) {
    add('metadata.name', `"${name}" is not a valid object name`, SUBDOMAIN_RULE);
  }
  if (metadata.namespace !== undefined) {
    if (CLUSTER_SCOPED_KINDS.has(object.kind)) add('metadata.namespace', `${object.kind} is cluster-scoped and takes no namespace`, 'no metadata.namespace');
    else if (typeof metadata.namespace !== 'string' || !isDnsLabel(metadata.namespace)) {
      add('metadata.namespace', `"${metadata.namespace}" is not a valid namespace`, LABEL_RULE);
    }
  }
  checkLabels(metadata.labels, 'metadata.labels', add);
  if (isObject(metadata.annotations)) {
    let size = 0;
    for (const [key, value] of Object.entries(metadata.annotations)) {
      checkQualifiedName(key, `metadata.annotations.${key}`, 'annotation key', add);
      size += key.length + String(value).length;
    }
    if (size > 256 * 1024) add('metadata.annotations', `annotations total ${size} bytes`, 'at most 262144 bytes in all');
  }
}

function checkQualifiedName(key: string, path: string, what: string, add: Add): void {
  const allowed = 'an optional DNS subdomain prefix and "/", then at most 63 characters of A-Z a-z 0-9 - _ ., starting and ending with an alphanumeric';
  const problem = labelKeyProblem(key);
  if (problem === 'prefix') add(path, `${what} "${key}" has an invalid prefix "${key.slice(0, key.lastIndexOf('/'))}"`, allowed);
  else if (problem === 'name') add(path, `${what} "${key}" is not a qualified name`, allowed);
}

/** Checks keys and values of a label map: metadata labels, selectors. */
function checkLabels(labels: unknown, path: string, add: Add): void {
  if (!isObject(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    checkQualifiedName(key, `${path}.${key}`, 'label key', add);
    if (typeof value !== 'string') continue;
    if (!isLabelValue(value)) {
      add(`${path}.${key}`, `label value "${value}" is not valid`, 'empty, or at most 63 characters of A-Z a-z 0-9 - _ ., starting and ending with an alphanumeric');
    }
  }
}

function checkPort(value: unknown, path: string, add: Add, what = 'port'): void {
  if (typeof value === 'number' && (!Number.isInteger(value) || value < 1 || value > 65535)) {
    add(path, `${what} ${value} is out of range`, 'a whole number from 1 to 65535');
  }
}

function checkPortName(name: unknown, path: string, add: Add): void {
  if (typeof name !== 'string') return;
  if (name.length > 15 || !IANA_SVC_NAME.test(name) || !/[a-z]/.test(name) || name.includes('--')) {
    add(path, `port name "${name}" is not valid`, PORT_NAME_RULE);
  }
}

function checkPodSpec(spec: KubeObject, specPath: readonly string[], add: Add): void {
  const at = (...rest: (string | number)[]) => objectPath([...specPath, ...rest]);
  const volumes = new Set<string>();
  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((volume: KubeObject, i: number) => {
      const name = volume?.name;
      if (typeof name === 'string') {
        if (!isDnsLabel(name)) add(at('volumes', i, 'name'), `volume name "${name}" is not valid`, LABEL_RULE);
        if (volumes.has(name)) add(at('volumes', i, 'name'), `volume name "${name}" is used twice`, 'unique volume names');
        volumes.add(name);
      }
      const sources = Object.keys(volume ?? {}).filter((key) => key !== 'name');
      if (sources.length !== 1) add(at('volumes', i), `volume has ${sources.length} sources (${sources.join(', ') || 'none'})`, 'exactly one source, e.g. emptyDir or persistentVolumeClaim');
    });
  }

  const podUser = spec.securityContext?.runAsUser;
  const podNonRoot = spec.securityContext?.runAsNonRoot;
  const containerNames = new Set<string>();
  const portNames = new Set<string>();
  for (const { container, path } of containersOf({ labels: {}, spec, specPath })) {
    const name = container.name;
    if (typeof name === 'string') {
      if (!isDnsLabel(name)) add(`${path}.name`, `container name "${name}" is not valid`, LABEL_RULE);
      if (containerNames.has(name)) add(`${path}.name`, `container name "${name}" is used twice in the pod`, 'unique container names across containers and initContainers');
      containerNames.add(name);
    }
    (Array.isArray(container.ports) ? container.ports : []).forEach((port: KubeObject, i: number) => {
      checkPort(port?.containerPort, `${path}.ports[${i}].containerPort`, add, 'containerPort');
      if (port?.hostPort !== undefined && port.hostPort !== 0) checkPort(port.hostPort, `${path}.ports[${i}].hostPort`, add, 'hostPort');
      if (port?.name !== undefined) {
        checkPortName(port.name, `${path}.ports[${i}].name`, add);
        if (portNames.has(port.name)) add(`${path}.ports[${i}].name`, `port name "${port.name}" is used twice in the pod`, 'unique port names within a pod');
        portNames.add(port.name);
      }
    });
    (Array.isArray(container.env) ? container.env : []).forEach((env: KubeObject, i: number) => {
      if (typeof env?.name === 'string' && !ENV_VAR_NAME.test(env.name)) {
        add(`${path}.env[${i}].name`, `environment variable name "${env.name}" is not valid`, 'letters, digits, - _ ., not starting with a digit');
      }
      if (env?.value !== undefined && env?.valueFrom !== undefined) {
        add(`${path}.env[${i}]`, `"${env.name}" sets both value and valueFrom`, 'one of value or valueFrom');
      }
    });
    checkResources(container.resources, `${path}.resources`, add);
    const mountPaths = new Set<string>();
    (Array.isArray(container.volumeMounts) ? container.volumeMounts : []).forEach((mount: KubeObject, i: number) => {
      if (typeof mount?.name === 'string' && !volumes.has(mount.name)) {
        add(`${path}.volumeMounts[${i}].name`, `mounts volume "${mount.name}", which the pod does not have`, `a volume of the pod: ${[...volumes].join(', ') || 'none defined'}`);
      }
      if (typeof mount?.mountPath === 'string') {
        if (mountPaths.has(mount.mountPath)) add(`${path}.volumeMounts[${i}].mountPath`, `"${mount.mountPath}" is mounted twice`, 'one volume per mount path');
        mountPaths.add(mount.mountPath);
      }
    });
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) checkProbe(container[probe], `${path}.${probe}`, probe, add);
    const user = container.securityContext?.runAsUser ?? podUser;
    const nonRoot = container.securityContext?.runAsNonRoot ?? podNonRoot;
    if (nonRoot === true && user === 0) {
      add(`${path}.securityContext.runAsUser`, 'runAsNonRoot is true but runAsUser is 0: the kubelet refuses to start the container', 'a non-zero runAsUser');
    } else if (nonRoot === true && user === undefined) {
      add(`${path}.securityContext.runAsUser`, 'runAsNonRoot is true without a runAsUser: the kubelet refuses to start the container unless the image names a numeric non-root USER', 'a non-zero runAsUser the image works with');
    }
  }
}

function checkResources(resources: unknown, path: string, add: Add): void {
  if (!isObject(resources)) return;
  const parsed: Record<string, Record<string, number>> = {};
  for (const kind of ['requests', 'limits']) {
    const values = resources[kind];
    if (!isObject(values)) continue;
    parsed[kind] = {};
    for (const [resource, quantity] of Object.entries(values)) {
      const value = parseQuantity(quantity);
      if (value === undefined) add(`${path}.${kind}.${resource}`, `"${quantity}" is not a quantity`, QUANTITY_SYNTAX);
      else if (value < 0) add(`${path}.${kind}.${resource}`, `"${quantity}" is negative`, 'a quantity >= 0');
      else parsed[kind][resource] = value;
    }
  }
  for (const [resource, request] of Object.entries(parsed.requests ?? {})) {
    const limit = parsed.limits?.[resource];
    if (limit !== undefined && request > limit) {
      add(`${path}.requests.${resource}`, `request ${resources.requests[resource]} exceeds limit ${resources.limits[resource]}`, 'a request <= its limit');
    }
  }
}

function checkProbe(probe: unknown, path: string, which: string, add: Add): void {
  if (!isObject(probe)) return;
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => probe[h] !== undefined);
  if (handlers.length !== 1) add(path, `probe has ${handlers.length} handlers`, 'exactly one of exec, httpGet, tcpSocket, grpc');
  if (which !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    add(`${path}.successThreshold`, `${which} successThreshold is ${probe.successThreshold}`, '1 (only a readinessProbe may require more)');
  }
  for (const field of ['periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold']) {
    if (probe[field] !== undefined && probe[field] < 1) add(`${path}.${field}`, `${field} is ${probe[field]}`, 'a whole number >= 1');
  }
  if (probe.initialDelaySeconds !== undefined && probe.initialDelaySeconds < 0) add(`${path}.initialDelaySeconds`, `initialDelaySeconds is ${probe.initialDelaySeconds}`, '>= 0');
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (typeof port === 'string' && !/^\d+$/.test(port)) checkPortName(port, `${path}.${probe.httpGet ? 'httpGet' : 'tcpSocket'}.port`, add);
  else checkPort(port, `${path}.${probe.httpGet ? 'httpGet' : 'tcpSocket'}.port`, add);
  if (Array.isArray(probe.exec?.command) && probe.exec.command.length === 0) add(`${path}.exec.command`, 'exec probe has an empty command', 'a command');
}

function checkDeployment(object: KubeObject, add: Add): void {
  const spec = object.spec;
  if (!isObject(spec)) return;
  const selector = spec.selector;
  const template = podTemplate(object);
  if (isObject(selector)) {
    checkLabels(selector.matchLabels, 'spec.selector.matchLabels', add);
    const hasLabels = isObject(selector.matchLabels) && Object.keys(selector.matchLabels).length > 0;
    const hasExpressions = Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0;
    if (!hasLabels && !hasExpressions) add('spec.selector', 'the selector is empty', 'matchLabels (or matchExpressions) that the template labels satisfy');
    else if (hasLabels && template && !selects(selector.matchLabels, template.labels)) {
      add('spec.selector.matchLabels', `selector ${JSON.stringify(selector.matchLabels)} does not match the template labels ${JSON.stringify(template.labels)}`, 'a selector whose every label is on spec.template.metadata.labels');
    }
  }
  if (typeof spec.replicas === 'number' && spec.replicas < 0) add('spec.replicas', `replicas is ${spec.replicas}`, '>= 0');
  const strategy = spec.strategy;
  if (isObject(strategy)) {
    if (strategy.type === 'Recreate' && strategy.rollingUpdate !== undefined) add('spec.strategy.rollingUpdate', 'rollingUpdate is set with type Recreate', 'no rollingUpdate when type is Recreate');
    const rolling = strategy.rollingUpdate;
    if (isObject(rolling) && isZero(rolling.maxSurge) && isZero(rolling.maxUnavailable)) {
      add('spec.strategy.rollingUpdate', 'maxSurge and maxUnavailable are both 0: the rollout cannot progress', 'at least one of them > 0');
    }
  }
  if (template && template.spec.restartPolicy !== undefined && template.spec.restartPolicy !== 'Always') {
    add('spec.template.spec.restartPolicy', `restartPolicy is ${template.spec.restartPolicy}`, 'Always (the only value a Deployment accepts)');
  }
}

function isZero(value: unknown): boolean {
  return value === 0 || value === '0' || value === '0%';
}

function checkService(object: KubeObject, add: Add): void {
  const spec = object.spec;
  if (!isObject(spec)) return;
  checkLabels(spec.selector, 'spec.selector', add);
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  const names = new Set<string>();
  ports.forEach((port: KubeObject, i: number) => {
    checkPort(port?.port, `spec.ports[${i}].port`, add);
    if (typeof port?.targetPort === 'string') checkPortName(port.targetPort, `spec.ports[${i}].targetPort`, add);
    else checkPort(port?.targetPort, `spec.ports[${i}].targetPort`, add, 'targetPort');
    if (port?.name !== undefined) {
      if (typeof port.name === 'string' && (!isDnsLabel(port.name))) add(`spec.ports[${i}].name`, `port name "${port.name}" is not valid`, LABEL_RULE);
      if (names.has(port.name)) add(`spec.ports[${i}].name`, `port name "${port.name}" is used twice`, 'unique port names');
      names.add(port.name);
    } else if (ports.length > 1) {
      add(`spec.ports[${i}].name`, 'a Service with several ports must name each one', 'a port name');
    }
  });
  if (spec.type !== 'ExternalName' && ports.length === 0) add('spec.ports', 'the Service has no ports', 'at least one port');
}

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

function checkClaim(object: KubeObject, add: Add): void {
  const spec = object.spec;
  if (!isObject(spec)) return;
  const modes = spec.accessModes;
  if (!Array.isArray(modes) || modes.length === 0) add('spec.accessModes', 'no access mode', `at least one of ${ACCESS_MODES.join(', ')}`);
  else {
    modes.forEach((mode: unknown, i: number) => {
      if (!ACCESS_MODES.includes(mode as string)) add(`spec.accessModes[${i}]`, `access mode "${mode}" is not supported`, ACCESS_MODES.join(', '));
    });
    if (modes.includes('ReadWriteOncePod') && modes.length > 1) add('spec.accessModes', 'ReadWriteOncePod is combined with other modes', 'ReadWriteOncePod alone');
  }
  const storage = spec.resources?.requests?.storage;
  const size = parseQuantity(storage);
  if (storage === undefined) add('spec.resources.requests.storage', 'the claim requests no storage size', 'a quantity > 0, e.g. 2Gi');
  else if (size === undefined) add('spec.resources.requests.storage', `"${storage}" is not a quantity`, QUANTITY_SYNTAX);
  else if (size <= 0) add('spec.resources.requests.storage', `storage ${storage} is not positive`, 'a quantity > 0, e.g. 2Gi');
}

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];

function checkIngress(object: KubeObject, add: Add): void {
  const spec = object.spec;
  if (!isObject(spec)) return;
  if (spec.ingressClassName !== undefined && (typeof spec.ingressClassName !== 'string' || !isDnsSubdomain(spec.ingressClassName))) {
    add('spec.ingressClassName', `"${spec.ingressClassName}" is not a valid IngressClass name`, SUBDOMAIN_RULE);
  }
  const regex = object.metadata?.annotations?.['nginx.ingress.kubernetes.io/use-regex'] === 'true';
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((rule: KubeObject, r: number) => {
    const paths = Array.isArray(rule?.http?.paths) ? rule.http.paths : [];
    paths.forEach((entry: KubeObject, p: number) => {
      const at = `spec.rules[${r}].http.paths[${p}]`;
      if (!PATH_TYPES.includes(entry?.pathType)) add(`${at}.pathType`, `pathType ${JSON.stringify(entry?.pathType)} is not valid`, PATH_TYPES.join(', '));
      if (typeof entry?.path === 'string' && !entry.path.startsWith('/')) add(`${at}.path`, `path "${entry.path}" is not absolute`, 'a path starting with /');
      if (regex && (entry?.pathType === 'Prefix' || entry?.pathType === 'Exact') && /[\^$*+?()[\]{}|]/.test(entry?.path ?? '')) {
        add(`${at}.pathType`, `regex path "${entry.path}" with pathType ${entry.pathType}: ingress-nginx's admission webhook rejects it`, 'pathType ImplementationSpecific for regex paths');
      }
      const port = entry?.backend?.service?.port;
      if (port?.number !== undefined) checkPort(port.number, `${at}.backend.service.port.number`, add);
    });
  });
}
