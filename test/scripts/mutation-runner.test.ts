import { jest as jestApi } from '@jest/globals';
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
 * that list). `withoutIndex`: no MUTATION_TEST_INDEX at all (Jest run with the runner outside
 * `npm run mutate`).
 */
function jest(dir: string, options: { pattern?: string; breakFile?: string; keepKillers?: boolean; withoutIndex?: boolean } = {}): Run {
  const index = path.join(dir, 'index', 'tests.json');
  if (!options.keepKillers) fs.rmSync(`${index}.killers.json`, { force: true });
  const run = `${Date.now()}-${Math.random()}`;
  const output = path.join(dir, `result-${run}.json`);
  // A fresh cache each run: Jest orders files by the timings and failures it cached, and the
  // tests rely on its order without them (largest file first).
  const args = [JEST, '--rootDir', dir, '--runInBand', '--ci', '--cacheDirectory', path.join(dir, `cache-${run}`), '--runner', RUNNER, '--testEnvironment', ENVIRONMENT, '--json', '--outputFile', output];
  if (options.pattern) args.push('--testNamePattern', options.pattern);
  const env: NodeJS.ProcessEnv = { ...process.env, MUTATION_TEST_INDEX: index, BREAK: options.breakFile ?? '' };
  if (options.withoutIndex) delete env.MUTATION_TEST_INDEX;
  const jestRun = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env });
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

  test('records the index again into the folder an earlier run left (the index alone removed, as before each run)', () => {
    const dir = project();
    const { index } = jest(dir);
    fs.rmSync(index);
    const run = jest(dir);
    expect(run.files).toEqual(['a.test.js', 'b.test.js', 'c.test.js']);
    expect(JSON.parse(fs.readFileSync(index, 'utf8'))[path.join(dir, 'c.test.js')]).toEqual(['gamma passes']);
  });
});

describe('without MUTATION_TEST_INDEX (Jest run with the runner outside `npm run mutate`)', () => {
  test('it is Jest\'s own runner: every file runs, after a failing one too, and nothing is written', () => {
    const dir = project();
    const before = fs.readdirSync(dir).sort();
    const run = jest(dir, { pattern: '(alpha fails when asked)|(gamma passes)', breakFile: 'a', withoutIndex: true });
    expect(run.files).toEqual(['a.test.js', 'b.test.js', 'c.test.js']);
    expect(run.tests['alpha fails when asked']).toBe('failed');
    const written = fs.readdirSync(dir).filter((name) => !before.includes(name) && !name.startsWith('result-') && !name.startsWith('cache-'));
    expect(written).toEqual([]);
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

  test('a file that crashes at load (no test result, Jest\'s test-file-failure) stops the run too, and is recorded as the killer', () => {
    const crashing = project();
    fs.writeFileSync(path.join(crashing, 'a.test.js'), `${FILES['a.test.js']}\nif (process.env.BREAK === 'load') throw new Error('crashed at load');`);
    jest(crashing);
    const run = jest(crashing, { breakFile: 'load' });
    expect(run.files).toEqual(['a.test.js']);
    expect(run.tests).toEqual({});
    expect(JSON.parse(fs.readFileSync(`${run.index}.killers.json`, 'utf8'))).toEqual([path.join(crashing, 'a.test.js')]);
  });

  test('matches the pattern against the recorded names case-insensitively, as Jest does', () => {
    const run = jest(dir, { pattern: 'BETA PASSES' });
    expect(run.files).toEqual(['b.test.js']);
    expect(onlyRun(run)).toEqual(['beta passes']);
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

  test('a pattern that names no recorded test runs every file, not only the files the index does not know', () => {
    const dir = project();
    jest(dir);
    fs.writeFileSync(path.join(dir, 'd.test.js'), `test('delta passes', () => {});`);
    const run = jest(dir, { pattern: 'a test added after the dry run' });
    expect(run.files).toEqual(['a.test.js', 'b.test.js', 'c.test.js', 'd.test.js']);
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

  test('without an index nor its folder yet, a failing file still ends the run, and the killers list is not written (nor a scratch file)', () => {
    const dir = project();
    const run = jest(dir, { pattern: '(alpha fails when asked)|(gamma passes)', breakFile: 'a' });
    expect(run.files).toEqual(['a.test.js']);
    expect(run.tests['alpha fails when asked']).toBe('failed');
    expect(fs.existsSync(path.dirname(run.index))).toBe(false);
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
    expect(killers(byC)).toEqual([path.join(dir, 'b.test.js')]);
    fs.writeFileSync(path.join(dir, 'c.test.js'), `test('gamma passes', () => { if (process.env.BREAK === 'c') throw new Error('broken'); });`);
    const killedByC = jest(dir, { pattern: '(beta fails when asked)|(gamma passes)', breakFile: 'c', keepKillers: true });
    expect(killedByC.files).toEqual(['b.test.js', 'c.test.js']);
    expect(killers(killedByC)).toEqual([path.join(dir, 'c.test.js'), path.join(dir, 'b.test.js')]);
    const killedByB = jest(dir, { breakFile: 'b', keepKillers: true });
    expect(killedByB.files).toEqual(['b.test.js', 'c.test.js']);
    expect(killers(killedByB)).toEqual([path.join(dir, 'b.test.js'), path.join(dir, 'c.test.js')]);
    const survivor = jest(dir, { keepKillers: true });
    expect(survivor.files).toEqual(['a.test.js', 'b.test.js', 'c.test.js']);
    expect(Object.values(survivor.tests).every((status) => status === 'passed')).toBe(true);
    expect(killers(survivor)).toEqual([path.join(dir, 'b.test.js'), path.join(dir, 'c.test.js')]);
  });

  test('a killers list that is no list, or not JSON, is read as none: Jest\'s order; the killer then replaces it', () => {
    const dir = project();
    const { index } = jest(dir);
    for (const text of ['{"a":1}', 'not json', '[1, null]']) {
      fs.writeFileSync(`${index}.killers.json`, text);
      const run = jest(dir, { breakFile: 'a', keepKillers: true });
      expect(run.files).toEqual(['a.test.js']);
      expect(killers(run)).toEqual([path.join(dir, 'a.test.js')]);
    }
  });

  test('a killers list that cannot be written costs no verdict and leaves no scratch file', () => {
    const dir = project();
    const { index } = jest(dir);
    fs.mkdirSync(`${index}.killers.json`);
    const run = jest(dir, { breakFile: 'a', keepKillers: true });
    expect(run.files).toEqual(['a.test.js']);
    expect(run.tests['alpha fails when asked']).toBe('failed');
    expect(fs.readdirSync(path.dirname(index)).sort()).toEqual(['tests.json', 'tests.json.killers.json']);
  });
});

describe('the runner in process, around a stand-in for Jest\'s runner', () => {
  type Listener = (event: unknown[]) => void;
  interface TestFile { readonly path: string }

  /** Stands in for jest-runner: runs each file by emitting its result, failing the files in `failing`. */
  class StandIn {
    readonly listeners = new Map<string, Set<Listener>>();
    readonly ran: string[] = [];
    constructor(private readonly failing: readonly string[] = []) {}
    on(eventName: string, listener: Listener): () => void {
      const set = this.listeners.get(eventName) ?? new Set<Listener>();
      this.listeners.set(eventName, set);
      set.add(listener);
      return () => set.delete(listener);
    }
    listenerCount(): number {
      return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
    }
    async runTests(tests: TestFile[]): Promise<void> {
      for (const test of tests) {
        this.ran.push(path.basename(test.path));
        const numFailingTests = this.failing.includes(path.basename(test.path)) ? 1 : 0;
        for (const listener of this.listeners.get('test-file-success') ?? []) listener([test, { numFailingTests, testResults: [] }]);
      }
    }
  }

  /** A fresh copy of the runner's module (its index not yet read), and a runner of it per call around `inner`. */
  function freshModule(indexFile: string): (pattern: string | undefined, inner: StandIn) => { runTests(tests: TestFile[], watcher: unknown, options: unknown): Promise<unknown> } {
    let Runner: new (globalConfig: unknown, context: unknown) => { inner: StandIn; runTests(tests: TestFile[], watcher: unknown, options: unknown): Promise<unknown> } = undefined as never;
    jestApi.isolateModules(() => {
      Runner = require(RUNNER);
    });
    return (pattern, inner) => {
      const saved = process.env.MUTATION_TEST_INDEX;
      process.env.MUTATION_TEST_INDEX = indexFile;
      try {
        const runner = new Runner({ testNamePattern: pattern }, {});
        runner.inner = inner;
        return runner;
      } finally {
        if (saved === undefined) delete process.env.MUTATION_TEST_INDEX;
        else process.env.MUTATION_TEST_INDEX = saved;
      }
    };
  }

  const watcher = { isInterrupted: () => false };

  /** Two test files a and b whose index records alpha and beta, and a fresh runner module that reads it. */
  function recorded() {
    const dir = tempDir();
    const index = path.join(dir, 'tests.json');
    const files = ['a.test.js', 'b.test.js'].map((name) => ({ path: path.join(dir, name) }));
    fs.writeFileSync(index, JSON.stringify({ [files[0].path]: ['alpha'], [files[1].path]: ['beta'] }));
    return { index, files, runner: freshModule(index) };
  }

  test('a run removes the listeners it added to Jest\'s runner, killed or not', async () => {
    const { files, runner } = recorded();
    for (const [pattern, failing] of [['alpha|beta', ['a.test.js']], ['alpha|beta', []], [undefined, ['b.test.js']]] as const) {
      const inner = new StandIn(failing);
      await runner(pattern, inner).runTests(files, watcher, {});
      expect(inner.ran.length).toBeGreaterThan(0);
      expect(inner.listenerCount()).toBe(0);
    }
  });

  test('the index is read once per process: a later run selects by the index first read', async () => {
    const { index, files, runner } = recorded();
    const first = new StandIn();
    await runner('beta', first).runTests(files, watcher, {});
    expect(first.ran).toEqual(['b.test.js']);
    fs.writeFileSync(index, JSON.stringify({ [files[0].path]: ['beta'], [files[1].path]: ['alpha'] }));
    const later = new StandIn();
    await runner('beta', later).runTests(files, watcher, {});
    expect(later.ran).toEqual(['b.test.js']);
  });
});
