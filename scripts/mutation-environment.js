// Jest's node environment for `npm run mutate`, made to stop a test file at its first failure.
//
// One failing test kills a mutant, and Stryker reports only that one; but Jest runs the rest of
// the file regardless (Stryker's jest runner cannot make it bail). For a mutant in a rule that
// every validation reaches, those are hundreds of whole-app validations after the verdict is in.
// After a failure, each later test of the file is marked skipped as it starts (jest-circus checks
// a test's mode after its `test_start` event, which environments receive through
// `handleTestEvent`). A mutant that survives has no failure, so every test still runs.
// scripts/mutation-runner.js does the same across files.
'use strict';
const { TestEnvironment } = require('jest-environment-node');

class MutationEnvironment extends TestEnvironment {
  failed = false;

  async handleTestEvent(event) {
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') this.failed = true;
    else if (event.name === 'test_start' && this.failed) event.test.mode = 'skip';
  }
}

module.exports = MutationEnvironment;
