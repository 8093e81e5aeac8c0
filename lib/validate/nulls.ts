import { Located } from './problem';

/**
 * The manifests as the API server reads them: a field whose value is JSON null is "not set".
 * The server decodes with sigs.k8s.io/json (k8s.io/apimachinery pkg/runtime/serializer/json/json.go),
 * which keeps encoding/json's rule that null leaves a field at its zero value (a pointer, map or
 * slice nil, i.e. omitted), and a strategic merge patch's null deletes the field (k8s.io/apimachinery
 * pkg/util/strategicpatch/patch.go mergeMap). So `rollingUpdate: null` or `creationTimestamp: null`
 * mean "absent". A null item inside a list is not absent (it decodes to an empty item) and stays
 * for the checks to judge. The input is not changed: a part with a null field is copied, any other
 * part is returned as it is, once per part (YAML aliases share a part: copying each use of it
 * multiplied a document by its aliases, 1.3 GB for 50 MB of them).
 */
export function withoutNullFields(items: readonly Located[]): Located[] {
  return items.map((item) => {
    try {
      const object = withoutNullValues(item.object);
      return object === item.object ? item : { ...item, object };
    } catch {
      // An object no manifest can hold (a throwing getter): the checks' own guard reports it.
      return item;
    }
  });
}

/** One value without its null fields (null list items stay): copies only the branches that hold a null. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withoutNullValues(value: unknown): any {
  if (value === null || typeof value !== 'object' || nullFree.has(value)) return value;
  // Most objects hold no null field: found by a walk that allocates nothing, where dropNulls keeps
  // a map of every node (shared YAML aliases may make that walk long: it gives up past a bound).
  if (!mayHoldNullField(value, { left: NULL_SCAN_NODES })) {
    nullFree.add(value);
    return value;
  }
  const result = dropNulls(value, new Map());
  if (result !== null && typeof result === 'object') nullFree.add(result);
  return result;
}

// Values already returned without nulls: the schema check asks again for each version, and each
// walk of an object 1,000 levels deep cost as much as reading it. The checks copy, never change,
// what they are given, so a value once free of nulls stays so for the rest of the validation; the
// caller may change it between two validations, so each starts a new set (newNullScope). Within
// one, its inputs are read for the CRDs and namespaces they hold, then judged: one walk serves both.
let nullFree = new WeakSet<object>();

/** Starts a validation: what was found free of nulls before is not trusted (the caller may have set a field to null since). */
export function newNullScope(): void {
  nullFree = new WeakSet<object>();
}

/** Whether nulls.ts has found this value free of null fields (then nullFieldPaths finds none). */
export function knownNullFree(value: unknown): boolean {
  return value !== null && typeof value === 'object' && nullFree.has(value);
}

// Nodes the allocation-free walk visits before it leaves the question to dropNulls, which walks a
// shared node once: an object of aliases may expand to a hundred times its text.
const NULL_SCAN_NODES = 1_000_000;

// True when a field holds null, or when the walk ran past its bound (then it does not know).
function mayHoldNullField(value: unknown, budget: { left: number }): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (--budget.left < 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (mayHoldNullField(value[i], budget)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (field === null || mayHoldNullField(field, budget)) return true;
  }
  return false;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function dropNulls(value: unknown, seen: Map<object, unknown>): any {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  let result: unknown;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item, i) => {
      const kept = dropNulls(item, seen);
      if (kept !== item && !copy) copy = value.slice(0, i);
      copy?.push(kept);
    });
    result = copy ?? value;
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let copy: Record<string, unknown> | undefined;
    // defineProperty: a key named `__proto__` stays a plain field instead of replacing the prototype.
    const set = (target: Record<string, unknown>, key: string, field: unknown) => Object.defineProperty(target, key, { value: field, enumerable: true, writable: true, configurable: true });
    keys.forEach((key, i) => {
      const field = record[key];
      const kept = field === null ? undefined : dropNulls(field, seen);
      if (!copy && (field === null || kept !== field)) {
        copy = {};
        for (const earlier of keys.slice(0, i)) set(copy, earlier, record[earlier]);
      }
      if (copy && field !== null) set(copy, key, kept);
    });
    result = copy ?? value;
  }
  seen.set(value, result);
  return result;
}

/**
 * Where an object's fields hold null, as path segments (list items that are null are not fields),
 * at most `limit` of them. The server's strict decoding names a null field the kind does not have
 * ("unknown field") though it reads a known one as unset, so the schema check asks of each
 * whether the kind has it (index.ts). Shared values (YAML aliases) are walked once.
 */
export function nullFieldPaths(value: unknown, limit = 100): (string | number)[][] {
  const paths: (string | number)[][] = [];
  if (knownNullFree(value)) return paths;
  const seen = new Set<object>();
  // One path stack, copied only for a null found: a copy per node cost the square of the depth
  // (ConfigMaps of lists 1,000 deep: 16 ms each).
  const at: (string | number)[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node) || paths.length >= limit) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        at.push(i);
        walk(node[i]);
        at.pop();
      }
      return;
    }
    for (const key of Object.keys(node)) {
      if (paths.length >= limit) return;
      const field = (node as Record<string, unknown>)[key];
      if (field === null) paths.push([...at, key]);
      else {
        at.push(key);
        walk(field);
        at.pop();
      }
    }
  };
  walk(value);
  return paths;
}
