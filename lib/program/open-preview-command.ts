import { KubectlError, RunOptions, runKubectl } from '../plan/kubectl';
import type { KubeObject } from '../plan/objects';
import { shown } from '../plan/text';
import { safeLine } from './printing';
import { listed, maskCredentials, MAX_LISTED, shorten } from '../validate/echo';
import { InputError, readManifests } from '../validate/load';
import { APP_NAME } from '../components/workload';
import { PART_OF_LABEL } from '../components/chart';
import { hasNamespaceMark, NAMESPACE_MARK } from './ownership';
import { parseCommandLine, UsageError } from './command-line';

const USAGE = `usage: npm run open-preview -- [DIR]
Before the previews' apply: creates each preview Namespace of the output that does not exist yet
(kubectl create, in the cluster of kubectl's current context) and marks it as this app's (label
multi-k8s/namespace-uid = its uid); refuses, before creating any, a namespace of a preview's
name that this app did not create.
  DIR          the synthesized previews (PREVIEWS=... npm run synth) (default: dist)
  -h, --help   print this help and exit 0; nothing is read, kubectl does not run
  --           ends the options: the argument after it is the DIR
Exit codes: 0 every preview Namespace is this app's (created now or before), 2 otherwise: a
namespace refused, no preview Namespace in DIR, kubectl failed, or a usage error (one error: line
and this usage); then nothing is applied.`;
const SHORT_USAGE = 'npm run open-preview -- [DIR]';

/** A live object as `kubectl get -o json` prints it, or undefined for `--ignore-not-found`'s empty answer. */
export function liveNamespace(name: string, kubectl: RunOptions): KubeObject | undefined {
  const result = runKubectl(['get', 'namespace', name, '--ignore-not-found', '-o', 'json'], kubectl);
  if (result.status !== 0) throw new KubectlError(`kubectl get namespace ${shown(name)} failed: ${firstLine(result.stderr) || `exit code ${result.status}`}`);
  if (result.stdout.trim() === '') return undefined;
  const object = JSON.parse(result.stdout) as unknown;
  if (typeof object !== 'object' || object === null || Array.isArray(object)) throw new KubectlError(`kubectl get namespace ${shown(name)} answered what is not an object: ${firstLine(result.stdout)}`);
  return object as KubeObject;
}

/** kubectl's first line of output, as an error line quotes it: shortened as the validator shortens an echo (its control characters are escaped by safeLine). */
export function firstLine(text: string): string {
  // Masked before it is cut, so that no password is cut in two and half shown.
  return shorten(maskCredentials(text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? ''));
}

/** Why an existing namespace is not one this app created, for the one line that refuses it. */
export function notOursReason(namespace: KubeObject): string {
  const mark = namespace.metadata?.labels?.[NAMESPACE_MARK];
  return mark === undefined ? `it has no label ${NAMESPACE_MARK}` : `its label ${NAMESPACE_MARK}=${shown(mark)} is not its uid ${shown(namespace.metadata?.uid)}`;
}

/**
 * `npm run open-preview -- [DIR]`: before the previews' apply, creates each preview Namespace of
 * the output that does not exist, marked as this app's (ownership.ts NAMESPACE_MARK: the uid the
 * API server gave it), and refuses, before creating any, when one exists without that mark:
 * `kubectl apply` would adopt it (patch its labels, `enforce: restricted` among them) and
 * close-preview would later delete it with everything in it. `kubectl create` never adopts: it
 * fails when the name exists, so a namespace made between the check and the create is refused too.
 * Exit 0 when every preview Namespace is this app's, 2 otherwise (nothing is applied then).
 * @param kubectl how kubectl is run
 */
export function run(args: readonly string[], kubectl: RunOptions = {}): number {
  try {
    const line = parseCommandLine(args, {});
    if (line.help) {
      console.log(USAGE);
      return 0;
    }
    if (line.operands.length > 1) throw new UsageError(`one folder at most: ${line.operands.length} were given (${listed(line.operands.map((o) => shown(o)), MAX_LISTED, ' ')})`);
    const dir = line.operands[0] ?? 'dist';
    const read = readManifests([dir]);
    // One line for the first input that cannot be used, its path shortened as every name here (a DIR can be any length).
    if (read.errors.length > 0) throw new InputError(`${shown(read.errors[0].path)}: ${shorten(read.errors[0].message)}`);
    const namespaces = read.items.map((item) => item.object)
      .filter((o) => o.kind === 'Namespace' && o.apiVersion === 'v1' && o.metadata?.labels?.[PART_OF_LABEL] === APP_NAME);
    if (namespaces.length === 0) {
      console.error(safeLine(`error: ${shown(dir)} holds no preview Namespace of ${APP_NAME}: synthesize previews first (PREVIEWS=pr-12 npm run synth), then ${SHORT_USAGE}`));
      return 2;
    }
    const toCreate: KubeObject[] = [];
    const refused: string[] = [];
    for (const namespace of namespaces) {
      const name = String(namespace.metadata?.name);
      const live = liveNamespace(name, kubectl);
      if (live === undefined) toCreate.push(namespace);
      else if (!hasNamespaceMark(live)) refused.push(`error: namespace ${shown(name)} exists and this app did not create it (${notOursReason(live)}): the apply would adopt it and closing the preview would delete it; nothing was created or applied; allowed is a preview name no namespace has`);
      else console.error(safeLine(`namespace ${shown(name)}: this app's preview (${NAMESPACE_MARK}=${shown(live.metadata?.uid)})`));
    }
    if (refused.length > 0) {
      for (const line of refused) console.error(safeLine(line));
      return 2;
    }
    for (const namespace of toCreate) {
      const name = String(namespace.metadata?.name);
      // --save-config records the output's Namespace as kubectl's last apply, so the apply that
      // follows patches it quietly; the mark is not in it, so no apply ever removes it.
      const created = runKubectl(['create', '--save-config', '-o', 'json', '-f', '-'], kubectl, JSON.stringify(namespace));
      if (created.status !== 0) {
        console.error(safeLine(`error: kubectl create namespace ${shown(name)} failed (a namespace of that name appeared, or no right to create one): ${firstLine(created.stderr) || `exit code ${created.status}`}; nothing was applied`));
        return 2;
      }
      const object = JSON.parse(created.stdout) as KubeObject | null;
      const uid = object?.metadata?.uid;
      const resourceVersion = object?.metadata?.resourceVersion;
      // What the mark needs from the create's answer: without it the label would name no namespace of ours.
      if (typeof uid !== 'string' || uid === '' || typeof resourceVersion !== 'string' || resourceVersion === '') {
        console.error(safeLine(`error: namespace ${shown(name)} was created, but kubectl's answer names no uid and resource version to mark it by; `
          + `it is refused until it has the mark: delete it (kubectl delete namespace ${shown(name)}) and run this again`));
        return 2;
      }
      // The resource version of the create: the mark goes only on the namespace this create made, unchanged since.
      const marked = runKubectl(['label', 'namespace', name, `${NAMESPACE_MARK}=${uid}`, `--resource-version=${resourceVersion}`], kubectl);
      if (marked.status !== 0) {
        console.error(safeLine(`error: namespace ${shown(name)} was created, but its mark could not be set: ${firstLine(marked.stderr) || `exit code ${marked.status}`}; `
          + `it is refused until it has the mark: delete it (kubectl delete namespace ${shown(name)}) and run this again`));
        return 2;
      }
      console.error(safeLine(`namespace ${shown(name)}: created for the preview (${NAMESPACE_MARK}=${shown(uid)})`));
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(safeLine(`error: ${error.message}`));
      console.error(USAGE);
      return 2;
    }
    if (error instanceof InputError || error instanceof KubectlError || error instanceof SyntaxError) {
      console.error(safeLine(`error: ${error.message}`));
      return 2;
    }
    // A bug, not the user's doing (as in plan and close-preview): its stack helps; the exit code still says "error".
    console.error(error);
    return 2;
  }
}
