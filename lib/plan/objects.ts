import { shellCommand, shown } from './text';

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

/** How a line names an object: `Kind/name`, with ` (namespace)` when it has one; each part as `shown` prints it. */
export function displayName(object: KubeObject): string {
  const namespace = object.metadata?.namespace;
  return `${shown(object.kind)}/${shown(object.metadata?.name)}${namespace ? ` (${shown(namespace)})` : ''}`;
}

/** The `-n NAMESPACE` words of a kubectl command for the object, or none. */
export function namespaceWords(object: KubeObject): string[] {
  const namespace = object.metadata?.namespace;
  return namespace ? ['-n', String(namespace)] : [];
}

/** Longest name of any Kubernetes object (a DNS subdomain, k8s.io/apimachinery pkg/util/validation IsDNS1123Subdomain). */
const MAX_NAME = 253;

/**
 * A kubectl command about the object, quoted for the shell, in backquotes as the plan prints
 * commands; for a word longer than any object's name, which no cluster holds, a note instead.
 */
export function kubectlCommand(...words: readonly string[]): string {
  const long = words.find((word) => word.length > MAX_NAME + 'deployment/'.length);
  if (long !== undefined) return `(no kubectl command: a name of ${long.length} characters, longer than Kubernetes allows)`;
  return `\`${shellCommand(['kubectl', ...words])}\``;
}

/** True for a plain object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
