import { FieldMeta, fieldsOf } from './patch-meta';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;
type JsonMap = Record<string, Json>;

/** How the apply client builds its patch. */
export interface MergeOptions {
  /**
   * Whether the client sends `$retainKeys` for fields tagged `retainKeys` (kubectl does since
   * apps/v1; `false` models a client that sends the same three-way patch without the directive,
   * as `kubectl patch --type strategic` with a hand-written patch does).
   * @default true
   */
  readonly retainKeys?: boolean;
}

const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);

/** A value as the API server decodes it from a patch: a field set to JSON null is "not set", at any depth. */
export function withoutNulls(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (isMap(value)) {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

/**
 * What the live object becomes when kubectl's three-way strategic merge patch, computed from the
 * last-applied configuration (original), the manifest (modified) and the live object, is applied
 * by the API server. Computed directly rather than as a patch, rule by rule from
 * k8s.io/apimachinery pkg/util/strategicpatch/patch.go: CreateThreeWayMergePatch (a change
 * from live to manifest is sent; a field in last-applied that the manifest dropped is sent as null)
 * and StrategicMergePatch on the server (null deletes; merged lists match items by their merge key;
 * `$retainKeys` clears the keys the manifest does not name).
 */
export function threeWayMerge(original: JsonMap | undefined, modified: JsonMap, live: JsonMap, type: string | undefined, options: MergeOptions = {}): JsonMap {
  return mergeMap(original ?? {}, modified, live, fieldsOf(type), options);
}

function mergeMap(original: JsonMap, modified: JsonMap, live: JsonMap, fields: Record<string, FieldMeta>, options: MergeOptions): JsonMap {
  const result: JsonMap = { ...live };
  for (const [key, m] of Object.entries(modified)) {
    const l = live[key];
    const o = original[key];
    const meta = fields[key] ?? {};
    if (m === null) {
      // diffMaps sends the manifest's null as it is; the server deletes the field.
      delete result[key];
    } else if (l === undefined || kindOf(l) !== kindOf(m)) {
      // An added field, or one whose type changed, is sent whole (diffMaps: "Key was added" / "Types have changed").
      result[key] = withoutNulls(m);
    } else if (isMap(m)) {
      result[key] = meta.strategy === 'replace'
        ? withoutNulls(m)
        : mergeNested(isMap(o) ? o : {}, m, l, meta, options);
    } else if (Array.isArray(m)) {
      result[key] = mergeList(Array.isArray(o) ? o : [], m, l, meta, options);
    } else {
      result[key] = m;
    }
  }
  // updatePatchIfMissing: a field the previous apply set and the manifest no longer has is deleted.
  for (const key of Object.keys(original)) {
    if (!(key in modified) && original[key] !== null) delete result[key];
  }
  return result;
}

function mergeNested(original: JsonMap, modified: JsonMap, live: JsonMap, meta: FieldMeta, options: MergeOptions): JsonMap {
  const merged = mergeMap(original, modified, live, fieldsOf(meta.type), options);
  return retainKeys(merged, modified, meta, options);
}

// diffMaps builds `$retainKeys` from the manifest's non-null keys whenever live differs from the
// manifest (hasAdditionalNewField), and mergeMap on the server (MergeParallelList) then drops every
// other key: e.g. a Deployment switched to Recreate loses the defaulted rollingUpdate.
function retainKeys(merged: JsonMap, modified: JsonMap, meta: FieldMeta, options: MergeOptions): JsonMap {
  if (!(meta.strategy ?? '').includes('retainKeys') || options.retainKeys === false) return merged;
  const keep = Object.keys(modified).filter((k) => modified[k] !== null);
  if (keep.length === 0) return merged;
  return Object.fromEntries(Object.entries(merged).filter(([k]) => keep.includes(k)));
}

function mergeList(original: Json[], modified: Json[], live: Json[], meta: FieldMeta, options: MergeOptions): Json[] {
  if (!(meta.strategy ?? '').startsWith('merge')) {
    // Lists without a merge strategy are atomic: sent whole when they differ, and replace the live list.
    return withoutNulls(modified);
  }
  if (meta.key === undefined) {
    // A merged list of scalars (finalizers): the manifest's items, the live ones nobody applied, minus
    // those last-applied had and the manifest dropped (`$deleteFromPrimitiveList`).
    const dropped = original.filter((v) => !modified.includes(v));
    return [...modified, ...live.filter((v) => !modified.includes(v) && !dropped.includes(v))];
  }
  const key = meta.key;
  const keyOf = (item: Json) => (isMap(item) ? JSON.stringify(item[key]) : undefined);
  const originalByKey = new Map(original.filter(isMap).map((item) => [keyOf(item), item]));
  const liveByKey = new Map(live.filter(isMap).map((item) => [keyOf(item), item]));
  const modifiedKeys = new Set(modified.map(keyOf));
  const result: Json[] = [];
  for (const m of modified) {
    const l = liveByKey.get(keyOf(m));
    const elementMeta: FieldMeta = { type: meta.type, strategy: meta.strategy?.includes('retainKeys') ? 'retainKeys' : undefined };
    result.push(l === undefined || !isMap(m) ? withoutNulls(m) : mergeNested(originalByKey.get(keyOf(m)) ?? {}, m, l, elementMeta, options));
  }
  // Items only the live object has stay, unless the previous apply made them (`$patch: delete`).
  // The server orders them among the manifest's items by $setElementOrder; kept after them here.
  for (const l of live) {
    const k = keyOf(l);
    if (!modifiedKeys.has(k) && !originalByKey.has(k)) result.push(l);
  }
  return result;
}
