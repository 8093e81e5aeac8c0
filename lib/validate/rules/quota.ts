import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkQualifiedName, checkQuantity } from './common';

/**
 * ResourceQuota and LimitRange: k8s.io/kubernetes pkg/apis/core/validation ValidateResourceQuota
 * and ValidateLimitRange. Their values are quantities, which the API server must decode first.
 */

// pkg/apis/core/helper integerResources: quotas of objects count whole objects.
const INTEGER_RESOURCES = new Set(['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);

// pkg/apis/core/helper IsIntegerResourceName: those, and extended resources (IsExtendedResourceName:
// a name with "/" outside *kubernetes.io/, not starting with "requests.", that is a qualified name
// behind "requests."), such as count/deployments.apps or example.com/gpu.
function isIntegerResource(resource: string): boolean {
  if (INTEGER_RESOURCES.has(resource)) return true;
  if (!resource.includes('/') || resource.includes('kubernetes.io/') || resource.startsWith('requests.')) return false;
  let qualified = true;
  checkQualifiedName(`requests.${resource}`, '', '', () => { qualified = false; });
  return qualified;
}

// ValidateResourceQuotaSpec / ValidateResourceQuantityValue: each hard limit a quantity >= 0, a
// whole number for counted objects.
export function checkResourceQuota(object: KubeObject, add: Add): void {
  const hard = object.spec?.hard;
  if (!isObject(hard)) return;
  for (const [resource, value] of Object.entries(hard)) {
    const at = `spec.hard.${resource}`;
    const parsed = checkQuantity(value, at, add, 'nonnegative');
    if (parsed !== undefined && parsed >= 0 && isIntegerResource(resource) && !Number.isInteger(Math.round(parsed * 1000) / 1000)) {
      add(at, `${value} ${resource} is not a whole number`, 'a whole number of objects');
    }
  }
}

const LIMIT_FIELDS = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'];

// ValidateLimitRange: every value a quantity (its validation compares them but refuses no sign),
// and min <= defaultRequest <= default <= max where given.
export function checkLimitRange(object: KubeObject, add: Add): void {
  (Array.isArray(object.spec?.limits) ? object.spec.limits : []).forEach((limit: KubeObject, i: number) => {
    if (!isObject(limit)) return;
    const values: Record<string, Record<string, number>> = {};
    for (const field of LIMIT_FIELDS) {
      if (!isObject(limit[field])) continue;
      values[field] = {};
      for (const [resource, value] of Object.entries(limit[field])) {
        const parsed = checkQuantity(value, `spec.limits[${i}].${field}.${resource}`, add);
        if (parsed !== undefined) values[field][resource] = parsed;
      }
    }
    const order: [string, string][] = [['min', 'max'], ['min', 'defaultRequest'], ['defaultRequest', 'max'], ['defaultRequest', 'default'], ['min', 'default'], ['default', 'max']];
    for (const [low, high] of order) {
      for (const [resource, lowValue] of Object.entries(values[low] ?? {})) {
        const highValue = values[high]?.[resource];
        if (highValue !== undefined && lowValue > highValue) {
          add(`spec.limits[${i}].${low}.${resource}`, `${low} ${limit[low][resource]} of ${resource} is greater than ${high} ${limit[high][resource]}`, `${low} <= ${high}`);
        }
      }
    }
  });
}
