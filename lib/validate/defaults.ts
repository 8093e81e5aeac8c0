import { KubeObject, Located } from './problem';

/**
 * The API server's defaulting and create-time dropping that run before its validation, for the
 * fields the 1.34 OpenAPI marks required (or the rules judge) but the server fills in or removes
 * first. Without it, the schema check refuses what a create accepts (the differential suite,
 * test/validate/differential.test.ts, found each of these against kube-apiserver 1.34):
 * - a Job's (and a CronJob's job template's) podFailurePolicy `onPodConditions[].status`, set to
 *   `True` (pkg/apis/batch/v1/defaults.go SetDefaults_PodFailurePolicyOnPodConditionsPattern);
 * - a RoleBinding's or ClusterRoleBinding's `roleRef.apiGroup`, set to rbac.authorization.k8s.io
 *   (pkg/apis/rbac/v1/defaults.go SetDefaults_RoleBinding, SetDefaults_ClusterRoleBinding);
 * - a PersistentVolumeClaim's `dataSource` that is neither a claim nor a VolumeSnapshot, dropped
 *   on create when no `dataSourceRef` is set (pkg/api/persistentvolumeclaim/util.go
 *   EnforceDataSourceBackwardsCompatibility).
 * Returns copies of the objects it changes; the input is not changed.
 */
export function withServerDefaults(items: readonly Located[]): Located[] {
  return items.map((item) => {
    const object = item.object;
    if (!isObject(object)) return item;
    const defaulted = defaultObject(object);
    return defaulted === object ? item : { ...item, object: defaulted };
  });
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function defaultObject(object: KubeObject): KubeObject {
  const { apiVersion, kind } = object;
  if (apiVersion === 'batch/v1' && kind === 'Job' && isObject(object.spec)) {
    const spec = defaultJobSpec(object.spec);
    return spec === object.spec ? object : { ...object, spec };
  }
  if (apiVersion === 'batch/v1' && kind === 'CronJob' && isObject(object.spec) && isObject(object.spec.jobTemplate) && isObject(object.spec.jobTemplate.spec)) {
    const jobSpec = defaultJobSpec(object.spec.jobTemplate.spec);
    if (jobSpec === object.spec.jobTemplate.spec) return object;
    return { ...object, spec: { ...object.spec, jobTemplate: { ...object.spec.jobTemplate, spec: jobSpec } } };
  }
  if (apiVersion === 'rbac.authorization.k8s.io/v1' && (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && isObject(object.roleRef)) {
    // Go's len(obj.RoleRef.APIGroup) == 0: a missing field and "" alike.
    if (object.roleRef.apiGroup !== undefined && object.roleRef.apiGroup !== '') return object;
    return { ...object, roleRef: { ...object.roleRef, apiGroup: 'rbac.authorization.k8s.io' } };
  }
  if (apiVersion === 'v1' && kind === 'PersistentVolumeClaim' && isObject(object.spec) && object.spec.dataSource !== undefined && object.spec.dataSourceRef === undefined) {
    if (isClaimOrSnapshot(object.spec.dataSource)) return object;
    const { dataSource: _dropped, ...spec } = object.spec;
    return { ...object, spec };
  }
  return object;
}

/** util.go dataSourceIsPvcOrSnapshot: a claim of the core group, or a VolumeSnapshot of snapshot.storage.k8s.io. */
function isClaimOrSnapshot(source: unknown): boolean {
  if (!isObject(source)) return false;
  const group = source.apiGroup ?? '';
  return (source.kind === 'PersistentVolumeClaim' && group === '') || (source.kind === 'VolumeSnapshot' && group === 'snapshot.storage.k8s.io');
}

function defaultJobSpec(spec: Record<string, any>): Record<string, any> {
  const policy = spec.podFailurePolicy;
  if (!isObject(policy) || !Array.isArray(policy.rules)) return spec;
  let changed = false;
  const rules = policy.rules.map((rule: unknown) => {
    if (!isObject(rule) || !Array.isArray(rule.onPodConditions)) return rule;
    const conditions = rule.onPodConditions.map((pattern: unknown) => {
      // Go's obj.Status == "": missing and "" alike.
      if (!isObject(pattern) || (pattern.status !== undefined && pattern.status !== '')) return pattern;
      changed = true;
      return { ...pattern, status: 'True' };
    });
    return { ...rule, onPodConditions: conditions };
  });
  return changed ? { ...spec, podFailurePolicy: { ...policy, rules } } : spec;
}
