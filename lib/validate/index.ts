import { checkApiRules } from './api-rules';
import { customResourceSchemas, validateCustom } from './crd';
import { checkLinks, OperatorSecret } from './links';
import { namespaceOf } from './pods';
import { checkPolicy, PolicyException } from './policy';
import { KubeObject, Located, locate, Problem } from './problem';
import { KUBERNETES_VERSIONS, prefetchSchemas, validateSchema } from './schema';

export { formatProblem, Located, Problem } from './problem';
export { OperatorSecret } from './links';
export { formatPolicyException, PolicyException, POLICY_RULES } from './policy';

export const CHECKS = ['schema', 'api', 'link', 'policy'] as const;
export type Check = (typeof CHECKS)[number];

export interface ValidateOptions {
  /** Secrets the operator creates, which pods may reference without a manifest. @default [] */
  readonly operatorSecrets?: readonly OperatorSecret[];
  /** Policy findings accepted on purpose, each with its reason. @default [] */
  readonly policyExceptions?: readonly PolicyException[];
  /** CustomResourceDefinitions to judge custom objects by, besides those among the items. @default [] */
  readonly crds?: readonly KubeObject[];
  /** The families of checks to run. @default all */
  readonly checks?: readonly Check[];
}

/**
 * Judges manifests as the API server, the kubelet and a careful reviewer would: strict schema
 * for every Kubernetes version we target, the API server's own rules, the links between
 * objects, and the policy checks of Pod Security, kube-score, kube-linter and Polaris.
 * Returns every problem; an empty list means the manifests are clean.
 */
export function validateManifests(items: readonly Located[], options: ValidateOptions = {}): Problem[] {
  const checks = new Set(options.checks ?? CHECKS);
  const problems: Problem[] = [];
  const custom = customResourceSchemas([...(options.crds ?? []), ...items.map((item) => item.object)]);
  if (checks.has('schema')) prefetchSchemas(items.map((item) => item.object).filter((o) => !custom.has(`${String(o.apiVersion)} ${String(o.kind)}`)));
  for (const item of items) {
    if (checks.has('schema')) {
      const crd = custom.get(`${String(item.object.apiVersion)} ${String(item.object.kind)}`);
      if (crd) problems.push(...locate(item, 'schema', validateCustom(item.object, crd)));
      else for (const version of KUBERNETES_VERSIONS) problems.push(...locate(item, 'schema', validateSchema(item.object, version)));
    }
    if (checks.has('api')) problems.push(...locate(item, 'api', checkApiRules(item.object)));
  }
  // Objects link only within their namespace: checking each namespace alone keeps a run of many
  // preview namespaces linear in their number.
  for (const group of byNamespace(items)) {
    if (checks.has('link')) problems.push(...checkLinks(group, options.operatorSecrets ?? []));
    if (checks.has('policy')) problems.push(...checkPolicy(group, options.policyExceptions ?? []));
  }
  return dedupe(problems);
}

function byNamespace(items: readonly Located[]): Located[][] {
  const groups = new Map<string, Located[]>();
  for (const item of items) {
    const namespace = namespaceOf(item.object);
    const group = groups.get(namespace);
    if (group) group.push(item);
    else groups.set(namespace, [item]);
  }
  return [...groups.values()];
}

// The same mistake reported by both schema versions reads as one problem, naming both.
function dedupe(problems: Problem[]): Problem[] {
  const seen = new Map<string, Problem>();
  for (const problem of problems) {
    const generic = problem.message.replace(/ \(Kubernetes [\d.]+ schema\)$/, '');
    const key = `${problem.file}|${problem.object}|${problem.path}|${generic}|${problem.allowed}`;
    const earlier = seen.get(key);
    if (!earlier) seen.set(key, problem);
    else if (earlier.message !== problem.message) {
      seen.set(key, { ...earlier, message: `${generic} (Kubernetes ${KUBERNETES_VERSIONS.join(' and ')} schemas)` });
    }
  }
  return [...seen.values()];
}
