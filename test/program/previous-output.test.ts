import * as fs from 'fs';
import * as path from 'path';
import { spawn } from 'child_process';
import { keepPreviousOutput, previousOutputDir, stagePreviousOutput } from '../../lib/program/previous-output';
import { synthesize } from '../../lib/program/synth';
import { OutputError } from '../../lib/program/output';
import { defaultCharts, tempDir } from '../helpers';

// The manifests of a folder as kubectl reads them.
const read = (dir: string) => Object.fromEntries(fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

/** A parent folder whose dist/ was synthesized as prod (`prod`, what it held then), then as dev. */
function prodThenDev(): { parent: string; outdir: string; prod: Record<string, string> } {
  const parent = tempDir();
  const outdir = path.join(parent, 'dist');
  synthesize(defaultCharts(), { outdir });
  const prod = read(outdir);
  synthesize(defaultCharts({ ENVIRONMENT: 'dev' }), { outdir });
  return { parent, outdir, prod };
}

describe('the previous output, for npm run plan', () => {
  test('lives beside the output as .<name>-previous', () => {
    expect(previousOutputDir('/work/app/dist')).toBe('/work/app/.dist-previous');
  });

  test('a synth that changes the output keeps the one it replaces', () => {
    const { parent, outdir, prod } = prodThenDev();
    expect(read(path.join(parent, '.dist-previous'))).toEqual(prod);
    expect(read(outdir)).not.toEqual(prod);
  });

  test('a synth that changes nothing keeps the earlier copy, so the plan still shows the last change', () => {
    const { parent, outdir, prod } = prodThenDev();
    synthesize(defaultCharts({ ENVIRONMENT: 'dev' }), { outdir });
    expect(read(path.join(parent, '.dist-previous'))).toEqual(prod);
  });

  test('the first synth has nothing to keep; no scratch folder is left behind', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    expect(keepPreviousOutput(outdir, new Map([['a.yaml', 'x']]))).toBeUndefined();
    synthesize(defaultCharts(), { outdir });
    // The synth's record of what it wrote, and no scratch folder of the previous output's.
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-synth', 'dist']);
    keepPreviousOutput(outdir, new Map([['a.yaml', 'x']]));
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-previous', '.dist-synth', 'dist']);
  });
});

test('a file where the output folder should be keeps nothing, and the synth refuses it with its own line', () => {
  const parent = tempDir();
  const outdir = path.join(parent, 'dist');
  fs.writeFileSync(outdir, 'not a folder');
  expect(keepPreviousOutput(outdir, new Map([['a.yaml', 'x']]))).toBeUndefined();
  expect(() => synthesize(defaultCharts(), { outdir })).toThrow(/is a regular file, not a folder/);
  expect(fs.readFileSync(outdir, 'utf8')).toBe('not a folder');
});

test('a killed synth\'s scratch copy is removed by the next one; a running synth\'s is left alone', () => {
  const parent = tempDir();
  const outdir = path.join(parent, 'dist');
  synthesize(defaultCharts(), { outdir });
  const dead = path.join(parent, '.dist-previous-new-999999999-abcdef');
  const running = path.join(parent, `.dist-previous-new-${process.ppid}-ghijkl`);
  fs.mkdirSync(dead);
  fs.mkdirSync(running);
  synthesize(defaultCharts({ ENVIRONMENT: 'dev' }), { outdir });
  expect(fs.existsSync(dead)).toBe(false);
  expect(fs.existsSync(running)).toBe(true);
  expect(fs.existsSync(path.join(parent, '.dist-previous'))).toBe(true);
});

describe('a synth that fails keeps .dist-previous as it was, so `npm run plan` still shows the last change', () => {
  /** A parent folder whose dist/ is the dev output and whose .dist-previous is the prod one. */
  function afterTwoSynths(): { parent: string; outdir: string; previous: Record<string, string> } {
    const { parent, outdir } = prodThenDev();
    return { parent, outdir, previous: read(path.join(parent, '.dist-previous')) };
  }

  test('a file in dist/ that is not the synth\'s', () => {
    const { parent, outdir, previous } = afterTwoSynths();
    fs.writeFileSync(path.join(outdir, 'handwritten.yaml'), 'kind: ConfigMap\n');
    expect(() => synthesize(defaultCharts({ PREVIEWS: 'pr-1' }), { outdir })).toThrow(OutputError);
    expect(read(path.join(parent, '.dist-previous'))).toEqual(previous);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-previous', '.dist-synth', 'dist']);
  });

  test('an operating-system error while writing the output', () => {
    const { parent, outdir, previous } = afterTwoSynths();
    // The synth's own folder replaced by a file: writing the output fails with an errno, after
    // the copy for .dist-previous was made (the order in which a full disk failed a synth).
    fs.rmSync(path.join(parent, '.dist-synth'), { recursive: true });
    fs.writeFileSync(path.join(parent, '.dist-synth'), '');
    expect(() => synthesize(defaultCharts({ PREVIEWS: 'pr-1' }), { outdir })).toThrow(/^cannot write ".*\/dist": mkdir ".*\/\.dist-synth" failed: EEXIST/);
    expect(read(path.join(parent, '.dist-previous'))).toEqual(previous);
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist-previous', '.dist-synth', 'dist']);
  });
});

test('a synth killed between moving the old copy aside and renaming the new one in: the next synth puts the old copy back', () => {
  const { parent, outdir, prod } = prodThenDev();
  // What the kill left: .dist-previous renamed aside (a dead pid's), the new copy not yet in place.
  fs.renameSync(path.join(parent, '.dist-previous'), path.join(parent, '.dist-previous-new-999999999-abcdef-old'));
  fs.mkdirSync(path.join(parent, '.dist-previous-new-999999999-abcdef'));
  synthesize(defaultCharts({ ENVIRONMENT: 'dev' }), { outdir });
  expect(read(path.join(parent, '.dist-previous'))).toEqual(prod);
  expect(fs.readdirSync(parent).sort()).toEqual(['.dist-previous', '.dist-synth', 'dist']);
});

// Direct tests of what is kept and when (issue 21's survivors): small hand-made folders, so each
// file-system state is exact; the synth's own use is tested above.
describe('stagePreviousOutput and keepPreviousOutput on odd folders', () => {
  /** A parent folder with `dist/` holding `files` (name -> text; a name ending in / is a folder). */
  function withDist(files: Record<string, string>): { parent: string; outdir: string; target: string } {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    fs.mkdirSync(outdir);
    for (const [name, text] of Object.entries(files)) {
      if (name.endsWith('/')) fs.mkdirSync(path.join(outdir, name));
      else fs.writeFileSync(path.join(outdir, name), text);
    }
    return { parent, outdir, target: path.join(parent, '.dist-previous') };
  }
  const listing = (dir: string) => fs.readdirSync(dir).sort();
  const contents = (dir: string) => Object.fromEntries(listing(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  const scratchOf = (parent: string) => fs.readdirSync(parent).filter((n) => n.startsWith('.dist-previous-new-'));

  test('keeps the manifests kubectl reads (.yaml, .yml, .json) and nothing else: not dotfiles, other names, folders or empty files', () => {
    const { parent, outdir, target } = withDist({
      'a.yaml': 'kind: A\n', 'b.yml': 'kind: B\n', 'c.json': '{}', '.tmp.yaml': 'kind: T\n', 'notes.txt': 'n',
      'a.yaml.bak': 'kind: Bak\n', 'empty.yaml': '', 'folder.yaml/': '',
    });
    expect(keepPreviousOutput(outdir, new Map([['a.yaml', 'kind: New\n']]))).toBe(target);
    expect(contents(target)).toEqual({ 'a.yaml': 'kind: A\n', 'b.yml': 'kind: B\n', 'c.json': '{}' });
    expect(listing(parent)).toEqual(['.dist-previous', 'dist']);
  });

  test('a link to a manifest is followed (the layout before plain files)', () => {
    const { outdir, target } = withDist({ 'real.txt': 'kind: L\n' });
    fs.symlinkSync(path.join(outdir, 'real.txt'), path.join(outdir, 'linked.yaml'));
    expect(keepPreviousOutput(outdir, new Map())).toBe(target);
    expect(contents(target)).toEqual({ 'linked.yaml': 'kind: L\n' });
  });

  test('the same output, but for empty files in the new one, is no change: nothing kept', () => {
    const { parent, outdir } = withDist({ 'a.yaml': 'x' });
    expect(keepPreviousOutput(outdir, new Map([['a.yaml', 'x'], ['b.yaml', '']]))).toBeUndefined();
    expect(listing(parent)).toEqual(['dist']);
  });

  test('a file gone, or one file changed among others, is a change', () => {
    const gone = withDist({ 'a.yaml': 'x', 'b.yaml': 'y' });
    expect(keepPreviousOutput(gone.outdir, new Map([['a.yaml', 'x']]))).toBe(gone.target);
    expect(contents(gone.target)).toEqual({ 'a.yaml': 'x', 'b.yaml': 'y' });
    const changed = withDist({ 'a.yaml': 'x', 'b.yaml': 'y' });
    expect(keepPreviousOutput(changed.outdir, new Map([['a.yaml', 'x'], ['b.yaml', 'z']]))).toBe(changed.target);
    expect(contents(changed.target)).toEqual({ 'a.yaml': 'x', 'b.yaml': 'y' });
  });

  test('a second change replaces the earlier copy, leaving no scratch', () => {
    const { parent, outdir, target } = withDist({ 'a.yaml': 'one' });
    expect(keepPreviousOutput(outdir, new Map([['a.yaml', 'two']]))).toBe(target);
    fs.writeFileSync(path.join(outdir, 'a.yaml'), 'two');
    fs.writeFileSync(path.join(outdir, 'b.yaml'), 'more');
    expect(keepPreviousOutput(outdir, new Map([['a.yaml', 'three']]))).toBe(target);
    expect(contents(target)).toEqual({ 'a.yaml': 'two', 'b.yaml': 'more' });
    expect(listing(parent)).toEqual(['.dist-previous', 'dist']);
  });

  test('a copy that cannot be renamed in (removed by something else): the earlier copy is put back, commit says nothing was written', () => {
    const { parent, outdir, target } = withDist({ 'a.yaml': 'one' });
    keepPreviousOutput(outdir, new Map([['a.yaml', 'two']]));
    fs.writeFileSync(path.join(outdir, 'a.yaml'), 'two');
    const staged = stagePreviousOutput(outdir, new Map([['a.yaml', 'three']]));
    const [scratch] = scratchOf(parent);
    fs.rmSync(path.join(parent, scratch), { recursive: true });
    expect(staged.commit()).toBeUndefined();
    expect(contents(target)).toEqual({ 'a.yaml': 'one' });
    expect(listing(parent)).toEqual(['.dist-previous', 'dist']);
  });

  test('the earlier copy cannot be moved aside (its -old name taken): commit writes nothing and removes its copy', () => {
    const { parent, outdir, target } = withDist({ 'a.yaml': 'one' });
    keepPreviousOutput(outdir, new Map([['a.yaml', 'two']]));
    fs.writeFileSync(path.join(outdir, 'a.yaml'), 'two');
    const staged = stagePreviousOutput(outdir, new Map([['a.yaml', 'three']]));
    const [scratch] = scratchOf(parent);
    // A folder that is not empty where the earlier copy would be moved: the rename fails.
    fs.mkdirSync(path.join(parent, `${scratch}-old`));
    fs.writeFileSync(path.join(parent, `${scratch}-old`, 'z.yaml'), 'z');
    expect(staged.commit()).toBeUndefined();
    expect(contents(target)).toEqual({ 'a.yaml': 'one' });
    expect(listing(parent)).toEqual(['.dist-previous', `${scratch}-old`, 'dist']);
  });

  test('with no earlier copy, a failed commit does not take a stray -old folder for one', () => {
    const { parent, outdir, target } = withDist({ 'a.yaml': 'one' });
    const staged = stagePreviousOutput(outdir, new Map([['a.yaml', 'two']]));
    const [scratch] = scratchOf(parent);
    fs.rmSync(path.join(parent, scratch), { recursive: true });
    fs.mkdirSync(path.join(parent, `${scratch}-old`));
    expect(staged.commit()).toBeUndefined();
    expect(fs.existsSync(target)).toBe(false);
    expect(listing(parent)).toEqual([`${scratch}-old`, 'dist']);
  });

  test('discard removes the copy, and twice is no error', () => {
    const { parent, outdir } = withDist({ 'a.yaml': 'one' });
    const staged = stagePreviousOutput(outdir, new Map([['a.yaml', 'two']]));
    expect(scratchOf(parent)).toHaveLength(1);
    staged.discard();
    staged.discard();
    expect(listing(parent)).toEqual(['dist']);
  });

  test('a scratch folder whose name cannot be made (too long for the file system) keeps nothing and throws nothing', () => {
    // 240 characters: the output folder and .<name>-previous fit in 255, the scratch name does not.
    const parent = tempDir();
    const outdir = path.join(parent, 'd'.repeat(240));
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'a.yaml'), 'one');
    expect(keepPreviousOutput(outdir, new Map([['a.yaml', 'two']]))).toBeUndefined();
    expect(listing(parent)).toEqual(['d'.repeat(240)]);
  });

  test('a copy that fails half way (its path too long for the system, as a full disk would fail it): the partial copy is removed, nothing kept, nothing thrown', () => {
    // Paths are refused past 4,095 bytes (PATH_MAX): a parent folder deep enough that dist/<name>
    // fits and .dist-previous-new-<pid>-XXXXXX/<name>, 22 bytes and more longer, does not.
    let parent = tempDir();
    while (parent.length < 3900) {
      parent = path.join(parent, 'p'.repeat(Math.min(200, 3900 - parent.length)));
      fs.mkdirSync(parent);
    }
    const outdir = path.join(parent, 'dist');
    const long = `${'m'.repeat(4090 - outdir.length - 1 - '.yaml'.length)}.yaml`;
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'a.yaml'), 'short');
    fs.writeFileSync(path.join(outdir, long), 'long');
    expect(keepPreviousOutput(outdir, new Map([['a.yaml', 'new']]))).toBeUndefined();
    expect(listing(parent)).toEqual(['dist']);
  });

  test('a scratch copy removed by another process while it is being written is no error: nothing kept, nothing thrown', async () => {
    // Another process in the same folder (a synth of the same pid in another pid namespace, a
    // temp cleaner) removing the scratch copy: the copy's writes fail, and its removal must not.
    const { parent, outdir } = withDist(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`m${i}.yaml`, `kind: M${i}\n`])));
    const remover = spawn(process.execPath, ['-e', `
      const fs = require('fs'); const path = require('path'); const dir = ${JSON.stringify(parent)};
      process.stdout.write('ready\\n');
      for (;;) for (const n of fs.readdirSync(dir)) if (n.startsWith('.dist-previous-new-')) {
        try { fs.rmSync(path.join(dir, n), { recursive: true, force: true }); } catch { /* written to meanwhile: next round */ }
      }
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve) => remover.stdout.once('data', resolve));
      const results = new Set<string>();
      for (let i = 0; i < 100; i += 1) {
        const staged = stagePreviousOutput(outdir, new Map([['m0.yaml', `new ${i}`]]));
        staged.discard();
        results.add('ok');
      }
      expect([...results]).toEqual(['ok']);
    } finally {
      remover.kill();
    }
    expect(listing(parent).filter((n) => n !== 'dist' && !n.startsWith('.dist-previous-new-'))).toEqual([]);
  });

  test('stale scratch: a dead pid\'s, this process\'s own leftover and names without a pid are removed; a live other pid\'s is left', () => {
    const { parent, outdir, target } = withDist({ 'a.yaml': 'one' });
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'old.yaml'), 'old');
    const live = `.dist-previous-new-${process.ppid}-live`;
    for (const name of ['.dist-previous-new-999999999-dead', `.dist-previous-new-${process.pid}-mine`, '.dist-previous-new-garbage',
      `.dist-previous-new-x${process.ppid}-nopid`, '.dist-previous-new-999999999-dead-old', live]) {
      fs.mkdirSync(path.join(parent, name));
      fs.writeFileSync(path.join(parent, name, 'f.yaml'), name);
    }
    expect(keepPreviousOutput(outdir, new Map([['a.yaml', 'two']]))).toBe(target);
    expect(contents(target)).toEqual({ 'a.yaml': 'one' });
    expect(listing(parent)).toEqual(['.dist-previous', live, 'dist']);
  });

  test('a dead synth\'s scratch copy is never taken for the previous output, even with none there', () => {
    const parent = tempDir();
    fs.mkdirSync(path.join(parent, '.dist-previous-new-999999999-dead'));
    fs.writeFileSync(path.join(parent, '.dist-previous-new-999999999-dead', 'f.yaml'), 'half');
    expect(keepPreviousOutput(path.join(parent, 'dist'), new Map())).toBeUndefined();
    expect(listing(parent)).toEqual([]);
  });

  test('another user\'s synth (kill answers EPERM) is alive: its scratch is left', () => {
    const { parent, outdir } = withDist({ 'a.yaml': 'one' });
    const name = '.dist-previous-new-424242-other';
    fs.mkdirSync(path.join(parent, name));
    const kill = jest.spyOn(process, 'kill').mockImplementation((pid) => {
      throw Object.assign(new Error('kill EPERM'), { code: pid === 424242 ? 'EPERM' : 'ESRCH' });
    });
    try {
      keepPreviousOutput(outdir, new Map([['a.yaml', 'two']]));
    } finally {
      kill.mockRestore();
    }
    expect(listing(parent)).toEqual(['.dist-previous', name, 'dist']);
  });
});
