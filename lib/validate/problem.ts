import { echo } from './echo';
import type { KubectlScalar } from './kubectl-yaml';

/** A Kubernetes object as read from a manifest. */
export type KubeObject = Record<string, any>;

/** A manifest object together with the file it came from. */
export interface Located {
  /** The file, as the user named it (or as it will be written). */
  readonly file: string;
  /** The object, as kubectl reads it. */
  readonly object: KubeObject;
  /** Plain scalars kubectl reads as other than their text (`on` as true). @default none */
  readonly kubectlScalars?: readonly KubectlScalar[];
}

/** What one check found in one object, before it knows the file and object. */
export interface Finding {
  /** Dotted field path inside the object, e.g. `spec.template.spec.containers[0].name`. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** What is allowed instead. */
  readonly allowed: string;
  /** `warning`: may work, worth a look; does not fail the run. @default an error */
  readonly severity?: 'warning';
}

/** One problem, located: one line of the validator's output. */
export interface Problem extends Finding {
  /** The file holding the object. */
  readonly file: string;
  /** `Kind/name` of the object. */
  readonly object: string;
  /** Which family of checks found it. */
  readonly check: 'schema' | 'api' | 'admission' | 'link' | 'policy';
}

/**
 * `file: Kind/name: path: message (allowed: ...)`. Every part is echo()ed (lib/validate/echo.ts):
 * names and values come from the input, whose author may be a stranger, so a newline cannot
 * forge a line, an escape sequence cannot reach the terminal, a `user:password@` is masked and
 * a long part is shortened.
 */
export function formatProblem(problem: Problem, markWarning = true): string {
  // A caller that prints its own `warning:` line prefix asks for the line without the marker.
  const warning = markWarning && problem.severity === 'warning' ? 'warning: ' : '';
  return `${echo(problem.file)}: ${echo(problem.object)}: ${echo(problem.path || '(object)')}: ${warning}${echo(problem.message)} (allowed: ${echo(problem.allowed)})`;
}

/** Whether a problem fails a run: every one but a warning (what the API server accepts, and worth a look). */
export function isError(problem: Problem): boolean {
  return problem.severity !== 'warning';
}

/** `file: Kind/name: skipped: no schema for apiVersion X kind Y (use --fail-on-unknown to fail)` */
export function formatSkipped(item: Located): string {
  return `${echo(item.file)}: ${echo(objectId(item.object))}: skipped: no schema for apiVersion ${echo(String(item.object.apiVersion))} kind ${echo(String(item.object.kind))} (use --fail-on-unknown to fail)`;
}

/** `Kind/name` of an object, with placeholders where the manifest lacks them. */
export function objectId(object: KubeObject): string {
  const kind = typeof object?.kind === 'string' && object.kind ? object.kind : '<no kind>';
  const name = typeof object?.metadata?.name === 'string' && object.metadata.name ? object.metadata.name : '<no name>';
  return `${kind}/${name}`;
}

/** Joins path segments the way kubectl prints them: `a.b[0].c`. */
export function objectPath(segments: readonly (string | number)[]): string {
  // Pieces joined once, not `+=`: V8 keeps a string grown by `+=` as a chain of one node per
  // piece until something reads its characters, and a kept problem's path 400 levels deep held
  // 400 nodes (about 16 KB): the deep-nesting bench's 10,000 problems kept 160 MB.
  const pieces: string[] = [];
  let length = 0;
  for (const segment of segments) {
    const piece = typeof segment === 'number' || /^\d+$/.test(segment) ? `[${segment}]` : length ? `.${segment}` : segment;
    pieces.push(piece);
    length += piece.length;
  }
  return pieces.join('');
}

export function locate(item: Located, check: Problem['check'], findings: readonly Finding[]): Problem[] {
  const object = objectId(item.object);
  // Fields named, not spread: a spread of findings of many shapes was the run's largest cost
  // on 16,000 Deployments of 15 findings each.
  return findings.map((f) => (f.severity === undefined
    ? { path: f.path, message: f.message, allowed: f.allowed, file: item.file, object, check }
    : { path: f.path, message: f.message, allowed: f.allowed, severity: f.severity, file: item.file, object, check }));
}

/**
 * Appends every element of `items` to `target`. Not `target.push(...items)`: a spread passes each
 * element as an argument, and a few hundred thousand (the problems of one namespace of 16,000
 * Deployments) overflow the stack.
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
