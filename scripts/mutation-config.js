// The Jest options `npm run mutate` and `npm run mutate:recheck -- --scoped` give Stryker: the
// scope's tests, run by scripts/mutation-runner.js in scripts/mutation-environment.js (see there
// for why), with the runner's test index recorded afresh by each run's dry run.
'use strict';
const fs = require('fs');
const path = require('path');

/** Stryker's `jest` options for a scope whose tests live under `tests`. */
function scopedJest(baseJest, tests) {
  return {
    ...baseJest,
    config: {
      ...baseJest.config,
      testMatch: [`<rootDir>/${tests}/**/*.test.ts`],
      runner: '<rootDir>/scripts/mutation-runner.js',
      // Relative: Stryker resolves the environment it wraps from the sandbox's root, without <rootDir>.
      testEnvironment: './scripts/mutation-environment.js',
    },
  };
}

/** The environment for a Stryker run of the scope: where the runner keeps its test index, emptied. */
function runnerEnv(root, name) {
  const testIndex = path.join(root, 'reports', `mutation-test-index-${name}.json`);
  fs.rmSync(testIndex, { force: true });
  return { ...process.env, MUTATION_TEST_INDEX: testIndex };
}

module.exports = { scopedJest, runnerEnv };
