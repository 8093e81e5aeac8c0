import { isDnsLabel, isDnsSubdomain } from '../names';
import { isObject, PodTemplate } from '../pods';
import { KubeObject, objectPath } from '../problem';
import { parseQuantity, QUANTITY_SYNTAX } from '../quantity';
import { Add, checkEnum, checkLabels, checkLabelSelector, checkName, checkPort, checkPortName, checkPortNumOrName, checkQuantity, isInt, LABEL_RULE, portProtocol, show, SUBDOMAIN_RULE } from './common';
import { isConfigMapKey, KEY_RULE } from './config';
import { checkPodFields, checkSeccomp, checkVolumeSources } from './pod-fields';

/**
 * A pod spec, as k8s.io/kubernetes pkg/apis/core/validation ValidatePodTemplateSpec and
 * ValidatePodSpec judge it after the API server's defaulting (pkg/apis/core/v1/defaults.go):
 * a volume with no source is an emptyDir, probe timings of 0 take their defaults, a Service's
 * targetPort defaults to its port. Plus the kubelet rule that stops a container at start.
 */

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** Extra volumes the pods get that the template does not list: a StatefulSet's claim templates. */
export interface PodSpecContext {
  /** Names of volumes added to every pod by its controller. @default [] */
  readonly addedVolumes?: readonly string[];
  /**
   * Whether the spec is a Pod's own, not a template's: the API server then defaults the host
   * ports of a hostNetwork pod (core/v1 SetDefaults_Pod, defaultHostNetworkPorts: a hostPort of 0
   * becomes the containerPort; since 1.28 templates are left alone) before it validates them.
   * @default false
   */
  readonly podOwnSpec?: boolean;
}

// core ValidatePodTemplateSpec: labels, annotations, then the pod spec.
export function checkPodTemplate(template: PodTemplate, add: Add, context: PodSpecContext = {}): void {
  const metaPath = template.specPath.slice(0, -1);
  checkLabels(template.labels, objectPath([...metaPath, 'metadata', 'labels']), add);
  // pods.ts podTemplate: a bare Pod's spec is at "spec", a template's deeper.
  checkPodSpec(template.spec, template.specPath, add, { podOwnSpec: template.specPath.length === 1, ...context });
}

// core ValidatePodSpec
export function checkPodSpec(spec: KubeObject, specPath: readonly string[], add: Add, context: PodSpecContext = {}): void {
  const at = (...rest: (string | number)[]) => objectPath([...specPath, ...rest]);
  const volumes = checkVolumes(spec.volumes, at, add);
  checkVolumeSources(spec.volumes, at, add);
  checkPodFields(spec, at, add);
  for (const name of context.addedVolumes ?? []) volumes.add(name);

  // core ValidatePodSpec: at least one container.
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) add(at('containers'), 'the pod has no containers', 'at least one container');

  const names = new Set<string>();
  // core validateContainers / validateInitContainers (checkHostPortConflicts): app containers run
  // together, so their host ports are unique across them; init containers run one by one, so
  // each is judged alone. The key is protocol, hostIP and port.
  const appHostPorts = new Set<string>();
  for (const field of ['initContainers', 'containers'] as const) {
    const list = Array.isArray(spec[field]) ? spec[field] : [];
    list.forEach((container: KubeObject, i: number) => {
      if (!isObject(container)) return;
      const path = at(field, i);
      const name = container.name;
      // core validateContainers / validateInitContainers: DNS label, unique across both lists.
      // A missing name is the schema's finding (a required field); an empty one is not.
      if (typeof name === 'string') {
        if (!isDnsLabel(name)) add(`${path}.name`, `container name "${name}" is not valid`, LABEL_RULE);
        if (names.has(name)) add(`${path}.name`, `container name "${name}" is used twice in the pod`, 'unique container names across containers and initContainers');
        names.add(name);
      }
      checkContainer(container, path, field === 'initContainers', volumes, field === 'initContainers' ? new Set<string>() : appHostPorts, spec, add, context.podOwnSpec === true && spec.hostNetwork === true);
    });
  }

  // core ValidatePodSpec: enums and numbers of the pod itself.
  checkEnum(spec.restartPolicy, ['Always', 'OnFailure', 'Never'], at('restartPolicy'), add); // validateRestartPolicy
  checkEnum(spec.dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'], at('dnsPolicy'), add); // validateDNSPolicy
  if (spec.dnsPolicy === 'None' && !isObject(spec.dnsConfig)) add(at('dnsConfig'), 'dnsPolicy None without a dnsConfig', 'a dnsConfig with nameservers when dnsPolicy is None'); // validatePodDNSConfig
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null && !(isInt(spec.activeDeadlineSeconds) && spec.activeDeadlineSeconds >= 1)) {
    add(at('activeDeadlineSeconds'), `activeDeadlineSeconds is ${spec.activeDeadlineSeconds}`, 'a whole number from 1 to 2147483647');
  }
  // pkg/api/pod/warnings.go: a negative grace period is accepted with a warning and treated as 1.
  if (typeof spec.terminationGracePeriodSeconds === 'number' && spec.terminationGracePeriodSeconds < 0) {
    add(at('terminationGracePeriodSeconds'), `terminationGracePeriodSeconds is ${spec.terminationGracePeriodSeconds}: the API server treats it as 1`, 'a whole number >= 0', 'warning');
  }
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '') checkName(spec.serviceAccountName, at('serviceAccountName'), 'ServiceAccount name', 'subdomain', add); // ValidateServiceAccountName
  if (typeof spec.hostname === 'string' && spec.hostname !== '') checkName(spec.hostname, at('hostname'), 'hostname', 'label', add);
  if (typeof spec.subdomain === 'string' && spec.subdomain !== '') checkName(spec.subdomain, at('subdomain'), 'subdomain', 'label', add);
  checkPodSecurityContext(spec.securityContext, at('securityContext'), add);
  checkTolerations(spec.tolerations, at, add);
  checkSpread(spec.topologySpreadConstraints, at, add);
  // core validateAffinity -> ValidateLabelSelector on pod (anti-)affinity terms.
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const terms = spec.affinity?.[kind];
    if (!isObject(terms)) continue;
    (Array.isArray(terms.requiredDuringSchedulingIgnoredDuringExecution) ? terms.requiredDuringSchedulingIgnoredDuringExecution : []).forEach((term: KubeObject, i: number) => {
      checkLabelSelector(term?.labelSelector, at('affinity', kind, 'requiredDuringSchedulingIgnoredDuringExecution', i, 'labelSelector'), add);
      if (isObject(term) && term.topologyKey === '') add(at('affinity', kind, 'requiredDuringSchedulingIgnoredDuringExecution', i, 'topologyKey'), 'the term has no topologyKey', 'a node label key such as kubernetes.io/hostname');
    });
  }
}

// core ValidateVolumes: DNS-label names, unique, at most one source. SetDefaults_Volume makes a
// volume with no source an emptyDir before validation, so none is fine.
function checkVolumes(list: unknown, at: (...rest: (string | number)[]) => string, add: Add): Set<string> {
  const volumes = new Set<string>();
  (Array.isArray(list) ? list : []).forEach((volume: KubeObject, i: number) => {
    if (!isObject(volume)) return;
    const name = volume.name;
    if (typeof name === 'string') {
      if (!isDnsLabel(name)) add(at('volumes', i, 'name'), `volume name "${name}" is not valid`, LABEL_RULE);
      if (volumes.has(name)) add(at('volumes', i, 'name'), `volume name "${name}" is used twice`, 'unique volume names');
      volumes.add(name);
    }
    const sources = Object.keys(volume).filter((key) => VOLUME_SOURCES.includes(key) && volume[key] !== null && volume[key] !== undefined);
    if (sources.length > 1) add(at('volumes', i), `volume has ${sources.length} sources (${sources.join(', ')})`, 'exactly one source, e.g. emptyDir or persistentVolumeClaim');
    // core validateVolumeSource: an emptyDir sizeLimit is a quantity (decoding) that is not negative.
    if (isObject(volume.emptyDir)) checkQuantity(volume.emptyDir.sizeLimit, at('volumes', i, 'emptyDir', 'sizeLimit'), add, 'nonnegative');
    const claim = volume.persistentVolumeClaim;
    if (isObject(claim) && claim.claimName === '') add(at('volumes', i, 'persistentVolumeClaim', 'claimName'), 'the claim volume names no claim', 'the name of a PersistentVolumeClaim'); // validatePersistentClaimVolumeSource
  });
  return volumes;
}

function checkContainer(container: KubeObject, path: string, init: boolean, volumes: Set<string>, hostPorts: Set<string>, spec: KubeObject, add: Add, hostPortsDefaulted: boolean): void {
  const sidecar = init && container.restartPolicy === 'Always';
  // core validateContainerCommon: an image is required.
  if (container.image === undefined || container.image === null || container.image === '') add(`${path}.image`, 'the container has no image', 'an image reference');
  checkEnum(container.imagePullPolicy, ['Always', 'Never', 'IfNotPresent'], `${path}.imagePullPolicy`, add); // validatePullPolicy
  checkEnum(container.terminationMessagePolicy, ['File', 'FallbackToLogsOnError'], `${path}.terminationMessagePolicy`, add);

  // An init container's restartPolicy Always makes it a sidecar. Any other container
  // restartPolicy belongs to the ContainerRestartRules feature (alpha, off, in 1.34): the API
  // server drops it before validation (pkg/api/pod/util.go dropContainerRestartRules), so it is
  // accepted and lost, not refused.
  if (container.restartPolicy !== undefined && container.restartPolicy !== null && !sidecar) {
    add(`${path}.restartPolicy`, `restartPolicy ${JSON.stringify(container.restartPolicy)} on ${init ? 'an init' : 'an app'} container is dropped by the API server (the ContainerRestartRules feature is off by default in 1.34)`, init ? 'Always (a sidecar), or no restartPolicy' : 'no restartPolicy', 'warning');
  }
  // core validateInitContainers: only sidecars may have probes and lifecycle hooks.
  if (init && !sidecar) {
    for (const field of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
      if (container[field] !== undefined && container[field] !== null) add(`${path}.${field}`, `an init container has a ${field}`, `no ${field} unless restartPolicy is Always (a sidecar)`);
    }
  }

  // core validateContainerPorts: port names unique within the container; hostPort+protocol
  // unique in the pod (AccumulateUniqueHostPorts).
  const portNames = new Set<string>();
  (Array.isArray(container.ports) ? container.ports : []).forEach((port: KubeObject, i: number) => {
    if (!isObject(port)) return;
    const at = `${path}.ports[${i}]`;
    checkPort(port.containerPort, `${at}.containerPort`, add, 'containerPort');
    if (port.hostPort !== undefined && port.hostPort !== null && port.hostPort !== 0) checkPort(port.hostPort, `${at}.hostPort`, add, 'hostPort');
    // The API server defaults an empty or missing protocol to TCP before validation
    // (pkg/apis/core/v1/zz_generated.defaults.go: a ContainerPort's Protocol "" becomes "TCP").
    const protocol = portProtocol(port.protocol);
    checkEnum(protocol, PROTOCOLS, `${at}.protocol`, add);
    // An empty name is no name (Go's zero value): only a set name must be valid and unique.
    if (port.name !== undefined && port.name !== null && port.name !== '') {
      checkPortName(port.name, `${at}.name`, add);
      if (portNames.has(port.name)) add(`${at}.name`, `port name "${port.name}" is used twice in the container`, 'unique port names within a container');
      portNames.add(port.name);
    }
    const hostPort = hostPortsDefaulted && (port.hostPort === undefined || port.hostPort === null || port.hostPort === 0) ? port.containerPort : port.hostPort;
    if (isInt(hostPort) && hostPort > 0) {
      const key = `${hostPort}/${protocol}${typeof port.hostIP === 'string' && port.hostIP !== '' ? ` on ${port.hostIP}` : ''}`;
      if (hostPorts.has(key)) add(`${at}.hostPort`, `hostPort ${key} is used twice in the pod`, 'each hostPort, protocol and hostIP once among the app containers (and once in each init container)');
      hostPorts.add(key);
    }
    // core validateHostNetwork: with hostNetwork, hostPort must equal containerPort.
    if (spec.hostNetwork === true && isInt(port.hostPort) && port.hostPort !== 0 && port.hostPort !== port.containerPort) {
      add(`${at}.hostPort`, `hostPort ${port.hostPort} differs from containerPort ${port.containerPort} with hostNetwork`, 'hostPort equal to containerPort');
    }
  });

  // core ValidateEnv and validateEnvVarValueFrom.
  (Array.isArray(container.env) ? container.env : []).forEach((env: KubeObject, i: number) => {
    if (!isObject(env)) return;
    const at = `${path}.env[${i}]`;
    if (typeof env.name === 'string' && !ENV_VAR_NAME.test(env.name)) {
      // RelaxedEnvironmentVariableValidation (on by default from 1.32) accepts it; 1.27 does not.
      add(`${at}.name`, `environment variable name "${env.name}" is not valid before Kubernetes 1.32`, 'letters, digits, - _ ., not starting with a digit', undefined, '1.32');
    }
    if (isObject(env.valueFrom)) {
      // fileKeyRef belongs to the EnvFiles feature (alpha, off, in 1.34): the API server drops it
      // before validation (pkg/api/pod/util.go), so it is no source.
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => isObject(env.valueFrom[k]));
      if (typeof env.value === 'string' && env.value !== '') add(at, `"${env.name}" sets both value and valueFrom`, 'one of value or valueFrom');
      else if (sources.length !== 1) add(`${at}.valueFrom`, `valueFrom has ${sources.length} sources`, 'exactly one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef');
      // validateConfigMapKeySelector / validateSecretKeySelector: the name is an object name
      // (ValidateSecretName: a DNS subdomain, so not empty), the key a ConfigMap key. The name is
      // optional in the schema: a missing one is Go's zero value "", which the API server refuses.
      for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
        const r = env.valueFrom[ref];
        if (!isObject(r)) continue;
        const refName = r.name === undefined || r.name === null ? '' : r.name;
        if (typeof refName === 'string' && !isDnsSubdomain(refName)) add(`${at}.valueFrom.${ref}.name`, `${ref === 'secretKeyRef' ? 'Secret' : 'ConfigMap'} name ${JSON.stringify(refName)} is not valid`, SUBDOMAIN_RULE);
        if (typeof r.key !== 'string' || r.key === '') add(`${at}.valueFrom.${ref}.key`, `${ref} has no key`, 'the key to read');
        else if (!isConfigMapKey(r.key)) add(`${at}.valueFrom.${ref}.key`, `key "${r.key}" is not valid`, KEY_RULE);
      }
    }
  });

  checkResources(container.resources, `${path}.resources`, add);

  // core ValidateVolumeMounts: a volume of the pod, a mount path once per container.
  const mountPaths = new Set<string>();
  (Array.isArray(container.volumeMounts) ? container.volumeMounts : []).forEach((mount: KubeObject, i: number) => {
    if (!isObject(mount)) return;
    const at = `${path}.volumeMounts[${i}]`;
    if (typeof mount.name === 'string' && !volumes.has(mount.name)) {
      add(`${at}.name`, `mounts volume "${mount.name}", which the pod does not have`, `a volume of the pod: ${[...volumes].join(', ') || 'none defined'}`);
    }
    if (mount.mountPath === '') add(`${at}.mountPath`, 'the mount has an empty mountPath', 'an absolute path');
    else if (typeof mount.mountPath === 'string') {
      if (mountPaths.has(mount.mountPath)) add(`${at}.mountPath`, `"${mount.mountPath}" is mounted twice`, 'one volume per mount path');
      mountPaths.add(mount.mountPath);
    }
    // core validateLocalDescendingPath: subPath relative, without "..".
    if (typeof mount.subPath === 'string' && mount.subPath !== '' && (mount.subPath.startsWith('/') || mount.subPath.split('/').includes('..'))) {
      add(`${at}.subPath`, `subPath "${mount.subPath}" leaves the volume`, 'a relative path without ..');
    }
  });

  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (init && !sidecar) continue;
    checkProbe(container[probe], `${path}.${probe}`, probe, add);
  }
  checkContainerSecurityContext(container, path, spec, add);
}

// pkg/apis/core/helper IsNativeResource / IsOvercommitAllowed: a resource without a domain, or
// under kubernetes.io, is native; native resources other than hugepages may be overcommitted.
function isNativeResource(resource: string): boolean {
  return !resource.includes('/') || resource.includes('kubernetes.io/');
}
function overcommitAllowed(resource: string): boolean {
  return isNativeResource(resource) && !resource.startsWith('hugepages-');
}

// core ValidateResourceRequirements (validateResourceRequirements): quantities, non-negative,
// requests <= limits; an extended resource (another domain's) counts whole units
// (ValidateResourceQuantityValue, IsIntegerResourceName); a resource that cannot be overcommitted
// (extended, hugepages) needs a limit, and a request equal to it.
function checkResources(resources: unknown, path: string, add: Add): void {
  if (!isObject(resources)) return;
  const parsed: Record<string, Record<string, number>> = {};
  for (const kind of ['requests', 'limits']) {
    const values = resources[kind];
    if (!isObject(values)) continue;
    parsed[kind] = {};
    for (const [resource, quantity] of Object.entries(values)) {
      // validateContainerResourceName: a standard container resource, or a qualified extended one.
      if (!['cpu', 'memory', 'ephemeral-storage'].includes(resource) && !/^hugepages-/.test(resource) && !resource.includes('/')) {
        add(`${path}.${kind}.${resource}`, `"${resource}" is not a container resource`, 'cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource such as example.com/gpu');
        continue;
      }
      const value = parseQuantity(quantity);
      if (value === undefined) add(`${path}.${kind}.${resource}`, `"${quantity}" is not a quantity`, QUANTITY_SYNTAX);
      else if (value < 0) add(`${path}.${kind}.${resource}`, `"${quantity}" is negative`, 'a quantity >= 0');
      else {
        if (!isNativeResource(resource) && !Number.isInteger(Math.round(value * 1000) / 1000)) add(`${path}.${kind}.${resource}`, `${quantity} of extended resource ${resource} is not a whole number`, 'a whole number of units');
        parsed[kind][resource] = value;
      }
    }
  }
  for (const [resource, request] of Object.entries(parsed.requests ?? {})) {
    const limit = parsed.limits?.[resource];
    if (limit === undefined) {
      if (!overcommitAllowed(resource) && !(isObject(resources.limits) && resource in resources.limits)) {
        add(`${path}.limits.${resource}`, `${resource} is requested without a limit`, `a limit equal to the request: ${resource} cannot be overcommitted`);
      }
    } else if (!overcommitAllowed(resource) && request !== limit) {
      add(`${path}.requests.${resource}`, `request ${resources.requests[resource]} differs from limit ${resources.limits[resource]}`, `a request equal to its limit: ${resource} cannot be overcommitted`);
    } else if (request > limit) {
      add(`${path}.requests.${resource}`, `request ${resources.requests[resource]} exceeds limit ${resources.limits[resource]}`, 'a request <= its limit');
    }
  }
}

// core validateProbe and validateHandler. Timings of 0 are defaulted (timeout 1, period 10,
// success 1, failure 3) before validation, so only negatives are refused.
function checkProbe(probe: unknown, path: string, which: string, add: Add): void {
  if (!isObject(probe)) return;
  const handlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'].filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (handlers.length !== 1) add(path, `probe has ${handlers.length} handlers`, 'exactly one of exec, httpGet, tcpSocket, grpc');
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    if (typeof probe[field] === 'number' && probe[field] < 0) add(`${path}.${field}`, `${field} is ${probe[field]}`, 'a whole number >= 0');
  }
  if (which !== 'readinessProbe' && typeof probe.successThreshold === 'number' && probe.successThreshold > 1) {
    add(`${path}.successThreshold`, `${which} successThreshold is ${probe.successThreshold}`, '1 (only a readinessProbe may require more)');
  }
  if (isObject(probe.httpGet)) {
    checkPortNumOrName(probe.httpGet.port, `${path}.httpGet.port`, add);
    checkEnum(probe.httpGet.scheme, ['HTTP', 'HTTPS'], `${path}.httpGet.scheme`, add);
  }
  if (isObject(probe.tcpSocket)) checkPortNumOrName(probe.tcpSocket.port, `${path}.tcpSocket.port`, add);
  if (isObject(probe.grpc)) checkPort(probe.grpc.port, `${path}.grpc.port`, add);
  if (isObject(probe.exec) && (!Array.isArray(probe.exec.command) || probe.exec.command.length === 0)) add(`${path}.exec.command`, 'exec probe has an empty command', 'a command');
  // validateReadinessProbe / validateProbe: a probe's own terminationGracePeriodSeconds is above 0,
  // and a readinessProbe has none (a failing readiness probe kills nothing).
  const grace = probe.terminationGracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    if (which === 'readinessProbe') add(`${path}.terminationGracePeriodSeconds`, 'a readinessProbe sets terminationGracePeriodSeconds', 'no terminationGracePeriodSeconds on a readinessProbe');
    else if (typeof grace === 'number' && grace <= 0) add(`${path}.terminationGracePeriodSeconds`, `terminationGracePeriodSeconds is ${grace}`, 'a whole number > 0');
  }
}

const SECCOMP_TYPES = ['RuntimeDefault', 'Localhost', 'Unconfined'];
const MAX_ID = 2147483647;

// k8s.io/apimachinery pkg/util/validation IsValidUserID / IsValidGroupID: user and group IDs are
// int64 fields, but only 0 to 2147483647 are valid.
function checkId(value: unknown, path: string, add: Add): void {
  if (typeof value === 'number' && (value < 0 || value > MAX_ID)) add(path, `${path.split('.').pop()} is ${value}`, `a whole number from 0 to ${MAX_ID}`);
}

// core ValidatePodSecurityContext
function checkPodSecurityContext(sc: unknown, path: string, add: Add): void {
  if (!isObject(sc)) return;
  for (const field of ['runAsUser', 'runAsGroup', 'fsGroup']) checkId(sc[field], `${path}.${field}`, add);
  (Array.isArray(sc.supplementalGroups) ? sc.supplementalGroups : []).forEach((gid: unknown, i: number) => checkId(gid, `${path}.supplementalGroups[${i}]`, add));
  checkEnum(sc.fsGroupChangePolicy, ['OnRootMismatch', 'Always'], `${path}.fsGroupChangePolicy`, add);
  if (isObject(sc.seccompProfile)) checkEnum(sc.seccompProfile.type, SECCOMP_TYPES, `${path}.seccompProfile.type`, add);
}

// core ValidateSecurityContext, plus the kubelet's runAsNonRoot check (pkg/kubelet/kuberuntime
// verifyRunAsNonRoot): it refuses to start a container that would run as uid 0.
function checkContainerSecurityContext(container: KubeObject, path: string, spec: KubeObject, add: Add): void {
  const sc = isObject(container.securityContext) ? container.securityContext : {};
  const pod = isObject(spec.securityContext) ? spec.securityContext : {};
  for (const field of ['runAsUser', 'runAsGroup']) checkId(sc[field], `${path}.securityContext.${field}`, add);
  if (isObject(sc.seccompProfile)) checkEnum(sc.seccompProfile.type, SECCOMP_TYPES, `${path}.securityContext.seccompProfile.type`, add);
  checkSeccomp(sc.seccompProfile, `${path}.securityContext.seccompProfile`, add);
  if (sc.privileged === true && sc.allowPrivilegeEscalation === false) {
    add(`${path}.securityContext.allowPrivilegeEscalation`, 'allowPrivilegeEscalation is false on a privileged container', 'allowPrivilegeEscalation true or unset when privileged');
  }
  const user = sc.runAsUser ?? pod.runAsUser;
  const nonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
  // The kubelet's check, not the API server's (which accepts the pod): a warning.
  if (nonRoot === true && user === 0) {
    add(`${path}.securityContext.runAsUser`, 'runAsNonRoot is true but runAsUser is 0: the kubelet refuses to start the container', 'a non-zero runAsUser', 'warning');
  } else if (nonRoot === true && user === undefined) {
    // The image's USER decides: a numeric non-root USER starts, a name or root does not.
    add(`${path}.securityContext.runAsUser`, 'runAsNonRoot is true without a runAsUser: the kubelet starts the container only if the image names a numeric non-root USER', 'a non-zero runAsUser the image works with', 'warning');
  }
}

// core validateTolerations
function checkTolerations(list: unknown, at: (...rest: (string | number)[]) => string, add: Add): void {
  (Array.isArray(list) ? list : []).forEach((t: KubeObject, i: number) => {
    if (!isObject(t)) return;
    checkEnum(t.operator, ['Equal', 'Exists'], at('tolerations', i, 'operator'), add);
    checkEnum(t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], at('tolerations', i, 'effect'), add);
    if (t.operator === 'Exists' && typeof t.value === 'string' && t.value !== '') add(at('tolerations', i, 'operator'), 'operator Exists with a value', 'no value with Exists');
    if ((t.key === undefined || t.key === '') && t.operator !== 'Exists') add(at('tolerations', i, 'operator'), 'a toleration without key must use operator Exists', 'operator Exists, or a key');
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') add(at('tolerations', i, 'effect'), 'tolerationSeconds with an effect other than NoExecute', 'effect NoExecute with tolerationSeconds');
  });
}

// core validateTopologySpreadConstraints
function checkSpread(list: unknown, at: (...rest: (string | number)[]) => string, add: Add): void {
  (Array.isArray(list) ? list : []).forEach((c: KubeObject, i: number) => {
    if (!isObject(c)) return;
    if (typeof c.maxSkew === 'number' && !(isInt(c.maxSkew) && c.maxSkew > 0)) add(at('topologySpreadConstraints', i, 'maxSkew'), `maxSkew is ${show(c.maxSkew)}`, 'a whole number > 0');
    if (c.topologyKey === '') add(at('topologySpreadConstraints', i, 'topologyKey'), 'the constraint has no topologyKey', 'a node label key such as topology.kubernetes.io/zone');
    checkEnum(c.whenUnsatisfiable, ['DoNotSchedule', 'ScheduleAnyway'], at('topologySpreadConstraints', i, 'whenUnsatisfiable'), add);
    checkLabelSelector(c.labelSelector, at('topologySpreadConstraints', i, 'labelSelector'), add);
    if (c.minDomains !== undefined && c.minDomains !== null && !(isInt(c.minDomains) && c.minDomains > 0)) add(at('topologySpreadConstraints', i, 'minDomains'), `minDomains is ${show(c.minDomains)}`, 'a whole number > 0');
    // validateMinDomains: minDomains only with whenUnsatisfiable DoNotSchedule.
    else if (isInt(c.minDomains) && c.whenUnsatisfiable === 'ScheduleAnyway') add(at('topologySpreadConstraints', i, 'minDomains'), 'minDomains with whenUnsatisfiable ScheduleAnyway', 'minDomains only with whenUnsatisfiable DoNotSchedule');
  });
}

