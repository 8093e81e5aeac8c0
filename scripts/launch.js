#!/usr/bin/env node
// Runs an entry point of the project (`main`, or `validate`, `plan`, `open-preview`, `close-preview`, whose
// `run(args)` it calls), rebuilding it first when any TypeScript source, compiler setting, the
// lockfile or this file changed since the last build.
//
// A build is two steps. `tsc --noEmit` runs the full type checker, so a type error stops here,
// before anything is synthesized. esbuild then bundles each entry with everything it imports
// (cdk8s, cdk8s-plus-27, the validator's libraries) into one file, build/bundle/ENTRY.js. The
// usual ts-node runner costs ~3 s on every synth instead.
//
// Why a bundle: a cdk8s program spends most of its start loading modules. Loading the program
// file by file, Node resolves and compiles ~330 modules; as one file V8 compiles it once, and
// `vm.Script`'s `cachedData` (a public API) lets it reuse V8's compiled form of that file. Node 20
// has no public compile cache for `require()` (module.enableCompileCache came in Node 22.1).
// Measured on the 2-core machine, medians of interleaved runs, default app: floor
// `node -r cdk8s-plus-27 -e 0` 185 ms; the program file by file 340 ms (1.84x); bundled 265 ms;
// bundled with V8's compiled form 225 ms (1.22x). `npm run bench` has the current numbers.
//
// The compiled form is the project's one cache, node_modules/.cache/multi-k8s/ (the validator
// keeps its generated code there too), named after the hash of the bundle it was made from: it
// can never serve other code. V8 itself refuses data from another V8 version or flags, or damaged
// data; the file is then made again. Stale entries of the same bundle are removed when a new one
// is written. Deleting the folder only costs the next run its speed.
'use strict';
const { spawnSync } = require('child_process');
const { createHash } = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const v8 = require('v8');
const vm = require('vm');

const ENTRIES = {
  main: 'main.ts',
  validate: path.join('lib', 'validate', 'cli.ts'),
  plan: path.join('lib', 'program', 'plan-command.ts'),
  'close-preview': path.join('lib', 'program', 'close-preview-command.ts'),
  'open-preview': path.join('lib', 'program', 'open-preview-command.ts'),
};
const root = path.resolve(__dirname, '..');
const buildDir = path.join(root, 'build');
const bundleDir = path.join(buildDir, 'bundle');
// One line per fact: `sources HASH`, then `ENTRY HASH` for each bundle; written after each build.
const stampFile = path.join(buildDir, '.build-stamp');
const cacheDir = path.join(root, 'node_modules', '.cache', 'multi-k8s', 'program');

const sha1 = (content) => createHash('sha1').update(content).digest('hex');

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function sourcesHash() {
  const files = [
    path.join(root, 'main.ts'),
    ...sourceFiles(path.join(root, 'lib')),
    path.join(root, 'tsconfig.json'),
    path.join(root, 'tsconfig.build.json'),
    path.join(root, 'package-lock.json'),
    __filename,
    path.join(__dirname, 'bundle-options.js'),
  ].sort();
  const hash = createHash('sha1');
  for (const file of files) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function readStamp() {
  try {
    return new Map(fs.readFileSync(stampFile, 'utf8').split('\n').filter(Boolean).map((line) => line.split(' ')));
  } catch {
    return new Map();
  }
}

function readBundle(name) {
  try {
    return fs.readFileSync(path.join(bundleDir, `${name}.js`));
  } catch {
    return undefined;
  }
}

function fail(message) {
  process.stderr.write(`error: ${message}; nothing was synthesized and dist/ was left as it was.\n`);
  process.exit(1);
}

function build(sources) {
  process.stderr.write('compiling TypeScript (sources, settings or build/ changed since the last build)...\n');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  // Incremental (build/.tsbuildinfo): tsc re-checks what changed, and reads a damaged record as none.
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--noEmit'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('TypeScript compilation failed');
  const esbuild = require(require.resolve('esbuild', { paths: [root] }));
  // Bundled into a scratch folder and renamed into place, so a killed build leaves no half bundle.
  const scratch = path.join(buildDir, `.bundle-${process.pid}`);
  fs.rmSync(scratch, { recursive: true, force: true });
  try {
    esbuild.buildSync({
      ...require('./bundle-options'),
      entryPoints: Object.entries(ENTRIES).map(([name, file]) => ({ in: file, out: name })),
      outdir: scratch,
      logLevel: 'silent',
    });
  } catch (error) {
    fs.rmSync(scratch, { recursive: true, force: true });
    const messages = (error.errors ?? []).map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`);
    fail(`bundling failed: ${messages.join('; ') || error.message}`);
  }
  const lines = [`sources ${sources}`, ...Object.keys(ENTRIES).map((name) => `${name} ${sha1(fs.readFileSync(path.join(scratch, `${name}.js`)))}`)];
  // Each bundle replaces its old one in one step: a run beside this build reads one or the other.
  fs.mkdirSync(bundleDir, { recursive: true });
  for (const name of Object.keys(ENTRIES)) fs.renameSync(path.join(scratch, `${name}.js`), path.join(bundleDir, `${name}.js`));
  fs.rmSync(scratch, { recursive: true, force: true });
  // Written whole or not at all, so a killed build never leaves a stamp that vouches for it.
  const temp = `${stampFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, `${lines.join('\n')}\n`);
    fs.renameSync(temp, stampFile);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    process.stderr.write(`warning: could not record the build in ${stampFile} (${error.code ?? error.message}): the next run builds again\n`);
  }
}

/** The entry's bundle, built first when it is missing, changed, or older than the sources. */
function ensureBuilt(name) {
  const sources = sourcesHash();
  const stamp = readStamp();
  let bundle = readBundle(name);
  let hash = bundle && sha1(bundle);
  if (stamp.get('sources') !== sources || hash === undefined || stamp.get(name) !== hash) {
    build(sources);
    bundle = readBundle(name);
    hash = bundle && sha1(bundle);
    if (hash === undefined) fail(`the build left no ${path.join(bundleDir, `${name}.js`)}`);
  }
  return { source: bundle.toString('utf8'), hash };
}

/** Writes V8's compiled form of the bundle, replacing the entry's older ones; failures only cost speed. */
function saveCompiled(name, file, script) {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(temp, script.createCachedData());
    fs.renameSync(temp, file);
    for (const old of fs.readdirSync(cacheDir)) {
      if (old.startsWith(`${name}.`) && old.endsWith('.v8') && path.join(cacheDir, old) !== file) fs.rmSync(path.join(cacheDir, old), { force: true });
    }
  } catch {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // Nothing was written.
    }
  }
}

/** Runs the bundle as `require` would run a file there, with V8's compiled form when there is one. */
function runBundle(name, { source, hash }) {
  const file = path.join(bundleDir, `${name}.js`);
  const compiled = path.join(cacheDir, `${name}.${hash.slice(0, 16)}.v8`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(compiled);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  // Made once the program has run, so the functions V8 compiles lazily are in it too.
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => saveCompiled(name, compiled, script));
  const module = { exports: {}, filename: file, id: file };
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

const name = process.argv[2];
if (!Object.hasOwn(ENTRIES, name ?? '')) {
  process.stderr.write(`usage: launch.js <${Object.keys(ENTRIES).join('|')}> [args...]\n`);
  process.exit(2);
}
// The validator holds what the namespace checks read of every object, then makes its findings:
// V8 lets the heap grow to up to four times what the last full collection kept before it
// collects again (heap-controller.cc, when collecting costs the program little), so the
// garbage of those last steps, not what is live, set the peak: 50 MB of Pod+Service+
// NetworkPolicy sets in one namespace kept about 270 MB and peaked at 571 MiB. With 40% growth
// between collections it peaks at about 465 MiB (the other hostile shapes 185-400 MiB), for more
// CPU on the shapes that make garbage fastest (deep nesting: `npm run bench -- --only validate`
// has the current figures; 30% cost that shape about 10% more than 40%, and 40% peaked at
// 504 MiB before files were parsed a document at a time). A growth flag only moves when V8
// collects: unlike a heap limit it can never make an allocation fail. Set before the bundle is
// compiled, so V8's compiled form is made and checked under the same flags.
if (name === 'validate') v8.setFlagsFromString('--heap-growing-percent=40');
const bundle = ensureBuilt(name);
process.argv.splice(2, 1);
const program = runBundle(name, bundle);
if (typeof program.run === 'function') process.exitCode = program.run(process.argv.slice(2));
