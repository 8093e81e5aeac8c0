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
const { ROOMS, runnerEnv, chosenTests, strykerConfig } = require('./mutation-config');

const root = path.resolve(__dirname, '..');
const ORDER = ['components', 'plan', 'program', 'scripts', 'validate'];

/** The room asked for (undefined: all) and the options left for Stryker. */
function parseArgs(argv) {
  const at = argv.indexOf('--room');
  if (at >= 0) {
    const room = argv[at + 1];
    return { room, rest: [...argv.slice(0, at), ...argv.slice(at + 2)], missing: room === undefined || room.startsWith('-') };
  }
  const [first, ...rest] = argv;
  if (first !== undefined && !first.startsWith('-')) return { room: first === 'all' ? undefined : first, rest, missing: false };
  return { room: undefined, rest: argv, missing: false };
}

const { room, rest: strykerArgs, missing } = parseArgs(process.argv.slice(2));
if (missing || (room !== undefined && !Object.hasOwn(ROOMS, room))) {
  console.error(`error: ${missing ? '--room needs a name' : `unknown room "${room}"`}; use --room with one of ${ORDER.join(', ')} (or no room: all of them)`);
  process.exit(2);
}
// Stryker takes --mutate once: a file outside the room would be judged by tests that never reach it.
const mutateAt = strykerArgs.indexOf('--mutate');
if (room === undefined && mutateAt >= 0) {
  console.error('error: --mutate needs a room (--room NAME): each room has its own tests and incremental file');
  process.exit(2);
}

const testsAt = strykerArgs.indexOf('--tests');
let tests;
if (testsAt >= 0) {
  if (room === undefined) {
    console.error('error: --tests needs a room (--room NAME): the files must be some of its tests');
    process.exit(2);
  }
  try {
    tests = chosenTests(ROOMS[room], room, strykerArgs[testsAt + 1] ?? '', root);
  } catch (error) {
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
  strykerArgs.splice(testsAt, 2);
}

const base = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
const stryker = path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
for (const name of room === undefined ? ORDER : [room]) {
  const spec = ROOMS[name];
  const config = strykerConfig(base, name, root, tests);
  const configFile = path.join(root, 'reports', `stryker-${name}${tests === undefined ? '' : '-tests'}.config.json`);
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const mutating = strykerArgs.indexOf('--mutate');
  console.log(`mutation testing ${mutating >= 0 ? strykerArgs[mutating + 1] : spec.mutate.join(', ')} (room ${name}) against ${(tests ?? spec.tests).join(', ')}`);
  const run = spawnSync(process.execPath, [stryker, 'run', configFile, ...strykerArgs], {
    cwd: root,
    stdio: 'inherit',
    env: runnerEnv(root, tests === undefined ? name : `${name}-tests`),
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
