import * as fs from 'fs';
import * as path from 'path';
import { KubectlError, RunOptions, viewCluster } from '../plan/kubectl';
import { formatPlan, Plan, planChanges, planExitCode } from '../plan/plan';
import { InputError, loadManifests } from '../validate/load';
import { shown } from '../plan/text';
import { safeLine } from './printing';
import { closeCommandOf, OwnershipError, planApplyCommand, prunedByApply, pruneScope, scopeOfObjects } from './ownership';
import { previousOutputDir } from './previous-output';
import { parseCommandLine, UsageError as CommandLineError } from './command-line';

const USAGE = `usage: npm run plan -- [OLD_DIR [NEW_DIR]]
       npm run plan -- --cluster [NEW_DIR]
What applying an output changes: one line per object added (+), changed (~) or removed (-), then a
line per warning (! replace, ! dip, ! data, ! close); on stderr a summary and, when the outputs
differ, the apply that makes the change (apply with: ...).
  OLD_DIR      the output to compare with (default: .dist-previous, the output before the last
               synth that changed dist; an error when no synth has changed it yet)
  NEW_DIR      the output to apply (default: dist)
  --cluster    compare NEW_DIR with the cluster of kubectl's current context instead (kubectl diff
               with the apply's prune flags, and a server-side dry run of the apply) (default: off)
  -h, --help   print this help and exit 0; nothing is read, nothing runs
  --           ends the options: every later argument is a folder
Each option may be given once; none takes a value.
Exit codes (as kubectl diff): 0 no difference, 1 differences, 2 an error (a usage error is one
error: line and this usage).`;
const DEFAULT_OUTDIR = 'dist';

/** A mistake in the command's input: one line, exit code 2. */
class UsageError extends Error {}

function readObjects(dir: string) {
  return loadManifests([dir]).map((item) => item.object);
}

function summary(plan: Plan): string {
  const count = (c: string) => plan.changes.filter((x) => x.change === c).length;
  const kept = plan.kept?.length ?? 0;
  // What left the output but stays: the apply of the new output's scope never reaches it.
  const keptText = kept > 0 ? `; ${kept} object(s) of the old output left as they are (outside the apply's scope)` : '';
  if (plan.changes.length === 0) return `plan: no differences${keptText}`;
  return `plan: ${count('+')} to add, ${count('~')} to change, ${count('-')} to remove; ${plan.warnings.length} warning(s)${keptText}`;
}

/** What the apply of `after` deletes of `before`, or undefined (everything that left) for an output this app did not label. */
function prunedOf(before: ReturnType<typeof readObjects>, after: ReturnType<typeof readObjects>) {
  try {
    return prunedByApply(before, after);
  } catch (error) {
    if (error instanceof OwnershipError) return undefined;
    throw error;
  }
}

/** `apply with: <command>`, or nothing for an output this app did not label (nothing to prune by). */
function applyLineOf(after: ReturnType<typeof readObjects>, before: ReturnType<typeof readObjects>, dir: string): string | undefined {
  try {
    return `apply with: ${planApplyCommand(scopeOfObjects(after), dir, [before, after])}`;
  } catch (error) {
    if (error instanceof OwnershipError) return undefined;
    throw error;
  }
}

/**
 * `npm run plan`: what applying the new output changes, one line per object, then warnings.
 * Exit codes as `kubectl diff`: 0 no difference, 1 differences, 2 an error; `--help` prints USAGE, exit 0.
 * @param kubectl how kubectl is run (tests put a fake one on PATH)
 */
export function run(args: readonly string[], kubectl: RunOptions = {}): number {
  try {
    const line = parseCommandLine(args, { '--cluster': '' });
    if (line.help) {
      console.log(USAGE);
      return 0;
    }
    const cluster = line.options.has('--cluster');
    const dirs = line.operands;
    if (dirs.length > (cluster ? 1 : 2)) throw new CommandLineError(`too many folders (${dirs.map((d) => shown(d)).join(' ')}): at most ${cluster ? 'one with --cluster (NEW_DIR)' : 'two (OLD_DIR NEW_DIR)'}`);

    let plan: Plan;
    let applyLine: string | undefined;
    if (cluster) {
      const newDir = dirs[0] ?? DEFAULT_OUTDIR;
      const objects = readObjects(newDir);
      const scope = scopeOfObjects(objects);
      // The previous output's custom kinds too: objects of a kind the new output dropped are the live ones to prune.
      const previous = previousOutputDir(newDir);
      const outputs = fs.existsSync(previous) ? [objects, readObjects(previous)] : [objects];
      // kubectl's refusal names no namespace: a preview's is its name; with several, the user picks.
      const namespace = scope.kind === 'previews' ? (scope.names.length === 1 ? scope.names[0] : '<preview>') : undefined;
      const view = viewCluster(newDir, pruneScope(scope, outputs), { ...kubectl, namespace });
      plan = planChanges(view.live, view.merged);
    } else {
      const newDir = dirs[1] ?? DEFAULT_OUTDIR;
      const oldDir = dirs[0] ?? previousOutputDir(DEFAULT_OUTDIR);
      if (dirs[0] === undefined && !fs.existsSync(oldDir)) {
        throw new UsageError(`no previous output to compare with: npm run synth keeps it in ${path.relative(process.cwd(), oldDir)}/ once an output changes; or name OLD_DIR (npm run plan -- OLD_DIR [NEW_DIR])`);
      }
      const before = readObjects(oldDir);
      const after = readObjects(newDir);
      // Only what the printed apply deletes is a removal: its scope is the new output's.
      plan = planChanges(before, after, { closeCommand: closeCommandOf, pruned: prunedOf(before, after) });
      // The apply that makes this change, pruning included: its allowlist holds the custom kinds of both outputs.
      if (planExitCode(plan) === 1) applyLine = applyLineOf(after, before, newDir);
    }
    for (const line of formatPlan(plan)) console.log(safeLine(line));
    console.error(summary(plan));
    if (applyLine) console.error(safeLine(applyLine));
    return planExitCode(plan);
  } catch (error) {
    if (error instanceof CommandLineError) {
      console.error(safeLine(`error: ${error.message}`));
      console.error(USAGE);
      return 2;
    }
    if (error instanceof KubectlError) for (const line of formatPlan({ changes: [], warnings: error.warnings })) console.log(safeLine(line));
    if (error instanceof UsageError || error instanceof InputError || error instanceof KubectlError || error instanceof OwnershipError) {
      console.error(safeLine(`error: ${error.message}`));
      return 2;
    }
    // A bug, not the user's doing: its stack helps; the exit code still says "error", not "differences".
    console.error(error);
    return 2;
  }
}
