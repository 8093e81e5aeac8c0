import * as fs from 'fs';
import * as path from 'path';

/** Where the output before the last one that differed is kept: `.dist-previous` beside `dist`. */
export function previousOutputDir(outdir: string): string {
  return path.join(path.dirname(path.resolve(outdir)), `.${path.basename(outdir)}-previous`);
}

function manifests(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  // No output yet, or something that is not a folder (the synth refuses that one with its own line).
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return files;
  // The manifests as kubectl reads them: the .yaml/.yml/.json entries, links followed (a dist/ of
  // the layout before plain files links each through dist/.generation), dotfiles skipped (the
  // synth's temporary files, the old switch link).
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name.startsWith('.') || !/\.(ya?ml|json)$/.test(name) || !fs.statSync(file).isFile()) continue;
    const text = fs.readFileSync(file, 'utf8');
    // An empty file (a placeholder of the old layout) holds no objects: not part of the output.
    if (text !== '') files.set(name, text);
  }
  return files;
}

/** A copy of the current output, written beside its place, waiting for the synth to succeed. */
export interface StagedPreviousOutput {
  /** Renames the copy into place: the synth wrote its new output. @returns the folder written, if any */
  commit(): string | undefined;
  /** Removes the copy: the synth failed, so the output it would have replaced is still the current one. */
  discard(): void;
}

/**
 * Prepares keeping the current output for `npm run plan` before a new one replaces it: copies
 * `outdir` beside `.<outdir>-previous` when the new contents differ. Only commit() changes
 * `.<outdir>-previous`, so a synth that fails (a full disk, a file in dist/ that is not the
 * synth's) leaves it as it was, and the plan keeps showing the last change that happened. A
 * synth that changes nothing keeps the earlier copy too. Never throws: the copy is a convenience
 * for the plan, never a reason to fail the synth (it then compares with an older copy).
 */
export function stagePreviousOutput(outdir: string, next: ReadonlyMap<string, string>): StagedPreviousOutput {
  const target = previousOutputDir(outdir);
  const nothing: StagedPreviousOutput = { commit: () => undefined, discard: () => undefined };
  let staging: string | undefined;
  try {
    removeStaleScratch(target);
    const current = manifests(outdir);
    if (current.size === 0) return nothing;
    const nonEmpty = [...next].filter(([, text]) => text !== '');
    const same = current.size === nonEmpty.length && nonEmpty.every(([file, text]) => current.get(file) === text);
    if (same) return nothing;
    // The pid in the name lets a later synth tell a killed run's scratch from a running one's.
    staging = fs.mkdtempSync(`${target}-new-${process.pid}-`);
    for (const [file, text] of current) fs.writeFileSync(path.join(staging, file), text);
  } catch {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
    return nothing;
  }
  const copy = staging;
  return {
    commit: () => {
      const old = `${copy}-old`;
      let moved = false;
      try {
        if (fs.existsSync(target)) {
          fs.renameSync(target, old);
          moved = true;
        }
        fs.renameSync(copy, target);
        fs.rmSync(old, { recursive: true, force: true });
        return target;
      } catch {
        // Another synth renaming the same copy at the same moment, a full disk: the older copy
        // stays (put back if it was already moved aside).
        if (moved && !fs.existsSync(target)) {
          try {
            fs.renameSync(old, target);
          } catch {
            // Left as `-old` for the next synth's removeStaleScratch to put back.
          }
        }
        return undefined;
      } finally {
        fs.rmSync(copy, { recursive: true, force: true });
      }
    },
    discard: () => {
      try {
        fs.rmSync(copy, { recursive: true, force: true });
      } catch {
        // Left for the next synth's removeStaleScratch: the synth's own error is the one to report.
      }
    },
  };
}

/**
 * Keeps the current output for `npm run plan` at once (stage and commit): for a caller that has
 * already written, or will not write, the new output.
 * @returns the folder written, or undefined when there was nothing to keep
 */
export function keepPreviousOutput(outdir: string, next: ReadonlyMap<string, string>): string | undefined {
  return stagePreviousOutput(outdir, next).commit();
}

/** Scratch folders of synths that were killed while keeping the previous output: their process is gone. */
function removeStaleScratch(target: string): void {
  const parent = path.dirname(target);
  const prefix = `${path.basename(target)}-new-`;
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((name) => name.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
    // A copy moved aside by a synth killed before it renamed the new one in: still the one to keep.
    if (name.endsWith('-old') && !fs.existsSync(target)) fs.renameSync(path.join(parent, name), target);
    else fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, another user's; ESRCH: gone.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
