import { validate, validateManifests } from '../../lib/validate';
import { validateOptions } from '../../lib/program/synth';
import { checkPolicy, gatewaysOf, POLICY_RULES } from '../../lib/validate/policy';
import { KubeObject } from '../../lib/validate/problem';
import { renderedApp, containerOf, defaultCharts, defaultItems, defaultObjects, envIndex, ExpectedPath, find, validateBroken, validateBrokenAt } from '../helpers';

const worker = (o: KubeObject[]) => find(o, 'Deployment', 'worker-deployment');
const client = (o: KubeObject[]) => find(o, 'Deployment', 'client-deployment');
const W = 'spec.template.spec.containers[0]';
const S = 'spec.template.spec';

const CASES: [string, (o: KubeObject[]) => void, string, ExpectedPath, RegExp][] = [
  ['runAsNonRoot off', (o) => { worker(o).spec.template.spec.securityContext.runAsNonRoot = false; worker(o).spec.template.spec.containers[0].securityContext.runAsNonRoot = false; }, 'Deployment/worker-deployment', `${W}.securityContext.runAsNonRoot`, /^\[restricted\] runAsNonRoot is not true$/],
  ['no seccomp profile', (o) => { delete worker(o).spec.template.spec.securityContext.seccompProfile; }, 'Deployment/worker-deployment', `${W}.securityContext.seccompProfile.type`, /^\[restricted\] seccomp profile is unset$/],
  ['privilege escalation allowed', (o) => { containerOf(worker(o)).securityContext.allowPrivilegeEscalation = true; }, 'Deployment/worker-deployment', `${W}.securityContext.allowPrivilegeEscalation`, /^\[restricted\] privilege escalation is not disabled$/],
  ['capabilities kept', (o) => { delete containerOf(worker(o)).securityContext.capabilities; }, 'Deployment/worker-deployment', `${W}.securityContext.capabilities.drop`, /^\[restricted\] capabilities are not all dropped$/],
  ['a capability added', (o) => { containerOf(worker(o)).securityContext.capabilities.add = ['NET_ADMIN']; }, 'Deployment/worker-deployment', `${W}.securityContext.capabilities.add`, /^\[restricted\] adds NET_ADMIN$/],
  ['host network', (o) => { worker(o).spec.template.spec.hostNetwork = true; }, 'Deployment/worker-deployment', `${S}.hostNetwork`, /^\[restricted\] hostNetwork is true$/],
  ['a hostPath volume', (o) => { worker(o).spec.template.spec.volumes[0] = { name: 'home', hostPath: { path: '/home' } }; }, 'Deployment/worker-deployment', `${S}.volumes[0].hostPath`, /^\[restricted\] volume type hostPath is not allowed$/],
  ['a host port', (o) => { const c = containerOf(client(o)); c.ports[0].hostPort = 3000; }, 'Deployment/client-deployment', `${W}.ports[0].hostPort`, /^\[restricted\] hostPort 3000$/],
  ['no memory limit', (o) => { delete containerOf(worker(o)).resources.limits.memory; }, 'Deployment/worker-deployment', `${W}.resources.limits.memory`, /^\[resources\] no memory limit$/],
  ['no CPU request', (o) => { delete containerOf(worker(o)).resources.requests.cpu; }, 'Deployment/worker-deployment', `${W}.resources.requests.cpu`, /^\[resources\] no cpu request$/],
  ['a port without a readiness probe', (o) => { delete containerOf(client(o)).readinessProbe; }, 'Deployment/client-deployment', `${W}.readinessProbe`, /^\[probes\] serves a port without a readiness probe$/],
  ['liveness a copy of readiness', (o) => { const c = containerOf(client(o)); c.livenessProbe = structuredClone(c.readinessProbe); }, 'Deployment/client-deployment', `${W}.livenessProbe`, /^\[probes\] the liveness probe is a copy of the readiness probe/],
  ['an image at latest', (o) => { containerOf(worker(o)).image = 'stephengrider/multi-worker:latest'; }, 'Deployment/worker-deployment', `${W}.image`, /^\[image-tag\] image "stephengrider\/multi-worker:latest" is not pinned to a tag$/],
  ['an image without a tag', (o) => { containerOf(worker(o)).image = 'localhost:5000/multi-worker'; }, 'Deployment/worker-deployment', `${W}.image`, /^\[image-tag\] image "localhost:5000\/multi-worker" is not pinned to a tag$/],
  ['a writable root filesystem', (o) => { containerOf(worker(o)).securityContext.readOnlyRootFilesystem = false; }, 'Deployment/worker-deployment', `${W}.securityContext.readOnlyRootFilesystem`, /^\[read-only-root\] the root filesystem is writable$/],
  ['a mounted token', (o) => { worker(o).spec.template.spec.automountServiceAccountToken = true; }, 'Deployment/worker-deployment', `${S}.automountServiceAccountToken`, /^\[service-account\] the service account token is mounted$/],
  ['the default ServiceAccount', (o) => { delete worker(o).spec.template.spec.serviceAccountName; }, 'Deployment/worker-deployment', `${S}.serviceAccountName`, /^\[service-account\] runs as the namespace's default ServiceAccount$/],
  ['a literal password', (o) => { containerOf(worker(o)).env.push({ name: 'PGPASSWORD', value: 'hunter2' }); }, 'Deployment/worker-deployment', (o) => `${W}.env[${envIndex(containerOf(worker(o)), 'PGPASSWORD')}].value`, /^\[literal-secret\] PGPASSWORD holds a literal value$/],
  ['replicas on an autoscaled Deployment', (o) => { worker(o).spec.replicas = 1; }, 'Deployment/worker-deployment', 'spec.replicas', /^\[hpa-replicas\] replicas is set, and HorizontalPodAutoscaler\/worker-deployment manages it/],
  ['several pods without a disruption budget', (o) => { o.splice(o.indexOf(find(o, 'PodDisruptionBudget', 'client-disruption-budget')), 1); }, 'Deployment/client-deployment', 'metadata.name', /^\[disruption-budget\] 3 pods and no PodDisruptionBudget selects them$/],
  ['several pods not spread', (o) => { delete client(o).spec.template.spec.topologySpreadConstraints; }, 'Deployment/client-deployment', `${S}.topologySpreadConstraints`, /^\[spread\] 3 pods and nothing spreads them across nodes$/],
  ['a namespace without the restricted profile', (o) => { o.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'extra' } }); }, 'Namespace/extra', 'metadata.labels', /^\[namespace-pod-security\] the namespace does not enforce the restricted Pod Security profile$/],
  ['an Ingress without TLS that no exception names', (o) => { const i = find(o, 'Ingress', 'ingress-service'); i.metadata.name = 'other-ingress'; delete i.metadata.annotations['accept-policy.multi-k8s.dev/ingress-tls']; }, 'Ingress/other-ingress', 'spec.tls', /^\[ingress-tls\] the Ingress serves plain HTTP$/],
];

describe('policy checks', () => {
  test('the app\'s default output has no finding but its one listed exception', () => {
    const { items, options } = renderedApp();
    expect(validateManifests(items, options)).toEqual([]);
    expect(options.policyExceptions).toEqual([expect.objectContaining({ rule: 'ingress-tls', object: 'Ingress/ingress-service' })]);
    expect(options.policyExceptions[0].reason).toMatch(/^plain HTTP on any host/);
    // The exception also travels on the Ingress as an annotation: both removed, the finding shows.
    delete find(items.map((i) => i.object), 'Ingress', 'ingress-service').metadata.annotations['accept-policy.multi-k8s.dev/ingress-tls'];
    const withoutExceptions = validateManifests(items, { ...options, policyExceptions: [] });
    expect(withoutExceptions.map((p) => `${p.object} ${p.message}`)).toEqual(['Ingress/ingress-service [ingress-tls] the Ingress serves plain HTTP']);
  });

  test('a privileged container is a policy finding, and with allowPrivilegeEscalation false also an API error', () => {
    const problems = validateBroken((o) => { containerOf(worker(o)).securityContext.privileged = true; });
    expect(problems.map((p) => `${p.check} ${p.object} ${p.path}: ${p.message}`)).toEqual([
      `api Deployment/worker-deployment ${W}.securityContext.allowPrivilegeEscalation: allowPrivilegeEscalation is false on a privileged container`,
      `policy Deployment/worker-deployment ${W}.securityContext.privileged: [restricted] the container is privileged`,
    ]);
  });

  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, expectedPath, message) => {
    const { problems, path } = validateBrokenAt(breakIt, expectedPath);
    expect(problems.map((p) => `${p.check} ${p.object} ${p.path}`)).toEqual([`policy ${object} ${path}`]);
    expect(problems[0].message).toMatch(message);
  });

  // What each finding says is allowed, for the one who fixes it, by the case above that raises it.
  test.each([
    ['runAsNonRoot off', 'runAsNonRoot: true (pod or container)'],
    ['no seccomp profile', 'RuntimeDefault or Localhost (pod or container)'],
    ['privilege escalation allowed', 'allowPrivilegeEscalation: false'],
    ['capabilities kept', 'drop: [ALL]'],
    ['a capability added', 'only NET_BIND_SERVICE'],
    ['host network', 'false or unset'],
    ['a hostPath volume', 'configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret'],
    ['a host port', 'no hostPort'],
    ['no memory limit', 'a memory limit'],
    ['no CPU request', 'a cpu request'],
    ['a port without a readiness probe', 'a readiness probe'],
    ['liveness a copy of readiness', 'a liveness probe more patient than readiness'],
    ['an image at latest', 'a tag other than latest (the commit SHA), or a digest'],
    ['a writable root filesystem', 'readOnlyRootFilesystem: true, with an emptyDir for each path the image writes'],
    ['a mounted token', 'automountServiceAccountToken: false'],
    ['the default ServiceAccount', 'a ServiceAccount of its own'],
    ['a literal password', 'valueFrom.secretKeyRef'],
    ['replicas on an autoscaled Deployment', 'no replicas on an autoscaled Deployment'],
    ['several pods without a disruption budget', 'a PodDisruptionBudget selecting the pods'],
    ['several pods not spread', 'topologySpreadConstraints or podAntiAffinity on kubernetes.io/hostname'],
    ['a namespace without the restricted profile', 'label pod-security.kubernetes.io/enforce: restricted'],
    ['an Ingress without TLS that no exception names', 'spec.tls with a certificate Secret'],
  ])('%s: the finding names what is allowed', (what, allowed) => {
    const breakIt = CASES.find(([name]) => name === what)![1];
    expect(validateBroken(breakIt).map((p) => p.allowed)).toEqual([allowed]);
  });

  test.each([
    ['runs as uid 0', (o: KubeObject[]) => { worker(o).spec.template.spec.securityContext.runAsUser = 0; containerOf(worker(o)).securityContext.runAsUser = 0; }, 'a non-zero uid'],
    ['is privileged', (o: KubeObject[]) => { Object.assign(containerOf(worker(o)).securityContext, { privileged: true, allowPrivilegeEscalation: true }); }, 'privileged: false'],
    ['shares the host PID namespace', (o: KubeObject[]) => { worker(o).spec.template.spec.hostPID = true; }, 'false or unset'],
  ])('a container that %s: the restricted finding names what is allowed', (_what, breakIt, allowed) => {
    const problems = validateBroken(breakIt).filter((p) => p.check === 'policy');
    expect(problems.map((p) => p.allowed)).toContain(allowed);
  });

  test('every rule has a case above', () => {
    const tested = new Set(CASES.map(([, , , , message]) => /\\\[([a-z-]+)\\\]/.exec(message.source)?.[1]));
    expect([...Object.keys(POLICY_RULES)].filter((rule) => !tested.has(rule))).toEqual(['network-policy']);
  });

  test('pods no NetworkPolicy isolates are reported, per direction', () => {
    const problems = validateBroken((o) => { find(o, 'NetworkPolicy', 'multi-k8s-default-deny-all').spec.podSelector = { matchLabels: { component: 'nothing' } }; });
    // Every pod stays isolated for egress by the DNS policy; only the worker has no ingress policy of its own.
    expect(problems.map((p) => `${p.object} ${p.message}`)).toEqual([
      'Deployment/worker-deployment [network-policy] no NetworkPolicy isolates these pods for ingress',
    ]);
  });
});

describe('ingress-tls: TLS wherever hosts are set', () => {
  const COURSE = { HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com' };
  const GATEWAY = { ...COURSE, ROUTING: 'gateway' };
  const ACCEPT = 'accept-policy.multi-k8s.dev/ingress-tls';

  /** Every problem of the env's output, broken in one way, judged with the options the synth passes. */
  function brokenOutput(env: Record<string, string>, breakIt: (o: KubeObject[]) => void): string[] {
    const items = defaultItems(env);
    breakIt(items.map((item) => item.object));
    return validateManifests(items, validateOptions(defaultCharts(env))).map((p) => `${p.check} ${p.object} ${p.path}: ${p.message}`);
  }
  const ingress = (o: KubeObject[]) => find(o, 'Ingress', 'ingress-service');
  const route = (o: KubeObject[]) => find(o, 'HTTPRoute', 'multi-k8s');
  const gateway = (o: KubeObject[]) => find(o, 'Gateway', 'multi-k8s');

  test('an Ingress host its tls does not list is reported, naming the host', () => {
    expect(brokenOutput(COURSE, (o) => { ingress(o).spec.tls[0].hosts = ['k8s-multi.com']; })).toEqual([
      'policy Ingress/ingress-service spec.rules[1].host: [ingress-tls] host "www.k8s-multi.com" is served without TLS: no spec.tls entry with a secretName lists it',
    ]);
  });

  test('a tls entry without a secretName covers no host', () => {
    expect(brokenOutput(COURSE, (o) => { delete ingress(o).spec.tls[0].secretName; })).toEqual([
      'policy Ingress/ingress-service spec.rules[0].host: [ingress-tls] host "k8s-multi.com" is served without TLS: no spec.tls entry with a secretName lists it',
      'policy Ingress/ingress-service spec.rules[1].host: [ingress-tls] host "www.k8s-multi.com" is served without TLS: no spec.tls entry with a secretName lists it',
    ]);
  });

  test('a wildcard tls host covers the hosts one label below it', () => {
    expect(brokenOutput(COURSE, (o) => { ingress(o).spec.tls[0].hosts = ['k8s-multi.com', '*.k8s-multi.com']; })).toEqual([]);
    expect(brokenOutput(COURSE, (o) => { ingress(o).spec.tls[0].hosts = ['k8s-multi.com', '*.multi.com']; })).toEqual([
      'policy Ingress/ingress-service spec.rules[1].host: [ingress-tls] host "www.k8s-multi.com" is served without TLS: no spec.tls entry with a secretName lists it',
    ]);
  });

  test('an HTTPRoute with backends attached to the Gateway\'s HTTP listener is reported', () => {
    expect(brokenOutput(GATEWAY, (o) => { route(o).spec.parentRefs[0].sectionName = 'http'; })).toEqual([
      'policy HTTPRoute/multi-k8s spec.parentRefs[0]: [ingress-tls] hostnames k8s-multi.com, www.k8s-multi.com are served over plain HTTP: Gateway/multi-k8s listener "http" (protocol HTTP) forwards them to backends',
    ]);
  });

  test('an HTTPRoute without sectionName attaches to every listener, the HTTP one too', () => {
    expect(brokenOutput(GATEWAY, (o) => { delete route(o).spec.parentRefs[0].sectionName; })).toEqual([
      'policy HTTPRoute/multi-k8s spec.parentRefs[0]: [ingress-tls] hostnames k8s-multi.com, www.k8s-multi.com are served over plain HTTP: Gateway/multi-k8s listener "http" (protocol HTTP) forwards them to backends',
    ]);
  });

  test('a parentRef port picks the listeners on that port', () => {
    expect(brokenOutput(GATEWAY, (o) => { const [ref] = route(o).spec.parentRefs; delete ref.sectionName; ref.port = 443; })).toEqual([]);
    expect(brokenOutput(GATEWAY, (o) => { const [ref] = route(o).spec.parentRefs; delete ref.sectionName; ref.port = 80; })).toEqual([
      'policy HTTPRoute/multi-k8s spec.parentRefs[0]: [ingress-tls] hostnames k8s-multi.com, www.k8s-multi.com are served over plain HTTP: Gateway/multi-k8s listener "http" (protocol HTTP) forwards them to backends',
    ]);
  });

  test('a redirect-only route on the HTTP listener is no finding, the same route with a backend is', () => {
    const redirect = (o: KubeObject[]) => find(o, 'HTTPRoute', 'multi-k8s-https-redirect');
    expect(redirect(defaultObjects(GATEWAY)).spec.parentRefs[0].sectionName).toBe('http');
    expect(brokenOutput(GATEWAY, (o) => { redirect(o).spec.rules[0] = { backendRefs: [{ kind: 'Service', name: 'client-cluster-ip-service', port: 3000 }] }; })).toEqual([
      'policy HTTPRoute/multi-k8s-https-redirect spec.parentRefs[0]: [ingress-tls] hostnames k8s-multi.com, www.k8s-multi.com are served over plain HTTP: Gateway/multi-k8s listener "http" (protocol HTTP) forwards them to backends',
    ]);
  });

  test('a route on a Gateway the input does not hold is not judged; one in another namespace of the input is', () => {
    const elsewhere = (o: KubeObject[], namespace: string) => {
      gateway(o).metadata.namespace = 'infra';
      Object.assign(route(o).spec.parentRefs[0], { namespace, sectionName: 'http' });
    };
    expect(brokenOutput(GATEWAY, (o) => elsewhere(o, 'platform'))).toEqual([]);
    expect(brokenOutput(GATEWAY, (o) => elsewhere(o, 'infra'))).toEqual([
      'policy HTTPRoute/multi-k8s spec.parentRefs[0]: [ingress-tls] hostnames k8s-multi.com, www.k8s-multi.com are served over plain HTTP: Gateway/multi-k8s listener "http" (protocol HTTP) forwards them to backends',
    ]);
  });

  test.each([
    ['an uncovered Ingress host', COURSE, (o: KubeObject[]) => { ingress(o).spec.tls[0].hosts = ['k8s-multi.com']; }, '"www.k8s-multi.com" in the hosts of a spec.tls entry with a secretName'],
    ['a route through an HTTP listener', GATEWAY, (o: KubeObject[]) => { route(o).spec.parentRefs[0].sectionName = 'http'; }, 'a sectionName naming an HTTPS listener; on HTTP listeners only a RequestRedirect to https'],
    ['an HTTPS listener without a certificate', GATEWAY, (o: KubeObject[]) => { delete gateway(o).spec.listeners.find((l: KubeObject) => l.name === 'https').tls; }, 'tls.certificateRefs naming the certificate\'s Secret'],
  ])('%s: the finding names what is allowed', (_what, env, breakIt, allowed) => {
    const items = defaultItems(env);
    breakIt(items.map((item) => item.object));
    expect(validateManifests(items, validateOptions(defaultCharts(env))).map((p) => p.allowed)).toEqual([allowed]);
  });

  test('an HTTPS listener without tls is reported (the CRD\'s CEL rule lets it through)', () => {
    expect(brokenOutput(GATEWAY, (o) => { delete gateway(o).spec.listeners.find((l: KubeObject) => l.name === 'https').tls; })).toEqual([
      'policy Gateway/multi-k8s spec.listeners[1].tls.certificateRefs: [ingress-tls] listener "https" serves HTTPS without a certificate',
    ]);
  });

  test('a route for any host forwarding through an HTTP listener is reported, as an Ingress without hosts is', () => {
    const items = defaultItems({ ROUTING: 'gateway' });
    delete route(items.map((i) => i.object)).metadata.annotations[ACCEPT];
    expect(validateManifests(items, {}).map((p) => `${p.object} ${p.path}: ${p.message}`)).toEqual([
      'HTTPRoute/multi-k8s spec.parentRefs[0]: [ingress-tls] the HTTPRoute serves plain HTTP on any host: Gateway/multi-k8s listener "http" (protocol HTTP) forwards it to backends',
    ]);
  });

  test.each([['ingress-nginx', COURSE], ['a Gateway', GATEWAY]])('HTTPS through %s has no [ingress-tls] finding and lists no exception', (_name, env) => {
    const charts = defaultCharts(env);
    expect(charts.flatMap(({ chart }) => chart.policyExceptions)).toEqual([]);
    const objects = defaultObjects(env);
    expect(objects.filter((o) => Object.keys(o.metadata.annotations ?? {}).some((k) => k.startsWith('accept-policy.'))).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    const result = validate(defaultItems(env), {});
    expect(result.problems.filter((p) => p.message.startsWith('[ingress-tls]'))).toEqual([]);
    expect(result.exceptions).toEqual([]);
  });

  test.each([
    ['ingress-nginx for any host', {}, 'Ingress/ingress-service'],
    ['ingress-nginx for a preview\'s host', { PREVIEWS: 'pr-1' }, 'Ingress/ingress-service'],
    ['a Gateway for any host', { ROUTING: 'gateway' }, 'HTTPRoute/multi-k8s'],
  ])('plain HTTP through %s has exactly the chart\'s listed [ingress-tls] exception, on the object', (_name, env: Record<string, string>, object) => {
    const listed = defaultCharts(env).flatMap(({ chart }) => chart.policyExceptions);
    expect(listed).toEqual([expect.objectContaining({ rule: 'ingress-tls', object })]);
    const annotated = defaultObjects(env).filter((o) => o.metadata.annotations?.[ACCEPT] !== undefined);
    expect(annotated.map((o) => [`${o.kind}/${o.metadata.name}`, o.metadata.annotations[ACCEPT]])).toEqual([[object, listed[0].reason]]);
    // Judged by the annotation alone, the exception accepts a finding, and nothing else is left.
    const result = validate(defaultItems(env), {});
    expect(result.problems).toEqual([]);
    expect(result.exceptions).toEqual([{ rule: 'ingress-tls', object, reason: listed[0].reason }]);
    // Without it, the finding is there, on that object only.
    const items = defaultItems(env);
    for (const { object: o } of items) delete o.metadata.annotations?.[ACCEPT];
    expect([...new Set(validateManifests(items, {}).map((p) => `${p.object} ${p.message.split(' ')[0]}`))]).toEqual([`${object} [ingress-tls]`]);
  });
});

// checkPolicy on its own, for one rule at a time: a hardened Deployment that every rule accepts,
// changed in one way. (The validator calls it per namespace, with exceptions applied.)
describe('checkPolicy', () => {
  const hardened = (): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          serviceAccountName: 'api', automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'api', image: 'example/api:1.0.0',
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
          }],
        },
      },
    },
  });
  const isolation: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
  const C = 'spec.template.spec.containers[0]';
  function findings(change: (d: KubeObject, extra: KubeObject[]) => void, exceptions: Parameters<typeof checkPolicy>[1] = []): string[] {
    const deployment = hardened();
    const extra: KubeObject[] = [isolation];
    change(deployment, extra);
    return checkPolicy([deployment, ...extra].map((object) => ({ file: 'f.yaml', object })), exceptions).map((p) => `${p.object} ${p.path}: ${p.message} (allowed: ${p.allowed})`);
  }

  test('the hardened Deployment passes every rule', () => {
    expect(findings(() => undefined)).toEqual([]);
  });

  test.each([
    ['a literal API key (the underscore is optional)', (d: KubeObject) => { containerOf(d).env = [{ name: 'APIKEY', value: 'k' }]; }, [`Deployment/api ${C}.env[0].value: [literal-secret] APIKEY holds a literal value (allowed: valueFrom.secretKeyRef)`]],
    ['a literal private key', (d: KubeObject) => { containerOf(d).env = [{ name: 'PRIVATEKEY', value: 'k' }]; }, [`Deployment/api ${C}.env[0].value: [literal-secret] PRIVATEKEY holds a literal value (allowed: valueFrom.secretKeyRef)`]],
    ['a literal credential', (d: KubeObject) => { containerOf(d).env = [{ name: 'DB_CREDENTIAL', value: 'k' }]; }, [`Deployment/api ${C}.env[0].value: [literal-secret] DB_CREDENTIAL holds a literal value (allowed: valueFrom.secretKeyRef)`]],
    ['the host IPC namespace', (d: KubeObject) => { d.spec.template.spec.hostIPC = true; }, ['Deployment/api spec.template.spec.hostIPC: [restricted] hostIPC is true (allowed: false or unset)']],
    ['uid 0 from the pod', (d: KubeObject) => { d.spec.template.spec.securityContext.runAsUser = 0; }, [`Deployment/api ${C}.securityContext.runAsUser: [restricted] runs as uid 0 (allowed: a non-zero uid)`]],
    // Pod Security admission refuses the pod's false though every container says true
    // (check_runAsNonRoot.go; test/validate/pod-security.test.ts asks the server).
    ['a pod runAsNonRoot false overridden by the container', (d: KubeObject) => { d.spec.template.spec.securityContext.runAsNonRoot = false; containerOf(d).securityContext.runAsNonRoot = true; }, ['Deployment/api spec.template.spec.securityContext.runAsNonRoot: [restricted] runAsNonRoot is not true (allowed: runAsNonRoot: true (pod or container))']],
    ['two capabilities added', (d: KubeObject) => { containerOf(d).securityContext.capabilities.add = ['NET_ADMIN', 'SYS_TIME']; }, [`Deployment/api ${C}.securityContext.capabilities.add: [restricted] adds NET_ADMIN, SYS_TIME (allowed: only NET_BIND_SERVICE)`]],
    ['the default ServiceAccount named', (d: KubeObject) => { d.spec.template.spec.serviceAccountName = 'default'; }, ['Deployment/api spec.template.spec.serviceAccountName: [service-account] runs as the namespace\'s default ServiceAccount (allowed: a ServiceAccount of its own)']],
    ['three StatefulSet pods without a budget', (d: KubeObject) => { d.kind = 'StatefulSet'; d.spec.replicas = 3; d.spec.template.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }]; }, ['StatefulSet/api metadata.name: [disruption-budget] 3 pods and no PodDisruptionBudget selects them (allowed: a PodDisruptionBudget selecting the pods)']],
    ['an empty spread list', (d: KubeObject, extra: KubeObject[]) => {
      d.spec.replicas = 2;
      d.spec.template.spec.topologySpreadConstraints = [];
      extra.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'api' } } } });
    }, ['Deployment/api spec.template.spec.topologySpreadConstraints: [spread] 2 pods and nothing spreads them across nodes (allowed: topologySpreadConstraints or podAntiAffinity on kubernetes.io/hostname)']],
    ['no isolating NetworkPolicy', (_d: KubeObject, extra: KubeObject[]) => { extra.splice(0, 1); }, [
      'Deployment/api spec.template.metadata.labels: [network-policy] no NetworkPolicy isolates these pods for ingress (allowed: a default-deny NetworkPolicy selecting the pods, and rules for what they need)',
      'Deployment/api spec.template.metadata.labels: [network-policy] no NetworkPolicy isolates these pods for egress (allowed: a default-deny NetworkPolicy selecting the pods, and rules for what they need)',
    ]],
    ['a container without an image', (d: KubeObject) => { delete containerOf(d).image; }, [`Deployment/api ${C}.image: [image-tag] image "" is not pinned to a tag (allowed: a tag other than latest (the commit SHA), or a digest)`]],
    ['resources without requests or limits', (d: KubeObject) => { containerOf(d).resources = {}; }, ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].map((r) => {
      const [kind, resource] = r.split('.');
      return `Deployment/api ${C}.resources.${r}: [resources] no ${resource} ${kind.slice(0, -1)} (allowed: a ${resource} ${kind.slice(0, -1)})`;
    })],
    ['an autoscaler keeping three pods, with no budget or spread', (d: KubeObject, extra: KubeObject[]) => {
      delete d.spec.replicas;
      extra.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 5 } });
    }, [
      'Deployment/api metadata.name: [disruption-budget] 3 pods and no PodDisruptionBudget selects them (allowed: a PodDisruptionBudget selecting the pods)',
      'Deployment/api spec.template.spec.topologySpreadConstraints: [spread] 3 pods and nothing spreads them across nodes (allowed: topologySpreadConstraints or podAntiAffinity on kubernetes.io/hostname)',
    ]],
    ['two autoscalers of the Deployment: the first one listed is the one named and counted', (d: KubeObject, extra: KubeObject[]) => {
      d.spec.template.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }];
      const hpa = (name: string, minReplicas: number) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas, maxReplicas: 5 } });
      extra.push(hpa('api-first', 3), hpa('api-second', 2));
    }, [
      'Deployment/api spec.replicas: [hpa-replicas] replicas is set, and HorizontalPodAutoscaler/api-first manages it: every apply resets the autoscaler\'s choice (allowed: no replicas on an autoscaled Deployment)',
      'Deployment/api metadata.name: [disruption-budget] 3 pods and no PodDisruptionBudget selects them (allowed: a PodDisruptionBudget selecting the pods)',
    ]],
    ['a budget in another namespace, and one without a spec', (d: KubeObject, extra: KubeObject[]) => {
      d.spec.replicas = 2;
      d.spec.template.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }];
      extra.push(
        { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'other' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'api' } } } },
        { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'empty', namespace: 'shop' } },
      );
    }, ['Deployment/api metadata.name: [disruption-budget] 2 pods and no PodDisruptionBudget selects them (allowed: a PodDisruptionBudget selecting the pods)']],
    ['a NetworkPolicy of another kind (a CNI\'s own) isolates nothing here', (_d: KubeObject, extra: KubeObject[]) => {
      extra.splice(0, 1, { ...isolation, apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy' });
    }, [
      'Deployment/api spec.template.metadata.labels: [network-policy] no NetworkPolicy isolates these pods for ingress (allowed: a default-deny NetworkPolicy selecting the pods, and rules for what they need)',
      'Deployment/api spec.template.metadata.labels: [network-policy] no NetworkPolicy isolates these pods for egress (allowed: a default-deny NetworkPolicy selecting the pods, and rules for what they need)',
    ]],
    ['an autoscaler of another Deployment, and one in another namespace', (d: KubeObject, extra: KubeObject[]) => {
      d.spec.replicas = 1;
      const hpa = (name: string, namespace: string) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 3, maxReplicas: 5 } });
      extra.push(hpa('web', 'shop'), { ...hpa('api', 'other') });
    }, []],
  ])('%s', (_what, change, expected) => {
    expect(findings(change)).toEqual(expected);
  });

  test.each([
    ['a Localhost seccomp profile', (d: KubeObject) => { d.spec.template.spec.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' }; }],
    ['NET_BIND_SERVICE added', (d: KubeObject) => { containerOf(d).securityContext.capabilities.add = ['NET_BIND_SERVICE']; }],
    ['an empty port list without a readiness probe', (d: KubeObject) => { containerOf(d).ports = []; }],
    ['a secret-named env var with an empty value, one with a suffix after the name, and one without a name', (d: KubeObject) => { containerOf(d).env = [{ name: 'PASSWORD', value: '' }, { name: 'PASSWORD_FILE', value: '/run/secrets/pw' }, { value: 'x' }]; }],
    ['an autoscaler without minReplicas (one pod at rest)', (d: KubeObject, extra: KubeObject[]) => {
      delete d.spec.replicas;
      extra.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 5 } });
    }],
    ['a null port, a null env var and one whose name is a list', (d: KubeObject) => { containerOf(d).ports = [null]; containerOf(d).readinessProbe = { tcpSocket: { port: 8080 } }; containerOf(d).env = [null, { name: ['PASSWORD'], value: 'x' }]; }],
    ['a scaler of another kind, one of a StatefulSet, and autoscalers without a spec or a target', (_d: KubeObject, extra: KubeObject[]) => {
      const target = (kind: string) => ({ spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name: 'api' }, minReplicas: 3 } });
      extra.push(
        { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'api', namespace: 'shop' }, ...target('Deployment') },
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' }, ...target('StatefulSet') },
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'bare', namespace: 'shop' } },
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'untargeted', namespace: 'shop' }, spec: { minReplicas: 3 } },
      );
    }],
    ['a ReplicaSet of three pods (the budget and spread rules judge Deployments and StatefulSets)', (d: KubeObject) => { d.kind = 'ReplicaSet'; d.spec.replicas = 3; }],
  ])('%s passes', (_what, change) => {
    expect(findings(change)).toEqual([]);
  });

  test('a null object among the items is passed over when the autoscalers of a Deployment are looked up', () => {
    expect(findings((_d, extra) => { extra.push(null as unknown as KubeObject); })).toEqual([]);
  });

  test('a Deployment without metadata (of no namespace) is judged, its autoscaler looked up by no name', () => {
    expect(findings((d, extra) => { delete d.metadata; extra.push({ ...isolation, metadata: { name: 'deny' } }); })).toEqual([]);
  });

  test('past its budget, checkPolicy judges no more objects: the object that reaches it is the last judged', () => {
    const writable = (name: string) => { const d = hardened(); d.metadata.name = name; containerOf(d).securityContext.readOnlyRootFilesystem = false; return d; };
    const items = [writable('a'), writable('b'), isolation].map((object) => ({ file: 'f.yaml', object }));
    expect(checkPolicy(items, [], undefined, 1).map((p) => `${p.object} ${p.path}`)).toEqual([`Deployment/a ${C}.securityContext.readOnlyRootFilesystem`]);
    expect(checkPolicy(items, [], undefined, 2).map((p) => `${p.object} ${p.path}`)).toEqual([`Deployment/a ${C}.securityContext.readOnlyRootFilesystem`, `Deployment/b ${C}.securityContext.readOnlyRootFilesystem`]);
  });

  test('an exception names its rule and its object, or every object with *', () => {
    const writable = (d: KubeObject) => { containerOf(d).securityContext.readOnlyRootFilesystem = false; };
    const finding = [`Deployment/api ${C}.securityContext.readOnlyRootFilesystem: [read-only-root] the root filesystem is writable (allowed: readOnlyRootFilesystem: true, with an emptyDir for each path the image writes)`];
    expect(findings(writable, [{ rule: 'read-only-root', object: 'Deployment/api', reason: 'r' }])).toEqual([]);
    expect(findings(writable, [{ rule: 'read-only-root', object: '*', reason: 'r' }])).toEqual([]);
    expect(findings(writable, [{ rule: 'read-only-root', object: 'Deployment/web', reason: 'r' }])).toEqual(finding);
    expect(findings(writable, [{ rule: 'image-tag', object: 'Deployment/api', reason: 'r' }])).toEqual(finding);
  });
});

// The ingress-tls rule on objects the app never writes: empty or missing fields, null entries,
// other API groups. checkPolicy gets them as a direct caller would, nulls and all.
describe('checkPolicy: ingress-tls on odd input', () => {
  const GW = 'gateway.networking.k8s.io/v1';
  const findingsOf = (objects: KubeObject[], gateways?: KubeObject[]) => checkPolicy(objects.map((object) => ({ file: 'f.yaml', object })), [], gateways)
    .map((p) => `${p.object} ${p.path}: ${p.message}`);
  const ingress = (spec: KubeObject | undefined): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, ...(spec && { spec }) });
  const uncovered = (host: string, i: number) => `Ingress/web spec.rules[${i}].host: [ingress-tls] host "${host}" is served without TLS: no spec.tls entry with a secretName lists it`;
  const PLAIN = 'Ingress/web spec.tls: [ingress-tls] the Ingress serves plain HTTP';
  const gateway = (listeners: unknown, name = 'gw'): KubeObject => ({ apiVersion: GW, kind: 'Gateway', metadata: { name }, ...(listeners !== undefined && { spec: { listeners } }) });
  const HTTP = { name: 'http', protocol: 'HTTP', port: 80 };
  const HTTPS = { name: 'https', protocol: 'HTTPS', port: 443, tls: { certificateRefs: [{ name: 'cert' }] } };
  const route = (spec: KubeObject, apiVersion = GW): KubeObject => ({ apiVersion, kind: 'HTTPRoute', metadata: { name: 'web' }, spec });
  const BACKENDS = [{ backendRefs: [{ name: 'web', port: 80 }] }];
  const through = (listeners: string) => `Gateway/gw listener ${listeners} (protocol HTTP) forwards it to backends`;
  const anyHost = (listeners = '"http"', i = 0) => `HTTPRoute/web spec.parentRefs[${i}]: [ingress-tls] the HTTPRoute serves plain HTTP on any host: ${through(listeners)}`;

  test.each([
    ['an Ingress without a spec', ingress(undefined), [PLAIN]],
    ['an empty host and a null rule count as no host', ingress({ rules: [null, { host: '' }] }), [PLAIN]],
    ['no host, but a tls entry', ingress({ rules: [{ http: {} }], tls: [{ secretName: 'cert' }] }), []],
    ['a host twice is one finding, at its first rule', ingress({ rules: [{ host: 'a.com' }, { host: 'a.com' }] }), [uncovered('a.com', 0)]],
    ['a null tls entry, one with an empty secretName, and a tls host that is not a string', ingress({ rules: [{ host: 'a.com' }], tls: [null, { secretName: '', hosts: ['a.com'] }, { secretName: 'cert', hosts: [42] }] }), [uncovered('a.com', 0)]],
    ['a tls host that shares only the tail of a wildcard', ingress({ rules: [{ host: 'www.a.com' }], tls: [{ secretName: 'cert', hosts: ['x.a.com'] }] }), [uncovered('www.a.com', 0)]],
    ['a wildcard host covered by the identical wildcard', ingress({ rules: [{ host: '*.a.com' }], tls: [{ secretName: 'cert', hosts: ['*.a.com'] }] }), []],
  ])('%s', (_what, object, expected) => {
    expect(findingsOf([object])).toEqual(expected);
  });

  test.each([
    ['a Gateway without a spec, a null listener, and a listener without a certificate', [gateway(undefined, 'bare'), gateway([null, { name: 'web', protocol: 'HTTPS' }])], ['Gateway/gw spec.listeners[1].tls.certificateRefs: [ingress-tls] listener "web" serves HTTPS without a certificate']],
    ['a Gateway of another API group is not judged', [{ ...gateway([{ name: 'web', protocol: 'HTTPS' }]), apiVersion: 'networking.istio.io/v1' }], []],
    ['a Gateway without an apiVersion, and a null object', [{ kind: 'Gateway', metadata: { name: 'gw' }, spec: { listeners: [{ name: 'web', protocol: 'HTTPS' }] } }, null], []],
    ['an HTTPRoute of another API group is not judged', [gateway([HTTP]), route({ parentRefs: [{ name: 'gw' }], rules: BACKENDS }, 'example.com/v1')], []],
    ['a parentRef without group and kind names a Gateway', [gateway([HTTP]), route({ parentRefs: [{ name: 'gw' }], rules: BACKENDS })], [anyHost()]],
    ['parentRefs to another group or kind, and a null one, are not judged', [gateway([HTTP]), route({ parentRefs: [null, { group: 'example.com', kind: 'Gateway', name: 'gw' }, { kind: 'Service', name: 'gw' }], rules: BACKENDS })], []],
    ['one rule of several with backends forwards; a null rule does not', [gateway([HTTP]), route({ parentRefs: [{ name: 'gw' }], rules: [null, { filters: [] }, ...BACKENDS] })], [anyHost()]],
    ['every HTTP listener is named', [gateway([HTTP, { ...HTTP, name: 'alt', port: 8080 }, null, HTTPS]), route({ parentRefs: [{ name: 'gw' }], rules: BACKENDS })], [anyHost('"http", "alt"')]],
    ['hostnames that are not strings are left out', [gateway([HTTP]), route({ hostnames: ['a.com', 42], parentRefs: [{ name: 'gw' }], rules: BACKENDS })], [`HTTPRoute/web spec.parentRefs[0]: [ingress-tls] hostnames a.com are served over plain HTTP: ${through('"http"').replace('it to', 'them to')}`]],
    ['the parentRef picks its Gateway by name', [gateway([HTTP], 'plain'), gateway([HTTPS]), route({ parentRefs: [{ name: 'gw' }], rules: BACKENDS })], []],
    ['a route without a spec, and a Gateway without a spec', [gateway(undefined), { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'web' } }], []],
    ['a route attached to a Gateway without a spec', [gateway(undefined), route({ parentRefs: [{ name: 'gw' }], rules: BACKENDS })], []],
  ])('%s', (_what, objects, expected) => {
    expect(findingsOf(objects as KubeObject[])).toEqual(expected);
  });

  test('the Gateways passed in are the ones a route attaches to, even one without metadata', () => {
    const objects = [route({ parentRefs: [{ name: 'gw' }], rules: BACKENDS })];
    expect(findingsOf(objects, [{ apiVersion: GW, kind: 'Gateway', spec: { listeners: [HTTP] } }, gateway([HTTP])])).toEqual([anyHost()]);
    expect(findingsOf(objects, [])).toEqual([]);
  });

  test('gatewaysOf keeps Gateway API Gateways only', () => {
    const objects = [gateway([HTTP]), { ...gateway([HTTP], 'istio'), apiVersion: 'networking.istio.io/v1' }, { kind: 'Gateway', metadata: { name: 'bare' } }, route({}), null];
    expect(gatewaysOf(objects as KubeObject[]).map((g) => g.metadata.name)).toEqual(['gw']);
  });

  test('a namespace without metadata, and a null object, are judged without error', () => {
    expect(findingsOf([{ apiVersion: 'v1', kind: 'Namespace' }, null as unknown as KubeObject])).toEqual([
      'Namespace/<no name> metadata.labels: [namespace-pod-security] the namespace does not enforce the restricted Pod Security profile',
    ]);
  });
});
