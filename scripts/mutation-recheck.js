#!/usr/bin/env node
// Re-runs the survivors of the last `npm run mutate` against the whole test suite.
//
// `npm run mutate` runs each mutant against only its scope's tests, and of those only the ones that
// covered its code in Stryker's dry run ("perTest" coverage). That under-reports kills when a
// chart is built in shared setup (a cache, a describe body), where the coverage belongs to no
// single test, and it leaves out the program's tests. Here each survivor runs against every test
// ("off" coverage), so what still survives is a mutant no test catches.
//
// Usage: npm run mutate:recheck -- ROOM [--live] [--scoped] [--timeouts] [--report FILE] [PATH_PREFIX...]
//   ROOM         a room of scripts/mutation-config.js (components, plan, program, scripts,
//                validate), or `--room ROOM`: reads the last `npm run mutate` report of that room
//   PATH_PREFIX  only survivors in files starting with it (e.g. lib/components/scale.ts)
//   --live       the validator's tests render the app through lib/components as `npm test` does,
//                instead of the copy frozen in the dry run (test/helpers.ts renderedApp): a
//                construct mutant they catch then counts as killed. Slow: ~15 s a mutant.
//   --scoped     judge the survivors as `npm run mutate` does (the room's tests, with the room's
//                coverage analysis) rather than by the whole suite: the quick re-run after adding tests for
//                them, which measures the file's score again without re-running its killed mutants.
//   --report F   read this report instead of reports/mutation/SCOPE.json (a run's report kept aside).
//   --timeouts   re-run the mutants that timed out as well: Stryker counts a timeout as a kill, and
//                a machine busy with other work makes slow mutants time out that would survive.
// Reads reports/mutation/SCOPE.json; writes reports/mutation/SCOPE-recheck.json and prints, per
// survivor, whether the whole suite kills it. Survivors and mutants without coverage count.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ROOMS, runnerEnv, scopedJest } = require('./mutation-config');

const root = path.resolve(__dirname, '..');
const argv = process.argv.slice(2);
const roomAt = argv.indexOf('--room');
// `--room NAME` is the room as the first word.
const args = roomAt >= 0 ? [argv[roomAt + 1] ?? '', ...argv.slice(0, roomAt), ...argv.slice(roomAt + 2)] : argv;
const live = args.includes('--live');
const scoped = args.includes('--scoped');
const timeouts = args.includes('--timeouts');
const reportAt = args.indexOf('--report');
const reportArg = reportAt >= 0 ? args[reportAt + 1] : undefined;
const [scope, ...prefixes] = args.filter((a, i) => a !== '--live' && a !== '--scoped' && a !== '--timeouts' && i !== reportAt && (reportAt < 0 || i !== reportAt + 1));
if (scope === undefined || !Object.hasOwn(ROOMS, scope) || (reportAt >= 0 && !reportArg)) {
  console.error(`usage: npm run mutate:recheck -- ${Object.keys(ROOMS).join('|')} [--live] [--scoped] [--timeouts] [--report FILE] [PATH_PREFIX...]`);
  process.exit(2);
}
const room = ROOMS[scope];
const reportFile = reportArg ? path.resolve(reportArg) : path.join(root, 'reports', 'mutation', `${scope}.json`);
const recheckFile = path.join(root, 'reports', 'mutation', `${scope}-recheck.json`);
const configFile = path.join(root, 'reports', `stryker-${scope}-recheck.config.json`);

const UNKILLED = new Set(['Survived', 'NoCoverage']);
const TO_RECHECK = new Set([...UNKILLED, ...(timeouts ? ['Timeout'] : [])]);
const key = (file, m) => `${file}:${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column} ${m.mutatorName} ${m.replacement ?? ''}`;

function survivors(report) {
  return Object.entries(report.files)
    .filter(([file]) => prefixes.length === 0 || prefixes.some((p) => file.startsWith(p)))
    .flatMap(([file, { mutants }]) => mutants.filter((m) => TO_RECHECK.has(m.status)).map((m) => ({ file, mutant: m })));
}

if (!fs.existsSync(reportFile)) {
  console.error(`error: no ${path.relative(root, reportFile)}; run \`npm run mutate -- ${scope}\` first`);
  process.exit(1);
}
const todo = survivors(JSON.parse(fs.readFileSync(reportFile, 'utf8')));
if (todo.length === 0) {
  console.log('no survivors to re-check');
  process.exit(0);
}

// A mutate range selects the mutants lying inside it; the report's columns count from 1, the
// range's from 0. A range may also select smaller mutants nested in a survivor: they run too, but
// only the survivors are reported below.
const ranges = todo.map(({ file, mutant: { location: { start, end } } }) => `${file}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`);
const base = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
const config = {
  ...base,
  $schema: undefined,
  mutate: [...new Set(ranges)],
  ...(scoped ? { jest: scopedJest(base.jest, room, root) } : {}),
  coverageAnalysis: scoped ? (room.coverageAnalysis ?? 'perTest') : 'off',
  incremental: false,
  reporters: ['json', 'progress'],
  jsonReporter: { fileName: path.relative(root, recheckFile) },
};
fs.mkdirSync(path.dirname(configFile), { recursive: true });
fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
console.log(`re-checking ${todo.length} survivors against ${scoped ? `${room.tests.join(', ')} (${room.coverageAnalysis ?? 'perTest'} coverage)` : 'the whole suite'}${live ? ' (validator tests render live)' : ''}`);
const stryker = path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
const env = { ...(scoped ? runnerEnv(root, `${scope}-recheck`) : runnerEnv(root)), ...(live ? { MUTATION_LIVE_RENDER: '1' } : {}) };
const run = spawnSync(process.execPath, [stryker, 'run', configFile], { cwd: root, stdio: 'inherit', env });
if (run.status !== 0) process.exit(run.status ?? 1);

const rechecked = new Map();
for (const [file, { mutants }] of Object.entries(JSON.parse(fs.readFileSync(recheckFile, 'utf8')).files)) {
  for (const m of mutants) rechecked.set(key(file, m), m.status);
}
const suite = scoped ? room.tests.join(', ') : 'the whole suite';
const still = [];
for (const { file, mutant } of todo) {
  const status = rechecked.get(key(file, mutant)) ?? 'not re-run';
  const line = `${file}:${mutant.location.start.line}:${mutant.location.start.column} ${mutant.mutatorName} -> ${JSON.stringify(mutant.replacement ?? '')}: ${status}`;
  if (UNKILLED.has(status) || status === 'not re-run') still.push(line);
  else console.log(`killed by ${suite}: ${line}`);
}
for (const line of still) console.log(`survives ${suite}: ${line}`);
console.log(`${todo.length - still.length} of ${todo.length} survivors are killed by ${suite}; ${still.length} remain`);
