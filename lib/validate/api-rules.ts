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

export function checkApiRules(object: KubeObject): Finding[] {
  const { findings, add } = collector();
  checkMetadata(object, add);
  const kind = builtinKind(object);
  if (kind && Object.prototype.hasOwnProperty.call(KIND_RULES, kind)) KIND_RULES[kind](object, add);
  return findings;
}
