// The rooms `npm run mutate` tests one at a time, and the Jest options it and
// `npm run mutate:recheck -- --scoped` give Stryker: the room's tests, run by
// scripts/mutation-runner.js in scripts/mutation-environment.js (see there for why), with the
// runner's test index recorded afresh by each run's dry run.
'use strict';
const fs = require('fs');
const path = require('path');

/**
 * Each room: the code Stryker mutates and the tests that judge it (folders, or single files).
 * A room's mutants run against its own tests only, so its score says whether the tests written
 * for that code catch a change to it.
 *
 *   components  the constructs, by the construct tests
 *   plan        lib/plan, by its tests and the program tests that call it (the plan command, the
 *               hostile-input plan tests, the ownership record the plan reads)
 *   program     lib/program (settings, synth, output, commands), by the program tests
 *   scripts     the scripts the tests reach, by their tests: publish-rendered.js (in process and
 *               as a command), mutation-runner.js and mutation-environment.js (under a real Jest,
 *               as child processes), mutation-sample.js (as a command), mutation-config.js (in
 *               process: what `npm run mutate` runs). mutate.js is left out: past its arguments
 *               (mutationRuns) it starts Stryker, which no test does. Other scripts have no tests
 *               of their own (launch.js is run by program and validator tests through a build,
 *               out of a room's reach).
 *   validate    lib/validate, by the validator's tests
 *
 * `coverageAnalysis: 'off'` (scripts): most of that code runs in child processes, where Stryker
 * records no per-test coverage (its mutants would all read "no coverage"); a mutant is still
 * active there, as Stryker hands it to children in __STRYKER_ACTIVE_MUTANT__. So each mutant
 * runs every test of the room. `ownTools` (scripts): Jest runs this checkout's runner and
 * environment, not the sandbox's copies, which are the ones being mutated.
 */
const ROOMS = {
  components: { mutate: ['lib/components/**/*.ts'], tests: ['test/components'] },
  plan: { mutate: ['lib/plan/**/*.ts'], tests: ['test/plan', 'test/program/plan-command.test.ts', 'test/program/plan-hostile.test.ts', 'test/program/ownership.test.ts'] },
  program: { mutate: ['lib/program/**/*.ts'], tests: ['test/program'] },
  scripts: {
    mutate: ['scripts/publish-rendered.js', 'scripts/mutation-runner.js', 'scripts/mutation-environment.js', 'scripts/mutation-sample.js', 'scripts/mutation-config.js'],
    tests: ['test/scripts/publish-rendered.test.ts', 'test/scripts/mutation-runner.test.ts', 'test/scripts/mutation-sample.test.ts', 'test/scripts/mutation-sample-typecheck.test.ts', 'test/scripts/mutation-config.test.ts'],
    coverageAnalysis: 'off',
    ownTools: true,
  },
  validate: { mutate: ['lib/validate/**/*.ts'], tests: ['test/validate'] },
};

/** Jest's testMatch for a room's tests: a folder's test files, or a file itself. */
function testMatch(tests) {
  return tests.map((t) => (t.endsWith('.ts') ? `<rootDir>/${t}` : `<rootDir>/${t}/**/*.test.ts`));
}

/**
 * Stryker's `jest` options for a room. `root` is this checkout: with `ownTools`, Jest loads the
 * runner and environment from it rather than from Stryker's sandbox.
 */
function scopedJest(baseJest, room, root) {
  const tools = room.ownTools
    ? { runner: path.join(root, 'scripts', 'mutation-runner.js'), testEnvironment: path.join(root, 'scripts', 'mutation-environment.js') }
    // Relative: Stryker resolves the environment it wraps from the sandbox's root, without <rootDir>.
    : { runner: '<rootDir>/scripts/mutation-runner.js', testEnvironment: './scripts/mutation-environment.js' };
  return { ...baseJest, config: { ...baseJest.config, testMatch: testMatch(room.tests), ...tools } };
}

// The real API server's tests (test/support/envtest) start a kube-apiserver per Jest process:
// Stryker starts Jest once per mutant, so they would start one per mutant, or fail where a
// cluster is required. Under mutation testing they skip themselves (one line each, as without
// the binaries); `npm test` runs them.
const CLUSTER_ENV = ['KUBEBUILDER_ASSETS', 'MULTI_K8S_REQUIRE_CLUSTER', 'MULTI_K8S_REQUIRE_SHARED_CRDS', 'MULTI_K8S_REQUIRE_CONTROLLER_MANAGER'];

/** The environment of a Stryker run: no cluster; with a room name, where the runner keeps its test index, emptied. */
function runnerEnv(root, name) {
  const env = { ...process.env };
  for (const key of CLUSTER_ENV) delete env[key];
  if (name === undefined) return env;
  const testIndex = path.join(root, 'reports', `mutation-test-index-${name}.json`);
  fs.rmSync(testIndex, { force: true });
  // The runner's list of files that killed mutants (scripts/mutation-runner.js): each run learns its own.
  fs.rmSync(`${testIndex}.killers.json`, { force: true });
  return { ...env, MUTATION_TEST_INDEX: testIndex };
}

/**
 * The test files `--tests` names, checked: each an existing test file (`.test.ts`) that is one of
 * the room's tests (a file the room lists, or one under a folder it lists). The list is sorted, so
 * the same files in another order are the same run. Throws an error naming the setting and what is
 * allowed.
 */
function chosenTests(room, name, text, root) {
  const files = String(text).split(',').map((t) => t.trim().replace(/\/+$/, '')).filter((t) => t !== '');
  const allowed = `test files (.test.ts) of the room's tests: ${room.tests.join(', ')}`;
  if (files.length === 0) throw new Error(`--tests of room ${name} names no file; give a comma-separated list of ${allowed}`);
  for (const file of files) {
    const inRoom = room.tests.some((t) => (t.endsWith('.ts') ? file === t : file.startsWith(`${t}/`)));
    if (!inRoom || !file.endsWith('.test.ts') || path.isAbsolute(file) || file.split('/').includes('..')) {
      throw new Error(`--tests: "${file}" is not one of the ${allowed}`);
    }
    if (!fs.statSync(path.join(root, file), { throwIfNoEntry: false })?.isFile()) throw new Error(`--tests: "${file}" does not exist`);
  }
  return [...new Set(files)].sort();
}

/**
 * The Stryker configuration of a room's run. With `tests` (chosenTests), the room's mutants are
 * judged by those test files only, a fast first pass for code nearly every test reaches: a mutant
 * they kill, the room's tests kill too (they are some of them); what survives is judged by the
 * room's tests after (`npm run mutate:recheck -- ROOM --scoped --report reports/mutation/ROOM-tests.json`).
 * Such a run keeps an incremental file and a report of its own, so it never mixes with the room's.
 */
function strykerConfig(base, name, root, tests) {
  const room = ROOMS[name];
  const own = tests === undefined ? '' : '-tests';
  return {
    ...base,
    $schema: undefined,
    mutate: room.mutate,
    jest: scopedJest(base.jest, tests === undefined ? room : { ...room, tests }, root),
    ...(room.coverageAnalysis ? { coverageAnalysis: room.coverageAnalysis } : {}),
    incrementalFile: `reports/stryker-incremental-${name}${own}.json`,
    jsonReporter: { fileName: `reports/mutation/${name}${own}.json` },
  };
}

/** The order `npm run mutate` with no room runs the rooms in. */
const ORDER = ['components', 'plan', 'program', 'scripts', 'validate'];

/**
 * What `npm run mutate ARGS` runs, read from its arguments: the rooms in order, each with its
 * Stryker configuration, the name its runner's files go by (runnerEnv) and its configuration
 * file, and the options left for `stryker run`. `--room NAME` or a first word names one room
 * (`all`, or none: every room); `--mutate` needs a room, since each room has its own tests and
 * incremental file; `--tests` needs one too (chosenTests checks its files). Throws an error
 * naming the setting and what is allowed; nothing is written.
 */
function mutationRuns(argv, base, root) {
  const rooms = `use --room with one of ${ORDER.join(', ')} (or no room: all of them)`;
  let room;
  let rest = [...argv];
  const at = argv.indexOf('--room');
  if (at >= 0) {
    room = argv[at + 1];
    if (room === undefined || room.startsWith('-')) throw new Error(`--room needs a name; ${rooms}`);
    rest = [...argv.slice(0, at), ...argv.slice(at + 2)];
  } else if (argv[0] !== undefined && !argv[0].startsWith('-')) {
    room = argv[0] === 'all' ? undefined : argv[0];
    rest = argv.slice(1);
  }
  if (room !== undefined && !Object.hasOwn(ROOMS, room)) throw new Error(`unknown room "${room}"; ${rooms}`);
  if (room === undefined && rest.includes('--mutate')) {
    throw new Error('--mutate needs a room (--room NAME): each room has its own tests and incremental file');
  }
  let tests;
  const testsAt = rest.indexOf('--tests');
  if (testsAt >= 0) {
    if (room === undefined) throw new Error('--tests needs a room (--room NAME): the files must be some of its tests');
    tests = chosenTests(ROOMS[room], room, rest[testsAt + 1] ?? '', root);
    rest.splice(testsAt, 2);
  }
  const runs = (room === undefined ? ORDER : [room]).map((name) => {
    const runName = tests === undefined ? name : `${name}-tests`;
    return {
      name,
      runName,
      tests: tests ?? ROOMS[name].tests,
      config: strykerConfig(base, name, root, tests),
      configFile: path.join(root, 'reports', `stryker-${runName}.config.json`),
    };
  });
  return { runs, strykerArgs: rest };
}

module.exports = { ROOMS, ORDER, scopedJest, runnerEnv, testMatch, chosenTests, strykerConfig, mutationRuns };
