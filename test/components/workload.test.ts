import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ComponentWorkload, ComponentWorkloadProps } from '../../lib/components/workload';
import { containerOf, defaultObjects, find, parseQuantity, podCount } from '../helpers';

const objects = defaultObjects();
const deployments = objects.filter((o) => o.kind === 'Deployment');

function minimal(overrides: Partial<ComponentWorkloadProps> = {}): ComponentWorkloadProps {
  return {
    component: 'demo', name: 'demo', deploymentName: 'demo-deployment', containerName: 'demo', image: 'demo:1', replicas: 1,
    strategy: 'RollingUpdate', runAs: { user: 1000, group: 1000 },
    resources: { cpuRequestMillis: 10, cpuLimitMillis: 20, memoryRequestMebibytes: 16, memoryLimitMebibytes: 32 },
    ...overrides,
  };
}

function synthAll(props: ComponentWorkloadProps) {
  const chart = new Chart(Testing.app(), 'test');
  new ComponentWorkload(chart, 'Demo', props);
  return chart.toJson();
}

function synthOne(props: ComponentWorkloadProps) {
  return synthAll(props).filter((o: any) => o.kind === 'Deployment');
}

describe('ComponentWorkload: what every component shares', () => {
  test('five Deployments, one per component', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(
      ['client-deployment', 'postgres-deployment', 'redis-deployment', 'server-deployment', 'worker-deployment']);
  });

  test.each(deployments.map((d) => [d.metadata.name, d]))('%s selects by `component` only, and its pods carry that label', (_name, d) => {
    const selector = d.spec.selector.matchLabels;
    expect(Object.keys(selector)).toEqual(['component']);
    expect(d.spec.selector.matchExpressions).toBeUndefined();
    expect(d.spec.template.metadata.labels.component).toBe(selector.component);
    expect(Object.keys(d.spec.template.metadata.labels).some((key) => key.startsWith('cdk8s.io/'))).toBe(false);
    expect(d.spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('multi-k8s');
  });

  test.each(deployments.map((d) => [d.metadata.name, d]))('%s runs as a non-root uid with the restricted profile', (_name, d) => {
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

  test.each(deployments.map((d) => [d.metadata.name, d]))('%s has CPU and memory requests and limits, requests within limits', (_name, d) => {
    const { requests, limits } = containerOf(d).resources;
    for (const resource of ['cpu', 'memory']) {
      expect(parseQuantity(requests[resource])).toBeGreaterThan(0);
      expect(parseQuantity(requests[resource])!).toBeLessThanOrEqual(parseQuantity(limits[resource])!);
    }
  });

  test.each(deployments.map((d) => [d.metadata.name, d]))('%s mounts an emptyDir for every path it writes, and nothing unnamed', (_name, d) => {
    const volumes = d.spec.template.spec.volumes ?? [];
    for (const mount of containerOf(d).volumeMounts ?? []) {
      const volume = volumes.find((v: any) => v.name === mount.name);
      expect(volume).toBeDefined();
      expect(volume.emptyDir ?? volume.persistentVolumeClaim).toBeDefined();
      expect(mount.subPath).toBeUndefined();
    }
  });

  test('the whole app requests at most 1000m CPU and 1.5Gi memory at default replicas (a 2-CPU minikube)', () => {
    let cpu = 0;
    let memory = 0;
    for (const d of deployments) {
      const { requests } = containerOf(d).resources;
      cpu += podCount(objects, d) * parseQuantity(requests.cpu)!;
      memory += podCount(objects, d) * parseQuantity(requests.memory)!;
    }
    expect(cpu).toBeLessThanOrEqual(1);
    expect(memory).toBeLessThanOrEqual(1.5 * 2 ** 30);
  });

  test('rolling updates never drop below the ready count', () => {
    for (const d of deployments.filter((x) => x.spec.strategy.type === 'RollingUpdate')) {
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
    for (const d of deployments) {
      const name = d.spec.template.spec.serviceAccountName;
      expect(name).toMatch(/^multi-k8s-[a-z]+$/);
      const account = find(objects, 'ServiceAccount', name);
      expect(account.automountServiceAccountToken).toBe(false);
    }
    expect(objects.filter((o) => /Role/.test(o.kind))).toEqual([]);
  });

  test('an autoscaled workload leaves replicas to its HorizontalPodAutoscaler (autoscaling/v2, CPU)', () => {
    const all = synthAll(minimal({ replicas: 2, autoscale: { min: 2, max: 5, targetCpuUtilization: 60 } }));
    const deployment = all.find((o: any) => o.kind === 'Deployment');
    const hpa = all.find((o: any) => o.kind === 'HorizontalPodAutoscaler');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'demo-deployment' }, minReplicas: 2, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
  });

  test('more than one pod brings a disruption budget and a spread across nodes; one pod, or highAvailability off, neither', () => {
    const many = synthAll(minimal({ replicas: 3 }));
    expect(many.find((o: any) => o.kind === 'PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { component: 'demo' } } });
    expect(many.find((o: any) => o.kind === 'Deployment').spec.template.spec.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { component: 'demo' } } },
    ]);
    for (const props of [minimal({ replicas: 1 }), minimal({ replicas: 3, highAvailability: false })]) {
      const all = synthAll(props);
      expect(all.filter((o: any) => o.kind === 'PodDisruptionBudget')).toEqual([]);
      expect(all.find((o: any) => o.kind === 'Deployment').spec.template.spec.topologySpreadConstraints).toBeUndefined();
    }
  });

  test.each([
    [{ autoscale: { min: 0, max: 2, targetCpuUtilization: 50 } }, 'demo: autoscale needs whole numbers 1 <= min <= max, got min 0, max 2'],
    [{ autoscale: { min: 3, max: 2, targetCpuUtilization: 50 } }, 'demo: autoscale needs whole numbers 1 <= min <= max, got min 3, max 2'],
    [{ autoscale: { min: 1, max: 2, targetCpuUtilization: 150 } }, 'demo: autoscale targetCpuUtilization must be a percentage from 1 to 100, got 150'],
    [{ replicas: 0 }, 'demo: replicas must be a whole number >= 1, got 0'],
    [{ replicas: 1.5 }, 'demo: replicas must be a whole number >= 1, got 1.5'],
    [{ runAs: { user: 0, group: 1000 } }, 'demo: runAs user and group must be non-zero (non-root), got 0:1000'],
    [{ port: { number: 80, name: 'http' }, serviceName: 'demo' }, 'demo: a component that serves a port needs an explicit startup probe'],
    [{ port: { number: 80, name: 'http' }, probes: { startup: kplus.Probe.fromTcpSocket() } }, 'demo: a component that serves a port needs a serviceName'],
    [{ resources: { cpuRequestMillis: 30, cpuLimitMillis: 20, memoryRequestMebibytes: 16, memoryLimitMebibytes: 32 } }, 'demo: resource requests must not exceed limits'],
  ])('bad props %j are refused: %s', (overrides, message) => {
    expect(() => synthOne(minimal(overrides as Partial<ComponentWorkloadProps>))).toThrow(message);
  });
});
