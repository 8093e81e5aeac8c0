// A Jest test runner for `npm run mutate` that loads only the test files a mutant's tests live in.
//
// Why: for each mutant, Stryker's jest runner runs Jest over the whole scope with a
// `testNamePattern` naming the tests that covered the mutant in the dry run. Jest then loads every
// test file of the scope (its imports, its describe bodies) to skip all but a few tests in it:
// about 10 s a mutant for the validator's ~35 files (12 mutants a minute on two workers).
// This runner wraps Jest's own runner (jest-runner, pinned beside jest) and hands it only the files
// that hold a test the pattern names.
//
// Which file holds which test: the dry run (no pattern) runs every file; the runner records each
// file's test names there into the index file that scripts/mutation-config.js names in
// MUTATION_TEST_INDEX (and removes before each run, so the index is always this run's). A run with
// a pattern but no index, a pattern that names no indexed test, or a file the index does not know
// falls back to running it, so the filter can only skip files whose every test the pattern skips.
// Jest matches the pattern against a test's full name, case-insensitively (jest-circus
// `testNamePattern`), and so does this.
'use strict';
const fs = require('fs');
const path = require('path');
const JestRunner = require('jest-runner').default;

class MutationTestRunner {
  constructor(globalConfig, context) {
    this.inner = new JestRunner(globalConfig, context);
    this.pattern = globalConfig.testNamePattern;
    this.indexFile = process.env.MUTATION_TEST_INDEX;
    this.isSerial = this.inner.isSerial;
    this.supportsEventEmitters = this.inner.supportsEventEmitters;
  }

  on(eventName, listener) {
    return this.inner.on(eventName, listener);
  }

  async runTests(tests, watcher, options) {
    if (!this.indexFile) return this.inner.runTests(tests, watcher, options);
    if (!this.pattern) {
      // No pattern once the index is recorded: a static mutant (module-level code, which the dry
      // run credits to no test), run against every test of the room. It too needs no file after
      // the first failing one: on lib/program/config.ts's 162 static mutants, each ran the whole
      // room (69 s) even when its first file failed.
      if (fs.existsSync(this.indexFile)) return this.runUntilFailure(tests, watcher, options);
      return this.recordIndex(tests, watcher, options);
    }
    return this.runUntilFailure(selectTests(tests, this.pattern, this.indexFile), watcher, options);
  }

  // One failing test kills the mutant, and Stryker reports only that (its jest runner cannot make
  // Jest bail), so the files after the first failing one are not run. A mutant that survives still
  // runs every file.
  async runUntilFailure(tests, watcher, options) {
    let failed = false;
    const unsubscribe = [
      this.inner.on('test-file-success', ([, result]) => {
        if (result.numFailingTests > 0) failed = true;
      }),
      this.inner.on('test-file-failure', () => {
        failed = true;
      }),
    ];
    try {
      for (const test of tests) {
        if (failed || watcher.isInterrupted()) break;
        await this.inner.runTests([test], watcher, options);
      }
    } finally {
      for (const off of unsubscribe) off();
    }
  }

  async recordIndex(tests, watcher, options) {
    const names = {};
    const unsubscribe = this.inner.on('test-file-success', ([test, result]) => {
      names[test.path] = result.testResults.map((t) => t.fullName);
    });
    try {
      return await this.inner.runTests(tests, watcher, options);
    } finally {
      unsubscribe();
      const scratch = `${this.indexFile}.${process.pid}.tmp`;
      fs.mkdirSync(path.dirname(this.indexFile), { recursive: true });
      fs.writeFileSync(scratch, JSON.stringify(names));
      fs.renameSync(scratch, this.indexFile);
    }
  }
}

let cachedIndex = null;
function readIndex(file) {
  if (cachedIndex === null && fs.existsSync(file)) cachedIndex = JSON.parse(fs.readFileSync(file, 'utf8'));
  return cachedIndex;
}

function selectTests(tests, pattern, indexFile) {
  const index = readIndex(indexFile);
  if (!index) return tests;
  const regex = new RegExp(pattern, 'i');
  const chosen = tests.filter((test) => {
    const names = index[test.path];
    return names === undefined || names.some((name) => regex.test(name));
  });
  return chosen.some((test) => index[test.path] !== undefined) ? chosen : tests;
}

module.exports = MutationTestRunner;
