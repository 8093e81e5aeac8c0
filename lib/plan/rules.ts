import { FieldPath } from './field-diff';
import { shown } from './text';
import { displayName, groupOf, isObject, KubeObject, kubectlCommand, namespaceWords } from './objects';
import { parseQuantity } from '../validate/quantity';

/** What a warning is about. */
export type WarningKind =
  /** The apply cannot make the change in place; another command must. */
  | 'replace'
  /** The apply makes the change, but fewer pods serve for a while. */
  | 'dip'
  /** A preview left the output; a pruning apply leaves it running on purpose. */
  | 'close'
  /** A pruning apply deletes stored data. */
  | 'data';

/** A change that needs more than `kubectl apply`, or costs capacity. */
export interface PlanWarning {
  /** The kind of warning. */
  readonly kind: WarningKind;
  /** The object, as `Kind/name`. */
  readonly object: string;
  /** What happens and the command that does it. */
  readonly message: string;
}

/** One object in both outputs, with the fields that differ. */
export interface ChangedPair {
  /** The object before. */
  readonly before: KubeObject;
  /** The object after. */
  readonly after: KubeObject;
  /** The changed fields. */
  readonly paths: readonly FieldPath[];
}

function under(paths: readonly FieldPath[], prefix: string): FieldPath[] {
  return paths.filter((p) => p === prefix || p.startsWith(`${prefix}.`) || p.startsWith(`${prefix}[`));
}

function deleteCommand(object: KubeObject, ...extra: string[]): string {
  const name = object.metadata?.name;
  // A manifest without a name (a folder plan compares may hold one): String() would make a real
  // name of it, `undefined`, and the command would delete an object of that name.
  if (typeof name !== 'string' || name === '') return '(no kubectl command: the object has no name)';
  return kubectlCommand('delete', String(object.kind).toLowerCase(), name, ...namespaceWords(object), ...extra);
}

// The reasons the API server gives when an update changes what cannot change (k8s.io/kubernetes
// pkg/apis/core/validation/validation.go: ValidateImmutableField's "field is immutable", the
// claim's "spec is immutable after creation", the Secret's "field is immutable when `immutable`
// is set", validateUpgradeDowngradeClusterIPs' "may not change once set", the claim's "can not be
// less than previous value", the Pod's "may not change fields other than"; pkg/apis/apps/validation
// ValidateStatefulSetUpdate's "updates to statefulset spec for fields other than"). A bare
// "Forbidden" is not one: `spec.loadBalancerClass: Forbidden: may only be used when type is
// 'LoadBalancer'` refuses the object on create as well, and deleting it would not help.
const REFUSED_UPDATE = /\bis immutable\b|may not change once set|may not change fields other than|updates to statefulset spec for fields other than|can not be less than previous value/;

/**
 * The API server's refusal of an update (k8s.io/apimachinery pkg/api/errors NewInvalid: `The
 * Kind "name" is invalid: field: reason`, or with several causes `is invalid: ` then one
 * `* field: reason` line each), as a replace warning with the command that re-creates the object,
 * naming the first field whose reason is a refused update; undefined for any other message.
 */
export function refusalWarning(message: string, namespace?: string): PlanWarning | undefined {
  const header = /The (\w+) "([^"]+)" is invalid: /.exec(message);
  if (!header) return undefined;
  const [, kind, name] = header;
  // kubectl writes one cause a line, `field: reason` (k8s.io/kubectl pkg/cmd/util/helpers.go
  // MultilineError and statusCausesToAggrError), so a line is a cause only from its start: an
  // admission policy's denial is a cause without a field (`: ValidatingAdmissionPolicy 'p' ...
  // denied request: ...`) and names none, whatever its words. The reason is the rest of the line,
  // whole (the `s` flag): a carriage return before the line feed (a message that went through CRLF
  // line endings) or a line separator inside a reason does not cut it short.
  const causes = message.slice(header.index + header[0].length).split('\n').map((line) => /^(?:\* )?([^:\s]+): (.*)/s.exec(line));
  const field = causes.find((cause) => cause !== null && REFUSED_UPDATE.test(cause[2]))?.[1];
  if (field === undefined) return undefined;
  const object: KubeObject = { kind, metadata: { name, ...(namespace ? { namespace } : {}) } };
  let how = `run ${deleteCommand(object)}, then apply`;
  if (kind === 'StatefulSet') how = `run ${deleteCommand(object, '--cascade=orphan')}, then apply (the pods keep running and the new StatefulSet adopts them)`;
  if (kind === 'PersistentVolumeClaim') how = `copy its data out, run ${deleteCommand(object)} (its volume and data go too unless the volume's reclaim policy is Retain), then apply and restore`;
  return replace(object, `the API server refuses to change ${field} in place: ${how}`);
}

function replace(object: KubeObject, message: string): PlanWarning {
  return { kind: 'replace', object: displayName(object), message };
}

// k8s.io/kubernetes pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate: "updates to
// statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy',
// 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden".
const STATEFULSET_MUTABLE = new Set(['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds']);

/**
 * The field of spec a path lies in, as field-diff.ts writes it: `spec.name`, `spec["not.a.word"]`,
 * or `spec` when the whole spec appears, goes or is not an object.
 */
function specField(path: FieldPath): string {
  return /^spec(?:\.[^.[ ]+|\["(?:[^"\\]|\\.)*"\])?/.exec(path)![0];
}

/** Changes the API server refuses on update, each with the commands that make it instead. */
export function replaceWarnings({ before, after, paths }: ChangedPair): PlanWarning[] {
  const kind = after.kind;
  const group = groupOf(after);
  if (group === 'apps' && (kind === 'Deployment' || kind === 'ReplicaSet' || kind === 'DaemonSet')) {
    // k8s.io/kubernetes pkg/registry/apps/deployment/strategy.go ValidateUpdate (and the
    // replicaset and daemonset strategies): "disallow mutation of selector" outside apps/v1beta1.
    if (under(paths, 'spec.selector').length > 0) {
      return [replace(after, `spec.selector is immutable: run ${deleteCommand(after)}, then apply (its pods stop until the new ones are ready)`)];
    }
  }
  if (group === 'apps' && kind === 'StatefulSet') {
    const fields = [...new Set(under(paths, 'spec').map(specField))].filter((f) => !STATEFULSET_MUTABLE.has(f.slice('spec.'.length)));
    if (fields.length > 0) {
      return [replace(after, `${fields.join(', ')} cannot change on a StatefulSet: run ${deleteCommand(after, '--cascade=orphan')}, then apply (the pods keep running and the new StatefulSet adopts them; existing claims keep their size)`)];
    }
  }
  if (group === '' && kind === 'PersistentVolumeClaim') return claimWarnings(before, after, paths);
  if (group === '' && kind === 'Service') {
    // k8s.io/kubernetes pkg/apis/core/validation/validation.go ValidateServiceUpdate and
    // validateUpgradeDowngradeClusterIPs: the addresses (clusterIPs, or clusterIP alone, which the
    // server copies into clusterIPs) are immutable once assigned, unless the Service is or becomes
    // an ExternalName; a second address may be added or released (dual-stack), not changed. A
    // manifest that names none keeps the assigned ones (pkg/registry/core/service/storage
    // storage.go patchAllocatedValues); one that names an address where the last named none meets
    // the one the server assigned, which it matches only by chance.
    const externalName = before.spec?.type === 'ExternalName' || after.spec?.type === 'ExternalName';
    const [old, next] = [before, after].map((s) => (Array.isArray(s.spec?.clusterIPs) && s.spec.clusterIPs.length > 0 ? s.spec.clusterIPs : (s.spec?.clusterIP ?? '') === '' ? [] : [s.spec.clusterIP]));
    const moved = old[0] !== next[0] || (old.length === next.length && old.some((ip: unknown, i: number) => ip !== next[i]));
    if (!externalName && next.length > 0 && moved) {
      return [replace(after, `spec.clusterIP is immutable once assigned: run ${deleteCommand(after)}, then apply (the Service is unreachable in between and gets a new address)`)];
    }
  }
  if (group === 'batch' && kind === 'Job') {
    // k8s.io/kubernetes pkg/apis/batch/validation/validation.go ValidateJobSpecUpdate: selector,
    // template, completionMode, podFailurePolicy, backoffLimitPerIndex, managedBy and successPolicy
    // are immutable, and completions but on an Indexed Job (validateCompletions). A Job suspended
    // that never started (pkg/registry/batch/job/strategy.go AllowMutableSchedulingDirectives) may
    // change its template's labels, annotations, nodeSelector, tolerations, schedulingGates and
    // node affinity (validatePodTemplateUpdate).
    const directives = ['metadata.labels', 'metadata.annotations', 'spec.nodeSelector', 'spec.tolerations', 'spec.schedulingGates', 'spec.affinity.nodeAffinity'];
    const schedulable = before.spec?.suspend === true && before.status?.startTime === undefined;
    // An affinity that appears or goes whole is allowed when it holds node affinity alone.
    const nodeAffinityAlone = (job: KubeObject) => { const a = job.spec?.template?.spec?.affinity; return a === undefined || (isObject(a) && Object.keys(a).every((k) => k === 'nodeAffinity')); };
    const movable = (p: FieldPath) => directives.some((d) => under([p], `spec.template.${d}`).length > 0) || (p === 'spec.template.spec.affinity' && nodeAffinityAlone(before) && nodeAffinityAlone(after));
    const judged = schedulable ? paths.filter((p) => !movable(p)) : paths;
    const fixed = ['spec.selector', 'spec.template', 'spec.completionMode', 'spec.completions', 'spec.podFailurePolicy', 'spec.backoffLimitPerIndex', 'spec.managedBy', 'spec.successPolicy']
      .filter((p) => under(judged, p).length > 0 && !(p === 'spec.completions' && after.spec?.completionMode === 'Indexed'));
    if (fixed.length > 0) return [replace(after, `${fixed.join(', ')} cannot change on a Job: run ${deleteCommand(after)}, then apply (the Job runs again)`)];
  }
  if (group === '' && kind === 'Secret' && (before.type ?? 'Opaque') !== (after.type ?? 'Opaque')) {
    // k8s.io/kubernetes pkg/apis/core/validation/validation.go ValidateSecretUpdate: type is
    // immutable; it defaults to Opaque (pkg/apis/core/v1/defaults.go SetDefaults_Secret).
    return [replace(after, `type cannot change on a Secret: run ${deleteCommand(after)}, then apply (pods read the new values when they restart: \`kubectl rollout restart\` their Deployments)`)];
  }
  if (group === '' && (kind === 'Secret' || kind === 'ConfigMap') && before.immutable === true) {
    // k8s.io/kubernetes pkg/apis/core/validation/validation.go ValidateSecretUpdate and
    // ValidateConfigMapUpdate: "field is immutable when `immutable` is set".
    const fixed = ['data', 'stringData', 'binaryData', 'immutable'].filter((p) => paths.some((q) => q === p || q.startsWith(`${p}.`) || q.startsWith(`${p}[`) || q.startsWith(`${p} `)));
    if (fixed.length > 0) return [replace(after, `${fixed.join(', ')} cannot change: the ${kind} is immutable; run ${deleteCommand(after)}, then apply (pods read the new values when they restart: \`kubectl rollout restart\` their Deployments)`)];
  }
  return [];
}

function claimWarnings(before: KubeObject, after: KubeObject, paths: readonly FieldPath[]): PlanWarning[] {
  // k8s.io/kubernetes pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimUpdate:
  // "spec is immutable after creation except resources.requests and volumeAttributesClassName for
  // bound claims", and storage "can not be less than previous value". volumeName may change only
  // while it is empty ("volumeName changes are allowed once": the binder sets it). volumeMode
  // defaults to Filesystem (pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolumeClaimSpec),
  // so naming the default is no change.
  const defaultedMode = (claim: KubeObject) => claim.spec?.volumeMode ?? 'Filesystem';
  const fixed = under(paths, 'spec').filter((p) => {
    if (p === 'spec.resources.requests.storage' || under([p], 'spec.volumeAttributesClassName').length > 0) return false;
    if (under([p], 'spec.volumeName').length > 0) return (before.spec?.volumeName ?? '') !== '';
    if (p === 'spec.volumeMode') return defaultedMode(before) !== defaultedMode(after);
    return true;
  });
  const oldSize = parseQuantity(before.spec?.resources?.requests?.storage);
  const newSize = parseQuantity(after.spec?.resources?.requests?.storage);
  const shrinks = oldSize !== undefined && newSize !== undefined && newSize < oldSize;
  if (fixed.length === 0 && !shrinks) return [];
  const what = [...fixed, ...(shrinks ? ['spec.resources.requests.storage (smaller)'] : [])].join(', ');
  return [replace(after, `${what} cannot change on a claim: copy its data out, run ${deleteCommand(after)} (its volume and data go too unless the volume's reclaim policy is Retain), then apply and restore`)];
}

function autoscalerOf(objects: readonly KubeObject[], deployment: KubeObject): KubeObject | undefined {
  return objects.find((o) => o.kind === 'HorizontalPodAutoscaler'
    && (o.metadata?.namespace ?? '') === (deployment.metadata?.namespace ?? '')
    && o.spec?.scaleTargetRef?.kind === 'Deployment' && o.spec?.scaleTargetRef?.name === deployment.metadata?.name);
}

function deploymentOf(objects: readonly KubeObject[], autoscaler: KubeObject): KubeObject | undefined {
  const target = autoscaler.spec?.scaleTargetRef;
  if (target?.kind !== 'Deployment') return undefined;
  return objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === target.name && (o.metadata?.namespace ?? '') === (autoscaler.metadata?.namespace ?? ''));
}

/**
 * Pods a budget covers: those of the Deployments its selector matches, at rest, or 1 when it
 * covers none of them; a budget without a selector covers none (k8s.io/api policy/v1 types.go
 * PodDisruptionBudgetSpec: "A null selector will match no pods, while an empty ({}) selector will
 * select all pods within the namespace").
 */
function budgetPods(objects: readonly KubeObject[], budget: KubeObject): number {
  if (!isObject(budget.spec?.selector)) return 1;
  const selector: Record<string, string> = budget.spec.selector.matchLabels ?? {};
  return objects.filter((o) => o.kind === 'Deployment' && (o.metadata?.namespace ?? '') === (budget.metadata?.namespace ?? '')
    && Object.entries(selector).every(([k, v]) => o.spec?.template?.metadata?.labels?.[k] === v))
    .reduce((sum, d) => sum + podsOf(d, autoscalerOf(objects, d)), 0) || 1;
}

function dip(object: KubeObject, message: string): PlanWarning {
  return { kind: 'dip', object: displayName(object), message };
}

/**
 * A kubectl command about the object, its words made from its name (the namespace words follow);
 * for a manifest without a name, a note, as deleteCommand's: String() would make a name of it,
 * `undefined`, and the command would touch another object of that name.
 */
function commandOn(object: KubeObject, words: (name: string) => string[], ...after: string[]): string {
  const name = object.metadata?.name;
  if (typeof name !== 'string' || name === '') return '(no kubectl command: the object has no name)';
  return kubectlCommand(...words(name), ...namespaceWords(object), ...after);
}

/** An int-or-percent (`1`, `"25%"`) as a count of `pods`, a percentage rounded up or down; undefined for anything else. */
function podCount(value: unknown, pods: number, roundUp: boolean): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+%$/.test(value)) {
    const exact = (Number(value.slice(0, -1)) * pods) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return undefined;
}

/**
 * An int-or-percent of pods: does `after` allow more pods out than `before`? Percentages are
 * taken of `pods`, rounded down for a rollout's maxUnavailable (k8s.io/kubernetes
 * pkg/controller/deployment/util/deployment_util.go ResolveFenceposts) and up for a budget's
 * (pkg/controller/disruption/disruption.go getExpectedPodCount).
 */
function raises(before: unknown, after: unknown, pods: number, roundUp: boolean): boolean {
  const [was, is] = [podCount(before, pods, roundUp), podCount(after, pods, roundUp)];
  // Neither a count nor a percentage (the server refuses it): a rise when it reads otherwise, as the warning prints it.
  if (was === undefined || is === undefined) return String(before) !== String(after);
  return is > was;
}

/**
 * Pods a rollout takes out at once (deployment_util.go ResolveFenceposts): maxUnavailable of the
 * pods rounded down, but 1 when it and maxSurge (rounded up) both come to 0; each "Defaults to 25%"
 * (k8s.io/api apps/v1 types.go RollingUpdateDeployment). Undefined when either is neither a count
 * nor a percentage.
 */
function rolloutUnavailable(deployment: KubeObject, pods: number): number | undefined {
  const rollingUpdate = deployment.spec?.strategy?.rollingUpdate;
  const unavailable = podCount(rollingUpdate?.maxUnavailable ?? '25%', pods, false);
  const surge = podCount(rollingUpdate?.maxSurge ?? '25%', pods, true);
  if (unavailable === undefined || surge === undefined) return undefined;
  return unavailable === 0 && surge === 0 ? 1 : unavailable;
}

/** Pods a Deployment runs at rest: its replicas, or its autoscaler's minimum, or the default 1. */
function podsOf(deployment: KubeObject, autoscaler: KubeObject | undefined): number {
  return deployment.spec?.replicas ?? autoscaler?.spec?.minReplicas ?? 1;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manifest of the last client-side apply, from kubectl's annotation; undefined without one (or unreadable). */
export function lastApplied(object: KubeObject): KubeObject | undefined {
  const text = object.metadata?.annotations?.[LAST_APPLIED];
  if (typeof text !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Does the apply delete the Deployment's replicas? A client-side apply deletes a field the last
 * apply set and this one does not (k8s.io/kubectl pkg/cmd/apply/patcher.go: a three-way patch of
 * the last-applied annotation, the new manifest and the live object). Between two outputs the
 * manifests say it. Between a live object and the server's dry run of the apply (`--cluster`),
 * the dry run has already defaulted the deleted replicas back to 1, so the annotations say it:
 * the live object's holds the last applied manifest, the dry-run object's this one (put there by
 * lib/plan/kubectl.ts viewCluster, as the apply records it).
 */
function replicasDeleted(before: KubeObject, after: KubeObject): boolean {
  const applying = lastApplied(after);
  if (applying === undefined) return before.spec?.replicas !== undefined && after.spec?.replicas === undefined;
  // A live object without the annotation (created, not applied) has nothing for the patch to delete.
  return lastApplied(before)?.spec?.replicas !== undefined && applying.spec?.replicas === undefined;
}

/**
 * Changes an apply makes at once that leave fewer pods serving for a while (replicas handed to
 * or taken back from an autoscaler, a disruption budget that goes or loosens, a rollout that may
 * take more pods out at once), and claims a pruning apply deletes with their data.
 */
export function dipWarnings(before: readonly KubeObject[], after: readonly KubeObject[], changed: readonly ChangedPair[], removed: readonly KubeObject[]): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  for (const pair of changed) {
    const { before: old, after: next } = pair;
    if (next.kind === 'Deployment' && groupOf(next) === 'apps') {
      const oldReplicas: number = old.spec?.replicas ?? 1;
      const autoscaler = autoscalerOf(after, next);
      const cmd = commandOn(next, (name) => ['apply', 'edit-last-applied', `deployment/${name}`]);
      if (replicasDeleted(old, next)) {
        // The API server then defaults replicas to 1 (k8s.io/kubernetes pkg/apis/apps/v1/defaults.go SetDefaults_Deployment).
        if (autoscaler && (oldReplicas > 1 || (autoscaler.spec?.minReplicas ?? 1) > 1)) {
          warnings.push(dip(next, `replicas goes to HorizontalPodAutoscaler/${shown(autoscaler.metadata?.name)}: the apply removes the replicas the last apply set, so the Deployment drops to 1 pod until the autoscaler scales it back to ${autoscaler.spec?.minReplicas ?? 1}; first run ${cmd} and delete its replicas line`));
        } else if (!autoscaler && oldReplicas > 1) {
          warnings.push(dip(next, `replicas is no longer set and no autoscaler takes it: the Deployment drops from ${oldReplicas} pods to 1`));
        }
      }
      const oldStrategy = old.spec?.strategy?.type ?? 'RollingUpdate';
      const newStrategy = next.spec?.strategy?.type ?? 'RollingUpdate';
      if (oldStrategy !== 'Recreate' && newStrategy === 'Recreate') {
        warnings.push(dip(next, 'the strategy becomes Recreate: every pod stops before the new ones start, on this and every later rollout'));
      } else if (newStrategy === 'RollingUpdate') {
        // apps/v1 RollingUpdateDeployment: maxUnavailable and maxSurge "Defaults to 25%" (k8s.io/api apps/v1 types.go).
        const was = old.spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%';
        const is = next.spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%';
        const pods = podsOf(next, autoscaler);
        const [out, nowOut] = [rolloutUnavailable(old, pods), rolloutUnavailable(next, pods)];
        const rising = dip(next, `spec.strategy.rollingUpdate.maxUnavailable rises from ${was} to ${is}: a rollout may take more pods out at once`);
        if (out === undefined || nowOut === undefined) {
          if (raises(was, is, pods, false)) warnings.push(rising);
        } else if (nowOut > out) {
          // Not maxUnavailable (0 pods before and after): maxSurge came to 0 too, so the controller takes 1 out.
          const [surge, nowSurge] = [old, next].map((d) => d.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%');
          warnings.push(raises(was, is, pods, false) ? rising : dip(next, `spec.strategy.rollingUpdate.maxSurge falls from ${surge} to ${nowSurge}: with maxUnavailable ${is}, 0 of ${pods} pods, a rollout takes 1 pod out at once (the Deployment controller's floor when both come to 0)`));
        }
      }
    }
    if (next.kind === 'PodDisruptionBudget') {
      const oldSpec = old.spec ?? {};
      const newSpec = next.spec ?? {};
      if (oldSpec.maxUnavailable !== undefined && newSpec.maxUnavailable !== undefined && raises(oldSpec.maxUnavailable, newSpec.maxUnavailable, budgetPods(after, next), true)) {
        warnings.push(dip(next, `maxUnavailable rises from ${oldSpec.maxUnavailable} to ${newSpec.maxUnavailable}: a node drain may evict more pods at once`));
      } else if (oldSpec.minAvailable !== undefined && newSpec.minAvailable !== undefined && raises(newSpec.minAvailable, oldSpec.minAvailable, budgetPods(after, next), true)) {
        warnings.push(dip(next, `minAvailable falls from ${oldSpec.minAvailable} to ${newSpec.minAvailable}: a node drain may evict more pods at once`));
      } else if ((oldSpec.minAvailable === undefined) !== (newSpec.minAvailable === undefined)) {
        warnings.push(dip(next, 'the budget switches between minAvailable and maxUnavailable: check that it allows no more evictions than before'));
      }
    }
  }
  for (const object of removed) {
    if (object.kind === 'HorizontalPodAutoscaler') {
      const gone = deploymentOf(before, object);
      const deployment = gone && after.find((o) => o.kind === 'Deployment' && o.metadata?.name === gone.metadata?.name && (o.metadata?.namespace ?? '') === (gone.metadata?.namespace ?? ''));
      const replicas = deployment?.spec?.replicas;
      if (deployment && typeof replicas === 'number' && replicas < (object.spec?.maxReplicas ?? Infinity)) {
        warnings.push(dip(deployment, `HorizontalPodAutoscaler/${shown(object.metadata?.name)} goes and replicas: ${replicas} is set: the Deployment runs ${replicas} pod(s) at once, wherever the autoscaler had it (${object.spec?.minReplicas ?? 1} to ${object.spec?.maxReplicas}; ${commandOn(object, (name) => ['get', 'hpa', name])} shows how many now)`));
      }
    }
    if (object.kind === 'PersistentVolumeClaim' && groupOf(object) === '') {
      // A deleted claim releases its volume; the default reclaim policy of a dynamically
      // provisioned volume is Delete (k8s.io/api storage/v1 StorageClass reclaimPolicy: "Defaults to Delete").
      // kubectl prunes only objects that carry its last-applied annotation (k8s.io/kubectl
      // pkg/cmd/apply/prune.go): removing the annotation keeps the claim.
      warnings.push({ kind: 'data', object: displayName(object), message: `a pruning apply deletes the claim, and its volume's data with it unless the volume's reclaim policy is Retain: back it up first, or keep the claim with ${commandOn(object, (name) => ['annotate', 'pvc', name], 'kubectl.kubernetes.io/last-applied-configuration-')}` });
    }
    if (object.kind === 'PodDisruptionBudget') {
      const selector = isObject(object.spec?.selector?.matchLabels) ? Object.entries(object.spec.selector.matchLabels).map(([k, v]) => `${k}=${v}`).join(',') : 'its pods';
      warnings.push(dip(object, `the disruption budget goes: a node drain may evict every pod of ${selector} at once`));
    }
  }
  return warnings;
}
