import { Check, CHECKS, formatPolicyException, formatProblem, OperatorSecret, PolicyException, validateManifests } from './index';
import { notEvaluated } from './crd';
import { InputError, loadManifests } from './load';

/** What the caller knows of the manifests beyond their objects. */
export interface CliDefaults {
  /** Secrets the operator creates, used when no --operator-secret is given. @default [] */
  readonly operatorSecrets?: readonly OperatorSecret[];
  /** Policy findings accepted on purpose. @default [] */
  readonly policyExceptions?: readonly PolicyException[];
}

const usage = (defaults: CliDefaults) => `usage: npm run validate -- [--checks ${CHECKS.join(',')}] [--operator-secret NAME=KEY[,KEY...]]... [--crd FILE_OR_FOLDER]... <file-or-folder>...
Judges Kubernetes manifests as the API server (strict schema for 1.27 and 1.34, API rules), a
reviewer (links between objects) and the policy checkers (restricted Pod Security, kube-score,
kube-linter, Polaris) would. Exit 0: clean; 1: problems, one per line; 2: unreadable input.
--checks runs only the named families (default: all).
--crd reads CustomResourceDefinitions (e.g. \`kubectl get crd NAME -o yaml\`) to judge custom objects by, as the API server does (CRDs among the inputs count too).
--operator-secret names a Secret created outside the manifests (default: ${(defaults.operatorSecrets ?? []).map((s) => `${s.name}=${s.keys.join(',')}`).join(' ') || 'none'}).
The policy exceptions that apply: ${(defaults.policyExceptions ?? []).map((e) => `[${e.rule}] ${e.object}`).join(', ') || 'none'}.`;

/** Runs the validator CLI (`npm run validate`); returns its exit code. */
export function run(args: readonly string[], defaults: CliDefaults = {}): number {
  const USAGE = usage(defaults);
  const paths: string[] = [];
  const secrets: OperatorSecret[] = [];
  const crdPaths: string[] = [];
  let checks: readonly Check[] = CHECKS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    }
    if (arg === '--checks') {
      const list = (args[++i] ?? '').split(',');
      if (!list.every((c): c is Check => (CHECKS as readonly string[]).includes(c))) {
        console.error(`error: --checks "${list.join(',')}" names an unknown family: allowed are ${CHECKS.join(', ')}\n${USAGE}`);
        return 2;
      }
      checks = list;
    } else if (arg === '--operator-secret') {
      const spec = args[++i] ?? '';
      const match = /^([a-z0-9][-a-z0-9.]*)=([-._A-Za-z0-9]+(?:,[-._A-Za-z0-9]+)*)$/.exec(spec);
      if (!match) {
        console.error(`error: --operator-secret "${spec}" is not NAME=KEY[,KEY...]\n${USAGE}`);
        return 2;
      }
      secrets.push({ name: match[1], keys: match[2].split(',') });
    } else if (arg === '--crd') {
      const crdPath = args[++i];
      if (!crdPath) {
        console.error(`error: --crd needs a file or folder of CustomResourceDefinitions\n${USAGE}`);
        return 2;
      }
      crdPaths.push(crdPath);
    } else if (arg.startsWith('-')) {
      console.error(`error: unknown option ${arg}\n${USAGE}`);
      return 2;
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) {
    console.error(`error: no file or folder given\n${USAGE}`);
    return 2;
  }
  try {
    const items = loadManifests(paths);
    if (items.length === 0) {
      console.error(`error: no Kubernetes objects found in ${paths.join(', ')}`);
      return 2;
    }
    const operatorSecrets = secrets.length ? secrets : defaults.operatorSecrets ?? [];
    const policyExceptions = defaults.policyExceptions ?? [];
    const crds = crdPaths.length ? loadManifests(crdPaths).map((item) => item.object) : [];
    const problems = validateManifests(items, { operatorSecrets, policyExceptions, checks, crds });
    for (const problem of problems) console.log(formatProblem(problem));
    for (const note of notEvaluated) console.error(`note: ${note}`);
    if (checks.includes('policy')) {
      for (const e of policyExceptions) console.error(formatPolicyException(e));
    }
    const files = new Set(items.map((item) => item.file)).size;
    console.error(problems.length
      ? `${problems.length} problem(s) in ${items.length} objects from ${files} file(s)`
      : `${items.length} objects from ${files} file(s): no problems`);
    return problems.length ? 1 : 0;
  } catch (error) {
    if (error instanceof InputError) {
      console.error(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
}
