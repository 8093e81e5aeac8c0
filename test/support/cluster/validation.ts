import { parseQuantity } from '../../../lib/validate/quantity';
import { sameJson } from './json';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/**
 * The API server's validation, on create (old undefined) and update, of the rules an apply over a
 * running app can run into, for the kinds this app emits. Each returns field errors formatted as
 * k8s.io/apimachinery pkg/util/validation/field/errors.go Error.Error() does: `path: Type: detail`.
 */
export function validate(object: Json, old?: Json): string[] {
  const validator = VALIDATORS[object.kind];
  return validator ? validator(object, old) : [];
}

const VALIDATORS: Record<string, (o: Json, old?: Json) => string[]> = {
  Deployment: validateDeployment,
  Job: validateJob,
  PersistentVolumeClaim: validateClaim,
  Service: validateService,
  HorizontalPodAutoscaler: (o) => {
    // pkg/apis/autoscaling/validation/validation.go validateHorizontalPodAutoscalerSpec
    const errors: string[] = [];
    if (o.spec.minReplicas < 1) errors.push(invalid('spec.minReplicas', o.spec.minReplicas, 'must be greater than or equal to 1'));
    if (o.spec.maxReplicas < o.spec.minReplicas) errors.push(invalid('spec.maxReplicas', o.spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
    return errors;
  },
  PodDisruptionBudget: (o) => {
    // pkg/apis/policy/validation/validation.go ValidatePodDisruptionBudgetSpec
    if (o.spec?.minAvailable !== undefined && o.spec?.maxUnavailable !== undefined) {
      return [invalid('spec', o.spec, 'minAvailable and maxUnavailable cannot be both set')];
    }
    return [];
  },
};

/** Go's %v of a value, close enough to read the error: strings quoted, objects as JSON. */
function show(value: Json): string {
  return typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
}
const invalid = (path: string, value: Json, detail: string) => `${path}: Invalid value: ${show(value)}: ${detail}`;
const forbidden = (path: string, detail: string) => `${path}: Forbidden: ${detail}`;
const required = (path: string, detail: string) => `${path}: Required value: ${detail}`;
const unsupported = (path: string, value: Json, allowed: string[]) => `${path}: Unsupported value: ${show(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`;

// k8s.io/apimachinery pkg/api/validation ValidateImmutableField
function immutable(path: string, now: Json, before: Json): string[] {
  return sameJson(now, before) ? [] : [invalid(path, now, 'field is immutable')];
}

function selectorMatches(selector: Json, labels: Json): boolean {
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
}

// pkg/util/intstr GetScaledValueFromIntOrPercent, as ValidateRollingUpdateDeployment compares them
function isZero(value: Json): boolean {
  return value === 0 || value === '0%';
}

function percentOver100(value: Json): boolean {
  return typeof value === 'string' && /^\d+%$/.test(value) && parseInt(value, 10) > 100;
}

function validateDeployment(o: Json, old?: Json): string[] {
  // pkg/apis/apps/validation/validation.go ValidateDeploymentSpec
  const spec = o.spec ?? {};
  const errors: string[] = [];
  if (!spec.selector || Object.keys(spec.selector.matchLabels ?? {}).length + (spec.selector.matchExpressions?.length ?? 0) === 0) {
    errors.push(invalid('spec.selector', spec.selector ?? {}, 'empty selector is invalid for deployment'));
  } else if (!selectorMatches(spec.selector, spec.template?.metadata?.labels)) {
    errors.push(invalid('spec.template.metadata.labels', spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  if (spec.replicas < 0) errors.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  // ValidateDeploymentStrategy
  const strategy = spec.strategy ?? {};
  if (strategy.type === 'Recreate') {
    if (strategy.rollingUpdate !== undefined) errors.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  } else if (strategy.type === 'RollingUpdate') {
    const rolling = strategy.rollingUpdate;
    if (rolling === undefined) errors.push(required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
    else {
      // ValidateRollingUpdateDeployment
      if (isZero(rolling.maxUnavailable) && isZero(rolling.maxSurge)) {
        errors.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
      if (percentOver100(rolling.maxUnavailable)) errors.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', rolling.maxUnavailable, 'must not be greater than 100%'));
    }
  } else {
    errors.push(unsupported('spec.strategy.type', strategy.type, ['Recreate', 'RollingUpdate']));
  }
  // ValidatePodTemplateSpecForReplicaSet: a Deployment's pods always restart
  const restartPolicy = spec.template?.spec?.restartPolicy;
  if (restartPolicy !== 'Always') errors.push(unsupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
    errors.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
  }
  // pkg/registry/apps/deployment/strategy.go deploymentStrategy.ValidateUpdate: the selector is
  // immutable in apps/v1 (only the removed extensions/v1beta1, apps/v1beta1 and v1beta2 allowed changes).
  if (old) errors.push(...immutable('spec.selector', spec.selector, old.spec.selector));
  return errors;
}

function validateJob(o: Json, old?: Json): string[] {
  // pkg/apis/batch/validation/validation.go validateJobSpec and ValidateJobSpecUpdate
  const errors: string[] = [];
  const restartPolicy = o.spec?.template?.spec?.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    errors.push(required('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"'));
  }
  if (old) {
    errors.push(...immutable('spec.selector', o.spec.selector, old.spec.selector));
    errors.push(...immutable('spec.template', o.spec.template, old.spec.template));
    if (o.spec.completionMode === 'NonIndexed') errors.push(...immutable('spec.completions', o.spec.completions, old.spec.completions));
  }
  return errors;
}

function validateClaim(o: Json, old?: Json): string[] {
  // pkg/apis/core/validation/validation.go ValidatePersistentVolumeClaimSpec
  const errors: string[] = [];
  if (!o.spec?.accessModes?.length) errors.push(required('spec.accessModes', 'at least 1 access mode is required'));
  if (o.spec?.resources?.requests?.storage === undefined) errors.push(required('spec.resources[storage]', ''));
  if (!old) return errors;
  // ValidatePersistentVolumeClaimUpdate: a bound claim may change resources.requests (and
  // volumeAttributesClassName) only; everything else in spec is fixed at creation.
  const bound = old.status?.phase === 'Bound';
  const strip = (spec: Json) => ({ ...spec, resources: bound ? { ...spec.resources, requests: undefined } : spec.resources, volumeAttributesClassName: undefined });
  if (!sameJson(strip(o.spec), strip(old.spec))) {
    errors.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const now = parseQuantity(o.spec.resources?.requests?.storage) ?? 0;
  const before = parseQuantity(old.spec.resources?.requests?.storage) ?? 0;
  const capacity = parseQuantity(old.status?.capacity?.storage) ?? 0;
  // RecoverVolumeExpansionFailure (beta, on by default in 1.32): shrinking is allowed only back
  // towards a failed expansion, never to or below the capacity the volume has.
  if (now < before && now <= capacity) errors.push(forbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  return errors;
}

function validateService(o: Json, old?: Json): string[] {
  // pkg/apis/core/validation/validation.go ValidateService
  const spec = o.spec ?? {};
  const errors: string[] = [];
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (!types.includes(spec.type)) errors.push(unsupported('spec.type', spec.type, types));
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errors.push(required('spec.externalName', ''));
    if (spec.clusterIP !== undefined && spec.clusterIP !== '') errors.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
  } else if (spec.clusterIP !== 'None' && !spec.ports?.length) {
    errors.push(required('spec.ports', ''));
  }
  for (const [i, port] of (spec.ports ?? []).entries()) {
    if (!(port.port >= 1 && port.port <= 65535)) errors.push(invalid(`spec.ports[${i}].port`, port.port, 'must be between 1 and 65535, inclusive'));
  }
  // ValidateServiceUpdate -> validateServiceClusterIPsRelatedFields: an allocated address stays
  // while the Service keeps needing one.
  if (old && old.spec.type !== 'ExternalName' && spec.type !== 'ExternalName') {
    const before = old.spec.clusterIPs ?? [];
    const now = spec.clusterIPs ?? [];
    if (before.length > 0 && now[0] !== before[0]) errors.push(invalid('spec.clusterIPs[0]', now, 'may not change once set'));
  }
  return errors;
}
