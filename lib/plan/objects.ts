/** A Kubernetes object as parsed from YAML. */
export type KubeObject = Record<string, any>;

/** The API group of an object: `apps` for `apps/v1`, `` for the core `v1`. */
export function groupOf(object: KubeObject): string {
  const apiVersion = String(object.apiVersion ?? '');
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/**
 * What makes two objects the same one for the API server: group, kind, namespace and name. The
 * version is left out on purpose: `autoscaling/v2` and `autoscaling/v1` serve the same objects.
 */
export function identityOf(object: KubeObject): string {
  return [groupOf(object), object.kind, object.metadata?.namespace ?? '', object.metadata?.name].join('\0');
}

/** How a line names an object: `Kind/name`, with ` (namespace)` when it has one. */
export function displayName(object: KubeObject): string {
  const namespace = object.metadata?.namespace;
  return `${object.kind}/${object.metadata?.name}${namespace ? ` (${namespace})` : ''}`;
}

/** The `-n NAMESPACE` part of a kubectl command for the object, or nothing. */
export function namespaceFlag(object: KubeObject): string {
  const namespace = object.metadata?.namespace;
  return namespace ? ` -n ${namespace}` : '';
}

/** True for a plain object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
