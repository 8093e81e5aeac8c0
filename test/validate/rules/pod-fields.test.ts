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
});
