import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkLabels, checkName, checkQualifiedName } from './common';

/**
 * ObjectMeta, as k8s.io/apimachinery pkg/api/validation ValidateObjectMetaAccessor judges it,
 * with the name rule each kind's Validate<Kind> passes to it.
 */

/** How a kind's names are judged: the nameFn its validation passes to ValidateObjectMeta. */
export type NameRule = 'label' | 'subdomain' | 'dns1035' | 'segment';

/** A built-in kind the rules know: the API groups that serve it, its scope and its name rule. */
export interface KnownKind {
  /** API groups serving it ('' for the core group). */
  readonly groups: readonly string[];
  /** Whether its objects live outside namespaces. */
  readonly clusterScoped?: boolean;
  /** Its name rule. */
  readonly name: NameRule;
}

// Each name rule from its kind's validation: k8s.io/kubernetes pkg/apis/<group>/validation.
export const KNOWN_KINDS: Readonly<Record<string, KnownKind>> = {
  Namespace: { groups: [''], clusterScoped: true, name: 'label' }, // core ValidateNamespaceName = NameIsDNSLabel
  Service: { groups: [''], name: 'dns1035' }, // core ValidateServiceName = NameIsDNS1035Label
  ConfigMap: { groups: [''], name: 'subdomain' }, // core ValidateConfigMapName
  Secret: { groups: [''], name: 'subdomain' }, // core ValidateSecretName
  ServiceAccount: { groups: [''], name: 'subdomain' }, // core ValidateServiceAccountName
  PersistentVolumeClaim: { groups: [''], name: 'subdomain' }, // core ValidatePersistentVolumeName
  PersistentVolume: { groups: [''], clusterScoped: true, name: 'subdomain' },
  Pod: { groups: [''], name: 'subdomain' }, // core ValidatePodName
  ReplicationController: { groups: [''], name: 'subdomain' }, // core ValidateReplicationControllerName
  Deployment: { groups: ['apps', 'extensions'], name: 'subdomain' }, // apps ValidateDeploymentName
  ReplicaSet: { groups: ['apps', 'extensions'], name: 'subdomain' }, // apps ValidateReplicaSetName
  DaemonSet: { groups: ['apps', 'extensions'], name: 'subdomain' }, // apps ValidateDaemonSetName
  StatefulSet: { groups: ['apps'], name: 'label' }, // apps ValidateStatefulSetName = NameIsDNSLabel
  Job: { groups: ['batch'], name: 'subdomain' }, // batch ValidateJob: ValidateReplicationControllerName
  CronJob: { groups: ['batch'], name: 'subdomain' }, // batch ValidateCronJobCreate: ValidateReplicationControllerName
  HorizontalPodAutoscaler: { groups: ['autoscaling'], name: 'subdomain' }, // autoscaling ValidateHorizontalPodAutoscalerName
  PodDisruptionBudget: { groups: ['policy'], name: 'subdomain' }, // policy ValidatePodDisruptionBudget
  NetworkPolicy: { groups: ['networking.k8s.io', 'extensions'], name: 'subdomain' }, // networking ValidateNetworkPolicyName
  Ingress: { groups: ['networking.k8s.io', 'extensions'], name: 'subdomain' }, // networking ValidateIngressName
  IngressClass: { groups: ['networking.k8s.io'], clusterScoped: true, name: 'subdomain' }, // networking ValidateIngressClass
  // rbac ValidateRBACName = path.IsValidPathSegmentName: `system:aggregate-to-edit` is a valid name.
  Role: { groups: ['rbac.authorization.k8s.io'], name: 'segment' },
  ClusterRole: { groups: ['rbac.authorization.k8s.io'], clusterScoped: true, name: 'segment' },
  RoleBinding: { groups: ['rbac.authorization.k8s.io'], name: 'segment' },
  ClusterRoleBinding: { groups: ['rbac.authorization.k8s.io'], clusterScoped: true, name: 'segment' },
  StorageClass: { groups: ['storage.k8s.io'], clusterScoped: true, name: 'subdomain' },
  PriorityClass: { groups: ['scheduling.k8s.io'], clusterScoped: true, name: 'subdomain' },
  CustomResourceDefinition: { groups: ['apiextensions.k8s.io'], clusterScoped: true, name: 'subdomain' },
};

/** The API group of an object's apiVersion: '' for `v1`, `apps` for `apps/v1`. */
export function groupOf(object: KubeObject): string | undefined {
  if (typeof object?.apiVersion !== 'string') return undefined;
  const slash = object.apiVersion.indexOf('/');
  return slash < 0 ? '' : object.apiVersion.slice(0, slash);
}

/**
 * The built-in kind an object is, or undefined for a custom resource (or a kind the rules do
 * not know). A kind of another group (a CRD's `Deployment`) is not the built-in kind: a rule of
 * one kind applies to that kind only. An object without apiVersion is judged by its kind.
 */
export function builtinKind(object: KubeObject): string | undefined {
  const kind = object?.kind;
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(KNOWN_KINDS, kind)) return undefined;
  const group = groupOf(object);
  return group === undefined || KNOWN_KINDS[kind].groups.includes(group) ? kind : undefined;
}

// Groups of the API server itself: no dot, or under k8s.io (CRD groups such as
// gateway.networking.k8s.io are there too, which only makes the name rule below more lenient).
function isBuiltinGroup(group: string | undefined): boolean {
  return group === undefined || !group.includes('.') || group.endsWith('.k8s.io');
}

function nameRule(object: KubeObject): NameRule {
  const kind = builtinKind(object);
  if (kind) return KNOWN_KINDS[kind].name;
  // apiextensions-apiserver customResourceValidator: custom resources' names are subdomains. A
  // built-in kind not listed above gets the most lenient rule any kind has.
  return isBuiltinGroup(groupOf(object)) ? 'segment' : 'subdomain';
}

const RULE_WORDS: Record<NameRule, string> = { label: 'a DNS label', subdomain: 'a DNS subdomain', dns1035: 'a DNS-1035 label', segment: 'a path segment' };

// k8s.io/apimachinery pkg/api/validation ValidateObjectMetaAccessor.
export function checkMetadata(object: KubeObject, add: Add): void {
  const metadata = object.metadata;
  if (!isObject(metadata)) return;
  const kind = builtinKind(object);
  const name = metadata.name;
  const rule = nameRule(object);
  if (typeof name !== 'string' || name === '') {
    if (!metadata.generateName) add('metadata.name', 'the object has no name', `a name: ${RULE_WORDS[rule]}`);
  } else {
    checkName(name, 'metadata.name', `${kind ?? object.kind} name`, rule, add);
  }
  if (metadata.namespace !== undefined && metadata.namespace !== null) {
    if (kind && KNOWN_KINDS[kind].clusterScoped) add('metadata.namespace', `${kind} is cluster-scoped and takes no namespace`, 'no metadata.namespace');
    else checkName(String(metadata.namespace), 'metadata.namespace', 'namespace', 'label', add); // ValidateNamespaceName
  }
  checkLabels(metadata.labels, 'metadata.labels', add);
  checkAnnotations(metadata.annotations, 'metadata.annotations', add);
}

// k8s.io/apimachinery pkg/api/validation ValidateAnnotations: qualified-name keys, 256 KiB in all.
export function checkAnnotations(annotations: unknown, path: string, add: Add): void {
  if (!isObject(annotations)) return;
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    checkQualifiedName(key.toLowerCase(), `${path}.${key}`, 'annotation key', add);
    size += key.length + String(value ?? '').length;
  }
  if (size > 256 * 1024) add(path, `annotations total ${size} bytes`, 'at most 262144 bytes in all');
}
