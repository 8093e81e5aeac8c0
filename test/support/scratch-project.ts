/**
 * A scratch copy of the project to run the README's commands in, as a reader runs them in a
 * checkout: `npm run <script>` goes through package.json's own scripts, and each script
 * `node scripts/launch.js ENTRY` runs the entry bundled by esbuild with the launcher's own
 * options (scripts/bundle-options.js, the entries of scripts/launch.js), calling its `run(args)`
 * as the launcher does. What the launcher adds and this leaves out: its `tsc --noEmit` of the
 * whole project before bundling (the type check runs in `npm test` and .ci/run; here it would
 * judge other work in progress in this checkout, and cost tens of seconds per build). Any other
 * npm command (npm ci, npm test, npm run bench) exits 99, so no README command passes by being
 * skipped; a script `node scripts/NAME.js` runs the copy's own (publish-rendered, install-workflows). The copy is a git repository with one commit (the synth tags images with HEAD).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildSync } from 'esbuild';
import { tempDir } from '../helpers';

const ROOT = path.join(__dirname, '..', '..');

/** The launcher's entries (name -> source file), read from scripts/launch.js itself, so a new entry is bundled too. */
export function launcherEntries(): Record<string, string> {
  const source = fs.readFileSync(path.join(ROOT, 'scripts', 'launch.js'), 'utf8');
  const block = /const ENTRIES = \{([\s\S]*?)\n\};/.exec(source);
  if (!block) throw new Error('scripts/launch.js has no `const ENTRIES = { ... };`');
  const entries: Record<string, string> = {};
  for (const line of block[1].split('\n').map((l) => l.trim()).filter(Boolean)) {
    const match = /^'?([\w-]+)'?: (?:'([^']+)'|path\.join\(([^)]*)\)),?$/.exec(line);
    if (!match) throw new Error(`scripts/launch.js ENTRIES: cannot read ${JSON.stringify(line)}`);
    entries[match[1]] = match[2] ?? path.join(...match[3].split(',').map((part) => part.trim().replace(/^'|'$/g, '')));
  }
  return entries;
}

let bundles: string | undefined;

/** Builds every launcher entry once per test file, into a folder whose node_modules is the project's. */
function bundleDir(): string {
  if (bundles) return bundles;
  const dir = tempDir();
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const options = require(path.join(ROOT, 'scripts', 'bundle-options.js'));
  buildSync({
    ...options,
    entryPoints: Object.entries(launcherEntries()).map(([name, file]) => ({ in: path.join(ROOT, file), out: name })),
    outdir: path.join(dir, 'bundle'),
    logLevel: 'silent',
  });
  bundles = path.join(dir, 'bundle');
  return bundles;
}

// scripts/launch.js of the scratch copy: the launcher's last lines, without its build step.
const LAUNCHER = (dir: string) => `'use strict';
const path = require('path');
const name = process.argv[2];
const file = path.join(${JSON.stringify(dir)}, name + '.js');
if (!require('fs').existsSync(file)) { process.stderr.write('usage: launch.js <entry> [args...]\\n'); process.exit(2); }
process.argv.splice(2, 1);
const program = require(file);
if (typeof program.run === 'function') process.exitCode = program.run(process.argv.slice(2));
`;

// npm of the scratch copy: `npm run NAME [-- ARGS]` in the package's root, for scripts that run the launcher.
const NPM = `#!/usr/bin/env node
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const [command, name, ...rest] = process.argv.slice(2);
const fail = (message) => { process.stderr.write('npm (scratch project): ' + message + '\\n'); process.exit(99); };
if (command !== 'run' || !name) fail('only npm run NAME is run here, not: npm ' + process.argv.slice(2).join(' '));
if (rest.length > 0 && rest[0] !== '--') fail('arguments for the script go after --: ' + rest.join(' '));
let root = process.cwd();
while (!fs.existsSync(path.join(root, 'package.json'))) {
  if (path.dirname(root) === root) fail('no package.json here or above');
  root = path.dirname(root);
}
const script = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts?.[name];
if (script === undefined) { process.stderr.write('npm error Missing script: "' + name + '"\\n'); process.exit(1); }
const launched = /^node scripts\\/launch\\.js ([\\w-]+)$/.exec(script);
const plain = /^node (scripts\\/[\\w-]+\\.js)$/.exec(script);
if (!launched && !(plain && fs.existsSync(path.join(root, plain[1])))) fail('npm run ' + name + ' runs ' + JSON.stringify(script) + ': not a script this copy holds');
const args = launched ? [path.join(root, 'scripts', 'launch.js'), launched[1], ...rest.slice(1)] : [path.join(root, plain[1]), ...rest.slice(1)];
// As npm: the script starts in the package's folder, INIT_CWD is where the command was typed.
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, INIT_CWD: process.cwd() } });
process.exit(result.status ?? 1);
`;

export interface ScratchProject {
  /** The copy's root: run README commands here. */
  readonly dir: string;
  /** A folder holding `npm`, to put first on PATH. */
  readonly bin: string;
  /** The copy's HEAD commit. */
  readonly head: string;
}

/** Who commits in the scratch repositories. */
export const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'readme', GIT_AUTHOR_EMAIL: 'readme@example.com', GIT_COMMITTER_NAME: 'readme', GIT_COMMITTER_EMAIL: 'readme@example.com' };

/** A fresh scratch copy: package.json, the scripts the README runs with node, the fixtures it names; a git repository with one commit. */
export function scratchProject(): ScratchProject {
  const built = bundleDir();
  // Named k8s, inside a folder: the layout of the app's repository the README describes (Where this program lives).
  const dir = path.join(tempDir(), 'k8s');
  fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  for (const script of ['publish-rendered.js', 'install-workflows.js']) {
    if (fs.existsSync(path.join(ROOT, 'scripts', script))) fs.copyFileSync(path.join(ROOT, 'scripts', script), path.join(dir, 'scripts', script));
  }
  fs.cpSync(path.join(ROOT, '.github', 'workflows'), path.join(dir, '.github', 'workflows'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'scripts', 'launch.js'), LAUNCHER(built));
  for (const fixture of ['course-k8s', 'warnings']) fs.cpSync(path.join(ROOT, 'test', 'fixtures', fixture), path.join(dir, 'test', 'fixtures', fixture), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\ndist/\n.dist-previous/\n.dist-synth/\n');
  const bin = path.join(path.dirname(dir), 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'npm'), NPM, { mode: 0o755 });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_IDENTITY }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'scratch copy of the project');
  return { dir, bin, head: git('rev-parse', 'HEAD') };
}
