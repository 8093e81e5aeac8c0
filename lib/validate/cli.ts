import { Check, CHECKS, formatPolicyException, formatProblem, formatSkipped, OperatorSecret, SELECTOR_WORK, TARGET_VERSIONS, Validation } from './index';
import { isError } from './problem';
import { ACCEPT_POLICY, OPERATOR_SECRET } from './annotations';
import { notEvaluated } from './crd';
import { echo, MAX_ECHO } from './echo';
import { LoadResult, readManifests } from './load';
import { kubernetesVersion } from './schema';

// Thrown to stop a pass that judged without the context once a file may hold some (validatePaths).
const CONTEXT_FOUND = Symbol('a file may hold a Namespace or CRD');

/** The most problems one run finds and prints before it stops judging (see the usage). */
export const MAX_PROBLEMS = 100_000;

const USAGE = `usage: npm run validate -- [--checks ${CHECKS.join(',')}] [--operator-secret NAME=KEY[,KEY...]]... [--fail-on-unknown] [--fail-on-warnings] [--crd FILE_OR_FOLDER]... [--kubernetes-version ${TARGET_VERSIONS.join("|")}]... [--] <file-or-folder>...
Judges Kubernetes manifests as the API server (strict schema for ${TARGET_VERSIONS.join(' and ')}, API rules, Pod Security
admission by the labels of the input's namespaces), a reviewer (links between objects) and the
policy checkers (restricted Pod Security, kube-score, kube-linter, Polaris) would, reading YAML as kubectl does. Exit 0: clean
(warnings, lines marked "warning:", do not count); 1: problems, one per line; 2: an input could not
be used (every other input is still validated).
A run stops judging after ${MAX_PROBLEMS.toLocaleString('en-US')} problems (a note says how many objects were left): its memory stays bounded.
A namespace's link or policy checks stop (one line names it) past ${SELECTOR_WORK.floor.toLocaleString('en-US')} selector steps plus ${SELECTOR_WORK.perObject} per object: its time stays bounded.
--checks runs only the named families (default: all); given once. --crd, --operator-secret and
--kubernetes-version add up when repeated; any other option twice is an error. \`--\` ends the
options: every later argument is a path. An option whose value is missing (or is another
option) is an error; a path starting with - is written ./-name.
--operator-secret names a Secret created outside the manifests, for every object (default: none).
--fail-on-unknown makes an object of a kind without a schema a problem (default: one "skipped" line).
--fail-on-warnings makes a warning fail the run, exit 1 (default: warnings are printed, exit 0).
--kubernetes-version judges as that version's API server alone (repeatable; ${TARGET_VERSIONS.join(', ')}; a patch
release such as 1.34.2 is judged as its minor; default: all of them, as the chart targets each).
An object accepts a policy finding with the annotation ${ACCEPT_POLICY}<rule>: "<reason>", and
declares a Secret the operator creates with ${OPERATOR_SECRET}<secret>: "<KEY>[,<KEY>...]";
each applies to that object only.
--crd reads CustomResourceDefinitions (e.g. \`kubectl get crd NAME -o yaml\`) to judge custom objects by, as the API server does (CRDs among the inputs count too).`;

// Each option and what follows it (the flag alone: --fail-on-unknown).
const OPTIONS = new Map<string, string>([
  ['--checks', `a comma-separated list of ${CHECKS.join(', ')}`],
  ['--operator-secret', 'NAME=KEY[,KEY...]'],
  ['--fail-on-unknown', ''],
  ['--fail-on-warnings', ''],
  ['--crd', 'a file or folder of CustomResourceDefinitions'],
  ['--kubernetes-version', `a version: ${TARGET_VERSIONS.join(' or ')}`],
]);

// Lines written in chunks of about 64 KiB: a console.log per line was a fifth of a run with
// hundreds of thousands of problems.
function lineWriter(): { line: (text: string) => void; flush: () => void } {
  let chunk: string[] = [];
  let size = 0;
  const flush = () => {
    if (chunk.length) console.log(chunk.join('\n'));
    chunk = [];
    size = 0;
  };
  return {
    line: (text) => {
      chunk.push(text);
      size += text.length;
      if (size >= 1 << 16) flush();
    },
    flush,
  };
}

/** Runs the validator CLI (`npm run validate`); returns its exit code. */
export function run(args: readonly string[]): number {
  const paths: string[] = [];
  const operatorSecrets: OperatorSecret[] = [];
  const crdPaths: string[] = [];
  let checks: readonly Check[] = CHECKS;
  let failOnUnknown = false;
  let failOnWarnings = false;
  const kubernetesVersions: string[] = [];
  // Options that take effect once: a second one would silently win over the first.
  const once = new Set<string>();
  const fail = (message: string): number => {
    console.error(`error: ${echo(message)}\n${USAGE}`);
    return 2;
  };
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!options || !arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    if (arg === '--') {
      options = false; // every later argument is a path, even one starting with -
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    }
    if (!OPTIONS.has(arg)) return fail(`unknown option ${arg}`);
    if (arg === '--checks' || arg === '--fail-on-unknown' || arg === '--fail-on-warnings') {
      if (once.has(arg)) return fail(`${arg} is given twice: give it once${arg === '--checks' ? ', naming every family in one comma-separated list' : ''}`);
      once.add(arg);
    }
    if (arg === '--fail-on-unknown') {
      failOnUnknown = true;
      continue;
    }
    if (arg === '--fail-on-warnings') {
      failOnWarnings = true;
      continue;
    }
    // Every other option takes the next argument; an option in its place means it was left out.
    const value = args[i + 1];
    if (value === undefined || (value.startsWith('-') && value !== '-')) {
      const got = value === undefined ? 'nothing follows it' : `${value} follows it (a path starting with - is written ./${value})`;
      return fail(`${arg} needs ${OPTIONS.get(arg)}: ${got}`);
    }
    i += 1;
    if (arg === '--checks') {
      const list = value.split(',');
      if (!list.every((c): c is Check => (CHECKS as readonly string[]).includes(c))) return fail(`--checks "${list.join(',')}" names an unknown family: allowed are ${CHECKS.join(', ')}`);
      checks = list;
    } else if (arg === '--operator-secret') {
      const match = /^([a-z0-9][-a-z0-9.]*)=([-._A-Za-z0-9]+(?:,[-._A-Za-z0-9]+)*)$/.exec(value);
      if (!match) return fail(`--operator-secret "${value}" is not NAME=KEY[,KEY...]`);
      operatorSecrets.push({ name: match[1], keys: match[2].split(',') });
    } else if (arg === '--crd') {
      crdPaths.push(value);
    } else {
      try {
        kubernetesVersion(value);
      } catch {
        return fail(`--kubernetes-version "${value}" is not a version the validator has schemas for: allowed are ${TARGET_VERSIONS.join(', ')} (or a patch release of one, e.g. ${TARGET_VERSIONS[TARGET_VERSIONS.length - 1]}.2)`);
      }
      kubernetesVersions.push(value);
    }
  }
  if (paths.length === 0) return fail('no file or folder given');
  try {
    return validatePaths(paths, crdPaths, operatorSecrets, checks, { failOnUnknown, failOnWarnings }, kubernetesVersions.length ? kubernetesVersions : undefined);
  } catch (error) {
    // The contract holds for the validator's own faults too: one line, exit 2, no stack trace.
    console.error(`error: the validator failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    return 2;
  }
}

function validatePaths(paths: readonly string[], crdPaths: readonly string[], operatorSecrets: readonly OperatorSecret[], checks: readonly Check[], { failOnUnknown, failOnWarnings }: { failOnUnknown: boolean; failOnWarnings: boolean }, kubernetesVersions: readonly string[] | undefined): number {
  const given = crdPaths.length ? readManifests(crdPaths) : { items: [], errors: [] };
  const crds = given.items.map((item) => item.object);
  // The inputs that judge the others (CustomResourceDefinitions, Namespaces' Pod Security labels)
  // are read first; then each document is judged as it is read and only what the namespace
  // checks need is kept (index.ts Validation): 50 MB of objects held whole took gigabytes. A file that
  // may hold either (its text names the kind, or has an escape that could spell it: a \x, \u or
  // \U code, or a line break escaped in a double-quoted string) is read twice; any other once.
  const mayJudgeOthers = (text: string) => text.includes('CustomResourceDefinition') || text.includes('Namespace') || /\\[xuU]|\\\r?\n/.test(text);
  const options = { operatorSecrets, checks, failOnUnknown, crds, kubernetesVersions, maxProblems: MAX_PROBLEMS };
  // Most inputs hold no such file: then one pass, judging with no context, is the whole run (a
  // first pass only to look cost 120,000 small files 3.5 s). The first file that may hold one
  // stops it, and the run starts again with the context read first; notes the stopped pass made
  // are taken back.
  const notes = [...notEvaluated];
  let read: LoadResult | undefined;
  let validation = new Validation([], options);
  try {
    read = readManifests(paths, { only: (text) => { if (mayJudgeOthers(text)) throw CONTEXT_FOUND; return true; }, into: validation });
  } catch (error) {
    if (error !== CONTEXT_FOUND) throw error;
    notEvaluated.clear();
    for (const note of notes) notEvaluated.add(note);
  }
  if (!read) {
    const context = readManifests(paths, { only: mayJudgeOthers });
    validation = new Validation(context.items, options);
    read = readManifests(paths, { into: validation });
  }
  const { objects, files, errors } = read;
  errors.push(...given.errors);
  const result = validation.finish();
  const out = lineWriter();
  for (const item of result.skipped) out.line(formatSkipped(item));
  for (const problem of result.problems) out.line(formatProblem(problem));
  out.flush();
  for (const error of errors) console.error(`error: ${echo(error.path)}: ${echo(error.message)}`);
  for (const note of notEvaluated) console.error(`note: ${echo(note)}`);
  for (const e of result.exceptions) console.error(echo(formatPolicyException(e), 10 * MAX_ECHO));
  if (result.stopped) {
    console.error(`note: stopped after ${MAX_PROBLEMS.toLocaleString('en-US')} problems, the most one run reports: up to ${result.stopped.notJudged} of ${objects} objects were not judged by every check (fix these first, or validate fewer files at a time)`);
  }
  const failing = result.problems.filter((problem) => failOnWarnings || isError(problem)).length;
  const warnings = result.problems.filter((problem) => !isError(problem)).length;
  const problems = result.problems.length - warnings;
  const counts = [
    problems ? `${problems} problem(s) in ${objects} objects from ${files} file(s)` : `${objects} objects from ${files} file(s): no problems`,
    ...(warnings ? [`${warnings} warning(s)${failOnWarnings ? ' (--fail-on-warnings)' : ''}`] : []),
    ...(result.skipped.length ? [`${result.skipped.length} skipped (no schema)`] : []),
    ...(errors.length ? [`${errors.length} input(s) could not be used`] : []),
  ];
  console.error(counts.join('; '));
  if (errors.length) return 2;
  return failing ? 1 : 0;
}
