import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Scale } from '../../lib/components/scale';
import { Workload, WorkloadProps } from '../../lib/components/workload';
import { containerOf, defaultObjects, find, parseQuantity, testApp } from '../helpers';

// The five components' Deployments in the default app, rendered inside each test.
const DEPLOYMENTS = ['client-deployment', 'postgres-deployment', 'redis-deployment', 'server-deployment', 'worker-deployment'];
const appDeployment = (name: string) => find(defaultObjects(), 'Deployment', name);

const resources = (cpuRequest: number, cpuLimit: number, memoryRequest: number, memoryLimit: number) => ({
  cpu: { request: kplus.Cpu.millis(cpuRequest), limit: kplus.Cpu.millis(cpuLimit) },
  memory: { request: Size.mebibytes(memoryRequest), limit: Size.mebibytes(memoryLimit) },
});

function minimal(overrides: Partial<WorkloadProps> = {}): WorkloadProps {
  return {
    component: 'demo', name: 'demo', deploymentName: 'demo-deployment', containerName: 'demo', image: 'demo:1', scale: Scale.fixed(1),
    runAs: { user: 1000, group: 1000 }, resources: resources(10, 20, 16, 32),
    ...overrides,
  };
}

function synthAll(props: WorkloadProps) {
  const chart = new Chart(testApp(), 'test');
  new Workload(chart, 'Demo', props);
  return chart.toJson();
}

function synthOne(props: WorkloadProps) {
  return synthAll(props).filter((o: any) => o.kind === 'Deployment');
}

describe('Workload: what every component shares', () => {
  test('the app has five Deployments, one per component', () => {
    expect(defaultObjects().filter((o) => o.kind === 'Deployment').map((d) => d.metadata.name).sort()).toEqual(DEPLOYMENTS);
  });

  test.each(DEPLOYMENTS)('%s selects by `component` only, and its pods carry that label', (name) => {
    const d = appDeployment(name);
    const selector = d.spec.selector.matchLabels;
    expect(Object.keys(selector)).toEqual(['component']);
    expect(d.spec.selector.matchExpressions).toBeUndefined();
    expect(d.spec.template.metadata.labels.component).toBe(selector.component);
    expect(Object.keys(d.spec.template.metadata.labels).some((key) => key.startsWith('cdk8s.io/'))).toBe(false);
    expect(d.spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('multi-k8s');
  });

  test.each(DEPLOYMENTS)('%s runs as a non-root uid with the restricted profile', (name) => {
    const d = appDeployment(name);
    const pod = d.spec.template.spec.securityContext;
    const c = containerOf(d);
    expect(pod.runAsNonRoot).toBe(true);
    expect(pod.runAsUser).toBeGreaterThan(0);
    expect(pod.runAsGroup).toBeGreaterThan(0);
    expect(pod.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
      runAsUser: pod.runAsUser, runAsGroup: pod.runAsGroup, capabilities: { drop: ['ALL'] },
    });
    expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  test.each(DEPLOYMENTS)('%s has CPU and memory requests and limits, requests within limits', (name) => {
    const d = appDeployment(name);
    const { requests, limits } = containerOf(d).resources;
    for (const resource of ['cpu', 'memory']) {
      expect(parseQuantity(requests[resource])).toBeGreaterThan(0);
      expect(parseQuantity(requests[resource])!).toBeLessThanOrEqual(parseQuantity(limits[resource])!);
    }
  });

  test.each(DEPLOYMENTS)('%s mounts an emptyDir for every path it writes, and nothing unnamed', (name) => {
    const d = appDeployment(name);
    const volumes = d.spec.template.spec.volumes ?? [];
    for (const mount of containerOf(d).volumeMounts ?? []) {
      const volume = volumes.find((v: any) => v.name === mount.name);
      expect(volume).toBeDefined();
      expect(volume.emptyDir ?? volume.persistentVolumeClaim).toBeDefined();
      expect(mount.subPath).toBeUndefined();
    }
  });

  test('rolling updates never drop below the ready count', () => {
    for (const d of defaultObjects().filter((x) => x.kind === 'Deployment' && x.spec.strategy.type === 'RollingUpdate')) {
      expect(d.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    }
  });

  test('a commit-tagged image is pulled once; a moving `latest` tag every time', () => {
    expect(containerOf(synthOne(minimal({ image: 'x/y:abc' }))[0]).imagePullPolicy).toBe('IfNotPresent');
    expect(containerOf(synthOne(minimal({ image: 'x/y:latest' }))[0]).imagePullPolicy).toBe('Always');
  });

  test('no probe is added behind the user\'s back (cdk8s-plus adds a TCP startup probe by default)', () => {
    const [deployment] = synthOne(minimal());
    const c = containerOf(deployment);
    expect(c.startupProbe).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(c.readinessProbe).toBeUndefined();
  });

  test('every pod runs as a ServiceAccount of its own, which mounts no token', () => {
    const objects = defaultObjects();
    for (const d of objects.filter((o) => o.kind === 'Deployment')) {
      const name = d.spec.template.spec.serviceAccountName;
      expect(name).toMatch(/^multi-k8s-[a-z]+$/);
      const account = find(objects, 'ServiceAccount', name);
      expect(account.automountServiceAccountToken).toBe(false);
    }
    expect(objects.filter((o) => /Role/.test(o.kind))).toEqual([]);
  });

  test('an autoscaled workload leaves replicas to its HorizontalPodAutoscaler (autoscaling/v2, CPU)', () => {
    const all = synthAll(minimal({ scale: Scale.autoscaled({ min: 2, max: 5, targetCpuUtilization: 60 }) }));
    const deployment = all.find((o: any) => o.kind === 'Deployment');
    const hpa = all.find((o: any) => o.kind === 'HorizontalPodAutoscaler');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo-deployment' }, minReplicas: 2, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
  });

  test('a scale that may run more than one pod brings a disruption budget and a spread when availability is asked for', () => {
    for (const scale of [Scale.fixed(3), Scale.autoscaled({ min: 1, max: 4 })]) {
      const all = synthAll(minimal({ scale, availability: true }));
      expect(all.find((o: any) => o.kind === 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { component: 'demo' } } });
      expect(all.find((o: any) => o.kind === 'Deployment').spec.template.spec.topologySpreadConstraints).toEqual([
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { component: 'demo' } } },
      ]);
    }
  });

  test.each([
    ['one fixed pod', { scale: Scale.fixed(1), availability: true }],
    ['an exclusive pod', { scale: Scale.exclusive(), availability: true }],
    ['availability not asked for', { scale: Scale.fixed(3) }],
  ])('%s: no disruption budget and no spread', (_title, overrides) => {
    const all = synthAll(minimal(overrides));
    expect(all.filter((o: any) => o.kind === 'PodDisruptionBudget')).toEqual([]);
    expect(all.find((o: any) => o.kind === 'Deployment').spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('an exclusive scale is one pod replaced by Recreate; fixed and autoscaled roll with no dip', () => {
    const exclusive = synthOne(minimal({ scale: Scale.exclusive() }))[0];
    expect(exclusive.spec.replicas).toBe(1);
    expect(exclusive.spec.strategy).toEqual({ type: 'Recreate' });
    for (const scale of [Scale.fixed(2), Scale.autoscaled({ min: 1, max: 2 })]) {
      expect(synthOne(minimal({ scale }))[0].spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    }
  });

  test('a served port brings the container port, a ClusterIP Service of that name and port, and the startup probe', () => {
    const startupProbe = kplus.Probe.fromTcpSocket({ port: 8080 });
    const all = synthAll(minimal({ serves: { serviceName: 'demo-svc', port: 8080, portName: 'web', startupProbe } }));
    const container = containerOf(all.find((o: any) => o.kind === 'Deployment'));
    expect(container.ports).toEqual([{ containerPort: 8080, name: 'web' }]);
    expect(container.startupProbe.tcpSocket.port).toBe(8080);
    const service = all.find((o: any) => o.kind === 'Service');
    expect(service.metadata.name).toBe('demo-svc');
    expect(service.spec).toEqual({ type: 'ClusterIP', selector: { component: 'demo' }, ports: [{ name: 'web', port: 8080, targetPort: 8080 }] });
  });

  test.each([
    [{ runAs: { user: 0, group: 1000 } }, 'demo: runAs user and group must be non-zero (non-root), got 0:1000'],
    [{ serves: { serviceName: 'demo', port: 70000, portName: 'http', startupProbe: kplus.Probe.fromTcpSocket() } }, 'demo: serves.port must be a whole number from 1 to 65535, got 70000'],
    [{ resources: resources(30, 20, 16, 32) }, 'demo: resource requests must not exceed limits, got CPU 30m/20m, memory 16Mi/32Mi (request/limit)'],
    [{ resources: resources(10, 20, 64, 32) }, 'demo: resource requests must not exceed limits, got CPU 10m/20m, memory 64Mi/32Mi (request/limit)'],
  ])('bad props %j are refused: %s', (overrides, message) => {
    expect(() => synthOne(minimal(overrides as Partial<WorkloadProps>))).toThrow(message);
  });
});

describe('Workload: the edges of its props', () => {
  const served = (port: number) => ({ serves: { serviceName: 'demo', port, portName: 'http', startupProbe: kplus.Probe.fromTcpSocket() } });

  test.each([
    [{ runAs: { user: 1000, group: 0 } }, 'demo: runAs user and group must be non-zero (non-root), got 1000:0'],
    [served(0), 'demo: serves.port must be a whole number from 1 to 65535, got 0'],
    [served(65536), 'demo: serves.port must be a whole number from 1 to 65535, got 65536'],
    [served(80.5), 'demo: serves.port must be a whole number from 1 to 65535, got 80.5'],
  ])('bad props %j are refused: %s', (overrides, message) => {
    expect(() => synthOne(minimal(overrides as Partial<WorkloadProps>))).toThrow(message);
  });

  test.each([1, 65535])('port %d, an edge of the range, is served', (port) => {
    expect(containerOf(synthOne(minimal(served(port)))[0]).ports).toEqual([{ containerPort: port, name: 'http' }]);
  });

  test('requests equal to their limits are allowed (the Guaranteed QoS class)', () => {
    expect(containerOf(synthOne(minimal({ resources: resources(20, 20, 32, 32) }))[0]).resources).toEqual({
      requests: { cpu: '20m', memory: '32Mi' }, limits: { cpu: '20m', memory: '32Mi' },
    });
  });

  test('CPU given in whole cores compares as a thousand millicores', () => {
    const cores = (request: kplus.Cpu, limit: kplus.Cpu) => minimal({ resources: { cpu: { request, limit }, memory: resources(0, 0, 16, 32).memory } });
    expect(() => synthOne(cores(kplus.Cpu.units(1), kplus.Cpu.millis(500)))).toThrow('demo: resource requests must not exceed limits, got CPU 1/500m');
    expect(() => synthOne(cores(kplus.Cpu.millis(1500), kplus.Cpu.units(2)))).not.toThrow();
  });

  test('a workload without a port has no Service to hand out, and says so', () => {
    const chart = new Chart(testApp(), 'test');
    const workload = new Workload(chart, 'Demo', minimal());
    expect(() => workload.requireService()).toThrow('test/Demo serves no port, so it has no Service');
  });

  test('a ready check of a moving `latest` image is pulled every time, a pinned one once', () => {
    const check = (image: string) => ({ name: 'wait', image, command: ['true'] });
    const [deployment] = synthOne(minimal({ waitFor: [check('busybox:latest'), check('busybox:1.36')] }));
    expect(deployment.spec.template.spec.initContainers.map((c: any) => [c.image, c.imagePullPolicy])).toEqual([
      ['busybox:latest', 'Always'], ['busybox:1.36', 'IfNotPresent'],
    ]);
  });
});
