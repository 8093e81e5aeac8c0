#!/usr/bin/env node
// Re-checks a random sample of the named survivors against the whole test suite: each mutant is
// applied to a scratch copy of this checkout, the suite runs there, and the mutant is removed.
// A named survivor the suite kills was no equivalent mutant: docs/mutation.md is wrong about it.
//
// usage: npm run mutate:sample -- [--count N] [--seed S] [--room ROOM] [--list FILE] [--command CMD] [--typecheck CMD]
//        npm run mutate:sample -- --record ROOM [--report FILE]... [--list FILE]
//
//   --count N     how many survivors to re-check (default 5)
//   --seed S      the sample's seed, an integer (default: a random one, printed, so a run can be repeated)
//   --room ROOM   only that room's survivors (default: every room in the list)
//   --list FILE   the named survivors (default docs/mutation-survivors.json, committed)
//   --command CMD the suite, run in the copy by `sh -c` (default: `npx jest --bail --silent
//                 $MUTATION_SAMPLE_FILE`: every test file, or the one file a kill is confirmed with;
//                 the API server's tests run where KUBEBUILDER_ASSETS names its binaries)
//   --typecheck CMD the type check each mutant must pass before the suite runs, by `sh -c` in the
//                 copy (default `npx tsc --noEmit -p .`, the project's `npm run typecheck`)
//   --record ROOM writes the survivors of that room's last Stryker report (reports/mutation/ROOM.json,
//                 or --report FILE, given once per report when the room was run in parts) into the
//                 list, replacing the room's entries of the files those reports hold (a room run a
//                 few files at a time is recorded a part at a time; the entries of a file no longer
//                 in the checkout go too): with each its location, its replacement and
//                 the code it replaces, so a later run can tell when the code moved (that mutant is
//                 then reported as "moved", not applied); a mutant several reports hold takes the
//                 verdict of the last one given (a part run again with --force after a first run)
//
// A mutant TypeScript refuses is no program anyone could ship: Stryker runs it (the project's
// Stryker runs have no type checker, and Jest's TypeScript transform does not check types), so it
// can be recorded as a survivor, but no test could be asked to kill it. Its verdict is "does not
// compile", and the suite is not run for it.
// A kill is confirmed: the test file jest reported failing must fail again with the mutant and pass
// without it, else the verdict is "unsure" (a test that failed by time on busy cores).
// Exit codes: 0 every sampled survivor survived or does not compile; 1 one was killed, unsure,
// moved or timed out; 2 also when the copy fails the type check without any mutant;
// 2 usage error, or a list or report that cannot be read.
// The checkout itself is never changed: the copy is a clone made under the system's temporary
// folder, removed at the end, also when the run is interrupted.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseArgs } = require('util');

const root = path.resolve(__dirname, '..');
const ROOMS = Object.keys(require('./mutation-config').ROOMS);
const USAGE = 'usage: npm run mutate:sample -- [--count N] [--seed S] [--room ROOM] [--list FILE] [--command CMD] [--typecheck CMD]\n'
  + '       npm run mutate:sample -- --record ROOM [--report FILE]... [--list FILE]';
// A suite run longer than this counts as neither kill nor survival (Stryker's own runs time out too).
const TIMEOUT_MS = Number(process.env.MUTATION_SAMPLE_TIMEOUT_MS ?? 30 * 60 * 1000);

function usage(message) {
  process.stderr.write(`error: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let options;
try {
  options = parseArgs({
    args: process.argv.slice(2),
    options: {
      count: { type: 'string' }, seed: { type: 'string' }, room: { type: 'string' }, list: { type: 'string' },
      command: { type: 'string' }, typecheck: { type: 'string' }, record: { type: 'string' }, report: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  usage(error.message.split('\n')[0]);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const listFile = path.resolve(options.list ?? path.join(root, 'docs', 'mutation-survivors.json'));

/** A path as short as it can be said: inside the checkout relative to it, else whole. */
function shown(file) {
  const relative = path.relative(root, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

// A list or a report is read whole: a list is some hundred KB, a room's report tens of MB. A named
// pipe or a device would hold the run (or never end: /dev/zero), and a file of gigabytes would take
// as much memory and then fail on the text's length (2 GiB: 2.1 GB and 9 s): each is refused unread.
const MAX_JSON_BYTES = 256 * 1024 * 1024;

function readJson(file, what) {
  let why;
  try {
    const stat = fs.statSync(file);
    // A folder goes on to readFileSync, which names it (EISDIR).
    if (!stat.isFile() && !stat.isDirectory()) why = 'not a regular file';
    else if (stat.size > MAX_JSON_BYTES) why = `larger than ${MAX_JSON_BYTES / 1024 / 1024} MiB, no list or report of this project`;
    else return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    why = error.code ?? error.message;
  }
  process.stderr.write(`error: cannot read ${what} ${shown(file)}: ${why}\n`);
  process.exit(2);
}

/** The offsets of a report location (lines and columns count from 1) in a text. */
function span(text, location) {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const at = ({ line, column }) => (line >= 1 && line <= lineStarts.length ? lineStarts[line - 1] + column - 1 : -1);
  return [at(location.start), at(location.end)];
}

if (options.record !== undefined) {
  if (!ROOMS.includes(options.record)) usage(`--record takes a room: one of ${ROOMS.join(', ')}`);
  const reportFiles = (options.report ?? [path.join(root, 'reports', 'mutation', `${options.record}.json`)]).map((file) => path.resolve(file));
  const reports = reportFiles.map((file) => readJson(file, 'the Stryker report'));
  const reported = new Set(reports.flatMap((report) => Object.keys(report.files ?? {})));
  const kept = fs.existsSync(listFile)
    ? readJson(listFile, 'the list').filter((entry) => entry.room !== options.record || (!reported.has(entry.file) && fs.existsSync(path.join(root, entry.file))))
    : [];
  const byPlace = new Map();
  for (const report of reports) {
    for (const [file, { source, mutants }] of Object.entries(report.files ?? {})) {
      for (const m of mutants) {
        const [from, to] = span(source, m.location);
        const entry = { room: options.record, file, location: m.location, mutator: m.mutatorName, replacement: m.replacement, original: source.slice(from, to) };
        byPlace.set(JSON.stringify([file, m.location, m.mutatorName, m.replacement]), { entry, survived: m.status === 'Survived' || m.status === 'NoCoverage' });
      }
    }
  }
  const recorded = [...byPlace.values()].filter(({ survived }) => survived).map(({ entry }) => entry);
  const all = [...kept, ...recorded].sort((a, b) => a.room.localeCompare(b.room) || a.file.localeCompare(b.file)
    || a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column || a.replacement.localeCompare(b.replacement));
  fs.writeFileSync(listFile, `${JSON.stringify(all, null, 1)}\n`);
  process.stdout.write(`recorded ${recorded.length} survivors of room ${options.record} in ${shown(listFile)} (${all.length} in all)\n`);
  process.exit(0);
}

const count = options.count === undefined ? 5 : Number(options.count);
if (!Number.isInteger(count) || count < 1) usage('--count takes a whole number of 1 or more');
const seed = options.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(options.seed);
if (!Number.isInteger(seed) || seed < 0) usage('--seed takes a whole number of 0 or more');
if (options.room !== undefined && !ROOMS.includes(options.room)) usage(`--room takes one of ${ROOMS.join(', ')}`);
const list = readJson(listFile, 'the list');
if (!Array.isArray(list)) usage(`${shown(listFile)} is not a list of survivors`);
const pool = list.filter((entry) => options.room === undefined || entry.room === options.room);
if (pool.length === 0) usage(`no named survivors${options.room ? ` of room ${options.room}` : ''} in ${shown(listFile)}`);

// mulberry32: a small seeded generator, so that a sample can be drawn again from its seed.
function random(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const next = random(seed);
const order = pool.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(next() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}
const sample = order.slice(0, count).map((i) => pool[i]);

// The copy: a local clone of the checkout (tests call git: the synth reads the commit's SHA), with
// the uncommitted work laid over it, node_modules linked rather than copied, and ../shared linked
// beside it where the checkout has one (the API server's tests read the shared CRDs there).
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-sample-'));
// mkdtemp makes the folder for its owner alone; the suite runs the validator as another user too
// (test/validate/cli-process.test.ts), who must reach the copy as they reach the checkout.
fs.chmodSync(base, 0o755);
const copy = path.join(base, 'repo');
const cleanUp = () => fs.rmSync(base, { recursive: true, force: true });
// The suite runs as a child while the event loop waits, so an interrupt is seen at once: the suite
// (its whole process group) is stopped, the copy removed, and the run ends with exit 1.
let running;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    if (running) {
      try {
        process.kill(-running.pid, 'SIGKILL');
      } catch {
        // The suite had ended.
      }
    }
    cleanUp();
    process.stderr.write(`mutate:sample: stopped by ${signal}; the checkout was not changed\n`);
    process.exit(1);
  });
}
function git(args, cwd) {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) {
    cleanUp();
    process.stderr.write(`error: git ${args[0]} failed in ${cwd}: ${(run.stderr || String(run.error ?? '')).split('\n')[0]}\n`);
    process.exit(2);
  }
  return run.stdout;
}
try {
  makeCopy();
} catch (error) {
  cleanUp();
  process.stderr.write(`error: could not make the copy of the checkout: ${error.code ? (error.path === undefined ? error.code : `${error.code} ${error.path}`) : error.message}\n`);
  process.exit(2);
}
/**
 * Whether the folders of `to` are folders in the copy. With `clear`, a file (or link) standing
 * where one goes is removed first: the work made that tracked file a folder, and `to` is in it.
 */
function wayTo(to, clear) {
  // A file at the top has no folder to walk: '' joins to the copy itself, a folder.
  const parts = path.relative(copy, path.dirname(to)).split(path.sep);
  let at = copy;
  for (const part of parts) {
    at = path.join(at, part);
    const found = fs.lstatSync(at, { throwIfNoEntry: false });
    if (found === undefined) return false;
    if (!found.isDirectory()) {
      if (clear) fs.rmSync(at);
      return false;
    }
  }
  return true;
}
function makeCopy() {
  git(['clone', '--quiet', '--no-checkout', root, copy], base);
  git(['checkout', '--quiet', '--detach', git(['rev-parse', 'HEAD'], root).trim()], copy);
  // Deleted as git sees it: also what stood under a folder the work made a file or a link (where
  // a look at the path would find the link's target, or a loop).
  const deleted = new Set(git(['ls-files', '-z', '--deleted'], root).split('\0'));
  for (const file of git(['ls-files', '-z', '--modified', '--others', '--exclude-standard'], root).split('\0').filter(Boolean)) {
    // A node_modules that is a link (a checkout that links it, as this copy does) is no folder to
    // .gitignore's `node_modules/`: it is linked below, not copied.
    if (file === 'node_modules' || file.startsWith('node_modules/')) continue;
    const from = path.join(root, file);
    const to = path.join(copy, file);
    if (deleted.has(file)) {
      // Under a folder the work made a file or a link, it went with that folder.
      if (wayTo(to, false)) fs.rmSync(to, { recursive: true, force: true });
      continue;
    }
    // lstat: a link as it is, its target missing or not.
    const found = fs.lstatSync(from);
    if (found.isDirectory()) continue; // a repository inside the checkout: git lists it, not its files
    wayTo(to, true);
    fs.rmSync(to, { recursive: true, force: true }); // a folder the work made a file
    fs.mkdirSync(path.dirname(to), { recursive: true });
    // A link as it is (cpSync refuses one whose target is missing).
    if (found.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else fs.copyFileSync(from, to);
  }
  fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(copy, 'node_modules'), 'dir');
  if (fs.existsSync(path.join(root, '..', 'shared'))) fs.symlinkSync(path.resolve(root, '..', 'shared'), path.join(base, 'shared'), 'dir');
}

const command = options.command ?? 'npx jest --bail --silent $MUTATION_SAMPLE_FILE';
const typecheck = options.typecheck ?? 'npx tsc --noEmit -p .';
const where = (entry) => `${entry.room} ${entry.file}:${entry.location.start.line}:${entry.location.start.column} ${entry.mutator} -> ${JSON.stringify(entry.replacement)}`;
process.stdout.write(`re-checking ${sample.length} of ${pool.length} named survivors (seed ${seed}) with \`${command}\` in a copy of the checkout\n`);
/**
 * Runs the suite in the copy (with MUTATION_SAMPLE_FILE naming one test file, or empty: all):
 * its exit, signal, output, and whether it ran out of time.
 */
function suite(only = '', text = command) {
  return new Promise((resolve) => {
    // Its own process group, so that a timeout or an interrupt stops every process the suite started.
    const child = spawn('sh', ['-c', text], { cwd: copy, stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, MUTATION_SAMPLE_FILE: only } });
    running = child;
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-1024 * 1024); // jest's failure lines come last
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The suite had ended.
      }
    }, TIMEOUT_MS);
    child.on('error', () => {
      clearTimeout(timer);
      running = undefined;
      resolve({ status: null, timedOut: true, output });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      running = undefined;
      resolve({ status, signal, timedOut, output });
    });
  });
}

async function main() {
  const results = [];
  try {
    // The copy itself must pass the type check, or a mutant would be "does not compile" for an
    // error that is not its own (uncommitted work half done, laid over the copy).
    const baseline = await suite('', typecheck);
    if (baseline.timedOut || baseline.signal || baseline.status !== 0) {
      const why = baseline.output.split('\n').find((line) => / error TS\d+:/.test(line)) ?? (baseline.timedOut || baseline.signal ? 'it did not finish' : `exit ${baseline.status}`);
      process.stderr.write(`error: the checkout does not pass the type check without any mutant (${why.slice(0, 300)}): fix that first; nothing was sampled\n`);
      cleanUp();
      process.exit(2);
    }
    for (const entry of sample) {
      const file = path.join(copy, entry.file);
      const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      const [from, to] = span(text, entry.location);
      if (from < 0 || to < from || text.slice(from, to) !== entry.original) {
        results.push({ entry, verdict: 'moved' });
        process.stdout.write(`moved (the code is no longer there: record the room again): ${where(entry)}\n`);
        continue;
      }
      fs.writeFileSync(file, text.slice(0, from) + entry.replacement + text.slice(to));
      const started = Date.now();
      const checked = await suite('', typecheck);
      if (checked.timedOut || checked.signal || checked.status !== 0) {
        fs.writeFileSync(file, text);
        const verdict = checked.timedOut || checked.signal ? 'timeout' : 'does not compile';
        results.push({ entry, verdict });
        // tsc's first error line says why (file(line,col): error TSnnnn: ...).
        const why = checked.output.split('\n').find((line) => / error TS\d+:/.test(line));
        process.stdout.write(`${verdict} (${Math.round((Date.now() - started) / 1000)} s): ${where(entry)}${why ? ` (${why.slice(0, 200)})` : ''}\n`);
        continue;
      }
      const run = await suite();
      let verdict = run.timedOut || run.signal ? 'timeout' : run.status === 0 ? 'survived' : 'killed';
      // Which test file failed, as jest names it. A whole suite on two busy cores has tests that
      // fail by time alone: a kill counts only if that file fails again with the mutant and passes
      // without it (else "unsure", which is no kill and no survival).
      const failed = verdict === 'killed' ? run.output.split('\n').find((line) => line.startsWith('FAIL ')) : undefined;
      const failedFile = failed?.slice(5).split(' ')[0];
      if (failedFile) {
        const again = await suite(failedFile);
        fs.writeFileSync(file, text);
        const without = await suite(failedFile);
        if (again.timedOut || again.signal || again.status === 0 || without.timedOut || without.signal || without.status !== 0) verdict = 'unsure';
      }
      fs.writeFileSync(file, text);
      results.push({ entry, verdict });
      process.stdout.write(`${verdict} (${Math.round((Date.now() - started) / 1000)} s): ${where(entry)}${failed ? ` (${failed.slice(0, 200)})` : ''}\n`);
    }
  } finally {
    cleanUp();
  }
  const counted = (verdict) => results.filter((r) => r.verdict === verdict).length;
  const settled = counted('survived') + counted('does not compile');
  process.stdout.write(`${counted('survived')} of ${results.length} sampled survivors survive the suite; ${counted('does not compile')} do not compile (TypeScript refuses the mutant), ${counted('killed')} killed, ${counted('unsure')} unsure (a test file that failed passed again, or failed without the mutant), ${counted('moved')} moved, ${counted('timeout')} timed out (seed ${seed})\n`);
  process.exit(settled === results.length ? 0 : 1);
}

main();
