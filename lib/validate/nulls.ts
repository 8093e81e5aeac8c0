import { Located } from './problem';

/**
 * The manifests as the API server reads them: a field whose value is JSON null is "not set".
 * The server decodes with sigs.k8s.io/json (k8s.io/apimachinery pkg/runtime/serializer/json/json.go),
 * which keeps encoding/json's rule that null leaves a field at its zero value (a pointer, map or
 * slice nil, i.e. omitted), and a strategic merge patch's null deletes the field (k8s.io/apimachinery
 * pkg/util/strategicpatch/patch.go mergeMap). So `rollingUpdate: null` or `creationTimestamp: null`
 * mean "absent". A null item inside a list is not absent (it decodes to an empty item) and stays
 * for the checks to judge. Returns copies; the input is not changed.
 */
export function withoutNullFields(items: readonly Located[]): Located[] {
  return items.map((item) => ({ ...item, object: dropNulls(item.object) }));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function dropNulls(value: unknown): any {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    // defineProperty: a key named `__proto__` stays a plain field instead of replacing the prototype.
    if (field !== null) Object.defineProperty(out, key, { value: dropNulls(field), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
