#!/usr/bin/env node
// The synth's output promise under faults, run by .ci/run (about three minutes, too long for
// `npm test`). Uses strace to kill a real synth (`node scripts/launch.js main` in a scratch
// folder) with SIGKILL at every system call that changes the output, and to fail those calls with
// the errors a disk gives (ENOSPC, EACCES, EROFS, EBUSY, ENOTDIR); runs synths two at a time
// while a reader reads dist/ file by file.
// The promise (lib/program/output.ts): dist/ is plain files; no manifest is ever partial; a killed
// synth leaves each file whole, the old one or the new one; the next synth writes the whole new
// output and leaves nothing behind; a failure is one line with the errno and changes neither
// dist/ nor .dist-previous; synths at once end with one complete output.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const launch = path.join(root, 'scripts', 'launch.js');
const SHA_A = '0123456789abcdef0123456789abcdef01234567';
const SHA_B = 'fedcba9876543210fedcba9876543210fedcba98';
const SHA_C = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd';
// The calls that create, write, rename or remove files; a kill before each is every state a kill can leave.
const MUTATING = ['openat', 'write', 'mkdir', 'rename', 'renameat', 'renameat2', 'symlink', 'symlinkat', 'unlink', 'unlinkat', 'rmdir', 'link', 'linkat'];

if (spawnSync('strace', ['-V'], { encoding: 'utf8' }).status !== 0) {
  console.error('synth-faults: strace is not installed: install it (apt-get install -y strace); these tests need it to kill the synth at each system call');
  process.exit(1);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-faults-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));
const failures = [];
// SYNTH_FAULTS_PARTS=kills,errors,after,concurrent (the default: all) runs some parts only, while working on one.
const parts = new Set((process.env.SYNTH_FAULTS_PARTS ?? 'kills,errors,after,concurrent').split(','));
const fail = (message) => { failures.push(message); console.error(`FAIL ${message}`); };

function env(vars) {
  return { PATH: process.env.PATH, HOME: process.env.HOME, CDK8S_CHECK_UPGRADE: 'false', ...vars };
}

// V8's --single-threaded: its background threads otherwise make the main thread's count of openat
// calls differ between runs (Node 24: abseil's first contended mutex reads
// /sys/devices/system/cpu/online on whichever thread contends first), and strace's when= counts
// calls per thread. It changes no file operation of the synth, which all run on the main thread.
function synth(cwd, vars, prefix = []) {
  const argv = [...prefix, process.execPath, '--single-threaded', launch, 'main'];
  return spawnSync(argv[0], argv.slice(1), { cwd, env: env(vars), encoding: 'utf8' });
}

/** What dist/ shows as kubectl reads it: each manifest file's text; empty files hold no objects. */
function shown(dir) {
  const dist = path.join(dir, 'dist');
  if (!fs.existsSync(dist)) return {};
  const files = {};
  for (const name of fs.readdirSync(dist).sort()) {
    if (!/\.(ya?ml|json)$/.test(name)) continue;
    let text;
    try {
      text = fs.readFileSync(path.join(dist, name), 'utf8');
    } catch (error) {
      return { [`<unreadable ${name}: ${error.code}>`]: '' };
    }
    if (text !== '') files[name] = text;
  }
  return files;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const describe = (files) => Object.keys(files).join(',') || '(nothing)';

/** Every entry under a folder, byte for byte, links as links: to tell "changed nothing". */
function tree(dir) {
  const entries = {};
  const walk = (folder, prefix) => {
    if (!fs.existsSync(folder)) return;
    for (const name of fs.readdirSync(folder).sort()) {
      const full = path.join(folder, name);
      const stats = fs.lstatSync(full);
      if (stats.isSymbolicLink()) entries[`${prefix}${name}`] = `-> ${fs.readlinkSync(full)}`;
      else if (stats.isDirectory()) walk(full, `${prefix}${name}/`);
      else entries[`${prefix}${name}`] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir, '');
  return entries;
}
const changedEntries = (a, b) => [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]);

/** The files that are neither old nor new: a kill must leave each file whole, the one or the other. */
function neitherOldNorNew(now, before, after) {
  return [...new Set([...Object.keys(now), ...Object.keys(before), ...Object.keys(after)])]
    .filter((name) => now[name] !== before[name] && now[name] !== after[name]);
}

const sha256 = (text) => require('crypto').createHash('sha256').update(text).digest('hex');

/**
 * What a finished synth must not leave: in dist/, anything but the output's files as regular
 * files (no temporary dotfile, no link, no switch); beside it, the old layout's folder or a
 * scratch copy; in .dist-synth/, anything but a record listing exactly the output.
 */
function leftovers(dir, expected) {
  const found = [];
  const dist = path.join(dir, 'dist');
  for (const name of fs.existsSync(dist) ? fs.readdirSync(dist).sort() : []) {
    const stats = fs.lstatSync(path.join(dist, name));
    if (!stats.isFile() || !(name in expected)) found.push(`dist/${name}${stats.isSymbolicLink() ? ' (a link)' : ''}`);
  }
  for (const name of fs.readdirSync(dir)) {
    if (name === '.dist-generations' || name.startsWith('.dist-previous-new-')) found.push(name);
  }
  const state = path.join(dir, '.dist-synth');
  for (const name of fs.existsSync(state) ? fs.readdirSync(state) : []) if (name !== 'owned.json') found.push(`.dist-synth/${name}`);
  const record = fs.existsSync(path.join(state, 'owned.json')) ? JSON.parse(fs.readFileSync(path.join(state, 'owned.json'), 'utf8')).files : {};
  const wanted = Object.fromEntries(Object.entries(expected).map(([name, text]) => [name, [sha256(text)]]));
  if (!same(record, wanted)) found.push(`a record of ${describe(record)} that is not exactly the output's`);
  return found;
}

// Reference outputs, each from a clean synth.
function reference(vars) {
  const dir = fs.mkdtempSync(path.join(scratch, 'ref-'));
  const run = synth(dir, vars);
  if (run.status !== 0) throw new Error(`reference synth failed:\n${run.stderr}`);
  return shown(dir);
}
const A = { GIT_SHA: SHA_A };
const B = { GIT_SHA: SHA_B };
const C = { GIT_SHA: SHA_C, PREVIEWS: 'pr-1,pr-2' };
const out = { A: reference(A), B: reference(B), C: reference(C) };

// Starting states, each kept as a folder and copied (links and all) before each run.
function state(name, build) {
  const dir = path.join(scratch, `state-${name}`);
  fs.mkdirSync(dir);
  build(dir);
  return dir;
}
const states = {
  fresh: state('fresh', () => {}),
  // Output A, with .dist-previous holding C (a failed synth must keep it).
  current: state('current', (dir) => {
    for (const vars of [C, A]) if (synth(dir, vars).status !== 0) throw new Error('setup synth failed');
  }),
  legacy: state('legacy', (dir) => {
    // The layout of the version before plain files (dist/ as it wrote it): a real folder whose
    // manifests are links through the switch dist/.generation into .dist-generations/g-*, with an
    // empty placeholder left in the generation for a name it once removed.
    const generation = 'g-0a7c9cdf-999999-0123456789ab';
    const folder = path.join(dir, '.dist-generations', generation);
    fs.mkdirSync(folder, { recursive: true });
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.symlinkSync(`../.dist-generations/${generation}`, path.join(dir, 'dist', '.generation'));
    for (const [name, text] of Object.entries(out.A)) {
      fs.writeFileSync(path.join(folder, name), text);
      fs.symlinkSync(`.generation/${name}`, path.join(dir, 'dist', name));
    }
    fs.writeFileSync(path.join(folder, 'preview-pr-9.k8s.yaml'), '');
  }),
};
const scenarios = [
  { name: 'first synth into no dist/', from: 'fresh', before: {}, vars: B, after: out.B },
  { name: 'A -> B (same files)', from: 'current', before: out.A, vars: B, after: out.B },
  { name: 'A -> C (files added and removed)', from: 'current', before: out.A, vars: C, after: out.C },
  { name: 'layout of links A -> C', from: 'legacy', before: out.A, vars: C, after: out.C },
];

function copyState(from) {
  const dir = fs.mkdtempSync(path.join(scratch, 'run-'));
  fs.cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** A call as strace prints it, without what differs between runs: pid, folder, random names, result. */
function shape(line, dir) {
  const name = /^\d+ +(\w+)\(/.exec(line)?.[1];
  const paths = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1]).filter((p) => p.includes(dir));
  return [name, ...paths.map((p) => p.split(dir).join('DIR').replace(/[0-9a-f]{8}-\d+-[0-9a-f]{12}/g, 'ID').replace(/-new-\d+-[A-Za-z0-9]{6}/g, '-new-SCRATCH'))].join(' ');
}

/** Per mutating call of the main thread: its number among calls of that name, when it touches the output. */
function outputCalls(scenario) {
  // A plain run first, so caches written on the way (the validator's) are in the state the next runs see.
  const warm = copyState(states[scenario.from]);
  synth(warm, scenario.vars);
  fs.rmSync(warm, { recursive: true, force: true });
  const dir = copyState(states[scenario.from]);
  const log = path.join(scratch, 'trace.log');
  const run = synth(dir, scenario.vars, ['strace', '-f', '-qq', '-o', log, '-e', `trace=${MUTATING.join(',')}`]);
  if (run.status !== 0) throw new Error(`traced synth failed:\n${run.stderr}`);
  const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const main = lines[0].split(' ')[0];
  const counts = {};
  const calls = [];
  let touched = false;
  for (const line of lines) {
    const match = /^(\d+) +(\w+)\(/.exec(line);
    if (!match || match[1] !== main) continue;
    const name = match[2];
    counts[name] = (counts[name] ?? 0) + 1;
    if (line.includes(dir)) touched = true;
    // Past the first call on the output, every mutating call counts (write(2) names an fd, not a path).
    if (touched) calls.push({ syscall: name, n: counts[name], line: line.slice(0, 160), text: line, shape: shape(line, dir) });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return calls;
}

/**
 * Runs a synth with a fault injected into one traced call (`pick` chooses it from the trace) and
 * checks from strace's log that the fault hit that very call; traces again and retries when the
 * run took another path (a cache written or not). Returns the run and its folder; undefined when
 * pick finds no call; { missed } when three runs missed it.
 */
const traces = new Map();
function runWithFault(scenario, pick, fault) {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt > 0 || !traces.has(scenario)) traces.set(scenario, outputCalls(scenario));
    const call = pick(traces.get(scenario));
    if (!call) return undefined;
    const dir = copyState(states[scenario.from]);
    const log = path.join(scratch, 'fault.log');
    const run = synth(dir, scenario.vars, ['strace', '-f', '-qq', '-o', log, '-e', `trace=${call.syscall}`, '-e', `inject=${call.syscall}:${fault}:when=${call.n}`]);
    const text = fs.readFileSync(log, 'utf8');
    const lines = text.split('\n').filter((l) => new RegExp(`^\\d+ +${call.syscall}\\(`).test(l));
    const killed = text.includes('+++ killed by SIGKILL +++');
    const hit = fault.startsWith('signal')
      ? (killed ? lines.filter((l) => l.startsWith(lines[0]?.split(' ')[0] + ' ')).pop() : undefined)
      : lines.find((l) => l.includes('(INJECTED)'));
    if (hit !== undefined && shape(hit, dir) === call.shape) return { run, dir, call };
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { missed: true };
}

let kills = 0;
let mixed = 0;
for (const scenario of parts.has('kills') ? scenarios : []) {
  traces.set(scenario, outputCalls(scenario));
  const count = traces.get(scenario).length;
  console.error(`synth-faults: ${scenario.name}: killing at each of ${count} calls`);
  for (let i = 0; i < count; i++) {
    const result = runWithFault(scenario, (calls) => calls[i], 'signal=KILL');
    const where = `${scenario.name}, killed at call ${i + 1} of ${count}`;
    if (!result || result.missed) { fail(`${where}: three runs in a row took another path than the traced one`); continue; }
    const { run, dir, call } = result;
    const at = `${where} (${call.line})`;
    if (run.status === 0) fail(`${at}: the synth was not killed`);
    else kills += 1;
    const now = shown(dir);
    const torn = neitherOldNorNew(now, scenario.before, scenario.after);
    if (torn.length > 0) fail(`${at}: ${torn.map((name) => `dist/${name}`).join(', ')} neither the old file nor the new one (partial, or another's)`);
    else if (!same(now, scenario.before) && !same(now, scenario.after)) mixed += 1;
    const next = synth(dir, scenario.vars);
    if (next.status !== 0) fail(`${at}: the next synth failed: ${next.stderr.trim()}`);
    else if (!same(shown(dir), scenario.after)) fail(`${at}: the next synth's dist/ shows ${describe(shown(dir))}`);
    const left = leftovers(dir, scenario.after);
    if (left.length > 0) fail(`${at}: the next synth left ${left.join(', ')}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Operating-system errors: one line naming the path and errno, exit 1, dist/ and .dist-previous as they were.
const temporaryManifest = (c) => /\/dist\/\.[^"/]+\.synth-/.test(c.text);
const intoDist = (c) => temporaryManifest(c) && /"[^"]*\/dist\/[^"/.][^"/]*"/.test(c.text.slice(c.text.indexOf('.synth-')));
const injections = [
  { what: 'a new file\'s creation', syscall: 'openat', error: 'ENOSPC', pick: (calls) => calls.find((c) => c.syscall === 'openat' && temporaryManifest(c)) },
  { what: 'a write of a new file', syscall: 'write', error: 'ENOSPC', pick: (calls) => calls.slice(calls.findIndex((c) => c.syscall === 'openat' && temporaryManifest(c))).find((c) => c.syscall === 'write') },
  { what: 'the synth\'s folder', syscall: 'mkdir', error: 'EACCES', pick: (calls) => calls.find((c) => c.syscall === 'mkdir' && c.text.includes('/.dist-synth"')) },
  { what: 'the lock', syscall: 'link', error: 'EROFS', pick: (calls) => calls.find((c) => /^link/.test(c.syscall) && c.text.includes('/.dist-synth/lock"')) },
  { what: 'the record of old and new', syscall: 'rename', error: 'EACCES', pick: (calls) => calls.find((c) => /^rename/.test(c.syscall) && c.text.includes('/.dist-synth/owned.json"')) },
  { what: 'the first file\'s rename', syscall: 'rename', error: 'EBUSY', pick: (calls) => calls.find((c) => /^rename/.test(c.syscall) && intoDist(c)) },
  { what: 'the last file\'s rename (the others put back)', syscall: 'rename', error: 'EBUSY', pick: (calls) => calls.filter((c) => /^rename/.test(c.syscall) && intoDist(c)).pop(), several: true },
  { what: 'a removed file\'s unlink (the new files put back)', syscall: 'unlink', error: 'EBUSY', pick: (calls) => calls.find((c) => /^unlink/.test(c.syscall) && /\/dist\/[^"/.][^"/]*\.yaml"/.test(c.text)), removes: true },
  { what: 'reading dist/', syscall: 'openat', error: 'ENOTDIR', pick: (calls) => calls.find((c) => c.syscall === 'openat' && c.text.includes('/dist"')) },
];
let injected = 0;
for (const scenario of parts.has('errors') ? scenarios : []) {
  const removes = Object.keys(scenario.before).some((name) => !(name in scenario.after));
  const several = Object.keys(scenario.after).length > 1;
  for (const injection of injections) {
    // A fault that needs a file removed, or more than one renamed, only where the update has one.
    if ((injection.removes && !removes) || (injection.several && !several)) continue;
    injected += 1;
    const pick = (calls) => {
      const call = injection.pick(calls);
      return call && { ...call, syscall: call.syscall };
    };
    const before = { dist: tree(path.join(states[scenario.from], 'dist')), previous: tree(path.join(states[scenario.from], '.dist-previous')) };
    const result = runWithFault(scenario, pick, `error=${injection.error}`);
    const where = `${scenario.name}, ${injection.what} (${injection.syscall}) failing with ${injection.error}`;
    if (!result) { fail(`${where}: no such call in the traced run`); continue; }
    if (result.missed) { fail(`${where}: three runs in a row took another path than the traced one`); continue; }
    const { run, dir } = result;
    const lines = run.stderr.trim().split('\n');
    if (run.status !== 1) fail(`${where}: exit ${run.status}, expected 1`);
    if (!lines.some((l) => l.startsWith('error: ') && l.includes(injection.error) && l.includes(dir))) fail(`${where}: no one-line error naming the path and ${injection.error}:\n${run.stderr}`);
    if (lines.some((l) => /^\s+at /.test(l))) fail(`${where}: a stack trace:\n${run.stderr}`);
    if (!fs.existsSync(path.join(states[scenario.from], 'dist')) && fs.existsSync(path.join(dir, 'dist'))) fail(`${where}: a dist/ was left where there was none`);
    const changed = changedEntries(before.dist, tree(path.join(dir, 'dist')));
    if (changed.length > 0) fail(`${where}: dist/ changed: ${changed.join(', ')}`);
    const previous = changedEntries(before.previous, tree(path.join(dir, '.dist-previous')));
    if (previous.length > 0) fail(`${where}: .dist-previous changed: ${previous.join(', ')}`);
    const next = synth(dir, scenario.vars);
    if (next.status !== 0 || !same(shown(dir), scenario.after)) fail(`${where}: the next synth did not write the new output: ${next.stderr.trim()}`);
    const left = leftovers(dir, scenario.after);
    if (left.length > 0) fail(`${where}: the next synth left ${left.join(', ')}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// A failure once the new output is in place (the record of the new output alone) is a warning:
// exit 0, the new output; the next synth tidies.
let afterSwitch = 0;
for (const scenario of parts.has('after') ? scenarios.slice(1) : []) {
  afterSwitch += 1;
  const pick = (calls) => calls.filter((c) => /^rename/.test(c.syscall) && c.text.includes('/.dist-synth/owned.json"')).pop();
  const result = runWithFault(scenario, pick, 'error=EACCES');
  const where = `${scenario.name}, the final record's rename failing with EACCES`;
  if (!result) { fail(`${where}: no such call in the traced run`); continue; }
  if (result.missed) { fail(`${where}: three runs in a row took another path than the traced one`); continue; }
  const { run, dir } = result;
  if (run.status !== 0) fail(`${where}: exit ${run.status}, expected 0:\n${run.stderr}`);
  if (!/^warning: could not update the record .*EACCES/m.test(run.stderr)) fail(`${where}: no warning:\n${run.stderr}`);
  if (!same(shown(dir), scenario.after)) fail(`${where}: dist/ shows ${describe(shown(dir))}`);
  const next = synth(dir, scenario.vars);
  if (next.status !== 0) fail(`${where}: the next synth failed: ${next.stderr.trim()}`);
  const left = leftovers(dir, scenario.after);
  if (left.length > 0) fail(`${where}: the next synth left ${left.join(', ')}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

// Two synths at once, many times, while a reader reads dist/ file by file: both succeed, one
// complete output, nothing left behind, and the reader never reads a partial file.
async function concurrent() {
  const runAsync = (dir, vars) => new Promise((resolve) => {
    const child = spawn(process.execPath, [launch, 'main'], { cwd: dir, env: env(vars), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stderr }));
  });
  // Every whole text a file of dist/ can have in these rounds.
  const whole = new Set([...Object.values(out.A), ...Object.values(out.B), ...Object.values(out.C)]);
  const rounds = parts.has('concurrent') ? Number(process.env.SYNTH_FAULTS_ROUNDS ?? 20) : 0;
  let reads = 0;
  for (let i = 0; i < rounds; i++) {
    const pair = i % 2 === 0 ? [B, C] : [B, { ...B }];
    const dir = copyState(states[i % 4 === 1 ? 'legacy' : 'current']);
    const where = `concurrent synths, round ${i + 1}`;
    let running = true;
    const reader = (async () => {
      while (running) {
        const dist = path.join(dir, 'dist');
        for (const name of fs.readdirSync(dist).filter((n) => /\.ya?ml$/.test(n))) {
          let text;
          try {
            text = fs.readFileSync(path.join(dist, name), 'utf8');
          } catch (error) {
            if (error.code === 'ENOENT') continue; // removed between the listing and the read
            throw error;
          }
          reads += 1;
          if (text !== '' && !whole.has(text)) fail(`${where}: a reader read dist/${name} partial (${text.length} bytes, no whole output has that text)`);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const runs = await Promise.all(pair.map((vars) => runAsync(dir, vars)));
    running = false;
    await reader;
    runs.forEach((r, k) => { if (r.status !== 0) fail(`${where}: synth ${k + 1} failed: ${r.stderr.trim()}`); });
    const now = shown(dir);
    if (!same(now, out.B) && !same(now, out.C)) fail(`${where}: dist/ shows ${describe(now)}`);
    else {
      const left = leftovers(dir, now);
      if (left.length > 0) fail(`${where}: left ${left.join(', ')}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rounds, reads };
}

concurrent().then(({ rounds, reads }) => {
  if (failures.length > 0) {
    console.error(`synth-faults: ${failures.length} failure(s)`);
    process.exit(1);
  }
  console.error(`synth-faults: ${kills} kills (${mixed} left old and new files side by side, each whole), ${injected} injected errors, ${afterSwitch} failures after the new output was in place, ${rounds} concurrent pairs with ${reads} reads: no manifest ever partial`);
});
