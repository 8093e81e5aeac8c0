import { applyDefaults } from './defaults';
import { MergeOptions, threeWayMerge, withoutNulls } from './merge';
import { sameJson, sortedJson } from './json';
import { validate } from './validation';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

export { sortedJson } from './json';

/** kubectl's annotation holding the configuration it applied last (k8s.io/api core/v1 annotation_key_constants.go). */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Kinds without a namespace, among those this app or the course could emit. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterIssuer', 'StorageClass', 'PersistentVolume', 'IngressClass']);

export interface ClusterProps {
  /** The namespace kubectl applies namespaced objects without one to (the kubeconfig context's). @default 'default' */
  readonly namespace?: string;
  /** The default StorageClass the DefaultStorageClass admission plugin writes into a new claim (minikube's). @default 'standard' */
  readonly defaultStorageClass?: string;
  /** Whether that class has `allowVolumeExpansion` (minikube's `standard` has not). @default false */
  readonly allowVolumeExpansion?: boolean;
}

/** What `kubectl apply` printed for one object. */
export interface ApplyOutcome {
  /** group/Kind/namespace/name. */
  readonly id: string;
  /** Whether the API server accepted the create or update. */
  readonly accepted: boolean;
  /** kubectl's word for it: created, configured, unchanged; or rejected. */
  readonly action: 'created' | 'configured' | 'unchanged' | 'rejected';
  /** The API server's error, when rejected. */
  readonly message?: string;
}

/** The API group of an apiVersion: `apps/v1` -> `apps`, `v1` -> `` (core). */
export function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/**
 * A model of one cluster under client-side `kubectl apply`: live objects as the API server stores
 * them, kubectl's three-way strategic merge on update, and the API server's decoding, defaulting,
 * registry logic and validation. No controllers run except where a method says so.
 *
 * Pruning (issue 11) fits in here without changing the rest: objects are keyed by group, kind,
 * namespace and name, and every object kubectl applied carries LAST_APPLIED, which is what
 * `kubectl apply --prune` requires of a candidate (together with a label selector or ApplySet
 * label and an allowlist of kinds); a `prune` step after `apply` would delete the live objects that
 * qualify and are not in the applied set, and report them with an action of their own.
 */
export class Cluster {
  private readonly live = new Map<string, Json>();
  private readonly namespace: string;
  private readonly storageClass: string;
  private readonly allowVolumeExpansion: boolean;
  private serial = 0;

  constructor(props: ClusterProps = {}) {
    this.namespace = props.namespace ?? 'default';
    this.storageClass = props.defaultStorageClass ?? 'standard';
    this.allowVolumeExpansion = props.allowVolumeExpansion ?? false;
  }

  /** The identity of an object: objects of one group, kind, namespace and name are the same object whatever their version. */
  public idOf(object: Json): string {
    const namespace = CLUSTER_SCOPED.has(object.kind) ? '' : (object.metadata?.namespace ?? this.namespace);
    return `${groupOf(object.apiVersion)}/${object.kind}/${namespace}/${object.metadata?.name}`;
  }

  /** An independent copy of this cluster, to compare a state before and after. */
  public clone(): Cluster {
    const copy = new Cluster({ namespace: this.namespace, defaultStorageClass: this.storageClass, allowVolumeExpansion: this.allowVolumeExpansion });
    for (const [id, object] of this.live) copy.live.set(id, structuredClone(object));
    copy.serial = this.serial;
    return copy;
  }

  /** A copy of the live object of this kind and name, or undefined. */
  public get(kind: string, name: string, namespace?: string): Json | undefined {
    const found = [...this.live.values()].find((o) => o.kind === kind && o.metadata.name === name && (CLUSTER_SCOPED.has(kind) || o.metadata.namespace === (namespace ?? this.namespace)));
    return found === undefined ? undefined : structuredClone(found);
  }

  /** Copies of every live object. */
  public objects(): Json[] {
    return [...this.live.values()].map((o) => structuredClone(o));
  }

  /** The parsed last-applied configuration of a live object. */
  public lastApplied(kind: string, name: string): Json | undefined {
    const text = this.get(kind, name)?.metadata.annotations?.[LAST_APPLIED];
    return text === undefined ? undefined : JSON.parse(text);
  }

  /** `kubectl apply` of these manifests, one object after another as kubectl does; returns what it printed for each. */
  public apply(objects: readonly Json[], options: MergeOptions = {}): ApplyOutcome[] {
    return objects.map((object) => this.applyOne(structuredClone(object), options));
  }

  private applyOne(manifest: Json, options: MergeOptions): ApplyOutcome {
    const id = this.idOf(manifest);
    // kubectl sets the namespace it applies to, then records the manifest, nulls included, as the
    // new last-applied (k8s.io/kubectl pkg/util/apply.go GetModifiedConfiguration).
    if (!CLUSTER_SCOPED.has(manifest.kind)) manifest.metadata.namespace ??= this.namespace;
    const annotations = { ...(manifest.metadata.annotations ?? {}) };
    delete annotations[LAST_APPLIED];
    manifest.metadata.annotations = annotations;
    const modified = structuredClone(manifest);
    modified.metadata.annotations = { ...annotations, [LAST_APPLIED]: `${sortedJson(manifest)}\n` };

    const old = this.live.get(id);
    if (old === undefined) {
      const created = this.admitCreate(decode(withoutNulls(modified)));
      const errors = validate(created);
      if (errors.length > 0) return { id, accepted: false, action: 'rejected', message: invalidMessage(manifest, errors) };
      this.live.set(id, this.afterCreate(created));
      return { id, accepted: true, action: 'created' };
    }
    const lastText = old.metadata.annotations?.[LAST_APPLIED];
    const original = lastText === undefined ? undefined : JSON.parse(lastText);
    const merged = threeWayMerge(original, modified, old, manifest.kind, options);
    // kubectl prints `unchanged` when its patch is empty, i.e. when merging changes nothing.
    if (sameJson(merged, old)) return { id, accepted: true, action: 'unchanged' };
    const updated = this.prepareUpdate(applyDefaults(decode(merged)), old);
    const errors = [...validate(updated, old), ...this.admitUpdate(updated, old)];
    if (errors.length > 0) return { id, accepted: false, action: 'rejected', message: invalidMessage(manifest, errors) };
    // An update that stores the same object is a no-op: no new resourceVersion.
    if (!sameJson({ ...updated, metadata: { ...updated.metadata, resourceVersion: old.metadata.resourceVersion } }, old)) this.live.set(id, updated);
    return { id, accepted: true, action: 'configured' };
  }

  // Defaulting, then what the registry and the admission plugins add to a new object.
  private admitCreate(object: Json): Json {
    applyDefaults(object);
    this.serial += 1;
    object.metadata.uid = `00000000-0000-4000-8000-${String(this.serial).padStart(12, '0')}`;
    object.metadata.resourceVersion = String(1000 + this.serial);
    object.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    if (object.kind === 'Service' && object.spec.type !== 'ExternalName' && object.spec.clusterIP === undefined) {
      // pkg/registry/core/service/storage/alloc.go: an address from the service range (minikube's
      // 10.96.0.0/12; .1 is the kubernetes Service, .10 kube-dns) and the single-stack family.
      const ip = `10.96.${Math.floor((20 + this.serial) / 250)}.${(20 + this.serial) % 250}`;
      object.spec.clusterIP = ip;
      object.spec.clusterIPs = [ip];
      object.spec.ipFamilies ??= ['IPv4'];
      object.spec.ipFamilyPolicy ??= 'SingleStack';
    }
    if (object.kind === 'PersistentVolumeClaim') {
      // plugin/pkg/admission/storage/storageclass/setdefault: a claim with no class gets the default one.
      object.spec.storageClassName ??= this.storageClass;
    }
    if (object.kind === 'Job' && object.spec.manualSelector !== true) {
      // pkg/registry/batch/job/strategy.go generateSelector: the Job's pods are selected by its uid.
      const uid = object.metadata.uid;
      const labels = { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': object.metadata.name, 'controller-uid': uid, 'job-name': object.metadata.name };
      object.spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
      const template = (object.spec.template.metadata ??= {});
      template.labels = { ...(template.labels ?? {}), ...labels };
    }
    return object;
  }

  // What controllers do right after a create that an apply later meets: minikube's provisioner binds a claim.
  private afterCreate(object: Json): Json {
    if (object.kind === 'PersistentVolumeClaim') {
      object.spec.volumeName = `pvc-${object.metadata.uid}`;
      object.status = { phase: 'Bound', accessModes: object.spec.accessModes, capacity: { storage: object.spec.resources.requests.storage } };
    }
    return object;
  }

  // The registry's PrepareForUpdate and the allocator: status is not written through the main
  // resource; a Service keeps the address it was given (pkg/registry/core/service/storage/storage.go
  // patchAllocatedValues) unless it stops needing one (dropTypeDependentFields).
  private prepareUpdate(object: Json, old: Json): Json {
    object.metadata = { ...object.metadata, uid: old.metadata.uid, creationTimestamp: old.metadata.creationTimestamp, resourceVersion: String(Number(old.metadata.resourceVersion) + 1) };
    if (old.status !== undefined) object.status = old.status;
    else delete object.status;
    if (object.kind === 'Service') {
      const needsIp = (spec: Json) => spec.type !== 'ExternalName';
      if (needsIp(old.spec) && needsIp(object.spec)) {
        if (object.spec.clusterIP === undefined && object.spec.clusterIPs === undefined) {
          object.spec.clusterIP = old.spec.clusterIP;
          object.spec.clusterIPs = old.spec.clusterIPs;
        }
        object.spec.ipFamilies ??= old.spec.ipFamilies;
        object.spec.ipFamilyPolicy ??= old.spec.ipFamilyPolicy;
      } else if (needsIp(old.spec) && !needsIp(object.spec)) {
        for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy']) {
          if (sameJson(object.spec[field], old.spec[field])) delete object.spec[field];
        }
      }
    }
    return object;
  }

  private admitUpdate(object: Json, old: Json): string[] {
    if (object.kind !== 'PersistentVolumeClaim' || this.allowVolumeExpansion) return [];
    // plugin/pkg/admission/storage/persistentvolume/resize: growing a claim needs a class that allows it.
    if (object.spec.resources?.requests?.storage !== old.spec.resources?.requests?.storage) {
      return ['only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize'];
    }
    return [];
  }

  /**
   * `kubectl apply edit-last-applied KIND/NAME`: the edit changes the annotation only, never the
   * object's fields (k8s.io/kubectl pkg/cmd/apply/apply_edit_last_applied.go patches the annotation).
   */
  public editLastApplied(kind: string, name: string, edit: (lastApplied: Json) => void): void {
    const object = [...this.live.values()].find((o) => o.kind === kind && o.metadata.name === name);
    const text = object?.metadata.annotations?.[LAST_APPLIED];
    if (text === undefined) throw new Error(`error: no last-applied-configuration annotation found on ${kind}/${name}`);
    const lastApplied = JSON.parse(text);
    edit(lastApplied);
    object.metadata.annotations[LAST_APPLIED] = `${sortedJson(lastApplied)}\n`;
  }

  /**
   * One pass of the HorizontalPodAutoscaler controller with no load: a target below minReplicas
   * or above maxReplicas is scaled into range through its scale subresource, which leaves the
   * last-applied annotation alone (pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler).
   * Returns the Deployments it scaled, as name -> [before, after].
   */
  public runAutoscalers(): Record<string, [number, number]> {
    const scaled: Record<string, [number, number]> = {};
    for (const hpa of this.live.values()) {
      if (hpa.kind !== 'HorizontalPodAutoscaler') continue;
      const target = [...this.live.values()].find((o) => o.kind === hpa.spec.scaleTargetRef.kind && o.metadata.name === hpa.spec.scaleTargetRef.name && o.metadata.namespace === hpa.metadata.namespace);
      if (!target) continue;
      const before = target.spec.replicas;
      const after = Math.min(Math.max(before, hpa.spec.minReplicas), hpa.spec.maxReplicas);
      if (after !== before) {
        target.spec.replicas = after;
        scaled[target.metadata.name] = [before, after];
      }
    }
    return scaled;
  }
}

// pkg/apis/meta/v1 StatusError for Invalid, as kubectl prints it: `Kind.group "name" is invalid: ...`;
// an admission plugin's refusal reads `resource "name" is forbidden: ...`.
function invalidMessage(manifest: Json, errors: string[]): string {
  const group = groupOf(manifest.apiVersion);
  const kind = group ? `${manifest.kind}.${group}` : manifest.kind;
  const fieldErrors = errors.filter((e) => /^[\w.[\]]+: /.test(e));
  if (fieldErrors.length === 0) return `${manifest.kind.toLowerCase()}s "${manifest.metadata.name}" is forbidden: ${errors.join(', ')}`;
  const list = fieldErrors.length === 1 ? fieldErrors[0] : `[${fieldErrors.join(', ')}]`;
  return `${kind} "${manifest.metadata.name}" is invalid: ${list}`;
}

// Fields whose Go type is a map or a slice with `omitempty`: decoded from an empty JSON value they
// are "not set" and the stored object leaves them out (pointers to structs, like securityContext,
// stay as `{}`).
const EMPTY_IS_UNSET = new Set(['labels', 'annotations', 'matchLabels', 'nodeSelector', 'data', 'stringData', 'binaryData', 'requests', 'limits']);
// Plain (non-pointer) int32 and bool fields with `omitempty` that this app sets to their zero value:
// stored without them (k8s.io/api apps/v1 DeploymentSpec.minReadySeconds, core/v1 PodSpec.host*,
// VolumeMount.readOnly, PersistentVolumeClaimVolumeSource.readOnly).
const ZERO_IS_UNSET = new Set(['minReadySeconds', 'hostNetwork', 'hostPID', 'hostIPC', 'readOnly']);

function decode(value: Json): Json {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const d = decode(v);
    if (Array.isArray(d) && d.length === 0) continue;
    if (ZERO_IS_UNSET.has(k) && (d === 0 || d === false)) continue;
    if (EMPTY_IS_UNSET.has(k) && d !== null && typeof d === 'object' && Object.keys(d).length === 0) continue;
    out[k] = d;
  }
  return out;
}
