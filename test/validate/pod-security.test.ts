import { validate } from '../../lib/validate';
import { admissionFindings, describeViolations, Level, minorOf, namespacePolicy, podSecurityViolations, templateMetadata } from '../../lib/validate/pod-security';
import { podTemplate } from '../../lib/validate/pods';
import { KubeObject } from '../../lib/validate/problem';
import { describeWithCluster } from '../support/envtest';
import { validItems } from '../support/valid-fixtures';

// A pod that meets the restricted level; each case changes it in one way.
const compliant = (): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
  spec: {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'app', image: 'busybox:1.37.0', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  },
});
const app = (pod: KubeObject) => pod.spec.containers[0];

// Each: name, level, change, the server's reasons in its order (what a 1.34.2 server answers;
// the cluster test below asks it for the whole message).
const CASES: [string, Level, (pod: KubeObject) => void, string[]][] = [
  ['a compliant pod', 'restricted', () => {}, []],
  ['a bare pod', 'restricted', (p) => { delete p.spec.securityContext; delete app(p).securityContext; }, ['allowPrivilegeEscalation != false', 'unrestricted capabilities', 'runAsNonRoot != true', 'seccompProfile']],
  ['a bare pod at baseline', 'baseline', (p) => { delete p.spec.securityContext; delete app(p).securityContext; }, []],
  ['host namespaces', 'baseline', (p) => { p.spec.hostNetwork = true; p.spec.hostPID = true; }, ['host namespaces']],
  ['a privileged container', 'baseline', (p) => { app(p).securityContext.privileged = true; app(p).securityContext.allowPrivilegeEscalation = true; }, ['privileged']],
  ['added capabilities at restricted', 'restricted', (p) => { app(p).securityContext.capabilities.add = ['SYS_TIME', 'NET_ADMIN', 'NET_BIND_SERVICE']; }, ['unrestricted capabilities']],
  ['added capabilities at baseline', 'baseline', (p) => { app(p).securityContext.capabilities.add = ['NET_ADMIN', 'CHOWN']; }, ['non-default capabilities']],
  ['a hostPath volume at restricted', 'restricted', (p) => { p.spec.volumes = [{ name: 'h', hostPath: { path: '/tmp' } }, { name: 'n', nfs: { server: 'x', path: '/' } }]; }, ['restricted volume types']],
  ['a hostPath volume at baseline', 'baseline', (p) => { p.spec.volumes = [{ name: 'h', hostPath: { path: '/tmp' } }]; }, ['hostPath volumes']],
  ['a volume of no type is an emptyDir', 'restricted', (p) => { p.spec.volumes = [{ name: 'scratch' }]; }, []],
  ['a hostPort', 'baseline', (p) => { app(p).ports = [{ containerPort: 80, hostPort: 8080 }]; }, ['hostPort']],
  ['a probe that names a host', 'baseline', (p) => { app(p).livenessProbe = { httpGet: { host: 'example.com', port: 80 } }; }, ['probe or lifecycle host']],
  ['SELinux options', 'baseline', (p) => { p.spec.securityContext.seLinuxOptions = { type: 'spc_t', user: 'root' }; }, ['seLinuxOptions']],
  ['an unconfined seccomp profile at baseline', 'baseline', (p) => { p.spec.securityContext.seccompProfile.type = 'Unconfined'; }, ['seccompProfile']],
  ['an unconfined container over a RuntimeDefault pod', 'restricted', (p) => { app(p).securityContext.seccompProfile = { type: 'Unconfined' }; }, ['seccompProfile']],
  ['an unsafe sysctl', 'baseline', (p) => { p.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }, { name: 'net.ipv4.tcp_keepalive_time', value: '60' }]; }, ['forbidden sysctls']],
  ['an unconfined AppArmor profile', 'baseline', (p) => { app(p).securityContext.appArmorProfile = { type: 'Unconfined' }; }, ['forbidden AppArmor profile']],
  ['a pod runAsNonRoot false that every container overrides', 'restricted', (p) => { p.spec.securityContext.runAsNonRoot = false; app(p).securityContext.runAsNonRoot = true; }, ['runAsNonRoot != true']],
  ['uid 0 on the pod', 'restricted', (p) => { p.spec.securityContext.runAsUser = 0; }, ['runAsUser=0']],
  ['two containers, one init, both bare', 'restricted', (p) => {
    delete p.spec.securityContext;
    p.spec.initContainers = [{ name: 'init', image: 'busybox:1.37.0' }];
    delete app(p).securityContext;
  }, ['allowPrivilegeEscalation != false', 'unrestricted capabilities', 'runAsNonRoot != true', 'seccompProfile']],
];

const judge = (level: Level, change: (pod: KubeObject) => void, minor?: number) => {
  const pod = compliant();
  change(pod);
  return podSecurityViolations(podTemplate(pod)!, pod.metadata, level, minor);
};

describe('Pod Security Standards, check by check', () => {
  test.each(CASES)('%s (%s)', (_name, level, change, reasons) => {
    expect(judge(level, change).map((v) => v.reason)).toEqual(reasons);
  });

  test('the server\'s words for a bare pod, and a finding per field', () => {
    const violations = judge('restricted', (p) => { delete p.spec.securityContext; delete app(p).securityContext; });
    expect(describeViolations(violations)).toBe('allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), '
      + 'unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), '
      + 'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), '
      + 'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
    expect(violations.flatMap((v) => v.findings.map((f) => f.path))).toEqual([
      'spec.containers[0].securityContext.allowPrivilegeEscalation',
      'spec.containers[0].securityContext.capabilities.drop',
      'spec.containers[0].securityContext.runAsNonRoot',
      'spec.containers[0].securityContext.seccompProfile.type',
    ]);
  });

  test('the version label: runAsUser is checked since v1.23, probe hosts since v1.34; a newer version is the latest', () => {
    expect(judge('restricted', (p) => { p.spec.securityContext.runAsUser = 0; }, minorOf('v1.22'))).toEqual([]);
    expect(judge('baseline', (p) => { app(p).livenessProbe = { httpGet: { host: 'example.com', port: 80 } }; }, minorOf('v1.33'))).toEqual([]);
    expect(minorOf('v1.40')).toBe(34);
    expect(minorOf('latest')).toBe(34);
    expect(minorOf('latest', 27)).toBe(27);
  });

  test('a run that targets 1.27 alone judges latest as 1.27: no probe-host check', () => {
    const items = [
      { file: 'n.yaml', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } } },
      { file: 'p.yaml', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'x:1', livenessProbe: { httpGet: { host: 'example.com', port: 80 } } }] } } },
    ];
    expect(validate(items, { checks: ['admission'], kubernetesVersions: ['1.27'] }).problems).toEqual([]);
    expect(validate(items, { checks: ['admission'] }).problems.map((p) => p.message)).toEqual([expect.stringContaining('probe or lifecycle host (container "app" uses probe or lifecycle host "example.com")')]);
  });

  test('Windows pods are exempt from the restricted checks Linux alone has', () => {
    expect(judge('restricted', (p) => { p.spec.os = { name: 'windows' }; delete p.spec.securityContext.seccompProfile; delete app(p).securityContext; }).map((v) => v.reason)).toEqual([]);
  });
});

describe('Pod Security admission on the input\'s namespaces', () => {
  const namespace = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
  const bare = () => ({ ...compliant(), metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'busybox:1.37.0' }] } });
  const deployment = () => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: bare().spec } },
  });

  test('a Pod that violates the enforced level is refused; a workload\'s template is warned of', () => {
    const policy = namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'restricted' }));
    expect(admissionFindings(bare(), policy)).toEqual([expect.objectContaining({ path: 'spec', message: expect.stringMatching(/^forbidden by Pod Security admission: namespace "shop" enforces it, and the pod violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/) })]);
    expect(admissionFindings(bare(), policy)[0].severity).toBeUndefined();
    expect(admissionFindings(deployment(), policy)).toEqual([expect.objectContaining({ path: 'spec.template.spec', severity: 'warning', message: expect.stringContaining('would violate PodSecurity "restricted:latest"') })]);
  });

  test('warn alone warns of a Pod; a privileged namespace judges nothing', () => {
    expect(admissionFindings(bare(), namespacePolicy(namespace({ 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.30' }))))
      .toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('PodSecurity "restricted:v1.30"') })]);
    expect(admissionFindings(bare(), namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'privileged' })))).toEqual([]);
  });

  test('a level the server refuses is no policy: nothing judged by it', () => {
    expect(namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'strict' }))).toEqual({ enforce: undefined, warn: undefined });
  });

  test('validate: the admission family judges objects in the input\'s namespaces only', () => {
    const items = [namespace({ 'pod-security.kubernetes.io/enforce': 'restricted' }), bare(), { ...bare(), metadata: { name: 'q', namespace: 'elsewhere' } }].map((object) => ({ file: 'x.yaml', object }));
    const { problems } = validate(items, { checks: ['admission'] });
    expect(problems.map((p) => `${p.check} ${p.object}`)).toEqual(['admission Pod/p']);
  });

  test('the valid fixtures meet the restricted level their namespace enforces', () => {
    expect(validate(validItems(), { checks: ['admission'] }).problems).toEqual([]);
  });
});

describeWithCluster('Pod Security admission on the real server', (cluster) => {
  const namespaceFor = async (level: Level) => {
    const ns = await cluster().namespace(`psa-${level}`);
    await cluster().kubectlOk(['label', 'namespace', ns, `pod-security.kubernetes.io/enforce=${level}`]);
    return ns;
  };

  test('every case: the server refuses the pod with the validator\'s message, or creates it', async () => {
    const namespaces = { baseline: await namespaceFor('baseline'), restricted: await namespaceFor('restricted'), privileged: await namespaceFor('privileged') };
    for (const [name, level, change] of CASES) {
      const pod = compliant();
      change(pod);
      pod.metadata.namespace = namespaces[level];
      const answer = await cluster().request('POST', `/api/v1/namespaces/${namespaces[level]}/pods?dryRun=All`, pod);
      const ours = podSecurityViolations(podTemplate(pod)!, pod.metadata, level);
      const server = answer.status === 201 ? 'created' : String(JSON.parse(answer.body).message);
      const expected = ours.length ? `pods "p" is forbidden: violates PodSecurity "${level}:latest": ${describeViolations(ours)}` : 'created';
      expect([name, server]).toEqual([name, expected]);
    }
  });

  test('the valid fixtures: created without a Pod Security warning, as the validator says; the old debug Pod is refused', async () => {
    const ns = await namespaceFor('restricted');
    const workloads = validItems().map((item) => item.object).filter((o) => podTemplate(o));
    expect(workloads.length).toBeGreaterThan(5);
    // Their ServiceAccount too: ServiceAccount admission refuses a Pod whose account is missing.
    const accounts = validItems().map((item) => item.object).filter((o) => o.kind === 'ServiceAccount');
    const list = { apiVersion: 'v1', kind: 'List', items: [...accounts, ...workloads].map((o) => ({ ...o, metadata: { ...o.metadata, namespace: ns } })) };
    const yaml = JSON.stringify(list);
    const run = await cluster().kubectl(['create', '--dry-run=server', '-f', '-'], { input: yaml });
    expect(run.stderr).not.toContain('PodSecurity');
    expect([run.code, run.stderr]).toEqual([0, '']);
    // The fixture's debug Pod before it met the level (issue: the server refused what the validator passed).
    const old = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: ns }, spec: { restartPolicy: 'Never', containers: [{ name: 'shell', image: 'busybox:1.37.0', command: ['sh', '-c', 'sleep 3600'] }] } };
    const refused = await cluster().request('POST', `/api/v1/namespaces/${ns}/pods?dryRun=All`, old);
    expect(refused.status).toBe(403);
    const ours = admissionFindings(old, { enforce: { level: 'restricted', version: 'latest' } });
    expect(String(JSON.parse(refused.body).message)).toBe(`pods "debug" is forbidden: violates PodSecurity "restricted:latest": ${describeViolations(podSecurityViolations(podTemplate(old)!, old.metadata, 'restricted'))}`);
    expect(ours).toHaveLength(1);
  });

  test('a workload\'s template that violates the level: created, with the server\'s warning', async () => {
    const ns = await namespaceFor('restricted');
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: ns },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'app', image: 'busybox:1.37.0' }] } } },
    };
    const run = await cluster().kubectl(['create', '--dry-run=server', '-f', '-'], { input: JSON.stringify(deployment) });
    expect(run.code).toBe(0);
    const violations = podSecurityViolations(podTemplate(deployment)!, undefined, 'restricted');
    expect(run.stderr).toContain(`Warning: would violate PodSecurity "restricted:latest": ${describeViolations(violations)}`);
    expect(admissionFindings(deployment, { enforce: { level: 'restricted', version: 'latest' } })).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });
});

// Whole verdicts: each row one pod field set, the server's reason and detail as the check's Go
// source words them (k8s.io/pod-security-admission policy/check_*.go, helpers.go pluralize and
// joinQuote), and a finding per field.
describe('Pod Security Standards, whole verdicts', () => {
  const side = (extra: KubeObject = {}) => ({ name: 'side', image: 'busybox:1.37.0', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, ...extra });
  const init = (extra: KubeObject = {}) => ({ name: 'init', image: 'busybox:1.37.0', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, ...extra });
  const finding = (path: string, message: string, allowed: string) => ({ path, message, allowed });
  const APPARMOR = 'container.apparmor.security.beta.kubernetes.io/';
  const SELINUX_ALLOWED = 'type container_t, container_init_t, container_kvm_t, container_engine_t or unset; no user or role';
  const ROWS: [string, Level, number | undefined, (pod: KubeObject) => void, { id: string; reason: string; detail: string; findings: { path: string; message: string; allowed: string }[] }[]][] = [
    // check_procMount_baseline.go: any procMount but Default; unset or Default passes.
    ['procMount Unmasked, Default beside it', 'baseline', undefined, (p) => {
      app(p).securityContext.procMount = 'Unmasked';
      p.spec.initContainers = [init({ securityContext: { procMount: 'Default' } })];
    }, [{ id: 'procMount', reason: 'procMount', detail: 'container "app" must not set securityContext.procMount to "Unmasked"', findings: [finding('spec.containers[0].securityContext.procMount', 'procMount is Unmasked', 'Default or unset')] }]],
    // check_appArmorProfile.go: types RuntimeDefault and Localhost pass.
    ['AppArmor types RuntimeDefault and Localhost', 'baseline', undefined, (p) => {
      p.spec.securityContext.appArmorProfile = { type: 'RuntimeDefault' };
      app(p).securityContext.appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-apparmor' };
    }, []],
    ['AppArmor type Unconfined on a container', 'baseline', undefined, (p) => { app(p).securityContext.appArmorProfile = { type: 'Unconfined' }; }, [{
      id: 'appArmorProfile', reason: 'forbidden AppArmor profile', detail: 'container "app" must not set AppArmor profile type to "Unconfined"',
      findings: [finding('spec.containers[0].securityContext.appArmorProfile.type', 'the AppArmor profile type is not RuntimeDefault or Localhost', 'RuntimeDefault or Localhost')],
    }]],
    // Annotations: empty, runtime/default and localhost/* pass; the values come after the types, sorted.
    ['AppArmor on the pod and in an annotation', 'baseline', undefined, (p) => {
      p.spec.securityContext.appArmorProfile = { type: 'Unconfined' };
      p.metadata.annotations = {
        [`${APPARMOR}app`]: 'unconfined', [`${APPARMOR}a`]: 'runtime/default', [`${APPARMOR}b`]: 'localhost/k8s-apparmor', [`${APPARMOR}c`]: '',
        [`x/${APPARMOR}`]: 'unconfined',
      };
    }, [{
      id: 'appArmorProfile', reason: 'forbidden AppArmor profiles', detail: `pod and annotation must not set AppArmor profile type to "Unconfined", "${APPARMOR}app=\\"unconfined\\""`,
      findings: [
        finding('spec.securityContext.appArmorProfile.type', 'the AppArmor profile type is not RuntimeDefault or Localhost', 'RuntimeDefault or Localhost'),
        finding(`metadata.annotations.${APPARMOR}app`, 'the AppArmor profile is not runtime/default or localhost/*', 'runtime/default or localhost/NAME'),
      ],
    }]],
    ['AppArmor in two annotations alone', 'baseline', undefined, (p) => {
      p.metadata.annotations = { [`${APPARMOR}app`]: 'unconfined', [`${APPARMOR}side`]: 'other/x' };
    }, [{
      id: 'appArmorProfile', reason: 'forbidden AppArmor profiles', detail: `annotations must not set AppArmor profile type to "${APPARMOR}app=\\"unconfined\\"", "${APPARMOR}side=\\"other/x\\""`,
      findings: [
        finding(`metadata.annotations.${APPARMOR}app`, 'the AppArmor profile is not runtime/default or localhost/*', 'runtime/default or localhost/NAME'),
        finding(`metadata.annotations.${APPARMOR}side`, 'the AppArmor profile is not runtime/default or localhost/*', 'runtime/default or localhost/NAME'),
      ],
    }]],
    // check_capabilities_baseline.go: the baseline set may be added.
    ['added capabilities at baseline, in full', 'baseline', undefined, (p) => { app(p).securityContext.capabilities.add = ['SYS_TIME', 'CHOWN', 'NET_ADMIN']; }, [{
      id: 'capabilities_baseline', reason: 'non-default capabilities', detail: 'container "app" must not include "NET_ADMIN", "SYS_TIME" in securityContext.capabilities.add',
      findings: [finding('spec.containers[0].securityContext.capabilities.add', 'adds SYS_TIME, NET_ADMIN', 'only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT')],
    }]],
    // check_capabilities_restricted.go: with drop ALL, only the add is wrong.
    ['added capabilities at restricted, all dropped', 'restricted', undefined, (p) => { app(p).securityContext.capabilities.add = ['SYS_TIME', 'NET_BIND_SERVICE']; }, [{
      id: 'capabilities_restricted', reason: 'unrestricted capabilities', detail: 'container "app" must not include "SYS_TIME" in securityContext.capabilities.add',
      findings: [finding('spec.containers[0].securityContext.capabilities.add', 'adds SYS_TIME', 'only NET_BIND_SERVICE')],
    }]],
    // check_hostNamespaces.go.
    ['host namespaces, in full', 'baseline', undefined, (p) => { p.spec.hostNetwork = true; p.spec.hostIPC = true; p.spec.hostPID = false; }, [{
      id: 'hostNamespaces', reason: 'host namespaces', detail: 'hostNetwork=true, hostIPC=true',
      findings: [finding('spec.hostNetwork', 'hostNetwork is true', 'false or unset'), finding('spec.hostIPC', 'hostIPC is true', 'false or unset')],
    }]],
    // check_hostPathVolumes.go.
    ['one hostPath volume among others', 'baseline', undefined, (p) => { p.spec.volumes = [{ name: 'e', emptyDir: {} }, { name: 'h', hostPath: { path: '/tmp' } }]; }, [{
      id: 'hostPathVolumes', reason: 'hostPath volumes', detail: 'volume "h"',
      findings: [finding('spec.volumes[1].hostPath', 'volume type hostPath is not allowed', 'a volume that is not a hostPath')],
    }]],
    ['two hostPath volumes, one without a name', 'baseline', undefined, (p) => { p.spec.volumes = [{ name: 'a', hostPath: { path: '/a' } }, { hostPath: { path: '/b' } }]; }, [{
      id: 'hostPathVolumes', reason: 'hostPath volumes', detail: 'volumes "a", ""',
      findings: [finding('spec.volumes[0].hostPath', 'volume type hostPath is not allowed', 'a volume that is not a hostPath'), finding('spec.volumes[1].hostPath', 'volume type hostPath is not allowed', 'a volume that is not a hostPath')],
    }]],
    // check_restrictedVolumes.go.
    ['one restricted volume type', 'restricted', undefined, (p) => { p.spec.volumes = [{ name: 's', secret: { secretName: 's' } }, { name: 'h', hostPath: { path: '/tmp' } }]; }, [{
      id: 'restrictedVolumes', reason: 'restricted volume types', detail: 'volume "h" uses restricted volume type "hostPath"',
      findings: [finding('spec.volumes[1].hostPath', 'volume type hostPath is not allowed', 'configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret')],
    }]],
    ['two restricted volume types, one volume without a name', 'restricted', undefined, (p) => { p.spec.volumes = [{ name: 'h', hostPath: { path: '/tmp' } }, { nfs: { server: 'x', path: '/' } }]; }, [{
      id: 'restrictedVolumes', reason: 'restricted volume types', detail: 'volumes "h", "" use restricted volume types "hostPath", "nfs"',
      findings: [
        finding('spec.volumes[0].hostPath', 'volume type hostPath is not allowed', 'configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret'),
        finding('spec.volumes[1].nfs', 'volume type nfs is not allowed', 'configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret'),
      ],
    }]],
    // check_hostPorts.go: hostPort 0 is none.
    ['one hostPort', 'baseline', undefined, (p) => { app(p).ports = [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 0 }]; }, [{
      id: 'hostPorts', reason: 'hostPort', detail: 'container "app" uses hostPort 8080',
      findings: [finding('spec.containers[0].ports[0].hostPort', 'hostPort 8080', 'no hostPort')],
    }]],
    ['hostPorts in two containers', 'baseline', undefined, (p) => {
      app(p).ports = [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 9090 }];
      p.spec.containers.push(side({ ports: [{ containerPort: 82 }, { containerPort: 80, hostPort: 8080 }] }));
    }, [{
      id: 'hostPorts', reason: 'hostPort', detail: 'containers "app", "side" use hostPorts 8080, 9090',
      findings: [
        finding('spec.containers[0].ports[0].hostPort', 'hostPort 8080', 'no hostPort'),
        finding('spec.containers[0].ports[1].hostPort', 'hostPort 9090', 'no hostPort'),
        finding('spec.containers[1].ports[1].hostPort', 'hostPort 8080', 'no hostPort'),
      ],
    }]],
    // check_hostProbesAndhostLifecycle.go: an empty host is the pod's IP.
    ['probe and lifecycle hosts in two containers', 'baseline', undefined, (p) => {
      app(p).livenessProbe = { httpGet: { host: 'example.com', port: 80 } };
      app(p).readinessProbe = { httpGet: { host: '', port: 80 } };
      p.spec.containers.push(side({ lifecycle: { preStop: { tcpSocket: { host: '10.0.0.1', port: 22 } } } }));
    }, [{
      id: 'hostProbesAndHostLifecycle', reason: 'probe or lifecycle host', detail: 'containers "app", "side" use probe or lifecycle hosts "10.0.0.1", "example.com"',
      findings: [
        finding('spec.containers[0].livenessProbe.httpGet.host', 'probes the host example.com', 'no host: the pod\'s own IP'),
        finding('spec.containers[1].lifecycle.preStop.tcpSocket.host', 'probes the host 10.0.0.1', 'no host: the pod\'s own IP'),
      ],
    }]],
    // check_privileged.go; a container without a name is "".
    ['a privileged container without a name', 'baseline', undefined, (p) => { app(p).securityContext.privileged = true; delete app(p).name; }, [{
      id: 'privileged', reason: 'privileged', detail: 'container "" must not set securityContext.privileged=true',
      findings: [finding('spec.containers[0].securityContext.privileged', 'the container is privileged', 'privileged: false')],
    }]],
    // check_runAsNonRoot.go: false anywhere is named; a container's true covers the pod's false.
    ['pod runAsNonRoot false that the container overrides', 'restricted', undefined, (p) => { p.spec.securityContext.runAsNonRoot = false; app(p).securityContext.runAsNonRoot = true; }, [{
      id: 'runAsNonRoot', reason: 'runAsNonRoot != true', detail: 'pod must not set securityContext.runAsNonRoot=false',
      findings: [finding('spec.securityContext.runAsNonRoot', 'runAsNonRoot is not true', 'runAsNonRoot: true (pod or container)')],
    }]],
    ['pod runAsNonRoot false and an init container false', 'restricted', undefined, (p) => {
      p.spec.securityContext.runAsNonRoot = false;
      p.spec.initContainers = [init({ securityContext: { ...init().securityContext, runAsNonRoot: false } })];
    }, [{
      id: 'runAsNonRoot', reason: 'runAsNonRoot != true', detail: 'pod and container "init" must not set securityContext.runAsNonRoot=false',
      findings: [finding('spec.initContainers[0].securityContext.runAsNonRoot', 'runAsNonRoot is not true', 'runAsNonRoot: true (pod or container)'), finding('spec.containers[0].securityContext.runAsNonRoot', 'runAsNonRoot is not true', 'runAsNonRoot: true (pod or container)')],
    }]],
    ['a container runAsNonRoot false under a pod true', 'restricted', undefined, (p) => { app(p).securityContext.runAsNonRoot = false; }, [{
      id: 'runAsNonRoot', reason: 'runAsNonRoot != true', detail: 'container "app" must not set securityContext.runAsNonRoot=false',
      findings: [finding('spec.containers[0].securityContext.runAsNonRoot', 'runAsNonRoot is not true', 'runAsNonRoot: true (pod or container)')],
    }]],
    // check_runAsUser.go: uid 0 set on the pod or a container.
    ['pod uid 0, one container inherits it', 'restricted', undefined, (p) => { p.spec.securityContext.runAsUser = 0; p.spec.containers.push(side({ securityContext: { ...side().securityContext, runAsUser: 1000 } })); }, [{
      id: 'runAsUser', reason: 'runAsUser=0', detail: 'pod must not set runAsUser=0',
      findings: [finding('spec.containers[0].securityContext.runAsUser', 'runs as uid 0', 'a non-zero uid')],
    }]],
    ['pod uid 0 that every container overrides', 'restricted', undefined, (p) => { p.spec.securityContext.runAsUser = 0; app(p).securityContext.runAsUser = 1000; }, [{
      id: 'runAsUser', reason: 'runAsUser=0', detail: 'pod must not set runAsUser=0',
      findings: [finding('spec.securityContext.runAsUser', 'runs as uid 0', 'a non-zero uid')],
    }]],
    ['container uid 0', 'restricted', undefined, (p) => { app(p).securityContext.runAsUser = 0; p.spec.containers.push(side()); }, [{
      id: 'runAsUser', reason: 'runAsUser=0', detail: 'container "app" must not set runAsUser=0',
      findings: [finding('spec.containers[0].securityContext.runAsUser', 'runs as uid 0', 'a non-zero uid')],
    }]],
    // check_seLinuxOptions.go: types "", container_t, container_init_t, container_kvm_t (and container_engine_t since 1.31); no user, no role.
    ['allowed SELinux options', 'baseline', undefined, (p) => {
      p.spec.securityContext.seLinuxOptions = { type: 'container_init_t', level: 's0:c1,c2' };
      app(p).securityContext.seLinuxOptions = { type: 'container_engine_t' };
      p.spec.containers.push(side({ securityContext: { seLinuxOptions: { level: 's0' } } }));
    }, []],
    ['SELinux user alone on the pod', 'baseline', undefined, (p) => { p.spec.securityContext.seLinuxOptions = { user: 'system_u' }; }, [{
      id: 'seLinuxOptions', reason: 'seLinuxOptions', detail: 'pod set forbidden securityContext.seLinuxOptions: user may not be set',
      findings: [finding('spec.securityContext.seLinuxOptions', 'sets a forbidden SELinux type, user or role', SELINUX_ALLOWED)],
    }]],
    ['SELinux role alone on a container', 'baseline', undefined, (p) => { app(p).securityContext.seLinuxOptions = { type: 'container_t', role: 'system_r' }; }, [{
      id: 'seLinuxOptions', reason: 'seLinuxOptions', detail: 'container "app" set forbidden securityContext.seLinuxOptions: role may not be set',
      findings: [finding('spec.containers[0].securityContext.seLinuxOptions', 'sets a forbidden SELinux type, user or role', SELINUX_ALLOWED)],
    }]],
    ['SELinux types, user and role on the pod and two containers', 'baseline', undefined, (p) => {
      p.spec.securityContext.seLinuxOptions = { type: 'spc_t' };
      app(p).securityContext.seLinuxOptions = { role: 'system_r' };
      p.spec.containers.push(side({ securityContext: { seLinuxOptions: { type: 'unconfined_t', user: 'system_u' } } }));
    }, [{
      id: 'seLinuxOptions', reason: 'seLinuxOptions', detail: 'pod and containers "app", "side" set forbidden securityContext.seLinuxOptions: types "spc_t", "unconfined_t"; user may not be set; role may not be set',
      findings: [
        finding('spec.securityContext.seLinuxOptions', 'sets a forbidden SELinux type, user or role', SELINUX_ALLOWED),
        finding('spec.containers[0].securityContext.seLinuxOptions', 'sets a forbidden SELinux type, user or role', SELINUX_ALLOWED),
        finding('spec.containers[1].securityContext.seLinuxOptions', 'sets a forbidden SELinux type, user or role', SELINUX_ALLOWED),
      ],
    }]],
    ['SELinux container_engine_t before v1.31', 'baseline', 30, (p) => { app(p).securityContext.seLinuxOptions = { type: 'container_engine_t' }; }, [{
      id: 'seLinuxOptions', reason: 'seLinuxOptions', detail: 'container "app" set forbidden securityContext.seLinuxOptions: type "container_engine_t"',
      findings: [finding('spec.containers[0].securityContext.seLinuxOptions', 'sets a forbidden SELinux type, user or role', 'type container_t, container_init_t, container_kvm_t or unset; no user or role')],
    }]],
    // check_seccompProfile_baseline.go: Unconfined anywhere.
    ['an unconfined container, Localhost beside it, at baseline', 'baseline', undefined, (p) => {
      app(p).securityContext.seccompProfile = { type: 'Unconfined' };
      p.spec.initContainers = [init({ securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } } })];
    }, [{
      id: 'seccompProfile_baseline', reason: 'seccompProfile', detail: 'container "app" must not set securityContext.seccompProfile.type to "Unconfined"',
      findings: [finding('spec.containers[0].securityContext.seccompProfile.type', 'the seccomp profile is not RuntimeDefault or Localhost', 'RuntimeDefault or Localhost')],
    }]],
    ['an unconfined pod and container at baseline', 'baseline', undefined, (p) => { p.spec.securityContext.seccompProfile.type = 'Unconfined'; app(p).securityContext.seccompProfile = { type: 'Unconfined' }; }, [{
      id: 'seccompProfile_baseline', reason: 'seccompProfile', detail: 'pod and container "app" must not set securityContext.seccompProfile.type to "Unconfined"',
      findings: [
        finding('spec.securityContext.seccompProfile.type', 'the seccomp profile is not RuntimeDefault or Localhost', 'RuntimeDefault or Localhost'),
        finding('spec.containers[0].securityContext.seccompProfile.type', 'the seccomp profile is not RuntimeDefault or Localhost', 'RuntimeDefault or Localhost'),
      ],
    }]],
    ['an unconfined pod at baseline, in full', 'baseline', undefined, (p) => { p.spec.securityContext.seccompProfile.type = 'Unconfined'; }, [{
      id: 'seccompProfile_baseline', reason: 'seccompProfile', detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
      findings: [finding('spec.securityContext.seccompProfile.type', 'the seccomp profile is not RuntimeDefault or Localhost', 'RuntimeDefault or Localhost')],
    }]],
    // check_seccompProfile_restricted.go.
    ['an unconfined pod whose containers set RuntimeDefault', 'restricted', undefined, (p) => { p.spec.securityContext.seccompProfile.type = 'Unconfined'; app(p).securityContext.seccompProfile = { type: 'RuntimeDefault' }; }, [{
      id: 'seccompProfile_restricted', reason: 'seccompProfile', detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
      findings: [finding('spec.securityContext.seccompProfile.type', 'seccomp profile is Unconfined', 'RuntimeDefault or Localhost (pod or container)')],
    }]],
    ['an unconfined container over a RuntimeDefault pod, in full', 'restricted', undefined, (p) => { app(p).securityContext.seccompProfile = { type: 'Unconfined' }; }, [{
      id: 'seccompProfile_restricted', reason: 'seccompProfile', detail: 'container "app" must not set securityContext.seccompProfile.type to "Unconfined"',
      findings: [finding('spec.containers[0].securityContext.seccompProfile.type', 'seccomp profile is Unconfined', 'RuntimeDefault or Localhost (pod or container)')],
    }]],
    // check_sysctls.go: the safe set of the version (tcp_rmem since 1.32).
    ['sysctls at v1.30', 'baseline', 30, (p) => {
      p.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }, { name: 'net.ipv4.tcp_keepalive_time', value: '60' }, { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }];
    }, [{
      id: 'sysctls', reason: 'forbidden sysctls', detail: 'kernel.msgmax, net.ipv4.tcp_rmem',
      findings: ['kernel.msgmax', 'net.ipv4.tcp_rmem'].map((s, i) => finding(`spec.securityContext.sysctls[${i * 2}].name`, `sysctl ${s} is not allowed`,
        'kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.ip_local_reserved_ports, '
        + 'net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes')),
    }]],
    // Windows pods (spec.os.name windows) are exempt from allowPrivilegeEscalation, capabilities_restricted and
    // seccompProfile_restricted since 1.25 (check_allowPrivilegeEscalation.go and its kind), not before.
    ['a Windows pod at v1.25', 'restricted', 25, (p) => { p.spec.os = { name: 'windows' }; delete p.spec.securityContext.seccompProfile; delete app(p).securityContext; }, []],
    ['a Windows pod at v1.24', 'restricted', 24, (p) => { p.spec.os = { name: 'windows' }; delete p.spec.securityContext.seccompProfile; delete app(p).securityContext; }, [
      {
        id: 'allowPrivilegeEscalation', reason: 'allowPrivilegeEscalation != false', detail: 'container "app" must set securityContext.allowPrivilegeEscalation=false',
        findings: [finding('spec.containers[0].securityContext.allowPrivilegeEscalation', 'privilege escalation is not disabled', 'allowPrivilegeEscalation: false')],
      },
      {
        id: 'capabilities_restricted', reason: 'unrestricted capabilities', detail: 'container "app" must set securityContext.capabilities.drop=["ALL"]',
        findings: [finding('spec.containers[0].securityContext.capabilities.drop', 'capabilities are not all dropped', 'drop: [ALL]')],
      },
      {
        id: 'seccompProfile_restricted', reason: 'seccompProfile', detail: 'pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
        findings: [finding('spec.containers[0].securityContext.seccompProfile.type', 'seccomp profile is unset', 'RuntimeDefault or Localhost (pod or container)')],
      },
    ]],
    // check_windowsHostProcess.go.
    ['Windows HostProcess on the pod and a container', 'baseline', undefined, (p) => {
      p.spec.securityContext.windowsOptions = { hostProcess: true };
      app(p).securityContext.windowsOptions = { hostProcess: true };
      p.spec.containers.push(side({ securityContext: { windowsOptions: { hostProcess: false } } }));
    }, [{
      id: 'windowsHostProcess', reason: 'hostProcess', detail: 'pod and container "app" must not set securityContext.windowsOptions.hostProcess=true',
      findings: [
        finding('spec.securityContext.windowsOptions.hostProcess', 'a Windows HostProcess container', 'hostProcess: false or unset'),
        finding('spec.containers[0].securityContext.windowsOptions.hostProcess', 'a Windows HostProcess container', 'hostProcess: false or unset'),
      ],
    }]],
  ];

  test.each(ROWS)('%s (%s, minor %s)', (_name, level, minor, change, expected) => {
    expect(judge(level, change, minor)).toEqual(expected);
  });

  test('a null sysctl entry is not a safe sysctl, and breaks nothing', () => {
    const violations = judge('baseline', (p) => { p.spec.securityContext.sysctls = [null, { name: 'kernel.shm_rmid_forced', value: '1' }]; });
    expect(violations.map((v) => [v.id, v.findings.map((f) => f.path)])).toEqual([['sysctls', ['spec.securityContext.sysctls[0].name']]]);
  });
});

describe('Pod Security admission: enforce and warn together', () => {
  const namespace = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
  const deployment = (spec: KubeObject) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec } },
  });
  const TEMPLATE_ALLOWED = 'a pod template that meets the restricted Pod Security Standard (its pods are refused where the level is enforced)';

  // admission/admission.go EvaluatePodController: a workload's template is judged by warn alone.
  test('warn at the enforced level and version: one warning', () => {
    const policy = namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' }));
    expect(admissionFindings(deployment(compliant().spec), policy)).toEqual([]);
    const bare = deployment({ containers: [{ name: 'app', image: 'busybox:1.37.0', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 0 } }] });
    expect(admissionFindings(bare, policy)).toEqual([{
      path: 'spec.template.spec', severity: 'warning', allowed: TEMPLATE_ALLOWED,
      message: 'Pod Security admission warns: namespace "shop" warns of it, and the pods would violate PodSecurity "restricted:latest": runAsUser=0 (container "app" must not set runAsUser=0)',
    }]);
  });

  test('warn at a stricter level than enforce warns of what enforce lets pass', () => {
    const policy = namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' }));
    const pod = compliant();
    pod.spec.securityContext.runAsUser = 0;
    expect(admissionFindings(deployment(pod.spec), policy)).toEqual([{
      path: 'spec.template.spec', severity: 'warning', allowed: TEMPLATE_ALLOWED,
      message: 'Pod Security admission warns: namespace "shop" warns of it, and the pods would violate PodSecurity "restricted:latest": runAsUser=0 (pod must not set runAsUser=0)',
    }]);
  });

  test('warn at a later version than enforce: a Pod the enforced version lets pass is warned of', () => {
    // runAsUser is checked since v1.23 (check_runAsUser.go).
    const policy = namespacePolicy(namespace({
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.22', 'pod-security.kubernetes.io/warn': 'restricted',
    }));
    const pod: KubeObject = { ...compliant(), metadata: { name: 'p', namespace: 'shop' } };
    pod.spec.securityContext.runAsUser = 0;
    expect(admissionFindings(pod, policy)).toEqual([{
      path: 'spec', severity: 'warning', allowed: TEMPLATE_ALLOWED,
      message: 'Pod Security admission warns: namespace "shop" warns of it, and the pods would violate PodSecurity "restricted:latest": runAsUser=0 (pod must not set runAsUser=0)',
    }]);
  });

  // BUG fixed: a refused Pod also got warn's warning, and a workload was judged by enforce where warn has its own level.
  test('a Pod that enforce refuses gets no warning (admission.go: no warnings on a refused request)', () => {
    const policy = namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' }));
    const pod: KubeObject = { ...compliant(), metadata: { name: 'p', namespace: 'shop' } };
    pod.spec.hostNetwork = true;
    expect(admissionFindings(pod, policy)).toEqual([{
      path: 'spec',
      message: 'forbidden by Pod Security admission: namespace "shop" enforces it, and the pod violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)',
      allowed: 'a pod that meets the baseline Pod Security Standard, or a lower pod-security.kubernetes.io/enforce level on the namespace',
    }]);
  });

  test('a workload is judged by warn where warn has a level: enforce alone does not warn of it', () => {
    const pod = compliant();
    pod.spec.securityContext.runAsUser = 0;
    const policy = (warn: string) => namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn': warn }));
    expect(admissionFindings(deployment(pod.spec), policy('baseline'))).toEqual([]);
    expect(admissionFindings(deployment(pod.spec), policy('privileged'))).toEqual([]);
  });

  test('a version label: "latest" or v1.N exactly (api/helpers.go ParseVersion); anything else is latest', () => {
    const versionOf = (version: string) => namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': version })).enforce;
    expect(versionOf('v1.30')).toEqual({ level: 'baseline', version: 'v1.30' });
    expect(versionOf('latest')).toEqual({ level: 'baseline', version: 'latest' });
    expect(versionOf('xv1.30')).toEqual({ level: 'baseline', version: 'latest' });
    expect(versionOf('v1.30x')).toEqual({ level: 'baseline', version: 'latest' });
    expect(versionOf('latest1')).toEqual({ level: 'baseline', version: 'latest' });
    // BUG fixed: a minor with a leading zero passed as v1.N.
    expect(versionOf('v1.030')).toEqual({ level: 'baseline', version: 'latest' });
    expect(versionOf('v1.0')).toEqual({ level: 'baseline', version: 'v1.0' });
  });
});

// Edges of each check and of the admission's inputs (k8s.io/pod-security-admission policy/check_*.go,
// policy/visitor.go, api/helpers.go), and corrupt input that must break nothing.
describe('Pod Security: version edges, every container and handler, odd input', () => {
  const side = (extra: KubeObject = {}) => ({ name: 'side', image: 'busybox:1.37.0', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } }, ...extra });
  const namespace = (labels: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });

  // check_sysctls.go: sysctlsAllowedV1Dot32 adds net.ipv4.tcp_rmem and net.ipv4.tcp_wmem.
  test('sysctls: tcp_rmem and tcp_wmem are safe from v1.32 on, not before', () => {
    const sysctls = (p: KubeObject) => { p.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }, { name: 'net.ipv4.tcp_wmem', value: '4096 16384 4194304' }]; };
    expect(judge('baseline', sysctls)).toEqual([]);
    expect(judge('baseline', sysctls, 32)).toEqual([]);
    expect(judge('baseline', sysctls, 31).map((v) => `${v.reason} (${v.detail})`)).toEqual(['forbidden sysctls (net.ipv4.tcp_rmem, net.ipv4.tcp_wmem)']);
  });

  // check_seLinuxOptions.go: selinuxAllowedTypes1_31 adds container_engine_t.
  test('SELinux container_engine_t is allowed at v1.31 itself', () => {
    expect(judge('baseline', (p) => { app(p).securityContext.seLinuxOptions = { type: 'container_engine_t' }; }, 31)).toEqual([]);
  });

  // check_capabilities_restricted.go: both details, joined by "; ".
  test('capabilities_restricted: a container without drop ALL and another that adds: both details', () => {
    const violations = judge('restricted', (p) => {
      app(p).securityContext.capabilities.add = ['SYS_TIME'];
      p.spec.containers.push({ name: 'side', image: 'busybox:1.37.0', securityContext: { allowPrivilegeEscalation: false } });
    });
    expect(describeViolations(violations)).toBe('unrestricted capabilities (container "side" must set securityContext.capabilities.drop=["ALL"]; '
      + 'container "app" must not include "SYS_TIME" in securityContext.capabilities.add)');
  });

  // check_appArmorProfile.go: sort.Strings(forbiddenAnnotations).
  test('AppArmor annotations are listed sorted, whatever their order in the object', () => {
    const APPARMOR = 'container.apparmor.security.beta.kubernetes.io/';
    const violations = judge('baseline', (p) => { p.metadata.annotations = { [`${APPARMOR}side`]: 'other/x', [`${APPARMOR}app`]: 'unconfined' }; });
    expect(describeViolations(violations)).toBe(`forbidden AppArmor profiles (annotations must not set AppArmor profile type to "${APPARMOR}app=\\"unconfined\\"", "${APPARMOR}side=\\"other/x\\"")`);
  });

  // check_hostProbesAndhostLifecycle.go: liveness, readiness and startup probes, postStart and preStop handlers.
  test.each([
    ['readinessProbe', (c: KubeObject) => { c.readinessProbe = { httpGet: { host: 'h.example', port: 80 } }; }, 'spec.containers[0].readinessProbe.httpGet.host'],
    ['startupProbe', (c: KubeObject) => { c.startupProbe = { tcpSocket: { host: 'h.example', port: 80 } }; }, 'spec.containers[0].startupProbe.tcpSocket.host'],
    ['lifecycle.postStart', (c: KubeObject) => { c.lifecycle = { postStart: { httpGet: { host: 'h.example', port: 80 } } }; }, 'spec.containers[0].lifecycle.postStart.httpGet.host'],
    ['lifecycle.preStop', (c: KubeObject) => { c.lifecycle = { preStop: { tcpSocket: { host: 'h.example', port: 80 } } }; }, 'spec.containers[0].lifecycle.preStop.tcpSocket.host'],
  ])('a host in %s', (_where, set, path) => {
    expect(judge('baseline', (p) => set(app(p)))).toEqual([{
      id: 'hostProbesAndHostLifecycle', reason: 'probe or lifecycle host', detail: 'container "app" uses probe or lifecycle host "h.example"',
      findings: [{ path, message: 'probes the host h.example', allowed: 'no host: the pod\'s own IP' }],
    }]);
  });

  // check_windowsHostProcess.go: the pod alone, or a container alone.
  test('Windows HostProcess on the pod alone, or on a container alone', () => {
    const pod = judge('baseline', (p) => { p.spec.securityContext.windowsOptions = { hostProcess: true }; });
    expect(describeViolations(pod)).toBe('hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)');
    const container = judge('baseline', (p) => { p.spec.containers.push(side({ securityContext: { windowsOptions: { hostProcess: true } } })); });
    expect(describeViolations(container)).toBe('hostProcess (container "side" must not set securityContext.windowsOptions.hostProcess=true)');
    expect(container.flatMap((v) => v.findings.map((f) => f.path))).toEqual(['spec.containers[1].securityContext.windowsOptions.hostProcess']);
  });

  // policy/visitor.go visitContainers: ephemeral containers too.
  test('an ephemeral container is judged', () => {
    const violations = judge('baseline', (p) => { p.spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.37.0', securityContext: { privileged: true } }]; });
    expect(violations).toEqual([{
      id: 'privileged', reason: 'privileged', detail: 'container "debug" must not set securityContext.privileged=true',
      findings: [{ path: 'spec.ephemeralContainers[0].securityContext.privileged', message: 'the container is privileged', allowed: 'privileged: false' }],
    }]);
  });

  test('the privileged level judges nothing, not even what baseline refuses', () => {
    expect(judge('privileged', (p) => { p.spec.hostNetwork = true; app(p).securityContext.privileged = true; })).toEqual([]);
    const pod: KubeObject = { ...compliant(), metadata: { name: 'p', namespace: 'shop' } };
    pod.spec.hostNetwork = true;
    expect(admissionFindings(pod, namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'privileged' })))).toEqual([]);
  });

  test('a container that is no object is no container: nothing judged of it, and nothing breaks', () => {
    expect(judge('restricted', (p) => { p.spec.containers.unshift(null, 'app', 7); p.spec.initContainers = [null]; })).toEqual([]);
  });

  test('minorOf: v1.N exactly; anything else is the latest', () => {
    expect(minorOf('v1.22')).toBe(22);
    expect(minorOf('xv1.22')).toBe(34);
    expect(minorOf('v1.22x')).toBe(34);
    expect(minorOf('v1.22.1')).toBe(34);
    expect(minorOf(undefined)).toBe(34);
  });

  // api/helpers.go ParseVersion: ^v1\.([0-9]|[1-9][0-9]*)$; Version.String() is what the server's message shows.
  test('a version label of a three-digit minor is a version; a label that is no string is latest', () => {
    const enforce = (version: unknown) => namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': version })).enforce;
    expect(enforce('v1.100')).toEqual({ level: 'baseline', version: 'v1.100' });
    expect(enforce(['v1.30'])).toEqual({ level: 'baseline', version: 'latest' });
    expect(enforce(30)).toEqual({ level: 'baseline', version: 'latest' });
  });

  test('a namespace without metadata, or none at all, has no policy', () => {
    expect(namespacePolicy({ apiVersion: 'v1', kind: 'Namespace' })).toEqual({ enforce: undefined, warn: undefined });
    expect(namespacePolicy({ apiVersion: 'v1', kind: 'Namespace', metadata: null })).toEqual({ enforce: undefined, warn: undefined });
    expect(namespacePolicy(undefined as unknown as KubeObject)).toEqual({ enforce: undefined, warn: undefined });
  });

  // api/helpers.go PolicyToEvaluate: warn unset is the enforce level; the message names enforce.
  test('enforce alone warns of a workload\'s template, in the server\'s words', () => {
    const pod = compliant();
    pod.spec.securityContext.runAsUser = 0;
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: pod.spec } },
    };
    expect(admissionFindings(deployment, namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'restricted' })))).toEqual([{
      path: 'spec.template.spec', severity: 'warning',
      message: 'Pod Security admission warns: namespace "shop" enforces it, and the pods would violate PodSecurity "restricted:latest": runAsUser=0 (pod must not set runAsUser=0)',
      allowed: 'a pod template that meets the restricted Pod Security Standard (its pods are refused where the level is enforced)',
    }]);
  });

  test('a workload\'s AppArmor annotations are its template\'s, not its own', () => {
    const APPARMOR = 'container.apparmor.security.beta.kubernetes.io/';
    const workload = (kind: string, own: KubeObject, template: KubeObject) => {
      const spec = { ...compliant().spec, containers: [{ name: 'app', image: 'busybox:1.37.0' }] };
      const pod = { metadata: { labels: { app: 'd' }, annotations: template }, spec };
      const body = kind === 'CronJob' ? { schedule: '* * * * *', jobTemplate: { spec: { template: pod } } } : { selector: { matchLabels: { app: 'd' } }, template: pod };
      return { apiVersion: kind === 'CronJob' ? 'batch/v1' : 'apps/v1', kind, metadata: { name: 'd', namespace: 'shop', annotations: own }, spec: body };
    };
    const policy = namespacePolicy(namespace({ 'pod-security.kubernetes.io/enforce': 'baseline' }));
    const messages = (object: KubeObject) => admissionFindings(object, policy).map((f) => f.message);
    for (const kind of ['Deployment', 'CronJob']) {
      expect(messages(workload(kind, {}, { [`${APPARMOR}app`]: 'unconfined' }))).toEqual([
        `Pod Security admission warns: namespace "shop" enforces it, and the pods would violate PodSecurity "baseline:latest": forbidden AppArmor profile (annotation must not set AppArmor profile type to "${APPARMOR}app=\\"unconfined\\"")`,
      ]);
      expect(messages(workload(kind, { [`${APPARMOR}app`]: 'unconfined' }, {}))).toEqual([]);
    }
  });

  test('templateMetadata: a Pod\'s own metadata, a workload\'s template\'s; no object, none', () => {
    const pod = compliant();
    expect(templateMetadata(pod, podTemplate(pod)!)).toEqual({ name: 'p' });
    const deployment = (metadata: unknown) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata, spec: compliant().spec } },
    });
    expect(templateMetadata(deployment({ labels: { app: 'd' } }), podTemplate(deployment({ labels: { app: 'd' } }))!)).toEqual({ labels: { app: 'd' } });
    for (const metadata of [undefined, null, 'x', ['a']]) {
      expect(templateMetadata(deployment(metadata), podTemplate(deployment(metadata))!)).toBeUndefined();
    }
  });
});
