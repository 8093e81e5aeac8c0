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
  // The manifests as kubectl reads them: the .yaml/.yml/.json entries, links followed (each file of
  // dist/ links through dist/.generation, lib/program/output.ts), the switch link itself skipped.
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name.startsWith('.') || !/\.(ya?ml|json)$/.test(name) || !fs.statSync(file).isFile()) continue;
    const text = fs.readFileSync(file, 'utf8');
    // An empty placeholder (a file the other generation has) holds no objects: not part of the output.
    if (text !== '') files.set(name, text);
  }
  return files;
}

/**
 * Keeps the current output for `npm run plan` before a new one replaces it: copies `outdir` to
 * `.<outdir>-previous` when the new contents differ. A synth that changes nothing keeps the
 * earlier copy, so the plan still shows what the last real change did. The copy is written
 * beside its place and renamed in, so an interrupted synth never leaves half of it.
 * @returns the folder written, or undefined when there was nothing to keep
 */
export function keepPreviousOutput(outdir: string, next: ReadonlyMap<string, string>): string | undefined {
  const target = previousOutputDir(outdir);
  removeStaleScratch(target);
  let staging: string | undefined;
  try {
    const current = manifests(outdir);
    if (current.size === 0) return undefined;
    const nonEmpty = [...next].filter(([, text]) => text !== '');
    const same = current.size === nonEmpty.length && nonEmpty.every(([file, text]) => current.get(file) === text);
    if (same) return undefined;
    // The pid in the name lets a later synth tell a killed run's scratch from a running one's.
    staging = fs.mkdtempSync(`${target}-new-${process.pid}-`);
    for (const [file, text] of current) fs.writeFileSync(path.join(staging, file), text);
    const old = `${staging}-old`;
    if (fs.existsSync(target)) fs.renameSync(target, old);
    fs.renameSync(staging, target);
    fs.rmSync(old, { recursive: true, force: true });
    return target;
  } catch {
    // A convenience for `npm run plan`, never a reason to fail the synth (a full disk, another
    // synth renaming the same copy at the same moment): the plan then compares with an older copy.
    return undefined;
  } finally {
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
  }
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
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
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
