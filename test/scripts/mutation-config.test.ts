import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
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

describe('the rooms (ROOMS)', () => {
  const exists = (p: string) => fs.statSync(path.join(ROOT, p), { throwIfNoEntry: false });
  const filesUnder = (dir: string): string[] => fs.readdirSync(path.join(ROOT, dir), { recursive: true }).map(String).map((f) => path.posix.join(dir, f.split(path.sep).join('/')));

  test('each room mutates files that exist and is judged by tests that exist: a folder of test files, or a test file', () => {
    for (const [name, room] of Object.entries<{ mutate: string[]; tests: string[] }>(config.ROOMS)) {
      expect({ name, mutate: room.mutate.length > 0, tests: room.tests.length > 0 }).toEqual({ name, mutate: true, tests: true });
      for (const pattern of room.mutate) {
        const globbed = pattern.match(/^(.*)\/\*\*\/\*\.ts$/);
        if (globbed) expect({ name, pattern, ts: filesUnder(globbed[1]).some((f) => f.endsWith('.ts')) }).toEqual({ name, pattern, ts: true });
        else expect({ name, pattern, file: exists(pattern)?.isFile() }).toEqual({ name, pattern, file: true });
      }
      for (const tests of room.tests) {
        if (tests.endsWith('.test.ts')) expect({ name, tests, file: exists(tests)?.isFile() }).toEqual({ name, tests, file: true });
        else expect({ name, tests, folder: /^test\/[\w-]+$/.test(tests) && filesUnder(tests).some((f) => f.endsWith('.test.ts')) }).toEqual({ name, tests, folder: true });
      }
    }
  });

  test('every source file of lib/ is in a room, and the room\'s tests include its mirrored folder', () => {
    const rooms = Object.values<{ mutate: string[]; tests: string[] }>(config.ROOMS);
    for (const file of filesUnder('lib').filter((f) => f.endsWith('.ts'))) {
      const room = rooms.find((r) => r.mutate.some((m) => file.startsWith(m.replace('**/*.ts', ''))));
      expect({ file, room: room !== undefined }).toEqual({ file, room: true });
      expect(room!.tests).toContain(path.posix.dirname(file).replace(/^lib\//, 'test/').split('/').slice(0, 2).join('/'));
    }
  });

  test('the scripts room: each script it mutates is judged by its own test file (the environment by the runner\'s), and Jest runs this checkout\'s runner', () => {
    const { scripts } = config.ROOMS;
    for (const script of scripts.mutate) {
      const own = path.basename(script, '.js') === 'mutation-environment' ? 'mutation-runner' : path.basename(script, '.js');
      expect(scripts.tests).toContain(`test/scripts/${own}.test.ts`);
    }
    // and every test file of the room is a script's own (its name, or its name and an aspect: mutation-sample-typecheck).
    const names = scripts.mutate.map((s: string) => path.basename(s, '.js'));
    for (const test of scripts.tests) {
      expect([test, names.some((name: string) => new RegExp(`^test/scripts/${name}(-[a-z]+)?\\.test\\.ts$`).test(test))]).toEqual([test, true]);
    }
    const jest = config.scopedJest({ config: {} }, scripts, '/somewhere/else').config;
    expect([jest.runner, jest.testEnvironment]).toEqual(['/somewhere/else/scripts/mutation-runner.js', '/somewhere/else/scripts/mutation-environment.js']);
    // Other rooms run the sandbox's copies, which are the same files there.
    const sandboxed = config.scopedJest({ config: {} }, config.ROOMS.plan, '/somewhere/else').config;
    expect([sandboxed.runner, sandboxed.testEnvironment]).toEqual(['<rootDir>/scripts/mutation-runner.js', './scripts/mutation-environment.js']);
    expect(fs.existsSync(path.join(ROOT, sandboxed.runner.replace('<rootDir>/', ''))) && fs.existsSync(path.join(ROOT, sandboxed.testEnvironment))).toBe(true);
  });

  test('a --tests file written with trailing slashes is the file', () => {
    expect(config.chosenTests(config.ROOMS.validate, 'validate', 'test/validate/names.test.ts//', ROOT)).toEqual(['test/validate/names.test.ts']);
  });
});

describe('the environment of a Stryker run (runnerEnv)', () => {
  const CLUSTER = ['KUBEBUILDER_ASSETS', 'MULTI_K8S_REQUIRE_CLUSTER', 'MULTI_K8S_REQUIRE_SHARED_CRDS', 'MULTI_K8S_REQUIRE_CONTROLLER_MANAGER'];
  let saved: Record<string, string | undefined>;
  beforeEach(() => {
    saved = Object.fromEntries([...CLUSTER, 'MUTATION_CONFIG_TEST', 'MUTATION_TEST_INDEX'].map((k) => [k, process.env[k]]));
    for (const key of CLUSTER) process.env[key] = '/x';
    process.env.MUTATION_CONFIG_TEST = 'kept';
    delete process.env.MUTATION_TEST_INDEX;
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  test('no cluster variable, every other variable kept; without a name, no test index and nothing removed', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-env-'));
    try {
      fs.mkdirSync(path.join(root, 'reports'));
      fs.writeFileSync(path.join(root, 'reports', 'mutation-test-index-undefined.json'), '{}');
      const env = config.runnerEnv(root);
      for (const key of CLUSTER) expect({ key, set: key in env }).toEqual({ key, set: false });
      expect(env.MUTATION_CONFIG_TEST).toBe('kept');
      expect(env.PATH).toBe(process.env.PATH);
      expect('MUTATION_TEST_INDEX' in env).toBe(false);
      expect(fs.readdirSync(path.join(root, 'reports'))).toEqual(['mutation-test-index-undefined.json']);
      // The process's own environment is not changed.
      expect(process.env.KUBEBUILDER_ASSETS).toBe('/x');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('with a name: the runner\'s test index of that name, emptied with its killers list; none there is no error', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-env-'));
    try {
      fs.mkdirSync(path.join(root, 'reports'));
      const index = path.join(root, 'reports', 'mutation-test-index-plan-tests.json');
      for (const file of [index, `${index}.killers.json`, path.join(root, 'reports', 'mutation-test-index-plan.json')]) fs.writeFileSync(file, '{}');
      const env = config.runnerEnv(root, 'plan-tests');
      expect(env.MUTATION_TEST_INDEX).toBe(index);
      expect(env.MUTATION_CONFIG_TEST).toBe('kept');
      for (const key of CLUSTER) expect({ key, set: key in env }).toEqual({ key, set: false });
      expect(fs.readdirSync(path.join(root, 'reports'))).toEqual(['mutation-test-index-plan.json']);
      expect(config.runnerEnv(root, 'plan-tests').MUTATION_TEST_INDEX).toBe(index);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

