import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { parseQuantity } from '../quantity';
import { Add, checkEnum, isInt, isPathSegmentName, PATH_SEGMENT_RULE } from './common';

const METRIC_TYPES: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external' };

// k8s.io/kubernetes pkg/apis/autoscaling/validation ValidateHorizontalPodAutoscaler and
// validateHorizontalPodAutoscalerSpec (minReplicas >= 1 while HPAScaleToZero is alpha).
export function checkHorizontalPodAutoscaler(object: KubeObject, add: Add): void {
  const spec: KubeObject = isObject(object.spec) ? object.spec : {}; // judged as the API server does: an empty spec
  // With a spec, the schema requires scaleTargetRef and maxReplicas; without one, the zero value
  // has maxReplicas 0 and no target, which validation refuses.
  if (!isObject(object.spec)) add('spec', 'the HorizontalPodAutoscaler has no spec, so no scaleTargetRef and maxReplicas 0', 'a spec with scaleTargetRef and maxReplicas >= 1');
  const min = spec.minReplicas;
  if (min !== undefined && min !== null && !(isInt(min) && min >= 1)) add('spec.minReplicas', `minReplicas is ${min}`, 'a whole number >= 1');
  if (typeof spec.maxReplicas === 'number' && !(isInt(spec.maxReplicas) && spec.maxReplicas >= 1)) add('spec.maxReplicas', `maxReplicas is ${spec.maxReplicas}`, 'a whole number >= 1');
  else if (isInt(min) && spec.maxReplicas < min) add('spec.maxReplicas', `maxReplicas ${spec.maxReplicas} is less than minReplicas ${min}`, 'maxReplicas >= minReplicas');
  checkReference(spec.scaleTargetRef, 'spec.scaleTargetRef', add);
  // autoscaling/v1 has one target: targetCPUUtilizationPercentage (converted to a Resource metric).
  if (spec.targetCPUUtilizationPercentage !== undefined && spec.targetCPUUtilizationPercentage !== null && !(isInt(spec.targetCPUUtilizationPercentage) && spec.targetCPUUtilizationPercentage >= 1)) {
    add('spec.targetCPUUtilizationPercentage', `targetCPUUtilizationPercentage is ${spec.targetCPUUtilizationPercentage}`, 'a whole number > 0');
  }
  (Array.isArray(spec.metrics) ? spec.metrics : []).forEach((metric: KubeObject, i: number) => checkMetric(metric, `spec.metrics[${i}]`, add));
  if (isObject(spec.behavior)) {
    for (const direction of ['scaleUp', 'scaleDown']) if (isObject(spec.behavior[direction])) checkScalingRules(spec.behavior[direction], `spec.behavior.${direction}`, add);
  }
}

// ValidateCrossVersionObjectReference: kind and name required, each a path segment name.
function checkReference(ref: unknown, at: string, add: Add): void {
  if (!isObject(ref)) return;
  for (const field of ['kind', 'name']) {
    const value = ref[field];
    if (value === '') add(`${at}.${field}`, `the reference has an empty ${field}`, `the ${field} of the target`);
    else if (typeof value === 'string' && !isPathSegmentName(value)) add(`${at}.${field}`, `${field} "${value}" is not valid`, PATH_SEGMENT_RULE);
  }
}

// validateMetricSpec: a known type, and exactly its own source.
function checkMetric(metric: KubeObject, at: string, add: Add): void {
  if (!isObject(metric)) return;
  // Own keys only (an object literal): "constructor" or "toString" is no metric type.
  const expected = Object.hasOwn(METRIC_TYPES, metric.type) ? METRIC_TYPES[metric.type] : undefined;
  if (metric.type === undefined || metric.type === '') add(`${at}.type`, 'the metric has no type', Object.keys(METRIC_TYPES).join(', '));
  else if (!expected) add(`${at}.type`, `"${metric.type}" is not a supported value`, `one of ${Object.keys(METRIC_TYPES).join(', ')}`);
  const present = Object.values(METRIC_TYPES).filter((field) => metric[field] !== undefined && metric[field] !== null);
  if (expected && !present.includes(expected)) add(`${at}.${expected}`, `a ${metric.type} metric without its ${expected} source`, `${expected}, the source of a ${metric.type} metric`);
  for (const field of present) {
    if (expected && field !== expected) add(`${at}.${field}`, `a ${metric.type} metric also sets ${field}`, `only ${expected}`);
  }
  const source = expected ? metric[expected] : undefined;
  if (!isObject(source)) return;
  const target = isObject(source.target) ? source.target : {};
  const tat = `${at}.${expected}.target`;
  checkTarget(source.target, tat, add);
  const has = (field: string) => target[field] !== undefined && target[field] !== null;
  switch (metric.type) {
    case 'Resource':
    case 'ContainerResource': // validateResourceSource / validateContainerResourceSource
      if (typeof source.name !== 'string' || source.name === '') add(`${at}.${expected}.name`, 'the metric names no resource', 'cpu or memory');
      if (metric.type === 'ContainerResource' && (typeof source.container !== 'string' || source.container === '')) add(`${at}.${expected}.container`, 'the metric names no container', 'a container name');
      if (!has('averageUtilization') && !has('averageValue')) add(`${tat}.averageUtilization`, 'the target sets neither averageUtilization nor averageValue', 'one of averageUtilization (percent of the request) or averageValue');
      else if (has('averageUtilization') && has('averageValue')) add(`${tat}.averageValue`, 'the target sets both averageUtilization and averageValue', 'one of them');
      break;
    case 'Pods': // validatePodsSource
      checkMetricName(source.metric, `${at}.pods.metric`, add);
      if (!has('averageValue')) add(`${tat}.averageValue`, 'a Pods metric target has no averageValue', 'a positive averageValue');
      break;
    case 'Object': // validateObjectSource
      checkReference(source.describedObject, `${at}.object.describedObject`, add);
      checkMetricName(source.metric, `${at}.object.metric`, add);
      if (!has('value') && !has('averageValue')) add(`${tat}.averageValue`, 'an Object metric target has neither value nor averageValue', 'value or averageValue');
      break;
    case 'External': // validateExternalSource
      checkMetricName(source.metric, `${at}.external.metric`, add);
      if (!has('value') && !has('averageValue')) add(`${tat}.averageValue`, 'an External metric target has neither value nor averageValue', 'value or averageValue');
      else if (has('value') && has('averageValue')) add(`${tat}.value`, 'an External metric target sets both value and averageValue', 'one of them');
      break;
    default: break;
  }
}

// validateMetricIdentifier
function checkMetricName(metric: unknown, at: string, add: Add): void {
  const name = isObject(metric) ? metric.name : undefined;
  if (typeof name !== 'string' || name === '') add(`${at}.name`, 'the metric has no name', 'a metric name');
}

// validateMetricTarget
function checkTarget(target: unknown, at: string, add: Add): void {
  if (!isObject(target)) { add(`${at}.type`, 'the metric has no target', 'a target with type Utilization, Value or AverageValue'); return; }
  if (target.type === undefined || target.type === '') add(`${at}.type`, 'the target has no type', 'Utilization, Value or AverageValue');
  else checkEnum(target.type, ['Utilization', 'Value', 'AverageValue'], `${at}.type`, add);
  for (const field of ['value', 'averageValue']) {
    if (target[field] === undefined || target[field] === null) continue;
    const value = parseQuantity(target[field]);
    if (value === undefined || value <= 0) add(`${at}.${field}`, `${field} ${target[field]} is not a positive quantity`, 'a quantity > 0');
  }
  if (target.averageUtilization !== undefined && target.averageUtilization !== null && !(isInt(target.averageUtilization) && target.averageUtilization >= 1)) {
    add(`${at}.averageUtilization`, `averageUtilization is ${target.averageUtilization}`, 'a whole number > 0 (percent of the request)');
  }
}

// validateScalingRules and validateScalingPolicy
function checkScalingRules(rules: KubeObject, at: string, add: Add): void {
  const window = rules.stabilizationWindowSeconds;
  if (typeof window === 'number' && (window < 0 || window > 3600)) add(`${at}.stabilizationWindowSeconds`, `stabilizationWindowSeconds is ${window}`, 'from 0 to 3600');
  checkEnum(rules.selectPolicy, ['Max', 'Min', 'Disabled'], `${at}.selectPolicy`, add);
  const policies = Array.isArray(rules.policies) ? rules.policies : [];
  // SetDefaults_HorizontalPodAutoscalerBehavior fills policies left out; an explicit [] stays.
  if (Array.isArray(rules.policies) && policies.length === 0) add(`${at}.policies`, 'no scaling policy', 'at least one policy');
  policies.forEach((p: KubeObject, i: number) => {
    if (!isObject(p)) return;
    checkEnum(p.type, ['Pods', 'Percent'], `${at}.policies[${i}].type`, add);
    if (!(typeof p.value === 'number' && p.value > 0)) add(`${at}.policies[${i}].value`, `value is ${p.value}`, 'a whole number > 0');
    if (!(typeof p.periodSeconds === 'number' && p.periodSeconds > 0 && p.periodSeconds <= 1800)) add(`${at}.policies[${i}].periodSeconds`, `periodSeconds is ${p.periodSeconds}`, 'from 1 to 1800');
  });
}
