import { KubectlError, RunOptions, runKubectl } from '../plan/kubectl';
import { isDnsLabel } from '../validate/names';
import { ENVIRONMENT_NAMES } from './environments';
import { closePreviewArgs, closePreviewCommand } from './ownership';

const USAGE = 'usage: npm run close-preview -- NAME  (NAME: a preview of PREVIEWS, e.g. pr-12)';

/**
 * `npm run close-preview -- NAME`: deletes the preview's Namespace, and with it everything in it,
 * only if it is a Namespace this app created for that preview (closePreviewArgs: the label check
 * is part of the delete). Exit 0 when it is gone, 1 when no such preview exists, 2 on an error.
 * @param kubectl how kubectl is run (tests put a fake one on PATH)
 */
export function run(args: readonly string[], kubectl: RunOptions = {}): number {
  if (args.length !== 1 || args[0].startsWith('-')) {
    console.error(`error: name one preview; ${USAGE}`);
    return 2;
  }
  const name = args[0];
  // The same rules as PREVIEWS in lib/program/config.ts: a preview is a DNS label, never an environment.
  if (!isDnsLabel(name, 50) || (ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    console.error(`error: "${name}" is not a preview name: allowed is a DNS label of at most 50 characters (a-z 0-9 -) other than ${ENVIRONMENT_NAMES.join(', ')}`);
    return 2;
  }
  try {
    console.error(`running: ${closePreviewCommand(name)}`);
    const result = runKubectl(closePreviewArgs(name), kubectl);
    if (result.status !== 0) {
      console.error(`error: kubectl delete failed: ${result.stderr.trim().split('\n')[0] || `exit code ${result.status}`}`);
      return 2;
    }
    // kubectl answers "No resources found" (on stderr, exit 0) when the selector matched nothing.
    if (!/deleted/.test(result.stdout)) {
      console.error(`error: no Namespace "${name}" created by this app for that preview (labelled app.kubernetes.io/part-of=multi-k8s and app.kubernetes.io/instance=${name}): nothing was deleted`);
      return 1;
    }
    process.stdout.write(result.stdout);
    return 0;
  } catch (error) {
    if (error instanceof KubectlError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    console.error(error);
    return 2;
  }
}
