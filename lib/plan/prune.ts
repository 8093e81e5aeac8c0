import type { PruneScope } from './kubectl';
import { groupOf, identityOf, KubeObject } from './objects';

/** One requirement of a label selector. */
export interface Requirement {
  /** The label key. */
  readonly key: string;
  /** `in` (also `=`, `==`), `notin` (also `!=`), `exists` (`key`), `!exists` (`!key`). */
  readonly operator: 'in' | 'notin' | 'exists' | '!exists';
  /** The values, for `in` and `notin`. */
  readonly values: readonly string[];
}

/**
 * Parses a label selector as kubectl's `-l` takes it (k8s.io/apimachinery pkg/labels/selector.go
 * Parse): comma-separated requirements, all of which must hold; `key=value`, `key==value`,
 * `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key`, `!key`.
 */
export function parseSelector(text: string): Requirement[] {
  const requirements: Requirement[] = [];
  const parts = text.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  for (const raw of parts) {
    const part = raw.trim();
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    const equality = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (set) requirements.push({ key: set[1], operator: set[2] as 'in' | 'notin', values: set[3].split(',').map((v) => v.trim()) });
    else if (equality) requirements.push({ key: equality[1], operator: equality[2] === '!=' ? 'notin' : 'in', values: [equality[3]] });
    else if (/^!\S+$/.test(part)) requirements.push({ key: part.slice(1), operator: '!exists', values: [] });
    else if (/^\S+$/.test(part)) requirements.push({ key: part, operator: 'exists', values: [] });
    else throw new Error(`not a label selector requirement: "${part}"`);
  }
  return requirements;
}

/** Does an object with these labels match every requirement? A missing key matches `notin` and `!=`. */
export function selectorMatches(requirements: readonly Requirement[], labels: Readonly<Record<string, string>> | undefined): boolean {
  return requirements.every(({ key, operator, values }) => {
    const value = labels?.[key];
    switch (operator) {
      case 'in': return value !== undefined && values.includes(value);
      case 'notin': return value === undefined || !values.includes(value);
      case 'exists': return value !== undefined;
      case '!exists': return value === undefined;
    }
  });
}

/**
 * Kinds the API serves cluster-wide (no namespace): kubectl lists these across the cluster when
 * pruning, namespaced kinds only in the namespaces it applied to. Built-in kinds: every kind
 * kube-apiserver v1.34 lists with `kubectl api-resources --namespaced=false` (their registry
 * strategies answer NamespaceScoped() false, k8s.io/kubernetes pkg/registry/core/namespace/strategy.go
 * and the like; test/plan/prune.test.ts asks the server); ClusterIssuer (cert-manager) and
 * GatewayClass (Gateway API) are CRDs with `scope: Cluster`.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'IngressClass',
  'PriorityClass', 'CustomResourceDefinition', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ComponentStatus', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'SelfSubjectReview',
  'TokenReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'CertificateSigningRequest',
  'FlowSchema', 'PriorityLevelConfiguration', 'IPAddress', 'ServiceCIDR', 'RuntimeClass', 'DeviceClass', 'ResourceSlice',
  'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeAttributesClass',
  'ClusterIssuer', 'GatewayClass',
]);

/** What a model of a pruning apply needs to know besides the objects. */
export interface PruneModel {
  /** The selector and allowlist of the apply. */
  readonly scope: PruneScope;
  /** The namespace of kubectl's context, given to manifests without one. @default `default` */
  readonly namespace?: string;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manifests with kubectl's namespace filled in where a namespaced one has none. */
export function inNamespace(objects: readonly KubeObject[], namespace = 'default'): KubeObject[] {
  return objects.map((o) => (CLUSTER_SCOPED_KINDS.has(o.kind) || o.metadata?.namespace ? o : { ...o, metadata: { ...o.metadata, namespace } }));
}

/** The manifests an apply with `-l` sends: kubectl skips the others (k8s.io/cli-runtime resource.Builder LabelSelectorParam). */
export function appliedBy(manifests: readonly KubeObject[], scope: PruneScope): KubeObject[] {
  const requirements = parseSelector(scope.selector);
  return manifests.filter((o) => selectorMatches(requirements, o.metadata?.labels));
}

/**
 * The live objects a pruning apply of `manifests` deletes, as k8s.io/kubectl
 * pkg/cmd/apply/prune.go decides: of each allowlisted kind, namespaced kinds in the namespaces the
 * apply visited and cluster-scoped kinds everywhere, those matching the selector, carrying the
 * last-applied annotation (only what `kubectl apply` created), and not among the applied objects.
 */
export function pruneTargets(live: readonly KubeObject[], manifests: readonly KubeObject[], model: PruneModel): KubeObject[] {
  const applied = inNamespace(appliedBy(manifests, model.scope), model.namespace);
  const visited = new Set(applied.map(identityOf));
  const namespaces = new Set(applied.filter((o) => !CLUSTER_SCOPED_KINDS.has(o.kind)).map((o) => o.metadata.namespace));
  const kinds = new Set(model.scope.allowlist.map((entry) => {
    const parts = entry.split('/');
    return `${parts[0] === 'core' ? '' : parts[0]}\0${parts[2]}`;
  }));
  const requirements = parseSelector(model.scope.selector);
  return live.filter((o) => kinds.has(`${groupOf(o)}\0${o.kind}`)
    && (CLUSTER_SCOPED_KINDS.has(o.kind) || namespaces.has(o.metadata?.namespace))
    && selectorMatches(requirements, o.metadata?.labels)
    && o.metadata?.annotations?.[LAST_APPLIED] !== undefined
    && !visited.has(identityOf(o)));
}
