import { checkApiRules } from './api-rules';
import { checkLinks, OperatorSecret } from './links';
import { Located, locate, Problem } from './problem';
import { KUBERNETES_VERSIONS, saveCodeCache, validateSchema } from './schema';

export { formatProblem, Located, Problem } from './problem';
export { OperatorSecret } from './links';

export interface ValidateOptions {
  /** Secrets the operator creates, which pods may reference without a manifest. @default [] */
  readonly operatorSecrets?: readonly OperatorSecret[];
}

/**
 * Judges manifests as the API server, the kubelet and a careful reviewer would: strict schema
 * for every Kubernetes version we target, the API server's own rules, and the links between
 * objects. Returns every problem; an empty list means the manifests are clean.
 */
export function validateManifests(items: readonly Located[], options: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [];
  for (const item of items) {
    for (const version of KUBERNETES_VERSIONS) {
      problems.push(...locate(item, 'schema', validateSchema(item.object, version)));
    }
    problems.push(...locate(item, 'api', checkApiRules(item.object)));
  }
  problems.push(...checkLinks(items, options.operatorSecrets ?? []));
  saveCodeCache();
  return dedupe(problems);
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
