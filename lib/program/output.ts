import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { echo } from './config';

/*
 * The output folder, always whole.
 *
 * `kubectl apply -f dist` does not follow a link named on its command line to a folder
 * (k8s.io/cli-runtime pkg/resource/visitor.go ExpandPathsToFileVisitors walks it with
 * filepath.Walk, which lstats the root, then reads "dist" as a file: "is a directory"), so
 * `dist/` stays a real folder. Its manifests are links through one switch, `dist/.generation`:
 *
 *   dist/.generation          -> ../.dist-generations/g-<id>
 *   dist/multi-k8s.k8s.yaml   -> .generation/multi-k8s.k8s.yaml
 *
 * kubectl reads only entries ending in .json, .yaml or .yml (builder.go FileExtensions) and does
 * not descend into links, and the validator reads only manifest files too: the switch is
 * invisible to both.
 *
 * A synth writes its files into a new generation folder, then renames a new `.generation` link over
 * the old one: rename(2) replaces it atomically, so every manifest switches at once and a reader
 * (or a synth killed at any system call) sees the previous output or the new one. A file only one
 * of the two has is an empty file (no objects) in the other, so a link never dangles: before the
 * switch, the current generation gets an empty file for each name being added and the new one for
 * each name being removed; after it, the links to empty files go. A `dist/` of real files (the
 * layout before this one, or a fresh folder) is first copied into a generation and each file
 * replaced, by rename, with a link to its identical copy.
 *
 * Every entry of `.dist-generations/`, and the new switch link `dist/.generation.new-<owner>-<n>`
 * before its rename, carries its owner (host and pid) in its name:
 *   g-<owner>-<n>            a generation folder
 *   g-<owner>-<n>.pending    exists from before that folder is made until after it is switched
 *                            in: a folder still being written, which no one else may remove
 *   trash-<owner>-<n>        a folder being removed
 * After its switch a synth removes every generation folder that is neither the current one nor
 * pending, and what killed synths left behind. The order (markers read first, then the link, then
 * the removals) makes this safe with synths running at the same time: a folder seen without its
 * marker was switched in before the link was read, so it is either current, kept, or superseded
 * for good. The last synth to clean up sees every other marker gone and the final link.
 * Synths of the same files at once only ever switch. Synths of different file sets at once (say,
 * different PREVIEWS) can, for the moment between them, show a file missing or dangling: each
 * adds and removes links for its own set; the last one's clean-up sets them right.
 */

/** The output could not be written or read: one line naming the path and the errno. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

/** A system call's error, as Node throws it. */
interface SystemError extends Error {
  readonly code: string;
  readonly syscall?: string;
  readonly path?: string;
  readonly dest?: string;
}

/** Whether an error is one the operating system reported (EACCES, ENOSPC...), not a bug. */
export function isSystemError(error: unknown): error is SystemError {
  // Not `instanceof Error`: errors from Node's core may come from another realm (jest's sandbox).
  return typeof error === 'object' && error !== null && typeof (error as SystemError).code === 'string'
    && typeof (error as SystemError).message === 'string' && /^E[A-Z0-9]+$/.test((error as SystemError).code);
}

/** One line for an operating-system error: the call, the path(s), the errno and its meaning. */
export function describeSystemError(error: SystemError): string {
  // Node's message reads "EACCES: permission denied, open '/x'": keep the meaning, name the rest ourselves.
  const meaning = /^E[A-Z0-9]+: ([^,]*)/.exec(error.message)?.[1] ?? error.message;
  const paths = [error.path, error.dest].filter((p): p is string => p !== undefined).map(echo).join(' -> ');
  return `${error.syscall ?? 'system call'} ${paths || '(no path)'} failed: ${error.code} (${meaning.replace(/[\u0000-\u001f\u007f]/g, ' ')})`;
}


/** The link in the output folder that every manifest goes through. */
export const SWITCH = '.generation';
/** What kubectl applies from a folder: k8s.io/cli-runtime pkg/resource/builder.go FileExtensions (case-sensitive). */
const MANIFEST_FILE = /\.(ya?ml|json)$/;
const GENERATION = /^g-[0-9a-f]+-[0-9]+-[0-9a-f]+$/;
const OWNED = /^(?:g|trash|\.generation\.new)-([0-9a-f]+)-([0-9]+)-[0-9a-f]+(?:\.pending)?$/;

type Kind = 'g' | 'trash' | '.generation.new';

function generationsDir(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}-generations`);
}

/** The text of the switch link to a generation: relative, so the tree can move. */
function switchText(out: string, generation: string): string {
  return `../${path.basename(generationsDir(out))}/${generation}`;
}

const fileLinkText = (file: string) => `${SWITCH}/${file}`;

// Owners are named by host and pid: another host's (or container's) process cannot be checked,
// so its entries count as alive and are left alone.
const HOST = createHash('sha1').update(os.hostname()).digest('hex').slice(0, 8);

function newName(kind: Kind): string {
  return `${kind}-${HOST}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

function ownerAlive(name: string): boolean {
  const owner = OWNED.exec(name);
  if (!owner || owner[1] !== HOST) return true;
  const pid = Number(owner[2]);
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as SystemError).code === 'EPERM';
  }
}

function ownedByMe(name: string): boolean {
  const owner = OWNED.exec(name);
  return owner !== null && owner[1] === HOST && Number(owner[2]) === process.pid;
}

/** writeFileSync, whose errors name the file even when the failing call (write) took a descriptor. */
function writeFile(file: string, content: string, flag = 'w'): void {
  try {
    fs.writeFileSync(file, content, { flag });
  } catch (error) {
    if (isSystemError(error) && error.path === undefined) Object.assign(error, { path: file });
    throw error;
  }
}

function code(error: unknown): string | undefined {
  return (error as SystemError | undefined)?.code;
}

function lstat(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function readLink(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch (error) {
    if (code(error) === 'ENOENT' || code(error) === 'EINVAL') return undefined;
    throw error;
  }
}

/** The generation `dist/.generation` points at, if it is one of ours. */
function currentGeneration(out: string): string | undefined {
  const text = readLink(path.join(out, SWITCH));
  const prefix = switchText(out, '');
  if (text === undefined || !text.startsWith(prefix)) return undefined;
  const name = text.slice(prefix.length);
  return GENERATION.test(name) ? name : undefined;
}

/**
 * Follows links the user made (`dist -> /somewhere/out`) to the folder they lead to, so the
 * output is written through them; refuses anything that is not a folder.
 */
function resolveOutput(outdir: string): string {
  let current = path.resolve(outdir);
  for (let hops = 0; hops <= 32; hops++) {
    const stats = lstat(current);
    if (!stats || stats.isDirectory()) return current;
    if (stats.isSymbolicLink()) {
      current = path.resolve(path.dirname(current), fs.readlinkSync(current));
      continue;
    }
    const kind = stats.isFile() ? 'a regular file' : stats.isFIFO() ? 'a named pipe' : stats.isSocket() ? 'a socket' : 'a device';
    const where = current === path.resolve(outdir) ? '' : ` (where ${echo(outdir)} leads)`;
    throw new OutputError(`${echo(current)}${where} is ${kind}, not a folder: synth writes its manifests into a folder there and never deletes what it did not make; move it away`);
  }
  throw new OutputError(`${echo(outdir)} is a chain of more than 32 symbolic links (a loop?): point it at a folder`);
}

/** Manifest entries of the output folder: links through the switch, and real files. */
function entries(out: string): { links: string[]; files: string[] } {
  const links: string[] = [];
  const files: string[] = [];
  for (const entry of fs.readdirSync(out, { withFileTypes: true })) {
    if (!MANIFEST_FILE.test(entry.name)) continue;
    if (entry.isSymbolicLink() && readLink(path.join(out, entry.name)) === fileLinkText(entry.name)) links.push(entry.name);
    else if (entry.isFile()) files.push(entry.name);
  }
  return { links: links.sort(), files: files.sort() };
}

/** Runs output steps, turning operating-system errors into one-line OutputErrors. */
function guard<T>(outdir: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (isSystemError(error)) throw new OutputError(`cannot write ${echo(outdir)}: ${describeSystemError(error)}`);
    throw error;
  }
}

function attempt(warnings: string[], what: string, step: () => void): void {
  try {
    step();
  } catch (error) {
    warnings.push(`could not ${what}: ${isSystemError(error) ? describeSystemError(error) : String(error)}`);
  }
}

/** Makes a new generation folder (with its pending marker) holding these files. */
function writeGeneration(out: string, contents: ReadonlyMap<string, string>): { name: string; pending: string } {
  const generations = generationsDir(out);
  const name = newName('g');
  const folder = path.join(generations, name);
  const pending = `${folder}.pending`;
  writeFile(pending, '', 'wx');
  try {
    fs.mkdirSync(folder);
    for (const [file, content] of contents) writeFile(path.join(folder, file), content);
  } catch (error) {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(pending, { force: true });
    throw error;
  }
  return { name, pending };
}

/** Points the switch at a generation: one rename, the only step a reader can see. */
function flip(out: string, generation: string): void {
  const link = path.join(out, newName('.generation.new'));
  fs.symlinkSync(switchText(out, generation), link);
  try {
    fs.renameSync(link, path.join(out, SWITCH));
  } catch (error) {
    fs.rmSync(link, { force: true });
    throw error;
  }
}

/**
 * Brings a folder of real manifest files (the old layout, a fresh folder, or a run killed half
 * way through this step) under the switch without changing what it shows: copies what it shows
 * into a generation, switches to it, then replaces each real file by a link to its copy.
 */
function adopt(out: string): void {
  const { links, files } = entries(out);
  const current = currentGeneration(out);
  if (files.length === 0 && current !== undefined && lstat(path.join(generationsDir(out), current))?.isDirectory()) return;
  const shown = new Map<string, string>();
  for (const file of [...links, ...files]) {
    try {
      shown.set(file, fs.readFileSync(path.join(out, file), 'utf8'));
    } catch (error) {
      if (code(error) !== 'ENOENT') throw error; // a link whose generation is gone shows nothing
    }
  }
  const { name, pending } = writeGeneration(out, shown);
  try {
    flip(out, name);
    for (const file of files) {
      const link = path.join(out, newName('.generation.new'));
      fs.symlinkSync(fileLinkText(file), link);
      fs.renameSync(link, path.join(out, file));
    }
  } finally {
    fs.rmSync(pending, { force: true });
  }
}

/**
 * Links each name through the switch, first giving the current generation an empty file (no
 * objects) for each name it lacks, so that no link dangles before the switch.
 */
function linkNames(out: string, names: readonly string[]): void {
  for (let tries = 0; ; tries++) {
    const { links } = entries(out);
    const missing = names.filter((name) => !links.includes(name));
    if (missing.length === 0) return;
    const current = currentGeneration(out);
    try {
      if (current !== undefined) {
        for (const name of missing) {
          try {
            writeFile(path.join(generationsDir(out), current, name), '', 'wx');
          } catch (error) {
            if (code(error) !== 'EEXIST') throw error;
          }
        }
      }
      for (const name of missing) {
        try {
          fs.symlinkSync(fileLinkText(name), path.join(out, name));
        } catch (error) {
          if (code(error) !== 'EEXIST') throw error;
        }
      }
    } catch (error) {
      // ENOENT: another synth switched and removed that generation meanwhile; look again.
      if (code(error) !== 'ENOENT' || tries >= 5) throw error;
    }
  }
}

/**
 * Removes the links to files the current generation has not (or has empty), and adds the links
 * it lacks; repeats while another synth switches meanwhile.
 */
function reconcile(out: string): void {
  for (let tries = 0; tries < 5; tries++) {
    const current = currentGeneration(out);
    if (current === undefined) return;
    let real: string[];
    try {
      const folder = path.join(generationsDir(out), current);
      real = fs.readdirSync(folder).filter((name) => MANIFEST_FILE.test(name) && fs.statSync(path.join(folder, name)).size > 0);
    } catch (error) {
      if (code(error) === 'ENOENT') continue;
      throw error;
    }
    const { links } = entries(out);
    for (const name of links) if (!real.includes(name)) fs.rmSync(path.join(out, name), { force: true });
    for (const name of real) {
      if (links.includes(name)) continue;
      try {
        fs.symlinkSync(fileLinkText(name), path.join(out, name));
      } catch (error) {
        if (code(error) !== 'EEXIST') throw error;
      }
    }
    if (currentGeneration(out) === current) return;
  }
}

/**
 * Replaces the output folder's manifests by `contents`, atomically: at every instant `outdir`
 * shows the complete previous output or the complete new one. Throws an OutputError, with what
 * `outdir` shows unchanged, when the new output cannot be written; returns warnings for what
 * could not be cleaned up once the new output was in place.
 */
export function writeOutput(outdir: string, contents: ReadonlyMap<string, string>): string[] {
  return guard(outdir, () => {
    const out = resolveOutput(outdir);
    fs.mkdirSync(out, { recursive: true });
    fs.mkdirSync(generationsDir(out), { recursive: true });
    adopt(out);

    const files = new Map(contents);
    for (const name of entries(out).links) if (!files.has(name)) files.set(name, '');
    const { name, pending } = writeGeneration(out, files);
    try {
      linkNames(out, [...contents.keys()]);
      flip(out, name);
    } catch (error) {
      const ignored: string[] = [];
      attempt(ignored, 'roll back', () => reconcile(out));
      fs.rmSync(path.join(generationsDir(out), name), { recursive: true, force: true });
      fs.rmSync(pending, { force: true });
      throw error;
    }
    // The new output is in place: from here on, nothing may fail the synth.
    const warnings: string[] = [];
    attempt(warnings, `remove ${echo(pending)}`, () => fs.rmSync(pending, { force: true }));
    attempt(warnings, `remove the links of files the new output has not in ${echo(out)}`, () => reconcile(out));
    attempt(warnings, `clean up ${echo(generationsDir(out))}`, () => cleanUp(out, warnings));
    return warnings;
  });
}

/**
 * Removes generation folders that are neither current nor still being written, and what killed
 * synths left. Markers are read before the switch (see the comment at the top).
 */
function cleanUp(out: string, warnings: string[]): void {
  const generations = generationsDir(out);
  const names = fs.readdirSync(generations).sort();
  const exists = (name: string) => lstat(path.join(generations, name)) !== undefined;
  const unheld = names.filter((name) => GENERATION.test(name) && !(exists(`${name}.pending`) && ownerAlive(`${name}.pending`)));
  const current = currentGeneration(out);
  for (const name of unheld) {
    if (name !== current) attempt(warnings, `remove the old output ${echo(path.join(generations, name))}`, () => removeFolder(generations, name));
  }
  for (const name of names) {
    const full = path.join(generations, name);
    if (name.startsWith('trash-') && (ownedByMe(name) || !ownerAlive(name))) {
      attempt(warnings, `remove ${echo(full)}`, () => fs.rmSync(full, { recursive: true, force: true }));
    } else if (name.endsWith('.pending') && !ownerAlive(name) && (!exists(name.slice(0, -'.pending'.length)) || name.slice(0, -'.pending'.length) === current)) {
      // A dead owner's marker whose folder is gone, or is the output now, guards nothing.
      attempt(warnings, `remove ${echo(full)}`, () => fs.rmSync(full, { force: true }));
    }
  }
  for (const name of fs.readdirSync(out)) {
    if (name.startsWith('.generation.new-') && !ownerAlive(name)) attempt(warnings, `remove ${echo(path.join(out, name))}`, () => fs.rmSync(path.join(out, name), { force: true }));
  }
}

/** Renames a folder out of the way first, so two synths never remove the same tree at once. */
function removeFolder(generations: string, name: string): void {
  const trash = path.join(generations, newName('trash'));
  try {
    fs.renameSync(path.join(generations, name), trash);
  } catch (error) {
    if (code(error) === 'ENOENT') return;
    throw error;
  }
  fs.rmSync(trash, { recursive: true, force: true });
}
