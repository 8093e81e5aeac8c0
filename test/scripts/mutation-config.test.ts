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
