#!/usr/bin/env node
// `npm run bench`: times the commands users wait for, each run RUNS times after a warm-up, and
// prints medians, min/max and peak memory, with ratios against baselines measured in the same
// run. Writes the table to stdout and the numbers to bench-results.json (ignored by git). Every
// synth runs in a scratch folder (the npm and cdk8s CLI cases in a scratch copy of the project),
// so the repository's dist/ and tracked files are never touched; the end checks that.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SHA = '0123456789abcdef0123456789abcdef01234567';
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

if (process.argv[2] === '--validation-only') {
  // Child mode: the validation a synth pays, timed inside one fresh process, from a bundle of the
  // program's modules (made below with the launcher's bundler) given as the next argument.
  const { buildApp, readConfig, renderCharts, validateOptions, validateManifests } = require(process.argv[3]);
  const charts = buildApp(readConfig({ GIT_SHA: SHA }));
  const items = renderCharts(charts, 'dist');
  const start = process.hrtime.bigint();
  const problems = validateManifests(items, validateOptions(charts));
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (problems.length) throw new Error(`validation found ${problems.length} problems`);
  process.stdout.write(`${ms}\n`);
  process.exit(0);
}

function once(command, args, options = {}) {
  const argv = TIME ? [TIME, ['-f', '%M', command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv[1], { cwd: options.cwd ?? root, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...options.env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  const rssKb = TIME ? Number(result.stderr.trim().split('\n').pop()) : NaN;
  return { seconds, rssMb: rssKb / 1024, stdout: result.stdout };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

function measure(name, command, args, options = {}) {
  process.stderr.write(`bench: ${name}\n`);
  once(command, args, options);
  const runs = Array.from({ length: RUNS }, () => once(command, args, options));
  const seconds = runs.map((r) => r.seconds);
  return { name, median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds), peakMb: Math.max(...runs.map((r) => r.rssMb)), runs: seconds };
}

function scratch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multi-k8s-bench-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** What the repository's dist/ holds (through its links) and git's view of tracked files. */
function untouchable() {
  const dist = path.join(root, 'dist');
  const files = fs.existsSync(dist) ? fs.readdirSync(dist).sort().map((f) => {
    const full = path.join(dist, f);
    return `${f} ${fs.lstatSync(full).isSymbolicLink() ? fs.readlinkSync(full) : ''} ${fs.statSync(full).isFile() ? fs.readFileSync(full, 'utf8') : ''}`;
  }) : ['(no dist/)'];
  const git = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' }).stdout ?? '';
  return JSON.stringify({ files, git });
}
const before = untouchable();

const node = process.execPath;
const launch = path.join(root, 'scripts', 'launch.js');
const work = scratch();
once(node, [launch, 'main'], { cwd: work, env: { GIT_SHA: SHA } }); // compiles if needed, fills the validator cache

// A scratch copy of the project for `npm run synth` and `npx cdk8s synth`, which write dist/ and
// .cdk8s.out/ where package.json is: sources and build/ copied (so nothing recompiles),
// node_modules and imports/ linked.
const project = path.join(work, 'project');
for (const entry of ['package.json', 'package-lock.json', 'cdk8s.yaml', 'tsconfig.json', 'tsconfig.build.json', 'main.ts', 'lib', 'scripts', 'build']) {
  fs.cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
}
for (const shared of ['node_modules', 'imports']) fs.symlinkSync(path.join(root, shared), path.join(project, shared));
once('npm', ['run', '--silent', 'synth'], { cwd: project, env: { GIT_SHA: SHA } });

const results = {};
const add = (key, r) => { results[key] = r; return r; };
const floor = add('floor', measure('floor: node -r cdk8s-plus-27 -e 0', node, ['-r', 'cdk8s-plus-27', '-e', '0']));
const npmFloor = add('npmFloor', measure('npm run start-up: npm run noop', 'npm', ['run', '--silent', 'noop']));
const program = add('program', measure('synth program: node scripts/launch.js main', node, [launch, 'main'], { cwd: work, env: { GIT_SHA: SHA } }));
const HTTPS_GATEWAY = { GIT_SHA: SHA, HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', ROUTING: 'gateway' };
once(node, [launch, 'main'], { cwd: work, env: HTTPS_GATEWAY }); // the bundled custom-resource validators' cache
const programTls = add('programTls', measure('synth program, HTTPS + Gateway route (HOSTS, ACME_EMAIL, ROUTING=gateway)', node, [launch, 'main'], { cwd: work, env: HTTPS_GATEWAY }));
add('npmSynth', measure('npm run synth', 'npm', ['run', '--silent', 'synth'], { cwd: project, env: { GIT_SHA: SHA } }));
const cliStart = add('cliStart', measure('cdk8s CLI start: npx cdk8s --version', 'npx', ['--no-install', 'cdk8s', '--version'], { cwd: project }));
const cliSynth = add('cliSynth', measure('npx cdk8s synth', 'npx', ['--no-install', 'cdk8s', 'synth'], { cwd: project, env: { GIT_SHA: SHA } }));

const previews = {};
for (const n of [1, 10, 50, 200]) {
  const names = Array.from({ length: n }, (_, i) => `pr-${i + 1}`).join(',');
  previews[n] = add(`previews${n}`, measure(`previews: ${n} environments`, node, [launch, 'main'], { cwd: work, env: { GIT_SHA: SHA, PREVIEWS: names } }));
}

process.stderr.write('bench: validation alone\n');
// Inside the project (build/ is git-ignored), where the bundle's require() finds node_modules.
const harness = path.join(root, 'build', 'bench', 'validation-harness.js');
require(require.resolve('esbuild', { paths: [root] })).buildSync({
  stdin: {
    contents: ["export { buildApp } from './lib/program/app';", "export { readConfig } from './lib/program/config';", "export { renderCharts, validateOptions } from './lib/program/synth';", "export { validateManifests } from './lib/validate';"].join('\n'),
    resolveDir: root,
    loader: 'ts',
  },
  ...require('./bundle-options'),
  outfile: harness,
  logLevel: 'error',
});
const validationMs = Array.from({ length: RUNS + 1 }, () => Number(once(node, [__filename, '--validation-only', harness]).stdout)).slice(1);
results.validation = { name: 'validation alone (in process, default app)', median: median(validationMs) / 1000, min: Math.min(...validationMs) / 1000, max: Math.max(...validationMs) / 1000, peakMb: NaN, runs: validationMs.map((m) => m / 1000) };

// 50 MB of manifests: copies of the app's output, each in a namespace of its own (so that they
// validate clean), written in the scratch folder.
const bigDir = path.join(work, 'manifests-50mb');
fs.mkdirSync(bigDir);
once(node, [launch, 'main'], { cwd: work, env: { GIT_SHA: SHA } }); // the previews above replaced the default app's output
const appYaml = fs.readFileSync(path.join(work, 'dist', 'multi-k8s.k8s.yaml'), 'utf8');
let bigBytes = 0;
for (let file = 0; bigBytes < 50e6; file++) {
  const text = Array.from({ length: 10 }, (_, i) => appYaml.replace(/^metadata:\n/gm, `metadata:\n  namespace: copy-${file * 10 + i}\n`)).join('---\n');
  fs.writeFileSync(path.join(bigDir, `part-${String(file).padStart(4, '0')}.yaml`), text);
  bigBytes += Buffer.byteLength(text);
}
const big = add('validate50mb', measure(`npm run validate on ${(bigBytes / 1e6).toFixed(0)} MB of manifests`, node, [launch, 'validate', bigDir]));

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
let kustomizeNote = 'skipped: kubectl is not on this machine';
if (kubectl) {
  const dir = path.join(work, 'kustomize');
  fs.mkdirSync(dir);
  once(node, [launch, 'main'], { cwd: work, env: { GIT_SHA: SHA } });
  fs.copyFileSync(path.join(work, 'dist', 'multi-k8s.k8s.yaml'), path.join(dir, 'multi-k8s.k8s.yaml'));
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - multi-k8s.k8s.yaml\n');
  add('kustomize', measure('peer: kubectl kustomize of the same manifests', 'kubectl', ['kustomize', dir]));
  kustomizeNote = '';
}
const tests = add('npmTest', measure('npm test (type check + jest)', 'npm', ['test', '--silent']));

const rows = Object.values(results);
const fmt = (s) => `${(s * 1000).toFixed(0)} ms`;
const lines = [
  `machine: ${os.cpus().length} x ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${RUNS} runs after a warm-up`,
  '',
  '| case | median | min | max | peak RSS |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${Number.isNaN(r.peakMb) ? '-' : `${r.peakMb.toFixed(0)} MiB`} |`),
  '',
  'ratios (same run):',
  `- synth program / floor: ${(program.median / floor.median).toFixed(2)}x (target <= 1.5x); npm's own start-up adds ${fmt(npmFloor.median)}`,
  `- synth program with HTTPS and the Gateway route / floor: ${(programTls.median / floor.median).toFixed(2)}x (target <= 1.5x)`,
  `- npx cdk8s synth - CLI start: ${fmt(cliSynth.median - cliStart.median)} (target <= 400 ms)`,
  `- previews, per environment: ${[1, 10, 50, 200].map((n) => `N=${n} ${fmt(previews[n].median / n)}, ${(previews[n].peakMb / n).toFixed(1)} MiB`).join('; ')}`,
  `- per-environment time at N=200 / at N=10: ${((previews[200].median / 200) / (previews[10].median / 10)).toFixed(2)}x (target <= 1.5x); N=200: ${fmt(previews[200].median)}, ${previews[200].peakMb.toFixed(0)} MiB (targets <= 3 s, <= 256 MiB)`,
  `- marginal time per environment, N=50 to 200 / N=10 to 50: ${fmt((previews[200].median - previews[50].median) / 150)} / ${fmt((previews[50].median - previews[10].median) / 40)} = ${(((previews[200].median - previews[50].median) / 150) / ((previews[50].median - previews[10].median) / 40)).toFixed(2)}x (the fixed start-up cost left out)`,
  `- validation alone: ${fmt(results.validation.median)} (target <= 100 ms)`,
  `- validate ${(bigBytes / 1e6).toFixed(0)} MB: ${fmt(big.median)}, ${big.peakMb.toFixed(0)} MiB (targets <= 15 s, <= 512 MiB)`,
  `- npm test: ${fmt(tests.median)} (target <= 6 s)`,
  ...(kustomizeNote ? [`- kubectl kustomize: ${kustomizeNote}`] : [`- synth program / kubectl kustomize: ${(program.median / results.kustomize.median).toFixed(2)}x`]),
];
console.log(lines.join('\n'));
if (untouchable() !== before) {
  process.stderr.write('bench: the repository\'s dist/ or a tracked file changed during the run\n');
  process.exitCode = 1;
}
fs.writeFileSync(path.join(root, 'bench-results.json'), `${JSON.stringify({ machine: lines[0], results }, null, 2)}\n`);
