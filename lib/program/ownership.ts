import { INSTANCE_LABEL, PART_OF_LABEL } from '../components/chart';
import { APP_NAME } from '../components/workload';
import type { PruneScope } from '../plan/kubectl';
import { KubeObject } from '../plan/objects';
import { buildApp } from './app';
import { readConfig } from './config';
import { ENVIRONMENT_NAMES } from './environments';

/**
 * What one `kubectl apply` of the output owns, and so may prune. The main environment owns the
 * objects of every environment name in the namespace it is applied to, so that switching
 * ENVIRONMENT from prod to dev removes prod's autoscalers and budgets. A preview output owns
 * exactly its previews: applying one never touches another, and a preview is closed on purpose
 * (closePreviewArgs), never by leaving the list.
 */
export type ApplyScope =
  | { readonly kind: 'environment' }
  | { readonly kind: 'previews'; readonly names: readonly string[] };

/** Thrown when an output's objects do not say which environment or previews they belong to. */
export class OwnershipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnershipError';
  }
}

/** The label selector of a pruning apply: this app, and the scope's instances only. */
export function pruneSelector(scope: ApplyScope): string {
  const instances = scope.kind === 'environment' ? [...ENVIRONMENT_NAMES].sort() : [...scope.names].sort();
  return `${PART_OF_LABEL}=${APP_NAME},${INSTANCE_LABEL} in (${instances.join(',')})`;
}

/**
 * Settings whose outputs together hold every kind the chart can emit: each environment and a
 * preview. A setting that adds a kind (TLS, a Gateway route) belongs here, or a pruning apply
 * would never remove that kind's objects once the setting is turned off.
 */
export const KIND_SAMPLES: readonly NodeJS.ProcessEnv[] = [
  ...ENVIRONMENT_NAMES.map((name) => ({ ENVIRONMENT: name })),
  { PREVIEWS: 'kinds-sample' },
];

/** `group/version/Kind` of an object, as `--prune-allowlist` takes it (`core` for the core group). */
export function allowlistEntry(object: KubeObject): string {
  const apiVersion = String(object.apiVersion);
  return apiVersion.includes('/') ? `${apiVersion}/${object.kind}` : `core/${apiVersion}/${object.kind}`;
}

let allowlist: string[] | undefined;

/**
 * Every kind the chart can emit, as `--prune-allowlist` entries, sorted: kubectl prunes only the
 * kinds listed (k8s.io/kubectl pkg/cmd/apply/prune.go; without a list it uses a default one with
 * Secrets and Pods and without autoscalers, budgets or NetworkPolicies). Derived by building the
 * app for each of KIND_SAMPLES.
 */
export function pruneAllowlist(): readonly string[] {
  if (!allowlist) {
    const kinds = new Set<string>();
    for (const env of KIND_SAMPLES) {
      const config = readConfig({ GIT_SHA: '0'.repeat(40), ...env }, () => undefined);
      for (const { chart } of buildApp(config)) for (const object of chart.toJson()) kinds.add(allowlistEntry(object));
    }
    allowlist = [...kinds].sort();
  }
  return allowlist;
}

/** The selector and kinds of a pruning apply of the scope. */
export function pruneScope(scope: ApplyScope, outputs: readonly (readonly KubeObject[])[] = []): PruneScope {
  // Kinds of custom resources (cert-manager's with HTTPS, Gateway API's with ROUTING=gateway) join
  // the list only when an output at hand has them: kubectl refuses a --prune-allowlist entry the
  // cluster has no resource for (prune.go ParseResources maps each through the RESTMapper), and a
  // cluster without cert-manager has none. The output that turns a setting off still prunes its
  // objects, because the previous output, which had them, is one of the outputs given.
  const kinds = new Set(pruneAllowlist());
  for (const output of outputs) for (const object of output) kinds.add(allowlistEntry(object));
  return { selector: pruneSelector(scope), allowlist: [...kinds].sort() };
}

/** The scope of an output, read from its objects' instance labels. */
export function scopeOfObjects(objects: readonly KubeObject[]): ApplyScope {
  const instances = new Set<string>();
  for (const object of objects) {
    const instance = object.metadata?.labels?.[INSTANCE_LABEL];
    if (typeof instance !== 'string' || object.metadata?.labels?.[PART_OF_LABEL] !== APP_NAME) {
      throw new OwnershipError(`${object.kind}/${object.metadata?.name} has no ${INSTANCE_LABEL} label of ${APP_NAME}: synthesize the output with this version (npm run synth)`);
    }
    instances.add(instance);
  }
  if (instances.size === 0) throw new OwnershipError('the output has no objects');
  const names = [...instances].sort();
  const environments = names.filter((name) => (ENVIRONMENT_NAMES as readonly string[]).includes(name));
  if (environments.length === names.length) return { kind: 'environment' };
  if (environments.length === 0) return { kind: 'previews', names };
  throw new OwnershipError(`the output mixes environments (${environments.join(', ')}) and previews: synthesize one or the other`);
}

/** Quotes a word for a POSIX shell when it needs it. */
function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./=:,@%+-]+$/.test(word)) return word;
  // A shell variable (the README's $PREVIEWS) must expand: double quotes.
  if (/^[^"`\\]*\$[A-Z_]+[^"`\\]*$/.test(word)) return `"${word}"`;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The pruning apply of a folder, as the README gives it. */
export function applyCommand(scope: ApplyScope, dir = 'dist', outputs: readonly (readonly KubeObject[])[] = []): string {
  const { selector, allowlist: kinds } = pruneScope(scope, outputs);
  return ['kubectl', 'apply', '-f', dir, '--prune', '-l', selector, ...kinds.map((k) => `--prune-allowlist=${k}`)].map(shellWord).join(' ');
}

/**
 * Deletes one preview's Namespace, and with it everything in it, only if it is one this app
 * created for that preview: the label selector is part of the delete itself, so a Namespace of
 * another app, of the main environment or of another preview is never matched.
 */
export function closePreviewArgs(name: string): string[] {
  return ['delete', 'namespace', '-l', `${PART_OF_LABEL}=${APP_NAME},${INSTANCE_LABEL}=${name}`, '--field-selector', `metadata.name=${name}`];
}

/** closePreviewArgs as one shell command. */
export function closePreviewCommand(name: string): string {
  return ['kubectl', ...closePreviewArgs(name)].map(shellWord).join(' ');
}

/** For the plan: the close command of a Namespace that is a preview of this app, else undefined. */
export function closeCommandOf(namespace: KubeObject): string | undefined {
  const labels = namespace.metadata?.labels ?? {};
  const name = namespace.metadata?.name;
  if (labels[PART_OF_LABEL] !== APP_NAME || labels[INSTANCE_LABEL] !== name) return undefined;
  return closePreviewCommand(name);
}
