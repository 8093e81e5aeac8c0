import { KubeObject } from '../../../lib/validate/problem';
import { collector } from '../../../lib/validate/rules/common';
import { checkPodSpec } from '../../../lib/validate/rules/pod';
import { expectOnly } from '../../helpers';
import { apiRulesOf, BreakCase, breakValid, the } from '../../support/valid-fixtures';

const pod = (o: KubeObject[]) => the(o, 'Deployment', 'web').spec.template.spec;
const web = (o: KubeObject[]) => pod(o).containers[0];
const init = (o: KubeObject[]) => pod(o).initContainers[0];
const C = 'spec.template.spec.containers[0]';
const I = 'spec.template.spec.initContainers[0]';
const S = 'spec.template.spec';
const sidecar = { name: 'proxy', image: 'envoyproxy/envoy:v1.32.1', restartPolicy: 'Always', ports: [{ containerPort: 9901 }], readinessProbe: { tcpSocket: { port: 9901 } } };

// core ValidatePodSpec and what it calls; [what is broken, how, object, path, message]
const CASES: BreakCase[] = [
  ['a pod without containers', (o) => { the(o, 'Pod', 'debug').spec.containers = []; }, 'Pod/debug', 'spec.containers', /^the pod has no containers$/],
  // core/v1 SetDefaults_Pod (defaultHostNetworkPorts): a hostNetwork Pod's hostPort 0 becomes its containerPort before validation.
  ['one containerPort in two containers of a hostNetwork Pod', (o) => {
    const spec = the(o, 'Pod', 'debug').spec;
    spec.hostNetwork = true;
    spec.containers[0].ports = [{ containerPort: 8080 }];
    spec.containers.push({ ...spec.containers[0], name: 'shell-2', ports: [{ containerPort: 8080, hostPort: 0 }] });
  }, 'Pod/debug', 'spec.containers[1].ports[0].hostPort', /^hostPort 8080\/TCP is used twice in the pod$/],
  ['one containerPort in two containers of a hostNetwork Pod, one hostPort null', (o) => {
    const spec = the(o, 'Pod', 'debug').spec;
    spec.hostNetwork = true;
    spec.containers[0].ports = [{ containerPort: 8080, hostPort: null }];
    spec.containers.push({ ...spec.containers[0], name: 'shell-2', ports: [{ containerPort: 8080 }] });
  }, 'Pod/debug', 'spec.containers[1].ports[0].hostPort', /^hostPort 8080\/TCP is used twice in the pod$/],
  ['a container without an image', (o) => { web(o).image = ''; }, 'Deployment/web', `${C}.image`, /^the container has no image$/],
  ['an init container named like an app container', (o) => { init(o).name = 'web'; }, 'Deployment/web', `${C}.name`, /^container name "web" is used twice in the pod$/],
  ['a probe on a plain init container', (o) => { init(o).readinessProbe = { exec: { command: ['true'] } }; }, 'Deployment/web', `${I}.readinessProbe`, /^an init container has a readinessProbe$/],
  ['lifecycle hooks on a plain init container', (o) => { init(o).lifecycle = { preStop: { exec: { command: ['true'] } } }; }, 'Deployment/web', `${I}.lifecycle`, /^an init container has a lifecycle$/],
  ['a sidecar probe with two handlers', (o) => { pod(o).initContainers.push({ ...sidecar, readinessProbe: { tcpSocket: { port: 9901 }, exec: { command: ['true'] } } }); }, 'Deployment/web', `${S}.initContainers[1].readinessProbe`, /^probe has 2 handlers$/],
  ['a port name used twice in one container', (o) => { web(o).ports.push({ name: 'http', containerPort: 8081 }); }, 'Deployment/web', `${C}.ports[1].name`, /^port name "http" is used twice in the container$/],
  ['a port protocol outside the enum', (o) => { web(o).ports[0].protocol = 'HTTP'; }, 'Deployment/web', `${C}.ports[0].protocol`, /^"HTTP" is not a supported value$/],
  ['hostNetwork with a hostPort unlike the containerPort', (o) => { pod(o).hostNetwork = true; web(o).ports[0].hostPort = 80; }, 'Deployment/web', `${C}.ports[0].hostPort`, /^hostPort 80 differs from containerPort 8080 with hostNetwork$/],
  ['a volume with two sources', (o) => { pod(o).volumes[0] = { name: 'scratch', emptyDir: {}, configMap: { name: 'web-settings' } }; }, 'Deployment/web', `${S}.volumes[0]`, /^volume has 2 sources \(emptyDir, configMap\)$/],
  ['a volume name that is not a DNS label', (o) => { pod(o).volumes[0].name = 'Scratch'; web(o).volumeMounts[0].name = 'Scratch'; }, 'Deployment/web', `${S}.volumes[0].name`, /^volume name "Scratch" is not valid$/],
  ['a subPath that leaves the volume', (o) => { web(o).volumeMounts[0].subPath = '../etc'; }, 'Deployment/web', `${C}.volumeMounts[0].subPath`, /^subPath "..\/etc" leaves the volume$/],
  ['an env var with a value and a valueFrom', (o) => { web(o).env[2].valueFrom = { fieldRef: { fieldPath: 'metadata.name' } }; }, 'Deployment/web', `${C}.env[2]`, /^"GREETING" sets both value and valueFrom$/],
  ['a valueFrom with two sources', (o) => { web(o).env.push({ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, configMapKeyRef: { name: 'web-settings', key: 'LOG_LEVEL' } } }); }, 'Deployment/web', `${C}.env[3].valueFrom`, /^valueFrom has 2 sources$/],
  ['a liveness probe requiring two successes', (o) => { web(o).livenessProbe = { tcpSocket: { port: 8080 }, successThreshold: 2 }; }, 'Deployment/web', `${C}.livenessProbe.successThreshold`, /^livenessProbe successThreshold is 2$/],
  ['a negative probe timeout', (o) => { web(o).readinessProbe.timeoutSeconds = -1; }, 'Deployment/web', `${C}.readinessProbe.timeoutSeconds`, /^timeoutSeconds is -1$/],
  ['a probe on an invalid port name', (o) => { web(o).readinessProbe.httpGet.port = 'HTTP_port'; }, 'Deployment/web', `${C}.readinessProbe.httpGet.port`, /^port name "HTTP_port" is not valid$/],
  ['a probe port written as a quoted number (a name to the API)', (o) => { web(o).readinessProbe.httpGet.port = '8080'; }, 'Deployment/web', `${C}.readinessProbe.httpGet.port`, /^port name "8080" is not valid \(a quoted number is a name: write the number unquoted\)$/],
  ['a resource name that is not a container resource', (o) => { web(o).resources = { requests: { cpus: '1' } }; }, 'Deployment/web', `${C}.resources.requests.cpus`, /^"cpus" is not a container resource$/],
  ['a restartPolicy outside the enum', (o) => { the(o, 'Pod', 'debug').spec.restartPolicy = 'Sometimes'; }, 'Pod/debug', 'spec.restartPolicy', /^"Sometimes" is not a supported value$/],
  ['dnsPolicy None without a dnsConfig', (o) => { pod(o).dnsPolicy = 'None'; }, 'Deployment/web', `${S}.dnsConfig`, /^dnsPolicy None without a dnsConfig$/],
  ['a serviceAccountName that is not a DNS subdomain', (o) => { pod(o).serviceAccountName = 'Shop_App'; }, 'Deployment/web', `${S}.serviceAccountName`, /^ServiceAccount name "Shop_App" is not valid$/],
  ['a negative runAsUser', (o) => { pod(o).securityContext = { runAsUser: -1 }; }, 'Deployment/web', `${S}.securityContext.runAsUser`, /^runAsUser is -1$/],
  ['a toleration Exists with a value', (o) => { pod(o).tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]; }, 'Deployment/web', `${S}.tolerations[0].operator`, /^operator Exists with a value$/],
  ['a toleration effect outside the enum', (o) => { pod(o).tolerations = [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoRun' }]; }, 'Deployment/web', `${S}.tolerations[0].effect`, /^"NoRun" is not a supported value$/],
  ['a spread constraint with maxSkew 0', (o) => { pod(o).topologySpreadConstraints = [{ maxSkew: 0, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }]; }, 'Deployment/web', `${S}.topologySpreadConstraints[0].maxSkew`, /^maxSkew is 0$/],
  ['a spread constraint whenUnsatisfiable outside the enum', (o) => { pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'Ignore' }]; }, 'Deployment/web', `${S}.topologySpreadConstraints[0].whenUnsatisfiable`, /^"Ignore" is not a supported value$/],
  ['pod template annotations over 256 KiB', (o) => { the(o, 'Deployment', 'web').spec.template.metadata.annotations = { big: 'x'.repeat(262145) }; }, 'Deployment/web', 'spec.template.metadata.annotations', /^annotations total \d+ bytes$/],
];

// SetDefaults_Pod gives a hostNetwork Pod's unset hostPort its containerPort; a hostPort set
// unlike its containerPort is refused, and still counts as that port (kube-apiserver 1.34.2
// reports both: "must match `containerPort`" and "Duplicate value: TCP//81").
test('a hostNetwork Pod\'s null hostPort is unset, to the API rules too (validateManifests drops the null first)', () => {
  const problems = apiRulesOf((o) => {
    const spec = the(o, 'Pod', 'debug').spec;
    spec.hostNetwork = true;
    spec.containers[0].ports = [{ containerPort: 8080, hostPort: null }];
    spec.containers.push({ ...spec.containers[0], name: 'shell-2', ports: [{ containerPort: 8080 }] });
  }).map((p) => `${p.path}: ${p.message}`);
  expect(problems).toEqual(['spec.containers[1].ports[0].hostPort: hostPort 8080/TCP is used twice in the pod']);
});

test('a hostNetwork Pod\'s hostPort unlike its containerPort counts as itself among the host ports', () => {
  const problems = apiRulesOf((o) => {
    const spec = the(o, 'Pod', 'debug').spec;
    spec.hostNetwork = true;
    spec.containers[0].ports = [{ containerPort: 80, hostPort: 81 }];
    spec.containers.push({ ...spec.containers[0], name: 'shell-2', ports: [{ containerPort: 81 }] });
  }).map((p) => `${p.path}: ${p.message}`).sort();
  expect(problems).toEqual([
    'spec.containers[0].ports[0].hostPort: hostPort 81 differs from containerPort 80 with hostNetwork',
    'spec.containers[1].ports[0].hostPort: hostPort 81/TCP is used twice in the pod',
  ]);
});

describe('pod rules (core ValidatePodSpec)', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, path, message) => {
    expectOnly(breakValid(breakIt), { check: 'api', object, path, message });
  });

  test('a sidecar (init container with restartPolicy Always) may have probes', () => {
    expect(breakValid((o) => { pod(o).initContainers.push(sidecar); })).toEqual([]);
  });

  test('a volume with no source passes: the API server defaults it to emptyDir', () => {
    expect(breakValid((o) => { pod(o).volumes = [{ name: 'scratch' }]; })).toEqual([]);
  });

  test('probe timings of 0 pass: the API server defaults them', () => {
    expect(breakValid((o) => { Object.assign(web(o).readinessProbe, { periodSeconds: 0, timeoutSeconds: 0, successThreshold: 0, failureThreshold: 0 }); })).toEqual([]);
  });

  test('an env var with an empty value and a valueFrom passes', () => {
    expect(breakValid((o) => { web(o).env.push({ name: 'POD', value: '', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }); })).toEqual([]);
  });

  test('the same port name in two containers of a pod passes: names are unique per container', () => {
    expect(breakValid((o) => { init(o).ports = [{ name: 'http', containerPort: 9000 }]; })).toEqual([]);
  });

  // Each finding in full: where, what, and what is allowed, for the one who fixes it.
  test.each([
    ['no containers', (o: KubeObject[]) => { the(o, 'Pod', 'debug').spec.containers = []; }, 'spec.containers: the pod has no containers (allowed: at least one container)'],
    ['a container name used twice', (o: KubeObject[]) => { init(o).name = 'web'; }, 'spec.template.spec.containers[0].name: container name "web" is used twice in the pod (allowed: unique container names across containers and initContainers)'],
    ['a restartPolicy outside the enum', (o: KubeObject[]) => { the(o, 'Pod', 'debug').spec.restartPolicy = 'Sometimes'; }, 'spec.restartPolicy: "Sometimes" is not a supported value (allowed: one of Always, OnFailure, Never)'],
    ['a dnsPolicy outside the enum', (o: KubeObject[]) => { pod(o).dnsPolicy = 'Cluster'; }, 'spec.template.spec.dnsPolicy: "Cluster" is not a supported value (allowed: one of ClusterFirstWithHostNet, ClusterFirst, Default, None)'],
    ['dnsPolicy None without a dnsConfig', (o: KubeObject[]) => { pod(o).dnsPolicy = 'None'; }, 'spec.template.spec.dnsConfig: dnsPolicy None without a dnsConfig (allowed: a dnsConfig with nameservers when dnsPolicy is None)'],
    ['activeDeadlineSeconds 0', (o: KubeObject[]) => { the(o, 'Pod', 'debug').spec.activeDeadlineSeconds = 0; }, 'spec.activeDeadlineSeconds: activeDeadlineSeconds is 0 (allowed: a whole number from 1 to 2147483647)'],
    ['a volume name used twice', (o: KubeObject[]) => { pod(o).volumes.push({ name: 'scratch' }); }, 'spec.template.spec.volumes[1].name: volume name "scratch" is used twice (allowed: unique volume names)'],
    ['a volume with two sources', (o: KubeObject[]) => { pod(o).volumes[0] = { name: 'scratch', emptyDir: {}, configMap: { name: 'web-settings' } }; }, 'spec.template.spec.volumes[0]: volume has 2 sources (emptyDir, configMap) (allowed: exactly one source, e.g. emptyDir or persistentVolumeClaim)'],
    ['a claim volume without a claim name', (o: KubeObject[]) => { pod(o).volumes[0] = { name: 'scratch', persistentVolumeClaim: { claimName: '' } }; }, 'spec.template.spec.volumes[0].persistentVolumeClaim.claimName: the claim volume names no claim (allowed: the name of a PersistentVolumeClaim)'],
    ['a container without an image', (o: KubeObject[]) => { web(o).image = ''; }, 'spec.template.spec.containers[0].image: the container has no image (allowed: an image reference)'],
    ['an imagePullPolicy outside the enum', (o: KubeObject[]) => { web(o).imagePullPolicy = 'Sometimes'; }, 'spec.template.spec.containers[0].imagePullPolicy: "Sometimes" is not a supported value (allowed: one of Always, Never, IfNotPresent)'],
    ['a terminationMessagePolicy outside the enum', (o: KubeObject[]) => { web(o).terminationMessagePolicy = 'Logs'; }, 'spec.template.spec.containers[0].terminationMessagePolicy: "Logs" is not a supported value (allowed: one of File, FallbackToLogsOnError)'],
    ['a startupProbe on a plain init container', (o: KubeObject[]) => { init(o).startupProbe = { exec: { command: ['true'] } }; }, 'spec.template.spec.initContainers[0].startupProbe: an init container has a startupProbe (allowed: no startupProbe unless restartPolicy is Always (a sidecar))'],
    ['a livenessProbe on a plain init container', (o: KubeObject[]) => { init(o).livenessProbe = { exec: { command: ['true'] } }; }, 'spec.template.spec.initContainers[0].livenessProbe: an init container has a livenessProbe (allowed: no livenessProbe unless restartPolicy is Always (a sidecar))'],
    ['a port name used twice in a container', (o: KubeObject[]) => { web(o).ports.push({ name: 'http', containerPort: 8081 }); }, 'spec.template.spec.containers[0].ports[1].name: port name "http" is used twice in the container (allowed: unique port names within a container)'],
    ['a port protocol outside the enum', (o: KubeObject[]) => { web(o).ports[0].protocol = 'HTTP'; }, 'spec.template.spec.containers[0].ports[0].protocol: "HTTP" is not a supported value (allowed: one of TCP, UDP, SCTP)'],
    ['a hostPort used twice', (o: KubeObject[]) => { web(o).ports.push({ containerPort: 9000, hostPort: 9000 }, { containerPort: 9001, hostPort: 9000 }); }, 'spec.template.spec.containers[0].ports[2].hostPort: hostPort 9000/TCP is used twice in the pod (allowed: each hostPort, protocol and hostIP once among the app containers (and once in each init container))'],
    ['hostNetwork with a hostPort unlike the containerPort', (o: KubeObject[]) => { pod(o).hostNetwork = true; web(o).ports[0].hostPort = 80; }, 'spec.template.spec.containers[0].ports[0].hostPort: hostPort 80 differs from containerPort 8080 with hostNetwork (allowed: hostPort equal to containerPort)'],
    ['an env var name that starts with a digit', (o: KubeObject[]) => { web(o).env[0].name = '1DATABASE_URL'; }, 'spec.template.spec.containers[0].env[0].name: environment variable name "1DATABASE_URL" is not valid before Kubernetes 1.32 (allowed: letters, digits, - _ ., not starting with a digit)'],
    ['an env var with a value and a valueFrom', (o: KubeObject[]) => { web(o).env[2].valueFrom = { fieldRef: { fieldPath: 'metadata.name' } }; }, 'spec.template.spec.containers[0].env[2]: "GREETING" sets both value and valueFrom (allowed: one of value or valueFrom)'],
    ['a valueFrom with no source', (o: KubeObject[]) => { web(o).env.push({ name: 'X', valueFrom: {} }); }, 'spec.template.spec.containers[0].env[3].valueFrom: valueFrom has 0 sources (allowed: exactly one of fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef)'],
    ['a secretKeyRef without a key', (o: KubeObject[]) => { web(o).env.push({ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: '' } } }); }, 'spec.template.spec.containers[0].env[3].valueFrom.secretKeyRef.key: secretKeyRef has no key (allowed: the key to read)'],
    ['a resource that is not a container resource', (o: KubeObject[]) => { web(o).resources = { limits: { gpu: '1' } }; }, 'spec.template.spec.containers[0].resources.limits.gpu: "gpu" is not a container resource (allowed: cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource such as example.com/gpu)'],
    ['a negative request', (o: KubeObject[]) => { web(o).resources = { requests: { memory: '-1Mi' } }; }, 'spec.template.spec.containers[0].resources.requests.memory: "-1Mi" is negative (allowed: a quantity >= 0)'],
    ['a request above its limit', (o: KubeObject[]) => { web(o).resources = { requests: { cpu: '2' }, limits: { cpu: '1' } }; }, 'spec.template.spec.containers[0].resources.requests.cpu: request 2 exceeds limit 1 (allowed: a request <= its limit)'],
    ['a mount of a volume the pod lacks', (o: KubeObject[]) => { web(o).volumeMounts[0].name = 'data'; }, 'spec.template.spec.containers[0].volumeMounts[0].name: mounts volume "data", which the pod does not have (allowed: a volume of the pod: scratch)'],
    ['a mount of a volume the pod lacks, in a pod with two', (o: KubeObject[]) => { pod(o).volumes.push({ name: 'cache', emptyDir: {} }); web(o).volumeMounts[0].name = 'data'; }, 'spec.template.spec.containers[0].volumeMounts[0].name: mounts volume "data", which the pod does not have (allowed: a volume of the pod: scratch, cache)'],
    ['a mount of a volume in a pod with none', (o: KubeObject[]) => { delete pod(o).volumes; }, 'spec.template.spec.containers[0].volumeMounts[0].name: mounts volume "scratch", which the pod does not have (allowed: a volume of the pod: none defined)'],
    ['an empty mountPath', (o: KubeObject[]) => { web(o).volumeMounts[0].mountPath = ''; }, 'spec.template.spec.containers[0].volumeMounts[0].mountPath: the mount has an empty mountPath (allowed: an absolute path)'],
    ['one mount path twice', (o: KubeObject[]) => { web(o).volumeMounts.push({ name: 'scratch', mountPath: '/tmp' }); }, 'spec.template.spec.containers[0].volumeMounts[1].mountPath: "/tmp" is mounted twice (allowed: one volume per mount path)'],
    ['an absolute subPath', (o: KubeObject[]) => { web(o).volumeMounts[0].subPath = '/etc'; }, 'spec.template.spec.containers[0].volumeMounts[0].subPath: subPath "/etc" leaves the volume (allowed: a relative path without ..)'],
    ['a probe with no handler', (o: KubeObject[]) => { web(o).readinessProbe = { periodSeconds: 5 }; }, 'spec.template.spec.containers[0].readinessProbe: probe has 0 handlers (allowed: exactly one of exec, httpGet, tcpSocket, grpc)'],
    ['a negative initialDelaySeconds', (o: KubeObject[]) => { web(o).readinessProbe.initialDelaySeconds = -5; }, 'spec.template.spec.containers[0].readinessProbe.initialDelaySeconds: initialDelaySeconds is -5 (allowed: a whole number >= 0)'],
    ['a startup probe requiring two successes', (o: KubeObject[]) => { web(o).startupProbe = { tcpSocket: { port: 8080 }, successThreshold: 2 }; }, 'spec.template.spec.containers[0].startupProbe.successThreshold: startupProbe successThreshold is 2 (allowed: 1 (only a readinessProbe may require more))'],
    ['an httpGet scheme outside the enum', (o: KubeObject[]) => { web(o).readinessProbe.httpGet.scheme = 'FTP'; }, 'spec.template.spec.containers[0].readinessProbe.httpGet.scheme: "FTP" is not a supported value (allowed: one of HTTP, HTTPS)'],
    ['an exec probe without a command', (o: KubeObject[]) => { web(o).readinessProbe = { exec: { command: [] } }; }, 'spec.template.spec.containers[0].readinessProbe.exec.command: exec probe has an empty command (allowed: a command)'],
    ['an fsGroupChangePolicy outside the enum', (o: KubeObject[]) => { pod(o).securityContext = { fsGroupChangePolicy: 'Never' }; }, 'spec.template.spec.securityContext.fsGroupChangePolicy: "Never" is not a supported value (allowed: one of OnRootMismatch, Always)'],
    ['a pod seccomp profile type outside the enum', (o: KubeObject[]) => { pod(o).securityContext = { seccompProfile: { type: 'Default' } }; }, 'spec.template.spec.securityContext.seccompProfile.type: "Default" is not a supported value (allowed: one of RuntimeDefault, Localhost, Unconfined)'],
    ['a container seccomp profile type outside the enum', (o: KubeObject[]) => { web(o).securityContext = { seccompProfile: { type: 'Default' } }; }, 'spec.template.spec.containers[0].securityContext.seccompProfile.type: "Default" is not a supported value (allowed: one of RuntimeDefault, Localhost, Unconfined)'],
    ['a privileged container that forbids privilege escalation', (o: KubeObject[]) => { web(o).securityContext = { privileged: true, allowPrivilegeEscalation: false }; }, 'spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: allowPrivilegeEscalation is false on a privileged container (allowed: allowPrivilegeEscalation true or unset when privileged)'],
    ['runAsNonRoot with runAsUser 0', (o: KubeObject[]) => { web(o).securityContext = { runAsNonRoot: true, runAsUser: 0 }; }, 'spec.template.spec.containers[0].securityContext.runAsUser: runAsNonRoot is true but runAsUser is 0: the kubelet refuses to start the container (allowed: a non-zero runAsUser)'],
    ['a toleration operator outside the enum', (o: KubeObject[]) => { pod(o).tolerations = [{ key: 'k', operator: 'In' }]; }, 'spec.template.spec.tolerations[0].operator: "In" is not a supported value (allowed: one of Equal, Exists)'],
    ['a toleration effect outside the enum', (o: KubeObject[]) => { pod(o).tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoRun' }]; }, 'spec.template.spec.tolerations[0].effect: "NoRun" is not a supported value (allowed: one of NoSchedule, PreferNoSchedule, NoExecute)'],
    ['a toleration Exists with a value', (o: KubeObject[]) => { pod(o).tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]; }, 'spec.template.spec.tolerations[0].operator: operator Exists with a value (allowed: no value with Exists)'],
    ['a toleration without key or Exists', (o: KubeObject[]) => { pod(o).tolerations = [{ operator: 'Equal', value: 'v' }]; }, 'spec.template.spec.tolerations[0].operator: a toleration without key must use operator Exists (allowed: operator Exists, or a key)'],
    ['tolerationSeconds with effect NoSchedule', (o: KubeObject[]) => { pod(o).tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }]; }, 'spec.template.spec.tolerations[0].effect: tolerationSeconds with an effect other than NoExecute (allowed: effect NoExecute with tolerationSeconds)'],
    ['a spread constraint with maxSkew 0', (o: KubeObject[]) => { pod(o).topologySpreadConstraints = [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }]; }, 'spec.template.spec.topologySpreadConstraints[0].maxSkew: maxSkew is 0 (allowed: a whole number > 0)'],
    ['a spread constraint without topologyKey', (o: KubeObject[]) => { pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'DoNotSchedule' }]; }, 'spec.template.spec.topologySpreadConstraints[0].topologyKey: the constraint has no topologyKey (allowed: a node label key such as topology.kubernetes.io/zone)'],
    ['a spread constraint whenUnsatisfiable outside the enum', (o: KubeObject[]) => { pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Ignore' }]; }, 'spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable: "Ignore" is not a supported value (allowed: one of DoNotSchedule, ScheduleAnyway)'],
    ['a spread constraint with minDomains 0', (o: KubeObject[]) => { pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 0 }]; }, 'spec.template.spec.topologySpreadConstraints[0].minDomains: minDomains is 0 (allowed: a whole number > 0)'],
    ['an anti-affinity term without topologyKey', (o: KubeObject[]) => { pod(o).affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: '' }] } }; }, 'spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: the term has no topologyKey (allowed: a node label key such as kubernetes.io/hostname)'],
    ['a pod runAsUser above 2147483647', (o: KubeObject[]) => { pod(o).securityContext = { runAsUser: 2147483648 }; }, 'spec.template.spec.securityContext.runAsUser: runAsUser is 2147483648 (allowed: a whole number from 0 to 2147483647)'],
    ['a fraction of an extended resource', (o: KubeObject[]) => { web(o).resources = { limits: { 'example.com/gpu': '500m' } }; }, 'spec.template.spec.containers[0].resources.limits.example.com/gpu: 500m of extended resource example.com/gpu is not a whole number (allowed: a whole number of units)'],
    ['a hugepages request without a limit', (o: KubeObject[]) => { web(o).resources = { requests: { 'hugepages-2Mi': '4Mi' } }; }, 'spec.template.spec.containers[0].resources.limits.hugepages-2Mi: hugepages-2Mi is requested without a limit (allowed: a limit equal to the request: hugepages-2Mi cannot be overcommitted)'],
    ['an extended resource request below its limit', (o: KubeObject[]) => { web(o).resources = { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } }; }, 'spec.template.spec.containers[0].resources.requests.example.com/gpu: request 1 differs from limit 2 (allowed: a request equal to its limit: example.com/gpu cannot be overcommitted)'],
    ['a grace period on a readiness probe', (o: KubeObject[]) => { web(o).readinessProbe.terminationGracePeriodSeconds = 30; }, 'spec.template.spec.containers[0].readinessProbe.terminationGracePeriodSeconds: a readinessProbe sets terminationGracePeriodSeconds (allowed: no terminationGracePeriodSeconds on a readinessProbe)'],
    ['a liveness probe grace period of 0', (o: KubeObject[]) => { web(o).livenessProbe = { tcpSocket: { port: 8080 }, terminationGracePeriodSeconds: 0 }; }, 'spec.template.spec.containers[0].livenessProbe.terminationGracePeriodSeconds: terminationGracePeriodSeconds is 0 (allowed: a whole number > 0)'],
    ['a spread constraint ScheduleAnyway with minDomains 1', (o: KubeObject[]) => { pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 1 }]; }, 'spec.template.spec.topologySpreadConstraints[0].minDomains: minDomains with whenUnsatisfiable ScheduleAnyway (allowed: minDomains only with whenUnsatisfiable DoNotSchedule)'],
  ])('%s: the finding says where, what, and what is allowed', (_what, breakIt, finding) => {
    expect(breakValid(breakIt, ['api']).map((p) => `${p.path}: ${p.message} (allowed: ${p.allowed})`)).toEqual([finding]);
  });

  // k8s.io/api core/v1 VolumeSource: each source, beside an emptyDir, makes two.
  test.each([
    'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs', 'persistentVolumeClaim',
    'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap', 'vsphereVolume', 'quobyte',
    'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
  ])('%s is a volume source: with an emptyDir beside it, the volume has two', (source) => {
    const problems = apiRulesOf((o) => { pod(o).volumes[0] = { name: 'scratch', emptyDir: {}, [source]: {} }; });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toContain(`${S}.volumes[0]: volume has 2 sources (emptyDir, ${source})`);
  });

  test.each([
    ['every restartPolicy, dnsPolicy and pull policy the API knows', (o: KubeObject[]) => {
      the(o, 'Pod', 'debug').spec.restartPolicy = 'OnFailure';
      Object.assign(pod(o), { restartPolicy: 'Always', dnsPolicy: 'ClusterFirstWithHostNet' });
      Object.assign(web(o), { imagePullPolicy: 'Never', terminationMessagePolicy: 'FallbackToLogsOnError' });
      Object.assign(init(o), { imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' });
    }],
    ['restartPolicy Never, dnsPolicy Default and pull policy Always', (o: KubeObject[]) => {
      the(o, 'Pod', 'debug').spec.restartPolicy = 'Never';
      Object.assign(pod(o), { dnsPolicy: 'Default' });
      web(o).imagePullPolicy = 'Always';
    }],
    ['dnsPolicy None with a dnsConfig, and ClusterFirst', (o: KubeObject[]) => {
      Object.assign(pod(o), { dnsPolicy: 'None', dnsConfig: { nameservers: ['10.0.0.10'] } });
      the(o, 'Pod', 'debug').spec.dnsPolicy = 'ClusterFirst';
    }],
    ['UDP and SCTP ports, and the same hostPort once per protocol', (o: KubeObject[]) => {
      web(o).ports.push({ name: 'dns', containerPort: 53, protocol: 'UDP', hostPort: 53 }, { name: 'sig', containerPort: 54, protocol: 'SCTP', hostPort: 53 }, { name: 'dns-tcp', containerPort: 55, hostPort: 53 });
    }],
    ['a hostPort of 0 on two ports (no host port)', (o: KubeObject[]) => { web(o).ports.push({ containerPort: 9000, hostPort: 0 }, { containerPort: 9001, hostPort: 0 }); }],
    ['hostNetwork with hostPort equal to containerPort', (o: KubeObject[]) => { pod(o).hostNetwork = true; web(o).ports[0].hostPort = 8080; }],
    // Without hostNetwork a Pod's host ports are not defaulted: one containerPort in two containers is no host port.
    ['one containerPort in two containers of a Pod without hostNetwork', (o: KubeObject[]) => { const spec = the(o, 'Pod', 'debug').spec; spec.containers[0].ports = [{ containerPort: 8080 }]; spec.containers.push({ ...spec.containers[0], name: 'shell-2' }); }],
    // Since 1.28 a template's host ports are not defaulted (the server only warns of the duplicate).
    ['one containerPort in two containers of a hostNetwork template', (o: KubeObject[]) => { pod(o).hostNetwork = true; pod(o).containers.push({ ...web(o), name: 'web-2' }); }],
    ['activeDeadlineSeconds 1', (o: KubeObject[]) => { the(o, 'Pod', 'debug').spec.activeDeadlineSeconds = 1; }],
    ['one volume mounted at a second path', (o: KubeObject[]) => { web(o).volumeMounts.push({ name: 'scratch', mountPath: '/var/cache' }); }],
    ['a request equal to its limit, extended and hugepages resources', (o: KubeObject[]) => {
      web(o).resources = { requests: { cpu: '1', 'hugepages-2Mi': '4Mi', 'example.com/gpu': '1' }, limits: { cpu: '1', 'hugepages-2Mi': '4Mi', 'example.com/gpu': '1', 'ephemeral-storage': '1Gi' } };
    }],
    ['an extended resource limited without a request (the request defaults to it)', (o: KubeObject[]) => { web(o).resources = { limits: { 'example.com/gpu': '2' } }; }],
    ['a relative subPath and a grpc probe port, an HTTPS scheme', (o: KubeObject[]) => {
      web(o).volumeMounts[0].subPath = 'cache/web';
      web(o).livenessProbe = { grpc: { port: 9090 } };
      web(o).readinessProbe.httpGet.scheme = 'HTTPS';
    }],
    ['a readiness probe requiring two successes', (o: KubeObject[]) => { web(o).readinessProbe.successThreshold = 2; }],
    ['every seccomp type and fsGroupChangePolicy', (o: KubeObject[]) => {
      pod(o).securityContext = { fsGroupChangePolicy: 'Always', seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } };
      web(o).securityContext = { seccompProfile: { type: 'Unconfined' } };
      init(o).securityContext = { seccompProfile: { type: 'RuntimeDefault' } };
      the(o, 'Pod', 'debug').spec.securityContext = { fsGroupChangePolicy: 'OnRootMismatch' };
    }],
    ['runAsNonRoot with the pod\'s non-zero runAsUser', (o: KubeObject[]) => { pod(o).securityContext = { runAsUser: 1000 }; web(o).securityContext = { runAsNonRoot: true }; }],
    ['a privileged container that allows privilege escalation', (o: KubeObject[]) => { web(o).securityContext = { privileged: true, allowPrivilegeEscalation: true }; }],
    ['tolerations of every operator and effect', (o: KubeObject[]) => {
      pod(o).tolerations = [
        { operator: 'Exists' },
        { key: 'k', operator: 'Equal', value: 'v', effect: 'PreferNoSchedule' },
        { key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
        { key: 'k', value: 'v', effect: 'NoSchedule' },
      ];
    }],
    ['a spread constraint DoNotSchedule with minDomains 1', (o: KubeObject[]) => {
      pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 1 }];
    }],
    ['pod affinity with a topologyKey', (o: KubeObject[]) => {
      pod(o).affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    }],
  ])('%s passes: the API server accepts it', (_what, change) => {
    expect(breakValid(change, ['api'])).toEqual([]);
  });

  // The rules read the objects as they are: null fields (the validator drops them before the
  // rules, as the API server's decoder does: apiRulesOf hands them to the rules as written),
  // entries that are not objects, and values of the wrong type are the schema's findings.
  test.each([
    ['null pod fields', (o: KubeObject[]) => {
      Object.assign(the(o, 'Pod', 'debug').spec, { activeDeadlineSeconds: null, tolerations: [{ key: 'k', operator: 'Exists', tolerationSeconds: null }] });
      Object.assign(web(o), { restartPolicy: null, livenessProbe: null, startupProbe: null });
      Object.assign(init(o), { readinessProbe: null, lifecycle: null, restartPolicy: null });
      web(o).ports.push({ containerPort: 9000, hostPort: null, name: null }, { containerPort: 9001, name: null });
      pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: null }];
    }],
    ['a volume source written as null beside the real one', (o: KubeObject[]) => { pod(o).volumes[0] = { name: 'scratch', emptyDir: {}, configMap: null }; }],
    ['a probe handler written as null beside the real one', (o: KubeObject[]) => { web(o).readinessProbe.exec = null; }],
    ['null entries in every list', (o: KubeObject[]) => {
      pod(o).volumes.push(null);
      pod(o).containers.push(null);
      pod(o).tolerations = [null];
      pod(o).topologySpreadConstraints = [null];
      pod(o).affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [null] } };
      web(o).ports.push(null);
      web(o).env.push(null);
      web(o).volumeMounts.push(null);
    }],
    ['empty hostname, subdomain and serviceAccountName (unset to the API)', (o: KubeObject[]) => { Object.assign(pod(o), { hostname: '', subdomain: '', serviceAccountName: '' }); }],
    ['a valid hostname and subdomain', (o: KubeObject[]) => { Object.assign(pod(o), { hostname: 'web-0', subdomain: 'web-peers' }); }],
    ['values of the wrong type', (o: KubeObject[]) => {
      web(o).env.push({ name: 5, value: 'x' });
      pod(o).volumes.push({ name: 5, emptyDir: {} });
      web(o).volumeMounts.push({ name: null, mountPath: '/a' });
      web(o).readinessProbe.periodSeconds = '-1';
      web(o).livenessProbe = { tcpSocket: { port: 8080 }, successThreshold: '2' };
      pod(o).topologySpreadConstraints = [{ maxSkew: '1', topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }];
    }],
    ['two mounts without a mountPath', (o: KubeObject[]) => { web(o).volumeMounts.push({ name: 'scratch' }, { name: 'scratch' }); }],
    ['hostNetwork with a hostPort of 0', (o: KubeObject[]) => { pod(o).hostNetwork = true; web(o).ports[0].hostPort = 0; }],
    ['a request of 0 and a request without a limit', (o: KubeObject[]) => { web(o).resources = { requests: { cpu: '0', memory: '64Mi' } }; }],
    ['a liveness probe with successThreshold 1', (o: KubeObject[]) => { web(o).livenessProbe = { tcpSocket: { port: 8080 }, successThreshold: 1 }; }],
    ['runAsNonRoot false with runAsUser 0', (o: KubeObject[]) => { web(o).securityContext = { runAsNonRoot: false, runAsUser: 0 }; }],
    ['a toleration Exists with an empty value', (o: KubeObject[]) => { pod(o).tolerations = [{ key: 'k', operator: 'Exists', value: '' }]; }],
    ['a volume source left undefined beside the real one', (o: KubeObject[]) => { pod(o).volumes[0] = { name: 'scratch', emptyDir: {}, configMap: undefined }; }],
    ['a null grace period on a readiness probe (unset)', (o: KubeObject[]) => { web(o).readinessProbe.terminationGracePeriodSeconds = null; }],
    ['a liveness probe grace period written as a string (the schema\'s finding)', (o: KubeObject[]) => { web(o).livenessProbe = { tcpSocket: { port: 8080 }, terminationGracePeriodSeconds: '0' }; }],
    ['pod affinity with preferred terms only', (o: KubeObject[]) => { pod(o).affinity = { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'zone' } }] } }; }],
  ])('%s: no finding', (_what, change) => {
    expect(apiRulesOf(change)).toEqual([]);
  });

  test.each([
    ['a container with no image field', (o: KubeObject[]) => { delete web(o).image; }, `${C}.image: the container has no image`],
    ['a container with a null image', (o: KubeObject[]) => { web(o).image = null; }, `${C}.image: the container has no image`],
    ['a secretKeyRef without a key field', (o: KubeObject[]) => { web(o).env.push({ name: 'PW', valueFrom: { secretKeyRef: { name: 'web-credentials' } } }); }, `${C}.env[3].valueFrom.secretKeyRef.key: secretKeyRef has no key`],
    ['a configMapKeyRef with an empty key', (o: KubeObject[]) => { web(o).env.push({ name: 'LEVEL', valueFrom: { configMapKeyRef: { name: 'web-settings', key: '' } } }); }, `${C}.env[3].valueFrom.configMapKeyRef.key: configMapKeyRef has no key`],
    ['a resourceFieldRef beside a fieldRef', (o: KubeObject[]) => { web(o).env.push({ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, resourceFieldRef: { resource: 'limits.cpu' } } }); }, `${C}.env[3].valueFrom: valueFrom has 2 sources`],
    ['an env var name with a space', (o: KubeObject[]) => { web(o).env.push({ name: 'MY VAR', value: 'x' }); }, `${C}.env[3].name: environment variable name "MY VAR" is not valid before Kubernetes 1.32`],
    ['a resource name that only contains hugepages-', (o: KubeObject[]) => { web(o).resources = { limits: { 'x-hugepages-2Mi': '2Mi' } }; }, `${C}.resources.limits.x-hugepages-2Mi: "x-hugepages-2Mi" is not a container resource`],
    ['a plain init container with a bad probe: the probe itself is not judged', (o: KubeObject[]) => { init(o).readinessProbe = { exec: { command: ['true'] }, timeoutSeconds: -1 }; }, `${I}.readinessProbe: an init container has a readinessProbe`],
    ['a tcpSocket probe on an invalid port name', (o: KubeObject[]) => { web(o).livenessProbe = { tcpSocket: { port: 'Bad_Name' } }; }, `${C}.livenessProbe.tcpSocket.port: port name "Bad_Name" is not valid`],
    ['a grpc probe port out of range', (o: KubeObject[]) => { web(o).livenessProbe = { grpc: { port: 70000 } }; }, `${C}.livenessProbe.grpc.port: port 70000 is out of range`],
    ['a negative container runAsUser', (o: KubeObject[]) => { web(o).securityContext = { runAsUser: -1 }; }, `${C}.securityContext.runAsUser: runAsUser is -1`],
    ['a negative container runAsGroup', (o: KubeObject[]) => { web(o).securityContext = { runAsGroup: -1 }; }, `${C}.securityContext.runAsGroup: runAsGroup is -1`],
    ['a negative pod runAsGroup and fsGroup', (o: KubeObject[]) => { pod(o).securityContext = { runAsGroup: -1, fsGroup: -2 }; }, `${S}.securityContext.runAsGroup: runAsGroup is -1 | ${S}.securityContext.fsGroup: fsGroup is -2`],
    ['a negative failureThreshold and successThreshold', (o: KubeObject[]) => { Object.assign(web(o).readinessProbe, { successThreshold: -1, failureThreshold: -1 }); }, `${C}.readinessProbe.successThreshold: successThreshold is -1 | ${C}.readinessProbe.failureThreshold: failureThreshold is -1`],
    ['a toleration with an empty key and operator Equal', (o: KubeObject[]) => { pod(o).tolerations = [{ key: '', operator: 'Equal', value: 'v' }]; }, `${S}.tolerations[0].operator: a toleration without key must use operator Exists`],
    ['an invalid hostname', (o: KubeObject[]) => { pod(o).hostname = 'Web_0'; }, `${S}.hostname: hostname "Web_0" is not valid`],
    ['an invalid subdomain', (o: KubeObject[]) => { pod(o).subdomain = 'web.peers'; }, `${S}.subdomain: subdomain "web.peers" is not valid`],
    ['an anti-affinity term with an invalid selector', (o: KubeObject[]) => { pod(o).affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'a b': 'x' } }, topologyKey: 'kubernetes.io/hostname' }] } }; }, `${S}.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels.a b: label key "a b" is not a qualified name`],
    ['a spread constraint with an invalid selector', (o: KubeObject[]) => { pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { 'a b': 'x' } } }]; }, `${S}.topologySpreadConstraints[0].labelSelector.matchLabels.a b: label key "a b" is not a qualified name`],
  ])('%s is reported', (_what, change, expected) => {
    expect(apiRulesOf(change).map((p) => `${p.path}: ${p.message}`).join(' | ')).toBe(expected);
  });
});

// What the real API server (1.34) showed the rules had wrong (test/validate/differential.test.ts).
describe('pod rules as the API server applies them', () => {
  const found = (change: (o: KubeObject[]) => void) => apiRulesOf(change).map((p) => `${p.path}: ${p.message}${p.severity ? ` [${p.severity}]` : ''}`);

  test.each([
    // pkg/api/pod/util.go dropContainerRestartRules: ContainerRestartRules is off in 1.34.
    ['an app container with a restartPolicy', (o: KubeObject[]) => { web(o).restartPolicy = 'Always'; }, `${C}.restartPolicy: restartPolicy "Always" on an app container is dropped by the API server (the ContainerRestartRules feature is off by default in 1.34) [warning]`],
    ['an init container restartPolicy other than Always', (o: KubeObject[]) => { init(o).restartPolicy = 'OnFailure'; }, `${I}.restartPolicy: restartPolicy "OnFailure" on an init container is dropped by the API server (the ContainerRestartRules feature is off by default in 1.34) [warning]`],
    // pkg/api/pod/warnings.go: the API server warns and treats it as 1.
    ['a negative terminationGracePeriodSeconds', (o: KubeObject[]) => { pod(o).terminationGracePeriodSeconds = -1; }, `${S}.terminationGracePeriodSeconds: terminationGracePeriodSeconds is -1: the API server treats it as 1 [warning]`],
    // The kubelet's check (verifyRunAsNonRoot), at container start.
    ['runAsNonRoot with runAsUser 0', (o: KubeObject[]) => { web(o).securityContext = { runAsNonRoot: true, runAsUser: 0 }; }, `${C}.securityContext.runAsUser: runAsNonRoot is true but runAsUser is 0: the kubelet refuses to start the container [warning]`],
  ])('%s is a warning, not an error', (_what, change, expected) => {
    expect(found(change)).toEqual([expected]);
  });

  test.each([
    ['a negative terminationGracePeriodSeconds', (o: KubeObject[]) => { pod(o).terminationGracePeriodSeconds = -1; }, `${S}.terminationGracePeriodSeconds: terminationGracePeriodSeconds is -1: the API server treats it as 1 (allowed: a whole number >= 0) [warning]`],
    ['an app container with a restartPolicy', (o: KubeObject[]) => { web(o).restartPolicy = 'Always'; }, `${C}.restartPolicy: restartPolicy "Always" on an app container is dropped by the API server (the ContainerRestartRules feature is off by default in 1.34) (allowed: no restartPolicy) [warning]`],
    ['an init container restartPolicy other than Always', (o: KubeObject[]) => { init(o).restartPolicy = 'Never'; }, `${I}.restartPolicy: restartPolicy "Never" on an init container is dropped by the API server (the ContainerRestartRules feature is off by default in 1.34) (allowed: Always (a sidecar), or no restartPolicy) [warning]`],
  ])('%s: the warning says what is allowed', (_what, change, expected) => {
    expect(breakValid(change, ['api']).map((p) => `${p.path}: ${p.message} (allowed: ${p.allowed}) [${p.severity}]`)).toEqual([expected]);
  });

  test.each([
    // validateContainers / validateInitContainers: each init container is judged alone.
    ['one hostPort in an init container and an app container', (o: KubeObject[]) => { web(o).ports.push({ containerPort: 9000, hostPort: 9000 }); init(o).ports = [{ containerPort: 9001, hostPort: 9000 }]; }],
    ['one hostPort twice on two host IPs', (o: KubeObject[]) => { web(o).ports.push({ containerPort: 9000, hostPort: 9000, hostIP: '10.0.0.1' }, { containerPort: 9001, hostPort: 9000, hostIP: '10.0.0.2' }); }],
    // An empty name is Go's zero value: no name.
    ['two container ports with empty names', (o: KubeObject[]) => { web(o).ports.push({ containerPort: 9000, name: '' }, { containerPort: 9001, name: '' }); }],
    // The EnvFiles feature is off in 1.34: fileKeyRef is dropped before validation.
    ['a fileKeyRef beside a fieldRef', (o: KubeObject[]) => { web(o).env.push({ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, fileKeyRef: { path: 'a', key: 'b', volumeName: 'scratch' } } }); }],
    ['IDs at 2147483647', (o: KubeObject[]) => { pod(o).securityContext = { runAsUser: 2147483647, fsGroup: 2147483647, supplementalGroups: [2147483647] }; }],
    ['an emptyDir sizeLimit of 1Gi', (o: KubeObject[]) => { pod(o).volumes[0] = { name: 'scratch', emptyDir: { sizeLimit: '1Gi' } }; }],
    ['a liveness probe grace period of 1', (o: KubeObject[]) => { web(o).livenessProbe = { tcpSocket: { port: 8080 }, terminationGracePeriodSeconds: 1 }; }],
    // pkg/api/pod/warnings.go warns only below 0: a grace period of 0 kills at once.
    ['a terminationGracePeriodSeconds of 0', (o: KubeObject[]) => { pod(o).terminationGracePeriodSeconds = 0; }],
    // zz_generated.defaults.go: an empty ContainerPort protocol is TCP.
    ['a container port with an empty protocol', (o: KubeObject[]) => { web(o).ports[0].protocol = ''; }],
    // validateInitContainers: checkHostPortConflicts on each init container alone, as they run one by one.
    ['one hostPort in two plain init containers', (o: KubeObject[]) => {
      init(o).ports = [{ containerPort: 9000, hostPort: 9000 }];
      pod(o).initContainers.push({ name: 'seed', image: 'busybox:1.36', ports: [{ containerPort: 9001, hostPort: 9000 }] });
    }],
    // Fields of the wrong type are the schema check's findings; the rules judge numbers and strings only.
    ['a terminationGracePeriodSeconds that is a string', (o: KubeObject[]) => { pod(o).terminationGracePeriodSeconds = '-1'; }],
    ['user and group IDs that are strings', (o: KubeObject[]) => { pod(o).securityContext = { runAsUser: '-1', runAsGroup: '-1', fsGroup: '-1', supplementalGroups: ['-1'] }; web(o).securityContext = { runAsUser: '-1', runAsGroup: '-1' }; }],
    ['env references whose names are not strings', (o: KubeObject[]) => {
      web(o).env.push({ name: 'A', valueFrom: { secretKeyRef: { name: 5, key: 'k' } } }, { name: 'B', valueFrom: { configMapKeyRef: { name: true, key: 'k' } } });
    }],
  ])('%s: no finding', (_what, change) => {
    expect(found(change)).toEqual([]);
  });

  test.each([
    ['a fileKeyRef alone (dropped: no source left)', (o: KubeObject[]) => { web(o).env.push({ name: 'X', valueFrom: { fileKeyRef: { path: 'a', key: 'b', volumeName: 'scratch' } } }); }, [`${C}.env[3].valueFrom: valueFrom has 0 sources`]],
    // IsValidUserID / IsValidGroupID: int64 fields, but 0 to 2147483647 only.
    ['IDs above 2147483647', (o: KubeObject[]) => { pod(o).securityContext = { runAsUser: 2147483648, fsGroup: 2147483648, supplementalGroups: [2147483648] }; web(o).securityContext = { runAsGroup: 2147483648 }; }, [
      `${C}.securityContext.runAsGroup: runAsGroup is 2147483648`,
      `${S}.securityContext.runAsUser: runAsUser is 2147483648`,
      `${S}.securityContext.fsGroup: fsGroup is 2147483648`,
      `${S}.securityContext.supplementalGroups[0]: supplementalGroups[0] is 2147483648`,
    ]],
    // validateVolumeSource: an emptyDir sizeLimit is a quantity, not negative.
    ['an emptyDir sizeLimit of -1Gi', (o: KubeObject[]) => { pod(o).volumes[0] = { name: 'scratch', emptyDir: { sizeLimit: '-1Gi' } }; }, [`${S}.volumes[0].emptyDir.sizeLimit: -1Gi is negative`]],
    ['an emptyDir sizeLimit that is no quantity', (o: KubeObject[]) => { pod(o).volumes[0] = { name: 'scratch', emptyDir: { sizeLimit: '1Gb' } }; }, [`${S}.volumes[0].emptyDir.sizeLimit: "1Gb" is not a quantity`]],
    // AccumulateUniqueHostPorts keys on protocol, hostIP and port: an empty hostIP is Go's zero value, no hostIP.
    ['one hostPort twice, with an empty hostIP and without one', (o: KubeObject[]) => { web(o).ports.push({ containerPort: 9000, hostPort: 9000, hostIP: '' }, { containerPort: 9001, hostPort: 9000 }); }, [`${C}.ports[2].hostPort: hostPort 9000/TCP is used twice in the pod`]],
    // zz_generated.defaults.go: an empty ContainerPort protocol is defaulted to TCP before validation.
    ['one hostPort twice, with an empty protocol and TCP', (o: KubeObject[]) => { web(o).ports.push({ containerPort: 9000, hostPort: 9000, protocol: '' }, { containerPort: 9001, hostPort: 9000, protocol: 'TCP' }); }, [`${C}.ports[2].hostPort: hostPort 9000/TCP is used twice in the pod`]],
    ['one hostPort twice, with a null protocol and none', (o: KubeObject[]) => { web(o).ports.push({ containerPort: 9000, hostPort: 9000, protocol: null }, { containerPort: 9001, hostPort: 9000 }); }, [`${C}.ports[2].hostPort: hostPort 9000/TCP is used twice in the pod`]],
    // validateResourceRequirements: extended resources and hugepages cannot be overcommitted.
    ['a hugepages request without a limit', (o: KubeObject[]) => { web(o).resources = { requests: { 'hugepages-2Mi': '4Mi' } }; }, [`${C}.resources.limits.hugepages-2Mi: hugepages-2Mi is requested without a limit`]],
    ['a hugepages request whose limit is no quantity (that finding alone: the limit is there)', (o: KubeObject[]) => { web(o).resources = { requests: { 'hugepages-2Mi': '4Mi' }, limits: { 'hugepages-2Mi': 'lots' } }; }, [`${C}.resources.limits.hugepages-2Mi: "lots" is not a quantity`]],
    ['an extended resource request below its limit', (o: KubeObject[]) => { web(o).resources = { requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } }; }, [`${C}.resources.requests.example.com/gpu: request 1 differs from limit 2`]],
    ['a fraction of an extended resource', (o: KubeObject[]) => { web(o).resources = { limits: { 'example.com/gpu': '500m' } }; }, [`${C}.resources.limits.example.com/gpu: 500m of extended resource example.com/gpu is not a whole number`]],
    // validateContainers: checkHostPortConflicts over all app containers, as they run together.
    ['one hostPort in two app containers', (o: KubeObject[]) => {
      web(o).ports.push({ containerPort: 9000, hostPort: 9000 });
      pod(o).containers.push({ name: 'metrics', image: 'prom/statsd-exporter:v0.28.0', ports: [{ containerPort: 9001, hostPort: 9000 }] });
    }, [`${S}.containers[1].ports[0].hostPort: hostPort 9000/TCP is used twice in the pod`]],
    // validateConfigMapKeySelector / validateSecretKeySelector: a missing (or null) name is Go's zero
    // value "", which ValidateSecretName refuses.
    ['env references without a name', (o: KubeObject[]) => {
      web(o).env.push({ name: 'A', valueFrom: { configMapKeyRef: { key: 'LOG_LEVEL' } } }, { name: 'B', valueFrom: { secretKeyRef: { name: null, key: 'k' } } });
    }, [
      `${C}.env[3].valueFrom.configMapKeyRef.name: ConfigMap name "" is not valid`,
      `${C}.env[4].valueFrom.secretKeyRef.name: Secret name "" is not valid`,
    ]],
    // validateMinDomains: only with DoNotSchedule.
    ['a spread constraint ScheduleAnyway with minDomains 1', (o: KubeObject[]) => { pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 1 }]; }, [`${S}.topologySpreadConstraints[0].minDomains: minDomains with whenUnsatisfiable ScheduleAnyway`]],
    // validateSecretKeySelector / validateConfigMapKeySelector: names are object names, keys ConfigMap keys.
    ['env references by invalid names and keys', (o: KubeObject[]) => {
      web(o).env.push({ name: 'A', valueFrom: { secretKeyRef: { name: 'Bad_Name', key: 'k' } } }, { name: 'B', valueFrom: { configMapKeyRef: { name: '', key: 'a/b' } } });
    }, [
      `${C}.env[3].valueFrom.secretKeyRef.name: Secret name "Bad_Name" is not valid`,
      `${C}.env[4].valueFrom.configMapKeyRef.name: ConfigMap name "" is not valid`,
      `${C}.env[4].valueFrom.configMapKeyRef.key: key "a/b" is not valid`,
    ]],
    // validateReadinessProbe / validateProbe: a probe's grace period is above 0, and none on a readiness probe.
    ['probe grace periods of 0 and on a readiness probe', (o: KubeObject[]) => {
      web(o).livenessProbe = { tcpSocket: { port: 8080 }, terminationGracePeriodSeconds: 0 };
      web(o).readinessProbe.terminationGracePeriodSeconds = 30;
    }, [
      `${C}.livenessProbe.terminationGracePeriodSeconds: terminationGracePeriodSeconds is 0`,
      `${C}.readinessProbe.terminationGracePeriodSeconds: a readinessProbe sets terminationGracePeriodSeconds`,
    ]],
  ])('%s is refused', (_what, change, expected) => {
    expect(found(change)).toEqual(expected);
  });
});

test('runAsNonRoot without a runAsUser anywhere: a warning on each container, naming what is allowed', () => {
  const problems = breakValid((o) => { pod(o).securityContext = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }; }, ['api']).filter((p) => p.path.endsWith('securityContext.runAsUser'));
  expect(problems.map((p) => `${p.path}: ${p.message} (allowed: ${p.allowed}) [${p.severity}]`)).toEqual([I, C].map((at) => `${at}.securityContext.runAsUser: runAsNonRoot is true without a runAsUser: the kubelet starts the container only if the image names a numeric non-root USER (allowed: a non-zero runAsUser the image works with) [warning]`));
});

// checkPodSpec's own default: no volumes added by a controller (the workload rules always pass
// their list, so only a direct call reaches it).
test('a pod spec checked without a context has only its own volumes', () => {
  const { findings, add } = collector();
  checkPodSpec({ containers: [{ name: 'web', image: 'nginx:1.27', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] }, ['spec'], add);
  expect(findings.map((f) => `${f.path}: ${f.message} (allowed: ${f.allowed})`)).toEqual(['spec.containers[0].volumeMounts[0].name: mounts volume "data", which the pod does not have (allowed: a volume of the pod: none defined)']);
});
