import * as fs from 'fs';
import * as path from 'path';
import { OutputError, SWITCH, writeOutput } from '../../lib/program/output';
import { tempDir } from '../helpers';

// Kills at every system call, injected OS errors and concurrent synths: test/program/synth-faults.js (run by .ci/run).

/** The manifests a folder shows as kubectl reads it; empty files hold no objects. */
function shown(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    if (text !== '') files[name] = text;
  }
  return files;
}

const output = (files: Record<string, string>) => new Map(Object.entries(files));
const generations = (outdir: string) => fs.readdirSync(path.join(path.dirname(outdir), `.${path.basename(outdir)}-generations`));

/** Runs fn expecting an OutputError; returns its message. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OutputError);
    return (error as Error).message;
  }
  throw new Error('expected an OutputError');
}

describe('writeOutput', () => {
  test('creates a real folder whose manifests are links through the one switch', () => {
    const outdir = path.join(tempDir(), 'nested', 'dist');
    expect(writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' }))).toEqual([]);
    expect(fs.lstatSync(outdir).isDirectory()).toBe(true);
    expect(fs.readlinkSync(path.join(outdir, 'a.yaml'))).toBe(`${SWITCH}/a.yaml`);
    expect(fs.readlinkSync(path.join(outdir, SWITCH))).toMatch(/^\.\.\/\.dist-generations\/g-[0-9a-f]+-\d+-[0-9a-f]+$/);
    expect(shown(outdir)).toEqual({ 'a.yaml': 'a: 1\n' });
  });

  test('a new output replaces the old: removed files go, added files come, one generation stays', () => {
    const outdir = path.join(tempDir(), 'dist');
    writeOutput(outdir, output({ 'old.yaml': 'x: 1\n', 'kept.yaml': 'k: 1\n' }));
    writeOutput(outdir, output({ 'new.yaml': 'y: 2\n', 'kept.yaml': 'k: 2\n' }));
    expect(shown(outdir)).toEqual({ 'kept.yaml': 'k: 2\n', 'new.yaml': 'y: 2\n' });
    expect(fs.readdirSync(outdir).sort()).toEqual([SWITCH, 'kept.yaml', 'new.yaml']);
    expect(generations(outdir)).toHaveLength(1);
  });

  test('a folder of real files (the layout before the switch) is taken over, its other entries left alone', () => {
    const outdir = path.join(tempDir(), 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'old.yaml'), 'x: 1\n');
    fs.writeFileSync(path.join(outdir, 'NOTES.txt'), 'mine');
    writeOutput(outdir, output({ 'new.yaml': 'y: 2\n' }));
    expect(shown(outdir)).toEqual({ 'new.yaml': 'y: 2\n' });
    expect(fs.readFileSync(path.join(outdir, 'NOTES.txt'), 'utf8')).toBe('mine');
    expect(generations(outdir)).toHaveLength(1);
  });

  test('a regular file named dist is refused and kept', () => {
    const outdir = path.join(tempDir(), 'dist');
    fs.writeFileSync(outdir, 'precious');
    expect(refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' })))).toBe(`${JSON.stringify(outdir)} is a regular file, not a folder: synth writes its manifests into a folder there and never deletes what it did not make; move it away`);
    expect(fs.readFileSync(outdir, 'utf8')).toBe('precious');
  });

  test('a link the user made is written through: it stays, the folder it leads to gets the output', () => {
    const parent = tempDir();
    const elsewhere = path.join(tempDir(), 'shared-out');
    const outdir = path.join(parent, 'dist');
    fs.symlinkSync(elsewhere, outdir);
    writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' }));
    writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }));
    expect(fs.readlinkSync(outdir)).toBe(elsewhere);
    expect(shown(elsewhere)).toEqual({ 'a.yaml': 'a: 2\n' });
    expect(fs.readdirSync(path.dirname(elsewhere)).sort()).toEqual(['.shared-out-generations', 'shared-out']);
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

  test('a failure before the switch leaves what the folder shows, and no new generation', () => {
    const outdir = path.join(tempDir(), 'dist');
    writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' }));
    // A file name ending in / cannot be written (EISDIR/ENOENT): the new generation fails half written.
    const before = generations(outdir);
    const message = refusal(() => writeOutput(outdir, output({ 'a.yaml': 'a: 2\n', 'b.yaml/': 'b: 1\n' })));
    expect(message).toContain('failed: E');
    expect(shown(outdir)).toEqual({ 'a.yaml': 'a: 1\n' });
    expect(generations(outdir)).toEqual(before);
  });

  test('what killed synths left behind (a dead owner\'s folders, markers, links) goes; a live owner\'s pending folder stays', () => {
    const outdir = path.join(tempDir(), 'dist');
    writeOutput(outdir, output({ 'a.yaml': 'a: 1\n' }));
    const gens = path.join(path.dirname(outdir), '.dist-generations');
    const host = /^g-([0-9a-f]+)-/.exec(generations(outdir)[0])![1];
    const dead = 2 ** 22 + 7; // above Linux's default pid_max: no such process
    fs.mkdirSync(path.join(gens, `g-${host}-${dead}-aaaa`));
    fs.writeFileSync(path.join(gens, `g-${host}-${dead}-aaaa.pending`), '');
    fs.mkdirSync(path.join(gens, `trash-${host}-${dead}-bbbb`));
    fs.symlinkSync('x', path.join(outdir, `.generation.new-${host}-${dead}-cccc`));
    fs.mkdirSync(path.join(gens, `g-${host}-${process.ppid}-dddd`));
    fs.writeFileSync(path.join(gens, `g-${host}-${process.ppid}-dddd.pending`), '');
    writeOutput(outdir, output({ 'a.yaml': 'a: 2\n' }));
    expect(generations(outdir).filter((n) => !n.includes(`-${process.pid}-`)).sort()).toEqual([`g-${host}-${process.ppid}-dddd`, `g-${host}-${process.ppid}-dddd.pending`]);
    expect(generations(outdir).filter((n) => n.includes(`-${process.pid}-`))).toHaveLength(1);
    expect(fs.readdirSync(outdir).sort()).toEqual([SWITCH, 'a.yaml']);
    expect(shown(outdir)).toEqual({ 'a.yaml': 'a: 2\n' });
  });
});
