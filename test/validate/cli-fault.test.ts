import { Validation } from '../../lib/validate/index';
import { tempDir } from '../helpers';
import { configMap, runCli, write } from '../support/cli';

// The validator itself fails (a fault of ours, not the user's): the CLI's contract still holds.
// Its own file because it replaces the validator (the CLI's Validation, fed file by file) for every test here.
afterEach(() => jest.restoreAllMocks());

describe('npm run validate: the validator\'s own faults', () => {
  test.each([
    ['an Error: its first line only, no stack trace', new Error('cannot read the cache\n    at somewhere (x.js:1:1)'), 'error: the validator failed: cannot read the cache'],
    ['anything else thrown: its text', 'a thrown string', 'error: the validator failed: a thrown string'],
  ])('%s, exit 2', (_what, thrown, line) => {
    const dir = tempDir();
    write(dir, 'a.yaml', configMap('a', ['  a: "1"']));
    jest.spyOn(Validation.prototype, 'finish').mockImplementation(() => { throw thrown; });
    expect(runCli([dir])).toEqual({ code: 2, out: [], err: [line] });
  });
});
