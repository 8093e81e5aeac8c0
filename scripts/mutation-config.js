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
 *               as child processes), mutation-sample.js (as a command). Other scripts have no tests of their own (launch.js is run
 *               by program and validator tests through a build, out of a room's reach).
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
    mutate: ['scripts/publish-rendered.js', 'scripts/mutation-runner.js', 'scripts/mutation-environment.js', 'scripts/mutation-sample.js'],
    tests: ['test/scripts/publish-rendered.test.ts', 'test/scripts/mutation-runner.test.ts', 'test/scripts/mutation-sample.test.ts'],
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

module.exports = { ROOMS, scopedJest, runnerEnv, testMatch };
