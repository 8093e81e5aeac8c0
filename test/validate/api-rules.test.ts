import { checkApiRules } from '../../lib/validate/api-rules';
import { KubeObject } from '../../lib/validate/problem';
import { containerOf, envIndex, envVar, ExpectedPath, expectOnly, find, NON_POLICY, validateBroken, validateBrokenAt } from '../helpers';

const worker = (o: KubeObject[]) => find(o, 'Deployment', 'worker-deployment');
const workerContainer = (o: KubeObject[]) => containerOf(worker(o));
const W = 'spec.template.spec.containers[0]';
/** Where the worker's env var of that name is, in the objects as broken. */
const workerEnv = (name: string, rest: string) => (o: KubeObject[]) => `${W}.env[${envIndex(workerContainer(o), name)}]${rest}`;
const extra = (o: KubeObject[], object: KubeObject) => { o.push(object); };

// [what is broken, how, the one problem expected: object, path, message]
const CASES: [string, (o: KubeObject[]) => void, string, ExpectedPath, RegExp][] = [
  ['object name not a DNS subdomain', (o) => { find(o, 'Deployment', 'postgres-deployment').metadata.name = 'Postgres_Deployment'; }, 'Deployment/Postgres_Deployment', 'metadata.name', /^Deployment name "Postgres_Deployment" is not valid$/],
  ['object without a name', (o) => { delete find(o, 'Deployment', 'postgres-deployment').metadata.name; }, 'Deployment/<no name>', 'metadata.name', /^the object has no name$/],
  ['Service name starting with a digit', (o) => { extra(o, { ...structuredClone(find(o, 'Service', 'client-cluster-ip-service')), metadata: { name: '1client' } }); }, 'Service/1client', 'metadata.name', /^Service name "1client" is not valid$/],
  ['Service name longer than 63', (o) => { extra(o, { ...structuredClone(find(o, 'Service', 'client-cluster-ip-service')), metadata: { name: 'c'.repeat(64) } }); }, `Service/${'c'.repeat(64)}`, 'metadata.name', /^Service name "c{64}" is not valid$/],
  ['Namespace name with a dot', (o) => { extra(o, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } }); }, 'Namespace/a.b', 'metadata.name', /^Namespace name "a.b" is not valid$/],
  ['namespace not a DNS label', (o) => { extra(o, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'Bad_NS' } }); }, 'ConfigMap/x', 'metadata.namespace', /^namespace "Bad_NS" is not valid$/],
  ['cluster-scoped object with a namespace', (o) => { extra(o, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', namespace: 'y' } }); }, 'Namespace/x', 'metadata.namespace', /^Namespace is cluster-scoped/],
  ['label key with a space', (o) => { worker(o).metadata.labels['bad key!'] = 'x'; }, 'Deployment/worker-deployment', 'metadata.labels.bad key!', /^label key "bad key!" is not a qualified name$/],
  ['label value longer than 63', (o) => { worker(o).metadata.labels.x = 'v'.repeat(64); }, 'Deployment/worker-deployment', 'metadata.labels.x', /^label value "v{64}" is not valid$/],
  ['pod label value with a space', (o) => { worker(o).spec.template.metadata.labels.x = 'a b'; }, 'Deployment/worker-deployment', 'spec.template.metadata.labels.x', /^label value "a b" is not valid$/],
  ['annotation key with a bad prefix', (o) => { find(o, 'Ingress', 'ingress-service').metadata.annotations['nginx/ingress/x'] = 'y'; }, 'Ingress/ingress-service', 'metadata.annotations.nginx/ingress/x', /has an invalid prefix "nginx\/ingress"/],
  ['annotations over 256 KiB', (o) => { worker(o).metadata.annotations = { big: 'x'.repeat(262145) }; }, 'Deployment/worker-deployment', 'metadata.annotations', /^annotations total \d+ bytes$/],
  ['container name with upper case', (o) => { workerContainer(o).name = 'Worker_1'; }, 'Deployment/worker-deployment', `${W}.name`, /^container name "Worker_1" is not valid$/],
  ['two containers with one name', (o) => { worker(o).spec.template.spec.initContainers = [structuredClone(workerContainer(o))]; }, 'Deployment/worker-deployment', `${W}.name`, /^container name "worker" is used twice in the pod$/],
  ['containerPort out of range', (o) => { workerContainer(o).ports = [{ containerPort: 70000 }]; }, 'Deployment/worker-deployment', `${W}.ports[0].containerPort`, /^containerPort 70000 is out of range$/],
  ['port name longer than 15', (o) => { workerContainer(o).ports = [{ containerPort: 8080, name: 'a-long-port-name' }]; }, 'Deployment/worker-deployment', `${W}.ports[0].name`, /^port name "a-long-port-name" is not valid$/],
  ['port name with only digits', (o) => { workerContainer(o).ports = [{ containerPort: 8080, name: '8080' }]; }, 'Deployment/worker-deployment', `${W}.ports[0].name`, /^port name "8080" is not valid$/],
  ['two ports with one name', (o) => { workerContainer(o).ports = [{ containerPort: 8080, name: 'm' }, { containerPort: 8081, name: 'm' }]; }, 'Deployment/worker-deployment', `${W}.ports[1].name`, /^port name "m" is used twice in the container$/],
  ['env name starting with a digit', (o) => { workerContainer(o).env.push({ name: '1BAD', value: 'x' }); }, 'Deployment/worker-deployment', workerEnv('1BAD', '.name'), /^environment variable name "1BAD" is not valid before Kubernetes 1.32$/],
  ['env with value and valueFrom', (o) => { envVar(workerContainer(o), 'REDIS_PORT').valueFrom = { fieldRef: { fieldPath: 'metadata.name' } }; }, 'Deployment/worker-deployment', workerEnv('REDIS_PORT', ''), /^"REDIS_PORT" sets both value and valueFrom$/],
  ['quantity that does not parse', (o) => { workerContainer(o).resources.requests.cpu = '1 CPU'; }, 'Deployment/worker-deployment', `${W}.resources.requests.cpu`, /^"1 CPU" is not a quantity$/],
  ['request above its limit', (o) => { workerContainer(o).resources.requests.memory = '512Mi'; }, 'Deployment/worker-deployment', `${W}.resources.requests.memory`, /^request 512Mi exceeds limit 256Mi$/],
  ['mount of a volume the pod does not have', (o) => { workerContainer(o).volumeMounts[1].name = 'tmpp'; }, 'Deployment/worker-deployment', `${W}.volumeMounts[1].name`, /^mounts volume "tmpp", which the pod does not have$/],
  ['one path mounted twice', (o) => { workerContainer(o).volumeMounts.push({ name: 'home', mountPath: '/tmp' }); }, 'Deployment/worker-deployment', `${W}.volumeMounts[2].mountPath`, /^"\/tmp" is mounted twice$/],
  ['two volumes with one name', (o) => { worker(o).spec.template.spec.volumes.push({ name: 'tmp', emptyDir: {} }); }, 'Deployment/worker-deployment', 'spec.template.spec.volumes[2].name', /^volume name "tmp" is used twice$/],
  ['volume with two sources', (o) => { worker(o).spec.template.spec.volumes[0].secret = { secretName: 'pgpassword', optional: true }; }, 'Deployment/worker-deployment', 'spec.template.spec.volumes[0]', /^volume has 2 sources/],
  ['probe with two handlers', (o) => { containerOf(find(o, 'Deployment', 'server-deployment')).readinessProbe.tcpSocket = { port: 5000 }; }, 'Deployment/server-deployment', `${W}.readinessProbe`, /^probe has 2 handlers$/],
  ['liveness successThreshold above 1', (o) => { containerOf(find(o, 'Deployment', 'server-deployment')).livenessProbe.successThreshold = 2; }, 'Deployment/server-deployment', `${W}.livenessProbe.successThreshold`, /^livenessProbe successThreshold is 2$/],
  ['negative probe period', (o) => { containerOf(find(o, 'Deployment', 'server-deployment')).readinessProbe.periodSeconds = -1; }, 'Deployment/server-deployment', `${W}.readinessProbe.periodSeconds`, /^periodSeconds is -1$/],
  ['runAsNonRoot with uid 0', (o) => { workerContainer(o).securityContext.runAsUser = 0; }, 'Deployment/worker-deployment', `${W}.securityContext.runAsUser`, /^runAsNonRoot is true but runAsUser is 0/],
  ['selector that misses the template labels', (o) => { worker(o).spec.selector.matchLabels.component = 'workers'; }, 'Deployment/worker-deployment', 'spec.template.metadata.labels', /^selector \{"component":"workers"\} does not match the template labels/],
  ['empty selector', (o) => { worker(o).spec.selector = { matchLabels: {} }; }, 'Deployment/worker-deployment', 'spec.selector', /^an empty selector is invalid for Deployment$/],
  ['negative replicas', (o) => { worker(o).spec.replicas = -1; }, 'Deployment/worker-deployment', 'spec.replicas', /^replicas is -1$/],
  ['Recreate with rollingUpdate settings', (o) => { find(o, 'Deployment', 'postgres-deployment').spec.strategy.rollingUpdate = { maxSurge: 1 }; }, 'Deployment/postgres-deployment', 'spec.strategy.rollingUpdate', /^rollingUpdate is set with type Recreate$/],
  ['rolling update that cannot progress', (o) => { worker(o).spec.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: '0%' }; }, 'Deployment/worker-deployment', 'spec.strategy.rollingUpdate', /^maxSurge and maxUnavailable are both 0/],
  ['Deployment pods that do not restart', (o) => { worker(o).spec.template.spec.restartPolicy = 'Never'; }, 'Deployment/worker-deployment', 'spec.template.spec.restartPolicy', /^restartPolicy is Never$/],
  ['imagePullPolicy outside the enum', (o) => { workerContainer(o).imagePullPolicy = 'Sometimes'; }, 'Deployment/worker-deployment', `${W}.imagePullPolicy`, /^"Sometimes" is not a supported value$/],
  ['port protocol outside the enum', (o) => { containerOf(find(o, 'Deployment', 'client-deployment')).ports[0].protocol = 'HTTP'; }, 'Deployment/client-deployment', `${W}.ports[0].protocol`, /^"HTTP" is not a supported value$/],
  ['strategy type outside the enum', (o) => { worker(o).spec.strategy.type = 'BlueGreen'; }, 'Deployment/worker-deployment', 'spec.strategy.type', /^"BlueGreen" is not a supported value$/],
  ['seccomp profile type outside the enum', (o) => { worker(o).spec.template.spec.securityContext.seccompProfile.type = 'Default'; }, 'Deployment/worker-deployment', 'spec.template.spec.securityContext.seccompProfile.type', /^"Default" is not a supported value$/],
  ['Service type outside the enum', (o) => { find(o, 'Service', 'client-cluster-ip-service').spec.type = 'Internal'; }, 'Service/client-cluster-ip-service', 'spec.type', /^"Internal" is not a supported value$/],
  ['Service port out of range', (o) => { extra(o, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'extra' }, spec: { ports: [{ port: 70000 }] } }); }, 'Service/extra', 'spec.ports[0].port', /^port 70000 is out of range$/],
  ['Service with several unnamed ports', (o) => { find(o, 'Service', 'client-cluster-ip-service').spec.ports.push({ port: 3001, targetPort: 3000 }); }, 'Service/client-cluster-ip-service', 'spec.ports[1].name', /^a Service with several ports must name each one$/],
  ['Service without ports', (o) => { find(o, 'Service', 'redis-cluster-ip-service').spec.ports = []; }, 'Service/redis-cluster-ip-service', 'spec.ports', /^the Service has no ports$/],
  ['claim without access modes', (o) => { find(o, 'PersistentVolumeClaim', 'database-persistent-volume-claim').spec.accessModes = []; }, 'PersistentVolumeClaim/database-persistent-volume-claim', 'spec.accessModes', /^no access mode$/],
  ['claim with an unknown access mode', (o) => { find(o, 'PersistentVolumeClaim', 'database-persistent-volume-claim').spec.accessModes = ['ReadWriteSometimes']; }, 'PersistentVolumeClaim/database-persistent-volume-claim', 'spec.accessModes[0]', /^access mode "ReadWriteSometimes" is not supported$/],
  ['claim without a size', (o) => { find(o, 'PersistentVolumeClaim', 'database-persistent-volume-claim').spec.resources = { requests: {} }; }, 'PersistentVolumeClaim/database-persistent-volume-claim', 'spec.resources.requests.storage', /^the claim requests no storage size$/],
  ['claim of size 0', (o) => { find(o, 'PersistentVolumeClaim', 'database-persistent-volume-claim').spec.resources.requests.storage = '0'; }, 'PersistentVolumeClaim/database-persistent-volume-claim', 'spec.resources.requests.storage', /^storage 0 is not positive$/],
  ['Ingress pathType outside the enum', (o) => { find(o, 'Ingress', 'ingress-service').spec.rules[0].http.paths[0].pathType = 'Regex'; }, 'Ingress/ingress-service', 'spec.rules[0].http.paths[0].pathType', /^pathType "Regex" is not valid$/],
  ['regex path as Prefix (ingress-nginx rejects it)', (o) => { find(o, 'Ingress', 'ingress-service').spec.rules[0].http.paths[0].pathType = 'Prefix'; }, 'Ingress/ingress-service', 'spec.rules[0].http.paths[0].pathType', /^regex path "\/\?\(\.\*\)" with pathType Prefix: ingress-nginx's admission webhook rejects it$/],
  ['relative Ingress path', (o) => { find(o, 'Ingress', 'ingress-service').spec.rules[0].http.paths[1].path = 'api/?(.*)'; }, 'Ingress/ingress-service', 'spec.rules[0].http.paths[1].path', /^path "api\/\?\(\.\*\)" is not absolute$/],
  ['invalid IngressClass name', (o) => { find(o, 'Ingress', 'ingress-service').spec.ingressClassName = 'Nginx_X'; }, 'Ingress/ingress-service', 'spec.ingressClassName', /^IngressClass name "Nginx_X" is not valid$/],
  ['hostPort out of range', (o) => { workerContainer(o).ports = [{ containerPort: 8080, hostPort: 70000 }]; }, 'Deployment/worker-deployment', `${W}.ports[0].hostPort`, /^hostPort 70000 is out of range$/],
  ['negative quantity', (o) => { workerContainer(o).resources.requests.cpu = '-100m'; }, 'Deployment/worker-deployment', `${W}.resources.requests.cpu`, /^"-100m" is negative$/],
  ['exec probe without a command', (o) => { containerOf(find(o, 'Deployment', 'redis-deployment')).livenessProbe.exec.command = []; }, 'Deployment/redis-deployment', `${W}.livenessProbe.exec.command`, /^exec probe has an empty command$/],
  ['negative probe delay', (o) => { containerOf(find(o, 'Deployment', 'server-deployment')).livenessProbe.initialDelaySeconds = -1; }, 'Deployment/server-deployment', `${W}.livenessProbe.initialDelaySeconds`, /^initialDelaySeconds is -1$/],
  ['ReadWriteOncePod combined with another mode', (o) => { find(o, 'PersistentVolumeClaim', 'database-persistent-volume-claim').spec.accessModes = ['ReadWriteOncePod', 'ReadWriteOnce']; }, 'PersistentVolumeClaim/database-persistent-volume-claim', 'spec.accessModes', /^ReadWriteOncePod is combined with other modes$/],
  ['claim size that does not parse', (o) => { find(o, 'PersistentVolumeClaim', 'database-persistent-volume-claim').spec.resources.requests.storage = '2 GB'; }, 'PersistentVolumeClaim/database-persistent-volume-claim', 'spec.resources.requests.storage', /^"2 GB" is not a quantity$/],
  ['Service port name not a DNS label', (o) => { find(o, 'Service', 'redis-cluster-ip-service').spec.ports[0].name = 'Redis'; }, 'Service/redis-cluster-ip-service', 'spec.ports[0].name', /^port name "Redis" is not valid$/],
  ['two Service ports with one name', (o) => { find(o, 'Service', 'redis-cluster-ip-service').spec.ports.push({ name: 'redis', port: 6380, targetPort: 6379 }); }, 'Service/redis-cluster-ip-service', 'spec.ports[1].name', /^port name "redis" is used twice$/],
  ['probe scheme outside the enum', (o) => { containerOf(find(o, 'Deployment', 'server-deployment')).livenessProbe.httpGet.scheme = 'http'; }, 'Deployment/server-deployment', `${W}.livenessProbe.httpGet.scheme`, /^"http" is not a supported value$/],
  ['fsGroupChangePolicy outside the enum', (o) => { worker(o).spec.template.spec.securityContext.fsGroupChangePolicy = 'Never'; }, 'Deployment/worker-deployment', 'spec.template.spec.securityContext.fsGroupChangePolicy', /^"Never" is not a supported value$/],
  ['dnsPolicy outside the enum', (o) => { worker(o).spec.template.spec.dnsPolicy = 'ClusterOnly'; }, 'Deployment/worker-deployment', 'spec.template.spec.dnsPolicy', /^"ClusterOnly" is not a supported value$/],
  ['terminationMessagePolicy outside the enum', (o) => { workerContainer(o).terminationMessagePolicy = 'Log'; }, 'Deployment/worker-deployment', `${W}.terminationMessagePolicy`, /^"Log" is not a supported value$/],
  ['selector operator outside the enum', (o) => { worker(o).spec.selector.matchExpressions = [{ key: 'component', operator: 'Equals', values: ['worker'] }]; }, 'Deployment/worker-deployment', 'spec.selector.matchExpressions[0].operator', /^"Equals" is not a supported value$/],
  ['sessionAffinity outside the enum', (o) => { find(o, 'Service', 'redis-cluster-ip-service').spec.sessionAffinity = 'Sticky'; }, 'Service/redis-cluster-ip-service', 'spec.sessionAffinity', /^"Sticky" is not a supported value$/],
  ['externalTrafficPolicy outside the enum', (o) => { const s = find(o, 'Service', 'redis-cluster-ip-service'); s.spec.type = 'NodePort'; s.spec.externalTrafficPolicy = 'Global'; }, 'Service/redis-cluster-ip-service', 'spec.externalTrafficPolicy', /^"Global" is not a supported value$/],
  ['volumeMode outside the enum', (o) => { find(o, 'PersistentVolumeClaim', 'database-persistent-volume-claim').spec.volumeMode = 'Raw'; }, 'PersistentVolumeClaim/database-persistent-volume-claim', 'spec.volumeMode', /^"Raw" is not a supported value$/],
  ['NetworkPolicy type outside the enum', (o) => { extra(o, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' }, spec: { podSelector: {}, policyTypes: ['Inbound'] } }); }, 'NetworkPolicy/np', 'spec.policyTypes[0]', /^"Inbound" is not a supported value$/],
];

// A name or port written in two places, each of which the rule checks.
const TWICE: [string, (o: KubeObject[]) => void, string[], RegExp][] = [
  ['a probe on an invalid port name', (o) => { const c = containerOf(find(o, 'Deployment', 'server-deployment')); c.ports[0].name = 'Http_Port'; c.livenessProbe.httpGet.port = 'Http_Port'; },
    [`Deployment/server-deployment ${W}.ports[0].name`, `Deployment/server-deployment ${W}.livenessProbe.httpGet.port`], /^port name "Http_Port" is not valid$/],
  ['a Service targetPort name that is not an IANA name', (o) => { containerOf(find(o, 'Deployment', 'redis-deployment')).ports[0].name = 'r--x'; find(o, 'Service', 'redis-cluster-ip-service').spec.ports[0].targetPort = 'r--x'; },
    [`Deployment/redis-deployment ${W}.ports[0].name`, 'Service/redis-cluster-ip-service spec.ports[0].targetPort'], /^port name "r--x" is not valid$/],
  ['an Ingress backend port out of range', (o) => { find(o, 'Service', 'client-cluster-ip-service').spec.ports[0].port = 70000; find(o, 'Ingress', 'ingress-service').spec.rules[0].http.paths[0].backend.service.port.number = 70000; },
    ['Service/client-cluster-ip-service spec.ports[0].port', 'Ingress/ingress-service spec.rules[0].http.paths[0].backend.service.port.number'], /^port 70000 is out of range$/],
];

describe('API server and kubelet rules', () => {
  test.each(CASES)('%s is reported, and nothing else', (_what, breakIt, object, expectedPath, message) => {
    const { problems, path } = validateBrokenAt(breakIt, expectedPath, NON_POLICY);
    expectOnly(problems, { check: 'api', object, path, message });
  });

  test('runAsNonRoot without a uid is a warning: the image\'s USER decides whether the kubelet starts it', () => {
    const problems = validateBroken((o) => { delete worker(o).spec.template.spec.securityContext.runAsUser; delete workerContainer(o).securityContext.runAsUser; }, NON_POLICY);
    expectOnly(problems, { check: 'api', severity: 'warning', object: 'Deployment/worker-deployment', path: `${W}.securityContext.runAsUser`, message: /^runAsNonRoot is true without a runAsUser: the kubelet starts the container only if the image names a numeric non-root USER$/ });
  });

  test.each(TWICE)('%s is reported where it is written, and nothing else', (_what, breakIt, where, message) => {
    const problems = validateBroken(breakIt, NON_POLICY);
    expect(problems.map((p) => `${p.object} ${p.path}`)).toEqual(where);
    for (const problem of problems) {
      expect(problem.check).toBe('api');
      expect(problem.message).toMatch(message);
    }
  });
});

// A rule a later version relaxed holds only where an earlier version is judged: the real 1.34
// server accepts an env var name starting with a digit (test/validate/differential.test.ts).
describe('checkApiRules with the versions judged', () => {
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', env: [{ name: '1DATABASE_URL', value: 'x' }] }] } } },
  };
  const paths = (versions?: string[]) => checkApiRules(deployment, { versions }).map((f) => f.path);
  const ENV = 'spec.template.spec.containers[0].env[0].name';

  test.each([
    ['every version (the default)', undefined, [ENV]],
    ['1.27 and 1.34', ['1.27', '1.34'], [ENV]],
    ['1.31 alone', ['1.31'], [ENV]],
    ['1.32 alone', ['1.32'], []],
    ['1.34 alone, as a patch release', ['1.34.2'], []],
    ['v1.34', ['v1.34'], []],
  ])('judged as %s', (_what, versions, expected) => {
    expect(paths(versions)).toEqual(expected);
  });

  test('a version that is not one throws, naming the form', () => {
    expect(() => checkApiRules(deployment, { versions: ['latest'] })).toThrow('"latest" is not a Kubernetes version: write it as 1.<minor>, e.g. 1.34');
  });

  test('a version with anything before its 1.<minor> is not one: 21.34 and x1.34 are not 1.34', () => {
    for (const version of ['21.34', 'x1.34', ' 1.34']) {
      expect(() => checkApiRules(deployment, { versions: [version] })).toThrow(`"${version}" is not a Kubernetes version: write it as 1.<minor>, e.g. 1.34`);
    }
  });
});
