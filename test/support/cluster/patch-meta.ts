/**
 * How kubectl's strategic merge treats each field of the kinds this app deals with: the
 * `patchStrategy` and `patchMergeKey` struct tags of k8s.io/api (core/v1/types.go, apps/v1/types.go,
 * batch/v1/types.go, policy/v1/types.go, meta/v1/types.go in k8s.io/apimachinery), which the API
 * server also publishes as `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` in its
 * OpenAPI. A field not listed is a plain field: a map is merged key by key, a list is replaced whole.
 */
export interface FieldMeta {
  /** The type of the field's value (or of each list item), when it has fields of its own that matter. @default - a plain value */
  readonly type?: string;
  /** `merge`: a list merged item by item; `replace`: a map replaced whole; `retainKeys`: keys the manifest leaves out are cleared. @default - plain */
  readonly strategy?: 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys';
  /** The field that identifies an item of a merged list of objects; none for a merged list of scalars. @default - none */
  readonly key?: string;
}

const PLAIN_ROOT: Record<string, FieldMeta> = { metadata: { type: 'ObjectMeta' } };

const TYPES: Record<string, Record<string, FieldMeta>> = {
  // k8s.io/apimachinery pkg/apis/meta/v1/types.go ObjectMeta
  ObjectMeta: { finalizers: { strategy: 'merge' }, ownerReferences: { strategy: 'merge', key: 'uid' } },
  Deployment: { ...PLAIN_ROOT, spec: { type: 'DeploymentSpec' } },
  // k8s.io/api apps/v1/types.go DeploymentSpec: `Strategy ... patchStrategy:"retainKeys"`
  DeploymentSpec: { template: { type: 'PodTemplateSpec' }, strategy: { strategy: 'retainKeys' } },
  StatefulSet: { ...PLAIN_ROOT, spec: { type: 'WithTemplate' } },
  DaemonSet: { ...PLAIN_ROOT, spec: { type: 'WithTemplate' } },
  Job: { ...PLAIN_ROOT, spec: { type: 'WithTemplate' } },
  CronJob: { ...PLAIN_ROOT, spec: { type: 'CronJobSpec' } },
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  JobTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'WithTemplate' } },
  WithTemplate: { template: { type: 'PodTemplateSpec' } },
  PodTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' } },
  // k8s.io/api core/v1/types.go PodSpec
  PodSpec: {
    volumes: { type: 'Volume', strategy: 'merge,retainKeys', key: 'name' },
    initContainers: { type: 'Container', strategy: 'merge', key: 'name' },
    containers: { type: 'Container', strategy: 'merge', key: 'name' },
    ephemeralContainers: { type: 'Container', strategy: 'merge', key: 'name' },
    imagePullSecrets: { strategy: 'merge', key: 'name' },
    hostAliases: { strategy: 'merge', key: 'ip' },
    topologySpreadConstraints: { strategy: 'merge', key: 'topologyKey' },
    schedulingGates: { strategy: 'merge', key: 'name' },
    resourceClaims: { strategy: 'merge,retainKeys', key: 'name' },
  },
  Volume: {},
  // k8s.io/api core/v1/types.go Container
  Container: {
    ports: { strategy: 'merge', key: 'containerPort' },
    env: { strategy: 'merge', key: 'name' },
    volumeMounts: { strategy: 'merge', key: 'mountPath' },
    volumeDevices: { strategy: 'merge', key: 'devicePath' },
  },
  Service: { ...PLAIN_ROOT, spec: { type: 'ServiceSpec' } },
  // k8s.io/api core/v1/types.go ServiceSpec: `Ports ... patchStrategy:"merge" patchMergeKey:"port"`
  ServiceSpec: { ports: { strategy: 'merge', key: 'port' } },
  ServiceAccount: { ...PLAIN_ROOT, secrets: { strategy: 'merge', key: 'name' } },
  PodDisruptionBudget: { ...PLAIN_ROOT, spec: { type: 'PodDisruptionBudgetSpec' } },
  // k8s.io/api policy/v1/types.go PodDisruptionBudgetSpec: `Selector ... patchStrategy:"replace"`
  PodDisruptionBudgetSpec: { selector: { strategy: 'replace' } },
};

/** The fields of a type (a kind, or a type named by a FieldMeta); a kind not listed has only plain fields below metadata. */
export function fieldsOf(type: string | undefined): Record<string, FieldMeta> {
  if (type === undefined) return {};
  return TYPES[type] ?? PLAIN_ROOT;
}
