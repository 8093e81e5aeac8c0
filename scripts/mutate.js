#!/usr/bin/env node
// `npm run mutate [-- SCOPE [stryker options]]`: mutation testing with Stryker, one scope at a time.
//
//   components  lib/components/**, judged by the construct tests (test/components)
//   validate    lib/validate/**, judged by the validator's tests (test/validate)
//   all         both, one after the other (the default)
//
// Each scope's mutants run against its own tests, per test that covered them in the dry run
// ("perTest" coverage): the score says whether a construct's or a rule's own tests catch a change
// to it, which is what lets it change safely. A scope keeps its own incremental file, so a rerun
// tests only the mutants whose code or tests changed. Stryker's clear-text reporter prints the
// score per file; the JSON report goes to reports/mutation/SCOPE.json, which
// scripts/mutation-recheck.js reads to re-run the survivors against the whole suite.
// Extra options go to `stryker run`, e.g. `--mutate lib/components/scale.ts --concurrency 1`.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { runnerEnv, scopedJest } = require('./mutation-config');

const root = path.resolve(__dirname, '..');
const SCOPES = {
  components: { mutate: ['lib/components/**/*.ts'], tests: 'test/components' },
  validate: { mutate: ['lib/validate/**/*.ts'], tests: 'test/validate' },
};

const [first, ...rest] = process.argv.slice(2);
const named = first !== undefined && !first.startsWith('-');
const scope = named ? first : 'all';
const strykerArgs = named ? rest : process.argv.slice(2);
if (scope !== 'all' && !(scope in SCOPES)) {
  console.error(`error: unknown scope "${scope}"; use one of ${[...Object.keys(SCOPES), 'all'].join(', ')}`);
  process.exit(2);
}

const base = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
const stryker = path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
for (const name of scope === 'all' ? Object.keys(SCOPES) : [scope]) {
  const { mutate, tests } = SCOPES[name];
  const config = {
    ...base,
    $schema: undefined,
    mutate,
    jest: scopedJest(base.jest, tests),
    incrementalFile: `reports/stryker-incremental-${name}.json`,
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
  };
  const configFile = path.join(root, 'reports', `stryker-${name}.config.json`);
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  console.log(`mutation testing ${mutate.join(', ')} against ${tests}`);
  const run = spawnSync(process.execPath, [stryker, 'run', configFile, ...strykerArgs], {
    cwd: root,
    stdio: 'inherit',
    env: runnerEnv(root, name),
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
