import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RECORD, synthStateDir, writeOutput } from '../../lib/program/output';
import { tempDir } from '../helpers';
import { refusal } from '../support/output';

// Kills at every system call, injected OS errors and concurrent synths: test/program/synth-faults.js (run by .ci/run).

/** Every entry of a folder, with what it is: the test sees links and dotfiles too. */
function listing(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const stats = fs.lstatSync(path.join(dir, name));
    entries[name] = stats.isSymbolicLink() ? `-> ${fs.readlinkSync(path.join(dir, name))}` : stats.isDirectory() ? '<folder>' : fs.readFileSync(path.join(dir, name), 'utf8');
  }
  return entries;
}

const output = (files: Record<string, string>) => new Map(Object.entries(files));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const recordOf = (outdir: string) => JSON.parse(fs.readFileSync(path.join(synthStateDir(outdir), RECORD), 'utf8')).files;
const DEAD = 2 ** 22 + 7; // above Linux's default pid_max: no such process

/** The whole state a synth may touch: the output folder and the folders beside it, entry by entry. */
function everything(parent: string): Record<string, Record<string, string>> {
  return Object.fromEntries(fs.readdirSync(parent).sort().filter((n) => fs.lstatSync(path.join(parent, n)).isDirectory()).map((n) => [n, listing(path.join(parent, n))]));
}

/** This machine's tag in the names of the synth's entries (the owner of a temporary file or lock is host, pid, nonce). */
const hostTag = () => createHash('sha1').update(os.hostname()).digest('hex').slice(0, 8);

/** The layout the version before plain files wrote: real folder, every manifest a link through one switch. */
function legacyLayout(parent: string, files: Record<string, string>, placeholders: string[] = []): string {
  const outdir = path.join(parent, 'dist');
  const generation = `g-${hostTag()}-${DEAD}-0123456789ab`;
  const folder = path.join(parent, '.dist-generations', generation);
  fs.mkdirSync(folder, { recursive: true });
  fs.mkdirSync(outdir);
  fs.symlinkSync(`../.dist-generations/${generation}`, path.join(outdir, '.generation'));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(folder, name), text);
    fs.symlinkSync(`.generation/${name}`, path.join(outdir, name));
  }
  // An empty file a name being added or removed got in the other generation (no link to it any more).
  for (const name of placeholders) fs.writeFileSync(path.join(folder, name), '');
  fs.symlinkSync('../.dist-generations/x', path.join(outdir, `.generation.new-${hostTag()}-${DEAD}-cdef01234567`));
  return outdir;
}

describe('writeOutput', () => {
  test('creates a real folder of plain files and nothing else; the record beside it lists each with its SHA-256', () => {
    const parent = path.join(tempDir(), 'nested');
    const outdir = path.join(parent, 'dist');
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' }))).toEqual([]);
    expect(listing(outdir)).toEqual({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-synth', 'dist']);
    expect(fs.readdirSync(synthStateDir(outdir))).toEqual([RECORD]);
    expect(recordOf(outdir)).toEqual({ 'a.yaml': [sha256('a: 1\n')], 'b.yaml': [sha256('b: 1\n')] });
  });

  test('a new output replaces the old: removed files go, added files come, an unchanged file is not rewritten', () => {
    const outdir = path.join(tempDir(), 'dist');
    writeOutput(outdir, output({ 'old.yaml': 'x: 1\n', 'kept.yaml': 'k: 1\n', 'same.yaml': 's: 1\n' }));
    const sameInode = fs.statSync(path.join(outdir, 'same.yaml')).ino;
    expect(writeOutput(outdir, output({ 'new.yaml': 'y: 2\n', 'kept.yaml': 'k: 2\n', 'same.yaml': 's: 1\n' }))).toEqual([]);
    expect(listing(outdir)).toEqual({ 'kept.yaml': 'k: 2\n', 'new.yaml': 'y: 2\n', 'same.yaml': 's: 1\n' });
    expect(fs.statSync(path.join(outdir, 'same.yaml')).ino).toBe(sameInode);
    expect(Object.keys(recordOf(outdir))).toEqual(['kept.yaml', 'new.yaml', 'same.yaml']);
    expect(fs.readdirSync(synthStateDir(outdir))).toEqual([RECORD]);
  });

  test.each([
    ['a real folder', false],
    ['a link to a folder', true],
  ])('a hand-written manifest in %s stops the synth with one line naming it; nothing changes, however often it runs', (_, linked) => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    const folder = linked ? path.join(tempDir(), 'out') : outdir;
    if (linked) fs.symlinkSync(folder, outdir);
    writeOutput(outdir, output({ 'app.yaml': 'a: 1\n' }));
    fs.writeFileSync(path.join(folder, 'handwritten.yaml'), 'mine: 1\n');
    const before = { here: everything(parent), there: everything(path.dirname(folder)) };
    const attempts: Record<string, string>[] = [{ 'app.yaml': 'a: 2\n' }, { 'other.yaml': 'o: 1\n' }, { 'app.yaml': 'a: 2\n', 'handwritten.yaml': 'x: 1\n' }];
    for (const next of attempts) {
      const message = refusal(() => writeOutput(outdir, output(next)));
      expect(message).toBe(`${JSON.stringify(path.join(folder, 'handwritten.yaml'))} was not written by a synth of this project (${JSON.stringify(path.join(synthStateDir(folder), RECORD))} does not list it): synth never overwrites or removes a file it did not write: move it out of ${JSON.stringify(folder)} (or delete it), then synth again`);
      expect({ here: everything(parent), there: everything(path.dirname(folder)) }).toEqual(before);
    }
    fs.renameSync(path.join(folder, 'handwritten.yaml'), path.join(parent, 'kept.yaml'));
    writeOutput(outdir, output({ 'app.yaml': 'a: 2\n' }));
    expect(listing(folder)).toEqual({ 'app.yaml': 'a: 2\n' });
  });

  test('a file the synth wrote but someone edited since is not the synth\'s any more: refused by name, kept', () => {
    const outdir = path.join(tempDir(), 'dist');
    writeOutput(outdir, output({ 'app.yaml': 'a: 1\n' }));
    fs.writeFileSync(path.join(outdir, 'app.yaml'), 'a: 1\n# my note\n');
    expect(refusal(() => writeOutput(outdir, output({ 'app.yaml': 'a: 2\n' })))).toMatch(/^".*\/dist\/app\.yaml" was changed since a synth wrote it \(its SHA-256 is not the one ".*\/\.dist-synth\/owned\.json" has\): synth never overwrites/);
    expect(refusal(() => writeOutput(outdir, output({})))).toContain('app.yaml" was changed since a synth wrote it');
    expect(listing(outdir)).toEqual({ 'app.yaml': 'a: 1\n# my note\n' });
  });

  test('a folder or a link of the user\'s with a manifest name is refused too; entries that are not manifests are left alone', () => {
    const outdir = path.join(tempDir(), 'dist');
    writeOutput(outdir, output({ 'app.yaml': 'a: 1\n' }));
    fs.writeFileSync(path.join(outdir, 'NOTES.txt'), 'mine');
    fs.writeFileSync(path.join(outdir, '.gitkeep'), '');
    writeOutput(outdir, output({ 'app.yaml': 'a: 2\n' }));
    expect(listing(outdir)).toEqual({ '.gitkeep': '', 'NOTES.txt': 'mine', 'app.yaml': 'a: 2\n' });
    fs.mkdirSync(path.join(outdir, 'more.yaml'));
    expect(refusal(() => writeOutput(outdir, output({ 'app.yaml': 'a: 3\n' })))).toMatch(/more\.yaml" is a folder, not a file a synth wrote: /);
    fs.rmdirSync(path.join(outdir, 'more.yaml'));
    fs.symlinkSync('NOTES.txt', path.join(outdir, 'link.yaml'));
    expect(refusal(() => writeOutput(outdir, output({ 'app.yaml': 'a: 3\n' })))).toMatch(/link\.yaml" is a symbolic link, not a file a synth wrote: /);
    expect(listing(outdir)['app.yaml']).toBe('a: 2\n');
  });

  test('the layout before plain files (links through dist/.generation) becomes plain files; the switch and .dist-generations go', () => {
    const parent = tempDir();
    const outdir = legacyLayout(parent, { 'multi-k8s.k8s.yaml': 'm: 1\n', 'preview-pr-1.k8s.yaml': 'p: 1\n' }, ['preview-pr-9.k8s.yaml']);
    fs.writeFileSync(path.join(outdir, 'NOTES.txt'), 'mine');
    expect(writeOutput(outdir, output({ 'multi-k8s.k8s.yaml': 'm: 2\n', 'new.yaml': 'n: 1\n' }))).toEqual([]);
    expect(listing(outdir)).toEqual({ 'NOTES.txt': 'mine', 'multi-k8s.k8s.yaml': 'm: 2\n', 'new.yaml': 'n: 1\n' });
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-synth', 'dist']);
  });

  test('the old layout with a file of the user\'s in it is refused before anything changes (the old version deleted it)', () => {
    const parent = tempDir();
    const outdir = legacyLayout(parent, { 'multi-k8s.k8s.yaml': 'm: 1\n' });
    fs.writeFileSync(path.join(outdir, 'handwritten.yaml'), 'mine: 1\n');
    const before = everything(parent);
    expect(refusal(() => writeOutput(outdir, output({ 'multi-k8s.k8s.yaml': 'm: 2\n' })))).toContain('handwritten.yaml" was not written by a synth of this project');
    expect(everything(parent)).toEqual(before);
  });

  test('what killed synths of the old version left in .dist-generations (a generation\'s .pending marker, a trash folder) goes with it', () => {
    // The old layout wrote g-<owner>-<n>.pending before each generation folder and removed it once switched.
    const parent = tempDir();
    const outdir = legacyLayout(parent, { 'a.yaml': 'a: 1\n' });
    const generations = path.join(parent, '.dist-generations');
    fs.writeFileSync(path.join(generations, `g-${hostTag()}-${DEAD}-0123456789ac.pending`), '');
    fs.mkdirSync(path.join(generations, `trash-${hostTag()}-${DEAD}-0123456789ad`));
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }))).toEqual([]);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-synth', 'dist']);
    expect(listing(outdir)).toEqual({ 'a.yaml': 'a: 2\n' });
  });

  test('.dist-generations entries the old version did not name are left, with a warning', () => {
    const parent = tempDir();
    const outdir = legacyLayout(parent, { 'a.yaml': 'a: 1\n' });
    fs.writeFileSync(path.join(parent, '.dist-generations', 'mine.txt'), 'x');
    const warnings = writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }));
    expect(warnings).toEqual([`left ${JSON.stringify(path.join(parent, '.dist-generations'))}: it holds "mine.txt", which no synth made`]);
    expect(fs.readdirSync(path.join(parent, '.dist-generations'))).toEqual(['mine.txt']);
    expect(listing(outdir)).toEqual({ 'a.yaml': 'a: 2\n' });
  });

  test('a first synth that fails leaves no folder behind', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 1\n', 'b.yaml/': 'b: 1\n' })))).toContain('failed: E');
    expect(fs.readdirSync(parent)).toEqual([]);
  });

  test('a regular file named dist is refused and kept', () => {
    const outdir = path.join(tempDir(), 'dist');
    fs.writeFileSync(outdir, 'precious');
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' })))).toBe(`${JSON.stringify(outdir)} is a regular file, not a folder: synth writes its manifests into a folder there and never deletes what it did not make; move it away`);
    expect(fs.readFileSync(outdir, 'utf8')).toBe('precious');
  });

  test('a link the user made is written through: it stays, the folder it leads to gets the output, the record goes beside that folder', () => {
    const parent = tempDir();
    const elsewhere = path.join(tempDir(), 'shared-out');
    const outdir = path.join(parent, 'dist');
    fs.symlinkSync(elsewhere, outdir);
    writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' }));
    writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }));
    expect(fs.readlinkSync(outdir)).toBe(elsewhere);
    expect(listing(elsewhere)).toEqual({ 'a.yaml': 'a: 2\n' });
    expect(fs.readdirSync(path.dirname(elsewhere)).sort()).toEqual(['.shared-out-synth', 'shared-out']);
  });

  test('a link to a regular file is refused, naming where it leads', () => {
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, 'target'), 'precious');
    fs.symlinkSync('target', path.join(parent, 'dist'));
    expect(refusal(() => writeOutput(path.join(parent, 'dist'), output({ 'a.yaml': 'a: 1\n' })))).toContain(`(where ${JSON.stringify(path.join(parent, 'dist'))} leads) is a regular file`);
    expect(fs.readFileSync(path.join(parent, 'target'), 'utf8')).toBe('precious');
  });

  test('a link loop is refused with one line', () => {
    const parent = tempDir();
    fs.symlinkSync('dist', path.join(parent, 'dist'));
    expect(refusal(() => writeOutput(path.join(parent, 'dist'), output({ 'a.yaml': 'a: 1\n' })))).toContain('is a chain of more than 32 symbolic links');
  });

  test('an operating-system error is one line naming the path and errno, and changes nothing', () => {
    const parent = tempDir();
    fs.writeFileSync(path.join(parent, 'not-a-folder'), '');
    const outdir = path.join(parent, 'not-a-folder', 'dist');
    const message = refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' })));
    expect(message).toMatch(/^cannot write ".*\/not-a-folder\/dist": lstat ".*\/not-a-folder\/dist" failed: ENOTDIR \(not a directory\)$/);
    expect(fs.readdirSync(parent)).toEqual(['not-a-folder']);
  });

  test('a failure while writing the new files leaves the folder, the record and no temporary file', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' }));
    const before = everything(parent);
    // A file name ending in / cannot be written: the second file fails after the first was staged.
    const message = refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n', 'b.yaml/': 'b: 1\n' })));
    expect(message).toContain('failed: E');
    expect(everything(parent)).toEqual(before);
  });

  test('what a kill between two renames leaves (files old and new, a record owning both, temporary files) the next synth makes whole', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    writeOutput(outdir, output({ 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' }));
    const state = synthStateDir(outdir);
    const host = hostTag();
    // a.yaml already new, b.yaml still old, c.yaml not yet there; the record of step (3).
    fs.writeFileSync(path.join(outdir, 'a.yaml'), 'a: 2\n');
    fs.writeFileSync(path.join(outdir, `.b.yaml.synth-${host}-${DEAD}-000000000001`), 'b: 2\n');
    fs.writeFileSync(path.join(outdir, `.c.yaml.synth-${host}-${DEAD}-000000000002`), 'c');
    fs.writeFileSync(path.join(state, RECORD), JSON.stringify({ files: { 'a.yaml': [sha256('a: 1\n'), sha256('a: 2\n')], 'b.yaml': [sha256('b: 1\n'), sha256('b: 2\n')], 'c.yaml': [sha256('c: 1\n')] } }));
    fs.writeFileSync(path.join(state, `lock`), `${host}-${DEAD}-000000000003\n`);
    fs.writeFileSync(path.join(state, `lock.synth-${host}-${DEAD}-000000000003`), `${host}-${DEAD}-000000000003\n`);
    // A live process's temporary file is not a killed synth's: it stays.
    fs.writeFileSync(path.join(outdir, `.c.yaml.synth-${host}-${process.ppid}-000000000004`), 'c');
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 2\n', 'b.yaml': 'b: 2\n', 'c.yaml': 'c: 1\n' }))).toEqual([]);
    expect(listing(outdir)).toEqual({ [`.c.yaml.synth-${host}-${process.ppid}-000000000004`]: 'c', 'a.yaml': 'a: 2\n', 'b.yaml': 'b: 2\n', 'c.yaml': 'c: 1\n' });
    expect(fs.readdirSync(state)).toEqual([RECORD]);
    expect(recordOf(outdir)).toEqual({ 'a.yaml': [sha256('a: 2\n')], 'b.yaml': [sha256('b: 2\n')], 'c.yaml': [sha256('c: 1\n')] });
  });

  test('a live synth\'s lock is waited for, then refused with one line naming the file to delete; nothing changes', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' }));
    const lock = path.join(synthStateDir(outdir), 'lock');
    fs.writeFileSync(lock, `${hostTag()}-${process.ppid}-000000000005\n`);
    const before = everything(parent);
    const started = Date.now();
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 300 })))
      .toBe(`${JSON.stringify(outdir)} is being written by another synth (process ${process.ppid} holds ${JSON.stringify(lock)}); waited 0 s: if no synth is running, delete that file`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(everything(parent)).toEqual(before);
    fs.unlinkSync(lock);
    writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }), { lockWaitMs: 300 });
    expect(listing(outdir)).toEqual({ 'a.yaml': 'a: 2\n' });
  });

  test('a record that is not one the synth writes is refused with one line naming it', () => {
    const outdir = path.join(tempDir(), 'dist');
    writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' }));
    fs.writeFileSync(path.join(synthStateDir(outdir), RECORD), '{"files": {"a.yaml": "not a list"}}');
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' })))).toMatch(/^".*\/\.dist-synth\/owned\.json" is not a record the synth writes \(expected \{"files": \{"<name>": \["<sha256>", \.\.\.\]\}\}\): delete it/);
    expect(listing(outdir)).toEqual({ 'a.yaml': 'a: 1\n' });
  });
});
