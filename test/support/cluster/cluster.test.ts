import { Cluster, LAST_APPLIED } from './cluster';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

function deployment(containers: Json[], extra: Json = {}): Json {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers } }, ...extra },
  };
}

function service(ports: Json[], extra: Json = {}): Json {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports, ...extra } };
}

const claim = (spec: Json = {}): Json => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, ...spec },
});

/** A cluster where these manifests were applied once. */
function appliedOnce(...objects: Json[]): Cluster {
  const cluster = new Cluster();
  const outcomes = cluster.apply(objects);
  expect(outcomes.filter((o) => !o.accepted)).toEqual([]);
  return cluster;
}

function containerNamed(object: Json, name: string): Json {
  return object.spec.template.spec.containers.find((c: Json) => c.name === name);
}

describe('create: what the API server stores', () => {
  test('a bare Deployment gets the apps/v1 and pod defaults', () => {
    const live = appliedOnce(deployment([{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }], readinessProbe: { httpGet: { port: 80 } } }])).get('Deployment', 'web');
    expect(live.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    expect(live.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', securityContext: {} });
    expect(containerNamed(live, 'app')).toMatchObject({
      imagePullPolicy: 'Always',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      ports: [{ containerPort: 80, protocol: 'TCP' }],
      readinessProbe: { httpGet: { path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
    });
  });

  test('the pull policy follows the image tag: IfNotPresent for a fixed tag or a digest', () => {
    const live = appliedOnce(deployment([{ name: 'a', image: 'redis:7.4.5' }, { name: 'b', image: 'localhost:5000/redis' }, { name: 'c', image: 'redis@sha256:abc' }])).get('Deployment', 'web');
    expect(['a', 'b', 'c'].map((n) => containerNamed(live, n).imagePullPolicy)).toEqual(['IfNotPresent', 'Always', 'IfNotPresent']);
  });

  test('a Recreate Deployment gets no rollingUpdate', () => {
    const live = appliedOnce(deployment([{ name: 'app', image: 'nginx' }], { strategy: { type: 'Recreate' } })).get('Deployment', 'web');
    expect(live.spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('a Service gets an address, its family, and TCP ports whose targetPort is the port', () => {
    const live = appliedOnce(service([{ port: 80 }])).get('Service', 'web');
    expect(live.spec).toMatchObject({ type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] });
    expect(live.spec.clusterIPs).toEqual([live.spec.clusterIP]);
    expect(live.spec.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
  });

  test("a claim gets the default storage class, Filesystem mode, and is bound by minikube's provisioner", () => {
    const live = appliedOnce(claim()).get('PersistentVolumeClaim', 'data');
    expect(live.spec).toMatchObject({ storageClassName: 'standard', volumeMode: 'Filesystem', volumeName: `pvc-${live.metadata.uid}` });
    expect(live.status.phase).toBe('Bound');
  });

  test('a Namespace gets its name label, a Secret its type, a NetworkPolicy its policy types and port protocol', () => {
    const cluster = appliedOnce(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pr-1' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'np' }, spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } },
    );
    expect(cluster.get('Namespace', 'pr-1').metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'pr-1' });
    expect(cluster.get('Secret', 's').type).toBe('Opaque');
    expect(cluster.get('NetworkPolicy', 'np').spec).toMatchObject({ policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }] });
  });

  test("an autoscaler's behavior is filled with the autoscaling/v2 default rules; scale-down keeps the controller's window", () => {
    const live = appliedOnce({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 4, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
    }).get('HorizontalPodAutoscaler', 'web');
    expect(live.spec.minReplicas).toBe(1);
    expect(live.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(live.spec.behavior.scaleUp).toEqual({ stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] });
    expect(live.spec.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  });

  test('kubectl records the manifest, with its namespace and its nulls, as sorted JSON in last-applied', () => {
    const manifest = deployment([{ name: 'app', image: 'nginx' }], { strategy: { type: 'Recreate', rollingUpdate: null } });
    const live = appliedOnce(manifest).get('Deployment', 'web');
    const text = live.metadata.annotations[LAST_APPLIED];
    expect(text.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"web","namespace":"default"},"spec":')).toBe(true);
    expect(JSON.parse(text).spec.strategy).toEqual({ rollingUpdate: null, type: 'Recreate' });
    expect(live.spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('a create the API server refuses is reported with its message and not stored', () => {
    const cluster = new Cluster();
    const [outcome] = cluster.apply([deployment([{ name: 'app', image: 'nginx' }], { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } })]);
    expect(outcome).toEqual({ id: 'apps/Deployment/default/web', accepted: false, action: 'rejected', message: 'Deployment.apps "web" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\'' });
    expect(cluster.get('Deployment', 'web')).toBeUndefined();
  });
});

describe('update: the three-way merge of last-applied, live and manifest', () => {
  test('a field removed from the manifest is removed from the live object', () => {
    const cluster = appliedOnce(deployment([{ name: 'app', image: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], args: ['--x'] }]));
    cluster.apply([deployment([{ name: 'app', image: 'nginx', env: [{ name: 'A', value: '1' }] }])]);
    const app = containerNamed(cluster.get('Deployment', 'web'), 'app');
    expect(app.env).toEqual([{ name: 'A', value: '1' }]);
    expect(app.args).toBeUndefined();
  });

  test('a field the API defaulted, which no manifest set, survives the apply', () => {
    const cluster = appliedOnce(deployment([{ name: 'app', image: 'nginx:1' }]));
    cluster.apply([deployment([{ name: 'app', image: 'nginx:2' }])]);
    const live = cluster.get('Deployment', 'web');
    expect(containerNamed(live, 'app')).toMatchObject({ image: 'nginx:2', terminationMessagePath: '/dev/termination-log' });
    expect(live.spec.strategy.rollingUpdate).toEqual({ maxSurge: '25%', maxUnavailable: '25%' });
  });

  test('a field set by another hand (not in last-applied) survives; one the last apply set is removed', () => {
    const cluster = appliedOnce({ ...service([{ port: 80 }]), metadata: { name: 'web', labels: { mine: 'yes' } } });
    const live = cluster.get('Service', 'web');
    // As `kubectl label service web team=a` would: the object changes, last-applied does not.
    cluster['live'].get(cluster.idOf(live)).metadata.labels.team = 'a';
    cluster.apply([{ ...service([{ port: 80 }]), metadata: { name: 'web', labels: { other: 'x' } } }]);
    expect(cluster.get('Service', 'web').metadata.labels).toEqual({ team: 'a', other: 'x' });
    // Dropping the whole map that the last apply set deletes it whole, other hands' keys included.
    cluster.apply([service([{ port: 80 }])]);
    expect(cluster.get('Service', 'web').metadata.labels).toBeUndefined();
  });

  test('an explicit null deletes a field that no manifest ever set', () => {
    const cluster = appliedOnce(deployment([{ name: 'app', image: 'nginx' }]));
    const outcomes = cluster.apply([deployment([{ name: 'app', image: 'nginx' }], { revisionHistoryLimit: null })]);
    expect(outcomes[0].action).toBe('configured');
    // Deleted by the patch, then defaulted again by the API server on the same update.
    expect(cluster.get('Deployment', 'web').spec.revisionHistoryLimit).toBe(10);
    cluster.apply([deployment([{ name: 'app', image: 'nginx', terminationMessagePath: null }])]);
    expect(containerNamed(cluster.get('Deployment', 'web'), 'app').terminationMessagePath).toBe('/dev/termination-log');
    cluster.apply([deployment([{ name: 'app', image: 'nginx' }], { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }], securityContext: { runAsUser: 5 } } } })]);
    cluster.apply([deployment([{ name: 'app', image: 'nginx' }], { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }], securityContext: { runAsUser: null } } } })]);
    expect(cluster.get('Deployment', 'web').spec.template.spec.securityContext).toEqual({});
  });

  test('containers merge by name: a container injected live survives, one the last apply made and the manifest dropped goes', () => {
    const cluster = appliedOnce(deployment([{ name: 'app', image: 'nginx' }, { name: 'old', image: 'busybox' }]));
    const live = cluster['live'].get('apps/Deployment/default/web');
    live.spec.template.spec.containers.push({ name: 'istio-proxy', image: 'proxy' });
    cluster.apply([deployment([{ name: 'app', image: 'nginx' }])]);
    expect(cluster.get('Deployment', 'web').spec.template.spec.containers.map((c: Json) => c.name)).toEqual(['app', 'istio-proxy']);
  });

  test('container ports merge by containerPort, env by name, volumeMounts by mountPath, volumes by name', () => {
    const pod = (mounts: Json[], volumes: Json[], env: Json[], ports: Json[]) => deployment([{ name: 'app', image: 'nginx', ports, env, volumeMounts: mounts }], {
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx', ports, env, volumeMounts: mounts }], volumes } },
    });
    const cluster = appliedOnce(pod([{ name: 'a', mountPath: '/a', subPath: 'x' }], [{ name: 'a', emptyDir: {} }], [{ name: 'E', value: '1' }], [{ containerPort: 80, name: 'http' }]));
    cluster.apply([pod([{ name: 'a', mountPath: '/a' }], [{ name: 'a', persistentVolumeClaim: { claimName: 'c' } }], [{ name: 'E', value: '2' }], [{ containerPort: 80 }])]);
    const live = cluster.get('Deployment', 'web');
    const app = containerNamed(live, 'app');
    expect(app.volumeMounts).toEqual([{ name: 'a', mountPath: '/a' }]);
    expect(app.env).toEqual([{ name: 'E', value: '2' }]);
    expect(app.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    // volumes are `merge,retainKeys`: the new source replaces the old one instead of joining it.
    expect(live.spec.template.spec.volumes).toEqual([{ name: 'a', persistentVolumeClaim: { claimName: 'c' } }]);
  });

  test('Service ports merge by port and keep their defaulted protocol', () => {
    const cluster = appliedOnce(service([{ port: 80, targetPort: 8080 }, { port: 443 }]));
    cluster.apply([service([{ port: 80, targetPort: 8080, name: 'http' }])]);
    expect(cluster.get('Service', 'web').spec.ports).toEqual([{ port: 80, targetPort: 8080, name: 'http', protocol: 'TCP' }]);
  });

  test("a list without a merge key (a container's args) is replaced whole", () => {
    const cluster = appliedOnce(deployment([{ name: 'app', image: 'nginx', args: ['a', 'b'] }]));
    cluster.apply([deployment([{ name: 'app', image: 'nginx', args: ['c'] }])]);
    expect(containerNamed(cluster.get('Deployment', 'web'), 'app').args).toEqual(['c']);
  });

  test("switching to Recreate clears the defaulted rollingUpdate: kubectl's $retainKeys on spec.strategy", () => {
    const cluster = appliedOnce(deployment([{ name: 'app', image: 'nginx' }]));
    const [outcome] = cluster.apply([deployment([{ name: 'app', image: 'nginx' }], { strategy: { type: 'Recreate' } })]);
    expect(outcome.accepted).toBe(true);
    expect(cluster.get('Deployment', 'web').spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('without $retainKeys the same switch is refused, unless the manifest says rollingUpdate: null', () => {
    const noRetainKeys = { retainKeys: false };
    const refused = appliedOnce(deployment([{ name: 'app', image: 'nginx' }]));
    expect(refused.apply([deployment([{ name: 'app', image: 'nginx' }], { strategy: { type: 'Recreate' } })], noRetainKeys)[0].message)
      .toBe('Deployment.apps "web" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\'');
    const accepted = appliedOnce(deployment([{ name: 'app', image: 'nginx' }]));
    expect(accepted.apply([deployment([{ name: 'app', image: 'nginx' }], { strategy: { type: 'Recreate', rollingUpdate: null } })], noRetainKeys)[0].accepted).toBe(true);
    expect(accepted.get('Deployment', 'web').spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('an object created without kubectl apply has no last-applied: nothing is deleted, the manifest is merged in', () => {
    const cluster = appliedOnce(service([{ port: 80 }]));
    cluster['live'].get('/Service/default/web').metadata.annotations = {};
    cluster.apply([{ ...service([{ port: 80 }]), metadata: { name: 'web', labels: { a: 'b' } } }]);
    const live = cluster.get('Service', 'web');
    expect(live.metadata.labels).toEqual({ a: 'b' });
    expect(JSON.parse(live.metadata.annotations[LAST_APPLIED]).metadata.labels).toEqual({ a: 'b' });
  });

  test('applying the same manifest twice changes nothing the second time', () => {
    const manifest = deployment([{ name: 'app', image: 'nginx' }]);
    const cluster = appliedOnce(manifest);
    const before = cluster.get('Deployment', 'web');
    expect(cluster.apply([manifest])[0].action).toBe('unchanged');
    expect(cluster.get('Deployment', 'web')).toEqual(before);
  });
});

describe('update validation', () => {
  test('a Deployment selector is immutable in apps/v1', () => {
    const cluster = appliedOnce(deployment([{ name: 'app', image: 'nginx' }]));
    const changed = deployment([{ name: 'app', image: 'nginx' }], { selector: { matchLabels: { app: 'web', tier: 'x' } }, template: { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } });
    expect(cluster.apply([changed])[0].message).toBe('Deployment.apps "web" is invalid: spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable');
  });

  test('a rolling update may not have both maxSurge and maxUnavailable at 0', () => {
    const cluster = appliedOnce(deployment([{ name: 'app', image: 'nginx' }]));
    const outcome = cluster.apply([deployment([{ name: 'app', image: 'nginx' }], { strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } })])[0];
    expect(outcome.message).toBe('Deployment.apps "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0');
  });

  test("a claim's spec is immutable: another storage class or access mode is refused", () => {
    const cluster = appliedOnce(claim());
    for (const change of [{ storageClassName: 'fast' }, { accessModes: ['ReadWriteMany'] }]) {
      expect(cluster.apply([claim(change)])[0].message).toBe('PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims');
    }
  });

  test('a bound claim may grow where its class allows expansion, never shrink; minikube\'s standard class refuses to grow', () => {
    const grow = claim({ resources: { requests: { storage: '5Gi' } } });
    expect(appliedOnce(claim()).apply([grow])[0].message).toBe('persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
    const expandable = new Cluster({ allowVolumeExpansion: true });
    expandable.apply([claim()]);
    expect(expandable.apply([grow])[0].accepted).toBe(true);
    expect(expandable.apply([claim({ resources: { requests: { storage: '1Gi' } } })])[0].message).toContain('spec.resources.requests.storage: Forbidden: field can not be less than status.capacity');
  });

  test('a Service keeps its address when the manifest omits it, and may not change it', () => {
    const cluster = appliedOnce(service([{ port: 80 }]));
    const ip = cluster.get('Service', 'web').spec.clusterIP;
    cluster.apply([service([{ port: 81 }])]);
    expect(cluster.get('Service', 'web').spec.clusterIP).toBe(ip);
    expect(cluster.apply([service([{ port: 81 }], { clusterIP: '10.96.9.9', clusterIPs: ['10.96.9.9'] })])[0].message).toBe('Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.9.9"]: may not change once set');
  });

  test('a Service turned ExternalName gives its address back; it needs an externalName', () => {
    const cluster = appliedOnce(service([{ port: 80 }]));
    expect(cluster.apply([service([{ port: 80 }], { type: 'ExternalName' })])[0].message).toBe('Service "web" is invalid: spec.externalName: Required value: ');
    expect(cluster.apply([service([{ port: 80 }], { type: 'ExternalName', externalName: 'example.com' })])[0].accepted).toBe(true);
    expect(cluster.get('Service', 'web').spec.clusterIP).toBeUndefined();
  });

  test("a Job's pod template is immutable", () => {
    const job = (image: string) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image }] } } } });
    const cluster = appliedOnce(job('m:1'));
    expect(cluster.get('Job', 'migrate').spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(cluster.get('Job', 'migrate').metadata.uid);
    expect(cluster.apply([job('m:2')])[0].message).toMatch(/^Job\.batch "migrate" is invalid: spec\.template: Invalid value: .*: field is immutable$/);
    expect(cluster.apply([job('m:1')])[0].accepted).toBe(true);
  });
});

describe('the autoscaler and kubectl apply edit-last-applied', () => {
  const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 3, maxReplicas: 6 } };

  test('an autoscaler scales its target into [minReplicas, maxReplicas] and leaves last-applied alone', () => {
    const cluster = appliedOnce(deployment([{ name: 'app', image: 'nginx' }], { replicas: 1 }), hpa);
    expect(cluster.runAutoscalers()).toEqual({ web: [1, 3] });
    expect(cluster.get('Deployment', 'web').spec.replicas).toBe(3);
    expect(cluster.lastApplied('Deployment', 'web').spec.replicas).toBe(1);
  });

  test('dropping replicas from the manifest resets the live count to 1, unless it was first removed from last-applied', () => {
    const before = deployment([{ name: 'app', image: 'nginx' }], { replicas: 3 });
    const after = deployment([{ name: 'app', image: 'nginx' }]);
    const dips = appliedOnce(before);
    dips.apply([after]);
    expect(dips.get('Deployment', 'web').spec.replicas).toBe(1);
    const keeps = appliedOnce(before);
    keeps.editLastApplied('Deployment', 'web', (lastApplied) => delete lastApplied.spec.replicas);
    keeps.apply([after]);
    expect(keeps.get('Deployment', 'web').spec.replicas).toBe(3);
  });
});
