#!/usr/bin/env node
// Runs a compiled entry point of the project (`main`, or `validate`, `plan`, `close-preview`,
// whose `run(args)` it calls), compiling first when any TypeScript source or compiler setting
// changed since the last build. The check costs a few milliseconds; the compile runs the full
// type checker, so a type error stops here, before anything is synthesized. The usual ts-node
// runner costs ~3 s on every synth instead.
'use strict';
const { spawnSync } = require('child_process');
const { createHash } = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const ENTRIES = {
  main: 'main.js',
  validate: path.join('lib', 'validate', 'cli.js'),
  plan: path.join('lib', 'program', 'plan-command.js'),
  'close-preview': path.join('lib', 'program', 'close-preview-command.js'),
};
const root = path.resolve(__dirname, '..');
const buildDir = path.join(root, 'build');
const stampFile = path.join(buildDir, '.sources-hash');

function sourceFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function sourcesHash() {
  const files = [path.join(root, 'main.ts'), ...sourceFiles(path.join(root, 'lib')), path.join(root, 'tsconfig.json'), path.join(root, 'tsconfig.build.json'), path.join(root, 'package-lock.json')].sort();
  const hash = createHash('sha1');
  for (const file of files) hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  return hash.digest('hex');
}

function ensureBuilt() {
  const hash = sourcesHash();
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === hash) return;
  process.stderr.write('compiling TypeScript (sources changed since the last build)...\n');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('error: TypeScript compilation failed; nothing was synthesized and dist/ was left as it was.\n');
    process.exit(1);
  }
  fs.writeFileSync(stampFile, hash);
}

// Node 20 has no compile cache of its own (module.enableCompileCache came in Node 22). Most of a
// synth's start is V8 compiling cdk8s-plus-27's 2.5 MB of bindings, at load and again lazily as
// toJson runs; V8's code cache, written at exit once those functions are compiled, skips both.
// V8 checks the source behind each cache entry and rejects a stale one, which is then rewritten.
const compileCacheDir = path.join(root, 'node_modules', '.cache', 'multi-k8s-compile', process.version);
function useCompileCache() {
  const compiled = [];
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (!filename.startsWith(root + path.sep)) return compile.call(this, content, filename);
    const cacheFile = path.join(compileCacheDir, createHash('sha1').update(filename).digest('hex'));
    const cachedData = fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) compiled.push({ script, cacheFile });
    const dirname = path.dirname(filename);
    const localRequire = (id) => this.require(id);
    Object.assign(localRequire, { resolve: (request, options) => Module._resolveFilename(request, this, false, options), main: require.main, cache: Module._cache, extensions: Module._extensions });
    return script.runInThisContext({ displayErrors: true }).call(this.exports, this.exports, localRequire, this, filename, dirname);
  };
  process.once('exit', () => {
    if (compiled.length === 0) return;
    try {
      fs.mkdirSync(compileCacheDir, { recursive: true });
      for (const { script, cacheFile } of compiled) {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(temp, script.createCachedData());
        fs.renameSync(temp, cacheFile);
      }
    } catch {
      // A cache that cannot be written only costs speed next time.
    }
  });
}

const entry = ENTRIES[process.argv[2]];
if (!entry) {
  process.stderr.write(`usage: launch.js <${Object.keys(ENTRIES).join('|')}> [args...]\n`);
  process.exit(2);
}
ensureBuilt();
useCompileCache();
process.argv.splice(2, 1);
const program = require(path.join(buildDir, entry));
if (typeof program.run === 'function') process.exitCode = program.run(process.argv.slice(2));
