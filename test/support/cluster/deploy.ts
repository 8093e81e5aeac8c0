/**
 * The README's deploy steps, run for real: `npm run synth` into a folder of the test's, the
 * README's apply commands (or the one `npm run plan` prints) through `sh`, with a kubeconfig
 * whose context names the test's namespace, as a laptop's would. Used by the apply, transitions
 * and plan tests (test/program), which run against the real API server (test/support/envtest).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { run as planRun } from '../../../lib/program/plan-command';
import { synthesize } from '../../../lib/program/synth';
import { KubeObject } from '../../../lib/validate/problem';
import { defaultCharts } from '../../helpers';
import { captureOutput } from '../cli';
import { Cluster, Run, run } from '../envtest';
import { npmShim } from '../npm-shim';

export { npmShim };

export const ROOT = path.join(__dirname, '..', '..', '..');
export const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
export const PART_OF = 'app.kubernetes.io/part-of';
export const INSTANCE = 'app.kubernetes.io/instance';
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A README code line and the lines it continues onto (ending in `\`), as one shell command. */
function commandAt(text: string, start: number): string {
  const lines: string[] = [];
  for (const line of text.slice(start).split('\n')) {
    lines.push(line);
    if (!line.trimEnd().endsWith('\\')) break;
  }
  return lines.join('\n');
}

/** The README's commands that start with `prefix`, each with its continuation lines, in order. */
export function readmeCommands(prefix: string): string[] {
  const found: string[] = [];
  for (let at = README.indexOf(prefix); at >= 0; at = README.indexOf(prefix, at + 1)) found.push(commandAt(README, at));
  return found;
}

/** The one README command starting with prefix; fails if the README has none or several. */
export function readmeCommand(prefix: string): string {
  const found = readmeCommands(prefix);
  if (found.length !== 1) throw new Error(`the README has ${found.length} commands starting with ${JSON.stringify(prefix)}`);
  return found[0];
}

/** The README's pruning apply of the main environment. */
export const mainApply = () => readmeCommand('kubectl apply -f dist --prune -l \'app.kubernetes.io/part-of=multi-k8s,app.kubernetes.io/instance in (dev,prod)\'');
/** The README's pruning apply of the previews named by $PREVIEWS, after `npm run open-preview -- dist &&` as the README writes it. */
export const previewsApply = () => readmeCommand('npm run open-preview -- dist && \\');
/** The kubectl apply of a previews' apply line (the README's, or the plan's): what follows `npm run open-preview -- DIR && `. */
export function kubectlPart(command: string): string {
  const match = command.match(/^npm run open-preview -- \S+ && (?:\\\n)?(kubectl apply [\s\S]*)$/);
  if (!match) throw new Error(`not a previews' apply (npm run open-preview -- DIR && kubectl apply ...): ${command}`);
  return match[1];
}
/** The namespaces `npm run open-preview` said it created (its stderr lines `namespace NAME: created for the preview (...)`), sorted. */
export function openedBy(stderr: string): string[] {
  return [...stderr.matchAll(/^namespace (\S+): created for the preview \(/gm)].map((m) => m[1]).sort();
}

/** The README's step before an apply hands replicas to an autoscaler: its loop over the autoscaled Deployments, as printed. */
export function readmeStep(): string {
  const loops = [...README.matchAll(/^ *(for d in [^\n]*; do\n(?:[^\n]*\n)*? *done)$/gm)];
  if (loops.length !== 1) throw new Error(`the README has ${loops.length} \`for d in ...; do ... done\` loops, not one`);
  return loops[0][1].split('\n').map((line) => line.trim()).join('\n');
}

/** A project checkout of the test's: `work/dist` and `work/.dist-previous`, as `npm run synth` leaves them. */
export interface Work {
  readonly dir: string;
  readonly dist: string;
  readonly previous: string;
}

export function work(dir: string): Work {
  return { dir, dist: path.join(dir, 'dist'), previous: path.join(dir, '.dist-previous') };
}

/** `npm run synth` with these variables, into work/dist (keeping the output it replaces, as the synth does). */
export function synth(at: Work, env: NodeJS.ProcessEnv = {}): KubeObject[] {
  synthesize(defaultCharts(env), { outdir: at.dist });
  return readOutput(at.dist);
}

/** The objects of an output folder, as kubectl reads them. */
export function readOutput(dir: string): KubeObject[] {
  return fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()))
    .filter((o) => o);
}

/** `npm run plan -- OLD NEW` (in process: the code the launcher bundles): its lines, its exit code and the apply it prints. */
export function plan(oldDir: string, newDir: string): { code: number; out: string[]; err: string[]; apply?: string } {
  const { code, out, err } = captureOutput(() => planRun([oldDir, newDir]));
  const line = err.find((l) => l.startsWith('apply with: '));
  return { code, out, err, apply: line?.slice('apply with: '.length) };
}

/** The environment of a README command: the kubeconfig given, and npmShim's `npm` first on PATH. */
export function shEnv(kubeconfig: string, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...env, KUBECONFIG: kubeconfig, PATH: `${npmShim()}:${process.env.PATH}` };
}

/** A shell command as the README's reader runs it: in the checkout, with the kubeconfig given (`npm run` as npmShim runs it). */
export function sh(command: string, options: { kubeconfig: string; cwd: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
  return run('sh', ['-c', command], { cwd: options.cwd, env: shEnv(options.kubeconfig, options.env), timeoutMs: 120000 });
}

/** sh that must succeed: what it printed on stdout. */
export async function shOk(command: string, options: { kubeconfig: string; cwd: string; env?: NodeJS.ProcessEnv }): Promise<string> {
  const result = await sh(command, options);
  if (result.code !== 0) throw new Error(`${command}\nexited ${result.code}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** kubectl apply's lines, `kind.group/name created|configured|unchanged|pruned`, by word. */
export function outcomes(stdout: string): Record<string, string[]> {
  const byWord: Record<string, string[]> = {};
  for (const line of stdout.split('\n')) {
    const match = line.match(/^(\S+) (created|configured|unchanged|pruned)$/);
    if (match) (byWord[match[2]] ??= []).push(match[1]);
  }
  for (const ids of Object.values(byWord)) ids.sort();
  return byWord;
}

/** kubectl's resource word for a kind: `deployment.apps`, `service` (its output's spelling). */
export function resourceWord(object: KubeObject): string {
  const group = String(object.apiVersion).includes('/') ? String(object.apiVersion).split('/')[0] : '';
  return `${object.kind.toLowerCase()}${group ? `.${group}` : ''}`;
}

/** How kubectl's apply names an object in its output: `deployment.apps/server-deployment`. */
export const kubectlName = (object: KubeObject) => `${resourceWord(object)}/${object.metadata.name}`;

/** Kind/namespace/name of an object, where its namespace is `namespace` when it names none and is namespaced. */
export function idOf(object: KubeObject, namespace: string): string {
  const clusterScoped = CLUSTER_SCOPED.has(object.kind);
  return `${object.kind}/${clusterScoped ? '' : (object.metadata.namespace ?? namespace)}/${object.metadata.name}`;
}

/** The cluster-scoped kinds this app can emit (a preview's Namespace, cert-manager's ClusterIssuer, the deployer's cluster roles). */
export const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterIssuer', 'ClusterRole', 'ClusterRoleBinding']);

/** `kind.version.group` for `kubectl get`, from an object or a `--prune-allowlist` entry. */
export function getType(entry: string): string {
  const [group, version, kind] = entry.split('/');
  // kubectl reads `Kind.version.group` for a named group; a core kind goes by its name alone.
  return group === 'core' ? kind : `${kind}.${version}.${group}`;
}

/**
 * The live objects of these kinds labelled as this app's (`kubectl get -A -l part-of=multi-k8s`),
 * keyed by idOf, kept where `keep` says (the test's namespaces, its cluster-scoped names): other
 * test files share the server.
 */
export async function liveApp(cluster: Cluster, kinds: readonly string[], keep: (id: string) => boolean): Promise<Map<string, KubeObject>> {
  const listed = JSON.parse(await cluster.kubectlOk(['get', kinds.map(getType).join(','), '-A', '-l', `${PART_OF}=multi-k8s`, '-o', 'json']));
  const found = new Map<string, KubeObject>();
  for (const object of listed.items as KubeObject[]) {
    const id = idOf(object, '');
    if (keep(id)) found.set(id, object);
  }
  return found;
}

/** One live object as JSON, or undefined when the server has none. */
export async function getLive(cluster: Cluster, type: string, name: string, namespace?: string): Promise<KubeObject | undefined> {
  const result = await cluster.kubectl(['get', type, name, ...(namespace ? ['-n', namespace] : []), '-o', 'json']);
  if (result.code !== 0 && /NotFound|not found/.test(result.stderr)) return undefined;
  if (result.code !== 0) throw new Error(`kubectl get ${type} ${name} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Deletes preview namespaces a test's apply created, without waiting (the test server's controllers finish it). */
export async function deletePreviews(cluster: Cluster, names: string[]): Promise<void> {
  for (const name of names.splice(0)) await cluster.kubectl(['delete', 'namespace', name, '--wait=false', '--ignore-not-found']);
}
