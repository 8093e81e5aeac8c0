import { isDnsSubdomain } from '../names';
import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkEnum, checkLabels, SUBDOMAIN_RULE } from './common';
import { ipVersion } from './net';

/**
 * The rest of k8s.io/kubernetes pkg/apis/core/validation/validation.go ValidatePodSpec that
 * pod.ts leaves out, found missing by test/validate/differential.test.ts: volume sources
 * (validateVolumeSource and each source's validate*VolumeSource), node selection, DNS,
 * host aliases, sysctls, seccomp profiles, the pod's OS (validateWindows), and what a bare Pod
 * meets at admission (the Priority plugin).
 */

type At = (...rest: (string | number)[]) => string;

const MAX_MODE = 0o777;
const HOST_PATH_TYPES = ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'];
const VOLUME_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.labels', 'metadata.annotations', 'metadata.uid'];
const SYSCTL = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

// validateLocalDescendingPath / ValidateLocalNonReservedPath: relative, no .. element, not starting with ..
function pathProblem(path: string, reserved: boolean): string | undefined {
  if (path.startsWith('/')) return 'is absolute';
  if (path.split('/').includes('..')) return 'contains ..';
  if (reserved && path.startsWith('..')) return 'starts with ..';
  return undefined;
}

function checkMode(mode: unknown, path: string, add: Add): void {
  if (typeof mode === 'number' && (mode < 0 || mode > MAX_MODE)) add(path, `mode ${mode} is out of range`, 'a file mode from 0 to 0777 (511 in decimal)');
}

// validateKeyToPath: a key, and a relative path inside the volume.
function checkItems(items: unknown, at: string, add: Add): void {
  (Array.isArray(items) ? items : []).forEach((item: KubeObject, i: number) => {
    if (!isObject(item)) return;
    if (item.key === '') add(`${at}[${i}].key`, 'the item has no key', 'the key to project');
    if (typeof item.path === 'string') {
      const problem = item.path === '' ? 'is empty' : pathProblem(item.path, true);
      if (problem) add(`${at}[${i}].path`, `path "${item.path}" ${problem}`, 'a relative path inside the volume, without ..');
    }
    checkMode(item.mode, `${at}[${i}].mode`, add);
  });
}

/** validateVolumeSource for the sources pod.ts does not judge, each volume at `at('volumes', i)`. */
export function checkVolumeSources(volumes: unknown, at: At, add: Add): void {
  (Array.isArray(volumes) ? volumes : []).forEach((volume: KubeObject, i: number) => {
    if (!isObject(volume)) return;
    const v = (...rest: (string | number)[]) => at('volumes', i, ...rest);
    // validateHostPathType ("" is the unset type).
    if (isObject(volume.hostPath) && volume.hostPath.type !== '') checkEnum(volume.hostPath.type, HOST_PATH_TYPES.filter(Boolean), v('hostPath', 'type'), add);
    for (const source of ['configMap', 'secret'] as const) {
      const s = volume[source];
      if (!isObject(s)) continue;
      checkItems(s.items, v(source, 'items'), add);
      checkMode(s.defaultMode, v(source, 'defaultMode'), add);
    }
    if (isObject(volume.downwardAPI)) {
      checkMode(volume.downwardAPI.defaultMode, v('downwardAPI', 'defaultMode'), add);
      (Array.isArray(volume.downwardAPI.items) ? volume.downwardAPI.items : []).forEach((file: KubeObject, j: number) => {
        if (!isObject(file)) return;
        // validateDownwardAPIVolumeFile: only the object's own metadata (spec.nodeName is for env only).
        const fieldPath = file.fieldRef?.fieldPath;
        if (typeof fieldPath === 'string' && !VOLUME_FIELD_PATHS.includes(fieldPath) && !/^metadata\.(labels|annotations)\['.+'\]$/.test(fieldPath)) {
          add(v('downwardAPI', 'items', j, 'fieldRef', 'fieldPath'), `"${fieldPath}" cannot be projected into a volume`, `one of ${VOLUME_FIELD_PATHS.join(', ')}, or metadata.labels['<key>'] / metadata.annotations['<key>']`);
        }
        if (typeof file.path === 'string') {
          const problem = file.path === '' ? 'is empty' : pathProblem(file.path, true);
          if (problem) add(v('downwardAPI', 'items', j, 'path'), `path "${file.path}" ${problem}`, 'a relative path inside the volume, without ..');
        }
        checkMode(file.mode, v('downwardAPI', 'items', j, 'mode'), add);
      });
    }
    if (isObject(volume.projected)) {
      checkMode(volume.projected.defaultMode, v('projected', 'defaultMode'), add);
      (Array.isArray(volume.projected.sources) ? volume.projected.sources : []).forEach((source: KubeObject, j: number) => {
        const token = source?.serviceAccountToken;
        // validateProjectionSources: a token lives 10 minutes to 2^32 seconds.
        if (isObject(token) && typeof token.expirationSeconds === 'number' && (token.expirationSeconds < 600 || token.expirationSeconds > 2 ** 32)) {
          add(v('projected', 'sources', j, 'serviceAccountToken', 'expirationSeconds'), `expirationSeconds is ${token.expirationSeconds}`, 'from 600 (10 minutes) to 4294967296');
        }
        for (const kind of ['configMap', 'secret']) if (isObject(source?.[kind])) checkItems(source[kind].items, v('projected', 'sources', j, kind, 'items'), add);
      });
    }
    if (isObject(volume.nfs)) {
      // validateNFSVolumeSource
      if (volume.nfs.server === '' || volume.nfs.server === undefined) add(v('nfs', 'server'), 'the nfs volume names no server', 'the NFS server\'s host name or address');
      if (typeof volume.nfs.path === 'string' && !volume.nfs.path.startsWith('/')) add(v('nfs', 'path'), `path "${volume.nfs.path}" is not absolute`, 'the exported path, starting with /');
    }
    if (isObject(volume.csi) && typeof volume.csi.driver === 'string') {
      // ValidateCSIDriverName: at most 63 characters, a DNS subdomain in any case.
      if (volume.csi.driver.length > 63 || !isDnsSubdomain(volume.csi.driver.toLowerCase())) add(v('csi', 'driver'), `CSI driver name "${volume.csi.driver}" is not valid`, 'at most 63 characters of a DNS subdomain, e.g. csi.example.com');
    }
    const template = volume.ephemeral?.volumeClaimTemplate;
    if (isObject(template) && isObject(template.metadata)) {
      // ValidatePersistentVolumeClaimTemplate: the claim is named after the pod and volume.
      for (const field of ['name', 'namespace', 'generateName']) {
        if (template.metadata[field] !== undefined && template.metadata[field] !== null) add(v('ephemeral', 'volumeClaimTemplate', 'metadata', field), `${field} is set on an ephemeral volume's claim template`, `no ${field}: the claim is named <pod>-<volume>`);
      }
    }
  });
}

// validateSeccompProfileField: Localhost needs a relative localhostProfile, no other type takes one.
export function checkSeccomp(profile: unknown, at: string, add: Add): void {
  if (!isObject(profile)) return;
  const local = profile.localhostProfile;
  if (profile.type === 'Localhost') {
    if (typeof local !== 'string') add(`${at}.localhostProfile`, 'seccomp type Localhost without a localhostProfile', 'the profile\'s path, relative to the kubelet\'s seccomp folder');
    else if (pathProblem(local, false)) add(`${at}.localhostProfile`, `localhostProfile "${local}" ${pathProblem(local, false)}`, 'a relative path without ..');
  } else if (local !== undefined && local !== null) add(`${at}.localhostProfile`, `localhostProfile with seccomp type ${String(profile.type)}`, 'localhostProfile only with type Localhost');
}

const WINDOWS_POD_FIELDS = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'fsGroup', 'fsGroupChangePolicy', 'sysctls', 'runAsUser', 'runAsGroup', 'supplementalGroups', 'supplementalGroupsPolicy', 'seLinuxChangePolicy'];
const WINDOWS_CONTAINER_FIELDS = ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup'];

/** The pod spec's own fields pod.ts leaves out. */
export function checkPodFields(spec: KubeObject, at: At, add: Add): void {
  checkLabels(spec.nodeSelector, at('nodeSelector'), add); // ValidatePodSpec: ValidateLabels(NodeSelector)
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  // ValidateNodeSelector: a required node selector has at least one term.
  if (isObject(terms) && (!Array.isArray(terms.nodeSelectorTerms) || terms.nodeSelectorTerms.length === 0)) add(at('affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'), 'a required node affinity has no terms', 'at least one node selector term');
  // validatePodDNSConfig: nameservers are addresses, at most 3.
  const nameservers = spec.dnsConfig?.nameservers;
  if (Array.isArray(nameservers)) {
    if (nameservers.length > 3) add(at('dnsConfig', 'nameservers'), `${nameservers.length} nameservers`, 'at most 3');
    nameservers.forEach((ns: unknown, i: number) => { if (typeof ns === 'string' && ipVersion(ns) === 0) add(at('dnsConfig', 'nameservers', i), `"${ns}" is not an IP address`, 'an IPv4 or IPv6 address'); });
  }
  // ValidateHostAliases: an address, and DNS names.
  (Array.isArray(spec.hostAliases) ? spec.hostAliases : []).forEach((alias: KubeObject, i: number) => {
    if (!isObject(alias)) return;
    if (typeof alias.ip === 'string' && ipVersion(alias.ip) === 0) add(at('hostAliases', i, 'ip'), `"${alias.ip}" is not an IP address`, 'an IPv4 or IPv6 address');
    (Array.isArray(alias.hostnames) ? alias.hostnames : []).forEach((host: unknown, j: number) => {
      if (typeof host === 'string' && !isDnsSubdomain(host)) add(at('hostAliases', i, 'hostnames', j), `hostname "${host}" is not valid`, SUBDOMAIN_RULE);
    });
  });
  const sc = isObject(spec.securityContext) ? spec.securityContext : {};
  // validateSysctls: names of the kernel's form.
  (Array.isArray(sc.sysctls) ? sc.sysctls : []).forEach((sysctl: KubeObject, i: number) => {
    if (isObject(sysctl) && typeof sysctl.name === 'string' && (sysctl.name.length > 253 || !SYSCTL.test(sysctl.name))) add(at('securityContext', 'sysctls', i, 'name'), `sysctl name "${sysctl.name}" is not valid`, 'a kernel parameter name, e.g. net.ipv4.ip_local_port_range');
  });
  checkSeccomp(sc.seccompProfile, at('securityContext', 'seccompProfile'), add);
  if (spec.shareProcessNamespace === true && spec.hostPID === true) add(at('securityContext', 'shareProcessNamespace'), 'shareProcessNamespace and hostPID are both true', 'one of them');
  checkEnum(spec.preemptionPolicy, ['PreemptLowerPriority', 'Never'], at('preemptionPolicy'), add);
  if (typeof spec.runtimeClassName === 'string' && !isDnsSubdomain(spec.runtimeClassName)) add(at('runtimeClassName'), `RuntimeClass name "${spec.runtimeClassName}" is not valid`, SUBDOMAIN_RULE);
  // validateOS / validateWindows / validateLinux
  const os = spec.os?.name;
  if (os !== undefined && os !== null) checkEnum(os, ['linux', 'windows'], at('os', 'name'), add);
  const containers = ['initContainers', 'containers'].flatMap((field) => (Array.isArray(spec[field]) ? spec[field].map((c: unknown, i: number) => [c, at(field, i)] as const) : []));
  if (os === 'windows') {
    // hostPID and hostIPC are plain booleans there: only true is refused; the other fields are
    // pointers, refused when set to anything; sysctls when the list holds one (len(Sysctls) > 0).
    for (const field of ['hostPID', 'hostIPC']) if (spec[field] === true) add(at(field), `${field} is set on a windows pod`, 'no such field on a windows pod');
    for (const field of ['hostUsers', 'shareProcessNamespace']) if (spec[field] !== undefined && spec[field] !== null) add(at(field), `${field} is set on a windows pod`, 'no such field on a windows pod');
    const emptyList = (value: unknown) => Array.isArray(value) && value.length === 0;
    for (const field of WINDOWS_POD_FIELDS) if (sc[field] !== undefined && sc[field] !== null && !(field === 'sysctls' && emptyList(sc[field]))) add(at('securityContext', field), `securityContext.${field} is set on a windows pod`, 'no such field on a windows pod');
    for (const [container, path] of containers) {
      const csc = isObject(container) && isObject(container.securityContext) ? container.securityContext : {};
      for (const field of WINDOWS_CONTAINER_FIELDS) if (csc[field] !== undefined && csc[field] !== null) add(`${path}.securityContext.${field}`, `securityContext.${field} is set in a windows pod`, 'no such field on a windows pod');
    }
  } else if (os === 'linux') {
    if (isObject(sc.windowsOptions)) add(at('securityContext', 'windowsOptions'), 'windowsOptions on a linux pod', 'no windowsOptions on a linux pod');
    for (const [container, path] of containers) if (isObject(container) && isObject(container.securityContext?.windowsOptions)) add(`${path}.securityContext.windowsOptions`, 'windowsOptions in a linux pod', 'no windowsOptions on a linux pod');
  }
}

/**
 * What a bare Pod meets at admission that a template does not: the Priority plugin
 * (plugin/pkg/admission/priority) computes spec.priority from the priorityClassName and refuses
 * one written in the manifest; a runtimeClassName must name a RuntimeClass of the cluster (the
 * RuntimeClass plugin), which no manifest shows: a warning.
 */
export function checkBarePod(spec: KubeObject, add: Add): void {
  if (spec.priority !== undefined && spec.priority !== null) add('spec.priority', 'spec.priority is set: the Priority admission plugin computes it from priorityClassName and refuses a written one', 'no priority (set priorityClassName)');
  if (typeof spec.runtimeClassName === 'string' && spec.runtimeClassName !== '') add('spec.runtimeClassName', `the Pod is refused unless the cluster has RuntimeClass "${spec.runtimeClassName}"`, 'a RuntimeClass of the target cluster', 'warning');
}
