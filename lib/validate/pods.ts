import { KubeObject, objectPath } from './problem';

/** The pod template of a workload object, wherever its kind keeps it. */
export interface PodTemplate {
  /** The labels its pods get. */
  readonly labels: Record<string, string>;
  /** The pod spec. */
  readonly spec: KubeObject;
  /** Path segments from the object to the pod spec. */
  readonly specPath: readonly string[];
}

/** A container with the path to it. */
export interface ContainerAt {
  readonly container: KubeObject;
  readonly path: string;
}

const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

// The API groups serving each workload kind: a custom resource that reuses the name (a CRD's
// `Job`) has no pod template we know of.
const TEMPLATE_GROUPS: Record<string, readonly string[]> = {
  Pod: [''], ReplicationController: [''], Deployment: ['apps', 'extensions'], StatefulSet: ['apps'], DaemonSet: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'], Job: ['batch'], CronJob: ['batch'],
};

function isBuiltinWorkload(object: KubeObject): boolean {
  const groups = TEMPLATE_GROUPS[object?.kind];
  if (!groups || !Object.prototype.hasOwnProperty.call(TEMPLATE_GROUPS, object.kind)) return false;
  if (typeof object.apiVersion !== 'string') return true;
  const slash = object.apiVersion.indexOf('/');
  return groups.includes(slash < 0 ? '' : object.apiVersion.slice(0, slash));
}

export function podTemplate(object: KubeObject): PodTemplate | undefined {
  // Own keys only (isBuiltinWorkload): `kind: toString` is no workload. Every kind it admits but
  // Pod has a path in TEMPLATE_PATHS.
  if (!isBuiltinWorkload(object)) return undefined;
  if (object.kind === 'Pod') {
    return isObject(object.spec) ? { labels: isObject(object.metadata?.labels) ? object.metadata.labels : {}, spec: object.spec, specPath: ['spec'] } : undefined;
  }
  const at = TEMPLATE_PATHS[object.kind];
  let template: unknown = object;
  for (const key of at) template = isObject(template) ? (template as KubeObject)[key] : undefined;
  if (!isObject(template) || !isObject((template as KubeObject).spec)) return undefined;
  const t = template as KubeObject;
  return { labels: isObject(t.metadata?.labels) ? t.metadata.labels : {}, spec: t.spec, specPath: [...at, 'spec'] };
}

/** Init and app containers of a pod spec, each with its dotted path from the object. */
export function containersOf(template: PodTemplate): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const field of ['initContainers', 'containers']) {
    const list = template.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container, i) => {
      if (isObject(container)) out.push({ container, path: objectPath([...template.specPath, field, i]) });
    });
  }
  return out;
}

/** The namespace an object lands in when applied without `-n`: its own, or the context's. */
export function namespaceOf(object: KubeObject): string {
  return typeof object?.metadata?.namespace === 'string' ? object.metadata.namespace : '';
}

/** Whether every label of the selector is on the pod. An empty selector selects nothing here. */
export function selects(selector: Record<string, unknown> | undefined, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

export function isObject(value: unknown): value is KubeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
