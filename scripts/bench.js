#!/usr/bin/env node
// `npm run bench`: times the commands users wait for, each run RUNS times after a warm-up, and
// prints medians, min/max and peak memory, with ratios against baselines measured in the same
// run. Writes the table to stdout and the numbers to bench-results.json (ignored by git). Every
// synth runs in a scratch folder (the npm and cdk8s CLI cases in a scratch copy of the project),
// so the repository's dist/ and tracked files are never touched; the end checks that.
//
// usage: npm run bench [-- --only validate]
//   --only validate  runs only the validator's rows (50 MB of manifests, and each adversarial shape
//                    of issue 19: many objects in one namespace, many files, one huge object, a huge
//                    enum, deep nesting, anchors), not the synth, previews or npm test rows.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SHA = '0123456789abcdef0123456789abcdef01234567';
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
if (ONLY !== undefined && ONLY !== 'validate') {
  process.stderr.write(`bench: --only ${ONLY} is not a group of rows: allowed is validate\n`);
  process.exit(2);
}

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
  // Peak RSS, and the CPU seconds (user + system) that a loaded machine's wall time hides.
  const argv = TIME ? [TIME, ['-f', '%M %U %S', command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  // Output goes to a file, not a buffer: a validator run on hostile input prints 100,000 lines.
  const out = path.join(os.tmpdir(), `multi-k8s-bench-out-${process.pid}`);
  const fd = fs.openSync(out, 'w');
  const result = spawnSync(argv[0], argv[1], { cwd: options.cwd ?? root, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...options.env }, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', fd, 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  fs.closeSync(fd);
  const text = fs.readFileSync(out, 'utf8');
  const lines = text.split('\n').length - 1;
  result.stdout = text.slice(0, 1 << 20);
  fs.rmSync(out, { force: true });
  // A run whose verdict is problems (exit 1) is what the validator's hostile rows expect.
  if (options.refuse?.test(result.stderr)) throw new Error(`${command} ${args.join(' ')}: ${result.stderr.match(options.refuse)[0]}`);
  if (!(options.exitCodes ?? [0]).includes(result.status)) throw new Error(`${command} ${args.join(' ')} failed (${result.status}${result.signal ? `, ${result.signal}` : ''}):\n${result.stderr.slice(-4000)}`);
  const [rssKb, user, system] = TIME ? result.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  return { seconds, rssMb: rssKb / 1024, cpuSeconds: user + system, stdout: result.stdout, lines };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

function measure(name, command, args, options = {}) {
  process.stderr.write(`bench: ${name}\n`);
  once(command, args, options);
  const runs = Array.from({ length: RUNS }, () => once(command, args, options));
  const seconds = runs.map((r) => r.seconds);
  return { name, median: median(seconds), min: Math.min(...seconds), max: Math.max(...seconds), peakMb: Math.max(...runs.map((r) => r.rssMb)), cpu: median(runs.map((r) => r.cpuSeconds)), runs: seconds, lines: runs[runs.length - 1].lines };
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

const results = {};
const add = (key, r) => { results[key] = r; return r; };

// The synth's rows (all but the validator's); the ratios below read them from results.
function synthRows() {
  // A scratch copy of the project for `npm run synth` and `npx cdk8s synth`, which write dist/ and
  // .cdk8s.out/ where package.json is: sources and build/ copied (so nothing recompiles),
  // node_modules and imports/ linked.
  const project = path.join(work, 'project');
  for (const entry of ['package.json', 'package-lock.json', 'cdk8s.yaml', 'tsconfig.json', 'tsconfig.build.json', 'main.ts', 'lib', 'scripts', 'build']) {
    fs.cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
  }
  for (const shared of ['node_modules', 'imports']) fs.symlinkSync(path.join(root, shared), path.join(project, shared));
  once('npm', ['run', '--silent', 'synth'], { cwd: project, env: { GIT_SHA: SHA } });

  add('floor', measure('floor: node -r cdk8s-plus-27 -e 0', node, ['-r', 'cdk8s-plus-27', '-e', '0']));
  add('npmFloor', measure('npm run start-up: npm run noop', 'npm', ['run', '--silent', 'noop']));
  add('program', measure('synth program: node scripts/launch.js main', node, [launch, 'main'], { cwd: work, env: { GIT_SHA: SHA } }));
  const HTTPS_GATEWAY = { GIT_SHA: SHA, HOSTS: 'k8s-multi.com,www.k8s-multi.com', ACME_EMAIL: 'ops@k8s-multi.com', ROUTING: 'gateway' };
  once(node, [launch, 'main'], { cwd: work, env: HTTPS_GATEWAY }); // the bundled custom-resource validators' cache
  add('programTls', measure('synth program, HTTPS + Gateway route (HOSTS, ACME_EMAIL, ROUTING=gateway)', node, [launch, 'main'], { cwd: work, env: HTTPS_GATEWAY }));
  add('npmSynth', measure('npm run synth', 'npm', ['run', '--silent', 'synth'], { cwd: project, env: { GIT_SHA: SHA } }));
  add('cliStart', measure('cdk8s CLI start: npx cdk8s --version', 'npx', ['--no-install', 'cdk8s', '--version'], { cwd: project }));
  add('cliSynth', measure('npx cdk8s synth', 'npx', ['--no-install', 'cdk8s', 'synth'], { cwd: project, env: { GIT_SHA: SHA } }));

  for (const n of [1, 10, 50, 200]) {
    const names = Array.from({ length: n }, (_, i) => `pr-${i + 1}`).join(',');
    add(`previews${n}`, measure(`previews: ${n} environments`, node, [launch, 'main'], { cwd: work, env: { GIT_SHA: SHA, PREVIEWS: names } }));
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

}
if (!ONLY) synthRows();

// 50 MB of manifests: copies of the app's output, each in a namespace of its own (so that they
// validate clean), written in the scratch folder.
const bigDir = path.join(work, 'manifests-50mb');
fs.mkdirSync(bigDir);
once(node, [launch, 'main'], { cwd: work, env: { GIT_SHA: SHA } }); // the previews, if run, replaced the default app's output
const appYaml = fs.readFileSync(path.join(work, 'dist', 'multi-k8s.k8s.yaml'), 'utf8');
let bigBytes = 0;
for (let file = 0; bigBytes < 50e6; file++) {
  const text = Array.from({ length: 10 }, (_, i) => appYaml.replace(/^metadata:\n/gm, `metadata:\n  namespace: copy-${file * 10 + i}\n`)).join('---\n');
  fs.writeFileSync(path.join(bigDir, `part-${String(file).padStart(4, '0')}.yaml`), text);
  bigBytes += Buffer.byteLength(text);
}
const big = add('validate50mb', measure(`npm run validate on ${(bigBytes / 1e6).toFixed(0)} MB of manifests`, node, [launch, 'validate', bigDir]));

// The validator on input chosen to hurt (issue 19): each shape written once in the scratch folder,
// then timed like every other row. Exit 1 (problems) and 2 (an input it refuses, e.g. lists nested
// deeper than it reads) are verdicts; a signal, a native heap crash (134) or the validator's own
// failure line (a stack overflow was one) fails the bench.
function hostileShapes(dir) {
  const deployment = (i, ns) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-${i}\n  namespace: ${ns}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web-${i}\n  template:\n    metadata:\n      labels:\n        app: web-${i}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          ports:\n            - containerPort: 80\n          env:\n            - name: DB\n              value: db-${i}:5432\n`;
  const podSet = (i, ns) => [
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\n  namespace: ${ns}\n  labels:\n    app: app-${i}\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      ports:\n        - containerPort: 80\n      env:\n        - name: PEER\n          value: http://svc-${i + 1}:80\n`,
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: ${ns}\nspec:\n  selector:\n    app: app-${i}\n  ports:\n    - port: 80\n      targetPort: 80\n`,
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-${i}\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: app-${i}\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: app-${i - 1}\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: app-${i + 1}\n`,
  ].join('---\n');
  // Files of up to perFile documents until `bytes` (or `count` documents) are written.
  const files = (folder, { bytes = Infinity, count = Infinity, perFile, make }) => {
    fs.mkdirSync(folder, { recursive: true });
    let total = 0;
    let i = 0;
    for (let f = 0; total < bytes && i < count; f++) {
      const docs = [];
      for (let k = 0; k < perFile && total < bytes && i < count; k++, i++) {
        const doc = make(i);
        docs.push(doc);
        total += doc.length + 4;
      }
      fs.writeFileSync(path.join(folder, `part-${String(f).padStart(6, '0')}.yaml`), docs.join('---\n'));
    }
    return folder;
  };
  const crd = (kind, spec) => JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${kind.toLowerCase()}s.example.com` },
    spec: { group: 'example.com', scope: 'Namespaced', names: { plural: `${kind.toLowerCase()}s`, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec } } } }] },
  });
  const MB50 = 50e6;
  const shapes = {};
  // NetworkPolicies that select every pod, each with rules that allow no connection the pods make:
  // every connection tries every rule, work no index avoids (index.ts SELECTOR_WORK stops it).
  const everyPodPolicySet = (i, ns) => [
    podSet(i, ns).split('---\n').slice(0, 2).join('---\n'),
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-${i}\n  namespace: ${ns}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress:\n    - from:\n        - podSelector: {}\n      ports:\n        - port: ${10000 + (i % 50000)}\n  egress:\n    - to:\n        - podSelector: {}\n      ports:\n        - port: ${10000 + (i % 50000)}\n`,
  ].join('---\n');
  shapes.deployments16k = files(path.join(dir, 'deployments-16k'), { count: 16000, perFile: 1000, make: (i) => deployment(i, 'one') });
  shapes.podSets4k = files(path.join(dir, 'pod-sets-4k'), { count: 4000, perFile: 300, make: (i) => podSet(i, 'one') });
  shapes.deployments = files(path.join(dir, 'deployments-50mb'), { bytes: MB50, perFile: 1000, make: (i) => deployment(i, 'one') });
  shapes.podSets = files(path.join(dir, 'pod-sets-50mb'), { bytes: MB50, perFile: 300, make: (i) => podSet(i, 'one') });
  shapes.everyPodPolicies = files(path.join(dir, 'every-pod-policies-50mb'), { bytes: MB50, perFile: 300, make: (i) => everyPodPolicySet(i, 'one') });
  shapes.manyFiles = files(path.join(dir, 'many-files-50mb'), { bytes: MB50, perFile: 1, make: (i) => deployment(i, `ns-${i % 50}`) });
  // One Pod of a million env values and one ConfigMap of as many keys, under the 64 MiB file limit.
  const huge = path.join(dir, 'huge-object-50mb');
  fs.mkdirSync(huge);
  const n = Math.floor(MB50 / 2 / 60);
  fs.writeFileSync(path.join(huge, 'pod.yaml'), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\nspec:\n  containers:\n    - name: c\n      image: nginx:1.27\n      env:\n${Array.from({ length: n }, (_, i) => `        - name: VAR_${i}\n          value: "value-${i}-postgres://u:p@db:5432"\n`).join('')}`);
  fs.writeFileSync(path.join(huge, 'cm.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n${Array.from({ length: n }, (_, i) => `  key-${i}: "${'x'.repeat(20)}"\n`).join('')}`);
  shapes.hugeObject = huge;
  // A CRD with a 200,000-value enum, and custom objects outside it.
  shapes.enum = files(path.join(dir, 'enum-50mb'), { bytes: MB50, perFile: 5000, make: (i) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w-${i}\n  namespace: one\nspec:\n  color: not-a-value-${i}\n` });
  fs.writeFileSync(path.join(shapes.enum, 'crd.json'), crd('Widget', { type: 'object', properties: { color: { type: 'string', enum: Array.from({ length: 200000 }, (_, i) => `value-${i}`) } } }));
  // Objects nested 400 levels deep under a CRD nested as deep, and lists nested 1,000 deep.
  shapes.deep = path.join(dir, 'deep-50mb');
  let schema = { type: 'string' };
  for (let d = 0; d < 400; d++) schema = { type: 'object', properties: { a: schema } };
  const nested = JSON.parse(`${'{"a":'.repeat(400)}1${'}'.repeat(400)}`);
  files(shapes.deep, { bytes: MB50 / 2, perFile: 50, make: (i) => `${JSON.stringify({ apiVersion: 'example.com/v1', kind: 'Deep', metadata: { name: `d-${i}`, namespace: 'one' }, spec: nested })}\n` });
  files(path.join(shapes.deep, 'lists'), { bytes: MB50 / 2, perFile: 200, make: (i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\nextra: ${'['.repeat(1000)}${']'.repeat(1000)}\n` });
  fs.writeFileSync(path.join(shapes.deep, 'crd.json'), crd('Deep', schema));
  // Anchors: each document aliases a 50-key map 40 times (within kubectl's alias ratio).
  const anchor = `  base: &b\n${Array.from({ length: 50 }, (_, k) => `    k${k}: v${k}\n`).join('')}${Array.from({ length: 40 }, (_, k) => `  a${k}: *b\n`).join('')}`;
  shapes.anchors = files(path.join(dir, 'anchors-50mb'), { bytes: MB50, perFile: 500, make: (i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: ns-${i % 100}\n  labels: &l\n    app: x\n  annotations: *l\nx:\n${anchor}` });
  return shapes;
}

// Each shape with its limits (issue 19): seconds, and MiB of peak RSS where the issue sets one.
const HOSTILE = [
  ['deployments16k', 'validate: 16,000 Deployments in one namespace', 5],
  ['podSets4k', 'validate: 4,000 Pod+Service+NetworkPolicy sets in one namespace', 5],
  ['deployments', 'validate 50 MB: Deployments in one namespace', 15, 512],
  ['podSets', 'validate 50 MB: Pod+Service+NetworkPolicy sets in one namespace', 15, 512],
  ['everyPodPolicies', 'validate 50 MB: Pod+Service sets with NetworkPolicies that each select every pod, in one namespace', 15, 512],
  ['manyFiles', 'validate 50 MB: one Deployment per file', 15, 512],
  ['hugeObject', 'validate 50 MB: one Pod and one ConfigMap of 400,000 entries each', 15, 512],
  ['enum', 'validate 50 MB: a CRD with a 200,000-value enum, objects outside it', 15, 512],
  ['deep', 'validate 50 MB: deep nesting (objects and CRD 400 levels deep, lists 1,000 deep)', 15, 512],
  ['anchors', 'validate 50 MB: documents of aliases', 15, 512],
];
const limits = (seconds, mib) => `<= ${seconds} s${mib ? `, <= ${mib} MiB` : ''}`;
process.stderr.write('bench: writing the validator\'s hostile shapes\n');
const shapes = hostileShapes(path.join(work, 'hostile'));
for (const [key, name, seconds, mib] of HOSTILE) add(`hostile_${key}`, measure(`${name} (limits ${limits(seconds, mib)})`, node, [launch, 'validate', shapes[key]], { exitCodes: [0, 1, 2], refuse: /error: the validator failed.*/ }));

let kustomizeNote = 'skipped: kubectl is not on this machine';
if (!ONLY) {
  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  if (kubectl) {
    const dir = path.join(work, 'kustomize');
    fs.mkdirSync(dir);
    once(node, [launch, 'main'], { cwd: work, env: { GIT_SHA: SHA } });
    fs.copyFileSync(path.join(work, 'dist', 'multi-k8s.k8s.yaml'), path.join(dir, 'multi-k8s.k8s.yaml'));
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - multi-k8s.k8s.yaml\n');
    add('kustomize', measure('peer: kubectl kustomize of the same manifests', 'kubectl', ['kustomize', dir]));
    kustomizeNote = '';
  }
  // The tests without the API server: KUBEBUILDER_ASSETS names a folder that does not exist, so
  // scripts/test.sh unpacks nothing and each block of API-server tests is skipped with one line
  // (with the server the whole run takes minutes a time: README "Performance").
  const noServer = { KUBEBUILDER_ASSETS: path.join(work, 'no-api-server'), MULTI_K8S_REQUIRE_CLUSTER: '', MULTI_K8S_REQUIRE_CONTROLLER_MANAGER: '', MULTI_K8S_REQUIRE_SHARED_CRDS: '' };
  const FILE = 'test/components/worker.test.ts';
  add('npmTest', measure('npm test (type check + jest), API server tests skipped', 'npm', ['test', '--silent'], { env: noServer }));
  add('npmTestFile', measure(`npm test -- ${FILE} (jest alone, no type check)`, 'npm', ['test', '--silent', '--', FILE], { env: noServer }));
  add('jestFile', measure(`baseline: jest ${FILE}`, path.join(root, 'node_modules', '.bin', 'jest'), [FILE], { env: noServer }));

}

function synthRatios() {
  const { floor, npmFloor, program, programTls, cliStart, cliSynth, npmTest: tests } = results;
  const previews = Object.fromEntries([1, 10, 50, 200].map((n) => [n, results[`previews${n}`]]));
  return [
    `- synth program / floor: ${(program.median / floor.median).toFixed(2)}x (target <= 1.5x); npm's own start-up adds ${fmt(npmFloor.median)}`,
    `- synth program with HTTPS and the Gateway route / floor: ${(programTls.median / floor.median).toFixed(2)}x (target <= 1.5x)`,
    `- npx cdk8s synth - CLI start: ${fmt(cliSynth.median - cliStart.median)} (target <= 400 ms)`,
    `- previews, per environment: ${[1, 10, 50, 200].map((n) => `N=${n} ${fmt(previews[n].median / n)}, ${(previews[n].peakMb / n).toFixed(1)} MiB`).join('; ')}`,
    `- per-environment time at N=200 / at N=10: ${((previews[200].median / 200) / (previews[10].median / 10)).toFixed(2)}x (target <= 1.5x); N=200: ${fmt(previews[200].median)}, ${previews[200].peakMb.toFixed(0)} MiB (targets <= 3 s, <= 256 MiB)`,
    `- marginal time per environment, N=50 to 200 / N=10 to 50: ${fmt((previews[200].median - previews[50].median) / 150)} / ${fmt((previews[50].median - previews[10].median) / 40)} = ${(((previews[200].median - previews[50].median) / 150) / ((previews[50].median - previews[10].median) / 40)).toFixed(2)}x (the fixed start-up cost left out)`,
    `- validation alone: ${fmt(results.validation.median)} (target <= 100 ms)`,
    `- npm test: ${fmt(tests.median)} (target <= 6 s)`,
    `- npm test -- one construct's file / jest on that file: ${(results.npmTestFile.median / results.jestFile.median).toFixed(2)}x (npm and the script's own cost); / the whole npm test: ${(results.npmTestFile.median / tests.median).toFixed(2)}x`,
    ...(kustomizeNote ? [`- kubectl kustomize: ${kustomizeNote}`] : [`- synth program / kubectl kustomize: ${(program.median / results.kustomize.median).toFixed(2)}x`]),
  ];
}

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
  ...(ONLY ? [] : synthRatios()),
  `- validate ${(bigBytes / 1e6).toFixed(0)} MB: ${fmt(big.median)}, ${big.peakMb.toFixed(0)} MiB (targets <= 15 s, <= 512 MiB)`,
  ...HOSTILE.map(([key, name, seconds, mib]) => {
    const r = results[`hostile_${key}`];
    const ok = r.median <= seconds && (!mib || r.peakMb <= mib);
    return `- ${name}: ${fmt(r.median)} (CPU ${r.cpu.toFixed(1)} s), ${r.peakMb.toFixed(0)} MiB, ${r.lines} lines on stdout (limits ${limits(seconds, mib)}: ${ok ? 'met' : 'MISSED'})`;
  }),
];
console.log(lines.join('\n'));
if (untouchable() !== before) {
  process.stderr.write('bench: the repository\'s dist/ or a tracked file changed during the run\n');
  process.exitCode = 1;
}
fs.writeFileSync(path.join(root, 'bench-results.json'), `${JSON.stringify({ machine: lines[0], results }, null, 2)}\n`);
