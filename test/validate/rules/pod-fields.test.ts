import { checkApiRules } from '../../../lib/validate/api-rules';
import { KubeObject } from '../../../lib/validate/problem';

// The pod spec rules of lib/validate/rules/pod-fields.ts: each found missing by the differential
// suite (test/validate/differential.test.ts), where the real API server refused what the
// validator accepted. A Deployment carries the pod spec; a bare Pod what its admission adds.
const S = 'spec.template.spec';
const C = `${S}.containers[0]`;
function deployment(spec: KubeObject, container: KubeObject = {}): KubeObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }], ...spec } } },
  };
}
const found = (object: KubeObject) => checkApiRules(object).map((f) => `${f.path}: ${f.message}${f.severity ? ` [${f.severity}]` : ''}`);
const volume = (source: KubeObject) => deployment({ volumes: [{ name: 'v', ...source }] });
// The whole of each finding: path, message and the allowed text the user reads.
const problems = (object: KubeObject) => checkApiRules(object).map(({ path, message, allowed }) => ({ path, message, allowed }));

describe('volume sources', () => {
  test.each([
    ['a hostPath type outside the enum', { hostPath: { path: '/x', type: 'Sometimes' } }, [`${S}.volumes[0].hostPath.type: "Sometimes" is not a supported value`]],
    ['a configMap item path with ..', { configMap: { name: 'c', items: [{ key: 'k', path: '../x' }] } }, [`${S}.volumes[0].configMap.items[0].path: path "../x" contains ..`]],
    ['a secret item path that is absolute', { secret: { secretName: 's', items: [{ key: 'k', path: '/abs' }] } }, [`${S}.volumes[0].secret.items[0].path: path "/abs" is absolute`]],
    ['an item path starting with ..', { configMap: { name: 'c', items: [{ key: 'k', path: '..data' }] } }, [`${S}.volumes[0].configMap.items[0].path: path "..data" starts with ..`]],
    ['an item without key', { configMap: { name: 'c', items: [{ key: '', path: 'x' }] } }, [`${S}.volumes[0].configMap.items[0].key: the item has no key`]],
    ['a defaultMode above 0777', { configMap: { name: 'c', defaultMode: 1000 } }, [`${S}.volumes[0].configMap.defaultMode: mode 1000 is out of range`]],
    ['a downwardAPI field the volume cannot project', { downwardAPI: { items: [{ path: 'x', fieldRef: { fieldPath: 'spec.nodeName' } }] } }, [`${S}.volumes[0].downwardAPI.items[0].fieldRef.fieldPath: "spec.nodeName" cannot be projected into a volume`]],
    ['a token of a minute', { projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 60 } }] } }, [`${S}.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: expirationSeconds is 60`]],
    ['an nfs volume without a server, on a relative path', { nfs: { server: '', path: 'x' } }, [`${S}.volumes[0].nfs.server: the nfs volume names no server`, `${S}.volumes[0].nfs.path: path "x" is not absolute`]],
    ['a CSI driver name with a space', { csi: { driver: 'Bad Driver' } }, [`${S}.volumes[0].csi.driver: CSI driver name "Bad Driver" is not valid`]],
    ['an ephemeral claim template with a name', { ephemeral: { volumeClaimTemplate: { metadata: { name: 'x' }, spec: {} } } }, [`${S}.volumes[0].ephemeral.volumeClaimTemplate.metadata.name: name is set on an ephemeral volume's claim template`]],
  ])('%s is refused', (_what, source, expected) => {
    expect(found(volume(source))).toEqual(expected);
  });

  test.each([
    ['a hostPath of the unset type', { hostPath: { path: '/x', type: '' } }],
    ['a hostPath DirectoryOrCreate', { hostPath: { path: '/x', type: 'DirectoryOrCreate' } }],
    ['a defaultMode of 0777', { configMap: { name: 'c', defaultMode: 511, items: [{ key: 'k', path: 'conf/app.yaml', mode: 0o644 }] } }],
    ['downwardAPI labels and one annotation', { downwardAPI: { items: [{ path: 'l', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'a', fieldRef: { fieldPath: "metadata.annotations['x']" } }] } }],
    ['a token of ten minutes', { projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 600 } }] } }],
    ['a CSI driver name in capitals', { csi: { driver: 'CSI.Example.com' } }],
  ])('%s is accepted', (_what, source) => {
    expect(found(volume(source))).toEqual([]);
  });

  test('a file mode below 0 is refused, 0 is not, and a mode that is no number is the schema\'s to judge', () => {
    expect(problems(volume({ configMap: { name: 'c', defaultMode: -1 } }))).toEqual([
      { path: `${S}.volumes[0].configMap.defaultMode`, message: 'mode -1 is out of range', allowed: 'a file mode from 0 to 0777 (511 in decimal)' },
    ]);
    expect(found(volume({ configMap: { name: 'c', defaultMode: 0 } }))).toEqual([]);
    expect(found(volume({ secret: { secretName: 's', defaultMode: '-1' } }))).toEqual([]);
  });

  test('each item of a configMap is judged: key, path and mode, whatever else the list holds', () => {
    const items = [null, { key: '', path: 'a' }, { key: 'k', path: '' }, { key: 'k', path: 'b', mode: 512 }, { key: 'k', path: 7 }];
    expect(problems(volume({ configMap: { name: 'c', items } }))).toEqual([
      { path: `${S}.volumes[0].configMap.items[1].key`, message: 'the item has no key', allowed: 'the key to project' },
      { path: `${S}.volumes[0].configMap.items[2].path`, message: 'path "" is empty', allowed: 'a relative path inside the volume, without ..' },
      { path: `${S}.volumes[0].configMap.items[3].mode`, message: 'mode 512 is out of range', allowed: 'a file mode from 0 to 0777 (511 in decimal)' },
    ]);
  });

  test('a hostPath type outside the enum names the types, not the unset one', () => {
    expect(problems(volume({ hostPath: { path: '/x', type: 'Sometimes' } }))).toEqual([
      { path: `${S}.volumes[0].hostPath.type`, message: '"Sometimes" is not a supported value', allowed: 'one of DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice, BlockDevice' },
    ]);
  });

  test('each downwardAPI file is judged: its path, its mode, and the volume\'s defaultMode', () => {
    const fieldRef = { fieldPath: 'metadata.name' };
    const items = [
      null,
      { path: 'cpu', resourceFieldRef: { containerName: 'web', resource: 'limits.cpu' } },
      { path: '', fieldRef },
      { path: '/abs', fieldRef },
      { path: '..data', fieldRef },
      { path: 'm', fieldRef, mode: 512 },
      { path: 7, fieldRef },
    ];
    const rule = 'a relative path inside the volume, without ..';
    expect(problems(volume({ downwardAPI: { defaultMode: -1, items } }))).toEqual([
      { path: `${S}.volumes[0].downwardAPI.defaultMode`, message: 'mode -1 is out of range', allowed: 'a file mode from 0 to 0777 (511 in decimal)' },
      { path: `${S}.volumes[0].downwardAPI.items[2].path`, message: 'path "" is empty', allowed: rule },
      { path: `${S}.volumes[0].downwardAPI.items[3].path`, message: 'path "/abs" is absolute', allowed: rule },
      { path: `${S}.volumes[0].downwardAPI.items[4].path`, message: 'path "..data" starts with ..', allowed: rule },
      { path: `${S}.volumes[0].downwardAPI.items[5].mode`, message: 'mode 512 is out of range', allowed: 'a file mode from 0 to 0777 (511 in decimal)' },
    ]);
  });

  test('a downwardAPI fieldPath is a whole metadata path: a subscript of labels or annotations, nothing around it', () => {
    const file = (fieldPath: string) => volume({ downwardAPI: { items: [{ path: 'f', fieldRef: { fieldPath } }] } });
    const allowed = "one of metadata.name, metadata.namespace, metadata.labels, metadata.annotations, metadata.uid, or metadata.labels['<key>'] / metadata.annotations['<key>']";
    const at = `${S}.volumes[0].downwardAPI.items[0].fieldRef.fieldPath`;
    expect(found(file("metadata.labels['app']"))).toEqual([]);
    expect(problems(file("spec.metadata.labels['app']"))).toEqual([{ path: at, message: `"spec.metadata.labels['app']" cannot be projected into a volume`, allowed }]);
    expect(problems(file("metadata.labels['app']x"))).toEqual([{ path: at, message: `"metadata.labels['app']x" cannot be projected into a volume`, allowed }]);
  });

  test('each projected source is judged: token lifetimes at both ends, configMap and secret items, the defaultMode', () => {
    const sources = [
      null,
      { configMap: { name: 'c', items: [{ key: 'k', path: '/a' }] } },
      { secret: { name: 's', items: [{ key: 'k', path: '../b' }] } },
      { serviceAccountToken: { path: 't', expirationSeconds: '60' } },
      { serviceAccountToken: { path: 't', expirationSeconds: 2 ** 32 } },
      { serviceAccountToken: { path: 't', expirationSeconds: 2 ** 32 + 1 } },
    ];
    const rule = 'a relative path inside the volume, without ..';
    expect(problems(volume({ projected: { defaultMode: -1, sources } }))).toEqual([
      { path: `${S}.volumes[0].projected.defaultMode`, message: 'mode -1 is out of range', allowed: 'a file mode from 0 to 0777 (511 in decimal)' },
      { path: `${S}.volumes[0].projected.sources[1].configMap.items[0].path`, message: 'path "/a" is absolute', allowed: rule },
      { path: `${S}.volumes[0].projected.sources[2].secret.items[0].path`, message: 'path "../b" contains ..', allowed: rule },
      { path: `${S}.volumes[0].projected.sources[5].serviceAccountToken.expirationSeconds`, message: 'expirationSeconds is 4294967297', allowed: 'from 600 (10 minutes) to 4294967296' },
    ]);
  });

  test('an nfs volume needs a server and an absolute path', () => {
    expect(found(volume({ nfs: { server: 'nfs.example.com', path: '/exports' } }))).toEqual([]);
    expect(problems(volume({ nfs: { path: '/exports' } }))).toEqual([
      { path: `${S}.volumes[0].nfs.server`, message: 'the nfs volume names no server', allowed: 'the NFS server\'s host name or address' },
    ]);
    expect(problems(volume({ nfs: { server: 'nfs.example.com', path: 'exports/' } }))).toEqual([
      { path: `${S}.volumes[0].nfs.path`, message: 'path "exports/" is not absolute', allowed: 'the exported path, starting with /' },
    ]);
  });

  test('a CSI driver name is at most 63 characters', () => {
    expect(found(volume({ csi: { driver: `${'a'.repeat(59)}.com` } }))).toEqual([]);
    const long = `${'a'.repeat(60)}.com`;
    expect(problems(volume({ csi: { driver: long } }))).toEqual([
      { path: `${S}.volumes[0].csi.driver`, message: `CSI driver name "${long}" is not valid`, allowed: 'at most 63 characters of a DNS subdomain, e.g. csi.example.com' },
    ]);
  });

  test('an ephemeral claim template names no namespace nor generateName; a null name is no name', () => {
    const at = `${S}.volumes[0].ephemeral.volumeClaimTemplate.metadata`;
    expect(problems(volume({ ephemeral: { volumeClaimTemplate: { metadata: { name: null, namespace: 'shop', generateName: 'data-', labels: { app: 'web' } }, spec: {} } } }))).toEqual([
      { path: `${at}.namespace`, message: 'namespace is set on an ephemeral volume\'s claim template', allowed: 'no namespace: the claim is named <pod>-<volume>' },
      { path: `${at}.generateName`, message: 'generateName is set on an ephemeral volume\'s claim template', allowed: 'no generateName: the claim is named <pod>-<volume>' },
    ]);
  });
});

describe('pod fields', () => {
  test.each([
    ['a nodeSelector value with a space', { nodeSelector: { 'kubernetes.io/os': 'has space' } }, [`${S}.nodeSelector.kubernetes.io/os: label value "has space" is not valid`]],
    ['a required node affinity without terms', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }, [`${S}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: a required node affinity has no terms`]],
    ['a nameserver that is no address, and four of them', { dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', 'dns'] } }, [`${S}.dnsConfig.nameservers: 4 nameservers`, `${S}.dnsConfig.nameservers[3]: "dns" is not an IP address`]],
    ['a host alias of no address and a bad name', { hostAliases: [{ ip: 'x', hostnames: ['Bad_Host'] }] }, [`${S}.hostAliases[0].ip: "x" is not an IP address`, `${S}.hostAliases[0].hostnames[0]: hostname "Bad_Host" is not valid`]],
    ['a sysctl name with a space', { securityContext: { sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }, { name: 'bad name', value: '1' }] } }, [`${S}.securityContext.sysctls[1].name: sysctl name "bad name" is not valid`]],
    ['seccomp Localhost without a profile', { securityContext: { seccompProfile: { type: 'Localhost' } } }, [`${S}.securityContext.seccompProfile.localhostProfile: seccomp type Localhost without a localhostProfile`]],
    ['a localhostProfile with RuntimeDefault', { securityContext: { seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'x.json' } } }, [`${S}.securityContext.seccompProfile.localhostProfile: localhostProfile with seccomp type RuntimeDefault`]],
    ['shareProcessNamespace with hostPID', { shareProcessNamespace: true, hostPID: true }, [`${S}.securityContext.shareProcessNamespace: shareProcessNamespace and hostPID are both true`]],
    ['a preemptionPolicy outside the enum', { preemptionPolicy: 'Sometimes' }, [`${S}.preemptionPolicy: "Sometimes" is not a supported value`]],
    ['a RuntimeClass name with an underscore', { runtimeClassName: 'Bad_Class' }, [`${S}.runtimeClassName: RuntimeClass name "Bad_Class" is not valid`]],
    ['an OS outside the enum', { os: { name: 'plan9' } }, [`${S}.os.name: "plan9" is not a supported value`]],
    ['a windows pod with Linux-only fields', { os: { name: 'windows' }, hostPID: true, securityContext: { runAsUser: 1000 } }, [`${S}.hostPID: hostPID is set on a windows pod`, `${S}.securityContext.runAsUser: securityContext.runAsUser is set on a windows pod`]],
    ['a linux pod with windowsOptions', { os: { name: 'linux' }, securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } } }, [`${S}.securityContext.windowsOptions: windowsOptions on a linux pod`]],
  ])('%s is refused', (_what, spec, expected) => {
    expect(found(deployment(spec))).toEqual(expected);
  });

  test('a container of a windows pod may not set Linux-only fields', () => {
    expect(found(deployment({ os: { name: 'windows' } }, { securityContext: { capabilities: { drop: ['ALL'] }, windowsOptions: { runAsUserName: 'ContainerUser' } } }))).toEqual([`${C}.securityContext.capabilities: securityContext.capabilities is set in a windows pod`]);
  });

  test('a container\'s seccomp profile is judged as the pod\'s', () => {
    expect(found(deployment({}, { securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: '../x.json' } } }))).toEqual([`${C}.securityContext.seccompProfile.localhostProfile: localhostProfile "../x.json" contains ..`]);
  });

  test.each([
    ['dnsPolicy None with nameservers', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1', 'fd00::1'] } }],
    ['sysctls of the kernel\'s form', { securityContext: { sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65535' }, { name: 'kernel/shm_rmid_forced', value: '1' }] } }],
    ['seccomp Localhost with a relative profile', { securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } } }],
    ['a linux pod', { os: { name: 'linux' }, hostPID: true }],
  ])('%s is accepted', (_what, spec) => {
    expect(found(deployment(spec))).toEqual([]);
  });

  test('a seccomp localhostProfile is a relative path without a .. element, set with type Localhost alone', () => {
    const seccomp = (seccompProfile: KubeObject) => deployment({ securityContext: { seccompProfile } });
    const at = `${S}.securityContext.seccompProfile.localhostProfile`;
    expect(problems(seccomp({ type: 'Localhost' }))).toEqual([{ path: at, message: 'seccomp type Localhost without a localhostProfile', allowed: 'the profile\'s path, relative to the kubelet\'s seccomp folder' }]);
    expect(problems(seccomp({ type: 'Localhost', localhostProfile: '/abs.json' }))).toEqual([{ path: at, message: 'localhostProfile "/abs.json" is absolute', allowed: 'a relative path without ..' }]);
    // validateLocalDescendingPath refuses a .. element, not a name starting with .. (validateLocalNonReservedPath does).
    expect(found(seccomp({ type: 'Localhost', localhostProfile: '..profiles/audit.json' }))).toEqual([]);
    expect(problems(seccomp({ type: 'RuntimeDefault', localhostProfile: 'x.json' }))).toEqual([{ path: at, message: 'localhostProfile with seccomp type RuntimeDefault', allowed: 'localhostProfile only with type Localhost' }]);
    expect(found(seccomp({ type: 'RuntimeDefault', localhostProfile: null }))).toEqual([]);
  });

  test('a required node affinity with a term is accepted; without, the finding says what is needed', () => {
    const required = (nodeSelectorTerms: unknown) => deployment({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } } });
    expect(found(required([{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }]))).toEqual([]);
    expect(problems(required([]))).toEqual([
      { path: `${S}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, message: 'a required node affinity has no terms', allowed: 'at least one node selector term' },
    ]);
  });

  test('three nameservers are accepted, four are not; a nameserver that is no string is the schema\'s', () => {
    expect(found(deployment({ dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'] } }))).toEqual([]);
    expect(found(deployment({ dnsConfig: { nameservers: [53] } }))).toEqual([]);
    expect(problems(deployment({ dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', 'dns'] } }))).toEqual([
      { path: `${S}.dnsConfig.nameservers`, message: '4 nameservers', allowed: 'at most 3' },
      { path: `${S}.dnsConfig.nameservers[3]`, message: '"dns" is not an IP address', allowed: 'an IPv4 or IPv6 address' },
    ]);
  });

  test('host aliases of an address and DNS names are accepted, whatever else the list holds', () => {
    expect(found(deployment({ hostAliases: [null, { ip: '10.0.0.1', hostnames: ['db.local', 5] }, { ip: 7 }, { ip: 'fd00::1' }] }))).toEqual([]);
    expect(problems(deployment({ hostAliases: [{ ip: '10.0.0.300' }] }))).toEqual([
      { path: `${S}.hostAliases[0].ip`, message: '"10.0.0.300" is not an IP address', allowed: 'an IPv4 or IPv6 address' },
    ]);
  });

  test('a sysctl name is at most 253 characters', () => {
    expect(found(deployment({ securityContext: { sysctls: [null, { name: {} }, { name: 'a'.repeat(253), value: '1' }] } }))).toEqual([]);
    const long = 'a'.repeat(254);
    expect(problems(deployment({ securityContext: { sysctls: [{ name: long, value: '1' }] } }))).toEqual([
      { path: `${S}.securityContext.sysctls[0].name`, message: `sysctl name "${long}" is not valid`, allowed: 'a kernel parameter name, e.g. net.ipv4.ip_local_port_range' },
    ]);
  });

  test('shareProcessNamespace goes with hostPID false, not with hostPID true', () => {
    expect(found(deployment({ shareProcessNamespace: true, hostPID: false }))).toEqual([]);
    expect(problems(deployment({ shareProcessNamespace: true, hostPID: true }))).toEqual([
      { path: `${S}.securityContext.shareProcessNamespace`, message: 'shareProcessNamespace and hostPID are both true', allowed: 'one of them' },
    ]);
  });

  test('a windows pod may not set the Linux-only fields that are set, null being unset', () => {
    const rule = 'no such field on a windows pod';
    expect(problems(deployment(
      { os: { name: 'windows' }, hostIPC: true, hostUsers: true, shareProcessNamespace: false, securityContext: { runAsUser: null, runAsGroup: 0 } },
      { securityContext: { privileged: null, procMount: 'Default' } },
    ))).toEqual([
      { path: `${S}.hostIPC`, message: 'hostIPC is set on a windows pod', allowed: rule },
      { path: `${S}.hostUsers`, message: 'hostUsers is set on a windows pod', allowed: rule },
      { path: `${S}.shareProcessNamespace`, message: 'shareProcessNamespace is set on a windows pod', allowed: rule },
      { path: `${S}.securityContext.runAsGroup`, message: 'securityContext.runAsGroup is set on a windows pod', allowed: rule },
      { path: `${C}.securityContext.procMount`, message: 'securityContext.procMount is set in a windows pod', allowed: rule },
    ]);
    expect(found(deployment({ os: { name: 'windows' }, hostPID: null, hostUsers: null }))).toEqual([]);
  });

  test('a windows pod may not set supplementalGroups, not even empty (validateWindows: SupplementalGroups != nil; kube-apiserver 1.34.2 refuses [])', () => {
    expect(found(deployment({ os: { name: 'windows' }, securityContext: { supplementalGroups: [] } }))).toEqual([`${S}.securityContext.supplementalGroups: securityContext.supplementalGroups is set on a windows pod`]);
  });

  test('a windows pod may write hostPID and hostIPC false and an empty sysctls list (validateWindows refuses true, and a sysctl)', () => {
    expect(found(deployment({ os: { name: 'windows' }, hostPID: false, hostIPC: false, securityContext: { sysctls: [] } }))).toEqual([]);
    expect(found(deployment({ os: { name: 'windows' }, hostPID: true, securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }))).toEqual([
      `${S}.hostPID: hostPID is set on a windows pod`,
      `${S}.securityContext.sysctls: securityContext.sysctls is set on a windows pod`,
    ]);
  });

  // k8s.io/kubernetes pkg/apis/core/validation/validation.go validateWindows (1.34): each of these
  // pod securityContext fields, and each of these fields of every container's securityContext
  // (VisitContainersWithPath: init containers too), "cannot be set for a windows pod".
  test('a windows pod may set none of the Linux-only securityContext fields, in the pod or in any container', () => {
    const podFields: KubeObject = {
      appArmorProfile: { type: 'RuntimeDefault' }, seLinuxOptions: { level: 's0:c123,c456' }, seccompProfile: { type: 'RuntimeDefault' },
      fsGroup: 2000, fsGroupChangePolicy: 'OnRootMismatch', sysctls: [{ name: 'kernel.msgmax', value: '65536' }], runAsUser: 1000,
      runAsGroup: 3000, supplementalGroups: [4000], supplementalGroupsPolicy: 'Strict', seLinuxChangePolicy: 'MountOption',
    };
    const containerFields: KubeObject = {
      appArmorProfile: { type: 'RuntimeDefault' }, seLinuxOptions: { level: 's0:c123,c456' }, seccompProfile: { type: 'RuntimeDefault' },
      capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, privileged: false, allowPrivilegeEscalation: false,
      procMount: 'Default', runAsUser: 1000, runAsGroup: 3000,
    };
    const rule = 'no such field on a windows pod';
    const init = `${S}.initContainers[0]`;
    const object = deployment(
      { os: { name: 'windows' }, securityContext: podFields, initContainers: [{ name: 'setup', image: 'busybox:1.37', securityContext: containerFields }] },
      { securityContext: containerFields },
    );
    const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
    expect(problems(object).sort(byPath)).toEqual([
      ...Object.keys(podFields).map((field) => ({ path: `${S}.securityContext.${field}`, message: `securityContext.${field} is set on a windows pod`, allowed: rule })),
      ...[init, C].flatMap((at) => Object.keys(containerFields).map((field) => ({ path: `${at}.securityContext.${field}`, message: `securityContext.${field} is set in a windows pod`, allowed: rule }))),
    ].sort(byPath));
    // The same fields on a linux pod are its own.
    expect(found(deployment({ os: { name: 'linux' }, securityContext: podFields }, { securityContext: containerFields }))).toEqual([]);
  });

  // validateLinux runs only when spec.os.name is linux (ValidatePodSpec switches on OS.Name); a pod
  // without os may carry windowsOptions (a Windows node reads them, a Linux node ignores them).
  test('windowsOptions are refused on a linux pod only, not on a pod that names no OS', () => {
    expect(found(deployment({ securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } } }, { securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } } }))).toEqual([]);
    expect(found(deployment({ os: { name: 'windows' }, securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } } }))).toEqual([]);
  });

  // validatePreemptionPolicy: PreemptLowerPriority or Never (core.PreemptLowerPriority, core.PreemptNever).
  test('preemptionPolicy takes PreemptLowerPriority and Never, and the finding names both', () => {
    expect(found(deployment({ preemptionPolicy: 'PreemptLowerPriority' }))).toEqual([]);
    expect(found(deployment({ preemptionPolicy: 'Never' }))).toEqual([]);
    expect(problems(deployment({ preemptionPolicy: 'never' }))).toEqual([
      { path: `${S}.preemptionPolicy`, message: '"never" is not a supported value', allowed: 'one of PreemptLowerPriority, Never' },
    ]);
  });

  // IsValidSysctlName: SysctlSegmentFmt "[a-z0-9]([-_a-z0-9]*[a-z0-9])?" admits a segment of one
  // character, before a separator and at the end.
  test('a sysctl name may have segments of one character', () => {
    expect(found(deployment({ securityContext: { sysctls: [{ name: 'a.bc', value: '1' }, { name: 'ab/c', value: '1' }, { name: 'x', value: '1' }] } }))).toEqual([]);
    expect(problems(deployment({ securityContext: { sysctls: [{ name: 'a..b', value: '1' }] } }))).toEqual([
      { path: `${S}.securityContext.sysctls[0].name`, message: 'sysctl name "a..b" is not valid', allowed: 'a kernel parameter name, e.g. net.ipv4.ip_local_port_range' },
    ]);
  });

  test('a linux pod and its containers may not set windowsOptions', () => {
    expect(problems(deployment({ os: { name: 'linux' }, securityContext: { windowsOptions: {} } }, { securityContext: { windowsOptions: { runAsUserName: 'ContainerUser' } } }))).toEqual([
      { path: `${S}.securityContext.windowsOptions`, message: 'windowsOptions on a linux pod', allowed: 'no windowsOptions on a linux pod' },
      { path: `${C}.securityContext.windowsOptions`, message: 'windowsOptions in a linux pod', allowed: 'no windowsOptions on a linux pod' },
    ]);
  });
});

describe('a bare Pod at admission', () => {
  const pod = (spec: KubeObject) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'shop' }, spec: { containers: [{ name: 'shell', image: 'busybox:1.37' }], ...spec } });

  test('a written priority is refused by the Priority plugin; a template\'s is not judged here', () => {
    expect(found(pod({ priority: 5 }))).toEqual(['spec.priority: spec.priority is set: the Priority admission plugin computes it from priorityClassName and refuses a written one']);
    expect(found(deployment({ priority: 5 }))).toEqual([]);
  });

  test('a runtimeClassName is a warning: the RuntimeClass must exist in the cluster', () => {
    expect(found(pod({ runtimeClassName: 'gvisor' }))).toEqual(['spec.runtimeClassName: the Pod is refused unless the cluster has RuntimeClass "gvisor" [warning]']);
  });

  test('a written priority tells what to write instead; a null priority is none', () => {
    expect(problems(pod({ priority: 5 }))).toEqual([
      { path: 'spec.priority', message: 'spec.priority is set: the Priority admission plugin computes it from priorityClassName and refuses a written one', allowed: 'no priority (set priorityClassName)' },
    ]);
    expect(found(pod({ priority: null }))).toEqual([]);
  });

  test('the RuntimeClass warning says what must exist; an empty runtimeClassName is refused, with no warning', () => {
    expect(checkApiRules(pod({ runtimeClassName: 'gvisor' }))).toEqual([
      { path: 'spec.runtimeClassName', message: 'the Pod is refused unless the cluster has RuntimeClass "gvisor"', allowed: 'a RuntimeClass of the target cluster', severity: 'warning' },
    ]);
    expect(found(pod({ runtimeClassName: '' }))).toEqual(['spec.runtimeClassName: RuntimeClass name "" is not valid']);
  });
});
