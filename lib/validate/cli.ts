import { APP_POLICY_EXCEPTIONS, PGPASSWORD_SECRET } from '../app-contract';
import { Check, CHECKS, formatPolicyException, formatProblem, OperatorSecret, validateManifests } from './index';
import { InputError, loadManifests } from './load';

const USAGE = `usage: npm run validate -- [--checks ${CHECKS.join(',')}] [--operator-secret NAME=KEY[,KEY...]]... <file-or-folder>...
Judges Kubernetes manifests as the API server (strict schema for 1.27 and 1.36, API rules), a
reviewer (links between objects) and the policy checkers (restricted Pod Security, kube-score,
kube-linter, Polaris) would. Exit 0: clean; 1: problems, one per line; 2: unreadable input.
--checks runs only the named families (default: all).
--operator-secret names a Secret created outside the manifests (default: ${PGPASSWORD_SECRET.name}=${PGPASSWORD_SECRET.key}).
The app's policy exceptions apply: ${APP_POLICY_EXCEPTIONS.map((e) => `[${e.rule}] ${e.object}`).join(', ')}.`;

/** Runs the validator CLI (`npm run validate`); returns its exit code. */
export function run(args: readonly string[]): number {
  const paths: string[] = [];
  const secrets: OperatorSecret[] = [];
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
    const operatorSecrets = secrets.length ? secrets : [{ name: PGPASSWORD_SECRET.name, keys: [PGPASSWORD_SECRET.key] }];
    const problems = validateManifests(items, { operatorSecrets, policyExceptions: APP_POLICY_EXCEPTIONS, checks });
    for (const problem of problems) console.log(formatProblem(problem));
    if (checks.includes('policy')) {
      for (const e of APP_POLICY_EXCEPTIONS) console.error(formatPolicyException(e));
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
