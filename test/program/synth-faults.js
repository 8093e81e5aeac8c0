#!/usr/bin/env node
// The synth's output promise under faults, run by .ci/run (it takes about a minute, too long for
// `npm test`). Uses strace to kill a real synth (`node scripts/launch.js main` in a scratch
// folder) with SIGKILL at every system call that changes the output, and to fail those calls with
// the errors a disk gives (ENOSPC, EACCES, EROFS, EBUSY, ENOTDIR); runs synths two at a time.
// After each: dist/ shows the complete previous output or the complete new one, a failure is one
// line with the errno and changes nothing, and the next synth leaves nothing behind.
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

function synth(cwd, vars, prefix = []) {
  const argv = [...prefix, process.execPath, launch, 'main'];
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

/** Entries a finished synth must not leave: other generations, markers, trash, new links. */
function leftovers(dir) {
  const found = [];
  const generations = path.join(dir, '.dist-generations');
  if (fs.existsSync(generations)) {
    const names = fs.readdirSync(generations);
    const folders = names.filter((n) => /^g-[^.]*$/.test(n));
    if (folders.length !== 1) found.push(`${folders.length} generation folders`);
    found.push(...names.filter((n) => !/^g-[^.]*$/.test(n)));
  }
  const dist = path.join(dir, 'dist');
  if (fs.existsSync(dist)) {
    for (const name of fs.readdirSync(dist)) {
      if (name.startsWith('.generation.new')) found.push(`dist/${name}`);
      const full = path.join(dist, name);
      if (/\.(ya?ml|json)$/.test(name) && fs.statSync(full).size === 0) found.push(`dist/${name} (empty)`);
    }
  }
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
  current: state('current', (dir) => { if (synth(dir, A).status !== 0) throw new Error('setup synth failed'); }),
  legacy: state('legacy', (dir) => {
    // The layout before the switch link: real files in a real folder.
    fs.mkdirSync(path.join(dir, 'dist'));
    for (const [name, text] of Object.entries(out.A)) fs.writeFileSync(path.join(dir, 'dist', name), text);
  }),
};
const scenarios = [
  { name: 'first synth into no dist/', from: 'fresh', before: {}, vars: B, after: out.B },
  { name: 'A -> B (same files)', from: 'current', before: out.A, vars: B, after: out.B },
  { name: 'A -> C (files added and removed)', from: 'current', before: out.A, vars: C, after: out.C },
  { name: 'old layout (real files) A -> C', from: 'legacy', before: out.A, vars: C, after: out.C },
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
    if (touched) calls.push({ syscall: name, n: counts[name], line: line.slice(0, 160), shape: shape(line, dir) });
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
    if (!same(now, scenario.before) && !same(now, scenario.after)) {
      fail(`${at}: dist/ shows ${describe(now)}, neither the previous output (${describe(scenario.before)}) nor the new one (${describe(scenario.after)})`);
    }
    const next = synth(dir, scenario.vars);
    if (next.status !== 0) fail(`${at}: the next synth failed: ${next.stderr.trim()}`);
    else if (!same(shown(dir), scenario.after)) fail(`${at}: the next synth's dist/ shows ${describe(shown(dir))}`);
    const left = leftovers(dir);
    if (left.length > 0) fail(`${at}: the next synth left ${left.join(', ')}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Operating-system errors: one line naming the path and errno, exit 1, dist/ as it was.
const injections = [
  { syscall: 'openat', error: 'ENOSPC', match: '.dist-generations/g-' },
  { syscall: 'write', error: 'ENOSPC', match: null },
  { syscall: 'mkdir', error: 'EACCES', match: '.dist-generations/g-' },
  { syscall: 'symlink', error: 'EROFS', match: '.generation.new' },
  { syscall: 'rename', error: 'EBUSY', match: '.generation.new' },
  { syscall: 'openat', error: 'ENOTDIR', match: '/dist"' },
];
let injected = 0;
for (const scenario of parts.has('errors') ? scenarios.slice(1) : []) {
  for (const injection of injections) {
    injected += 1;
    const pick = (calls) => {
      const firstWrite = calls.findIndex((x) => x.syscall === 'openat' && x.line.includes('.dist-generations/g-'));
      return calls.find((c, i) => c.syscall === injection.syscall && (injection.match === null ? i > firstWrite : c.line.includes(injection.match)));
    };
    const result = runWithFault(scenario, pick, `error=${injection.error}`);
    const where = `${scenario.name}, ${injection.syscall} failing with ${injection.error}`;
    if (!result) { fail(`${where}: no such call in the traced run`); continue; }
    if (result.missed) { fail(`${where}: three runs in a row took another path than the traced one`); continue; }
    const { run, dir } = result;
    const lines = run.stderr.trim().split('\n');
    if (run.status !== 1) fail(`${where}: exit ${run.status}, expected 1`);
    if (!lines.some((l) => l.startsWith('error: ') && l.includes(injection.error) && l.includes(dir))) fail(`${where}: no one-line error naming the path and ${injection.error}:\n${run.stderr}`);
    if (lines.some((l) => /^\s+at /.test(l))) fail(`${where}: a stack trace:\n${run.stderr}`);
    if (!same(shown(dir), scenario.before)) fail(`${where}: dist/ changed to ${describe(shown(dir))}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// A failure once the new output is in place (cleaning up) is a warning: exit 0, the new output.
let afterSwitch = 0;
for (const scenario of parts.has('after') ? scenarios.slice(1) : []) {
  afterSwitch += 1;
  // The last marker removed is the new generation's, after the switch (an old-layout run removes one before).
  const pick = (calls) => calls.filter((c) => c.syscall === 'unlink' && c.line.includes('.pending')).pop();
  const result = runWithFault(scenario, pick, 'error=EACCES');
  const where = `${scenario.name}, the marker's removal after the switch failing with EACCES`;
  if (!result) { fail(`${where}: no such call in the traced run`); continue; }
  if (result.missed) { fail(`${where}: three runs in a row took another path than the traced one`); continue; }
  const { run, dir } = result;
  if (run.status !== 0) fail(`${where}: exit ${run.status}, expected 0:\n${run.stderr}`);
  if (!/^warning: could not remove .*EACCES/m.test(run.stderr)) fail(`${where}: no warning:\n${run.stderr}`);
  if (!same(shown(dir), scenario.after)) fail(`${where}: dist/ shows ${describe(shown(dir))}`);
  fs.rmSync(dir, { recursive: true, force: true });
}

// Two synths at once, many times: both succeed, one complete output, nothing left behind.
async function concurrent() {
  const runAsync = (dir, vars) => new Promise((resolve) => {
    const child = spawn(process.execPath, [launch, 'main'], { cwd: dir, env: env(vars), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (status) => resolve({ status, stderr }));
  });
  const rounds = parts.has('concurrent') ? Number(process.env.SYNTH_FAULTS_ROUNDS ?? 20) : 0;
  for (let i = 0; i < rounds; i++) {
    const pair = i % 2 === 0 ? [B, C] : [B, { ...B }];
    const dir = copyState(states[i % 4 === 1 ? 'legacy' : 'current']);
    const runs = await Promise.all(pair.map((vars) => runAsync(dir, vars)));
    const where = `concurrent synths, round ${i + 1}`;
    runs.forEach((r, k) => { if (r.status !== 0) fail(`${where}: synth ${k + 1} failed: ${r.stderr.trim()}`); });
    const now = shown(dir);
    if (!same(now, out.B) && !same(now, out.C)) fail(`${where}: dist/ shows ${describe(now)}`);
    const left = leftovers(dir);
    if (left.length > 0) fail(`${where}: left ${left.join(', ')}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return rounds;
}

concurrent().then((rounds) => {
  if (failures.length > 0) {
    console.error(`synth-faults: ${failures.length} failure(s)`);
    process.exit(1);
  }
  console.error(`synth-faults: ${kills} kills, ${injected} injected errors, ${afterSwitch} failures after the switch and ${rounds} concurrent pairs: dist/ always whole`);
});
