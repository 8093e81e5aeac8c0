import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { identityOf, isObject, KubeObject } from './objects';
import { PlanWarning, refusalWarning } from './rules';

/** kubectl failed, or answered what it should not: one line for the user. */
export class KubectlError extends Error {
  /**
   * @param warnings what can be said despite the failure: an update the API server refused, with
   * the command that re-creates the object
   */
  constructor(message: string, public readonly warnings: readonly PlanWarning[] = []) {
    super(message);
    this.name = 'KubectlError';
  }
}

function failure(what: string, result: Result, namespace: string | undefined): KubectlError {
  const reason = firstLine(result.stderr) || `exit code ${result.status}`;
  const refusal = refusalWarning(reason, namespace);
  return new KubectlError(`${what}: ${reason}`, refusal ? [refusal] : []);
}

/** Which live objects a pruning apply may delete: the label selector and the kinds it lists. */
export interface PruneScope {
  /** The `-l` label selector. */
  readonly selector: string;
  /** `group/version/Kind` for each `--prune-allowlist` (core kinds as `core/v1/Kind`). */
  readonly allowlist: readonly string[];
}

/** The flags that make `kubectl apply` (and `kubectl diff`) prune within the scope. */
export function pruneFlags(scope: PruneScope): string[] {
  return ['--prune', '-l', scope.selector, ...scope.allowlist.map((kind) => `--prune-allowlist=${kind}`)];
}

/** `kubectl diff` of a folder against the cluster, showing what pruning would delete. */
export function diffArgs(dir: string, scope: PruneScope): string[] {
  return ['diff', '-f', dir, ...pruneFlags(scope)];
}

/** The apply itself, run by the API server without persisting anything. */
export function dryRunArgs(dir: string, scope: PruneScope): string[] {
  return ['apply', '-f', dir, '--dry-run=server', ...pruneFlags(scope)];
}

export interface ViewOptions {
  /** The namespace a refused object is in, for the command that re-creates it. @default - kubectl's current namespace */
  readonly namespace?: string;
}

/** Live objects and what they would be after the apply, as the API server computes them. */
export interface ClusterView {
  /** Each object as it is live now (objects to be pruned among them). */
  readonly live: KubeObject[];
  /** Each object as the apply would leave it (server-side dry run); pruned objects are absent. */
  readonly merged: KubeObject[];
}

export interface RunOptions {
  /** The kubectl executable. @default `kubectl` from PATH */
  readonly kubectl?: string;
  /** The environment kubectl runs in. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs `kubectl diff` with its own diff program swapped for a small script that copies the
 * LIVE and MERGED folders kubectl writes (one file per object, named
 * `group.version.Kind.namespace.name`; k8s.io/kubectl pkg/cmd/diff/diff.go) before kubectl
 * removes them. KUBECTL_EXTERNAL_DIFF takes a program and plain-word flags only, hence a script.
 * Then runs the apply as a server-side dry run, which runs admission and the update validation
 * an apply would meet (immutable fields) and the pruning it would do.
 */
export function viewCluster(dir: string, scope: PruneScope, options: RunOptions & ViewOptions = {}): ClusterView {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-plan-'));
  try {
    const script = path.join(work, 'capture-diff');
    fs.writeFileSync(script, [
      '#!/bin/sh',
      // Exit 3 on failure: kubectl passes 0 and 1 on as answers and fails on anything above.
      'mkdir -p "$PLAN_CAPTURE/live" "$PLAN_CAPTURE/merged" || exit 3',
      'cp -R "$1/." "$PLAN_CAPTURE/live" || exit 3',
      'cp -R "$2/." "$PLAN_CAPTURE/merged" || exit 3',
      '',
    ].join('\n'), { mode: 0o755 });
    const env = { ...(options.env ?? process.env), KUBECTL_EXTERNAL_DIFF: script, PLAN_CAPTURE: work };
    const diff = runKubectl(diffArgs(dir, scope), { ...options, env });
    // kubectl diff passes its diff program's status on: 0 and 1 are answers, above is a failure.
    if (diff.status !== 0 && diff.status !== 1) throw failure('kubectl diff failed', diff, options.namespace);
    const view = { live: readFolder(path.join(work, 'live')), merged: readFolder(path.join(work, 'merged')) };
    const dryRun = runKubectl(dryRunArgs(dir, scope), options);
    if (dryRun.status !== 0) throw failure('the server refuses the apply (kubectl apply --dry-run=server)', dryRun, options.namespace);
    return view;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

interface Result {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl with the arguments (no shell), `input` on its stdin; a missing kubectl is a KubectlError. */
export function runKubectl(args: readonly string[], options: RunOptions = {}, input?: string): Result {
  const result = spawnSync(options.kubectl ?? 'kubectl', args, { env: options.env ?? process.env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new KubectlError(code === 'ENOENT' ? 'kubectl was not found on PATH: install kubectl 1.27 or newer' : `kubectl could not run: ${result.error.message}`);
  }
  return { status: result.status ?? 2, stdout: result.stdout, stderr: result.stderr };
}

function firstLine(text: string): string {
  return text.split('\n').map((line) => line.trim()).find((line) => line !== '') ?? '';
}

/** The objects of a folder kubectl diff wrote: one YAML object per file, empty for "absent". */
function readFolder(dir: string): KubeObject[] {
  if (!fs.existsSync(dir)) return [];
  const objects = new Map<string, KubeObject>();
  for (const name of fs.readdirSync(dir).sort()) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(dir, name), 'utf8'))) {
      if (doc.errors.length > 0) throw new KubectlError(`kubectl diff wrote ${name}, which is not YAML: ${doc.errors[0].message.split('\n')[0]}`);
      const object = doc.toJS();
      if (isObject(object)) objects.set(identityOf(object), object);
    }
  }
  return [...objects.values()];
}
