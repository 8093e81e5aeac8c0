import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { echo } from './config';

/*
 * The output folder: plain files that the synth owns.
 *
 * `dist/` holds only the manifests, as regular files, so every copy tool (cp -r, cp -a, rsync -a,
 * tar, zip, `git add -f dist`, GitHub's upload-artifact) and Windows get exactly them. What the
 * synth needs besides lives in a folder beside the output, `.dist-synth/` (`.<name>-synth` beside
 * `<name>`, beside the folder a `dist` link leads to), which no copy of `dist/` carries:
 *
 *   .dist-synth/owned.json   the record: each file this project's synths wrote in dist/, with the
 *                            SHA-256 of its content
 *   .dist-synth/lock         held while a synth changes dist/ (its owner's host, pid and a nonce)
 *
 * The record is outside dist/ on purpose: inside, as a dotfile, kubectl would ignore it (it reads
 * only .json/.yaml/.yml: k8s.io/cli-runtime pkg/resource/builder.go FileExtensions), but cp -r,
 * tar, zip and `git add -f` would carry it, and a copy of dist/ would no longer be just manifests.
 *
 * Ownership. A manifest entry of dist/ (a name ending in .yaml, .yml or .json) is the synth's when
 * it is a regular file whose SHA-256 the record lists for its name, or a link of the layout before
 * this one (below). Anything else there, a hand-written file or a file the synth wrote that was
 * edited since, is the user's: the synth stops before changing anything, with one line naming it,
 * whether or not the new output has a file of that name. Stopping rather than keeping it: kubectl
 * apply -f dist would apply it with the output, and a plan or a copy of dist/ would pass it off as
 * output. Entries that are not manifests (NOTES.txt, .gitkeep) are never looked at.
 *
 * Writing. Under the lock, a synth (1) reads the record and judges every manifest entry; (2)
 * writes each changed file to a temporary dotfile in dist/ (`.<name>.synth-<owner>`, which no
 * reader takes for a manifest); (3) renames a record listing, per name, both the old and the new
 * hash into place; (4) renames each temporary file over its name (rename(2) replaces it
 * atomically: a reader opening it gets the whole old file or the whole new one) and removes the
 * files the new output has not; (5) renames the record of the new output alone into place and
 * removes what killed synths left (their temporary files and locks). A file whose content is
 * unchanged is not rewritten.
 *
 * What a fault leaves. A failure in (1)-(3) changes nothing in dist/. A failure in (4) puts back,
 * file by file, what it had changed (the old content, or no file), then reports the error: dist/ is
 * as it was. A synth killed at any instant leaves each file of dist/ whole, old or new (an added
 * file absent, a removed one present), never a partial file, and may leave a temporary dotfile;
 * the record of (3) still owns both contents, so the next synth writes the whole new output and
 * removes the dotfile. A reader during a synth sees, for the moment of
 * step (4), some files already new and others still old; each one is whole. A failure after (4)
 * is a warning: the new output is in place. (The promise is about failed and killed processes; a
 * power cut may lose what the kernel had not yet written to disk.)
 *
 * Synths at once. The lock (a hard link to a file naming its owner: link(2) fails if the lock
 * exists, and Windows makes hard links on NTFS without admin rights) makes them take turns: the second waits (up to a minute) and then
 * writes its output over the first's, so the folder ends with one complete output. A lock whose
 * owner is dead (a killed synth, same host) is broken by the next synth; one of another host
 * cannot be checked and is waited for. A live process that reuses a dead synth's pid keeps its
 * lock until the wait ends, with a line saying which file to delete.
 *
 * The layout before this one (dist/ of links through `dist/.generation` into
 * `.dist-generations/g-*`) is the tool's own: its links are replaced by plain files like any file
 * the synth owns, then the switch, its leftovers and the generation folders go.
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


/** What kubectl applies from a folder: k8s.io/cli-runtime pkg/resource/builder.go FileExtensions (case-sensitive). */
const MANIFEST_FILE = /\.(ya?ml|json)$/;
/** The record's name in the synth's folder. */
export const RECORD = 'owned.json';
const LOCK = 'lock';
/** A temporary or set-aside entry, named after its owner: `<...>.synth-<host>-<pid>-<nonce>` or `.stale-`. */
const SCRATCH = /\.(?:synth|stale)-([0-9a-f]{8}-[0-9]+-[0-9a-f]{12})$/;
const OWNER = /^([0-9a-f]{8})-([0-9]+)-[0-9a-f]{12}$/;

/** The layout before this one: the switch link, its new copies, and the folder of generations. */
const LEGACY_SWITCH = '.generation';
const LEGACY_NEW_SWITCH = /^\.generation\.new-[0-9a-f]+-[0-9]+-[0-9a-f]+$/;
const LEGACY_ENTRY = /^(?:g|trash)-[0-9a-f]+-[0-9]+-[0-9a-f]+(?:\.pending)?$/;

/** The synth's own folder beside the output folder `out` (already resolved): `.dist-synth` beside `dist`. */
export function synthStateDir(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}-synth`);
}

function legacyGenerationsDir(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}-generations`);
}

// Owners are named by host and pid: another host's (or container's) process cannot be checked,
// so its entries count as alive and are left alone.
const HOST = createHash('sha1').update(os.hostname()).digest('hex').slice(0, 8);

function newOwnerId(): string {
  return `${HOST}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Whether the owner an id names may still be at work. One of this process is not: writeOutput is
 * synchronous, so an entry of this pid that the running call did not make was left by an earlier one.
 */
function ownerAlive(id: string): boolean {
  const owner = OWNER.exec(id);
  if (!owner || owner[1] !== HOST) return true;
  const pid = Number(owner[2]);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'EPERM';
  }
}

function code(error: unknown): string | undefined {
  return (error as SystemError | undefined)?.code;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** writeFileSync, whose errors name the file even when the failing call (write) took a descriptor. */
function writeFile(file: string, content: string | Buffer, flag = 'w'): void {
  try {
    fs.writeFileSync(file, content, { flag });
  } catch (error) {
    if (isSystemError(error) && error.path === undefined) Object.assign(error, { path: file });
    throw error;
  }
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

function readIfThere(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function removeFile(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if (code(error) !== 'ENOENT') throw error;
  }
}

/** Writes a file under a temporary name beside it, then renames it over: readers see it whole or not at all. */
function replaceFile(file: string, content: string | Buffer): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.synth-${newOwnerId()}`);
  writeFile(temporary, content, 'wx');
  try {
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
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

/** The record: for each file name, the SHA-256 of each content of it a synth wrote and still owns. */
type Ownership = Map<string, Set<string>>;

const RECORD_ABOUT = 'Written by the synth (lib/program/output.ts): the files it wrote in the output folder, by SHA-256. '
  + 'A manifest there whose content matches none of these is not the synth\'s: it is never overwritten or removed.';

function readRecord(file: string, out: string): Ownership {
  const bytes = readIfThere(file);
  const record: Ownership = new Map();
  if (bytes === undefined) return record;
  const bad = () => new OutputError(`${echo(file)} is not a record the synth writes (expected {"files": {"<name>": ["<sha256>", ...]}}): delete it; the synth then owns no file in ${echo(out)}, and names each manifest there for you to move out first`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw bad();
  }
  const files = (parsed as { files?: unknown } | null)?.files;
  if (typeof files !== 'object' || files === null || Array.isArray(files)) throw bad();
  for (const [name, hashes] of Object.entries(files)) {
    if (!Array.isArray(hashes) || !hashes.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) throw bad();
    record.set(name, new Set(hashes as string[]));
  }
  return record;
}

function writeRecord(file: string, record: Ownership): void {
  const files = Object.fromEntries([...record].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, hashes]) => [name, [...hashes].sort()]));
  replaceFile(file, `${JSON.stringify({ about: RECORD_ABOUT, files }, null, 2)}\n`);
}

/** A manifest entry of the output folder before the synth, as far as it is the synth's. */
type Before =
  | { readonly kind: 'file'; readonly bytes: Buffer }
  /** A link through `dist/.generation` (the layout before this one); bytes what it shows, if anything. */
  | { readonly kind: 'link'; readonly bytes: Buffer | undefined };

/**
 * Judges every manifest entry of the output folder: the synth's own, or the user's (which stops
 * the synth before anything changed, naming the entry).
 */
function survey(out: string, record: Ownership, recordFile: string): Map<string, Before> {
  const before = new Map<string, Before>();
  const names = fs.readdirSync(out).filter((name) => MANIFEST_FILE.test(name)).sort();
  for (const name of names) {
    const file = path.join(out, name);
    const stats = lstat(file);
    if (!stats) continue; // removed meanwhile (not by a synth: they hold the lock)
    const keep = `synth never overwrites or removes a file it did not write: move it out of ${echo(out)} (or delete it), then synth again`;
    if (stats.isSymbolicLink() && readLink(file) === `${LEGACY_SWITCH}/${name}`) {
      before.set(name, { kind: 'link', bytes: readIfThere(file) });
    } else if (stats.isFile()) {
      const bytes = fs.readFileSync(file);
      if (record.get(name)?.has(sha256(bytes))) before.set(name, { kind: 'file', bytes });
      else if (record.has(name)) throw new OutputError(`${echo(file)} was changed since a synth wrote it (its SHA-256 is not the one ${echo(recordFile)} has): ${keep}`);
      else throw new OutputError(`${echo(file)} was not written by a synth of this project (${echo(recordFile)} does not list it): ${keep}`);
    } else {
      const kind = stats.isDirectory() ? 'a folder' : stats.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
      throw new OutputError(`${echo(file)} is ${kind}, not a file a synth wrote: ${keep}`);
    }
  }
  return before;
}

/** Puts a name back as it was before the synth: its old content, its old link, or no file. */
function restore(out: string, name: string, was: Before | undefined): void {
  const file = path.join(out, name);
  if (was === undefined) removeFile(file);
  else if (was.kind === 'file') replaceFile(file, was.bytes);
  else {
    const temporary = path.join(out, `.${name}.synth-${newOwnerId()}`);
    fs.symlinkSync(`${LEGACY_SWITCH}/${name}`, temporary);
    fs.renameSync(temporary, file);
  }
}

interface Lock {
  readonly file: string;
  release(): void;
}

/**
 * Takes the output's lock: hard-links a file naming this process to `lock` (link(2) fails if it
 * exists, and the name appears with its content whole). Waits while a live synth holds it; breaks
 * a dead one's.
 */
function takeLock(state: string, out: string, waitMs: number): Lock {
  const file = path.join(state, LOCK);
  const id = newOwnerId();
  const candidate = path.join(state, `${LOCK}.synth-${id}`);
  writeFile(candidate, `${id}\n`, 'wx');
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        fs.linkSync(candidate, file);
        return { file, release: () => { if (readIfThere(file)?.toString('utf8').trim() === id) removeFile(file); } };
      } catch (error) {
        if (code(error) !== 'EEXIST') throw error;
      }
      const holder = readIfThere(file)?.toString('utf8').trim();
      if (holder === undefined) continue; // released meanwhile
      if (!ownerAlive(holder)) {
        breakLock(state, file, holder);
        continue;
      }
      if (Date.now() >= deadline) {
        const owner = OWNER.exec(holder);
        const who = owner === null ? `an owner it cannot name (${echo(holder.slice(0, 60))})` : owner[1] === HOST ? `process ${owner[2]}` : `process ${owner[2]} of another host`;
        throw new OutputError(`${echo(out)} is being written by another synth (${who} holds ${echo(file)}); waited ${Math.round(waitMs / 1000)} s: if no synth is running, delete that file`);
      }
      sleep(20);
    }
  } finally {
    fs.rmSync(candidate, { force: true });
  }
}

/**
 * Removes a dead owner's lock: renames it aside first and looks at what it moved, so that a lock
 * another synth took in between (after breaking the same dead one) is given back, not removed.
 */
function breakLock(state: string, file: string, holder: string): void {
  const aside = path.join(state, `${LOCK}.stale-${newOwnerId()}`);
  try {
    fs.renameSync(file, aside);
  } catch (error) {
    if (code(error) === 'ENOENT') return;
    throw error;
  }
  if (readIfThere(aside)?.toString('utf8').trim() !== holder) {
    try {
      fs.linkSync(aside, file);
    } catch (error) {
      if (code(error) !== 'EEXIST') throw error;
    }
  }
  removeFile(aside);
}

export interface OutputOptions {
  /** How long to wait for another synth's lock. @default 60000 */
  readonly lockWaitMs?: number;
}

/**
 * Replaces the output folder's manifests by `contents`, each file atomically (see the comment at
 * the top). Throws an OutputError, with the folder unchanged, when a file there is not the synth's
 * or the new output cannot be written; returns warnings for what could not be tidied once the new
 * output was in place.
 */
export function writeOutput(outdir: string, contents: ReadonlyMap<string, string>, options: OutputOptions = {}): string[] {
  return guard(outdir, () => {
    const out = resolveOutput(outdir);
    const state = synthStateDir(out);
    // Folders this call makes, removed again (when still empty) if it fails: a failed synth changes nothing.
    const made = [out, state].filter((folder) => lstat(folder) === undefined);
    try {
      fs.mkdirSync(out, { recursive: true });
      fs.mkdirSync(state, { recursive: true });
      const lock = takeLock(state, out, options.lockWaitMs ?? 60_000);
      let warnings: string[];
      try {
        warnings = replaceOutput(out, state, contents);
      } catch (error) {
        try {
          lock.release();
        } catch {
          // The error that stopped the synth is the one to report; a dead owner's lock is broken by the next synth.
        }
        throw error;
      }
      attempt(warnings, `remove the lock ${echo(lock.file)}`, () => lock.release());
      return warnings;
    } catch (error) {
      for (const folder of made.reverse()) {
        try {
          fs.rmdirSync(folder);
        } catch {
          // Not empty (another synth's files), or gone: left as it is.
        }
      }
      throw error;
    }
  });
}

function replaceOutput(out: string, state: string, contents: ReadonlyMap<string, string>): string[] {
  const recordFile = path.join(state, RECORD);
  const record = readRecord(recordFile, out);
  const before = survey(out, record, recordFile);

  // (2) The changed files, each beside its place under a name no reader takes for a manifest.
  const staged = new Map<string, string>();
  try {
    for (const [name, content] of contents) {
      const was = before.get(name);
      if (was?.kind === 'file' && was.bytes.equals(Buffer.from(content))) continue;
      const temporary = path.join(out, `.${name}.synth-${newOwnerId()}`);
      staged.set(name, temporary);
      writeFile(temporary, content, 'wx');
    }
    // (3) A record that owns both the old and the new content of every name, for a kill in (4).
    const both: Ownership = new Map();
    for (const [name, was] of before) if (was.kind === 'file') both.set(name, new Set([sha256(was.bytes)]));
    for (const [name, content] of contents) both.set(name, new Set([...(both.get(name) ?? []), sha256(content)]));
    writeRecord(recordFile, both);
  } catch (error) {
    for (const temporary of staged.values()) fs.rmSync(temporary, { force: true });
    throw error;
  }

  // (4) The only steps a reader sees: one rename per changed file, one unlink per removed one.
  const changed: string[] = [];
  try {
    for (const [name, temporary] of staged) {
      fs.renameSync(temporary, path.join(out, name));
      staged.delete(name);
      changed.push(name);
    }
    for (const name of before.keys()) {
      if (contents.has(name)) continue;
      removeFile(path.join(out, name));
      changed.push(name);
    }
  } catch (error) {
    for (const temporary of staged.values()) fs.rmSync(temporary, { force: true });
    // Put back what changed; if that fails too, each file is still whole, old or new, and the
    // record of (3) owns both, so the next synth writes the whole output.
    try {
      for (const name of changed.reverse()) restore(out, name, before.get(name));
      writeRecord(recordFile, record);
    } catch {
      // The first error is the one to report.
    }
    throw error;
  }

  // (5) The new output is in place: from here on, nothing may fail the synth.
  const warnings: string[] = [];
  const owned: Ownership = new Map([...contents].map(([name, content]) => [name, new Set([sha256(content)])]));
  attempt(warnings, `update the record ${echo(recordFile)}`, () => writeRecord(recordFile, owned));
  attempt(warnings, `remove the layout before plain files (${echo(path.join(out, LEGACY_SWITCH))}, ${echo(legacyGenerationsDir(out))})`, () => removeLegacy(out, warnings));
  attempt(warnings, `remove what killed synths left in ${echo(out)} and ${echo(state)}`, () => removeScratch(out, state, warnings));
  return warnings;
}

/**
 * Removes the layout before this one once no manifest links through its switch: the switch, new
 * switches a killed synth left, and the generation folders (the entries of `.dist-generations/`
 * it named; anything else there is left, and so is the folder then).
 */
function removeLegacy(out: string, warnings: string[]): void {
  const switchFile = path.join(out, LEGACY_SWITCH);
  if (readLink(switchFile)?.startsWith(`../${path.basename(legacyGenerationsDir(out))}/`)) removeFile(switchFile);
  for (const name of fs.readdirSync(out)) {
    if (LEGACY_NEW_SWITCH.test(name) && lstat(path.join(out, name))?.isSymbolicLink()) removeFile(path.join(out, name));
  }
  const generations = legacyGenerationsDir(out);
  if (!lstat(generations)?.isDirectory()) return;
  const names = fs.readdirSync(generations);
  for (const name of names.filter((n) => LEGACY_ENTRY.test(n))) fs.rmSync(path.join(generations, name), { recursive: true, force: true });
  const others = names.filter((n) => !LEGACY_ENTRY.test(n));
  if (others.length === 0) fs.rmdirSync(generations);
  else warnings.push(`left ${echo(generations)}: it holds ${others.map(echo).join(', ')}, which no synth made`);
}

/** Temporary files, lock candidates and set-aside locks whose owner is dead (killed synths'). */
function removeScratch(out: string, state: string, warnings: string[]): void {
  for (const folder of [out, state]) {
    for (const name of fs.readdirSync(folder)) {
      const owner = SCRATCH.exec(name)?.[1];
      if (owner === undefined || ownerAlive(owner)) continue;
      if (folder === out && !name.startsWith('.')) continue;
      attempt(warnings, `remove ${echo(path.join(folder, name))}`, () => removeFile(path.join(folder, name)));
    }
  }
}
