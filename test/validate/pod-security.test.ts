import { validate } from '../../lib/validate';
import { admissionFindings, describeViolations, Level, minorOf, namespacePolicy, podSecurityViolations } from '../../lib/validate/pod-security';
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
