import { changedPaths, FieldPath } from './field-diff';
import { displayName, identityOf, type KubeObject } from './objects';
import { escapeControls, shorten } from './text';
import { ChangedPair, dipWarnings, PlanWarning, replaceWarnings } from './rules';

export type { KubeObject } from './objects';
export type { PlanWarning, WarningKind } from './rules';

/** One object that appears, goes or changes. */
export interface ObjectChange {
  /** `+` added, `-` removed, `~` changed. */
  readonly change: '+' | '-' | '~';
  /** The object, as `Kind/name` with its namespace. */
  readonly object: string;
  /** The fields that differ (changed objects only). */
  readonly paths: readonly FieldPath[];
}

/** What applying `after` over `before` does. */
export interface Plan {
  /** Every object added, removed or changed, in a stable order. */
  readonly changes: readonly ObjectChange[];
  /** Changes an apply cannot make in place, capacity dips, previews to close. */
  readonly warnings: readonly PlanWarning[];
  /**
   * Objects that left the output but that the apply does not delete (outside its scope: another
   * environment's namespace, another preview), as `Kind/name`. @default none
   */
  readonly kept?: readonly string[];
}

export interface PlanOptions {
  /**
   * For a Namespace that left the output: the command that closes it, when it is one the app
   * can close (a preview); undefined for others. @default - no close line
   */
  readonly closeCommand?: (namespace: KubeObject) => string | undefined;
  /**
   * Whether the apply deletes an object that left the output: its prune takes only objects of its
   * selector and allowlist, namespaced ones in the namespaces it applies to (lib/plan/prune.ts
   * pruneTargets). The others stay as they are, and are counted, not listed as removed.
   * @default - every object that left is deleted
   */
  readonly pruned?: (object: KubeObject) => boolean;
}

/** Compares two sets of objects (two outputs, or live and would-be-applied) by identity. */
export function planChanges(before: readonly KubeObject[], after: readonly KubeObject[], options: PlanOptions = {}): Plan {
  const old = new Map(before.map((o) => [identityOf(o), o]));
  const next = new Map(after.map((o) => [identityOf(o), o]));
  const added = [...next].filter(([id]) => !old.has(id)).map(([, o]) => o);
  const left = [...old].filter(([id]) => !next.has(id)).map(([, o]) => o);
  const removed = left.filter((o) => options.pruned?.(o) ?? true);
  const kept = left.filter((o) => !removed.includes(o));
  const changed: ChangedPair[] = [];
  for (const [id, object] of next) {
    const previous = old.get(id);
    if (!previous) continue;
    const paths = changedPaths(previous, object);
    if (paths.length > 0) changed.push({ before: previous, after: object, paths });
  }
  const changes: ObjectChange[] = [
    ...added.map((o) => ({ change: '+' as const, object: displayName(o), paths: [] })),
    ...removed.map((o) => ({ change: '-' as const, object: displayName(o), paths: [] })),
    ...changed.map((pair) => ({ change: '~' as const, object: displayName(pair.after), paths: pair.paths })),
  ].sort((a, b) => compareText(a.object, b.object) || compareText(a.change, b.change));

  const closedNamespaces = new Set(left.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name));
  const warnings: PlanWarning[] = [
    ...changed.flatMap(replaceWarnings),
    // Objects inside a Namespace that goes are closed with it (the close line), not pruned one by one.
    ...dipWarnings(before, after, changed, removed.filter((o) => !closedNamespaces.has(o.metadata?.namespace))),
    // A Namespace that left is closed on purpose, whether or not this apply could reach it.
    ...left.filter((o) => o.kind === 'Namespace').flatMap((namespace) => {
      const command = options.closeCommand?.(namespace);
      return command ? [{ kind: 'close' as const, object: displayName(namespace), message: `left the output; a pruning apply leaves other previews alone, so close it with \`${command}\`` }] : [];
    }),
  ];
  return { changes, warnings, kept: kept.map(displayName).sort(compareText) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The plan's lines: one per object, then one per warning. Names are escaped where they are made
 * (objects.ts displayName); each line is escaped once more whole (field paths are keys of the
 * manifests, kubectl's warnings the server's text), so no line holds a control character. The
 * command that prints them masks passwords (lib/program/printing.ts).
 */
export function formatPlan(plan: Plan): string[] {
  return [
    ...plan.changes.map((c) => (c.change === '~' ? `~ ${c.object}: ${c.paths.map((p) => shorten(p)).join(', ')}` : `${c.change} ${c.object}`)),
    ...plan.warnings.map((w) => `! ${w.kind} ${w.object}: ${w.message}`),
  ].map(escapeControls);
}

/** As `kubectl diff`: 0 when nothing differs, 1 when something does. */
export function planExitCode(plan: Plan): 0 | 1 {
  return plan.changes.length === 0 ? 0 : 1;
}
