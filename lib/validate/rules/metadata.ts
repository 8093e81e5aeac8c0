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
  /** Whether the API server names a nameless object itself. @default false */
  readonly namedByServer?: boolean;
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
  ResourceQuota: { groups: [''], name: 'subdomain' }, // core ValidateResourceQuotaName
  // core ValidateLimitRangeName; pkg/registry/core/limitrange/strategy.go PrepareForCreate names a nameless one (a UUID).
  LimitRange: { groups: [''], name: 'subdomain', namedByServer: true },
  // admissionregistration ValidateValidatingWebhookConfiguration / ValidateMutatingWebhookConfiguration
  ValidatingWebhookConfiguration: { groups: ['admissionregistration.k8s.io'], clusterScoped: true, name: 'subdomain' },
  MutatingWebhookConfiguration: { groups: ['admissionregistration.k8s.io'], clusterScoped: true, name: 'subdomain' },
  Pod: { groups: [''], name: 'subdomain' }, // core ValidatePodName
  ReplicationController: { groups: [''], name: 'subdomain' }, // core ValidateReplicationControllerName
  Deployment: { groups: ['apps', 'extensions'], name: 'subdomain' }, // apps ValidateDeploymentName
  ReplicaSet: { groups: ['apps', 'extensions'], name: 'subdomain' }, // apps ValidateReplicaSetName
  DaemonSet: { groups: ['apps', 'extensions'], name: 'subdomain' }, // apps ValidateDaemonSetName
  StatefulSet: { groups: ['apps'], name: 'label' }, // apps ValidateStatefulSetName = NameIsDNSLabel
  Job: { groups: ['batch'], name: 'subdomain' }, // batch ValidateJob: ValidateReplicationControllerName
  CronJob: { groups: ['batch'], name: 'subdomain' }, // batch ValidateCronJobCreate: ValidateReplicationControllerName
  HorizontalPodAutoscaler: { groups: ['autoscaling'], name: 'subdomain' }, // autoscaling ValidateHorizontalPodAutoscalerName
  // policy ValidatePodDisruptionBudget validates the spec alone (pkg/apis/policy/validation/validation.go):
  // only the create path's own ObjectMeta check judges it, whose name rule is the path segment's.
  PodDisruptionBudget: { groups: ['policy'], name: 'segment' },
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

// The API groups kube-apiserver serves itself (k8s.io/kubernetes pkg/apis/*, plus apiextensions
// and apiregistration): every other group is a CustomResourceDefinition's, even under k8s.io
// (gateway.networking.k8s.io is the Gateway API's CRDs).
const BUILTIN_GROUPS = new Set([
  '', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps', 'authentication.k8s.io', 'authorization.k8s.io',
  'autoscaling', 'batch', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'extensions', 'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'policy', 'rbac.authorization.k8s.io', 'resource.k8s.io', 'scheduling.k8s.io',
  'storage.k8s.io', 'storagemigration.k8s.io',
]);

/** Whether kube-apiserver serves the group itself (an object without apiVersion counts as built-in). */
export function isKubernetesGroup(group: string | undefined): boolean {
  return group === undefined || BUILTIN_GROUPS.has(group);
}

function nameRule(object: KubeObject): NameRule {
  const kind = builtinKind(object);
  if (kind) return KNOWN_KINDS[kind].name;
  // apiextensions-apiserver customresource validator (staging/src/k8s.io/apiextensions-apiserver/pkg/registry/customresource/validator.go):
  // custom resources' names are subdomains. A built-in kind not listed above gets the most
  // lenient rule any kind has.
  return isKubernetesGroup(groupOf(object)) ? 'segment' : 'subdomain';
}

const RULE_WORDS: Record<NameRule, string> = { label: 'a DNS label', subdomain: 'a DNS subdomain', dns1035: 'a DNS-1035 label', segment: 'a path segment' };

// k8s.io/apimachinery pkg/api/validation ValidateObjectMetaAccessor
// (staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go), which the create path
// (staging/src/k8s.io/apiserver/pkg/registry/rest/create.go BeforeCreate) runs on every object,
// with the path-segment name rule, besides the kind's own validation with its name rule.
export function checkMetadata(object: KubeObject, add: Add): void {
  const metadata = object.metadata;
  const kind = builtinKind(object);
  const rule = nameRule(object);
  const namedByServer = kind !== undefined && KNOWN_KINDS[kind].namedByServer === true;
  if (metadata === undefined || metadata === null) {
    // An object without metadata has no name: "metadata.name: Required value: name or generateName is required".
    if (!namedByServer) add('metadata.name', 'the object has no metadata, so no name', `metadata with a name: ${RULE_WORDS[rule]}`);
    return;
  }
  if (!isObject(metadata)) return; // the schema's finding
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    if (!metadata.generateName && !namedByServer) add('metadata.name', 'the object has no name', `a name: ${RULE_WORDS[rule]}`);
  } else {
    checkName(name, 'metadata.name', `${kind ?? object.kind} name`, rule, add);
  }
  if (metadata.namespace !== undefined && metadata.namespace !== null) {
    // BeforeCreate clears the namespace of a cluster-scoped object: accepted, and the field is lost.
    if (kind && KNOWN_KINDS[kind].clusterScoped) add('metadata.namespace', `${kind} is cluster-scoped: the API server drops metadata.namespace`, 'no metadata.namespace', 'warning');
    else checkName(String(metadata.namespace), 'metadata.namespace', 'namespace', 'label', add); // ValidateNamespaceName
  }
  checkExported(metadata, add);
  checkGenerateName(metadata.generateName, typeof name === 'string' && name !== '', rule, kind ?? String(object.kind), add);
  // validateObjectMetaAccessorWithOptsCommon: generation >= 0, owner references, finalizers.
  // Most kinds' create strategies set generation to 1 first (apps, batch, networking, policy,
  // Pods, custom resources); these leave it as written, so a negative one is refused (each
  // kind's verdict read from the real 1.34 server).
  if (typeof metadata.generation === 'number' && metadata.generation < 0 && kind !== undefined && GENERATION_KEPT.has(kind)) add('metadata.generation', `generation is ${metadata.generation}`, 'a whole number >= 0 (or none: the server sets it)');
  checkOwnerReferences(metadata.ownerReferences, add);
  checkFinalizers(metadata.finalizers, add);
  // metav1.Time decodes RFC 3339 only ("parsing time ... cannot parse").
  for (const field of ['creationTimestamp', 'deletionTimestamp']) {
    const value = metadata[field];
    if (typeof value === 'string' && !RFC3339.test(value)) add(`metadata.${field}`, `${field} ${JSON.stringify(value)} is not an RFC 3339 time`, 'a time such as 2024-01-31T12:00:00Z, or none (the server sets it)');
  }
  // A custom resource's metadata is decoded into ObjectMeta: labels and annotations must be
  // strings ("cannot unmarshal number into Go struct field ObjectMeta.labels of type string").
  // A built-in kind's schema says so already.
  if (!isKubernetesGroup(groupOf(object))) {
    for (const field of ['labels', 'annotations']) {
      if (!isObject(metadata[field])) continue;
      for (const [key, value] of Object.entries(metadata[field])) {
        if (typeof value !== 'string') add(`metadata.${field}.${key}`, `the value of ${field === 'labels' ? 'label' : 'annotation'} "${key}" is a ${Array.isArray(value) ? 'list' : typeof value}`, 'a string (quote numbers and booleans)');
      }
    }
  }
  checkLabels(metadata.labels, 'metadata.labels', add);
  checkAnnotations(metadata.annotations, 'metadata.annotations', add);
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

const GENERATION_KEPT = new Set(['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'PersistentVolumeClaim', 'PersistentVolume', 'Namespace', 'LimitRange', 'ResourceQuota', 'HorizontalPodAutoscaler', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// ValidateObjectMetaAccessor: a generateName follows the name rule as a prefix, masked as
// apimachinery pkg/api/validation/generic.go maskTrailingDash does: a trailing "-" of a
// generateName longer than 1 replaces its last two characters with "a" (a lone "-" is judged as
// it is). Without a name, the store (generic/registry/store.go, names.SimpleNameGenerator)
// names the object first, the generateName cut to 58 characters and 5 random ones of [b-z2-9]
// appended, and that name is judged by the name rule: reported here, once, on the generateName.
// The path-segment rule judges a prefix by apimachinery path.ValidatePathSegmentName(name, true),
// IsValidPathSegmentPrefix: only "/" and "%" are refused, so "." is a prefix (".x7k2p" a name);
// the RBAC kinds' ValidateRBACName is IsValidPathSegmentName whatever the prefix flag, which
// refuses "." and ".." (both checked against kube-apiserver 1.34.2).
function checkGenerateName(generateName: unknown, named: boolean, rule: NameRule, kind: string, add: Add): void {
  if (typeof generateName !== 'string' || generateName === '') return;
  const masked = generateName.length > 1 && generateName.endsWith('-') ? `${generateName.slice(0, -2)}a` : generateName;
  let allowed: string | undefined;
  const judge = (candidate: string) => checkName(candidate, 'metadata.generateName', 'generateName', rule, (_path, _message, text) => { allowed = text; });
  const segmentPrefix = rule === 'segment' && !RBAC_KINDS.has(kind);
  if (!segmentPrefix) judge(masked);
  else if (masked.includes('/') || masked.includes('%')) allowed = 'any prefix without "/" or "%"';
  if (!named && allowed === undefined) judge(`${generateName.slice(0, 58)}bcdfg`);
  if (allowed !== undefined) add('metadata.generateName', `${kind} generateName ${JSON.stringify(generateName)} (as a prefix) is not valid`, allowed);
}

// ValidateOwnerReferences / validateOwnerReference: a version, kind, name and uid; no Event
// owner (BannedOwners); one controller at most.
function checkOwnerReferences(references: unknown, add: Add): void {
  if (!Array.isArray(references)) return;
  let controllers = 0;
  references.forEach((ref: KubeObject, i: number) => {
    if (!isObject(ref)) return;
    const at = `metadata.ownerReferences[${i}]`;
    // schema.FromAPIVersionAndKind (ParseGroupVersion): `v1` is the core group's version, `apps/v1`
    // splits at the slash, and a text of more slashes has no version at all.
    const apiVersion = typeof ref.apiVersion === 'string' ? ref.apiVersion : '';
    const parts = apiVersion.split('/');
    const [group, version] = parts.length === 1 ? ['', apiVersion] : parts.length === 2 ? parts : ['', ''];
    if (version === '') add(`${at}.apiVersion`, 'the owner reference has no version', 'the owner\'s apiVersion, e.g. apps/v1');
    for (const field of ['kind', 'name', 'uid']) if (typeof ref[field] !== 'string' || ref[field] === '') add(`${at}.${field}`, `the owner reference has no ${field}`, `the owner's ${field}`);
    if (group === '' && version === 'v1' && ref.kind === 'Event') add(at, 'an Event cannot own objects', 'another owner');
    if (ref.controller === true) controllers += 1;
  });
  if (controllers > 1) add('metadata.ownerReferences', `${controllers} owner references are controllers`, 'at most one with controller: true');
}

// ValidateFinalizers: qualified names; orphan and foregroundDeletion exclude each other.
function checkFinalizers(finalizers: unknown, add: Add): void {
  if (!Array.isArray(finalizers)) return;
  finalizers.forEach((finalizer: unknown, i: number) => { if (typeof finalizer === 'string') checkQualifiedName(finalizer, `metadata.finalizers[${i}]`, 'finalizer', add); });
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) add('metadata.finalizers', 'finalizers orphan and foregroundDeletion together', 'one of orphan or foregroundDeletion');
}

// An object exported from a live cluster (kubectl get -o yaml) carries its server-set fields.
// A resourceVersion is refused on create (staging/src/k8s.io/apiserver/pkg/storage/errors.go
// ErrResourceVersionSetOnCreate: "resourceVersion should not be set on objects to be created")
// and is a stale precondition on update; a uid is replaced on create (rest.FillObjectMetaSystemFields)
// but, sent to the object it came from after that was re-created, fails as a precondition.
function checkExported(metadata: KubeObject, add: Add): void {
  if (typeof metadata.resourceVersion === 'string' && metadata.resourceVersion !== '') {
    add('metadata.resourceVersion', 'resourceVersion is set (an object exported from a cluster?): the API server refuses it on create', 'no resourceVersion: remove it with the other server-set fields (uid, creationTimestamp, managedFields, status)');
  }
  if (typeof metadata.uid === 'string' && metadata.uid !== '') {
    add('metadata.uid', 'uid is set (an object exported from a cluster?): a create replaces it, an update of another object of this name fails on it', 'no uid: remove it with the other server-set fields', 'warning');
  }
}

// k8s.io/apimachinery pkg/api/validation ValidateAnnotations and ValidateAnnotationsSize:
// qualified-name keys (case aside), 256 KiB in all, counted in bytes (Go's len of the UTF-8 text).
export function checkAnnotations(annotations: unknown, path: string, add: Add): void {
  if (!isObject(annotations)) return;
  let size = 0;
  for (const [key, value] of Object.entries(annotations)) {
    checkQualifiedName(key.toLowerCase(), `${path}.${key}`, 'annotation key', add);
    size += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(String(value ?? ''), 'utf8');
  }
  if (size > 256 * 1024) add(path, `annotations total ${size} bytes`, 'at most 262144 bytes in all (UTF-8)');
}
