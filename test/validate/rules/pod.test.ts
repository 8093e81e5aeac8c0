import { KubeObject } from '../../../lib/validate/problem';
import { expectOnly } from '../../helpers';
import { BreakCase, breakValid, the } from '../../support/valid-fixtures';

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
  ['a container without an image', (o) => { web(o).image = ''; }, 'Deployment/web', `${C}.image`, /^the container has no image$/],
  ['an init container named like an app container', (o) => { init(o).name = 'web'; }, 'Deployment/web', `${C}.name`, /^container name "web" is used twice in the pod$/],
  ['an init container restartPolicy other than Always', (o) => { init(o).restartPolicy = 'OnFailure'; }, 'Deployment/web', `${I}.restartPolicy`, /^"OnFailure" is not a supported value$/],
  ['an app container with a restartPolicy', (o) => { web(o).restartPolicy = 'Always'; }, 'Deployment/web', `${C}.restartPolicy`, /^restartPolicy is set on an app container$/],
  ['a probe on a plain init container', (o) => { init(o).readinessProbe = { exec: { command: ['true'] } }; }, 'Deployment/web', `${I}.readinessProbe`, /^an init container has a readinessProbe$/],
  ['lifecycle hooks on a plain init container', (o) => { init(o).lifecycle = { preStop: { exec: { command: ['true'] } } }; }, 'Deployment/web', `${I}.lifecycle`, /^an init container has a lifecycle$/],
  ['a sidecar probe with two handlers', (o) => { pod(o).initContainers.push({ ...sidecar, readinessProbe: { tcpSocket: { port: 9901 }, exec: { command: ['true'] } } }); }, 'Deployment/web', `${S}.initContainers[1].readinessProbe`, /^probe has 2 handlers$/],
  ['a port name used twice in one container', (o) => { web(o).ports.push({ name: 'http', containerPort: 8081 }); }, 'Deployment/web', `${C}.ports[1].name`, /^port name "http" is used twice in the container$/],
  ['a port protocol outside the enum', (o) => { web(o).ports[0].protocol = 'HTTP'; }, 'Deployment/web', `${C}.ports[0].protocol`, /^"HTTP" is not a supported value$/],
  ['a hostPort used twice in the pod', (o) => { web(o).ports.push({ containerPort: 9000, hostPort: 9000 }); init(o).ports = [{ containerPort: 9001, hostPort: 9000 }]; }, 'Deployment/web', `${C}.ports[1].hostPort`, /^hostPort 9000\/TCP is used twice in the pod$/],
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
  ['a negative terminationGracePeriodSeconds', (o) => { pod(o).terminationGracePeriodSeconds = -1; }, 'Deployment/web', `${S}.terminationGracePeriodSeconds`, /^terminationGracePeriodSeconds is -1$/],
  ['a serviceAccountName that is not a DNS subdomain', (o) => { pod(o).serviceAccountName = 'Shop_App'; }, 'Deployment/web', `${S}.serviceAccountName`, /^ServiceAccount name "Shop_App" is not valid$/],
  ['a negative runAsUser', (o) => { pod(o).securityContext = { runAsUser: -1 }; }, 'Deployment/web', `${S}.securityContext.runAsUser`, /^runAsUser is -1$/],
  ['a toleration Exists with a value', (o) => { pod(o).tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]; }, 'Deployment/web', `${S}.tolerations[0].operator`, /^operator Exists with a value$/],
  ['a toleration effect outside the enum', (o) => { pod(o).tolerations = [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoRun' }]; }, 'Deployment/web', `${S}.tolerations[0].effect`, /^"NoRun" is not a supported value$/],
  ['a spread constraint with maxSkew 0', (o) => { pod(o).topologySpreadConstraints = [{ maxSkew: 0, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' }]; }, 'Deployment/web', `${S}.topologySpreadConstraints[0].maxSkew`, /^maxSkew is 0$/],
  ['a spread constraint whenUnsatisfiable outside the enum', (o) => { pod(o).topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'Ignore' }]; }, 'Deployment/web', `${S}.topologySpreadConstraints[0].whenUnsatisfiable`, /^"Ignore" is not a supported value$/],
  ['pod template annotations over 256 KiB', (o) => { the(o, 'Deployment', 'web').spec.template.metadata.annotations = { big: 'x'.repeat(262145) }; }, 'Deployment/web', 'spec.template.metadata.annotations', /^annotations total \d+ bytes$/],
];

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
});
