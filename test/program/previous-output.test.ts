import * as fs from 'fs';
import * as path from 'path';
import { keepPreviousOutput, previousOutputDir } from '../../lib/program/previous-output';
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
