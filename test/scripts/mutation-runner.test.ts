import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../helpers';

// scripts/mutation-runner.js and scripts/mutation-environment.js, run by a real Jest over a small
// project of plain test files, as Stryker runs them for `npm run mutate`: the dry run with no
// pattern, a mutant run with a `testNamePattern` naming the tests that covered the mutant.
const ROOT = path.join(__dirname, '..', '..');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const RUNNER = path.join(ROOT, 'scripts', 'mutation-runner.js');
const ENVIRONMENT = path.join(ROOT, 'scripts', 'mutation-environment.js');

// Jest runs files without timings largest first, so the padding fixes the order: a, then b, then c.
const FILES: Record<string, string> = {
  'a.test.js': `${'//\n'.repeat(300)}
describe('alpha', () => {
  test('passes', () => {});
  test('fails when asked', () => { if (process.env.BREAK === 'a') throw new Error('broken'); });
  test('after the failure', () => {});
});`,
  'b.test.js': `${'//\n'.repeat(200)}
test('beta passes', () => {});
test('beta fails when asked', () => { if (process.env.BREAK === 'b') throw new Error('broken'); });`,
  'c.test.js': `test('gamma passes', () => {});`,
};

interface Run {
  /** Each test that ran or was skipped, by full name: 'passed', 'failed' or 'pending' (skipped). */
  readonly tests: Record<string, string>;
  /** The files Jest ran. */
  readonly files: string[];
  readonly index: string;
}

function project(): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'package.json'), '{}');
  for (const [name, text] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/**
 * One Jest run over `dir`. The runner's list of files that killed earlier mutants (beside the
 * index) is removed first, so each run sees Jest's own order, unless `keepKillers` (the tests of
 * that list).
 */
function jest(dir: string, options: { pattern?: string; breakFile?: string; keepKillers?: boolean } = {}): Run {
  const index = path.join(dir, 'index', 'tests.json');
  if (!options.keepKillers) fs.rmSync(`${index}.killers.json`, { force: true });
  const run = `${Date.now()}-${Math.random()}`;
  const output = path.join(dir, `result-${run}.json`);
  // A fresh cache each run: Jest orders files by the timings and failures it cached, and the
  // tests rely on its order without them (largest file first).
  const args = [JEST, '--rootDir', dir, '--runInBand', '--ci', '--cacheDirectory', path.join(dir, `cache-${run}`), '--runner', RUNNER, '--testEnvironment', ENVIRONMENT, '--json', '--outputFile', output];
  if (options.pattern) args.push('--testNamePattern', options.pattern);
  const jestRun = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, MUTATION_TEST_INDEX: index, BREAK: options.breakFile ?? '' } });
  if (!fs.existsSync(output)) throw new Error(`jest wrote no result: ${jestRun.stderr}`);
  const result = JSON.parse(fs.readFileSync(output, 'utf8'));
  const tests: Record<string, string> = {};
  for (const file of result.testResults) for (const t of file.assertionResults) tests[t.fullName] = t.status;
  return { tests, files: result.testResults.map((file: { name: string }) => path.basename(file.name)).sort(), index };
}

const onlyRun = (run: Run) => Object.keys(run.tests).filter((name) => run.tests[name] !== 'pending').sort();

describe('the dry run (no test name pattern)', () => {
  test('runs every file and records which file holds which test', () => {
    const dir = project();
    const run = jest(dir);
    expect(run.files).toEqual(['a.test.js', 'b.test.js', 'c.test.js']);
    const recorded = JSON.parse(fs.readFileSync(run.index, 'utf8'));
    expect(recorded[path.join(dir, 'b.test.js')]).toEqual(['beta passes', 'beta fails when asked']);
    expect(recorded[path.join(dir, 'a.test.js')]).toContain('alpha after the failure');
  });
});

describe('a mutant run (a pattern naming the covering tests)', () => {
  // One project and dry run for the tests that only read them.
  let dir = '';
  beforeAll(() => {
    dir = project();
    jest(dir);
  });

  test('loads only the files that hold a named test', () => {
    const run = jest(dir, { pattern: '(beta passes)|(gamma passes)' });
    expect(run.files).toEqual(['b.test.js', 'c.test.js']);
    expect(onlyRun(run)).toEqual(['beta passes', 'gamma passes']);
  });

  test('a mutant that survives runs every named test in every file', () => {
    const run = jest(dir, { pattern: '(alpha passes)|(alpha after the failure)|(beta passes)|(gamma passes)' });
    expect(onlyRun(run)).toEqual(['alpha after the failure', 'alpha passes', 'beta passes', 'gamma passes']);
  });

  test('stops a file at its first failure: the tests after it are skipped', () => {
    const run = jest(dir, { pattern: 'alpha', breakFile: 'a' });
    expect(run.tests).toEqual({ 'alpha passes': 'passed', 'alpha fails when asked': 'failed', 'alpha after the failure': 'pending' });
  });

  test('a failing hook stops its file too: the tests after it are skipped', () => {
    const hooked = project();
    fs.writeFileSync(path.join(hooked, 'a.test.js'), `
describe('hooked', () => {
  beforeEach(() => { if (process.env.BREAK === 'hook') throw new Error('broken hook'); });
  test('first', () => {});
});
test('after the hook', () => {});`);
    jest(hooked);
    const run = jest(hooked, { pattern: '(hooked first)|(after the hook)', breakFile: 'hook' });
    expect(run.tests).toEqual({ 'hooked first': 'failed', 'after the hook': 'pending' });
  });

  test('runs no file after the first that fails', () => {
    const run = jest(dir, { pattern: '(beta fails when asked)|(gamma passes)', breakFile: 'b' });
    expect(run.files).toEqual(['b.test.js']);
    expect(run.tests['beta fails when asked']).toBe('failed');
  });

  test('a static mutant (no pattern once the dry run is recorded) runs no file after the first that fails', () => {
    const run = jest(dir, { breakFile: 'a' });
    expect(run.files).toEqual(['a.test.js']);
    expect(run.tests).toEqual({ 'alpha passes': 'passed', 'alpha fails when asked': 'failed', 'alpha after the failure': 'pending' });
  });

  test('a static mutant that survives runs every file', () => {
    const run = jest(dir);
    expect(run.files).toEqual(['a.test.js', 'b.test.js', 'c.test.js']);
    expect(Object.values(run.tests).every((status) => status === 'passed')).toBe(true);
    expect(Object.keys(run.tests)).toHaveLength(6);
  });

  test('a pattern that names no recorded test runs every file, as without the runner', () => {
    const run = jest(dir, { pattern: 'a test added after the dry run' });
    expect(run.files).toEqual(['a.test.js', 'b.test.js', 'c.test.js']);
  });

  test('a file the index does not know is run', () => {
    const dir = project();
    jest(dir);
    fs.writeFileSync(path.join(dir, 'd.test.js'), `test('delta passes', () => {});`);
    const run = jest(dir, { pattern: '(gamma passes)|(delta passes)' });
    expect(run.files).toEqual(['c.test.js', 'd.test.js']);
    expect(onlyRun(run)).toEqual(['delta passes', 'gamma passes']);
  });

  test('without an index (the dry run not yet recorded) a pattern runs every file', () => {
    const dir = project();
    const run = jest(dir, { pattern: 'gamma passes' });
    expect(run.files).toEqual(['a.test.js', 'b.test.js', 'c.test.js']);
    expect(onlyRun(run)).toEqual(['gamma passes']);
  });
});

describe('the files that killed earlier mutants run first', () => {
  const killers = (run: Run) => JSON.parse(fs.readFileSync(`${run.index}.killers.json`, 'utf8'));

  test('a static mutant killed by the file that killed the one before runs that file alone', () => {
    const dir = project();
    jest(dir);
    const first = jest(dir, { breakFile: 'b' });
    expect(first.files).toEqual(['a.test.js', 'b.test.js']);
    expect(killers(first)).toEqual([path.join(dir, 'b.test.js')]);
    const second = jest(dir, { breakFile: 'b', keepKillers: true });
    expect(second.files).toEqual(['b.test.js']);
  });

  test('the latest killer first, then the earlier ones; a mutant that survives still runs every file', () => {
    const dir = project();
    jest(dir);
    jest(dir, { breakFile: 'b', keepKillers: true });
    const byC = jest(dir, { pattern: '(beta fails when asked)|(gamma passes)', breakFile: 'c-never', keepKillers: true });
    expect(byC.files).toEqual(['b.test.js', 'c.test.js']);
    fs.writeFileSync(path.join(dir, 'c.test.js'), `test('gamma passes', () => { if (process.env.BREAK === 'c') throw new Error('broken'); });`);
    const killedByC = jest(dir, { pattern: '(beta fails when asked)|(gamma passes)', breakFile: 'c', keepKillers: true });
    expect(killedByC.files).toEqual(['b.test.js', 'c.test.js']);
    expect(killers(killedByC)).toEqual([path.join(dir, 'c.test.js'), path.join(dir, 'b.test.js')]);
    const killedByB = jest(dir, { breakFile: 'b', keepKillers: true });
    expect(killedByB.files).toEqual(['b.test.js', 'c.test.js']);
    const survivor = jest(dir, { keepKillers: true });
    expect(survivor.files).toEqual(['a.test.js', 'b.test.js', 'c.test.js']);
    expect(Object.values(survivor.tests).every((status) => status === 'passed')).toBe(true);
  });

  test('a killers list that is no list, or not JSON, is read as none: Jest\'s order', () => {
    const dir = project();
    const { index } = jest(dir);
    for (const text of ['{"a":1}', 'not json', '[1, null]']) {
      fs.writeFileSync(`${index}.killers.json`, text);
      const run = jest(dir, { breakFile: 'a', keepKillers: true });
      expect(run.files).toEqual(['a.test.js']);
    }
  });
});
