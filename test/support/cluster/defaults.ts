/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/**
 * The API server's defaulting of the kinds this app emits, run on every create and update before
 * validation. Each rule names its source in k8s.io/kubernetes (pkg/apis/<group>/<version>/defaults.go
 * unless said otherwise). Mutates and returns the object.
 */
export function applyDefaults(object: Json): Json {
  const defaulter = DEFAULTERS[object.kind];
  if (defaulter) defaulter(object);
  return object;
}

const DEFAULTERS: Record<string, (o: Json) => void> = {
  Deployment: defaultDeployment,
  Job: (o) => {
    // pkg/apis/batch/v1/defaults.go SetDefaults_Job
    const spec = (o.spec ??= {});
    spec.completions ??= 1;
    spec.parallelism ??= 1;
    spec.backoffLimit ??= 6;
    spec.completionMode ??= 'NonIndexed';
    spec.suspend ??= false;
    defaultPodTemplate(spec.template);
  },
  Service: defaultService,
  PersistentVolumeClaim: (o) => {
    // pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolumeClaimSpec
    (o.spec ??= {}).volumeMode ??= 'Filesystem';
  },
  HorizontalPodAutoscaler: defaultAutoscaler,
  NetworkPolicy: (o) => {
    // pkg/apis/networking/v1/defaults.go SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort
    const spec = (o.spec ??= {});
    if (!spec.policyTypes?.length) spec.policyTypes = ['Ingress', ...(spec.egress?.length ? ['Egress'] : [])];
    for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
      for (const port of rule.ports ?? []) port.protocol ??= 'TCP';
    }
  },
  Namespace: (o) => {
    // pkg/apis/core/v1/defaults.go SetDefaults_Namespace: the immutable name label (1.21+)
    ((o.metadata.labels ??= {}))['kubernetes.io/metadata.name'] = o.metadata.name;
    // pkg/registry/core/namespace/strategy.go PrepareForCreate
    (o.spec ??= {}).finalizers ??= ['kubernetes'];
  },
  Secret: (o) => {
    // pkg/apis/core/v1/defaults.go SetDefaults_Secret
    o.type ??= 'Opaque';
  },
  // Ingress (networking/v1), PodDisruptionBudget (policy/v1) and ServiceAccount have no defaulting
  // for the fields this app sets: pkg/apis/networking/v1/defaults.go defaults IngressClass only,
  // pkg/apis/policy/v1 has no defaults.go, and ServiceAccount has none since token Secrets (1.24).
};

function defaultDeployment(o: Json): void {
  // pkg/apis/apps/v1/defaults.go SetDefaults_Deployment
  const spec = (o.spec ??= {});
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (strategy.rollingUpdate ??= {});
    rolling.maxUnavailable ??= '25%';
    rolling.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template);
}

function defaultPodTemplate(template: Json): void {
  if (!template) return;
  const spec = (template.spec ??= {});
  // pkg/apis/core/v1/defaults.go SetDefaults_PodSpec
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= 30;
  spec.schedulerName ??= 'default-scheduler';
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(container);
  for (const volume of spec.volumes ?? []) defaultVolume(volume);
}

function defaultContainer(c: Json): void {
  // pkg/apis/core/v1/defaults.go SetDefaults_Container
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= pullPolicyOf(c.image ?? '');
  c.resources ??= {};
  // SetDefaults_ContainerPort
  for (const port of c.ports ?? []) port.protocol ??= 'TCP';
  // SetDefaults_ObjectFieldSelector
  for (const env of c.env ?? []) if (env.valueFrom?.fieldRef) env.valueFrom.fieldRef.apiVersion ??= 'v1';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (probe) defaultProbe(probe);
}

// SetDefaults_Container: a digest pins the image; otherwise no tag or `latest` is pulled Always.
function pullPolicyOf(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Json): void {
  // SetDefaults_Probe, SetDefaults_HTTPGetAction
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
}

function defaultVolume(v: Json): void {
  // SetDefaults_Volume: a volume with no source is an emptyDir
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  // SetDefaults_SecretVolumeSource, SetDefaults_ConfigMapVolumeSource: 0644
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.configMap) v.configMap.defaultMode ??= 420;
}

function defaultService(o: Json): void {
  // pkg/apis/core/v1/defaults.go SetDefaults_Service
  const spec = (o.spec ??= {});
  spec.sessionAffinity ??= 'None';
  spec.type ??= 'ClusterIP';
  for (const port of spec.ports ?? []) {
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port;
  }
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

// pkg/apis/autoscaling/v2/defaults.go SetDefaults_HorizontalPodAutoscaler and the default scaling rules
// (defaultHPAScaleUpRules, defaultHPAScaleDownRules) it fills an existing behavior with.
function defaultAutoscaler(o: Json): void {
  const spec = (o.spec ??= {});
  spec.minReplicas ??= 1;
  if (!spec.metrics?.length) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
  if (spec.behavior) {
    spec.behavior.scaleUp = fillRules(spec.behavior.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
    });
    // No stabilizationWindowSeconds for scale-down: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
    spec.behavior.scaleDown = fillRules(spec.behavior.scaleDown, {
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    });
  }
}

// copyHPAScalingRules: what the manifest sets wins, field by field.
function fillRules(rules: Json, defaults: Json): Json {
  const filled: Json = { ...defaults };
  for (const [k, v] of Object.entries(rules ?? {})) if (v !== undefined) filled[k] = v;
  return filled;
}
