import { Finding, KubeObject } from './problem';
import { checkWebhookConfiguration } from './rules/admission';
import { checkHorizontalPodAutoscaler } from './rules/autoscaling';
import { Add, collector } from './rules/common';
import { checkConfigMap, checkSecret } from './rules/config';
import { checkIngress } from './rules/ingress';
import { builtinKind, checkMetadata } from './rules/metadata';
import { checkNamespace, checkServiceAccount } from './rules/namespace';
import { checkNetworkPolicy, checkPodDisruptionBudget } from './rules/policy';
import { checkBinding, checkClusterRole, checkRole } from './rules/rbac';
import { checkService } from './rules/service';
import { checkLimitRange, checkResourceQuota } from './rules/quota';
import { checkClaim, checkPersistentVolume } from './rules/storage';
import {
  checkCronJob, checkDaemonSet, checkDeployment, checkJob, checkPod, checkReplicaSet, checkReplicationController, checkStatefulSet,
} from './rules/workloads';

/**
 * What the API server checks beyond the OpenAPI schema: k8s.io/apimachinery's ObjectMeta rules
 * for every object, and each built-in kind's pkg/apis/<group>/validation rules for that kind
 * only (lib/validate/rules/, one file per kind family). A custom resource, or a kind of another
 * group that happens to share a built-in kind's name, gets the ObjectMeta rules alone.
 */
const KIND_RULES: Readonly<Record<string, (object: KubeObject, add: Add) => void>> = {
  Pod: checkPod,
  ReplicationController: checkReplicationController,
  Deployment: checkDeployment,
  ReplicaSet: checkReplicaSet,
  DaemonSet: checkDaemonSet,
  StatefulSet: checkStatefulSet,
  Job: checkJob,
  CronJob: checkCronJob,
  Service: checkService,
  Ingress: checkIngress,
  HorizontalPodAutoscaler: checkHorizontalPodAutoscaler,
  PodDisruptionBudget: checkPodDisruptionBudget,
  NetworkPolicy: checkNetworkPolicy,
  ConfigMap: checkConfigMap,
  Secret: checkSecret,
  PersistentVolumeClaim: checkClaim,
  PersistentVolume: checkPersistentVolume,
  ResourceQuota: checkResourceQuota,
  LimitRange: checkLimitRange,
  ValidatingWebhookConfiguration: checkWebhookConfiguration,
  MutatingWebhookConfiguration: checkWebhookConfiguration,
  Namespace: checkNamespace,
  ServiceAccount: checkServiceAccount,
  Role: checkRole,
  ClusterRole: checkClusterRole,
  RoleBinding: checkBinding,
  ClusterRoleBinding: checkBinding,
};

/** The kinds that have rules of their own (every object gets the ObjectMeta rules). */
export const API_RULE_KINDS: readonly string[] = Object.keys(KIND_RULES);

/** What checkApiRules judges by. */
export interface ApiRuleOptions {
  /**
   * The Kubernetes versions judged (`1.27`, `1.34.2`): a rule a later version relaxed applies
   * only when an earlier one is among them. @default every version (each rule applies)
   */
  readonly versions?: readonly string[];
}

/** The minor of a version written `1.34`, `v1.34` or `1.34.2`. */
function minor(version: string): number {
  const match = /^v?1\.(\d+)/.exec(version);
  if (!match) throw new Error(`"${version}" is not a Kubernetes version: write it as 1.<minor>, e.g. 1.34`);
  return Number(match[1]);
}

export function checkApiRules(object: KubeObject, options: ApiRuleOptions = {}): Finding[] {
  const { findings, add, before } = collector();
  checkMetadata(object, add);
  const kind = builtinKind(object);
  if (kind && Object.prototype.hasOwnProperty.call(KIND_RULES, kind)) KIND_RULES[kind](object, add);
  const versions = options.versions;
  if (versions === undefined) return findings;
  const oldest = Math.min(...versions.map(minor));
  return findings.filter((finding) => !before.has(finding) || oldest < minor(before.get(finding)!));
}
