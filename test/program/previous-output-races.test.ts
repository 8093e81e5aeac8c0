import * as path from 'path';

// Races of previous-output.ts that only a second process makes between two of its calls (issue 21's
// survivors, run 2). jest cannot run another process between two synchronous calls, and
// previous-output.ts holds its own copy of the fs functions (the compiled `import * as fs`), so a
// spy on the fs module does not reach it: fs is wrapped here instead (as in output-lock.test.ts),
// and a test hooks one call to change the folder with the real fs just before it runs.
type Hook = (real: (...args: unknown[]) => unknown, ...args: unknown[]) => unknown;
const mockHooks: Record<string, Hook | undefined> = {};
jest.mock('fs', () => {
  const real = jest.requireActual('fs');
  const wrap = (name: string) => (...args: unknown[]) => {
    const hook = mockHooks[name];
    return hook ? hook(real[name], ...args) : real[name](...args);
  };
  return { ...real, rmSync: wrap('rmSync') };
});

import * as fs from 'fs';
import { keepPreviousOutput } from '../../lib/program/previous-output';
import { tempDir } from '../helpers';

const realFs: typeof fs = jest.requireActual('fs');
const listing = (dir: string) => fs.readdirSync(dir).sort();
const contents = (dir: string) => Object.fromEntries(listing(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

afterEach(() => {
  for (const name of Object.keys(mockHooks)) delete mockHooks[name];
});

describe('keepPreviousOutput while another synth tidies the same folder', () => {
  test('a dead synth\'s scratch removed by another synth between our listing and our removal is no error: the copy is still kept', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'a.yaml'), 'one');
    const dead = path.join(parent, '.dist-previous-new-999999999-dead'); // no such pid: a killed synth's
    fs.mkdirSync(dead);
    fs.writeFileSync(path.join(dead, 'f.yaml'), 'half');
    let raced = 0;
    mockHooks.rmSync = (real, file, ...rest) => {
      // A second synth that started at the same moment saw the same stale scratch and removed it first.
      if (file === dead && raced++ === 0) realFs.rmSync(dead, { recursive: true });
      return real(file, ...rest);
    };
    expect(keepPreviousOutput(outdir, new Map([['a.yaml', 'two']]))).toBe(path.join(parent, '.dist-previous'));
    expect(raced).toBe(1);
    expect(contents(path.join(parent, '.dist-previous'))).toEqual({ 'a.yaml': 'one' });
    expect(listing(parent)).toEqual(['.dist-previous', 'dist']);
  });
});
