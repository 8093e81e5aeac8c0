import { KubectlError, RunOptions, runKubectl } from '../plan/kubectl';
import { shown } from '../plan/text';
import { safeLine } from './printing';
import { isDnsLabel } from '../validate/names';
import { ENVIRONMENT_NAMES } from './environments';
import { firstLine, liveNamespace, notOursReason } from './open-preview-command';
import { hasNamespaceMark } from './ownership';
import { parseCommandLine, UsageError } from './command-line';

const USAGE = `usage: npm run close-preview -- NAME
Deletes the preview's Namespace, and everything in it, in the cluster of kubectl's current
context, only if npm run open-preview created it (its label multi-k8s/namespace-uid equals its uid).
  NAME         the preview to close: a name of PREVIEWS, e.g. pr-12 (required; no default)
  -h, --help   print this help and exit 0; kubectl does not run
  --           ends the options: the argument after it is the NAME
Exit codes: 0 the namespace is deleted (it then terminates), 1 no such namespace or not this
app's (nothing deleted), 2 an error: not a preview name, kubectl failed, or a usage error (one
error: line and this usage).`;

/**
 * `npm run close-preview -- NAME`: deletes the preview's Namespace, and with it everything in it,
 * only if this app created it: its mark (ownership.ts NAMESPACE_MARK) must equal its uid, which
 * only `npm run open-preview`'s create sets; labels are not proof, since `kubectl apply` of a
 * Namespace that exists adopts it and adds them. The delete carries the uid and resource version
 * it checked as preconditions (DeleteOptions.preconditions), so a namespace replaced or relabelled
 * between the check and the delete is not deleted (the API server answers 409 Conflict).
 * Exit 0 when it is gone, 1 when no such preview exists (nothing deleted), 2 on an error.
 * @param kubectl how kubectl is run
 */
export function run(args: readonly string[], kubectl: RunOptions = {}): number {
  let line;
  try {
    line = parseCommandLine(args, {});
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(safeLine(`error: ${error.message}`));
    console.error(USAGE);
    return 2;
  }
  if (line.help) {
    console.log(USAGE);
    return 0;
  }
  if (line.operands.length !== 1) {
    console.error(`error: name one preview (${line.operands.length === 0 ? 'none was given' : `${line.operands.length} were given`})`);
    console.error(USAGE);
    return 2;
  }
  const name = line.operands[0];
  // The same rules as PREVIEWS in lib/program/config.ts: a preview is a DNS label, never an environment.
  if (!isDnsLabel(name, 50) || (ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    console.error(safeLine(`error: ${shown(name)} is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than ${ENVIRONMENT_NAMES.join(', ')}`));
    return 2;
  }
  try {
    const live = liveNamespace(name, kubectl);
    if (live === undefined) {
      console.error(`error: no namespace ${name}: nothing was deleted`);
      return 1;
    }
    if (!hasNamespaceMark(live)) {
      console.error(safeLine(`error: namespace ${name} was not created by this app (${notOursReason(live)}; npm run open-preview sets it when it creates a preview's namespace): nothing was deleted`));
      return 1;
    }
    const preconditions = { uid: live.metadata.uid, resourceVersion: live.metadata.resourceVersion };
    const body = JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions });
    // The name is a DNS label by now; the uid is whatever kubectl printed.
    console.error(safeLine(`deleting namespace ${name} (uid ${shown(live.metadata.uid)}) and everything in it`));
    const result = runKubectl(['delete', '--raw', `/api/v1/namespaces/${name}`, '-f', '-'], kubectl, body);
    if (result.status !== 0) {
      console.error(safeLine(`error: kubectl delete failed, nothing was deleted: ${firstLine(result.stderr) || `exit code ${result.status}`}`));
      return 2;
    }
    console.log(`namespace "${name}" deleted`);
    return 0;
  } catch (error) {
    if (error instanceof KubectlError || error instanceof SyntaxError) {
      console.error(safeLine(`error: ${error.message}`));
      return 2;
    }
    console.error(error);
    return 2;
  }
}
