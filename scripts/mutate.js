#!/usr/bin/env node
// `npm run mutate [-- --room ROOM] [stryker options]`: mutation testing with Stryker, a room at a time.
//
//   --room components | plan | program | scripts | validate   one room (scripts/mutation-config.js
//                       says what each mutates and which tests judge it); `npm run mutate -- ROOM`
//                       says the same
//   no room             every room, one after the other (hours: lib/validate alone takes hours)
//
// Each room's mutants run against its own tests, per test that covered them in the dry run
// ("perTest" coverage): the score says whether the tests written for that code catch a change to
// it, which is what lets it change safely. A room keeps its own incremental file
// (reports/stryker-incremental-ROOM.json), so a rerun tests only the mutants whose code or tests
// changed. Stryker's clear-text reporter prints the score per file; the JSON report goes to
// reports/mutation/ROOM.json, which scripts/mutation-recheck.js reads to re-run the survivors.
// Extra options go to `stryker run`, e.g. `--mutate lib/plan/text.ts --concurrency 1`; with
// `--mutate`, give a file of the room (Stryker mutates what `--mutate` names, whatever the room).
//
//   --tests A,B         judge the mutants by these test files of the room only (a first pass for
//                       code nearly every test reaches; scripts/mutation-config.js strykerConfig
//                       says how its survivors are judged by the whole room after)
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { mutationRuns, runnerEnv } = require('./mutation-config');

const root = path.resolve(__dirname, '..');
const base = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
let plan;
try {
  plan = mutationRuns(process.argv.slice(2), base, root);
} catch (error) {
  console.error(`error: ${error.message}`);
  process.exit(2);
}

const stryker = path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const { strykerArgs } = plan;
for (const { name, runName, tests, config, configFile } of plan.runs) {
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const mutating = strykerArgs.indexOf('--mutate');
  console.log(`mutation testing ${mutating >= 0 ? strykerArgs[mutating + 1] : config.mutate.join(', ')} (room ${name}) against ${tests.join(', ')}`);
  const run = spawnSync(process.execPath, [stryker, 'run', configFile, ...strykerArgs], { cwd: root, stdio: 'inherit', env: runnerEnv(root, runName) });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
