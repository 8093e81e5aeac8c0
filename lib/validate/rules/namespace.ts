import { isObject } from '../pods';
import { KubeObject } from '../problem';
import { Add, checkName, checkQualifiedName } from './common';

const LEVELS = ['privileged', 'baseline', 'restricted'];
const PSA_VERSION = /^v1\.([0-9]|[1-9][0-9]*)$/;
/** Go's largest int (64-bit): ParseVersion reads the minor version with strconv.Atoi, which refuses more. */
const MAX_INT = '9223372036854775807';

// pod-security-admission api ParseVersion: "v1.x" where x matches the pattern and fits an int.
function isPsaVersion(version: string): boolean {
  const minor = PSA_VERSION.exec(version)?.[1];
  return minor !== undefined && (minor.length < MAX_INT.length || (minor.length === MAX_INT.length && minor <= MAX_INT));
}

// k8s.io/kubernetes pkg/apis/core/validation ValidateNamespace: finalizers are qualified names.
// And the PodSecurity admission plugin, on in every API server, refuses a Namespace whose
// pod-security labels do not parse (staging/src/k8s.io/pod-security-admission/api/helpers.go
// PolicyToEvaluate: ParseLevel, ParseVersion).
export function checkNamespace(object: KubeObject, add: Add): void {
  const labels = isObject(object.metadata?.labels) ? object.metadata.labels : {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    const level = labels[`pod-security.kubernetes.io/${mode}`];
    if (typeof level === 'string' && !LEVELS.includes(level)) add(`metadata.labels.pod-security.kubernetes.io/${mode}`, `Pod Security level ${JSON.stringify(level)} is not a level`, `one of ${LEVELS.join(', ')}`);
    const version = labels[`pod-security.kubernetes.io/${mode}-version`];
    if (typeof version === 'string' && version !== 'latest' && !isPsaVersion(version)) add(`metadata.labels.pod-security.kubernetes.io/${mode}-version`, `Pod Security version ${JSON.stringify(version)} is not a version`, '"latest" or "v1.x", e.g. v1.34');
  }
  (Array.isArray(object.spec?.finalizers) ? object.spec.finalizers : []).forEach((f: unknown, i: number) => {
    if (typeof f === 'string') checkQualifiedName(f, `spec.finalizers[${i}]`, 'finalizer', add);
  });
}

// core ValidateServiceAccount judges the ObjectMeta only: the Secrets and pull Secrets it names are
// accepted whatever their names, but no Secret can have a name that is not a DNS subdomain, so
// such a reference can never resolve (a warning).
export function checkServiceAccount(object: KubeObject, add: Add): void {
  for (const field of ['secrets', 'imagePullSecrets']) {
    (Array.isArray(object[field]) ? object[field] : []).forEach((ref: KubeObject, i: number) => {
      const warn: Add = (path, message, allowed) => add(path, `${message}: no Secret can have this name`, allowed, 'warning');
      if (isObject(ref) && typeof ref.name === 'string') checkName(ref.name, `${field}[${i}].name`, 'Secret name', 'subdomain', warn);
    });
  }
}
