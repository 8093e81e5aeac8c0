import { INSTANCE_LABEL, PART_OF_LABEL } from '../components/chart';
import { APP_NAME } from '../components/workload';
import type { PruneScope } from '../plan/kubectl';
import { identityOf, KubeObject } from '../plan/objects';
import { inNamespace, parseSelector, pruneTargets, selectorMatches } from '../plan/prune';
import { shellCommand, shellWord, shown } from '../plan/text';
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
 * Settings whose outputs together hold every built-in kind the chart can emit, by scope: the main
 * environment's (each environment: the apply of one prunes the other's autoscalers and budgets)
 * and the previews' (a preview). A setting that adds a built-in kind belongs here, or a pruning
 * apply would never remove that kind's objects once the setting is turned off. Kinds of custom
 * resources, and those of components of your own (buildApp's extend: an AppCronJob's CronJob),
 * join from the outputs at hand (pruneScope).
 */
export const KIND_SAMPLES_BY_SCOPE: Readonly<Record<ApplyScope['kind'], readonly NodeJS.ProcessEnv[]>> = {
  environment: ENVIRONMENT_NAMES.map((name) => ({ ENVIRONMENT: name })),
  previews: [{ PREVIEWS: 'kinds-sample' }],
};

/** Every sample of KIND_SAMPLES_BY_SCOPE. */
export const KIND_SAMPLES: readonly NodeJS.ProcessEnv[] = [...KIND_SAMPLES_BY_SCOPE.environment, ...KIND_SAMPLES_BY_SCOPE.previews];

/** `group/version/Kind` of an object, as `--prune-allowlist` takes it (`core` for the core group). */
export function allowlistEntry(object: KubeObject): string {
  const apiVersion = String(object.apiVersion);
  return apiVersion.includes('/') ? `${apiVersion}/${object.kind}` : `core/${apiVersion}/${object.kind}`;
}

const allowlists = new Map<string, string[]>();

/**
 * The built-in kinds a pruning apply of the scope lists, as `--prune-allowlist` entries, sorted:
 * kubectl prunes only the kinds listed (k8s.io/kubectl pkg/cmd/apply/prune.go; without a list it
 * uses a default one with Secrets and Pods and without autoscalers, budgets or NetworkPolicies).
 * Derived by building the app for each of the scope's samples; without a scope, both scopes'.
 * Each kind listed is one more LIST the deployer must be allowed (lib/components/deployer.ts),
 * so a scope lists only what its own outputs can hold: the main environment never emits a
 * Namespace (its namespace is the one kubectl applies to), previews never an autoscaler.
 */
export function pruneAllowlist(scope?: ApplyScope['kind']): readonly string[] {
  const key = scope ?? 'both';
  if (!allowlists.has(key)) {
    const samples = scope ? KIND_SAMPLES_BY_SCOPE[scope] : KIND_SAMPLES;
    const kinds = new Set<string>();
    for (const env of samples) {
      const config = readConfig({ GIT_SHA: '0'.repeat(40), ...env }, () => undefined);
      for (const { chart } of buildApp(config)) for (const object of chart.toJson()) kinds.add(allowlistEntry(object));
    }
    allowlists.set(key, [...kinds].sort());
  }
  return allowlists.get(key)!;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io/';

/**
 * The kinds of these objects a pruning apply of the scope lists besides the scope's built-in
 * ones: those of objects the apply's selector takes (another scope's objects are never pruned by
 * this apply, so their kinds need no LIST), but no RBAC kind: the deployer's Role and bindings
 * are an admin's to create and remove, and a pruning apply that listed them would need the right
 * to list and delete RBAC objects.
 */
export function outputKinds(scope: ApplyScope, objects: readonly KubeObject[]): string[] {
  const requirements = parseSelector(pruneSelector(scope));
  return objects.filter((o) => selectorMatches(requirements, o.metadata?.labels) && !String(o.apiVersion).startsWith(RBAC_GROUP)).map(allowlistEntry);
}

/** The selector and kinds of a pruning apply of the scope. */
export function pruneScope(scope: ApplyScope, outputs: readonly (readonly KubeObject[])[] = []): PruneScope {
  // Kinds of custom resources (cert-manager's with HTTPS, Gateway API's with ROUTING=gateway) join
  // the list only when an output at hand has them: kubectl refuses a --prune-allowlist entry the
  // cluster has no resource for (prune.go ParseResources maps each through the RESTMapper), and a
  // cluster without cert-manager has none. The output that turns a setting off still prunes its
  // objects, because the previous output, which had them, is one of the outputs given. A kind of
  // a component of your own (a CronJob) joins the same way: the samples above are built without
  // your components (main.ts's extend is not known here), so the outputs are where it shows, and
  // the output that drops the component still prunes its objects.
  const kinds = new Set(pruneAllowlist(scope.kind));
  for (const output of outputs) for (const kind of outputKinds(scope, output)) kinds.add(kind);
  return { selector: pruneSelector(scope), allowlist: [...kinds].sort() };
}

/**
 * The namespace kubectl applies objects without one to, in the model of an apply over two
 * outputs: any name works that no preview can have, as both outputs' objects get the same one.
 */
const CONTEXT_NAMESPACE = 'default';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Of the objects of `before` (an output applied earlier), those the pruning apply of `after`
 * (the command applyCommand prints for it) deletes, as a test: modelled by lib/plan/prune.ts
 * pruneTargets, with every object of `before` taken as applied by kubectl (so it carries the
 * last-applied annotation prune looks for). An apply of previews does not visit the main
 * environment's namespace, and its selector names only its previews: switching the output from
 * the main environment to previews, or dropping a preview, deletes nothing.
 */
export function prunedByApply(before: readonly KubeObject[], after: readonly KubeObject[]): (object: KubeObject) => boolean {
  const scope = scopeOfObjects(after);
  const model = { scope: pruneScope(scope, [before, after]), namespace: CONTEXT_NAMESPACE };
  const live = inNamespace(before, CONTEXT_NAMESPACE).map((o) => ({ ...o, metadata: { ...o.metadata, annotations: { ...o.metadata?.annotations, [LAST_APPLIED]: '{}' } } }));
  const deleted = new Set(pruneTargets(live, after, model).map(identityOf));
  return (object) => deleted.has(identityOf(inNamespace([object], CONTEXT_NAMESPACE)[0]));
}

/** The scope of an output, read from its objects' instance labels. */
export function scopeOfObjects(objects: readonly KubeObject[]): ApplyScope {
  const instances = new Set<string>();
  for (const object of objects) {
    const instance = object.metadata?.labels?.[INSTANCE_LABEL];
    if (typeof instance !== 'string' || object.metadata?.labels?.[PART_OF_LABEL] !== APP_NAME) {
      throw new OwnershipError(`${shown(object.kind)}/${shown(object.metadata?.name)} has no ${INSTANCE_LABEL} label of ${APP_NAME}: synthesize the output with this version (npm run synth)`);
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

/**
 * A word for the shell (lib/plan/text.ts shellWord), but for a label selector that names a shell
 * variable for its previews (the README's `$PREVIEWS`), which must expand: double quotes, and
 * only for the selector whose instances are exactly `$PREVIEWS`.
 */
function selectorWord(selector: string): string {
  if (selector === pruneSelector({ kind: 'previews', names: ['$PREVIEWS'] })) return `"${selector}"`;
  return shellWord(selector);
}

/** The pruning apply of a folder, as the README gives it. */
export function applyCommand(scope: ApplyScope, dir = 'dist', outputs: readonly (readonly KubeObject[])[] = []): string {
  const { selector, allowlist: kinds } = pruneScope(scope, outputs);
  return [shellCommand(['kubectl', 'apply', '-f', dir, '--prune', '-l']), selectorWord(selector), shellCommand(kinds.map((k) => `--prune-allowlist=${k}`))].join(' ');
}

/**
 * The label only this app's creation of a preview's Namespace sets (lib/program/open-preview-command.ts),
 * to the Namespace's own uid, which the API server assigns at creation: the synth never writes it,
 * so a `kubectl apply` that adopts an existing namespace (it patches what exists, adding the
 * output's labels) cannot set it, and a namespace deleted and created again under the same name
 * has another uid.
 */
export const NAMESPACE_MARK = 'multi-k8s/namespace-uid';

/** Whether a live Namespace carries this app's mark: its NAMESPACE_MARK label equals its uid. */
export function hasNamespaceMark(namespace: KubeObject): boolean {
  const uid = namespace.metadata?.uid;
  return typeof uid === 'string' && uid !== '' && namespace.metadata?.labels?.[NAMESPACE_MARK] === uid;
}

/**
 * Deletes one preview's Namespace, and with it everything in it, only if it carries this app's
 * labels for that preview and the mark of its creation: the selector is part of the delete, so a
 * namespace this app did not create (even one an apply adopted, which has the labels but not the
 * mark) is never matched. Without Node, a label selector cannot compare the mark with the uid:
 * `npm run close-preview` does (closePreview in close-preview-command.ts).
 */
export function closePreviewArgs(name: string): string[] {
  return ['delete', 'namespace', '-l', `${PART_OF_LABEL}=${APP_NAME},${INSTANCE_LABEL}=${name},${NAMESPACE_MARK}`, '--field-selector', `metadata.name=${name}`];
}

/** closePreviewArgs as one shell command. */
export function closePreviewCommand(name: string): string {
  return shellCommand(['kubectl', ...closePreviewArgs(name)]);
}

/** For the plan: the close command of a Namespace that is a preview of this app, else undefined. */
export function closeCommandOf(namespace: KubeObject): string | undefined {
  const labels = namespace.metadata?.labels ?? {};
  const name = namespace.metadata?.name;
  if (labels[PART_OF_LABEL] !== APP_NAME || labels[INSTANCE_LABEL] !== name || typeof name !== 'string') return undefined;
  return shellCommand(['npm', 'run', 'close-preview', '--', name]);
}

/**
 * The command that creates, or checks, the Namespaces of the previews in a folder before their
 * apply (lib/program/open-preview-command.ts): the apply would adopt a namespace that exists.
 */
export function openPreviewCommand(dir = 'dist'): string {
  return shellCommand(['npm', 'run', 'open-preview', '--', dir]);
}

/** The apply of a folder as `plan` prints it: the previews' Namespaces opened first. */
export function planApplyCommand(scope: ApplyScope, dir = 'dist', outputs: readonly (readonly KubeObject[])[] = []): string {
  const apply = applyCommand(scope, dir, outputs);
  return scope.kind === 'previews' ? `${openPreviewCommand(dir)} && ${apply}` : apply;
}
