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
  //
  // The files that killed the run's earlier mutants go first, the latest first: mutants of one
  // source file are mostly killed by the same test file, and Jest's own order (slowest first, or
  // largest first without timings) put the validator's longest files before it. The order changes
  // no verdict (each file runs in its own module registry; a survivor runs every file either way),
  // only how soon a kill is seen. The list is kept beside the index (killersFile), so both of
  // Stryker's workers learn it; recordKiller reads it again before writing, to keep the other's.
  async runUntilFailure(tests, watcher, options) {
    let failed = false;
    let killer;
    const unsubscribe = [
      this.inner.on('test-file-success', ([test, result]) => {
        if (result.numFailingTests > 0) {
          failed = true;
          killer = test.path;
        }
      }),
      this.inner.on('test-file-failure', ([test]) => {
        failed = true;
        killer = test.path;
      }),
    ];
    try {
      for (const test of killersFirst(tests, this.indexFile)) {
        if (failed || watcher.isInterrupted()) break;
        await this.inner.runTests([test], watcher, options);
      }
    } finally {
      for (const off of unsubscribe) off();
    }
    if (killer !== undefined) recordKiller(this.indexFile, killer);
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

/** Where the runner keeps the files that killed mutants, latest first: beside the index. */
function killersFile(indexFile) {
  return `${indexFile}.killers.json`;
}

/** The files that killed earlier mutants (unreadable or foreign content: none). */
function readKillers(indexFile) {
  try {
    const list = JSON.parse(fs.readFileSync(killersFile(indexFile), 'utf8'));
    return Array.isArray(list) ? list.filter((item) => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

/** `tests` with the files that killed earlier mutants first, the latest first; the rest in Jest's order. */
function killersFirst(tests, indexFile) {
  const rank = new Map(readKillers(indexFile).map((file, at) => [file, at]));
  const order = (test) => rank.get(test.path) ?? rank.size;
  return tests.map((test, at) => ({ test, at })).sort((x, y) => order(x.test) - order(y.test) || x.at - y.at).map(({ test }) => test);
}

/** Puts `file` first in the killers list (written whole and renamed into place: the two workers may write at once, and a lost update only costs order). */
function recordKiller(indexFile, file) {
  const list = [file, ...readKillers(indexFile).filter((item) => item !== file)];
  const scratch = `${killersFile(indexFile)}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(scratch, JSON.stringify(list));
    fs.renameSync(scratch, killersFile(indexFile));
  } catch {
    // An order is a speed-up, never a verdict: a folder that cannot be written costs none.
    fs.rmSync(scratch, { force: true });
  }
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
