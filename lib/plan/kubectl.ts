import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { groupOf, identityOf, isObject, KubeObject } from './objects';
import { appliedBy } from './prune';
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
  // The whole message: with several causes, kubectl's first line is only the header ("The X "n" is
  // invalid: "), and the cause that refuses the update is on a line after it.
  const refusal = refusalWarning(result.stderr, namespace);
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
    // Namespaces the output creates that do not exist yet: kubectl diff (a server-side dry run per
    // object) is refused for every object inside one, "namespaces ... not found", since a dry run
    // of the Namespace stores nothing. Their objects are all additions, as the real apply (after
    // `npm run open-preview`) creates them; the rest of the output is diffed without them.
    const manifests = readManifests(dir);
    const creates = new Set(manifests.filter((o) => o.kind === 'Namespace' && groupOf(o) === '').map((o) => String(o.metadata?.name)));
    const missing = new Set<string>();
    let input = dir;
    for (;;) {
      fs.rmSync(path.join(work, 'live'), { recursive: true, force: true });
      fs.rmSync(path.join(work, 'merged'), { recursive: true, force: true });
      const diff = runKubectl(diffArgs(input, scope), { ...options, env });
      // kubectl diff passes its diff program's status on: 0 and 1 are answers, above is a failure.
      if (diff.status === 0 || diff.status === 1) break;
      const absent = /namespaces "([^"]+)" not found/.exec(diff.stderr)?.[1];
      // Only a namespace the output creates, once: any other is the apply's failure too.
      if (absent === undefined || !creates.has(absent) || missing.has(absent)) throw failure('kubectl diff failed', diff, options.namespace);
      missing.add(absent);
      input = writeWithout(manifests, missing, path.join(work, `input-${missing.size}`));
    }
    const applied = appliedBy(manifests, scope);
    const added = applied.filter((o) => missing.has(o.metadata?.namespace));
    const merged = withLastApplied(readFolder(path.join(work, 'merged')), applied);
    const view = { live: readFolder(path.join(work, 'live')), merged: [...merged, ...added] };
    const dryRun = runKubectl(dryRunArgs(input, scope), options);
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

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The merged objects with the last-applied annotation the apply writes: its manifest. kubectl
 * diff's dry-run patch leaves the live annotation as it was (k8s.io/kubectl pkg/cmd/diff/diff.go
 * Merged: GetModifiedConfiguration with annotate false), while `kubectl apply` records the
 * manifest it sent (pkg/cmd/apply/apply.go, annotate true); the plan reads from the two
 * annotations which fields the apply deletes (lib/plan/rules.ts). A manifest without a namespace
 * is applied in kubectl's current one, so it matches an object of any.
 */
function withLastApplied(merged: readonly KubeObject[], manifests: readonly KubeObject[]): KubeObject[] {
  const key = (o: KubeObject, namespace: string) => [groupOf(o), o.kind, namespace, o.metadata?.name].join('\0');
  const byKey = new Map(manifests.map((o) => [key(o, o.metadata?.namespace ?? ''), o]));
  return merged.map((object) => {
    const manifest = byKey.get(key(object, object.metadata?.namespace ?? '')) ?? byKey.get(key(object, ''));
    if (!manifest) return object;
    // kubectl takes its annotation out and puts the rest back, an empty map included: the recorded
    // manifest always has `annotations` (pkg/cmd/apply GetModifiedConfiguration; `{}` on the real API server).
    const { [LAST_APPLIED]: _old, ...annotations } = manifest.metadata?.annotations ?? {};
    const recorded = { ...manifest, metadata: { ...manifest.metadata, annotations } };
    return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata?.annotations, [LAST_APPLIED]: JSON.stringify(recorded) } } };
  });
}

/**
 * The manifests of a folder as `kubectl apply -f DIR` reads them: its .yaml, .yml and .json files
 * (not sub-folders), in the order of their names' UTF-8 bytes (Go's filepath.Walk sorts them so;
 * JavaScript's sort orders UTF-16 units, which differ past U+FFFF).
 */
function readManifests(dir: string): KubeObject[] {
  const objects: KubeObject[] = [];
  if (!fs.existsSync(dir)) return objects;
  const files = fs.statSync(dir).isDirectory()
    ? fs.readdirSync(dir).filter((name) => /\.(ya?ml|json)$/.test(name) && fs.statSync(path.join(dir, name)).isFile()).sort(byBytes).map((name) => path.join(dir, name))
    : [dir];
  for (const file of files) {
    // Duplicate keys as kubectl reads them (sigs.k8s.io/yaml, goyaml.v2 not strict): the last one counts.
    for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'), { uniqueKeys: false })) {
      // A broken file is kubectl's to report, in its own words.
      if (doc.errors.length > 0) continue;
      let object: unknown;
      try {
        object = doc.toJS();
      } catch {
        // An alias of no anchor parses without errors, yet cannot be read: kubectl's to report too
        // (`object` stays undefined, no object).
      }
      if (isObject(object)) objects.push(object);
    }
  }
  return objects;
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The manifests but those in the namespaces, one JSON file each in a new folder, in their order.
 * JSON, not YAML: kubectl reads YAML 1.1, where a string such as `yes` written plain by a YAML 1.2
 * writer would turn into a boolean.
 */
function writeWithout(manifests: readonly KubeObject[], namespaces: ReadonlySet<string>, dir: string): string {
  fs.mkdirSync(dir);
  manifests.filter((o) => !namespaces.has(o.metadata?.namespace)).forEach((o, i) => {
    fs.writeFileSync(path.join(dir, `${String(i).padStart(6, '0')}.json`), JSON.stringify(o));
  });
  return dir;
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
