import { spawnSync } from 'child_process';
import * as path from 'path';

// scripts/mutation-config.js and scripts/mutate.js's `--tests`: a room's mutants judged by some of
// its test files, checked before Stryker starts.
const ROOT = path.join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(path.join(ROOT, 'scripts', 'mutation-config.js'));

describe('--tests: some of a room\'s test files', () => {
  test('files of the room, in any order, with repeats and spaces, are the same sorted list', () => {
    expect(config.chosenTests(config.ROOMS.validate, 'validate', ' test/validate/names.test.ts,test/validate/schema/builtin.test.ts, test/validate/names.test.ts', ROOT))
      .toEqual(['test/validate/names.test.ts', 'test/validate/schema/builtin.test.ts']);
    // A room that lists single files takes those files.
    expect(config.chosenTests(config.ROOMS.plan, 'plan', 'test/program/plan-command.test.ts', ROOT)).toEqual(['test/program/plan-command.test.ts']);
  });

  test.each([
    ['', 'validate', '--tests of room validate names no file; give a comma-separated list of test files (.test.ts) of the room\'s tests: test/validate'],
    [' , ', 'validate', '--tests of room validate names no file'],
    ['test/plan/plan.test.ts', 'validate', '--tests: "test/plan/plan.test.ts" is not one of the test files (.test.ts) of the room\'s tests: test/validate'],
    ['test/validate', 'validate', '--tests: "test/validate" is not one of'],
    ['test/validate/../plan/plan.test.ts', 'validate', 'is not one of'],
    ['test/validate/helpers.ts', 'validate', '"test/validate/helpers.ts" is not one of'],
    [`${ROOT}/test/validate/names.test.ts`, 'validate', 'is not one of'],
    ['test/validate/nothing-here.test.ts', 'validate', '--tests: "test/validate/nothing-here.test.ts" does not exist'],
    ['test/program/ownership.test.tsx', 'plan', 'is not one of the test files (.test.ts) of the room\'s tests: test/plan, test/program/plan-command.test.ts'],
    ['test/program/synth.test.ts', 'plan', '"test/program/synth.test.ts" is not one of'],
  ])('%j of room %s is refused: %s', (text, room, message) => {
    expect(() => config.chosenTests(config.ROOMS[room], room, text, ROOT)).toThrow(message);
  });

  test('the run\'s configuration: those files, and an incremental file and report of their own', () => {
    const base = { jest: { config: { testPathIgnorePatterns: ['/node_modules/'] } }, incrementalFile: 'x', jsonReporter: { fileName: 'y' }, $schema: 's' };
    const whole = config.strykerConfig(base, 'validate', ROOT);
    const some = config.strykerConfig(base, 'validate', ROOT, ['test/validate/names.test.ts']);
    expect(whole.jest.config.testMatch).toEqual(['<rootDir>/test/validate/**/*.test.ts']);
    expect(some.jest.config.testMatch).toEqual(['<rootDir>/test/validate/names.test.ts']);
    expect(some.jest.config.testPathIgnorePatterns).toEqual(['/node_modules/']);
    expect([whole.incrementalFile, whole.jsonReporter.fileName]).toEqual(['reports/stryker-incremental-validate.json', 'reports/mutation/validate.json']);
    expect([some.incrementalFile, some.jsonReporter.fileName]).toEqual(['reports/stryker-incremental-validate-tests.json', 'reports/mutation/validate-tests.json']);
    expect(some.mutate).toEqual(['lib/validate/**/*.ts']);
    expect(some.$schema).toBeUndefined();
  });

  test.each([
    [['validate', '--tests', 'test/plan/plan.test.ts'], 'error: --tests: "test/plan/plan.test.ts" is not one of the test files (.test.ts) of the room\'s tests: test/validate'],
    [['--tests', 'test/validate/names.test.ts'], 'error: --tests needs a room (--room NAME)'],
    [['--room', 'validate', '--tests'], 'error: --tests of room validate names no file'],
  ])('npm run mutate -- %j exits 2 before Stryker starts: %s', (args, message) => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'mutate.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toContain(message);
    expect(run.stdout).toBe('');
  });
});

describe('npm run mutate\'s arguments (mutationRuns)', () => {
  const base = Object.freeze({ jest: Object.freeze({ config: Object.freeze({ testPathIgnorePatterns: ['/node_modules/'] }) }), incrementalFile: 'x', jsonReporter: { fileName: 'y' } });
  const runs = (argv: string[]) => config.mutationRuns(argv, base, ROOT);
  const names = (argv: string[]) => runs(argv).runs.map((r: { name: string }) => r.name);

  test('no room, or `all`: every room in order, each with its own configuration file, runner name and tests', () => {
    expect(names([])).toEqual(['components', 'plan', 'program', 'scripts', 'validate']);
    expect(names(['all', '--concurrency', '1'])).toEqual(config.ORDER);
    expect(runs(['all', '--concurrency', '1']).strykerArgs).toEqual(['--concurrency', '1']);
    expect(runs(['--concurrency', '1']).strykerArgs).toEqual(['--concurrency', '1']);
    for (const run of runs([]).runs) {
      expect(run.runName).toBe(run.name);
      expect(run.configFile).toBe(path.join(ROOT, 'reports', `stryker-${run.name}.config.json`));
      expect(run.tests).toEqual(config.ROOMS[run.name].tests);
      expect(run.config.incrementalFile).toBe(`reports/stryker-incremental-${run.name}.json`);
      expect(run.config.mutate).toEqual(config.ROOMS[run.name].mutate);
    }
    expect(runs([]).runs.find((r: { name: string }) => r.name === 'scripts').config.coverageAnalysis).toBe('off');
    expect(runs([]).runs.find((r: { name: string }) => r.name === 'plan').config.coverageAnalysis).toBeUndefined();
  });

  test('a room by its first word or by --room, anywhere; the other options are left for Stryker in their order', () => {
    expect(runs(['plan', '--mutate', 'lib/plan/text.ts', '--concurrency', '1'])).toMatchObject({ runs: [{ name: 'plan' }], strykerArgs: ['--mutate', 'lib/plan/text.ts', '--concurrency', '1'] });
    expect(runs(['--concurrency', '1', '--room', 'program', '--force'])).toMatchObject({ runs: [{ name: 'program' }], strykerArgs: ['--concurrency', '1', '--force'] });
  });

  test('--tests: the run\'s own name and configuration file, the files sorted, the option not passed on', () => {
    const { runs: [run], strykerArgs } = runs(['validate', '--ignoreStatic', '--tests', 'test/validate/schema.test.ts,test/validate/names.test.ts', '--concurrency', '2']);
    expect(run.name).toBe('validate');
    expect(run.runName).toBe('validate-tests');
    expect(run.tests).toEqual(['test/validate/names.test.ts', 'test/validate/schema.test.ts']);
    expect(run.configFile).toBe(path.join(ROOT, 'reports', 'stryker-validate-tests.config.json'));
    expect(run.config.jest.config.testMatch).toEqual(['<rootDir>/test/validate/names.test.ts', '<rootDir>/test/validate/schema.test.ts']);
    expect(strykerArgs).toEqual(['--ignoreStatic', '--concurrency', '2']);
  });

  test.each([
    [['--room'], '--room needs a name; use --room with one of components, plan, program, scripts, validate (or no room: all of them)'],
    [['--room', '--mutate', 'lib/plan/text.ts'], '--room needs a name'],
    [['nope'], 'unknown room "nope"; use --room with one of components, plan, program, scripts, validate'],
    [['--room', 'toString'], 'unknown room "toString"'],
    [['--mutate', 'lib/plan/text.ts'], '--mutate needs a room (--room NAME): each room has its own tests and incremental file'],
    [['all', '--mutate', 'lib/plan/text.ts'], '--mutate needs a room'],
    [['all', '--tests', 'test/validate/names.test.ts'], '--tests needs a room (--room NAME): the files must be some of its tests'],
    [['plan', '--tests', 'test/validate/names.test.ts'], '--tests: "test/validate/names.test.ts" is not one of the test files (.test.ts) of the room\'s tests: test/plan'],
  ])('%j is refused: %s', (argv, message) => {
    expect(() => runs(argv)).toThrow(message);
  });
});

