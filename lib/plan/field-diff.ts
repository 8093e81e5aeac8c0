import { isObject, KubeObject } from './objects';

/**
 * Fields the API server writes itself, which differ between a live object and any manifest
 * without anything being applied (k8s.io/apimachinery pkg/apis/meta/v1 types.go ObjectMeta:
 * uid, resourceVersion, generation, creationTimestamp, managedFields are "populated by the
 * system. Read-only"), and the annotations kubectl and the Deployment controller keep.
 */
const SYSTEM_METADATA = new Set(['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']);
const SYSTEM_ANNOTATIONS = new Set([
  // kubectl's record of the last client-side apply (k8s.io/api core/v1 annotation_key_constants.go LastAppliedConfigAnnotation)
  'kubectl.kubernetes.io/last-applied-configuration',
  // the Deployment controller's rollout counter (k8s.io/kubernetes pkg/controller/deployment/util RevisionAnnotation)
  'deployment.kubernetes.io/revision',
]);

/** Top-level fields of a Secret or ConfigMap that hold values: only their keys are ever named. */
const VALUE_FIELDS = new Set(['data', 'stringData', 'binaryData']);

/**
 * Lists are compared item by item on the field Kubernetes merges them by (the patchMergeKey of
 * k8s.io/api core/v1 types.go: containers, env and volumes by `name`, volumeMounts by
 * `mountPath`, container ports by `containerPort`, Service ports by `port`, topology spread by
 * `topologyKey`), when every item has a distinct value for it; otherwise by position.
 */
const MERGE_KEYS = ['name', 'mountPath', 'containerPort', 'port', 'topologyKey', 'ip'];

/** One changed field of an object, as a path such as `spec.template.spec.containers[server].image`. */
export type FieldPath = string;

/**
 * The paths at which two versions of one object differ; a subtree that appears or goes is one
 * path. The values themselves are never part of the result, so nothing secret can leak through it.
 */
export function changedPaths(before: KubeObject, after: KubeObject): FieldPath[] {
  const paths: FieldPath[] = [];
  const hidesValues = (before.kind === 'Secret' || before.kind === 'ConfigMap') && (after.kind === 'Secret' || after.kind === 'ConfigMap');
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    if (key === 'status') continue;
    if (key === 'metadata') compareMetadata(before.metadata ?? {}, after.metadata ?? {}, paths);
    else if (hidesValues && VALUE_FIELDS.has(key)) compareValues(key, before[key], after[key], paths);
    else compare(before[key], after[key], segment('', key), paths);
  }
  return paths;
}

/** The same object, without the fields the API server writes itself. */
export function withoutSystemFields(object: KubeObject): KubeObject {
  const { status: _status, metadata = {}, ...rest } = object;
  const kept: KubeObject = Object.fromEntries(Object.entries(metadata).filter(([key]) => !SYSTEM_METADATA.has(key)));
  if (isObject(kept.annotations)) {
    const annotations = Object.fromEntries(Object.entries(kept.annotations).filter(([key]) => !SYSTEM_ANNOTATIONS.has(key)));
    if (Object.keys(annotations).length > 0) kept.annotations = annotations;
    else delete kept.annotations;
  }
  return { ...rest, metadata: kept };
}

function compareMetadata(before: KubeObject, after: KubeObject, paths: FieldPath[]): void {
  compare(withoutSystemFields({ metadata: before }).metadata, withoutSystemFields({ metadata: after }).metadata, 'metadata', paths);
}

function compareValues(field: string, before: unknown, after: unknown, paths: FieldPath[]): void {
  const asMap = (value: unknown) => (value === undefined ? {} : value);
  const old = asMap(before);
  const next = asMap(after);
  if (!isObject(old) || !isObject(next)) {
    if (!equal(old, next)) paths.push(`${field} (values hidden)`);
    return;
  }
  for (const key of [...new Set([...Object.keys(old), ...Object.keys(next)])].sort()) {
    // By content: a value that is a map or list (a corrupt file) is a new object in each version.
    if (!equal(old[key], next[key])) paths.push(`${segment(field, key)} (value hidden)`);
  }
}

function compare(before: unknown, after: unknown, path: string, paths: FieldPath[]): void {
  if (isObject(before) && isObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      compare(before[key], after[key], segment(path, key), paths);
    }
  } else if (Array.isArray(before) && Array.isArray(after)) {
    compareLists(before, after, path, paths);
  } else if (!equal(before, after)) {
    paths.push(path);
  }
}

function compareLists(before: unknown[], after: unknown[], path: string, paths: FieldPath[]): void {
  const key = MERGE_KEYS.find((candidate) => identifies(before, candidate) && identifies(after, candidate));
  if (key === undefined) {
    if (equal(before, after)) return;
    // A list of plain values (args, accessModes) is one field: kubectl replaces it whole.
    if (![...before, ...after].every(isObject) || before.length !== after.length) {
      paths.push(path);
      return;
    }
    before.forEach((item, i) => compare(item, after[i], `${path}[${i}]`, paths));
    return;
  }
  const byKey = (list: unknown[]) => new Map(list.map((item) => [String((item as KubeObject)[key]), item]));
  const old = byKey(before);
  const next = byKey(after);
  for (const id of [...new Set([...old.keys(), ...next.keys()])]) compare(old.get(id), next.get(id), `${path}[${id}]`, paths);
  if (old.size === next.size && [...old.keys()].join('\0') !== [...next.keys()].join('\0') && [...old.keys()].every((id) => next.has(id))) {
    paths.push(`${path} (order)`);
  }
}

function identifies(list: unknown[], key: string): boolean {
  if (list.length === 0) return true;
  const values = list.map((item) => (isObject(item) ? item[key] : undefined));
  return values.every((v) => typeof v === 'string' || typeof v === 'number') && new Set(values).size === values.length;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equal(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => equal(a[key], b[key]));
  }
  return false;
}

/** `parent.key`, or `parent["key"]` when the key is not a plain word (label keys, file names). */
function segment(parent: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}
